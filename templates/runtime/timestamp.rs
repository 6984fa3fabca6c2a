//! Decoding of `date-time` members: the shape APIs send almost always (`2023-12-11T15:31:14Z`, with optional fractional seconds and a `±HH:MM` offset) is read directly, anything else goes to chrono's own parser, so every accepted value and every error is chrono's.
//!
//! Generated models use it as `#[serde(deserialize_with = "crate::timestamp::required")]` and
//! `#[serde(default, deserialize_with = "crate::timestamp::optional")]`. chrono's general
//! RFC 3339 parser costs about a thousand instructions per value, more than the rest of a typical
//! object's members together; the direct path costs a tenth of that.

// Every crate gets this file; an API without timestamps leaves it unused.
#![allow(dead_code)]

use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use serde::de::{self, Deserializer, Visitor};

/// Decodes an RFC 3339 timestamp string into UTC, exactly as chrono's `Deserialize` does.
pub fn required<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime<Utc>, D::Error> {
    deserializer.deserialize_str(TimestampVisitor)
}

/// [`required`] for an optional member: `null` becomes `None`. Pair it with `#[serde(default)]`
/// so an absent member is `None` too.
pub fn optional<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<DateTime<Utc>>, D::Error> {
    deserializer.deserialize_option(OptionalTimestampVisitor)
}

/// Parses `text` as chrono's `DateTime<FixedOffset>` parser would, converted to UTC.
pub fn parse(text: &str) -> Result<DateTime<Utc>, chrono::ParseError> {
    match parse_common(text.as_bytes()) {
        Some(value) => Ok(value),
        None => text
            .parse::<DateTime<FixedOffset>>()
            .map(|value| value.with_timezone(&Utc)),
    }
}

struct TimestampVisitor;

impl Visitor<'_> for TimestampVisitor {
    type Value = DateTime<Utc>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        // chrono's wording, so a wrong type reads the same as before this module existed.
        formatter.write_str("an RFC 3339 formatted date and time string")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        parse(value).map_err(E::custom)
    }
}

struct OptionalTimestampVisitor;

