//! Single-pass decoding of unions decided by a tag member: each member of the object is read once, the tag noted as it passes, and the chosen variant decoded from what was kept.

// Every crate gets this file, but not every API has tagged unions.
#![allow(dead_code)]

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::fmt;

use crate::wire::describe;

/// The object of a tagged union, read in one pass: each member is read once and kept (strings
/// borrowed from the input where possible), the tag is noted as it passes, and the chosen variant
/// is then decoded from the kept members. An object or array under a member that some variant
/// gives a structured type is kept as raw JSON text; any other value as the scalar it is.
pub(crate) struct TaggedObject<'de> {
    members: Vec<(Cow<'de, str>, Member<'de>)>,
    /// Index into `members` of the first tag member whose value is a string.
    tag: Option<usize>,
    /// The whole value, when it is not an object (no variant can accept it; kept for `Unknown`).
    not_object: Option<serde_json::Value>,
}

/// One member's value, as read before the variant is known.
enum Member<'de> {
    Str(Cow<'de, str>),
    U64(u64),
    I64(i64),
    F64(f64),
    Bool(bool),
    Null,
    /// An object or array where no variant expects one (rare: kept as a tree).
    Json(serde_json::Value),
    /// An object or array (or anything) under a member a variant gives a structured type.
    Raw(Box<RawValue>),
}

impl<'de> TaggedObject<'de> {
    /// Reads the object; `structured` says which members to keep as raw JSON text.
    pub(crate) fn deserialize<D: Deserializer<'de>>(
        deserializer: D,
        tag_property: &'static str,
        structured: fn(&str) -> bool,
    ) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ObjectVisitor {
            tag_property,
            structured,
        })
    }

    pub(crate) fn tag(&self) -> Option<&str> {
        match self.members.get(self.tag?) {
            Some((_, Member::Str(tag))) => Some(tag),
            _ => None,
        }
    }

    /// Decodes the chosen variant from the kept members, exactly as it would decode from the
    /// object itself (duplicates, unknown members and missing ones included); an error names
    /// the union, the tag and the path inside the variant.
    pub(crate) fn decode<T: DeserializeOwned, E: de::Error>(&self, union: &str) -> Result<T, E> {
        // Tracking the path records every key on the way, so it is paid only to explain a
        // failure: decoding is deterministic, and the second run stops at the same value.
        if let Ok(value) = T::deserialize(Replay(&self.members)) {
            return Ok(value);
        }
        let message = match serde_path_to_error::deserialize::<_, T>(Replay(&self.members)) {
            Ok(value) => return Ok(value),
            Err(error) => describe(&error),
        };
        Err(E::custom(format!(
            "{union} (tag `{}`): {message}",
            self.tag().unwrap_or("")
        )))
    }

    /// Keeps an object with an unknown (or missing) tag as plain JSON, as it was sent.
    pub(crate) fn into_value<E: de::Error>(self) -> Result<serde_json::Value, E> {
        if let Some(value) = self.not_object {
            return Ok(value);
        }
        let mut object = serde_json::Map::new();
        for (key, member) in self.members {
            // Later repeats of a key win, as when parsing the text into a `Value`.
            object.insert(key.into_owned(), member.into_value().map_err(E::custom)?);
        }
        Ok(serde_json::Value::Object(object))
    }
}

impl Member<'_> {
    fn into_value(self) -> Result<serde_json::Value, serde_json::Error> {
        use serde_json::Value;
        Ok(match self {
            Member::Str(text) => Value::String(text.into_owned()),
            Member::U64(number) => Value::from(number),
            Member::I64(number) => Value::from(number),
            Member::F64(number) => Value::from(number),
            Member::Bool(flag) => Value::Bool(flag),
            Member::Null => Value::Null,
            Member::Json(value) => value,
            Member::Raw(raw) => serde_json::from_str(raw.get())?,
        })
    }
}

struct ObjectVisitor {
    tag_property: &'static str,
    structured: fn(&str) -> bool,
}

impl<'de> ObjectVisitor {
    fn not_object(value: serde_json::Value) -> TaggedObject<'de> {
        TaggedObject {
            members: Vec::new(),
            tag: None,
            not_object: Some(value),
        }
    }

    fn scalar<E: de::Error>(member: Member<'de>) -> Result<TaggedObject<'de>, E> {
        member.into_value().map(Self::not_object).map_err(E::custom)
    }
}

