//! Reference checks: the raw and the parsed document in, every `$ref` that is external, dangling, of the wrong kind, or part of a cycle no Rust type can express out.

use super::resolve_pointer;
use crate::diagnostics::{
    Diagnostic, Diagnostics, pointer_enter, pointer_enter_index, pointer_push,
};
use crate::lookup::member;
use serde_json::{Map, Value};

const SCHEMAS: &str = "#/components/schemas/";

/// Runs every reference check, in document order.
pub fn check(raw: &Value, problems: &mut Diagnostics) {
    walk(raw, raw, &mut String::new(), "", problems);
    check_kinds(raw, problems);
    check_schema_cycles(raw, problems);
}

/// Every `$ref` must be local and resolve; a schema reference must name a component exactly,
/// because the lowering turns `#/components/schemas/<name>` into a type and nothing else.
/// `pointer` is the value's own, grown and cut back as the walk goes (one string for the whole
/// document, not one per value).
fn walk(
    root: &Value,
    value: &Value,
    pointer: &mut String,
    parent_key: &str,
    problems: &mut Diagnostics,
) {
    match value {
        Value::Object(object) => {
            // Inside `properties` and `schemas` the keys are names, not keywords: a property
            // called `$ref` is not a reference, and one called `example` is still a schema.
            let keys_are_names = matches!(parent_key, "properties" | "schemas");
            if let Some(reference) = member(object, "$ref").filter(|_| !keys_are_names) {
                check_one(root, reference, &pointer_push(pointer, "$ref"), problems);
            }
            let discriminator = member(object, "discriminator").filter(|_| !keys_are_names);
            if let Some(mapping) = discriminator.and_then(|d| d.get("mapping")) {
                let at = pointer_push(&pointer_push(pointer, "discriminator"), "mapping");
                check_mapping(root, mapping, &at, problems);
            }
            for (key, child) in object {
                let is_data = matches!(key.as_str(), "example" | "default" | "enum" | "const");
                if (is_data || key.starts_with("x-")) && !keys_are_names {
                    continue;
                }
                let before = pointer_enter(pointer, key);
                if key == "examples" && !keys_are_names {
                    check_examples(root, child, pointer, problems);
                } else {
                    walk(root, child, pointer, key, problems);
                }
                pointer.truncate(before);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                let before = pointer_enter_index(pointer, index);
                walk(root, item, pointer, "", problems);
                pointer.truncate(before);
            }
        }
        _ => {}
    }
}

/// An `examples` value is a list of data (in a schema) or a mapping of Example Objects, each
/// either a reference to one or a `value` that is data: a `$ref` key inside a value (GitHub's
/// SCIM examples have them) is part of the example, never followed.
fn check_examples(root: &Value, examples: &Value, pointer: &str, problems: &mut Diagnostics) {
    let Some(examples) = examples.as_object() else {
        return;
    };
    for (name, example) in examples {
        if let Some(reference) = example.get("$ref") {
            let at = pointer_push(&pointer_push(pointer, name), "$ref");
            check_one(root, reference, &at, problems);
        }
    }
}

fn check_one(root: &Value, reference: &Value, here: &str, problems: &mut Diagnostics) {
    let Some(text) = reference.as_str() else {
        let message = "`$ref` must be a string such as `#/components/schemas/Pet`";
        problems.push(Diagnostic::error(here, message));
        return;
    };
    let message = if !text.starts_with('#') {
        format!(
            "external reference `{text}` is not supported; bundle the document into one file first (e.g. `redocly bundle`)"
        )
    } else if resolve_pointer(root, text).is_none() {
        format!(
            "reference `{text}` does not resolve to anything in the document; fix the name or add the component"
        )
    } else if let Some(rest) = text.strip_prefix(SCHEMAS) {
        if let Some((owner, _)) = rest.split_once('/') {
            format!(
                "reference `{text}` points inside component `{owner}`; make that schema a component of its own and refer to it by name"
            )
        } else if crate::diagnostics::value_at(root, &format!("/components/schemas/{rest}"))
            .is_none()
        {
            // It resolved only after unescaping (`~1`, `%20`), which the lowering does not do.
            format!(
                "reference `{text}` names its component in escaped form; rename the component to a plain name (letters, digits, `_`, `-`, `.`)"
            )
        } else {
            return;
        }
    } else {
        return;
    };
    problems.push(Diagnostic::error(here, message));
}

