//! `cargo xtask conformance`: proves that the generated types accept what a document describes, by decoding every instance the document gives (and instances json-schema-faker makes for schemas without one) through them and encoding each back.
//!
//! Each instance is first judged against its schema by the `jsonschema` crate (3.0's dialect
//! translated, see [`document::Translated`]); only schema-valid ones are decoded, invalid
//! examples are listed. The generated crate is built once per document in
//! `target/conformance/NAME/`, with the cases as a data file.

mod document;
mod faker;
mod harness;
mod instances;
mod validate;

use generator::{Config, Input};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// What to check.
pub struct Request {
    pub spec: PathBuf,
    pub overlay: Option<PathBuf>,
}

/// The outcome for one document, ready to print.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Schema-valid instances that decoded and round-tripped.
    pub passed: usize,
    /// Schema-valid instances.
    pub valid: usize,
    /// Examples the document gives that its own schema rejects.
    pub invalid_examples: Vec<String>,
    /// Generated instances the validator rejected (a limit of the faker, not of the document).
    pub invalid_faked: Vec<String>,
    /// Schemas nothing could be checked against (the validator cannot compile them, the
    /// faker failed on them).
    pub unchecked: Vec<String>,
    pub failures: Vec<String>,
    /// Schema-valid instances by origin: the document's examples, the faker's.
    pub valid_examples: usize,
    pub valid_faked: usize,
    pub seconds: f64,
}

impl Outcome {
    /// The last line, exactly as the issue asks for it.
    pub fn summary(&self) -> String {
        format!(
            "conformance: {}/{} schema-valid instances decode and round-trip ({} invalid examples skipped)",
            self.passed,
            self.valid,
            self.invalid_examples.len()
        )
    }

    pub fn is_pass(&self) -> bool {
        self.passed == self.valid
    }

    /// Everything above the last line: failures first (what to fix), then what was skipped.
    pub fn describe(&self) -> String {
        let mut out = String::new();
        let mut section = |title: &str, lines: &[String]| {
            if lines.is_empty() {
                return;
            }
            out.push_str(&format!("{title} ({}):\n", lines.len()));
            for line in lines {
                out.push_str(&format!("  {line}\n"));
            }
        };
        section("decode or round-trip failures", &self.failures);
        section(
            "invalid examples (the document's schema rejects them; not decoded)",
            &self.invalid_examples,
        );
        section(
            "generated instances the schema rejects (not decoded)",
            &self.invalid_faked,
        );
        section("schemas not checked", &self.unchecked);
        out.push_str(&format!(
            "schema-valid instances: {} examples from the document, {} from json-schema-faker\n",
            self.valid_examples, self.valid_faked
        ));
        out.push_str(&format!("time: {:.1} s\n", self.seconds));
        out
    }
}

/// An instance on its way to the harness.
struct Candidate {
    /// The model's schema site it belongs to, and where its schema really is.
    site: String,
    schema: String,
    rust_type: String,
    /// Where it came from: an example's pointer, or `faker` + the schema's pointer.
    source: String,
    is_example: bool,
    value: Value,
}

