//! Model emitter: the IR's types in, the text of `models.rs` out (structs, enums with an `Unknown` variant, tagged and untagged unions), printed as prettyplease prints it.
//!
//! Models are most of a generated crate (Stripe's `models.rs` is 6.6 MB of its 8.2), so they
//! are printed straight from the IR rather than built as tokens, re-parsed by syn and printed
//! by prettyplease, which cost ten times the text itself (docs/PERFORMANCE.md). The parts that
//! break over lines go through [`super::layout`] and [`super::syntax`], which break them as
//! prettyplease would; the fixed lines are written as prettyplease prints them. An item with a
//! part the printer does not cover (a doc line holding a line break, a `concat!` doc too long
//! for one line) is marked, and the formatter ([`super::format`]) hands it to prettyplease.
//! The tests compare the printed items with prettyplease's (`super::printed_check`).

use super::format::{Piece, RustFile};
use super::layout::{INDENT, Layout, MARGIN, laid_out};
use super::syntax::{self, Expr, Pat};
use super::text::{
    attr_list, attr_word, braced, doc_comment, doc_line, generic, own_doc_comment, string_literal,
    type_layout, visible_carriage_returns,
};
use super::tokens::Scope;
use crate::compat::{self, Construction};
use crate::ir::*;
use quote::quote;
use std::borrow::Cow;

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
    // The definition (and a struct's constructor) is laid out as one piece; the impl blocks
    // after it are fixed lines around laid-out headers, arms and statements.
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
            int_enum_item(&mut layout, name, e, &mut plain);
            int_enum_impls(&mut impls, name, e);
        }
        TypeKind::Tagged(t) => {
            tagged_item(&mut layout, model, name, t, &mut plain);
            tagged_impls(&mut impls, name, t);
        }
        TypeKind::Untagged(u) => {
            untagged_item(&mut layout, model, name, u, &mut plain);
            untagged_impls(&mut impls, name, u);
        }
        TypeKind::Alias(ty) => {
            layout.cbox(INDENT);
            layout.formatted(format_args!("pub type {name} = "));
            layout.neverbreak();
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
            layout.formatted(format_args!("pub {ADDITIONAL_FIELD}: "));
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

    syntax::inherent_impl_open(layout, &def.name);
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
    syntax::method_open(
        layout,
        "pub fn new",
        &arg_fields,
        |layout, field| {
            layout.formatted(format_args!("{}: ", field.rust));
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
        },
        |layout| layout.word("Self"),
    );
    // `Self { field: value, … }`
    let mut inits: Vec<(&str, Option<Expr<'_>>)> = Vec::new();
    for field in &s.fields {
        let value = match field.presence {
            _ if is_arg(field)
                && field.ty == TypeRef::String
                && field.presence == Presence::Required =>
            {
                Some(Expr::word(field.rust.clone()).method("into", Vec::new()))
            }
            _ if is_arg(field) => None,
            Presence::Required => Some(Expr::word("::std::default::Default::default()")),
            Presence::RequiredNullable | Presence::Optional => {
                Some(Expr::word("::std::option::Option::None"))
            }
            Presence::Patch => Some(Expr::word("crate::Patch::Unset")),
        };
        inits.push((field.rust.as_str(), value));
    }
    if s.additional.is_some() {
        inits.push((
            ADDITIONAL_FIELD,
            Some(Expr::word("::std::collections::BTreeMap::new()")),
        ));
    }
    layout.ibox(0);
    layout.cbox(INDENT);
    layout.word("Self {");
    if !inits.is_empty() {
        layout.space();
    }
    for (index, (member, value)) in inits.iter().enumerate() {
        layout.copied(member);
        if let Some(value) = value {
            layout.word(": ");
            layout.ibox(0);
            syntax::expr(layout, value);
            layout.end();
        }
        layout.trailing_comma_or_space(index + 1 == inits.len());
    }
    layout.offset(-INDENT);
    layout.end_with_max_width(34);
    layout.word("}");
    layout.end();
    layout.hardbreak();
    // The fn's and the impl's closing braces.
    layout.close_block();
    layout.close_block();
}

fn field_item(layout: &mut Layout, model: &Model, field: &Field) {
    let mut doc: Cow<'_, str> = match field.doc.as_deref() {
        Some(doc) if !doc.trim().is_empty() => Cow::Borrowed(doc),
        _ => Cow::Owned(format!("The `{}` member.", field.wire)),
    };
    if field.deprecated {
        doc.to_mut().push_str("\n\nDeprecated by the API.");
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
    let deserialize_with =
        |function: &str| Cow::Owned(format!("deserialize_with = {}", string_literal(function)));
    let mut serde: Vec<Cow<'static, str>> = Vec::new();
    let wrapper = match field.presence {
        Presence::Required => {
            if field.default_when_absent {
                serde.push("default".into());
            }
            if let Some((required, _)) = decoder {
                serde.push(deserialize_with(required));
            }
            None
        }
        Presence::RequiredNullable => {
            serde.push("default".into());
            if let Some((_, optional)) = decoder {
                serde.push(deserialize_with(optional));
            }
            Some("::std::option::Option")
        }
        Presence::Optional => {
            serde.push("default".into());
            serde.push("skip_serializing_if = \"::std::option::Option::is_none\"".into());
            if let Some((_, optional)) = decoder {
                serde.push(deserialize_with(optional));
            }
            Some("::std::option::Option")
        }
        Presence::Patch => {
            serde.push("default".into());
            serde.push("skip_serializing_if = \"crate::Patch::is_unset\"".into());
            Some("crate::Patch")
        }
    };
    if holds_binary(&field.ty) {
        serde.push("serialize_with = \"crate::wire::binary\"".into());
    }
    if !serde.is_empty() {
        attr_list(layout, "serde", &serde);
    }
    layout.formatted(format_args!("pub {}: ", field.rust));
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
        let text = visible_carriage_returns(text);
        layout.formatted(format_args!("#[doc = {}]", string_literal(&text)));
        layout.space();
    } else {
        doc_line(layout, text);
    }
}

