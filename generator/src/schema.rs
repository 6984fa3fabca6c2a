//! The schema types lowering reads: `openapiv3`'s schema shapes, a quarter of their size, converted from (and back to) `openapiv3`'s own so that the reading of a document stays `openapiv3`'s.
//!
//! `openapiv3::Schema` is 1,024 bytes, whatever it holds: every keyword any schema may carry
//! has its slot in every schema, `{type: string}` included. A big document has tens of
//! thousands of schemas, so its typed form is many times its text, and it is held whole while
//! lowering runs (docs/PERFORMANCE.md, issue 12 item 3). Here the keywords lowering never reads
//! (`example`, `default`, `externalDocs`, extensions) share one box that is usually absent, the
//! discriminator is boxed, and so is the catch-all `AnySchema`, the largest kind.
//!
//! The component schemas are read straight into this form by [`read`], by `openapiv3`'s rules
//! and checked against its deserializer; the schemas inside paths are read by `openapiv3` and
//! converted (moving, not copying, what they hold). [`Schema`] serializes as the `openapiv3`
//! schema it came from (lowering compares inline shapes by their JSON).

pub mod inline;
pub mod read;

use indexmap::IndexMap;
use openapiv3 as oa;
pub use openapiv3::{BooleanType, Discriminator, IntegerType, NumberType, ReferenceOr, StringType};
use serde_json::Value;

/// The document's component schemas by name, in document order.
pub type ComponentSchemas = IndexMap<String, ReferenceOr<Schema>>;

/// An object schema's properties, in document order.
pub type Properties = IndexMap<String, ReferenceOr<Box<Schema>>>;

/// `openapiv3::Schema`, compact.
#[derive(Debug, Clone, PartialEq)]
pub struct Schema {
    pub schema_data: SchemaData,
    pub schema_kind: SchemaKind,
}

/// `openapiv3::SchemaData`: what lowering reads, in place; the rest in one optional box.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SchemaData {
    pub nullable: bool,
    pub read_only: bool,
    pub write_only: bool,
    pub deprecated: bool,
    pub title: Option<String>,
    pub description: Option<String>,
    pub discriminator: Option<Box<Discriminator>>,
    /// `None` when the schema has none of them, as most do.
    pub unread: Option<Box<UnreadData>>,
}

/// The keywords of `openapiv3::SchemaData` that lowering does not read, kept so that a schema
/// converts back whole.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UnreadData {
    pub external_docs: Option<oa::ExternalDocumentation>,
    pub example: Option<Value>,
    pub default: Option<Value>,
    pub extensions: IndexMap<String, Value>,
}

/// `openapiv3::SchemaKind`, with the catch-all boxed.
#[derive(Debug, Clone, PartialEq)]
pub enum SchemaKind {
    Type(Type),
    OneOf { one_of: Vec<ReferenceOr<Schema>> },
    AllOf { all_of: Vec<ReferenceOr<Schema>> },
    AnyOf { any_of: Vec<ReferenceOr<Schema>> },
    Not { not: Box<ReferenceOr<Schema>> },
    Any(Box<AnySchema>),
}

/// `openapiv3::Type`; the scalar kinds are `openapiv3`'s own (they hold no schemas).
#[derive(Debug, Clone, PartialEq)]
pub enum Type {
    String(StringType),
    Number(NumberType),
    Integer(IntegerType),
    Object(ObjectType),
    Array(ArrayType),
    Boolean(BooleanType),
}

/// `openapiv3::ObjectType`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ObjectType {
    pub properties: Properties,
    pub required: Vec<String>,
    pub additional_properties: Option<AdditionalProperties>,
    pub min_properties: Option<usize>,
    pub max_properties: Option<usize>,
}

/// `openapiv3::ArrayType`.
#[derive(Debug, Clone, PartialEq)]
pub struct ArrayType {
    pub items: Option<ReferenceOr<Box<Schema>>>,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
    pub unique_items: bool,
}

/// `openapiv3::AdditionalProperties`.
#[derive(Debug, Clone, PartialEq)]
pub enum AdditionalProperties {
    Any(bool),
    Schema(Box<ReferenceOr<Schema>>),
}

