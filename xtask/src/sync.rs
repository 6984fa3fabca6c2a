//! Bringing a directory in line with the generator's output, file by file as it is made: write only changed files (all at the end, so a failed run writes nothing) and delete stale ones, or (check mode) report every difference and write nothing.

use crate::diff::short_diff;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Differences between the generated files and the directory.
#[derive(Debug, Default)]
pub struct Report {
    pub missing: Vec<String>,
    pub changed: Vec<(String, String)>,
    pub extra: Vec<String>,
    pub written: usize,
    pub deleted: usize,
}

impl Report {
    pub fn is_clean(&self) -> bool {
        self.missing.is_empty() && self.changed.is_empty() && self.extra.is_empty()
    }

    /// What a maintainer reads when the check fails.
    pub fn describe(&self, dir: &Path) -> String {
        let mut out = String::new();
        for path in &self.missing {
            out.push_str(&format!("missing: {}/{path}\n", dir.display()));
        }
        for (path, diff) in &self.changed {
            out.push_str(&format!("changed: {}/{path}\n{diff}", dir.display()));
        }
        for path in &self.extra {
            out.push_str(&format!(
                "extra (the generator does not make it): {}/{path}\n",
                dir.display()
            ));
        }
        out
    }
}

/// Files below `dir` (relative, `/`-separated), skipping build output.
fn existing_files(dir: &Path) -> std::io::Result<BTreeSet<String>> {
    let mut out = BTreeSet::new();
    let mut stack: Vec<PathBuf> = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        let entries = match std::fs::read_dir(&current) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
            Err(error) => return Err(error),
        };
        for entry in entries {
            let entry = entry?;
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if entry.file_type()?.is_dir() {
                if name != "target" {
                    stack.push(path);
                }
            } else if let Ok(relative) = path.strip_prefix(dir) {
                out.insert(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    Ok(out)
}

/// Compares (and unless `check`, applies) the generated files to `dir`.
pub fn sync(dir: &Path, files: &BTreeMap<String, String>, check: bool) -> std::io::Result<Report> {
    let mut syncing = Syncing::start(dir, check)?;
    for (path, contents) in files {
        syncing.take(path, contents)?;
    }
    syncing.finish()
}

/// A [`sync`] fed one file at a time, as the generator makes them ([`generator::FileSink`]).
///
/// Nothing in `dir` changes before [`Syncing::finish`]: a file that differs is written to a
/// staging folder beside `dir` and moved into place at the end, so a run that fails half way
/// (the generator found problems after handing over its first files) leaves `dir` as it was.
/// Dropping an unfinished `Syncing` removes the staging folder.
pub struct Syncing {
    dir: PathBuf,
    check: bool,
    present: BTreeSet<String>,
    seen: BTreeSet<String>,
    staging: PathBuf,
    staged: Vec<String>,
    report: Report,
}

impl Syncing {
    /// Lists what `dir` holds now; a staging folder left by a run that was killed is cleared.
    pub fn start(dir: &Path, check: bool) -> std::io::Result<Self> {
        let name = dir
            .file_name()
            .map_or_else(|| "out".into(), |name| name.to_string_lossy());
        let parent = dir.parent().unwrap_or(Path::new("."));
        let staging = parent.join(format!(".{name}.generating"));
        remove_if_present(&staging)?;
        Ok(Self {
            dir: dir.to_path_buf(),
            check,
            present: existing_files(dir)?,
            seen: BTreeSet::new(),
            staging,
            staged: Vec::new(),
            report: Report::default(),
        })
    }

    /// Files taken so far.
    pub fn files(&self) -> usize {
        self.seen.len()
    }

    /// Notes that `path` was generated; a second time is an error.
    fn claim(&mut self, path: &str) -> std::io::Result<()> {
        if !self.seen.insert(path.to_owned()) {
            return Err(std::io::Error::other(format!("{path} was generated twice")));
        }
        Ok(())
    }

    /// Compares one file with `dir`'s copy; unless checking, stages it if it differs.
    pub fn take(&mut self, path: &str, contents: &str) -> std::io::Result<()> {
        self.claim(path)?;
        if !self.check {
            // A whole file is a file of one part.
            let mut incoming = Incoming::open(self, path)?;
            incoming.take_part(contents.as_bytes())?;
            return incoming.finish();
        }
        let existing = self.dir.join(path);
        match same_contents(&existing, contents.as_bytes()) {
            Ok(true) => {}
            Ok(false) => {
                // Only a check prints the difference, so only a check reads the old copy whole.
                let old = std::fs::read(&existing)?;
                let diff = short_diff(&String::from_utf8_lossy(&old), contents, 12);
                self.report.changed.push((path.to_owned(), diff));
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                self.report.missing.push(path.to_owned())
            }
            Err(error) => return Err(error),
        }
        Ok(())
    }

    /// Ends the run: reports files of `dir` that were not generated, and unless checking,
    /// moves the staged files into place and deletes those extra ones.
    pub fn finish(mut self) -> std::io::Result<Report> {
        let mut report = std::mem::take(&mut self.report);
        report.missing.sort();
        report.changed.sort();
        report.extra = self.present.difference(&self.seen).cloned().collect();
        if !self.check {
            for path in &self.staged {
                let target = self.dir.join(path);
                create_parent(&target)?;
                std::fs::rename(self.staging.join(path), &target)?;
                report.written += 1;
            }
            for path in &report.extra {
                std::fs::remove_file(self.dir.join(path))?;
                report.deleted += 1;
            }
        }
        Ok(report)
    }
}

impl Drop for Syncing {
    fn drop(&mut self) {
        // Finished or not, the staging folder has nothing left worth keeping.
        let _ = remove_if_present(&self.staging);
    }
}

impl generator::FileSink for Syncing {
    fn file(&mut self, path: &str, contents: String) -> Result<(), String> {
        self.take(path, &contents)
            .map_err(|error| error.to_string())
    }

    fn begin<'s>(&'s mut self, path: &str) -> Result<Box<dyn generator::FileParts + 's>, String> {
        if self.check {
            // A check prints the difference, which takes the whole text; it writes nothing,
            // and is not where a big document's memory matters.
            return Ok(Box::new(generator::output::Collected::new(self, path)));
        }
        self.claim(path).map_err(|error| error.to_string())?;
        Incoming::open(self, path)
            .map(|incoming| Box::new(incoming) as Box<dyn generator::FileParts>)
            .map_err(|error| error.to_string())
    }
}

