//! Operation lowering: paths and operations in, method groups (one per tag) with resource-style method names out.
//!
//! Method names follow the path's shape and the operationId's verb, so PayPro's
//! `retrieveListOfRefundsByPayment` on `GET /payments/{id}/refunds` becomes `list_refunds`;
//! any name that would collide within its group falls back to the snake_case operationId.

use super::Document;
use super::method_names::assign_method_names;
use super::parameters::{Site, lower_parameters};
use super::responses::lower_response;
use super::types::{NameSource, TypeLowerer};
use crate::diagnostics::{Diagnostic, pointer_push};
use crate::ir::*;
use crate::naming;
use heck::ToLowerCamelCase;
use openapiv3::{Parameter, ReferenceOr, RequestBody};
use std::collections::BTreeMap;

/// The parts of an operation needed before it is lowered.
struct Found<'a> {
    method: &'a str,
    path: &'a str,
    operation: &'a openapiv3::Operation,
    shared_parameters: &'a [ReferenceOr<Parameter>],
}

/// One path's operations, moved out of the typed document before lowering.
///
/// `openapiv3::PathItem` holds a slot of about 1 KB for each of the eight methods, used or not
/// (8.7 KB a path): a document of 551 paths kept 7.9 MB of mostly empty slots alive through
/// lowering (docs/PERFORMANCE.md). Moved here, only the operations that exist are kept, and
/// the map of path items is freed.
pub struct PathOperations {
    path: String,
    shared_parameters: Vec<ReferenceOr<Parameter>>,
    operations: Vec<(&'static str, openapiv3::Operation)>,
}

/// Moves every operation out of `paths` (leaving it empty), in the order
/// [`crate::OPERATION_METHODS`] walks them; a path item that is a `$ref` has none.
pub fn take_operations(paths: &mut openapiv3::Paths) -> Vec<PathOperations> {
    let mut taken = Vec::with_capacity(paths.paths.len());
    for (path, item) in std::mem::take(&mut paths.paths) {
        let ReferenceOr::Item(mut item) = item else {
            continue;
        };
        let shared_parameters = std::mem::take(&mut item.parameters);
        // `PathItem`'s iterator keeps `OPERATION_METHODS`' order. Collecting from it reuses its
        // buffer of all eight slots (Rust collects in place when the element shrinks), so the
        // list is shrunk to the operations present (without it: 3.6 MiB more at the synthetic
        // document's peak, measured).
        let mut operations: Vec<_> = item.into_iter().collect();
        operations.shrink_to_fit();
        taken.push(PathOperations {
            path,
            shared_parameters,
            operations,
        });
    }
    taken
}

/// The operations still in the document's paths, in document order.
fn found_in_paths(paths: &openapiv3::Paths) -> Vec<Found<'_>> {
    let mut found = Vec::new();
    for (path, item) in paths.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (method, operation) in item.iter() {
            found.push(Found {
                method,
                path,
                operation,
                shared_parameters: &item.parameters,
            });
        }
    }
    found
}

/// The operations [`take_operations`] moved out, in the same order.
fn found_in_taken(taken: &[PathOperations]) -> Vec<Found<'_>> {
    let mut found = Vec::new();
    for path in taken {
        for (method, operation) in &path.operations {
            found.push(Found {
                method,
                path: &path.path,
                operation,
                shared_parameters: &path.shared_parameters,
            });
        }
    }
    found
}

/// Where the operations to lower are: still in the document, or moved out of it (and then
/// each is dropped as soon as it is lowered).
pub enum OperationsIn {
    Paths,
    Taken(Vec<PathOperations>),
}

pub fn lower_operations(
    api: Document<'_>,
    from: OperationsIn,
    types: &mut TypeLowerer<'_>,
) -> (Vec<Group>, Vec<TypeId>) {
    // Groups in the order of the document's tag list, then in order of first use.
    let mut order: Vec<String> = api.openapi.tags.iter().map(|t| t.name.clone()).collect();
    let note_group = |f: &Found<'_>| {
        let tag = group_of(f);
        if !order.contains(&tag) {
            order.push(tag);
        }
    };
    let mut request_roots = Vec::new();
    let mut by_tag: BTreeMap<String, Vec<Operation>> = BTreeMap::new();
    let mut lower_found = |f: &Found<'_>| {
        let operation = lower_operation(api, types, f, &mut request_roots);
        by_tag.entry(group_of(f)).or_default().push(operation);
    };
    match from {
        OperationsIn::Paths => {
            let found = found_in_paths(&api.openapi.paths);
            found.iter().for_each(note_group);
            found.iter().for_each(lower_found);
        }
        OperationsIn::Taken(taken) => {
            found_in_taken(&taken).iter().for_each(note_group);
            // In the same order; each operation is freed once lowered.
            for path in taken {
                for (method, operation) in path.operations {
                    lower_found(&Found {
                        method,
                        path: &path.path,
                        operation: &operation,
                        shared_parameters: &path.shared_parameters,
                    });
                }
            }
        }
    }

    let mut accessors = naming::Namespace::with_reserved(&[
        "builder",
        "new",
        "clone",
        "fmt",
        "execute",
        "execute_empty",
    ]);
    let mut group_types = naming::Namespace::default();
    let mut groups = Vec::new();
    for tag in order {
        let Some(mut operations) = by_tag.remove(&tag) else {
            continue;
        };
        assign_method_names(&mut operations);
        let doc = api
            .openapi
            .tags
            .iter()
            .find(|t| t.name == tag)
            .and_then(|t| t.description.clone());
        groups.push(Group {
            type_name: group_types.claim(&naming::type_name(&tag), false),
            accessor: naming::escape_identifier(
                accessors.claim_owned(naming::snake_name(&tag), true),
            ),
            tag,
            doc,
            operations,
        });
    }
    (groups, request_roots)
}

