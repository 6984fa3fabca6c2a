//! Property-based fuzzing of the whole generator on stable Rust: random documents in, never a panic out, and every emitted Rust file parses.
//!
//! Documents come from two places: mutations of real specs (`spec/api.yaml` and every
//! `tests/constructs/*.yaml`; see `fuzz/mutate.rs`) and random small documents from a grammar
//! (`fuzz/grammar.rs`). Each is written out as compact JSON, pretty JSON or YAML, sometimes
//! truncated, bit-flipped or spliced, sometimes paired with a random Overlay, and fed to
//! `generator::generate`. The properties: no panic; on success every `.rs` file parses with
//! syn; on failure no diagnostic is a "generator bug" and every pointer is well-formed.
//!
//! `cargo test` runs a modest number of cases. For a long run, set `FUZZ_SECONDS`:
//! `FUZZ_SECONDS=600 cargo test -p generator --release --test fuzz -- --nocapture`
//! runs batches until the time is up, keeps going past failures (each is shrunk, printed and
//! written to `target/fuzz-findings/`), and prints how many cases ran. See docs/FUZZING.md.

#[path = "fuzz/grammar.rs"]
mod grammar;
#[path = "fuzz/mutate.rs"]
mod mutate;
#[path = "fuzz/regressions.rs"]
mod regressions;

use generator::{Config, Input};
use mutate::{Mutation, odd_string, odd_value};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config as RunConfig, TestCaseError, TestError, TestRunner};
use serde_json::{Value, json};
use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// One fuzz case: where the document comes from, how it is written, and an optional overlay.
#[derive(Debug, Clone)]
struct Case {
    source: Source,
    encoding: Encoding,
    corruption: Corruption,
    overlay: Option<Vec<Action>>,
}

#[derive(Debug, Clone)]
enum Source {
    /// A seed document (its position in [`seeds`]) and the mutations applied to it in order.
    Seed(usize, Vec<Mutation>),
    Grammar(Value),
}

#[derive(Debug, Clone, Copy)]
enum Encoding {
    Json,
    PrettyJson,
    Yaml,
}

#[derive(Debug, Clone)]
enum Corruption {
    None,
    Truncate(Index),
    FlipBit(Index, u8),
    Splice(Index, String),
}

#[derive(Debug, Clone)]
struct Action {
    target: Target,
    update: Option<Value>,
    remove: bool,
}

#[derive(Debug, Clone)]
enum Target {
    /// A JSONPath naming one existing node of the document.
    Node(Index),
    Text(String),
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The real documents mutations start from: the PayPro spec and every construct spec.
fn seeds() -> &'static [(String, Value)] {
    static SEEDS: OnceLock<Vec<(String, Value)>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut paths = vec![manifest_dir().join("../spec/api.yaml")];
        let constructs = std::fs::read_dir(manifest_dir().join("tests/constructs")).unwrap();
        let mut more: Vec<PathBuf> = constructs.map(|e| e.unwrap().path()).collect();
        more.sort();
        paths.extend(
            more.into_iter()
                .filter(|p| p.extension().is_some_and(|e| e == "yaml")),
        );
        paths
            .into_iter()
            .map(|path| {
                let text = std::fs::read_to_string(&path).unwrap();
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                let value = generator::load::load_document(&text, &name).unwrap();
                (name, value)
            })
            .collect()
    })
}

