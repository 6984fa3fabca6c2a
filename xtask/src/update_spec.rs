//! `cargo xtask update-spec`: a new API document (URL or file) in; checked, compared with the current one, written to `spec/api.yaml` with a record of where it came from, and the crate regenerated; or, when anything is wrong with it, nothing written at all.

use crate::fetch::{FetchError, Limits, fetch};
use crate::review::{Assumption, StaleAction, assumptions, split_overlay};
use crate::sync::sync;
use generator::compare::{Level, Report, compare, next_version};
use generator::{Config, Diagnostics, Input};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Where PayPro publishes its document.
pub const DEFAULT_SOURCE: &str = "https://docs.paypro.nl/_spec/reference/api.yaml";

/// What to update from, and where.
#[derive(Debug, Clone)]
pub struct Options {
    /// The workspace root: `spec/` and `generated-client/` are under it.
    pub root: PathBuf,
    /// A URL or a file.
    pub from: String,
    /// Write the next version (by the report's verdict) into `spec/VERSION`.
    pub bump: bool,
    pub limits: Limits,
}

/// What an update did.
#[derive(Debug)]
pub struct Updated {
    pub report: Report,
    /// Overlay actions that match nothing in the new document; left out of this generation.
    pub stale_actions: Vec<StaleAction>,
    pub assumptions: Vec<Assumption>,
    /// `(old, new)` when `--bump` wrote a version.
    pub version: Option<(String, String)>,
    /// The record written beside the document.
    pub source_record: String,
    pub files_written: usize,
}

#[derive(Debug)]
pub enum UpdateError {
    Fetch(FetchError),
    NotOpenApi {
        source: String,
        why: String,
    },
    Spec {
        what: String,
        problems: Diagnostics,
    },
    Version(String),
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
}

impl std::fmt::Display for UpdateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UpdateError::Fetch(error) => write!(f, "{error}"),
            UpdateError::NotOpenApi { source, why } => {
                write!(f, "{source} is not an OpenAPI 3 document: {why}")
            }
            UpdateError::Spec { what, problems } => write!(f, "{what}:\n{problems}"),
            UpdateError::Version(why) => write!(f, "{why}"),
            UpdateError::Io { path, error } => {
                write!(f, "cannot write {}: {error}", path.display())
            }
        }
    }
}

fn read(path: &Path) -> Result<String, UpdateError> {
    std::fs::read_to_string(path).map_err(|error| UpdateError::Io {
        path: path.to_path_buf(),
        error,
    })
}

fn write(path: &Path, text: &str) -> Result<(), UpdateError> {
    // Written beside and renamed, so a failure midway never leaves half a file.
    let partial = path.with_extension("partial");
    std::fs::write(&partial, text)
        .and_then(|()| std::fs::rename(&partial, path))
        .map_err(|error| UpdateError::Io {
            path: path.to_path_buf(),
            error,
        })
}

/// Downloads (or reads), checks, compares and writes. Everything that can fail is done before
/// the first write: a document that is not OpenAPI, or that the generator refuses, changes
/// nothing.
pub fn update_spec(options: &Options) -> Result<Updated, UpdateError> {
    let spec_path = options.root.join("spec/api.yaml");
    let overlay_path = options.root.join("spec/overlay.yaml");
    let version_path = options.root.join("spec/VERSION");

    let text = fetch(&options.from, options.limits).map_err(UpdateError::Fetch)?;
    let new_document = openapi_document(&text, &options.from)?;

    let old_text = read(&spec_path)?;
    let overlay_text = overlay_path
        .exists()
        .then(|| read(&overlay_path))
        .transpose()?;
    let overlay_name = overlay_path.display().to_string();
    let old_input = Input {
        text: &old_text,
        name: "spec/api.yaml (current)",
    };
    let overlay_input = overlay_text.as_deref().map(|text| Input {
        text,
        name: &overlay_name,
    });
    let spec_error = |what: &str| {
        let what = what.to_owned();
        move |problems| UpdateError::Spec { what, problems }
    };
    let (old_model, _) = generator::model(old_input, overlay_input)
        .map_err(spec_error("the current spec/api.yaml does not generate"))?;

    // Corrections that match nothing any more are left out (and listed), so the rest apply.
    let (overlay_now, stale_actions) = match &overlay_text {
        Some(text) => {
            let overlay = generator::load::load_document(text, &overlay_name).map_err(|d| {
                UpdateError::Spec {
                    what: "spec/overlay.yaml does not load".to_owned(),
                    problems: Diagnostics(vec![d]),
                }
            })?;
            let (kept, stale) = split_overlay(&new_document, &overlay);
            (Some(kept.to_string()), stale)
        }
        None => (None, Vec::new()),
    };
    let new_input = Input {
        text: &text,
        name: &options.from,
    };
    let overlay_now_input = overlay_now.as_deref().map(|text| Input {
        text,
        name: &overlay_name,
    });
    let (new_model, _) = generator::model(new_input, overlay_now_input)
        .map_err(spec_error("the new document does not generate"))?;
    let report = compare(&old_model, &new_model, "paypro");

    let old_document = generator::load::load_document(&old_text, "spec/api.yaml")
        .map_err(|d| spec_error("the current spec/api.yaml does not load")(Diagnostics(vec![d])))?;
    let assumptions = assumptions(&old_document, &new_document);

    let mut config = Config::paypro();
    let current_version = if version_path.exists() {
        crate::read_version(&version_path)
            .map_err(|failure| UpdateError::Version(failure.to_string()))?
    } else {
        config.crate_version.clone()
    };
    let version = if options.bump {
        let next = next_version(&current_version, report.verdict()).ok_or_else(|| {
            UpdateError::Version(format!(
                "spec/VERSION holds `{current_version}`, not MAJOR.MINOR.PATCH"
            ))
        })?;
        Some((current_version.clone(), next))
    } else {
        None
    };
    config.crate_version = version
        .as_ref()
        .map_or(current_version, |(_, next)| next.clone());
    let generated = generator::generate(new_input, overlay_now_input, &config)
        .map_err(spec_error("the new document does not generate"))?;

    let source_record = source_record(&options.from, &text);
    write(&spec_path, &text)?;
    write(&options.root.join("spec/api.yaml.source"), &source_record)?;
    if let Some((_, next)) = &version {
        write(&version_path, &format!("{next}\n"))?;
    }
    let out = options.root.join("generated-client");
    let synced = sync(&out, &generated.files, false).map_err(|error| UpdateError::Io {
        path: out.clone(),
        error,
    })?;
    Ok(Updated {
        report,
        stale_actions,
        assumptions,
        version,
        source_record,
        files_written: synced.written,
    })
}

