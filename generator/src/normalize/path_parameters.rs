//! Path templates against declared path parameters: a document whose `{name}`s and `in: path` parameters disagree in, one where they agree out, with a warning per repair.
//!
//! Two defects have one obvious reading. A declared path parameter the template does not have
//! can never be sent, so it is dropped. A template variable nobody declared is still part of
//! the URL, so it becomes a required string path parameter. Paths whose template is malformed,
//! and operations with a parameter reference that does not resolve (it might be the missing
//! declaration), are left for validation to report.

use crate::OPERATION_METHODS as METHODS;
use crate::diagnostics::{Diagnostic, pointer_push};
use crate::validate::{resolve_pointer, template_names};
use serde_json::{Map, Value, json};

/// Repairs every path of the document; returns one warning per repair.
pub fn repair(document: &mut Value) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let Some(paths) = document.get("paths").and_then(Value::as_object) else {
        return warnings;
    };
    let mut plans = Vec::new();
    for (path, item) in paths {
        if let Some(item) = item.as_object() {
            plans.push(plan(document, path, item, &mut warnings));
        }
    }
    for plan in plans {
        apply(document, plan);
    }
    warnings
}

/// What to change on one path item, decided before anything changes (so pointers in the
/// warnings are the document's own).
struct Plan {
    path: String,
    /// `(method or None for the path item, index)` of each parameter to drop.
    drops: Vec<(Option<&'static str>, usize)>,
    /// `(method, name)` of each parameter to add.
    additions: Vec<(&'static str, String)>,
}

fn plan(
    root: &Value,
    path: &str,
    item: &Map<String, Value>,
    warnings: &mut Vec<Diagnostic>,
) -> Plan {
    let mut plan = Plan {
        path: path.to_owned(),
        drops: Vec::new(),
        additions: Vec::new(),
    };
    let template = template_names(path);
    let path_pointer = pointer_push("/paths", path);
    if !well_formed(path) {
        return plan;
    }
    let shared = declared(root, item.get("parameters"));
    let mut shared_kept = Vec::new();
    for (index, entry) in shared.iter().enumerate() {
        match entry {
            Entry::Path(name) if !template.contains(&name.as_str()) => {
                let at = pointer_push(
                    &pointer_push(&path_pointer, "parameters"),
                    &index.to_string(),
                );
                warnings.push(absent(at, name, path));
                plan.drops.push((None, index));
            }
            _ => shared_kept.push(entry.clone()),
        }
    }
    for method in METHODS {
        let Some(operation) = item.get(method).and_then(Value::as_object) else {
            continue;
        };
        let pointer = pointer_push(&path_pointer, method);
        let own = declared(root, operation.get("parameters"));
        let mut names = Vec::new();
        let mut unresolved = shared_kept.contains(&Entry::Unresolved);
        for (index, entry) in own.iter().enumerate() {
            match entry {
                Entry::Path(name) if !template.contains(&name.as_str()) => {
                    let at =
                        pointer_push(&pointer_push(&pointer, "parameters"), &index.to_string());
                    warnings.push(absent(at, name, path));
                    plan.drops.push((Some(method), index));
                }
                Entry::Path(name) => names.push(name.clone()),
                Entry::Other => {}
                Entry::Unresolved => unresolved = true,
            }
        }
        names.extend(shared_kept.iter().filter_map(|entry| match entry {
            Entry::Path(name) => Some(name.clone()),
            _ => None,
        }));
        if unresolved {
            continue;
        }
        for variable in &template {
            if !names.iter().any(|n| n == variable)
                && !plan.additions.contains(&(method, (*variable).to_owned()))
            {
                warnings.push(Diagnostic::defect(
                    pointer_push(&pointer, "parameters"),
                    format!("path parameter `{variable}` in `{path}` is not declared"),
                    "a required string path parameter",
                    format!(
                        "add `{{name: {variable}, in: path, required: true, schema: {{type: string}}}}` to `parameters`"
                    ),
                ));
                plan.additions.push((method, (*variable).to_owned()));
            }
        }
    }
    plan
}

fn absent(at: String, name: &str, path: &str) -> Diagnostic {
    Diagnostic::defect(
        at,
        format!("path parameter `{name}` is declared, but `{path}` has no `{{{name}}}`"),
        "no such parameter (it is dropped: the URL has no place for it)",
        "remove the parameter or add it to the path",
    )
}

/// One entry of a `parameters` list, as far as path templates care.
#[derive(Debug, Clone, PartialEq)]
enum Entry {
    /// A path parameter (directly or through a reference) and its name.
    Path(String),
    /// Any other parameter (or one without a name, which parsing reports).
    Other,
    /// A reference that does not resolve to a parameter; it might be any declaration.
    Unresolved,
}

fn declared(root: &Value, parameters: Option<&Value>) -> Vec<Entry> {
    let Some(Value::Array(parameters)) = parameters else {
        return Vec::new();
    };
    parameters
        .iter()
        .map(|parameter| {
            let resolved = match parameter.get("$ref").and_then(Value::as_str) {
                Some(reference) => resolve_pointer(root, reference),
                None => Some(parameter),
            };
            let Some(resolved) = resolved.filter(|r| r.get("$ref").is_none()) else {
                return Entry::Unresolved;
            };
            let is_path = resolved.get("in").and_then(Value::as_str) == Some("path");
            match (is_path, resolved.get("name").and_then(Value::as_str)) {
                (true, Some(name)) => Entry::Path(name.to_owned()),
                _ => Entry::Other,
            }
        })
        .collect()
}

fn well_formed(path: &str) -> bool {
    let mut open = false;
    for c in path.chars() {
        match (c, open) {
            ('{', false) => open = true,
            ('}', true) => open = false,
            ('{', true) | ('}', false) => return false,
            _ => {}
        }
    }
    !open && !path.contains("{}")
}

fn apply(document: &mut Value, plan: Plan) {
    let Some(Value::Object(item)) = document.pointer_mut(&pointer_push("/paths", &plan.path))
    else {
        return;
    };
    let mut drops = plan.drops;
    // Highest index first, so earlier indices stay valid.
    drops.sort_by_key(|drop| std::cmp::Reverse(drop.1));
    for (method, index) in drops {
        let list = match method {
            None => item.get_mut("parameters"),
            Some(method) => item.get_mut(method).and_then(|o| o.get_mut("parameters")),
        };
        if let Some(Value::Array(list)) = list {
            if index < list.len() {
                list.remove(index);
            }
        }
    }
    for (method, name) in plan.additions {
        let Some(Value::Object(operation)) = item.get_mut(method) else {
            continue;
        };
        let list = operation
            .entry("parameters")
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(list) = list {
            list.push(
                json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misnamed_path_parameter_is_dropped_and_the_template_variable_declared() {
        let mut doc = json!({"paths": {"/certs/{certificate_id}": {"get": {"parameters": [
            {"name": "cert_id", "in": "path", "required": true, "schema": {"type": "string"}},
            {"name": "limit", "in": "query", "schema": {"type": "integer"}}]}}}});
        let warnings = repair(&mut doc);
        let parameters = &doc["paths"]["/certs/{certificate_id}"]["get"]["parameters"];
        assert_eq!(parameters[0]["name"], "limit");
        assert_eq!(parameters[1]["name"], "certificate_id");
        assert_eq!(parameters[1]["required"], true);
        let pointers: Vec<&str> = warnings.iter().map(|w| w.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/paths/~1certs~1{certificate_id}/get/parameters/0",
                "/paths/~1certs~1{certificate_id}/get/parameters"
            ]
        );
    }

    #[test]
    fn shared_declarations_count_and_unresolved_references_stand_down() {
        let mut doc = json!({"paths": {
            "/a/{id}": {"parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "get": {}},
            "/b/{id}": {"get": {"parameters": [{"$ref": "#/components/parameters/missing"}]}}}});
        let before = doc.clone();
        assert!(repair(&mut doc).is_empty());
        assert_eq!(doc, before);
    }
}
