//! Single-pass decoding of unions decided by a tag member: each member of the object is read once, the tag noted as it passes, and the chosen variant decoded from what was kept.

// Every crate gets this file, but not every API has tagged unions.
#![allow(dead_code)]

use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use std::borrow::Cow;
use std::fmt;

use crate::wire::describe;

/// The value of a tagged union, read in one pass and kept as a light tree whose strings are
/// borrowed from the input where possible; the chosen variant is then decoded from the tree with
/// its own `Deserialize`, exactly as from the text (duplicates, unknown and missing members
/// included), without parsing anything twice.
pub(crate) struct TaggedObject<'de> {
    value: Member<'de>,
    /// Index of the first tag member whose value is a string, when the value is an object.
    tag: Option<usize>,
}

/// A JSON value as read before the variant is known.
enum Member<'de> {
    Str(Cow<'de, str>),
    U64(u64),
    I64(i64),
    F64(f64),
    Bool(bool),
    Null,
    Seq(Vec<Member<'de>>),
    Map(Vec<(Cow<'de, str>, Member<'de>)>),
}

impl<'de> TaggedObject<'de> {
    /// Reads the value, noting the string value of `tag_property` when it is an object.
    pub(crate) fn deserialize<D: Deserializer<'de>>(
        deserializer: D,
        tag_property: &str,
    ) -> Result<Self, D::Error> {
        let value = deserializer.deserialize_any(MemberVisitor)?;
        let tag = match &value {
            Member::Map(members) => members
                .iter()
                .position(|(key, value)| key == tag_property && matches!(value, Member::Str(_))),
            _ => None,
        };
        Ok(TaggedObject { value, tag })
    }

    pub(crate) fn tag(&self) -> Option<&str> {
        match &self.value {
            Member::Map(members) => match members.get(self.tag?) {
                Some((_, Member::Str(tag))) => Some(tag),
                _ => None,
            },
            _ => None,
        }
    }

    /// Decodes the chosen variant; an error names the union, the tag and the path inside the
    /// variant.
    pub(crate) fn decode<T: DeserializeOwned, E: de::Error>(&self, union: &str) -> Result<T, E> {
        // Tracking the path records every key on the way, so it is paid only to explain a
        // failure: decoding is deterministic, and the second run stops at the same value.
        if let Ok(value) = T::deserialize(MemberRef(&self.value)) {
            return Ok(value);
        }
        let message = match serde_path_to_error::deserialize::<_, T>(MemberRef(&self.value)) {
            Ok(value) => return Ok(value),
            Err(error) => describe(&error),
        };
        Err(E::custom(format!(
            "{union} (tag `{}`): {message}",
            self.tag().unwrap_or("")
        )))
    }

    /// Keeps a value with an unknown (or missing) tag as plain JSON, as it was sent.
    pub(crate) fn into_value<E: de::Error>(self) -> Result<serde_json::Value, E> {
        Ok(self.value.into_value())
    }
}

impl Member<'_> {
    fn into_value(self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            Member::Str(text) => Value::String(text.into_owned()),
            Member::U64(number) => Value::from(number),
            Member::I64(number) => Value::from(number),
            // JSON text cannot hold a NaN or an infinity, so this never becomes `null`.
            Member::F64(number) => Value::from(number),
            Member::Bool(flag) => Value::Bool(flag),
            Member::Null => Value::Null,
            Member::Seq(items) => Value::Array(items.into_iter().map(Member::into_value).collect()),
            // Later repeats of a key win, as when parsing the text into a `Value`.
            Member::Map(members) => Value::Object(
                members
                    .into_iter()
                    .map(|(key, value)| (key.into_owned(), value.into_value()))
                    .collect(),
            ),
        }
    }
}

/// Reads any JSON value as a [`Member`].
struct MemberVisitor;

impl<'de> de::DeserializeSeed<'de> for MemberVisitor {
    type Value = Member<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for MemberVisitor {
    type Value = Member<'de>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("any JSON value")
    }

    fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<Self::Value, E> {
        Ok(Member::Str(Cow::Borrowed(value)))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        Ok(Member::Str(Cow::Owned(value.to_owned())))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Self::Value, E> {
        Ok(Member::Str(Cow::Owned(value)))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        Ok(Member::U64(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        Ok(Member::I64(value))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
        Ok(Member::F64(value))
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Self::Value, E> {
        Ok(Member::Bool(value))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Member::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Member::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element_seed(MemberVisitor)? {
            items.push(item);
        }
        Ok(Member::Seq(items))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        // serde_json gives no size hint. Tagged objects commonly have 10 to 16 members, and
        // growing the vector costs more than the unused room of a small object does.
        let mut members = Vec::with_capacity(map.size_hint().unwrap_or(16).min(64));
        while let Some(key) = map.next_key_seed(KeySeed)? {
            members.push((key, map.next_value_seed(MemberVisitor)?));
        }
        Ok(Member::Map(members))
    }
}

/// A member's name, borrowed from the input when it has no escapes.
struct KeySeed;

impl<'de> de::DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a member name")
    }

    fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(value))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(value.to_owned()))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(value))
    }
}

/// A kept value as a deserializer, handing the visitor what serde_json would have handed it
/// for the same text.
struct MemberRef<'a>(&'a Member<'a>);

struct ReplayMap<'a> {
    members: std::slice::Iter<'a, (Cow<'a, str>, Member<'a>)>,
    value: Option<&'a Member<'a>>,
}

struct ReplaySeq<'a>(std::slice::Iter<'a, Member<'a>>);

impl<'a> ReplayMap<'a> {
    fn new(members: &'a [(Cow<'a, str>, Member<'a>)]) -> Self {
        ReplayMap {
            members: members.iter(),
            value: None,
        }
    }
}

impl<'a> Deserializer<'a> for MemberRef<'a> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Member::Str(text) => visitor.visit_borrowed_str(text),
            Member::U64(number) => visitor.visit_u64(*number),
            Member::I64(number) => visitor.visit_i64(*number),
            Member::F64(number) => visitor.visit_f64(*number),
            Member::Bool(flag) => visitor.visit_bool(*flag),
            Member::Null => visitor.visit_unit(),
            Member::Seq(items) => visitor.visit_seq(ReplaySeq(items.iter())),
            Member::Map(members) => visitor.visit_map(ReplayMap::new(members)),
        }
    }

    fn deserialize_option<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Member::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'a>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        match self.0 {
            Member::Str(text) => visitor.visit_enum(de::value::BorrowedStrDeserializer::new(text)),
            // `{"Variant": value}`, as serde_json reads an enum from an object.
            Member::Map(members) => visitor.visit_enum(de::value::MapAccessDeserializer::new(
                ReplayMap::new(members),
            )),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_bytes<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Member::Str(text) => visitor.visit_borrowed_bytes(text.as_bytes()),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_byte_buf<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        <W: Visitor<'a>>
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string unit unit_struct
        seq tuple tuple_struct map struct identifier
    }
}

impl<'a> de::MapAccess<'a> for ReplayMap<'a> {
    type Error = serde_json::Error;

    fn next_key_seed<K: de::DeserializeSeed<'a>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        let Some((key, value)) = self.members.next() else {
            return Ok(None);
        };
        self.value = Some(value);
        seed.deserialize(de::value::BorrowedStrDeserializer::new(key))
            .map(Some)
    }

    fn next_value_seed<V: de::DeserializeSeed<'a>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        match self.value.take() {
            Some(member) => seed.deserialize(MemberRef(member)),
            None => Err(de::Error::custom("a value was asked for before its key")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.members.len())
    }
}

