//! Overlay stage: a document and an OpenAPI Overlay (1.0.0 or 1.1.0) in, the document with every action applied (or every reason why not) out.
//!
//! Semantics, following the Overlay 1.0.0 and 1.1.0 texts where they speak and choosing where they
//! do not:
//! - Actions run in order; each sees the result of the ones before it.
//! - `update` on an object merges recursively: objects merge key by key, scalars are replaced,
//!   and an array met inside the merge is appended to (the spec only says what an array target
//!   does, which is "append an entry"; concatenating nested arrays keeps that one rule). So an
//!   update can grow a `required` list but never shrink it; shrink it by removing elements
//!   (`required[?@ == 'x']`) instead.
//! - `update` on an array appends the update value as one new entry, as 1.0 says; under 1.1 an
//!   array update is concatenated instead, as 1.1 says.
//! - `update` on a scalar or null is an error under 1.0, which allows only objects and arrays as
//!   targets; under 1.1 a scalar update replaces it.
//! - `copy` (1.1 only; an error in a 1.0 overlay) takes the one node its JSONPath selects in the
//!   document as modified so far and applies it to each target like an `update`; a source that
//!   selects no node or several is an error.
//! - `remove: true` deletes each matched node from its parent; it wins over `copy` and `update`,
//!   and `copy` wins over `update`, as the specs say the losers have no effect.
//!
//! `roas-overlay` implements the same two versions; it is not used because it is a 0.x crate
//! whose defaults changed between releases, its errors carry no pointer into the overlay, and
//! its merge does not keep the rules above that `spec/overlay.yaml` relies on.
//! - A target that matches nothing is an error (the spec tolerates it). A correction that no
//!   longer matches usually means the document changed under it, and that should be looked at.
//!
//! The whole overlay is checked before anything is applied, every action error is collected, and
//! the document is left untouched unless every action succeeds.

use crate::diagnostics::{Diagnostic, Diagnostics, kind_of, pointer_push};
use serde_json::{Map, Value};
use serde_json_path::{JsonPath, PathElement};
use std::collections::BTreeSet;

/// Applies `overlay` to `document`. On error the document is unchanged.
pub fn apply(document: &mut Value, overlay: &Value) -> Result<(), Diagnostics> {
    // Pointers here are into the overlay, not the document; the context says so.
    let actions = parse_overlay(overlay).map_err(|found| {
        Diagnostics(
            found
                .0
                .into_iter()
                .map(|d| match d.context {
                    Some(_) => d,
                    None => d.in_context("overlay"),
                })
                .collect(),
        )
    })?;
    let mut working = document.clone();
    let mut diagnostics = Diagnostics::default();
    for action in &actions.actions {
        if let Err(diagnostic) = apply_action(&mut working, action, actions.version) {
            diagnostics.push(diagnostic);
        }
    }
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    *document = working;
    Ok(())
}

/// The Overlay versions this engine implements; they differ in what an `update` may target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    V1_0,
    V1_1,
}

/// A checked overlay: its version and its actions in order.
struct Overlay<'a> {
    version: Version,
    actions: Vec<Action<'a>>,
}

/// One checked action, borrowing its parts from the overlay document.
struct Action<'a> {
    /// Pointer to the action in the overlay, e.g. `/actions/3`.
    pointer: String,
    /// `action 3: <description>`, attached to every diagnostic about the action.
    context: String,
    target_text: &'a str,
    target: JsonPath,
    change: Change<'a>,
}

enum Change<'a> {
    Update(&'a Value),
    /// Overlay 1.1: update with the one node `path` selects in the document.
    Copy {
        text: &'a str,
        path: JsonPath,
    },
    Remove,
}

impl Action<'_> {
    fn error(&self, field: &str, message: String) -> Diagnostic {
        Diagnostic::error(pointer_push(&self.pointer, field), message)
            .in_context(self.context.clone())
    }
}