/// In a debug build the big PayPro spec costs seconds per case, so the quick run mutates only
/// the small construct specs; the long run (`FUZZ_SECONDS`) uses every seed.
fn case(with_big_seed: bool) -> impl Strategy<Value = Case> {
    let first_seed = usize::from(!with_big_seed);
    let seed = (
        any::<Index>(),
        proptest::collection::vec(mutate::mutation(), 1..6),
    )
        .prop_map(move |(index, mutations)| {
            let count = seeds().len() - first_seed;
            Source::Seed(first_seed + index.index(count), mutations)
        });
    // `FUZZ_SOURCE=grammar` or `=seed` narrows a run to one kind of document.
    let (seed_weight, grammar_weight) = match std::env::var("FUZZ_SOURCE").as_deref() {
        Ok("grammar") => (0, 1),
        Ok("seed") => (1, 0),
        _ => (3, 2),
    };
    let grammar = grammar::document().prop_map(Source::Grammar);
    let source = prop_oneof![seed_weight => seed, grammar_weight => grammar];
    let encoding = prop_oneof![
        Just(Encoding::Json),
        Just(Encoding::PrettyJson),
        Just(Encoding::Yaml)
    ];
    let splice = proptest::sample::select(
        &[
            ":",
            "- ",
            "\t",
            "&a ",
            "*a",
            "!!binary ",
            "{",
            "'",
            "\"",
            "\n  ",
            "? ",
            "\u{feff}",
            "%YAML 1.2\n",
        ][..],
    );
    let corruption = prop_oneof![
        12 => Just(Corruption::None),
        1 => any::<Index>().prop_map(Corruption::Truncate),
        1 => (any::<Index>(), 0u8..8).prop_map(|(at, bit)| Corruption::FlipBit(at, bit)),
        1 => (any::<Index>(), splice).prop_map(|(at, s)| Corruption::Splice(at, s.to_owned())),
    ];
    let overlay = proptest::option::weighted(0.2, proptest::collection::vec(action(), 1..4));
    (source, encoding, corruption, overlay).prop_map(|(source, encoding, corruption, overlay)| {
        Case {
            source,
            encoding,
            corruption,
            overlay,
        }
    })
}

fn action() -> impl Strategy<Value = Action> {
    let text = proptest::sample::select(
        &[
            "$",
            "$..*",
            "$.paths.*",
            "$..[?@.type=='string']",
            "$.components.schemas.*.properties",
            "$[",
            "components",
            "$.missing",
            "$..['$ref']",
            "$..required[?@ == 'id']",
            "$..*[0]",
            "$.info.title",
        ][..],
    );
    let target = prop_oneof![
        8 => any::<Index>().prop_map(Target::Node),
        2 => text.prop_map(|t| Target::Text(t.to_owned())),
        1 => odd_string().prop_map(Target::Text),
    ];
    let update = proptest::option::weighted(0.9, odd_value());
    (target, update, proptest::bool::weighted(0.2)).prop_map(|(target, update, remove)| Action {
        target,
        update,
        remove,
    })
}

fn document_of(case: &Case) -> Value {
    match &case.source {
        Source::Seed(index, mutations) => {
            let mut document = seeds()[*index].1.clone();
            for mutation in mutations {
                mutate::apply(&mut document, mutation);
            }
            document
        }
        Source::Grammar(document) => document.clone(),
    }
}

/// The spec text and overlay text a case feeds to the generator.
fn render(case: &Case) -> (String, Option<String>) {
    let document = document_of(case);
    let overlay = case
        .overlay
        .as_ref()
        .map(|actions| overlay_text(&document, actions));
    let text = match case.encoding {
        Encoding::Json => serde_json::to_string(&document).unwrap(),
        Encoding::PrettyJson => serde_json::to_string_pretty(&document).unwrap(),
        Encoding::Yaml => serde_yaml::to_string(&document).unwrap(),
    };
    (corrupt(text, &case.corruption), overlay)
}

fn overlay_text(document: &Value, actions: &[Action]) -> String {
    let nodes = mutate::pointers(document);
    let actions: Vec<Value> = actions
        .iter()
        .map(|action| {
            let target = match &action.target {
                Target::Node(index) => json_path(&nodes[index.index(nodes.len())]),
                Target::Text(text) => text.clone(),
            };
            let mut fields = json!({ "target": target });
            if let Some(update) = &action.update {
                fields["update"] = update.clone();
            }
            if action.remove {
                fields["remove"] = json!(true);
            }
            fields
        })
        .collect();
    let overlay =
        json!({"overlay": "1.0.0", "info": {"title": "fuzz", "version": "1"}, "actions": actions});
    serde_yaml::to_string(&overlay).unwrap()
}

/// `$['a']['b'][0]` for the pointer `/a/b/0`. Numeric tokens are taken as names when the
/// parent is an object; that mismatch is itself worth feeding to the overlay engine.
fn json_path(pointer: &str) -> String {
    let mut path = String::from("$");
    for token in pointer.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        match token.parse::<usize>() {
            Ok(index) => path.push_str(&format!("[{index}]")),
            Err(_) => {
                let escaped = token.replace('\\', "\\\\").replace('\'', "\\'");
                path.push_str(&format!("['{escaped}']"));
            }
        }
    }
    path
}

