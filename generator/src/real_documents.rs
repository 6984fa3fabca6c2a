//! Test support: the real documents at hand (PayPro's, the construct specs and the shared corpus, and the broken specs apart), for the tests that hold a fast reading to its reference on every one of them.

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

/// PayPro's document, the construct specs and every corpus document (3.0, then 3.1), in that
/// order: documents that load.
pub fn real_documents() -> Vec<PathBuf> {
    let root = root();
    let corpus = root.join("../shared/openapi-corpus");
    let mut paths = vec![root.join("spec/api.yaml")];
    for folder in [
        root.join("generator/tests/constructs"),
        corpus.clone(),
        corpus.join("v3_1"),
    ] {
        paths.extend(documents_in(&folder));
    }
    paths
}

/// The construct specs that are broken on purpose (some do not even load).
pub fn broken_documents() -> Vec<PathBuf> {
    documents_in(&root().join("generator/tests/broken"))
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Calls `visit` with the name and the value, as loaded, of each real document, and of each
/// broken one that loads.
pub fn each_loaded(mut visit: impl FnMut(&str, Value)) -> Result<(), String> {
    for path in real_documents().into_iter().chain(broken_documents()) {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{name}: {e}"))?;
        if let Ok(document) = crate::load::load_document(&text, &name) {
            visit(&name, document);
        }
    }
    Ok(())
}

/// [`each_loaded`], each value normalized first.
pub fn each_normalized(mut visit: impl FnMut(&str, Value)) -> Result<(), String> {
    each_loaded(|name, mut document| {
        crate::normalize::normalize(&mut document);
        visit(name, document);
    })
}

/// A document's component schemas, taken out of it (none when it has no such mapping).
pub fn component_schemas(mut document: Value) -> serde_json::Map<String, Value> {
    match document.pointer_mut("/components/schemas").map(Value::take) {
        Some(Value::Object(schemas)) => schemas,
        _ => serde_json::Map::new(),
    }
}
