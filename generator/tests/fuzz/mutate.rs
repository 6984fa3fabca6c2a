//! Mutations of real documents: delete, replace, duplicate, retype and rename nodes, inject `$ref`s to random pointers, build schema cycles, graft subtrees elsewhere.
//!
//! Every mutation names its nodes with `proptest::sample::Index`, resolved against the
//! document as it is when the mutation runs, so proptest can shrink a failing case by dropping
//! mutations and simplifying their payloads without the indices going stale.

use generator::diagnostics::pointer_push;
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{Map, Value, json};

/// One edit of a document.
#[derive(Debug, Clone)]
pub enum Mutation {
    Delete(Index),
    Replace(Index, Value),
    /// Copies a node next to itself (a sibling key or a second list entry).
    Duplicate(Index),
    /// Turns a node into another JSON type that keeps some of its content.
    Retype(Index),
    Rename(Index, String),
    /// Replaces a node by a `$ref` to another node of the same document.
    RefTo(Index, Index),
    /// Replaces a node by a `$ref` with odd text.
    RefText(Index, String),
    /// Makes two component schemas refer to each other in one of several ways.
    Cycle(Index, Index, CycleKind),
    /// Copies a subtree to another place (possibly inside itself).
    Graft(Index, Index),
}

#[derive(Debug, Clone, Copy)]
pub enum CycleKind {
    Alias,
    AllOf,
    OneMemberOneOf,
    Property,
    Items,
    Map,
}

pub fn mutation() -> impl Strategy<Value = Mutation> {
    let cycle = prop_oneof![
        Just(CycleKind::Alias),
        Just(CycleKind::AllOf),
        Just(CycleKind::OneMemberOneOf),
        Just(CycleKind::Property),
        Just(CycleKind::Items),
        Just(CycleKind::Map),
    ];
    prop_oneof![
        3 => any::<Index>().prop_map(Mutation::Delete),
        3 => (any::<Index>(), odd_value()).prop_map(|(at, v)| Mutation::Replace(at, v)),
        1 => any::<Index>().prop_map(Mutation::Duplicate),
        2 => any::<Index>().prop_map(Mutation::Retype),
        2 => (any::<Index>(), odd_string()).prop_map(|(at, key)| Mutation::Rename(at, key)),
        2 => (any::<Index>(), any::<Index>()).prop_map(|(at, to)| Mutation::RefTo(at, to)),
        1 => (any::<Index>(), ref_text()).prop_map(|(at, text)| Mutation::RefText(at, text)),
        2 => (any::<Index>(), any::<Index>(), cycle).prop_map(|(a, b, k)| Mutation::Cycle(a, b, k)),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(from, to)| Mutation::Graft(from, to)),
    ]
}

/// Strings that have broken generators before: empty, keywords, escapes, pointer syntax,
/// templates, control and bidi characters, emoji, very long text.
pub const ODD_STRINGS: &[&str] = &[
    "",
    " ",
    "null",
    "true",
    "0",
    "-1",
    "007",
    "1e999",
    "3.1.0",
    "2.0",
    "~",
    "~0",
    "~1",
    "/",
    "#",
    "#/",
    "{",
    "}",
    "{id}",
    "a/{b}",
    "{}",
    "\u{0}",
    "\u{7f}",
    "\u{202e}rtl",
    "ünïcödé",
    "日本語",
    "🦀",
    "Self",
    "self",
    "crate",
    "super",
    "type",
    "r#type",
    "mod",
    "fn",
    "async",
    "dyn",
    "try",
    "_",
    "__",
    "-",
    "1abc",
    "a b",
    "a-b",
    "a.b",
    "A",
    "a",
    "Unknown",
    "unknown",
    "x-ext",
    "$ref",
    "\"q\"",
    "'",
    "\\",
    "\n",
    "a\nb",
    // A lone carriage return once reached a `///` comment, which syn and rustc refuse.
    "\r",
    "a\rb",
    "*/",
    "/*",
    "//",
    "#[test]",
    "}}",
    "{{",
    "\t",
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "serde",
    "std",
    "core",
    "Default",
    "None",
    "application/json",
    "multipart/form-data",
    "text/plain",
    "200",
    "2XX",
    "default",
    "get",
];

