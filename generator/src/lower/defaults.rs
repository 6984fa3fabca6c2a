//! Defaults: the IR's structs in, each marked whether it derives `Default`, and each required field whether it decodes as empty when absent.
//!
//! A struct derives `Default` when every required field's type has a default; request types
//! only when nothing is required, so a caller cannot silently send a zero amount. A field of
//! struct type has a default when that struct derives one, so the answer is a fixed point.
//! It is found with a worklist: each struct waits for the structs its required fields hold and
//! is settled when the last of them is. Sweeping all types until nothing changes, as before,
//! took one sweep per link of the longest chain of required structs (quadratic on a chain).

use crate::ir::{Field, Presence, TypeDef, TypeKind, TypeRef};

/// Sets `derive_default` on every struct that can derive it, then `default_when_absent`.
pub(super) fn decide_defaults(types: &mut [TypeDef]) {
    let mut waiting = vec![0usize; types.len()];
    let mut waiters: Vec<Vec<usize>> = vec![Vec::new(); types.len()];
    let mut settled = Vec::new();
    for (index, def) in types.iter().enumerate() {
        let TypeKind::Struct(s) = &def.kind else {
            continue;
        };
        if s.derive_default {
            settled.push(index);
        } else if def.in_request {
            let required =
                |f: &Field| matches!(f.presence, Presence::Required | Presence::RequiredNullable);
            if !s.fields.iter().any(required) {
                settled.push(index);
            }
        } else {
            let mut needs = Vec::new();
            let possible = s
                .fields
                .iter()
                .filter(|f| f.presence == Presence::Required)
                .all(|f| match default_needs(types, &f.ty) {
                    Needs::Nothing => true,
                    Needs::Never => false,
                    Needs::Struct(held) => {
                        needs.push(held);
                        true
                    }
                });
            if !possible {
                continue;
            }
            if needs.is_empty() {
                settled.push(index);
            }
            waiting[index] = needs.len();
            for held in needs {
                waiters[held].push(index);
            }
        }
    }
    while let Some(index) = settled.pop() {
        if let TypeKind::Struct(s) = &mut types[index].kind {
            s.derive_default = true;
        }
        for waiter in std::mem::take(&mut waiters[index]) {
            waiting[waiter] -= 1;
            if waiting[waiter] == 0 {
                settled.push(waiter);
            }
        }
    }
    for index in 0..types.len() {
        let defaults: Vec<bool> = match &types[index].kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .map(|f| {
                    f.presence == Presence::Required
                        && match &f.ty {
                            TypeRef::Vec(_)
                            | TypeRef::Map(_)
                            | TypeRef::Object
                            | TypeRef::List(_) => true,
                            TypeRef::Named(id) => {
                                matches!(&types[id.0].kind, TypeKind::Struct(s) if s.derive_default)
                            }
                            _ => false,
                        }
                })
                .collect(),
            _ => continue,
        };
        if let TypeKind::Struct(s) = &mut types[index].kind {
            for (field, default) in s.fields.iter_mut().zip(defaults) {
                field.default_when_absent = default;
            }
        }
    }
}

/// What a required field's default depends on.
enum Needs {
    /// Its type always has one (strings, numbers, collections, options…).
    Nothing,
    /// Its type never has one (dates, enums, unions).
    Never,
    /// The struct it holds (through boxes and aliases) must derive `Default`.
    Struct(usize),
}

fn default_needs(types: &[TypeDef], ty: &TypeRef) -> Needs {
    let mut ty = ty;
    // An alias is followed to what it names; a cycle of aliases (which lowering does not make)
    // would have no default rather than loop.
    for _ in 0..=types.len() {
        match ty {
            TypeRef::Named(id) => match &types[id.0].kind {
                TypeKind::Struct(_) => return Needs::Struct(id.0),
                TypeKind::Alias(inner) => ty = inner,
                _ => return Needs::Never,
            },
            TypeRef::DateTime | TypeRef::Date => return Needs::Never,
            TypeRef::Box(inner) => ty = inner,
            _ => return Needs::Nothing,
        }
    }
    Needs::Never
}
