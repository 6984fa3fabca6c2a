//! Discriminator mappings in, mappings whose every entry names a schema of the document out.
//!
//! An entry naming a schema that does not exist cannot select anything; the one reading is that
//! the entry is not there (a payload with that tag is then decided as if it were unmapped), so
//! it is dropped with a warning.

use super::{is_data, is_name_map};
use crate::diagnostics::{Diagnostic, pointer_enter, pointer_enter_index, pointer_push};
use crate::lookup::member;
use crate::validate::resolve_pointer;
use serde_json::Value;

/// Drops every dangling mapping entry; returns one warning per entry dropped.
pub fn repair(document: &mut Value) -> Vec<Diagnostic> {
    let mut dangling = Vec::new();
    find(document, document, &mut String::new(), "", &mut dangling);
    let mut warnings = Vec::new();
    for (mapping_pointer, tag, target) in dangling {
        if let Some(Value::Object(mapping)) = document.pointer_mut(&mapping_pointer) {
            mapping.remove(&tag);
        }
        warnings.push(Diagnostic::defect(
            pointer_push(&mapping_pointer, &tag),
            format!(
                "discriminator value `{tag}` maps to `{target}`, which is not a schema in the document"
            ),
            "no mapping for that value (the entry is dropped)",
            "fix the target or remove the entry",
        ));
    }
    warnings
}

fn find(
    root: &Value,
    value: &Value,
    pointer: &mut String,
    parent_key: &str,
    out: &mut Vec<(String, String, String)>,
) {
    match value {
        Value::Object(object) => {
            let is_name_map = is_name_map(parent_key);
            let mapping = member(object, "discriminator")
                .filter(|_| !is_name_map)
                .and_then(|d| d.get("mapping"))
                .and_then(Value::as_object);
            for (tag, target) in mapping.into_iter().flatten() {
                let Some(target) = target.as_str() else {
                    continue;
                };
                if !resolves(root, target) {
                    let at = pointer_push(&pointer_push(pointer, "discriminator"), "mapping");
                    out.push((at, tag.clone(), target.to_owned()));
                }
            }
            for (key, child) in object {
                let child_key = if is_name_map {
                    ""
                } else if !is_data(key) {
                    key.as_str()
                } else {
                    continue;
                };
                let before = pointer_enter(pointer, key);
                find(root, child, pointer, child_key, out);
                pointer.truncate(before);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                let before = pointer_enter_index(pointer, index);
                find(root, item, pointer, "", out);
                pointer.truncate(before);
            }
        }
        _ => {}
    }
}

/// A mapping value is a reference (`#/components/schemas/Dog`) or a bare schema name (`Dog`).
fn resolves(root: &Value, target: &str) -> bool {
    if target.starts_with('#') {
        resolve_pointer(root, target).is_some()
    } else {
        root.pointer("/components/schemas")
            .and_then(Value::as_object)
            .is_some_and(|schemas| schemas.contains_key(target))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dangling_entries_are_dropped_and_others_kept() {
        let mut doc = json!({"components": {"schemas": {
            "Cat": {"type": "object"},
            "Pet": {"oneOf": [{"$ref": "#/components/schemas/Cat"}],
                "discriminator": {"propertyName": "kind", "mapping": {
                    "cat": "#/components/schemas/Cat", "kitten": "Cat", "dog": "#/components/schemas/Dog"}}}}}});
        let warnings = repair(&mut doc);
        let mapping = &doc["components"]["schemas"]["Pet"]["discriminator"]["mapping"];
        assert_eq!(
            mapping,
            &json!({"cat": "#/components/schemas/Cat", "kitten": "Cat"})
        );
        assert_eq!(warnings.len(), 1);
        assert_eq!(
            warnings[0].pointer,
            "/components/schemas/Pet/discriminator/mapping/dog"
        );
    }

    #[test]
    fn a_property_named_discriminator_is_not_one() {
        let mut doc = json!({"components": {"schemas": {"A": {"type": "object", "properties": {
            "discriminator": {"type": "object", "properties": {"mapping": {"type": "string"}}}}}}}});
        assert!(repair(&mut doc).is_empty());
    }
}