/// Mapping values are schema names or references; either must name an existing component.
fn check_mapping(root: &Value, mapping: &Value, pointer: &str, problems: &mut Diagnostics) {
    let Some(mapping) = mapping.as_object() else {
        return;
    };
    let schemas = root
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    for (tag, target) in mapping {
        let Some(target) = target.as_str() else {
            continue;
        };
        let found = if target.starts_with('#') {
            resolve_pointer(root, target).is_some()
        } else {
            schemas.is_some_and(|s| s.contains_key(target))
        };
        if !found {
            let message = format!(
                "discriminator value `{tag}` maps to `{target}`, which is not a schema in the document"
            );
            problems.push(Diagnostic::error(pointer_push(pointer, tag), message));
        }
    }
}

/// References to parameters, request bodies and responses must point at a component of that
/// kind which is itself the object, not another reference: the lowering follows exactly one.
///
/// Read from the document as written, in the order the typed parse would give (a path's shared
/// parameters, then its operations by method as `openapiv3::PathItem::iter` lists them, then
/// each operation's parameters, body and responses, `default` first), so it can run before the
/// parse consumes the document.
fn check_kinds(raw: &Value, problems: &mut Diagnostics) {
    let paths = raw.get("paths").and_then(Value::as_object);
    for (path, item) in paths.into_iter().flatten() {
        // A path item that is itself a reference is read as that reference, members and all.
        let Some(item) = item.as_object().filter(|item| !item.contains_key("$ref")) else {
            continue;
        };
        let path_pointer = pointer_push("/paths", path);
        let shared_pointer = pointer_push(&path_pointer, "parameters");
        check_parameters(raw, item.get("parameters"), &shared_pointer, problems);
        for method in crate::OPERATION_METHODS {
            let Some(operation) = item.get(method).and_then(Value::as_object) else {
                continue;
            };
            let pointer = pointer_push(&path_pointer, method);
            let at = pointer_push(&pointer, "parameters");
            check_parameters(raw, operation.get("parameters"), &at, problems);
            if let Some(reference) = operation.get("requestBody").and_then(reference_of) {
                let at = pointer_push(&pointer, "requestBody");
                check_kind(raw, reference, "requestBodies", &at, problems);
            }
            let Some(responses) = operation.get("responses").and_then(Value::as_object) else {
                continue;
            };
            let pointer = pointer_push(&pointer, "responses");
            let default = responses.get_key_value("default");
            let codes = responses
                .iter()
                .filter(|(code, _)| *code != "default" && !code.starts_with("x-"));
            for (code, response) in default.into_iter().chain(codes) {
                if let Some(reference) = reference_of(response) {
                    let at = pointer_push(&pointer, code);
                    check_kind(raw, reference, "responses", &at, problems);
                }
            }
        }
    }
}

/// The target of a Reference Object (`{$ref: "…"}`), if `value` is one.
fn reference_of(value: &Value) -> Option<&str> {
    value.get("$ref")?.as_str()
}

fn check_parameters(
    raw: &Value,
    parameters: Option<&Value>,
    pointer: &str,
    problems: &mut Diagnostics,
) {
    let parameters = parameters.and_then(Value::as_array);
    for (index, parameter) in parameters.into_iter().flatten().enumerate() {
        if let Some(reference) = reference_of(parameter) {
            let at = pointer_push(pointer, &index.to_string());
            check_kind(raw, reference, "parameters", &at, problems);
        }
    }
}

fn check_kind(raw: &Value, reference: &str, section: &str, at: &str, problems: &mut Diagnostics) {
    // Dangling and external references are already reported by the walk.
    let Some(target) = resolve_pointer(raw, reference) else {
        return;
    };
    let prefix = format!("#/components/{section}/");
    let message = match reference.strip_prefix(&prefix) {
        Some(name) if !name.contains('/') => match target.get("$ref").and_then(Value::as_str) {
            Some(next) => format!(
                "`{reference}` is itself a reference to `{next}`; point at `{next}` directly"
            ),
            None => return,
        },
        _ => {
            format!("this reference must point at `{prefix}<name>`, but it points at `{reference}`")
        }
    };
    problems.push(Diagnostic::error(pointer_push(at, "$ref"), message));
}

