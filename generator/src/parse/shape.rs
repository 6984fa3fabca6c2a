//! Shape check: a normalized document value in, every value of the wrong JSON type (each with its exact pointer and a plain fix) out.
//!
//! `openapiv3` reads schemas through flattened and untagged serde types, which lose the path of
//! a bad value, and it silently drops some things it does not understand (a path key without a
//! leading `/`, a response key that is not a status code). So the document is walked once here,
//! against the part of the OpenAPI 3.0 structure the typed parser relies on, before serde sees
//! it. The check is never stricter than `openapiv3` about types (`null` is absent wherever the
//! parser takes an `Option`), with deliberate exceptions where the parser would silently drop or
//! misread input (unknown schema `type` names, misplaced keys in `paths` and `responses`) and a
//! limit on how deeply schemas nest, which keeps the later stages' recursion bounded.

use crate::OPERATION_METHODS as METHODS;
use crate::diagnostics::{Diagnostic, kind_of, pointer_enter, pointer_enter_index, pointer_push};
use crate::lookup::member;
use serde_json::{Map, Value};

/// The first part of the check: everything but `components`. The two parts share nothing, so
/// they can run side by side; the whole check (`parse::check`) is the first's findings followed
/// by the second's, and no findings at all mean `openapiv3` can read every value's type.
pub fn check_outside_components(document: &Value) -> Vec<Diagnostic> {
    let mut shape = Shape::default();
    shape.outside_components(document);
    shape.found
}

/// The second part of the check: `components`.
pub fn check_components(document: &Value) -> Vec<Diagnostic> {
    let mut shape = Shape::default();
    shape.components_of(document);
    shape.found
}

/// The schema types OpenAPI 3.0 defines (3.1's `null` has been normalized away by now).
const SCHEMA_TYPES: &[&str] = &["string", "number", "integer", "boolean", "array", "object"];
const QUERY_STYLES: &[&str] = &["form", "spaceDelimited", "pipeDelimited", "deepObject"];

/// A check for one kind of OpenAPI object, called with the value and its pointer.
type Check = fn(&mut Shape, &Value, &str);

/// How deeply schemas may nest inside one another (each `properties` entry, `items`,
/// `allOf`/`oneOf`/`anyOf` member, `not` and `additionalProperties` is one level). The
/// lowering and the emitters recurse once or more per level; no real API description nests
/// inline schemas anywhere near this deep, and a document that does would only find the end
/// of some thread's stack.
const MAX_SCHEMA_DEPTH: usize = 32;

#[derive(Default)]
struct Shape {
    found: Vec<Diagnostic>,
    /// The schema nesting level of the schema being checked.
    schema_depth: usize,
}

/// Field-level helpers: each looks up one key of `map` (at `pointer`) and reports a wrong type.
impl Shape {
    fn error(&mut self, pointer: String, message: String) {
        self.found.push(Diagnostic::error(pointer, message));
    }

