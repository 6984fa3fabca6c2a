//! Instances from an independent generator: json-schema-faker (npm), installed into the scratch folder on first use and driven by `scripts/fake-instances.mjs`.

use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// The version used; pinned, so the instances (seeded) are the same from run to run.
const FAKER: &str = "json-schema-faker@0.6.3";
/// The seed every run starts from.
const SEED: u64 = 20_240_601;

/// What the generator made: instances per pointer, and the pointers it could not fake.
#[derive(Debug, Default)]
pub struct Faked {
    pub instances: BTreeMap<String, Vec<Value>>,
    pub errors: BTreeMap<String, String>,
}

/// Installs json-schema-faker under `scratch/node` unless it is already there.
pub fn ensure_installed(scratch: &Path) -> Result<std::path::PathBuf, String> {
    let prefix = scratch.join("node");
    let modules = prefix.join("node_modules");
    if modules.join("json-schema-faker/package.json").is_file() {
        return Ok(modules);
    }
    std::fs::create_dir_all(&prefix)
        .map_err(|error| format!("cannot create {}: {error}", prefix.display()))?;
    eprintln!("installing {FAKER} into {}", prefix.display());
    let status = Command::new("npm")
        .args(["install", "--silent", "--no-audit", "--no-fund", "--prefix"])
        .arg(&prefix)
        .arg(FAKER)
        .status()
        .map_err(|error| format!("cannot run npm (is Node.js installed?): {error}"))?;
    if !status.success() {
        return Err(format!("`npm install {FAKER}` failed ({status})"));
    }
    Ok(modules)
}

/// Runs the faker over `pointers` of the translated document.
pub fn fake(
    root: &Path,
    scratch: &Path,
    translated: &Value,
    pointers: &[String],
) -> Result<Faked, String> {
    if pointers.is_empty() {
        return Ok(Faked::default());
    }
    let modules = ensure_installed(scratch.parent().unwrap_or(scratch))?;
    let input_path = scratch.join("faker-input.json");
    let output_path = scratch.join("faker-output.json");
    let input = json!({"document": translated, "pointers": pointers, "seed": SEED});
    write_json(&input_path, &input)?;
    let status = Command::new("node")
        .arg(root.join("scripts/fake-instances.mjs"))
        .arg(&modules)
        .arg(&input_path)
        .arg(&output_path)
        .status()
        .map_err(|error| format!("cannot run node: {error}"))?;
    if !status.success() {
        return Err(format!("scripts/fake-instances.mjs failed ({status})"));
    }
    let text = std::fs::read_to_string(&output_path)
        .map_err(|error| format!("cannot read {}: {error}", output_path.display()))?;
    let output: Value = serde_json::from_str(&text)
        .map_err(|error| format!("{} is not JSON: {error}", output_path.display()))?;
    let mut faked = Faked::default();
    if let Some(Value::Object(instances)) = output.get("instances") {
        for (pointer, values) in instances {
            if let Value::Array(values) = values {
                faked.instances.insert(pointer.clone(), values.clone());
            }
        }
    }
    if let Some(Value::Object(errors)) = output.get("errors") {
        for (pointer, message) in errors {
            let message = message.as_str().unwrap_or("unknown error").to_owned();
            faked.errors.insert(pointer.clone(), message);
        }
    }
    Ok(faked)
}

pub fn write_json(path: &Path, value: &Value) -> Result<(), String> {
    let text = serde_json::to_string(value)
        .map_err(|error| format!("cannot serialize {}: {error}", path.display()))?;
    std::fs::write(path, text).map_err(|error| format!("cannot write {}: {error}", path.display()))
}
