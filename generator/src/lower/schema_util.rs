//! Small questions about OpenAPI schemas that several lowering steps ask: what a `$ref` points at, whether a schema is null-like, whether it is a list envelope.

use super::Document;
use crate::schema::{Properties, ReferenceOr, Schema, SchemaKind, Type};

const COMPONENT_PREFIX: &str = "#/components/schemas/";

/// The component name a schema reference points at, if it is a local component reference.
pub fn component_name(reference: &str) -> Option<&str> {
    reference.strip_prefix(COMPONENT_PREFIX)
}

/// Follows `$ref`s (through chains of component aliases) to the schema itself.
pub fn resolve<'a>(
    api: Document<'a>,
    schema: &'a ReferenceOr<Schema>,
) -> Option<(&'a Schema, Option<&'a str>)> {
    let mut current = schema;
    let mut name = None;
    for _ in 0..32 {
        match current {
            ReferenceOr::Item(item) => return Some((item, name)),
            ReferenceOr::Reference { reference } => {
                let component = component_name(reference)?;
                name = Some(component);
                current = api.schemas.get(component)?;
            }
        }
    }
    None
}

/// Same as [`resolve`] for the boxed references used inside properties and items.
pub fn resolve_boxed<'a>(
    api: Document<'a>,
    schema: &'a ReferenceOr<Box<Schema>>,
) -> Option<(&'a Schema, Option<&'a str>)> {
    match schema {
        ReferenceOr::Item(item) => Some((item.as_ref(), None)),
        ReferenceOr::Reference { reference } => {
            let component = component_name(reference)?;
            let target = api.schemas.get(component)?;
            resolve(api, target).map(|(schema, inner)| (schema, inner.or(Some(component))))
        }
    }
}

/// A schema that only admits `null`: `nullable: true` with no type, `enum: [null]`, or 3.1's `type: 'null'` (normalized to those).
pub fn is_null_like(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Any(any) => {
            let only_null_enum = !any.enumeration.is_empty()
                && any.enumeration.iter().all(serde_json::Value::is_null);
            let unconstrained = any.typ.is_none()
                && any.properties.is_empty()
                && any.items.is_none()
                && any.one_of.is_empty()
                && any.any_of.is_empty()
                && any.all_of.is_empty()
                && any.not.is_none();
            unconstrained && (schema.schema_data.nullable || only_null_enum)
        }
        SchemaKind::Type(Type::String(s)) => {
            !s.enumeration.is_empty() && s.enumeration.iter().all(Option::is_none)
        }
        _ => false,
    }
}

/// The only value of a string property's one-value enum (`type: {enum: [payment]}` → `payment`).
pub fn single_string_value(schema: &Schema) -> Option<&str> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => match s.enumeration.as_slice() {
            [Some(value)] => Some(value.as_str()),
            _ => None,
        },
        SchemaKind::Any(any) => match any.enumeration.as_slice() {
            [serde_json::Value::String(value)] => Some(value.as_str()),
            _ => None,
        },
        _ => None,
    }
}

/// The object parts of a schema (properties, required), for object and typeless-object schemas.
pub fn object_parts(schema: &Schema) -> Option<(&Properties, &[String])> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => Some((&object.properties, &object.required)),
        SchemaKind::Any(any) if !any.properties.is_empty() => {
            Some((&any.properties, &any.required))
        }
        _ => None,
    }
}

/// PayPro's list envelope: `{type: enum [list], data: array, _links: object, count?}`. Returns the item schema.
pub fn list_item<'a>(
    api: Document<'a>,
    schema: &'a Schema,
) -> Option<&'a ReferenceOr<Box<Schema>>> {
    let (properties, _) = object_parts(schema)?;
    let kind = properties.get("type").and_then(|p| resolve_boxed(api, p))?;
    if single_string_value(kind.0) != Some("list") {
        return None;
    }
    properties.get("_links")?;
    let allowed = ["type", "data", "count", "_links"];
    if properties.keys().any(|k| !allowed.contains(&k.as_str())) {
        return None;
    }
    let (data, _) = resolve_boxed(api, properties.get("data")?)?;
    match &data.schema_kind {
        SchemaKind::Type(Type::Array(array)) => array.items.as_ref(),
        _ => None,
    }
}