pub fn odd_string() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(ODD_STRINGS).prop_map(str::to_owned),
        1 => "\\PC{0,12}",
        1 => "[a-zA-Z_][a-zA-Z0-9_-]{0,10}",
        1 => Just("long_".repeat(60)),
    ]
}

fn ref_text() -> impl Strategy<Value = String> {
    let fixed = proptest::sample::select(
        &[
            "#/components/schemas/Missing",
            "other.yaml#/Pet",
            "https://example.com/pet.json",
            "#",
            "#/",
            "#//",
            "#/paths",
            "#/components/schemas/a~1b",
            "#/components/schemas/%F0%9F%A6%80",
            "#/components/schemas/%",
            "#/components/schemas/%é",
            "#/components/parameters/x",
            "#/components/responses/x",
            "#/components/requestBodies/x",
            "",
            "#/components/schemas/ünï",
        ][..],
    );
    prop_oneof![
        3 => fixed.prop_map(str::to_owned),
        1 => odd_string().prop_map(|s| format!("#/components/schemas/{s}")),
    ]
}

/// Small values: scalars at their limits, odd strings, and OpenAPI-looking snippets.
pub fn odd_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        Just(json!(u64::MAX)),
        Just(json!(1e308)),
        Just(json!(-0.5)),
        odd_string().prop_map(Value::String),
        proptest::sample::select(
            &[
                "string", "integer", "number", "boolean", "array", "object", "null", "file"
            ][..]
        )
        .prop_map(|t| json!({"type": t})),
        Just(json!({"type": ["string", "null"]})),
        Just(json!({"nullable": true})),
        Just(json!({"enum": [null]})),
        Just(json!({"enum": ["a", "A", "a-b", "", "Unknown", 1, null]})),
        Just(json!({"type": "integer", "enum": [1, -1, 9_223_372_036_854_775_807_i64]})),
        Just(json!({"oneOf": []})),
        Just(json!({"allOf": []})),
        Just(json!({"anyOf": [{"type": "string"}, {"type": "string"}]})),
        Just(json!({"properties": {}})),
        Just(json!({"type": "object", "additionalProperties": {"type": "string"}})),
        Just(json!({"type": "array"})),
        Just(json!({"not": {}})),
        Just(json!({"$ref": "#/components/schemas/Missing"})),
        Just(json!({"discriminator": {"propertyName": "type"}, "oneOf": [{"type": "object"}]})),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::vec((odd_string(), inner), 0..4)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
}

/// Every node's pointer, root first, in document order.
pub fn pointers(value: &Value) -> Vec<String> {
    fn walk(value: &Value, pointer: String, out: &mut Vec<String>) {
        out.push(pointer.clone());
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    walk(child, pointer_push(&pointer, key), out);
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    walk(child, pointer_push(&pointer, &index.to_string()), out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, String::new(), &mut out);
    out
}

/// The parent's pointer and the last reference token (unescaped), for a non-root pointer.
fn split(pointer: &str) -> Option<(&str, String)> {
    let (parent, last) = pointer.rsplit_once('/')?;
    Some((parent, last.replace("~1", "/").replace("~0", "~")))
}

fn remove(document: &mut Value, pointer: &str) -> Option<Value> {
    let (parent, last) = split(pointer)?;
    match document.pointer_mut(parent)? {
        Value::Object(map) => map.shift_remove(&last),
        Value::Array(items) => {
            let index: usize = last.parse().ok()?;
            (index < items.len()).then(|| items.remove(index))
        }
        _ => None,
    }
}

fn component_names(document: &Value) -> Vec<String> {
    document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| schemas.keys().cloned().collect())
        .unwrap_or_default()
}

