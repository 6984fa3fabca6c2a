//! Where generated files go: [`FileSink`] takes each file as soon as it is made, so a caller that writes them out never holds the whole crate's text.

use crate::diagnostics::Diagnostic;
use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

/// Receives generated files one at a time, in the order they are made (not path order).
///
/// `Send` because the first file (`openapi.json`) is made on the parser's thread.
pub trait FileSink: Send {
    /// Takes the file at `path` (relative to the crate root, `/`-separated), or says why it
    /// cannot; the run then stops with that message.
    fn file(&mut self, path: &str, contents: String) -> Result<(), String>;
}

/// Keeps every file in memory, path → contents: what [`crate::generate`] returns.
impl FileSink for BTreeMap<String, String> {
    fn file(&mut self, path: &str, contents: String) -> Result<(), String> {
        match self.entry(path.to_owned()) {
            // Two files of one path would silently lose one of them: a generator bug.
            Entry::Occupied(_) => Err(format!("generator bug: {path} was made twice")),
            Entry::Vacant(slot) => {
                slot.insert(contents);
                Ok(())
            }
        }
    }
}

/// Gives `contents` to `sink`, with a refusal turned into an error that names the file.
pub(crate) fn hand_over(
    sink: &mut dyn FileSink,
    path: &str,
    contents: String,
) -> Result<(), Diagnostic> {
    sink.file(path, contents)
        .map_err(|reason| Diagnostic::error("", format!("cannot write {path}: {reason}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_made_twice_is_refused_rather_than_overwritten() {
        let mut files = BTreeMap::new();
        assert!(hand_over(&mut files, "src/lib.rs", "first".to_owned()).is_ok());
        let error = hand_over(&mut files, "src/lib.rs", "second".to_owned())
            .err()
            .map(|d| d.message);
        assert_eq!(
            error.as_deref(),
            Some("cannot write src/lib.rs: generator bug: src/lib.rs was made twice")
        );
        assert_eq!(files.get("src/lib.rs").map(String::as_str), Some("first"));
    }
}
