//! The models half of the comparison: types matched by Rust name, then their fields, constructors and variants.

use super::render::{field_type, pointer_token, type_ref};
use super::{Change, Names, Rule, Side};
use crate::compat::{Construction, construction};
use crate::ir::{ADDITIONAL_FIELD, Field, Model, Presence, StructDef, TypeDef, TypeKind, TypeRef};
use std::collections::BTreeMap;

/// Emits the changes between the named types of two models.
pub(super) fn compare_types(old: &Model, new: &Model, names: Names<'_>, out: &mut Vec<Change>) {
    let by_name = |model: &'_ Model| -> BTreeMap<String, usize> {
        model
            .types
            .iter()
            .enumerate()
            .filter(|(_, def)| !matches!(def.kind, TypeKind::Pending))
            .map(|(index, def)| (def.name.clone(), index))
            .collect()
    };
    let (old_types, new_types) = (by_name(old), by_name(new));
    for (name, &index) in &old_types {
        let before = &old.types[index];
        match new_types.get(name) {
            None => out.push(change(
                Rule::TypeRemoved,
                names.model(name),
                format!("{} removed", kind_name(&before.kind)),
                &before.origin,
                Side::Old,
            )),
            Some(&index) => {
                let pair = Pair { old, new, names };
                pair.compare_type(before, &new.types[index], out);
            }
        }
    }
    for (name, &index) in &new_types {
        if !old_types.contains_key(name) {
            let after = &new.types[index];
            out.push(change(
                Rule::TypeAdded,
                names.model(name),
                format!("new {}", kind_name(&after.kind)),
                &after.origin,
                Side::New,
            ));
        }
    }
}

pub(super) fn change(
    rule: Rule,
    item: String,
    detail: String,
    pointer: &str,
    side: Side,
) -> Change {
    Change {
        rule,
        item,
        detail,
        pointer: pointer.to_owned(),
        side,
    }
}

fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "struct",
        TypeKind::Enum(_) | TypeKind::IntEnum(_) => "enum",
        TypeKind::Tagged(_) => "tagged union",
        TypeKind::Untagged(_) => "untagged union",
        TypeKind::Alias(_) => "type alias",
        TypeKind::Pending => "placeholder",
    }
}

/// The two models, for rendering each side's types with its own names.
#[derive(Clone, Copy)]
struct Pair<'a> {
    old: &'a Model,
    new: &'a Model,
    names: Names<'a>,
}