/// A component that is, through `$ref`, `allOf` or a one-member `oneOf`/`anyOf`, made of
/// itself by value has no finite Rust type (it would be `type A = B; type B = A;` or a struct
/// merged from itself forever). Recursion through properties, items and maps is fine and is
/// not followed here.
fn check_schema_cycles(raw: &Value, problems: &mut Diagnostics) {
    let Some(schemas) = raw
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return;
    };
    let mut search = CycleSearch {
        schemas,
        names: schemas.keys().collect(),
        state: vec![State::New; schemas.len()],
        path: Vec::new(),
    };
    for start in 0..search.names.len() {
        search.visit(start, problems);
    }
}

#[derive(Clone, Copy, PartialEq)]
enum State {
    New,
    OnPath,
    Done,
}

/// A depth-first search over "is made of" edges between component schemas.
struct CycleSearch<'a> {
    schemas: &'a Map<String, Value>,
    names: Vec<&'a String>,
    state: Vec<State>,
    path: Vec<usize>,
}

impl CycleSearch<'_> {
    fn visit(&mut self, index: usize, problems: &mut Diagnostics) {
        if self.state[index] != State::New {
            return;
        }
        self.state[index] = State::OnPath;
        self.path.push(index);
        let pointer = pointer_push("/components/schemas", self.names[index]);
        let mut edges = Vec::new();
        if let Some(schema) = self.schemas.get(self.names[index].as_str()) {
            by_value_references(schema, &pointer, &mut edges);
        }
        for (target, at) in edges {
            let Some(next) = self.names.iter().position(|n| n.as_str() == target) else {
                continue;
            };
            match self.state[next] {
                State::New => self.visit(next, problems),
                State::OnPath => {
                    let from = self.path.iter().position(|i| *i == next).unwrap_or(0);
                    let cycle: Vec<&str> = self.path[from..]
                        .iter()
                        .chain(std::iter::once(&next))
                        .map(|i| self.names[*i].as_str())
                        .collect();
                    let message = format!(
                        "schema cycle {}: each is defined as the next (by `$ref`, `allOf` or a one-member `oneOf`/`anyOf`), so none has a definition; break the cycle by giving one of them its own properties",
                        cycle.join(" → ")
                    );
                    problems.push(Diagnostic::error(at, message));
                }
                State::Done => {}
            }
        }
        self.path.pop();
        self.state[index] = State::Done;
    }
}

/// The component names a schema is made of by value, each with the pointer of its `$ref`.
fn by_value_references(schema: &Value, pointer: &str, out: &mut Vec<(String, String)>) {
    let Some(object) = schema.as_object() else {
        return;
    };
    let reference = object.get("$ref").and_then(Value::as_str);
    if let Some(name) = reference.and_then(|r| r.strip_prefix(SCHEMAS)) {
        out.push((name.to_owned(), pointer_push(pointer, "$ref")));
    }
    if let Some(Value::Array(members)) = object.get("allOf") {
        let at = pointer_push(pointer, "allOf");
        for (index, member) in members.iter().enumerate() {
            by_value_references(member, &pointer_push(&at, &index.to_string()), out);
        }
    }
    for keyword in ["oneOf", "anyOf"] {
        let Some(Value::Array(members)) = object.get(keyword) else {
            continue;
        };
        let mut kept = members.iter().enumerate().filter(|(_, m)| !is_null_only(m));
        if let (Some((index, only)), None) = (kept.next(), kept.next()) {
            let at = pointer_push(&pointer_push(pointer, keyword), &index.to_string());
            by_value_references(only, &at, out);
        }
    }
}

/// A union member that only adds `null` (`{nullable: true}`, `{enum: [null]}`), which the
/// lowering folds into the other member.
fn is_null_only(member: &Value) -> bool {
    let Some(object) = member.as_object() else {
        return false;
    };
    let only_null_enum = object
        .get("enum")
        .and_then(Value::as_array)
        .is_some_and(|values| values.iter().all(Value::is_null));
    let nullable = object.get("nullable").and_then(Value::as_bool) == Some(true);
    let shaping = [
        "$ref",
        "properties",
        "items",
        "allOf",
        "oneOf",
        "anyOf",
        "not",
    ];
    let unshaped = !shaping.iter().any(|k| object.contains_key(*k));
    unshaped && (only_null_enum || (nullable && !object.contains_key("type")))
}
