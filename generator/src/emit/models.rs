//! Model emitter: the IR's types in, the text of `models.rs` out (structs, enums with an `Unknown` variant, tagged and untagged unions), printed as prettyplease prints it.
//!
//! Models are most of a generated crate (Stripe's `models.rs` is 6.6 MB of its 8.2), so they
//! are printed straight from the IR rather than built as tokens, re-parsed by syn and printed
//! by prettyplease, which cost ten times the text itself (docs/PERFORMANCE.md). The parts that
//! break over lines go through [`super::layout`], which breaks them as prettyplease would; the
//! fixed parts are written as prettyplease prints them. An item the layout does not cover
//! (an over-long line in a fixed part) is handed to prettyplease by the formatter
//! ([`super::format`]), and `format::tests` checks the printed items against prettyplease.

use super::format::{Piece, RustFile};
use super::layout::{INDENT, Layout};
use super::text::{
    attr_list, attr_word, doc_comment, doc_line, generic, own_doc_comment, string_literal,
    type_layout,
};
use super::tokens::Scope;
use crate::compat::{self, Construction};
use crate::ir::*;
use quote::quote;

/// `models.rs` as its head (inner doc and attributes) and its items, one per type, printed
/// when the formatter gets to them.
pub fn models_file(model: &Model) -> RustFile<'_, TypeDef> {
    let head = quote! {
        //! The API's data types, generated from the document's schemas.
        #![allow(clippy::large_enum_variant, clippy::derivable_impls)]
    };
    RustFile {
        head,
        items: &model.types,
        build: |model, def| {
            let (text, plain) = type_item(model, def);
            Piece::Printed { text, plain }
        },
    }
}

fn type_doc(layout: &mut Layout, def: &TypeDef) {
    let text = match &def.doc {
        Some(doc) if !doc.trim().is_empty() => {
            format!("{}\n\nSchema: `{}`.", doc.trim(), def.origin)
        }
        _ => format!("Schema: `{}`.", def.origin),
    };
    doc_comment(layout, &text);
}

/// One type's items as text, each ending in a line break (empty for a placeholder), and
/// whether the text is final: `false` when part of it is beyond what the printing here covers
/// (a doc line that is not one line), so that prettyplease prints it.
fn type_item(model: &Model, def: &TypeDef) -> (String, bool) {
    let mut out = String::new();
    let mut plain = true;
    if matches!(def.kind, TypeKind::Pending) {
        return (out, plain);
    }
    // Everything up to the end of the type's definition (and a struct's constructor) is laid
    // out; the impl blocks after it are fixed text around names.
    let mut layout = Layout::new(0);
    layout.cbox(0);
    type_doc(&mut layout, def);
    let name = def.name.as_str();
    let mut impls = String::new();
    match &def.kind {
        TypeKind::Struct(s) => struct_item(&mut layout, model, def, s),
        TypeKind::Enum(e) => {
            enum_item(&mut layout, name, e, &mut plain);
            enum_impls(&mut impls, name, e);
        }
        TypeKind::IntEnum(e) => {
            int_enum_item(&mut layout, name, e);
            int_enum_impls(&mut impls, name, e);
        }
        TypeKind::Tagged(t) => {
            tagged_item(&mut layout, model, name, t, &mut plain);
            tagged_impls(&mut impls, name, t);
        }
        TypeKind::Untagged(u) => {
            untagged_item(&mut layout, model, name, u);
            untagged_impls(&mut impls, name, u);
        }
        TypeKind::Alias(ty) => {
            layout.cbox(INDENT);
            layout.word(format!("pub type {name} = "));
            layout.ibox(-INDENT);
            type_layout(&mut layout, model, ty, Scope::Models);
            layout.end();
            layout.word(";");
            layout.end();
            layout.hardbreak();
        }
        TypeKind::Pending => {}
    }
    layout.end();
    layout.finish(&mut out);
    out.push_str(&impls);
    (out, plain)
}

