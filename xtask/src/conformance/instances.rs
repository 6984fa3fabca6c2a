//! The instances a document offers for each schema site: the `example`/`examples` of the schema itself and, for the schema of a media type or a parameter, theirs too.

use super::document::resolve;
use serde_json::Value;

/// One instance found in the document.
#[derive(Debug, Clone)]
pub struct Example {
    /// Where the value is written (canonical, so an example reached by several routes is one).
    pub location: String,
    pub value: Value,
}

/// Every example that describes the schema at `pointer` (a site of the model).
pub fn examples_of(document: &Value, pointer: &str) -> Vec<Example> {
    let mut found = Vec::new();
    let Some((schema, canonical)) = resolve(document, pointer) else {
        return found;
    };
    if let Some(value) = schema.get("example") {
        found.push(Example {
            location: format!("{canonical}/example"),
            value: value.clone(),
        });
    }
    // JSON Schema's own `examples` (3.1) is an array of values.
    if let Some(Value::Array(values)) = schema.get("examples") {
        for (index, value) in values.iter().enumerate() {
            found.push(Example {
                location: format!("{canonical}/examples/{index}"),
                value: value.clone(),
            });
        }
    }
    if let Some(parent) = owner_of_schema(pointer) {
        if let Some((owner, owner_canonical)) = resolve(document, parent) {
            collect_owner_examples(document, owner, &owner_canonical, &mut found);
        }
    }
    found
}

/// For `…/content/{media}/schema` and `…/parameters/{n}/schema` (also `components/parameters`
/// and headers), the pointer of the media type or parameter; for a property that happens to be
/// called `schema`, nothing.
fn owner_of_schema(pointer: &str) -> Option<&str> {
    let parent = pointer.strip_suffix("/schema")?;
    let grandparent = parent.rsplit_once('/')?.0;
    let kind = grandparent.rsplit_once('/')?.1;
    matches!(kind, "content" | "parameters" | "headers").then_some(parent)
}

/// A media type's or parameter's `example`, and each Example Object's `value` in `examples`
/// (through `$ref`s to `components/examples`); an `externalValue` is not fetched.
fn collect_owner_examples(
    document: &Value,
    owner: &Value,
    canonical: &str,
    found: &mut Vec<Example>,
) {
    if let Some(value) = owner.get("example") {
        found.push(Example {
            location: format!("{canonical}/example"),
            value: value.clone(),
        });
    }
    let Some(Value::Object(examples)) = owner.get("examples") else {
        return;
    };
    for name in examples.keys() {
        let at = format!("{canonical}/examples/{}", super::document::escape(name));
        let Some((example, example_canonical)) = resolve(document, &format!("{at}/value")) else {
            continue;
        };
        found.push(Example {
            location: example_canonical,
            value: example.clone(),
        });
    }
}

/// Sites the instance generator fills when the document gives no example: schemas a message
/// is decoded as (components, bodies, responses, parameters), not every nested property,
/// which their parents' instances already exercise.
pub fn is_root_site(pointer: &str) -> bool {
    let tokens: Vec<&str> = pointer.split('/').skip(1).collect();
    matches!(
        tokens.as_slice(),
        ["components", "schemas", _]
            | [.., "content", _, "schema"]
            | [.., "parameters", _, "schema"]
            | [.., "headers", _, "schema"]
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn media_type_examples_and_schema_examples_are_found() {
        let document = json!({
            "paths": {"/a": {"get": {"responses": {"200": {"content": {"application/json": {
                "schema": {"type": "object", "example": {"a": 1}},
                "examples": {"one": {"value": {"a": 2}}, "two": {"$ref": "#/components/examples/T"},
                             "far": {"externalValue": "https://x"}}
            }}}}}}},
            "components": {"examples": {"T": {"value": {"a": 3}}}}
        });
        let pointer = "/paths/~1a/get/responses/200/content/application~1json/schema";
        let found: Vec<Value> = examples_of(&document, pointer)
            .into_iter()
            .map(|e| e.value)
            .collect();
        assert_eq!(
            found,
            vec![json!({"a": 1}), json!({"a": 2}), json!({"a": 3})]
        );
        assert!(is_root_site(pointer));
        assert!(!is_root_site("/components/schemas/A/properties/schema"));
        assert_eq!(
            owner_of_schema("/components/schemas/A/properties/schema"),
            None
        );
    }
}