/// `Name(Type),`, the type laid out as a tuple field.
fn tuple_variant(layout: &mut Layout, variant: &str, ty: impl FnOnce(&mut Layout)) {
    layout.copied(variant);
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
    tuple_variant(layout, "Unknown", |layout| layout.copied(value));
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

/// An enum of unit variants (each after its doc line) and an `Unknown` variant holding
/// `unknown_value`, the shape string and integer enums share.
fn value_enum<'v>(
    layout: &mut Layout,
    name: &str,
    derives: &[&str],
    variants: impl Iterator<Item = (String, &'v str)>,
    unknown_doc: &str,
    unknown_value: &str,
    plain: &mut bool,
) {
    attr_list(layout, "derive", derives);
    attr_word(layout, "non_exhaustive");
    braced(layout, "enum", name, true, |layout| {
        for (doc, rust) in variants {
            variant_doc(layout, &doc, plain);
            layout.formatted(format_args!("{rust},"));
            layout.hardbreak();
        }
        unknown_variant(layout, unknown_doc, unknown_value);
    });
}

fn enum_item(layout: &mut Layout, name: &str, e: &EnumDef, plain: &mut bool) {
    let variants = e.variants.iter().map(|variant| {
        let doc = format!(" `{}`", variant.wire.replace('`', "'"));
        (doc, variant.rust.as_str())
    });
    value_enum(
        layout,
        name,
        &ENUM_DERIVES,
        variants,
        "A value this version of the client has no variant for, kept as sent so decoding\n\
         never fails on it. Read it with `as_str()`, but do not test for a particular\n\
         value: a later version may give it a variant of its own, and such a test would\n\
         silently stop matching.",
        "crate::UnknownValue",
        plain,
    );
}

fn enum_impls(out: &mut String, name: &str, e: &EnumDef) {
    impl_line(out, "", "", name);
    fixed(
        out,
        "    /// The value as it appears on the wire.
    pub fn as_str(&self) -> &str {
        match self {
",
    );
    for variant in &e.variants {
        arm(
            out,
            &Pat::Word(format!("Self::{}", variant.rust)),
            &Expr::word(string_literal(&variant.wire)),
        );
    }
    fixed(
        out,
        "            Self::Unknown(value) => value.as_str(),
        }
    }
    fn from_wire(value: &str) -> Self {
        match value {
",
    );
    for variant in &e.variants {
        arm(
            out,
            &Pat::Word(string_literal(&variant.wire)),
            &Expr::word(format!("Self::{}", variant.rust)),
        );
    }
    fixed(
        out,
        "            other => Self::Unknown(crate::UnknownValue::new(other.to_owned())),
        }
    }
}
",
    );
    impl_line(out, "", "::std::fmt::Display", name);
    fixed(
        out,
        "    fn fmt(&self, formatter: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        formatter.write_str(self.as_str())
    }
}
",
    );
    impl_line(out, "", "::std::str::FromStr", name);
    fixed(
        out,
        "    type Err = ::std::convert::Infallible;
    fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
        ::std::result::Result::Ok(Self::from_wire(value))
    }
}
",
    );
    serialize_head(out, name);
    fixed(
        out,
        "        serializer.serialize_str(self.as_str())
    }
}
",
    );
    deserialize_head(out, name);
    fixed(
        out,
        "        crate::wire::deserialize_enum_str(deserializer, Self::from_wire)
    }
}
",
    );
}

