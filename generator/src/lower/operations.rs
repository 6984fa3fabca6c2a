//! Operation lowering: paths and operations in, method groups (one per tag) with resource-style method names out.
//!
//! Method names follow the path's shape and the operationId's verb, so PayPro's
//! `retrieveListOfRefundsByPayment` on `GET /payments/{id}/refunds` becomes `list_refunds`;
//! any name that would collide within its group falls back to the snake_case operationId.

use super::method_names::assign_method_names;
use super::responses::lower_response;
use super::types::{NameSource, TypeLowerer};
use crate::diagnostics::{Diagnostic, pointer_push};
use crate::ir::*;
use crate::naming;
use heck::ToLowerCamelCase;
use openapiv3::{OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, RequestBody};
use std::collections::BTreeMap;

/// The parts of an operation needed before it is lowered.
struct Found<'a> {
    method: &'static str,
    path: &'a str,
    pointer: String,
    operation: &'a openapiv3::Operation,
    shared_parameters: &'a [ReferenceOr<Parameter>],
}

pub fn lower_operations(api: &OpenAPI, types: &mut TypeLowerer<'_>) -> (Vec<Group>, Vec<TypeId>) {
    let mut found = Vec::new();
    for (path, item) in api.paths.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        let pointer = pointer_push("/paths", path);
        for method in [
            "get", "put", "post", "delete", "options", "head", "patch", "trace",
        ] {
            let operation = match method {
                "get" => item.get.as_ref(),
                "put" => item.put.as_ref(),
                "post" => item.post.as_ref(),
                "delete" => item.delete.as_ref(),
                "options" => item.options.as_ref(),
                "head" => item.head.as_ref(),
                "patch" => item.patch.as_ref(),
                _ => item.trace.as_ref(),
            };
            if let Some(operation) = operation {
                found.push(Found {
                    method,
                    path,
                    pointer: pointer_push(&pointer, method),
                    operation,
                    shared_parameters: &item.parameters,
                });
            }
        }
    }

    // Groups in the order of the document's tag list, then in order of first use.
    let mut order: Vec<String> = api.tags.iter().map(|t| t.name.clone()).collect();
    for f in &found {
        let tag = group_of(f);
        if !order.contains(&tag) {
            order.push(tag);
        }
    }
    let mut request_roots = Vec::new();
    let mut by_tag: BTreeMap<String, Vec<Operation>> = BTreeMap::new();
    for f in &found {
        let tag = group_of(f);
        let operation = lower_operation(api, types, f, &mut request_roots);
        by_tag.entry(tag).or_default().push(operation);
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
            .tags
            .iter()
            .find(|t| t.name == tag)
            .and_then(|t| t.description.clone());
        groups.push(Group {
            type_name: group_types.claim(&naming::type_name(&tag), false),
            accessor: naming::escape_identifier(&accessors.claim(&naming::snake_name(&tag), true)),
            tag,
            doc,
            operations,
        });
    }
    (groups, request_roots)
}

