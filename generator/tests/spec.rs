//! Spec test: spec/api.yaml, spec/overlay.yaml, fixtures/operations.tsv and fixtures/wire-samples in, a pass or a list of what is wrong out.
//!
//! It holds the document to the published index (58 operations, their ids, tags and order), to
//! itself (every `$ref` resolves, every example fits its schema) and to the wire: each of the 26
//! recorded responses must fit the response schema of its endpoint once the overlay is applied.
//! It also prints which samples the bare document rejects, and which samples each overlay action
//! is needed for, to show what each correction buys (`cargo test -p generator --test spec --
//! --nocapture`).
//!
//! How OpenAPI 3.0 schemas become JSON Schema 2020-12 here (see `translate`):
//! - `nullable: true` adds `"null"` to `type`; an `enum` keeps its own values, so a nullable enum
//!   must list `null` itself, as OpenAPI 3.0.3 says.
//! - `nullable: true` without a `type` has no effect by the letter of 3.0.3; PayPro's `null_type`
//!   (nullable and nothing else) is plainly meant as "null", so such a schema accepts null only,
//!   and a typeless nullable schema with other keywords accepts null besides what they allow.
//! - OpenAPI-only keywords (`example`, `x-*`, `discriminator`, `readOnly`, …) are dropped.
//! - Formats are validated: every date-time, date, uri and email must be well formed. The
//!   development host `http://api.paypro.test:3000` is a well-formed uri, so links to it pass.
//! - The wire check is closed-world: an object with `properties` rejects members it does not
//!   declare, so the overlaid document must name every field PayPro sends (a field the spec
//!   lacks is a field the generated client drops). The bare report uses the open, literal
//!   reading, so it lists only real contradictions.
//! - No leniency for numbers sent as strings: none of the 26 samples has one (the numeric-string
//!   cases of REFERENCE.md §5 are PHP fixtures, not kept here), so `integer` and `number` mean
//!   exactly that. If such a sample is added, the leniency belongs in the client, not here.

use generator::load::load_document;
use jsonschema::error::ValidationErrorKind;
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Each wire sample in fixtures/wire-samples and the response it was recorded from.
const SAMPLES: &str = "
    chargebacks/get.json                             GET  /chargebacks/{id}                                200
    chargebacks/list.json                            GET  /chargebacks                                     200
    customers/get.json                               GET  /customers/{id}                                  200
    customers/list.json                              GET  /customers                                       200
    events/get.json                                  GET  /events/{id}                                     200
    events/list.json                                 GET  /events                                          200
    installment_plan_periods/get.json                GET  /installment_plan_periods/{id}                   200
    installment_plans/get.json                       GET  /installment_plans/{id}                          200
    installment_plans/installment_plan_periods.json  GET  /installment_plans/{id}/installment_plan_periods 200
    installment_plans/list.json                      GET  /installment_plans                               200
    mandates/get.json                                GET  /mandates/{id}                                   200
    mandates/list.json                               GET  /mandates                                        200
    pay_methods/list.json                            GET  /pay_methods                                     200
    payments/chargebacks.json                        GET  /payments/{id}/chargebacks                       200
    payments/get.json                                GET  /payments/{id}                                   200
    payments/list.json                               GET  /payments                                        200
    payments/refund.json                             POST /payments/{id}/refunds                           201
    payments/refunds.json                            GET  /payments/{id}/refunds                           200
    refunds/get.json                                 GET  /refunds/{id}                                    200
    refunds/list.json                                GET  /refunds                                         200
    subscription_periods/get.json                    GET  /subscription_periods/{id}                       200
    subscriptions/get.json                           GET  /subscriptions/{id}                              200
    subscriptions/list.json                          GET  /subscriptions                                   200
    subscriptions/subscription_periods.json          GET  /subscriptions/{id}/subscription_periods         200
    webhooks/get.json                                GET  /webhooks/{id}                                   200
    webhooks/list.json                               GET  /webhooks                                        200
";

const TAGS: &str = "Payments, Refunds, Chargebacks, Pay methods, Customers, Mandates, Subscriptions, \
    Subscription periods, Installment plans, Installment plan periods, Events, Webhooks, Balances, Payouts, Top-ups";

const SCHEMAS: &str = "payment pay_method null_type refund chargeback customer mandate subscription subscription_period \
    installment_plan installment_plan_period event event_types webhook balance payout top_up error";