/// The document as JSON if it loads and says `openapi: 3.x`; otherwise why not.
fn openapi_document(text: &str, source: &str) -> Result<Value, UpdateError> {
    let refuse = |why: String| UpdateError::NotOpenApi {
        source: source.to_owned(),
        why,
    };
    let document =
        generator::load::load_document(text, source).map_err(|d| refuse(d.message.clone()))?;
    match document.get("openapi").and_then(Value::as_str) {
        Some(version) if version.starts_with("3.") => Ok(document),
        Some(version) => Err(refuse(format!("`openapi` is `{version}`, not 3.x"))),
        None => Err(refuse("it has no `openapi` member".to_owned())),
    }
}

/// `spec/api.yaml.source`: where the document came from, when, and its SHA-256.
fn source_record(from: &str, text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let hex: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
    let date = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    format!(
        "# Where spec/api.yaml came from; written by `cargo xtask update-spec`.\nsource: {from}\ndate: {date}\nsha256: {hex}\n"
    )
}

impl Updated {
    /// What the maintainer reads: the version, stale corrections, assumptions, then the report
    /// (whose last line is the verdict).
    pub fn describe(&self) -> String {
        let mut out = String::new();
        out.push_str(&self.source_record);
        out.push('\n');
        if let Some((old, new)) = &self.version {
            out.push_str(&format!("spec/VERSION: {old} → {new}\n\n"));
        }
        if self.stale_actions.is_empty() {
            out.push_str("Every action of spec/overlay.yaml still matches the new document.\n\n");
        } else {
            out.push_str(
                "## Overlay actions that no longer match (PayPro apparently made these corrections)\n\n\
                 They were left out of this generation. Remove them from spec/overlay.yaml: \
                 `cargo xtask generate` fails until you do.\n\n",
            );
            for action in &self.stale_actions {
                out.push_str(&format!(
                    "- action {} `{}`: {}\n",
                    action.index, action.target, action.description
                ));
            }
            out.push('\n');
        }
        if !self.assumptions.is_empty() {
            use crate::review::Verdict;
            let count = |verdict: Verdict| {
                self.assumptions
                    .iter()
                    .filter(|a| a.verdict == verdict)
                    .count()
            };
            out.push_str(&format!(
                "## `x-provenance: assumed` places\n\n{} confirmed, {} contradicted, {} absent from \
                 the new document, {} still marked assumed (not listed).\n\n",
                count(Verdict::Confirmed),
                count(Verdict::Contradicted),
                count(Verdict::Absent),
                count(Verdict::StillAssumed),
            ));
            for assumption in self
                .assumptions
                .iter()
                .filter(|a| a.verdict != Verdict::StillAssumed)
            {
                let verdict = match assumption.verdict {
                    crate::review::Verdict::Confirmed => "confirmed",
                    crate::review::Verdict::Contradicted => "CONTRADICTED",
                    crate::review::Verdict::Absent => "absent from the new document",
                    crate::review::Verdict::StillAssumed => "still marked assumed",
                };
                let note = assumption
                    .note
                    .as_deref()
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default();
                out.push_str(&format!("- `{}`: {verdict}{note}\n", assumption.pointer));
            }
            out.push('\n');
        }
        out.push_str(&self.report.to_markdown());
        out
    }

    pub fn verdict(&self) -> Level {
        self.report.verdict()
    }
}
