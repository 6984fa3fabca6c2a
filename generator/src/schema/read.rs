//! Reads a schema straight from the document value into its compact form, keyword by keyword, by `openapiv3`'s rules, without serde's buffered copy of the subtree at every level.
//!
//! `openapiv3::Schema` is two flattened structs over an untagged choice, so serde first copies
//! each schema's members into its own buffer, then reads both halves from that copy, and a
//! nested schema does the same again with its part of the copy: the component schemas were
//! two thirds of the parse (docs/PERFORMANCE.md). Here each keyword is moved out of the value
//! once. The result must be exactly what `openapiv3` reads and [`super::compact`] converts, so
//! anything this reader does not take for certain (a keyword of the wrong type, a schema that
//! is not a mapping) is [`Unreadable`], and the caller lets `openapiv3` read the document
//! instead, which keeps its results and its errors. The tests compare the two on every schema
//! of the corpus and on generated ones.

use super::{
    AdditionalProperties, AnySchema, ArrayType, ObjectType, Properties, Schema, SchemaData,
    SchemaKind, Type, UnreadData,
};
use openapiv3::{
    BooleanType, Discriminator, ExternalDocumentation, IntegerType, NumberType, ReferenceOr,
    StringType,
};
use serde_json::{Map, Number, Value};

/// A value this reader does not read as `openapiv3` would for certain; `openapiv3` must read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unreadable;

type Read<T> = Result<T, Unreadable>;

/// A schema or a reference, as `openapiv3::ReferenceOr<openapiv3::Schema>` reads it, compact.
pub fn schema_or_reference(value: Value) -> Read<ReferenceOr<Schema>> {
    let Value::Object(mut members) = value else {
        return Err(Unreadable);
    };
    // A `$ref` that is a string makes a reference whatever else the mapping holds; one of any
    // other type is an unknown keyword of the schema, as for `openapiv3`.
    if let Some(Value::String(reference)) = members.get_mut("$ref") {
        return Ok(ReferenceOr::Reference {
            reference: std::mem::take(reference),
        });
    }
    schema(members).map(ReferenceOr::Item)
}

fn boxed(value: Value) -> Read<ReferenceOr<Box<Schema>>> {
    Ok(match schema_or_reference(value)? {
        ReferenceOr::Reference { reference } => ReferenceOr::Reference { reference },
        ReferenceOr::Item(schema) => ReferenceOr::Item(Box::new(schema)),
    })
}

/// Every keyword `openapiv3` reads to decide a schema's kind, as it holds them before deciding.
#[derive(Default)]
struct Keywords {
    typ: Option<String>,
    pattern: Option<String>,
    multiple_of: Option<Number>,
    exclusive_minimum: Option<bool>,
    exclusive_maximum: Option<bool>,
    minimum: Option<Number>,
    maximum: Option<Number>,
    properties: Option<Properties>,
    required: Option<Vec<String>>,
    additional_properties: Option<AdditionalProperties>,
    min_properties: Option<usize>,
    max_properties: Option<usize>,
    items: Option<ReferenceOr<Box<Schema>>>,
    min_items: Option<usize>,
    max_items: Option<usize>,
    unique_items: Option<bool>,
    enumeration: Option<Vec<Value>>,
    format: Option<String>,
    min_length: Option<usize>,
    max_length: Option<usize>,
    one_of: Option<Vec<ReferenceOr<Schema>>>,
    all_of: Option<Vec<ReferenceOr<Schema>>>,
    any_of: Option<Vec<ReferenceOr<Schema>>>,
    not: Option<Box<ReferenceOr<Schema>>>,
}

