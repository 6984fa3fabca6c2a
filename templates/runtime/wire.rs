//! Decoding support for the generated models: string enums that keep unknown values, members a schema does not name, and untagged unions that take the variant understanding most of a value (unions decided by their tag are in `tagged.rs`).

// Every crate gets this file, but not every API has enums or unions.
#![allow(dead_code)]

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use std::cell::Cell;
use std::collections::BTreeMap;
use std::fmt;

thread_local! {
    /// How many decoded values on this thread the client did not understand: enum values and
    /// union tags it has no variant for, and members no schema names. Only differences matter:
    /// an untagged union reads it around each variant it tries (see [`BestFit`]).
    static NOT_UNDERSTOOD: Cell<usize> = const { Cell::new(0) };
}

/// Records `count` values that decoded without being understood.
pub(crate) fn note_not_understood(count: usize) {
    NOT_UNDERSTOOD.with(|cell| cell.set(cell.get().wrapping_add(count)));
}

fn not_understood() -> usize {
    NOT_UNDERSTOOD.with(Cell::get)
}

fn rewind_not_understood(to: usize) {
    NOT_UNDERSTOOD.with(|cell| cell.set(to));
}

/// Decodes the members a struct's schema does not name (the flattened rest of an object) and
/// counts them as not understood.
pub(crate) fn undeclared_members<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<BTreeMap<String, serde_json::Value>, D::Error> {
    let members = BTreeMap::<String, serde_json::Value>::deserialize(deserializer)?;
    if !members.is_empty() {
        note_not_understood(members.len());
    }
    Ok(members)
}

/// How many attempts beyond the first variant that decoded, all unions of one value together,
/// are made in search of a better fit. Unions nested in unions multiply their attempts (each
/// variant decodes everything below it), so without a bound a deep value that no variant fits
/// perfectly would take time exponential in its depth; past the bound each union takes the
/// best it has found, at worst the first variant that decoded.
const EXTRA_ATTEMPTS: usize = 1024;

thread_local! {
    /// Unions being decoded on this thread (nesting depth), and the extra attempts made since
    /// the outermost began.
    static SEARCH: Cell<(usize, usize)> = const { Cell::new((0, 0)) };
}

/// Chooses among an untagged union's variants. Taking the first that decodes would lose data:
/// a variant ignores nothing (unnamed members are kept as JSON, unknown enum values as
/// `Unknown`), so an early, looser variant accepts values meant for a later one. Instead each
/// attempt is weighed by how much of the value it did not understand; the first that
/// understood everything wins at once, otherwise the one that missed least (the earliest on a
/// tie), within [`EXTRA_ATTEMPTS`].
pub(crate) struct BestFit<T> {
    start: usize,
    best: Option<(usize, T)>,
    attempts: Vec<(&'static str, String)>,
}

impl<T> BestFit<T> {
    pub(crate) fn new() -> Self {
        SEARCH.with(|cell| {
            let (depth, extra) = cell.get();
            cell.set((depth + 1, extra));
        });
        Self {
            start: not_understood(),
            best: None,
            attempts: Vec::new(),
        }
    }

    /// Weighs one variant's attempt; returns the value when it understood all of it (or the
    /// search has used its attempts), so the rest need not be tried.
    pub(crate) fn offer(&mut self, variant: &'static str, attempt: Result<T, String>) -> Option<T> {
        let missed = not_understood().wrapping_sub(self.start);
        // Attempts that lose must not count against an enclosing union's choice.
        rewind_not_understood(self.start);
        if self.best.is_some() {
            SEARCH.with(|cell| {
                let (depth, extra) = cell.get();
                cell.set((depth, extra.saturating_add(1)));
            });
        }
        match attempt {
            Err(why) => self.attempts.push((variant, why)),
            Ok(value) if missed == 0 => return Some(value),
            Ok(value) => {
                if self.best.as_ref().is_none_or(|(least, _)| missed < *least) {
                    self.best = Some((missed, value));
                }
            }
        }
        let exhausted = SEARCH.with(|cell| cell.get().1 >= EXTRA_ATTEMPTS);
        if exhausted { self.take_best() } else { None }
    }

    /// The best attempt, or the error listing what each variant said.
    pub(crate) fn finish<E: de::Error>(mut self, union: &str) -> Result<T, E> {
        self.take_best()
            .ok_or_else(|| no_match(union, &self.attempts))
    }