/// A file being written (not checked), whole or in parts: compared with `dir`'s copy a block at
/// a time as the parts come, and staged from the first part that differs on, with the equal
/// bytes before it copied from the old copy. Neither copy is ever held whole: `src/models.rs`
/// of a big document is several times the document (docs/PERFORMANCE.md).
struct Incoming<'s> {
    syncing: &'s mut Syncing,
    path: String,
    existed: bool,
    /// The old copy, read alongside the new text while the two agree.
    old: Option<std::io::BufReader<std::fs::File>>,
    /// Bytes at the start of the new text that are the old copy's.
    agreeing: u64,
    /// The staged new copy, once the two differ.
    staged: Option<std::io::BufWriter<std::fs::File>>,
    /// One block of the old copy, read for comparing.
    block: Vec<u8>,
}

impl<'s> Incoming<'s> {
    fn open(syncing: &'s mut Syncing, path: &str) -> std::io::Result<Self> {
        let old = match std::fs::File::open(syncing.dir.join(path)) {
            Ok(file) => Some(std::io::BufReader::new(file)),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
            Err(error) => return Err(error),
        };
        Ok(Self {
            syncing,
            path: path.to_owned(),
            existed: old.is_some(),
            old,
            agreeing: 0,
            staged: None,
            block: vec![0; BLOCK],
        })
    }

    fn take_part(&mut self, part: &[u8]) -> std::io::Result<()> {
        if self.staged.is_none() {
            let agrees = match &mut self.old {
                Some(old) => reads_as(old, part, &mut self.block)?,
                None => false,
            };
            if agrees {
                self.agreeing += part.len() as u64;
                return Ok(());
            }
            self.stage()?;
        }
        match &mut self.staged {
            Some(staged) => std::io::Write::write_all(staged, part),
            None => Err(std::io::Error::other("the staged copy was not opened")),
        }
    }

    /// Opens the staged copy, starting with the bytes that agreed with the old copy.
    fn stage(&mut self) -> std::io::Result<()> {
        let target = self.syncing.staging.join(&self.path);
        create_parent(&target)?;
        let mut staged = std::io::BufWriter::new(std::fs::File::create(&target)?);
        if self.agreeing > 0 {
            let old = std::fs::File::open(self.syncing.dir.join(&self.path))?;
            let copied = std::io::copy(&mut std::io::Read::take(old, self.agreeing), &mut staged)?;
            if copied != self.agreeing {
                return Err(std::io::Error::other(format!(
                    "{} changed while it was compared",
                    self.path
                )));
            }
        }
        self.old = None;
        self.staged = Some(staged);
        Ok(())
    }

