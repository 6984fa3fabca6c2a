//! The scratch crate for one document: the generated crate in `client/`, a small binary beside it that decodes the cases (data, read at run time), built with a target folder shared by every document.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What the harness calls the generated crate (its dependency key), whatever its package name.
pub const CRATE_NAME: &str = "client";

/// The generated crate's package name for a document. Each document gets its own (and its
/// harness too): units of one name share a fingerprint in the shared target folder, and cargo
/// would take another document's build for fresh.
pub fn package_name(scratch_name: &str) -> String {
    format!("conformance_{}", scratch_name.replace('-', "_"))
}

const MAIN: &str = include_str!("../../harness/main.rs");
const EQUIVALENT: &str = include_str!("../../../templates/paypro/tests/support/equivalent.rs");

/// One instance to decode: the type it decodes into (an index into the type list) and its text.
pub struct Case {
    pub type_index: usize,
    pub json: String,
}

/// Writes the scratch crate (only files whose bytes changed, so cargo rebuilds only what
/// changed), builds it and runs it. Returns, per case, `None` for a pass or the failure.
pub fn run(
    root: &Path,
    scratch: &Path,
    scratch_name: &str,
    crate_files: &BTreeMap<String, String>,
    types: &[String],
    cases: &[Case],
) -> Result<Vec<Option<String>>, String> {
    crate::sync::sync(&scratch.join(CRATE_NAME), crate_files, false)
        .map_err(|error| format!("cannot write the generated crate: {error}"))?;
    write_if_changed(&scratch.join("Cargo.toml"), &manifest(scratch_name))?;
    write_if_changed(&scratch.join("src/main.rs"), MAIN)?;
    write_if_changed(&scratch.join("src/equivalent.rs"), EQUIVALENT)?;
    write_if_changed(&scratch.join("src/dispatch.rs"), &dispatch(types))?;
    let lock = scratch.join("Cargo.lock");
    if !lock.exists() {
        // The workspace's lock file, so the scratch crate builds the versions CI already has.
        std::fs::copy(root.join("Cargo.lock"), &lock)
            .map_err(|error| format!("cannot copy Cargo.lock: {error}"))?;
    }
    let cases_path = scratch.join("cases.json");
    let cases_json: Vec<Value> = cases
        .iter()
        .map(|case| serde_json::json!({"type": case.type_index, "json": case.json}))
        .collect();
    super::faker::write_json(&cases_path, &Value::Array(cases_json))?;

    let target_dir = crate::scratch_target_dir();
    let build = Command::new(cargo())
        .args([
            "build",
            "--quiet",
            "--message-format=json-render-diagnostics",
            "--manifest-path",
        ])
        .arg(scratch.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target_dir)
        .output()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    if !build.status.success() {
        let stderr = String::from_utf8_lossy(&build.stderr);
        let errors: Vec<&str> = stderr
            .lines()
            .filter(|line| line.starts_with("error"))
            .take(8)
            .collect();
        return Err(format!(
            "the generated crate (with its harness) does not compile; first errors:\n  {}",
            errors.join("\n  ")
        ));
    }
    // The executable cargo names for this scratch crate: `debug/conformance-harness` is shared by
    // every document's harness and may hold another document's build.
    let binary = String::from_utf8_lossy(&build.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|message| message["reason"] == "compiler-artifact")
        .filter_map(|message| message["executable"].as_str().map(PathBuf::from))
        .next_back()
        .ok_or("cargo built no harness executable")?;
    let output = Command::new(&binary)
        .arg(&cases_path)
        .output()
        .map_err(|error| format!("cannot run {}: {error}", binary.display()))?;
    if !output.status.success() {
        return Err(format!(
            "the harness failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let mut results = vec![Some("no result from the harness".to_owned()); cases.len()];
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(result) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        let Some(index) = result["index"].as_u64().map(|i| i as usize) else {
            continue;
        };
        if let Some(slot) = results.get_mut(index) {
            *slot = result["error"].as_str().map(str::to_owned);
        }
    }
    Ok(results)
}

fn manifest(scratch_name: &str) -> String {
    let package = package_name(scratch_name);
    format!(
        r#"# Written by `cargo xtask conformance`; scratch, not part of the repository.
[package]
name = "{package}_harness"
version = "0.0.0"
edition = "2024"
publish = false

[workspace]

[dependencies]
{CRATE_NAME} = {{ path = "{CRATE_NAME}", package = "{package}" }}
chrono = {{ version = "0.4", default-features = false, features = ["std"] }}
serde = "1"
serde_json = "1"
serde_path_to_error = "0.1"
"#
    )
}

/// The one piece of code that depends on the document: a `match` from type index to type.
fn dispatch(types: &[String]) -> String {
    let mut out = String::from(
        "//! Written by `cargo xtask conformance`: the generated type for each type index.\n\n\
         pub fn check(kind: usize, text: &str) -> Result<(), String> {\n    match kind {\n",
    );
    for (index, ty) in types.iter().enumerate() {
        out.push_str(&format!(
            "        {index} => crate::round_trip::<{ty}>(text),\n"
        ));
    }
    out.push_str("        _ => Err(format!(\"no type number {kind}\")),\n    }\n}\n");
    out
}

fn write_if_changed(path: &Path, contents: &str) -> Result<(), String> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == contents) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|error| format!("cannot create {}: {error}", parent.display()))?;
    }
    std::fs::write(path, contents)
        .map_err(|error| format!("cannot write {}: {error}", path.display()))
}

/// The cargo that runs this command, so the scratch crate builds with the same toolchain.
fn cargo() -> PathBuf {
    std::env::var_os("CARGO")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("cargo"))
}
