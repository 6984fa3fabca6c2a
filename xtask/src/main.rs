//! `cargo xtask generate [--check]`: regenerates `generated-client/` from `spec/`, or checks that it is fresh; with `--spec`/`--out`, generates a crate for any OpenAPI document. `cargo xtask corpus` generates and checks the shared corpus of real documents; `cargo xtask conformance` decodes a document's instances through its generated types. `cargo xtask changes` rates a new document's effect on the crate's users; `cargo xtask update-spec` downloads one.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use xtask::sync::Syncing;
use xtask::{Job, changes, corpus, workspace_root};

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
        /// An OpenAPI Overlay (1.0.0 or 1.1.0) document to apply first.
        #[arg(long)]
        overlay: Option<PathBuf>,
        /// The directory to write the crate into.
        #[arg(long, requires = "spec")]
        out: Option<PathBuf>,
        /// The generated crate's package name.
        #[arg(long, default_value = "client")]
        crate_name: String,
        /// Stop on defects that have one obvious reading instead of reading them that way
        /// (always on for PayPro's own document, i.e. without `--spec`).
        #[arg(long)]
        strict: bool,
    },
    /// Generate every document of the shared OpenAPI corpus into target/corpus/ and `cargo
    /// check` each crate; prints a Markdown table and fails if any document fails.
    Corpus {
        /// Only generate; skip `cargo check`.
        #[arg(long)]
        generate_only: bool,
        /// Only documents whose path (relative to the corpus) contains this; repeatable.
        #[arg(long)]
        only: Vec<String>,
        /// The corpus directory (default: the nearest `shared/openapi-corpus` above the workspace).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Treat defects with one obvious reading as errors.
        #[arg(long)]
        strict: bool,
        /// The scratch workspace (default: target/corpus).
        #[arg(long)]
        scratch: Option<PathBuf>,
    },
    /// Decode every example of a document (and generated instances of schemas without one)
    /// through the generated types and back (by default: PayPro's spec and overlay).
    Conformance {
        /// An OpenAPI document (YAML or JSON) instead of spec/api.yaml (then no overlay unless
        /// `--overlay` names one).
        #[arg(long)]
        spec: Option<PathBuf>,
        /// An OpenAPI Overlay document to apply first.
        #[arg(long)]
        overlay: Option<PathBuf>,
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
    // Before anything is allocated: big buffers are mapped apart and returned when freed.
    generator::memory::map_large_blocks_apart();
    match Cli::parse().command {
        Command::Generate {
            check,
            spec,
            overlay,
            out,
            crate_name,
            strict,
        } => generate(check, spec, overlay, out, crate_name, strict),
        Command::Corpus {
            generate_only,
            only,
            dir,
            strict,
            scratch,
        } => run_corpus(corpus::Options {
            dir,
            only,
            generate_only,
            strict,
            scratch,
        }),
        Command::Conformance { spec, overlay } => conformance(spec, overlay),
        Command::Changes {
            old,
            base,
            new,
            overlay,
            no_overlay,
            crate_name,
        } => run_changes(old, base, new, overlay, no_overlay, &crate_name),
        Command::UpdateSpec { from, bump } => update_spec(from, bump),
    }
}