/// `pub (struct|enum) Name {`, the members `members` lays out (each ending in `,` and a line
/// break), and the closing brace.
fn braced(
    layout: &mut Layout,
    keyword: &str,
    name: &str,
    nonempty: bool,
    members: impl FnOnce(&mut Layout),
) {
    layout.cbox(INDENT);
    layout.word(format!("pub {keyword} {name} {{"));
    if nonempty {
        layout.hardbreak();
    }
    members(layout);
    layout.offset(-INDENT);
    layout.end();
    layout.word("}");
    layout.hardbreak();
}

fn struct_item(layout: &mut Layout, model: &Model, def: &TypeDef, s: &StructDef) {
    let mut derives = vec![
        "Debug",
        "Clone",
        "PartialEq",
        "::serde::Serialize",
        "::serde::Deserialize",
    ];
    if s.derive_default {
        derives.push("Default");
    }
    attr_list(layout, "derive", &derives);
    attr_word(layout, "non_exhaustive");
    let nonempty = !s.fields.is_empty() || s.additional.is_some();
    braced(layout, "struct", &def.name, nonempty, |layout| {
        for field in &s.fields {
            field_item(layout, model, field);
        }
        if let Some(ty) = &s.additional {
            let (doc, serde): (&str, &[&str]) = if *ty == TypeRef::Any {
                // Counted as not understood, so an untagged union prefers a variant that names them.
                (
                    "Members the schema does not name, kept as sent so that nothing is lost (a later\n\
                     version of this crate may give them fields of their own).",
                    &[
                        "flatten",
                        "deserialize_with = \"crate::wire::undeclared_members\"",
                    ],
                )
            } else {
                (
                    "Members not named by the schema (`additionalProperties`).",
                    &["flatten"],
                )
            };
            doc_comment(layout, doc);
            attr_list(layout, "serde", serde);
            layout.word(format!("pub {ADDITIONAL_FIELD}: "));
            type_layout(
                layout,
                model,
                &TypeRef::Map(Box::new(ty.clone())),
                Scope::Models,
            );
            layout.word(",");
            layout.hardbreak();
        }
    });
    constructor(layout, model, def, s);
}

/// `new(…)` for every struct that cannot derive `Default`: `#[non_exhaustive]` forbids struct
/// literals outside the crate, so this (and assigning the public fields) is how callers build
/// one. Which members are arguments is decided in [`crate::compat`], which the change report
/// reads too.
fn constructor(layout: &mut Layout, model: &Model, def: &TypeDef, s: &StructDef) {
    let Construction::New(arg_fields) = compat::construction(def, s) else {
        return;
    };
    let is_arg = |field: &Field| arg_fields.iter().any(|arg| std::ptr::eq(*arg, field));
    let arg_docs: Vec<String> = arg_fields
        .iter()
        .map(|field| format!("`{}`", field.rust.trim_start_matches("r#")))
        .collect();
    let members = if arg_docs.is_empty() {
        "no members to decide".to_owned()
    } else {
        format!("the members to decide ({}) given", arg_docs.join(", "))
    };

    // `impl Name {`
    layout.cbox(INDENT);
    layout.word(format!("impl {} {{", def.name));
    layout.hardbreak();
    doc_comment(
        layout,
        &format!(
            "A value with {members}; every other member is empty or left out. Assign the public \
             fields to set more: new members may be added in a minor release, so this type cannot \
             be written as a struct literal outside this crate."
        ),
    );
    attr_list(
        layout,
        "allow",
        &["clippy::too_many_arguments", "clippy::new_without_default"],
    );
    // `pub fn new(args) -> Self {`
    layout.cbox(INDENT);
    layout.word("pub fn new(");
    layout.neverbreak();
    if !arg_fields.is_empty() {
        layout.cbox(0);
        layout.zerobreak();
        for (index, field) in arg_fields.iter().enumerate() {
            layout.word(format!("{}: ", field.rust));
            match field.presence {
                Presence::Required if field.ty == TypeRef::String => {
                    generic(layout, "impl ::std::convert::Into", |layout| {
                        layout.word("::std::string::String");
                        layout.trailing_comma(true);
                    });
                }
                Presence::Required => type_layout(layout, model, &field.ty, Scope::Models),
                _ => generic(layout, "::std::option::Option", |layout| {
                    type_layout(layout, model, &field.ty, Scope::Models);
                    layout.trailing_comma(true);
                }),
            }
            layout.trailing_comma(index + 1 == arg_fields.len());
        }
        layout.offset(-INDENT);
        layout.end();
    }
    layout.word(")");
    layout.cbox(-INDENT);
    layout.word(" -> Self");
    layout.end();
    layout.word(" {");
    layout.hardbreak();
    // `Self { field: value, … }`
    let mut inits = Vec::new();
    for field in &s.fields {
        let value = match field.presence {
            _ if is_arg(field)
                && field.ty == TypeRef::String
                && field.presence == Presence::Required =>
            {
                Some(format!("{}.into()", field.rust))
            }
            _ if is_arg(field) => None,
            Presence::Required => Some("::std::default::Default::default()".to_owned()),
            Presence::RequiredNullable | Presence::Optional => {
                Some("::std::option::Option::None".to_owned())
            }
            Presence::Patch => Some("crate::Patch::Unset".to_owned()),
        };
        inits.push((field.rust.as_str(), value));
    }
    if s.additional.is_some() {
        inits.push((
            ADDITIONAL_FIELD,
            Some("::std::collections::BTreeMap::new()".to_owned()),
        ));
    }
    layout.ibox(0);
    layout.cbox(INDENT);
    layout.word("Self {");
    if !inits.is_empty() {
        layout.space();
    }
    for (index, (member, value)) in inits.iter().enumerate() {
        layout.word(*member);
        if let Some(value) = value {
            layout.word(": ");
            layout.word(value.as_str());
        }
        layout.trailing_comma_or_space(index + 1 == inits.len());
    }
    layout.offset(-INDENT);
    layout.end_with_max_width(34);
    layout.word("}");
    layout.end();
    layout.hardbreak();
    // The fn's and the impl's closing braces.
    layout.offset(-INDENT);
    layout.end();
    layout.word("}");
    layout.hardbreak();
    layout.offset(-INDENT);
    layout.end();
    layout.word("}");
    layout.hardbreak();
}

