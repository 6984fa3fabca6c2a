//! `cargo xtask corpus`: every document of the shared OpenAPI corpus in, a crate per document in a scratch workspace and a table (generate time, warnings, lines, `cargo check` time, result) out.
//!
//! The documents are read where they are (`../shared/openapi-corpus/`, found by walking up from
//! the workspace root) and never copied into the repository. The crates are members of one
//! scratch workspace under `target/corpus/`, checked one at a time with one shared target
//! directory, so the dependencies are built once and each row's check time is that crate's own.

use crate::{Failure, Job, sync::sync};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// What `cargo xtask corpus` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// The corpus directory; by default the nearest `shared/openapi-corpus` above the workspace.
    pub dir: Option<PathBuf>,
    /// Only documents whose relative path contains one of these (all when empty).
    pub only: Vec<String>,
    /// Generate only; skip `cargo check`.
    pub generate_only: bool,
    /// Treat the generator's defect warnings as errors.
    pub strict: bool,
    /// Where the scratch workspace goes; by default `target/corpus` of the workspace.
    pub scratch: Option<PathBuf>,
}

/// One row of the table.
#[derive(Debug, Clone)]
pub struct Row {
    /// The document's path relative to the corpus directory.
    pub document: String,
    pub generate: Duration,
    pub warnings: usize,
    /// Lines of generated Rust.
    pub lines: usize,
    pub check: Option<Duration>,
    pub outcome: Outcome,
}

/// How far a document got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Generated (and, when checks run, `cargo check` passed with this many warnings).
    Ok { check_warnings: usize },
    /// Generated; `cargo check` was not run.
    Generated,
    /// The generator refused the document; the first problem.
    GenerateFailed(String),
    /// `cargo check` failed with this many errors.
    CheckFailed { errors: usize },
}

impl Outcome {
    /// Generated, and (when checked) compiled with no rustc error and no rustc warning: a
    /// warning in generated code is a generator bug the user's `#![deny(warnings)]` would hit.
    pub fn is_success(&self) -> bool {
        matches!(self, Outcome::Ok { check_warnings: 0 } | Outcome::Generated)
    }
}

/// Where the corpus lives when `--dir` is not given: `shared/openapi-corpus` next to the
/// workspace or next to any folder above it (worktrees sit one level deeper than `main`).
pub fn default_dir(root: &Path) -> Option<PathBuf> {
    root.ancestors()
        .map(|dir| dir.join("shared/openapi-corpus"))
        .find(|dir| dir.is_dir())
}

/// The OpenAPI documents below `dir` (YAML or JSON), as sorted relative paths.
pub fn documents(dir: &Path) -> std::io::Result<Vec<String>> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let is_document = path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| matches!(e, "yaml" | "yml" | "json"));
            if let (true, Ok(relative)) = (is_document, path.strip_prefix(dir)) {
                found.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    found.sort();
    Ok(found)
}

/// A package name for a document: its relative path without the extension, in snake case
/// (`v3_1/mollie-specs.yaml` → `v3_1_mollie_specs`).
pub fn crate_name(document: &str) -> String {
    let stem = document.rsplit_once('.').map_or(document, |(stem, _)| stem);
    let name: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name
    } else {
        format!("doc_{name}")
    }
}

/// Generates (and unless `generate_only`, checks) every selected document, printing each row
/// as it is done, and returns the rows.
pub fn run(root: &Path, corpus: &Path, options: &Options) -> std::io::Result<Vec<Row>> {
    // Absolute, because cargo runs inside it and is handed a target folder below it.
    let scratch = match &options.scratch {
        Some(dir) => std::env::current_dir()?.join(dir),
        None => root.join("target/corpus"),
    };
    let crates = scratch.join("crates");
    std::fs::create_dir_all(&crates)?;
    let selected: Vec<String> = documents(corpus)?
        .into_iter()
        .filter(|d| options.only.is_empty() || options.only.iter().any(|o| d.contains(o)))
        .collect();
    write_workspace(root, &scratch)?;
    let mut rows = Vec::new();
    println!("{}", header());
    for document in &selected {
        let name = crate_name(document);
        let out = crates.join(&name);
        let mut config = generator::Config::new(name.clone(), document.clone());
        config.command = "cargo xtask corpus".to_owned();
        config.strict = options.strict;
        let job = Job {
            spec: corpus.join(document),
            overlay: None,
            out: out.clone(),
            config,
        };
        let started = Instant::now();
        let generated = crate::run(&job);
        let generate = started.elapsed();
        let row = match generated {
            Err(failure) => {
                let first = match &failure {
                    Failure::Read { .. } | Failure::Version { .. } => failure.to_string(),
                    Failure::Spec(problems) => problems
                        .errors()
                        .next()
                        .map(ToString::to_string)
                        .unwrap_or_default(),
                };
                if out.exists() {
                    std::fs::remove_dir_all(&out)?;
                }
                let log = scratch.join(format!("{name}.generate.log"));
                std::fs::write(&log, format!("{failure}\n"))?;
                Row {
                    document: document.clone(),
                    generate,
                    warnings: 0,
                    lines: 0,
                    check: None,
                    outcome: Outcome::GenerateFailed(first),
                }
            }
            Ok(generated) => {
                sync(&out, &generated.files, false)?;
                let warnings: Vec<String> =
                    generated.warnings.iter().map(ToString::to_string).collect();
                std::fs::write(
                    scratch.join(format!("{name}.warnings.log")),
                    warnings.join("\n") + "\n",
                )?;
                let lines = generated
                    .files
                    .iter()
                    .filter(|(path, _)| path.ends_with(".rs"))
                    .map(|(_, contents)| contents.lines().count())
                    .sum();
                let (check, outcome) = if options.generate_only {
                    (None, Outcome::Generated)
                } else {
                    let (took, outcome) = check_crate(&scratch, &name)?;
                    (Some(took), outcome)
                };
                Row {
                    document: document.clone(),
                    generate,
                    warnings: generated.warnings.len(),
                    lines,
                    check,
                    outcome,
                }
            }
        };
        println!("{}", format_row(&row));
        rows.push(row);
    }
    Ok(rows)
}

