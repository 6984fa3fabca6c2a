//! Rust printed as text for the layout: string literals, doc comments, attributes and type references, spelled as prettyplease prints them.

use super::layout::{INDENT, Layout};
use super::tokens::{Scope, doc_text};
use crate::ir::{IntegerKind, Model, NumberKind, TypeRef};
use std::borrow::Cow;

/// A string literal as proc-macro2 spells one (and prettyplease prints it): `escape_debug`,
/// except that `'` stays bare and a NUL before an octal digit is `\x00`.
pub fn string_literal(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    let mut chars = value.chars();
    while let Some(ch) = chars.next() {
        match ch {
            '\0' if chars.as_str().starts_with(|next: char| next.is_digit(8)) => {
                out.push_str("\\x00");
            }
            '\0' => out.push_str("\\0"),
            '\'' => out.push(ch),
            _ => out.extend(ch.escape_debug()),
        }
    }
    out.push('"');
    out
}

/// Document text as `///` lines (made safe for rustdoc by [`doc_text`]).
pub fn doc_comment(layout: &mut Layout, text: &str) {
    own_doc_comment(layout, &doc_text(text));
}

/// The generator's own text as `///` lines, its intra-doc links kept.
pub fn own_doc_comment(layout: &mut Layout, text: &str) {
    for line in text.lines() {
        doc_comment_line(layout, " ", line);
    }
}

/// One `#[doc]` value (a line, with its leading space) as prettyplease prints it: `///` and
/// the value with trailing spaces cut, or `///` alone for an empty line. A carriage return
/// (a wire value's, say: document prose has none left after [`doc_text`]) is shown as `\r`,
/// since rustc refuses a bare one in a doc comment, and prettyplease turns even a `#[doc]`
/// attribute holding one into such a comment when it re-prints an item.
pub fn doc_line(layout: &mut Layout, value: &str) {
    doc_comment_line(layout, "", value);
}

/// [`doc_line`] for the value `lead` followed by `text`, built in one string (these are most
/// of a crate's lines).
fn doc_comment_line(layout: &mut Layout, lead: &str, text: &str) {
    let text = visible_carriage_returns(text);
    let text = text.trim_end_matches(' ');
    let lead = if text.is_empty() {
        lead.trim_end_matches(' ')
    } else {
        lead
    };
    layout.formatted(format_args!("///{lead}{text}"));
    layout.hardbreak();
}

/// `text` with each carriage return written as `\r`.
pub fn visible_carriage_returns(text: &str) -> Cow<'_, str> {
    if text.contains('\r') {
        Cow::Owned(text.replace('\r', "\\r"))
    } else {
        Cow::Borrowed(text)
    }
}

/// `#[path]` with the break that ends every outer attribute.
pub fn attr_word(layout: &mut Layout, path: &str) {
    layout.formatted(format_args!("#[{path}]"));
    layout.space();
}

/// `#[path(item, item, …)]`: on one line if it fits, else one item a line.
pub fn attr_list<S: AsRef<str>>(layout: &mut Layout, path: &str, items: &[S]) {
    layout.formatted(format_args!("#[{path}("));
    layout.cbox(INDENT);
    layout.zerobreak();
    for (index, item) in items.iter().enumerate() {
        layout.copied(item.as_ref());
        if index + 1 < items.len() {
            layout.word(",");
            layout.space();
        }
    }
    layout.zerobreak();
    layout.offset(-INDENT);
    layout.end();
    layout.word(")]");
    layout.space();
}

/// `pub (struct|enum) Name {`, the members `members` lays out (each ending in `,` and a line
/// break), and the closing brace.
pub fn braced(
    layout: &mut Layout,
    keyword: &str,
    name: &str,
    nonempty: bool,
    members: impl FnOnce(&mut Layout),
) {
    layout.cbox(INDENT);
    layout.formatted(format_args!("pub {keyword} {name} {{"));
    if nonempty {
        layout.hardbreak();
    }
    members(layout);
    layout.close_block();
}

/// The Rust type for an IR type reference, laid out: generic arguments break one a line when
/// the type does not fit.
pub fn type_layout(layout: &mut Layout, model: &Model, ty: &TypeRef, scope: Scope) {
    match ty {
        TypeRef::Named(id) => {
            let name = &model.get(*id).name;
            match scope {
                Scope::Models => layout.copied(name),
                Scope::Outside => layout.formatted(format_args!("crate::models::{name}")),
            }
        }
        TypeRef::String => layout.word("::std::string::String"),
        TypeRef::Integer(IntegerKind::I32) => layout.word("i32"),
        TypeRef::Integer(IntegerKind::I64) => layout.word("i64"),
        TypeRef::Number(NumberKind::F64) => layout.word("f64"),
        TypeRef::Boolean => layout.word("bool"),
        TypeRef::DateTime => generic(layout, "::chrono::DateTime", |layout| {
            layout.word("::chrono::Utc");
            layout.trailing_comma(true);
        }),
        TypeRef::Date => layout.word("::chrono::NaiveDate"),
        TypeRef::Bytes => layout.word("::bytes::Bytes"),
        TypeRef::Any => layout.word("::serde_json::Value"),
        TypeRef::Object => generic(layout, "::serde_json::Map", |layout| {
            layout.word("::std::string::String");
            layout.trailing_comma(false);
            layout.word("::serde_json::Value");
            layout.trailing_comma(true);
        }),
        TypeRef::Vec(inner) => one_argument(layout, model, "::std::vec::Vec", inner, scope),
        TypeRef::Map(inner) => generic(layout, "::std::collections::BTreeMap", |layout| {
            layout.word("::std::string::String");
            layout.trailing_comma(false);
            type_layout(layout, model, inner, scope);
            layout.trailing_comma(true);
        }),
        TypeRef::List(inner) => one_argument(layout, model, "crate::List", inner, scope),
        TypeRef::Option(inner) => {
            one_argument(layout, model, "::std::option::Option", inner, scope);
        }
        TypeRef::Box(inner) => one_argument(layout, model, "::std::boxed::Box", inner, scope),
    }
}

/// The type on one line, as the token emitters and the conformance table spell it.
pub fn type_text(model: &Model, ty: &TypeRef, scope: Scope) -> String {
    super::layout::unbroken_text(|layout| type_layout(layout, model, ty, scope))
}

/// `path<…>`, the arguments in a block that breaks one a line.
pub fn generic(
    layout: &mut Layout,
    path: impl Into<Cow<'static, str>>,
    arguments: impl FnOnce(&mut Layout),
) {
    layout.word(path);
    layout.word("<");
    layout.cbox(INDENT);
    layout.zerobreak();
    arguments(layout);
    layout.offset(-INDENT);
    layout.end();
    layout.word(">");
}

fn one_argument(
    layout: &mut Layout,
    model: &Model,
    path: &'static str,
    inner: &TypeRef,
    scope: Scope,
) {
    generic(layout, path, |layout| {
        type_layout(layout, model, inner, scope);
        layout.trailing_comma(true);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The literal must be the one proc-macro2 makes, since prettyplease prints that.
    #[test]
    fn string_literals_are_escaped_as_proc_macro2_escapes_them() {
        for value in [
            "plain",
            "quote \" and backslash \\",
            "it's",
            "tab\tnew\nline\r",
            "nul\0 and nul\x007",
            "unicode é ✓ \u{200b} \u{7f}",
        ] {
            assert_eq!(
                string_literal(value),
                proc_macro2::Literal::string(value).to_string(),
                "{value:?}"
            );
        }
    }
}
