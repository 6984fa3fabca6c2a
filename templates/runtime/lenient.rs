//! Lenient number decoding for fields where PayPro's wire and its reference disagree: amounts
//! arrive as integers or numeric strings, VAT as integers, floats or numeric strings.
//!
//! Generated models use it as `#[serde(deserialize_with = "crate::lenient::number")]` and
//! `#[serde(default, deserialize_with = "crate::lenient::option_number")]`. It works directly on
//! the deserializer's tokens (no intermediate `serde_json::Value`), so it costs about what a plain
//! derived number field costs.

// Every crate gets this file; an API without optional numbers leaves some of it unused.
#![allow(dead_code)]

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, Visitor};

/// A number type that [`number`] and [`option_number`] can produce. Sealed: implemented for
/// `i32`, `i64`, `u32`, `u64`, `f32` and `f64` only.
pub trait LenientNumber: Sized + sealed::Sealed {
    /// What the field accepts, for error messages.
    #[doc(hidden)]
    const EXPECTED: &'static str;
    /// Converts a JSON integer, or `None` when it does not fit.
    #[doc(hidden)]
    fn from_i64(value: i64) -> Option<Self>;
    /// Converts a JSON integer, or `None` when it does not fit.
    #[doc(hidden)]
    fn from_u64(value: u64) -> Option<Self>;
    /// Converts a JSON float, or `None` when it is not representable (for integer types: has a
    /// fractional part or does not fit).
    #[doc(hidden)]
    fn from_f64(value: f64) -> Option<Self>;
    /// Parses already-trimmed text holding such a number.
    #[doc(hidden)]
    fn parse_text(text: &str) -> Option<Self>;
}

/// Decodes a number that may arrive as a JSON integer, a float, or a string holding either
/// (`1000`, `"1000"`, `21.0`, `" 21 "`). Integer targets accept a float only without a fractional
/// part and within range.
#[allow(
    dead_code,
    reason = "used by generated models only when the spec has such fields"
)]
pub fn number<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: LenientNumber,
{
    deserializer.deserialize_any(NumberVisitor(PhantomData))
}

/// [`number`] for an optional field: `null` becomes `None`. Pair it with `#[serde(default)]` so
/// an absent field is `None` too.
pub fn option_number<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: LenientNumber,
{
    deserializer.deserialize_option(OptionVisitor(PhantomData))
}

mod sealed {
    pub trait Sealed {}
}

macro_rules! lenient_integer {
    ($($ty:ty),*) => {$(
        impl sealed::Sealed for $ty {}
        impl LenientNumber for $ty {
            const EXPECTED: &'static str = "an integer or a numeric string";
            fn from_i64(value: i64) -> Option<Self> {
                <$ty>::try_from(value).ok()
            }
            fn from_u64(value: u64) -> Option<Self> {
                <$ty>::try_from(value).ok()
            }
            fn from_f64(value: f64) -> Option<Self> {
                if !value.is_finite() || value.fract() != 0.0 {
                    return None;
                }
                // An integral f64 converts to i128 exactly as long as it fits, and saturates
                // beyond, where `try_from` rejects it; so no value wraps around silently.
                <$ty>::try_from(value as i128).ok()
            }
            fn parse_text(text: &str) -> Option<Self> {
                // Plain digits first (exact even beyond 2^53), then forms like "21.0" or "1e3".
                text.parse().ok().or_else(|| text.parse::<f64>().ok().and_then(Self::from_f64))
            }
        }
    )*};
}

macro_rules! lenient_float {
    ($($ty:ty),*) => {$(
        impl sealed::Sealed for $ty {}
        impl LenientNumber for $ty {
            const EXPECTED: &'static str = "a number or a numeric string";
            fn from_i64(value: i64) -> Option<Self> {
                Some(value as $ty)
            }
            fn from_u64(value: u64) -> Option<Self> {
                Some(value as $ty)
            }
            fn from_f64(value: f64) -> Option<Self> {
                // Narrowing to f32 can overflow to infinity, which is not a number PayPro meant.
                let narrowed = value as $ty;
                narrowed.is_finite().then_some(narrowed)
            }
            fn parse_text(text: &str) -> Option<Self> {
                // Rust also parses "inf" and "NaN", which JSON cannot carry; `from_f64` drops them.
                text.parse::<f64>().ok().filter(|value| value.is_finite()).and_then(Self::from_f64)
            }
        }
    )*};
}

lenient_integer!(i32, i64, u32, u64);
lenient_float!(f32, f64);

struct NumberVisitor<T>(PhantomData<T>);

impl<T: LenientNumber> NumberVisitor<T> {
    fn mismatch<E: de::Error>(found: impl fmt::Display) -> E {
        E::custom(format_args!("expected {}, found {found}", T::EXPECTED))
    }

    fn out_of_range<E: de::Error>(found: impl fmt::Display) -> E {
        E::custom(format_args!(
            "expected {}, found {found}, which is out of range for {}",
            T::EXPECTED,
            std::any::type_name::<T>()
        ))
    }
}

