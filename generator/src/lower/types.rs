//! Schema lowering: OpenAPI schemas in, IR types (with provisional names) out, one verdict per union.
//!
//! Components are allocated before their bodies are lowered, so references between them (and
//! cycles) resolve to a [`TypeId`] at once. Inline schemas that are the same shape under the same
//! property name are lowered once and shared (`currency: enum [EUR]` everywhere is one `Currency`).

use super::schema_util::{
    component_name, is_null_like, list_item, object_parts, resolve, resolve_boxed, shape_key,
    single_string_value, unbox,
};
use crate::diagnostics::{Diagnostic, pointer_push};
use crate::ir::*;
use crate::naming;
use openapiv3::{
    AdditionalProperties, OpenAPI, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
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
    api: &'a OpenAPI,
    pub types: Vec<TypeDef>,
    pub sources: Vec<NameSource>,
    pub shared: Vec<bool>,
    /// Per struct type, per field: required/nullable, parallel to `StructDef::fields`.
    pub field_flags: BTreeMap<TypeId, Vec<FieldFlags>>,
    components: BTreeMap<String, Lowered>,
    all_of_stack: Vec<String>,
    dedup: BTreeMap<String, (TypeId, String)>,
    pub diagnostics: Vec<Diagnostic>,
}

enum Target {
    Component(TypeId),
    Hint(NameSource),
}

impl<'a> TypeLowerer<'a> {
    pub fn new(api: &'a OpenAPI) -> Self {
        Self {
            api,
            types: Vec::new(),
            sources: Vec::new(),
            shared: Vec::new(),
            field_flags: BTreeMap::new(),
            components: BTreeMap::new(),
            all_of_stack: Vec::new(),
            dedup: BTreeMap::new(),
            diagnostics: Vec::new(),
        }
    }

    /// Lowers every component schema, in document order.
    pub fn lower_components(&mut self) {
        let names: Vec<String> = self
            .api
            .components
            .iter()
            .flat_map(|c| c.schemas.keys().cloned())
            .collect();
        for name in names {
            self.component(&name);
        }
    }

    fn alloc(&mut self, source: NameSource, origin: &str, doc: Option<String>) -> TypeId {
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
        let pointer = pointer_push("/components/schemas", name);
        let api = self.api;
        let Some(schema) = api.components.as_ref().and_then(|c| c.schemas.get(name)) else {
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
            ReferenceOr::Reference { reference } => match component_name(reference) {
                Some(name) => self.component(name),
                None => {
                    self.diagnostics.push(Diagnostic::warning(
                        pointer,
                        format!("reference `{reference}` does not point at a component schema; modelled as serde_json::Value"),
                    ));
                    any()
                }
            },
        }
    }

    pub fn lower_boxed(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        hint: NameSource,
        pointer: &str,
    ) -> Lowered {
        self.lower_ref(&unbox(schema), hint, pointer)
    }

    pub fn lower_schema(&mut self, schema: &Schema, hint: NameSource, pointer: &str) -> Lowered {
        self.lower_schema_into(schema, Target::Hint(hint), pointer)
    }

