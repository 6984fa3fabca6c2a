//! Formatting a generated Rust file: its head and its items (printed text, or tokens) in, the prettyplease-formatted text out, items formatted on every core in their original order.
//!
//! Re-parsing tokens with syn and printing them with prettyplease was most of what emitting
//! cost (docs/PERFORMANCE.md), so the models (most of a crate), the parameter structs, the
//! operation methods and the mock expectation builders are printed as text straight from the
//! IR in prettyplease's layout ([`super::models`], [`super::params`], [`super::methods`],
//! [`super::testing`]) and pass through here unchanged. The rest (handles, response enums,
//! the few methods `super::methods` leaves to tokens) is tokens, formatted here. Every
//! top-level item is independent: prettyplease prints each on its own, ending in a hard line
//! break, so formatting items one by one and joining the texts in order gives the bytes
//! formatting the whole file would. Workers take runs of items in turn and the texts are
//! joined in item order, so the output does not depend on timing. Nor do a big document's
//! tokens and syntax trees (some 50 bytes for each byte of output) ever all exist at once:
//! only those of the items being formatted. proc-macro2's tokens cannot cross threads, so each
//! worker builds the tokens of its own items.

use super::bug;
use crate::diagnostics::Diagnostic;
use crate::ir::Model;
use crate::output::{FileParts, cannot_write};
use proc_macro2::TokenStream;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

/// A Rust file to emit: inner attributes and docs, then one piece per element of `items`.
pub struct RustFile<'a, T> {
    pub head: TokenStream,
    pub items: &'a [T],
    pub build: fn(&Model, &T) -> Piece,
}

/// One or a few whole items: printed text, or tokens for prettyplease.
///
/// Tokens may also be a few members of a long `impl` block. A block with hundreds of methods
/// (a document without tags puts every operation in one) would otherwise be one unit of work:
/// formatted on one core, with the syntax tree of the whole block in memory at once (Stripe's:
/// about 25 MB, most of the run's peak; docs/PERFORMANCE.md). So a block's members are
/// formatted a few at a time, each run wrapped in the block's own `impl … {` line and closing
/// `}`, which only the block's first and last run keep. prettyplease prints a block's members
/// one after another with nothing between them, so the joined text is byte for byte the whole
/// block's (`tests::impl_blocks_format_the_same_in_runs`).
pub enum Piece {
    Tokens {
        tokens: TokenStream,
        keep_opening_line: bool,
        keep_closing_line: bool,
    },
    /// Items printed as prettyplease prints them ([`super::models`]). `plain` is false when
    /// part of the text is beyond what that printer lays out (a doc line with a line break in
    /// it, a long `concat!`); prettyplease re-prints such text.
    Printed { text: String, plain: bool },
}

impl Piece {
    /// Whole items, printed as they are.
    pub fn whole(tokens: TokenStream) -> Self {
        Self::Tokens {
            tokens,
            keep_opening_line: true,
            keep_closing_line: true,
        }
    }

    /// Member `index` of `count` of an `impl` block, wrapped in that block (`tokens` is the
    /// whole `impl … { member }`).
    pub fn impl_member(tokens: TokenStream, index: usize, count: usize) -> Self {
        Self::Tokens {
            tokens,
            keep_opening_line: index == 0,
            keep_closing_line: index + 1 == count,
        }
    }
}

/// Items per unit of work: enough to make handing out work cheap, few enough that the two
/// workers finish close together and that finished text waiting for its turn stays small.
const CHUNK: usize = 16;

/// Worker stacks as big as a main thread's, for syn and prettyplease on deeply nested types.
const WORKER_STACK: usize = 8 * 1024 * 1024;

/// Writes `header`, then the formatted file, to `out` a run of items at a time, as soon as
/// every run before it is written: the file's text is never held whole. The first error in
/// item order is the one reported, as formatting one item after another would.
pub fn format_file<T: Sync>(
    path: &str,
    header: &str,
    model: &Model,
    file: RustFile<'_, T>,
    out: &mut dyn FileParts,
) -> Result<(), Diagnostic> {
    let mut put = |text: &str| out.write(text).map_err(|reason| cannot_write(path, reason));
    put(header)?;
    put(&format_rust(path, file.head)?)?;
    let chunks: Vec<&[T]> = file.items.chunks(CHUNK).collect();
    let format_chunk = |chunk: &[T]| -> Result<String, Diagnostic> {
        let mut text = String::new();
        for item in chunk {
            text.push_str(&format_piece(path, (file.build)(model, item))?);
        }
        Ok(text)
    };
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(chunks.len());
    if workers <= 1 {
        for chunk in &chunks {
            put(&format_chunk(chunk)?)?;
        }
        return Ok(());
    }

    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let (sender, receiver) = mpsc::channel::<(usize, Result<String, Diagnostic>)>();
        let mut spawned = 0;
        for _ in 0..workers {
            let sender = sender.clone();
            let (next, failed, chunks, format_chunk) = (&next, &failed, &chunks, &format_chunk);
            let worker = move || {
                while !failed.load(Ordering::Relaxed) {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(chunk) = chunks.get(index) else {
                        break;
                    };
                    let text = format_chunk(chunk);
                    if text.is_err() {
                        failed.store(true, Ordering::Relaxed);
                    }
                    // The receiver is gone only once an earlier chunk failed.
                    if sender.send((index, text)).is_err() {
                        break;
                    }
                }
            };
            let started = std::thread::Builder::new()
                .name("format".to_owned())
                .stack_size(WORKER_STACK)
                .spawn_scoped(scope, worker);
            if started.is_ok() {
                spawned += 1;
            }
        }
        drop(sender);
        if spawned == 0 {
            // No thread could be started: format here, in order.
            for chunk in &chunks {
                put(&format_chunk(chunk)?)?;
            }
            return Ok(());
        }
        // Texts that finished before their turn wait here; each is appended as soon as every
        // chunk before it is in.
        let mut waiting = BTreeMap::new();
        let mut wanted = 0;
        for (index, text) in receiver {
            waiting.insert(index, text);
            while let Some(text) = waiting.remove(&wanted) {
                put(&text?)?;
                wanted += 1;
            }
        }
        if wanted < chunks.len() {
            // Only reachable if a worker stopped early without reporting (a panic, which the
            // scope passes on when it ends), so this is a generator bug either way.
            return Err(Diagnostic::error(
                "",
                format!("generator bug: formatting {path} stopped before its end"),
            ));
        }
        Ok(())
    })
}