fn lower_operation(
    api: Document<'_>,
    types: &mut TypeLowerer<'_>,
    f: &Found<'_>,
    request_roots: &mut Vec<TypeId>,
) -> Operation {
    let operation_id = f
        .operation
        .operation_id
        .clone()
        .unwrap_or_else(|| fallback_operation_id(f.method, f.path));
    let label = format!("operation {operation_id}");
    let base_name = naming::type_name(&operation_id);
    let pointer = pointer_push(&pointer_push("/paths", f.path), f.method);

    let site = Site {
        pointer: &pointer,
        path: f.path,
        base_name: &base_name,
        label: &label,
    };
    let params = lower_parameters(
        api,
        types,
        &site,
        f.shared_parameters,
        &f.operation.parameters,
    );

    let body = f.operation.request_body.as_ref().and_then(|body| {
        lower_body(
            api,
            types,
            body,
            &base_name,
            &pointer_push(&pointer, "requestBody"),
            &label,
            request_roots,
        )
    });
    let response = lower_response(
        api,
        types,
        f.operation,
        &base_name,
        &pointer_push(&pointer, "responses"),
    );

    // A list whose optional `cursor` is text can be streamed from that cursor on.
    let paged = matches!(response, Response::List(_))
        && params.optional.iter().any(|p| {
            p.location == ParamLocation::Query && p.wire == "cursor" && p.ty == TypeRef::String
        });
    let optional_params = (!params.optional.is_empty()).then(|| ParamsStruct {
        // Both names are decided once every method of the group has its own.
        type_name: String::new(),
        method_name: String::new(),
        params: params.optional,
        paged,
    });

    Operation {
        operation_id,
        method: f.method.to_owned(),
        path: f.path.to_owned(),
        summary: f.operation.summary.clone(),
        description: f.operation.description.clone(),
        deprecated: f.operation.deprecated,
        rust_name: String::new(),
        path_params: params.path,
        required_params: params.required,
        optional_params,
        body,
        response,
    }
}

/// The group an operation belongs to: its first tag, or else its path's first segment, so
/// untagged APIs still get resource-shaped handles (`client.things().get(…)`).
fn group_of(f: &Found<'_>) -> String {
    if let Some(tag) = f.operation.tags.first() {
        return tag.clone();
    }
    f.path
        .split('/')
        .find(|segment| !segment.is_empty() && !segment.starts_with('{'))
        .map(str::to_owned)
        .unwrap_or_else(|| "root".to_owned())
}

fn lower_body(
    api: Document<'_>,
    types: &mut TypeLowerer<'_>,
    body: &ReferenceOr<RequestBody>,
    base_name: &str,
    pointer: &str,
    label: &str,
    request_roots: &mut Vec<TypeId>,
) -> Option<Body> {
    let body = match body {
        ReferenceOr::Item(item) => item,
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/requestBodies/")?;
            match api.openapi.components.as_ref()?.request_bodies.get(name)? {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { .. } => return None,
            }
        }
    };
    let pick = |predicate: fn(&str) -> bool| {
        body.content
            .iter()
            .find(|(media, _)| predicate(media.as_str()))
    };
    let (media, content, encoding) =
        if let Some((m, c)) = pick(|m| m == "application/json" || m.ends_with("+json")) {
            (m, c, BodyEncoding::Json)
        } else if let Some((m, c)) = pick(|m| m == "application/x-www-form-urlencoded") {
            (m, c, BodyEncoding::Form)
        } else if let Some((m, c)) = pick(|m| m.starts_with("multipart/")) {
            (m, c, BodyEncoding::Multipart)
        } else if let Some((m, c)) = body.content.first() {
            (m, c, BodyEncoding::Binary)
        } else {
            return None;
        };
    if body.content.len() > 1 {
        let others: Vec<&str> = body
            .content
            .keys()
            .filter(|m| *m != media)
            .map(String::as_str)
            .collect();
        types.diagnostics.push(
            Diagnostic::warning(
                pointer_push(pointer, "content"),
                format!(
                    "several media types; `{media}` is used and {} left out",
                    others.join(", ")
                ),
            )
            .in_context(label.to_owned()),
        );
    }
    let media_pointer = pointer_push(&pointer_push(pointer, "content"), media);
    let ty = match (&content.schema, encoding) {
        (_, BodyEncoding::Binary) => TypeRef::Bytes,
        (Some(schema), _) => {
            types
                .lower_ref(
                    &api.inline.compact(schema),
                    NameSource::Fixed(format!("{base_name}Request")),
                    &pointer_push(&media_pointer, "schema"),
                )
                .ty
        }
        (None, _) => TypeRef::Any,
    };
    if let TypeRef::Named(id) = ty {
        request_roots.push(id);
    }
    let is_struct =
        matches!(ty, TypeRef::Named(id) if matches!(types.types[id.0].kind, TypeKind::Struct(_)));
    if encoding == BodyEncoding::Multipart && !is_struct {
        types.diagnostics.push(
            Diagnostic::warning(media_pointer.clone(), "a multipart body that is not an object cannot be split into parts; it is sent as JSON")
                .in_context(label.to_owned()),
        );
    }
    Some(Body {
        ty,
        encoding,
        required: body.required,
    })
}

/// `GET /users/{id}/posts` → `getUsersIdPosts`, for operations without an operationId.
fn fallback_operation_id(method: &str, path: &str) -> String {
    let words: Vec<&str> = path
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    format!("{method} {}", words.join(" ")).to_lower_camel_case()
}