    fn lower_schema_into(&mut self, schema: &Schema, target: Target, pointer: &str) -> Lowered {
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
            SchemaKind::Type(Type::Number(number)) => {
                let kind = match &number.format {
                    VariantOrUnknownOrEmpty::Item(openapiv3::NumberFormat::Float) => {
                        NumberKind::F32
                    }
                    _ => NumberKind::F64,
                };
                plain(TypeRef::Number(kind))
            }
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

    /// Inline shapes seen before under the same property name are reused, not duplicated.
    fn shared_lookup(
        &mut self,
        schema: &Schema,
        target: &Target,
    ) -> Result<Option<TypeId>, String> {
        let Target::Hint(NameSource::Inline { parent, field }) = target else {
            return Err(String::new());
        };
        // Members such as `_links` are per-resource metadata: two resources' links are not one type.
        if field.starts_with('_') {
            return Err(String::new());
        }
        let key = format!("{field}\u{0}{}", shape_key(schema));
        let Parent::Type(parent_id) = parent;
        let parent_key = format!("#{}", parent_id.0);
        match self.dedup.get(&key) {
            Some((id, first_parent)) => {
                if *first_parent != parent_key {
                    self.shared[id.0] = true;
                }
                Ok(Some(*id))
            }
            None => Err(format!("{key}\u{1}{parent_key}")),
        }
    }

    fn remember_shape(&mut self, pending_key: String, id: TypeId) {
        if let Some((key, parent)) = pending_key.split_once('\u{1}') {
            self.dedup.insert(key.to_owned(), (id, parent.to_owned()));
        }
    }

    fn target_id(&mut self, target: Target, pointer: &str, doc: Option<String>) -> TypeId {
        match target {
            Target::Component(id) => id,
            Target::Hint(hint) => self.alloc(hint, pointer, doc),
        }
    }

    fn string_enum(
        &mut self,
        schema: &Schema,
        values: Vec<String>,
        target: Target,
        pointer: &str,
    ) -> TypeRef {
        let pending = match self.shared_lookup(schema, &target) {
            Ok(Some(id)) => return TypeRef::Named(id),
            Ok(None) => String::new(),
            Err(pending) => pending,
        };
        let id = self.target_id(target, pointer, schema.schema_data.description.clone());
        self.remember_shape(pending, id);
        let mut names = naming::Namespace::with_reserved(&["Unknown"]);
        let mut variants = Vec::new();
        for value in values {
            if variants.iter().any(|v: &EnumVariant| v.wire == value) {
                continue;
            }
            let rust = names.claim(&naming::variant_name(&value), false);
            variants.push(EnumVariant { wire: value, rust });
        }
        self.types[id.0].kind = TypeKind::Enum(EnumDef { variants });
        TypeRef::Named(id)
    }

    fn integer_enum(
        &mut self,
        schema: &Schema,
        values: Vec<i64>,
        target: Target,
        pointer: &str,
    ) -> TypeRef {
        let pending = match self.shared_lookup(schema, &target) {
            Ok(Some(id)) => return TypeRef::Named(id),
            Ok(None) => String::new(),
            Err(pending) => pending,
        };
        let id = self.target_id(target, pointer, schema.schema_data.description.clone());
        self.remember_shape(pending, id);
        let mut variants: Vec<(i64, String)> = Vec::new();
        for value in values {
            if !variants.iter().any(|(v, _)| *v == value) {
                let name = if value < 0 {
                    format!("Minus{}", value.unsigned_abs())
                } else {
                    format!("V{value}")
                };
                variants.push((value, name));
            }
        }
        self.types[id.0].kind = TypeKind::IntEnum(IntEnumDef { variants });
        TypeRef::Named(id)
    }

    fn object(
        &mut self,
        schema: &Schema,
        properties: &indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&AdditionalProperties>,
        target: Target,
        pointer: &str,
    ) -> TypeRef {
        let api = self.api;
        if let Some(item) = list_item(api, schema) {
            let hint = match &target {
                Target::Hint(NameSource::Inline { parent, field }) => NameSource::Inline {
                    parent: parent.clone(),
                    field: naming::singular(field),
                },
                Target::Hint(NameSource::Fixed(name)) => NameSource::Fixed(format!("{name}Item")),
                _ => NameSource::Fixed("ListItem".to_owned()),
            };
            let item = self.lower_boxed(
                item,
                hint,
                &pointer_push(
                    &pointer_push(&pointer_push(pointer, "properties"), "data"),
                    "items",
                ),
            );
            return TypeRef::List(Box::new(item.ty));
        }
        let additional_ty = match additional {
            Some(AdditionalProperties::Schema(value_schema)) => {
                let hint = match &target {
                    Target::Component(id) => NameSource::Inline {
                        parent: Parent::Type(*id),
                        field: "value".to_owned(),
                    },
                    Target::Hint(NameSource::Inline { parent, field }) => NameSource::Inline {
                        parent: parent.clone(),
                        field: format!("{field}_value"),
                    },
                    Target::Hint(NameSource::Fixed(name)) => {
                        NameSource::Fixed(format!("{name}Value"))
                    }
                    Target::Hint(NameSource::Component(name)) => {
                        NameSource::Fixed(format!("{}Value", naming::type_name(name)))
                    }
                };
                let value = self.lower_ref(
                    &unbox_schema(value_schema),
                    hint,
                    &pointer_push(pointer, "additionalProperties"),
                );
                Some(if value.nullable {
                    TypeRef::Option(Box::new(value.ty))
                } else {
                    value.ty
                })
            }
            _ => None,
        };
        if properties.is_empty() {
            return match additional_ty {
                Some(value) => TypeRef::Map(Box::new(value)),
                None => TypeRef::Object,
            };
        }
        let pending = match self.shared_lookup(schema, &target) {
            Ok(Some(id)) => return TypeRef::Named(id),
            Ok(None) => String::new(),
            Err(pending) => pending,
        };
        let id = self.target_id(target, pointer, schema.schema_data.description.clone());
        self.remember_shape(pending, id);
        let mut field_names = naming::Namespace::default();
        let mut fields = Vec::new();
        let mut flags = Vec::new();
        let properties_pointer = pointer_push(pointer, "properties");
        for (wire, property) in properties {
            let field_pointer = pointer_push(&properties_pointer, wire);
            let lowered = self.lower_boxed(
                property,
                NameSource::Inline {
                    parent: Parent::Type(id),
                    field: wire.clone(),
                },
                &field_pointer,
            );
            let resolved = resolve_boxed(api, property);
            let own_doc = match property {
                ReferenceOr::Item(item) => item.schema_data.description.clone(),
                ReferenceOr::Reference { .. } => None,
            };
            let deprecated = resolved.is_some_and(|(s, _)| s.schema_data.deprecated);
            let rust =
                naming::escape_identifier(&field_names.claim(&naming::snake_name(wire), true));
            flags.push(FieldFlags {
                required: required.contains(wire),
                nullable: lowered.nullable,
            });
            fields.push(Field {
                wire: wire.clone(),
                rust,
                doc: own_doc.or(lowered.doc),
                ty: lowered.ty,
                presence: Presence::Optional,
                default_when_absent: false,
                deprecated,
            });
        }
        for name in required {
            if !properties.contains_key(name) {
                self.diagnostics.push(Diagnostic::warning(
                    pointer_push(pointer, "required"),
                    format!("`{name}` is listed as required but is not a property; ignored"),
                ));
            }
        }
        self.field_flags.insert(id, flags);
        self.types[id.0].kind = TypeKind::Struct(StructDef {
            fields,
            additional: additional_ty,
            derive_default: false,
        });
        TypeRef::Named(id)
    }

    fn union(
        &mut self,
        schema: &Schema,
        members: &[ReferenceOr<Schema>],
        keyword: &str,
        target: Target,
        pointer: &str,
    ) -> Lowered {
        let api = self.api;
        let mut nullable = schema.schema_data.nullable;
        let doc = schema.schema_data.description.clone();
        let mut kept: Vec<(usize, &ReferenceOr<Schema>)> = Vec::new();
        for (index, member) in members.iter().enumerate() {
            match resolve(api, member) {
                Some((resolved, _)) if is_null_like(resolved) => nullable = true,
                _ => kept.push((index, member)),
            }
        }
        let members_pointer = pointer_push(pointer, keyword);
        match kept.as_slice() {
            [] => {
                return Lowered {
                    ty: TypeRef::Any,
                    nullable: true,
                    doc,
                };
            }
            [(index, only)] => {
                let hint = match target {
                    Target::Component(id) => NameSource::Inline {
                        parent: Parent::Type(id),
                        field: "value".to_owned(),
                    },
                    Target::Hint(hint) => hint,
                };
                let lowered = self.lower_ref(
                    only,
                    hint,
                    &pointer_push(&members_pointer, &index.to_string()),
                );
                return Lowered {
                    ty: lowered.ty,
                    nullable: nullable || lowered.nullable,
                    doc: doc.or(lowered.doc),
                };
            }
            _ => {}
        }
        let id = self.target_id(target, pointer, doc.clone());
        let kept_members: Vec<&ReferenceOr<Schema>> = kept.iter().map(|(_, m)| *m).collect();
        let kind = match detect_tag(api, schema, &kept_members) {
            Some((tag, tags)) => {
                let mut names = naming::Namespace::with_reserved(&["Unknown"]);
                let mut variants = Vec::new();
                for ((index, member), member_tags) in kept.iter().zip(tags) {
                    let first = member_tags.first().cloned().unwrap_or_default();
                    let lowered = self.lower_ref(
                        member,
                        NameSource::Inline {
                            parent: Parent::Type(id),
                            field: first.clone(),
                        },
                        &pointer_push(&members_pointer, &index.to_string()),
                    );
                    let rust = names.claim(&naming::variant_name(&first), false);
                    variants.push(TaggedVariant {
                        tags: member_tags,
                        rust,
                        ty: lowered.ty,
                    });
                }
                TypeKind::Tagged(TaggedDef { tag, variants })
            }
            None => {
                let mut names = naming::Namespace::default();
                let mut variants = Vec::new();
                for (index, member) in &kept {
                    let label = variant_label(api, member);
                    let lowered = self.lower_ref(
                        member,
                        NameSource::Inline {
                            parent: Parent::Type(id),
                            field: label.clone(),
                        },
                        &pointer_push(&members_pointer, &index.to_string()),
                    );
                    let ty = if lowered.nullable {
                        TypeRef::Option(Box::new(lowered.ty))
                    } else {
                        lowered.ty
                    };
                    variants.push(UntaggedVariant {
                        rust: names.claim(&naming::variant_name(&label), false),
                        ty,
                    });
                }
                TypeKind::Untagged(UntaggedDef { variants })
            }
        };
        self.types[id.0].kind = kind;
        Lowered {
            ty: TypeRef::Named(id),
            nullable,
            doc,
        }
    }

    fn all_of(
        &mut self,
        schema: &Schema,
        members: &[ReferenceOr<Schema>],
        target: Target,
        pointer: &str,
    ) -> Lowered {
        if let [only] = members {
            let hint = match target {
                Target::Component(id) => NameSource::Inline {
                    parent: Parent::Type(id),
                    field: "value".to_owned(),
                },
                Target::Hint(hint) => hint,
            };
            let lowered = self.lower_ref(
                only,
                hint,
                &pointer_push(&pointer_push(pointer, "allOf"), "0"),
            );
            return Lowered {
                nullable: lowered.nullable || schema.schema_data.nullable,
                doc: schema.schema_data.description.clone().or(lowered.doc),
                ..lowered
            };
        }
        let mut merged = openapiv3::ObjectType::default();
        let mut nullable = schema.schema_data.nullable;
        let mut any_object = false;
        if !self.merge_all_of(
            members,
            &pointer_push(pointer, "allOf"),
            &mut merged,
            &mut nullable,
            &mut any_object,
        ) {
            return Lowered {
                ty: TypeRef::Any,
                nullable,
                doc: None,
            };
        }
        if !any_object {
            self.diagnostics.push(Diagnostic::warning(
                pointer_push(pointer, "allOf"),
                "allOf of non-object schemas; using serde_json::Value",
            ));
            return Lowered {
                ty: TypeRef::Any,
                nullable,
                doc: None,
            };
        }
        let synthetic = Schema {
            schema_data: schema.schema_data.clone(),
            schema_kind: SchemaKind::Type(Type::Object(merged)),
        };
        let lowered = self.lower_schema_into(&synthetic, target, pointer);
        Lowered {
            nullable,
            ..lowered
        }
    }

    /// Merges the members' properties into `into`; false when a `$ref` cycle makes it impossible.
    fn merge_all_of(
        &mut self,
        members: &[ReferenceOr<Schema>],
        pointer: &str,
        into: &mut openapiv3::ObjectType,
        nullable: &mut bool,
        any_object: &mut bool,
    ) -> bool {
        let api = self.api;
        for (index, member) in members.iter().enumerate() {
            let member_pointer = pointer_push(pointer, &index.to_string());
            let name = match member {
                ReferenceOr::Reference { reference } => {
                    component_name(reference).map(str::to_owned)
                }
                ReferenceOr::Item(_) => None,
            };
            if let Some(name) = &name {
                if self.all_of_stack.contains(name) {
                    self.diagnostics.push(Diagnostic::error(
                        member_pointer,
                        format!(
                            "`$ref` cycle through allOf: {} → {name}",
                            self.all_of_stack.join(" → ")
                        ),
                    ));
                    return false;
                }
            }
            let Some((resolved, _)) = resolve(api, member) else {
                self.diagnostics.push(Diagnostic::error(
                    member_pointer,
                    "allOf member does not resolve",
                ));
                return false;
            };
            *nullable |= resolved.schema_data.nullable;
            if let Some(name) = &name {
                self.all_of_stack.push(name.clone());
            }
            let ok = match &resolved.schema_kind {
                SchemaKind::AllOf { all_of } => self.merge_all_of(
                    all_of,
                    &pointer_push(&member_pointer, "allOf"),
                    into,
                    nullable,
                    any_object,
                ),
                SchemaKind::Any(any) if !any.all_of.is_empty() => self.merge_all_of(
                    &any.all_of,
                    &pointer_push(&member_pointer, "allOf"),
                    into,
                    nullable,
                    any_object,
                ),
                _ => {
                    if let Some((properties, required)) = object_parts(resolved) {
                        *any_object = true;
                        for (key, property) in properties {
                            match into.properties.get(key) {
                                Some(existing) if shape_of(existing) != shape_of(property) => {
                                    self.diagnostics.push(Diagnostic::warning(
                                        pointer_push(&pointer_push(&member_pointer, "properties"), key),
                                        format!("allOf members disagree on property `{key}`; the first definition is kept"),
                                    ));
                                }
                                Some(_) => {}
                                None => {
                                    into.properties.insert(key.clone(), property.clone());
                                }
                            }
                        }
                        for name in required {
                            if !into.required.contains(name) {
                                into.required.push(name.clone());
                            }
                        }
                    } else if matches!(resolved.schema_kind, SchemaKind::Type(Type::Object(_))) {
                        *any_object = true;
                    }
                    true
                }
            };
            if name.is_some() {
                self.all_of_stack.pop();
            }
            if !ok {
                return false;
            }
        }
        true
    }
}

fn any() -> Lowered {
    Lowered {
        ty: TypeRef::Any,
        nullable: false,
        doc: None,
    }
}

fn unbox_schema(schema: &ReferenceOr<Schema>) -> ReferenceOr<Schema> {
    schema.clone()
}

fn shape_of(schema: &ReferenceOr<Box<Schema>>) -> String {
    match schema {
        ReferenceOr::Item(item) => shape_key(item),
        ReferenceOr::Reference { reference } => reference.clone(),
    }
}

/// Whether a component gets its own named Rust type (structs, enums, unions) or is used inline.
fn needs_named_type(api: &OpenAPI, schema: &Schema) -> bool {
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

/// Finds the property that tells the members apart: the discriminator's, or a property every
/// member requires with a single, distinct string value. Returns it with each member's tags.
fn detect_tag(
    api: &OpenAPI,
    schema: &Schema,
    members: &[&ReferenceOr<Schema>],
) -> Option<(String, Vec<Vec<String>>)> {
    let resolved: Vec<(&Schema, Option<&str>)> = members
        .iter()
        .map(|m| resolve(api, m))
        .collect::<Option<_>>()?;
    if let Some(discriminator) = &schema.schema_data.discriminator {
        let property = discriminator.property_name.clone();
        let mut all_tags = Vec::new();
        for (member, (resolved_schema, name)) in members.iter().zip(&resolved) {
            let reference = match member {
                ReferenceOr::Reference { reference } => Some(reference.as_str()),
                ReferenceOr::Item(_) => None,
            };
            let mut tags: Vec<String> = discriminator
                .mapping
                .iter()
                .filter(|(_, target)| {
                    Some(target.as_str()) == reference || name.is_some_and(|n| target.as_str() == n)
                })
                .map(|(tag, _)| tag.clone())
                .collect();
            if tags.is_empty() {
                let declared = object_parts(resolved_schema)
                    .and_then(|(properties, _)| properties.get(&property))
                    .and_then(|p| resolve_boxed(api, p))
                    .and_then(|(p, _)| single_string_value(p).map(str::to_owned));
                tags.extend(declared.or_else(|| name.map(str::to_owned)));
            }
            if tags.is_empty() {
                return None;
            }
            all_tags.push(tags);
        }
        return Some((property, all_tags));
    }
    let (first_properties, first_required) = object_parts(resolved.first()?.0)?;
    let _ = first_properties;
    'candidates: for candidate in first_required {
        let mut tags: Vec<Vec<String>> = Vec::new();
        for (member, _) in &resolved {
            let Some((properties, required)) = object_parts(member) else {
                return None;
            };
            if !required.contains(candidate) {
                continue 'candidates;
            }
            let value = properties
                .get(candidate)
                .and_then(|p| resolve_boxed(api, p))
                .and_then(|(p, _)| single_string_value(p));
            match value {
                Some(value) if !tags.iter().any(|t| t[0] == value) => {
                    tags.push(vec![value.to_owned()])
                }
                _ => continue 'candidates,
            }
        }
        return Some((candidate.clone(), tags));
    }
    None
}

/// A variant name for an untagged member: its component name, or what kind of value it is.
fn variant_label(api: &OpenAPI, member: &ReferenceOr<Schema>) -> String {
    if let ReferenceOr::Reference { reference } = member {
        if let Some(name) = component_name(reference) {
            return name.to_owned();
        }
    }
    match resolve(api, member).map(|(s, _)| &s.schema_kind) {
        Some(SchemaKind::Type(Type::String(_))) => "string",
        Some(SchemaKind::Type(Type::Integer(_))) => "integer",
        Some(SchemaKind::Type(Type::Number(_))) => "number",
        Some(SchemaKind::Type(Type::Boolean(_))) => "boolean",
        Some(SchemaKind::Type(Type::Array(_))) => "array",
        Some(SchemaKind::Type(Type::Object(_))) => "object",
        _ => "value",
    }
    .to_owned()
}
