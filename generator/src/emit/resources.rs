//! Resource emitter: the IR's operation groups in, the token stream of `resources.rs` out (one struct per tag, one async method per operation, one accessor per group on `Client`).

use super::tokens::{Scope, doc_attrs, type_tokens};
use crate::ir::*;
use crate::naming;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// `resources.rs` as its head (inner doc) and its items, one group at a time, so the emitter
/// formats each before building the next.
pub fn resources_file(model: &Model) -> (TokenStream, impl Iterator<Item = TokenStream> + '_) {
    let head = quote! {
        //! One handle per API tag, each with a method per operation; get them from [`crate::Client`].
    };
    (
        head,
        model.groups.iter().map(|group| group_item(model, group)),
    )
}

fn group_item(model: &Model, group: &Group) -> TokenStream {
    let name = format_ident!("{}", group.type_name);
    let accessor = naming::ident(&group.accessor);
    let mut doc = format!("Operations tagged `{}`.", group.tag);
    if let Some(text) = group.doc.as_deref().filter(|d| !d.trim().is_empty()) {
        doc = format!("{}\n\n{doc}", text.trim());
    }
    let doc = doc_attrs(&doc);
    let accessor_doc = doc_attrs(&format!("The `{}` operations.", group.tag));
    let methods = group
        .operations
        .iter()
        .map(|operation| operation_methods(model, operation));
    let params = group
        .operations
        .iter()
        .filter_map(|operation| params_struct(model, operation))
        .chain(
            group
                .operations
                .iter()
                .filter_map(|operation| response_enum(model, operation)),
        );
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

        impl #name {
            #(#methods)*
        }

        #(#params)*
    }
}