const SERVER: &str = "https://api.paypro.nl";

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Collects a problem instead of stopping at the first, so one run lists them all.
macro_rules! check {
    ($problems:expr, $ok:expr, $($message:tt)+) => {
        if !$ok {
            $problems.push(format!($($message)+));
        }
    };
}

fn assert_none(what: &str, problems: &[String]) {
    assert!(problems.is_empty(), "{what}:\n{}", problems.join("\n"));
}

#[test]
fn api_yaml_parses_as_openapi_3_0_bare_and_overlaid() {
    let bare: openapiv3::OpenAPI = serde_yaml::from_str(&read("spec/api.yaml"))
        .unwrap_or_else(|e| panic!("spec/api.yaml: {e}"));
    assert_eq!(
        (bare.openapi.as_str(), bare.info.title.as_str()),
        ("3.0.3", "PayPro API Reference")
    );
    let overlaid: openapiv3::OpenAPI =
        serde_json::from_value(overlaid()).unwrap_or_else(|e| panic!("overlaid document: {e}"));
    assert_eq!(overlaid.paths.paths.len(), bare.paths.paths.len());
}

#[test]
fn global_parts_are_as_published() {
    let document = bare();
    assert_eq!(
        (&document["info"]["version"], &document["servers"]),
        (&json!("v1"), &json!([{"url": SERVER}]))
    );
    let scheme = &document["components"]["securitySchemes"]["apiKey"];
    assert_eq!(
        (&scheme["type"], &scheme["scheme"], &scheme["bearerFormat"]),
        (&json!("http"), &json!("bearer"), &json!("API key"))
    );
    assert_eq!(
        document["security"],
        json!([{"apiKey": []}]),
        "the key applies to every operation"
    );
    assert_eq!(keys(&document["components"]["schemas"]).join(" "), SCHEMAS);
}

#[test]
fn every_ref_resolves() {
    for (name, document) in [("spec/api.yaml", bare()), ("overlaid document", overlaid())] {
        let mut refs = Vec::new();
        collect_refs(&document, "", &mut refs);
        assert!(
            refs.len() > 100,
            "{name}: only {} $refs found; the walk is broken",
            refs.len()
        );
        let broken: Vec<String> = refs
            .iter()
            .filter(|(_, target)| {
                target
                    .strip_prefix('#')
                    .and_then(|p| document.pointer(p))
                    .is_none()
            })
            .map(|(at, target)| format!("{at}: {target}"))
            .collect();
        assert_none(&format!("{name}: unresolved $refs"), &broken);
    }
}

#[test]
fn operations_match_the_published_index() {
    let document = bare();
    let rows = operations_tsv();
    assert_eq!(
        rows.len(),
        58,
        "fixtures/operations.tsv should list 58 operations"
    );
    let expected: BTreeSet<(&str, &str)> = rows
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str()))
        .collect();
    let found: Vec<(String, String, &Value)> = operations(&document).collect();
    let found: BTreeSet<(&str, &str)> = found
        .iter()
        .map(|(m, p, _)| (m.as_str(), p.as_str()))
        .collect();
    let mut problems: Vec<String> = Vec::new();
    for missing in expected.difference(&found) {
        problems.push(format!("missing operation {missing:?}"));
    }
    for extra in found.difference(&expected) {
        problems.push(format!("operation {extra:?} is not in the published index"));
    }
    let mut index_paths: Vec<&str> = rows.iter().map(|r| r[1].as_str()).collect();
    index_paths.dedup();
    let paths = keys(&document["paths"]);
    check!(
        problems,
        paths == index_paths,
        "paths are not in the order of the index: {paths:?}"
    );
    let tags: Vec<&str> = items(&document["tags"])
        .filter_map(|t| t["name"].as_str())
        .collect();
    check!(
        problems,
        tags.join(", ") == TAGS,
        "top-level tags are {tags:?}"
    );

    let mut ids = BTreeSet::new();
    for [method, path, group, slug] in &rows {
        let operation = &document["paths"][path][method];
        let at = format!("{} {path}", method.to_uppercase());
        let Some(id) = operation["operationId"].as_str() else {
            problems.push(format!("{at} has no operationId"));
            continue;
        };
        check!(problems, ids.insert(id), "operationId {id} is used twice");
        check!(
            problems,
            id.to_lowercase() == *slug,
            "{at}: operationId {id} does not spell {slug}"
        );
        let tags: Vec<&str> = items(&operation["tags"])
            .filter_map(Value::as_str)
            .collect();
        let grouped = tags.len() == 1 && tags[0].to_lowercase().replace(' ', "-") == *group;
        check!(
            problems,
            grouped,
            "{at}: tags {tags:?} are not the one tag of group {group}"
        );
        for field in ["summary", "description"] {
            check!(
                problems,
                operation[field].as_str().is_some_and(|s| !s.is_empty()),
                "{at}: no {field}"
            );
        }
        let created = method == "post" && !path.ends_with("/pause") && !path.ends_with("/resume");
        let success = if created { "201" } else { "200" };
        check!(
            problems,
            operation["responses"][success].is_object(),
            "{at} should answer {success}"
        );
    }
    assert_none(
        "the document does not match fixtures/operations.tsv",
        &problems,
    );
}