/// `openapiv3::AnySchema`: a schema whose keywords fit no single kind.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AnySchema {
    pub typ: Option<String>,
    pub pattern: Option<String>,
    pub multiple_of: Option<f64>,
    pub exclusive_minimum: Option<bool>,
    pub exclusive_maximum: Option<bool>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub properties: Properties,
    pub required: Vec<String>,
    pub additional_properties: Option<AdditionalProperties>,
    pub min_properties: Option<usize>,
    pub max_properties: Option<usize>,
    pub items: Option<ReferenceOr<Box<Schema>>>,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
    pub unique_items: Option<bool>,
    pub enumeration: Vec<Value>,
    pub format: Option<String>,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub one_of: Vec<ReferenceOr<Schema>>,
    pub all_of: Vec<ReferenceOr<Schema>>,
    pub any_of: Vec<ReferenceOr<Schema>>,
    pub not: Option<Box<ReferenceOr<Schema>>>,
}

/// The component schemas of a parsed document, converted (copied: the document keeps its own).
pub fn components_of(api: &oa::OpenAPI) -> ComponentSchemas {
    api.components
        .iter()
        .flat_map(|components| &components.schemas)
        .map(|(name, schema)| (name.clone(), compact(schema.clone())))
        .collect()
}

/// A schema or reference from anywhere in a typed document, converted.
pub fn compact(schema: ReferenceOr<oa::Schema>) -> ReferenceOr<Schema> {
    map_reference(schema, Schema::from)
}

fn map_reference<T, U>(value: ReferenceOr<T>, convert: impl FnOnce(T) -> U) -> ReferenceOr<U> {
    match value {
        ReferenceOr::Reference { reference } => ReferenceOr::Reference { reference },
        ReferenceOr::Item(item) => ReferenceOr::Item(convert(item)),
    }
}

fn compact_boxed(schema: ReferenceOr<Box<oa::Schema>>) -> ReferenceOr<Box<Schema>> {
    map_reference(schema, |schema| Box::new(Schema::from(*schema)))
}

fn compact_all(schemas: Vec<ReferenceOr<oa::Schema>>) -> Vec<ReferenceOr<Schema>> {
    schemas.into_iter().map(compact).collect()
}

fn compact_properties(properties: IndexMap<String, ReferenceOr<Box<oa::Schema>>>) -> Properties {
    properties
        .into_iter()
        .map(|(name, schema)| (name, compact_boxed(schema)))
        .collect()
}

impl From<oa::Schema> for Schema {
    fn from(schema: oa::Schema) -> Self {
        Schema {
            schema_data: schema.schema_data.into(),
            schema_kind: schema.schema_kind.into(),
        }
    }
}

impl From<oa::SchemaData> for SchemaData {
    fn from(data: oa::SchemaData) -> Self {
        let unread = UnreadData {
            external_docs: data.external_docs,
            example: data.example,
            default: data.default,
            extensions: data.extensions,
        };
        SchemaData {
            nullable: data.nullable,
            read_only: data.read_only,
            write_only: data.write_only,
            deprecated: data.deprecated,
            title: data.title,
            description: data.description,
            discriminator: data.discriminator.map(Box::new),
            unread: (unread != UnreadData::default()).then(|| Box::new(unread)),
        }
    }
}

impl From<oa::SchemaKind> for SchemaKind {
    fn from(kind: oa::SchemaKind) -> Self {
        match kind {
            oa::SchemaKind::Type(typ) => SchemaKind::Type(typ.into()),
            oa::SchemaKind::OneOf { one_of } => SchemaKind::OneOf {
                one_of: compact_all(one_of),
            },
            oa::SchemaKind::AllOf { all_of } => SchemaKind::AllOf {
                all_of: compact_all(all_of),
            },
            oa::SchemaKind::AnyOf { any_of } => SchemaKind::AnyOf {
                any_of: compact_all(any_of),
            },
            oa::SchemaKind::Not { not } => SchemaKind::Not {
                not: Box::new(compact(*not)),
            },
            oa::SchemaKind::Any(any) => SchemaKind::Any(Box::new(any.into())),
        }
    }
}

impl From<oa::Type> for Type {
    fn from(typ: oa::Type) -> Self {
        match typ {
            oa::Type::String(string) => Type::String(string),
            oa::Type::Number(number) => Type::Number(number),
            oa::Type::Integer(integer) => Type::Integer(integer),
            oa::Type::Boolean(boolean) => Type::Boolean(boolean),
            oa::Type::Object(object) => Type::Object(ObjectType {
                properties: compact_properties(object.properties),
                required: object.required,
                additional_properties: object.additional_properties.map(Into::into),
                min_properties: object.min_properties,
                max_properties: object.max_properties,
            }),
            oa::Type::Array(array) => Type::Array(ArrayType {
                items: array.items.map(compact_boxed),
                min_items: array.min_items,
                max_items: array.max_items,
                unique_items: array.unique_items,
            }),
        }
    }
}

