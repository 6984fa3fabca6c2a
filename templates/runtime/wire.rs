//! Decoding support for the generated models: string enums that keep unknown values, unions decided by their tag, and last-resort unions that report every variant they tried.

// Every crate gets this file, but not every API has enums or unions.
#![allow(dead_code)]

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::fmt;

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

/// A union member kept as raw JSON together with the value of its tag property.
///
/// Decoding reads the tag first and then decodes exactly one variant: no trial and error, so a
/// refund can never be taken for a payment, and an error points into the variant it concerns.
pub(crate) struct Tagged {
    raw: Box<RawValue>,
    tag: Option<String>,
}

impl Tagged {
    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
        tag_property: &str,
    ) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        let tag = find_string_member(raw.get(), tag_property);
        Ok(Self { raw, tag })
    }

    pub(crate) fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    /// Decodes the chosen variant; an error names the union, the tag and the path inside it.
    pub(crate) fn decode<T: DeserializeOwned, E: de::Error>(&self, union: &str) -> Result<T, E> {
        // The tag was right, so the decode almost always succeeds. Tracking the path records
        // every key on the way and costs about as much as the decode itself, so it is paid only
        // to explain a failure: decoding is deterministic, and the second run stops at the same
        // value with the same message.
        if let Ok(value) = serde_json::from_str(self.raw.get()) {
            return Ok(value);
        }
        decode_raw(&self.raw).map_err(|message| {
            E::custom(format!(
                "{union} (tag `{}`): {message}",
                self.tag.as_deref().unwrap_or("")
            ))
        })
    }

    /// Keeps a payload with an unknown (or missing) tag as plain JSON.
    pub(crate) fn into_value<E: de::Error>(self) -> Result<serde_json::Value, E> {
        serde_json::from_str(self.raw.get()).map_err(E::custom)
    }
}

/// A union member kept as raw JSON so each variant can be tried in turn.
pub(crate) struct Buffered(Box<RawValue>);

impl Buffered {
    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Self, D::Error> {
        Box::<RawValue>::deserialize(deserializer).map(Self)
    }

    pub(crate) fn decode<T: DeserializeOwned>(&self) -> Result<T, String> {
        decode_raw(&self.0)
    }

    /// The error for a value no variant accepted, with what each variant said.
    pub(crate) fn no_match<E: de::Error>(&self, union: &str, attempts: &[(&str, String)]) -> E {
        let tried: Vec<String> = attempts
            .iter()
            .map(|(variant, why)| format!("{variant}: {why}"))
            .collect();
        E::custom(format!(
            "no variant of {union} matched ({})",
            tried.join("; ")
        ))
    }
}

fn decode_raw<T: DeserializeOwned>(raw: &RawValue) -> Result<T, String> {
    let mut deserializer = serde_json::Deserializer::from_str(raw.get());
    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        if path == "." {
            error.inner().to_string()
        } else {
            format!("at `{path}`: {}", error.inner())
        }
    })
}

/// Finds a top-level member of a JSON object whose value is a string, without decoding the rest.
/// The text was already checked by serde_json, but every index is bounds-checked all the same.
fn find_string_member(json: &str, name: &str) -> Option<String> {
    let bytes = json.as_bytes();
    let mut index = skip_whitespace(bytes, 0);
    if bytes.get(index) != Some(&b'{') {
        return None;
    }
    index += 1;
    loop {
        index = skip_whitespace(bytes, index);
        if bytes.get(index) != Some(&b'"') {
            return None;
        }
        let (key, after_key) = read_string(json, index)?;
        index = skip_whitespace(bytes, after_key);
        if bytes.get(index) != Some(&b':') {
            return None;
        }
        index = skip_whitespace(bytes, index + 1);
        if key == name {
            return match bytes.get(index) {
                Some(b'"') => read_string(json, index).map(|(value, _)| value.into_owned()),
                _ => None,
            };
        }
        index = skip_value(bytes, index)?;
        index = skip_whitespace(bytes, index);
        match bytes.get(index) {
            Some(b',') => index += 1,
            _ => return None,
        }
    }
}