    fn finish(mut self) -> std::io::Result<()> {
        if self.staged.is_none() {
            let old_ended = match &mut self.old {
                Some(old) => std::io::BufRead::fill_buf(old)?.is_empty(),
                None => false,
            };
            if old_ended {
                return Ok(());
            }
            // The old copy is longer, or there is none.
            self.stage()?;
        }
        if let Some(staged) = &mut self.staged {
            std::io::Write::flush(staged)?;
        }
        let path = std::mem::take(&mut self.path);
        if self.existed {
            self.syncing
                .report
                .changed
                .push((path.clone(), String::new()));
        } else {
            self.syncing.report.missing.push(path.clone());
        }
        self.syncing.staged.push(path);
        Ok(())
    }
}

impl generator::FileParts for Incoming<'_> {
    fn write(&mut self, part: &str) -> Result<(), String> {
        self.take_part(part.as_bytes())
            .map_err(|error| error.to_string())
    }

    fn end(self: Box<Self>) -> Result<(), String> {
        (*self).finish().map_err(|error| error.to_string())
    }
}

/// Bytes compared at a time with a file on disk.
const BLOCK: usize = 64 * 1024;

/// Whether the file at `path` holds exactly `contents`, read a block at a time: a generated
/// file can be megabytes, and holding its old copy beside the new one would raise the run's
/// peak memory by as much.
fn same_contents(path: &Path, contents: &[u8]) -> std::io::Result<bool> {
    let mut file = std::fs::File::open(path)?;
    if file.metadata()?.len() != contents.len() as u64 {
        return Ok(false);
    }
    let mut block = vec![0; BLOCK];
    // Equal to the end, and no more: the file may have grown since its length was read.
    Ok(reads_as(&mut file, contents, &mut block)?
        && std::io::Read::read(&mut file, &mut block)? == 0)
}

/// Whether the next bytes of `reader` are `expected`, read into `block` a block at a time.
/// Fewer bytes left than expected is a difference, not an error.
fn reads_as(
    reader: &mut impl std::io::Read,
    expected: &[u8],
    block: &mut [u8],
) -> std::io::Result<bool> {
    for wanted in expected.chunks(block.len()) {
        let read = &mut block[..wanted.len()];
        match reader.read_exact(read) {
            Ok(()) if read == wanted => {}
            Ok(()) => return Ok(false),
            Err(error) if error.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(false),
            Err(error) => return Err(error),
        }
    }
    Ok(true)
}

/// Creates the folders a file at `path` needs.
fn create_parent(path: &Path) -> std::io::Result<()> {
    match path.parent() {
        Some(parent) => std::fs::create_dir_all(parent),
        None => Ok(()),
    }
}