/// The scratch workspace: every crate under `crates/` is a member (a document that fails to
/// generate leaves none), and the repository's lock file pins the dependency versions, so the
/// checks match what our own client builds with.
fn write_workspace(root: &Path, scratch: &Path) -> std::io::Result<()> {
    let manifest = "# Scratch workspace of `cargo xtask corpus`.\n[workspace]\nresolver = \"3\"\nmembers = [\"crates/*\"]\n";
    std::fs::write(scratch.join("Cargo.toml"), manifest)?;
    if !scratch.join("Cargo.lock").exists() {
        if let Ok(lock) = std::fs::read(root.join("Cargo.lock")) {
            std::fs::write(scratch.join("Cargo.lock"), lock)?;
        }
    }
    Ok(())
}

/// `cargo check` of one crate's library; its output goes to `<name>.check.log`.
fn check_crate(scratch: &Path, name: &str) -> std::io::Result<(Duration, Outcome)> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let started = Instant::now();
    let output = Command::new(cargo)
        .args(["check", "--lib", "--message-format=short", "-p", name])
        .current_dir(scratch)
        // Shared with the other scratch builds of the workspace (conformance, constructs, the
        // external app), so the dependencies are built once.
        .env("CARGO_TARGET_DIR", crate::scratch_target_dir())
        .env("CARGO_TERM_COLOR", "never")
        // Each crate is checked once per run: incremental state would only fill the disk
        // (gigabytes for the big documents).
        .env("CARGO_INCREMENTAL", "0")
        .env_remove("RUSTFLAGS")
        .output()?;
    let took = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    std::fs::write(scratch.join(format!("{name}.check.log")), stderr.as_bytes())?;
    let count = |kind: &str| {
        let marker = format!(": {kind}");
        let lines = stderr.lines();
        lines
            .filter(|l| l.starts_with(kind) || l.contains(&marker))
            // cargo's own summary lines ("`x` (lib) generated 1 warning", "could not compile")
            // repeat what rustc already said.
            .filter(|l| !l.contains("aborting due to") && !l.contains("could not compile"))
            .filter(|l| !(l.starts_with(kind) && l.contains(" generated ")))
            .count()
    };
    let outcome = if output.status.success() {
        Outcome::Ok {
            check_warnings: count("warning"),
        }
    } else {
        Outcome::CheckFailed {
            errors: count("error"),
        }
    };
    Ok((took, outcome))
}

/// The table's header, as Markdown.
pub fn header() -> String {
    "| document | generate | warnings | lines | check | result |\n| --- | ---: | ---: | ---: | ---: | --- |".to_owned()
}

/// One row of the table, as Markdown.
pub fn format_row(row: &Row) -> String {
    let check = row
        .check
        .map_or_else(|| "–".to_owned(), |d| format!("{:.1} s", d.as_secs_f64()));
    let result = match &row.outcome {
        Outcome::Ok { check_warnings: 0 } => "ok".to_owned(),
        Outcome::Ok { check_warnings } => format!("ok ({check_warnings} rustc warnings)"),
        Outcome::Generated => "generated".to_owned(),
        Outcome::GenerateFailed(first) => {
            format!("generation failed: {}", first.replace('|', "\\|"))
        }
        Outcome::CheckFailed { errors } => format!("check failed ({errors} errors)"),
    };
    format!(
        "| {} | {:.2} s | {} | {} | {check} | {result} |",
        row.document,
        row.generate.as_secs_f64(),
        row.warnings,
        row.lines,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_names_are_package_names() {
        assert_eq!(crate_name("v3_1/mollie-specs.yaml"), "v3_1_mollie_specs");
        assert_eq!(crate_name("oai-petstore.yaml"), "oai_petstore");
        assert_eq!(crate_name("2020.json"), "doc_2020");
    }

    #[test]
    fn documents_are_found_in_subfolders_and_sorted() {
        let dir = std::env::temp_dir().join(format!("xtask-corpus-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("v3_1")).unwrap();
        for file in ["b.yaml", "a.json", "README.md", "v3_1/c.yml"] {
            std::fs::write(dir.join(file), "x").unwrap();
        }
        assert_eq!(
            documents(&dir).unwrap(),
            vec!["a.json", "b.yaml", "v3_1/c.yml"]
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