fn corrupt(text: String, corruption: &Corruption) -> String {
    let mut bytes = text.into_bytes();
    match corruption {
        Corruption::None => {}
        Corruption::Truncate(at) => bytes.truncate(at.index(bytes.len() + 1)),
        Corruption::FlipBit(at, bit) => {
            if !bytes.is_empty() {
                let at = at.index(bytes.len());
                bytes[at] ^= 1 << bit;
            }
        }
        Corruption::Splice(at, insert) => {
            let at = at.index(bytes.len() + 1);
            bytes.splice(at..at, insert.bytes());
        }
    }
    // The generator takes text, so a flip that breaks UTF-8 becomes a replacement character.
    String::from_utf8_lossy(&bytes).into_owned()
}

static CASES: AtomicU64 = AtomicU64::new(0);
static GENERATED: AtomicU64 = AtomicU64::new(0);
static PARSER_FALLBACKS: AtomicU64 = AtomicU64::new(0);
static SKIPPED_OPEN: AtomicU64 = AtomicU64::new(0);

thread_local! {
    static IN_GENERATOR: Cell<bool> = const { Cell::new(false) };
    static PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Panics inside the generator are caught and reported as findings; the hook keeps their
/// message and location and stays quiet, while any other panic prints as usual.
fn install_panic_hook() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if IN_GENERATOR.with(Cell::get) {
                let place = info
                    .location()
                    .map(|l| format!(" at {l}"))
                    .unwrap_or_default();
                PANIC.with(|p| *p.borrow_mut() = Some(format!("{info}{place}")));
            } else {
                default(info);
            }
        }));
    });
}

/// Renders a case and checks the property on it.
fn check(case: &Case) -> Result<(), TestCaseError> {
    CASES.fetch_add(1, Ordering::Relaxed);
    if regressions::hits_open_abort(case) {
        SKIPPED_OPEN.fetch_add(1, Ordering::Relaxed);
        return Ok(());
    }
    // A stack overflow aborts the process before anything can be reported, so
    // `FUZZ_TRACE=FILE` keeps the case in flight on disk: first the case, then its inputs.
    let trace = std::env::var_os("FUZZ_TRACE");
    if let Some(trace) = &trace {
        std::fs::write(trace, format!("--- case (not yet rendered)\n{case:?}\n")).unwrap();
    }
    let (spec, overlay) = render(case);
    if let Some(trace) = &trace {
        let overlay = overlay.as_deref().unwrap_or_default();
        std::fs::write(trace, format!("{spec}\n--- overlay.yaml\n{overlay}")).unwrap();
    }
    property(&spec, overlay.as_deref()).map_err(TestCaseError::fail)
}

/// The property every input must keep: no panic; on success every `.rs` file parses; on
/// failure no diagnostic reports a generator bug and every pointer is well-formed.
fn property(spec: &str, overlay: Option<&str>) -> Result<(), String> {
    let config = Config::new("fuzzed", "fuzz");
    IN_GENERATOR.with(|flag| flag.set(true));
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let overlay = overlay.map(|text| Input {
            text,
            name: "overlay.yaml",
        });
        generator::generate(
            Input {
                text: spec,
                name: "spec.yaml",
            },
            overlay,
            &config,
        )
    }));
    IN_GENERATOR.with(|flag| flag.set(false));
    let diagnostics = match outcome {
        Err(_) => {
            let message = PANIC.with(|p| p.borrow_mut().take()).unwrap_or_default();
            return Err(format!("panic: {message}"));
        }
        Ok(Ok(generated)) => {
            GENERATED.fetch_add(1, Ordering::Relaxed);
            for (path, contents) in generated.files.iter().filter(|(p, _)| p.ends_with(".rs")) {
                if let Err(error) = syn::parse_file(contents) {
                    return Err(format!("{path} does not parse: {error}"));
                }
            }
            return Ok(());
        }
        Ok(Err(diagnostics)) => diagnostics,
    };
    if std::env::var_os("FUZZ_VERBOSE").is_some() {
        let first = diagnostics
            .0
            .first()
            .map(ToString::to_string)
            .unwrap_or_default();
        println!("rejected: {}", first.chars().take(160).collect::<String>());
        if std::env::var("FUZZ_SHOW").is_ok_and(|s| first.contains(&s)) {
            println!("{spec}");
        }
    }
    for diagnostic in &diagnostics.0 {
        if diagnostic.message.contains("generator bug") {
            return Err(format!("emit failed: {diagnostic}"));
        }
        if !diagnostic.pointer.is_empty() && !diagnostic.pointer.starts_with('/') {
            return Err(format!("malformed pointer: {diagnostic}"));
        }
        if diagnostic
            .message
            .contains("does not fit the OpenAPI 3.0 structure")
        {
            PARSER_FALLBACKS.fetch_add(1, Ordering::Relaxed);
        }
    }
    Ok(())
}

