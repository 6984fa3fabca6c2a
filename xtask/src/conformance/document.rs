//! The OpenAPI document as the conformance check reads it: JSON pointers resolved through `$ref`s, and schemas translated from OpenAPI 3.0's dialect into JSON Schema 2020-12.

use serde_json::{Map, Value, json};
use std::collections::BTreeSet;

/// Unescapes one JSON-pointer token (`~1` → `/`, `~0` → `~`).
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Escapes one JSON-pointer token.
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Follows a local `$ref` (`#/…`) to the pointer it names, if the node is one.
fn reference_of(node: &Value) -> Option<&str> {
    node.get("$ref")?.as_str()?.strip_prefix('#')
}

/// Resolves `pointer` in `document`, following a `$ref` whenever the next token is not a member
/// of the reference object itself (a parameter that is a `$ref` still has its schema at
/// `…/parameters/0/schema`). Returns the node and its canonical pointer (where it really is).
pub fn resolve<'a>(document: &'a Value, pointer: &str) -> Option<(&'a Value, String)> {
    let mut node = document;
    let mut canonical = String::new();
    let mut hops = 0;
    for token in pointer.split('/').skip(1) {
        let token = unescape(token);
        loop {
            let next = match node {
                Value::Object(members) => members.get(&token),
                Value::Array(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
                _ => None,
            };
            if let Some(next) = next {
                node = next;
                canonical.push('/');
                canonical.push_str(&escape(&token));
                break;
            }
            // Not here: the node may be a reference whose target has it. Bounded, so a cycle of
            // references cannot loop forever.
            let target = reference_of(node)?;
            hops += 1;
            if hops > 64 {
                return None;
            }
            node = document.pointer(target)?;
            canonical = target.to_owned();
        }
    }
    Some((node, canonical))
}

/// The document with every schema in JSON Schema 2020-12 terms, so a stock validator (and the
/// instance generator) read it as OpenAPI means it:
/// - 3.0 `nullable: true` → `null` added to `type` (and to `enum`); a schema without `type` or
///   with `allOf`/`anyOf`/`oneOf`/`not`/`$ref` becomes `anyOf: [the schema, {type: null}]`
///   instead, which moves it one level down (see [`Translated::pointer`]);
/// - 3.0 boolean `exclusiveMinimum`/`exclusiveMaximum` → the 2020-12 numeric forms;
/// - `format: int32`/`int64` → the bounds those formats promise (JSON Schema has no such
///   formats, so a validator would let 2^40 through to an `i32`); any other integer gets the
///   int64 bounds, the generator's reading (it types such integers `i64`), so an example beyond
///   them (DigitalOcean's `9223372036854776000`, a 64-bit maximum rounded by a double) is listed
///   as invalid for that reading rather than decoded;
/// - a `discriminator` becomes what OpenAPI says it means: an instance whose tag names a
///   schema (by `mapping`, or by a member's component name) must be valid against that schema,
///   as `allOf` members `if tag is X then $ref X` (JSON Schema alone ignores the keyword, and
///   would accept `{method: link}` as the `code` member of a `oneOf`);
/// - `properties` without `type` (and without `allOf`/`anyOf`/`oneOf`/`$ref`) → `type: object`,
///   as the generator reads it;
/// - any other `format` than `date`/`date-time` is dropped: the generated types hold those as
///   plain strings, so asserting them (e-mail, URI, UUID…) would only hide instances.
///
/// Example, default, enum and const values are data and are left exactly as written.
pub struct Translated {
    pub document: Value,
    /// Pointers (in the original document) of schemas that were wrapped in `anyOf`.
    wrapped: BTreeSet<String>,
}

impl Translated {
    pub fn new(document: &Value, openapi_3_0: bool) -> Self {
        let mut wrapped = BTreeSet::new();
        let document = translate_node(document, "", openapi_3_0, &mut wrapped);
        Self { document, wrapped }
    }

    /// Where a node of the original document is in the translated one.
    pub fn pointer(&self, original: &str) -> String {
        let mut out = String::with_capacity(original.len() + 16);
        let mut prefix = String::with_capacity(original.len());
        if self.wrapped.contains("") {
            out.push_str("/anyOf/0");
        }
        for token in original.split('/').skip(1) {
            prefix.push('/');
            prefix.push_str(token);
            out.push('/');
            out.push_str(token);
            if self.wrapped.contains(&prefix) {
                out.push_str("/anyOf/0");
            }
        }
        out
    }
}

fn add_discriminator_rules(out: &mut Map<String, Value>) {
    let Some(property) = out
        .get("discriminator")
        .and_then(|d| d.get("propertyName"))
        .and_then(Value::as_str)
        .map(str::to_owned)
    else {
        return;
    };
    let mut mapping: Vec<(String, String)> = Vec::new();
    if let Some(Value::Object(entries)) = out["discriminator"].get("mapping") {
        for (tag, target) in entries {
            if let Some(target) = target.as_str() {
                let target = if target.starts_with('#') {
                    target.to_owned()
                } else {
                    format!("#/components/schemas/{target}")
                };
                mapping.push((tag.clone(), target));
            }
        }
    }
    for keyword in ["oneOf", "anyOf"] {
        let Some(Value::Array(members)) = out.get(keyword) else {
            continue;
        };
        for member in members {
            let Some(target) = member.get("$ref").and_then(Value::as_str) else {
                continue;
            };
            let Some(name) = target.strip_prefix("#/components/schemas/") else {
                continue;
            };
            if !mapping.iter().any(|(_, mapped)| mapped == target) {
                mapping.push((name.to_owned(), target.to_owned()));
            }
        }
    }
    let rules: Vec<Value> = mapping
        .into_iter()
        .map(|(tag, target)| {
            json!({
                "if": {"properties": {&property: {"const": tag}}, "required": [&property]},
                "then": {"$ref": target}
            })
        })
        .collect();
    if rules.is_empty() {
        return;
    }
    // Appended after any `allOf` members already there, so their pointers do not move.
    match out.get_mut("allOf") {
        Some(Value::Array(parts)) => parts.extend(rules),
        _ => {
            out.insert("allOf".to_owned(), Value::Array(rules));
        }
    }
}

fn translate_node(
    node: &Value,
    pointer: &str,
    openapi_3_0: bool,
    wrapped: &mut BTreeSet<String>,
) -> Value {
    match node {
        Value::Array(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(index, item)| {
                    translate_node(item, &format!("{pointer}/{index}"), openapi_3_0, wrapped)
                })
                .collect(),
        ),
        Value::Object(members) => translate_object(members, pointer, openapi_3_0, wrapped),
        other => other.clone(),
    }
}

