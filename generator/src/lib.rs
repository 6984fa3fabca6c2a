//! An OpenAPI-to-Rust client generator: a document (and an optional Overlay) in, the crate's files out, as a map of path to contents ([`generate`]) or handed over one by one as they are made ([`generate_into`]).
//!
//! The stages run one way: [`load`] → [`overlay`] → [`normalize`] → [`parse`] → [`validate`] →
//! [`lower`] (into the [`ir`]) → emit → format. Nothing here touches the file system; `xtask`
//! reads the inputs (through [`Source`]) and writes (or checks) the files (through
//! [`FileSink`]).

pub mod compare;
pub mod compat;
pub mod config;
pub mod conformance;
pub mod diagnostics;
pub mod emit;
pub mod ir;
pub mod load;
pub mod lookup;
pub mod lower;
pub mod memory;
pub mod naming;
pub mod normalize;
pub mod output;
pub mod overlay;
mod parallel;
pub mod parse;
mod pretty_json;
#[cfg(test)]
mod real_documents;
pub mod schema;
mod templates;
pub mod validate;

pub use config::Config;
pub use diagnostics::{Diagnostic, Diagnostics, Severity};
pub use output::{FileParts, FileSink};
pub use templates::known_files;

use std::borrow::Cow;
use std::collections::BTreeMap;

/// The keys of a path item that hold operations, in the order `openapiv3::PathItem::iter` lists
/// them (every stage walks operations in this one order, so their diagnostics come out alike).
pub(crate) const OPERATION_METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One input document: its text and the name to use for it in messages.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    pub text: &'a str,
    pub name: &'a str,
}

/// A document the generator reads when it needs it, so that its text need not be held for the
/// whole run: [`generate_into`] reads it once to load it and drops the text there, and reads
/// it a second time only when the typed parse refuses the document and a slower parse has to
/// say where.
pub trait Source: Sync {
    /// The name to use for the document in messages.
    fn name(&self) -> &str;
    /// The document's text, or why it cannot be read.
    fn text(&self) -> Result<Cow<'_, str>, String>;
}

impl Source for Input<'_> {
    fn name(&self) -> &str {
        self.name
    }

    fn text(&self) -> Result<Cow<'_, str>, String> {
        Ok(Cow::Borrowed(self.text))
    }
}

/// What a successful run produced: the files, and what it could not model exactly.
#[derive(Debug, Clone)]
pub struct Generated {
    /// Path relative to the crate root → contents.
    pub files: BTreeMap<String, String>,
    pub warnings: Vec<Diagnostic>,
}

/// Runs the whole pipeline, holding every file in memory. On failure every problem found is
/// returned, each with its location.
pub fn generate(
    spec: Input<'_>,
    overlay: Option<Input<'_>>,
    config: &Config,
) -> Result<Generated, Diagnostics> {
    let mut files = BTreeMap::new();
    let warnings = generate_into(&spec, overlay, config, &mut files)?;
    Ok(Generated { files, warnings })
}

/// Runs the whole pipeline, handing each file to `sink` as soon as it is made (the crate's
/// `openapi.json` before the document is even parsed), and returns the warnings. A big
/// document's output is several times its size, so a caller that writes files as they come
/// never holds all of them (docs/PERFORMANCE.md).
///
/// On failure every problem found is returned, each with its location; `sink` may have
/// received some files by then, and those are not a usable crate, so a caller that writes
/// them should keep them apart until this returns `Ok`.
pub fn generate_into(
    spec: &dyn Source,
    overlay: Option<Input<'_>>,
    config: &Config,
    sink: &mut dyn FileSink,
) -> Result<Vec<Diagnostic>, Diagnostics> {
    // Reading, parsing and lowering run on one thread with the parser's stack: the typed parse
    // frees the document value as it reads it, and glibc hands freed memory to new allocations
    // of the thread (arena) that made it, so the value is read on the thread that parses it.
    let front = parse::on_parser_stack(|| front_half(spec, overlay, config, &mut *sink))?;
    emit::emit_into(&front.model, config, sink)?;
    let warnings = Diagnostics(front.warnings)
        .with_owners_from(&front.owners)
        .0;
    Ok(warnings)
}

/// What emitting needs from the stages before it.
struct Front {
    model: ir::Model,
    owners: diagnostics::OperationIds,
    warnings: Vec<Diagnostic>,
}

