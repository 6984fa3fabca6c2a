//! Formatting a generated Rust file: its head and its items as tokens in, the prettyplease text out, items formatted on every core in their original order.
//!
//! Re-parsing tokens with syn and printing them with prettyplease is most of what emitting
//! costs (docs/PERFORMANCE.md), and every top-level item is independent: prettyplease prints
//! each on its own, ending in a hard line break, so formatting items one by one and joining the
//! texts in order gives the bytes formatting the whole file would. Workers take runs of items
//! in turn and the texts are joined in item order, so the output does not depend on timing.
//! Nor do a big document's tokens and syntax trees (some 50 bytes for each byte of output) ever
//! all exist at once: only those of the items being formatted.
//! proc-macro2's tokens cannot cross threads, so each worker builds the tokens of its own items.

use super::bug;
use crate::diagnostics::Diagnostic;
use crate::ir::Model;
use proc_macro2::TokenStream;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

/// A Rust file to emit: inner attributes and docs, then one item (or a few) per element of `items`.
pub struct RustFile<'a, T> {
    pub head: TokenStream,
    pub items: &'a [T],
    pub build: fn(&Model, &T) -> TokenStream,
}

/// Items per unit of work: enough to make handing out work cheap, few enough that the two
/// workers finish close together and that finished text waiting for its turn stays small.
const CHUNK: usize = 16;

/// Worker stacks as big as a main thread's, for syn and prettyplease on deeply nested types.
const WORKER_STACK: usize = 8 * 1024 * 1024;

/// `header`, then the formatted file. The first error in item order is the one reported, as
/// formatting one item after another would.
pub fn format_file<T: Sync>(
    path: &str,
    header: &str,
    model: &Model,
    file: RustFile<'_, T>,
) -> Result<String, Diagnostic> {
    let mut out = header.to_owned();
    out.push_str(&format_rust(path, file.head)?);
    let chunks: Vec<&[T]> = file.items.chunks(CHUNK).collect();
    let format_chunk = |chunk: &[T]| -> Result<String, Diagnostic> {
        let mut text = String::new();
        for item in chunk {
            text.push_str(&format_rust(path, (file.build)(model, item))?);
        }
        Ok(text)
    };
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(chunks.len());
    if workers <= 1 {
        for chunk in &chunks {
            out.push_str(&format_chunk(chunk)?);
        }
        return Ok(out);
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
                out.push_str(&format_chunk(chunk)?);
            }
            return Ok(out);
        }
        // Texts that finished before their turn wait here; each is appended as soon as every
        // chunk before it is in.
        let mut waiting = BTreeMap::new();
        let mut wanted = 0;
        for (index, text) in receiver {
            waiting.insert(index, text);
            while let Some(text) = waiting.remove(&wanted) {
                out.push_str(&text?);
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
        Ok(out)
    })
}

/// One piece of a file: its tokens parsed as a file (so inner attributes are allowed) and printed.
pub fn format_rust(path: &str, tokens: TokenStream) -> Result<String, Diagnostic> {
    let file = syn::parse2::<syn::File>(tokens).map_err(|error| bug(path, &error))?;
    Ok(prettyplease::unparse(&file))
}