/// A step of a matched node's location, owned so the document can be borrowed mutably later.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Key(String),
    Index(usize),
}

const OVERLAY_KEYS: &[&str] = &["overlay", "info", "extends", "actions"];
const ACTION_KEYS: &[&str] = &["target", "description", "update", "copy", "remove"];

fn parse_overlay(overlay: &Value) -> Result<Overlay<'_>, Diagnostics> {
    let Some(root) = overlay.as_object() else {
        return Err(Diagnostic::error("", "an overlay must be an object").into());
    };
    let mut found = Diagnostics::default();
    let mut fail =
        |pointer: String, message: String| found.push(Diagnostic::error(pointer, message));
    for key in unknown_keys(root, OVERLAY_KEYS) {
        fail(pointer_push("", key), format!("unknown field `{key}`"));
    }
    let version = match root.get("overlay").and_then(Value::as_str) {
        Some(version) if version.starts_with("1.0.") => Version::V1_0,
        Some(version) if version.starts_with("1.1.") => Version::V1_1,
        Some(version) => {
            fail(
                "/overlay".into(),
                format!(
                    "Overlay version `{version}` is not supported; this engine implements 1.0.0 and 1.1.0"
                ),
            );
            Version::V1_0
        }
        None => {
            fail(
                "/overlay".into(),
                "missing `overlay`, the Overlay version string (1.0.0 or 1.1.0)".into(),
            );
            Version::V1_0
        }
    };
    let info = root.get("info").and_then(Value::as_object);
    for field in ["title", "version"] {
        if !info
            .and_then(|info| info.get(field))
            .is_some_and(Value::is_string)
        {
            fail(
                pointer_push("/info", field),
                format!("missing `info.{field}` (a string)"),
            );
        }
    }
    if root
        .get("extends")
        .is_some_and(|extends| !extends.is_string())
    {
        fail(
            "/extends".into(),
            "`extends` must be a string (a URL)".into(),
        );
    }
    let items = match root.get("actions") {
        Some(Value::Array(items)) if !items.is_empty() => items.as_slice(),
        Some(_) => {
            fail(
                "/actions".into(),
                "`actions` must be a list of at least one action".into(),
            );
            &[]
        }
        None => {
            fail("/actions".into(), "missing `actions`".into());
            &[]
        }
    };
    let actions: Vec<Action<'_>> = items
        .iter()
        .enumerate()
        .filter_map(|(index, item)| parse_action(index, item, version, &mut found))
        .collect();
    if found.has_errors() {
        Err(found)
    } else {
        Ok(Overlay { version, actions })
    }
}

