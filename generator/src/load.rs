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

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(JsonFromYaml(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(Key(key)) = map.next_key()? {
            let JsonFromYaml(value) = map.next_value()?;
            if object.insert(key.clone(), value).is_some() {
                return Err(de::Error::custom(format!("duplicate key `{key}`")));
            }
        }
        Ok(Value::Object(object))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        // A tagged value (`!Tag value`): keep the value, drop the tag.
        let (_tag, variant): (String, _) = data.variant()?;
        variant.newtype_variant::<JsonFromYaml>().map(|v| v.0)
    }
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
