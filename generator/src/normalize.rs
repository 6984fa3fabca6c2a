//! Normalize stage: a raw document value in, the same document in the OpenAPI 3.0 form `openapiv3` reads out.
//!
//! OpenAPI 3.1 writes nullability as `type: [T, "null"]`, constants as `const`, examples as a
//! list, and exclusive bounds as numbers; 3.0 has `nullable`, one-value `enum`, `example` and
//! booleans. Rewriting here, on the untyped value, keeps the meaning and lets one parser serve
//! both versions. Every rewrite that drops information is reported as a warning.
//!
//! Defects with one obvious reading are read that way here too (each a [`Diagnostic::defect`]
//! naming its pointer and the reading), so that no later stage sees them: see the submodules.

mod defs;
mod discriminators;
mod path_parameters;
mod reference_objects;
mod shared_walk;

use crate::diagnostics::{Diagnostic, pointer_enter, pointer_enter_index, pointer_push};
use serde_json::{Map, Value};

/// Rewrites `document` in place and returns warnings for what could not be kept.
pub fn normalize(document: &mut Value) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let is_31 = document
        .get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("3.1"));
    if is_31 {
        if let Some(version) = document.get_mut("openapi") {
            *version = Value::String("3.0.3".to_owned());
        }
    }
    if let Some(object) = document.as_object_mut() {
        // 3.1 allows a document without `paths`; openapiv3 does not.
        object
            .entry("paths")
            .or_insert_with(|| Value::Object(Map::new()));
        if !object.contains_key("info") {
            warnings.push(Diagnostic::warning(
                "/info",
                "the document has no `info`; a placeholder is used",
            ));
            object.insert(
                "info".to_owned(),
                serde_json::json!({"title": "API", "version": "0"}),
            );
        }
        if let Some(version) = object
            .get_mut("info")
            .and_then(|info| info.get_mut("version"))
        {
            // `version: 1.0` is a YAML number; the text is what was meant.
            if let Value::Number(number) = version {
                *version = Value::String(number.to_string());
                warnings.push(Diagnostic::warning(
                    "/info/version",
                    "`info.version` is a number; it is read as text, but quote it to keep it exact (`1.10` reads as 1.1)",
                ));
            }
        }
        add_missing_responses(object, is_31, &mut warnings);
    }
    // The two searches only read the document, so they run side by side. Repairing a
    // Reference Object can copy a component in (and any `$defs` in it), so when it changes
    // anything the `$defs` are looked for again in the repaired document.
    let (objects, defs) = crate::parallel::both(
        "normalize-find",
        || reference_objects::find_repairs(document, is_31),
        || defs::find_defs(document),
    );
    let repaired = objects.changes_anything();
    warnings.extend(reference_objects::apply(document, objects));
    let defs = if repaired {
        defs::find_defs(document)
    } else {
        defs
    };
    warnings.extend(defs::hoist_found(document, defs));
    let walked = shared_walk::walk_document(document);
    warnings.extend(walked.warnings);
    warnings.extend(discriminators::drop_dangling(document, walked.mappings));
    warnings.extend(path_parameters::repair(document));
    warnings
}

/// What the walk carries down: where it is, and what it found on the way.
#[derive(Default)]
struct Walk {
    pointer: String,
    warnings: Vec<Diagnostic>,
    /// Discriminator mappings, whose targets are checked once every schema is rewritten.
    mappings: Vec<discriminators::MappingEntry>,
}

impl Walk {
    fn at(pointer: String) -> Self {
        Walk {
            pointer,
            ..Walk::default()
        }
    }

    /// Appends what `later` found after what this walk found.
    fn extend(&mut self, later: Walk) {
        self.warnings.extend(later.warnings);
        self.mappings.extend(later.mappings);
    }
}

