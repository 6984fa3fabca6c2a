//! Bringing a directory in line with the generator's output: write only changed files and delete stale ones, or (check mode) report every difference and write nothing.

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
    let mut report = Report::default();
    let present = existing_files(dir)?;
    for (path, contents) in files {
        let target = dir.join(path);
        match std::fs::read(&target) {
            Ok(bytes) if bytes == contents.as_bytes() => continue,
            Ok(bytes) => {
                let old = String::from_utf8_lossy(&bytes);
                report
                    .changed
                    .push((path.clone(), short_diff(&old, contents, 12)));
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                report.missing.push(path.clone())
            }
            Err(error) => return Err(error),
        }
        if !check {
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&target, contents)?;
            report.written += 1;
        }
    }
    for path in present.iter().filter(|p| !files.contains_key(*p)) {
        report.extra.push(path.clone());
        if !check {
            std::fs::remove_file(dir.join(path))?;
            report.deleted += 1;
        }
    }
    Ok(report)
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
}