/// Enough for a few seconds of a debug `cargo test`; the long run is what finds things.
const QUICK_CASES: u32 = 256;

fn run_config(cases: u32) -> RunConfig {
    RunConfig {
        cases,
        failure_persistence: None,
        max_shrink_iters: 1_000,
        max_shrink_time: 120_000,
        ..RunConfig::default()
    }
}

/// What a failure looks like once shrunk: the reason, the case, and the exact inputs.
fn describe(reason: &str, case: &Case) -> String {
    let (spec, overlay) = render(case);
    let overlay = overlay
        .map(|o| format!("\n--- overlay.yaml\n{o}"))
        .unwrap_or_default();
    format!("{reason}\n--- case\n{case:?}\n--- spec text\n{spec}{overlay}")
}

#[test]
fn the_generator_never_panics_and_emits_only_rust_that_parses() {
    install_panic_hook();
    let seconds: Option<u64> = std::env::var("FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok());
    let Some(seconds) = seconds else {
        let start = Instant::now();
        let mut runner = TestRunner::new(run_config(QUICK_CASES));
        if let Err(error) = runner.run(&case(false), |case| check(&case)) {
            match error {
                TestError::Fail(reason, case) => panic!("{}", describe(&reason.to_string(), &case)),
                TestError::Abort(reason) => panic!("fuzzing aborted: {reason}"),
            }
        }
        report(start.elapsed(), 0);
        return;
    };
    long_run(Duration::from_secs(seconds));
}

/// Runs batches until the time is up, recording each distinct failure and carrying on.
fn long_run(budget: Duration) {
    let start = Instant::now();
    let findings_dir = manifest_dir().join("../target/fuzz-findings");
    let mut seen = BTreeSet::new();
    let mut last_report = Instant::now();
    while start.elapsed() < budget {
        let mut runner = TestRunner::new(run_config(100));
        if let Err(TestError::Fail(reason, case)) = runner.run(&case(true), |case| check(&case)) {
            let reason = reason.to_string();
            // One finding per kind of failure: the first line names the panic site or file.
            let key = reason.lines().next().unwrap_or_default().to_owned();
            if seen.insert(key.clone()) {
                let text = describe(&reason, &case);
                std::fs::create_dir_all(&findings_dir).unwrap();
                let file = findings_dir.join(format!("finding-{}.txt", seen.len()));
                std::fs::write(&file, &text).unwrap();
                println!(
                    "FINDING {}: {key}\n  written to {}",
                    seen.len(),
                    file.display()
                );
            }
        }
        if last_report.elapsed() > Duration::from_secs(60) {
            last_report = Instant::now();
            report(start.elapsed(), seen.len());
        }
    }
    report(start.elapsed(), seen.len());
}

fn report(elapsed: Duration, findings: usize) {
    println!(
        "fuzz: {} s, {} cases executed ({} generated a crate, {} hit the parser's fallback error, {} passed over for an open bug), {} distinct findings",
        elapsed.as_secs(),
        CASES.load(Ordering::Relaxed),
        GENERATED.load(Ordering::Relaxed),
        PARSER_FALLBACKS.load(Ordering::Relaxed),
        SKIPPED_OPEN.load(Ordering::Relaxed),
        findings
    );
}
