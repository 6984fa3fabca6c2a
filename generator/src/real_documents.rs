//! Test support: the real documents at hand (PayPro's, the construct specs, the broken specs and the shared corpus), for the tests that hold a fast reading to its reference on every one of them.

use serde_json::Value;
use std::path::{Path, PathBuf};

/// The documents (`.yaml`, `.yml`, `.json`) in `folder`, sorted; none when it cannot be read.
pub fn documents_in(folder: &Path) -> Vec<PathBuf> {
    let mut found: Vec<_> = std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            matches!(extension, "yaml" | "yml" | "json")
        })
        .collect();
    found.sort();
    found
}

/// PayPro's document, the construct specs, the broken specs and every corpus document (3.0,
/// then 3.1), in that order.
pub fn real_documents() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let corpus = root.join("../shared/openapi-corpus");
    let mut paths = vec![root.join("spec/api.yaml")];
    for folder in [
        root.join("generator/tests/constructs"),
        root.join("generator/tests/broken"),
        corpus.clone(),
        corpus.join("v3_1"),
    ] {
        paths.extend(documents_in(&folder));
    }
    paths
}

/// Calls `visit` with the name and the normalized value of each real document that loads.
pub fn each_normalized(mut visit: impl FnMut(&str, Value)) -> Result<(), String> {
    for path in real_documents() {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{name}: {e}"))?;
        let Ok(mut document) = crate::load::load_document(&text, &name) else {
            continue;
        };
        crate::normalize::normalize(&mut document);
        visit(&name, document);
    }
    Ok(())
}

/// A document's component schemas, copied (none when it has no such mapping).
pub fn component_schemas(document: &Value) -> serde_json::Map<String, Value> {
    document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}
