//! The report as Markdown: breaking, additive and docs-only sections, each entry naming the Rust item, what changed, the rule and why, and the spec pointer; the last line is the verdict.

use super::{Change, Level, Report, Side};
use std::fmt::Write as _;

pub(super) fn markdown(report: &Report) -> String {
    let mut out = format!("# Changes to the `{}` crate's API\n\n", report.crate_name);
    if report.changes.is_empty() {
        out.push_str("No change to the client's API.\n\n");
    } else {
        for (level, title) in [
            (Level::Major, "Breaking (major)"),
            (Level::Minor, "Additive (minor)"),
            (Level::Patch, "Docs only (patch)"),
        ] {
            let changes: Vec<&Change> = report.at(level).collect();
            if changes.is_empty() {
                continue;
            }
            let _ = writeln!(out, "## {title}\n");
            for change in changes {
                out.push_str(&entry(change));
            }
            out.push('\n');
        }
        if report.verdict() == Level::Patch {
            out.push_str("No change to the client's API beyond its documentation.\n\n");
        }
    }
    let _ = write!(out, "semver: {}", report.verdict());
    out.push('\n');
    out
}

fn entry(change: &Change) -> String {
    let side = match change.side {
        Side::Old => "old document",
        Side::New => "new document",
    };
    format!(
        "- `{}`: {}. `{}`: {}. ({side}: `{}`)\n",
        change.item,
        change.detail,
        change.rule.id(),
        change.rule.why(),
        change.pointer
    )
}
