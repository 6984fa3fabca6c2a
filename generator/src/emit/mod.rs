//! Emit stage: the [`Model`] in, the generated crate's files (path → contents, formatted, each with its header) out.

mod models;
mod resources;
mod tokens;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::ir::Model;
use crate::templates;
use std::collections::BTreeMap;

/// Builds every file of the crate. Errors here are generator bugs (a template or token slip)
/// and are reported as such rather than written out.
pub fn emit(model: &Model, config: &Config) -> Result<BTreeMap<String, String>, Diagnostic> {
    let mut files = BTreeMap::new();
    let header = config.header();
    let rust_header = format!("// {header}\n");

    let models = format_rust("src/models.rs", models::models_file(model))?;
    files.insert("src/models.rs".to_owned(), format!("{rust_header}{models}"));
    let resources = format_rust("src/resources.rs", resources::resources_file(model))?;
    files.insert(
        "src/resources.rs".to_owned(),
        format!("{rust_header}{resources}"),
    );

    let context = templates::context(model, config);
    let lib = templates::render("lib.rs.j2", &context)?;
    let lib = reformat_rust_text("src/lib.rs", &lib)?;
    files.insert("src/lib.rs".to_owned(), format!("{rust_header}{lib}"));
    files.insert(
        "Cargo.toml".to_owned(),
        templates::render("Cargo.toml.j2", &context)?,
    );
    files.insert(
        "README.md".to_owned(),
        templates::render("README.md.j2", &context)?,
    );
    // prettyplease formats this crate and `generate --check` guards it; rustfmt would only
    // fight it, so `cargo fmt --all` is told to leave the folder alone.
    files.insert("rustfmt.toml".to_owned(), format!("# {header}\n# Formatting is the generator's (prettyplease); rustfmt leaves it alone.\ndisable_all_formatting = true\n"));

    for (name, source) in templates::runtime_files(model, config) {
        check_rust(name, source)?;
        files.insert(format!("src/{name}"), format!("{rust_header}{source}"));
    }
    if config.paypro_extras {
        for (path, source) in templates::PAYPRO_FILES {
            if path.ends_with(".rs") {
                check_rust(path, source)?;
                files.insert((*path).to_owned(), format!("{rust_header}{source}"));
            } else {
                files.insert((*path).to_owned(), (*source).to_owned());
            }
        }
    }
    Ok(files)
}

fn format_rust(path: &str, tokens: proc_macro2::TokenStream) -> Result<String, Diagnostic> {
    let file = syn::parse2::<syn::File>(tokens).map_err(|error| bug(path, &error))?;
    Ok(prettyplease::unparse(&file))
}

fn reformat_rust_text(path: &str, text: &str) -> Result<String, Diagnostic> {
    let file = syn::parse_file(text).map_err(|error| bug(path, &error))?;
    Ok(prettyplease::unparse(&file))
}

/// Runtime sources are emitted as written, but must still parse, so a slip fails here.
fn check_rust(path: &str, text: &str) -> Result<(), Diagnostic> {
    syn::parse_file(text)
        .map(|_| ())
        .map_err(|error| bug(path, &error))
}

fn bug(path: &str, error: &syn::Error) -> Diagnostic {
    Diagnostic::error(
        "",
        format!(
            "generator bug: the code for {path} does not parse ({error}); please report it with the spec"
        ),
    )
}
