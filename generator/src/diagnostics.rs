//! Spec problems as data: each one names where it is (a JSON pointer), what it belongs to, and what is wrong.

use std::fmt;

/// How bad a problem is: an error stops generation, a warning is reported and generation goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// One problem found in a document, located by a JSON pointer into the (overlaid) document.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub severity: Severity,
    /// RFC 6901 pointer, e.g. `/paths/~1payments/get/responses/200`.
    pub pointer: String,
    /// The operation or schema the problem belongs to, when there is one (`operation createPayment`).
    pub context: Option<String>,
    pub message: String,
    /// For a defect read one obvious way: what the author should change. Under
    /// [`crate::Config::strict`] the defect becomes an error that says this instead of the reading.
    pub fix: Option<String>,
}

impl Diagnostic {
    pub fn error(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            pointer: pointer.into(),
            context: None,
            message: message.into(),
            fix: None,
        }
    }

    pub fn warning(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            pointer: pointer.into(),
            context: None,
            message: message.into(),
            fix: None,
        }
    }

    /// A defect with one obvious reading: a warning that says what is wrong and the reading
    /// taken (`…; read as …`), and that keeps the fix for strict runs.
    pub fn defect(
        pointer: impl Into<String>,
        what: impl Into<String>,
        reading: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        let what = what.into();
        Self {
            fix: Some(format!("{what}; {}", fix.into())),
            ..Self::warning(pointer, format!("{what}; read as {}", reading.into()))
        }
    }

    /// A defect as a strict run reports it: an error with the fix instead of the reading.
    /// Any other diagnostic is returned as it is.
    pub fn strictly(self) -> Self {
        match self.fix {
            Some(fix) => Self {
                severity: Severity::Error,
                message: fix,
                fix: None,
                ..self
            },
            None => self,
        }
    }

    pub fn is_defect(&self) -> bool {
        self.fix.is_some()
    }

    pub fn in_context(mut self, context: impl Into<String>) -> Self {
        self.context = Some(context.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let pointer = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        write!(f, "{level} at {pointer}")?;
        if let Some(context) = &self.context {
            write!(f, " ({context})")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Every problem of one run, in the order found. Generation fails when any of them is an error.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.is_error())
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| !d.is_error())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every defect as an error (see [`Diagnostic::strictly`]), for strict runs.
    pub fn strictly(self) -> Self {
        Self(self.0.into_iter().map(Diagnostic::strictly).collect())
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Self(vec![diagnostic])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, diagnostic) in self.0.iter().enumerate() {
            if index > 0 {
                writeln!(f)?;
            }
            write!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// The value at an RFC 6901 pointer, as `serde_json::Value::pointer` finds it, without its
/// allocating a copy of every token: only a token holding `~` is unescaped into a new string.
/// The reference checks resolve every `$ref` of a document this way (docs/PERFORMANCE.md).
pub fn value_at<'a>(value: &'a serde_json::Value, pointer: &str) -> Option<&'a serde_json::Value> {
    use serde_json::Value;
    if pointer.is_empty() {
        return Some(value);
    }
    let mut tokens = pointer.strip_prefix('/')?.split('/');
    tokens.try_fold(value, |target, token| {
        let token = if token.contains('~') {
            std::borrow::Cow::Owned(token.replace("~1", "/").replace("~0", "~"))
        } else {
            std::borrow::Cow::Borrowed(token)
        };
        match target {
            Value::Object(members) => members.get(token.as_ref()),
            // An index as RFC 6901 writes one: digits, no sign, no leading zero.
            Value::Array(items) => {
                let plain =
                    !token.starts_with('+') && (token.len() == 1 || !token.starts_with('0'));
                plain
                    .then(|| token.parse::<usize>().ok())
                    .flatten()
                    .and_then(|index| items.get(index))
            }
            _ => None,
        }
    })
}