fn translate_object(
    members: &Map<String, Value>,
    pointer: &str,
    openapi_3_0: bool,
    wrapped: &mut BTreeSet<String>,
) -> Value {
    let mut out = Map::new();
    for (key, value) in members {
        let value = match key.as_str() {
            "example" | "examples" | "default" | "enum" | "const" => value.clone(),
            _ => translate_node(
                value,
                &format!("{pointer}/{}", escape(key)),
                openapi_3_0,
                wrapped,
            ),
        };
        out.insert(key.clone(), value);
    }
    if openapi_3_0 {
        for (exclusive, bound) in [
            ("exclusiveMinimum", "minimum"),
            ("exclusiveMaximum", "maximum"),
        ] {
            if let Some(Value::Bool(flag)) = out.get(exclusive).cloned() {
                out.remove(exclusive);
                if flag {
                    if let Some(limit) = out.remove(bound) {
                        out.insert(exclusive.to_owned(), limit);
                    }
                }
            }
        }
    }
    // Only a string-valued `format` is the keyword: a property *named* `format` sits under
    // `properties` with a schema (an object) as its value.
    let is_integer = match out.get("type") {
        Some(Value::String(single)) => single == "integer",
        Some(Value::Array(types)) => types.iter().any(|t| t == "integer"),
        _ => false,
    };
    // The generator types `int32` as i32 and every other integer (no format, `int64`, or a
    // format it does not know) as i64.
    let integer_bounds = match out.get("format").and_then(Value::as_str) {
        Some("int32") => Some((i64::from(i32::MIN), i64::from(i32::MAX))),
        Some("int64") => Some((i64::MIN, i64::MAX)),
        _ if is_integer => Some((i64::MIN, i64::MAX)),
        _ => None,
    };
    if let Some(format) = out.get("format").and_then(Value::as_str) {
        if format != "date" && format != "date-time" {
            out.remove("format");
        }
    }
    if let Some((low, high)) = integer_bounds {
        // A bound the schema states itself is left alone (it is almost always the tighter).
        for (keyword, exclusive, limit) in [
            ("minimum", "exclusiveMinimum", low),
            ("maximum", "exclusiveMaximum", high),
        ] {
            if !out.contains_key(keyword) && !out.contains_key(exclusive) {
                out.insert(keyword.to_owned(), json!(limit));
            }
        }
    }
    add_discriminator_rules(&mut out);
    // `properties` without a `type` is an object: the reading the generator takes (and the
    // document's evident intent), where JSON Schema alone would also accept "8" or `false`.
    let object_keywords = ["properties", "required", "additionalProperties"];
    let composed = ["allOf", "anyOf", "oneOf", "$ref"];
    if !out.contains_key("type")
        && out.get("properties").is_some_and(Value::is_object)
        && object_keywords.iter().any(|k| out.contains_key(*k))
        && !composed.iter().any(|k| out.contains_key(*k))
    {
        out.insert("type".to_owned(), json!("object"));
    }
    if openapi_3_0 && out.get("nullable") == Some(&Value::Bool(true)) {
        out.remove("nullable");
        let composed = ["allOf", "anyOf", "oneOf", "not", "$ref"]
            .iter()
            .any(|keyword| out.contains_key(*keyword));
        match out.get("type").and_then(Value::as_str).map(str::to_owned) {
            Some(single) if !composed => {
                out.insert("type".to_owned(), json!([single, "null"]));
                // An enum that does not list null still admits it when nullable (3.0.3).
                if let Some(Value::Array(values)) = out.get_mut("enum") {
                    if !values.contains(&Value::Null) {
                        values.push(Value::Null);
                    }
                }
            }
            _ => {
                wrapped.insert(pointer.to_owned());
                return json!({"anyOf": [Value::Object(out), {"type": "null"}]});
            }
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_on_the_way_is_followed() {
        let document = json!({
            "paths": {"/a": {"get": {"parameters": [{"$ref": "#/components/parameters/P"}]}}},
            "components": {"parameters": {"P": {"name": "p", "schema": {"type": "string"}}}}
        });
        let (node, canonical) = resolve(&document, "/paths/~1a/get/parameters/0/schema").unwrap();
        assert_eq!(node, &json!({"type": "string"}));
        assert_eq!(canonical, "/components/parameters/P/schema");
        assert!(resolve(&document, "/paths/~1a/get/parameters/1").is_none());
    }

    #[test]
    fn an_integer_without_format_is_bounded_as_the_i64_it_is_generated_as() {
        let schema = json!({"type": "integer", "example": 9223372036854775807i64});
        let translated = Translated::new(&schema, true);
        assert_eq!(
            translated.document,
            json!({"type": "integer", "example": 9223372036854775807i64,
                   "minimum": i64::MIN, "maximum": i64::MAX})
        );
    }

    #[test]
    fn openapi_3_0_schemas_become_2020_12() {
        let schema = json!({"properties": {"n": {
            "type": "integer", "format": "int32", "nullable": true,
            "minimum": 0, "exclusiveMinimum": true, "example": {"nullable": true}
        }, "o": {"allOf": [{"type": "object"}], "nullable": true}}});
        let translated = Translated::new(&schema, true);
        assert_eq!(
            translated.document,
            json!({"properties": {"n": {
                "type": ["integer", "null"], "exclusiveMinimum": 0, "example": {"nullable": true},
                "maximum": 2147483647
            }, "o": {"anyOf": [{"allOf": [{"type": "object"}]}, {"type": "null"}]}},
            "type": "object"})
        );
        assert_eq!(
            translated.pointer("/properties/o/allOf/0"),
            "/properties/o/anyOf/0/allOf/0"
        );
        assert_eq!(translated.pointer("/properties/n"), "/properties/n");
        let union = json!({"oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}],
            "discriminator": {"propertyName": "kind", "mapping": {"a": "#/components/schemas/A"}}});
        let rules = &Translated::new(&union, true).document["allOf"];
        assert_eq!(rules.as_array().map(Vec::len), Some(2), "{rules}");
        assert_eq!(rules[0]["if"]["properties"]["kind"]["const"], "a");
        assert_eq!(rules[1]["if"]["properties"]["kind"]["const"], "B");
        let typeless = Translated::new(&json!({"properties": {"a": {"type": "string"}}}), true);
        assert_eq!(typeless.document["type"], "object");
        let email = Translated::new(&json!({"type": "string", "format": "email"}), true);
        assert_eq!(email.document, json!({"type": "string"}));
    }
}
