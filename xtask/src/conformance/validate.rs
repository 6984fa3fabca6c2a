//! Judging instances against the document's schemas with the `jsonschema` crate: the translated document is one registered resource, and each schema is reached by a `$ref` into it.

use jsonschema::{Draft, Registry, Validator};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// The base URI the translated document is registered under.
const DOCUMENT_URI: &str = "urn:conformance:document";

/// Validators for the schemas of one document, compiled on first use.
pub struct Schemas<'a> {
    registry: Registry<'a>,
    compiled: BTreeMap<String, Result<Validator, String>>,
}

impl<'a> Schemas<'a> {
    /// `translated` is the document in JSON Schema 2020-12 terms (see `document::translate`).
    pub fn new(translated: &'a Value) -> Result<Self, String> {
        let registry = Registry::new()
            .draft(Draft::Draft202012)
            .add(DOCUMENT_URI, translated)
            .and_then(|builder| builder.prepare())
            .map_err(|error| format!("the document cannot be registered as a schema: {error}"))?;
        Ok(Self {
            registry,
            compiled: BTreeMap::new(),
        })
    }

    /// `Ok(None)` when `instance` is valid against the schema at `pointer` (canonical), `Ok(Some(why))`
    /// when it is not, `Err` when the schema itself cannot be compiled.
    pub fn check(&mut self, pointer: &str, instance: &Value) -> Result<Option<String>, String> {
        if !self.compiled.contains_key(pointer) {
            let reference = json!({"$ref": format!("{DOCUMENT_URI}#{}", fragment(pointer))});
            let validator = jsonschema::options()
                .with_draft(Draft::Draft202012)
                .with_registry(&self.registry)
                .should_validate_formats(true)
                .build(&reference)
                .map_err(|error| format!("schema does not compile: {error}"));
            self.compiled.insert(pointer.to_owned(), validator);
        }
        match &self.compiled[pointer] {
            Ok(validator) => Ok(validator
                .iter_errors(instance)
                .next()
                .map(|error| format!("{} (at `{}`)", error, error.instance_path()))),
            Err(error) => Err(error.clone()),
        }
    }
}

/// A JSON pointer as a URI fragment: everything but unreserved characters, `/` and `~`
/// percent-encoded (paths carry `{`, `}` and spaces).
fn fragment(pointer: &str) -> String {
    let mut out = String::with_capacity(pointer.len());
    for byte in pointer.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instances_are_judged_through_references() {
        let document = json!({
            "paths": {"/a/{id}": {"get": {"responses": {"200": {"content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Pet"}}}}}}}},
            "components": {"schemas": {"Pet": {"type": "object", "required": ["id"],
                "properties": {"id": {"type": "integer"}, "at": {"type": "string", "format": "date-time"}}}}}
        });
        let mut schemas = Schemas::new(&document).unwrap();
        let pointer = "/paths/~1a~1{id}/get/responses/200/content/application~1json/schema";
        let nested = "/components/schemas/Pet/properties/id";
        assert_eq!(schemas.check(nested, &json!(1)).unwrap(), None);
        assert_eq!(schemas.check(pointer, &json!({"id": 1})).unwrap(), None);
        assert!(
            schemas
                .check(pointer, &json!({"id": "x"}))
                .unwrap()
                .is_some()
        );
        let bad_time = json!({"id": 1, "at": "yesterday"});
        assert!(schemas.check(pointer, &bad_time).unwrap().is_some());
    }
}