fn skip_whitespace(bytes: &[u8], mut index: usize) -> usize {
    while matches!(bytes.get(index), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        index += 1;
    }
    index
}

/// Reads the string starting at `start` (a quote); returns it unescaped and the index after it.
/// Keys are compared on every object scanned, so a string without escapes is borrowed, not copied.
fn read_string(json: &str, start: usize) -> Option<(Cow<'_, str>, usize)> {
    let end = string_end(json.as_bytes(), start)?;
    let literal = json.get(start..end)?;
    let inner = literal.get(1..literal.len().checked_sub(1)?)?;
    if inner.contains('\\') {
        serde_json::from_str(literal)
            .ok()
            .map(|s| (Cow::Owned(s), end))
    } else {
        Some((Cow::Borrowed(inner), end))
    }
}

/// The index just past the closing quote of the string starting at `start`.
fn string_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut index = start + 1;
    loop {
        // Everything up to the next quote or backslash is plain content.
        index += bytes
            .get(index..)?
            .iter()
            .position(|&b| b == b'"' || b == b'\\')?;
        match bytes.get(index)? {
            b'\\' => index += 2,
            _ => return Some(index + 1),
        }
    }
}

fn skip_value(bytes: &[u8], start: usize) -> Option<usize> {
    match bytes.get(start)? {
        b'"' => string_end(bytes, start),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut index = start;
            loop {
                // Only quotes and brackets matter inside a nested value; jump to the next one.
                index += bytes
                    .get(index..)?
                    .iter()
                    .position(|&b| matches!(b, b'"' | b'{' | b'[' | b'}' | b']'))?;
                match bytes.get(index)? {
                    b'"' => {
                        index = string_end(bytes, index)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(index + 1);
                        }
                    }
                    _ => {}
                }
                index += 1;
            }
        }
        _ => {
            let mut index = start;
            while !matches!(
                bytes.get(index),
                None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
            ) {
                index += 1;
            }
            Some(index)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_tag_wherever_it_is() {
        let json = r#"{"_links": {"self": "x", "type": "nested"}, "list": [1, {"type": "no"}], "esc\"aped": "a\"b", "type" : "payment"}"#;
        assert_eq!(find_string_member(json, "type").as_deref(), Some("payment"));
        assert_eq!(find_string_member(r#"{"a": 1}"#, "type"), None);
        assert_eq!(find_string_member(r#"{"type": 5}"#, "type"), None);
        assert_eq!(
            find_string_member(r#"{"type": "pay\u006dent"}"#, "type").as_deref(),
            Some("payment")
        );
        assert_eq!(find_string_member("[1]", "type"), None);
        assert_eq!(find_string_member(r#"{"a": "unterminated"#, "type"), None);
    }

    #[test]
    fn finds_the_tag_after_long_and_escaped_strings() {
        let long = format!(
            r#"{{"description": "{}\"{}", "type": "refund"}}"#,
            "x".repeat(13),
            "é".repeat(9)
        );
        assert_eq!(find_string_member(&long, "type").as_deref(), Some("refund"));
    }

    #[test]
    fn tagged_errors_point_into_the_variant() {
        #[derive(Debug, Deserialize)]
        struct Inner {
            #[allow(dead_code)]
            amount: i64,
        }
        let tagged: Tagged = Tagged::deserialize(
            &mut serde_json::Deserializer::from_str(r#"{"type": "refund", "amount": "x"}"#),
            "type",
        )
        .unwrap();
        assert_eq!(tagged.tag(), Some("refund"));
        let error = tagged
            .decode::<Inner, serde_json::Error>("EventPayload")
            .unwrap_err();
        assert!(
            error
                .to_string()
                .contains("EventPayload (tag `refund`): at `amount`"),
            "{error}"
        );
    }
}
