//! Decoding support for the generated models: string enums that keep unknown values and last-resort unions that report every variant they tried (unions decided by their tag are in `tagged.rs`).

// Every crate gets this file, but not every API has enums or unions.
#![allow(dead_code)]

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use serde_json::value::RawValue;
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
    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| describe(&error))
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
