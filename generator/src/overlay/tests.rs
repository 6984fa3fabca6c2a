//! Overlay engine tests: each Overlay 1.0.0 and 1.1.0 rule (the `copy` action included), every way an overlay can be malformed, and the document left untouched on failure.

use super::*;
use crate::load::load_document;
use serde_json::json;

fn overlay(actions: Value) -> Value {
    json!({"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": actions})
}

/// Applies `actions` to `document` and compares the whole result, so stray edits show up too.
fn check(mut document: Value, actions: Value, expected: Value) {
    apply(&mut document, &overlay(actions)).unwrap();
    assert_eq!(document, expected);
}

fn errors(mut document: Value, overlay: Value) -> Vec<Diagnostic> {
    let before = document.clone();
    let diagnostics = apply(&mut document, &overlay).unwrap_err();
    assert_eq!(
        document, before,
        "a failed overlay must leave the document alone"
    );
    diagnostics.0
}

fn pointers(overlay: Value) -> Vec<String> {
    errors(json!({}), overlay)
        .into_iter()
        .map(|d| d.pointer)
        .collect()
}

#[test]
fn update_merges_objects_recursively_and_replaces_scalars() {
    let update = json!({"swap": "new", "deep": {"y": 2}, "added": true});
    check(
        json!({"a": {"keep": 1, "swap": "old", "deep": {"x": 1}}}),
        json!([{"target": "$.a", "update": update}]),
        json!({"a": {"keep": 1, "swap": "new", "deep": {"x": 1, "y": 2}, "added": true}}),
    );
}

#[test]
fn replacing_a_value_keeps_key_order() {
    let mut document = json!({"a": {"first": 1, "second": 2}});
    apply(
        &mut document,
        &overlay(json!([{"target": "$.a", "update": {"first": 9}}])),
    )
    .unwrap();
    let keys: Vec<&String> = document["a"].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["first", "second"]);
}

#[test]
fn arrays_inside_an_update_are_appended_to() {
    let actions = json!([{"target": "$.s", "update": {"required": ["c"]}}]);
    check(
        json!({"s": {"required": ["a", "b"]}}),
        actions,
        json!({"s": {"required": ["a", "b", "c"]}}),
    );
}

#[test]
fn an_array_target_gets_the_update_as_one_entry() {
    let actions = json!([{"target": "$.t", "update": {"name": "b"}}]);
    check(
        json!({"t": [{"name": "a"}]}),
        actions,
        json!({"t": [{"name": "a"}, {"name": "b"}]}),
    );
    check(
        json!({"l": [1]}),
        json!([{"target": "$.l", "update": [2, 3]}]),
        json!({"l": [1, [2, 3]]}),
    );
}

#[test]
fn remove_deletes_an_object_member() {
    check(
        json!({"a": {"b": 1, "c": 2}}),
        json!([{"target": "$.a.b", "remove": true}]),
        json!({"a": {"c": 2}}),
    );
}

#[test]
fn remove_deletes_several_array_elements_picked_by_a_filter() {
    let target = "$.required[?@ == 'metadata' || @ == 'customer']";
    check(
        json!({"required": ["id", "metadata", "type", "customer", "state"]}),
        json!([{"target": target, "remove": true}]),
        json!({"required": ["id", "type", "state"]}),
    );
}

#[test]
fn remove_handles_a_node_matched_together_with_its_parent() {
    let actions = json!([{"target": "$..b", "remove": true}]);
    check(
        json!({"a": {"b": {"c": 1}}, "z": 1}),
        actions,
        json!({"a": {}, "z": 1}),
    );
    check(
        json!({"a": {"a": 1}}),
        json!([{"target": "$..a", "remove": true}]),
        json!({}),
    );
}

#[test]
fn remove_wins_over_update() {
    let actions = json!([{"target": "$.a", "remove": true, "update": {"x": 1}}]);
    check(json!({"a": 1, "b": 2}), actions, json!({"b": 2}));
}

#[test]
fn actions_run_in_order() {
    let actions = json!([
        {"target": "$", "update": {"s": {"required": ["a", "b"]}}},
        {"target": "$.s.required[?@ == 'a']", "remove": true},
        {"target": "$.s.required", "update": "c"},
    ]);
    check(json!({}), actions, json!({"s": {"required": ["b", "c"]}}));
}

