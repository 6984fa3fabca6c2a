//! The broken-document corpus under `tests/broken/`: every file must fail with an error at an exact pointer whose message says what is wrong, and none may panic.
//!
//! Files named `overlay_*` are overlays, applied to [`BASE`]; every other file is a spec. Files
//! named `defect_*` are the warning flavour: defects with one obvious reading, which generate
//! with a warning at the pointer that names the reading, and fail there under `strict`. The
//! two tables below are the one place that states each file's expectation, and the corpus and
//! the tables must name the same files, so neither can drift from the other. Load errors have no
//! pointer (the document never became a value), so their fragment names the line instead.

use generator::{Config, Diagnostics, Input};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;

/// File, the exact pointer of one expected error, and a fragment of its message.
#[rustfmt::skip]
const EXPECTED: &[(&str, &str, &str)] = &[
    ("additional_properties_string.yaml", "/components/schemas/Labels/additionalProperties", "must be true, false or a schema, not a string"),
    ("alias_bomb.yaml", "", "repetition limit exceeded; the document expands YAML aliases"),
    ("all_of_cycle.yaml", "/components/schemas/B/allOf/0/$ref", "schema cycle A → B → A"),
    ("all_of_mapping.yaml", "/components/schemas/Pet/allOf", "`allOf` must be a list, not a mapping"),
    ("all_of_single_cycle.yaml", "/components/schemas/B/allOf/0/$ref", "schema cycle A → B → A"),
    ("complex_key.yaml", "", "line 4, column 3: paths: a mapping key is itself a list or mapping"),
    ("content_list.yaml", "/paths/~1pets/get/responses/200/content", "`content` must be a mapping (an object), not a list"),
    ("dangling_ref_parameter.yaml", "/paths/~1pets/get/parameters/0/$ref", "`#/components/parameters/limit` does not resolve"),
    ("dangling_ref_request_body.yaml", "/paths/~1pets/post/requestBody/$ref", "`#/components/requestBodies/NewPet` does not resolve"),
    ("dangling_ref_response.yaml", "/paths/~1pets/get/responses/200/$ref", "`#/components/responses/PetList` does not resolve"),
    ("dangling_ref_schema.yaml", "/components/schemas/Pet/properties/owner/$ref", "`#/components/schemas/Owner` does not resolve"),
    ("deep_nesting.yaml", "", "recursion limit exceeded"),
    ("duplicate_key.yaml", "", "duplicate key `/pets` at line 4"),
    ("duplicate_key_after_conversion.yaml", "", "duplicate key `200`"),
    ("duplicate_operation_id.yaml", "/paths/~1cats/get/operationId", "operationId `pets` is already used at /paths/~1pets/get"),
    ("empty.yaml", "", "empty.yaml is empty"),
    ("enum_string.yaml", "/components/schemas/Colour/enum", "write `enum: [\"red\"]`"),
    ("external_ref.yaml", "/paths/~1pets/get/responses/200/content/application~1json/schema/$ref", "external reference `pet.yaml#/Pet` is not supported"),
    ("info_without_title.yaml", "/info/title", "`title` is missing"),
    ("items_list.yaml", "/components/schemas/Pair/items", "must be one schema (a mapping), not a list"),
    ("json_syntax.json", "", "is not valid YAML or JSON at line 1"),
    ("max_length_negative.yaml", "/components/schemas/Name/maxLength", "must be a whole number of zero or more, not a number -1"),
    ("maximum_too_large.yaml", "/components/schemas/Big/maximum", "too large for a 64-bit number"),
    ("missing_openapi.yaml", "/openapi", "no `openapi` version field"),
    ("nullable_string.yaml", "/components/schemas/Pet/nullable", "must be true or false, not a string"),
    ("openapi_4.yaml", "/openapi", "OpenAPI version `4.0.0` is not supported"),
    ("openapi_number.yaml", "/openapi", "write the full version in quotes"),
    ("operation_string.yaml", "/paths/~1pets/get", "an operation must be a mapping (an object), not a string"),
    ("overlay_bad_jsonpath.yaml", "/actions/0/target", "is not an RFC 9535 JSONPath"),
    ("overlay_breaks_reference.yaml", "/paths/~1pets/get/responses/200/content/application~1json/schema/$ref", "`#/components/schemas/Pet` does not resolve"),
    ("overlay_target_matches_nothing.yaml", "/actions/0/target", "`$.components.schemas.Missing` matches nothing"),
    ("overlay_update_scalar.yaml", "/actions/0/update", "updates only objects and arrays"),
    ("overlay_without_actions.yaml", "/actions", "missing `actions`"),
    ("parameter_in_body.yaml", "/paths/~1pets/post/parameters/0/in", "the body is the operation's `requestBody`"),
    ("parameter_ref_chain.yaml", "/paths/~1pets/get/parameters/0/$ref", "is itself a reference to `#/components/parameters/pageSize`"),
    ("parameter_without_in.yaml", "/paths/~1pets/get/parameters/0/in", "`in` is missing"),
    ("parameters_empty.yaml", "/paths/~1pets/get/parameters", "`parameters` is empty (null); give it a value or remove the key"),
    ("parameters_mapping.yaml", "/paths/~1pets/get/parameters", "`parameters` must be a list, not a mapping"),
    ("path_parameter_without_schema.yaml", "/paths/~1pets~1{id}/get/parameters/0", "neither a `schema` nor `content`"),
    ("path_template_unclosed.yaml", "/paths/~1pets~1{id", "never closed"),
    ("path_without_slash.yaml", "/paths/pets", "must start with `/`"),
    ("paths_list.yaml", "/paths", "`paths` must be a mapping (an object), not a list"),
    ("properties_list.yaml", "/components/schemas/Pet/properties", "`properties` must be a mapping (an object), not a list"),
    ("ref_alias_cycle.yaml", "/components/schemas/Dog/$ref", "schema cycle Cat → Dog → Cat"),
    ("ref_inside_component.yaml", "/components/schemas/Tag/properties/label/$ref", "points inside component `Pet`"),
    ("ref_not_string.yaml", "/components/schemas/Pet/properties/owner/$ref", "`$ref` must be a string"),
    ("ref_self.yaml", "/components/schemas/Pet/$ref", "schema cycle Pet → Pet"),
    ("ref_wrong_kind.yaml", "/paths/~1pets/post/requestBody/$ref", "must point at `#/components/requestBodies/<name>`"),
    ("required_on_property.yaml", "/components/schemas/Pet/properties/name/required", "into the parent object's `required"),
    ("required_yes.yaml", "/components/schemas/Pet/required", "`required` must be a list of strings, not a string"),
    ("response_code_word.yaml", "/paths/~1pets/get/responses/ok", "`ok` is not a status code"),
    ("response_ref_chain.yaml", "/paths/~1pets/get/responses/200/$ref", "is itself a reference to `#/components/responses/PetList`"),
    ("response_without_description.yaml", "/paths/~1pets/get/responses/200/description", "`description` is missing"),
    ("responses_string.yaml", "/paths/~1pets/get/responses", "`responses` must be a mapping (an object), not a string"),
    ("schema_nesting_too_deep.json", "/components/schemas/Deep/allOf/0/allOf/0/allOf/0/allOf/0/allOf/0/allOf/0/allOf/0/allOf/0/allOf/0/allOf/0/allOf/0/allOf/0/allOf/0/allOf/0/allOf/0/allOf/0/allOf/0/allOf/0/allOf/0/allOf/0/allOf/0/allOf/0/allOf/0/allOf/0/allOf/0/allOf/0/allOf/0/allOf/0/allOf/0/allOf/0/allOf/0/allOf/0", "nested more than 32 levels deep"),
    ("security_scheme_unknown_type.yaml", "/components/securitySchemes/key/type", "must be apiKey, http, oauth2 or openIdConnect, not a string \"apikey\""),
    ("server_url_with_quote.yaml", "/servers/0/url", "contains '\"', which a server URL cannot hold; percent-encode it (%22)"),
    ("server_variable_with_quote.yaml", "/servers/0/variables/host/default", "contains '\"', which a server URL cannot hold"),
    ("swagger_2.yaml", "/swagger", "this is a Swagger 2.0 document; convert it"),
    ("top_level_list.yaml", "", "must be a mapping (an object) at the top level"),
    ("top_level_scalar.json", "", "must be a mapping (an object) at the top level"),
    ("type_list_mixed.yaml", "/components/schemas/Pet/type", "must be a string naming one of"),
    ("type_number.yaml", "/components/schemas/Pet/type", "must be a string naming one of string, number, integer, boolean, array, object, not a number 5"),
    ("type_unknown.yaml", "/components/schemas/Pet/properties/name/type", "unknown type `strin`"),
    ("yaml_syntax.yaml", "", "is not valid YAML or JSON at line 3, column 6"),
];