    /// An optional field's value. `null` counts as absent, as it does for the fields
    /// `openapiv3` reads as `Option` (YAML makes it of a key with nothing after it).
    fn get<'v>(map: &'v Map<String, Value>, key: &str) -> Option<&'v Value> {
        member(map, key).filter(|value| !value.is_null())
    }

    /// A field `openapiv3` reads with a default (a list, a mapping, a flag): absent is fine,
    /// but `null` is refused, so it is reported here where the pointer is still exact.
    fn defaulted<'v>(
        &mut self,
        map: &'v Map<String, Value>,
        pointer: &str,
        key: &str,
    ) -> Option<&'v Value> {
        let value = member(map, key)?;
        if value.is_null() {
            let message = format!("`{key}` is empty (null); give it a value or remove the key");
            self.error(pointer_push(pointer, key), message);
            return None;
        }
        Some(value)
    }

    /// The value as an object, or an error saying what `what` should have been.
    fn object<'v>(
        &mut self,
        value: &'v Value,
        pointer: &str,
        what: &str,
    ) -> Option<&'v Map<String, Value>> {
        if let Value::Object(map) = value {
            return Some(map);
        }
        let message = format!(
            "{what} must be a mapping (an object), not {}",
            kind_of(value)
        );
        self.error(pointer.to_owned(), message);
        None
    }

    fn string(&mut self, map: &Map<String, Value>, pointer: &str, key: &str, required: bool) {
        let message = match member(map, key) {
            Some(Value::String(_)) => return,
            None | Some(Value::Null) if !required => return,
            None => format!("`{key}` is missing; add it (a string)"),
            Some(other) => format!(
                "`{key}` must be a string, not {}; put the value in quotes",
                kind_of(other)
            ),
        };
        self.error(pointer_push(pointer, key), message);
    }

    fn boolean(&mut self, map: &Map<String, Value>, pointer: &str, key: &str) {
        if let Some(value) = self
            .defaulted(map, pointer, key)
            .filter(|v| !v.is_boolean())
        {
            let message = format!("`{key}` must be true or false, not {}", describe(value));
            self.error(pointer_push(pointer, key), message);
        }
    }

    fn number(&mut self, map: &Map<String, Value>, pointer: &str, key: &str) {
        let Some(value) = Shape::get(map, key).filter(|v| !v.is_number()) else {
            return;
        };
        // The load stage turns numbers JSON cannot hold (`1e999`, `.inf`) into text.
        let text = value.as_str().map(|text| {
            text.trim()
                .trim_start_matches(['-', '+'])
                .replace(".inf", "inf")
        });
        let hint = match text.map(|text| text.parse::<f64>()) {
            Some(Ok(number)) if number.is_finite() => "; remove the quotes",
            Some(Ok(_)) => " (it is too large for a 64-bit number; use a smaller bound)",
            _ => "",
        };
        let message = format!("`{key}` must be a number, not {}{hint}", kind_of(value));
        self.error(pointer_push(pointer, key), message);
    }

    /// A count (`minLength`, `maxItems`, …): a whole number, zero or more.
    fn count(&mut self, map: &Map<String, Value>, pointer: &str, key: &str) {
        if let Some(value) = Shape::get(map, key).filter(|v| v.as_u64().is_none()) {
            let message = format!(
                "`{key}` must be a whole number of zero or more, not {}",
                describe(value)
            );
            self.error(pointer_push(pointer, key), message);
        }
    }

    fn word(&mut self, map: &Map<String, Value>, pointer: &str, key: &str, words: &[&str]) {
        match self.defaulted(map, pointer, key) {
            None => {}
            Some(Value::String(word)) if words.contains(&word.as_str()) => {}
            Some(other) => {
                let message = format!(
                    "`{key}` must be one of {}, not {}",
                    words.join(", "),
                    describe(other)
                );
                self.error(pointer_push(pointer, key), message);
            }
        }
    }

    fn strings(&mut self, map: &Map<String, Value>, pointer: &str, key: &str) {
        let Some(value) = self.defaulted(map, pointer, key) else {
            return;
        };
        let here = pointer_push(pointer, key);
        let Value::Array(items) = value else {
            let message = format!("`{key}` must be a list of strings, not {}", kind_of(value));
            self.error(here, message);
            return;
        };
        for (index, item) in items.iter().enumerate() {
            if !item.is_string() {
                let message = format!(
                    "each entry of `{key}` must be a string, not {}",
                    kind_of(item)
                );
                self.error(pointer_push(&here, &index.to_string()), message);
            }
        }
    }

    fn list(&mut self, map: &Map<String, Value>, pointer: &str, key: &str, each: Check) {
        let Some(value) = self.defaulted(map, pointer, key) else {
            return;
        };
        let mut here = pointer_push(pointer, key);
        match value {
            Value::Array(items) => {
                // One pointer for every item, grown and cut back.
                for (index, item) in items.iter().enumerate() {
                    let before = pointer_enter_index(&mut here, index);
                    each(self, item, &here);
                    here.truncate(before);
                }
            }
            other => {
                let message = format!("`{key}` must be a list, not {}", kind_of(other));
                self.error(here, message);
            }
        }
    }

    /// A mapping from names to objects of one kind (`schemas`, `content`, `headers`, …).
    fn map_of(&mut self, map: &Map<String, Value>, pointer: &str, key: &str, each: Check) {
        let Some(value) = self.defaulted(map, pointer, key) else {
            return;
        };
        let mut here = pointer_push(pointer, key);
        let Value::Object(entries) = value else {
            self.object(value, &here, &format!("`{key}`"));
            return;
        };
        // One pointer for every entry, grown and cut back.
        for (name, entry) in entries {
            let before = pointer_enter(&mut here, name);
            each(self, entry, &here);
            here.truncate(before);
        }
    }

    fn optional_boolean(&mut self, map: &Map<String, Value>, pointer: &str, key: &str) {
        if Shape::get(map, key).is_some() {
            self.boolean(map, pointer, key);
        }
    }

    fn optional_list(&mut self, map: &Map<String, Value>, pointer: &str, key: &str, each: Check) {
        if Shape::get(map, key).is_some() {
            self.list(map, pointer, key, each);
        }
    }

    fn optional_map_of(&mut self, map: &Map<String, Value>, pointer: &str, key: &str, each: Check) {
        if Shape::get(map, key).is_some() {
            self.map_of(map, pointer, key, each);
        }
    }

    /// An optional object (`externalDocs`, `discriminator`, `not`, …).
    fn field(&mut self, map: &Map<String, Value>, pointer: &str, key: &str, each: Check) {
        if let Some(value) = Shape::get(map, key) {
            each(self, value, &pointer_push(pointer, key));
        }
    }

    /// A place that takes either `{$ref: …}` or the object itself. A `$ref` that is not a
    /// string would make the parser read the object as an (empty) item instead.
    fn ref_or(&mut self, value: &Value, pointer: &str, item: Check) {
        match value.get("$ref") {
            Some(Value::String(_)) => {}
            Some(other) => {
                let message = format!(
                    "`$ref` must be a string such as `#/components/schemas/Pet`, not {}",
                    kind_of(other)
                );
                self.error(pointer_push(pointer, "$ref"), message);
            }
            None => item(self, value, pointer),
        }
    }
}

mod objects;
mod schema;

/// What `openapiv3` accepts as a `responses` key: a number from 100 to 999 (three
/// characters), or a digit and `XX` in either case.
fn is_status_code(code: &str) -> bool {
    match code.as_bytes() {
        [digit, x, y] if digit.is_ascii_digit() && x.eq_ignore_ascii_case(&b'X') => {
            y.eq_ignore_ascii_case(&b'X')
        }
        _ => code.len() == 3 && code.parse::<u16>().is_ok_and(|n| (100..1000).contains(&n)),
    }
}

/// The value's kind, and the value itself when it is short enough to quote.
fn describe(value: &Value) -> String {
    match value {
        Value::String(_) | Value::Number(_) | Value::Bool(_) => {
            let text = value.to_string();
            if text.chars().count() <= 40 {
                format!("{} {text}", kind_of(value))
            } else {
                kind_of(value).to_owned()
            }
        }
        other => kind_of(other).to_owned(),
    }
}
