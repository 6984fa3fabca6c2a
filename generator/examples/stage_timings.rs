//! Times each pipeline stage on one OpenAPI document and reports the peak memory of each, for `scripts/measure-scaling.sh` and for finding which stage stops scaling.
//!
//! `cargo run --release -p generator --example stage_timings -- SPEC [--overlay OVERLAY] [--runs N]`
//!
//! SPEC is any OpenAPI document (YAML or JSON), e.g. `../shared/openapi-corpus/stripe-spec3.yaml`.
//! The stages run as `generator::generate` runs them (load, overlay, normalize, the effective
//! `openapi.json` and the checks on the document as written (the components' shape check and
//! the effective document on a second thread, beside the rest), the typed parse,
//! which frees the document as it reads it, the typed checks, lower, which takes the typed
//! document, and emit),
//! each on the previous one's output, on one thread with the parser's stack. The only
//! differences: `generate` hands each file to its caller as it is made, and here each is counted
//! and dropped; and the spec's text is held throughout (xtask's reading drops it after load). Times are the median of
//! `--runs` runs: wall-clock time, and the CPU time of the whole process (every thread, so
//! emit's formatting workers count). `total` is the staged run end to end; `generate()` is one
//! call of `generator::generate` on the same input, after it. Peak memory is the first run's, read from Linux's
//! `/proc/self/status` (`VmHWM`) and reset before each stage through `/proc/self/clear_refs`, so
//! each stage's peak includes what earlier stages still hold; elsewhere it says `n/a`. Below
//! the table, `total` and `generate()` over `load`, taken within each run (the load of the
//! same run), with their median and range, and the fastest run of each over the fastest load.

use generator::{Config, emit, load, lower, normalize, overlay, parse, validate};
use rustix::time::{ClockId, clock_gettime};
use std::time::{Duration, Instant};

fn main() {
    // As `xtask` does, so the peaks here are the ones `xtask generate` reaches.
    generator::memory::map_large_blocks_apart();
    let mut args = std::env::args().skip(1);
    let mut spec = None;
    let mut overlay_path = None;
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
            "--overlay" => {
                overlay_path = Some(
                    args.next()
                        .unwrap_or_else(|| usage("--overlay needs a file")),
                );
            }
            "-h" | "--help" => usage(""),
            _ if spec.is_none() => spec = Some(arg),
            _ => usage(&format!("unexpected argument `{arg}`")),
        }
    }
    let spec = spec.unwrap_or_else(|| usage("which document?"));
    let read = |path: &str| {
        std::fs::read_to_string(path)
            .unwrap_or_else(|error| usage(&format!("cannot read {path}: {error}")))
    };
    let text = read(&spec);
    let overlay = overlay_path.map(|path| (read(&path), path));
    let overlay = overlay
        .as_ref()
        .map(|(text, name)| (text.as_str(), name.as_str()));

    let mut samples: Vec<Vec<Measured>> = Vec::new();
    for _ in 0..runs {
        let mut run = run_once(&text, &spec, overlay);
        run.push(whole_generate(&text, &spec, overlay));
        samples.push(run);
    }
    let mb = text.len() as f64 / 1e6;
    println!("document: {spec}, {mb:.2} MB, times: median of {runs} run(s), peaks: first run");
    println!("| stage | time (ms) | CPU time (ms) | peak RSS during stage (MB) |");
    println!("|---|---:|---:|---:|");
    let median = |mut times: Vec<Duration>| {
        times.sort();
        times[times.len() / 2]
    };
    for (index, first) in samples[0].iter().enumerate() {
        let wall = median(samples.iter().map(|run| run[index].time).collect());
        let cpu = median(samples.iter().map(|run| run[index].cpu).collect());
        // The first run's peaks: later runs start with what the allocator kept from earlier ones.
        let peak = first.peak_kb.map_or_else(
            || "n/a".to_owned(),
            |kb| format!("{:.0}", kb as f64 / 1024.0),
        );
        println!(
            "| {} | {:.0} | {:.0} | {peak} |",
            first.stage,
            wall.as_secs_f64() * 1000.0,
            cpu.as_secs_f64() * 1000.0
        );
    }
    for row in ["total", "generate()"] {
        print_ratio_to_load(&samples, row);
    }
}