fn field_item(layout: &mut Layout, model: &Model, field: &Field) {
    let mut doc = field
        .doc
        .clone()
        .filter(|d| !d.trim().is_empty())
        .unwrap_or_else(|| format!("The `{}` member.", field.wire));
    if field.deprecated {
        doc.push_str("\n\nDeprecated by the API.");
    }
    doc_comment(layout, &doc);
    let unescaped = field.rust.trim_start_matches("r#");
    if unescaped != field.wire {
        attr_list(
            layout,
            "serde",
            &[format!("rename = {}", string_literal(&field.wire))],
        );
    }
    let decoder = field_decoder(&field.ty);
    let mut serde: Vec<String> = Vec::new();
    let wrapper = match field.presence {
        Presence::Required => {
            if field.default_when_absent {
                serde.push("default".to_owned());
            }
            if let Some((required, _)) = decoder {
                serde.push(format!("deserialize_with = {}", string_literal(required)));
            }
            None
        }
        Presence::RequiredNullable => {
            serde.push("default".to_owned());
            if let Some((_, optional)) = decoder {
                serde.push(format!("deserialize_with = {}", string_literal(optional)));
            }
            Some("::std::option::Option")
        }
        Presence::Optional => {
            serde.push("default".to_owned());
            serde.push("skip_serializing_if = \"::std::option::Option::is_none\"".to_owned());
            if let Some((_, optional)) = decoder {
                serde.push(format!("deserialize_with = {}", string_literal(optional)));
            }
            Some("::std::option::Option")
        }
        Presence::Patch => {
            serde.push("default".to_owned());
            serde.push("skip_serializing_if = \"crate::Patch::is_unset\"".to_owned());
            Some("crate::Patch")
        }
    };
    if holds_binary(&field.ty) {
        serde.push("serialize_with = \"crate::wire::binary\"".to_owned());
    }
    if !serde.is_empty() {
        attr_list(layout, "serde", &serde);
    }
    layout.word(format!("pub {}: ", field.rust));
    match wrapper {
        Some(path) => generic(layout, path, |layout| {
            type_layout(layout, model, &field.ty, Scope::Models);
            layout.trailing_comma(true);
        }),
        None => type_layout(layout, model, &field.ty, Scope::Models),
    }
    layout.word(",");
    layout.hardbreak();
}
/// The runtime functions that decode a field of this type when it is required and when it is
/// optional, where serde's own impl is not what the client wants: numbers are lenient
/// (`crate::lenient`), and timestamps take a direct path before chrono's general parser
/// (`crate::timestamp`, same results, a tenth of the work).
fn field_decoder(ty: &TypeRef) -> Option<(&'static str, &'static str)> {
    if ty.is_numeric() {
        Some(("crate::lenient::number", "crate::lenient::option_number"))
    } else if matches!(ty, TypeRef::DateTime) {
        Some(("crate::timestamp::required", "crate::timestamp::optional"))
    } else {
        None
    }
}

