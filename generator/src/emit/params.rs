//! Parameter emitter: an operation's [`Param`]s in, the method arguments, the calls that put each parameter on the request (through the runtime's `param_style`), and the params struct of its optional parameters out.
//!
//! How a value is written (style, explode, encoding) is the runtime's job; this only says which
//! parameter goes where with which [`ParamEncoding`].

use super::layout::{Layout, unbroken_text};
use super::syntax::{self, Expr};
use super::text::{
    attr_list, attr_word, braced, doc_comment, generic, own_doc_comment, string_literal,
    type_layout,
};
use super::tokens::{Scope, lexed};
use crate::ir::*;
use crate::naming;
use proc_macro2::TokenStream;
use quote::quote;

/// The positional arguments: path parameters, then required query, header and cookie ones.
pub(super) fn positional(operation: &Operation) -> impl Iterator<Item = &Param> {
    operation
        .path_params
        .iter()
        .chain(&operation.required_params)
}

/// `name: Type` for a positional argument: text as `&str`, scalars by value, the rest borrowed.
pub(super) fn argument_layout(layout: &mut Layout, model: &Model, param: &Param) {
    layout.formatted(format_args!("{}: ", param.rust));
    argument_type(layout, model, &param.ty);
}

/// [`argument_layout`] as tokens.
pub(super) fn argument(model: &Model, param: &Param) -> TokenStream {
    lexed(&unbroken_text(|layout| {
        argument_layout(layout, model, param)
    }))
}

/// The bare argument name, for forwarding from the plain method to its `_with` twin.
pub(super) fn argument_name(param: &Param) -> TokenStream {
    let ident = naming::ident(&param.rust);
    quote!(#ident)
}

fn argument_type(layout: &mut Layout, model: &Model, ty: &TypeRef) {
    match ty {
        TypeRef::String => layout.word("&str"),
        TypeRef::Option(inner) => generic(layout, "::std::option::Option", |layout| {
            argument_type(layout, model, inner);
            layout.trailing_comma(true);
        }),
        TypeRef::Vec(inner) => {
            layout.word("&[");
            type_layout(layout, model, inner, Scope::Outside);
            layout.word("]");
        }
        other if by_value(model, other) => type_layout(layout, model, other, Scope::Outside),
        other => {
            layout.word("&");
            type_layout(layout, model, other, Scope::Outside);
        }
    }
}

/// Scalars and enums are taken by value (`Shade::Dark`), everything else borrowed.
fn by_value(model: &Model, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Integer(_)
        | TypeRef::Number(_)
        | TypeRef::Boolean
        | TypeRef::Date
        | TypeRef::DateTime
        | TypeRef::Option(_) => true,
        TypeRef::Named(id) => matches!(
            model.get(*id).kind,
            TypeKind::Enum(_) | TypeKind::IntEnum(_)
        ),
        _ => false,
    }
}

/// For each positional parameter, what `request` becomes once it is put on it
/// (`request.path_param("id", id, …)`).
pub(super) fn positional_puts<'a>(model: &Model, operation: &'a Operation) -> Vec<Expr<'a>> {
    positional(operation)
        .map(|param| {
            let name = Expr::word(param.rust.clone());
            let value = if by_value(model, &param.ty) {
                Expr::Ref(Box::new(name))
            } else {
                name
            };
            put(param, value)
        })
        .collect()
}

/// The statements that put every positional parameter on `request`.
pub(super) fn positional_statements(model: &Model, operation: &Operation) -> Vec<TokenStream> {
    positional_puts(model, operation)
        .iter()
        .map(let_request)
        .collect()
}

/// `let request = <put>;` as tokens.
fn let_request(put: &Expr<'_>) -> TokenStream {
    let call = lexed(&syntax::expr_text(put));
    quote! { let request = #call; }
}

/// For each optional parameter, what `request` becomes once it is put on it (one that is
/// `None` is serialized as `null`, which the runtime leaves out); `without_cursor` leaves a
/// paged operation's cursor to the paginator.
pub(super) fn optional_puts(operation: &Operation, without_cursor: bool) -> Vec<Expr<'_>> {
    let Some(optional) = &operation.optional_params else {
        return Vec::new();
    };
    optional
        .params
        .iter()
        .filter(|param| !(without_cursor && optional.paged && is_cursor(param)))
        .map(|param| {
            let value = Expr::Ref(Box::new(Expr::word("params").field(&param.rust)));
            put(param, value)
        })
        .collect()
}

