//! Type references as tokens: an IR [`TypeRef`] in, the Rust type it stands for out, spelled with full paths.

use crate::ir::{Model, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;

/// Where the tokens will live: inside `models.rs` a model is named bare, elsewhere `models::X`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Models,
    Outside,
}

/// The type as tokens, for the emitters that still build tokens: lexed from its text
/// ([`super::text::type_text`]), so the type is spelled in one place.
pub fn type_tokens(model: &Model, ty: &TypeRef, scope: Scope) -> TokenStream {
    lexed(&super::text::type_text(model, ty, scope))
}

/// Rust the printed emitters spelled, as tokens for the token emitters, so that each piece is
/// spelled in one place.
pub fn lexed(text: &str) -> TokenStream {
    text.parse().unwrap_or_else(|_| {
        // The text is made of identifiers the lowering made and literals `text` escaped; one
        // that does not lex is a generator bug, reported where the crate is compiled rather
        // than lost.
        let message = format!("generator bug: `{text}` does not lex");
        quote!(::core::compile_error!(#message))
    })
}

/// Where the first `http://` or `https://` starts. Scanning for `h` and testing there is the
/// same as searching for both patterns, without building a substring searcher for each line of
/// every doc comment (3% of emit's instructions on the synthetic document).
fn first_url(text: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = text[from..].find('h') {
        let at = from + found;
        let tail = &text[at..];
        if tail.starts_with("https://") || tail.starts_with("http://") {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Doc text made safe for rustdoc: brackets that would be read as intra-doc links are escaped,
/// bare URLs are wrapped in `<…>`, and stray HTML is escaped, so `cargo doc` stays silent.
pub fn doc_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    // A carriage return not followed by a line feed ends a line too, as in CommonMark; left in
    // a line, prettyplease would print it inside a `///` comment, which rustc refuses.
    let lines = text.trim().lines().flat_map(|line| line.split('\r'));
    for (index, line) in lines.enumerate() {
        if index > 0 {
            out.push('\n');
        }
        let mut rest = line.trim_end();
        while !rest.is_empty() {
            let url_start = first_url(rest);
            let (before, url) = match url_start {
                Some(start) => {
                    let end = rest[start..]
                        .find(|c: char| c.is_whitespace() || c == ')' || c == '"')
                        .map_or(rest.len(), |e| start + e);
                    (&rest[..start], Some(&rest[start..end]))
                }
                None => (rest, None),
            };
            push_escaped(&mut out, before);
            rest = &rest[before.len()..];
            if let Some(url) = url {
                let url = url.trim_end_matches(['.', ',', ';']);
                out.push('<');
                out.push_str(url);
                out.push('>');
                rest = &rest[url.len()..];
            }
        }
    }
    out
}

/// `text` with the characters rustdoc would read as links or HTML escaped. They are ASCII, so
/// no byte of a longer character can be one; the runs between them are copied whole.
fn push_escaped(out: &mut String, text: &str) {
    let mut copied = 0;
    for (at, byte) in text.bytes().enumerate() {
        let escaped = match byte {
            b'[' => "\\[",
            b']' => "\\]",
            b'<' => "&lt;",
            b'>' => "&gt;",
            _ => continue,
        };
        out.push_str(&text[copied..at]);
        out.push_str(escaped);
        copied = at + 1;
    }
    out.push_str(&text[copied..]);
}

/// `#[doc = "…"]` attributes, one per line, so prettyplease prints them as `///` comments.
pub fn doc_attrs(text: &str) -> TokenStream {
    let lines: Vec<String> = doc_text(text)
        .lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!(" {l}")
            }
        })
        .collect();
    quote!(#(#[doc = #lines])*)
}

/// `#[doc]` attributes for text the generator writes itself (no document text in it), so its
/// intra-doc links (`[`Self::list_with`]`) stay links.
pub fn own_doc_attrs(text: &str) -> TokenStream {
    let lines: Vec<String> = text
        .lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!(" {l}")
            }
        })
        .collect();
    quote!(#(#[doc = #lines])*)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_url_is_where_either_scheme_starts_first() {
        let texts = [
            "",
            "h",
            "http:/",
            "hhttp://a",
            "see https://a and http://b",
            "http://a https://b",
            "ahttps:/ http://x",
            "héhttp://x",
            "https://",
            "no link here",
        ];
        for text in texts {
            let searched = ["https://", "http://"]
                .iter()
                .filter_map(|p| text.find(p))
                .min();
            assert_eq!(first_url(text), searched, "{text:?}");
        }
    }

    /// A lone carriage return ends a line, as in CommonMark (a `///` comment may not hold one).
    #[test]
    fn carriage_returns_end_lines() {
        assert_eq!(doc_text("one\rtwo\r\nthree\nfour"), "one\ntwo\nthree\nfour");
    }

    #[test]
    fn urls_are_wrapped_and_brackets_escaped() {
        assert_eq!(
            doc_text("See https://x.nl/a. [note] <b>"),
            "See <https://x.nl/a>. \\[note\\] &lt;b&gt;"
        );
    }
}
