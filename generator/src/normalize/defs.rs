//! `$defs` inside schemas in, component schemas out: every `$defs` entry becomes a component of its own and every reference to it names that component.
//!
//! The lowering turns `#/components/schemas/<name>` into a type and nothing else, so local
//! definitions are hoisted. A `#/$defs/X` reference written inside a schema (JSON Schema's
//! habit; in OpenAPI it points at the document root, which has no `$defs`) is a defect with one
//! reading: the `X` of the nearest enclosing `$defs`. It is read so, with a warning.

use super::is_data;
use crate::diagnostics::{Diagnostic, pointer_enter, pointer_enter_index, pointer_push};
use crate::lookup::member;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Hoists every `$defs` entry into `components/schemas`; returns one warning per `#/$defs/…`
/// reference read as the nearest enclosing `$defs`. (`normalize` runs the two halves apart,
/// the finding beside another search.)
#[cfg(test)]
fn hoist(document: &mut Value) -> Vec<Diagnostic> {
    let found = find_defs(document);
    hoist_found(document, found)
}

/// Every `$defs` and every reference to one entry of them; only reads the document.
pub fn find_defs(document: &Value) -> Found {
    let mut found = Found::default();
    find(document, &mut String::new(), &mut Vec::new(), &mut found);
    found
}

/// [`hoist`] with what [`find_defs`] found in this same document.
pub fn hoist_found(document: &mut Value, found: Found) -> Vec<Diagnostic> {
    if found.defs.is_empty() {
        return Vec::new();
    }
    // New names, decided before anything moves: the entry's own name when it is free, else
    // the owner's name joined to it, with a number if even that is taken.
    let mut taken: Vec<String> = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|s| s.keys().cloned().collect())
        .unwrap_or_default();
    let mut renamed: BTreeMap<String, String> = BTreeMap::new();
    for (defs_pointer, names) in &found.defs {
        for name in names {
            let owner = owner_name(defs_pointer);
            let mut candidate = name.clone();
            let mut counter = 1;
            while taken.contains(&candidate) {
                candidate = if counter == 1 {
                    format!("{owner}_{name}")
                } else {
                    format!("{owner}_{name}_{counter}")
                };
                counter += 1;
            }
            taken.push(candidate.clone());
            renamed.insert(format!("#{}", pointer_push(defs_pointer, name)), candidate);
        }
    }
    for (ref_pointer, target) in &found.references {
        let Some(new_name) = renamed.get(target) else {
            continue;
        };
        if let Some(reference) = document.pointer_mut(ref_pointer) {
            *reference = Value::String(format!("#/components/schemas/{new_name}"));
        }
    }
    // Deepest first, so the pointers of outer `$defs` stay valid while inner ones move.
    let mut defs: Vec<&String> = found.defs.keys().collect();
    defs.sort_by_key(|p| std::cmp::Reverse(p.len()));
    let mut hoisted = Map::new();
    for defs_pointer in defs {
        let Some((parent, _)) = defs_pointer.rsplit_once('/') else {
            continue;
        };
        let removed = document
            .pointer_mut(parent)
            .and_then(Value::as_object_mut)
            .and_then(|p| p.remove("$defs"));
        let Some(Value::Object(entries)) = removed else {
            continue;
        };
        for (name, schema) in entries {
            let key = format!("#{}", pointer_push(defs_pointer, &name));
            if let Some(new_name) = renamed.get(&key) {
                hoisted.insert(new_name.clone(), schema);
            }
        }
    }
    if let Some(root) = document.as_object_mut() {
        let components = root
            .entry("components")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(components) = components.as_object_mut() {
            let schemas = components
                .entry("schemas")
                .or_insert_with(|| Value::Object(Map::new()));
            if let Some(schemas) = schemas.as_object_mut() {
                schemas.extend(hoisted);
            }
        }
    }
    found.warnings
}

/// The `$defs` of a document and the references to their entries.
#[derive(Default)]
pub struct Found {
    /// Pointer of each `$defs` mapping → its entry names.
    defs: BTreeMap<String, Vec<String>>,
    /// Pointer of each `$ref` value that names a `$defs` entry → that entry, as `#<pointer>`.
    references: Vec<(String, String)>,
    warnings: Vec<Diagnostic>,
}

