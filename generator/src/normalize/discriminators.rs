//! Discriminator mappings in, mappings whose every entry names a schema of the document out.
//!
//! An entry naming a schema that does not exist cannot select anything; the one reading is that
//! the entry is not there (a payload with that tag is then decided as if it were unmapped), so
//! it is dropped with a warning.

use crate::diagnostics::{Diagnostic, pointer_push};
use crate::lookup::member;
use crate::validate::resolve_pointer;
use serde_json::Value;

/// One entry of a discriminator mapping, as the walk meets it.
#[derive(Debug)]
pub(super) struct MappingEntry {
    /// The pointer of the `mapping` object.
    at: String,
    tag: String,
    target: String,
}

/// Notes the mapping entries of `object`, a schema (not a name map) at `pointer`. The
/// normalize walk calls this for every object it rewrites, after rewriting it: a discriminator
/// is never rewritten, and only what the walk still visits can be looked at afterwards.
pub(super) fn note_mapping(
    object: &serde_json::Map<String, Value>,
    pointer: &str,
    out: &mut Vec<MappingEntry>,
) {
    let Some(mapping) = member(object, "discriminator")
        .and_then(|d| d.get("mapping"))
        .and_then(Value::as_object)
    else {
        return;
    };
    let at = pointer_push(&pointer_push(pointer, "discriminator"), "mapping");
    for (tag, target) in mapping {
        if let Some(target) = target.as_str() {
            out.push(MappingEntry {
                at: at.clone(),
                tag: tag.clone(),
                target: target.to_owned(),
            });
        }
    }
}

/// Drops every noted entry whose target is not in the document as it is now; returns one
/// warning per entry dropped.
pub(super) fn drop_dangling(document: &mut Value, entries: Vec<MappingEntry>) -> Vec<Diagnostic> {
    let dangling: Vec<MappingEntry> = entries
        .into_iter()
        .filter(|entry| !resolves(document, &entry.target))
        .collect();
    let mut warnings = Vec::new();
    for MappingEntry { at, tag, target } in dangling {
        if let Some(Value::Object(mapping)) = document.pointer_mut(&at) {
            mapping.remove(&tag);
        }
        warnings.push(Diagnostic::defect(
            pointer_push(&at, &tag),
            format!(
                "discriminator value `{tag}` maps to `{target}`, which is not a schema in the document"
            ),
            "no mapping for that value (the entry is dropped)",
            "fix the target or remove the entry",
        ));
    }
    warnings
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
    use serde_json::json;

    /// The document's discriminator warnings, after the whole of normalize.
    fn repair(document: &mut serde_json::Value) -> Vec<crate::Diagnostic> {
        let mut warnings = crate::normalize::normalize(document);
        warnings.retain(|w| w.message.starts_with("discriminator value"));
        warnings
    }

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
