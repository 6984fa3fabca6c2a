//! The loader this crate used before `build`: serde_yaml deserializing into a JSON value.
//! Kept only as the reference the streaming loader is compared with, document by document.

use serde::de::{
    self, Deserialize, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};
use serde_json::{Map, Number, Value};

/// The old loader's result: the value, or serde_yaml's message and 1-based line and column.
pub(crate) fn load(text: &str) -> Result<Value, (String, Option<(usize, usize)>)> {
    serde_yaml::from_str::<JsonFromYaml>(text)
        .map(|loaded| loaded.0)
        .map_err(|error| {
            let place = error.location().map(|l| (l.line(), l.column()));
            (error.to_string(), place)
        })
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
        while let Some(Key(key)) = map.next_key()? {
            // Refused as soon as it is read (serde_yaml names the mapping's line), so an error
            // further on in the same mapping cannot hide it.
            if entries.iter().any(|(seen, _)| *seen == key) {
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
