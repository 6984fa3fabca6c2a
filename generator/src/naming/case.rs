//! Casing without `fmt`: a name's words found in one pass over its bytes, joined as snake_case or UpperCamelCase by the rules heck 0.5 follows.
//!
//! Every character that is not an ASCII letter or digit separates words (the generator keeps
//! only those in identifiers). Inside a run of letters and digits a word also ends
//! - after a lowercase letter, or a digit following one, that an uppercase letter follows
//!   (`createdAt` → `created` `At`, `v2Beta` → `v2` `Beta`), and
//! - before an uppercase letter that follows another uppercase letter and is followed by a
//!   lowercase one (`HTTPServer` → `HTTP` `Server`).
//!
//! heck reaches the same words by formatting each character through `fmt`, which was most of
//! what naming cost on documents with thousands of distinct names (docs/PERFORMANCE.md);
//! `tests` hold the two equal.

/// What the letters of the run seen so far in the current word were.
#[derive(Clone, Copy, PartialEq)]
enum Last {
    /// No letter yet (only digits, or nothing).
    Uncased,
    Lower,
    Upper,
}

/// Calls `word` with each word of `name`, in order.
fn for_each_word(name: &str, mut word: impl FnMut(&str)) {
    let bytes = name.as_bytes();
    let mut index = 0;
    while index < bytes.len() {
        if !bytes[index].is_ascii_alphanumeric() {
            index += 1;
            continue;
        }
        // One run of letters and digits: [run_start, run_end).
        let run_start = index;
        let mut run_end = index;
        while run_end < bytes.len() && bytes[run_end].is_ascii_alphanumeric() {
            run_end += 1;
        }
        let mut start = run_start;
        let mut last = Last::Uncased;
        for at in run_start..run_end - 1 {
            let (current, next) = (bytes[at], bytes[at + 1]);
            let with_current = if current.is_ascii_lowercase() {
                Last::Lower
            } else if current.is_ascii_uppercase() {
                Last::Upper
            } else {
                last
            };
            if with_current == Last::Lower && next.is_ascii_uppercase() {
                word(&name[start..=at]);
                start = at + 1;
                last = Last::Uncased;
            } else if last == Last::Upper
                && current.is_ascii_uppercase()
                && next.is_ascii_lowercase()
            {
                word(&name[start..at]);
                start = at;
                last = Last::Uncased;
            } else {
                last = with_current;
            }
        }
        word(&name[start..run_end]);
        index = run_end;
    }
}

/// `name` in snake_case: its words lowercased, joined by `_`.
pub(super) fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for_each_word(name, |word| {
        if !out.is_empty() {
            out.push('_');
        }
        out.extend(
            word.bytes()
                .map(|byte| char::from(byte.to_ascii_lowercase())),
        );
    });
    out
}

/// `name` in UpperCamelCase: each word's first character uppercased and the rest lowercased.
pub(super) fn upper_camel_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for_each_word(name, |word| {
        let mut bytes = word.bytes();
        if let Some(first) = bytes.next() {
            out.push(char::from(first.to_ascii_uppercase()));
        }
        out.extend(bytes.map(|byte| char::from(byte.to_ascii_lowercase())));
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use heck::{ToSnakeCase, ToUpperCamelCase};
    use proptest::prelude::*;

    /// What the generator asked heck before: separators made spaces, then heck's casing.
    fn by_heck(name: &str) -> (String, String) {
        let spaced: String = name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
            .collect();
        (spaced.to_snake_case(), spaced.to_upper_camel_case())
    }

    fn ours(name: &str) -> (String, String) {
        (snake_case(name), upper_camel_case(name))
    }

    /// Every string of up to seven characters over one letter of each case, a digit and a
    /// separator: each transition the word rules look at, in every context they look at.
    #[test]
    fn every_short_name_is_cased_as_heck_cases_it() {
        let alphabet = ['a', 'B', '7', '-'];
        let mut names = vec![String::new()];
        let mut checked = 0;
        for _ in 0..7 {
            let mut longer = Vec::with_capacity(names.len() * alphabet.len());
            for name in &names {
                for c in alphabet {
                    let mut next = name.clone();
                    next.push(c);
                    assert_eq!(ours(&next), by_heck(&next), "for {next:?}");
                    checked += 1;
                    longer.push(next);
                }
            }
            names = longer;
        }
        assert_eq!(checked, 4 + 16 + 64 + 256 + 1024 + 4096 + 16384);
    }

    #[test]
    fn known_names() {
        assert_eq!(
            ours("HTTPServer"),
            ("http_server".into(), "HttpServer".into())
        );
        assert_eq!(ours("createdAt"), ("created_at".into(), "CreatedAt".into()));
        assert_eq!(ours("v2Beta"), ("v2_beta".into(), "V2Beta".into()));
        assert_eq!(ours("__a..b__"), ("a_b".into(), "AB".into()));
        assert_eq!(ours("émile"), ("mile".into(), "Mile".into()));
        assert_eq!(ours(""), (String::new(), String::new()));
    }

    proptest! {
        /// Longer and wilder names, non-ASCII included.
        #[test]
        fn any_name_is_cased_as_heck_cases_it(name in "[a-zA-Z0-9 _.$/é漢-]{0,40}") {
            prop_assert_eq!(ours(&name), by_heck(&name));
        }
    }
}
