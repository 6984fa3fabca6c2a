//! Validate stage: the raw and the parsed document in, every problem found (each with its JSON pointer) out.
//!
//! Runs before lowering and collects all problems in one pass, so a maintainer sees the whole
//! list at once rather than fixing them one run at a time.

mod references;

use crate::diagnostics::{Diagnostic, Diagnostics, pointer_push};
use openapiv3::{OpenAPI, Parameter, ReferenceOr};
use serde_json::Value;
use std::collections::BTreeMap;

/// Checks references, operation ids and path parameters.
pub fn validate(raw: &Value, api: &OpenAPI) -> Diagnostics {
    let mut problems = validate_document(raw);
    problems.0.extend(validate_parsed(api).0);
    problems
}

/// The checks that read the document as written (its references), which can run before the
/// typed parse takes the document; [`validate`]'s first half.
pub fn validate_document(raw: &Value) -> Diagnostics {
    let mut problems = Diagnostics::default();
    references::check(raw, &mut problems);
    problems
}

/// The checks on the typed document (server URLs, operations); [`validate`]'s second half.
pub fn validate_parsed(api: &OpenAPI) -> Diagnostics {
    let mut problems = Diagnostics::default();
    check_servers(api, &mut problems);
    check_operations(api, &mut problems);
    problems
}

/// A server URL, with its variables' defaults filled in, becomes the client's default base
/// URL; characters RFC 3986 never allows in a URL (quotes, backslashes, spaces, control
/// characters, …) mean it is not one.
fn check_servers(api: &OpenAPI, problems: &mut Diagnostics) {
    for (index, server) in api.servers.iter().enumerate() {
        let pointer = pointer_push("/servers", &index.to_string());
        check_url_text(&server.url, pointer_push(&pointer, "url"), problems);
        for (name, variable) in server.variables.iter().flatten() {
            let at = pointer_push(
                &pointer_push(&pointer_push(&pointer, "variables"), name),
                "default",
            );
            check_url_text(&variable.default, at, problems);
        }
    }
}

fn check_url_text(text: &str, pointer: String, problems: &mut Diagnostics) {
    let never_in_a_url = |c: &char| {
        c.is_whitespace() || c.is_control() || matches!(c, '"' | '\\' | '<' | '>' | '^' | '`' | '|')
    };
    let Some(bad) = text.chars().find(never_in_a_url) else {
        return;
    };
    let encoded = if bad.is_ascii() {
        format!(" (%{:02X})", u32::from(bad))
    } else {
        String::new()
    };
    let message = format!(
        "`{}` contains {bad:?}, which a server URL cannot hold; percent-encode it{encoded}",
        text.escape_debug()
    );
    problems.push(Diagnostic::error(pointer, message));
}

/// Resolves a local `#/…` reference against the raw document.
pub fn resolve_pointer<'a>(raw: &'a Value, reference: &str) -> Option<&'a Value> {
    let pointer = reference.strip_prefix('#')?;
    crate::diagnostics::value_at(raw, &percent_decode(pointer))
}

/// Decodes `%XX` escapes byte by byte, so a `%` before a multi-byte character cannot split it.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let escaped = match bytes.get(index..index + 3) {
            Some([b'%', high, low]) => hex(*high).zip(hex(*low)).map(|(h, l)| h * 16 + l),
            _ => None,
        };
        match escaped {
            Some(byte) => {
                out.push(byte);
                index += 3;
            }
            None => {
                out.push(bytes[index]);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(digit: u8) -> Option<u8> {
    char::from(digit)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

fn check_operations(api: &OpenAPI, problems: &mut Diagnostics) {
    let mut seen_ids: BTreeMap<&str, String> = BTreeMap::new();
    for (path, item) in api.paths.paths.iter() {
        let path_pointer = pointer_push("/paths", path);
        let ReferenceOr::Item(item) = item else {
            problems.push(Diagnostic::error(
                path_pointer,
                "path items given as `$ref` are not supported; move the path item into `paths`",
            ));
            continue;
        };
        if let Some(problem) = template_problem(path) {
            problems.push(Diagnostic::error(path_pointer.clone(), problem));
            continue;
        }
        let shared_pointer = pointer_push(&path_pointer, "parameters");
        let shared = &item.parameters;
        check_parameter_content(api, shared, &shared_pointer, None, problems);
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
                            format!(
                                "operationId `{id}` is already used at {first}; operationIds must be unique"
                            ),
                        )
                        .in_context(label.clone()),
                    );
                } else {
                    seen_ids.insert(id, pointer.clone());
                }
            }
            let own = &operation.parameters;
            let own_pointer = pointer_push(&pointer, "parameters");
            check_parameter_content(api, own, &own_pointer, Some(&label), problems);
        }
    }
}