/// [`optional_puts`] as `let request = …;` statements.
pub(super) fn optional_statements(operation: &Operation, without_cursor: bool) -> Vec<TokenStream> {
    optional_puts(operation, without_cursor)
        .iter()
        .map(let_request)
        .collect()
}

/// The paginator's starting cursor: the params' `cursor` when the operation is paged.
pub(super) fn start_cursor(operation: &Operation) -> Expr<'_> {
    let cursor = operation
        .optional_params
        .as_ref()
        .filter(|optional| optional.paged)
        .and_then(|optional| optional.params.iter().find(|p| is_cursor(p)));
    match cursor {
        Some(param) => Expr::word("params").field(&param.rust),
        None => Expr::word("::std::option::Option::None"),
    }
}

fn is_cursor(param: &Param) -> bool {
    param.location == ParamLocation::Query && param.wire == "cursor"
}

/// `request.query_param("name", value, Format { … })`, by location.
fn put<'a>(param: &Param, value: Expr<'a>) -> Expr<'a> {
    let method = match param.location {
        ParamLocation::Path => "path_param",
        ParamLocation::Query => "query_param",
        ParamLocation::Header => "header_param",
        ParamLocation::Cookie => "cookie_param",
    };
    let arguments = vec![
        Expr::word(string_literal(&param.wire)),
        value,
        format_expr(&param.encoding),
    ];
    Expr::word("request").method(method, arguments)
}

/// The runtime's `Format` for an encoding, spelled as briefly as the defaults allow.
fn format_expr(encoding: &ParamEncoding) -> Expr<'static> {
    const NEW: &str = "crate::param_style::Format::new";
    let (style, explode, allow_reserved) = match encoding {
        ParamEncoding::Style {
            style,
            explode,
            allow_reserved,
        } => (*style, *explode, *allow_reserved),
        ParamEncoding::Json { .. } => {
            let json = Expr::word("crate::param_style::Style::Json");
            return Expr::call(NEW, vec![json, Expr::word("false")]);
        }
    };
    let base = match (style, explode) {
        (ParamStyle::Simple, false) => Expr::word("crate::param_style::Format::SIMPLE"),
        (ParamStyle::Form, true) => Expr::word("crate::param_style::Format::FORM"),
        (style, explode) => {
            let style = match style {
                ParamStyle::Simple => "Simple",
                ParamStyle::Label => "Label",
                ParamStyle::Matrix => "Matrix",
                ParamStyle::Form => "Form",
                ParamStyle::SpaceDelimited => "SpaceDelimited",
                ParamStyle::PipeDelimited => "PipeDelimited",
                ParamStyle::DeepObject => "DeepObject",
            };
            let style = Expr::word(format!("crate::param_style::Style::{style}"));
            Expr::call(NEW, vec![style, Expr::word(explode.to_string())])
        }
    };
    if allow_reserved {
        base.method("allowing_reserved", Vec::new())
    } else {
        base
    }
}

/// The params struct of an operation's optional parameters, with `Default`, a setter per
/// field, and `#[non_exhaustive]` so a parameter added later is not a breaking change.
pub(super) fn params_struct(model: &Model, group: &Group, operation: &Operation) -> Option<String> {
    let optional = operation.optional_params.as_ref()?;
    let name = optional.type_name.as_str();
    let mut layout = Layout::new(0);
    layout.cbox(0);
    own_doc_comment(
        &mut layout,
        &format!(
            "Optional parameters of [`{}::{}`] (`{} {}`, operation `{}`).\n\n\
             Start from `default()` (nothing set, nothing sent) and chain the setters; a parameter \
             the API adds later becomes a new setter.",
            group.type_name,
            optional.method_name,
            operation.method.to_uppercase(),
            operation.path,
            operation.operation_id,
        ),
    );
    attr_list(
        &mut layout,
        "derive",
        &["Debug", "Clone", "PartialEq", "Default"],
    );
    attr_word(&mut layout, "non_exhaustive");
    let params = &optional.params;
    braced(&mut layout, "struct", name, !params.is_empty(), |layout| {
        for param in params {
            doc_comment(layout, &param_doc(param));
            layout.formatted(format_args!("pub {}: ", param.rust));
            generic(layout, "::std::option::Option", |layout| {
                type_layout(layout, model, &param.ty, Scope::Outside);
                layout.trailing_comma(true);
            });
            layout.word(",");
            layout.hardbreak();
        }
    });
    if params.is_empty() {
        layout.formatted(format_args!("impl {name} {{}}"));
        layout.hardbreak();
    } else {
        syntax::inherent_impl_open(&mut layout, name);
        for param in params {
            setter(&mut layout, model, param);
        }
        layout.close_block();
    }
    layout.end();
    let mut text = String::new();
    layout.finish(&mut text);
    Some(text)
}