/// Appends one reference token to a JSON pointer, escaping `~` and `/` as RFC 6901 asks.
pub fn pointer_push(pointer: &str, token: &str) -> String {
    let mut out = String::with_capacity(pointer.len() + 1 + token.len());
    out.push_str(pointer);
    push_token(&mut out, token);
    out
}

/// Appends one reference token to `pointer` in place and returns the length it had, for
/// `pointer.truncate(..)` once the child is walked. Walkers that visit every node of a document
/// keep one pointer this way instead of allocating a new one per node (that was three quarters
/// of `normalize`'s instructions; docs/PERFORMANCE.md).
pub fn pointer_enter(pointer: &mut String, token: &str) -> usize {
    let before = pointer.len();
    push_token(pointer, token);
    before
}

/// [`pointer_enter`] for a list index.
pub fn pointer_enter_index(pointer: &mut String, index: usize) -> usize {
    let before = pointer.len();
    pointer.push('/');
    // The digits without `fmt`, which every list item of a document would go through.
    pointer.push_str(itoa::Buffer::new().format(index));
    before
}

fn push_token(pointer: &mut String, token: &str) {
    pointer.reserve(token.len() + 1);
    pointer.push('/');
    // Bytes, not chars: both are ASCII, and a byte scan is several times cheaper than the
    // character search (walkers call this for every node of a document).
    if !token.bytes().any(|byte| byte == b'~' || byte == b'/') {
        pointer.push_str(token);
        return;
    }
    for character in token.chars() {
        match character {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            other => pointer.push(other),
        }
    }
}

/// Names a value's JSON type for messages: "a string", "a list", "a mapping (an object)".
pub fn kind_of(value: &serde_json::Value) -> &'static str {
    use serde_json::Value;
    match value {
        Value::Null => "null (an empty value)",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping (an object)",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `value_at` finds what `serde_json::Value::pointer` finds, for every kind of pointer.
    #[test]
    fn values_are_found_as_serde_json_finds_them() {
        let document = serde_json::json!({"a": {"b/c": [10, {"d~e": 1}], "": {"": 2}, "0": 3},
            "list": [1, 2, 3], "~1": 4});
        let pointers = [
            "",
            "/",
            "/a",
            "/a/b~1c",
            "/a/b~1c/0",
            "/a/b~1c/1/d~0e",
            "/a/b~1c/01",
            "/a/b~1c/+1",
            "/a/b~1c/2",
            "/a/b~1c/-1",
            "/a//",
            "/a/0",
            "/list/00",
            "/list/0",
            "/~01",
            "/~1",
            "a",
            "/missing/x",
            "/list/0/x",
            "/a/b/c",
            "/a/b~1c/1/d~0e/f",
        ];
        for pointer in pointers {
            assert_eq!(
                value_at(&document, pointer),
                document.pointer(pointer),
                "{pointer:?}"
            );
        }
    }

    #[test]
    fn pointer_tokens_are_escaped() {
        assert_eq!(
            pointer_push("/paths", "/payments/{id}"),
            "/paths/~1payments~1{id}"
        );
        assert_eq!(pointer_push("", "a~b"), "/a~0b");
    }

    #[test]
    fn entered_pointers_match_pushed_ones_and_truncate_back() {
        let mut pointer = "/paths".to_owned();
        let before = pointer_enter(&mut pointer, "/payments/{id}");
        assert_eq!(pointer, pointer_push("/paths", "/payments/{id}"));
        let inner = pointer_enter_index(&mut pointer, 12);
        assert_eq!(pointer, "/paths/~1payments~1{id}/12");
        pointer.truncate(inner);
        pointer_enter(&mut pointer, "x~y");
        assert_eq!(pointer, "/paths/~1payments~1{id}/x~0y");
        pointer.truncate(before);
        assert_eq!(pointer, "/paths");
    }

    /// Indexes are written as `format!` writes them, zero and the largest included.
    #[test]
    fn entered_indexes_are_decimal() {
        for index in [0, 7, 10, 99, 100, 12_345, usize::MAX] {
            let mut pointer = "/list".to_owned();
            pointer_enter_index(&mut pointer, index);
            assert_eq!(pointer, format!("/list/{index}"));
        }
    }

    #[test]
    fn display_names_location_and_context() {
        let d = Diagnostic::error("/paths/~1x/get", "no responses").in_context("operation getX");
        assert_eq!(
            d.to_string(),
            "error at /paths/~1x/get (operation getX): no responses"
        );
    }
}