fn parse_action<'a>(
    index: usize,
    item: &'a Value,
    version: Version,
    found: &mut Diagnostics,
) -> Option<Action<'a>> {
    let pointer = pointer_push("/actions", &index.to_string());
    let Some(fields) = item.as_object() else {
        found.push(Diagnostic::error(pointer, "an action must be an object"));
        return None;
    };
    let at = |field: &str| pointer_push(&pointer, field);
    let mut problems: Vec<(String, String)> = unknown_keys(fields, ACTION_KEYS)
        .map(|key| (at(key), format!("unknown field `{key}`")))
        .collect();
    let description = fields.get("description").and_then(Value::as_str);
    if fields
        .get("description")
        .is_some_and(|value| !value.is_string())
    {
        problems.push((at("description"), "`description` must be a string".into()));
    }
    let target_text = fields.get("target").and_then(Value::as_str);
    let target = match target_text {
        Some(text) => json_path("target", text)
            .map_err(|message| problems.push((at("target"), message)))
            .ok(),
        None => {
            problems.push((at("target"), "missing `target` (a JSONPath string)".into()));
            None
        }
    };
    let copy = match fields.get("copy") {
        None => None,
        Some(_) if version == Version::V1_0 => {
            problems.push((
                at("copy"),
                "`copy` is an Overlay 1.1.0 action; declare `overlay: 1.1.0` to use it".into(),
            ));
            None
        }
        Some(Value::String(text)) => json_path("copy source", text)
            .map(|path| (text.as_str(), path))
            .map_err(|message| problems.push((at("copy"), message)))
            .ok(),
        Some(_) => {
            problems.push((at("copy"), "`copy` must be a JSONPath string".into()));
            None
        }
    };
    let remove = fields.get("remove").map_or(Some(false), Value::as_bool);
    if remove.is_none() {
        problems.push((at("remove"), "`remove` must be true or false".into()));
    }
    let change = match (remove, copy, fields.get("update")) {
        (Some(true), _, _) => Some(Change::Remove),
        (_, Some((text, path)), _) => Some(Change::Copy { text, path }),
        (_, None, Some(update)) => Some(Change::Update(update)),
        // A malformed `copy` was reported above; do not report a missing change as well.
        (_, None, None) if fields.contains_key("copy") => None,
        _ => {
            problems.push((
                pointer.clone(),
                "the action has none of `update`, `copy` or `remove: true`".into(),
            ));
            None
        }
    };
    let context = match description {
        Some(text) => format!("overlay action {index}: {text}"),
        None => format!("overlay action {index}"),
    };
    if !problems.is_empty() {
        for (at, message) in problems {
            found.push(Diagnostic::error(at, message).in_context(context.clone()));
        }
        return None;
    }
    Some(Action {
        pointer,
        context,
        target_text: target_text?,
        target: target?,
        change: change?,
    })
}

/// Parses an action's JSONPath (`what` names it in the message).
fn json_path(what: &str, text: &str) -> Result<JsonPath, String> {
    JsonPath::parse(text).map_err(|error| {
        let advice = if text.starts_with('$') {
            ""
        } else {
            "; a path starts at the root, `$`, e.g. `$.components.schemas.Pet`"
        };
        format!("{what} `{text}` is not an RFC 9535 JSONPath: {error}{advice}")
    })
}

/// Unknown keys are errors, so a misspelt `updates:` cannot turn an action into a silent no-op.
/// Specification extensions (`x-…`) are allowed anywhere.
fn unknown_keys<'a>(
    fields: &'a Map<String, Value>,
    known: &'a [&str],
) -> impl Iterator<Item = &'a String> {
    fields
        .keys()
        .filter(|key| !key.starts_with("x-") && !known.contains(&key.as_str()))
}

fn apply_action(
    document: &mut Value,
    action: &Action<'_>,
    version: Version,
) -> Result<(), Diagnostic> {
    let mut seen = BTreeSet::new();
    // A nodelist may name one node twice (`$['a','a']`); acting twice would append twice.
    let paths: Vec<Vec<Step>> = action
        .target
        .query_located(document)
        .locations()
        .map(|location| location.iter().map(step_of).collect::<Vec<_>>())
        .filter(|path| seen.insert(path.clone()))
        .collect();
    if paths.is_empty() {
        return Err(action.error(
            "target",
            format!(
                "target `{}` matches nothing in the document",
                action.target_text
            ),
        ));
    }
    let copied;
    let update = match &action.change {
        Change::Remove => return remove_all(document, paths, action),
        Change::Update(update) => *update,
        Change::Copy { text, path } => {
            copied = copy_source(document, text, path).map_err(|why| action.error("copy", why))?;
            &copied
        }
    };
    paths.iter().try_for_each(|path| {
        // An earlier match of this same action can replace an ancestor of a later one.
        let node = node_mut(document, path).ok_or_else(|| {
            action.error(
                "target",
                format!("matched node `{}` vanished", pointer_of(path)),
            )
        })?;
        update_node(node, update, version).map_err(|why| {
            let field = match action.change {
                Change::Copy { .. } => "copy",
                _ => "update",
            };
            action.error(
                field,
                format!("cannot update node `{}`: {why}", pointer_of(path)),
            )
        })
    })
}