/// Whether a field or variant is `format: binary` bytes, alone or in options, lists and maps,
/// which encode as JSON strings (`crate::wire::binary`) rather than serde's arrays of numbers.
fn holds_binary(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Bytes => true,
        TypeRef::Option(inner) | TypeRef::Vec(inner) | TypeRef::Map(inner) => holds_binary(inner),
        _ => false,
    }
}

/// A variant's doc line (a wire value or a tag, as written). One with a line break is written
/// as an attribute and left to prettyplease, which prints it as a block comment.
fn variant_doc(layout: &mut Layout, text: &str, plain: &mut bool) {
    if text.contains('\n') {
        *plain = false;
        layout.word(format!("#[doc = {}]", string_literal(text)));
        layout.space();
    } else {
        doc_line(layout, text);
    }
}

/// `Name(Type),`, the type laid out as a tuple field.
fn tuple_variant(layout: &mut Layout, variant: &str, ty: impl FnOnce(&mut Layout)) {
    layout.word(variant);
    layout.cbox(INDENT);
    layout.word("(");
    layout.zerobreak();
    ty(layout);
    layout.trailing_comma(true);
    layout.offset(-INDENT);
    layout.word(")");
    layout.end();
    layout.word(",");
    layout.hardbreak();
}

/// The `Unknown` variant, its doc and its value type.
fn unknown_variant(layout: &mut Layout, doc: &str, value: &str) {
    own_doc_comment(layout, doc);
    tuple_variant(layout, "Unknown", |layout| layout.word(value));
}

const ENUM_DERIVES: [&str; 7] = [
    "Debug",
    "Clone",
    "PartialEq",
    "Eq",
    "Hash",
    "PartialOrd",
    "Ord",
];

fn enum_item(layout: &mut Layout, name: &str, e: &EnumDef, plain: &mut bool) {
    attr_list(layout, "derive", &ENUM_DERIVES);
    attr_word(layout, "non_exhaustive");
    braced(layout, "enum", name, true, |layout| {
        for variant in &e.variants {
            variant_doc(
                layout,
                &format!(" `{}`", variant.wire.replace('`', "'")),
                plain,
            );
            layout.word(format!("{},", variant.rust));
            layout.hardbreak();
        }
        unknown_variant(
            layout,
            "A value this version of the client has no variant for, kept as sent so decoding\n\
             never fails on it. Read it with `as_str()`, but do not test for a particular\n\
             value: a later version may give it a variant of its own, and such a test would\n\
             silently stop matching.",
            "crate::UnknownValue",
        );
    });
}