impl From<oa::AdditionalProperties> for AdditionalProperties {
    fn from(additional: oa::AdditionalProperties) -> Self {
        match additional {
            oa::AdditionalProperties::Any(any) => AdditionalProperties::Any(any),
            oa::AdditionalProperties::Schema(schema) => {
                AdditionalProperties::Schema(Box::new(compact(*schema)))
            }
        }
    }
}

impl From<oa::AnySchema> for AnySchema {
    fn from(any: oa::AnySchema) -> Self {
        AnySchema {
            typ: any.typ,
            pattern: any.pattern,
            multiple_of: any.multiple_of,
            exclusive_minimum: any.exclusive_minimum,
            exclusive_maximum: any.exclusive_maximum,
            minimum: any.minimum,
            maximum: any.maximum,
            properties: compact_properties(any.properties),
            required: any.required,
            additional_properties: any.additional_properties.map(Into::into),
            min_properties: any.min_properties,
            max_properties: any.max_properties,
            items: any.items.map(compact_boxed),
            min_items: any.min_items,
            max_items: any.max_items,
            unique_items: any.unique_items,
            enumeration: any.enumeration,
            format: any.format,
            min_length: any.min_length,
            max_length: any.max_length,
            one_of: compact_all(any.one_of),
            all_of: compact_all(any.all_of),
            any_of: compact_all(any.any_of),
            not: any.not.map(|not| Box::new(compact(*not))),
        }
    }
}

// Back to `openapiv3`'s types, moving: for the schemas inside paths, which the parse reads
// directly and hands on as `openapiv3`'s, and (from a copy) for serializing.

/// A schema or reference read directly, as `openapiv3`'s type.
pub fn widen(schema: ReferenceOr<Schema>) -> ReferenceOr<oa::Schema> {
    map_reference(schema, oa::Schema::from)
}

fn widen_boxed(schema: ReferenceOr<Box<Schema>>) -> ReferenceOr<Box<oa::Schema>> {
    map_reference(schema, |schema| Box::new(oa::Schema::from(*schema)))
}

fn widen_all(schemas: Vec<ReferenceOr<Schema>>) -> Vec<ReferenceOr<oa::Schema>> {
    schemas.into_iter().map(widen).collect()
}

fn widen_properties(properties: Properties) -> IndexMap<String, ReferenceOr<Box<oa::Schema>>> {
    properties
        .into_iter()
        .map(|(name, schema)| (name, widen_boxed(schema)))
        .collect()
}

impl From<&Schema> for oa::Schema {
    fn from(schema: &Schema) -> Self {
        schema.clone().into()
    }
}

impl From<Schema> for oa::Schema {
    fn from(schema: Schema) -> Self {
        oa::Schema {
            schema_data: schema.schema_data.into(),
            schema_kind: schema.schema_kind.into(),
        }
    }
}

impl From<SchemaData> for oa::SchemaData {
    fn from(data: SchemaData) -> Self {
        let unread = data.unread.map(|unread| *unread).unwrap_or_default();
        oa::SchemaData {
            nullable: data.nullable,
            read_only: data.read_only,
            write_only: data.write_only,
            deprecated: data.deprecated,
            external_docs: unread.external_docs,
            example: unread.example,
            title: data.title,
            description: data.description,
            discriminator: data.discriminator.map(|discriminator| *discriminator),
            default: unread.default,
            extensions: unread.extensions,
        }
    }
}

impl From<SchemaKind> for oa::SchemaKind {
    fn from(kind: SchemaKind) -> Self {
        match kind {
            SchemaKind::Type(typ) => oa::SchemaKind::Type(typ.into()),
            SchemaKind::OneOf { one_of } => oa::SchemaKind::OneOf {
                one_of: widen_all(one_of),
            },
            SchemaKind::AllOf { all_of } => oa::SchemaKind::AllOf {
                all_of: widen_all(all_of),
            },
            SchemaKind::AnyOf { any_of } => oa::SchemaKind::AnyOf {
                any_of: widen_all(any_of),
            },
            SchemaKind::Not { not } => oa::SchemaKind::Not {
                not: Box::new(widen(*not)),
            },
            SchemaKind::Any(any) => oa::SchemaKind::Any((*any).into()),
        }
    }
}

impl From<Type> for oa::Type {
    fn from(typ: Type) -> Self {
        match typ {
            Type::String(string) => oa::Type::String(string),
            Type::Number(number) => oa::Type::Number(number),
            Type::Integer(integer) => oa::Type::Integer(integer),
            Type::Boolean(boolean) => oa::Type::Boolean(boolean),
            Type::Object(object) => oa::Type::Object(oa::ObjectType {
                properties: widen_properties(object.properties),
                required: object.required,
                additional_properties: object.additional_properties.map(Into::into),
                min_properties: object.min_properties,
                max_properties: object.max_properties,
            }),
            Type::Array(array) => oa::Type::Array(oa::ArrayType {
                items: array.items.map(widen_boxed),
                min_items: array.min_items,
                max_items: array.max_items,
                unique_items: array.unique_items,
            }),
        }
    }
}