/// Defect documents: file, the exact pointer of the warning (and of the error under `strict`),
/// and a fragment of the reading the warning names.
#[rustfmt::skip]
const DEFECTS: &[(&str, &str, &str)] = &[
    ("defect_defs_root_relative.yaml", "/components/schemas/Pet/properties/tag/$ref", "read as `#/components/schemas/Pet/$defs/Tag`, the nearest enclosing `$defs` entry"),
    ("defect_discriminator_mapping_dangling.yaml", "/components/schemas/Pet/discriminator/mapping/dog", "maps to `#/components/schemas/Dog`, which is not a schema in the document; read as no mapping for that value"),
    ("defect_object_keywords_on_string.yaml", "/components/schemas/CreditAccount/type", "`properties`, `required` beside `type: string` constrain only objects and arrays; read as a plain string (they are dropped)"),
    ("defect_path_parameter_not_in_path.yaml", "/paths/~1pets/get/parameters/0", "`/pets` has no `{id}`; read as no such parameter"),
    ("defect_path_parameter_undeclared.yaml", "/paths/~1pets~1{id}/get/parameters", "`id` in `/pets/{id}` is not declared; read as a required string path parameter"),
    ("defect_reference_sibling.yaml", "/paths/~1pets/get/parameters/0/schema", "read as `#/components/parameters/from` alone"),
];

