//! `cargo xtask generate [--check]`: regenerates `generated-client/` from `spec/`, or checks that it is fresh; with `--spec`/`--out`, generates a crate for any OpenAPI document. `cargo xtask changes` rates a new document's effect on the crate's users; `cargo xtask update-spec` downloads one.

use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use xtask::{Job, changes, sync::sync, workspace_root};

#[derive(Parser)]
#[command(
    name = "xtask",
    about = "Project automation for the PayPro client generator"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate the client crate (by default: spec/api.yaml + spec/overlay.yaml → generated-client/).
    Generate {
        /// Write nothing; list missing, changed and extra files and fail if there are any.
        #[arg(long)]
        check: bool,
        /// An OpenAPI document (YAML or JSON) to generate from instead of spec/api.yaml.
        #[arg(long, requires = "out")]
        spec: Option<PathBuf>,
        /// An OpenAPI Overlay 1.0.0 document to apply first.
        #[arg(long)]
        overlay: Option<PathBuf>,
        /// The directory to write the crate into.
        #[arg(long, requires = "spec")]
        out: Option<PathBuf>,
        /// The generated crate's package name.
        #[arg(long, default_value = "client")]
        crate_name: String,
    },
    /// Compare two API documents by their effect on the generated crate's users: a Markdown
    /// report of breaking, additive and docs-only changes, ending `semver: major|minor|patch`.
    Changes {
        /// The old document (or use --base).
        #[arg(long, required_unless_present = "base", conflicts_with = "base")]
        old: Option<PathBuf>,
        /// Take the old spec/api.yaml and spec/overlay.yaml from this git revision.
        #[arg(long)]
        base: Option<String>,
        /// The new document [default: spec/api.yaml].
        #[arg(long)]
        new: Option<PathBuf>,
        /// The overlay to apply to both sides [default: spec/overlay.yaml; with --base, the
        /// old side uses the revision's].
        #[arg(long, conflicts_with = "no_overlay")]
        overlay: Option<PathBuf>,
        /// Compare the documents without any overlay.
        #[arg(long)]
        no_overlay: bool,
        /// The crate name the report's items start with.
        #[arg(long, default_value = "paypro")]
        crate_name: String,
    },
    /// Download PayPro's API document, check it, write spec/api.yaml (with spec/api.yaml.source),
    /// regenerate the crate and print the change report; a bad download changes nothing.
    UpdateSpec {
        /// A URL or a file to take the document from.
        #[arg(long, default_value = xtask::update_spec::DEFAULT_SOURCE)]
        from: String,
        /// Write the next version, by the report's verdict, into spec/VERSION.
        #[arg(long)]
        bump: bool,
    },
}

fn main() -> ExitCode {
    let root = workspace_root();
    match Cli::parse().command {
        Command::Generate {
            check,
            spec,
            overlay,
            out,
            crate_name,
        } => generate(&root, check, spec, overlay, out, crate_name),
        Command::UpdateSpec { from, bump } => {
            let options = xtask::update_spec::Options {
                root: root.clone(),
                from,
                bump,
                limits: xtask::fetch::Limits::default(),
            };
            match xtask::update_spec::update_spec(&options) {
                Ok(updated) => {
                    print!("{}", updated.describe());
                    eprintln!(
                        "spec/api.yaml updated; {} generated files written. Next: read the report, then `cargo test --workspace`.",
                        updated.files_written
                    );
                    ExitCode::SUCCESS
                }
                Err(error) => {
                    eprintln!("{error}");
                    eprintln!("update-spec failed: nothing was written");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Changes {
            old,
            base,
            new,
            overlay,
            no_overlay,
            crate_name,
        } => {
            let overlay = match (no_overlay, overlay) {
                (true, _) => None,
                (false, Some(path)) => Some(path),
                (false, None) => Some(root.join("spec/overlay.yaml")),
            };
            let new = new.unwrap_or_else(|| root.join("spec/api.yaml"));
            let sides = (|| {
                let old = match (&old, &base) {
                    (_, Some(rev)) => changes::Side::from_git(&root, rev, overlay.is_some())?,
                    (Some(old), None) => changes::Side::from_files(old, overlay.as_deref())?,
                    (None, None) => unreachable_side(),
                };
                let new = changes::Side::from_files(&new, overlay.as_deref())?;
                changes::report(&old, &new, &crate_name)
            })();
            match sides {
                Ok(report) => {
                    print!("{}", report.to_markdown());
                    ExitCode::SUCCESS
                }
                Err(failure) => {
                    eprintln!("{failure}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

/// clap requires `--old` unless `--base` is given, so this is never reached; an empty side
/// would still fail cleanly rather than panic.
fn unreachable_side() -> changes::Side {
    changes::Side {
        spec: (String::new(), "(no --old or --base)".to_owned()),
        overlay: None,
    }
}

fn generate(
    root: &Path,
    check: bool,
    spec: Option<PathBuf>,
    overlay: Option<PathBuf>,
    out: Option<PathBuf>,
    crate_name: String,
) -> ExitCode {
    let job = match (spec, out) {
        (Some(spec), Some(out)) => {
            let label = spec.display().to_string();
            let label = match &overlay {
                Some(path) => format!("{label} + {}", path.display()),
                None => label,
            };
            let mut config = generator::Config::new(crate_name, label);
            config.command = "cargo xtask generate --spec …".to_owned();
            Job {
                spec,
                overlay,
                out,
                config,
            }
        }
        _ => {
            let mut job = Job::paypro(root);
            if overlay.is_some() {
                job.overlay = overlay;
            }
            job
        }
    };
    let generated = match xtask::run(&job) {
        Ok(generated) => generated,
        Err(failure) => {
            eprintln!("{failure}");
            eprintln!("generation failed: nothing was written");
            return ExitCode::FAILURE;
        }
    };
    for warning in &generated.warnings {
        eprintln!("{warning}");
    }
    let report = match sync(&job.out, &generated.files, check) {
        Ok(report) => report,
        Err(error) => {
            eprintln!("cannot update {}: {error}", job.out.display());
            return ExitCode::FAILURE;
        }
    };
    if check {
        if report.is_clean() {
            println!(
                "{} is up to date ({} files)",
                job.out.display(),
                generated.files.len()
            );
            ExitCode::SUCCESS
        } else {
            eprint!("{}", report.describe(&job.out));
            eprintln!(
                "{} is stale: run `cargo xtask generate` and commit the result",
                job.out.display()
            );
            ExitCode::FAILURE
        }
    } else {
        println!(
            "{}: {} files generated, {} written, {} deleted, {} warnings",
            job.out.display(),
            generated.files.len(),
            report.written,
            report.deleted,
            generated.warnings.len()
        );
        ExitCode::SUCCESS
    }
}
