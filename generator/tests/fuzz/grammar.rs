//! Random small documents from a grammar of OpenAPI: components, paths, operations, parameters, bodies and responses, with names drawn from pools that collide, clash with Rust, and refer to components that may not exist.

use super::mutate::ODD_STRINGS;
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Map, Value, json};

/// Component names; a few are referred to but never defined, some differ only in case or
/// punctuation, so they collide once turned into Rust names.
const COMPONENTS: &[&str] = &[
    "Pet", "pet", "Pet_", "Option", "Self", "self", "Error", "Value", "a b", "ünï", "1st", "List",
    "Client", "Unknown",
];
const PROPERTIES: &[&str] = &[
    "id", "type", "self", "Self", "crate", "ref", "r#ref", "", "-", "_", "1a", "a-b", "a_b", "A",
    "a", "data", "_links", "count", "kind", "next", "value", "default", "enum", "ünï", "$ref",
];
const PATHS: &[&str] = &[
    "/",
    "/pets",
    "/pets/{id}",
    "/pets/{id}/toys/{toyId}",
    "/{a}/{b}",
    "/pets/{id}.json",
    "/pets/{pet-id}",
    "/ü/{ü}",
    "/pets/{type}",
    "/a//b",
    "/pets/{id}/{id}",
];
const MEDIA: &[&str] = &[
    "application/json",
    "application/vnd.x+json",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "application/octet-stream",
    "text/plain",
    "*/*",
];
const CODES: &[&str] = &["200", "201", "204", "2XX", "default", "404", "500", "302"];
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "patch", "head", "options", "trace",
];
const FORMATS: &[&str] = &[
    "date-time",
    "date",
    "binary",
    "byte",
    "int32",
    "int64",
    "float",
    "double",
    "uuid",
    "",
];

fn name(pool: &'static [&'static str]) -> impl Strategy<Value = String> {
    weighted_name(pool, 6)
}

/// A name from `pool`, or one time in `odds + 1` an odd string.
fn weighted_name(pool: &'static [&'static str], odds: u32) -> impl Strategy<Value = String> {
    prop_oneof![
        odds => select(pool).prop_map(str::to_owned),
        1 => select(ODD_STRINGS).prop_map(str::to_owned),
    ]
}

fn reference() -> impl Strategy<Value = Value> {
    name(COMPONENTS).prop_map(|n| json!({ "$ref": format!("#/components/schemas/{n}") }))
}

fn leaf_schema() -> impl Strategy<Value = Value> {
    prop_oneof![
        select(&["string", "integer", "number", "boolean"][..]).prop_map(|t| json!({"type": t})),
        (
            select(&["string", "integer", "number"][..]),
            select(FORMATS)
        )
            .prop_map(|(t, f)| json!({"type": t, "format": f})),
        proptest::collection::vec(name(PROPERTIES), 1..5)
            .prop_map(|values| json!({"type": "string", "enum": values})),
        proptest::collection::vec(-3i64..3, 1..4)
            .prop_map(|values| json!({"type": "integer", "enum": values})),
        Just(json!({"enum": ["a", 1, true, null]})),
        Just(json!({})),
        Just(json!({"nullable": true})),
        Just(json!({"type": "null"})),
        Just(json!({"type": ["string", "null"]})),
        Just(json!({"type": ["string", "integer"]})),
        Just(json!({"const": "only"})),
        reference(),
    ]
}

pub fn schema() -> impl Strategy<Value = Value> {
    leaf_schema().prop_recursive(4, 32, 5, |inner| {
        let properties = proptest::collection::vec((name(PROPERTIES), inner.clone()), 0..5);
        prop_oneof![
            (properties, any::<u8>(), any::<bool>()).prop_map(|(props, mask, nullable)| {
                let required: Vec<&String> = props
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| mask & (1 << (i % 8)) != 0)
                    .map(|(_, (n, _))| n)
                    .collect();
                let properties: Map<String, Value> = props.iter().cloned().collect();
                json!({"type": "object", "properties": properties, "required": required, "nullable": nullable})
            }),
            inner.clone().prop_map(|items| json!({"type": "array", "items": items})),
            inner.clone().prop_map(|value| json!({"type": "object", "additionalProperties": value})),
            proptest::collection::vec(inner.clone(), 0..4).prop_map(|m| json!({"oneOf": m})),
            proptest::collection::vec(inner.clone(), 0..4).prop_map(|m| json!({"anyOf": m})),
            proptest::collection::vec(inner.clone(), 0..4).prop_map(|m| json!({"allOf": m})),
            (proptest::collection::vec(reference(), 1..4), name(PROPERTIES)).prop_map(|(m, tag)| {
                json!({"oneOf": m, "discriminator": {"propertyName": tag}})
            }),
            (reference(), any::<bool>()).prop_map(|(r, nullable)| {
                let mut object = r.as_object().cloned().unwrap_or_default();
                object.insert("nullable".into(), json!(nullable));
                object.insert("description".into(), json!("beside a $ref"));
                Value::Object(object)
            }),
        ]
    })
}

