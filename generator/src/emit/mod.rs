//! Emit stage: the [`Model`] in, the generated crate's files (formatted, each with its header) out, one at a time.

mod format;
mod layout;
mod methods;
mod models;
mod params;
#[cfg(test)]
mod printed_check;
mod resources;
mod syntax;
mod testing;
mod text;
pub(crate) mod tokens;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::ir::Model;
use crate::output::{FileSink, cannot_write, hand_over};
use crate::templates;
use format::format_file;
use std::collections::BTreeMap;

/// Builds every file of the crate, path → contents. Errors here are generator bugs (a template
/// or token slip) and are reported as such rather than written out.
pub fn emit(model: &Model, config: &Config) -> Result<BTreeMap<String, String>, Diagnostic> {
    let mut files = BTreeMap::new();
    emit_into(model, config, &mut files)?;
    Ok(files)
}

/// Builds every file of the crate, handing each to `sink` as soon as it is formatted, so that
/// only one file's text is held at a time.
pub fn emit_into(
    model: &Model,
    config: &Config,
    sink: &mut dyn FileSink,
) -> Result<(), Diagnostic> {
    let header = config.header();
    let rust_header = format!("// {header}\n");
    let models = models::models_file(model);
    stream_file(sink, "src/models.rs", &rust_header, model, models)?;
    let group_units = resources::group_units(model);
    let resources = resources::resources_file(&group_units);
    stream_file(sink, "src/resources.rs", &rust_header, model, resources)?;
    let mocks = testing::mocks_file(&group_units);
    stream_file(sink, "src/mocks.rs", &rust_header, model, mocks)?;

    let mut put = |path: &str, contents: String| hand_over(sink, path, contents);

    let context = templates::context(model, config);
    let lib = templates::render("lib.rs.j2", &context)?;
    let lib = reformat_rust_text("src/lib.rs", &lib)?;
    put("src/lib.rs", format!("{rust_header}{lib}"))?;
    put("Cargo.toml", templates::render("Cargo.toml.j2", &context)?)?;
    put("README.md", templates::render("README.md.j2", &context)?)?;
    // prettyplease formats this crate and `generate --check` guards it; rustfmt would only
    // fight it, so `cargo fmt --all` is told to leave the folder alone.
    put(
        "rustfmt.toml",
        format!(
            "# {header}\n# Formatting is the generator's (prettyplease); rustfmt leaves it alone.\ndisable_all_formatting = true\n"
        ),
    )?;

    // Runtime and PayPro sources are constants compiled into the generator, so whether they
    // parse is settled once by `tests::every_static_rust_source_parses`, not on every run:
    // parsing their ~6,000 lines took a third of `generate()` (docs/PERFORMANCE.md).
    for (name, source) in templates::runtime_files(model, config) {
        put(&format!("src/{name}"), format!("{rust_header}{source}"))?;
    }
    if config.paypro_extras {
        for (path, source) in templates::PAYPRO_FILES {
            if path.ends_with(".rs") {
                put(path, format!("{rust_header}{source}"))?;
            } else {
                put(path, (*source).to_owned())?;
            }
        }
    }
    Ok(())
}

/// Formats a file that grows with the document and hands it to `sink` in parts, as they are
/// formatted.
fn stream_file<T: Sync>(
    sink: &mut dyn FileSink,
    path: &str,
    header: &str,
    model: &Model,
    file: format::RustFile<'_, T>,
) -> Result<(), Diagnostic> {
    let mut parts = sink
        .begin(path)
        .map_err(|reason| cannot_write(path, reason))?;
    format_file(path, header, model, file, parts.as_mut())?;
    parts.end().map_err(|reason| cannot_write(path, reason))
}

fn reformat_rust_text(path: &str, text: &str) -> Result<String, Diagnostic> {
    let file = syn::parse_file(text).map_err(|error| bug(path, &error))?;
    Ok(prettyplease::unparse(&file))
}

fn bug(path: &str, error: &syn::Error) -> Diagnostic {
    Diagnostic::error(
        "",
        format!(
            "generator bug: the code for {path} does not parse ({error}); please report it with the spec"
        ),
    )
}

/// A model with no types and no operations, for tests of what every crate gets.
#[cfg(test)]
fn empty_model() -> Model {
    Model {
        title: String::new(),
        description: None,
        version: String::new(),
        base_url: String::new(),
        types: Vec::new(),
        groups: Vec::new(),
        uses_list: true,
        type_names: Default::default(),
        schema_sites: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every runtime and PayPro source is emitted as written, so each must parse; a slip in
    /// `templates/` fails here, in the generator's own tests, before any crate is written.
    #[test]
    fn every_static_rust_source_parses() {
        let model = empty_model();
        let runtime = templates::runtime_files(&model, &Config::paypro());
        let paypro = templates::PAYPRO_FILES
            .iter()
            .filter(|(path, _)| path.ends_with(".rs"));
        for (path, source) in runtime.iter().chain(paypro) {
            if let Err(error) = syn::parse_file(source) {
                panic!("{}", bug(path, &error).message);
            }
        }
    }
}