/// Runs the whole check for one document.
pub fn run(root: &Path, request: &Request) -> Result<Outcome, String> {
    let started = Instant::now();
    let spec_text = read(&request.spec)?;
    let overlay_text = request.overlay.as_deref().map(read).transpose()?;
    let spec_name = request.spec.display().to_string();
    let overlay_name = request
        .overlay
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let spec = Input {
        text: &spec_text,
        name: &spec_name,
    };
    let overlay = overlay_text.as_deref().map(|text| Input {
        text,
        name: &overlay_name,
    });
    let name = scratch_name(&request.spec);
    let config = Config::new(harness::package_name(&name), spec_name.clone());
    let generated = generator::generate(spec, overlay, &config)
        .map_err(|problems| format!("generation failed:\n{problems}"))?;
    let (model, _) = generator::model(spec, overlay)
        .map_err(|problems| format!("generation failed:\n{problems}"))?;
    let targets = generator::conformance::targets(&model, harness::CRATE_NAME);
    drop(model);

    let mut effective: Value = generated
        .files
        .get("openapi.json")
        .ok_or("the generator wrote no openapi.json")
        .and_then(|text| {
            serde_json::from_str(text).map_err(|_| "the generated openapi.json is not JSON")
        })?;
    if let Value::Object(members) = &mut effective {
        members.remove("x-generated");
    }
    let openapi_3_0 = effective["openapi"]
        .as_str()
        .is_some_and(|v| v.starts_with("3.0"));
    let translated = document::Translated::new(&effective, openapi_3_0);

    let scratch = root
        .join("target/conformance")
        .join(scratch_name(&request.spec));
    std::fs::create_dir_all(&scratch)
        .map_err(|error| format!("cannot create {}: {error}", scratch.display()))?;
    let mut candidates = collect_examples(&effective, &targets);
    let mut outcome = Outcome::default();
    let to_fake = sites_to_fake(&effective, &targets, &candidates);
    let schemas: Vec<String> = to_fake.keys().map(|p| translated.pointer(p)).collect();
    let faked = faker::fake(root, &scratch, &translated.document, &schemas)?;
    for (schema, message) in &faked.errors {
        outcome
            .unchecked
            .push(format!("{schema}: json-schema-faker failed: {message}"));
    }
    for (schema, (site, rust_type)) in &to_fake {
        for (index, value) in faked
            .instances
            .get(schema)
            .into_iter()
            .flatten()
            .enumerate()
        {
            candidates.push(Candidate {
                site: site.clone(),
                schema: schema.clone(),
                rust_type: rust_type.clone(),
                source: format!("faker #{index} for {schema}"),
                is_example: false,
                value: value.clone(),
            });
        }
    }
    drop(effective);

    let mut validator = validate::Schemas::new(&translated.document)?;
    let mut valid = Vec::new();
    let mut broken_schemas = BTreeSet::new();
    for candidate in candidates {
        match validator.check(&translated.pointer(&candidate.schema), &candidate.value) {
            Ok(None) => {
                if candidate.is_example {
                    outcome.valid_examples += 1;
                } else {
                    outcome.valid_faked += 1;
                }
                valid.push(candidate)
            }
            Ok(Some(why)) if candidate.is_example => outcome
                .invalid_examples
                .push(format!("{}: {why}", candidate.source)),
            Ok(Some(why)) => outcome
                .invalid_faked
                .push(format!("{}: {why}", candidate.source)),
            Err(why) => {
                if broken_schemas.insert(candidate.schema.clone()) {
                    outcome
                        .unchecked
                        .push(format!("{}: {why}", candidate.schema));
                }
            }
        }
    }

    let mut types: Vec<String> = Vec::new();
    let mut type_index: BTreeMap<String, usize> = BTreeMap::new();
    let mut cases = Vec::new();
    for candidate in &valid {
        let index = *type_index
            .entry(candidate.rust_type.clone())
            .or_insert_with(|| {
                types.push(candidate.rust_type.clone());
                types.len() - 1
            });
        let json = serde_json::to_string(&candidate.value)
            .map_err(|error| format!("cannot serialize an instance: {error}"))?;
        cases.push(harness::Case {
            type_index: index,
            json,
        });
    }
    let results = harness::run(root, &scratch, &name, &generated.files, &types, &cases)?;
    outcome.valid = valid.len();
    for (candidate, result) in valid.iter().zip(&results) {
        match result {
            None => outcome.passed += 1,
            Some(error) => outcome.failures.push(format!(
                "{} (schema {}) as {}: {error}",
                candidate.source, candidate.site, candidate.rust_type
            )),
        }
    }
    outcome.seconds = started.elapsed().as_secs_f64();
    Ok(outcome)
}

/// Every example the document gives for each site, once per (place it is written, type).
fn collect_examples(
    document: &Value,
    targets: &[generator::conformance::Target],
) -> Vec<Candidate> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for target in targets {
        let Some((_, schema)) = document::resolve(document, &target.pointer) else {
            continue;
        };
        for example in instances::examples_of(document, &target.pointer) {
            if !seen.insert((example.location.clone(), target.rust_type.clone())) {
                continue;
            }
            out.push(Candidate {
                site: target.pointer.clone(),
                schema: schema.clone(),
                rust_type: target.rust_type.clone(),
                source: example.location,
                is_example: true,
                value: example.value,
            });
        }
    }
    out
}

/// Root sites (components, bodies, responses, parameters) that no example covers, by the
/// canonical pointer of their schema, with the site and type to decode as.
fn sites_to_fake(
    document: &Value,
    targets: &[generator::conformance::Target],
    examples: &[Candidate],
) -> BTreeMap<String, (String, String)> {
    let covered: BTreeSet<&str> = examples.iter().map(|c| c.schema.as_str()).collect();
    let mut out = BTreeMap::new();
    for target in targets {
        if !instances::is_root_site(&target.pointer) {
            continue;
        }
        let Some((_, schema)) = document::resolve(document, &target.pointer) else {
            continue;
        };
        if covered.contains(schema.as_str()) {
            continue;
        }
        out.entry(schema)
            .or_insert_with(|| (target.pointer.clone(), target.rust_type.clone()));
    }
    out
}

/// `target/conformance/NAME`: the document's file name without its extension.
fn scratch_name(spec: &Path) -> String {
    let stem = spec
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "document".to_owned());
    stem.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path)
        .map_err(|error| format!("cannot read {}: {error}", path.display()))
}
