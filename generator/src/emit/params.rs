//! Parameter emitter: an operation's [`Param`]s in, the method arguments, the calls that put each parameter on the request (through the runtime's `param_style`), and the params struct of its optional parameters out.
//!
//! How a value is written (style, explode, encoding) is the runtime's job; this only says which
//! parameter goes where with which [`ParamEncoding`].

use super::tokens::{Scope, doc_attrs, own_doc_attrs, type_tokens};
use crate::ir::*;
use crate::naming;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The positional arguments: path parameters, then required query, header and cookie ones.
pub(super) fn positional(operation: &Operation) -> impl Iterator<Item = &Param> {
    operation
        .path_params
        .iter()
        .chain(&operation.required_params)
}

/// `name: Type` for a positional argument: text as `&str`, scalars by value, the rest borrowed.
pub(super) fn argument(model: &Model, param: &Param) -> TokenStream {
    let ident = naming::ident(&param.rust);
    let ty = argument_type(model, &param.ty);
    quote!(#ident: #ty)
}

/// The bare argument name, for forwarding from the plain method to its `_with` twin.
pub(super) fn argument_name(param: &Param) -> TokenStream {
    let ident = naming::ident(&param.rust);
    quote!(#ident)
}

fn argument_type(model: &Model, ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(&str),
        TypeRef::Option(inner) => {
            let inner = argument_type(model, inner);
            quote!(::std::option::Option<#inner>)
        }
        TypeRef::Vec(inner) => {
            let inner = type_tokens(model, inner, Scope::Outside);
            quote!(&[#inner])
        }
        other if by_value(model, other) => type_tokens(model, other, Scope::Outside),
        other => {
            let ty = type_tokens(model, other, Scope::Outside);
            quote!(&#ty)
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

/// The statements that put every positional parameter on `request`.
pub(super) fn positional_statements(model: &Model, operation: &Operation) -> Vec<TokenStream> {
    positional(operation)
        .map(|param| {
            let ident = naming::ident(&param.rust);
            let value = if by_value(model, &param.ty) {
                quote!(&#ident)
            } else {
                quote!(#ident)
            };
            let call = put(param, value);
            quote! { let request = #call; }
        })
        .collect()
}

/// The statements that put each optional parameter on `request` (one that is `None` is
/// serialized as `null`, which the runtime leaves out); `without_cursor` leaves a paged
/// operation's cursor to the paginator.
pub(super) fn optional_statements(operation: &Operation, without_cursor: bool) -> Vec<TokenStream> {
    let Some(optional) = &operation.optional_params else {
        return Vec::new();
    };
    optional
        .params
        .iter()
        .filter(|param| !(without_cursor && optional.paged && is_cursor(param)))
        .map(|param| {
            let ident = naming::ident(&param.rust);
            let call = put(param, quote!(&params.#ident));
            quote! { let request = #call; }
        })
        .collect()
}

/// The paginator's starting cursor: the params' `cursor` when the operation is paged.
pub(super) fn start_cursor(operation: &Operation) -> TokenStream {
    let cursor = operation
        .optional_params
        .as_ref()
        .filter(|optional| optional.paged)
        .and_then(|optional| optional.params.iter().find(|p| is_cursor(p)));
    match cursor {
        Some(param) => {
            let ident = naming::ident(&param.rust);
            quote!(params.#ident)
        }
        None => quote!(::std::option::Option::None),
    }
}

fn is_cursor(param: &Param) -> bool {
    param.location == ParamLocation::Query && param.wire == "cursor"
}

/// `request.query_param("name", value, Format { … })`, by location.
fn put(param: &Param, value: TokenStream) -> TokenStream {
    let wire = &param.wire;
    let format = format_tokens(&param.encoding);
    let method = match param.location {
        ParamLocation::Path => quote!(path_param),
        ParamLocation::Query => quote!(query_param),
        ParamLocation::Header => quote!(header_param),
        ParamLocation::Cookie => quote!(cookie_param),
    };
    quote!(request.#method(#wire, #value, #format))
}

/// The runtime's `Format` for an encoding, spelled as briefly as the defaults allow.
fn format_tokens(encoding: &ParamEncoding) -> TokenStream {
    let (style, explode, allow_reserved) = match encoding {
        ParamEncoding::Style {
            style,
            explode,
            allow_reserved,
        } => (*style, *explode, *allow_reserved),
        ParamEncoding::Json { .. } => {
            return quote!(crate::param_style::Format::new(
                crate::param_style::Style::Json,
                false
            ));
        }
    };
    let base = match (style, explode) {
        (ParamStyle::Simple, false) => quote!(crate::param_style::Format::SIMPLE),
        (ParamStyle::Form, true) => quote!(crate::param_style::Format::FORM),
        (style, explode) => {
            let style = format_ident!(
                "{}",
                match style {
                    ParamStyle::Simple => "Simple",
                    ParamStyle::Label => "Label",
                    ParamStyle::Matrix => "Matrix",
                    ParamStyle::Form => "Form",
                    ParamStyle::SpaceDelimited => "SpaceDelimited",
                    ParamStyle::PipeDelimited => "PipeDelimited",
                    ParamStyle::DeepObject => "DeepObject",
                }
            );
            quote!(crate::param_style::Format::new(crate::param_style::Style::#style, #explode))
        }
    };
    if allow_reserved {
        quote!(#base.allowing_reserved())
    } else {
        base
    }
}

/// The params struct of an operation's optional parameters, with `Default`, a setter per
/// field, and `#[non_exhaustive]` so a parameter added later is not a breaking change.
pub(super) fn params_struct(
    model: &Model,
    group: &Group,
    operation: &Operation,
) -> Option<TokenStream> {
    let optional = operation.optional_params.as_ref()?;
    let name = format_ident!("{}", optional.type_name);
    let doc = own_doc_attrs(&format!(
        "Optional parameters of [`{}::{}`] (`{} {}`, operation `{}`).\n\n\
         Start from `default()` (nothing set, nothing sent) and chain the setters; a parameter \
         the API adds later becomes a new setter.",
        group.type_name,
        optional.method_name,
        operation.method.to_uppercase(),
        operation.path,
        operation.operation_id,
    ));
    let fields = optional.params.iter().map(|p| {
        let ident = naming::ident(&p.rust);
        let ty = type_tokens(model, &p.ty, Scope::Outside);
        let doc = doc_attrs(&param_doc(p));
        quote! { #doc pub #ident: ::std::option::Option<#ty>, }
    });
    let setters = optional.params.iter().map(|p| {
        let ident = naming::ident(&p.rust);
        let ty = type_tokens(model, &p.ty, Scope::Outside);
        let doc = doc_attrs(&format!("Sets `{}`.", p.wire));
        quote! {
            #doc
            pub fn #ident(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
                self.#ident = ::std::option::Option::Some(value.into());
                self
            }
        }
    });
    Some(quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Default)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            #(#setters)*
        }
    })
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
