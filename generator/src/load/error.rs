//! Why a document could not be loaded, worded as serde_yaml worded it (the broken-document
//! corpus and users' scripts match on these words) and placed at a line and column.

use super::events::{Mark, SyntaxError};
use std::fmt;

#[derive(Debug)]
pub(crate) enum LoadError {
    /// libyaml refused the text.
    Syntax(SyntaxError),
    /// A node is well-formed YAML but cannot become JSON: `path` names it as serde_yaml did
    /// (`paths./pets.get`, `.[0]`, `?` for a key that is not text).
    Node {
        message: String,
        mark: Mark,
        path: String,
        /// The node is a key its mapping already has.
        duplicate_key: bool,
    },
    /// Collections (counting those aliases repeat) nest deeper than the limit.
    RecursionLimit(Mark),
    /// Aliases repeat more than a hundred times the document's own events.
    RepetitionLimit,
    UnknownAnchor(Mark),
    MoreThanOneDocument,
}

impl LoadError {
    /// What to do about the limits and rules whose message says only what tripped.
    pub(crate) fn advice(&self) -> &'static str {
        match self {
            LoadError::RepetitionLimit => {
                "; the document expands YAML aliases (`*name`) so often that it would be huge, so it is refused"
            }
            LoadError::RecursionLimit(_) => {
                "; values are nested more than 128 levels deep, which no API description needs"
            }
            LoadError::Node {
                duplicate_key: true,
                ..
            } => "; a key may appear only once in a mapping, so merge the two entries",
            _ => "",
        }
    }

    /// Where the error is, when it has a place.
    pub(crate) fn mark(&self) -> Option<Mark> {
        match self {
            LoadError::Syntax(error) => Some(error.problem_mark),
            LoadError::Node { mark, .. }
            | LoadError::RecursionLimit(mark)
            | LoadError::UnknownAnchor(mark) => Some(*mark),
            LoadError::RepetitionLimit | LoadError::MoreThanOneDocument => None,
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Syntax(error) => return error.fmt(formatter),
            LoadError::Node { message, path, .. } => {
                if path != "." {
                    write!(formatter, "{path}: ")?;
                }
                formatter.write_str(message)?;
            }
            LoadError::RecursionLimit(_) => formatter.write_str("recursion limit exceeded")?,
            LoadError::RepetitionLimit => formatter.write_str("repetition limit exceeded")?,
            LoadError::UnknownAnchor(_) => formatter.write_str("unknown anchor")?,
            LoadError::MoreThanOneDocument => formatter.write_str(
                "deserializing from YAML containing more than one document is not supported",
            )?,
        }
        match self.mark() {
            Some(mark) if mark.is_known() => write!(formatter, " at {mark}"),
            _ => Ok(()),
        }
    }
}

/// One step from a node to its child, for naming where an error is.
pub(crate) enum Step<'a> {
    /// The element at this index of a list.
    Index(usize),
    /// The value of this key of a mapping: its text as written, before conversion, or `?`
    /// for a key that is not plain text (an alias), as serde_yaml writes it.
    Key(&'a str),
}

/// Writes a path the way serde_yaml does: `.` for the document, `a.b[2].c`, `.[0]` for an
/// element of a top-level list.
pub(crate) fn path_text<'a>(steps: impl IntoIterator<Item = Step<'a>>) -> String {
    let mut path = String::new();
    let mut first = true;
    for step in steps {
        // serde_yaml writes the document itself as `.` only before an index, and joins
        // keys to what precedes them with `.`.
        match step {
            Step::Index(index) => {
                if first {
                    path.push('.');
                }
                path.push_str(&format!("[{index}]"));
            }
            Step::Key(key) => {
                if !first {
                    path.push('.');
                }
                path.push_str(key);
            }
        }
        first = false;
    }
    if first {
        path.push('.');
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_read_like_serde_yaml_paths() {
        assert_eq!(path_text([]), ".");
        assert_eq!(path_text([Step::Index(0)]), ".[0]");
        assert_eq!(
            path_text([Step::Key("a"), Step::Index(2), Step::Key("b")]),
            "a[2].b"
        );
        assert_eq!(path_text([Step::Key("a"), Step::Key("?")]), "a.?");
        assert_eq!(path_text([Step::Key("")]), "");
        assert_eq!(path_text([Step::Key(""), Step::Index(0)]), "[0]");
    }
}