    fn take_best(&mut self) -> Option<T> {
        let (missed, value) = self.best.take()?;
        rewind_not_understood(self.start.wrapping_add(missed));
        Some(value)
    }
}

impl<T> Drop for BestFit<T> {
    fn drop(&mut self) {
        SEARCH.with(|cell| {
            let (depth, extra) = cell.get();
            let depth = depth.saturating_sub(1);
            // The outermost union is done: the next value gets the whole allowance again.
            cell.set((depth, if depth == 0 { 0 } else { extra }));
        });
    }
}

/// Decodes a string and maps it with `from_wire`, borrowing it from the input when possible so
/// that known enum values cost no allocation.
pub(crate) fn deserialize_enum_str<'de, D, T>(
    deserializer: D,
    from_wire: fn(&str) -> T,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    struct StrVisitor<T>(fn(&str) -> T);

    impl<T> Visitor<'_> for StrVisitor<T> {
        type Value = T;

        fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
            formatter.write_str("a string")
        }

        fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
            Ok((self.0)(value))
        }
    }

    deserializer.deserialize_str(StrVisitor(from_wire))
}

/// A union's value kept as a JSON tree so each variant can be tried in turn. A tree, not raw
/// text: a union inside a tagged union is read from that union's own tree (`tagged.rs`), which
/// has no text to hand out.
pub(crate) struct Buffered(serde_json::Value);

impl Buffered {
    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Self, D::Error> {
        serde_json::Value::deserialize(deserializer).map(Self)
    }

    pub(crate) fn decode<T: DeserializeOwned>(&self) -> Result<T, String> {
        serde_path_to_error::deserialize(&self.0).map_err(|error| describe(&error))
    }
}

/// The error for a value no variant accepted, with what each variant said.
fn no_match<E: de::Error>(union: &str, attempts: &[(&str, String)]) -> E {
    let tried: Vec<String> = attempts
        .iter()
        .map(|(variant, why)| format!("{variant}: {why}"))
        .collect();
    E::custom(format!(
        "no variant of {union} matched ({})",
        tried.join("; ")
    ))
}

/// A decoding error with the path it happened at, unless that is the value itself.
pub(crate) fn describe(error: &serde_path_to_error::Error<serde_json::Error>) -> String {
    let path = error.path().to_string();
    if path == "." {
        error.inner().to_string()
    } else {
        format!("at `{path}`: {}", error.inner())
    }
}

/// Encodes a `format: binary` member (held as `bytes::Bytes`) as a JSON string, which is how
/// it decodes: serde's default for bytes is an array of numbers, which no server reading the
/// document expects. Bytes that are not UTF-8 have no JSON string form and stay an array.
pub(crate) fn binary<T: Binary, S: serde::Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    value.serialize_binary(serializer)
}

/// The shapes a binary member comes in: bytes, and options, lists, maps and patches of them.
pub(crate) trait Binary {
    fn serialize_binary<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
}

/// Serializes through [`Binary`], for the elements of the shapes that hold one.
struct AsBinary<'a, T>(&'a T);

impl<T: Binary> serde::Serialize for AsBinary<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_binary(serializer)
    }
}

impl Binary for bytes::Bytes {
    fn serialize_binary<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match std::str::from_utf8(self) {
            Ok(text) => serializer.serialize_str(text),
            Err(_) => serde::Serialize::serialize(self, serializer),
        }
    }
}

impl<T: Binary> Binary for Option<T> {
    fn serialize_binary<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(value) => serializer.serialize_some(&AsBinary(value)),
            None => serializer.serialize_none(),
        }
    }
}

impl<T: Binary> Binary for Vec<T> {
    fn serialize_binary<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter().map(AsBinary))
    }
}

impl<T: Binary> Binary for BTreeMap<String, T> {
    fn serialize_binary<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter().map(|(key, value)| (key, AsBinary(value))))
    }
}

impl<T: Binary> Binary for crate::Patch<T> {
    fn serialize_binary<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            crate::Patch::Set(value) => value.serialize_binary(serializer),
            crate::Patch::Null => serializer.serialize_none(),
            // Skipped before it gets here (`skip_serializing_if`); Patch says why if not.
            crate::Patch::Unset => {
                serde::Serialize::serialize(&crate::Patch::<()>::Unset, serializer)
            }
        }
    }
}
