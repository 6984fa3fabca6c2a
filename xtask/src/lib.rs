//! Project automation as a library: read the spec, run the generator, and write or check the generated crate, so `main` and the freshness test share one code path.

pub mod changes;
pub mod conformance;
pub mod corpus;
pub mod diff;
pub mod fetch;
pub mod review;
pub mod sync;
pub mod update_spec;

use generator::{Config, Diagnostic, Diagnostics, FileSink, Generated, Input, Source};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The target folder shared by every scratch build the workspace starts (corpus checks,
/// conformance harnesses, the external-app test, the construct crates): their dependencies are
/// the same crates at the same versions, so one folder builds them once.
pub fn scratch_target_dir() -> PathBuf {
    workspace_root().join("target/scratch")
}

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
    /// This repository's client: `spec/api.yaml` + `spec/overlay.yaml` → `generated-client/`,
    /// versioned by `spec/VERSION`.
    pub fn paypro(root: &Path) -> Result<Self, Failure> {
        let mut config = Config::paypro();
        config.crate_version = read_version(&root.join(VERSION_FILE))?;
        Ok(Self {
            spec: root.join("spec/api.yaml"),
            overlay: Some(root.join("spec/overlay.yaml")),
            out: root.join("generated-client"),
            config,
        })
    }
}

/// The one place the `paypro` crate's version is set, relative to the workspace root.
pub const VERSION_FILE: &str = "spec/VERSION";

/// Reads a version file: one semver version (`0.1.0`, `1.2.0-rc.1`) on its first line.
pub fn read_version(path: &Path) -> Result<String, Failure> {
    let text = read(path)?;
    let version = text.trim();
    if is_semver(version) {
        Ok(version.to_owned())
    } else {
        Err(Failure::Version {
            path: path.to_path_buf(),
            found: version.chars().take(40).collect(),
        })
    }
}

/// `MAJOR.MINOR.PATCH`, each a number without leading zeros, then an optional `-pre` or `+build`
/// of ASCII letters, digits, dots and hyphens: what Cargo accepts in `version`.
fn is_semver(text: &str) -> bool {
    let core_end = text.find(['-', '+']).unwrap_or(text.len());
    let (core, rest) = text.split_at(core_end);
    let numbers: Vec<&str> = core.split('.').collect();
    let numbers_ok = numbers.len() == 3
        && numbers.iter().all(|n| {
            !n.is_empty()
                && n.bytes().all(|b| b.is_ascii_digit())
                && (n.len() == 1 || !n.starts_with('0'))
        });
    let rest_ok = rest.is_empty()
        || (rest.len() > 1
            && rest[1..]
                .split(['-', '+', '.'])
                .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric())));
    numbers_ok && rest_ok
}

/// Why a run failed: the inputs could not be read, or the spec has problems.
#[derive(Debug)]
pub enum Failure {
    Read {
        path: PathBuf,
        error: std::io::Error,
    },
    Spec(Diagnostics),
    /// A version file that does not hold a version.
    Version {
        path: PathBuf,
        found: String,
    },
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Read { path, error } => write!(f, "cannot read {}: {error}", path.display()),
            Failure::Spec(diagnostics) => write!(f, "{diagnostics}"),
            Failure::Version { path, found } => write!(
                f,
                "{} must hold one version like `0.1.0`, found {found:?}",
                path.display()
            ),
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
    let mut files = BTreeMap::new();
    let warnings = run_into(job, &mut files)?;
    Ok(Generated { files, warnings })
}

/// Runs the generator for a job, handing each file to `sink` as it is made; returns the
/// warnings. The spec is read from disk when the generator asks for it, so its text is not
/// held for the whole run.
pub fn run_into(job: &Job, sink: &mut dyn FileSink) -> Result<Vec<Diagnostic>, Failure> {
    let spec = SpecFile {
        path: &job.spec,
        name: job.spec.display().to_string(),
    };
    if let Err(error) = std::fs::metadata(&job.spec) {
        // Said as every other unreadable input is, before anything runs.
        return Err(Failure::Read {
            path: job.spec.clone(),
            error,
        });
    }
    let overlay = match &job.overlay {
        Some(path) => Some((read(path)?, path.display().to_string())),
        None => None,
    };
    let overlay_input = overlay.as_ref().map(|(text, name)| Input { text, name });
    generator::generate_into(&spec, overlay_input, &job.config, sink).map_err(Failure::Spec)
}

/// A spec on disk, read each time the generator asks for its text.
struct SpecFile<'a> {
    path: &'a Path,
    name: String,
}

impl Source for SpecFile<'_> {
    fn name(&self) -> &str {
        &self.name
    }

    fn text(&self) -> Result<Cow<'_, str>, String> {
        std::fs::read_to_string(self.path)
            .map(Cow::Owned)
            .map_err(|error| error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_checked_before_they_reach_the_manifest() {
        for good in [
            "0.1.0",
            "1.20.3",
            "1.0.0-rc.1",
            "2.0.0+build.5",
            "0.0.0-alpha-2",
        ] {
            assert!(is_semver(good), "{good}");
        }
        for bad in [
            "",
            "1",
            "1.0",
            "01.0.0",
            "1.0.0.0",
            "1.0.0-",
            "1.0.0-a..b",
            "1.0.0\"",
            "v1.0.0",
        ] {
            assert!(!is_semver(bad), "{bad}");
        }
    }
}

/// The README's Rust blocks, compiled as doctests so the documented usage cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