/// `row`'s time over the load's, run by run: this machine's speed drifts between runs, and a
/// ratio taken within one run cancels it, where a ratio of two medians need not.
fn print_ratio_to_load(samples: &[Vec<Measured>], row: &str) {
    let time_of = |run: &[Measured], stage: &str| {
        run.iter()
            .find(|m| m.stage == stage)
            .map(|m| m.time.as_secs_f64())
    };
    let mut ratios: Vec<f64> = samples
        .iter()
        .filter_map(|run| Some(time_of(run, row)? / time_of(run, "load")?))
        .collect();
    ratios.sort_by(f64::total_cmp);
    if let (Some(low), Some(high)) = (ratios.first(), ratios.last()) {
        let median = ratios[ratios.len() / 2];
        println!("{row} ÷ load, run by run: median {median:.2}× (from {low:.2}× to {high:.2}×)");
    }
    // Noise here only ever slows a stage down, so each one's fastest run is its cost with the
    // least noise in it.
    let fastest = |stage: &str| {
        samples
            .iter()
            .filter_map(|run| time_of(run, stage))
            .min_by(f64::total_cmp)
    };
    if let (Some(time), Some(load)) = (fastest(row), fastest("load")) {
        let ratio = time / load;
        println!(
            "{row} ÷ load, fastest of each: {:.0} ms ÷ {:.0} ms = {ratio:.2}×",
            time * 1000.0,
            load * 1000.0
        );
    }
}

struct Measured {
    stage: &'static str,
    time: Duration,
    cpu: Duration,
    peak_kb: Option<u64>,
}

/// One pass through the pipeline, as `generator::generate` makes it; a failure is fatal, since
/// there is nothing to time after it.
fn run_once(text: &str, name: &str, overlay_input: Option<(&str, &str)>) -> Vec<Measured> {
    let started = (Instant::now(), process_cpu());
    let config = Config::new("measured", name);
    // Load to lower on a thread with the parser's stack, emit after it on this one, as
    // `generate` runs them.
    let (mut out, front) = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .stack_size(parse::PARSER_STACK)
            .spawn_scoped(scope, || front_half(text, name, overlay_input, &config))
            .unwrap_or_else(|error| fail(&format!("cannot start a thread: {error}")))
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    });
    let (model, mut written, kept) = front;

    let stage = Stage::begin("emit");
    emit::emit_into(&model, &config, &mut written).unwrap_or_else(|d| fail(&d.to_string()));
    out.push(stage.end());

    let peak_kb = out.iter().filter_map(|m| m.peak_kb).max();
    out.push(Measured {
        stage: "total",
        time: started.0.elapsed(),
        cpu: process_cpu().saturating_sub(started.1),
        peak_kb,
    });
    // What `generate` keeps to the end, so each peak counts what it holds.
    drop((kept, model, written));
    out
}

/// The stages before emit, each measured: the model, the sink with `openapi.json` handed to
/// it, and the diagnostics `generate` keeps to the end.
fn front_half(
    text: &str,
    name: &str,
    overlay_input: Option<(&str, &str)>,
    config: &Config,
) -> (
    Vec<Measured>,
    (generator::ir::Model, Counted, Vec<generator::Diagnostic>),
) {
    let mut out = Vec::new();

    let stage = Stage::begin("load");
    let mut document = load::load_document(text, name).unwrap_or_else(|d| fail(&d.to_string()));
    out.push(stage.end());

    if let Some((overlay_text, overlay_name)) = overlay_input {
        let stage = Stage::begin("overlay (load and apply)");
        let overlay_document = load::load_document(overlay_text, overlay_name)
            .unwrap_or_else(|d| fail(&d.to_string()));
        overlay::apply(&mut document, &overlay_document).unwrap_or_else(|d| fail(&d.to_string()));
        out.push(stage.end());
    }

    let stage = Stage::begin("normalize");
    let warnings = normalize::normalize(&mut document);
    out.push(stage.end());

    // As `generate` runs them: the components' shape check and the effective document on a
    // second thread, beside the rest of the shape check, the reference checks and the
    // operations' owners.
    let stage = Stage::begin("openapi.json and checks");
    let ((components, effective), (outside_components, mut problems)) =
        std::thread::scope(|scope| {
            let second = std::thread::Builder::new()
                .stack_size(parse::PARSER_STACK)
                .spawn_scoped(scope, || {
                    let components = parse::check_components(&document);
                    (components, generator::effective_document(&document, config))
                })
                .unwrap_or_else(|error| fail(&format!("cannot start a thread: {error}")));
            let outside_components = parse::check_outside_components(&document);
            let owners = generator::diagnostics::OperationIds::of(&document);
            let problems = validate::validate_document(&document);
            let second = second
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            drop(owners);
            (second, (outside_components, problems))
        });
    let shape = parse::joined_checks(outside_components, components);
    let effective = effective.unwrap_or_else(|d| fail(&d.to_string()));
    out.push(stage.end());
    shape.unwrap_or_else(|d| fail(&d.to_string()));
    // Handed over at once, as `generate` does.
    let mut written = Counted::default();
    let _ = generator::FileSink::file(&mut written, "openapi.json", effective);

    let stage = Stage::begin("parse");
    let never_reread = || fail("the typed parse refused the document; run `xtask generate` on it");
    let parsed = parse::parse_checked_owned_here(document, never_reread)
        .unwrap_or_else(|d| fail(&d.to_string()));
    out.push(stage.end());

    let stage = Stage::begin("validate (typed)");
    problems.0.extend(validate::validate_parsed(&parsed.api).0);
    out.push(stage.end());
    if problems.has_errors() {
        fail(&problems.to_string());
    }

    let stage = Stage::begin("lower");
    let (model, lowering) = lower::lower_owned(parsed, lower::Sites::Skip);
    out.push(stage.end());
    if let Some(error) = lowering.iter().find(|d| d.is_error()) {
        fail(&error.to_string());
    }
    generator::memory::release_freed_memory();
    let mut kept = warnings;
    kept.extend(problems.0);
    kept.extend(lowering);
    (out, (model, written, kept))
}