impl<'de> Visitor<'de> for ObjectVisitor {
    type Value = TaggedObject<'de>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("any JSON value")
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut members = Vec::with_capacity(map.size_hint().unwrap_or(16).min(64));
        let mut tag = None;
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let member = if (self.structured)(&key) {
                Member::Raw(map.next_value()?)
            } else {
                map.next_value_seed(MemberVisitor)?
            };
            if tag.is_none() && key == self.tag_property && matches!(member, Member::Str(_)) {
                tag = Some(members.len());
            }
            members.push((key, member));
        }
        Ok(TaggedObject {
            members,
            tag,
            not_object: None,
        })
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        MemberVisitor.visit_seq(seq).and_then(Self::scalar)
    }

    fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<Self::Value, E> {
        Self::scalar(Member::Str(Cow::Borrowed(value)))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        Self::scalar(Member::Str(Cow::Owned(value.to_owned())))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        Self::scalar(Member::U64(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        Self::scalar(Member::I64(value))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
        Self::scalar(Member::F64(value))
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Self::Value, E> {
        Self::scalar(Member::Bool(value))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Self::scalar(Member::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Self::scalar(Member::Null)
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

/// Reads any value as a [`Member`]: scalars as they are, objects and arrays as a tree.
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

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        serde_json::Value::deserialize(de::value::MapAccessDeserializer::new(map)).map(Member::Json)
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        serde_json::Value::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(Member::Json)
    }
}

/// The kept members as an object again, for the chosen variant's own `Deserialize`.
struct Replay<'a>(&'a [(Cow<'a, str>, Member<'a>)]);

impl<'a> Deserializer<'a> for Replay<'a> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_map(ReplayMap {
            members: self.0.iter(),
            value: None,
        })
    }

    serde::forward_to_deserialize_any! {
        <W: Visitor<'a>>
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

struct ReplayMap<'a> {
    members: std::slice::Iter<'a, (Cow<'a, str>, Member<'a>)>,
    value: Option<&'a Member<'a>>,
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

/// One kept member as a deserializer: raw JSON and trees are read as serde_json reads them,
/// scalars are handed to the visitor as the text parser would hand them.
struct MemberRef<'a>(&'a Member<'a>);

impl<'a> MemberRef<'a> {
    fn scalar<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, serde_json::Error> {
        match self.0 {
            Member::Str(Cow::Borrowed(text)) => visitor.visit_borrowed_str(text),
            Member::Str(Cow::Owned(text)) => visitor.visit_borrowed_str(text.as_str()),
            Member::U64(number) => visitor.visit_u64(*number),
            Member::I64(number) => visitor.visit_i64(*number),
            Member::F64(number) => visitor.visit_f64(*number),
            Member::Bool(flag) => visitor.visit_bool(*flag),
            Member::Null => visitor.visit_unit(),
            Member::Json(value) => value.deserialize_any(visitor),
            Member::Raw(raw) => (&**raw).deserialize_any(visitor),
        }
    }
}

/// Methods where a tree or raw text goes to serde_json's own method and a scalar to `scalar`.
macro_rules! forward_member {
    ($($method:ident ($($arg:ident: $ty:ty),*))*) => {$(
        fn $method<V: Visitor<'a>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, Self::Error> {
            match self.0 {
                Member::Json(value) => value.$method($($arg,)* visitor),
                Member::Raw(raw) => (&**raw).$method($($arg,)* visitor),
                _ => self.scalar(visitor),
            }
        }
    )*};
}

impl<'a> Deserializer<'a> for MemberRef<'a> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.scalar(visitor)
    }

    fn deserialize_option<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Member::Null => visitor.visit_none(),
            Member::Json(value) => value.deserialize_option(visitor),
            Member::Raw(raw) => (&**raw).deserialize_option(visitor),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'a>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        match self.0 {
            Member::Json(value) => value.deserialize_newtype_struct(name, visitor),
            Member::Raw(raw) => (&**raw).deserialize_newtype_struct(name, visitor),
            _ => visitor.visit_newtype_struct(self),
        }
    }

    fn deserialize_enum<V: Visitor<'a>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        match self.0 {
            Member::Str(text) => visitor.visit_enum(de::value::BorrowedStrDeserializer::new(text)),
            Member::Json(value) => value.deserialize_enum(name, variants, visitor),
            Member::Raw(raw) => (&**raw).deserialize_enum(name, variants, visitor),
            _ => self.scalar(visitor),
        }
    }

    fn deserialize_bytes<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Member::Str(text) => visitor.visit_borrowed_bytes(text.as_bytes()),
            Member::Json(value) => value.deserialize_bytes(visitor),
            Member::Raw(raw) => (&**raw).deserialize_bytes(visitor),
            _ => self.scalar(visitor),
        }
    }

    fn deserialize_byte_buf<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_unit()
    }

    forward_member! {
        deserialize_bool() deserialize_i8() deserialize_i16() deserialize_i32() deserialize_i64()
        deserialize_u8() deserialize_u16() deserialize_u32() deserialize_u64() deserialize_f32()
        deserialize_f64() deserialize_char() deserialize_str() deserialize_string()
        deserialize_unit() deserialize_seq() deserialize_map() deserialize_identifier()
        deserialize_unit_struct(name: &'static str)
        deserialize_tuple(len: usize)
        deserialize_tuple_struct(name: &'static str, len: usize)
        deserialize_struct(name: &'static str, fields: &'static [&'static str])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
            let object =
                TaggedObject::deserialize(deserializer, "type", |key| matches!(key, "_links"))?;
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