fn method_doc(operation: &Operation) -> String {
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

fn method_tokens(method: &str) -> TokenStream {
    let ident = format_ident!("{}", method.to_uppercase());
    quote!(::reqwest::Method::#ident)
}

/// The argument list and the expression building the concrete path.
fn path_parts(model: &Model, operation: &Operation) -> (Vec<TokenStream>, TokenStream) {
    let args = operation
        .path_params
        .iter()
        .map(|p| {
            let ident = naming::ident(&p.rust);
            match &p.ty {
                TypeRef::String | TypeRef::Any => quote!(#ident: &str),
                other => {
                    let ty = type_tokens(model, other, Scope::Outside);
                    quote!(#ident: #ty)
                }
            }
        })
        .collect();
    let mut format_string = String::new();
    let mut locals = Vec::new();
    let mut rest = operation.path.as_str();
    while let Some(start) = rest.find('{') {
        format_string.push_str(&rest[..start].replace('}', "}}"));
        let Some(end) = rest[start..].find('}') else {
            break;
        };
        let name = &rest[start + 1..start + end];
        // Parameter names never start with two underscores, so these cannot shadow one.
        let local = format_ident!("__segment_{}", locals.len());
        format_string.push_str(&format!("{{{local}}}"));
        let value = match operation.path_params.iter().find(|p| p.wire == name) {
            Some(p) => {
                let ident = naming::ident(&p.rust);
                match &p.ty {
                    TypeRef::String | TypeRef::Any => {
                        quote!(crate::client::encode_path_segment(#ident))
                    }
                    other => {
                        let text = wire_text(other, quote!(#ident));
                        quote!(crate::client::encode_path_segment(&#text.to_string()))
                    }
                }
            }
            None => quote!(::std::string::String::new()),
        };
        locals.push(quote! { let #local = #value; });
        rest = &rest[start + end + 1..];
    }
    format_string.push_str(&rest.replace('{', "{{").replace('}', "}}"));
    let path = if locals.is_empty() {
        quote!(::std::string::String::from(#format_string))
    } else {
        quote!({ #(#locals)* ::std::format!(#format_string) })
    };
    (args, path)
}

fn operation_methods(model: &Model, operation: &Operation) -> TokenStream {
    let name = naming::ident(&operation.rust_name);
    let doc = doc_attrs(&method_doc(operation));
    let method = method_tokens(&operation.method);
    let template = &operation.path;
    let (path_args, path) = path_parts(model, operation);
    let mut args = path_args;
    // Statements that turn `request` into the request to send, in order.
    let mut setup: Vec<TokenStream> = Vec::new();
    let mut paged = false;
    match &operation.query {
        QueryKind::None => {}
        QueryKind::ListParams => paged = true,
        QueryKind::Params {
            type_name,
            params,
            paged: with_page,
        } => {
            paged = *with_page;
            let ty = format_ident!("{}", type_name);
            args.push(quote!(params: #ty));
            setup.push(quote! { let mut request = request; });
            setup.extend(params.iter().map(param_statement));
        }
    }
    if paged {
        args.push(quote!(page: crate::ListParams));
    }
    if let Some(body) = &operation.body {
        let (arg, statement) = body_parts(model, body);
        args.push(arg);
        setup.push(statement);
    }
    let build = quote! {
        let request = crate::client::ApiRequest::new(#method, #template, #path);
        #(#setup)*
    };
    match &operation.response {
        Response::List(item) => {
            let item = type_tokens(model, item, Scope::Outside);
            let all_name = match operation.rust_name.strip_prefix("list") {
                Some(rest) => format_ident!("list_all{}", rest),
                None => format_ident!("{}_all", operation.rust_name.trim_start_matches("r#")),
            };
            let all_doc = doc_attrs(&format!(
                "Every item of `{} {}`, page after page, as a stream.\n\nFollows the `next` cursor on the configured \
                 base URL until the last page{}.",
                operation.method.to_uppercase(),
                operation.path,
                if paged {
                    "; `page.limit` sets the page size"
                } else {
                    ""
                }
            ));
            let apply = if paged {
                quote! { let request = page.apply(request); }
            } else {
                quote!()
            };
            let page = if paged {
                quote!(page)
            } else {
                quote!(crate::ListParams::default())
            };
            quote! {
                #doc
                pub async fn #name(&self, #(#args),*) -> ::std::result::Result<crate::List<#item>, crate::Error> {
                    #build
                    #apply
                    self.client.execute(request).await
                }

                #all_doc
                pub fn #all_name(&self, #(#args),*) -> impl ::futures_core::Stream<Item = ::std::result::Result<#item, crate::Error>> + ::std::marker::Send + 'static {
                    #build
                    crate::list::paginate(self.client.clone(), request, #page)
                }
            }
        }
        Response::Json(ty) => {
            let ty = type_tokens(model, ty, Scope::Outside);
            quote! {
                #doc
                pub async fn #name(&self, #(#args),*) -> ::std::result::Result<#ty, crate::Error> {
                    #build
                    self.client.execute(request).await
                }
            }
        }
        Response::Bytes => quote! {
            #doc
            pub async fn #name(&self, #(#args),*) -> ::std::result::Result<::bytes::Bytes, crate::Error> {
                #build
                self.client.execute_with(request, |_, body| ::std::result::Result::Ok(::bytes::Bytes::copy_from_slice(body))).await
            }
        },
        Response::Empty => quote! {
            #doc
            pub async fn #name(&self, #(#args),*) -> ::std::result::Result<(), crate::Error> {
                #build
                self.client.execute_empty(request).await
            }
        },
        Response::Multi {
            type_name,
            variants,
        } => {
            let ty = format_ident!("{}", type_name);
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
                #doc
                pub async fn #name(&self, #(#args),*) -> ::std::result::Result<#ty, crate::Error> {
                    #build
                    self.client.execute_with(request, |status, body| match status {
                        #(#arms)*
                        #fallback
                    }).await
                }
            }
        }
    }
}

/// The statement that adds one query or header parameter to `request`.
fn param_statement(param: &Param) -> TokenStream {
    let ident = naming::ident(&param.rust);
    let wire = &param.wire;
    let add = |value: TokenStream| match param.location {
        ParamLocation::Header => quote! { request = request.header(#wire, #value)?; },
        _ => quote! { request = request.query(#wire, #value); },
    };
    let append = |value: TokenStream| match &param.ty {
        TypeRef::Vec(inner) => {
            let one = add(wire_text(inner, quote!(item)));
            quote! { for item in #value { #one } }
        }
        TypeRef::Any | TypeRef::Object | TypeRef::Map(_) => {
            add(quote!(::serde_json::Value::from(#value.clone())))
        }
        other => add(wire_text(other, value)),
    };
    if param.required {
        append(quote!(&params.#ident))
    } else {
        let inner = append(quote!(value));
        quote! { if let ::std::option::Option::Some(value) = &params.#ident { #inner } }
    }
}

/// A value as it is written in a path, query or header: `Display`, except date-times, whose
/// `Display` is not RFC 3339.
fn wire_text(ty: &TypeRef, value: TokenStream) -> TokenStream {
    match ty {
        TypeRef::DateTime => quote!(#value.to_rfc3339_opts(::chrono::SecondsFormat::AutoSi, true)),
        _ => value,
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

fn params_struct(model: &Model, operation: &Operation) -> Option<TokenStream> {
    let QueryKind::Params {
        type_name, params, ..
    } = &operation.query
    else {
        return None;
    };
    let name = format_ident!("{}", type_name);
    let doc = doc_attrs(&format!(
        "Query parameters of `{}`.",
        operation.operation_id
    ));
    let fields = params.iter().map(|p| {
        let ident = naming::ident(&p.rust);
        let ty = type_tokens(model, &p.ty, Scope::Outside);
        let ty = if p.required {
            ty
        } else {
            quote!(::std::option::Option<#ty>)
        };
        let doc = doc_attrs(
            p.doc
                .as_deref()
                .filter(|d| !d.trim().is_empty())
                .unwrap_or(&format!("The `{}` query parameter.", p.wire)),
        );
        quote! { #doc pub #ident: #ty, }
    });
    let default = if params.iter().all(|p| !p.required) {
        quote!(, Default)
    } else {
        quote!()
    };
    Some(quote! {
        #doc
        #[derive(Debug, Clone, PartialEq #default)]
        pub struct #name {
            #(#fields)*
        }
    })
}
