//! `cargo xtask changes`: two API documents (each with its overlay) in, the change report of the generated crate out; the documents come from files or, for the old side, from a git revision.

use crate::Failure;
use generator::Input;
use generator::compare::{Report, compare};
use std::path::Path;
use std::process::Command;

/// One side of the comparison: a document's text and, optionally, an overlay's, each with the
/// name messages use for it.
#[derive(Debug, Clone)]
pub struct Side {
    pub spec: (String, String),
    pub overlay: Option<(String, String)>,
}

impl Side {
    /// A document and an optional overlay, read from files.
    pub fn from_files(spec: &Path, overlay: Option<&Path>) -> Result<Self, Failure> {
        let read = |path: &Path| -> Result<(String, String), Failure> {
            let text = std::fs::read_to_string(path).map_err(|error| Failure::Read {
                path: path.to_path_buf(),
                error,
            })?;
            Ok((text, path.display().to_string()))
        };
        Ok(Self {
            spec: read(spec)?,
            overlay: overlay.map(read).transpose()?,
        })
    }

    /// `spec/api.yaml` (and `spec/overlay.yaml` when `with_overlay`) as committed at `rev`.
    pub fn from_git(root: &Path, rev: &str, with_overlay: bool) -> Result<Self, Failure> {
        let spec = git_show(root, rev, "spec/api.yaml")?;
        let overlay = if with_overlay {
            Some(git_show(root, rev, "spec/overlay.yaml")?)
        } else {
            None
        };
        Ok(Self { spec, overlay })
    }

    /// Lowers the document (overlay applied) into the IR the comparison reads.
    pub fn model(&self) -> Result<generator::ir::Model, Failure> {
        let spec = Input {
            text: &self.spec.0,
            name: &self.spec.1,
        };
        let overlay = self
            .overlay
            .as_ref()
            .map(|(text, name)| Input { text, name });
        generator::model(spec, overlay)
            .map(|(model, _warnings)| model)
            .map_err(Failure::Spec)
    }
}

/// `git show REV:PATH` in `root`, as text and a name for messages (`REV:PATH`).
fn git_show(root: &Path, rev: &str, path: &str) -> Result<(String, String), Failure> {
    let name = format!("{rev}:{path}");
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["show", &name])
        .output()
        .map_err(|error| Failure::Read {
            path: name.clone().into(),
            error,
        })?;
    if !output.status.success() {
        return Err(Failure::Read {
            path: name.into(),
            error: std::io::Error::other(String::from_utf8_lossy(&output.stderr).trim().to_owned()),
        });
    }
    let text = String::from_utf8(output.stdout).map_err(|error| Failure::Read {
        path: name.clone().into(),
        error: std::io::Error::new(std::io::ErrorKind::InvalidData, error),
    })?;
    Ok((text, name))
}

/// The change report between two sides, naming items in `crate_name`.
pub fn report(old: &Side, new: &Side, crate_name: &str) -> Result<Report, Failure> {
    let (old, new) = (old.model()?, new.model()?);
    Ok(compare(&old, &new, crate_name))
}