/// Lines that are the same for every type, written as prettyplease prints them.
fn fixed(out: &mut String, text: &str) {
    out.push_str(text);
}

/// One match arm, at the indentation of a match in a method.
fn arm(out: &mut String, pattern: &Pat<'_>, body: &Expr<'_>) {
    laid_out(out, 12, |layout| {
        syntax::arm(layout, pattern, body);
        layout.hardbreak();
    });
}

/// `impl<generics> Trait for Name {` (or `impl Name {` without a trait), broken as
/// prettyplease breaks it when the name is long.
fn impl_line(out: &mut String, generics: &str, trait_path: &'static str, name: &str) {
    syntax::impl_line(out, generics, trait_path, |layout| {
        layout.copied(name);
    });
}

/// `impl Serialize for Name` up to the body of `serialize`.
fn serialize_head(out: &mut String, name: &str) {
    impl_line(out, "", "::serde::Serialize", name);
    fixed(
        out,
        "    fn serialize<S: ::serde::Serializer>(
        &self,
        serializer: S,
    ) -> ::std::result::Result<S::Ok, S::Error> {
",
    );
}

/// `impl Deserialize for Name` up to the body of `deserialize`.
fn deserialize_head(out: &mut String, name: &str) {
    impl_line(out, "'de", "::serde::Deserialize<'de>", name);
    fixed(
        out,
        "    fn deserialize<D: ::serde::Deserializer<'de>>(
        deserializer: D,
    ) -> ::std::result::Result<Self, D::Error> {
",
    );
}

fn int_enum_item(layout: &mut Layout, name: &str, e: &IntEnumDef, plain: &mut bool) {
    let mut derives = ENUM_DERIVES.to_vec();
    derives.insert(2, "Copy");
    let variants = e
        .variants
        .iter()
        .map(|(value, rust)| (format!(" `{value}`"), rust.as_str()));
    value_enum(
        layout,
        name,
        &derives,
        variants,
        "A value this version of the client has no variant for, kept as sent. Read it\n\
         with `value()`, but do not test for a particular number: a later version may\n\
         give it a variant of its own.",
        "crate::UnknownValue<i64>",
        plain,
    );
}

fn int_enum_impls(out: &mut String, name: &str, e: &IntEnumDef) {
    impl_line(out, "", "", name);
    fixed(
        out,
        "    /// The value as it appears on the wire.
    pub fn value(self) -> i64 {
        match self {
",
    );
    for (value, rust) in &e.variants {
        arm(
            out,
            &Pat::Word(format!("Self::{rust}")),
            &Expr::word(int_literal(*value)),
        );
    }
    fixed(
        out,
        "            Self::Unknown(value) => value.value(),
        }
    }
    /// The variant for a wire value (`Unknown` when it is not one of the listed values).
    pub fn from_value(value: i64) -> Self {
        match value {
",
    );
    for (value, rust) in &e.variants {
        arm(
            out,
            &Pat::Word(int_literal(*value)),
            &Expr::word(format!("Self::{rust}")),
        );
    }
    fixed(
        out,
        "            other => Self::Unknown(crate::UnknownValue::new(other)),
        }
    }
}
",
    );
    impl_line(out, "", "::std::fmt::Display", name);
    fixed(
        out,
        "    fn fmt(&self, formatter: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        ::std::fmt::Display::fmt(&self.value(), formatter)
    }
}
",
    );
    serialize_head(out, name);
    fixed(
        out,
        "        serializer.serialize_i64(self.value())
    }
}
",
    );
    deserialize_head(out, name);
    fixed(
        out,
        "        crate::lenient::number::<D, i64>(deserializer).map(Self::from_value)
    }
}
",
    );
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
    if INDENT as usize + concat.len() + 2 > MARGIN || t.tag.contains(['\n', '\r']) {
        *plain = false;
    }
    layout.formatted(format_args!("#[doc = concat!(\n    {concat}\n)]"));
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

