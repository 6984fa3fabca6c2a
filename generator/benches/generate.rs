//! Criterion benchmarks of the generator: every pipeline stage and the whole `generate()`, on the real PayPro spec (with its overlay) and on a synthetic big spec.
//!
//! The YAML parse (`load_document`) is the physical floor: no generator can do less than read
//! its input. `docs/PERFORMANCE.md` reports each stage, and the whole run, as a multiple of it.
//!
//! Run with `cargo bench -p generator --bench generate`.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use generator::{Config, Input, emit, load, lower, normalize, overlay, parse, validate};
use serde_json::{Value, json};
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

/// The real spec, its overlay, and the synthetic one, each benchmarked stage by stage.
fn benches(c: &mut Criterion) {
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

    let synthetic = synthetic_spec(40);
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
    c: &mut Criterion,
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
    let (model, _) = lower::lower(&api);

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
    group.bench_function("lower", |b| b.iter(|| lower::lower(black_box(&api))));
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

/// A deterministic spec shaped like PayPro's: `resources` tags of five operations each (list,
/// create, get, update, delete) and ten schemas per resource, so 40 resources give 200
/// operations and 400 schemas. It exercises what the real spec does: enums, nullable members,
/// `$ref` cycles, maps, list envelopes, date-times, lenient integers and a tagged `oneOf`.
fn synthetic_spec(resources: usize) -> String {
    let mut paths = serde_json::Map::new();
    let mut schemas = serde_json::Map::new();
    let mut tags = Vec::new();
    for i in 0..resources {
        let name = format!("thing{i}");
        let tag = format!("Things {i}");
        tags.push(json!({"name": tag, "description": format!("Resource number {i}.")}));
        let next = format!("thing{}", (i + 1) % resources);
        let schema_ref =
            |suffix: &str| json!({"$ref": format!("#/components/schemas/{name}{suffix}")});
        let id_parameter = json!({"name": "id", "in": "path", "required": true,
            "description": format!("Id of the {name}."), "schema": {"type": "string"}});
        paths.insert(
            format!("/{name}s"),
            json!({
                "get": {
                    "operationId": format!("list{i}"), "tags": [tag],
                    "summary": format!("List {name}s"), "description": "Lists them, newest first.",
                    "parameters": [{"$ref": "#/components/parameters/limit"},
                                   {"$ref": "#/components/parameters/cursor"}],
                    "responses": {"200": {"description": "found", "content": {"application/json": {"schema": {
                        "type": "object", "required": ["type", "data", "count", "_links"],
                        "properties": {
                            "type": {"type": "string", "enum": ["list"]},
                            "data": {"type": "array", "items": schema_ref("")},
                            "count": {"type": "integer"},
                            "_links": {"type": "object", "required": ["self"], "properties": {
                                "self": {"type": "string", "format": "uri"},
                                "next": {"type": "string", "format": "uri"},
                                "prev": {"type": "string", "format": "uri"}}}}}}}}}
                },
                "post": {
                    "operationId": format!("create{i}"), "tags": [tag],
                    "summary": format!("Create a {name}"), "description": "Makes one.",
                    "requestBody": {"required": true, "content": {"application/json": {"schema": schema_ref("_create")}}},
                    "responses": {"201": {"description": "created", "content": {"application/json": {"schema": schema_ref("")}}},
                                  "422": {"description": "invalid", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/error"}}}}}
                }
            }),
        );
        paths.insert(
            format!("/{name}s/{{id}}"),
            json!({
                "get": {
                    "operationId": format!("get{i}"), "tags": [tag], "summary": format!("Get a {name}"),
                    "parameters": [id_parameter.clone()],
                    "responses": {"200": {"description": "found", "content": {"application/json": {"schema": schema_ref("")}}}}
                },
                "patch": {
                    "operationId": format!("update{i}"), "tags": [tag], "summary": format!("Update a {name}"),
                    "parameters": [id_parameter.clone()],
                    "requestBody": {"required": true, "content": {"application/json": {"schema": schema_ref("_update")}}},
                    "responses": {"200": {"description": "updated", "content": {"application/json": {"schema": schema_ref("")}}}}
                },
                "delete": {
                    "operationId": format!("delete{i}"), "tags": [tag], "summary": format!("Delete a {name}"),
                    "parameters": [id_parameter],
                    "responses": {"204": {"description": "deleted"}}
                }
            }),
        );
        let states: Vec<String> = (0..5 + i % 7).map(|s| format!("state_{s}")).collect();
        schemas.insert(name.clone(), json!({
            "type": "object", "description": format!("Thing number {i}."),
            "required": ["id", "type", "amount", "state", "created_at", "_links"],
            "properties": {
                "id": {"type": "string", "description": "Its id."},
                "type": {"type": "string", "enum": [name], "description": "Always the same."},
                "amount": {"type": "integer", "format": "int64", "description": "In cents."},
                "vat": {"type": "number", "nullable": true, "description": "Percentage."},
                "description": {"type": "string", "nullable": true},
                "state": {"$ref": format!("#/components/schemas/{name}_state")},
                "created_at": {"type": "string", "format": "date-time"},
                "settled_on": {"type": "string", "format": "date", "nullable": true},
                "metadata": {"type": "object", "nullable": true, "additionalProperties": {"type": "string"}},
                "items": {"type": "array", "items": schema_ref("_item")},
                "owner": schema_ref("_owner"),
                "related": {"$ref": format!("#/components/schemas/{next}")},
                "detail": schema_ref("_detail"),
                "_links": schema_ref("_links")
            }
        }));
        schemas.insert(
            format!("{name}_state"),
            json!({"type": "string", "enum": states}),
        );
        schemas.insert(format!("{name}_item"), json!({
            "type": "object", "required": ["sku", "quantity"],
            "properties": {"sku": {"type": "string"}, "quantity": {"type": "integer", "minimum": 0},
                           "price": {"type": "integer", "nullable": true}, "note": {"type": "string"}}
        }));
        schemas.insert(format!("{name}_owner"), json!({
            "type": "object", "required": ["name"],
            "properties": {"name": {"type": "string"}, "email": {"type": "string", "format": "email"},
                           "address": {"type": "object", "properties": {
                               "street": {"type": "string"}, "city": {"type": "string"},
                               "country": {"type": "string", "enum": ["NL", "BE", "DE", "FR"]}}}}
        }));
        schemas.insert(
            format!("{name}_detail"),
            json!({
                "description": "Decided by its `type` member.",
                "oneOf": [schema_ref("_card"), schema_ref("_bank")]
            }),
        );
        schemas.insert(format!("{name}_card"), json!({
            "type": "object", "required": ["type", "last4"],
            "properties": {"type": {"type": "string", "enum": ["card"]}, "last4": {"type": "string"},
                           "expires": {"type": "string", "format": "date"}}
        }));
        schemas.insert(format!("{name}_bank"), json!({
            "type": "object", "required": ["type", "iban"],
            "properties": {"type": {"type": "string", "enum": ["bank"]}, "iban": {"type": "string"},
                           "bic": {"type": "string", "nullable": true}}
        }));
        schemas.insert(
            format!("{name}_links"),
            json!({
                "type": "object", "required": ["self"],
                "properties": {"self": {"type": "string", "format": "uri"},
                               "owner": {"type": "string", "format": "uri"}}
            }),
        );
        schemas.insert(format!("{name}_create"), json!({
            "type": "object", "required": ["amount"],
            "properties": {"amount": {"type": "integer"}, "description": {"type": "string", "nullable": true},
                           "items": {"type": "array", "items": schema_ref("_item")},
                           "metadata": {"type": "object", "nullable": true}}
        }));
        // The update refers to the same state enum, so lowering must share one type for it.
        schemas.insert(
            format!("{name}_update"),
            json!({
                "type": "object",
                "properties": {"description": {"type": "string", "nullable": true},
                               "state": {"$ref": format!("#/components/schemas/{name}_state")}}
            }),
        );
    }
    schemas.insert("error".to_owned(), json!({
        "type": "object", "required": ["error"],
        "properties": {"error": {"type": "object", "required": ["message"],
            "properties": {"message": {"type": "string"}, "param": {"type": "string", "nullable": true}}}}
    }));
    let document: Value = json!({
        "openapi": "3.0.3",
        "info": {"title": "Synthetic API", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "tags": tags,
        "paths": paths,
        "components": {
            "parameters": {
                "limit": {"name": "limit", "in": "query", "required": false,
                          "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
                "cursor": {"name": "cursor", "in": "query", "required": false, "schema": {"type": "string"}}
            },
            "schemas": schemas
        }
    });
    serde_yaml::to_string(&document).expect("a JSON value is YAML")
}

criterion_group!(generate, benches);
criterion_main!(generate);
