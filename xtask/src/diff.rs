//! A short line diff for `--check` output: enough to see what changed, not a full patch.

/// Lines removed (`-`) and added (`+`) between `old` and `new`, at most `limit` of them, found
/// by trimming the common prefix and suffix (generated files change in runs, so this is enough).
pub fn short_diff(old: &str, new: &str, limit: usize) -> String {
    let old_lines: Vec<&str> = old.lines().collect();
    let new_lines: Vec<&str> = new.lines().collect();
    let prefix = old_lines
        .iter()
        .zip(&new_lines)
        .take_while(|(a, b)| a == b)
        .count();
    let suffix = old_lines[prefix..]
        .iter()
        .rev()
        .zip(new_lines[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let removed = &old_lines[prefix..old_lines.len() - suffix];
    let added = &new_lines[prefix..new_lines.len() - suffix];
    let mut out = format!("  @@ line {} @@\n", prefix + 1);
    let mut shown = 0;
    for line in removed {
        if shown == limit {
            break;
        }
        out.push_str(&format!("  -{line}\n"));
        shown += 1;
    }
    for line in added {
        if shown == limit {
            break;
        }
        out.push_str(&format!("  +{line}\n"));
        shown += 1;
    }
    let total = removed.len() + added.len();
    if total > shown {
        out.push_str(&format!("  … {} more changed lines\n", total - shown));
    }
    if total == 0 {
        out.push_str("  (only line endings or a final newline differ)\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_the_changed_middle() {
        let diff = short_diff("a\nb\nc\n", "a\nx\nc\n", 10);
        assert_eq!(diff, "  @@ line 2 @@\n  -b\n  +x\n");
    }

    #[test]
    fn limits_output() {
        let diff = short_diff("", "1\n2\n3\n", 2);
        assert!(diff.contains("+1") && diff.contains("+2") && diff.contains("1 more"));
    }
}
