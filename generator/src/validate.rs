//! Validate stage: the raw and the parsed document in, every problem found (each with its JSON pointer) out.
//!
//! Runs before lowering and collects all problems in one pass, so a maintainer sees the whole
//! list at once rather than fixing them one run at a time.

use crate::diagnostics::{Diagnostic, Diagnostics, pointer_push};
use openapiv3::{OpenAPI, Parameter, ReferenceOr};
use serde_json::Value;
use std::collections::BTreeMap;

/// Checks references, operation ids and path parameters.
pub fn validate(raw: &Value, api: &OpenAPI) -> Diagnostics {
    let mut problems = Diagnostics::default();
    check_references(raw, raw, "", &mut problems);
    check_operations(api, &mut problems);
    problems
}

/// Resolves a local `#/…` reference against the raw document.
pub fn resolve_pointer<'a>(raw: &'a Value, reference: &str) -> Option<&'a Value> {
    let pointer = reference.strip_prefix('#')?;
    raw.pointer(&percent_decode(pointer))
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' && index + 2 < bytes.len() {
            if let Ok(byte) = u8::from_str_radix(&text[index + 1..index + 3], 16) {
                out.push(byte);
                index += 3;
                continue;
            }
        }
        out.push(bytes[index]);
        index += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn check_references(root: &Value, value: &Value, pointer: &str, problems: &mut Diagnostics) {
    match value {
        Value::Object(object) => {
            if let Some(reference) = object.get("$ref") {
                let here = pointer_push(pointer, "$ref");
                match reference.as_str() {
                    Some(text) if !text.starts_with('#') => problems.push(Diagnostic::error(
                        here,
                        format!("external reference `{text}` is not supported; bundle the document into one file first"),
                    )),
                    Some(text) => {
                        if resolve_pointer(root, text).is_none() {
                            problems.push(Diagnostic::error(here, format!("reference `{text}` does not resolve to anything in the document")));
                        }
                    }
                    None => problems.push(Diagnostic::error(here, "`$ref` must be a string")),
                }
            }
            for (key, child) in object {
                // Examples and extensions are free-form data; a `$ref` key inside them is not a reference.
                if key == "example" || key.starts_with("x-") {
                    continue;
                }
                check_references(root, child, &pointer_push(pointer, key), problems);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                check_references(
                    root,
                    item,
                    &pointer_push(pointer, &index.to_string()),
                    problems,
                );
            }
        }
        _ => {}
    }
}

fn check_operations(api: &OpenAPI, problems: &mut Diagnostics) {
    let mut seen_ids: BTreeMap<&str, String> = BTreeMap::new();
    for (path, item) in api.paths.paths.iter() {
        let path_pointer = pointer_push("/paths", path);
        let ReferenceOr::Item(item) = item else {
            problems.push(Diagnostic::error(
                path_pointer,
                "path items given as `$ref` are not supported",
            ));
            continue;
        };
        for (method, operation) in item.iter() {
            let pointer = pointer_push(&path_pointer, method);
            let label = match &operation.operation_id {
                Some(id) => format!("operation {id}"),
                None => format!("operation {} {path}", method.to_uppercase()),
            };
            if let Some(id) = &operation.operation_id {
                if let Some(first) = seen_ids.get(id.as_str()) {
                    problems.push(
                        Diagnostic::error(
                            pointer_push(&pointer, "operationId"),
                            format!("operationId `{id}` is already used at {first}"),
                        )
                        .in_context(label.clone()),
                    );
                } else {
                    seen_ids.insert(id, pointer.clone());
                }
            }
            check_path_parameters(
                path,
                &item.parameters,
                &operation.parameters,
                &pointer,
                &label,
                problems,
            );
        }
    }
}

/// Every `{name}` in the path must be declared as a path parameter, and every declared inline
/// parameter must say what it is (a schema or content).
fn check_path_parameters(
    path: &str,
    shared: &[ReferenceOr<Parameter>],
    own: &[ReferenceOr<Parameter>],
    pointer: &str,
    label: &str,
    problems: &mut Diagnostics,
) {
    let declared: Vec<(&str, &openapiv3::ParameterData, bool)> = shared
        .iter()
        .chain(own.iter())
        .filter_map(|p| match p {
            ReferenceOr::Item(Parameter::Path { parameter_data, .. }) => {
                Some((parameter_data.name.as_str(), parameter_data, true))
            }
            ReferenceOr::Item(other) => Some((
                other.parameter_data_ref().name.as_str(),
                other.parameter_data_ref(),
                false,
            )),
            ReferenceOr::Reference { .. } => None,
        })
        .collect();
    let has_refs = shared
        .iter()
        .chain(own.iter())
        .any(|p| matches!(p, ReferenceOr::Reference { .. }));
    for name in template_names(path) {
        let found = declared
            .iter()
            .any(|(n, _, is_path)| *n == name && *is_path);
        if !found && !has_refs {
            problems.push(
                Diagnostic::error(
                    pointer_push(pointer, "parameters"),
                    format!("path parameter `{name}` in `{path}` is not declared"),
                )
                .in_context(label.to_owned()),
            );
        }
    }
    for (index, parameter) in own.iter().enumerate() {
        if let ReferenceOr::Item(parameter) = parameter {
            let data = parameter.parameter_data_ref();
            if let openapiv3::ParameterSchemaOrContent::Content(content) = &data.format {
                if content.is_empty() {
                    problems.push(
                        Diagnostic::error(
                            pointer_push(&pointer_push(pointer, "parameters"), &index.to_string()),
                            format!("parameter `{}` has neither a schema nor content", data.name),
                        )
                        .in_context(label.to_owned()),
                    );
                }
            }
        }
    }
}

/// The names inside `{…}` in a path template, in order.
pub fn template_names(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(doc: Value) -> Diagnostics {
        let api: OpenAPI = serde_json::from_value(doc.clone()).unwrap();
        validate(&doc, &api)
    }

    #[test]
    fn dangling_refs_are_reported_with_pointer() {
        let problems = run(
            json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": {"a": {"$ref": "#/components/schemas/missing"}}}}),
        );
        let first = problems.errors().next().unwrap();
        assert_eq!(first.pointer, "/components/schemas/a/$ref");
        assert!(first.message.contains("does not resolve"));
    }

    #[test]
    fn duplicate_operation_ids_are_reported() {
        let op = json!({"operationId": "same", "responses": {"200": {"description": "ok"}}});
        let problems = run(
            json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": op.clone()}, "/b": {"get": op}}}),
        );
        let first = problems.errors().next().unwrap();
        assert_eq!(first.pointer, "/paths/~1b/get/operationId");
        assert_eq!(first.context.as_deref(), Some("operation same"));
    }

    #[test]
    fn undeclared_path_parameters_are_reported() {
        let problems = run(
            json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/a/{id}": {"get": {"operationId": "getA", "responses": {"200": {"description": "ok"}}}}}}),
        );
        assert!(problems.errors().any(|d| d.message.contains("`id`")));
    }

    #[test]
    fn template_names_in_order() {
        assert_eq!(template_names("/a/{x}/b/{y}"), vec!["x", "y"]);
    }
}
