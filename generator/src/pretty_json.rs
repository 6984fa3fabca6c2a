//! A JSON value printed exactly as `serde_json::to_string_pretty` prints it (two-space indent, `": "`, `{}` and `[]` when empty), a run of plain text at a time.
//!
//! The crate's `openapi.json` is the whole document printed so, on the critical path of every
//! run; serde_json looks at each byte of each string in turn, and three quarters of a big
//! document's text is strings. Here eight bytes are checked at once for the few that need an
//! escape. `tests` hold the output equal to serde_json's on every real document and on random
//! values.

use serde_json::{Map, Value};

/// `{"x-generated": header, …members of document but its own "x-generated"}`, pretty.
pub fn with_header(header: &str, document: &Value) -> String {
    let mut out = Vec::with_capacity(1 << 16);
    out.extend_from_slice(b"{\n  ");
    string(&mut out, "x-generated");
    out.extend_from_slice(b": ");
    string(&mut out, header);
    if let Value::Object(members) = document {
        for (key, value) in members.iter().filter(|(key, _)| *key != "x-generated") {
            out.extend_from_slice(b",\n  ");
            string(&mut out, key);
            out.extend_from_slice(b": ");
            value_at(&mut out, value, 1);
        }
    }
    out.extend_from_slice(b"\n}");
    into_string(out)
}

/// `value` alone, pretty.
#[cfg(test)]
fn to_string(value: &Value) -> String {
    let mut out = Vec::new();
    value_at(&mut out, value, 0);
    into_string(out)
}

fn into_string(out: Vec<u8>) -> String {
    // Everything written is UTF-8: the value's own strings, whole, and ASCII around them.
    String::from_utf8(out).unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into())
}

/// `value`, whose first line is already indented `depth` levels.
fn value_at(out: &mut Vec<u8>, value: &Value, depth: usize) {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        // Numbers are few; serde_json writes them, so they are its digits exactly.
        Value::Number(number) => {
            let _ = serde_json::to_writer(&mut *out, number);
        }
        Value::String(text) => string(out, text),
        Value::Array(items) => {
            if items.is_empty() {
                out.extend_from_slice(b"[]");
                return;
            }
            out.push(b'[');
            for (index, item) in items.iter().enumerate() {
                out.extend_from_slice(if index == 0 { b"\n" } else { b",\n" });
                indent(out, depth + 1);
                value_at(out, item, depth + 1);
            }
            out.push(b'\n');
            indent(out, depth);
            out.push(b']');
        }
        Value::Object(members) => object(out, members, depth),
    }
}

fn object(out: &mut Vec<u8>, members: &Map<String, Value>, depth: usize) {
    if members.is_empty() {
        out.extend_from_slice(b"{}");
        return;
    }
    out.push(b'{');
    for (index, (key, value)) in members.iter().enumerate() {
        out.extend_from_slice(if index == 0 { b"\n" } else { b",\n" });
        indent(out, depth + 1);
        string(out, key);
        out.extend_from_slice(b": ");
        value_at(out, value, depth + 1);
    }
    out.push(b'\n');
    indent(out, depth);
    out.push(b'}');
}

fn indent(out: &mut Vec<u8>, depth: usize) {
    const SPACES: &[u8; 64] = b"                                                                ";
    let mut count = depth * 2;
    while count > 0 {
        let run = count.min(SPACES.len());
        out.extend_from_slice(&SPACES[..run]);
        count -= run;
    }
}

/// A string in quotes, escaped as serde_json escapes it: `"`, `\` and the control characters
/// (the five with a short form by it, the rest as `\u00xx`); nothing else.
fn string(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut plain_from = 0;
    let mut at = 0;
    while at < bytes.len() {
        // Skip eight plain bytes at a time.
        if let Some(word) = bytes.get(at..at + 8) {
            let mut eight = [0u8; 8];
            eight.copy_from_slice(word);
            if !needs_escape_in(u64::from_le_bytes(eight)) {
                at += 8;
                continue;
            }
        }
        let byte = bytes[at];
        if let Some(escape) = escape_of(byte) {
            out.extend_from_slice(&bytes[plain_from..at]);
            match escape {
                Escape::Short(letter) => out.extend_from_slice(&[b'\\', letter]),
                Escape::Unicode => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    out.extend_from_slice(b"\\u00");
                    out.push(HEX[usize::from(byte >> 4)]);
                    out.push(HEX[usize::from(byte & 0xf)]);
                }
            }
            plain_from = at + 1;
        }
        at += 1;
    }
    out.extend_from_slice(&bytes[plain_from..]);
    out.push(b'"');
}

enum Escape {
    Short(u8),
    Unicode,
}

fn escape_of(byte: u8) -> Option<Escape> {
    Some(match byte {
        b'"' => Escape::Short(b'"'),
        b'\\' => Escape::Short(b'\\'),
        0x08 => Escape::Short(b'b'),
        0x09 => Escape::Short(b't'),
        0x0a => Escape::Short(b'n'),
        0x0c => Escape::Short(b'f'),
        0x0d => Escape::Short(b'r'),
        0x00..=0x1f => Escape::Unicode,
        _ => return None,
    })
}

/// Whether any of the eight bytes in `word` is below 0x20, `"` or `\`. (The classic tests for a
/// zero byte and a byte below n; a false alarm only costs the byte-by-byte look that follows.)
fn needs_escape_in(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let below_space = word.wrapping_sub(ONES * 0x20) & !word;
    let quote = word ^ (ONES * u64::from(b'"'));
    let backslash = word ^ (ONES * u64::from(b'\\'));
    let zero_in = |x: u64| x.wrapping_sub(ONES) & !x;
    (below_space | zero_in(quote) | zero_in(backslash)) & HIGHS != 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_real_document_prints_as_serde_json_prints_it() {
        let mut compared = 0;
        crate::real_documents::each_normalized(|name, document| {
            assert!(
                to_string(&document) == serde_json::to_string_pretty(&document).unwrap_or_default(),
                "{name}"
            );
            compared += 1;
        })
        .unwrap_or_else(|error| panic!("{error}"));
        assert!(compared >= 20, "only {compared} documents");
    }

    #[test]
    fn the_header_comes_first_and_replaces_the_document_s_own() {
        let document = serde_json::json!({"openapi": "3.0.3", "x-generated": "old", "info": {}});
        assert_eq!(
            with_header("new", &document),
            "{\n  \"x-generated\": \"new\",\n  \"openapi\": \"3.0.3\",\n  \"info\": {}\n}"
        );
        assert_eq!(
            with_header("h", &serde_json::json!([1])),
            "{\n  \"x-generated\": \"h\"\n}"
        );
    }

    #[test]
    fn every_byte_is_escaped_as_serde_json_escapes_it() {
        for byte in 0u8..=0x7f {
            for at in 0..10 {
                let mut text = "abcdefghij".to_owned();
                text.insert(at, char::from(byte));
                let value = Value::String(text);
                assert_eq!(
                    to_string(&value),
                    serde_json::to_string_pretty(&value).unwrap_or_default()
                );
            }
        }
    }

    fn any_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            ".{0,24}".prop_map(Value::String),
            "[\\x00-\\x1f\"\\\\a-z\u{e9}\u{1F600}]{0,24}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::vec((".{0,8}", inner), 0..6)
                    .prop_map(|members| Value::Object(members.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn any_value_prints_as_serde_json_prints_it(value in any_value()) {
            prop_assert_eq!(to_string(&value), serde_json::to_string_pretty(&value).unwrap_or_default());
        }
    }
}