/// What makes a variant of a decoded value: the variant itself, or a closure that boxes the
/// value first.
fn build_variant<'a>(ty: &TypeRef, variant: &'a str) -> Expr<'a> {
    if matches!(ty, TypeRef::Box(_)) {
        Expr::closure(
            "value",
            Expr::call(
                variant,
                vec![Expr::call(
                    "::std::boxed::Box::new",
                    vec![Expr::word("value")],
                )],
            ),
        )
    } else {
        Expr::word(variant.to_owned())
    }
}

/// `Self::Variant(value) => ::serde::Serialize::serialize(value, serializer),`
fn serialize_arm(out: &mut String, variant: &str, function: &str) {
    arm(
        out,
        &Pat::TupleStruct(variant, vec![Pat::Word("value".to_owned())]),
        &Expr::call(
            function,
            vec![Expr::word("value"), Expr::word("serializer")],
        ),
    );
}

fn tagged_impls(out: &mut String, name: &str, t: &TaggedDef) {
    let variants: Vec<String> = t
        .variants
        .iter()
        .map(|variant| format!("Self::{}", variant.rust))
        .collect();
    serialize_head(out, name);
    fixed(out, "        match self {\n");
    for variant in variants.iter().map(String::as_str).chain(["Self::Unknown"]) {
        serialize_arm(out, variant, "::serde::Serialize::serialize");
    }
    fixed(out, "        }\n    }\n}\n");
    deserialize_head(out, name);
    laid_out(out, 8, |layout| {
        syntax::let_statement(
            layout,
            "object",
            &Expr::Try(Box::new(Expr::call(
                "crate::tagged::TaggedObject::deserialize",
                vec![
                    Expr::word("deserializer"),
                    Expr::word(string_literal(&t.tag)),
                ],
            ))),
        );
    });
    fixed(out, "        match object.tag() {\n");
    let union_name = string_literal(name);
    for (variant, rust) in t.variants.iter().zip(&variants) {
        let tags = variant.tags.iter().map(|tag| string_literal(tag)).collect();
        let decode = Expr::word("object")
            .method("decode", vec![Expr::word(union_name.clone())])
            .method("map", vec![build_variant(&variant.ty, rust)]);
        arm(
            out,
            &Pat::TupleStruct("::std::option::Option::Some", vec![Pat::LiteralOr(tags)]),
            &decode,
        );
    }
    let unknown = Expr::word("object")
        .method("into_value", Vec::new())
        .method(
            "map",
            vec![Expr::closure(
                "value",
                Expr::call(
                    "Self::Unknown",
                    vec![Expr::call(
                        "crate::UnknownValue::new",
                        vec![Expr::word("value")],
                    )],
                ),
            )],
        );
    arm(out, &Pat::Word("_".to_owned()), &unknown);
    fixed(out, "        }\n    }\n}\n");
}

fn untagged_item(
    layout: &mut Layout,
    model: &Model,
    name: &str,
    u: &UntaggedDef,
    plain: &mut bool,
) {
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
            let doc = format!(
                "#[doc = concat!(\"A `\", {}, \"` value.\")]",
                string_literal(&variant.rust)
            );
            // prettyplease breaks the `concat!` of a long variant name; that is left to it.
            if INDENT as usize + doc.len() + 2 > MARGIN {
                *plain = false;
            }
            layout.word(doc);
            layout.space();
            tuple_variant(layout, &variant.rust, |layout| {
                type_layout(layout, model, &variant.ty, Scope::Models);
            });
        }
    });
}