impl<'de> Visitor<'de> for OptionalTimestampVisitor {
    type Value = Option<DateTime<Utc>>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("option")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        required(deserializer).map(Some)
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.F{1,9}](Z|±HH:MM)` with an upper-case `T` and `Z`, a second below 60
/// and an offset below a day: the values chrono reads to the same instant. `None` for anything
/// else (lower case, a space, leap seconds, more than nine fractional digits, an invalid date),
/// which chrono then accepts or refuses with its own error.
fn parse_common(text: &[u8]) -> Option<DateTime<Utc>> {
    if text.len() < 20
        || text[4] != b'-'
        || text[7] != b'-'
        || text[10] != b'T'
        || text[13] != b':'
        || text[16] != b':'
    {
        return None;
    }
    let year = digits(&text[0..4])?;
    let month = digits(&text[5..7])?;
    let day = digits(&text[8..10])?;
    let hour = digits(&text[11..13])?;
    let minute = digits(&text[14..16])?;
    let second = digits(&text[17..19])?;
    if second > 59 {
        return None;
    }
    let mut rest = &text[19..];
    let mut nanosecond = 0;
    if let [b'.', fraction @ ..] = rest {
        let count = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
        if count == 0 || count > 9 {
            return None;
        }
        nanosecond = digits(&fraction[..count])? * 10u32.pow(9 - count as u32);
        rest = &fraction[count..];
    }
    let offset_seconds = match rest {
        [b'Z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let hours = digits(&[*h1, *h2])?;
            let minutes = digits(&[*m1, *m2])?;
            if hours > 23 || minutes > 59 {
                return None;
            }
            let seconds = (hours * 3600 + minutes * 60) as i32;
            if *sign == b'-' { -seconds } else { seconds }
        }
        _ => return None,
    };
    let date = NaiveDate::from_ymd_opt(year as i32, month, day)?;
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanosecond)?;
    let local = NaiveDateTime::new(date, time);
    if offset_seconds == 0 {
        return Some(local.and_utc());
    }
    // As chrono does: the instant is the local time minus the offset, refused when that leaves
    // the representable range.
    let offset = FixedOffset::east_opt(offset_seconds)?;
    Some(local.checked_sub_offset(offset)?.and_utc())
}

/// The value of a run of ASCII digits (at most nine, so it fits).
fn digits(text: &[u8]) -> Option<u32> {
    text.iter().try_fold(0u32, |value, byte| {
        byte.is_ascii_digit()
            .then(|| value * 10 + u32::from(byte - b'0'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chrono_parse(text: &str) -> Result<DateTime<Utc>, String> {
        text.parse::<DateTime<FixedOffset>>()
            .map(|value| value.with_timezone(&Utc))
            .map_err(|error| error.to_string())
    }

    fn ours(text: &str) -> Result<DateTime<Utc>, String> {
        parse(text).map_err(|error| error.to_string())
    }

    #[test]
    fn the_direct_path_reads_the_common_shapes() {
        for text in [
            "2023-12-11T15:31:14Z",
            "2023-12-11T15:31:14.5Z",
            "2023-12-11T15:31:14.123456789Z",
            "2023-12-11T15:31:14+01:00",
            "2023-12-11T00:10:00.250-05:30",
            "2024-02-29T23:59:59Z",
        ] {
            assert!(parse_common(text.as_bytes()).is_some(), "{text}");
            assert_eq!(ours(text), chrono_parse(text), "{text}");
        }
    }

    #[test]
    fn other_shapes_and_errors_are_chronos() {
        for text in [
            "2023-12-11 15:31:14Z",
            "2023-12-11t15:31:14z",
            "2023-12-11T15:31:14+0100",
            "2016-12-31T23:59:60Z",
            "2023-12-11T15:31:14.1234567891Z",
            "2023-02-29T15:31:14Z",
            "2023-12-11T24:00:00Z",
            "2023-12-11T15:31:14",
            "2023-12-11T15:31:14.Z",
            "2023-12-11T15:31:14Z ",
            "2023-1-11T15:31:14Z",
            "",
            "not a time",
            "2023-12-11T15:31:14+24:00",
        ] {
            assert_eq!(ours(text), chrono_parse(text), "{text:?}");
        }
    }

    /// Every position of the common shape varied over digits and near-misses, against chrono:
    /// the direct path must never accept what chrono refuses or read a different instant.
    #[test]
    fn agrees_with_chrono_on_varied_input() {
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move |bound: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % bound
        };
        // Each position lists the values the direct path takes first, then near-misses; a
        // near-miss is picked one time in eight, so both paths get a large share of the input.
        let pieces: [(usize, &[&str]); 8] = [
            (8, &["0000", "1970", "2023", "9999", "2024", "1900", "2000", "0001"]),
            (6, &["-00-", "-01-", "-02-", "-12-", "-06-", "-13-", "-1a-"]),
            (6, &["00", "01", "28", "29", "30", "31", "32"]),
            (3, &["T00", "T12", "T23", "T24", "t10", " 10"]),
            (3, &[":00:", ":59:", ":30:", ":60:"]),
            (2, &["00", "59", "60", "61", "5"]),
            (4, &["", ".0", ".5", ".123456789", ".1234567890", ".", ".12a"]),
            (6, &["Z", "+00:00", "-00:00", "+23:59", "-12:30", "+05:45", "z", "+24:00", "+01:60", "+0100", ""]),
        ];
        let mut direct = 0;
        for _ in 0..20_000 {
            let text: String = pieces
                .iter()
                .map(|(usual, choices)| {
                    if next(8) == 0 {
                        choices[next(choices.len() as u64) as usize]
                    } else {
                        choices[next(*usual as u64) as usize]
                    }
                })
                .collect();
            direct += usize::from(parse_common(text.as_bytes()).is_some());
            assert_eq!(ours(&text), chrono_parse(&text), "{text:?}");
        }
        // The comparison means something only if the direct path took part of the input.
        assert!(direct > 5_000, "the direct path read only {direct} of 20,000");
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Times {
        #[serde(deserialize_with = "required")]
        at: DateTime<Utc>,
        #[serde(default, deserialize_with = "optional")]
        maybe: Option<DateTime<Utc>>,
    }

    #[test]
    fn decodes_like_chronos_deserialize() {
        let ours: Times =
            serde_json::from_str(r#"{"at":"2023-12-11T15:31:14+01:00","maybe":null}"#).unwrap();
        assert_eq!(ours.at.to_rfc3339(), "2023-12-11T14:31:14+00:00");
        assert_eq!(ours.maybe, None);
        let absent: Times = serde_json::from_str(r#"{"at":"2023-12-11T15:31:14Z"}"#).unwrap();
        assert_eq!(absent.maybe, None);
        let given: Times = serde_json::from_str(
            r#"{"at":"2023-12-11T15:31:14Z","maybe":"2023-12-11T15:31:14.5Z"}"#,
        )
        .unwrap();
        assert_eq!(given.maybe.map(|t| t.timestamp_subsec_millis()), Some(500));

        let wrong_type = serde_json::from_str::<Times>(r#"{"at":5}"#).unwrap_err();
        let chronos = serde_json::from_str::<DateTime<Utc>>("5").unwrap_err();
        assert_eq!(
            wrong_type.to_string().split(" at ").next(),
            chronos.to_string().split(" at ").next()
        );
        let bad = serde_json::from_str::<Times>(r#"{"at":"2023-02-30T00:00:00Z"}"#).unwrap_err();
        let chronos = serde_json::from_str::<DateTime<Utc>>(r#""2023-02-30T00:00:00Z""#)
            .unwrap_err();
        assert_eq!(
            bad.to_string().split(" at ").next(),
            chronos.to_string().split(" at ").next()
        );
    }
}