fn remove_if_present(dir: &Path) -> std::io::Result<()> {
    match std::fs::remove_dir_all(dir) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(error),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A temporary folder of this name and process, new: any left by an earlier run is removed.
    fn empty_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn check_reports_and_write_fixes() {
        let dir = empty_dir("xtask-sync");
        std::fs::create_dir_all(dir.join("src")).unwrap();
        std::fs::write(dir.join("src/old.rs"), "old").unwrap();
        std::fs::write(dir.join("src/lib.rs"), "a\nb\n").unwrap();
        let files: BTreeMap<String, String> = [
            ("src/lib.rs".to_owned(), "a\nc\n".to_owned()),
            ("Cargo.toml".to_owned(), "x".to_owned()),
        ]
        .into_iter()
        .collect();

        let report = sync(&dir, &files, true).unwrap();
        assert_eq!(report.missing, vec!["Cargo.toml"]);
        assert_eq!(report.changed.len(), 1);
        assert!(
            report.changed[0].1.contains("-b") && report.changed[0].1.contains("+c"),
            "{}",
            report.changed[0].1
        );
        assert_eq!(report.extra, vec!["src/old.rs"]);
        assert_eq!(
            std::fs::read_to_string(dir.join("src/lib.rs")).unwrap(),
            "a\nb\n",
            "check mode must not write"
        );

        let report = sync(&dir, &files, false).unwrap();
        assert_eq!((report.written, report.deleted), (2, 1));
        assert!(sync(&dir, &files, true).unwrap().is_clean());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_run_dropped_before_finishing_changes_nothing() {
        let dir = empty_dir("xtask-sync-drop");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("kept.rs"), "old").unwrap();

        let mut syncing = Syncing::start(&dir, false).unwrap();
        syncing.take("kept.rs", "new").unwrap();
        syncing.take("src/added.rs", "added").unwrap();
        let staging = syncing.staging.clone();
        assert!(
            staging.join("src/added.rs").exists(),
            "differences are staged"
        );
        assert!(
            syncing.take("kept.rs", "again").is_err(),
            "a path taken twice"
        );
        drop(syncing);

        assert_eq!(std::fs::read_to_string(dir.join("kept.rs")).unwrap(), "old");
        assert!(!dir.join("src").exists());
        assert!(!staging.exists(), "the staging folder is removed");

        let mut syncing = Syncing::start(&dir, false).unwrap();
        syncing.take("src/added.rs", "added").unwrap();
        let report = syncing.finish().unwrap();
        assert_eq!((report.written, report.deleted), (1, 1));
        assert_eq!(report.extra, vec!["kept.rs"]);
        assert!(!staging.exists());
        assert_eq!(
            std::fs::read_to_string(dir.join("src/added.rs")).unwrap(),
            "added"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A file in parts against each kind of old copy: what ends up in `dir` is the new text,
    /// and only files that differ are written.
    #[test]
    fn files_in_parts_are_staged_only_when_they_differ() {
        use generator::FileSink;
        let dir = empty_dir("xtask-sync-parts");
        std::fs::create_dir_all(&dir).unwrap();
        let parts = ["// head\n", "struct A;\n", "", "struct B;\n"];
        let new: String = parts.concat();
        let olds = [
            ("same.rs", new.clone()),
            (
                "second_part_differs.rs",
                "// head\nstruct X;\nstruct B;\n".to_owned(),
            ),
            ("longer.rs", format!("{new}struct C;\n")),
            ("shorter.rs", "// head\nstruct A;\n".to_owned()),
            ("shorter_mid_part.rs", "// head\nstr".to_owned()),
            ("empty.rs", String::new()),
        ];
        for (name, old) in &olds {
            std::fs::write(dir.join(name), old).unwrap();
        }
        let mut syncing = Syncing::start(&dir, false).unwrap();
        for name in olds.iter().map(|(name, _)| *name).chain(["src/missing.rs"]) {
            let mut file = syncing.begin(name).unwrap();
            for part in parts {
                file.write(part).unwrap();
            }
            file.end().unwrap();
        }
        assert!(syncing.begin("same.rs").is_err(), "a path begun twice");
        let report = syncing.finish().unwrap();
        assert_eq!(report.missing, ["src/missing.rs"]);
        let changed: Vec<&str> = report.changed.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            changed,
            [
                "empty.rs",
                "longer.rs",
                "second_part_differs.rs",
                "shorter.rs",
                "shorter_mid_part.rs"
            ]
        );
        assert_eq!(report.written, 6);
        for name in olds.iter().map(|(name, _)| *name).chain(["src/missing.rs"]) {
            assert_eq!(
                std::fs::read_to_string(dir.join(name)).unwrap(),
                new,
                "{name}"
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_file_in_parts_left_unfinished_by_a_failed_run_changes_nothing() {
        use generator::FileSink;
        let dir = empty_dir("xtask-sync-half");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("models.rs"), "old\n").unwrap();
        let mut syncing = Syncing::start(&dir, false).unwrap();
        let staging = syncing.staging.clone();
        let mut file = syncing.begin("models.rs").unwrap();
        file.write("new, and the run fails before the end\n")
            .unwrap();
        drop(file);
        assert!(
            staging.join("models.rs").exists(),
            "the difference was staged"
        );
        drop(syncing);
        assert_eq!(
            std::fs::read_to_string(dir.join("models.rs")).unwrap(),
            "old\n"
        );
        assert!(!staging.exists(), "the staging folder is removed");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn contents_are_compared_block_by_block_to_the_last_byte() {
        let path = std::env::temp_dir().join(format!("xtask-same-{}", std::process::id()));
        // Longer than one block, so the comparison crosses a block boundary.
        let contents: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &contents).unwrap();
        assert!(same_contents(&path, &contents).unwrap());
        let mut last_differs = contents.clone();
        *last_differs.last_mut().unwrap() ^= 1;
        assert!(!same_contents(&path, &last_differs).unwrap());
        assert!(!same_contents(&path, &contents[..contents.len() - 1]).unwrap());
        let _ = std::fs::remove_file(&path);
        assert!(
            same_contents(&path, b"").is_err(),
            "a missing file is an error"
        );
    }
}
