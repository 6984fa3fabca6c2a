//! Change report: two lowered APIs (old and new [`Model`]) in, every difference a user of the generated crate can notice out, each rated by one [`Rule`] and named by the Rust item it touches and the spec pointer that caused it.
//!
//! The comparison reads the IR, never text, so reformatting or re-serializing a document
//! changes nothing. Names are the ones the emitter prints (`paypro::models::Payment::id`,
//! `paypro::resources::Refunds::cancel`); how a struct is built comes from
//! [`crate::compat`], which the emitter reads too.

mod operations;
mod render;
mod report;
mod rules;
pub mod semver;
mod types;

pub use rules::Rule;
pub use semver::{Level, next_version};

use crate::ir::Model;

/// Which document a pointer is in: removals point into the old one, the rest into the new.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Side {
    Old,
    New,
}

/// One difference, as the report lists it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    pub rule: Rule,
    /// The Rust item a user touches: `paypro::models::Payment::expires_at`.
    pub item: String,
    /// What changed, in a few words (`Option<String>` → `String`).
    pub detail: String,
    /// The JSON pointer of what caused it, in the document `side` says.
    pub pointer: String,
    pub side: Side,
}

impl Change {
    pub fn level(&self) -> Level {
        self.rule.level()
    }
}

/// Every change between two models, in a fixed order (by level, then item).
#[derive(Debug, Clone)]
pub struct Report {
    pub crate_name: String,
    pub changes: Vec<Change>,
}

impl Report {
    /// The release the changes call for.
    pub fn verdict(&self) -> Level {
        Level::verdict(self.changes.iter().map(Change::level))
    }

    /// The changes of one level.
    pub fn at(&self, level: Level) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |c| c.level() == level)
    }

    /// The report as Markdown; its last line is exactly `semver: major|minor|patch`.
    pub fn to_markdown(&self) -> String {
        report::markdown(self)
    }
}

/// Where the items live: the crate's name as code spells it (`paypro`).
#[derive(Debug, Clone, Copy)]
struct Names<'a> {
    krate: &'a str,
}

impl Names<'_> {
    fn model(&self, name: &str) -> String {
        format!("{}::models::{name}", self.krate)
    }

    fn resource(&self, name: &str) -> String {
        format!("{}::resources::{name}", self.krate)
    }
}

/// Compares two lowered APIs. `crate_name` is the package name (`-` becomes `_` in items).
pub fn compare(old: &Model, new: &Model, crate_name: &str) -> Report {
    let krate = crate_name.replace('-', "_");
    let names = Names { krate: &krate };
    let mut changes = Vec::new();
    types::compare_types(old, new, names, &mut changes);
    operations::compare_groups(old, new, names, &mut changes);
    if old.base_url != new.base_url {
        changes.push(Change {
            rule: Rule::BaseUrlChanged,
            item: format!("{krate}::DEFAULT_BASE_URL"),
            detail: format!("`{}` → `{}`", old.base_url, new.base_url),
            pointer: "/servers/0/url".to_owned(),
            side: Side::New,
        });
    }
    for (what, pointer, before, after) in [
        ("title", "/info/title", Some(&old.title), Some(&new.title)),
        (
            "version",
            "/info/version",
            Some(&old.version),
            Some(&new.version),
        ),
        (
            "description",
            "/info/description",
            old.description.as_ref(),
            new.description.as_ref(),
        ),
    ] {
        if before != after {
            changes.push(Change {
                rule: Rule::DocsChanged,
                item: krate.clone(),
                detail: format!("the API's {what} (crate docs)"),
                pointer: pointer.to_owned(),
                side: Side::New,
            });
        }
    }
    changes.sort_by(|a, b| {
        b.level()
            .cmp(&a.level())
            .then_with(|| a.item.cmp(&b.item))
            .then_with(|| a.cmp(b))
    });
    changes.dedup();
    Report {
        crate_name: crate_name.to_owned(),
        changes,
    }
}