fn enum_impls(out: &mut String, name: &str, e: &EnumDef) {
    let mut as_str = String::new();
    let mut from_wire = String::new();
    for variant in &e.variants {
        let (rust, wire) = (&variant.rust, string_literal(&variant.wire));
        as_str.push_str(&format!("            Self::{rust} => {wire},\n"));
        from_wire.push_str(&format!("            {wire} => Self::{rust},\n"));
    }
    out.push_str(&format!(
        "impl {name} {{
    /// The value as it appears on the wire.
    pub fn as_str(&self) -> &str {{
        match self {{
{as_str}            Self::Unknown(value) => value.as_str(),
        }}
    }}
    fn from_wire(value: &str) -> Self {{
        match value {{
{from_wire}            other => Self::Unknown(crate::UnknownValue::new(other.to_owned())),
        }}
    }}
}}
impl ::std::fmt::Display for {name} {{
    fn fmt(&self, formatter: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {{
        formatter.write_str(self.as_str())
    }}
}}
impl ::std::str::FromStr for {name} {{
    type Err = ::std::convert::Infallible;
    fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {{
        ::std::result::Result::Ok(Self::from_wire(value))
    }}
}}
{serialize}{{
        serializer.serialize_str(self.as_str())
    }}
}}
{deserialize}{{
        crate::wire::deserialize_enum_str(deserializer, Self::from_wire)
    }}
}}
",
        serialize = serialize_head(name),
        deserialize = deserialize_head(name),
    ));
}

/// `impl Serialize for Name` up to the body of `serialize`.
fn serialize_head(name: &str) -> String {
    format!(
        "impl ::serde::Serialize for {name} {{
    fn serialize<S: ::serde::Serializer>(
        &self,
        serializer: S,
    ) -> ::std::result::Result<S::Ok, S::Error> "
    )
}

/// `impl Deserialize for Name` up to the body of `deserialize`.
fn deserialize_head(name: &str) -> String {
    format!(
        "impl<'de> ::serde::Deserialize<'de> for {name} {{
    fn deserialize<D: ::serde::Deserializer<'de>>(
        deserializer: D,
    ) -> ::std::result::Result<Self, D::Error> "
    )
}

fn int_enum_item(layout: &mut Layout, name: &str, e: &IntEnumDef) {
    let mut derives = ENUM_DERIVES.to_vec();
    derives.insert(2, "Copy");
    attr_list(layout, "derive", &derives);
    attr_word(layout, "non_exhaustive");
    braced(layout, "enum", name, true, |layout| {
        for (value, rust) in &e.variants {
            layout.word(format!("/// `{value}`"));
            layout.hardbreak();
            layout.word(format!("{rust},"));
            layout.hardbreak();
        }
        unknown_variant(
            layout,
            "A value this version of the client has no variant for, kept as sent. Read it\n\
             with `value()`, but do not test for a particular number: a later version may\n\
             give it a variant of its own.",
            "crate::UnknownValue<i64>",
        );
    });
}

fn int_enum_impls(out: &mut String, name: &str, e: &IntEnumDef) {
    let mut value_arms = String::new();
    let mut from_arms = String::new();
    for (value, rust) in &e.variants {
        let literal = int_literal(*value);
        value_arms.push_str(&format!("            Self::{rust} => {literal},\n"));
        from_arms.push_str(&format!("            {literal} => Self::{rust},\n"));
    }
    out.push_str(&format!(
        "impl {name} {{
    /// The value as it appears on the wire.
    pub fn value(self) -> i64 {{
        match self {{
{value_arms}            Self::Unknown(value) => value.value(),
        }}
    }}
    /// The variant for a wire value (`Unknown` when it is not one of the listed values).
    pub fn from_value(value: i64) -> Self {{
        match value {{
{from_arms}            other => Self::Unknown(crate::UnknownValue::new(other)),
        }}
    }}
}}
impl ::std::fmt::Display for {name} {{
    fn fmt(&self, formatter: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {{
        ::std::fmt::Display::fmt(&self.value(), formatter)
    }}
}}
{serialize}{{
        serializer.serialize_i64(self.value())
    }}
}}
{deserialize}{{
        crate::lenient::number::<D, i64>(deserializer).map(Self::from_value)
    }}
}}
",
        serialize = serialize_head(name),
        deserialize = deserialize_head(name),
    ));
}

/// An `i64` as quote spells it (`quote!(#value)` makes a suffixed literal), so the printed
/// match arms are the ones the tokens gave.
fn int_literal(value: i64) -> String {
    proc_macro2::Literal::i64_suffixed(value).to_string()
}