/// `pub fn name(mut self, value: impl Into<T>) -> Self`, setting the parameter.
fn setter(layout: &mut Layout, model: &Model, param: &Param) {
    doc_comment(layout, &format!("Sets `{}`.", param.wire));
    let receiver_then_value = [true, false];
    syntax::method_open(
        layout,
        &format!("pub fn {}", param.rust),
        &receiver_then_value,
        |layout, receiver| {
            if *receiver {
                layout.word("mut self");
            } else {
                layout.word("value: ");
                generic(layout, "impl ::std::convert::Into", |layout| {
                    type_layout(layout, model, &param.ty, Scope::Outside);
                    layout.trailing_comma(true);
                });
            }
        },
        |layout| layout.word("Self"),
    );
    let value = Expr::call(
        "::std::option::Option::Some",
        vec![Expr::word("value").method("into", Vec::new())],
    );
    let place = Expr::word("self").field(&param.rust);
    syntax::expression_statement(
        layout,
        &Expr::Assign(Box::new(place), Box::new(value)),
        true,
    );
    syntax::expression_statement(layout, &Expr::word("self"), false);
    layout.close_block();
}

/// A parameter's doc: the document's description, else where and how it is sent.
fn param_doc(param: &Param) -> String {
    let location = match param.location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    };
    match param.doc.as_deref().filter(|d| !d.trim().is_empty()) {
        Some(text) => text.to_owned(),
        None => format!("The `{}` {location} parameter.", param.wire),
    }
}

#[cfg(test)]
mod tests {
    use super::super::printed_check::{check, group_of, named_type_of_length, sample_models};
    use super::*;

    /// Every params struct of PayPro, the construct specs and the corpus documents up to
    /// 1.5 MB is what prettyplease prints for it, and breaking its lines changes no code.
    #[test]
    fn printed_params_structs_are_what_prettyplease_prints() -> Result<(), String> {
        let mut printed = 0;
        for (name, model) in sample_models()? {
            for group in &model.groups {
                for operation in &group.operations {
                    let print = || params_struct(&model, group, operation).unwrap_or_default();
                    let text = print();
                    if text.is_empty() {
                        continue;
                    }
                    check(&text, print)
                        .map_err(|e| format!("{name}: {}: {e}", operation.operation_id))?;
                    printed += 1;
                }
            }
        }
        assert!(printed > 200, "only {printed} params structs compared");
        Ok(())
    }

    /// Parameter names and types from short to past the margin, as fields and as setters.
    #[test]
    fn params_structs_break_where_prettyplease_does_at_every_length() -> Result<(), String> {
        let mut model = super::super::empty_model();
        for length in (1..=90).step_by(3) {
            let named = named_type_of_length(&mut model, length);
            let types = [
                named.clone(),
                TypeRef::Vec(Box::new(named.clone())),
                TypeRef::Map(Box::new(TypeRef::Vec(Box::new(named)))),
                TypeRef::String,
            ];
            let params = types
                .iter()
                .enumerate()
                .map(|(index, ty)| Param {
                    location: ParamLocation::Query,
                    wire: format!("w{index}"),
                    rust: format!("p{index}_{}", "y".repeat(length % 45)),
                    ty: ty.clone(),
                    doc: None,
                    required: false,
                    encoding: ParamEncoding::Json {
                        media_type: "application/json".to_owned(),
                    },
                })
                .collect();
            let operation = Operation {
                operation_id: "listThings".to_owned(),
                method: "get".to_owned(),
                path: "/things".to_owned(),
                summary: None,
                description: None,
                deprecated: false,
                rust_name: "list".to_owned(),
                path_params: Vec::new(),
                required_params: Vec::new(),
                optional_params: Some(ParamsStruct {
                    type_name: format!("P{}", "z".repeat(length)),
                    method_name: "list_with".to_owned(),
                    params,
                    paged: false,
                }),
                body: None,
                response: Response::Empty,
            };
            let group = group_of("T".to_owned(), Vec::new());
            let print = || params_struct(&model, &group, &operation).unwrap_or_default();
            check(&print(), print).map_err(|e| format!("length {length}: {e}"))?;
        }
        Ok(())
    }
}