#[test]
fn parameters_follow_the_path_and_the_pagination_guide() {
    let document = bare();
    let (mut lists, mut problems) = (0, Vec::new());
    for (method, path, operation) in operations(&document) {
        let at = format!("{} {path}", method.to_uppercase());
        let has_id = items(&operation["parameters"]).any(|p| {
            (&p["name"], &p["in"], &p["required"], &p["schema"]["type"])
                == (&json!("id"), &json!("path"), &json!(true), &json!("string"))
        });
        check!(
            problems,
            has_id == path.contains("{id}"),
            "{at}: path parameter `id` and path disagree"
        );
        let refs: Vec<&str> = items(&operation["parameters"])
            .filter_map(|p| p["$ref"].as_str())
            .collect();
        let paged = [
            "#/components/parameters/limit",
            "#/components/parameters/cursor",
        ];
        if success_schema(operation)["properties"]["type"]["enum"] == json!(["list"]) {
            lists += 1;
            check!(
                problems,
                refs == paged,
                "{at} is a list and must take limit and cursor, takes {refs:?}"
            );
        } else {
            check!(
                problems,
                refs.is_empty(),
                "{at} is not a list but takes {refs:?}"
            );
        }
    }
    check!(
        problems,
        lists == 21,
        "expected 21 list operations, found {lists}"
    );
    assert_none("parameter problems", &problems);
}

#[test]
fn every_wire_sample_is_checked() {
    let mut on_disk = Vec::new();
    list_json_files(&root().join("fixtures/wire-samples"), "", &mut on_disk);
    on_disk.sort();
    let mapped: Vec<String> = samples().into_iter().map(|s| s.file).collect();
    assert_eq!(
        on_disk, mapped,
        "every file in fixtures/wire-samples needs a line in SAMPLES"
    );
    assert_eq!(mapped.len(), 26);
}

#[test]
fn wire_samples_fit_the_overlaid_spec_and_the_bare_spec_shows_why_the_overlay_exists() {
    let (bare, overlaid) = (bare(), overlaid());
    let samples = samples();
    for sample in &samples {
        assert!(
            sample.schema(&bare).is_object(),
            "{}: its endpoint has no JSON response schema",
            sample.file
        );
    }
    let bare_rejects = rejected(&bare, &samples, false);
    eprintln!(
        "The bare spec/api.yaml rejects {} of {} wire samples:",
        bare_rejects.len(),
        samples.len()
    );
    bare_rejects.iter().for_each(|line| eprintln!("  {line}"));
    report_what_each_action_buys(&bare, &samples);
    assert_none(
        "the overlaid spec rejects wire samples",
        &rejected(&overlaid, &samples, true),
    );
    assert!(
        !bare_rejects.is_empty(),
        "the bare spec accepts every sample, so what is the overlay for?"
    );
}