fn tagged_item(layout: &mut Layout, model: &Model, name: &str, t: &TaggedDef, plain: &mut bool) {
    layout.word("///");
    layout.hardbreak();
    // prettyplease breaks this `concat!` over three lines whatever the tag, which is short.
    let tag = string_literal(&t.tag);
    let concat =
        format!("\"Decided by the `\", {tag}, \"` member; any other value is kept in `Unknown`.\"");
    if concat.len() + 4 > 89 || t.tag.contains(['\n', '\r']) {
        *plain = false;
    }
    layout.word(format!("#[doc = concat!(\n    {concat}\n)]"));
    layout.space();
    attr_list(layout, "derive", &["Debug", "Clone", "PartialEq"]);
    attr_word(layout, "non_exhaustive");
    braced(layout, "enum", name, true, |layout| {
        for variant in &t.variants {
            variant_doc(
                layout,
                &format!(" `{}` is `{}`.", t.tag, variant.tags.join("` or `")),
                plain,
            );
            tuple_variant(layout, &variant.rust, |layout| {
                type_layout(layout, model, &variant.ty, Scope::Models);
            });
        }
        unknown_variant(
            layout,
            "A member with another (or no) tag, kept as JSON (`as_json()`). Do not test for a\n\
             particular tag here: a later version may give it a variant of its own.",
            "crate::UnknownValue<::serde_json::Value>",
        );
    });
}

/// `value` boxed for a variant that holds its type in a `Box`.
fn build_variant(ty: &TypeRef, variant: &str) -> String {
    if matches!(ty, TypeRef::Box(_)) {
        format!("|value| Self::{variant}(::std::boxed::Box::new(value))")
    } else {
        format!("Self::{variant}")
    }
}

fn tagged_impls(out: &mut String, name: &str, t: &TaggedDef) {
    let mut encode = String::new();
    let mut arms = String::new();
    let union_name = string_literal(name);
    for variant in &t.variants {
        encode.push_str(&format!(
            "            Self::{}(value) => ::serde::Serialize::serialize(value, serializer),\n",
            variant.rust
        ));
        let tags: Vec<String> = variant.tags.iter().map(|tag| string_literal(tag)).collect();
        arms.push_str(&format!(
            "            ::std::option::Option::Some({}) => object.decode({union_name}).map({}),\n",
            tags.join(" | "),
            build_variant(&variant.ty, &variant.rust)
        ));
    }
    out.push_str(&format!(
        "{serialize}{{
        match self {{
{encode}            Self::Unknown(value) => ::serde::Serialize::serialize(value, serializer),
        }}
    }}
}}
{deserialize}{{
        let object = crate::tagged::TaggedObject::deserialize(deserializer, {tag})?;
        match object.tag() {{
{arms}            _ => object.into_value().map(|value| Self::Unknown(crate::UnknownValue::new(value))),
        }}
    }}
}}
",
        serialize = serialize_head(name),
        deserialize = deserialize_head(name),
        tag = string_literal(&t.tag),
    ));
}

fn untagged_item(layout: &mut Layout, model: &Model, name: &str, u: &UntaggedDef) {
    own_doc_comment(
        layout,
        "\n\
         The members share no tag, so each is tried in order and the first that understands the\n\
         whole value (no unknown enum value, no member it does not name) is taken; failing that,\n\
         the one that understands most of it. An error lists what each member said.",
    );
    attr_list(layout, "derive", &["Debug", "Clone", "PartialEq"]);
    attr_word(layout, "non_exhaustive");
    braced(layout, "enum", name, !u.variants.is_empty(), |layout| {
        for variant in &u.variants {
            layout.word(format!(
                "#[doc = concat!(\"A `\", {}, \"` value.\")]",
                string_literal(&variant.rust)
            ));
            layout.space();
            tuple_variant(layout, &variant.rust, |layout| {
                type_layout(layout, model, &variant.ty, Scope::Models);
            });
        }
    });
}

