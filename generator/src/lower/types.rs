//! Schema lowering: OpenAPI schemas in, IR types (with provisional names) out, one verdict per union.
//!
//! Components are allocated before their bodies are lowered, so references between them (and
//! cycles) resolve to a [`TypeId`] at once. Inline schemas that are the same shape under the same
//! property name are lowered once and shared (`currency: enum [EUR]` everywhere is one `Currency`).

use super::Sites;
use super::schema_util::{component_name, is_null_like, list_item};

use super::Document;
use crate::diagnostics::{Diagnostic, pointer_push};
use crate::ir::*;
use crate::naming;
use crate::schema::{ReferenceOr, Schema, SchemaKind, Type};
use openapiv3::{StringFormat, VariantOrUnknownOrEmpty};
use std::collections::BTreeMap;

/// Where a type's name comes from; resolved to a final name once every type exists.
#[derive(Debug, Clone)]
pub enum NameSource {
    /// A component schema's own name.
    Component(String),
    /// Parent type name + property name (`PaymentLinks`).
    Inline { parent: Parent, field: String },
    /// A name decided up front (`CreatePaymentRequest`).
    Fixed(String),
}

#[derive(Debug, Clone)]
pub enum Parent {
    Type(TypeId),
}

/// A lowered schema: the type and whether `null` is allowed.
#[derive(Debug, Clone)]
pub struct Lowered {
    pub ty: TypeRef,
    pub nullable: bool,
    pub doc: Option<String>,
}

/// Field facts kept until presence can be decided (it depends on request reachability).
#[derive(Debug, Clone, Copy)]
pub struct FieldFlags {
    pub required: bool,
    pub nullable: bool,
}

pub struct TypeLowerer<'a> {
    pub(super) api: Document<'a>,
    pub types: Vec<TypeDef>,
    pub sources: Vec<NameSource>,
    pub shared: Vec<bool>,
    /// Per struct type, per field: required/nullable, parallel to `StructDef::fields`.
    pub field_flags: BTreeMap<TypeId, Vec<FieldFlags>>,
    pub(super) components: BTreeMap<String, Lowered>,
    pub(super) all_of_stack: Vec<String>,
    /// Components whose allOf-merged struct is being lowered right now.
    pub(super) merging: Vec<String>,
    /// Inline shapes by property name and shape key: the type made, and its first parent.
    /// Only looked up, never listed, so its order cannot reach the output.
    pub(super) dedup: foldhash::HashMap<String, (TypeId, TypeId)>,
    /// Inline enums by kind and property name: each type made, and the parent first seen.
    pub(super) enum_families: BTreeMap<String, Vec<(TypeId, TypeId)>>,
    pub diagnostics: Vec<Diagnostic>,
    /// Every schema lowered, by JSON pointer: the type that decodes it and whether `null` is
    /// allowed (the conformance check decodes the document's instances through these). `None`
    /// when nobody asked for them: generating does not, and on a big document the pointers
    /// are megabytes held to the end of the run (docs/PERFORMANCE.md).
    pub sites: Option<BTreeMap<String, (TypeRef, bool)>>,
}

pub(super) enum Target {
    Component(TypeId),
    Hint(NameSource),
}

impl Target {
    /// The name hint for a schema that stands in for the target (a one-member union or
    /// `allOf`): the hint itself, or for a component, its `value`.
    pub(super) fn into_hint(self) -> NameSource {
        match self {
            Target::Component(id) => NameSource::Inline {
                parent: Parent::Type(id),
                field: "value".to_owned(),
            },
            Target::Hint(hint) => hint,
        }
    }
}

impl<'a> TypeLowerer<'a> {
    pub fn new(api: Document<'a>, sites: Sites) -> Self {
        Self {
            api,
            types: Vec::new(),
            sources: Vec::new(),
            shared: Vec::new(),
            field_flags: BTreeMap::new(),
            components: BTreeMap::new(),
            all_of_stack: Vec::new(),
            merging: Vec::new(),
            dedup: foldhash::HashMap::default(),
            enum_families: BTreeMap::new(),
            diagnostics: Vec::new(),
            sites: match sites {
                Sites::Record => Some(BTreeMap::new()),
                Sites::Skip => None,
            },
        }
    }

