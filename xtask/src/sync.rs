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

    /// Compares one file with `dir`'s copy; unless checking, stages it if it differs.
    pub fn take(&mut self, path: &str, contents: &str) -> std::io::Result<()> {
        if !self.seen.insert(path.to_owned()) {
            return Err(std::io::Error::other(format!("{path} was generated twice")));
        }
        let existing = self.dir.join(path);
        match same_contents(&existing, contents.as_bytes()) {
            Ok(true) => return Ok(()),
            Ok(false) => {
                // Only a check prints the difference; reading the old file whole for it is
                // worth it there and nowhere else.
                let diff = if self.check {
                    let old = std::fs::read(&existing)?;
                    short_diff(&String::from_utf8_lossy(&old), contents, 12)
                } else {
                    String::new()
                };
                self.report.changed.push((path.to_owned(), diff));
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                self.report.missing.push(path.to_owned())
            }
            Err(error) => return Err(error),
        }
        if !self.check {
            let target = self.staging.join(path);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&target, contents)?;
            self.staged.push(path.to_owned());
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
                if let Some(parent) = target.parent() {
                    std::fs::create_dir_all(parent)?;
                }
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
}

/// Whether the file at `path` holds exactly `contents`, read a block at a time: a generated
/// file can be megabytes, and holding its old copy beside the new one would raise the run's
/// peak memory by as much.
fn same_contents(path: &Path, contents: &[u8]) -> std::io::Result<bool> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    if file.metadata()?.len() != contents.len() as u64 {
        return Ok(false);
    }
    let mut block = vec![0; 64 * 1024];
    let mut rest = contents;
    loop {
        let read = file.read(&mut block)?;
        if read == 0 {
            return Ok(rest.is_empty());
        }
        match rest.split_at_checked(read) {
            Some((expected, after)) if expected == &block[..read] => rest = after,
            // Different bytes, or the file grew since its length was read.
            _ => return Ok(false),
        }
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

    #[test]
    fn check_reports_and_write_fixes() {
        let dir = std::env::temp_dir().join(format!("xtask-sync-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
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
        let dir = std::env::temp_dir().join(format!("xtask-sync-drop-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
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
