//! The compatibility decisions the emitter and the change report share: how each model struct is built outside the crate, so what `cargo xtask changes` rates is exactly what `models.rs` emits.
//!
//! Every generated model type is `#[non_exhaustive]`, so a new field, enum value or union
//! variant cannot break a caller's struct literal or exhaustive `match`. The price is that no
//! struct can be written as a literal outside the crate; each gets `Default` (when every member
//! has a default) or `new(…)` with the members that have none, and its public fields stay
//! assignable. The arguments of `new` are therefore part of the API: a change to them is a
//! breaking change, which is why both sides read them from here.

use crate::ir::{Field, Presence, StructDef, TypeDef};

/// How callers outside the crate make a value of a model struct.
#[derive(Debug, Clone)]
pub enum Construction<'a> {
    /// `Type::default()`, then assign fields.
    Default,
    /// `Type::new(args…)`, then assign fields; the arguments ordered by name.
    New(Vec<&'a Field>),
}

/// The way a struct is built: `Default` when it derives it, otherwise `new` with the members
/// the caller must decide. A request's required members (nullable ones too: sending `null` is a
/// decision) are all arguments; a response type's required members that decode as empty when
/// absent start empty, and its nullable ones start as `None`.
pub fn construction<'a>(def: &TypeDef, s: &'a StructDef) -> Construction<'a> {
    if s.derive_default {
        return Construction::Default;
    }
    let mut args: Vec<&Field> = s
        .fields
        .iter()
        .filter(|f| match f.presence {
            Presence::Required => def.in_request || !f.default_when_absent,
            Presence::RequiredNullable => def.in_request,
            Presence::Optional | Presence::Patch => false,
        })
        .collect();
    // By name, not by the document's member order: re-serializing a document with its keys
    // sorted must not reorder the arguments (same-typed ones would swap silently).
    args.sort_by(|a, b| {
        a.rust
            .trim_start_matches("r#")
            .cmp(b.rust.trim_start_matches("r#"))
    });
    Construction::New(args)
}
