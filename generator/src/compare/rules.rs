//! Every kind of change the report knows, each with its level and why, like a linter's rule list: the one table to read to know how a spec edit is rated.

use super::semver::Level;

/// One kind of change to the generated crate's API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    TypeRemoved,
    TypeAdded,
    TypeKindChanged,
    AliasChanged,
    FieldRemoved,
    FieldAdded,
    FieldBecameNullable,
    FieldBecameRequired,
    FieldTypeChanged,
    FieldWireNameChanged,
    ConstructorChanged,
    DefaultRemoved,
    DefaultAdded,
    VariantRemoved,
    VariantAdded,
    VariantTypeChanged,
    VariantWireChanged,
    GroupRemoved,
    GroupAdded,
    OperationRemoved,
    OperationAdded,
    ArgumentsChanged,
    BodyChanged,
    BodyEncodingChanged,
    ResponseChanged,
    RequestTargetChanged,
    ParamRemoved,
    ParamAddedRequired,
    ParamAddedOptional,
    ParamTypeChanged,
    ParamRequirednessChanged,
    BaseUrlChanged,
    DocsChanged,
    DeprecationChanged,
}

impl Rule {
    /// The name the report prints, stable across versions (`field-removed`).
    pub fn id(self) -> &'static str {
        self.describe().0
    }

    pub fn level(self) -> Level {
        self.describe().1
    }

    /// Why a change of this kind has its level, for the reader of the report.
    pub fn why(self) -> &'static str {
        self.describe().2
    }

    fn describe(self) -> (&'static str, Level, &'static str) {
        use Level::*;
        match self {
            Rule::TypeRemoved => (
                "type-removed",
                Major,
                "code that names the type no longer compiles",
            ),
            Rule::TypeAdded => (
                "type-added",
                Minor,
                "a new public type; nothing existing changes",
            ),
            Rule::TypeKindChanged => (
                "type-kind-changed",
                Major,
                "a struct became an enum (or the like): every use of it changes",
            ),
            Rule::AliasChanged => (
                "alias-changed",
                Major,
                "the alias now stands for another type",
            ),
            Rule::FieldRemoved => (
                "field-removed",
                Major,
                "code that reads or sets the field no longer compiles",
            ),
            Rule::FieldAdded => (
                "field-added",
                Minor,
                "the struct is `#[non_exhaustive]`, so no caller's struct literal or pattern names every field",
            ),
            Rule::FieldBecameNullable => (
                "field-became-nullable",
                Major,
                "the field's type gains an `Option`: code that used the value directly no longer compiles",
            ),
            Rule::FieldBecameRequired => (
                "field-became-required",
                Major,
                "the field's type loses its `Option` (or `Patch`): code that set or matched `None` no longer compiles",
            ),
            Rule::FieldTypeChanged => (
                "field-type-changed",
                Major,
                "code that reads or sets the field with the old type no longer compiles",
            ),
            Rule::FieldWireNameChanged => (
                "field-wire-name-changed",
                Minor,
                "same Rust field, another JSON member name: code compiles, the wire changes",
            ),
            Rule::ConstructorChanged => (
                "constructor-changed",
                Major,
                "`new(…)` takes other arguments: every call to it must change",
            ),
            Rule::DefaultRemoved => (
                "default-removed",
                Major,
                "`Default` is no longer implemented (a member without a default was added): `Type::default()` no longer compiles",
            ),
            Rule::DefaultAdded => (
                "default-added",
                Minor,
                "`Default` is newly implemented (and `new` goes)",
            ),
            Rule::VariantRemoved => (
                "variant-removed",
                Major,
                "code that names the variant no longer compiles",
            ),
            Rule::VariantAdded => (
                "variant-added",
                Minor,
                "the enum is `#[non_exhaustive]`, so every `match` on it already has a `_` arm",
            ),
            Rule::VariantTypeChanged => (
                "variant-type-changed",
                Major,
                "the variant holds another type: patterns and constructions of it change",
            ),
            Rule::VariantWireChanged => (
                "variant-wire-changed",
                Minor,
                "same Rust variant, another wire value: code compiles, the wire changes",
            ),
            Rule::GroupRemoved => (
                "group-removed",
                Major,
                "the client's accessor and the handle type are gone",
            ),
            Rule::GroupAdded => (
                "group-added",
                Minor,
                "a new accessor on `Client` and a new handle type",
            ),
            Rule::OperationRemoved => (
                "operation-removed",
                Major,
                "calls to the method no longer compile",
            ),
            Rule::OperationAdded => (
                "operation-added",
                Minor,
                "a new method; nothing existing changes",
            ),
            Rule::ArgumentsChanged => (
                "arguments-changed",
                Major,
                "the method takes other arguments: every call to it must change",
            ),
            Rule::BodyChanged => (
                "body-changed",
                Major,
                "the method's body argument is added, removed or of another type",
            ),
            Rule::BodyEncodingChanged => (
                "body-encoding-changed",
                Minor,
                "same argument, another encoding on the wire",
            ),
            Rule::ResponseChanged => (
                "response-changed",
                Major,
                "the method returns another type: code using the result no longer compiles",
            ),
            Rule::RequestTargetChanged => (
                "request-target-changed",
                Minor,
                "same method, another HTTP method or path: code compiles, the request changes",
            ),
            Rule::ParamRemoved => (
                "parameter-removed",
                Major,
                "code that sets the parameter no longer compiles",
            ),
            Rule::ParamAddedRequired => (
                "parameter-added-required",
                Major,
                "every call must now supply the parameter",
            ),
            Rule::ParamAddedOptional => (
                "parameter-added-optional",
                Minor,
                "optional parameters live in a `#[non_exhaustive]` params struct with `Default`, so existing calls are unaffected",
            ),
            Rule::ParamTypeChanged => (
                "parameter-type-changed",
                Major,
                "code that sets the parameter with the old type no longer compiles",
            ),
            Rule::ParamRequirednessChanged => (
                "parameter-requiredness-changed",
                Major,
                "the parameter moves between `T` and `Option<T>`: code that sets it must change",
            ),
            Rule::BaseUrlChanged => (
                "base-url-changed",
                Minor,
                "`DEFAULT_BASE_URL` changes: requests go elsewhere unless a base URL is set",
            ),
            Rule::DocsChanged => ("docs-changed", Patch, "documentation only"),
            Rule::DeprecationChanged => (
                "deprecation-changed",
                Patch,
                "documentation only: the generated code marks deprecation in its docs",
            ),
        }
    }

    /// Every rule, for the documentation table and its test.
    pub const ALL: &'static [Rule] = &[
        Rule::TypeRemoved,
        Rule::TypeAdded,
        Rule::TypeKindChanged,
        Rule::AliasChanged,
        Rule::FieldRemoved,
        Rule::FieldAdded,
        Rule::FieldBecameNullable,
        Rule::FieldBecameRequired,
        Rule::FieldTypeChanged,
        Rule::FieldWireNameChanged,
        Rule::ConstructorChanged,
        Rule::DefaultRemoved,
        Rule::DefaultAdded,
        Rule::VariantRemoved,
        Rule::VariantAdded,
        Rule::VariantTypeChanged,
        Rule::VariantWireChanged,
        Rule::GroupRemoved,
        Rule::GroupAdded,
        Rule::OperationRemoved,
        Rule::OperationAdded,
        Rule::ArgumentsChanged,
        Rule::BodyChanged,
        Rule::BodyEncodingChanged,
        Rule::ResponseChanged,
        Rule::RequestTargetChanged,
        Rule::ParamRemoved,
        Rule::ParamAddedRequired,
        Rule::ParamAddedOptional,
        Rule::ParamTypeChanged,
        Rule::ParamRequirednessChanged,
        Rule::BaseUrlChanged,
        Rule::DocsChanged,
        Rule::DeprecationChanged,
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_are_unique_and_all_listed_once() {
        let ids: std::collections::BTreeSet<_> = Rule::ALL.iter().map(|r| r.id()).collect();
        assert_eq!(ids.len(), Rule::ALL.len());
        // The last variant's discriminant + 1 is the number of variants.
        assert_eq!(Rule::ALL.len(), Rule::DeprecationChanged as usize + 1);
    }
}