impl<'de, T: LenientNumber> Visitor<'de> for NumberVisitor<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(T::EXPECTED)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<T, E> {
        T::from_i64(value).ok_or_else(|| Self::out_of_range(value))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<T, E> {
        T::from_u64(value).ok_or_else(|| Self::out_of_range(value))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<T, E> {
        T::from_f64(value).ok_or_else(|| {
            if value.is_finite() && value.fract() == 0.0 {
                Self::out_of_range(value)
            } else {
                Self::mismatch(value)
            }
        })
    }

    // `visit_borrowed_str` and `visit_string` forward here by default, so no text is copied.
    fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
        T::parse_text(value.trim()).ok_or_else(|| Self::mismatch(format_args!("{value:?}")))
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<T, E> {
        Err(Self::mismatch(value))
    }

    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        Err(Self::mismatch("null"))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, _: A) -> Result<T, A::Error> {
        Err(Self::mismatch("an array"))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, _: A) -> Result<T, A::Error> {
        Err(Self::mismatch("an object"))
    }
}

struct OptionVisitor<T>(PhantomData<T>);

impl<'de, T: LenientNumber> Visitor<'de> for OptionVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "null or {}", T::EXPECTED)
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        deserializer
            .deserialize_any(NumberVisitor(PhantomData))
            .map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Amounts {
        #[serde(deserialize_with = "number")]
        int: i64,
        #[serde(default, deserialize_with = "option_number")]
        optional: Option<u32>,
        #[serde(default, deserialize_with = "option_number")]
        vat: Option<f64>,
    }

    fn decode<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, String> {
        serde_json::from_str(json).map_err(|error| error.to_string())
    }

    fn one<T: LenientNumber>(json: &str) -> Result<T, String> {
        number(&mut serde_json::Deserializer::from_str(json))
            .map_err(|error: serde_json::Error| error.to_string())
    }

    #[test]
    fn integers_from_every_wire_form() {
        for json in [
            "1000",
            "\"1000\"",
            "1000.0",
            "\" 1000 \"",
            "\"1000.0\"",
            "\"1e3\"",
        ] {
            assert_eq!(one::<i64>(json), Ok(1000), "{json}");
            assert_eq!(one::<u32>(json), Ok(1000), "{json}");
        }
        assert_eq!(one::<i32>("-21"), Ok(-21));
        assert_eq!(
            one::<i64>("\"9007199254740993\""),
            Ok(9_007_199_254_740_993),
            "exact beyond 2^53"
        );
        assert_eq!(one::<u64>("18446744073709551615"), Ok(u64::MAX));
    }

    #[test]
    fn floats_from_every_wire_form() {
        for (json, expected) in [
            ("21", 21.0),
            ("21.5", 21.5),
            ("\"21\"", 21.0),
            ("\"21.0\"", 21.0),
            ("-9", -9.0),
        ] {
            assert_eq!(one::<f64>(json), Ok(expected), "{json}");
            assert_eq!(one::<f32>(json), Ok(expected as f32), "{json}");
        }
    }

    #[test]
    fn rejections_say_what_came() {
        assert!(
            one::<i64>("\"abc\"")
                .unwrap_err()
                .starts_with("expected an integer or a numeric string, found \"abc\"")
        );
        assert!(
            one::<i64>("21.5")
                .unwrap_err()
                .starts_with("expected an integer or a numeric string, found 21.5")
        );
        assert!(
            one::<u32>("-1")
                .unwrap_err()
                .contains("out of range for u32")
        );
        assert!(
            one::<i32>("3000000000")
                .unwrap_err()
                .contains("out of range for i32")
        );
        assert!(one::<i32>("1e30").unwrap_err().contains("out of range"));
        assert!(
            one::<u64>("18446744073709551616.0")
                .unwrap_err()
                .contains("out of range")
        );
        assert!(one::<i64>("true").unwrap_err().contains("found true"));
        assert!(one::<i64>("null").unwrap_err().contains("found null"));
        assert!(one::<i64>("[1]").unwrap_err().contains("found an array"));
        assert!(one::<i64>("{}").unwrap_err().contains("found an object"));
        assert!(one::<i64>("\"\"").is_err());
        for text in ["\"NaN\"", "\"inf\"", "\"-infinity\""] {
            assert!(one::<f64>(text).is_err(), "{text}");
        }
        assert!(one::<f32>("1e300").is_err(), "overflows f32");
        assert!(
            one::<f64>("\"abc\"")
                .unwrap_err()
                .starts_with("expected a number or a numeric string")
        );
    }

    #[test]
    fn optional_fields() {
        let all: Amounts = decode(r#"{"int":"5","optional":"7","vat":"21.0"}"#).expect("decodes");
        assert_eq!((all.int, all.optional, all.vat), (5, Some(7), Some(21.0)));
        let missing: Amounts = decode(r#"{"int":5,"optional":null}"#).expect("decodes");
        assert_eq!((missing.optional, missing.vat), (None, None));
        let bad = decode::<Amounts>(r#"{"int":5,"optional":"x"}"#).unwrap_err();
        assert!(
            bad.contains("expected an integer or a numeric string, found \"x\""),
            "{bad}"
        );
    }
}