fn schema(members: Map<String, Value>) -> Read<Schema> {
    let mut data = SchemaData::default();
    let mut unread = UnreadData::default();
    let mut keywords = Keywords::default();
    for (key, value) in members {
        match key.as_str() {
            "nullable" => data.nullable = flag(value)?,
            "readOnly" => data.read_only = flag(value)?,
            "writeOnly" => data.write_only = flag(value)?,
            "deprecated" => data.deprecated = flag(value)?,
            "title" => data.title = optional(value, text)?,
            "description" => data.description = optional(value, text)?,
            "discriminator" => {
                data.discriminator = optional(value, by_serde::<Discriminator>)?.map(Box::new);
            }
            "externalDocs" => {
                unread.external_docs = optional(value, by_serde::<ExternalDocumentation>)?;
            }
            "example" => unread.example = optional(value, Ok)?,
            "default" => unread.default = optional(value, Ok)?,
            "type" => keywords.typ = optional(value, text)?,
            "pattern" => keywords.pattern = optional(value, text)?,
            "format" => keywords.format = optional(value, text)?,
            "multipleOf" => keywords.multiple_of = optional(value, number)?,
            "minimum" => keywords.minimum = optional(value, number)?,
            "maximum" => keywords.maximum = optional(value, number)?,
            "exclusiveMinimum" => keywords.exclusive_minimum = optional(value, flag)?,
            "exclusiveMaximum" => keywords.exclusive_maximum = optional(value, flag)?,
            "uniqueItems" => keywords.unique_items = optional(value, flag)?,
            "minProperties" => keywords.min_properties = optional(value, count)?,
            "maxProperties" => keywords.max_properties = optional(value, count)?,
            "minItems" => keywords.min_items = optional(value, count)?,
            "maxItems" => keywords.max_items = optional(value, count)?,
            "minLength" => keywords.min_length = optional(value, count)?,
            "maxLength" => keywords.max_length = optional(value, count)?,
            "properties" => keywords.properties = optional(value, properties)?,
            "required" => keywords.required = optional(value, |v| list(v, text))?,
            "additionalProperties" => {
                keywords.additional_properties = optional(value, additional_properties)?;
            }
            "items" => keywords.items = optional(value, boxed)?,
            "enum" => keywords.enumeration = optional(value, |v| list(v, Ok))?,
            "oneOf" => keywords.one_of = optional(value, |v| list(v, schema_or_reference))?,
            "allOf" => keywords.all_of = optional(value, |v| list(v, schema_or_reference))?,
            "anyOf" => keywords.any_of = optional(value, |v| list(v, schema_or_reference))?,
            "not" => keywords.not = optional(value, schema_or_reference)?.map(Box::new),
            _ if key.starts_with("x-") => {
                unread.extensions.insert(key, value);
            }
            // Any other keyword, `$ref` of a type other than string among them, is not read.
            _ => {}
        }
    }
    data.unread = (unread != UnreadData::default()).then(|| Box::new(unread));
    Ok(Schema {
        schema_data: data,
        schema_kind: kind(keywords)?,
    })
}

