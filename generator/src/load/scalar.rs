//! What a YAML scalar means: the rules serde_yaml 0.9 applies, so the streaming loader gives
//! every document exactly the values the serde_yaml-based loader gave it.
//!
//! A plain scalar is null, a boolean, an integer or a float when its whole text is one (YAML
//! 1.2's core schema as serde_yaml reads it: `~`, `True`, `0x1F`, `+12`, `.inf`, but not `012`
//! or `yes`); anything quoted or written as a block is text. The tags `!!null`, `!!bool`,
//! `!!int` and `!!float` force their type and refuse text that is not of it; other global tags
//! make the value text; local tags (`!Name`) are dropped.

use super::events::Tag;
use serde::de::{Error as _, Unexpected};
use serde_json::{Number, Value};

/// The value of a scalar with this text, tag and style, or the reason it has none. The text
/// is handed back beside a value that is not the text itself, since errors name keys by it.
pub(crate) fn resolve(
    text: String,
    tag: Tag,
    plain: bool,
) -> Result<(Value, Option<String>), String> {
    let typed = match tag {
        Tag::Bool => Some(boolean(&text).map(Value::Bool).ok_or("a boolean")),
        Tag::Int => Some(integer(&text).ok_or("an integer")),
        Tag::Float => Some(float(&text).map(float_value).ok_or("a float")),
        Tag::Null => Some(is_null_word(&text).then_some(Value::Null).ok_or("null")),
        Tag::Other => None,
        Tag::None if plain => untagged_plain(&text).map(Ok),
        Tag::None => None,
    };
    match typed {
        None => Ok((Value::String(text), None)),
        Some(Ok(value)) => Ok((value, Some(text))),
        Some(Err(expected)) => Err(invalid_value(&text, expected)),
    }
}

/// The message serde gives a value of the wrong shape, so the loader's words do not change.
fn invalid_value(text: &str, expected: &str) -> String {
    serde_json::Error::invalid_value(Unexpected::Str(text), &expected).to_string()
}

/// A plain scalar's value when its text spells one, or `None` for text.
fn untagged_plain(text: &str) -> Option<Value> {
    if text.is_empty() || is_null_word(text) {
        return Some(Value::Null);
    }
    if let Some(truth) = boolean(text) {
        return Some(Value::Bool(truth));
    }
    if let Some(number) = integer(text) {
        return Some(number);
    }
    if zero_led_digits(text) {
        return None;
    }
    float(text).map(float_value)
}

fn is_null_word(text: &str) -> bool {
    matches!(text, "null" | "Null" | "NULL" | "~")
}

