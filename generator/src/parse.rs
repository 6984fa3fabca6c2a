//! Parse stage: a normalized document value in, a typed `openapiv3::OpenAPI` out, or an error naming the pointer that did not fit.

use crate::diagnostics::Diagnostic;
use serde_json::Value;

/// Deserializes the document; on failure the error carries the JSON pointer of the bad value.
pub fn parse_document(document: &Value) -> Result<openapiv3::OpenAPI, Diagnostic> {
    match document.get("openapi").and_then(Value::as_str) {
        Some(version) if version.starts_with("3.") => {}
        Some(version) => {
            return Err(Diagnostic::error(
                "/openapi",
                format!("OpenAPI version `{version}` is not supported; 3.0 and 3.1 are"),
            ));
        }
        None => {
            return Err(Diagnostic::error(
                "/openapi",
                "the document has no `openapi` version field (is this an OpenAPI document?)",
            ));
        }
    }
    serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(document).map_err(|error| {
        let pointer = path_to_pointer(error.path());
        Diagnostic::error(
            pointer,
            format!("does not fit the OpenAPI 3.0 schema: {}", error.inner()),
        )
    })
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

    #[test]
    fn wrong_types_name_their_pointer() {
        let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {"200": {"description": 5}}}}}});
        let error = parse_document(&doc).unwrap_err();
        assert_eq!(error.pointer, "/paths/~1a/get/responses/200/description");
    }

    #[test]
    fn swagger_two_is_rejected() {
        let error = parse_document(&json!({"swagger": "2.0"})).unwrap_err();
        assert_eq!(error.pointer, "/openapi");
    }
}