/// Operations must list `responses` in 3.0 but need not in 3.1; an empty list means the
/// operation returns nothing the client decodes, which is what such a document says.
fn add_missing_responses(
    object: &mut Map<String, Value>,
    is_31: bool,
    warnings: &mut Vec<Diagnostic>,
) {
    let Some(Value::Object(paths)) = object.get_mut("paths") else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Value::Object(item) = item else { continue };
        for method in crate::OPERATION_METHODS {
            let Some(Value::Object(operation)) = item.get_mut(method) else {
                continue;
            };
            if operation.contains_key("responses") {
                continue;
            }
            operation.insert("responses".to_owned(), Value::Object(Map::new()));
            if !is_31 {
                let pointer = pointer_push(&pointer_push("/paths", path), method);
                warnings.push(Diagnostic::warning(
                    pointer,
                    "the operation has no `responses` (OpenAPI 3.0 requires them); it is generated as returning nothing",
                ));
            }
        }
    }
}

/// Whether a key's value maps names to objects: such a map is never itself a schema, even
/// when a property happens to be called `type`, `const` or `$ref`.
pub(crate) fn is_name_map(key: &str) -> bool {
    // A `match` rather than a list: every object of the document asks.
    matches!(
        key,
        "properties"
            | "patternProperties"
            | "schemas"
            | "definitions"
            | "$defs"
            | "responses"
            | "parameters"
            | "headers"
            | "content"
            | "requestBodies"
            | "securitySchemes"
            | "links"
            | "callbacks"
            | "paths"
            | "mapping"
            | "variables"
            | "encoding"
    )
}

/// Keys whose value is data (examples, defaults, extension payloads), never a schema to rewrite.
/// An `examples` mapping holds Example Objects, whose references are only ever to examples.
pub(crate) fn is_data(key: &str) -> bool {
    matches!(key, "example" | "examples" | "default" | "enum" | "const") || key.starts_with("x-")
}