#[test]
fn the_checker_rejects_a_broken_sample() {
    // Guards the checker itself: a validator that accepted everything would pass the test above.
    let document = overlaid();
    let schema = json!({"$ref": "#/components/schemas/refund"});
    let refund: Value =
        serde_json::from_str(&read("fixtures/wire-samples/refunds/get.json")).unwrap();
    assert_eq!(first_error(&document, &schema, &refund, true), None);
    let breakages = [
        ("amount", json!("5000")),
        ("created_at", json!("yesterday")),
        ("currency", json!("USD")),
    ];
    for (field, value) in breakages.into_iter().chain([("unknown_member", json!(1))]) {
        let mut broken = refund.clone();
        broken[field] = value;
        let error = first_error(&document, &schema, &broken, true).unwrap_or_default();
        assert!(
            error.contains(field),
            "a refund with a bad {field} got: {error:?}"
        );
    }
    let plan: Value =
        serde_json::from_str(&read("fixtures/wire-samples/installment_plans/get.json")).unwrap();
    let plan_schema = json!({"$ref": "#/components/schemas/installment_plan"});
    assert_eq!(first_error(&document, &plan_schema, &plan, true), None);
    let mut over = plan.clone();
    over["period"]["vat"] = json!(150.0);
    let error = first_error(&document, &plan_schema, &over, true).unwrap_or_default();
    assert!(
        error.contains("/period/vat") && error.contains("maximum"),
        "a VAT of 150 got: {error:?}"
    );
    let mut without_amount = refund.clone();
    without_amount.as_object_mut().unwrap().remove("amount");
    let error = first_error(&document, &schema, &without_amount, true).unwrap_or_default();
    assert!(
        error.contains("\"amount\" is a required property"),
        "{error}"
    );
}

#[test]
fn every_example_fits_its_schema() {
    for (name, document) in [("spec/api.yaml", bare()), ("overlaid document", overlaid())] {
        let mut examples = Vec::new();
        collect_examples(&document, "", &mut examples);
        assert!(
            examples.len() >= 15,
            "{name}: only {} examples found; the walk is broken",
            examples.len()
        );
        let failures: Vec<String> = examples
            .iter()
            .filter_map(|(at, schema, example)| {
                first_error(&document, schema, example, true).map(|e| format!("{at}: {e}"))
            })
            .collect();
        assert_none(
            &format!("{name}: examples that do not fit their schema"),
            &failures,
        );
    }
}

// ---------------------------------------------------------------- documents and fixtures

struct Sample {
    file: String,
    method: String,
    path: String,
    status: String,
    body: Value,
}

impl Sample {
    fn schema<'a>(&self, document: &'a Value) -> &'a Value {
        let response = &document["paths"][&self.path][&self.method]["responses"][&self.status];
        &response["content"]["application/json"]["schema"]
    }
}

fn samples() -> Vec<Sample> {
    let parse = |line: &str| {
        let cells: Vec<&str> = line.split_whitespace().collect();
        let [file, method, path, status] = cells[..] else {
            panic!("bad SAMPLES line: {line}")
        };
        let body = serde_json::from_str(&read(&format!("fixtures/wire-samples/{file}")))
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        let method = method.to_lowercase();
        Sample {
            file: file.into(),
            method,
            path: path.into(),
            status: status.into(),
            body,
        }
    };
    SAMPLES
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(parse)
        .collect()
}

/// The samples `document` rejects, each with the reason.
fn rejected(document: &Value, samples: &[Sample], closed: bool) -> Vec<String> {
    let why = |s: &Sample| {
        first_error(document, s.schema(document), &s.body, closed)
            .map(|e| format!("{}: {e}", s.file))
    };
    samples.iter().filter_map(why).collect()
}

/// Applies the overlay once without each action in turn and prints the samples that then fail.
/// Actions whose evidence lies outside fixtures/wire-samples (PHP fixtures, published examples)
/// are needed by no sample here; that is expected, and their descriptions name the evidence.
fn report_what_each_action_buys(bare: &Value, samples: &[Sample]) {
    let overlay = load_document(&read("spec/overlay.yaml"), "spec/overlay.yaml").unwrap();
    let actions = overlay["actions"].as_array().cloned().unwrap_or_default();
    eprintln!("Samples that fail when one overlay action is left out:");
    for (skipped, action) in actions.iter().enumerate() {
        let mut partial = overlay.clone();
        partial["actions"] = Value::Array(
            actions
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != skipped)
                .map(|(_, a)| a.clone())
                .collect(),
        );
        let mut document = bare.clone();
        let needed_by = match generator::overlay::apply(&mut document, &partial) {
            Err(_) => "(the rest of the overlay no longer applies)".to_owned(),
            Ok(()) => rejected(&document, samples, true)
                .iter()
                .map(|line| line.split(':').next().unwrap_or(""))
                .collect::<Vec<_>>()
                .join(", "),
        };
        let summary: String = action["description"]
            .as_str()
            .unwrap_or("")
            .chars()
            .take(60)
            .collect();
        eprintln!(
            "  action {skipped} ({summary}…): {}",
            if needed_by.is_empty() {
                "none"
            } else {
                &needed_by
            }
        );
    }
}