#[test]
fn a_node_matched_twice_is_updated_once() {
    let actions = json!([{"target": "$['a','a']", "update": {"l": [2]}}]);
    check(
        json!({"a": {"l": [1]}}),
        actions,
        json!({"a": {"l": [1, 2]}}),
    );
}

#[test]
fn every_match_of_a_union_target_is_updated() {
    let actions = json!([{"target": "$.s['p','f'].vat", "update": {"type": "number"}}]);
    check(
        json!({"s": {"p": {"vat": {"type": "integer"}}, "f": {"vat": {"type": "integer"}}}}),
        actions,
        json!({"s": {"p": {"vat": {"type": "number"}}, "f": {"vat": {"type": "number"}}}}),
    );
}

#[test]
fn a_target_that_matches_nothing_names_the_action_and_every_failure_is_reported() {
    let found = errors(
        json!({"a": 1}),
        overlay(json!([
            {"target": "$.missing", "description": "first fix", "remove": true},
            {"target": "$", "update": {"b": 2}},
            {"target": "$.also.missing", "update": {}},
        ])),
    );
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].pointer, "/actions/0/target");
    assert_eq!(
        found[0].context.as_deref(),
        Some("overlay action 0: first fix")
    );
    assert!(
        found[0].message.contains("`$.missing` matches nothing"),
        "{}",
        found[0].message
    );
    assert_eq!(found[1].pointer, "/actions/2/target");
    assert_eq!(found[1].context.as_deref(), Some("overlay action 2"));
}

#[test]
fn updating_a_scalar_or_with_a_scalar_is_an_error() {
    let found = errors(
        json!({"a": 1}),
        overlay(json!([{"target": "$.a", "update": {"x": 1}}])),
    );
    assert_eq!(found[0].pointer, "/actions/0/update");
    assert!(
        found[0].message.contains("`/a`: it is a number"),
        "{}",
        found[0].message
    );
    let found = errors(
        json!({"a": {}}),
        overlay(json!([{"target": "$.a", "update": 5}])),
    );
    assert!(
        found[0].message.contains("must be one too, not a number"),
        "{}",
        found[0].message
    );
}

#[test]
fn removing_the_root_is_an_error() {
    let found = errors(
        json!({"a": 1}),
        overlay(json!([{"target": "$", "remove": true}])),
    );
    assert!(
        found[0].message.contains("cannot remove the document root"),
        "{}",
        found[0].message
    );
}

#[test]
fn a_malformed_overlay_points_into_itself() {
    let info = json!({"title": "t", "version": "1"});
    assert_eq!(
        pointers(json!({"info": info, "actions": []})),
        ["/overlay", "/actions"]
    );
    assert_eq!(
        pointers(json!({"overlay": "1.0.0", "info": info})),
        ["/actions"]
    );
    let action = json!({"target": "$", "update": {}});
    let wrong_version =
        json!({"overlay": "2.0.0", "info": {"title": "t"}, "actions": [action], "extra": 1});
    assert_eq!(
        pointers(wrong_version),
        ["/extra", "/overlay", "/info/version"]
    );
    let actions = json!([
        {"target": "$", "update": {}},
        {"target": "$.a"},
        {"target": "$[?", "remove": true},
        {"target": "$", "remove": "yes"},
        {"target": "$", "updates": {}},
        {"update": {}},
        "not an action",
    ]);
    let expected = [
        "/actions/1",
        "/actions/2/target",
        "/actions/3/remove",
        "/actions/3",
        "/actions/4/updates",
        "/actions/4",
        "/actions/5/target",
        "/actions/6",
    ];
    assert_eq!(pointers(overlay(actions)), expected);
}

#[test]
fn a_bad_jsonpath_is_reported_with_the_parser_message() {
    let action = json!({"target": "components.schemas", "description": "d", "remove": true});
    let found = errors(json!({}), overlay(json!([action])));
    assert_eq!(found[0].pointer, "/actions/0/target");
    assert!(
        found[0].message.contains("is not an RFC 9535 JSONPath"),
        "{}",
        found[0].message
    );
    assert_eq!(found[0].context.as_deref(), Some("overlay action 0: d"));
}

#[test]
fn extensions_are_allowed_and_a_loaded_yaml_overlay_applies() {
    let text = "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nx-note: fine\nactions:\n  \
                - target: $.info\n    x-why: fine\n    update: {title: New}\n";
    let overlay = load_document(text, "overlay.yaml").unwrap();
    let mut document = json!({"info": {"title": "Old", "version": "1"}});
    apply(&mut document, &overlay).unwrap();
    assert_eq!(document, json!({"info": {"title": "New", "version": "1"}}));
}

