//! Project automation as a library: read the spec, run the generator, and write or check the generated crate, so `main` and the freshness test share one code path.

pub mod changes;
pub mod conformance;
pub mod corpus;
pub mod diff;
pub mod fetch;
pub mod review;
pub mod sync;
pub mod update_spec;

use generator::{Config, Diagnostics, Generated, Input};
use std::path::{Path, PathBuf};

/// The workspace root (the parent of this crate's directory).
pub fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| manifest.to_path_buf())
}

/// What to generate from, and where to.
#[derive(Debug, Clone)]
pub struct Job {
    pub spec: PathBuf,
    pub overlay: Option<PathBuf>,
    pub out: PathBuf,
    pub config: Config,
}

impl Job {
    /// This repository's client: `spec/api.yaml` + `spec/overlay.yaml` → `generated-client/`.
    /// The crate's version is the one line of `spec/VERSION` (`update-spec --bump` writes it).
    pub fn paypro(root: &Path) -> Self {
        let mut config = Config::paypro();
        if let Some(version) = paypro_version(root) {
            config.crate_version = version;
        }
        Self {
            spec: root.join("spec/api.yaml"),
            overlay: Some(root.join("spec/overlay.yaml")),
            out: root.join("generated-client"),
            config,
        }
    }
}

/// The version in `spec/VERSION`, when the file is there and holds one non-empty line.
pub fn paypro_version(root: &Path) -> Option<String> {
    let text = std::fs::read_to_string(root.join("spec/VERSION")).ok()?;
    let version = text.trim();
    (!version.is_empty()).then(|| version.to_owned())
}

/// Why a run failed: the inputs could not be read, or the spec has problems.
#[derive(Debug)]
pub enum Failure {
    Read {
        path: PathBuf,
        error: std::io::Error,
    },
    Spec(Diagnostics),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Read { path, error } => write!(f, "cannot read {}: {error}", path.display()),
            Failure::Spec(diagnostics) => write!(f, "{diagnostics}"),
        }
    }
}

fn read(path: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(path).map_err(|error| Failure::Read {
        path: path.to_path_buf(),
        error,
    })
}

/// Runs the generator for a job, in memory.
pub fn run(job: &Job) -> Result<Generated, Failure> {
    let spec_text = read(&job.spec)?;
    let spec_name = job.spec.display().to_string();
    let overlay = match &job.overlay {
        Some(path) => Some((read(path)?, path.display().to_string())),
        None => None,
    };
    let overlay_input = overlay.as_ref().map(|(text, name)| Input { text, name });
    generator::generate(
        Input {
            text: &spec_text,
            name: &spec_name,
        },
        overlay_input,
        &job.config,
    )
    .map_err(Failure::Spec)
}

/// The README's Rust blocks, compiled as doctests so the documented usage cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
