//! Reference Objects outside schemas (`$ref` to a parameter, response, request body, header, example, link, callback or security scheme) with siblings in, the same objects as OpenAPI reads them out.
//!
//! OpenAPI ignores every sibling of such a `$ref` except, in 3.1, `summary` and `description`,
//! which override the referenced component's. A sibling that would be ignored (Mollie writes
//! `{$ref: …/parameters/list-from, schema: {…}}`) is a defect with one reading: it is removed,
//! with a warning. A 3.1 `description` beside a parameter or header reference is honoured by
//! using a copy of the component with that description (both are always read through one
//! level of reference, so the copy changes nothing else).

use super::is_data;
use crate::diagnostics::{Diagnostic, pointer_enter, pointer_enter_index, pointer_push};
use crate::lookup::member;
use crate::validate::resolve_pointer;
use serde_json::Value;

/// The component kinds whose references are Reference Objects rather than schemas.
const KINDS: &[&str] = &[
    "parameters",
    "responses",
    "requestBodies",
    "headers",
    "examples",
    "links",
    "callbacks",
    "securitySchemes",
    "pathItems",
];

/// The kind of component a non-schema reference points at (`parameters`), if it is one.
pub fn reference_kind(object: &serde_json::Map<String, Value>) -> Option<&'static str> {
    let reference = member(object, "$ref")?.as_str()?;
    let rest = reference.strip_prefix("#/components/")?;
    let (kind, _) = rest.split_once('/')?;
    KINDS.iter().copied().find(|k| *k == kind)
}

/// What to do to one Reference Object, found before anything is changed.
enum Repair {
    Remove(Vec<String>),
    Inline(Value),
}

/// Cleans every non-schema Reference Object in the document; returns one warning per ignored
/// sibling. (`normalize` runs the two halves apart, the finding beside another search.)
#[cfg(test)]
fn repair(document: &mut Value, is_31: bool) -> Vec<Diagnostic> {
    let found = find_repairs(document, is_31);
    apply(document, found)
}

/// What [`repair`] will change, and its warnings, found without changing anything.
pub struct Found {
    repairs: Vec<(String, Repair)>,
    warnings: Vec<Diagnostic>,
}

impl Found {
    /// Whether applying this changes the document.
    pub fn changes_anything(&self) -> bool {
        !self.repairs.is_empty()
    }
}

/// Finds every repair [`repair`] makes; only reads the document.
pub fn find_repairs(document: &Value, is_31: bool) -> Found {
    let mut found = Found {
        repairs: Vec::new(),
        warnings: Vec::new(),
    };
    find(
        document,
        document,
        &mut String::new(),
        is_31,
        &mut found.repairs,
        &mut found.warnings,
    );
    found
}

/// Makes the repairs found in this same document; returns their warnings.
pub fn apply(document: &mut Value, found: Found) -> Vec<Diagnostic> {
    for (pointer, repair) in found.repairs {
        let Some(Value::Object(object)) = document.pointer_mut(&pointer) else {
            continue;
        };
        match repair {
            Repair::Remove(keys) => {
                for key in keys {
                    object.remove(&key);
                }
            }
            Repair::Inline(copy) => *object = copy.as_object().cloned().unwrap_or_default(),
        }
    }
    found.warnings
}

fn find(
    root: &Value,
    value: &Value,
    pointer: &mut String,
    is_31: bool,
    repairs: &mut Vec<(String, Repair)>,
    warnings: &mut Vec<Diagnostic>,
) {
    match value {
        Value::Object(object) => {
            if let Some(kind) = reference_kind(object) {
                inspect(root, object, kind, pointer, is_31, repairs, warnings);
                return;
            }
            for (key, child) in object {
                if !is_data(key) {
                    let before = pointer_enter(pointer, key);
                    find(root, child, pointer, is_31, repairs, warnings);
                    pointer.truncate(before);
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                let before = pointer_enter_index(pointer, index);
                find(root, item, pointer, is_31, repairs, warnings);
                pointer.truncate(before);
            }
        }
        _ => {}
    }
}

fn inspect(
    root: &Value,
    object: &serde_json::Map<String, Value>,
    kind: &str,
    pointer: &str,
    is_31: bool,
    repairs: &mut Vec<(String, Repair)>,
    warnings: &mut Vec<Diagnostic>,
) {
    let reference = object.get("$ref").and_then(Value::as_str).unwrap_or("");
    let ignored: Vec<String> = object
        .keys()
        .filter(|k| !matches!(k.as_str(), "$ref" | "summary" | "description"))
        .filter(|k| !k.starts_with("x-"))
        .cloned()
        .collect();
    for key in &ignored {
        warnings.push(Diagnostic::defect(
            pointer_push(pointer, key),
            format!(
                "`{key}` beside `$ref` has no effect: a reference to a component of `{kind}` takes nothing from its siblings but `summary` and `description`"
            ),
            format!("`{reference}` alone (`{key}` is ignored)"),
            format!("remove `{key}`, or change the component `{reference}` itself"),
        ));
    }
    let description = object.get("description").filter(|_| is_31);
    let target = resolve_pointer(root, reference).and_then(Value::as_object);
    if let (Some(description), Some(target), true) = (
        description,
        target,
        matches!(kind, "parameters" | "headers"),
    ) {
        if !target.contains_key("$ref") && target.get("description") != Some(description) {
            let mut copy = target.clone();
            copy.insert("description".to_owned(), description.clone());
            repairs.push((pointer.to_owned(), Repair::Inline(Value::Object(copy))));
            return;
        }
    }
    if !ignored.is_empty() {
        repairs.push((pointer.to_owned(), Repair::Remove(ignored)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn document(parameter: Value) -> Value {
        json!({"openapi": "3.1.0", "paths": {"/a": {"get": {"parameters": [parameter]}}},
            "components": {"parameters": {"from": {"name": "from", "in": "query",
                "description": "start", "schema": {"type": "string"}}}}})
    }

    #[test]
    fn siblings_other_than_summary_and_description_are_ignored_with_a_warning() {
        let mut doc = document(json!({"$ref": "#/components/parameters/from",
            "schema": {"type": "string", "example": "x"}}));
        let warnings = repair(&mut doc, true);
        assert_eq!(
            doc["paths"]["/a"]["get"]["parameters"][0],
            json!({"$ref": "#/components/parameters/from"})
        );
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].pointer, "/paths/~1a/get/parameters/0/schema");
        assert!(
            warnings[0]
                .message
                .contains("read as `#/components/parameters/from` alone")
        );
    }

    #[test]
    fn a_31_description_overrides_the_parameter_s() {
        let mut doc = document(json!({"$ref": "#/components/parameters/from",
            "description": "where to start"}));
        let warnings = repair(&mut doc, true);
        assert!(warnings.is_empty());
        let parameter = &doc["paths"]["/a"]["get"]["parameters"][0];
        assert_eq!(parameter["description"], "where to start");
        assert_eq!(parameter["in"], "query");
    }

    #[test]
    fn schema_references_are_left_alone() {
        let schema = json!({"$ref": "#/components/schemas/B", "type": "object"});
        assert!(reference_kind(schema.as_object().unwrap()).is_none());
    }
}