/// The keys of an object, or nothing.
fn keys(value: &Value) -> Vec<&str> {
    value
        .as_object()
        .into_iter()
        .flatten()
        .map(|(key, _)| key.as_str())
        .collect()
}

/// The items of an array, or nothing.
fn items(value: &Value) -> impl Iterator<Item = &Value> {
    value.as_array().into_iter().flatten()
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(relative: &str) -> String {
    std::fs::read_to_string(root().join(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

fn bare() -> Value {
    load_document(&read("spec/api.yaml"), "spec/api.yaml").unwrap_or_else(|d| panic!("{d}"))
}

fn overlaid() -> Value {
    let mut document = bare();
    let overlay = load_document(&read("spec/overlay.yaml"), "spec/overlay.yaml")
        .unwrap_or_else(|d| panic!("{d}"));
    if let Err(diagnostics) = generator::overlay::apply(&mut document, &overlay) {
        panic!("spec/overlay.yaml does not apply to spec/api.yaml:\n{diagnostics}");
    }
    document
}

/// Rows of fixtures/operations.tsv: method (lower case), path, reference group, slug.
fn operations_tsv() -> Vec<[String; 4]> {
    let row = |line: &str| match line.split('\t').collect::<Vec<_>>()[..] {
        [method, path, group, slug] => [
            method.to_lowercase(),
            path.into(),
            group.into(),
            slug.into(),
        ],
        _ => panic!("bad line in fixtures/operations.tsv: {line}"),
    };
    read("fixtures/operations.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(row)
        .collect()
}

fn operations(document: &Value) -> impl Iterator<Item = (String, String, &Value)> {
    let paths = document["paths"].as_object().into_iter().flatten();
    paths.flat_map(|(path, item)| {
        METHODS.iter().filter_map(move |m| {
            item.get(*m)
                .map(|operation| (m.to_string(), path.clone(), operation))
        })
    })
}

fn success_schema(operation: &Value) -> &Value {
    let responses = operation["responses"].as_object().into_iter().flatten();
    let success = responses
        .filter(|(code, _)| code.starts_with('2'))
        .map(|(_, response)| response)
        .next();
    success.map_or(&Value::Null, |response| {
        &response["content"]["application/json"]["schema"]
    })
}

fn list_json_files(dir: &Path, prefix: &str, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap().map(Result::unwrap) {
        let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
        if entry.file_type().unwrap().is_dir() {
            list_json_files(&entry.path(), &format!("{name}/"), out);
        } else if name.ends_with(".json") {
            out.push(name);
        }
    }
}

fn collect_refs(value: &Value, at: &str, out: &mut Vec<(String, String)>) {
    let children: Vec<(String, &Value)> = match value {
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| (k.replace('~', "~0").replace('/', "~1"), v))
            .collect(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
        _ => return,
    };
    for (key, child) in children {
        match (key.as_str(), child) {
            ("$ref", Value::String(target)) => out.push((format!("{at}/$ref"), target.clone())),
            _ => collect_refs(child, &format!("{at}/{key}"), out),
        }
    }
}

/// Every example in the document with the schema it must fit: a media type's or parameter's
/// `example` and `examples` against its `schema`, a schema's own `example` against that schema.
/// Example values are data, so the walk does not enter them; inside a `properties` map every key
/// is a property name, so `example` or `schema` there means nothing special.
fn collect_examples(value: &Value, at: &str, out: &mut Vec<(String, Value, Value)>) {
    let (entries, in_properties) = match value {
        Value::Object(map) => (map, at.ends_with("/properties")),
        Value::Array(items) => {
            items
                .iter()
                .enumerate()
                .for_each(|(i, item)| collect_examples(item, &format!("{at}/{i}"), out));
            return;
        }
        _ => return,
    };
    if !in_properties {
        if let Some(schema) = entries.get("schema") {
            if let Some(example) = entries.get("example") {
                out.push((format!("{at}/example"), schema.clone(), example.clone()));
            }
            for (name, example) in entries
                .get("examples")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                out.push((
                    format!("{at}/examples/{name}"),
                    schema.clone(),
                    example["value"].clone(),
                ));
            }
        } else if let Some(example) = entries.get("example") {
            let mut schema = entries.clone();
            schema.remove("example");
            out.push((
                format!("{at}/example"),
                Value::Object(schema),
                example.clone(),
            ));
        }
    }
    for (key, child) in entries {
        if in_properties || !matches!(key.as_str(), "example" | "examples") {
            collect_examples(child, &format!("{at}/{key}"), out);
        }
    }
}

// ---------------------------------------------------------------- OpenAPI 3.0 schema → JSON Schema

/// JSON Schema keywords that mean the same in OpenAPI 3.0, copied as they are.
const KEPT: &str = "required enum format minimum maximum minLength maxLength pattern minItems maxItems \
    uniqueItems minProperties maxProperties multipleOf default title description";
const ANNOTATIONS: [&str; 3] = ["title", "description", "default"];

/// Validates `instance` against `schema` (an OpenAPI schema inside `document`) and returns the
/// most telling error, if any.
fn first_error(document: &Value, schema: &Value, instance: &Value, closed: bool) -> Option<String> {
    let schemas = &document["components"]["schemas"];
    let defs: Map<_, _> = keys(schemas)
        .into_iter()
        .map(|n| (n.into(), translate(&schemas[n], closed)))
        .collect();
    let mut root = translate(schema, closed);
    root["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
    root["$defs"] = Value::Object(defs);
    let validator = jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&root)
        .unwrap_or_else(|e| panic!("translated schema does not compile: {e}\n{root:#}"));
    validator
        .iter_errors(instance)
        .next()
        .map(|error| describe(&error))
}

fn translate(schema: &Value, closed: bool) -> Value {
    let Some(fields) = schema.as_object() else {
        return schema.clone();
    };
    let nullable = fields.get("nullable") == Some(&json!(true));
    let mut out = Map::new();
    for (key, value) in fields {
        let translated = match key.as_str() {
            "$ref" => json!(
                value
                    .as_str()
                    .unwrap_or_default()
                    .replace("#/components/schemas/", "#/$defs/")
            ),
            "properties" => keys(value)
                .into_iter()
                .map(|n| (n, translate(&value[n], closed)))
                .collect(),
            "items" | "not" | "additionalProperties" => translate(value, closed),
            "allOf" | "anyOf" | "oneOf" => items(value).map(|v| translate(v, closed)).collect(),
            "type" if nullable => json!([value, "null"]),
            key if key == "type" || KEPT.split_whitespace().any(|kept| kept == key) => {
                value.clone()
            }
            // nullable, example, discriminator, readOnly, writeOnly, xml, externalDocs, deprecated,
            // x-*, and 3.0's boolean exclusiveMinimum/Maximum (turned into 2020-12 form below).
            _ => continue,
        };
        out.insert(key.clone(), translated);
    }
    for (flag, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        // Only a `true` flag moves the bound; a 3.0 schema without the flag keeps its minimum.
        if fields.get(flag) == Some(&json!(true)) {
            if let Some(limit) = out.remove(bound) {
                out.insert(flag.into(), limit);
            }
        }
    }
    if closed && out.contains_key("properties") && !out.contains_key("additionalProperties") {
        out.insert("unevaluatedProperties".into(), json!(false));
    }
    if nullable && !fields.contains_key("type") {
        if !out.keys().all(|key| ANNOTATIONS.contains(&key.as_str())) {
            return json!({"anyOf": [out, {"type": "null"}]});
        }
        out.insert("type".into(), json!("null"));
    }
    Value::Object(out)
}

/// Names the failing place and rule. For a failed anyOf/oneOf it descends into the branch that
/// came closest: one whose `type` constant matched (so a payment is judged as a payment, not as
/// a refund), then the one with the fewest errors.
fn describe(error: &jsonschema::ValidationError<'_>) -> String {
    if let ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } =
        error.kind()
    {
        let type_at = format!("{}/type", error.instance_path().as_str());
        let closeness = |branch: &&Vec<jsonschema::ValidationError<'_>>| {
            (
                branch.iter().any(|e| e.instance_path().as_str() == type_at),
                branch.len(),
            )
        };
        if let Some(best) = context
            .iter()
            .filter(|branch| !branch.is_empty())
            .min_by_key(closeness)
        {
            return describe(&best[0]);
        }
    }
    let message: String = error.to_string().chars().take(160).collect();
    let path = error.instance_path().as_str();
    format!(
        "at `{}` ({}): {message}",
        if path.is_empty() { "/" } else { path },
        error.kind().keyword()
    )
}