impl<'a> de::SeqAccess<'a> for ReplaySeq<'a> {
    type Error = serde_json::Error;

    fn next_element_seed<T: de::DeserializeSeed<'a>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Self::Error> {
        self.0
            .next()
            .map(|item| seed.deserialize(MemberRef(item)))
            .transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Debug, PartialEq, Deserialize)]
    struct Links {
        #[serde(rename = "self")]
        self_: String,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Refund {
        #[serde(deserialize_with = "crate::lenient::number")]
        amount: i64,
        #[serde(rename = "_links")]
        links: Links,
        #[serde(default)]
        reason: Option<String>,
        #[serde(rename = "type")]
        kind: String,
    }

    #[derive(Debug, PartialEq)]
    enum Payload {
        Refund(Refund),
        Unknown(serde_json::Value),
    }

    /// What the generator emits for a tagged union, by hand.
    impl<'de> Deserialize<'de> for Payload {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let object = TaggedObject::deserialize(deserializer, "type")?;
            match object.tag() {
                Some("refund") => object.decode("Payload").map(Self::Refund),
                _ => object.into_value().map(Self::Unknown),
            }
        }
    }

    fn refund() -> Refund {
        Refund {
            amount: 500,
            links: Links {
                self_: "https://x/refunds/1".into(),
            },
            reason: Some("late \"delivery\"".into()),
            kind: "refund".into(),
        }
    }

    #[test]
    fn the_tag_decides_wherever_it_is() {
        let last = r#"{"_links": {"self": "https://x/refunds/1"}, "amount": "500", "reason": "late \"delivery\"", "type": "refund"}"#;
        let first = r#"{"type": "refund", "reason": "late \"delivery\"", "amount": 500, "_links": {"self": "https://x/refunds/1"}}"#;
        for text in [last, first] {
            assert_eq!(
                serde_json::from_str::<Payload>(text).unwrap(),
                Payload::Refund(refund())
            );
            // The same from a `Value` (nothing borrowed) and from a reader (nothing borrowable).
            let value: serde_json::Value = serde_json::from_str(text).unwrap();
            assert_eq!(
                serde_json::from_value::<Payload>(value).unwrap(),
                Payload::Refund(refund())
            );
            let read: Payload = serde_json::from_reader(text.as_bytes()).unwrap();
            assert_eq!(read, Payload::Refund(refund()));
        }
    }

    #[test]
    fn an_unknown_tag_keeps_the_object_as_sent() {
        let sent = json!({
            "type": "payout", "amount": "12.50", "ratio": 0.25, "count": -3, "big": 18446744073709551615u64,
            "ok": true, "none": null, "_links": {"self": "s", "extra": [1, {"a": "b"}]},
            "nested": {"type": "refund"}, "list": [1, "two"], "text": "a\"b\u{e9}"
        });
        let text = sent.to_string();
        assert_eq!(
            serde_json::from_str::<Payload>(&text).unwrap(),
            Payload::Unknown(sent.clone())
        );
        assert_eq!(
            serde_json::from_value::<Payload>(sent.clone()).unwrap(),
            Payload::Unknown(sent)
        );
        // No tag, a tag that is not a string, not an object at all: all kept.
        for sent in [
            json!({"amount": 1}),
            json!({"type": 7, "amount": 1}),
            json!([1, 2]),
            json!("refund"),
            json!(null),
        ] {
            assert_eq!(
                serde_json::from_value::<Payload>(sent.clone()).unwrap(),
                Payload::Unknown(sent)
            );
        }
    }

    #[test]
    fn errors_name_the_union_the_tag_and_the_path_inside_the_variant() {
        let cases = [
            (
                r#"{"type": "refund", "amount": "x", "_links": {"self": "s"}}"#,
                "Payload (tag `refund`): at `amount`: ",
            ),
            (
                r#"{"_links": {"self": 5}, "amount": 1, "type": "refund"}"#,
                "Payload (tag `refund`): at `_links.self`: invalid type: integer `5`",
            ),
            (
                r#"{"_links": {"self": "s"}, "type": "refund"}"#,
                "Payload (tag `refund`): missing field `amount`",
            ),
            (
                r#"{"amount": 1, "amount": 2, "_links": {"self": "s"}, "type": "refund"}"#,
                "duplicate field `amount`",
            ),
        ];
        for (text, expected) in cases {
            let error = serde_json::from_str::<Payload>(text)
                .unwrap_err()
                .to_string();
            assert!(error.contains(expected), "{text}: {error}");
        }
    }

    #[test]
    fn broken_json_is_still_an_error() {
        for text in [
            r#"{"type": "refund", "amount": 1"#,
            r#"{"type": "refund", "_links": {"self": "s""#,
            r#"{"type" "refund"}"#,
        ] {
            assert!(serde_json::from_str::<Payload>(text).is_err(), "{text}");
        }
    }
}