/// Applies one mutation; one that does not fit the document (no such node) does nothing.
pub fn apply(document: &mut Value, mutation: &Mutation) {
    let all = pointers(document);
    let pick = |index: &Index| all[index.index(all.len())].clone();
    match mutation {
        Mutation::Delete(at) => {
            remove(document, &pick(at));
        }
        Mutation::Replace(at, with) => {
            if let Some(node) = document.pointer_mut(&pick(at)) {
                *node = with.clone();
            }
        }
        Mutation::Duplicate(at) => duplicate(document, &pick(at)),
        Mutation::Retype(at) => {
            if let Some(node) = document.pointer_mut(&pick(at)) {
                *node = retyped(std::mem::take(node));
            }
        }
        Mutation::Rename(at, key) => {
            let pointer = pick(at);
            if let (Some((parent, _)), Some(value)) = (split(&pointer), remove(document, &pointer))
            {
                if let Some(Value::Object(map)) = document.pointer_mut(parent) {
                    map.insert(key.clone(), value);
                }
            }
        }
        Mutation::RefTo(at, to) => {
            let target = format!("#{}", pick(to));
            if let Some(node) = document.pointer_mut(&pick(at)) {
                *node = json!({ "$ref": target });
            }
        }
        Mutation::RefText(at, text) => {
            if let Some(node) = document.pointer_mut(&pick(at)) {
                *node = json!({ "$ref": text });
            }
        }
        Mutation::Cycle(a, b, kind) => cycle(document, a, b, *kind),
        Mutation::Graft(from, to) => {
            let Some(subtree) = document.pointer(&pick(from)).cloned() else {
                return;
            };
            if let Some(node) = document.pointer_mut(&pick(to)) {
                *node = subtree;
            }
        }
    }
}

fn duplicate(document: &mut Value, pointer: &str) {
    let Some((parent, last)) = split(pointer) else {
        return;
    };
    let Some(copy) = document.pointer(pointer).cloned() else {
        return;
    };
    match document.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.insert(format!("{last}_copy"), copy);
        }
        Some(Value::Array(items)) => items.push(copy),
        _ => {}
    }
}

fn retyped(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Array(map.into_iter().map(|(_, v)| v).collect()),
        Value::Array(items) => Value::Object(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| (i.to_string(), v))
                .collect::<Map<_, _>>(),
        ),
        Value::String(text) => text.parse::<i64>().map_or(json!(text.len()), |n| json!(n)),
        Value::Number(n) => Value::String(n.to_string()),
        Value::Bool(b) => Value::String(if b { "yes" } else { "no" }.to_owned()),
        Value::Null => json!({}),
    }
}

/// Points component `a` at component `b` and `b` back at `a`, by the chosen route.
fn cycle(document: &mut Value, a: &Index, b: &Index, kind: CycleKind) {
    let names = component_names(document);
    if names.is_empty() {
        return;
    }
    let first = names[a.index(names.len())].clone();
    let second = names[b.index(names.len())].clone();
    let reference = |name: &str| json!({ "$ref": format!("#/components/schemas/{name}") });
    let make = |other: &str| match kind {
        CycleKind::Alias => reference(other),
        CycleKind::AllOf => {
            json!({"allOf": [reference(other), {"type": "object", "properties": {"x": {"type": "string"}}}]})
        }
        CycleKind::OneMemberOneOf => json!({"oneOf": [reference(other), {"type": "null"}]}),
        CycleKind::Property => {
            json!({"type": "object", "required": ["next"], "properties": {"next": reference(other)}})
        }
        CycleKind::Items => json!({"type": "array", "items": reference(other)}),
        CycleKind::Map => json!({"type": "object", "additionalProperties": reference(other)}),
    };
    let (to_second, to_first) = (make(&second), make(&first));
    if let Some(Value::Object(schemas)) = document.pointer_mut("/components/schemas") {
        schemas.insert(first, to_second);
        schemas.insert(second, to_first);
    }
}
