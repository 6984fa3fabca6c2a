//! The conformance harness `cargo xtask conformance` builds beside each generated crate: every case of `cases.json` is decoded through its generated type from JSON text, encoded back and compared (see `equivalent.rs`); one JSON line per case on stdout.

mod dispatch;
mod equivalent;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: conformance-harness CASES.json");
        return ExitCode::FAILURE;
    };
    let cases: Vec<Value> = match std::fs::read_to_string(&path)
        .map_err(|error| error.to_string())
        .and_then(|text| serde_json::from_str(&text).map_err(|error| error.to_string()))
    {
        Ok(cases) => cases,
        Err(error) => {
            eprintln!("cannot read {path}: {error}");
            return ExitCode::FAILURE;
        }
    };
    for (index, case) in cases.iter().enumerate() {
        let kind = case["type"].as_u64().unwrap_or(u64::MAX) as usize;
        let text = case["json"].as_str().unwrap_or("");
        // A panicking Deserialize impl is a generator bug to report, not a reason to stop.
        let outcome = std::panic::catch_unwind(|| dispatch::check(kind, text))
            .unwrap_or_else(|_| Err("panicked while decoding or encoding".to_owned()));
        println!("{}", json!({"index": index, "error": outcome.err()}));
    }
    ExitCode::SUCCESS
}

/// Decodes `text` as `T` (naming the path of a failure), encodes it back and compares.
pub fn round_trip<T: DeserializeOwned + Serialize>(text: &str) -> Result<(), String> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let decoded: T = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|error| format!("does not decode at `{}`: {}", error.path(), error.inner()))?;
    let encoded =
        serde_json::to_value(&decoded).map_err(|error| format!("does not encode: {error}"))?;
    let original: Value =
        serde_json::from_str(text).map_err(|error| format!("instance is not JSON: {error}"))?;
    equivalent::equivalent(&original, &encoded, "").map_err(|difference| {
        format!("round trip differs: {difference}; encoded as {encoded}")
    })
}
