//! The schema check: one Schema Object's keywords, each with the JSON type `openapiv3` reads it as, and advice for the common Swagger 2.0 and JSON Schema slips.

use super::{MAX_SCHEMA_DEPTH, SCHEMA_TYPES, Shape, describe};
use crate::diagnostics::{kind_of, pointer_push};
use serde_json::{Map, Value};

impl Shape {
    pub(super) fn schema_or_ref(&mut self, value: &Value, pointer: &str) {
        self.ref_or(value, pointer, Shape::schema);
    }

    fn schema(&mut self, value: &Value, pointer: &str) {
        if self.schema_depth == MAX_SCHEMA_DEPTH {
            let message = format!(
                "schemas are nested more than {MAX_SCHEMA_DEPTH} levels deep here; move inner schemas into `components/schemas` and refer to them with `$ref`"
            );
            return self.error(pointer.to_owned(), message);
        }
        self.schema_depth += 1;
        self.schema_keywords(value, pointer);
        self.schema_depth -= 1;
    }

    fn schema_keywords(&mut self, value: &Value, pointer: &str) {
        let Some(map) = self.object(value, pointer, "a schema") else {
            return;
        };
        self.schema_type(map, pointer);
        for key in ["format", "pattern", "title", "description"] {
            self.string(map, pointer, key, false);
        }
        for key in ["multipleOf", "minimum", "maximum"] {
            self.number(map, pointer, key);
        }
        for key in ["nullable", "readOnly", "writeOnly", "deprecated"] {
            self.boolean(map, pointer, key);
        }
        for key in ["exclusiveMinimum", "exclusiveMaximum", "uniqueItems"] {
            self.optional_boolean(map, pointer, key);
        }
        for key in [
            "minLength",
            "maxLength",
            "minItems",
            "maxItems",
            "minProperties",
            "maxProperties",
        ] {
            self.count(map, pointer, key);
        }
        self.schema_required(map, pointer);
        if let Some(value) = Shape::get(map, "enum").filter(|v| !v.is_array()) {
            let message = format!(
                "`enum` must be a list of the allowed values, not {}; write `enum: [{value}]`",
                kind_of(value)
            );
            self.error(pointer_push(pointer, "enum"), message);
        }
        self.optional_map_of(map, pointer, "properties", Shape::schema_or_ref);
        self.schema_items(map, pointer);
        for key in ["allOf", "oneOf", "anyOf"] {
            self.optional_list(map, pointer, key, Shape::schema_or_ref);
        }
        self.field(map, pointer, "not", Shape::schema_or_ref);
        self.field(map, pointer, "discriminator", Shape::discriminator);
        self.field(map, pointer, "externalDocs", Shape::external_docs);
    }

    fn schema_type(&mut self, map: &Map<String, Value>, pointer: &str) {
        let message = match Shape::get(map, "type") {
            None => return,
            Some(Value::String(name)) if SCHEMA_TYPES.contains(&name.as_str()) => return,
            Some(Value::String(name)) => format!(
                "unknown type `{name}`; use one of {}",
                SCHEMA_TYPES.join(", ")
            ),
            Some(other) => format!(
                "`type` must be a string naming one of {}, not {}",
                SCHEMA_TYPES.join(", "),
                describe(other)
            ),
        };
        self.error(pointer_push(pointer, "type"), message);
    }

    /// `required` is the object's list of property names; `required: true` on a property is
    /// Swagger 2.0 / JSON Schema draft 3 and gets its own advice.
    fn schema_required(&mut self, map: &Map<String, Value>, pointer: &str) {
        match Shape::get(map, "required") {
            Some(Value::Bool(_)) => self.error(
                pointer_push(pointer, "required"),
                "`required` on a schema is the object's list of required property names, not true/false; \
                 move the name into the parent object's `required: [...]`"
                    .to_owned(),
            ),
            Some(_) => self.strings(map, pointer, "required"),
            None => {}
        }
    }

    fn schema_items(&mut self, map: &Map<String, Value>, pointer: &str) {
        let at = pointer_push(pointer, "items");
        match Shape::get(map, "items") {
            Some(Value::Array(_)) => self.error(
                at,
                "`items` must be one schema (a mapping), not a list; OpenAPI 3.0 has no tuple form"
                    .to_owned(),
            ),
            Some(items) => self.schema_or_ref(items, &at),
            None => {}
        }
        let at = pointer_push(pointer, "additionalProperties");
        match Shape::get(map, "additionalProperties") {
            None | Some(Value::Bool(_)) => {}
            Some(schema @ Value::Object(_)) => self.schema_or_ref(schema, &at),
            Some(other) => {
                let message = format!(
                    "`additionalProperties` must be true, false or a schema, not {}",
                    kind_of(other)
                );
                self.error(at, message);
            }
        }
    }

    fn discriminator(&mut self, value: &Value, pointer: &str) {
        let Some(map) = self.object(value, pointer, "`discriminator`") else {
            return;
        };
        self.string(map, pointer, "propertyName", true);
        if let Some(mapping) = map.get("mapping") {
            let at = pointer_push(pointer, "mapping");
            if let Some(mapping) = self.object(mapping, &at, "`mapping`") {
                for key in mapping.keys() {
                    self.string(mapping, &at, key, false);
                }
            }
        }
    }
}
