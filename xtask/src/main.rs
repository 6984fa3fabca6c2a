//! `cargo xtask generate [--check]`: regenerates `generated-client/` from `spec/`, or checks that it is fresh; with `--spec`/`--out`, generates a crate for any OpenAPI document.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use xtask::{Job, sync::sync, workspace_root};

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
    },
}

fn main() -> ExitCode {
    let Cli {
        command:
            Command::Generate {
                check,
                spec,
                overlay,
                out,
                crate_name,
            },
    } = Cli::parse();
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