fn parameter() -> impl Strategy<Value = Value> {
    let place = prop_oneof![5 => Just("query"), 2 => Just("header"), 1 => Just("cookie"), 1 => Just("path")];
    (
        name(PROPERTIES),
        place,
        any::<bool>(),
        schema(),
    )
        .prop_map(|(name, place, required, schema)| {
            json!({"name": name, "in": place, "required": required || place == "path", "schema": schema})
        })
}

fn content() -> impl Strategy<Value = Value> {
    proptest::collection::vec((select(MEDIA), proptest::option::of(schema())), 0..3).prop_map(
        |entries| {
            let content: Map<String, Value> = entries
                .into_iter()
                .map(|(media, schema)| {
                    let body = schema.map_or_else(|| json!({}), |s| json!({ "schema": s }));
                    (media.to_owned(), body)
                })
                .collect();
            Value::Object(content)
        },
    )
}

fn operation() -> impl Strategy<Value = Value> {
    (
        proptest::option::of(name(&[
            "listPets",
            "getPet",
            "createPet",
            "get",
            "pets",
            "",
            "list_pets",
        ])),
        proptest::collection::vec(parameter(), 0..4),
        proptest::option::of((content(), any::<bool>())),
        proptest::collection::vec((select(CODES), proptest::option::of(content())), 0..3),
        proptest::option::of(name(&["pets", "Pets", "", "default", "client"])),
    )
        .prop_map(|(id, parameters, body, responses, tag)| {
            let mut operation = Map::new();
            if let Some(id) = id {
                operation.insert("operationId".into(), json!(id));
            }
            if let Some(tag) = tag {
                operation.insert("tags".into(), json!([tag]));
            }
            operation.insert("parameters".into(), json!(parameters));
            if let Some((content, required)) = body {
                operation.insert(
                    "requestBody".into(),
                    json!({"content": content, "required": required}),
                );
            }
            let responses: Map<String, Value> = responses
                .into_iter()
                .map(|(code, content)| {
                    let mut response = json!({"description": "d"});
                    if let (Some(content), Value::Object(r)) = (content, &mut response) {
                        r.insert("content".into(), content);
                    }
                    (code.to_owned(), response)
                })
                .collect();
            operation.insert("responses".into(), Value::Object(responses));
            Value::Object(operation)
        })
}

/// Declares every `{name}` of the template as a path parameter, as valid documents do.
fn declare_template(path: &str, item: &mut Map<String, Value>) {
    let names: Vec<Value> = path
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(n, _)| n))
        .map(|n| json!({"name": n, "in": "path", "required": true, "schema": {"type": "string"}}))
        .collect();
    item.insert("parameters".into(), Value::Array(names));
}

/// Turns every `$ref` to a missing component into a string schema, so most grammar documents
/// get past validation and exercise the lowering and emitters.
fn repair_references(value: &mut Value, defined: &[String]) {
    match value {
        Value::Object(map) => {
            let dangling = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
                .is_some_and(|name| !defined.iter().any(|d| d == name));
            if dangling {
                map.remove("$ref");
                map.insert("type".into(), json!("string"));
            }
            map.values_mut()
                .for_each(|child| repair_references(child, defined));
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| repair_references(item, defined)),
        _ => {}
    }
}

pub fn document() -> impl Strategy<Value = Value> {
    (raw_document(), proptest::bool::weighted(0.75)).prop_map(|(mut document, repair)| {
        if repair {
            let defined: Vec<String> = document["components"]["schemas"]
                .as_object()
                .map(|schemas| schemas.keys().cloned().collect())
                .unwrap_or_default();
            repair_references(&mut document, &defined);
        }
        document
    })
}

fn raw_document() -> impl Strategy<Value = Value> {
    let path_item = (
        weighted_name(PATHS, 20),
        proptest::collection::vec((select(METHODS), operation()), 0..3),
        proptest::bool::weighted(0.85),
    );
    (
        select(&["3.0.3", "3.1.0", "3.0.0"][..]),
        proptest::collection::vec((name(COMPONENTS), schema()), 0..6),
        proptest::collection::vec(path_item, 0..4),
        proptest::option::of(select(
            &["https://api.example.com/v1", "/v1", "https://{host}/x", ""][..],
        )),
    )
        .prop_map(|(version, components, paths, server)| {
            let schemas: Map<String, Value> = components.into_iter().collect();
            let mut path_map = Map::new();
            for (path, operations, declare) in paths {
                let mut item: Map<String, Value> = operations
                    .into_iter()
                    .map(|(method, operation)| (method.to_owned(), operation))
                    .collect();
                if declare {
                    declare_template(&path, &mut item);
                }
                path_map.insert(path, Value::Object(item));
            }
            let mut document = json!({
                "openapi": version,
                "info": {"title": "Fuzz", "version": "1"},
                "paths": path_map,
                "components": {"schemas": schemas},
            });
            if let (Some(url), Value::Object(root)) = (server, &mut document) {
                root.insert(
                    "servers".into(),
                    json!([{"url": url, "variables": {"host": {"default": "h"}}}]),
                );
            }
            document
        })
}
