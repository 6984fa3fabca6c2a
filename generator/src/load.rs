//! Load stage: YAML or JSON text in, a `serde_json::Value` out, with every key a string.
//!
//! YAML allows keys that JSON does not (integers such as `200:`, booleans, `null`) and numbers
//! that do not fit 64 bits; both appear in real documents, so they are converted here rather
//! than rejected. Anything that cannot become JSON is an error naming its pointer.

use crate::diagnostics::Diagnostic;
use serde::de::{
    self, Deserialize, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};
use serde_json::{Map, Number, Value};

/// Parses a YAML (or JSON) document. `source` names the file in error messages.
pub fn load_document(text: &str, source: &str) -> Result<Value, Diagnostic> {
    let loaded: JsonFromYaml = serde_yaml::from_str(text).map_err(|error| {
        let place = error
            .location()
            .map(|l| format!(" at line {}, column {}", l.line(), l.column()))
            .unwrap_or_default();
        Diagnostic::error(
            "",
            format!(
                "{source} is not valid YAML or JSON{place}: {error}{}",
                advice(&error.to_string())
            ),
        )
    })?;
    match loaded.0 {
        Value::Object(_) => Ok(loaded.0),
        Value::Null => Err(Diagnostic::error(
            "",
            format!("{source} is empty; an OpenAPI document starts with `openapi: \"3.0.3\"`"),
        )),
        _ => Err(Diagnostic::error(
            "",
            format!("{source}: the document must be a mapping (an object) at the top level"),
        )),
    }
}

/// serde_yaml's messages for its safety limits say what tripped, not what to do about it.
fn advice(message: &str) -> &'static str {
    if message.contains("repetition limit") {
        "; the document expands YAML aliases (`*name`) so often that it would be huge, so it is refused"
    } else if message.contains("recursion limit") {
        "; values are nested more than 128 levels deep, which no API description needs"
    } else if message.contains("duplicate key") {
        "; a key may appear only once in a mapping, so merge the two entries"
    } else {
        ""
    }
}

/// A JSON value read straight from YAML events, so that what JSON cannot hold is converted
/// on the way in rather than refused: integers beyond 64 bits become floats, scalar keys
/// become strings, and tags are dropped (their values kept).
struct JsonFromYaml(Value);

impl<'de> Deserialize<'de> for JsonFromYaml {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor).map(JsonFromYaml)
    }
}

struct ValueVisitor;

fn float_value(value: f64, text: impl FnOnce() -> String) -> Value {
    Number::from_f64(value)
        .map(Value::Number)
        .unwrap_or_else(|| Value::String(text()))
}

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_i128<E: de::Error>(self, value: i128) -> Result<Value, E> {
        Ok(float_value(value as f64, || value.to_string()))
    }

    fn visit_u128<E: de::Error>(self, value: u128) -> Result<Value, E> {
        Ok(float_value(value as f64, || value.to_string()))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Value, E> {
        Ok(float_value(value, || value.to_string()))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    // The document is held as these values through several stages, so lists and mappings are
    // given exactly the room they use: grown by doubling, they would hold about a third more.
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(JsonFromYaml(item)) = seq.next_element()? {
            items.push(item);
        }
        items.shrink_to_fit();
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries: Vec<(String, Value)> = Vec::new();
        let mut seen = SeenKeys::default();
        while let Some(Key(key)) = map.next_key()? {
            // Refused as soon as it is read (serde_yaml names the mapping's line), so an error
            // further on in the same mapping cannot hide it.
            if seen.repeats(&entries, &key) {
                return Err(de::Error::custom(format!("duplicate key `{key}`")));
            }
            let JsonFromYaml(value) = map.next_value()?;
            entries.push((key, value));
        }
        let mut object = Map::with_capacity(entries.len());
        object.extend(entries);
        Ok(Value::Object(object))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        // A tagged value (`!Tag value`): keep the value, drop the tag.
        let (_tag, variant): (String, _) = data.variant()?;
        variant.newtype_variant::<JsonFromYaml>().map(|v| v.0)
    }
}

