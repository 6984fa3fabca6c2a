//! Resource emitter: the IR's operation groups in, the pieces of `resources.rs` out (one struct per tag, one async method per operation, one accessor per group on `Client`): methods and parameter structs printed as text ([`super::methods`], [`super::params`]), the rest as tokens.

use super::format::{Piece, RustFile};
use super::params;
use super::syntax;
use super::tokens::{Scope, doc_attrs, lexed, own_doc_attrs, type_tokens};
use crate::ir::*;
use crate::naming;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// `resources.rs` as its head (inner doc) and its pieces (see [`group_units`]), built only when
/// the formatter gets to them.
pub fn resources_file<'a>(units: &'a [GroupUnit<'a>]) -> RustFile<'a, GroupUnit<'a>> {
    let head = quote! {
        //! One handle per API tag, each with a method per operation; get them from [`crate::Client`].
    };
    RustFile {
        head,
        items: units,
        build: group_piece,
    }
}

/// One piece of a group's code, in the order it is printed.
pub struct GroupUnit<'a> {
    pub group: &'a Group,
    pub part: GroupPart,
}

pub enum GroupPart {
    /// The handle struct and its accessor.
    Handle,
    /// Operation `n`'s methods, as members of the handle's `impl` block.
    Methods(usize),
    /// Operation `n`'s parameter struct, if it has one.
    Params(usize),
    /// Operation `n`'s response enum, if it has one.
    Responses(usize),
}

/// Every group's pieces: handle, methods one operation at a time, then parameter structs and
/// response enums. `mocks.rs` uses the handle and methods only.
pub fn group_units(model: &Model) -> Vec<GroupUnit<'_>> {
    let mut units = Vec::new();
    for group in &model.groups {
        let count = group.operations.len();
        let parts = std::iter::once(GroupPart::Handle)
            .chain((0..count).map(GroupPart::Methods))
            .chain((0..count).map(GroupPart::Params))
            .chain((0..count).map(GroupPart::Responses));
        units.extend(parts.map(|part| GroupUnit { group, part }));
    }
    units
}

