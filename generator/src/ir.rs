//! The intermediate representation: every type with its final Rust name and every union with its verdict, before any token is emitted.
//!
//! Types refer to each other by [`TypeId`], so forward references and cycles need no special
//! cases. Emitters only read this; all decisions (names, nullability, union kinds, boxing,
//! defaults) are made while lowering.

use std::collections::{BTreeMap, BTreeSet};

/// Index of a type in [`Model::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// A reference to a Rust type, as a field, variant or parameter uses it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum TypeRef {
    Named(TypeId),
    String,
    Integer(IntegerKind),
    Number(NumberKind),
    Boolean,
    DateTime,
    Date,
    Bytes,
    /// Any JSON value: what the generator uses where it cannot (or need not) be more precise.
    Any,
    /// A free-form JSON object.
    Object,
    Vec(Box<TypeRef>),
    Map(Box<TypeRef>),
    /// The runtime's `List<T>` envelope.
    List(Box<TypeRef>),
    Option(Box<TypeRef>),
    Box(Box<TypeRef>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum IntegerKind {
    I32,
    I64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NumberKind {
    /// Every number, whatever its `format` (see the lowering of `type: number`).
    F64,
}

impl TypeRef {
    /// Integers and numbers get lenient decoding (numeric strings accepted).
    pub fn is_numeric(&self) -> bool {
        matches!(self, TypeRef::Integer(_) | TypeRef::Number(_))
    }
}

/// One named Rust type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    pub name: String,
    pub doc: Option<String>,
    /// Where the schema is, for diagnostics and the generated docs.
    pub origin: String,
    pub kind: TypeKind,
    /// Reachable from a request body (fields that are optional and nullable become three-state).
    pub in_request: bool,
}

#[derive(Debug, Clone)]
pub enum TypeKind {
    Struct(StructDef),
    Enum(EnumDef),
    /// An integer enum (`enum: [1, 2, 3]`), with an `Unknown(i64)` variant.
    IntEnum(IntEnumDef),
    Tagged(TaggedDef),
    Untagged(UntaggedDef),
    /// A named schema that is not an object: `pub type EventTypes = Vec<EventTypesItem>;`.
    Alias(TypeRef),
    /// Placeholder while a component is being lowered; never survives lowering.
    Pending,
}

impl TypeKind {
    /// An enum's values as they appear on the wire (integers spelled in decimal); `None` for
    /// anything that is not an enum.
    pub fn enum_wire_values(&self) -> Option<Vec<String>> {
        match self {
            TypeKind::Enum(e) => Some(e.variants.iter().map(|v| v.wire.clone()).collect()),
            TypeKind::IntEnum(e) => Some(e.variants.iter().map(|(v, _)| v.to_string()).collect()),
            _ => None,
        }
    }
}

/// The Rust field that holds a struct's members beyond its named properties
/// ([`StructDef::additional`]); a property of that name is renamed instead.
pub const ADDITIONAL_FIELD: &str = "additional_properties";

#[derive(Debug, Clone)]
pub struct StructDef {
    pub fields: Vec<Field>,
    /// `additionalProperties` beside named properties: a flattened map of the rest. Unless the
    /// schema says `additionalProperties: false` there is one, of `Any` when it gives no schema.
    pub additional: Option<TypeRef>,
    /// Whether `Default` can be derived (every field has a default).
    pub derive_default: bool,
}

/// How a field is present on the wire, decided from `required` and `nullable`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Required and not nullable: a plain `T`.
    Required,
    /// Required but nullable: `Option<T>`, always written (null when `None`), absent accepted.
    RequiredNullable,
    /// Optional and not nullable: `Option<T>`, left out when `None`.
    Optional,
    /// Optional and nullable in a request: three-state `Patch<T>`.
    Patch,
}

#[derive(Debug, Clone)]
pub struct Field {
    /// The property name on the wire.
    pub wire: String,
    /// The escaped Rust identifier (`r#type`, `links`).
    pub rust: String,
    pub doc: Option<String>,
    /// The value type, without the Option/Patch wrapper that [`Presence`] adds.
    pub ty: TypeRef,
    pub presence: Presence,
    /// A required collection or defaultable struct that may be absent: decode as empty.
    pub default_when_absent: bool,
    /// Marked deprecated in the spec.
    pub deprecated: bool,
}

#[derive(Debug, Clone)]
pub struct EnumDef {
    pub variants: Vec<EnumVariant>,
}

#[derive(Debug, Clone)]
pub struct EnumVariant {
    pub wire: String,
    pub rust: String,
}

#[derive(Debug, Clone)]
pub struct IntEnumDef {
    pub variants: Vec<(i64, String)>,
}

