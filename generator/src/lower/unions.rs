//! Union and `allOf` lowering: `oneOf`/`anyOf` members in, a verdict out (nullable wrapper, tagged enum, or untagged enum of last resort); `allOf` members in, one merged struct out.

use super::Document;
use super::schema_util::{
    component_name, is_null_like, object_parts, resolve, resolve_boxed, single_string_value,
};
use super::shape_key::shape_key;
use super::types::{Lowered, NameSource, Parent, Target, TypeLowerer};
use crate::diagnostics::{Diagnostic, pointer_push};
use crate::ir::*;
use crate::naming;
use crate::schema::{ReferenceOr, Schema, SchemaKind, Type};

impl TypeLowerer<'_> {
    pub(super) fn union(
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
                let hint = target.into_hint();
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

    pub(super) fn all_of(
        &mut self,
        schema: &Schema,
        members: &[ReferenceOr<Schema>],
        target: Target,
        pointer: &str,
    ) -> Lowered {
        if let [only] = members {
            let hint = target.into_hint();
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
        // An allOf inside a component that refers back to that component (a recursive
        // schema) would merge it again at every level, forever. While a merged struct is being
        // lowered its components stay listed; meeting one again, the inner level refers to
        // the component's own type instead (recursion is boxed later, as everywhere).
        let referenced: Vec<String> = members
            .iter()
            .filter_map(|member| match member {
                ReferenceOr::Reference { reference } => {
                    component_name(reference).map(str::to_owned)
                }
                ReferenceOr::Item(_) => None,
            })
            .collect();
        if let Some(again) = referenced.iter().find(|name| self.merging.contains(*name)) {
            self.diagnostics.push(Diagnostic::warning(
                pointer_push(pointer, "allOf"),
                format!("recursive allOf through `{again}`: this level uses `{again}` itself, without the other members"),
            ));
            let lowered = self.component(again);
            return Lowered {
                nullable: lowered.nullable || schema.schema_data.nullable,
                ..lowered
            };
        }
        let mut merged = crate::schema::ObjectType::default();
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
        let depth = self.merging.len();
        self.merging.extend(referenced);
        let lowered = self.lower_schema_into(&synthetic, target, pointer);
        self.merging.truncate(depth);

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
        into: &mut crate::schema::ObjectType,
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

fn shape_of(schema: &ReferenceOr<Box<Schema>>) -> String {
    match schema {
        ReferenceOr::Item(item) => shape_key(item),
        ReferenceOr::Reference { reference } => reference.clone(),
    }
}

/// Finds the property that tells the members apart: the discriminator's, or a property every
/// member requires with a single, distinct string value. Returns it with each member's tags.
fn detect_tag(
    api: Document<'_>,
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
        // A value shared by several members (OpenAI's three `message` items, told apart by
        // `role`) cannot decide between them: the members are then told apart by shape.
        let mut seen = std::collections::BTreeSet::new();
        if all_tags.iter().flatten().all(|tag| seen.insert(tag)) {
            return Some((property, all_tags));
        }
    }
    let (_, first_required) = object_parts(resolved.first()?.0)?;
    'candidates: for candidate in first_required {
        let mut tags: Vec<Vec<String>> = Vec::new();
        for (member, _) in &resolved {
            let (properties, required) = object_parts(member)?;

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
fn variant_label(api: Document<'_>, member: &ReferenceOr<Schema>) -> String {
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
