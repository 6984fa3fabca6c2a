//! Times each pipeline stage on one OpenAPI document and reports the peak memory of each, for `scripts/measure-scaling.sh` and for finding which stage stops scaling.
//!
//! `cargo run --release -p generator --example stage_timings -- SPEC [--runs N]`
//!
//! The stages run in the order `generator::generate` runs them (load, normalize, parse,
//! validate, lower, emit, the effective `openapi.json`), each on the previous one's output.
//! Times are the median of `--runs` runs. Peak memory is the first run's, read from Linux's
//! `/proc/self/status` (`VmHWM`) and reset before each stage through `/proc/self/clear_refs`, so
//! each stage's peak includes what earlier stages still hold; elsewhere it says `n/a`.

use generator::{Config, emit, load, lower, normalize, parse, validate};
use std::time::{Duration, Instant};

fn main() {
    let mut args = std::env::args().skip(1);
    let mut spec = None;
    let mut runs = 3usize;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--runs" => {
                runs = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|n| *n > 0)
                    .unwrap_or_else(|| usage("--runs needs a positive number"));
            }
            "-h" | "--help" => usage(""),
            _ if spec.is_none() => spec = Some(arg),
            _ => usage(&format!("unexpected argument `{arg}`")),
        }
    }
    let spec = spec.unwrap_or_else(|| usage("which document?"));
    let text = std::fs::read_to_string(&spec)
        .unwrap_or_else(|error| usage(&format!("cannot read {spec}: {error}")));

    let mut samples: Vec<Vec<Measured>> = Vec::new();
    for _ in 0..runs {
        samples.push(run_once(&text, &spec));
    }
    let mb = text.len() as f64 / 1e6;
    println!("document: {spec}, {mb:.2} MB, times: median of {runs} run(s), peaks: first run");
    println!("| stage | time (ms) | peak RSS during stage (MB) |");
    println!("|---|---:|---:|");
    for (index, first) in samples[0].iter().enumerate() {
        let mut times: Vec<Duration> = samples.iter().map(|run| run[index].time).collect();
        times.sort();
        let median = times[times.len() / 2];
        // The first run's peaks: later runs start with what the allocator kept from earlier ones.
        let peak = first.peak_kb.map_or_else(
            || "n/a".to_owned(),
            |kb| format!("{:.0}", kb as f64 / 1024.0),
        );
        println!(
            "| {} | {:.0} | {peak} |",
            first.stage,
            median.as_secs_f64() * 1000.0
        );
    }
}

struct Measured {
    stage: &'static str,
    time: Duration,
    peak_kb: Option<u64>,
}

/// One pass through the pipeline; a failure is fatal, since there is nothing to time after it.
fn run_once(text: &str, name: &str) -> Vec<Measured> {
    let mut out = Vec::new();
    let started = Instant::now();

    let stage = Stage::begin("load");
    let mut document = load::load_document(text, name).unwrap_or_else(|d| fail(&d.to_string()));
    out.push(stage.end());

    let stage = Stage::begin("normalize");
    let warnings = normalize::normalize(&mut document);
    out.push(stage.end());

    let stage = Stage::begin("parse");
    let api = parse::parse_document(&document).unwrap_or_else(|d| fail(&d.to_string()));
    out.push(stage.end());

    let stage = Stage::begin("validate");
    let problems = validate::validate(&document, &api);
    out.push(stage.end());
    if problems.has_errors() {
        fail(&problems.to_string());
    }

    let stage = Stage::begin("lower");
    let (model, lowering) = lower::lower(&api);
    out.push(stage.end());
    if let Some(error) = lowering.iter().find(|d| d.is_error()) {
        fail(&error.to_string());
    }

    let stage = Stage::begin("emit");
    let config = Config::new("measured", name);
    let files = emit::emit(&model, &config).unwrap_or_else(|d| fail(&d.to_string()));
    out.push(stage.end());

    // As `generate` writes openapi.json: the header first, then a copy of the document's members.
    let stage = Stage::begin("openapi.json");
    let mut members = serde_json::Map::new();
    members.insert("x-generated".to_owned(), config.header().into());
    if let serde_json::Value::Object(document) = &document {
        members.extend(document.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    let effective = serde_json::to_string_pretty(&members).unwrap_or_else(|e| fail(&e.to_string()));
    drop(members);
    out.push(stage.end());

    let peak_kb = out.iter().filter_map(|m| m.peak_kb).max();
    out.push(Measured {
        stage: "total",
        time: started.elapsed(),
        peak_kb,
    });
    // Everything stays alive to the end, as in `generate`, so each peak counts what it holds.
    drop((warnings, problems, lowering, model, files, effective));
    out
}

/// A stage being timed: its start, after the peak-memory mark was reset.
struct Stage {
    label: &'static str,
    start: Instant,
}

impl Stage {
    fn begin(label: &'static str) -> Self {
        // Linux: writing 5 resets VmHWM to the current RSS, so the next read is this stage's peak.
        let _ = std::fs::write("/proc/self/clear_refs", "5");
        Self {
            label,
            start: Instant::now(),
        }
    }

    fn end(self) -> Measured {
        let time = self.start.elapsed();
        Measured {
            stage: self.label,
            time,
            peak_kb: peak_kb(),
        }
    }
}

/// The process's peak resident set since the last reset, in KiB, where Linux reports it.
fn peak_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn fail(message: &str) -> ! {
    eprintln!("generation failed:\n{message}");
    std::process::exit(1)
}

fn usage(problem: &str) -> ! {
    if !problem.is_empty() {
        eprintln!("{problem}");
    }
    eprintln!("usage: stage_timings SPEC [--runs N]");
    std::process::exit(2)
}
