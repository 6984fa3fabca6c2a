//! Mock emitter: the IR's operation groups in, `mocks.rs` out (one mock handle per tag on `testing::MockServer`, one typed expectation builder per operation, printed as text in prettyplease's layout), the spec-dependent half of the `testing` feature.

use super::format::{Piece, RustFile};
use super::layout::Layout;
use super::params;
use super::resources::{GroupPart, GroupUnit};
use super::syntax::{self, Expr};
use super::text::{doc_comment, generic, type_layout};
use super::tokens::{Scope, doc_attrs, doc_text};
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
    match unit.part {
        GroupPart::Handle => Piece::whole(handle_item(group)),
        GroupPart::Methods(index) => Piece::Printed {
            text: expectation_builder(model, group, index),
            plain: true,
        },
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
///
/// Printed as prettyplease prints it, as member `index` of the handle's `impl` block: the
/// first member opens the block and the last one closes it.
pub(super) fn expectation_builder(model: &Model, group: &Group, index: usize) -> String {
    let operation = &group.operations[index];
    let handle = |layout: &mut Layout| {
        generic(layout, format!("{}Mock", group.type_name), |layout| {
            layout.word("'a");
            layout.trailing_comma(true);
        });
    };
    let count = group.operations.len();
    syntax::inherent_impl_member("'a", handle, (index, count), |layout| {
        let with = if params::positional(operation).next().is_none() {
            ""
        } else {
            " with these parameters"
        };
        doc_comment(
            layout,
            &format!(
                "Expects `{} {}` (operation `{}`){with}.",
                operation.method.to_uppercase(),
                operation.path,
                operation.operation_id
            ),
        );
        let mut parameters = vec![None];
        parameters.extend(params::positional(operation).map(Some));
        syntax::method_open(
            layout,
            &format!("pub fn {}", operation.rust_name),
            &parameters,
            |layout, parameter| match parameter {
                None => layout.word("&self"),
                Some(parameter) => params::argument_layout(layout, model, parameter),
            },
            |layout| {
                generic(layout, "crate::testing::Expectation", |layout| {
                    layout.word("'a");
                    layout.trailing_comma(false);
                    reply_layout(layout, model, &operation.response);
                    layout.trailing_comma(false);
                    match &operation.body {
                        Some(body) if body.encoding == BodyEncoding::Json => {
                            type_layout(layout, model, &body.ty, Scope::Outside);
                        }
                        _ => layout.word("crate::testing::NoBody"),
                    }
                    layout.trailing_comma(true);
                });
            },
        );
        super::methods::new_request(layout, model, operation);
        let server = Expr::word("self").field("server");
        let expectation = Expr::call(
            "crate::testing::Expectation::new",
            vec![server, Expr::word("request")],
        );
        syntax::expression_statement(layout, &expectation, false);
        layout.close_block();
    })
}

/// The `Reply` marker that decides which `respond` an expectation offers.
fn reply_layout(layout: &mut Layout, model: &Model, response: &Response) {
    let one = |layout: &mut Layout, path: &'static str, ty: &TypeRef| {
        generic(layout, path, |layout| {
            type_layout(layout, model, ty, Scope::Outside);
            layout.trailing_comma(true);
        });
    };
    match response {
        Response::Empty => layout.word("crate::testing::EmptyReply"),
        Response::Bytes => layout.word("crate::testing::BytesReply"),
        Response::Json(ty) => one(layout, "crate::testing::JsonReply", ty),
        Response::List(item) => one(layout, "crate::testing::PageReply", item),
        Response::Multi { .. } => layout.word("crate::testing::StatusReply"),
    }
}

#[cfg(test)]
mod tests {
    use super::super::printed_check::{check, group_of, named_type_of_length, sample_models};
    use super::*;

    /// A group's expectation builders, printed one after another: its whole `impl` block.
    fn builders(model: &Model, group: &Group) -> String {
        (0..group.operations.len())
            .map(|index| expectation_builder(model, group, index))
            .collect()
    }

    /// Every mock `impl` block of PayPro, the construct specs and the corpus documents up to
    /// 1.5 MB is what prettyplease prints for it, and breaking its lines changes no code.
    #[test]
    fn printed_expectation_builders_are_what_prettyplease_prints() -> Result<(), String> {
        let mut printed = 0;
        for (name, model) in sample_models()? {
            for group in model.groups.iter().filter(|g| !g.operations.is_empty()) {
                let print = || builders(&model, group);
                check(&print(), print).map_err(|e| format!("{name}: {}: {e}", group.tag))?;
                printed += group.operations.len();
            }
        }
        assert!(
            printed > 700,
            "only {printed} expectation builders compared"
        );
        Ok(())
    }

    /// Handle, method, parameter, path and type names from short to past the margin, with
    /// every kind of reply and body and the parameter encodings that call `Format::new`.
    #[test]
    fn expectation_builders_break_where_prettyplease_does_at_every_length() -> Result<(), String> {
        for length in (1..=180).step_by(3) {
            let mut model = super::super::empty_model();
            let named = named_type_of_length(&mut model, length);
            let param = |location, index: usize, ty: TypeRef, encoding| Param {
                location,
                wire: format!("w{index}{}", "v".repeat(length % 50)),
                rust: format!("p{index}_{}", "y".repeat(length % 60)),
                ty,
                doc: None,
                required: true,
                encoding,
            };
            let style = |style, explode, allow_reserved| ParamEncoding::Style {
                style,
                explode,
                allow_reserved,
            };
            let responses = [
                Response::Json(named.clone()),
                Response::List(TypeRef::Vec(Box::new(named.clone()))),
                Response::Empty,
            ];
            let operations = responses
                .into_iter()
                .enumerate()
                .map(|(index, response)| Operation {
                    operation_id: format!("op{index}"),
                    method: ["get", "post", "delete"][index].to_owned(),
                    path: format!("/{}/{{id}}", "q".repeat(length)),
                    summary: None,
                    description: None,
                    deprecated: false,
                    rust_name: format!("m{index}_{}", "r".repeat(length / 2)),
                    path_params: vec![param(
                        ParamLocation::Path,
                        0,
                        TypeRef::String,
                        style(ParamStyle::Simple, false, false),
                    )],
                    required_params: if index == 2 {
                        Vec::new()
                    } else {
                        vec![
                            param(
                                ParamLocation::Query,
                                1,
                                named.clone(),
                                style(ParamStyle::DeepObject, true, true),
                            ),
                            param(
                                ParamLocation::Header,
                                2,
                                TypeRef::Option(Box::new(TypeRef::Boolean)),
                                ParamEncoding::Json {
                                    media_type: "application/json".to_owned(),
                                },
                            ),
                        ]
                    },
                    optional_params: None,
                    body: (index == 1).then(|| Body {
                        ty: named.clone(),
                        encoding: BodyEncoding::Json,
                        required: true,
                    }),
                    response,
                })
                .collect();
            let group = group_of(format!("T{}", "z".repeat(length)), operations);
            let print = || builders(&model, &group);
            check(&print(), print).map_err(|e| format!("length {length}: {e}"))?;
        }
        Ok(())
    }
}
