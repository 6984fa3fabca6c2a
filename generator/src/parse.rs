//! Parse stage: a normalized document value in, a typed `openapiv3::OpenAPI` out (for `generate`, with its component schemas made compact: [`Parsed`]), or every value that did not fit, each with its exact pointer.
//!
//! The `shape` check runs first and reports every wrongly typed value at once with a precise
//! pointer; serde only sees documents that passed it. Its own error (with the nearest pointer
//! serde_path_to_error could keep) is the fallback for anything the check does not cover.

mod paths;
mod shape;

use crate::diagnostics::{Diagnostic, Diagnostics, kind_of};
use crate::schema::ComponentSchemas;
use crate::schema::inline::InlineSchemas;
use serde_json::Value;

/// A document as lowering takes it: the typed document, with its component schemas moved out
/// into their compact form ([`crate::schema`]); `api.components.schemas` is empty. The schemas
/// inside its paths may be set aside in `inline`, marked where they stood.
#[derive(Debug, PartialEq)]
pub struct Parsed {
    pub api: openapiv3::OpenAPI,
    pub schemas: ComponentSchemas,
    pub inline: InlineSchemas,
}

impl Parsed {
    /// A typed document's component schemas moved out and made compact.
    pub fn from_api(mut api: openapiv3::OpenAPI) -> Parsed {
        let schemas = api
            .components
            .as_mut()
            .map(|components| std::mem::take(&mut components.schemas))
            .unwrap_or_default()
            .into_iter()
            .map(|(name, schema)| (name, crate::schema::compact(schema)))
            .collect();
        Parsed {
            api,
            schemas,
            inline: InlineSchemas::default(),
        }
    }

    /// The set-aside schemas put back where they stood: the document as `openapiv3` reads it.
    #[cfg(test)]
    pub fn with_inline_put_back(mut self) -> Parsed {
        paths::put_back(&mut self.api.paths, std::mem::take(&mut self.inline));
        self
    }
}

/// Deserializes the document; on failure every problem carries the JSON pointer of the bad value.
pub fn parse_document(document: &Value) -> Result<openapiv3::OpenAPI, Diagnostics> {
    check(document)?;
    on_parser_stack(|| Ok(deserialize(document)))?.map_err(|error| refused(&error).into())
}

/// The version and the [`shape`] check, which serde only runs after: every value of the
/// wrong type, each at its pointer. It only reads the document.
pub fn check(document: &Value) -> Result<(), Diagnostics> {
    // The version first: a document of another version is not checked further.
    let outside_components = check_outside_components(document)?;
    joined_checks(Ok(outside_components), check_components(document))
}

/// [`check`] in two parts that only read the document, for running side by side: the
/// version and everything but `components`, then `components`. [`joined_checks`] reports
/// their findings as [`check`] does.
pub fn check_outside_components(document: &Value) -> Result<Vec<Diagnostic>, Diagnostics> {
    check_version(document)?;
    Ok(shape::check_outside_components(document))
}

/// The second part of [`check_outside_components`].
pub fn check_components(document: &Value) -> Vec<Diagnostic> {
    shape::check_components(document)
}

/// What [`check`] returns, from its two parts' findings.
pub fn joined_checks(
    outside_components: Result<Vec<Diagnostic>, Diagnostics>,
    components: Vec<Diagnostic>,
) -> Result<(), Diagnostics> {
    // A version the generator cannot read is the one error, as in `check`.
    let mut problems = outside_components?;
    problems.extend(components);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Diagnostics(problems))
    }
}

/// Stack for the typed parser. It recurses through serde's buffered (flattened and untagged)
/// content with frames of tens of kilobytes per level of nesting in a debug build, so ten
/// levels of nested callbacks, or 37 of `allOf`, overflow a 2 MiB test thread. Documents are
/// at most 128 levels deep when read (a little more after an overlay), which fits in this with
/// room to spare; only the pages actually touched are committed.
pub const PARSER_STACK: usize = 64 * 1024 * 1024;

type ParseError = serde_path_to_error::Error<serde_json::Error>;

/// [`parse_document`] for a document its caller is done with: the typed document is built from
/// the value itself, which is freed as it is read, so the two are never both whole in memory,
/// and each component schema is made compact as soon as it is read (docs/PERFORMANCE.md). Runs
/// on the calling thread, which must have [`PARSER_STACK`] bytes of stack (`generate` starts
/// one such thread for load to lower). A document the parse refuses is gone by then, so
/// `reread` builds it again for the path-tracking parse that says where.
pub fn parse_owned_here(
    document: Value,
    reread: impl FnOnce() -> Result<Value, Diagnostics>,
) -> Result<Parsed, Diagnostics> {
    check(&document)?;
    parse_checked_owned_here(document, reread)
}