    /// Lowers every component schema, in document order.
    pub fn lower_components(&mut self) {
        let names: Vec<String> = self.api.schemas.keys().cloned().collect();
        for name in names {
            self.component(&name);
        }
    }

    pub(super) fn alloc(
        &mut self,
        source: NameSource,
        origin: &str,
        doc: Option<String>,
    ) -> TypeId {
        let id = TypeId(self.types.len());
        self.types.push(TypeDef {
            name: String::new(),
            doc,
            origin: origin.to_owned(),
            kind: TypeKind::Pending,
            in_request: false,
        });
        self.sources.push(source);
        self.shared.push(false);
        id
    }

    /// The lowered form of a component, lowering it on first use.
    pub fn component(&mut self, name: &str) -> Lowered {
        if let Some(done) = self.components.get(name) {
            return done.clone();
        }
        let lowered = self.lower_component(name);
        // Recorded last, so the component's final verdict outranks its body's provisional one.
        self.record_site(&pointer_push("/components/schemas", name), &lowered);
        lowered
    }

    fn record_site(&mut self, pointer: &str, lowered: &Lowered) {
        if let Some(sites) = &mut self.sites {
            sites.insert(pointer.to_owned(), (lowered.ty.clone(), lowered.nullable));
        }
    }

    fn lower_component(&mut self, name: &str) -> Lowered {
        let pointer = pointer_push("/components/schemas", name);
        let api = self.api;
        let Some(schema) = api.schemas.get(name) else {
            self.diagnostics.push(Diagnostic::error(
                pointer,
                format!("component schema `{name}` does not exist"),
            ));
            return any();
        };
        let schema = match schema {
            ReferenceOr::Reference { .. } => {
                // A component that is only an alias of another: use the target directly.
                self.components.insert(name.to_owned(), any());
                let lowered =
                    self.lower_ref(schema, NameSource::Component(name.to_owned()), &pointer);
                self.components.insert(name.to_owned(), lowered.clone());
                return lowered;
            }
            ReferenceOr::Item(schema) => schema,
        };
        let doc = schema
            .schema_data
            .description
            .clone()
            .or_else(|| schema.schema_data.title.clone());
        if needs_named_type(api, schema) {
            let id = self.alloc(
                NameSource::Component(name.to_owned()),
                &pointer,
                doc.clone(),
            );
            let lowered = Lowered {
                ty: TypeRef::Named(id),
                nullable: schema.schema_data.nullable,
                doc,
            };
            self.components.insert(name.to_owned(), lowered.clone());
            let result = self.lower_schema_into(schema, Target::Component(id), &pointer);
            if !matches!(result.ty, TypeRef::Named(other) if other == id) {
                // The schema turned out not to need its own type (a nullable wrapper, say).
                self.types[id.0].kind = TypeKind::Alias(result.ty.clone());
            }
            let lowered = Lowered {
                nullable: lowered.nullable || result.nullable,
                ..lowered
            };
            self.components.insert(name.to_owned(), lowered.clone());
            lowered
        } else {
            // Placeholder first, so a self-reference through an array cannot recurse forever.
            self.components.insert(name.to_owned(), any());
            let item_name = naming::type_name(&naming::singular(name));
            let lowered = self.lower_schema(schema, NameSource::Fixed(item_name), &pointer);
            self.components.insert(name.to_owned(), lowered.clone());
            lowered
        }
    }

    pub fn lower_ref(
        &mut self,
        schema: &ReferenceOr<Schema>,
        hint: NameSource,
        pointer: &str,
    ) -> Lowered {
        match schema {
            ReferenceOr::Item(item) => self.lower_schema(item, hint, pointer),
            ReferenceOr::Reference { reference } => self.lower_reference(reference, pointer),
        }
    }

    /// [`Self::lower_ref`] for a property's or an array's boxed schema, read in place (a copy
    /// of each would copy its whole subtree, at every level of nesting).
    pub fn lower_boxed(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        hint: NameSource,
        pointer: &str,
    ) -> Lowered {
        match schema {
            ReferenceOr::Item(item) => self.lower_schema(item, hint, pointer),
            ReferenceOr::Reference { reference } => self.lower_reference(reference, pointer),
        }
    }

