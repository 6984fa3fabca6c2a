//! Big-document test: a synthesized OpenAPI document of 1,000 operations and 2,000 schemas (about 5 MB) in, a pass if it generates without errors and every emitted Rust file parses.
//!
//! The document is made in memory by a Rust port of `scripts/synth-spec.py`
//! (`big_document/synth.rs`), so the test needs no Python and no files. It is the document
//! `scripts/measure-scaling.sh` measures at 1×; set `BIG_DOCUMENT_OUT=FILE` to write it out
//! (pretty JSON, byte for byte the script's `--format json -o FILE` output). How long
//! generation takes is measured there, never asserted here.
//!
//! The generated crate is not compiled (that takes minutes at this size); parsing each file
//! with syn is what proves the emitters produced Rust, and the counts prove nothing was lost.

#[path = "big_document/synth.rs"]
mod synth;

use generator::{Config, Input};
use quote::ToTokens;
use serde_json::Value;

const OPERATIONS: usize = 1_000;
const SCHEMAS: usize = 2_000;
const SEED: u64 = 1;

#[test]
fn a_big_document_generates_and_every_file_parses() {
    let (document, schemas) = synth::document(OPERATIONS, SCHEMAS, SEED);
    assert_eq!(
        schemas, SCHEMAS,
        "the synthesizer made the wrong number of schemas"
    );
    assert_eq!(operations_in(&document), OPERATIONS);
    let tags = document["tags"].as_array().map_or(0, Vec::len);
    if let Some(path) = std::env::var_os("BIG_DOCUMENT_OUT") {
        let pretty = serde_json::to_string_pretty(&document).expect("a value serializes");
        std::fs::write(&path, format!("{pretty}\n")).expect("BIG_DOCUMENT_OUT is writable");
    }
    let text = serde_json::to_string(&document).expect("a value serializes");
    assert!(
        text.len() > 4_000_000,
        "the document shrank to {} bytes",
        text.len()
    );

    let config = Config::new("big", "a synthesized document");
    let generated = generator::generate(
        Input {
            text: &text,
            name: "big.json",
        },
        None,
        &config,
    )
    .unwrap_or_else(|problems| panic!("the big document does not generate:\n{problems}"));

    let mut parsed = Vec::new();
    for (path, contents) in &generated.files {
        if path.ends_with(".rs") {
            let file = syn::parse_file(contents)
                .unwrap_or_else(|error| panic!("{path} does not parse: {error}"));
            parsed.push((path.as_str(), file));
        }
    }
    let file = |wanted: &str| {
        parsed
            .iter()
            .find(|(path, _)| *path == wanted)
            .map(|(_, file)| file)
            .unwrap_or_else(|| panic!("no {wanted} was generated"))
    };

    // Every component is a named type, except the array and `null` ones, and inline objects
    // and enums add many more, so there are at least as many model types as schemas.
    let model_types = file("src/models.rs")
        .items
        .iter()
        .filter(|item| {
            matches!(
                item,
                syn::Item::Struct(_) | syn::Item::Enum(_) | syn::Item::Type(_)
            )
        })
        .count();
    assert!(
        model_types >= SCHEMAS,
        "{model_types} model types for {SCHEMAS} schemas"
    );

    // One method per operation: the async ones whose docs name their operation (list
    // operations add a non-async `list_all`; operations with optional parameters add a
    // `_with` twin, whose docs point at the plain method instead).
    let resources = file("src/resources.rs");
    let methods = methods_of(resources);
    let async_methods = methods
        .iter()
        .filter(|m| m.sig.asyncness.is_some() && names_an_operation(m))
        .count();
    assert_eq!(async_methods, OPERATIONS, "one async method per operation");
    // One handle per tag, each with an accessor on `Client`.
    let handles = resources
        .items
        .iter()
        .filter(|item| matches!(item, syn::Item::Impl(i) if is_client(&i.self_ty)))
        .count();
    assert_eq!(handles, tags, "one accessor on `Client` per tag");

    eprintln!(
        "{} bytes of document: {} files, {model_types} model types, {async_methods} operations, {} warnings",
        text.len(),
        generated.files.len(),
        generated.warnings.len()
    );
}

fn operations_in(document: &Value) -> usize {
    let methods = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    document["paths"]
        .as_object()
        .into_iter()
        .flat_map(|paths| paths.values())
        .map(|item| methods.iter().filter(|m| item.get(**m).is_some()).count())
        .sum()
}

/// The methods of every inherent impl except `Client`'s (which holds the accessors).
/// Whether a method's docs carry the "(operation `id`)" line the emitter writes for the plain
/// method of each operation.
fn names_an_operation(method: &syn::ImplItemFn) -> bool {
    method.attrs.iter().any(|attr| {
        attr.path().is_ident("doc") && attr.to_token_stream().to_string().contains("(operation `")
    })
}

fn methods_of(file: &syn::File) -> Vec<&syn::ImplItemFn> {
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Impl(block) if block.trait_.is_none() && !is_client(&block.self_ty) => {
                Some(block)
            }
            _ => None,
        })
        .flat_map(|block| &block.items)
        .filter_map(|item| match item {
            syn::ImplItem::Fn(method) => Some(method),
            _ => None,
        })
        .collect()
}

fn is_client(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(path) if path.path.segments.last().is_some_and(|s| s.ident == "Client"))
}