/// [`parse_owned_here`] for a document that has passed [`check`]: `generate` runs the check on
/// a second thread, beside the other work that only reads the document.
pub fn parse_checked_owned_here(
    mut document: Value,
    reread: impl FnOnce() -> Result<Value, Diagnostics>,
) -> Result<Parsed, Diagnostics> {
    let paths = take_member(&mut document, &["paths"]);
    let schemas = take_member(&mut document, &["components", "schemas"]);
    let parsed = <openapiv3::OpenAPI as serde::Deserialize>::deserialize(document)
        .ok()
        .and_then(|mut api| {
            let mut inline = InlineSchemas::default();
            if let Some(paths) = paths {
                api.paths = paths::parse_paths(paths, &mut inline)?;
            }
            let mut parsed = Parsed::from_api(api);
            parsed.inline = inline;
            if let Some(schemas) = schemas {
                parsed.schemas = parse_component_schemas(schemas)?;
            }
            Some(parsed)
        });
    if let Some(parsed) = parsed {
        return Ok(parsed);
    }
    let document = reread()?;
    serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&document)
        .map(Parsed::from_api)
        .map_err(|error| refused(&error).into())
}

/// The mapping at `path` (`paths`, say), moved out of the document and replaced by an empty
/// one, to be read a member at a time; `None` (and the document untouched) when it is missing
/// or not a mapping, so that serde meets and reports it as before.
fn take_member(document: &mut Value, path: &[&str]) -> Option<serde_json::Map<String, Value>> {
    let mut slot = document;
    for key in path {
        slot = slot.as_object_mut()?.get_mut(*key)?;
    }
    if !slot.is_object() {
        return None;
    }
    match std::mem::replace(slot, Value::Object(serde_json::Map::new())) {
        Value::Object(members) => Some(members),
        _ => None,
    }
}

/// `components/schemas` read one schema at a time straight into its compact form
/// ([`crate::schema::read`]): the full-size typed schemas of a big document never exist, nor
/// serde's buffered copies of them. `None` for a schema the reader leaves to `openapiv3`
/// (one it would refuse, as a rule), and the caller has `openapiv3` read the document.
fn parse_component_schemas(members: serde_json::Map<String, Value>) -> Option<ComponentSchemas> {
    let mut schemas = ComponentSchemas::with_capacity(members.len());
    for (name, value) in members {
        let schema = crate::schema::read::schema_or_reference(value).ok()?;
        schemas.insert(name, schema);
    }
    Some(schemas)
}

/// Runs `work` on a thread with [`PARSER_STACK`] bytes of stack. A panic in it is passed on
/// unchanged; a thread that cannot be started is an error (the machine is out of threads or
/// memory, and nothing could run here either).
pub(crate) fn on_parser_stack<T: Send>(
    work: impl FnOnce() -> Result<T, Diagnostics> + Send,
) -> Result<T, Diagnostics> {
    std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("openapi-parser".to_owned())
            .stack_size(PARSER_STACK)
            .spawn_scoped(scope, work);
        match spawned {
            Ok(worker) => worker
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(error) => Err(Diagnostic::error(
                "",
                format!("cannot start a thread for the parser: {error}"),
            )
            .into()),
        }
    })
}

/// The error for a document serde refused, at the nearest pointer the path tracking kept.
fn refused(error: &ParseError) -> Diagnostic {
    let pointer = path_to_pointer(error.path());
    Diagnostic::error(
        pointer,
        format!(
            "this value does not fit the OpenAPI 3.0 structure ({}); compare it with the specification",
            error.inner()
        ),
    )
}

/// Runs serde on the document; call it on the parser's stack ([`on_parser_stack`]).
///
/// Tracking the path of every value costs time on every document, so the plain parse runs
/// first, and serde_path_to_error only on a document it refused, to say where: the same
/// deserializer over the same value fails the same way, now with the path.
fn deserialize(document: &Value) -> Result<openapiv3::OpenAPI, ParseError> {
    <openapiv3::OpenAPI as serde::Deserialize>::deserialize(document)
        .or_else(|_| serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(document))
}