fn walk(value: &mut Value, state: &mut Walk, parent_key: &str) {
    match value {
        Value::Object(object) => {
            let is_name_map = visit_object(object, state, parent_key);
            for (key, child) in object.iter_mut() {
                let Some(child_key) = child_key(is_name_map, key) else {
                    continue;
                };
                let before = pointer_enter(&mut state.pointer, key);
                walk(child, state, child_key);
                state.pointer.truncate(before);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter_mut().enumerate() {
                let before = pointer_enter_index(&mut state.pointer, index);
                walk(item, state, "");
                state.pointer.truncate(before);
            }
        }
        _ => {}
    }
}

/// The walk's work on one object, before its members: rewrites it if it is a schema and notes
/// its discriminator mapping. Returns whether it is a name map (whose keys are names).
fn visit_object(object: &mut Map<String, Value>, state: &mut Walk, parent_key: &str) -> bool {
    let is_name_map = is_name_map(parent_key);
    // A name map's keys are names: not worth scanning for keywords.
    let keywords = (!is_name_map).then(|| Keywords::of(object));
    if let Some(keywords) = keywords.filter(|k| looks_like_schema(object, *k)) {
        rewrite_schema(object, keywords);
        if keywords.has_any(BOUNDS) {
            drop_unrepresentable_bounds(object, &state.pointer, &mut state.warnings);
        }
        if keywords.has_any(OBJECT_OR_ARRAY) {
            drop_keywords_for_other_types(object, &state.pointer, &mut state.warnings);
        }
    }
    if !is_name_map {
        discriminators::note_mapping(object, &state.pointer, &mut state.mappings);
    }
    is_name_map
}

/// The parent key a member is walked with, or `None` for a member the walk leaves alone (data).
fn child_key(in_name_map: bool, key: &str) -> Option<&str> {
    if in_name_map {
        // The entries of a name map are objects again, whatever their names.
        Some("")
    } else if !is_data(key) {
        Some(key)
    } else {
        None
    }
}

/// Integer bounds beyond 64 bits (real specs carry `18446744073709552000`) cannot be read as
/// an integer schema's bounds; they constrain nothing a 64-bit field could hold, so they go.
fn drop_unrepresentable_bounds(
    schema: &mut Map<String, Value>,
    pointer: &str,
    warnings: &mut Vec<Diagnostic>,
) {
    if schema.get("type").and_then(Value::as_str) != Some("integer") {
        return;
    }
    for keyword in ["minimum", "maximum", "multipleOf"] {
        let unrepresentable = schema
            .get(keyword)
            .is_some_and(|v| v.is_number() && v.as_i64().is_none());
        if unrepresentable {
            schema.remove(keyword);
            warnings.push(Diagnostic::warning(
                pointer_push(pointer, keyword),
                format!("`{keyword}` is not a 64-bit integer; the bound is ignored"),
            ));
        }
    }
}

/// `properties`, `required`, `additionalProperties` and `items` constrain objects and arrays
/// only: beside a scalar `type` they constrain nothing (Plaid's `CreditAccount` is a string whose
/// "properties" describe its values). The one reading is the scalar the type says, so they are
/// dropped, with a warning; without this the schema would be read as an object and a string
/// would not decode.
fn drop_keywords_for_other_types(
    schema: &mut Map<String, Value>,
    pointer: &str,
    warnings: &mut Vec<Diagnostic>,
) {
    let Some(typ) = schema
        .get("type")
        .and_then(Value::as_str)
        .map(str::to_owned)
    else {
        return;
    };
    if !matches!(typ.as_str(), "string" | "integer" | "number" | "boolean") {
        return;
    }
    let present: Vec<&str> = ["properties", "required", "additionalProperties", "items"]
        .into_iter()
        // `required: true` on a property is another mistake (Swagger 2's), which the parse
        // stage reports with its own fix; only a list of names is an object's keyword.
        .filter(|keyword| match schema.get(*keyword) {
            Some(Value::Bool(_)) => *keyword != "required",
            Some(_) => true,
            None => false,
        })
        .collect();
    if present.is_empty() {
        return;
    }
    for keyword in &present {
        schema.remove(*keyword);
    }
    let listed: Vec<String> = present.iter().map(|k| format!("`{k}`")).collect();
    warnings.push(Diagnostic::defect(
        pointer_push(pointer, "type"),
        format!(
            "{} beside `type: {typ}` constrain only objects and arrays",
            listed.join(", ")
        ),
        format!("a plain {typ} (they are dropped)"),
        "remove them, or move what they say into `description` or an `enum`",
    ));
}

/// The keywords the schema rewrites look for that an object has, found in one pass over its
/// keys: most objects have none of most of them, and each lookup by name hashes the name.
#[derive(Clone, Copy)]
struct Keywords(u16);

const TYPE: u16 = 1;
const CONST: u16 = 1 << 1;
const REF: u16 = 1 << 2;
const EXCLUSIVE_BOUNDS: u16 = 1 << 3;
const PROPERTIES: u16 = 1 << 4;
const ITEMS: u16 = 1 << 5;
const EXAMPLES: u16 = 1 << 6;
const NOT_A_SCHEMA: u16 = 1 << 7;
const INCLUSIVE_BOUNDS: u16 = 1 << 8;
const OBJECT_ONLY: u16 = 1 << 9;

/// What `drop_unrepresentable_bounds` reads (exclusive bounds become inclusive ones first).
const BOUNDS: u16 = INCLUSIVE_BOUNDS | EXCLUSIVE_BOUNDS;
/// What `drop_keywords_for_other_types` drops.
const OBJECT_OR_ARRAY: u16 = PROPERTIES | ITEMS | OBJECT_ONLY;

impl Keywords {
    fn of(object: &Map<String, Value>) -> Self {
        let mut found = 0;
        for key in object.keys() {
            found |= match key.as_str() {
                "type" => TYPE,
                "const" => CONST,
                "$ref" => REF,
                "exclusiveMinimum" | "exclusiveMaximum" => EXCLUSIVE_BOUNDS,
                "properties" => PROPERTIES,
                "items" => ITEMS,
                "examples" => EXAMPLES,
                "in" | "openapi" => NOT_A_SCHEMA,
                "minimum" | "maximum" | "multipleOf" => INCLUSIVE_BOUNDS,
                "required" | "additionalProperties" => OBJECT_ONLY,
                _ => 0,
            };
        }
        Self(found)
    }

    fn has_any(self, keywords: u16) -> bool {
        self.0 & keywords != 0
    }
}

/// Schema objects are recognised by keywords only a schema carries (a list of `examples` is a
/// schema's; a mapping of them belongs to a media type or parameter).
fn looks_like_schema(object: &Map<String, Value>, keywords: Keywords) -> bool {
    let schema_keyword = TYPE | CONST | REF | EXCLUSIVE_BOUNDS | PROPERTIES | ITEMS;
    (keywords.has_any(schema_keyword)
        || keywords.has_any(EXAMPLES) && object.get("examples").is_some_and(Value::is_array))
        && !keywords.has_any(NOT_A_SCHEMA)
        && !(keywords.has_any(REF) && reference_objects::reference_kind(object).is_some())
}

/// The rewrites of one schema. `keywords` are the schema's as found: no rewrite adds a keyword
/// a later one starts from (`type`, `const`, `examples`, the exclusive bounds, `$ref`), so
/// each runs only where its keyword was.
fn rewrite_schema(schema: &mut Map<String, Value>, keywords: Keywords) {
    if keywords.has_any(TYPE) {
        rewrite_type(schema);
    }
    if keywords.has_any(CONST) {
        if let Some(constant) = schema.remove("const") {
            schema.insert("enum".to_owned(), Value::Array(vec![constant]));
        }
    }
    if keywords.has_any(EXAMPLES) {
        if let Some(Value::Array(examples)) = schema.get("examples").cloned() {
            schema.remove("examples");
            if let Some(first) = examples.first() {
                schema.entry("example").or_insert_with(|| first.clone());
            }
        }
    }
    if keywords.has_any(EXCLUSIVE_BOUNDS) {
        for (exclusive, bound) in [
            ("exclusiveMinimum", "minimum"),
            ("exclusiveMaximum", "maximum"),
        ] {
            if let Some(number) = schema.get(exclusive).filter(|v| v.is_number()).cloned() {
                schema.insert(bound.to_owned(), number);
                schema.insert(exclusive.to_owned(), Value::Bool(true));
            }
        }
    }
    if keywords.has_any(REF) {
        rewrite_reference_siblings(schema);
    }
}

/// 3.1's type lists and `type: 'null'` in 3.0's terms.
fn rewrite_type(schema: &mut Map<String, Value>) {
    // `type: [T, "null"]` → `type: T, nullable: true`; several non-null types → anyOf.
    // A list with anything but type names is left for the parse stage to report.
    let type_names: Option<Vec<String>> =
        schema
            .get("type")
            .and_then(Value::as_array)
            .and_then(|types| {
                types
                    .iter()
                    .map(|t| t.as_str().map(str::to_owned))
                    .collect()
            });
    if let Some(names) = type_names {
        let nullable = names.iter().any(|t| t == "null");
        let non_null: Vec<&String> = names.iter().filter(|t| *t != "null").collect();
        schema.remove("type");
        match non_null.as_slice() {
            [] => {}
            [single] => {
                schema.insert("type".to_owned(), Value::String((*single).clone()));
            }
            several => {
                let members = several
                    .iter()
                    .map(|t| serde_json::json!({"type": t}))
                    .collect();
                schema.insert("anyOf".to_owned(), Value::Array(members));
            }
        }
        if nullable {
            schema.insert("nullable".to_owned(), Value::Bool(true));
        }
    }
    if schema.get("type").and_then(Value::as_str) == Some("null") {
        schema.remove("type");
        schema.insert("nullable".to_owned(), Value::Bool(true));
        schema.insert("enum".to_owned(), Value::Array(vec![Value::Null]));
    }
}

/// A `$ref` beside other keywords, in a form `openapiv3` keeps whole.
fn rewrite_reference_siblings(schema: &mut Map<String, Value>) {
    // A `$ref` with siblings: 3.0 ignores the siblings, 3.1 applies them. Keep the meaning by
    // wrapping the reference in `allOf`, except for `nullable`/`description`, which the
    // lowering reads beside a `$ref` directly.
    if schema.get("$ref").is_some_and(Value::is_string) && schema.len() > 1 {
        let meaningful: Vec<String> = schema
            .keys()
            .filter(|k| {
                !matches!(
                    k.as_str(),
                    "$ref" | "description" | "nullable" | "summary" | "example" | "title"
                )
            })
            .filter(|k| !k.starts_with("x-"))
            .cloned()
            .collect();
        if !meaningful.is_empty() {
            let reference = schema.remove("$ref").unwrap_or(Value::Null);
            schema.insert("allOf".to_owned(), serde_json::json!([{"$ref": reference}]));
        }
    }
    if schema.contains_key("$ref") && schema.len() > 1 {
        let nullable = schema
            .get("nullable")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if nullable {
            // openapiv3 drops siblings of `$ref`; keep `nullable` by wrapping in a one-member anyOf.
            let reference = schema.remove("$ref").unwrap_or(Value::Null);
            schema.insert("anyOf".to_owned(), serde_json::json!([{"$ref": reference}]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn type_arrays_become_nullable() {
        let mut doc = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "components": {"schemas": {"a": {"type": ["string", "null"]}}}});
        normalize(&mut doc);
        assert_eq!(doc["openapi"], "3.0.3");
        assert_eq!(
            doc["components"]["schemas"]["a"],
            json!({"type": "string", "nullable": true})
        );
        assert!(doc["paths"].is_object());
    }

    #[test]
    fn const_and_examples_are_rewritten() {
        let mut doc = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "components": {"schemas": {"a": {"type": "string", "const": "x", "examples": ["x"]}}}});
        normalize(&mut doc);
        assert_eq!(
            doc["components"]["schemas"]["a"],
            json!({"type": "string", "enum": ["x"], "example": "x"})
        );
    }

    #[test]
    fn nullable_ref_is_kept() {
        let mut doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "components": {"schemas": {"a": {"$ref": "#/components/schemas/b", "nullable": true}, "b": {"type": "string"}}}});
        normalize(&mut doc);
        assert_eq!(
            doc["components"]["schemas"]["a"]["anyOf"][0]["$ref"],
            "#/components/schemas/b"
        );
        assert_eq!(doc["components"]["schemas"]["a"]["nullable"], true);
    }

    #[test]
    fn property_names_that_look_like_keywords_are_left_alone() {
        let properties = json!({"const": {"type": "string"}, "$ref": {"type": "string"},
            "examples": {"type": ["string", "null"]}});
        let mut doc = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "components": {"schemas": {"a": {"type": "object", "properties": properties}}}});
        normalize(&mut doc);
        let kept = &doc["components"]["schemas"]["a"]["properties"];
        assert_eq!(kept["const"], json!({"type": "string"}));
        assert_eq!(kept["$ref"], json!({"type": "string"}));
        assert_eq!(
            kept["examples"],
            json!({"type": "string", "nullable": true})
        );
    }

    #[test]
    fn example_data_is_not_rewritten_and_media_type_examples_stay() {
        let media = json!({"schema": {"type": "string"}, "example": {"type": ["a", "null"]},
            "examples": {"one": {"value": {"const": 1}}}});
        let mut doc = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {"200": {"description": "ok",
                "content": {"application/json": media.clone()}}}}}}});
        normalize(&mut doc);
        let content = &doc["paths"]["/a"]["get"]["responses"]["200"]["content"];
        assert_eq!(content["application/json"], media);
    }

    #[test]
    fn a_numeric_info_version_becomes_text_with_a_warning() {
        let mut doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": 1.5}});
        let warnings = normalize(&mut doc);
        assert_eq!(doc["info"]["version"], "1.5");
        assert_eq!(warnings[0].pointer, "/info/version");
    }

    #[test]
    fn operations_without_responses_get_an_empty_list() {
        let mut doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {}}}});
        let warnings = normalize(&mut doc);
        assert_eq!(doc["paths"]["/a"]["get"]["responses"], json!({}));
        assert_eq!(warnings[0].pointer, "/paths/~1a/get");
    }

    #[test]
    fn a_type_list_with_a_non_name_is_left_for_the_parser_to_report() {
        let mut doc = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "components": {"schemas": {"a": {"type": ["string", 7]}}}});
        normalize(&mut doc);
        assert_eq!(
            doc["components"]["schemas"]["a"]["type"],
            json!(["string", 7])
        );
    }

    #[test]
    fn exclusive_bounds_become_booleans() {
        let mut doc = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "components": {"schemas": {"a": {"type": "integer", "exclusiveMinimum": 0}}}});
        normalize(&mut doc);
        assert_eq!(
            doc["components"]["schemas"]["a"],
            json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true})
        );
    }
}
