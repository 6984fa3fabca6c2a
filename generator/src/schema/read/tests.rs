//! The direct reader against `openapiv3`'s deserializer followed by [`crate::schema::compact`], on real documents and on generated schemas.

use super::*;
use proptest::prelude::*;
use serde::Deserialize;

/// What `openapiv3` makes of a schema value, compacted; `None` where it refuses the value.
fn by_openapiv3(value: &Value) -> Option<ReferenceOr<Schema>> {
    ReferenceOr::<openapiv3::Schema>::deserialize(value)
        .ok()
        .map(crate::schema::compact)
}

/// Every component schema of PayPro's document, the construct specs (the broken ones among
/// them) and every corpus document reads directly, and reads as `openapiv3` reads
/// it; where `openapiv3` refuses one, so does the reader.
#[test]
fn real_schemas_read_as_openapiv3_reads_them() -> Result<(), String> {
    let (mut read, mut refused) = (0, 0);
    crate::real_documents::each_normalized(|name, document| {
        let schemas = crate::real_documents::component_schemas(document);
        for (key, value) in schemas {
            let expected = by_openapiv3(&value);
            let direct = schema_or_reference(value).ok();
            assert!(direct == expected, "{name}: schema {key} reads differently");
            match expected {
                Some(_) => read += 1,
                None => refused += 1,
            }
        }
    })?;
    // PayPro's and the construct specs' hold a few hundred, the corpus thousands.
    assert!(
        read > 7_000,
        "only {read} schemas compared ({refused} refused)"
    );
    Ok(())
}

#[test]
fn every_kind_and_keyword_reads_as_openapiv3_reads_it() {
    let cases = serde_json::json!([
        {"type": "string", "format": "date-time", "pattern": "^a", "minLength": 1, "maxLength": 9,
         "enum": ["a", null], "nullable": true, "title": "t", "description": "d"},
        {"type": "string", "format": "yolo"},
        {"type": "string", "minimum": 1},
        {"type": "number", "multipleOf": 0.5, "minimum": -1, "maximum": 1e300,
         "exclusiveMinimum": true, "enum": [1, 2.5, null], "format": "float"},
        {"type": "integer", "minimum": 1, "maximum": 18446744073709551615u64},
        {"type": "integer", "minimum": 1.5},
        {"type": "integer", "enum": [1, "a"]},
        {"type": "integer", "format": "int64", "enum": [-3, null], "exclusiveMaximum": false},
        {"type": "boolean", "enum": [true, null], "readOnly": true},
        {"type": "boolean", "format": "x"},
        {"type": "object", "properties": {"a": {"$ref": "#/a"}, "b": {"type": "string"}},
         "required": ["a"], "additionalProperties": {"type": "integer"}, "minProperties": 1},
        {"type": "object", "additionalProperties": false, "required": null},
        {"type": "object", "items": {}},
        {"type": "array", "items": {"type": "array", "items": {"$ref": "#/b"}}, "uniqueItems": true,
         "minItems": 0, "maxItems": 3, "writeOnly": true, "deprecated": true},
        {"type": "array", "enum": [[1]]},
        {"oneOf": [{"$ref": "#/a"}, {"type": "string"}],
         "discriminator": {"propertyName": "kind", "mapping": {"a": "#/a"}, "x-d": 1}},
        {"allOf": [{"$ref": "#/a"}], "example": {"a": 1}, "default": [1], "x-kept": "yes"},
        {"anyOf": [{}], "externalDocs": {"url": "https://example.com", "description": "d"}},
        {"not": {"type": "string"}},
        {"oneOf": [{}], "allOf": [{}]},
        {"oneOf": [{}], "type": "object"},
        {"oneOf": [{}], "properties": {}},
        {"type": "frog", "enum": [1, "a", null], "format": "f"},
        {"enum": ["a"]},
        {},
        {"$ref": "#/components/schemas/A", "description": "ignored"},
        {"$ref": 5, "type": "string"},
        {"$ref": null},
        {"example": null, "default": null, "title": null, "discriminator": null},
        {"nullable": null},
        {"minLength": -1, "type": "string"},
        {"minLength": 1.0, "type": "string"},
        {"type": ["string", "null"]},
        {"properties": {"a": 5}},
        {"properties": [1]},
        {"items": [{"type": "string"}]},
        {"required": "a"},
        {"discriminator": {"mapping": {}}},
        {"additionalProperties": 5},
        {"additionalProperties": {"$ref": "#/a"}},
        "just text",
        ["#/a"],
        null,
    ]);
    let Value::Array(cases) = cases else {
        unreachable!("the cases are a list")
    };
    for case in cases {
        let expected = by_openapiv3(&case);
        // Where `openapiv3` reads something the reader leaves to it (a list in a schema's
        // place, which serde reads as a reference by position), the fallback reads it.
        let direct = schema_or_reference(case.clone()).ok();
        assert!(
            direct == expected || (direct.is_none() && !case.is_object()),
            "{case} reads differently: {direct:?} against {expected:?}"
        );
    }
}