/// The kind `openapiv3` decides on: a typed kind when `type` names it and no keyword of
/// another kind is present, one composition when it stands alone, and otherwise the catch-all.
fn kind(k: Keywords) -> Read<SchemaKind> {
    let string_only = k.pattern.is_some() || k.min_length.is_some() || k.max_length.is_some();
    let numeric = k.multiple_of.is_some()
        || k.exclusive_minimum.is_some()
        || k.exclusive_maximum.is_some()
        || k.minimum.is_some()
        || k.maximum.is_some();
    let object = k.properties.is_some()
        || k.required.is_some()
        || k.additional_properties.is_some()
        || k.min_properties.is_some()
        || k.max_properties.is_some();
    let array = k.items.is_some()
        || k.min_items.is_some()
        || k.max_items.is_some()
        || k.unique_items.is_some();
    let compositions = [
        k.one_of.is_some(),
        k.all_of.is_some(),
        k.any_of.is_some(),
        k.not.is_some(),
    ];
    let composed = compositions.contains(&true);
    let enumerated = k.enumeration.is_some();
    let formatted = k.format.is_some();
    let enumerates = |check: fn(&Value) -> bool| {
        k.enumeration
            .iter()
            .flatten()
            .all(|value| value.is_null() || check(value))
    };
    let whole = |number: &Option<Number>| number.as_ref().is_none_or(Number::is_i64);
    let typed = !(object || array || composed);
    let kind = match k.typ.as_deref() {
        Some("string") if !numeric && typed && enumerates(Value::is_string) => {
            SchemaKind::Type(Type::String(StringType {
                format: k.format.into(),
                pattern: k.pattern,
                enumeration: enumerated_as(k.enumeration, |v| v.as_str().map(str::to_owned))?,
                min_length: k.min_length,
                max_length: k.max_length,
            }))
        }
        Some("number") if !string_only && typed && enumerates(Value::is_number) => {
            SchemaKind::Type(Type::Number(NumberType {
                format: k.format.into(),
                multiple_of: k.multiple_of.as_ref().map(float).transpose()?,
                exclusive_minimum: k.exclusive_minimum.unwrap_or_default(),
                exclusive_maximum: k.exclusive_maximum.unwrap_or_default(),
                minimum: k.minimum.as_ref().map(float).transpose()?,
                maximum: k.maximum.as_ref().map(float).transpose()?,
                enumeration: enumerated_as(k.enumeration, Value::as_f64)?,
            }))
        }
        Some("integer")
            if !string_only
                && typed
                && enumerates(Value::is_i64)
                && whole(&k.multiple_of)
                && whole(&k.minimum)
                && whole(&k.maximum) =>
        {
            SchemaKind::Type(Type::Integer(IntegerType {
                format: k.format.into(),
                multiple_of: k.multiple_of.as_ref().map(integer).transpose()?,
                exclusive_minimum: k.exclusive_minimum.unwrap_or_default(),
                exclusive_maximum: k.exclusive_maximum.unwrap_or_default(),
                minimum: k.minimum.as_ref().map(integer).transpose()?,
                maximum: k.maximum.as_ref().map(integer).transpose()?,
                enumeration: enumerated_as(k.enumeration, Value::as_i64)?,
            }))
        }
        Some("boolean")
            if !string_only && !numeric && !formatted && typed && enumerates(Value::is_boolean) =>
        {
            SchemaKind::Type(Type::Boolean(BooleanType {
                enumeration: enumerated_as(k.enumeration, Value::as_bool)?,
            }))
        }
        Some("object")
            if !string_only && !numeric && !array && !composed && !enumerated && !formatted =>
        {
            SchemaKind::Type(Type::Object(ObjectType {
                properties: k.properties.unwrap_or_default(),
                required: k.required.unwrap_or_default(),
                additional_properties: k.additional_properties,
                min_properties: k.min_properties,
                max_properties: k.max_properties,
            }))
        }
        Some("array")
            if !string_only && !numeric && !object && !composed && !enumerated && !formatted =>
        {
            SchemaKind::Type(Type::Array(ArrayType {
                items: k.items,
                min_items: k.min_items,
                max_items: k.max_items,
                unique_items: k.unique_items.unwrap_or_default(),
            }))
        }
        None if !(string_only || numeric || object || array || enumerated || formatted)
            && compositions.iter().filter(|present| **present).count() == 1 =>
        {
            if let Some(one_of) = k.one_of {
                SchemaKind::OneOf { one_of }
            } else if let Some(all_of) = k.all_of {
                SchemaKind::AllOf { all_of }
            } else if let Some(any_of) = k.any_of {
                SchemaKind::AnyOf { any_of }
            } else if let Some(not) = k.not {
                SchemaKind::Not { not }
            } else {
                return Err(Unreadable);
            }
        }
        _ => SchemaKind::Any(Box::new(AnySchema {
            typ: k.typ,
            pattern: k.pattern,
            multiple_of: k.multiple_of.as_ref().map(float).transpose()?,
            exclusive_minimum: k.exclusive_minimum,
            exclusive_maximum: k.exclusive_maximum,
            minimum: k.minimum.as_ref().map(float).transpose()?,
            maximum: k.maximum.as_ref().map(float).transpose()?,
            properties: k.properties.unwrap_or_default(),
            required: k.required.unwrap_or_default(),
            additional_properties: k.additional_properties,
            min_properties: k.min_properties,
            max_properties: k.max_properties,
            items: k.items,
            min_items: k.min_items,
            max_items: k.max_items,
            unique_items: k.unique_items,
            enumeration: k.enumeration.unwrap_or_default(),
            format: k.format,
            min_length: k.min_length,
            max_length: k.max_length,
            one_of: k.one_of.unwrap_or_default(),
            all_of: k.all_of.unwrap_or_default(),
            any_of: k.any_of.unwrap_or_default(),
            not: k.not,
        })),
    };
    Ok(kind)
}

