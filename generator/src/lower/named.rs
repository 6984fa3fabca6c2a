//! Named shapes: object schemas in, structs out (list envelopes and free-form maps excepted); enum schemas in, enums with an `Unknown` variant out. Inline shapes met again under the same property name are shared, not duplicated.

use super::enum_families::family_key;
use super::schema_util::{list_item, resolve_boxed};
use super::shape_key::shape_key;
use super::types::{FieldFlags, NameSource, Parent, Target, TypeLowerer};
use crate::diagnostics::{Diagnostic, pointer_enter, pointer_push};
use crate::ir::*;
use crate::naming;
use crate::schema::{AdditionalProperties, ReferenceOr, Schema};

/// The property name and parent of an inline property whose shape may be shared with other
/// parents' properties of that name (inline objects and enums alike). Members such as `_links`
/// are per-resource metadata: two resources' links are not one type.
pub(super) fn shareable_property(target: &Target) -> Option<(&str, TypeId)> {
    let Target::Hint(NameSource::Inline {
        parent: Parent::Type(parent_id),
        field,
    }) = target
    else {
        return None;
    };
    (!field.starts_with('_')).then_some((field.as_str(), *parent_id))
}

/// A shape not met before under its property name: its key and the parent it was met in,
/// remembered once its type is made.
pub(super) struct NewShape {
    key: String,
    parent: TypeId,
}

impl TypeLowerer<'_> {
    /// Inline shapes seen before under the same property name are reused, not duplicated.
    /// `Err` holds what to remember of a shareable shape met for the first time.
    pub(super) fn shared_lookup(
        &mut self,
        schema: &Schema,
        target: &Target,
    ) -> Result<Option<TypeId>, Option<NewShape>> {
        let Some((field, parent)) = shareable_property(target) else {
            return Err(None);
        };
        let shape = shape_key(schema);
        let mut key = String::with_capacity(field.len() + 1 + shape.len());
        key.push_str(field);
        key.push('\u{0}');
        key.push_str(&shape);
        match self.dedup.get(&key) {
            Some((id, first_parent)) => {
                if *first_parent != parent {
                    self.shared[id.0] = true;
                }
                Ok(Some(*id))
            }
            None => Err(Some(NewShape { key, parent })),
        }
    }

    pub(super) fn remember_shape(&mut self, new: Option<NewShape>, id: TypeId) {
        if let Some(NewShape { key, parent }) = new {
            self.dedup.insert(key, (id, parent));
        }
    }

    /// The type a named shape is lowered into: a fresh one (remembered, so the same inline
    /// shape under the same property name is shared), or `Err` with the type already made for it.
    fn claim_shape(
        &mut self,
        schema: &Schema,
        target: Target,
        pointer: &str,
    ) -> Result<TypeId, TypeId> {
        let pending = match self.shared_lookup(schema, &target) {
            Ok(Some(id)) => return Err(id),
            Ok(None) => None,
            Err(pending) => pending,
        };
        let id = self.target_id(target, pointer, schema.schema_data.description.clone());
        self.remember_shape(pending, id);
        Ok(id)
    }

    pub(super) fn string_enum(
        &mut self,
        schema: &Schema,
        values: Vec<String>,
        target: Target,
        pointer: &str,
    ) -> TypeRef {
        let family = family_key(&target, "string");
        if let Some(id) = self.join_enum_family(family.as_ref(), &values) {
            self.add_string_variants(id, values);
            return TypeRef::Named(id);
        }
        let id = match self.claim_shape(schema, target, pointer) {
            Ok(id) => id,
            Err(shared) => return TypeRef::Named(shared),
        };
        self.types[id.0].kind = TypeKind::Enum(EnumDef {
            variants: Vec::new(),
        });
        self.add_string_variants(id, values);
        self.remember_enum_family(family, id);
        TypeRef::Named(id)
    }

    pub(super) fn integer_enum(
        &mut self,
        schema: &Schema,
        values: Vec<i64>,
        target: Target,
        pointer: &str,
    ) -> TypeRef {
        let family = family_key(&target, "integer");
        let spelled: Vec<String> = values.iter().map(i64::to_string).collect();
        if let Some(id) = self.join_enum_family(family.as_ref(), &spelled) {
            self.add_integer_variants(id, values);
            return TypeRef::Named(id);
        }
        let id = match self.claim_shape(schema, target, pointer) {
            Ok(id) => id,
            Err(shared) => return TypeRef::Named(shared),
        };
        self.types[id.0].kind = TypeKind::IntEnum(IntEnumDef {
            variants: Vec::new(),
        });
        self.add_integer_variants(id, values);
        self.remember_enum_family(family, id);
        TypeRef::Named(id)
    }

    pub(super) fn object(
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
                    value_schema,
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
        // JSON Schema allows members a schema does not name unless it says
        // `additionalProperties: false`. They are kept (as JSON) so that decoding and encoding
        // again loses nothing the server sent, and so that a member a later document declares is
        // already readable today.
        let additional_ty = match (additional_ty, additional) {
            (Some(ty), _) => Some(ty),
            (None, Some(AdditionalProperties::Any(false))) => None,
            (None, _) => Some(TypeRef::Any),
        };
        let id = match self.claim_shape(schema, target, pointer) {
            Ok(id) => id,
            Err(shared) => return TypeRef::Named(shared),
        };
        let mut field_names = naming::Namespace::with_capacity(properties.len() + 1);
        if additional_ty.is_some() {
            field_names.claim(ADDITIONAL_FIELD, true);
        }
        let mut fields = Vec::new();
        let mut flags = Vec::new();
        // One pointer for every property: each is this object's pointer grown by its name.
        let mut field_pointer = pointer_push(pointer, "properties");
        for (wire, property) in properties {
            let before = pointer_enter(&mut field_pointer, wire);
            let lowered = self.lower_boxed(
                property,
                NameSource::Inline {
                    parent: Parent::Type(id),
                    field: wire.clone(),
                },
                &field_pointer,
            );
            field_pointer.truncate(before);
            let resolved = resolve_boxed(api, property);
            let own_doc = match property {
                ReferenceOr::Item(item) => item.schema_data.description.clone(),
                ReferenceOr::Reference { .. } => None,
            };
            let deprecated = resolved.is_some_and(|(s, _)| s.schema_data.deprecated);
            let rust =
                naming::escape_identifier(field_names.claim_owned(naming::snake_name(wire), true));
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
}