    fn lower_reference(&mut self, reference: &str, pointer: &str) -> Lowered {
        match component_name(reference) {
            Some(name) => {
                let lowered = self.component(name);
                self.record_site(pointer, &lowered);
                lowered
            }
            None => {
                self.diagnostics.push(Diagnostic::warning(
                    pointer,
                    format!("reference `{reference}` does not point at a component schema; modelled as serde_json::Value"),
                ));
                any()
            }
        }
    }

    pub fn lower_schema(&mut self, schema: &Schema, hint: NameSource, pointer: &str) -> Lowered {
        self.lower_schema_into(schema, Target::Hint(hint), pointer)
    }

    pub(super) fn lower_schema_into(
        &mut self,
        schema: &Schema,
        target: Target,
        pointer: &str,
    ) -> Lowered {
        let lowered = self.lower_schema_kind(schema, target, pointer);
        self.record_site(pointer, &lowered);
        lowered
    }

    fn lower_schema_kind(&mut self, schema: &Schema, target: Target, pointer: &str) -> Lowered {
        let nullable = schema.schema_data.nullable;
        let doc = schema.schema_data.description.clone();
        let plain = |ty| Lowered {
            ty,
            nullable,
            doc: doc.clone(),
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => {
                let values: Vec<String> = string.enumeration.iter().flatten().cloned().collect();
                let nullable = nullable || string.enumeration.iter().any(Option::is_none);
                if values.is_empty() {
                    let ty = match &string.format {
                        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
                        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
                        VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => TypeRef::Bytes,
                        _ => TypeRef::String,
                    };
                    Lowered { ty, nullable, doc }
                } else {
                    let ty = self.string_enum(schema, values, target, pointer);
                    Lowered { ty, nullable, doc }
                }
            }
            SchemaKind::Type(Type::Integer(integer)) => {
                let kind = match &integer.format {
                    VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => {
                        IntegerKind::I32
                    }
                    _ => IntegerKind::I64,
                };
                let values: Vec<i64> = integer.enumeration.iter().flatten().copied().collect();
                let nullable = nullable || integer.enumeration.iter().any(Option::is_none);
                if values.is_empty() {
                    Lowered {
                        ty: TypeRef::Integer(kind),
                        nullable,
                        doc,
                    }
                } else {
                    let ty = self.integer_enum(schema, values, target, pointer);
                    Lowered { ty, nullable, doc }
                }
            }
            // `format: float` is f64 too: a JSON number is written in decimal, and an f32 cannot
            // hold most decimals the server sends (0.9 would be sent back as
            // 0.8999999761581421), while f64 holds each exactly as serde_json reads it.
            SchemaKind::Type(Type::Number(_)) => plain(TypeRef::Number(NumberKind::F64)),
            SchemaKind::Type(Type::Boolean(_)) => plain(TypeRef::Boolean),
            SchemaKind::Type(Type::Array(array)) => {
                let ty = self.array_of(array.items.as_ref(), &target, pointer);
                plain(ty)
            }
            SchemaKind::Type(Type::Object(object)) => {
                let ty = self.object(
                    schema,
                    &object.properties,
                    &object.required,
                    object.additional_properties.as_ref(),
                    target,
                    pointer,
                );
                plain(ty)
            }
            SchemaKind::OneOf { one_of } => self.union(schema, one_of, "oneOf", target, pointer),
            SchemaKind::AnyOf { any_of } => self.union(schema, any_of, "anyOf", target, pointer),
            SchemaKind::AllOf { all_of } => self.all_of(schema, all_of, target, pointer),
            SchemaKind::Not { .. } => {
                self.diagnostics.push(Diagnostic::warning(
                    pointer,
                    "`not` schemas cannot be modelled; using serde_json::Value",
                ));
                plain(TypeRef::Any)
            }
            SchemaKind::Any(any_schema) => {
                if !any_schema.properties.is_empty() || any_schema.typ.as_deref() == Some("object")
                {
                    let ty = self.object(
                        schema,
                        &any_schema.properties,
                        &any_schema.required,
                        any_schema.additional_properties.as_ref(),
                        target,
                        pointer,
                    );
                    plain(ty)
                } else if any_schema.items.is_some() || any_schema.typ.as_deref() == Some("array") {
                    let ty = self.array_of(any_schema.items.as_ref(), &target, pointer);
                    plain(ty)
                } else if !any_schema.one_of.is_empty() {
                    self.union(schema, &any_schema.one_of, "oneOf", target, pointer)
                } else if !any_schema.any_of.is_empty() {
                    self.union(schema, &any_schema.any_of, "anyOf", target, pointer)
                } else if !any_schema.all_of.is_empty() {
                    self.all_of(schema, &any_schema.all_of, target, pointer)
                } else {
                    let strings: Vec<String> = any_schema
                        .enumeration
                        .iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect();
                    let has_null = any_schema
                        .enumeration
                        .iter()
                        .any(serde_json::Value::is_null);
                    if !strings.is_empty()
                        && strings.len() + usize::from(has_null) == any_schema.enumeration.len()
                    {
                        let ty = self.string_enum(schema, strings, target, pointer);
                        Lowered {
                            ty,
                            nullable: nullable || has_null,
                            doc,
                        }
                    } else {
                        if let Some(typ) = &any_schema.typ {
                            self.diagnostics.push(Diagnostic::warning(
                                pointer_push(pointer, "type"),
                                format!("type `{typ}` with these keywords is not understood; using serde_json::Value"),
                            ));
                        }
                        Lowered {
                            ty: TypeRef::Any,
                            nullable: nullable || has_null,
                            doc,
                        }
                    }
                }
            }
        }
    }