/// An enumeration's values converted for a typed kind, `null` kept as `None`, as `openapiv3`
/// keeps it; the kind's guard has checked every other value converts.
fn enumerated_as<T>(
    values: Option<Vec<Value>>,
    convert: fn(&Value) -> Option<T>,
) -> Read<Vec<Option<T>>> {
    values
        .iter()
        .flatten()
        .map(|value| match value {
            Value::Null => Ok(None),
            other => convert(other).map(Some).ok_or(Unreadable),
        })
        .collect()
}

/// `null` is an absent keyword, as serde reads an `Option` from it.
fn optional<T>(value: Value, read: impl FnOnce(Value) -> Read<T>) -> Read<Option<T>> {
    match value {
        Value::Null => Ok(None),
        other => read(other).map(Some),
    }
}

/// A `bool` keyword with a default: present, it must be a boolean (`null` included, as serde
/// refuses it).
fn flag(value: Value) -> Read<bool> {
    value.as_bool().ok_or(Unreadable)
}

fn text(value: Value) -> Read<String> {
    match value {
        Value::String(text) => Ok(text),
        _ => Err(Unreadable),
    }
}

fn number(value: Value) -> Read<Number> {
    match value {
        Value::Number(number) => Ok(number),
        _ => Err(Unreadable),
    }
}

/// A `usize` as serde reads one from a JSON number: a non-negative integer that fits.
fn count(value: Value) -> Read<usize> {
    value
        .as_u64()
        .and_then(|count| usize::try_from(count).ok())
        .ok_or(Unreadable)
}

fn float(number: &Number) -> Read<f64> {
    number.as_f64().ok_or(Unreadable)
}

fn integer(number: &Number) -> Read<i64> {
    number.as_i64().ok_or(Unreadable)
}

fn list<T>(value: Value, read: impl Fn(Value) -> Read<T>) -> Read<Vec<T>> {
    match value {
        Value::Array(items) => items.into_iter().map(read).collect(),
        _ => Err(Unreadable),
    }
}

fn properties(value: Value) -> Read<Properties> {
    match value {
        Value::Object(members) => members
            .into_iter()
            .map(|(name, schema)| Ok((name, boxed(schema)?)))
            .collect(),
        _ => Err(Unreadable),
    }
}

fn additional_properties(value: Value) -> Read<AdditionalProperties> {
    match value {
        Value::Bool(any) => Ok(AdditionalProperties::Any(any)),
        other => Ok(AdditionalProperties::Schema(Box::new(schema_or_reference(
            other,
        )?))),
    }
}

/// The small keyword objects (`discriminator`, `externalDocs`) hold no schemas: serde reads
/// them straight from the value, as it reads them from its buffer.
fn by_serde<T: serde::de::DeserializeOwned>(value: Value) -> Read<T> {
    serde_json::from_value(value).map_err(|_| Unreadable)
}

#[cfg(test)]
mod tests;