/// Scalars of every JSON type, biased towards what schema keywords hold.
fn leaf() -> BoxedStrategy<Value> {
    let words = prop::sample::select(vec![
        "string",
        "number",
        "integer",
        "boolean",
        "object",
        "array",
        "date-time",
        "#/a",
        "x",
    ]);
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-3i64..20).prop_map(Value::from),
        prop::sample::select(vec![0.5f64, 2.0, -1.5, 1e20]).prop_map(Value::from),
        Just(Value::from(u64::MAX)),
        words.prop_map(Value::from),
    ]
    .boxed()
}

/// Any JSON value, schemas among them.
fn any_value(schema: BoxedStrategy<Value>) -> BoxedStrategy<Value> {
    prop_oneof![
        3 => leaf(),
        2 => schema.clone(),
        1 => prop::collection::vec(prop_oneof![leaf(), schema.clone()], 0..3).prop_map(Value::Array),
        1 => prop::collection::vec(("[a-c]", schema), 0..3)
            .prop_map(|members| Value::Object(members.into_iter().collect())),
    ]
    .boxed()
}

/// A keyword and a value of the type it takes, or, one time in six, of any type.
fn keyword(schema: BoxedStrategy<Value>) -> impl Strategy<Value = (String, Value)> {
    let flags = [
        "nullable",
        "readOnly",
        "writeOnly",
        "deprecated",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "uniqueItems",
    ];
    let texts = ["type", "format", "pattern", "title", "description", "$ref"];
    let numbers = ["multipleOf", "minimum", "maximum"];
    let counts = [
        "minProperties",
        "maxProperties",
        "minItems",
        "maxItems",
        "minLength",
        "maxLength",
    ];
    let schemas = ["items", "not", "additionalProperties"];
    let lists = ["oneOf", "allOf", "anyOf"];
    let loose = [
        "enum",
        "example",
        "default",
        "x-a",
        "other",
        "required",
        "properties",
        "discriminator",
        "externalDocs",
    ];
    let word = prop::sample::select(vec![
        "string",
        "number",
        "integer",
        "boolean",
        "date-time",
        "#/a",
    ]);
    let well_typed = prop_oneof![
        (
            prop::sample::select(flags.to_vec()),
            any::<bool>().prop_map(Value::Bool)
        ),
        (
            prop::sample::select(texts.to_vec()),
            word.clone().prop_map(Value::from)
        ),
        (prop::sample::select(numbers.to_vec()), leaf()),
        (
            prop::sample::select(counts.to_vec()),
            (0u64..5).prop_map(Value::from)
        ),
        (prop::sample::select(schemas.to_vec()), schema.clone()),
        (
            prop::sample::select(lists.to_vec()),
            prop::collection::vec(schema.clone(), 0..3).prop_map(Value::Array)
        ),
        (
            Just("enum"),
            prop::collection::vec(leaf(), 0..3).prop_map(Value::Array)
        ),
        (
            Just("required"),
            prop::collection::vec(word.clone().prop_map(Value::from), 0..3).prop_map(Value::Array)
        ),
        (
            Just("properties"),
            prop::collection::vec(("[a-c]", schema.clone()), 0..3)
                .prop_map(|members| Value::Object(members.into_iter().collect()))
        ),
        (
            Just("discriminator"),
            word.prop_map(|name| serde_json::json!({"propertyName": name}))
        ),
        (
            Just("additionalProperties"),
            any::<bool>().prop_map(Value::Bool)
        ),
    ];
    let every_key: Vec<&str> = [
        &flags[..],
        &texts,
        &numbers,
        &counts,
        &schemas,
        &lists,
        &loose,
    ]
    .concat();
    prop_oneof![
        5 => well_typed,
        1 => (prop::sample::select(every_key), any_value(schema)),
    ]
    .prop_map(|(key, value)| (key.to_owned(), value))
}

/// Schema-like mappings: keywords drawn from every keyword the reader knows and a few it does
/// not, nested three deep.
fn schema_value() -> impl Strategy<Value = Value> {
    let empty = Just(Value::Object(Map::new())).boxed();
    empty.prop_recursive(3, 40, 6, move |inner| {
        // Most schemas name a type first, so that the kinds' guards are what gets tested.
        let typ = prop::option::weighted(
            0.7,
            prop::sample::select(vec![
                "string", "number", "integer", "boolean", "object", "array",
            ]),
        );
        (typ, prop::collection::vec(keyword(inner), 0..5))
            .prop_map(|(typ, members)| {
                let typ = typ.map(|typ| ("type".to_owned(), Value::from(typ)));
                Value::Object(typ.into_iter().chain(members).collect())
            })
            .boxed()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    /// Whatever the reader reads is what `openapiv3` reads, and whatever `openapiv3` refuses,
    /// the reader refuses too (a schema it leaves to `openapiv3` costs time, not results).
    #[test]
    fn generated_schemas_read_as_openapiv3_reads_them(value in schema_value()) {
        let expected = by_openapiv3(&value);
        let direct = schema_or_reference(value.clone()).ok();
        if direct.is_some() || expected.is_none() {
            prop_assert!(direct == expected, "{} reads differently: {:?} against {:?}", value, direct, expected);
        }
    }
}