/// Walks the document with the stack of enclosing `$defs` pointers.
fn find(value: &Value, pointer: &mut String, scopes: &mut Vec<String>, found: &mut Found) {
    match value {
        Value::Object(object) => {
            let defs = member(object, "$defs").and_then(Value::as_object);
            if let Some(defs) = defs {
                let at = pointer_push(pointer, "$defs");
                found
                    .defs
                    .insert(at.clone(), defs.keys().cloned().collect());
                scopes.push(at);
            }
            if let Some(reference) = member(object, "$ref").and_then(Value::as_str) {
                note_reference(reference, pointer, scopes, found);
            }
            for (key, child) in object {
                if is_data(key) || key == "$ref" {
                    continue;
                }
                let before = pointer_enter(pointer, key);
                // Inside a name map a key is a name; a property called `$defs` is a schema.
                if key == "properties" || key == "$defs" || key == "schemas" {
                    for (name, entry) in child.as_object().into_iter().flatten() {
                        let at_map = pointer_enter(pointer, name);
                        find(entry, pointer, scopes, found);
                        pointer.truncate(at_map);
                    }
                } else {
                    find(child, pointer, scopes, found);
                }
                pointer.truncate(before);
            }
            if defs.is_some() {
                scopes.pop();
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                let before = pointer_enter_index(pointer, index);
                find(item, pointer, scopes, found);
                pointer.truncate(before);
            }
        }
        _ => {}
    }
}

fn note_reference(reference: &str, pointer: &str, scopes: &[String], found: &mut Found) {
    // Built only for the references this stage cares about: most are to components.
    let here = || pointer_push(pointer, "$ref");
    if let Some(name) = reference.strip_prefix("#/$defs/") {
        let name = name.replace("~1", "/").replace("~0", "~");
        let at_root = found
            .defs
            .get("/$defs")
            .is_some_and(|names| names.contains(&name));
        if at_root {
            found.references.push((here(), reference.to_owned()));
            return;
        }
        let scope = scopes.iter().rev().find(|scope| {
            found
                .defs
                .get(*scope)
                .is_some_and(|names| names.contains(&name))
        });
        if let Some(scope) = scope {
            let target = format!("#{}", pointer_push(scope, &name));
            let here = here();
            found.warnings.push(Diagnostic::defect(
                here.clone(),
                format!("`{reference}` points at the document's root, which has no `$defs`"),
                format!("`{target}`, the nearest enclosing `$defs` entry of that name"),
                format!("write `$ref: '{target}'`, or move `{name}` to `components/schemas`"),
            ));
            found.references.push((here, target));
        }
    } else if reference.contains("/$defs/") {
        found.references.push((here(), reference.to_owned()));
    }
}

/// The component a `$defs` pointer sits in (`/components/schemas/Pet/$defs` → `Pet`), or a
/// fixed word for definitions elsewhere.
fn owner_name(defs_pointer: &str) -> String {
    defs_pointer
        .strip_prefix("/components/schemas/")
        .and_then(|rest| rest.split('/').next())
        .map(|name| name.replace("~1", "/").replace("~0", "~"))
        .unwrap_or_else(|| "Defs".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn root_relative_defs_references_read_as_the_nearest_enclosing_defs() {
        let mut doc = json!({"components": {"schemas": {
            "Pet": {"type": "object", "properties": {"tag": {"$ref": "#/$defs/Tag"}},
                "$defs": {"Tag": {"type": "string"}}},
            "Tag": {"type": "integer"}}}});
        let warnings = hoist(&mut doc);
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["Pet"]["properties"]["tag"]["$ref"],
            "#/components/schemas/Pet_Tag"
        );
        assert_eq!(schemas["Pet_Tag"], json!({"type": "string"}));
        assert_eq!(schemas["Tag"], json!({"type": "integer"}));
        assert!(schemas["Pet"].get("$defs").is_none());
        assert_eq!(warnings.len(), 1);
        assert_eq!(
            warnings[0].pointer,
            "/components/schemas/Pet/properties/tag/$ref"
        );
    }

    #[test]
    fn full_pointers_into_defs_are_hoisted_without_a_warning() {
        let mut doc = json!({"components": {"schemas": {
            "Pet": {"$defs": {"Name": {"type": "string"}}, "type": "object"},
            "Owner": {"properties": {"pet": {"$ref": "#/components/schemas/Pet/$defs/Name"}}}}}});
        assert!(hoist(&mut doc).is_empty());
        assert_eq!(
            doc["components"]["schemas"]["Owner"]["properties"]["pet"]["$ref"],
            "#/components/schemas/Name"
        );
    }
}
