//! Inline enums under one property name that differ only by added values share one Rust type holding all of them, so a value added to one copy is a new variant (minor), not a new type (major).

use super::named::shareable_property;
use super::types::{Target, TypeLowerer};
use crate::ir::*;
use crate::naming;

/// Which family an inline enum belongs to: its kind and property name, and the parent it was
/// met under (a family seen under two parents is shared, and named by the property alone).
pub(super) struct FamilyKey {
    key: String,
    parent: TypeId,
}

/// The family of an enum lowered for `target`, if it is an inline property that may be shared
/// (see [`shareable_property`]).
pub(super) fn family_key(target: &Target, kind: &str) -> Option<FamilyKey> {
    let (field, parent) = shareable_property(target)?;
    Some(FamilyKey {
        key: format!("{kind}\u{0}{field}"),
        parent,
    })
}

/// Whether every one of `wanted` is among `values`.
fn covers(values: &[String], wanted: &[String]) -> bool {
    wanted.iter().all(|value| values.contains(value))
}

impl TypeLowerer<'_> {
    /// The family type an enum with `values` joins: one whose values hold all of these, or are
    /// all among them. Enums of one value are left alone: those are tags, and a tag that joined
    /// a bigger enum would no longer say which object it marks.
    pub(super) fn join_enum_family(
        &mut self,
        family: Option<&FamilyKey>,
        values: &[String],
    ) -> Option<TypeId> {
        let family = family?;
        if values.len() < 2 {
            return None;
        }
        let members = self.enum_families.get(&family.key)?.clone();
        for (id, first_parent) in members {
            let existing = self.types[id.0].kind.enum_wire_values().unwrap_or_default();
            if existing.len() > 1 && (covers(&existing, values) || covers(values, &existing)) {
                if first_parent != family.parent {
                    self.shared[id.0] = true;
                }
                return Some(id);
            }
        }
        None
    }

    pub(super) fn remember_enum_family(&mut self, family: Option<FamilyKey>, id: TypeId) {
        if let Some(family) = family {
            let members = self.enum_families.entry(family.key).or_default();
            if !members.iter().any(|(member, _)| *member == id) {
                members.push((id, family.parent));
            }
        }
    }

    /// Appends the values `id` does not have yet, in the order given.
    pub(super) fn add_string_variants(&mut self, id: TypeId, values: Vec<String>) {
        let TypeKind::Enum(def) = &mut self.types[id.0].kind else {
            return;
        };
        let mut names = naming::Namespace::with_reserved(&["Unknown"]);
        for variant in &def.variants {
            names.claim(&variant.rust, false);
        }
        for value in values {
            if def.variants.iter().any(|v| v.wire == value) {
                continue;
            }
            let rust = names.claim(&naming::variant_name(&value), false);
            def.variants.push(EnumVariant { wire: value, rust });
        }
    }

    /// Appends the values `id` does not have yet, in the order given.
    pub(super) fn add_integer_variants(&mut self, id: TypeId, values: Vec<i64>) {
        let TypeKind::IntEnum(def) = &mut self.types[id.0].kind else {
            return;
        };
        for value in values {
            if def.variants.iter().any(|(v, _)| *v == value) {
                continue;
            }
            let name = if value < 0 {
                format!("Minus{}", value.unsigned_abs())
            } else {
                format!("V{value}")
            };
            def.variants.push((value, name));
        }
    }
}