/// The operationId of every operation, by path and method: enough to name owners once the
/// document itself has been dropped (generation lets go of it early to keep memory down).
#[derive(Debug, Default, Clone)]
pub struct OperationIds(std::collections::BTreeMap<(String, String), String>);

impl OperationIds {
    pub fn of(document: &serde_json::Value) -> Self {
        let mut ids = std::collections::BTreeMap::new();
        if let Some(paths) = document.get("paths").and_then(serde_json::Value::as_object) {
            for (path, item) in paths {
                for (method, operation) in item.as_object().into_iter().flatten() {
                    if let Some(id) = operation
                        .get("operationId")
                        .and_then(serde_json::Value::as_str)
                    {
                        ids.insert((path.clone(), method.clone()), id.to_owned());
                    }
                }
            }
        }
        Self(ids)
    }

    fn get(&self, path: &str, method: &str) -> Option<&str> {
        self.0
            .get(&(path.to_owned(), method.to_owned()))
            .map(String::as_str)
    }
}

/// Names what a pointer belongs to (`schema payment`, `operation createPayment`), using the
/// operationId when the pointer is inside an operation.
pub fn owner_of(ids: &OperationIds, pointer: &str) -> Option<String> {
    let tokens: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect();
    match tokens.as_slice() {
        [components, kind, name, ..] if components == "components" => {
            let kind = match kind.as_str() {
                "schemas" => "schema",
                "responses" => "response",
                "parameters" => "parameter",
                "examples" => "example",
                "requestBodies" => "request body",
                "headers" => "header",
                "securitySchemes" => "security scheme",
                "links" => "link",
                "callbacks" => "callback",
                other => other,
            };
            Some(format!("{kind} {name}"))
        }
        [paths, path, method, ..] if paths == "paths" => {
            let id = ids.get(path, method);
            Some(match id {
                Some(id) => format!("operation {id}"),
                None => format!("operation {} {path}", method.to_uppercase()),
            })
        }
        [paths, path, ..] if paths == "paths" => Some(format!("path {path}")),
        _ => None,
    }
}

impl Diagnostics {
    /// Fills in the owner of every diagnostic that does not name one yet.
    pub fn with_owners(self, document: &serde_json::Value) -> Self {
        self.with_owners_from(&OperationIds::of(document))
    }

    /// The same, from an index built earlier.
    pub fn with_owners_from(mut self, ids: &OperationIds) -> Self {
        for diagnostic in &mut self.0 {
            if diagnostic.context.is_none() {
                diagnostic.context = owner_of(ids, &diagnostic.pointer);
            }
        }
        self
    }
}

#[cfg(test)]
mod owner_tests {
    use super::*;

    #[test]
    fn owners_come_from_the_pointer() {
        let doc = serde_json::json!({"paths": {"/a/{id}": {"get": {"operationId": "getA"}}}});
        assert_eq!(
            owner_of(&OperationIds::of(&doc), "/paths/~1a~1{id}/get/responses").as_deref(),
            Some("operation getA")
        );
        assert_eq!(
            owner_of(
                &OperationIds::of(&doc),
                "/components/schemas/payment/properties/x"
            )
            .as_deref(),
            Some("schema payment")
        );
        assert_eq!(
            owner_of(
                &OperationIds::of(&doc),
                "/components/requestBodies/NewPet/content"
            )
            .as_deref(),
            Some("request body NewPet")
        );
        assert_eq!(owner_of(&OperationIds::of(&doc), "/info"), None);
    }
}
