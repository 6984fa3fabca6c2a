//! When a decoded-and-re-encoded value counts as the same JSON as the original: the one rule shared by the wire-sample test and `cargo xtask conformance` (which copies this file into its harness).
//!
//! The generated types are lenient on the way in, so the comparison allows exactly these
//! differences and no others: a member that is absent on one side may be `null` on the other;
//! numbers compare by value (`21` = `21.0`); a numeric string equals the number it spells
//! (`"1000"` = `1000`); and two date-time strings are equal when they name the same instant.

use serde_json::Value;

/// `Ok` when `encoded` is equivalent to `original`, else the first difference, located by its
/// JSON pointer below `at`.
pub fn equivalent(original: &Value, encoded: &Value, at: &str) -> Result<(), String> {
    match (original, encoded) {
        (Value::Object(a), Value::Object(b)) => {
            // Each key once: visiting a shared key from both sides would compare its subtree
            // twice at every level, 2^depth times in all.
            for key in a.keys().chain(b.keys().filter(|key| !a.contains_key(*key))) {
                let left = a.get(key).unwrap_or(&Value::Null);
                let right = b.get(key).unwrap_or(&Value::Null);
                let escaped = key.replace('~', "~0").replace('/', "~1");
                equivalent(left, right, &format!("{at}/{escaped}"))?;
            }
            Ok(())
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                return Err(format!(
                    "array length differs at {at}: {} became {}",
                    a.len(),
                    b.len()
                ));
            }
            for (index, (left, right)) in a.iter().zip(b).enumerate() {
                equivalent(left, right, &format!("{at}/{index}"))?;
            }
            Ok(())
        }
        (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() => Ok(()),
        (Value::String(text), Value::Number(number))
            if text.trim().parse::<f64>().ok() == number.as_f64() =>
        {
            Ok(())
        }
        (Value::String(a), Value::String(b)) if a != b => {
            let left = chrono::DateTime::parse_from_rfc3339(a);
            let right = chrono::DateTime::parse_from_rfc3339(b);
            match (left, right) {
                (Ok(left), Ok(right)) if left == right => Ok(()),
                _ => Err(format!("string differs at {at}: {a:?} became {b:?}")),
            }
        }
        (a, b) if a == b => Ok(()),
        (a, b) => Err(format!("value differs at {at}: {a} became {b}")),
    }
}