fn overlay_1_1(actions: Value) -> Value {
    json!({"overlay": "1.1.0", "info": {"title": "t", "version": "1", "description": "d"}, "actions": actions})
}

#[test]
fn copy_merges_the_source_into_each_target_as_the_1_1_example_shows() {
    let mut document = json!({"paths": {
        "/items": {"get": {"responses": {"200": {"description": "OK"}}}},
        "/some-items": {"delete": {"responses": {"200": {"description": "OK"}}}}
    }});
    let actions = json!([{"target": "$.paths['/some-items']", "copy": "$.paths['/items']"}]);
    apply(&mut document, &overlay_1_1(actions)).unwrap();
    assert_eq!(
        document["paths"]["/some-items"],
        json!({"delete": {"responses": {"200": {"description": "OK"}}},
               "get": {"responses": {"200": {"description": "OK"}}}})
    );
    assert_eq!(
        document["paths"]["/items"],
        json!({"get": {"responses": {"200": {"description": "OK"}}}}),
        "the source stays"
    );
}

#[test]
fn copy_then_remove_moves_a_node_and_sees_earlier_actions() {
    let mut document = json!({"paths": {"/old": {"get": {"x": 1}}}});
    let actions = json!([
        {"target": "$.paths", "update": {"/new": {}}},
        {"target": "$.paths['/new']", "copy": "$.paths['/old']"},
        {"target": "$.paths['/old']", "remove": true}
    ]);
    apply(&mut document, &overlay_1_1(actions)).unwrap();
    assert_eq!(document, json!({"paths": {"/new": {"get": {"x": 1}}}}));
}

#[test]
fn overlay_1_1_replaces_scalars_and_concatenates_arrays() {
    let mut document = json!({"info": {"title": "old"}, "tags": ["a"]});
    let actions = json!([
        {"target": "$.info.title", "update": "new"},
        {"target": "$.tags", "update": ["b", "c"]}
    ]);
    apply(&mut document, &overlay_1_1(actions)).unwrap();
    assert_eq!(
        document,
        json!({"info": {"title": "new"}, "tags": ["a", "b", "c"]})
    );
    // The same array update under 1.0 appends one entry, as 1.0 says.
    check(
        json!({"tags": ["a"]}),
        json!([{"target": "$.tags", "update": ["b"]}]),
        json!({"tags": ["a", ["b"]]}),
    );
}

#[test]
fn copy_problems_are_located_and_leave_the_document_alone() {
    let document = json!({"a": {"x": 1}, "b": {"y": 2}, "c": {}});
    let cases = [
        (
            overlay(json!([{"target": "$.c", "copy": "$.a"}])),
            "/actions/0/copy",
            "`copy` is an Overlay 1.1.0 action",
        ),
        (
            overlay_1_1(json!([{"target": "$.c", "copy": "$.missing"}])),
            "/actions/0/copy",
            "copy source `$.missing` matches nothing",
        ),
        (
            overlay_1_1(json!([{"target": "$.c", "copy": "$['a','b']"}])),
            "/actions/0/copy",
            "matches 2 nodes; it must select exactly one",
        ),
        (
            overlay_1_1(json!([{"target": "$.c", "copy": "a"}])),
            "/actions/0/copy",
            "copy source `a` is not an RFC 9535 JSONPath",
        ),
        (
            overlay_1_1(json!([{"target": "$.c", "copy": 3}])),
            "/actions/0/copy",
            "`copy` must be a JSONPath string",
        ),
        (
            overlay_1_1(json!([{"target": "$.a.x", "copy": "$.b"}])),
            "/actions/0/copy",
            "cannot update node `/a/x`",
        ),
        (
            json!({"overlay": "1.2.0", "info": {"title": "t", "version": "1"},
                   "actions": [{"target": "$.a", "remove": true}]}),
            "/overlay",
            "implements 1.0.0 and 1.1.0",
        ),
    ];
    for (overlay, pointer, message) in cases {
        let found = errors(document.clone(), overlay);
        assert!(
            found
                .iter()
                .any(|d| d.pointer == pointer && d.message.contains(message)),
            "{pointer}: {message}: {found:?}"
        );
    }
}