/// The valid document every `overlay_*` file is applied to.
const BASE: &str = r##"openapi: 3.0.3
info: {title: Base, version: "1"}
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}
components:
  schemas:
    Pet: {type: object, properties: {name: {type: string}}}
"##;

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/broken")
}

/// Runs one corpus file through `generate`, turning a panic into a test failure with its name.
fn run(file: &str) -> Diagnostics {
    match run_with(file, false) {
        Ok(_) => panic!("{file} generated a client; it must fail"),
        Err(diagnostics) => diagnostics,
    }
}

fn run_with(file: &str, strict: bool) -> Result<Vec<generator::Diagnostic>, Diagnostics> {
    let text = std::fs::read_to_string(corpus_dir().join(file)).unwrap();
    let mut config = Config::new("broken", file);
    config.strict = strict;
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let input = Input {
            text: &text,
            name: file,
        };
        if file.starts_with("overlay_") {
            let base = Input {
                text: BASE,
                name: "base.yaml",
            };
            generator::generate(base, Some(input), &config)
        } else {
            generator::generate(input, None, &config)
        }
    }));
    match outcome {
        Ok(result) => result.map(|generated| generated.warnings),
        Err(_) => panic!("{file} made the generator panic"),
    }
}

#[test]
fn every_defect_document_generates_with_a_warning_naming_the_reading() {
    let mut failures = Vec::new();
    for (file, pointer, fragment) in DEFECTS {
        match run_with(file, false) {
            Ok(warnings) => {
                let hit = warnings
                    .iter()
                    .any(|d| d.pointer == *pointer && d.message.contains(fragment));
                if !hit {
                    let got: Vec<String> = warnings.iter().map(ToString::to_string).collect();
                    failures.push(format!(
                        "{file}: expected a warning at `{pointer}` containing {fragment:?}, got:\n{}",
                        got.join("\n")
                    ));
                }
            }
            Err(problems) => {
                failures.push(format!("{file}: must generate, failed with:\n{problems}"))
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn under_strict_every_defect_is_an_error_that_says_what_to_change() {
    let mut failures = Vec::new();
    for (file, pointer, _) in DEFECTS {
        match run_with(file, true) {
            Ok(_) => failures.push(format!("{file}: generated under strict; it must fail")),
            Err(problems) => {
                let hit = problems
                    .errors()
                    .any(|d| d.pointer == *pointer && !d.message.contains("read as"));
                if !hit {
                    failures.push(format!(
                        "{file}: expected an error at `{pointer}`, got:\n{problems}"
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// `$ref` keys inside example values are data: GitHub's SCIM examples carry URLs there.
#[test]
fn references_inside_example_values_are_not_followed() {
    let text = r##"openapi: 3.0.3
info: {title: Examples, version: "1"}
paths:
  /groups:
    get:
      operationId: listGroups
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: object}
              example: {members: [{$ref: "https://example.com/Users/1"}]}
              examples:
                one: {$ref: "#/components/examples/group"}
                two: {value: {members: [{$ref: "#/nowhere"}]}}
components:
  examples:
    group: {value: {members: [{value: "1", $ref: "https://example.com/Users/1"}]}}
"##;
    let input = Input {
        text,
        name: "examples.yaml",
    };
    let mut config = Config::new("examples", "examples.yaml");
    config.strict = true;
    if let Err(problems) = generator::generate(input, None, &config) {
        panic!("{problems}");
    }
}

#[test]
fn every_broken_document_fails_at_its_pointer_with_a_plain_message() {
    let mut failures = Vec::new();
    for (file, pointer, fragment) in EXPECTED {
        let diagnostics = run(file);
        let hit = diagnostics
            .errors()
            .any(|d| d.pointer == *pointer && d.message.contains(fragment));
        if !hit {
            failures.push(format!(
                "{file}: expected an error at `{pointer}` containing {fragment:?}, got:\n{diagnostics}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn overlay_errors_say_they_are_about_the_overlay() {
    for (file, _, _) in EXPECTED
        .iter()
        .filter(|(f, _, _)| f.starts_with("overlay_"))
    {
        for diagnostic in run(file)
            .errors()
            .filter(|d| d.pointer.starts_with("/actions"))
        {
            let context = diagnostic.context.as_deref().unwrap_or_default();
            assert!(context.starts_with("overlay"), "{file}: {diagnostic}");
        }
    }
}

#[test]
fn the_table_and_the_corpus_name_the_same_files() {
    let mut on_disk: Vec<String> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = EXPECTED
        .iter()
        .chain(DEFECTS)
        .map(|(file, _, _)| (*file).to_owned())
        .collect();
    listed.sort();
    assert_eq!(on_disk, listed);
    assert!(
        listed.len() >= 30,
        "the corpus shrank to {} documents",
        listed.len()
    );
}

#[test]
fn the_overlay_base_generates() {
    let config = Config::new("base", "base.yaml");
    let base = Input {
        text: BASE,
        name: "base.yaml",
    };
    if let Err(problems) = generator::generate(base, None, &config) {
        panic!("{problems}");
    }
}