fn untagged_impls(out: &mut String, name: &str, u: &UntaggedDef) {
    let mut encode = String::new();
    let mut attempts = String::new();
    for variant in &u.variants {
        let rust = &variant.rust;
        if holds_binary(&variant.ty) {
            encode.push_str(&format!(
                "            Self::{rust}(value) => crate::wire::binary(value, serializer),\n"
            ));
        } else {
            encode.push_str(&format!(
                "            Self::{rust}(value) => ::serde::Serialize::serialize(value, serializer),\n"
            ));
        }
        attempts.push_str(&format!(
            "        if let ::std::option::Option::Some(chosen) = fit.offer({}, buffered.decode().map({})) {{
            return ::std::result::Result::Ok(chosen);
        }}
",
            string_literal(rust),
            build_variant(&variant.ty, rust)
        ));
    }
    out.push_str(&format!(
        "{serialize}{{
        match self {{
{encode}        }}
    }}
}}
{deserialize}{{
        let buffered = crate::wire::Buffered::deserialize(deserializer)?;
        let mut fit = crate::wire::BestFit::new();
{attempts}        fit.finish({union_name})
    }}
}}
",
        serialize = serialize_head(name),
        deserialize = deserialize_head(name),
        union_name = string_literal(name),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    fn documents(folder: &Path) -> Vec<PathBuf> {
        let mut found: Vec<PathBuf> = std::fs::read_dir(folder)
            .map(|entries| entries.flatten().map(|entry| entry.path()).collect())
            .unwrap_or_default();
        found.retain(|path| {
            path.extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
                && std::fs::metadata(path).is_ok_and(|m| m.len() <= 1_500_000)
        });
        found.sort();
        found
    }

    /// Every type printed without prettyplease (as the formatter keeps it: marked plain and
    /// within the margin) is exactly what prettyplease prints for it, on PayPro, the construct
    /// specs and the corpus documents up to 1.5 MB. So the printer, not prettyplease, can
    /// write them, and `models.rs` is the same text either way.
    #[test]
    fn printed_types_are_what_prettyplease_prints() -> Result<(), String> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let corpus = root.join("../shared/openapi-corpus");
        let mut paths = vec![root.join("spec/api.yaml")];
        paths.extend(documents(&root.join("generator/tests/constructs")));
        paths.extend(documents(&corpus));
        paths.extend(documents(&corpus.join("v3_1")));
        let (mut printed, mut left_to_prettyplease) = (0, 0);
        for path in &paths {
            let name = path.display().to_string();
            let text = std::fs::read_to_string(path).map_err(|e| format!("{name}: {e}"))?;
            let Ok((model, _)) = crate::model(
                crate::Input {
                    text: &text,
                    name: &name,
                },
                None,
            ) else {
                continue;
            };
            for def in &model.types {
                let (text, plain) = type_item(&model, def);
                if !(plain && super::super::format::within_margin(&text)) {
                    left_to_prettyplease += 1;
                    continue;
                }
                let file = syn::parse_file(&text)
                    .map_err(|e| format!("{name}: {} does not parse: {e}\n{text}", def.name))?;
                let expected = prettyplease::unparse(&file);
                if text != expected {
                    return Err(format!(
                        "{name}: {} is printed differently:\n--- printed\n{text}\n--- prettyplease\n{expected}",
                        def.name
                    ));
                }
                printed += 1;
            }
        }
        // The corpus alone holds thousands of types: it was read, and most are printed here.
        assert!(
            printed > 2000 && printed > 3 * left_to_prettyplease,
            "{printed} printed, {left_to_prettyplease} left to prettyplease"
        );
        Ok(())
    }

    /// Names of every length from short to past the margin, in types nested three deep and
    /// in every presence: each line that can break is tried on both sides of the margin, as
    /// field, constructor argument and union variant, against prettyplease.
    #[test]
    fn the_layout_breaks_where_prettyplease_does_at_every_length() -> Result<(), String> {
        let mut model = super::super::empty_model();
        let mut printed = 0;
        for length in (1..=90).step_by(3) {
            let named = TypeRef::Named(TypeId(model.types.len()));
            let long_name = format!("N{}", "x".repeat(length));
            model.types.push(TypeDef {
                name: long_name.clone(),
                doc: None,
                origin: "#/x".to_owned(),
                kind: TypeKind::Alias(TypeRef::Any),
                in_request: false,
            });
            let shapes = [
                named.clone(),
                TypeRef::Vec(Box::new(named.clone())),
                TypeRef::Map(Box::new(TypeRef::Vec(Box::new(named.clone())))),
                TypeRef::Box(Box::new(TypeRef::Map(Box::new(TypeRef::Option(Box::new(
                    named.clone(),
                )))))),
                TypeRef::String,
                TypeRef::Integer(IntegerKind::I64),
                TypeRef::DateTime,
            ];
            let presences = [
                Presence::Required,
                Presence::RequiredNullable,
                Presence::Optional,
                Presence::Patch,
            ];
            let fields = shapes
                .iter()
                .enumerate()
                .flat_map(|(shape, ty)| {
                    presences
                        .iter()
                        .enumerate()
                        .map(move |(presence, p)| Field {
                            wire: format!("w{shape}{presence}"),
                            rust: format!("f{shape}_{presence}_{}", "y".repeat(length % 40)),
                            doc: None,
                            ty: ty.clone(),
                            presence: *p,
                            default_when_absent: false,
                            deprecated: false,
                        })
                })
                .collect();
            let types = [
                TypeKind::Struct(StructDef {
                    fields,
                    additional: Some(named.clone()),
                    derive_default: false,
                }),
                TypeKind::Untagged(UntaggedDef {
                    variants: shapes
                        .iter()
                        .enumerate()
                        .map(|(index, ty)| UntaggedVariant {
                            rust: format!("V{index}"),
                            ty: ty.clone(),
                        })
                        .collect(),
                }),
                TypeKind::Tagged(TaggedDef {
                    tag: "kind".to_owned(),
                    variants: vec![TaggedVariant {
                        tags: vec!["a".to_owned()],
                        rust: "A".to_owned(),
                        ty: TypeRef::Box(Box::new(named.clone())),
                    }],
                }),
                TypeKind::Alias(TypeRef::Vec(Box::new(TypeRef::Option(Box::new(named))))),
            ];
            for kind in types {
                let def = TypeDef {
                    name: format!("T{}", "z".repeat(length % 50)),
                    doc: Some("A type.".to_owned()),
                    origin: "#/t".to_owned(),
                    kind,
                    in_request: true,
                };
                let (text, _) = type_item(&model, &def);
                // All of a struct (its constructor too) is laid out; of a union only the
                // definition is, and the fixed impls after it may be left to prettyplease,
                // which the test above covers.
                let definition = match text.split_once("\nimpl ::serde") {
                    Some((head, _)) => format!("{head}\n"),
                    None => text,
                };
                // As the formatter does, text with a line past the margin that the layout
                // does not break (a long method call in the constructor) is left to
                // prettyplease.
                if !super::super::format::within_margin(&definition) {
                    continue;
                }
                let file =
                    syn::parse_file(&definition).map_err(|e| format!("{e}\n{definition}"))?;
                let expected = prettyplease::unparse(&file);
                if definition != expected {
                    return Err(format!(
                        "--- printed\n{definition}\n--- prettyplease\n{expected}"
                    ));
                }
                printed += 1;
            }
        }
        // Of the 30 × 4 types, those with a line the layout cannot bring within the margin
        // (long names, a long `.into()` in a constructor) are left to prettyplease: 36 today.
        assert!(printed >= 80, "{printed} of 120 compared");
        Ok(())
    }

    /// Wire values with line breaks (found by the fuzz test) still make text that parses: a
    /// newline is left to prettyplease, a lone carriage return stays an attribute.
    #[test]
    fn enum_values_with_line_breaks_print_as_rust_that_parses() {
        for (wire, expect_plain) in [("\n", false), ("a\rb", true), ("x\r\ny", false)] {
            let def = TypeDef {
                name: "Odd".to_owned(),
                doc: Some("Line one\rstill one".to_owned()),
                origin: "#/o".to_owned(),
                kind: TypeKind::Enum(EnumDef {
                    variants: vec![EnumVariant {
                        wire: wire.to_owned(),
                        rust: "Value".to_owned(),
                    }],
                }),
                in_request: false,
            };
            let (text, plain) = type_item(&super::super::empty_model(), &def);
            assert_eq!(plain, expect_plain, "{wire:?}");
            assert!(syn::parse_file(&text).is_ok(), "{wire:?}:\n{text}");
        }
    }
}