/// Which keys a mapping being read already has: a scan of the few entries most mappings have,
/// and hashes of the keys once there are more (a large `paths` or `schemas` mapping).
#[derive(Default)]
struct SeenKeys(Option<std::collections::HashSet<u64>>);

impl SeenKeys {
    const SCAN_UP_TO: usize = 16;

    /// Whether `key` is among `entries`' keys; every key asked about is then taken as seen.
    fn repeats(&mut self, entries: &[(String, Value)], key: &str) -> bool {
        if entries.len() < Self::SCAN_UP_TO {
            return entries.iter().any(|(seen, _)| seen == key);
        }
        let hashes = self
            .0
            .get_or_insert_with(|| entries.iter().map(|(seen, _)| hash(seen)).collect());
        // A new hash is a new key; a known one is checked against the keys themselves, since
        // two keys may share a hash.
        !hashes.insert(hash(key)) && entries.iter().any(|(seen, _)| seen == key)
    }
}

fn hash(key: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    BuildHasherDefault::<DefaultHasher>::default().hash_one(key)
}

/// A mapping key: any scalar, written as a string (`200` → `"200"`).
struct Key(String);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match deserializer.deserialize_any(ValueVisitor)? {
            Value::String(text) => Ok(Key(text)),
            Value::Null => Ok(Key("null".to_owned())),
            Value::Bool(b) => Ok(Key(b.to_string())),
            Value::Number(n) => Ok(Key(n.to_string())),
            Value::Array(_) | Value::Object(_) => Err(de::Error::custom(
                "a mapping key is itself a list or mapping; keys must be plain text such as a name, a path or a status code",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_keys_become_strings() {
        let value = load_document("responses:\n  200:\n    description: ok\n", "t.yaml").unwrap();
        assert_eq!(value["responses"]["200"]["description"], "ok");
    }

    #[test]
    fn huge_integers_do_not_fail() {
        let value = load_document("max: 18446744073709552000\n", "t.yaml").unwrap();
        assert!(value["max"].is_number());
    }

    #[test]
    fn bad_yaml_names_the_line() {
        let error = load_document("a: [1, 2\nb: c\n", "spec.yaml").unwrap_err();
        assert!(
            error.message.contains("spec.yaml is not valid YAML"),
            "{}",
            error.message
        );
        assert!(error.message.contains("line"), "{}", error.message);
    }

    #[test]
    fn repeated_keys_are_found_in_large_mappings_at_the_repeat() {
        let mut text = String::from("paths:\n");
        for index in 0..40 {
            text.push_str(&format!("  /p{index}: {{}}\n"));
        }
        text.push_str("  /p3: {}\n  /p40: {}\n");
        let error = load_document(&text, "t.yaml").unwrap_err();
        assert!(
            error.message.contains("duplicate key `/p3` at line 2"),
            "{}",
            error.message
        );
        let small = load_document("a: 1\nb: 2\na: 3\n", "t.yaml").unwrap_err();
        assert!(
            small.message.contains("duplicate key `a`"),
            "{}",
            small.message
        );
        let distinct = load_document(
            &text.replace("  /p3: {}\n  /p40", "  /p41: {}\n  /p40"),
            "t.yaml",
        );
        assert_eq!(
            distinct
                .map(|v| v["paths"].as_object().map(|m| m.len()))
                .ok()
                .flatten(),
            Some(42)
        );
    }

    #[test]
    fn top_level_must_be_a_mapping() {
        let error = load_document("- 1\n- 2\n", "x.yaml").unwrap_err();
        assert!(error.message.contains("mapping"));
    }

    #[test]
    fn an_empty_document_says_so() {
        let error = load_document("# only a comment\n", "e.yaml").unwrap_err();
        assert!(
            error.message.contains("e.yaml is empty"),
            "{}",
            error.message
        );
    }

    #[test]
    fn json_loads_too() {
        let value = load_document(r#"{"openapi": "3.0.3", "paths": {}}"#, "x.json").unwrap();
        assert_eq!(value["openapi"], "3.0.3");
    }
}
