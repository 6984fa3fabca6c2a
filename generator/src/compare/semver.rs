//! The semver rule, in one place: each change's level, the verdict of a set of changes (the highest level), and the version a verdict asks for.

use std::fmt;

/// How a change affects code that uses the generated crate, in increasing order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Documentation only: nothing a caller compiles or observes changes.
    Patch,
    /// Additive: code that compiled before still compiles and means the same.
    Minor,
    /// Breaking: some code that compiled before no longer does (or changes meaning).
    Major,
}

impl Level {
    /// The verdict for a set of changes: the highest level among them, `Patch` for none.
    pub fn verdict(levels: impl IntoIterator<Item = Level>) -> Level {
        levels.into_iter().max().unwrap_or(Level::Patch)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Patch => "patch",
            Level::Minor => "minor",
            Level::Major => "major",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The version after `current` for a verdict, as Cargo reads semver: below 1.0 the minor
/// number is the breaking one and additions go in a patch release (`0.3.1` → major `0.4.0`,
/// minor or patch `0.3.2`); from 1.0 on, the usual three. `None` when `current` is not
/// `MAJOR.MINOR.PATCH` (a pre-release or build suffix is dropped from the answer).
pub fn next_version(current: &str, level: Level) -> Option<String> {
    let core = current.trim().split(['-', '+']).next()?;
    let mut parts = core.split('.').map(|part| part.parse::<u64>().ok());
    let (major, minor, patch) = (parts.next()??, parts.next()??, parts.next()??);
    if parts.next().is_some() {
        return None;
    }
    let next = match (major, level) {
        (0, Level::Major) => (0, minor + 1, 0),
        (0, _) => (0, minor, patch + 1),
        (_, Level::Major) => (major + 1, 0, 0),
        (_, Level::Minor) => (major, minor + 1, 0),
        (_, Level::Patch) => (major, minor, patch + 1),
    };
    Some(format!("{}.{}.{}", next.0, next.1, next.2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdict_is_the_highest_level() {
        assert_eq!(Level::verdict([]), Level::Patch);
        assert_eq!(Level::verdict([Level::Minor, Level::Patch]), Level::Minor);
        assert_eq!(
            Level::verdict([Level::Minor, Level::Major, Level::Patch]),
            Level::Major
        );
    }

    #[test]
    fn next_version_follows_cargo_below_and_above_one() {
        assert_eq!(
            next_version("0.3.1", Level::Major).as_deref(),
            Some("0.4.0")
        );
        assert_eq!(
            next_version("0.3.1", Level::Minor).as_deref(),
            Some("0.3.2")
        );
        assert_eq!(
            next_version("0.3.1", Level::Patch).as_deref(),
            Some("0.3.2")
        );
        assert_eq!(
            next_version("1.2.3", Level::Major).as_deref(),
            Some("2.0.0")
        );
        assert_eq!(
            next_version("1.2.3", Level::Minor).as_deref(),
            Some("1.3.0")
        );
        assert_eq!(
            next_version("1.2.3\n", Level::Patch).as_deref(),
            Some("1.2.4")
        );
        assert_eq!(
            next_version("1.2.3-rc.1", Level::Patch).as_deref(),
            Some("1.2.4")
        );
        assert_eq!(next_version("1.2", Level::Patch), None);
        assert_eq!(next_version("one.two.three", Level::Patch), None);
    }
}
