//! What a new API document says about our own additions: which overlay actions no longer match it (corrections PayPro apparently made), and which `x-provenance: assumed` places it confirms or contradicts.

use generator::overlay;
use serde_json::{Map, Value};

/// An overlay action whose target matches nothing in the new document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleAction {
    /// Its index in `actions` (from 0).
    pub index: usize,
    pub target: String,
    pub description: String,
}

/// Applies the overlay's actions one at a time, in order, to a copy of `document`; returns
/// the overlay without the actions that match nothing (so the rest can still be applied) and
/// those actions. Actions that fail for another reason are kept: the generator reports them.
pub fn split_overlay(document: &Value, overlay_document: &Value) -> (Value, Vec<StaleAction>) {
    let Some(actions) = overlay_document.get("actions").and_then(Value::as_array) else {
        return (overlay_document.clone(), Vec::new());
    };
    let mut working = document.clone();
    let mut kept = Vec::new();
    let mut stale = Vec::new();
    for (index, action) in actions.iter().enumerate() {
        let mut single = overlay_document.clone();
        single["actions"] = Value::Array(vec![action.clone()]);
        match overlay::apply(&mut working, &single) {
            Ok(()) => kept.push(action.clone()),
            Err(problems)
                if problems
                    .0
                    .iter()
                    .any(|d| d.message.contains("matches nothing")) =>
            {
                let text = |key: &str| {
                    action
                        .get(key)
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .trim()
                        .to_owned()
                };
                stale.push(StaleAction {
                    index,
                    target: text("target"),
                    description: text("description"),
                });
            }
            Err(_) => kept.push(action.clone()),
        }
    }
    let mut filtered = overlay_document.clone();
    filtered["actions"] = Value::Array(kept);
    (filtered, stale)
}

/// What the new document says about one place the old one marked `x-provenance: assumed`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Same content (ignoring descriptions, examples and `x-` members).
    Confirmed,
    /// The place exists with other content.
    Contradicted,
    /// The place is gone.
    Absent,
    /// The new document still marks it assumed (it is not PayPro's own).
    StillAssumed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assumption {
    /// JSON pointer of the marked object.
    pub pointer: String,
    pub note: Option<String>,
    pub verdict: Verdict,
}

/// Every `x-provenance: assumed` place of `old`, with what `new` has there.
pub fn assumptions(old: &Value, new: &Value) -> Vec<Assumption> {
    let mut found = Vec::new();
    collect_assumed(old, String::new(), &mut found);
    found
        .into_iter()
        .map(|(pointer, node)| {
            let note = node
                .get("x-provenance-note")
                .and_then(Value::as_str)
                .map(str::to_owned);
            let verdict = match new.pointer(&pointer) {
                None => Verdict::Absent,
                Some(now) if now.get("x-provenance").and_then(Value::as_str) == Some("assumed") => {
                    Verdict::StillAssumed
                }
                Some(now) if substance(now) == substance(node) => Verdict::Confirmed,
                Some(_) => Verdict::Contradicted,
            };
            Assumption {
                pointer,
                note,
                verdict,
            }
        })
        .collect()
}

fn collect_assumed<'a>(value: &'a Value, pointer: String, out: &mut Vec<(String, &'a Value)>) {
    match value {
        Value::Object(members) => {
            if members.get("x-provenance").and_then(Value::as_str) == Some("assumed") {
                out.push((pointer.clone(), value));
            }
            for (key, child) in members {
                let token = key.replace('~', "~0").replace('/', "~1");
                collect_assumed(child, format!("{pointer}/{token}"), out);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                collect_assumed(child, format!("{pointer}/{index}"), out);
            }
        }
        _ => {}
    }
}

/// A value without what is our own wording: descriptions, summaries, examples, `x-` members.
fn substance(value: &Value) -> Value {
    match value {
        Value::Object(members) => Value::Object(
            members
                .iter()
                .filter(|(key, _)| {
                    !key.starts_with("x-")
                        && !matches!(
                            key.as_str(),
                            "description" | "summary" | "example" | "examples"
                        )
                })
                .map(|(key, child)| (key.clone(), substance(child)))
                .collect::<Map<_, _>>(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(substance).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn assumed_places_are_confirmed_contradicted_or_absent() {
        let old = json!({"paths": {"/a": {"get": {"responses": {
            "200": {"description": "ours", "x-provenance": "assumed", "content": {"x": 1}},
            "201": {"x-provenance": "assumed", "content": {"x": 1}},
            "202": {"x-provenance": "assumed", "x-provenance-note": "n"}
        }}}}});
        let new = json!({"paths": {"/a": {"get": {"responses": {
            "200": {"description": "theirs", "content": {"x": 1}},
            "201": {"content": {"x": 2}}
        }}}}});
        let verdicts: Vec<_> = assumptions(&old, &new)
            .into_iter()
            .map(|a| (a.pointer, a.verdict))
            .collect();
        assert_eq!(
            verdicts,
            vec![
                (
                    "/paths/~1a/get/responses/200".to_owned(),
                    Verdict::Confirmed
                ),
                (
                    "/paths/~1a/get/responses/201".to_owned(),
                    Verdict::Contradicted
                ),
                ("/paths/~1a/get/responses/202".to_owned(), Verdict::Absent),
            ]
        );
    }

    #[test]
    fn actions_matching_nothing_are_split_off_and_the_rest_kept() {
        let document = json!({"components": {"schemas": {"a": {"required": ["x", "y"]}}}});
        let overlay = json!({"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": [
            {"target": "$.components.schemas.a.required[?@ == 'x']", "remove": true},
            {"target": "$.components.schemas.gone", "description": "fixed upstream", "remove": true}
        ]});
        let (kept, stale) = split_overlay(&document, &overlay);
        assert_eq!(kept["actions"].as_array().map(Vec::len), Some(1));
        assert_eq!(stale.len(), 1);
        assert_eq!(stale[0].index, 1);
        assert_eq!(stale[0].description, "fixed upstream");
    }
}