    fn array_of(
        &mut self,
        items: Option<&ReferenceOr<Box<Schema>>>,
        target: &Target,
        pointer: &str,
    ) -> TypeRef {
        let Some(items) = items else {
            return TypeRef::Vec(Box::new(TypeRef::Any));
        };
        let hint = match target {
            Target::Component(id) => NameSource::Inline {
                parent: Parent::Type(*id),
                field: "item".to_owned(),
            },
            Target::Hint(NameSource::Inline { parent, field }) => {
                let single = naming::singular(field);
                let field = if single == *field {
                    format!("{field}_item")
                } else {
                    single
                };
                NameSource::Inline {
                    parent: parent.clone(),
                    field,
                }
            }
            Target::Hint(NameSource::Fixed(name)) => NameSource::Fixed(name.clone()),
            Target::Hint(NameSource::Component(name)) => {
                NameSource::Fixed(naming::type_name(&naming::singular(name)))
            }
        };
        let item = self.lower_boxed(items, hint, &pointer_push(pointer, "items"));
        let item_ty = if item.nullable {
            TypeRef::Option(Box::new(item.ty))
        } else {
            item.ty
        };
        TypeRef::Vec(Box::new(item_ty))
    }

    pub(super) fn target_id(
        &mut self,
        target: Target,
        pointer: &str,
        doc: Option<String>,
    ) -> TypeId {
        match target {
            Target::Component(id) => id,
            Target::Hint(hint) => self.alloc(hint, pointer, doc),
        }
    }
}

fn any() -> Lowered {
    Lowered {
        ty: TypeRef::Any,
        nullable: false,
        doc: None,
    }
}

/// Whether a component gets its own named Rust type (structs, enums, unions) or is used inline.
fn needs_named_type(api: Document<'_>, schema: &Schema) -> bool {
    if is_null_like(schema) || list_item(api, schema).is_some() {
        return false;
    }
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => s.enumeration.iter().any(Option::is_some),
        SchemaKind::Type(Type::Integer(i)) => i.enumeration.iter().any(Option::is_some),

        SchemaKind::Type(Type::Object(o)) => !o.properties.is_empty(),
        SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } | SchemaKind::AllOf { .. } => true,
        SchemaKind::Any(any) => {
            !any.properties.is_empty()
                || !any.one_of.is_empty()
                || !any.any_of.is_empty()
                || !any.all_of.is_empty()
                || any.enumeration.iter().any(|v| v.is_string())
        }
        _ => false,
    }
}
