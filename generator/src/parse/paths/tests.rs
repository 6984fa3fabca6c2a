//! The path items read with their schemas set aside against `openapiv3::Paths` read by serde, on real documents and on every place a schema can stand.

use super::*;
use crate::schema::inline::MARKER;
use serde_json::json;

/// What `openapiv3` makes of a `paths` mapping; `None` where it refuses it.
fn by_openapiv3(paths: &Map<String, Value>) -> Option<openapiv3::Paths> {
    openapiv3::Paths::deserialize(&Value::Object(paths.clone())).ok()
}

/// This module's reading, with the set-aside schemas put back where their markers stand.
fn read_here(paths: Map<String, Value>) -> Option<openapiv3::Paths> {
    let mut inline = InlineSchemas::default();
    let mut read = parse_paths(paths, &mut inline)?;
    put_back(&mut read, inline);
    Some(read)
}

fn members(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(members) => members,
        _ => Map::new(),
    }
}

/// The paths of PayPro's document, the construct specs (broken ones among them) and every
/// corpus document read exactly as `openapiv3` reads them, none of them left to `openapiv3`;
/// where `openapiv3` refuses them, so does this reading.
#[test]
fn real_paths_read_as_openapiv3_reads_them() -> Result<(), String> {
    let mut operations = 0;
    crate::real_documents::each_normalized(|name, document| {
        let paths = members(document.get("paths").cloned().unwrap_or(Value::Null));
        let expected = by_openapiv3(&paths);
        let direct = read_here(paths);
        assert!(direct == expected, "{name}: paths read differently");
        operations += direct
            .iter()
            .flat_map(|paths| paths.paths.values())
            .filter_map(ReferenceOr::as_item)
            .map(|item| item.iter().count())
            .sum::<usize>();
    })?;
    assert!(operations > 3_000, "only {operations} operations compared");
    Ok(())
}

/// A schema in every place a path item holds one, each of a different kind.
fn everywhere() -> Value {
    json!({
        "/a/{id}": {
            "parameters": [
                {"name": "id", "in": "path", "required": true, "schema": {"type": "string", "maxLength": 5}},
                {"$ref": "#/components/parameters/p"},
                {"name": "c", "in": "cookie", "content": {"application/json": {"schema": {"type": "integer"}}}}
            ],
            "get": {
                "parameters": [{"name": "q", "in": "query", "schema": {"type": "array", "items": {"type": "boolean"}}}],
                "responses": {
                    "200": {
                        "description": "ok",
                        "headers": {
                            "h": {"schema": {"type": "number"}},
                            "hc": {"content": {"text/plain": {"schema": {"enum": ["a"]}}}},
                            "r": {"$ref": "#/components/headers/h"}
                        },
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}
                    },
                    "default": {"description": "error", "content": {"application/json": {"schema": {"oneOf": [{"type": "string"}]}}}},
                    "x-note": {"content": {"a": {"schema": {"type": "string"}}}}
                },
                "callbacks": {
                    "done": {"{$request.body#/url}": {"post": {
                        "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {"n": {"type": "integer"}}}}}},
                        "responses": {"204": {"description": "seen"}}
                    }}}
                }
            },
            "post": {
                "requestBody": {"content": {"multipart/form-data": {
                    "schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}},
                    "encoding": {"file": {"headers": {"X-Part": {"schema": {"type": "string", "x-kept": 1}}}}}
                }}},
                "responses": {"201": {"$ref": "#/components/responses/r"}}
            }
        },
        "/b": {"$ref": "#/components/pathItems/b"},
        "x-extension": {"schema": {"type": "string"}}
    })
}

#[test]
fn schemas_in_every_place_are_put_back_where_openapiv3_reads_them() {
    let paths = members(everywhere());
    let expected = by_openapiv3(&paths);
    assert!(expected.is_some(), "the test paths are valid");
    let mut inline = InlineSchemas::default();
    assert!(parse_paths(paths.clone(), &mut inline).is_some());
    // All but the reference and the extensions' schema-like value.
    assert_eq!(inline.len(), 9);
    assert!(read_here(paths) == expected);
}

/// A schema `openapiv3` does not read where this reading looks for one makes the whole
/// reading fall back to `openapiv3`, never a different result.
#[test]
fn a_schema_openapiv3_ignores_makes_the_reading_fall_back() {
    // A parameter with both: `openapiv3` keeps the schema and drops the content.
    let paths = members(json!({"/a": {"get": {
        "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"},
            "content": {"text/plain": {"schema": {"type": "integer"}}}}],
        "responses": {}
    }}}));
    assert!(by_openapiv3(&paths).is_some());
    assert!(read_here(paths).is_none());
}

/// A document that writes the marker itself gets it back as an extension like any other.
#[test]
fn a_document_holding_the_marker_reads_as_openapiv3_reads_it() {
    let paths = members(
        json!({"/a": {"get": {"responses": {"200": {"description": "d",
        "content": {"a": {"schema": {MARKER: 0}}, "b": {"schema": {"type": "string", MARKER: 5}}}}}}}}),
    );
    let expected = by_openapiv3(&paths);
    assert!(expected.is_some());
    assert!(read_here(paths) == expected);
}

#[test]
fn a_schema_openapiv3_refuses_is_refused() {
    let paths = members(
        json!({"/a": {"get": {"responses": {"200": {"description": "d",
        "content": {"a": {"schema": {"type": "string", "nullable": "yes"}}}}}}}}),
    );
    assert!(by_openapiv3(&paths).is_none());
    assert!(read_here(paths).is_none());
}

/// A path item's `$ref` decides between the two readings as `openapiv3`'s untagged enum does:
/// a string makes a reference (whatever else the item holds), anything else an item.
#[test]
fn path_item_references_are_told_apart_as_openapiv3_tells_them() {
    let paths = members(json!({
        "/string": {"$ref": "#/components/pathItems/a", "summary": "ignored"},
        "/number": {"$ref": 5, "summary": "an item"},
        "/null": {"$ref": null, "get": {"responses": {}}},
        "/plain": {"summary": "an item"}
    }));
    let expected = by_openapiv3(&paths);
    assert!(expected.is_some());
    assert!(read_here(paths) == expected);
}