/// Only OpenAPI 3.x is read; Swagger 2.0 and documents that are not OpenAPI at all are named as such.
fn check_version(document: &Value) -> Result<(), Diagnostic> {
    match document.get("openapi") {
        Some(Value::String(version)) if version.starts_with("3.") => Ok(()),
        Some(Value::String(version)) => Err(Diagnostic::error(
            "/openapi",
            format!(
                "OpenAPI version `{version}` is not supported; this generator reads 3.0 and 3.1"
            ),
        )),
        Some(Value::Number(number)) => Err(Diagnostic::error(
            "/openapi",
            format!(
                "`openapi` must be a string, but YAML read `{number}` as a number; write the full version in quotes, e.g. `openapi: \"3.0.3\"`"
            ),
        )),
        Some(other) => Err(Diagnostic::error(
            "/openapi",
            format!(
                "`openapi` must be the version string, e.g. \"3.0.3\", not {}",
                kind_of(other)
            ),
        )),
        None if document.get("swagger").is_some() => Err(Diagnostic::error(
            "/swagger",
            "this is a Swagger 2.0 document; convert it to OpenAPI 3 first (for example with swagger2openapi or editor.swagger.io)",
        )),
        None => Err(Diagnostic::error(
            "/openapi",
            "the document has no `openapi` version field (is this an OpenAPI document?); add e.g. `openapi: \"3.0.3\"` at the top",
        )),
    }
}

/// Turns serde_path_to_error's dotted path into an RFC 6901 pointer.
fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        let token = match segment {
            Segment::Seq { index } => index.to_string(),
            Segment::Map { key } => key.clone(),
            Segment::Enum { variant } => variant.clone(),
            Segment::Unknown => continue,
        };
        pointer = crate::diagnostics::pointer_push(&pointer, &token);
    }
    pointer
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pointers(document: Value) -> Vec<String> {
        let found = parse_document(&document).unwrap_err();
        found.0.into_iter().map(|d| d.pointer).collect()
    }

    #[test]
    fn wrong_types_name_their_pointer() {
        let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {"200": {"description": 5}}}}}});
        assert_eq!(pointers(doc), ["/paths/~1a/get/responses/200/description"]);
    }

    /// The two parts `generate` runs side by side report what the whole check reports, in its
    /// order, and a version the generator cannot read is still the one error.
    #[test]
    fn the_checks_two_parts_report_what_the_whole_does() {
        let parts = |document: &Value| {
            joined_checks(
                check_outside_components(document),
                check_components(document),
            )
        };
        let wrong_everywhere = json!({"openapi": "3.0.3", "info": {"title": 1, "version": "1"},
            "paths": {"/a": {"get": {"responses": {"200": {"description": 5}}}}},
            "components": {"schemas": {"A": {"type": 7}}, "parameters": {"p": {"in": []}}}});
        let whole = check(&wrong_everywhere).unwrap_err();
        assert_eq!(parts(&wrong_everywhere).unwrap_err().0, whole.0);
        let at: Vec<&str> = whole.0.iter().map(|d| d.pointer.as_str()).collect();
        assert_eq!(at[0], "/info/title");
        assert_eq!(at[1], "/paths/~1a/get/responses/200/description");
        assert!(
            at[2..].iter().all(|p| p.starts_with("/components/")),
            "{at:?}"
        );
        assert!(at.len() > 3, "{at:?}");

        let old_version = json!({"swagger": "2.0", "components": {"schemas": {"A": {"type": 7}}}});
        assert_eq!(
            parts(&old_version).unwrap_err().0,
            check(&old_version).unwrap_err().0
        );
        let fine = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}});
        assert!(parts(&fine).is_ok());
    }

    #[test]
    fn swagger_two_is_named() {
        let error = parse_document(&json!({"swagger": "2.0"})).unwrap_err();
        assert_eq!(error.0[0].pointer, "/swagger");
        assert!(error.0[0].message.contains("Swagger 2.0"), "{error}");
    }

    #[test]
    fn every_bad_schema_value_is_reported_at_once() {
        let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": {"a": {"type": "object", "properties": {
                "b": {"type": 5}, "c": {"items": [{"type": "string"}]}, "d": {"enum": "x"}}}}}});
        assert_eq!(
            pointers(doc),
            [
                "/components/schemas/a/properties/b/type",
                "/components/schemas/a/properties/c/items",
                "/components/schemas/a/properties/d/enum",
            ]
        );
    }

    #[test]
    fn null_is_absent_where_the_parser_allows_it_and_reported_where_it_does_not() {
        let schema = json!({"type": "object", "description": null, "properties": null,
            "required": null, "items": null, "uniqueItems": null, "nullable": null});
        let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "security": null, "paths": {"/a": {"get": {"tags": null, "responses": {}}}},
            "components": {"schemas": {"a": schema}}});
        assert_eq!(
            pointers(doc),
            ["/paths/~1a/get/tags", "/components/schemas/a/nullable"]
        );
    }

    #[test]
    fn deep_nesting_does_not_overflow_the_callers_stack() {
        // Ten of these overflowed a 2 MiB test thread when serde ran on the caller's stack.
        let mut operation = json!({"responses": {}});
        for _ in 0..30 {
            let callback = json!({"{$url}": {"post": operation}});
            operation = json!({"responses": {}, "callbacks": {"cb": callback}});
        }
        let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": operation}}});
        assert!(parse_document(&doc).is_ok());
    }

    #[test]
    fn keys_the_typed_parser_would_drop_are_reported() {
        let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"a": {}, "x-ok": 1, "/b": {"get": {"responses": {"ok": {}, "2xx": {"description": "d"}}}}}});
        assert_eq!(pointers(doc), ["/paths/a", "/paths/~1b/get/responses/ok"]);
    }
}