/// The value of the one node a `copy` source selects, as the document stands now.
fn copy_source(document: &Value, text: &str, path: &JsonPath) -> Result<Value, String> {
    let nodes = path.query(document).all();
    match nodes.as_slice() {
        [node] => Ok((*node).clone()),
        [] => Err(format!(
            "copy source `{text}` matches nothing in the document"
        )),
        more => Err(format!(
            "copy source `{text}` matches {} nodes; it must select exactly one",
            more.len()
        )),
    }
}

fn step_of(element: &PathElement<'_>) -> Step {
    match element {
        PathElement::Name(name) => Step::Key((*name).to_owned()),
        PathElement::Index(index) => Step::Index(*index),
    }
}

/// Removes the last and deepest nodes first: a higher array index goes before a lower one, so the
/// indices still to come stay valid, and a child goes before its parent.
fn remove_all(
    document: &mut Value,
    mut paths: Vec<Vec<Step>>,
    action: &Action<'_>,
) -> Result<(), Diagnostic> {
    paths.sort_unstable_by(|a, b| b.cmp(a));
    for path in &paths {
        let Some((last, parent)) = path.split_last() else {
            return Err(action.error("target", "cannot remove the document root".to_owned()));
        };
        match (node_mut(document, parent), last) {
            (Some(Value::Object(map)), Step::Key(key)) => {
                map.shift_remove(key);
            }
            (Some(Value::Array(items)), Step::Index(index)) if *index < items.len() => {
                items.remove(*index);
            }
            // Anything else cannot happen for a location the query just returned.
            _ => {}
        }
    }
    Ok(())
}

fn update_node(node: &mut Value, update: &Value, version: Version) -> Result<(), String> {
    match (node, update) {
        (Value::Object(target), Value::Object(fields)) => merge(target, fields),
        (Value::Object(_), other) => {
            return Err(format!(
                "it is an object, so the update must be one too, not {}",
                kind_of(other)
            ));
        }
        (Value::Array(items), Value::Array(more)) if version == Version::V1_1 => {
            items.extend(more.iter().cloned());
        }
        (Value::Array(items), entry) => items.push(entry.clone()),
        (scalar, replacement)
            if version == Version::V1_1 && !replacement.is_object() && !replacement.is_array() =>
        {
            *scalar = replacement.clone();
        }
        (other, _) if version == Version::V1_1 => {
            return Err(format!(
                "it is {}, which Overlay 1.1.0 replaces only with a string, number, boolean or null, not {}",
                kind_of(other),
                kind_of(update)
            ));
        }
        (other, _) => {
            return Err(format!(
                "it is {}; Overlay 1.0.0 updates only objects and arrays, so target the parent",
                kind_of(other)
            ));
        }
    }
    Ok(())
}

fn merge(target: &mut Map<String, Value>, update: &Map<String, Value>) {
    for (key, value) in update {
        match (target.get_mut(key), value) {
            (Some(Value::Object(inner)), Value::Object(fields)) => merge(inner, fields),
            (Some(Value::Array(items)), Value::Array(more)) => items.extend(more.iter().cloned()),
            // `insert` keeps an existing key in place, so replacing a value does not reorder the map.
            _ => {
                target.insert(key.clone(), value.clone());
            }
        }
    }
}

fn node_mut<'a>(mut node: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    for step in path {
        node = match (node, step) {
            (Value::Object(map), Step::Key(key)) => map.get_mut(key)?,
            (Value::Array(items), Step::Index(index)) => items.get_mut(*index)?,
            _ => return None,
        };
    }
    Some(node)
}

fn pointer_of(path: &[Step]) -> String {
    path.iter().fold(String::new(), |pointer, step| match step {
        Step::Key(key) => pointer_push(&pointer, key),
        Step::Index(index) => pointer_push(&pointer, &index.to_string()),
    })
}

#[cfg(test)]
mod tests;