fn boolean(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// An integer in decimal, `0x`, `0o` or `0b` form with an optional sign. Integers beyond 64
/// bits (but within 128) become floats, as JSON numbers cannot hold them exactly.
fn integer(text: &str) -> Option<Value> {
    if let Some(whole) = non_negative(text, u64::from_str_radix) {
        return Some(Value::Number(whole.into()));
    }
    if let Some(whole) = negative(text, i64::from_str_radix) {
        return Some(Value::Number(whole.into()));
    }
    if let Some(whole) = non_negative(text, u128::from_str_radix) {
        return Some(float_value(whole as f64));
    }
    negative(text, i128::from_str_radix).map(|whole| float_value(whole as f64))
}

type Radix<T> = fn(&str, u32) -> Result<T, std::num::ParseIntError>;

/// The three prefixed bases, tried in this order before decimal.
const BASES: [(&str, u32); 3] = [("0x", 16), ("0o", 8), ("0b", 2)];

/// An integer with an optional `+`, never a `-`.
fn non_negative<T>(text: &str, parse: Radix<T>) -> Option<T> {
    let digits = text.strip_prefix('+').unwrap_or(text);
    for (prefix, radix) in BASES {
        if let Some(rest) = digits.strip_prefix(prefix) {
            if rest.starts_with(['+', '-']) {
                return None;
            }
            if let Ok(whole) = parse(rest, radix) {
                return Some(whole);
            }
        }
    }
    if digits.starts_with(['+', '-']) || zero_led_digits(text) {
        return None;
    }
    parse(digits, 10).ok()
}

/// An integer written with a leading `-` (or anything decimal the signed parse takes).
fn negative<T>(text: &str, parse: Radix<T>) -> Option<T> {
    for (prefix, radix) in BASES {
        if let Some(rest) = text.strip_prefix('-').and_then(|t| t.strip_prefix(prefix)) {
            if let Ok(whole) = parse(&format!("-{rest}"), radix) {
                return Some(whole);
            }
        }
    }
    if zero_led_digits(text) {
        return None;
    }
    parse(text, 10).ok()
}

/// Digits with a leading zero (`012`, `-007`): YAML 1.2 reads these as text, not octal.
fn zero_led_digits(text: &str) -> bool {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    unsigned.len() > 1
        && unsigned.starts_with('0')
        && unsigned[1..].bytes().all(|byte| byte.is_ascii_digit())
}

/// A float: `.inf`, `-.inf`, `.nan` in three spellings each, or Rust's decimal syntax when
/// it gives a finite value (`1e999` stays text).
fn float(text: &str) -> Option<f64> {
    let unsigned = match text.strip_prefix('+') {
        Some(rest) if rest.starts_with(['+', '-']) => return None,
        Some(rest) => rest,
        None => text,
    };
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") {
        return Some(f64::INFINITY);
    }
    if matches!(text, "-.inf" | "-.Inf" | "-.INF") {
        return Some(f64::NEG_INFINITY);
    }
    if matches!(text, ".nan" | ".NaN" | ".NAN") {
        return Some(f64::NAN);
    }
    unsigned
        .parse::<f64>()
        .ok()
        .filter(|number| number.is_finite())
}

/// A float as JSON holds it; JSON has no infinity or NaN, so those are kept as their text.
pub(crate) fn float_value(number: f64) -> Value {
    Number::from_f64(number)
        .map(Value::Number)
        .unwrap_or_else(|| Value::String(number.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn plain(text: &str) -> Value {
        value(text, Tag::None, true).unwrap()
    }

    fn value(text: &str, tag: Tag, plain: bool) -> Result<Value, String> {
        resolve(text.to_owned(), tag, plain).map(|(value, _)| value)
    }

    #[test]
    fn plain_scalars_are_typed_by_their_text() {
        assert_eq!(plain(""), Value::Null);
        assert_eq!(plain("~"), Value::Null);
        assert_eq!(plain("True"), json!(true));
        assert_eq!(plain("yes"), json!("yes"));
        assert_eq!(plain("0x1F"), json!(31));
        assert_eq!(plain("-0b101"), json!(-5));
        assert_eq!(plain("+12"), json!(12));
        assert_eq!(plain("012"), json!("012"));
        assert_eq!(plain("1e3"), json!(1000.0));
        assert_eq!(plain("1e999"), json!("1e999"));
        assert_eq!(plain(".inf"), json!("inf"));
        assert_eq!(plain("18446744073709551616"), json!(18446744073709551616.0));
    }

    #[test]
    fn quoted_scalars_are_text_and_tags_force_a_type() {
        assert_eq!(value("12", Tag::None, false), Ok(json!("12")));
        assert_eq!(value("12", Tag::Int, false), Ok(json!(12)));
        assert_eq!(value("12", Tag::Other, true), Ok(json!("12")));
        assert_eq!(value("12", Tag::None, true), Ok(json!(12)));
        assert_eq!(
            value("abc", Tag::Int, true),
            Err("invalid value: string \"abc\", expected an integer".to_owned())
        );
        assert_eq!(value("", Tag::Null, true).map_err(|_| ()), Err(()));
        assert_eq!(
            resolve(".inf".to_owned(), Tag::None, true),
            Ok((json!("inf"), Some(".inf".to_owned())))
        );
        assert_eq!(
            resolve("x".to_owned(), Tag::None, true),
            Ok((json!("x"), None))
        );
    }
}