/// A path template's braces must pair up around non-empty names: `/a/{id}`, not `/a/{id` or `/a/{}`.
fn template_problem(path: &str) -> Option<String> {
    let mut open = false;
    let mut name_len = 0;
    for c in path.chars() {
        match (c, open) {
            ('{', false) => {
                open = true;
                name_len = 0;
            }
            ('}', true) if name_len > 0 => open = false,
            ('{', true) => {
                return Some(format!(
                    "path `{path}` has a `{{` inside `{{…}}`; close each parameter name with `}}`"
                ));
            }
            ('}', _) => {
                return Some(format!(
                    "path `{path}` has a `}}` without a name in `{{…}}` before it"
                ));
            }
            (_, true) => name_len += 1,
            (_, false) => {}
        }
    }
    open.then(|| format!("path `{path}` has a `{{` that is never closed; write `{{name}}`"))
}

/// Every parameter must say what it carries. (Path templates and path parameters are made to
/// agree by the normalize stage, which reads their disagreements as defects.)
fn check_parameter_content(
    api: &OpenAPI,
    parameters: &[ReferenceOr<Parameter>],
    pointer: &str,
    label: Option<&str>,
    problems: &mut Diagnostics,
) {
    for (index, parameter) in parameters.iter().enumerate() {
        let Some(parameter) = crate::lower::resolve_parameter(api, parameter) else {
            continue;
        };
        let data = parameter.parameter_data_ref();
        let here = pointer_push(pointer, &index.to_string());
        let mut report = |message: String| {
            let diagnostic = Diagnostic::error(here.clone(), message);
            problems.push(match label {
                Some(label) => diagnostic.in_context(label.to_owned()),
                None => diagnostic,
            });
        };
        let name = &data.name;
        if let openapiv3::ParameterSchemaOrContent::Content(content) = &data.format {
            if content.is_empty() {
                report(format!(
                    "parameter `{name}` has neither a schema nor content; add a `schema`"
                ));
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
    fn a_property_named_like_a_keyword_is_not_a_reference() {
        let schema = json!({"type": "object", "properties": {
            "$ref": {"type": "string"}, "discriminator": {"type": "string"}}});
        let problems = run(
            json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": {"a": schema}}}),
        );
        assert!(problems.is_empty(), "{problems}");
    }

    #[test]
    fn percent_escapes_before_multibyte_characters_do_not_panic() {
        assert_eq!(percent_decode("/a%é"), "/a%é");
        assert_eq!(percent_decode("/a%4é"), "/a%4é");
        assert_eq!(percent_decode("/a%20b%"), "/a b%");
    }

    #[test]
    fn broken_templates_are_named() {
        assert!(template_problem("/a/{id}/b/{x}").is_none());
        for broken in ["/a/{id", "/a/{}", "/a/id}", "/a/{{id}}"] {
            assert!(template_problem(broken).is_some(), "{broken}");
        }
    }

    #[test]
    fn template_names_in_order() {
        assert_eq!(template_names("/a/{x}/b/{y}"), vec!["x", "y"]);
    }
}
