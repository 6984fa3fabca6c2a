//! One member of a JSON object by name: a small object's keys are scanned, which costs less than hashing the name as `serde_json`'s map does for every lookup.
//!
//! The walkers of the normalize stage, the shape check and the reference check ask each object
//! of a document for a few names (`$ref`, `discriminator`, `$defs`, …), and most objects have
//! a handful of keys. Hashing each name with the map's SipHash was a large share of those
//! walks (docs/PERFORMANCE.md).

use serde_json::{Map, Value};

/// Objects with at most this many keys are scanned rather than hashed into.
const SCANNED: usize = 8;

/// The value of `key` in `object`, as `object.get(key)` finds it.
pub fn member<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    if object.len() <= SCANNED {
        object
            .iter()
            .find_map(|(name, value)| (name == key).then_some(value))
    } else {
        object.get(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Small and large objects alike: every key present is found with its value, and an
    /// absent one is not, as `get` says.
    #[test]
    fn members_are_found_as_get_finds_them() {
        for size in [0, 1, 7, 8, 9, 40] {
            let object: Map<String, Value> = (0..size)
                .map(|n| (format!("key{n}"), Value::from(n)))
                .collect();
            for n in 0..=size {
                let key = format!("key{n}");
                assert_eq!(
                    member(&object, &key),
                    object.get(&key),
                    "{size} keys, {key}"
                );
            }
            assert_eq!(member(&object, ""), None);
        }
    }
}
