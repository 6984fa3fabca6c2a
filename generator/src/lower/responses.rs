//! Response lowering: an operation's responses in, what its method returns out (nothing, bytes, one type, a list envelope, or an enum over several success statuses).

use super::Document;
use super::schema_util::{list_item, resolve};
use super::types::{NameSource, TypeLowerer};
use crate::diagnostics::pointer_push;
use crate::ir::*;
use crate::naming;
use openapiv3::{ReferenceOr, StatusCode};

pub(super) fn lower_response(
    api: Document<'_>,
    types: &mut TypeLowerer<'_>,
    operation: &openapiv3::Operation,
    base_name: &str,
    pointer: &str,
) -> Response {
    // Success statuses in order; a `2XX` range or (without any 2xx) `default` catches the rest.
    let mut successes: Vec<(Option<u16>, String, &ReferenceOr<openapiv3::Response>)> = operation
        .responses
        .responses
        .iter()
        .filter_map(|(code, response)| match code {
            StatusCode::Code(code) if (200..300).contains(code) => {
                Some((Some(*code), code.to_string(), response))
            }
            StatusCode::Range(2) => Some((None, "2XX".to_owned(), response)),
            _ => None,
        })
        .collect();
    successes.sort_by_key(|(code, _, _)| code.unwrap_or(u16::MAX));
    if successes.is_empty() {
        if let Some(default) = &operation.responses.default {
            successes.push((None, "default".to_owned(), default));
        }
    }
    let several = successes.len() > 1;
    let mut bodies = Vec::new();
    for (status, key, response) in &successes {
        let hint = if several {
            format!("{base_name}Response{}", naming::type_name(key))
        } else {
            format!("{base_name}Response")
        };
        let body = lower_one_response(
            api,
            types,
            response,
            base_name,
            &hint,
            &pointer_push(pointer, key),
        );
        bodies.push((*status, key.clone(), description_of(api, response), body));
    }
    let Some(first) = bodies.first() else {
        return Response::Empty;
    };
    if bodies
        .iter()
        .all(|(_, _, _, body)| same_body(body, &first.3))
    {
        return first.3.clone();
    }
    let variants = bodies
        .into_iter()
        .map(|(status, key, description, body)| StatusVariant {
            status,
            rust: status_variant_name(status, &key),
            ty: match body {
                Response::Empty => None,
                Response::Bytes => Some(TypeRef::Bytes),
                Response::Json(ty) => Some(ty),

                Response::List(item) => Some(TypeRef::List(Box::new(item))),
                Response::Multi { .. } => Some(TypeRef::Any),
            },
            description: if description.trim().is_empty() {
                format!("Status {key}.")
            } else {
                format!("Status {key}: {}", description.trim())
            },
        })
        .collect();
    Response::Multi {
        type_name: format!("{base_name}Response"),
        variants,
    }
}

fn same_body(a: &Response, b: &Response) -> bool {
    match (a, b) {
        (Response::Empty, Response::Empty) | (Response::Bytes, Response::Bytes) => true,
        (Response::Json(x), Response::Json(y)) | (Response::List(x), Response::List(y)) => x == y,
        _ => false,
    }
}

fn status_variant_name(status: Option<u16>, key: &str) -> String {
    match (status, key) {
        (Some(200), _) => "Ok".to_owned(),
        (Some(201), _) => "Created".to_owned(),
        (Some(202), _) => "Accepted".to_owned(),
        (Some(203), _) => "NonAuthoritative".to_owned(),
        (Some(204), _) => "NoContent".to_owned(),
        (Some(205), _) => "ResetContent".to_owned(),
        (Some(206), _) => "PartialContent".to_owned(),
        (Some(code), _) => format!("Status{code}"),
        (None, "default") => "Default".to_owned(),
        (None, _) => "Success".to_owned(),
    }
}

fn resolve_response<'a>(
    api: Document<'a>,
    response: &'a ReferenceOr<openapiv3::Response>,
) -> Option<&'a openapiv3::Response> {
    match response {
        ReferenceOr::Item(item) => Some(item),
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/responses/")?;
            match api.openapi.components.as_ref()?.responses.get(name)? {
                ReferenceOr::Item(item) => Some(item),
                ReferenceOr::Reference { .. } => None,
            }
        }
    }
}

fn description_of(api: Document<'_>, response: &ReferenceOr<openapiv3::Response>) -> String {
    resolve_response(api, response)
        .map(|r| r.description.clone())
        .unwrap_or_default()
}

/// One response's body: nothing, a JSON type, or a list envelope.
fn lower_one_response(
    api: Document<'_>,
    types: &mut TypeLowerer<'_>,
    response: &ReferenceOr<openapiv3::Response>,
    base_name: &str,
    hint: &str,
    pointer: &str,
) -> Response {
    let Some(response) = resolve_response(api, response) else {
        return Response::Empty;
    };
    let Some((media, content)) = response
        .content
        .iter()
        .find(|(m, _)| m.as_str() == "application/json" || m.ends_with("+json"))
    else {
        return if response.content.is_empty() {
            Response::Empty
        } else {
            Response::Bytes
        };
    };
    let Some(schema) = &content.schema else {
        return Response::Empty;
    };
    let schema = &*api.inline.compact(schema);
    let schema_pointer = pointer_push(
        &pointer_push(&pointer_push(pointer, "content"), media),
        "schema",
    );
    if let Some((resolved, _)) = resolve(api, schema) {
        if let Some(item) = list_item(api, resolved) {
            let item_pointer = pointer_push(
                &pointer_push(&pointer_push(&schema_pointer, "properties"), "data"),
                "items",
            );
            let lowered = types.lower_boxed(
                item,
                NameSource::Fixed(format!("{base_name}Item")),
                &item_pointer,
            );
            // The envelope decodes as the runtime's `List<T>`, not as any lowered schema.
            if let Some(sites) = &mut types.sites {
                sites.insert(
                    schema_pointer,
                    (TypeRef::List(Box::new(lowered.ty.clone())), false),
                );
            }
            return Response::List(lowered.ty);
        }
    }
    let lowered = types.lower_ref(schema, NameSource::Fixed(hint.to_owned()), &schema_pointer);
    let ty = if lowered.nullable {
        TypeRef::Option(Box::new(lowered.ty))
    } else {
        lowered.ty
    };
    Response::Json(ty)
}
