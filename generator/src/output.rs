//! Where generated files go: [`FileSink`] takes each file as soon as it is made (the biggest in parts, as they are formatted), so a caller that writes them out never holds the whole crate's text.

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

    /// Starts the file at `path`, whose text then arrives in parts, in order: for the files
    /// that grow with the document (`src/models.rs` of a big one is several times the
    /// document's size, docs/PERFORMANCE.md). By default the parts are collected and the
    /// whole text given to [`FileSink::file`] when the file ends.
    fn begin<'s>(&'s mut self, path: &str) -> Result<Box<dyn FileParts + 's>, String> {
        Ok(Box::new(Collected::new(self, path)))
    }
}

/// The parts of one file begun with [`FileSink::begin`]. A file dropped before
/// [`FileParts::end`] is abandoned: the run failed.
pub trait FileParts {
    /// Takes the next part of the text.
    fn write(&mut self, part: &str) -> Result<(), String>;
    /// The text is complete.
    fn end(self: Box<Self>) -> Result<(), String>;
}

/// A file's parts collected into one text, given to its sink whole when the file ends.
pub struct Collected<'s, S: FileSink + ?Sized> {
    sink: &'s mut S,
    path: String,
    text: String,
}

impl<'s, S: FileSink + ?Sized> Collected<'s, S> {
    pub fn new(sink: &'s mut S, path: &str) -> Self {
        Self {
            sink,
            path: path.to_owned(),
            text: String::new(),
        }
    }
}

impl<S: FileSink + ?Sized> FileParts for Collected<'_, S> {
    fn write(&mut self, part: &str) -> Result<(), String> {
        self.text.push_str(part);
        Ok(())
    }

    fn end(self: Box<Self>) -> Result<(), String> {
        let Collected { sink, path, text } = *self;
        sink.file(&path, text)
    }
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
        .map_err(|reason| cannot_write(path, reason))
}

/// A refused write, as an error that names the file.
pub(crate) fn cannot_write(path: &str, reason: String) -> Diagnostic {
    Diagnostic::error("", format!("cannot write {path}: {reason}"))
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

    #[test]
    fn parts_arrive_as_one_file_when_it_ends_and_not_before() -> Result<(), String> {
        let mut files = BTreeMap::new();
        let mut parts = files.begin("src/models.rs")?;
        parts.write("pub struct A;\n")?;
        parts.write("pub struct B;\n")?;
        parts.end()?;
        assert_eq!(
            files.get("src/models.rs").map(String::as_str),
            Some("pub struct A;\npub struct B;\n")
        );
        let mut abandoned = files.begin("src/other.rs")?;
        abandoned.write("half")?;
        drop(abandoned);
        assert!(!files.contains_key("src/other.rs"));
        Ok(())
    }
}