impl From<AdditionalProperties> for oa::AdditionalProperties {
    fn from(additional: AdditionalProperties) -> Self {
        match additional {
            AdditionalProperties::Any(any) => oa::AdditionalProperties::Any(any),
            AdditionalProperties::Schema(schema) => {
                oa::AdditionalProperties::Schema(Box::new(widen(*schema)))
            }
        }
    }
}

impl From<AnySchema> for oa::AnySchema {
    fn from(any: AnySchema) -> Self {
        oa::AnySchema {
            typ: any.typ,
            pattern: any.pattern,
            multiple_of: any.multiple_of,
            exclusive_minimum: any.exclusive_minimum,
            exclusive_maximum: any.exclusive_maximum,
            minimum: any.minimum,
            maximum: any.maximum,
            properties: widen_properties(any.properties),
            required: any.required,
            additional_properties: any.additional_properties.map(Into::into),
            min_properties: any.min_properties,
            max_properties: any.max_properties,
            items: any.items.map(widen_boxed),
            min_items: any.min_items,
            max_items: any.max_items,
            unique_items: any.unique_items,
            enumeration: any.enumeration,
            format: any.format,
            min_length: any.min_length,
            max_length: any.max_length,
            one_of: widen_all(any.one_of),
            all_of: widen_all(any.all_of),
            any_of: widen_all(any.any_of),
            not: any.not.map(|not| Box::new(widen(*not))),
        }
    }
}

impl serde::Serialize for Schema {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        oa::Schema::from(self).serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every component schema of PayPro's document, the construct specs and the corpus
    /// documents of up to a megabyte converts and converts back to what `openapiv3` read,
    /// field for field, nested schemas included.
    #[test]
    fn schemas_convert_back_unchanged() -> Result<(), String> {
        let small =
            |path: &std::path::PathBuf| std::fs::metadata(path).is_ok_and(|m| m.len() <= 1_000_000);
        let mut seen = 0;
        for path in crate::real_documents::real_documents()
            .iter()
            .filter(|p| small(p))
        {
            let path = path.display().to_string();
            let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
            let mut document =
                crate::load::load_document(&text, &path).map_err(|d| d.to_string())?;
            crate::normalize::normalize(&mut document);
            let Ok(api) = crate::parse::parse_document(&document) else {
                continue;
            };
            let compacted = components_of(&api);
            for (name, original) in api.components.iter().flat_map(|c| &c.schemas) {
                let back = compacted.get(name).cloned().map(widen);
                assert!(back.as_ref() == Some(original), "{path}: {name} changed");
                seen += 1;
            }
        }
        // PayPro's and the construct specs' hold under a hundred: the corpus was read.
        assert!(seen > 500, "only {seen} schemas compared");
        Ok(())
    }

    #[test]
    fn a_rarely_used_keyword_survives_the_round_trip() {
        let json = serde_json::json!({"type": "object", "example": {"a": 1}, "default": {},
            "externalDocs": {"url": "https://example.com"}, "x-kept": true,
            "discriminator": {"propertyName": "kind"},
            "properties": {"a": {"not": {"type": "string"}, "x-inner": 1}}});
        let original: oa::Schema = serde_json::from_value(json.clone()).unwrap_or_else(|e| {
            panic!("the test schema parses: {e}");
        });
        let compacted = Schema::from(original.clone());
        assert!(compacted.schema_data.unread.is_some());
        assert_eq!(oa::Schema::from(&compacted), original);
        assert_eq!(serde_json::to_value(&compacted).ok(), Some(json));
    }

    #[test]
    fn a_plain_schema_keeps_no_box_for_unread_keywords() {
        let original: Result<oa::Schema, _> =
            serde_json::from_value(serde_json::json!({"type": "string", "description": "d"}));
        let compacted = original.map(Schema::from);
        assert!(compacted.is_ok_and(|schema| schema.schema_data.unread.is_none()));
    }

    /// The point of the module: a schema is a fraction of `openapiv3`'s 1,024 bytes.
    #[test]
    fn the_compact_schema_is_a_quarter_of_openapiv3s() {
        let compact = std::mem::size_of::<Schema>();
        let full = std::mem::size_of::<oa::Schema>();
        assert!(compact * 4 <= full, "{compact} bytes against {full}");
    }
}
