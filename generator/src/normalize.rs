//! Normalize stage: a raw document value in, the same document in the OpenAPI 3.0 form `openapiv3` reads out.
//!
//! OpenAPI 3.1 writes nullability as `type: [T, "null"]`, constants as `const`, examples as a
//! list, and exclusive bounds as numbers; 3.0 has `nullable`, one-value `enum`, `example` and
//! booleans. Rewriting here, on the untyped value, keeps the meaning and lets one parser serve
//! both versions. Every rewrite that drops information is reported as a warning.

use crate::diagnostics::Diagnostic;
use serde_json::{Map, Value};

/// Rewrites `document` in place and returns warnings for what could not be kept.
pub fn normalize(document: &mut Value) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let is_31 = document
        .get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("3.1"));
    if is_31 {
        if let Some(version) = document.get_mut("openapi") {
            *version = Value::String("3.0.3".to_owned());
        }
    }
    if let Some(object) = document.as_object_mut() {
        // 3.1 allows a document without `paths`; openapiv3 does not.
        object
            .entry("paths")
            .or_insert_with(|| Value::Object(Map::new()));
        if !object.contains_key("info") {
            warnings.push(Diagnostic::warning(
                "/info",
                "the document has no `info`; a placeholder is used",
            ));
            object.insert(
                "info".to_owned(),
                serde_json::json!({"title": "API", "version": "0"}),
            );
        }
    }
    walk(document, "", &mut warnings);
    warnings
}