/// A union decided by a tag property (a discriminator, or a one-value enum each member requires).
#[derive(Debug, Clone)]
pub struct TaggedDef {
    pub tag: String,
    pub variants: Vec<TaggedVariant>,
}

#[derive(Debug, Clone)]
pub struct TaggedVariant {
    /// Tag values that select this variant (more than one when a mapping says so).
    pub tags: Vec<String>,
    pub rust: String,
    pub ty: TypeRef,
}

/// A union of last resort: each variant is tried in order.
#[derive(Debug, Clone)]
pub struct UntaggedDef {
    pub variants: Vec<UntaggedVariant>,
}

#[derive(Debug, Clone)]
pub struct UntaggedVariant {
    pub rust: String,
    pub ty: TypeRef,
}

/// One API operation, ready to emit as a method.
#[derive(Debug, Clone)]
pub struct Operation {
    pub operation_id: String,
    pub method: String,
    pub path: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    /// The method's name in its group (`get`, `list_refunds`, `create_refund`…).
    pub rust_name: String,
    /// Path parameters in the template's order: the method's first arguments.
    pub path_params: Vec<Param>,
    /// Required query, header and cookie parameters, in the document's order: the arguments
    /// after the path's.
    pub required_params: Vec<Param>,
    /// The optional parameters, gathered in a params struct; `None` when there are none.
    pub optional_params: Option<ParamsStruct>,
    pub body: Option<Body>,
    pub response: Response,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

/// An OpenAPI parameter `style`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    Simple,
    Label,
    Matrix,
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

/// How a parameter's value is written on the wire, with the document's defaults applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamEncoding {
    /// Rendered per `style` and `explode`; `allow_reserved` only ever holds for query parameters.
    Style {
        style: ParamStyle,
        explode: bool,
        allow_reserved: bool,
    },
    /// Described by `content` with a JSON media type: the value as JSON text.
    Json { media_type: String },
}

#[derive(Debug, Clone)]
pub struct Param {
    pub location: ParamLocation,
    pub wire: String,
    pub rust: String,
    pub ty: TypeRef,
    pub doc: Option<String>,
    pub required: bool,
    pub encoding: ParamEncoding,
}

/// An operation's optional parameters, as the fields of one `Default` struct with a setter each.
#[derive(Debug, Clone)]
pub struct ParamsStruct {
    pub type_name: String,
    /// The name of the method that takes the struct (`list_with`); the plain method sends none.
    pub method_name: String,
    pub params: Vec<Param>,
    /// A list operation with a `cursor` query parameter: `list_all` streams page after page
    /// from the struct's cursor, with every other parameter on each page.
    pub paged: bool,
}

#[derive(Debug, Clone)]
pub struct Body {
    pub ty: TypeRef,
    pub encoding: BodyEncoding,
    pub required: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    Json,
    Form,
    Multipart,
    Binary,
}

#[derive(Debug, Clone)]
pub enum Response {
    /// No body worth decoding.
    Empty,
    /// A body that is not JSON (a PDF, a CSV…), returned as bytes.
    Bytes,

    Json(TypeRef),
    /// A list envelope: `list` plus `list_all` streams over `T`.
    List(TypeRef),
    /// Several success statuses with different bodies: an enum per operation.
    Multi {
        type_name: String,
        variants: Vec<StatusVariant>,
    },
}

/// One success status of an operation with several.
#[derive(Debug, Clone)]
pub struct StatusVariant {
    /// `Some(201)`, or `None` for a `2XX` range or `default`.
    pub status: Option<u16>,
    pub rust: String,
    /// The decoded body, or `None` for a status without one.
    pub ty: Option<TypeRef>,
    pub description: String,
}

/// A tag's operations: one accessor on the client, one struct of methods.
#[derive(Debug, Clone)]
pub struct Group {
    pub tag: String,
    pub doc: Option<String>,
    /// `Payments`
    pub type_name: String,
    /// `payments`
    pub accessor: String,
    pub operations: Vec<Operation>,
}

/// The whole lowered API.
#[derive(Debug, Clone)]
pub struct Model {
    pub title: String,
    pub description: Option<String>,
    pub version: String,
    pub base_url: String,
    pub types: Vec<TypeDef>,
    pub groups: Vec<Group>,
    /// Whether any response uses the list envelope (the runtime's `list` module is emitted).
    pub uses_list: bool,
    /// Type names used, for collision checks by later stages.
    pub type_names: BTreeSet<String>,
    /// Every schema of the document that was lowered, by JSON pointer (into the document as
    /// written, `$ref`s not followed), with the type an instance of it decodes into (`Option`
    /// when the schema allows `null`). Emit ignores it; the conformance check reads it. Empty
    /// unless lowered with [`crate::lower::Sites::Record`].
    pub schema_sites: BTreeMap<String, TypeRef>,
}

impl Model {
    pub fn get(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }
}
