//! Resource emitter: the IR's operation groups in, the token stream of `resources.rs` out (one struct per tag, one async method per operation, one accessor per group on `Client`).

use super::tokens::{Scope, doc_attrs, type_tokens};
use crate::ir::*;
use crate::naming;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub fn resources_file(model: &Model) -> TokenStream {
    let groups = model.groups.iter().map(|group| group_item(model, group));
    quote! {
        //! One handle per API tag, each with a method per operation; get them from [`crate::Client`].
        #(#groups)*
    }
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
        .filter_map(|operation| params_struct(model, operation));
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
        let local = format_ident!("segment_{}", locals.len());
        format_string.push_str(&format!("{{{local}}}"));
        let value = match operation.path_params.iter().find(|p| p.wire == name) {
            Some(p) => {
                let ident = naming::ident(&p.rust);
                match &p.ty {
                    TypeRef::String | TypeRef::Any => {
                        quote!(crate::client::encode_path_segment(#ident))
                    }
                    _ => quote!(crate::client::encode_path_segment(&#ident.to_string())),
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
    let (mut args, path) = path_parts(model, operation);
    let mut setup = Vec::new();
    match &operation.query {
        QueryKind::None => {}
        QueryKind::ListParams => args.push(quote!(params: crate::ListParams)),
        QueryKind::Params { type_name, params } => {
            let ty = format_ident!("{}", type_name);
            args.push(quote!(params: #ty));
            for param in params {
                let ident = naming::ident(&param.rust);
                let wire = &param.wire;
                let append = |value: TokenStream, ty: &TypeRef| match ty {
                    TypeRef::Vec(_) => {
                        quote! { for item in #value { request = request.query(#wire, item); } }
                    }
                    TypeRef::Any | TypeRef::Object | TypeRef::Map(_) => {
                        quote! { request = request.query(#wire, ::serde_json::Value::from(#value.clone())); }
                    }
                    _ => quote! { request = request.query(#wire, #value); },
                };
                if setup.is_empty() {
                    setup.push(quote! { let mut request = request; });
                }
                if param.required {
                    setup.push(append(quote!(&params.#ident), &param.ty));
                } else {
                    let inner = append(quote!(value), &param.ty);
                    setup.push(quote! { if let ::std::option::Option::Some(value) = &params.#ident { #inner } });
                }
            }
        }
    }
    if let Some(body) = &operation.body {
        let ty = type_tokens(model, &body.ty, Scope::Outside);
        match body.encoding {
            BodyEncoding::Json => {
                args.push(quote!(body: &#ty));
                setup.push(quote! { let request = request.json(body)?; });
            }
            BodyEncoding::Form | BodyEncoding::Multipart => {
                args.push(quote!(body: &#ty));
                setup.push(quote! { let request = request.form(body)?; });
            }
            BodyEncoding::Binary => {
                args.push(quote!(body: ::bytes::Bytes));
                setup.push(
                    quote! { let request = request.bytes(body, "application/octet-stream"); },
                );
            }
        }
    }
    let build = quote! {
        let request = crate::client::ApiRequest::new(#method, #template, #path);
    };
    let list_apply = matches!(operation.query, QueryKind::ListParams);
    match &operation.response {
        Response::List(item) => {
            let item = type_tokens(model, item, Scope::Outside);
            let all_name = match operation.rust_name.strip_prefix("list") {
                Some(rest) => format_ident!("list_all{}", rest),
                None => format_ident!("{}_all", operation.rust_name.trim_start_matches("r#")),
            };
            let all_doc = doc_attrs(&format!(
                "Every item of `{} {}`, page after page, as a stream.\n\nFollows the `next` cursor on the configured base URL until the last page; \
                 `params.limit` sets the page size.",
                operation.method.to_uppercase(),
                operation.path
            ));
            let params_arg = if list_apply {
                quote!(params)
            } else {
                quote!(crate::ListParams::default())
            };
            let apply = if list_apply {
                quote! { let request = params.apply(request); }
            } else {
                quote!()
            };
            let all_args: Vec<TokenStream> = args
                .iter()
                .filter(|a| !a.to_string().starts_with("params"))
                .cloned()
                .collect();
            let all_params = if list_apply {
                quote!(params: crate::ListParams)
            } else {
                quote!()
            };
            let comma = if list_apply && !all_args.is_empty() {
                quote!(,)
            } else {
                quote!()
            };
            quote! {
                #doc
                pub async fn #name(&self, #(#args),*) -> ::std::result::Result<crate::List<#item>, crate::Error> {
                    #build
                    #(#setup)*
                    #apply
                    self.client.execute(request).await
                }

                #all_doc
                pub fn #all_name(&self, #(#all_args),* #comma #all_params) -> impl ::futures_core::Stream<Item = ::std::result::Result<#item, crate::Error>> + ::std::marker::Send + 'static {
                    #build
                    #(#setup)*
                    crate::list::paginate(self.client.clone(), request, #params_arg)
                }
            }
        }
        Response::Json(ty) => {
            let ty = type_tokens(model, ty, Scope::Outside);
            quote! {
                #doc
                pub async fn #name(&self, #(#args),*) -> ::std::result::Result<#ty, crate::Error> {
                    #build
                    #(#setup)*
                    self.client.execute(request).await
                }
            }
        }
        Response::Empty => quote! {
            #doc
            pub async fn #name(&self, #(#args),*) -> ::std::result::Result<(), crate::Error> {
                #build
                #(#setup)*
                self.client.execute_empty(request).await
            }
        },
    }
}

fn params_struct(model: &Model, operation: &Operation) -> Option<TokenStream> {
    let QueryKind::Params { type_name, params } = &operation.query else {
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