fn walk(value: &mut Value, pointer: &str, warnings: &mut Vec<Diagnostic>) {
    match value {
        Value::Object(object) => {
            if looks_like_schema(object) {
                rewrite_schema(object);
                drop_unrepresentable_bounds(object, pointer, warnings);
            }
            for (key, child) in object.iter_mut() {
                walk(
                    child,
                    &crate::diagnostics::pointer_push(pointer, key),
                    warnings,
                );
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter_mut().enumerate() {
                walk(
                    item,
                    &crate::diagnostics::pointer_push(pointer, &index.to_string()),
                    warnings,
                );
            }
        }
        _ => {}
    }
}

/// Integer bounds beyond 64 bits (real specs carry `18446744073709552000`) cannot be read as
/// an integer schema's bounds; they constrain nothing a 64-bit field could hold, so they go.
fn drop_unrepresentable_bounds(
    schema: &mut Map<String, Value>,
    pointer: &str,
    warnings: &mut Vec<Diagnostic>,
) {
    if schema.get("type").and_then(Value::as_str) != Some("integer") {
        return;
    }
    for keyword in ["minimum", "maximum", "multipleOf"] {
        let unrepresentable = schema
            .get(keyword)
            .is_some_and(|v| v.is_number() && v.as_i64().is_none());
        if unrepresentable {
            schema.remove(keyword);
            warnings.push(Diagnostic::warning(
                crate::diagnostics::pointer_push(pointer, keyword),
                format!("`{keyword}` is not a 64-bit integer; the bound is ignored"),
            ));
        }
    }
}

/// Schema objects are recognised by keywords only a schema carries; examples and extension
/// values are skipped by the caller never reaching them as schemas in practice.
fn looks_like_schema(object: &Map<String, Value>) -> bool {
    [
        "type",
        "const",
        "$ref",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "examples",
        "properties",
        "items",
    ]
    .iter()
    .any(|k| object.contains_key(*k))
        && !object.contains_key("in")
        && !object.contains_key("openapi")
}

fn rewrite_schema(schema: &mut Map<String, Value>) {
    // `type: [T, "null"]` → `type: T, nullable: true`; several non-null types → anyOf.
    if let Some(Value::Array(types)) = schema.get("type").cloned() {
        let names: Vec<String> = types
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect();
        let nullable = names.iter().any(|t| t == "null");
        let non_null: Vec<&String> = names.iter().filter(|t| *t != "null").collect();
        schema.remove("type");
        match non_null.as_slice() {
            [] => {}
            [single] => {
                schema.insert("type".to_owned(), Value::String((*single).clone()));
            }
            several => {
                let members = several
                    .iter()
                    .map(|t| serde_json::json!({"type": t}))
                    .collect();
                schema.insert("anyOf".to_owned(), Value::Array(members));
            }
        }
        if nullable {
            schema.insert("nullable".to_owned(), Value::Bool(true));
        }
    }
    if schema.get("type").and_then(Value::as_str) == Some("null") {
        schema.remove("type");
        schema.insert("nullable".to_owned(), Value::Bool(true));
        schema.insert("enum".to_owned(), Value::Array(vec![Value::Null]));
    }
    if let Some(constant) = schema.remove("const") {
        schema.insert("enum".to_owned(), Value::Array(vec![constant]));
    }
    if let Some(examples) = schema.remove("examples") {
        if let Some(first) = examples.as_array().and_then(|list| list.first()) {
            schema.entry("example").or_insert_with(|| first.clone());
        }
    }
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(number) = schema.get(exclusive).filter(|v| v.is_number()).cloned() {
            schema.insert(bound.to_owned(), number);
            schema.insert(exclusive.to_owned(), Value::Bool(true));
        }
    }
    // A `$ref` with siblings: 3.0 ignores the siblings, 3.1 applies them. Keep the meaning by
    // wrapping the reference in `allOf`, except for `nullable`/`description`, which the
    // lowering reads beside a `$ref` directly.
    if schema.contains_key("$ref") && schema.len() > 1 {
        let meaningful: Vec<String> = schema
            .keys()
            .filter(|k| {
                !matches!(
                    k.as_str(),
                    "$ref" | "description" | "nullable" | "summary" | "example" | "title"
                )
            })
            .filter(|k| !k.starts_with("x-"))
            .cloned()
            .collect();
        if !meaningful.is_empty() {
            let reference = schema.remove("$ref").unwrap_or(Value::Null);
            schema.insert("allOf".to_owned(), serde_json::json!([{"$ref": reference}]));
        }
    }
    if schema.contains_key("$ref") && schema.len() > 1 {
        let nullable = schema
            .get("nullable")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if nullable {
            // openapiv3 drops siblings of `$ref`; keep `nullable` by wrapping in a one-member anyOf.
            let reference = schema.remove("$ref").unwrap_or(Value::Null);
            schema.insert("anyOf".to_owned(), serde_json::json!([{"$ref": reference}]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn type_arrays_become_nullable() {
        let mut doc = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "components": {"schemas": {"a": {"type": ["string", "null"]}}}});
        normalize(&mut doc);
        assert_eq!(doc["openapi"], "3.0.3");
        assert_eq!(
            doc["components"]["schemas"]["a"],
            json!({"type": "string", "nullable": true})
        );
        assert!(doc["paths"].is_object());
    }

    #[test]
    fn const_and_examples_are_rewritten() {
        let mut doc = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "components": {"schemas": {"a": {"type": "string", "const": "x", "examples": ["x"]}}}});
        normalize(&mut doc);
        assert_eq!(
            doc["components"]["schemas"]["a"],
            json!({"type": "string", "enum": ["x"], "example": "x"})
        );
    }

    #[test]
    fn nullable_ref_is_kept() {
        let mut doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "components": {"schemas": {"a": {"$ref": "#/components/schemas/b", "nullable": true}, "b": {"type": "string"}}}});
        normalize(&mut doc);
        assert_eq!(
            doc["components"]["schemas"]["a"]["anyOf"][0]["$ref"],
            "#/components/schemas/b"
        );
        assert_eq!(doc["components"]["schemas"]["a"]["nullable"], true);
    }

    #[test]
    fn exclusive_bounds_become_booleans() {
        let mut doc = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "components": {"schemas": {"a": {"type": "integer", "exclusiveMinimum": 0}}}});
        normalize(&mut doc);
        assert_eq!(
            doc["components"]["schemas"]["a"],
            json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true})
        );
    }
}