/// The document loaded, overlaid and normalized, with normalize's warnings.
fn read_document(
    spec: &dyn Source,
    overlay: Option<Input<'_>>,
) -> Result<(serde_json::Value, Vec<Diagnostic>), Diagnostics> {
    let text = spec
        .text()
        .map_err(|error| Diagnostic::error("", format!("cannot read {}: {error}", spec.name())))?;
    // Only the value is kept: the text is dropped as soon as it is loaded.
    let mut document = load::load_document(&text, spec.name())?;
    drop(text);
    if let Some(overlay) = overlay {
        let overlay_document = load::load_document(overlay.text, overlay.name)
            .map_err(|d| d.in_context(overlay.name.to_owned()))?;
        overlay::apply(&mut document, &overlay_document)?;
    }
    let warnings = normalize::normalize(&mut document);
    Ok((document, warnings))
}

/// Load to lower; runs on the parser's stack.
fn front_half(
    spec: &dyn Source,
    overlay: Option<Input<'_>>,
    config: &Config,
    sink: &mut dyn FileSink,
) -> Result<Front, Diagnostics> {
    let (document, mut warnings) = read_document(spec, overlay)?;
    // Everything that needs the document as written runs now, because the parse takes it. It
    // only reads it, so the work is split over two threads, about even on big documents: the
    // components' shape check and the document as the client sees it (overlay applied; the
    // crate's `openapi.json`) on a second thread; the rest of the shape check, the reference
    // checks and the operations' owners here.
    let components_and_effective = || {
        let components = parse::check_components(&document);
        (components, effective_document(&document, config))
    };
    let the_rest = || {
        let outside_components = parse::check_outside_components(&document);
        let owners = diagnostics::OperationIds::of(&document);
        (
            outside_components,
            owners,
            validate::validate_document(&document),
        )
    };
    let ((components, effective), (outside_components, owners, mut problems)) =
        parallel::both("openapi-checks", components_and_effective, the_rest);
    let shape = parse::joined_checks(outside_components, components);
    let mut effective = effective?;
    effective.push('\n');
    output::hand_over(sink, "openapi.json", effective)?;
    shape.map_err(|d| d.with_owners_from(&owners))?;
    let reread = || read_document(spec, overlay).map(|(document, _)| document);
    let parsed = parse::parse_checked_owned_here(document, reread)
        .map_err(|d| d.with_owners_from(&owners))?;
    problems.0.extend(validate::validate_parsed(&parsed.api).0);
    let mut problems = problems.with_owners_from(&owners);
    problems.0.splice(0..0, std::mem::take(&mut warnings));
    if config.strict {
        problems = problems.strictly();
    }
    if problems.has_errors() {
        return Err(problems.with_owners_from(&owners));
    }
    warnings.extend(problems.0);
    let (model, lowering) = lower::lower_owned(parsed, lower::Sites::Skip);
    memory::release_freed_memory();
    let lowering = Diagnostics(lowering).with_owners_from(&owners);
    let (errors, lowering_warnings): (Vec<_>, Vec<_>) =
        lowering.0.into_iter().partition(Diagnostic::is_error);
    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }
    warnings.extend(lowering_warnings);
    Ok(Front {
        model,
        owners,
        warnings,
    })
}

/// The document as the client sees it (overlay applied, normalized) as pretty JSON, with the
/// generated-file header as its first member: the crate's `openapi.json`, without its final
/// newline. Printed as `serde_json::to_string_pretty` prints it ([`pretty_json`]).
pub fn effective_document(
    document: &serde_json::Value,
    config: &Config,
) -> Result<String, Diagnostic> {
    Ok(pretty_json::with_header(&config.header(), document))
}

/// Parses and lowers a document without emitting, for tools and tests that inspect the IR.
pub fn model(
    spec: Input<'_>,
    overlay: Option<Input<'_>>,
) -> Result<(ir::Model, Vec<Diagnostic>), Diagnostics> {
    let mut document = load::load_document(spec.text, spec.name)?;
    if let Some(overlay) = overlay {
        let overlay_document = load::load_document(overlay.text, overlay.name)?;
        overlay::apply(&mut document, &overlay_document)?;
    }
    let mut warnings = normalize::normalize(&mut document);
    let api = parse::parse_document(&document)?;
    let problems = validate::validate(&document, &api);
    if problems.has_errors() {
        return Err(problems);
    }
    warnings.extend(problems.0);
    let (model, lowering) = lower::lower(&api, lower::Sites::Record);
    warnings.extend(lowering);
    Ok((model, warnings))
}
