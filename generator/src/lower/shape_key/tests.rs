//! The written shape key against the key it replaced (the schema as `openapiv3` serializes it, prose stripped from the JSON), on every schema of the real documents and on chosen pairs.

use super::*;
use crate::schema::read::schema_or_reference;
use serde_json::{Value, json};
use std::collections::HashMap;

/// The key as it was, but for nested nullability: the schema serialized to JSON, prose
/// stripped at every depth (but not from property names, `enum` or `default`), `nullable`
/// stripped from the top only, printed.
fn json_shape_key(schema: &Schema) -> String {
    let mut value = serde_json::to_value(schema).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut value {
        map.retain(|key, _| key != "nullable");
    }
    strip_prose(&mut value);
    value.to_string()
}

fn strip_prose(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|key, _| key == "nullable" || !is_prose_key(key));
            for (key, child) in map.iter_mut() {
                match (key.as_str(), child) {
                    ("properties", Value::Object(properties)) => {
                        properties.values_mut().for_each(strip_prose)
                    }
                    ("enum" | "default", _) => {}
                    (_, child) => strip_prose(child),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(strip_prose),
        _ => {}
    }
}

fn schema_of(value: Value) -> Schema {
    match schema_or_reference(value) {
        Ok(ReferenceOr::Item(schema)) => schema,
        other => panic!("the test schema reads as a schema: {other:?}"),
    }
}

/// A schema and every schema nested in it, depth first.
fn each_nested<'a>(schema: &'a Schema, visit: &mut dyn FnMut(&'a Schema)) {
    visit(schema);
    let item = |child: &'a ReferenceOr<Schema>| match child {
        ReferenceOr::Item(item) => Some(item),
        ReferenceOr::Reference { .. } => None,
    };
    let boxed = |child: &'a ReferenceOr<Box<Schema>>| match child {
        ReferenceOr::Item(item) => Some(&**item),
        ReferenceOr::Reference { .. } => None,
    };
    let additional = |additional: &'a Option<AdditionalProperties>| match additional {
        Some(AdditionalProperties::Schema(inner)) => item(inner),
        _ => None,
    };
    let mut children: Vec<&'a Schema> = Vec::new();
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => {
            children.extend(object.properties.values().filter_map(boxed));
            children.extend(additional(&object.additional_properties));
        }
        SchemaKind::Type(Type::Array(array)) => {
            children.extend(array.items.as_ref().and_then(boxed))
        }
        SchemaKind::OneOf { one_of: list }
        | SchemaKind::AllOf { all_of: list }
        | SchemaKind::AnyOf { any_of: list } => children.extend(list.iter().filter_map(item)),
        SchemaKind::Not { not } => children.extend(item(not)),
        SchemaKind::Any(any) => {
            children.extend(any.properties.values().filter_map(boxed));
            children.extend(additional(&any.additional_properties));
            children.extend(any.items.as_ref().and_then(boxed));
            let lists = [&any.one_of, &any.all_of, &any.any_of];
            children.extend(lists.into_iter().flatten().filter_map(item));
            children.extend(any.not.as_deref().and_then(item));
        }
        SchemaKind::Type(_) => {}
    }
    for child in children {
        each_nested(child, visit);
    }
}

/// Every schema of every real document at hand (nested ones included) falls into the same
/// classes by either key: two schemas share the new key exactly where they shared the JSON
/// (with nested `nullable` kept).
#[test]
fn keys_split_real_schemas_as_the_json_did() -> Result<(), String> {
    let (mut compared, mut shared) = (0, 0);
    crate::real_documents::each_normalized(|name, document| {
        let schemas = crate::real_documents::component_schemas(document);
        let read: Vec<Schema> = schemas
            .into_iter()
            .filter_map(|(_, value)| match schema_or_reference(value) {
                Ok(ReferenceOr::Item(schema)) => Some(schema),
                _ => None,
            })
            .collect();
        // Each key's class, named by the other key: a class split or merged shows as a key
        // that meets two different partners.
        let compared_before = compared;
        let mut new_by_json: HashMap<String, String> = HashMap::new();
        let mut json_by_new: HashMap<String, String> = HashMap::new();
        for schema in &read {
            each_nested(schema, &mut |nested| {
                let (json, new) = (json_shape_key(nested), shape_key(nested));
                let partner = new_by_json
                    .entry(json.clone())
                    .or_insert_with(|| new.clone());
                assert!(*partner == new, "{name}: one JSON shape, two keys: {json}");
                let partner = json_by_new.entry(new).or_insert_with(|| json.clone());
                if *partner != json {
                    panic!("{name}: two JSON shapes, one key:\n{partner}\n{json}");
                }
                compared += 1;
            });
        }
        shared += compared - compared_before - new_by_json.len();
    })?;
    // The corpus holds some 42,000 schemas, nested ones included; most are repeats of a shape.
    assert!(compared > 40_000, "only {compared} schemas compared");
    assert!(shared > 20_000, "only {shared} repeated shapes");
    Ok(())
}

/// A nested schema's nullability is part of the shape; the shape's own is not.
#[test]
fn nested_nullability_is_part_of_the_shape() {
    let plain = schema_of(json!({"type": "object", "required": ["street"],
        "properties": {"street": {"type": "string"}}}));
    let nullable_street = schema_of(json!({"type": "object", "required": ["street"],
        "properties": {"street": {"type": "string", "nullable": true}}}));
    let nullable_itself = schema_of(json!({"type": "object", "required": ["street"],
        "nullable": true, "properties": {"street": {"type": "string"}}}));
    assert_ne!(shape_key(&plain), shape_key(&nullable_street));
    assert_eq!(shape_key(&plain), shape_key(&nullable_itself));
}