impl Pair<'_> {
    fn compare_type(&self, before: &TypeDef, after: &TypeDef, out: &mut Vec<Change>) {
        let item = self.names.model(&after.name);
        if before.doc != after.doc || before.origin != after.origin {
            out.push(change(
                Rule::DocsChanged,
                item.clone(),
                "the type's description or schema location".to_owned(),
                &after.origin,
                Side::New,
            ));
        }
        match (&before.kind, &after.kind) {
            (TypeKind::Struct(a), TypeKind::Struct(b)) => {
                self.compare_struct(before, a, after, b, out)
            }
            (TypeKind::Enum(a), TypeKind::Enum(b)) => {
                let wires = |e: &crate::ir::EnumDef| -> Vec<(String, String)> {
                    e.variants
                        .iter()
                        .map(|v| (v.rust.clone(), format!("\"{}\"", v.wire)))
                        .collect()
                };
                let pointer = format!("{}/enum", after.origin);
                self.compare_variants(&item, &wires(a), &wires(b), &pointer, out, false);
            }
            (TypeKind::IntEnum(a), TypeKind::IntEnum(b)) => {
                let values = |e: &crate::ir::IntEnumDef| -> Vec<(String, String)> {
                    e.variants
                        .iter()
                        .map(|(value, rust)| (rust.clone(), value.to_string()))
                        .collect()
                };
                let pointer = format!("{}/enum", after.origin);
                self.compare_variants(&item, &values(a), &values(b), &pointer, out, false);
            }
            (TypeKind::Tagged(a), TypeKind::Tagged(b)) => {
                if a.tag != b.tag {
                    out.push(change(
                        Rule::VariantWireChanged,
                        item.clone(),
                        format!("decided by `{}` instead of `{}`", b.tag, a.tag),
                        &after.origin,
                        Side::New,
                    ));
                }
                let tags = |t: &crate::ir::TaggedDef| -> Vec<(String, String)> {
                    t.variants
                        .iter()
                        .map(|v| (v.rust.clone(), v.tags.join(" | ")))
                        .collect()
                };
                self.compare_variants(&item, &tags(a), &tags(b), &after.origin, out, false);
                let old_types: Vec<_> = a
                    .variants
                    .iter()
                    .map(|v| (v.rust.clone(), type_ref(self.old, &v.ty)))
                    .collect();
                let new_types: Vec<_> = b
                    .variants
                    .iter()
                    .map(|v| (v.rust.clone(), type_ref(self.new, &v.ty)))
                    .collect();
                self.compare_variants(&item, &old_types, &new_types, &after.origin, out, true);
            }
            (TypeKind::Untagged(a), TypeKind::Untagged(b)) => {
                let old_types: Vec<_> = a
                    .variants
                    .iter()
                    .map(|v| (v.rust.clone(), type_ref(self.old, &v.ty)))
                    .collect();
                let new_types: Vec<_> = b
                    .variants
                    .iter()
                    .map(|v| (v.rust.clone(), type_ref(self.new, &v.ty)))
                    .collect();
                self.compare_variants(&item, &old_types, &new_types, &after.origin, out, false);
                // The same variants' payloads, now that additions and removals are reported.
                self.compare_variants(&item, &old_types, &new_types, &after.origin, out, true);
            }
            (TypeKind::Alias(a), TypeKind::Alias(b)) => {
                let (a, b) = (type_ref(self.old, a), type_ref(self.new, b));
                if a != b {
                    out.push(change(
                        Rule::AliasChanged,
                        item,
                        format!("`{a}` → `{b}`"),
                        &after.origin,
                        Side::New,
                    ));
                }
            }
            (a, b) => out.push(change(
                Rule::TypeKindChanged,
                item,
                format!("{} → {}", kind_name(a), kind_name(b)),
                &after.origin,
                Side::New,
            )),
        }
    }

    /// Variants matched by Rust name, each with a value (wire value, tags or payload type).
    /// With `payloads`, only variants on both sides whose payload type differs are reported;
    /// otherwise additions, removals and value changes.
    fn compare_variants(
        &self,
        item: &str,
        before: &[(String, String)],
        after: &[(String, String)],
        pointer: &str,
        out: &mut Vec<Change>,
        payloads: bool,
    ) {
        let old: BTreeMap<_, _> = before.iter().map(|(k, v)| (k, v)).collect();
        let new: BTreeMap<_, _> = after.iter().map(|(k, v)| (k, v)).collect();
        for (name, value) in &old {
            let variant = format!("{item}::{name}");
            match new.get(name) {
                None if !payloads => out.push(change(
                    Rule::VariantRemoved,
                    variant,
                    format!("variant for {value} removed"),
                    pointer,
                    Side::Old,
                )),
                Some(now) if now != value && payloads => out.push(change(
                    Rule::VariantTypeChanged,
                    variant,
                    format!("holds `{now}` instead of `{value}`"),
                    pointer,
                    Side::New,
                )),
                Some(now) if now != value && !payloads => out.push(change(
                    Rule::VariantWireChanged,
                    variant,
                    format!("{value} → {now}"),
                    pointer,
                    Side::New,
                )),
                _ => {}
            }
        }
        if payloads {
            return;
        }
        for (name, value) in &new {
            if !old.contains_key(name) {
                out.push(change(
                    Rule::VariantAdded,
                    format!("{item}::{name}"),
                    format!("new variant for {value}"),
                    pointer,
                    Side::New,
                ));
            }
        }
    }

    fn compare_struct(
        &self,
        old_def: &TypeDef,
        before: &StructDef,
        new_def: &TypeDef,
        after: &StructDef,
        out: &mut Vec<Change>,
    ) {
        let item = self.names.model(&new_def.name);
        let field_pointer = |def: &TypeDef, wire: &str| {
            format!("{}/properties/{}", def.origin, pointer_token(wire))
        };
        let old_fields: BTreeMap<&str, &Field> =
            before.fields.iter().map(|f| (f.rust.as_str(), f)).collect();
        let new_fields: BTreeMap<&str, &Field> =
            after.fields.iter().map(|f| (f.rust.as_str(), f)).collect();
        for (name, a) in &old_fields {
            let field_item = format!("{item}::{name}");
            let Some(b) = new_fields.get(name) else {
                out.push(change(
                    Rule::FieldRemoved,
                    field_item,
                    format!("`{}` removed", a.wire),
                    &field_pointer(old_def, &a.wire),
                    Side::Old,
                ));
                continue;
            };
            let pointer = field_pointer(new_def, &b.wire);
            let (ta, tb) = (field_type(self.old, a), field_type(self.new, b));
            if ta != tb {
                let same_value = type_ref(self.old, &a.ty) == type_ref(self.new, &b.ty);
                let rule = match (a.presence, b.presence) {
                    (Presence::Required, Presence::RequiredNullable | Presence::Optional)
                        if same_value =>
                    {
                        Rule::FieldBecameNullable
                    }
                    (
                        Presence::RequiredNullable | Presence::Optional | Presence::Patch,
                        Presence::Required,
                    ) if same_value => Rule::FieldBecameRequired,
                    _ => Rule::FieldTypeChanged,
                };
                let hint = split_enum_hint(self.old, &a.ty, self.new, &b.ty).unwrap_or_default();
                out.push(change(
                    rule,
                    field_item.clone(),
                    format!("`{ta}` → `{tb}`{hint}"),
                    &pointer,
                    Side::New,
                ));
            }
            if a.wire != b.wire {
                out.push(change(
                    Rule::FieldWireNameChanged,
                    field_item.clone(),
                    format!("`{}` → `{}`", a.wire, b.wire),
                    &pointer,
                    Side::New,
                ));
            }
            if a.doc != b.doc {
                out.push(change(
                    Rule::DocsChanged,
                    field_item.clone(),
                    "the field's description".to_owned(),
                    &pointer,
                    Side::New,
                ));
            }
            if a.deprecated != b.deprecated {
                let now = if b.deprecated { "now" } else { "no longer" };
                out.push(change(
                    Rule::DeprecationChanged,
                    field_item,
                    format!("{now} deprecated"),
                    &pointer,
                    Side::New,
                ));
            }
        }
        for (name, b) in &new_fields {
            if !old_fields.contains_key(name) {
                let what = match b.presence {
                    Presence::Required => "required",
                    Presence::RequiredNullable => "required, nullable",
                    Presence::Optional | Presence::Patch => "optional",
                };
                out.push(change(
                    Rule::FieldAdded,
                    format!("{item}::{name}"),
                    format!("new {what} field `{}`", field_type(self.new, b)),
                    &field_pointer(new_def, &b.wire),
                    Side::New,
                ));
            }
        }
        let additional = format!("{item}::{ADDITIONAL_FIELD}");
        let pointer = format!("{}/additionalProperties", new_def.origin);
        match (&before.additional, &after.additional) {
            (Some(_), None) => out.push(change(
                Rule::FieldRemoved,
                additional,
                "no more additional properties".to_owned(),
                &format!("{}/additionalProperties", old_def.origin),
                Side::Old,
            )),
            (None, Some(ty)) => out.push(change(
                Rule::FieldAdded,
                additional,
                format!("a map of the other members, `{}`", type_ref(self.new, ty)),
                &pointer,
                Side::New,
            )),
            (Some(a), Some(b)) => {
                let (a, b) = (type_ref(self.old, a), type_ref(self.new, b));
                if a != b {
                    out.push(change(
                        Rule::FieldTypeChanged,
                        additional,
                        format!("map of `{a}` → map of `{b}`"),
                        &pointer,
                        Side::New,
                    ));
                }
            }
            (None, None) => {}
        }
        self.compare_construction(old_def, before, new_def, after, out);
    }

    fn compare_construction(
        &self,
        old_def: &TypeDef,
        before: &StructDef,
        new_def: &TypeDef,
        after: &StructDef,
        out: &mut Vec<Change>,
    ) {
        let item = self.names.model(&new_def.name);
        let signature = |model: &Model, args: &[&Field]| {
            let args: Vec<String> = args
                .iter()
                .map(|f| format!("{}: {}", f.rust, field_type(model, f)))
                .collect();
            format!("new({})", args.join(", "))
        };
        match (construction(old_def, before), construction(new_def, after)) {
            (Construction::Default, Construction::Default) => {}
            (Construction::Default, Construction::New(args)) => out.push(change(
                Rule::DefaultRemoved,
                item,
                format!(
                    "built with `{}` instead of `default()`",
                    signature(self.new, &args)
                ),
                &new_def.origin,
                Side::New,
            )),
            (Construction::New(args), Construction::Default) => {
                out.push(change(
                    Rule::DefaultAdded,
                    item.clone(),
                    "implements `Default`".to_owned(),
                    &new_def.origin,
                    Side::New,
                ));
                out.push(change(
                    Rule::ConstructorChanged,
                    format!("{item}::new"),
                    format!("`{}` removed: use `default()`", signature(self.old, &args)),
                    &new_def.origin,
                    Side::New,
                ));
            }
            (Construction::New(a), Construction::New(b)) => {
                let (a, b) = (signature(self.old, &a), signature(self.new, &b));
                if a != b {
                    out.push(change(
                        Rule::ConstructorChanged,
                        format!("{item}::new"),
                        format!("`{a}` → `{b}`"),
                        &new_def.origin,
                        Side::New,
                    ));
                }
            }
        }
    }
}

