//! Criterion benchmarks of the generator: every pipeline stage and the whole `generate()`, on the real PayPro spec (with its overlay) and on a synthetic big spec.
//!
//! The YAML parse (`load_document`) is the physical floor: no generator can do less than read
//! its input. `docs/PERFORMANCE.md` reports each stage, and the whole run, as a multiple of it.
//!
//! Times are the benchmark thread's CPU time, not wall-clock time (the measurement is shared with
//! the generated client's benchmarks: `templates/paypro/benches/support/cpu_time.rs`). Run with
//! `cargo bench -p generator --bench generate`.

#[path = "../../templates/paypro/benches/support/cpu_time.rs"]
mod cpu_time;
#[path = "../tests/big_document/synth.rs"]
mod synth;

use cpu_time::CpuTime;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use generator::{Config, Input, emit, load, lower, normalize, overlay, parse, validate};
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

/// The real spec, its overlay, and the synthetic one, each benchmarked stage by stage.
fn benches(c: &mut Criterion<CpuTime>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let read = |relative: &str| {
        std::fs::read_to_string(root.join(relative))
            .unwrap_or_else(|error| panic!("cannot read {relative}: {error}"))
    };
    let api = read("spec/api.yaml");
    let overlay_text = read("spec/overlay.yaml");
    stages(
        c,
        "paypro",
        Input {
            text: &api,
            name: "spec/api.yaml",
        },
        Some(Input {
            text: &overlay_text,
            name: "spec/overlay.yaml",
        }),
        &Config::paypro(),
    );

    let synthetic = synthetic_spec();
    // For reproducing a figure outside criterion (or feeding the spec to another generator).
    if let Some(path) = std::env::var_os("GENERATOR_BENCH_DUMP_SYNTHETIC") {
        std::fs::write(&path, &synthetic).expect("the dump path is writable");
    }
    stages(
        c,
        "synthetic",
        Input {
            text: &synthetic,
            name: "synthetic.yaml",
        },
        None,
        &Config::new("synthetic", "synthetic.yaml"),
    );
}

/// Benchmarks each stage on the output of the one before it, then the whole run.
fn stages(
    c: &mut Criterion<CpuTime>,
    label: &str,
    spec: Input<'_>,
    overlay_input: Option<Input<'_>>,
    config: &Config,
) {
    let mut group = c.benchmark_group(label);
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(4));
    group.warm_up_time(Duration::from_secs(1));

    // Prepare every stage's input once, outside the timed loops.
    let loaded = load::load_document(spec.text, spec.name).expect("the spec loads");
    let overlay_document =
        overlay_input.map(|o| load::load_document(o.text, o.name).expect("the overlay loads"));
    let mut document = loaded.clone();
    if let Some(overlay_document) = &overlay_document {
        overlay::apply(&mut document, overlay_document).expect("the overlay applies");
    }
    let overlaid = document.clone();
    normalize::normalize(&mut document);
    let api = parse::parse_document(&document).expect("the spec parses");
    let (model, _) = lower::lower(&api, lower::Sites::Skip);

    group.bench_function("load_document", |b| {
        b.iter(|| load::load_document(black_box(spec.text), spec.name))
    });
    if let (Some(input), Some(overlay_document)) = (overlay_input, &overlay_document) {
        group.bench_function("load_overlay", |b| {
            b.iter(|| load::load_document(black_box(input.text), input.name))
        });
        group.bench_function("overlay_apply", |b| {
            b.iter_batched(
                || loaded.clone(),
                |mut value| {
                    overlay::apply(&mut value, overlay_document).expect("applies");
                    value
                },
                BatchSize::LargeInput,
            )
        });
    }
    group.bench_function("normalize", |b| {
        b.iter_batched(
            || overlaid.clone(),
            |mut value| {
                let warnings = normalize::normalize(&mut value);
                (value, warnings)
            },
            BatchSize::LargeInput,
        )
    });
    group.bench_function("parse_document", |b| {
        b.iter(|| parse::parse_document(black_box(&document)))
    });
    group.bench_function("validate", |b| {
        b.iter(|| validate::validate(black_box(&document), &api))
    });
    group.bench_function("lower", |b| {
        b.iter(|| lower::lower(black_box(&api), lower::Sites::Skip))
    });
    group.bench_function("emit", |b| b.iter(|| emit::emit(black_box(&model), config)));
    // Not a stage of its own: `generate()` also writes the effective document as openapi.json.
    group.bench_function("openapi_json", |b| {
        b.iter(|| serde_json::to_string_pretty(black_box(&document)))
    });
    group.bench_function("generate", |b| {
        b.iter(|| generator::generate(black_box(spec), overlay_input, config).expect("generates"))
    });
    group.finish();
}

/// The big-document synthesizer's output (`generator/tests/big_document/synth.rs`, a port of
/// `scripts/synth-spec.py`) at 200 operations and 400 schemas, seed 1, as YAML like the real spec.
fn synthetic_spec() -> String {
    let (document, schemas) = synth::document(200, 400, 1);
    assert_eq!(
        schemas, 400,
        "the synthesizer made the wrong number of schemas"
    );
    serde_yaml::to_string(&document).expect("a JSON value is YAML")
}

criterion_group! {
    name = generate;
    config = Criterion::default().with_measurement(CpuTime);
    targets = benches
}
criterion_main!(generate);