/// A piece formatted, without the lines that belong to the runs before or after it.
fn format_piece(path: &str, piece: Piece) -> Result<String, Diagnostic> {
    let (tokens, keep_opening_line, keep_closing_line) = match piece {
        Piece::Tokens {
            tokens,
            keep_opening_line,
            keep_closing_line,
        } => (tokens, keep_opening_line, keep_closing_line),
        Piece::Printed { text, plain } => {
            if plain {
                return Ok(text);
            }
            return super::reformat_rust_text(path, &text);
        }
    };
    if tokens.is_empty() {
        return Ok(String::new());
    }
    let text = format_rust(path, tokens)?;
    let mut kept = text.as_str();
    if !keep_opening_line {
        // The `impl … {` line of a block continued from the run before.
        kept = match kept.split_once('\n') {
            Some((first, rest)) if first.starts_with("impl") && first.ends_with('{') => rest,
            _ => return Err(split_bug(path, &text)),
        };
    }
    if !keep_closing_line {
        // The block's closing brace, printed by its last run.
        kept = kept
            .strip_suffix("}\n")
            .ok_or_else(|| split_bug(path, &text))?;
    }
    Ok(kept.to_owned())
}

fn split_bug(path: &str, text: &str) -> Diagnostic {
    let start: String = text.chars().take(80).collect();
    Diagnostic::error(
        "",
        format!(
            "generator bug: a run of impl members for {path} did not format as one `impl` block (it starts `{start}`); please report it with the spec"
        ),
    )
}

/// One piece of a file: its tokens parsed as a file (so inner attributes are allowed) and printed.
pub fn format_rust(path: &str, tokens: TokenStream) -> Result<String, Diagnostic> {
    let file = syn::parse2::<syn::File>(tokens).map_err(|error| bug(path, &error))?;
    Ok(prettyplease::unparse(&file))
}

#[cfg(test)]
mod tests {
    use super::super::empty_model;
    use super::*;
    use quote::{format_ident, quote};

    /// A member long enough that prettyplease breaks its signature and body over lines.
    fn member(index: usize) -> TokenStream {
        let name = format_ident!("operation_number_{index}");
        let doc = format!(" Member {index}.");
        quote! {
            #[doc = #doc]
            pub async fn #name(&self, first_parameter_name: &str, second_parameter: Option<u64>) -> ::std::result::Result<crate::models::SomeLongTypeName, crate::Error> {
                let request = crate::client::ApiRequest::new(::reqwest::Method::GET, "/a/{id}", ::std::string::String::from("/a/{id}"));
                self.client.execute(request.query_param("p", &second_parameter)).await
            }
        }
    }

    const MEMBERS: usize = 3 * CHUNK + 5;

    fn member_piece(_: &Model, index: &usize) -> Piece {
        let member = member(*index);
        Piece::impl_member(quote! { impl<'a> Handle<'a> { #member } }, *index, MEMBERS)
    }

    #[test]
    fn impl_blocks_format_the_same_in_runs() {
        let indexes: Vec<usize> = (0..MEMBERS).collect();
        let file = RustFile {
            head: quote! { pub struct Handle<'a>(&'a str); },
            items: &indexes,
            build: member_piece,
        };
        let mut files = BTreeMap::new();
        let in_runs =
            super::super::stream_file(&mut files, "src/x.rs", "// header\n", &empty_model(), file)
                .map(|()| files.remove("src/x.rs"));
        let members = indexes.iter().map(|index| member(*index));
        let whole = format_rust(
            "src/x.rs",
            quote! {
                pub struct Handle<'a>(&'a str);
                impl<'a> Handle<'a> { #(#members)* }
            },
        );
        assert_eq!(
            in_runs.ok().flatten(),
            whole.ok().map(|text| format!("// header\n{text}"))
        );
    }

    #[test]
    fn a_run_that_is_not_an_impl_block_is_a_generator_bug() {
        let piece = Piece::Tokens {
            tokens: quote! { pub struct NotAnImpl; },
            keep_opening_line: false,
            keep_closing_line: true,
        };
        let error = format_piece("src/x.rs", piece).map(|_| ()).unwrap_err();
        assert!(error.message.contains("generator bug"), "{}", error.message);
    }
}