/// A file sink that keeps only how much it was given, as a caller writing files out would.
#[derive(Default)]
struct Counted {
    bytes: usize,
}

impl generator::FileSink for Counted {
    fn file(&mut self, _path: &str, contents: String) -> Result<(), String> {
        self.bytes += contents.len();
        Ok(())
    }

    fn begin<'s>(&'s mut self, _path: &str) -> Result<Box<dyn generator::FileParts + 's>, String> {
        Ok(Box::new(CountedParts(self)))
    }
}

/// The parts of one file, counted as they come.
struct CountedParts<'s>(&'s mut Counted);

impl generator::FileParts for CountedParts<'_> {
    fn write(&mut self, part: &str) -> Result<(), String> {
        self.0.bytes += part.len();
        Ok(())
    }

    fn end(self: Box<Self>) -> Result<(), String> {
        Ok(())
    }
}

/// `generator::generate_into` itself, timed as one call: what the stage rows add up to, with
/// the stages as it overlaps and drops them.
fn whole_generate(text: &str, name: &str, overlay: Option<(&str, &str)>) -> Measured {
    let config = Config::new("measured", name);
    let spec = generator::Input { text, name };
    let overlay = overlay.map(|(text, name)| generator::Input { text, name });
    let mut written = Counted::default();
    let stage = Stage::begin("generate()");
    let warnings = generator::generate_into(&spec, overlay, &config, &mut written)
        .unwrap_or_else(|d| fail(&d.to_string()));
    let measured = stage.end();
    drop(warnings);
    measured
}

/// A stage being timed: its start, after the peak-memory mark was reset.
struct Stage {
    label: &'static str,
    start: Instant,
    cpu_start: Duration,
}

impl Stage {
    fn begin(label: &'static str) -> Self {
        // Linux: writing 5 resets VmHWM to the current RSS, so the next read is this stage's peak.
        let _ = std::fs::write("/proc/self/clear_refs", "5");
        Self {
            label,
            start: Instant::now(),
            cpu_start: process_cpu(),
        }
    }

    fn end(self) -> Measured {
        let time = self.start.elapsed();
        let cpu = process_cpu().saturating_sub(self.cpu_start);
        Measured {
            stage: self.label,
            time,
            cpu,
            peak_kb: peak_kb(),
        }
    }
}

/// CPU time used so far by every thread of this process.
fn process_cpu() -> Duration {
    let now = clock_gettime(ClockId::ProcessCPUTime);
    Duration::new(
        now.tv_sec.try_into().unwrap_or(0),
        now.tv_nsec.try_into().unwrap_or(0),
    )
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
    eprintln!("usage: stage_timings SPEC [--overlay OVERLAY] [--runs N]");
    std::process::exit(2)
}