/// Two parents' inline objects of one property name that differ only in a nested property's
/// nullability are two types, so that the one whose `street` may be null decodes a null.
#[test]
fn inline_objects_differing_in_nested_nullability_are_not_shared() -> Result<(), String> {
    let spec = r#"
openapi: 3.0.3
info: {title: T, version: "1"}
paths: {}
components:
  schemas:
    A:
      type: object
      properties:
        address:
          type: object
          required: [street]
          properties:
            street: {type: string}
    B:
      type: object
      properties:
        address:
          type: object
          required: [street]
          properties:
            street: {type: string, nullable: true}
"#;
    let input = crate::Input {
        text: spec,
        name: "nullability.yaml",
    };
    let (model, _) = crate::model(input, None).map_err(|d| d.to_string())?;
    let street_of = |parent: &str| {
        let owner = model.types.iter().find(|t| t.name == parent)?;
        let crate::ir::TypeKind::Struct(owner) = &owner.kind else {
            return None;
        };
        let address = owner.fields.iter().find(|f| f.wire == "address")?;
        let crate::ir::TypeRef::Named(id) = address.ty else {
            return None;
        };
        let crate::ir::TypeKind::Struct(address) = &model.types[id.0].kind else {
            return None;
        };
        let street = address.fields.iter().find(|f| f.wire == "street")?;
        Some(street.presence)
    };
    use crate::ir::Presence;
    assert_eq!(street_of("A"), Some(Presence::Required));
    assert_eq!(street_of("B"), Some(Presence::RequiredNullable));
    Ok(())
}

/// Prose anywhere (and the shape's own `nullable`, which belongs to the use) does not change
/// the shape.
#[test]
fn prose_does_not_change_the_shape() {
    let plain = json!({"type": "object", "required": ["a"],
        "properties": {"a": {"type": "string"}, "b": {"type": "array", "items": {"type": "integer"}}},
        "discriminator": {"propertyName": "a"}, "externalDocs": {"url": "https://e.com"}});
    let wordy = json!({"type": "object", "required": ["a"], "title": "T", "description": "D",
        "nullable": true, "example": {"a": "x"}, "x-internal": true,
        "properties": {"a": {"type": "string", "description": "the a"},
            "b": {"type": "array", "items": {"type": "integer", "title": "n", "x-n": 1}}},
        "discriminator": {"propertyName": "a", "x-d": 1},
        "externalDocs": {"url": "https://e.com", "description": "more"}});
    let (plain, wordy) = (schema_of(plain), schema_of(wordy));
    assert_eq!(shape_key(&plain), shape_key(&wordy));
    assert_eq!(json_shape_key(&plain), json_shape_key(&wordy));
}

/// Each keyword that is not prose changes the shape, as it changed the JSON.
#[test]
fn every_other_keyword_changes_the_shape() {
    let base = json!({"type": "object", "required": ["a"],
        "properties": {"a": {"type": "string"}}});
    let variants = [
        json!({"type": "object", "required": [], "properties": {"a": {"type": "string"}}}),
        json!({"type": "object", "required": ["a"], "properties": {"b": {"type": "string"}}}),
        json!({"type": "object", "required": ["a"], "properties": {"a": {"type": "integer"}}}),
        json!({"type": "object", "required": ["a"],
            "properties": {"a": {"type": "string", "format": "date"}}}),
        json!({"type": "object", "required": ["a"],
            "properties": {"a": {"type": "string", "enum": ["x"]}}}),
        json!({"type": "object", "required": ["a"],
            "properties": {"a": {"$ref": "#/components/schemas/A"}}}),
        json!({"type": "object", "required": ["a"], "readOnly": true,
            "properties": {"a": {"type": "string"}}}),
        json!({"type": "object", "required": ["a"], "default": {},
            "properties": {"a": {"type": "string"}}}),
        json!({"type": "object", "required": ["a"], "additionalProperties": false,
            "properties": {"a": {"type": "string"}}}),
        json!({"type": "object", "required": ["a"], "minProperties": 1,
            "properties": {"a": {"type": "string"}}}),
        json!({"type": "object", "required": ["a"], "discriminator": {"propertyName": "a"},
            "properties": {"a": {"type": "string"}}}),
        json!({"type": "object", "required": ["a"], "externalDocs": {"url": "https://e.com"},
            "properties": {"a": {"type": "string"}}}),
        json!({"required": ["a"], "properties": {"a": {"type": "string"}}, "maxItems": 2}),
        json!({"type": "array", "items": {"type": "object", "required": ["a"],
            "properties": {"a": {"type": "string"}}}}),
        json!({"oneOf": [{"type": "object", "required": ["a"],
            "properties": {"a": {"type": "string"}}}]}),
        json!({"allOf": [{"type": "object", "required": ["a"],
            "properties": {"a": {"type": "string"}}}]}),
        json!({"not": {"type": "object", "required": ["a"],
            "properties": {"a": {"type": "string"}}}}),
    ];
    let base = schema_of(base);
    let mut keys = vec![shape_key(&base)];
    for variant in variants {
        let variant = schema_of(variant);
        assert_ne!(
            json_shape_key(&base),
            json_shape_key(&variant),
            "{variant:?}"
        );
        let key = shape_key(&variant);
        assert!(!keys.contains(&key), "{variant:?} shares a key");
        keys.push(key);
    }
}

/// Strings are written with their lengths: text that would run together without them does not.
#[test]
fn names_do_not_run_together() {
    let one = schema_of(json!({"properties": {"ab": {"$ref": "c"}}, "type": "object"}));
    let two = schema_of(json!({"properties": {"a": {"$ref": "bc"}}, "type": "object"}));
    assert_ne!(shape_key(&one), shape_key(&two));
}