fn lower_operation(
    api: &OpenAPI,
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

    let mut path_params = Vec::new();
    let mut query_params = Vec::new();
    let parameters: Vec<(String, &ReferenceOr<Parameter>)> = f
        .shared_parameters
        .iter()
        .enumerate()
        .map(|(i, p)| {
            (
                pointer_push(
                    &pointer_push(
                        &f.pointer
                            .rsplit_once('/')
                            .map(|(a, _)| a.to_owned())
                            .unwrap_or_default(),
                        "parameters",
                    ),
                    &i.to_string(),
                ),
                p,
            )
        })
        .chain(f.operation.parameters.iter().enumerate().map(|(i, p)| {
            (
                pointer_push(&pointer_push(&f.pointer, "parameters"), &i.to_string()),
                p,
            )
        }))
        .collect();
    let mut names = naming::Namespace::with_reserved(&[
        "params", "page", "body", "request", "path", "form", "status",
    ]);
    for (pointer, parameter) in parameters {
        let Some(parameter) = resolve_parameter(api, parameter) else {
            types.diagnostics.push(
                Diagnostic::error(pointer, "parameter reference does not resolve")
                    .in_context(label.clone()),
            );
            continue;
        };
        let data = parameter.parameter_data_ref();
        let ty = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                let hint =
                    NameSource::Fixed(format!("{base_name}{}", naming::type_name(&data.name)));
                let lowered = types.lower_ref(schema, hint, &pointer_push(&pointer, "schema"));
                lowered.ty
            }
            ParameterSchemaOrContent::Content(_) => TypeRef::String,
        };
        let location = match parameter {
            Parameter::Path { .. } => ParamLocation::Path,
            Parameter::Query { .. } => ParamLocation::Query,
            Parameter::Header { .. } | Parameter::Cookie { .. } => ParamLocation::Header,
        };
        let param = Param {
            location,
            wire: data.name.clone(),
            rust: naming::escape_identifier(&names.claim(&naming::snake_name(&data.name), true)),
            ty,
            doc: data.description.clone(),
            required: data.required,
        };
        match parameter {
            Parameter::Path { .. } => {
                // An operation-level declaration overrides a path-level one of the same name.
                path_params.retain(|p: &Param| p.wire != param.wire);
                path_params.push(param);
            }
            Parameter::Query { .. } | Parameter::Header { .. } => {
                query_params.retain(|p: &Param| p.wire != param.wire || p.location != location);
                query_params.push(param);
            }
            Parameter::Cookie { .. } => {
                types.diagnostics.push(
                    Diagnostic::warning(
                        pointer,
                        format!(
                            "cookie parameters are not generated; `{}` is left out (set it on a custom reqwest client)",
                            data.name
                        ),
                    )
                    .in_context(label.clone()),
                );
            }
        }
    }
    // Path parameters follow the template's order, which is the order callers expect.
    let template = crate::validate::template_names(f.path);
    path_params.sort_by_key(|p| {
        template
            .iter()
            .position(|n| *n == p.wire)
            .unwrap_or(usize::MAX)
    });

    let body = f.operation.request_body.as_ref().and_then(|body| {
        lower_body(
            api,
            types,
            body,
            &base_name,
            &pointer_push(&f.pointer, "requestBody"),
            &label,
            request_roots,
        )
    });
    let response = lower_response(
        api,
        types,
        f.operation,
        &base_name,
        &pointer_push(&f.pointer, "responses"),
    );

    let is_list = matches!(response, Response::List(_));
    let is_page_param =
        |p: &Param| p.location == ParamLocation::Query && (p.wire == "limit" || p.wire == "cursor");
    let paged = is_list && query_params.iter().any(is_page_param);
    if paged {
        query_params.retain(|p| !is_page_param(p));
    }
    let query = if query_params.is_empty() {
        if paged {
            QueryKind::ListParams
        } else {
            QueryKind::None
        }
    } else {
        QueryKind::Params {
            type_name: format!("{base_name}Params"),
            params: query_params,
            paged,
        }
    };

    Operation {
        operation_id,
        method: f.method.to_owned(),
        path: f.path.to_owned(),
        summary: f.operation.summary.clone(),
        description: f.operation.description.clone(),
        deprecated: f.operation.deprecated,
        rust_name: String::new(),
        path_params,
        query,
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

fn resolve_parameter<'a>(
    api: &'a OpenAPI,
    parameter: &'a ReferenceOr<Parameter>,
) -> Option<&'a Parameter> {
    match parameter {
        ReferenceOr::Item(item) => Some(item),
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/parameters/")?;
            match api.components.as_ref()?.parameters.get(name)? {
                ReferenceOr::Item(item) => Some(item),
                ReferenceOr::Reference { .. } => None,
            }
        }
    }
}

fn lower_body(
    api: &OpenAPI,
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
            match api.components.as_ref()?.request_bodies.get(name)? {
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
                    schema,
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
