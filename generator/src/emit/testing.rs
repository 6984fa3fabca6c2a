//! Mock emitter: the IR's operation groups in, the token stream of `mocks.rs` out (one mock handle per tag on `testing::MockServer`, one typed expectation builder per operation), the spec-dependent half of the `testing` feature.

use super::format::{Piece, RustFile};
use super::params;
use super::resources::method_tokens;
use super::resources::{GroupPart, GroupUnit};
use super::tokens::{Scope, doc_attrs, doc_text, type_tokens};
use crate::ir::*;
use crate::naming;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// `mocks.rs`: its head (inner doc), then each group's handle and its expectation builders, one
/// operation at a time (the handle and method pieces of [`super::resources::group_units`]).
pub fn mocks_file<'a>(units: &'a [GroupUnit<'a>]) -> RustFile<'a, GroupUnit<'a>> {
    let head = quote! {
        //! One mock handle per API tag, each with an expectation builder per operation; get them from [`crate::testing::MockServer`].
    };
    RustFile {
        head,
        items: units,
        build: group_piece,
    }
}

fn group_piece(model: &Model, unit: &GroupUnit<'_>) -> Piece {
    let group = unit.group;
    let operations = &group.operations;
    match unit.part {
        GroupPart::Handle => Piece::whole(handle_item(group)),
        GroupPart::Methods(index) => {
            let name = format_ident!("{}Mock", group.type_name);
            let builder = expectation_builder(model, &operations[index]);
            Piece::impl_member(
                quote! { impl<'a> #name<'a> { #builder } },
                index,
                operations.len(),
            )
        }
        // The client's parameter structs and response enums are its own; mocks reuse them.
        GroupPart::Params(_) | GroupPart::Responses(_) => Piece::whole(TokenStream::new()),
    }
}

/// The mock handle and `MockServer`'s accessor for it; a group without operations also gets its
/// (empty) `impl` block here, since no builder piece prints one.
fn handle_item(group: &Group) -> TokenStream {
    let name = format_ident!("{}Mock", group.type_name);
    // A tag named like one of `MockServer`'s own methods gets a suffix instead of a clash.
    // The accessor stays as naming escaped it (`r#mod` for a tag `mod`); none of the clashing
    // names is a keyword, so they never carry the raw prefix.
    let accessor_name = match group.accessor.as_str() {
        name @ ("start" | "url" | "client" | "client_builder" | "verify" | "received_requests"
        | "wiremock") => format!("{name}_mock"),
        escaped => escaped.to_owned(),
    };
    let accessor = naming::ident(&accessor_name);
    // Written as one attribute, not through `doc_attrs`, so the intra-doc link stays a link;
    // only the tag, which comes from the document, is escaped.
    let doc = format!(
        " Expectations for the operations tagged `{}`; get it from [`MockServer::{accessor_name}`](crate::testing::MockServer::{accessor_name}).",
        doc_text(&group.tag).replace('`', "'"),
    );
    let accessor_doc = doc_attrs(&format!("Expectations for the `{}` operations.", group.tag));
    let empty_impl = group
        .operations
        .is_empty()
        .then(|| quote! { impl<'a> #name<'a> {} });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Copy)]
        pub struct #name<'a> {
            server: &'a crate::testing::MockServer,
        }

        impl crate::testing::MockServer {
            #accessor_doc
            pub fn #accessor(&self) -> #name<'_> {
                #name { server: self }
            }
        }

        #empty_impl
    }
}

/// `fn <operation>(&self, <positional parameters>) -> Expectation<'a, Reply, Body>`: the
/// operation's method taking the same positional parameters (path, then required ones), which
/// are put on a request exactly as the client puts them, so the mock matches what it sends.
fn expectation_builder(model: &Model, operation: &Operation) -> TokenStream {
    let name = naming::ident(&operation.rust_name);
    let method = method_tokens(&operation.method);
    let template = &operation.path;
    let args: Vec<TokenStream> = params::positional(operation)
        .map(|p| params::argument(model, p))
        .collect();
    let positional = params::positional_statements(model, operation);
    let with = if args.is_empty() {
        ""
    } else {
        " with these parameters"
    };
    let doc = doc_attrs(&format!(
        "Expects `{} {}` (operation `{}`){with}.",
        operation.method.to_uppercase(),
        operation.path,
        operation.operation_id
    ));
    let reply = reply_tokens(model, &operation.response);
    let body = match &operation.body {
        Some(body) if body.encoding == BodyEncoding::Json => {
            type_tokens(model, &body.ty, Scope::Outside)
        }
        _ => quote!(crate::testing::NoBody),
    };
    quote! {
        #doc
        pub fn #name(&self, #(#args),*) -> crate::testing::Expectation<'a, #reply, #body> {
            let request = crate::client::ApiRequest::new(#method, #template, ::std::string::String::from(#template));
            #(#positional)*
            crate::testing::Expectation::new(self.server, request)
        }
    }
}

/// The `Reply` marker that decides which `respond` an expectation offers.
fn reply_tokens(model: &Model, response: &Response) -> TokenStream {
    match response {
        Response::Empty => quote!(crate::testing::EmptyReply),
        Response::Bytes => quote!(crate::testing::BytesReply),
        Response::Json(ty) => {
            let ty = type_tokens(model, ty, Scope::Outside);
            quote!(crate::testing::JsonReply<#ty>)
        }
        Response::List(item) => {
            let item = type_tokens(model, item, Scope::Outside);
            quote!(crate::testing::PageReply<#item>)
        }
        Response::Multi { .. } => quote!(crate::testing::StatusReply),
    }
}