fn run_changes(
    old: Option<PathBuf>,
    base: Option<String>,
    new: Option<PathBuf>,
    overlay: Option<PathBuf>,
    no_overlay: bool,
    crate_name: &str,
) -> ExitCode {
    let root = workspace_root();
    let overlay = match (no_overlay, overlay) {
        (true, _) => None,
        (false, Some(path)) => Some(path),
        (false, None) => Some(root.join("spec/overlay.yaml")),
    };
    let new = new.unwrap_or_else(|| root.join("spec/api.yaml"));
    let report = (|| {
        let old = match (&old, &base) {
            (_, Some(rev)) => changes::Side::from_git(&root, rev, overlay.is_some())?,
            (Some(old), None) => changes::Side::from_files(old, overlay.as_deref())?,
            // clap requires `--old` unless `--base` is given; an empty side fails cleanly.
            (None, None) => changes::Side {
                spec: (String::new(), "(no --old or --base)".to_owned()),
                overlay: None,
            },
        };
        let new = changes::Side::from_files(&new, overlay.as_deref())?;
        changes::report(&old, &new, crate_name)
    })();
    match report {
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

fn update_spec(from: String, bump: bool) -> ExitCode {
    let options = xtask::update_spec::Options {
        root: workspace_root(),
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

fn run_corpus(options: corpus::Options) -> ExitCode {
    let root = workspace_root();
    let Some(dir) = options.dir.clone().or_else(|| corpus::default_dir(&root)) else {
        eprintln!(
            "no shared/openapi-corpus found above {}; pass --dir",
            root.display()
        );
        return ExitCode::FAILURE;
    };
    let rows = match corpus::run(&root, &dir, &options) {
        Ok(rows) => rows,
        Err(error) => {
            eprintln!("corpus run failed: {error}");
            return ExitCode::FAILURE;
        }
    };
    let passed = rows.iter().filter(|r| r.outcome.is_success()).count();
    let what = if options.generate_only {
        "generate"
    } else {
        "generate and `cargo check` clean"
    };
    println!("\n{passed}/{} documents {what}", rows.len());
    if passed == rows.len() && !rows.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn conformance(spec: Option<PathBuf>, overlay: Option<PathBuf>) -> ExitCode {
    let root = workspace_root();
    let request = match spec {
        Some(spec) => xtask::conformance::Request { spec, overlay },
        None => xtask::conformance::Request {
            spec: root.join("spec/api.yaml"),
            overlay: Some(overlay.unwrap_or_else(|| root.join("spec/overlay.yaml"))),
        },
    };
    match xtask::conformance::run(&root, &request) {
        Ok(outcome) => {
            print!("{}", outcome.describe());
            println!("{}", outcome.summary());
            if outcome.is_pass() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(error) => {
            eprintln!("conformance: {error}");
            ExitCode::FAILURE
        }
    }
}

fn generate(
    check: bool,
    spec: Option<PathBuf>,
    overlay: Option<PathBuf>,
    out: Option<PathBuf>,
    crate_name: String,
    strict: bool,
) -> ExitCode {
    let root = workspace_root();
    let job = match (spec, out) {
        (Some(spec), Some(out)) => {
            let label = spec.display().to_string();
            let label = match &overlay {
                Some(path) => format!("{label} + {}", path.display()),
                None => label,
            };
            let mut config = generator::Config::new(crate_name, label);
            config.command = "cargo xtask generate --spec …".to_owned();
            config.strict = strict;
            Job {
                spec,
                overlay,
                out,
                config,
            }
        }
        _ => {
            let mut job = match Job::paypro(&root) {
                Ok(job) => job,
                Err(failure) => {
                    eprintln!("{failure}");
                    eprintln!("generation failed: nothing was written");
                    return ExitCode::FAILURE;
                }
            };
            if overlay.is_some() {
                job.overlay = overlay;
            }
            job
        }
    };
    // Files are compared (and staged) as the generator makes them, so the crate's text is
    // never held whole; `dir` itself changes only once the whole run has succeeded.
    let mut syncing = match Syncing::start(&job.out, check) {
        Ok(syncing) => syncing,
        Err(error) => {
            eprintln!("cannot read {}: {error}", job.out.display());
            return ExitCode::FAILURE;
        }
    };
    let warnings = match xtask::run_into(&job, &mut syncing) {
        Ok(warnings) => warnings,
        Err(failure) => {
            eprintln!("{failure}");
            eprintln!("generation failed: nothing was written");
            return ExitCode::FAILURE;
        }
    };
    for warning in &warnings {
        eprintln!("{warning}");
    }
    let files = syncing.files();
    let report = match syncing.finish() {
        Ok(report) => report,
        Err(error) => {
            eprintln!("cannot update {}: {error}", job.out.display());
            return ExitCode::FAILURE;
        }
    };
    if check {
        if report.is_clean() {
            println!("{} is up to date ({files} files)", job.out.display());
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
            "{}: {files} files generated, {} written, {} deleted, {} warnings",
            job.out.display(),
            report.written,
            report.deleted,
            warnings.len()
        );
        ExitCode::SUCCESS
    }
}