fn untagged_impls(out: &mut String, name: &str, u: &UntaggedDef) {
    let variants: Vec<String> = u
        .variants
        .iter()
        .map(|variant| format!("Self::{}", variant.rust))
        .collect();
    serialize_head(out, name);
    fixed(out, "        match self {\n");
    for (variant, rust) in u.variants.iter().zip(&variants) {
        let function = if holds_binary(&variant.ty) {
            "crate::wire::binary"
        } else {
            "::serde::Serialize::serialize"
        };
        serialize_arm(out, rust, function);
    }
    fixed(out, "        }\n    }\n}\n");
    deserialize_head(out, name);
    fixed(
        out,
        "        let buffered = crate::wire::Buffered::deserialize(deserializer)?;
        let mut fit = crate::wire::BestFit::new();
",
    );
    let chosen = Pat::TupleStruct(
        "::std::option::Option::Some",
        vec![Pat::Word("chosen".to_owned())],
    );
    let ok = Expr::call("::std::result::Result::Ok", vec![Expr::word("chosen")]);
    for (variant, rust) in u.variants.iter().zip(&variants) {
        let decoded = Expr::word("buffered")
            .method("decode", Vec::new())
            .method("map", vec![build_variant(&variant.ty, rust)]);
        let offer = Expr::word("fit").method(
            "offer",
            vec![Expr::word(string_literal(&variant.rust)), decoded],
        );
        laid_out(out, 8, |layout| {
            syntax::if_let_return(layout, &chosen, &offer, &ok)
        });
    }
    let finish = Expr::word("fit").method("finish", vec![Expr::word(string_literal(name))]);
    laid_out(out, 8, |layout| {
        syntax::expression_statement(layout, &finish, false);
    });
    fixed(out, "    }\n}\n");
}

#[cfg(test)]
mod tests {
    use super::super::printed_check::{check, named_type_of_length, sample_models};
    use super::*;

    /// Every type printed without prettyplease (marked plain) is exactly what prettyplease
    /// prints for it, on PayPro, the construct
    /// specs and the corpus documents up to 1.5 MB. So the printer, not prettyplease, can
    /// write them, and `models.rs` is the same text either way.
    #[test]
    fn printed_types_are_what_prettyplease_prints() -> Result<(), String> {
        let (mut printed, mut left_to_prettyplease) = (0, 0);
        for (name, model) in sample_models()? {
            for def in &model.types {
                let (text, plain) = type_item(&model, def);
                if !plain {
                    left_to_prettyplease += 1;
                    continue;
                }
                check(&text, || type_item(&model, def).0)
                    .map_err(|e| format!("{name}: {}: {e}", def.name))?;
                printed += 1;
            }
        }
        // The corpus alone holds thousands of types: it was read, and all but a few (a doc
        // line with a line break in it) are printed here.
        eprintln!("{printed} types printed, {left_to_prettyplease} left to prettyplease");
        assert!(
            printed > 2000 && printed > 100 * left_to_prettyplease,
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
            let named = named_type_of_length(&mut model, length);
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
                            rust: format!("V{index}{}", "q".repeat(length)),
                            ty: ty.clone(),
                        })
                        .collect(),
                }),
                TypeKind::Tagged(TaggedDef {
                    tag: "kind".to_owned(),
                    variants: vec![
                        TaggedVariant {
                            tags: vec!["a".to_owned(), "b".repeat(length)],
                            rust: format!("A{}", "r".repeat(length)),
                            ty: TypeRef::Box(Box::new(named.clone())),
                        },
                        TaggedVariant {
                            tags: vec!["c".repeat(length)],
                            rust: format!("C{}", "s".repeat(length)),
                            ty: named.clone(),
                        },
                    ],
                }),
                TypeKind::Enum(EnumDef {
                    variants: vec![EnumVariant {
                        wire: "w".repeat(length * 2),
                        rust: format!("W{}", "t".repeat(length)),
                    }],
                }),
                TypeKind::IntEnum(IntEnumDef {
                    variants: vec![(-(length as i64), format!("I{}", "u".repeat(length)))],
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
                let (text, plain) = type_item(&model, &def);
                if !plain {
                    continue;
                }
                check(&text, || type_item(&model, &def).0)?;
                printed += 1;
            }
        }
        // The untagged unions with the longest variant names have a `concat!` doc left to
        // prettyplease.
        assert!(printed >= 30 * 5, "{printed} of 180 compared");
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