#[cfg(test)]
mod owned_tests {
    use super::*;

    /// The owned parse is what `generate()` uses; the borrowed one what tools use. They must
    /// read a document the same way.
    #[test]
    fn owned_and_borrowed_parses_agree() -> Result<(), Diagnostics> {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
        let constructs = [
            "openapi_31.yaml",
            "tagged_one_of.yaml",
            "untagged_union.yaml",
            "recursion.yaml",
            "all_of.yaml",
            "parameters.yaml",
        ];
        let names = constructs
            .iter()
            .map(|name| format!("generator/tests/constructs/{name}"));
        for name in std::iter::once("spec/api.yaml".to_owned()).chain(names) {
            let path = format!("{root}/{name}");
            let text = std::fs::read_to_string(&path)
                .map_err(|e| Diagnostic::error("", format!("{path}: {e}")))?;
            let mut document = crate::load::load_document(&text, &name)?;
            crate::normalize::normalize(&mut document);
            let borrowed = Parsed::from_api(parse_document(&document)?);
            let never_reread = || Err(Diagnostic::error("", "reread").into());
            let owned = on_parser_stack(|| parse_owned_here(document, never_reread))?;
            // PayPro's operations hold inline schemas: the owned parse sets them aside.
            assert!(name != "spec/api.yaml" || !owned.inline.is_empty());
            assert!(
                owned.with_inline_put_back() == borrowed,
                "{name} parses differently when owned"
            );
        }
        Ok(())
    }

    /// The owned parse reads `paths` itself, one path item at a time; it must keep what
    /// `openapiv3::Paths` keeps: path items, `$ref`s among them, in order, and `x-` extensions.
    /// (Other keys never get this far: the shape check refuses them.)
    #[test]
    fn paths_read_one_item_at_a_time_match_serde() -> Result<(), Diagnostics> {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /b:\n    get: {responses: {'200': {description: ok}}}\n    parameters: [{name: q, in: query, schema: {type: string}}]\n  x-note: {kept: true}\n  /a:\n    $ref: '#/components/pathItems/a'\n  /c: {summary: s, x-inner: 1}\n";
        let document = crate::load::load_document(text, "t.yaml")?;
        let borrowed = parse_document(&document)?;
        assert_eq!(
            borrowed.paths.paths.keys().collect::<Vec<_>>(),
            ["/b", "/a", "/c"]
        );
        assert_eq!(borrowed.paths.extensions.len(), 1);
        let never_reread = || Err(Diagnostic::error("", "reread").into());
        let owned = on_parser_stack(|| parse_owned_here(document, never_reread))?;
        assert!(
            owned.with_inline_put_back() == Parsed::from_api(borrowed),
            "the owned parse reads paths differently"
        );
        Ok(())
    }

    #[test]
    fn a_refused_owned_document_reports_the_shape_problem_without_rereading() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ntags: [{name: 3}]\n";
        let document = crate::load::load_document(text, "t.yaml").map_err(|d| d.to_string());
        let reread = || -> Result<Value, Diagnostics> { panic!("the shape check answers first") };
        let result = document.map(|document| parse_owned_here(document, reread));
        let problems = result.ok().and_then(Result::err).map(|d| d.0);
        assert_eq!(
            problems
                .as_deref()
                .and_then(|p| p.first())
                .map(|d| d.pointer.as_str()),
            Some("/tags/0/name")
        );
    }
}