fn group_piece(model: &Model, unit: &GroupUnit<'_>) -> Piece {
    let group = unit.group;
    let operations = &group.operations;
    match unit.part {
        GroupPart::Handle => Piece::whole(handle_item(group)),
        GroupPart::Methods(index) => match super::methods::printed_methods(model, group, index) {
            Some(text) => Piece::Printed { text, plain: true },
            None => {
                let name = format_ident!("{}", group.type_name);
                let methods = operation_methods(model, &operations[index]);
                Piece::impl_member(quote! { impl #name { #methods } }, index, operations.len())
            }
        },
        GroupPart::Params(index) => Piece::Printed {
            text: params::params_struct(model, group, &operations[index]).unwrap_or_default(),
            plain: true,
        },
        GroupPart::Responses(index) => {
            Piece::whole(response_enum(model, &operations[index]).unwrap_or_default())
        }
    }
}

/// The handle struct and `Client`'s accessor for it; a group without operations also gets its
/// (empty) `impl` block here, since no method piece prints one.
fn handle_item(group: &Group) -> TokenStream {
    let name = format_ident!("{}", group.type_name);
    let accessor = naming::ident(&group.accessor);
    let mut doc = format!("Operations tagged `{}`.", group.tag);
    if let Some(text) = group.doc.as_deref().filter(|d| !d.trim().is_empty()) {
        doc = format!("{}\n\n{doc}", text.trim());
    }
    let doc = doc_attrs(&doc);
    let accessor_doc = doc_attrs(&format!("The `{}` operations.", group.tag));
    let empty_impl = group
        .operations
        .is_empty()
        .then(|| quote! { impl #name {} });
    quote! {
        #doc
        #[derive(Debug, Clone)]
        pub struct #name {
            client: crate::Client,
        }

        impl crate::Client {
            #accessor_doc
            pub fn #accessor(&self) -> #name {
                #name { client: self.clone() }
            }
        }

        #empty_impl
    }
}

/// The doc of an operation's method: its summary, description, method and path.
pub(super) fn method_doc(operation: &Operation) -> String {
    let mut parts = Vec::new();
    if let Some(summary) = operation
        .summary
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    {
        parts.push(summary.trim().to_owned());
    }
    if let Some(description) = operation
        .description
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    {
        parts.push(description.trim().to_owned());
    }
    if parts.is_empty() {
        parts.push(format!("Calls `{}`.", operation.operation_id));
    }
    parts.push(format!(
        "`{} {}` (operation `{}`)",
        operation.method.to_uppercase(),
        operation.path,
        operation.operation_id
    ));
    if operation.deprecated {
        parts.push("Deprecated by the API.".to_owned());
    }
    parts.join("\n\n")
}

/// The name of a list operation's stream method: `list_all…` or `…_all`.
pub(super) fn all_name(operation: &Operation) -> String {
    match operation.rust_name.strip_prefix("list") {
        Some(rest) => format!("list_all{rest}"),
        None => format!("{}_all", operation.rust_name.trim_start_matches("r#")),
    }
}

/// The doc of a list operation's stream method.
pub(super) fn all_doc(operation: &Operation) -> String {
    format!(
        "Every item of `{} {}`, page after page, as a stream.\n\nFollows the `next` cursor on the configured \
         base URL until the last page; an error ends the stream.",
        operation.method.to_uppercase(),
        operation.path,
    )
}

/// The name of method `name`'s twin that takes the optional parameters.
pub(super) fn with_name(operation: &Operation, optional: &ParamsStruct, name: &str) -> String {
    if name == operation.rust_name {
        optional.method_name.clone()
    } else {
        format!("{}_with", name.trim_start_matches("r#"))
    }
}

/// What the plain method's doc adds when it has a twin `with_name`.
pub(super) fn plain_doc(with_name: &str) -> String {
    format!("\nSends none of the optional parameters; [`Self::{with_name}`] takes them.")
}

/// The doc of method `name`'s twin that takes the optional parameters.
pub(super) fn with_doc(name: &str, optional: &ParamsStruct) -> String {
    format!(
        "[`Self::{}`] with the optional parameters in [`{}`].",
        name.trim_start_matches("r#"),
        optional.type_name
    )
}

pub(super) fn method_tokens(method: &str) -> TokenStream {
    lexed(&method_path(method))
}

/// `::reqwest::Method::GET` for `get`.
pub(super) fn method_path(method: &str) -> String {
    format!("::reqwest::Method::{}", method.to_uppercase())
}

/// One operation's methods: the plain one, its `_with` twin when it has optional parameters,
/// and for lists the `_all` stream (and its twin) too.
fn operation_methods(model: &Model, operation: &Operation) -> TokenStream {
    let doc = method_doc(operation);
    let method = method_tokens(&operation.method);
    let template = &operation.path;
    let mut args: Vec<TokenStream> = params::positional(operation)
        .map(|p| params::argument(model, p))
        .collect();
    let mut forward: Vec<TokenStream> = params::positional(operation)
        .map(params::argument_name)
        .collect();
    let positional = params::positional_statements(model, operation);
    let body = operation.body.as_ref().map(|body| {
        let (arg, statement) = body_parts(model, body);
        args.push(arg);
        forward.push(quote!(body));
        statement
    });
    // Builds `request`; `optional` adds the set optional parameters (the cursor left to the
    // paginator when `paginating`).
    let build = |optional: bool, paginating: bool| {
        let optional = if optional {
            params::optional_statements(operation, paginating)
        } else {
            Vec::new()
        };
        quote! {
            let request = crate::client::ApiRequest::new(#method, #template, ::std::string::String::from(#template));
            #(#positional)*
            #(#optional)*
            #body
        }
    };
    let methods = Methods {
        operation,
        args: &args,
        forward: &forward,
    };
    match &operation.response {
        Response::List(item) => {
            let item = type_tokens(model, item, Scope::Outside);
            let all_name = all_name(operation);
            let all_doc = all_doc(operation);
            let page = methods.pair(
                &operation.rust_name,
                &doc,
                quote!(::std::result::Result<crate::List<#item>, crate::Error>),
                |with| {
                    let build = build(with, false);
                    quote! { #build self.client.execute(request).await }
                },
                true,
            );
            let start = if operation.optional_params.is_some() {
                lexed(&syntax::expr_text(&params::start_cursor(operation)))
            } else {
                quote!(::std::option::Option::None)
            };
            let all = methods.pair(
                &all_name,
                &all_doc,
                quote!(impl ::futures_core::Stream<Item = ::std::result::Result<#item, crate::Error>> + ::std::marker::Send + 'static),
                |with| {
                    let build = build(with, true);
                    let start = if with {
                        start.clone()
                    } else {
                        quote!(::std::option::Option::None)
                    };
                    quote! { #build crate::list::paginate(self.client.clone(), request, #start) }
                },
                false,
            );
            quote! { #page #all }
        }
        Response::Json(ty) => {
            let ty = type_tokens(model, ty, Scope::Outside);
            methods.pair(
                &operation.rust_name,
                &doc,
                quote!(::std::result::Result<#ty, crate::Error>),
                |with| {
                    let build = build(with, false);
                    quote! { #build self.client.execute(request).await }
                },
                true,
            )
        }
        Response::Bytes => methods.pair(
            &operation.rust_name,
            &doc,
            quote!(::std::result::Result<::bytes::Bytes, crate::Error>),
            |with| {
                let build = build(with, false);
                quote! {
                    #build
                    self.client.execute_with(request, |_, body| ::std::result::Result::Ok(::bytes::Bytes::copy_from_slice(body))).await
                }
            },
            true,
        ),
        Response::Empty => methods.pair(
            &operation.rust_name,
            &doc,
            quote!(::std::result::Result<(), crate::Error>),
            |with| {
                let build = build(with, false);
                quote! { #build self.client.execute_empty(request).await }
            },
            true,
        ),
        Response::Multi {
            type_name,
            variants,
        } => {
            let ty = format_ident!("{}", type_name);
            let decode = multi_decode(&ty, variants);
            methods.pair(
                &operation.rust_name,
                &doc,
                quote!(::std::result::Result<#ty, crate::Error>),
                |with| {
                    let build = build(with, false);
                    quote! { #build #decode }
                },
                true,
            )
        }
    }
}

/// What every method of one operation shares: its arguments, and how to pass them on.
struct Methods<'a> {
    operation: &'a Operation,
    args: &'a [TokenStream],
    forward: &'a [TokenStream],
}

impl Methods<'_> {
    /// The method `name`, and when the operation has optional parameters its `name_with` twin
    /// taking them; the plain one then calls the twin with none set. `body(with)` is the
    /// method's body, `with` saying whether `params` is in scope.
    fn pair(
        &self,
        name: &str,
        doc: &str,
        output: TokenStream,
        body: impl Fn(bool) -> TokenStream,
        is_async: bool,
    ) -> TokenStream {
        let ident = naming::ident(name);
        let args = self.args;
        let asyncness = is_async.then(|| quote!(async));
        let Some(optional) = &self.operation.optional_params else {
            let doc = doc_attrs(doc);
            let body = body(false);
            return quote! {
                #doc
                pub #asyncness fn #ident(&self, #(#args),*) -> #output { #body }
            };
        };
        let with_name = with_name(self.operation, optional, name);
        let with = naming::ident(&with_name);
        let ty = format_ident!("{}", optional.type_name);
        let doc = doc_attrs(doc);
        let plain_doc = own_doc_attrs(&plain_doc(&with_name));
        let with_doc = own_doc_attrs(&with_doc(name, optional));
        let mut call = self.forward.to_vec();
        call.push(quote!(#ty::default()));
        let await_ = is_async.then(|| quote!(.await));
        let with_body = body(true);
        quote! {
            #doc
            #plain_doc
            pub #asyncness fn #ident(&self, #(#args),*) -> #output {
                self.#with(#(#call),*) #await_
            }

            #with_doc
            pub #asyncness fn #with(&self, #(#args,)* params: #ty) -> #output { #with_body }
        }
    }
}

/// Decodes the body of an operation with several success statuses into its enum by status.
fn multi_decode(ty: &proc_macro2::Ident, variants: &[StatusVariant]) -> TokenStream {
    let catch_all = variants.iter().find(|v| v.status.is_none());
    let arms = variants.iter().filter(|v| v.status.is_some()).map(|v| {
        let code = proc_macro2::Literal::u16_unsuffixed(v.status.unwrap_or_default());
        let variant = format_ident!("{}", v.rust);
        match &v.ty {
            Some(TypeRef::Bytes) => quote! { #code => ::std::result::Result::Ok(#ty::#variant(::bytes::Bytes::copy_from_slice(body))), },
            Some(_) => quote! { #code => crate::response::decode_json(body).map(#ty::#variant), },
            None => quote! { #code => ::std::result::Result::Ok(#ty::#variant), },
        }
    });
    let fallback = match catch_all {
        Some(v) => {
            let variant = format_ident!("{}", v.rust);
            match &v.ty {
                Some(TypeRef::Bytes) => {
                    quote! { _ => ::std::result::Result::Ok(#ty::#variant(::bytes::Bytes::copy_from_slice(body))), }
                }
                Some(_) => {
                    quote! { _ => crate::response::decode_json(body).map(#ty::#variant), }
                }
                None => quote! { _ => ::std::result::Result::Ok(#ty::#variant), },
            }
        }
        None => quote! {
            status => {
                let body = if body.is_empty() { ::std::result::Result::Ok(::serde_json::Value::Null) } else { crate::response::decode_json(body) };
                body.map(|body| #ty::Other { status, body })
            }
        },
    };
    quote! {
        self.client.execute_with(request, |status, body| match status {
            #(#arms)*
            #fallback
        }).await
    }
}

/// The body argument and the statement that encodes it onto `request`.
fn body_parts(model: &Model, body: &Body) -> (TokenStream, TokenStream) {
    let ty = type_tokens(model, &body.ty, Scope::Outside);
    match body.encoding {
        BodyEncoding::Json => (
            quote!(body: &#ty),
            quote! { let request = request.json(body)?; },
        ),
        BodyEncoding::Form => (
            quote!(body: &#ty),
            quote! { let request = request.form(body)?; },
        ),
        BodyEncoding::Binary => (
            quote!(body: ::bytes::Bytes),
            quote! { let request = request.bytes(body, "application/octet-stream"); },
        ),
        BodyEncoding::Multipart => {
            let fields = match &body.ty {
                TypeRef::Named(id) => match &model.get(*id).kind {
                    TypeKind::Struct(s) => Some(&s.fields),
                    _ => None,
                },
                _ => None,
            };
            match fields {
                Some(fields) => {
                    let parts = fields.iter().map(|field| multipart_part(model, field));
                    (
                        quote!(body: &#ty),
                        quote! {
                            let mut form = crate::multipart::Multipart::new();
                            #(#parts)*
                            let request = request.multipart(form);
                        },
                    )
                }
                // Lowering warned that a non-object multipart body is sent as JSON.
                None => (
                    quote!(body: &#ty),
                    quote! { let request = request.json(body)?; },
                ),
            }
        }
    }
}

/// One multipart part per field: text for scalars, a file for bytes, JSON for the rest.
fn multipart_part(model: &Model, field: &Field) -> TokenStream {
    let ident = naming::ident(&field.rust);
    let wire = &field.wire;
    let scalar = |ty: &TypeRef, value: TokenStream| -> TokenStream {
        let is_text = match ty {
            TypeRef::String
            | TypeRef::Integer(_)
            | TypeRef::Number(_)
            | TypeRef::Boolean
            | TypeRef::Date => true,
            TypeRef::Named(id) => matches!(
                model.get(*id).kind,
                TypeKind::Enum(_) | TypeKind::IntEnum(_)
            ),
            _ => false,
        };
        match ty {
            TypeRef::Bytes => quote! { form = form.bytes(#wire, #value); },
            TypeRef::DateTime => quote! { form = form.text(#wire, #value.to_rfc3339()); },
            _ if is_text => quote! { form = form.text(#wire, #value); },
            _ => quote! {
                form = form.json(#wire, #value).map_err(|error| {
                    request.encode_error(::std::format!("multipart part `{}`: {error}", #wire), ::std::option::Option::None)
                })?;
            },
        }
    };
    let emit = |value: TokenStream| match &field.ty {
        TypeRef::Vec(inner) => {
            let one = scalar(inner, quote!(item));
            quote! { for item in #value { #one } }
        }
        ty => scalar(ty, value),
    };
    match field.presence {
        Presence::Required => emit(quote!(&body.#ident)),
        Presence::RequiredNullable | Presence::Optional => {
            let inner = emit(quote!(value));
            quote! { if let ::std::option::Option::Some(value) = &body.#ident { #inner } }
        }
        Presence::Patch => {
            let inner = emit(quote!(value));
            quote! { if let crate::Patch::Set(value) = &body.#ident { #inner } }
        }
    }
}

/// The enum of an operation whose success statuses carry different bodies.
fn response_enum(model: &Model, operation: &Operation) -> Option<TokenStream> {
    let Response::Multi {
        type_name,
        variants,
    } = &operation.response
    else {
        return None;
    };
    let name = format_ident!("{}", type_name);
    let doc = doc_attrs(&format!(
        "The success responses of `{}`, by status.",
        operation.operation_id
    ));
    let items = variants.iter().map(|v| {
        let variant = format_ident!("{}", v.rust);
        let vdoc = doc_attrs(&v.description);
        match &v.ty {
            Some(ty) => {
                let ty = type_tokens(model, ty, Scope::Outside);
                quote! { #vdoc #variant(#ty), }
            }
            None => quote! { #vdoc #variant, },
        }
    });
    let other = (!variants.iter().any(|v| v.status.is_none())).then(|| {
        quote! {
            /// Another 2xx status the document does not list, with its body as JSON (`null` when empty).
            Other {
                /// The HTTP status.
                status: u16,
                /// The body, undecoded.
                body: ::serde_json::Value,
            },
        }
    });
    Some(quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#items)*
            #other
        }
    })
}