/// A field whose enum type was replaced by another enum holding every old value and more is,
/// almost always, one copy of an inline enum that several schemas share (one Rust type for
/// identical copies) gaining values alone: the copies differ now, so the type splits. That is
/// breaking for the crate's users, and avoidable, so the report says how.
fn split_enum_hint(old: &Model, a: &TypeRef, new: &Model, b: &TypeRef) -> Option<String> {
    let values = |model: &Model, ty: &TypeRef| -> Option<(String, Vec<String>)> {
        let mut ty = ty;
        while let TypeRef::Option(inner) | TypeRef::Box(inner) = ty {
            ty = inner;
        }
        let TypeRef::Named(id) = ty else { return None };
        let def = &model.types[id.0];
        Some((def.name.clone(), def.kind.enum_wire_values()?))
    };
    let ((old_name, before), (new_name, after)) = (values(old, a)?, values(new, b)?);
    let gained: Vec<&str> = after
        .iter()
        .filter(|value| !before.contains(value))
        .map(String::as_str)
        .collect();
    if old_name == new_name || gained.is_empty() || before.iter().any(|v| !after.contains(v)) {
        return None;
    }
    Some(format!(
        " (this schema's copy of the shared enum `{old_name}` gained {} alone, so it became a \
         type of its own; adding the same values to every copy, in the document or with an \
         overlay action, or making the enum a component, keeps this a minor change)",
        gained
            .iter()
            .map(|v| format!("`{v}`"))
            .collect::<Vec<_>>()
            .join(", ")
    ))
}
