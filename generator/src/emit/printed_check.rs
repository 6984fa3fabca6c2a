//! Test support for the text printers: printed text in, whether it is exactly what prettyplease prints for it and the same code as when printed without line breaks out.

use super::layout::tests::unbroken;
use crate::ir::{Group, Model, Operation, TypeDef, TypeId, TypeKind, TypeRef};
use std::path::{Path, PathBuf};

/// The models of PayPro's document, the construct specs and the corpus documents up to 1.5 MB
/// (the larger ones add time, not shapes), each with its file name.
pub fn sample_models() -> Result<Vec<(String, Model)>, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let corpus = root.join("../shared/openapi-corpus");
    let mut paths = vec![root.join("spec/api.yaml")];
    paths.extend(documents(&root.join("generator/tests/constructs")));
    paths.extend(documents(&corpus));
    paths.extend(documents(&corpus.join("v3_1")));
    let mut models = Vec::new();
    for path in &paths {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| format!("{name}: {e}"))?;
        // Construct specs that are meant to be refused have no model to print.
        if let Ok((model, _)) = crate::model(
            crate::Input {
                text: &text,
                name: &name,
            },
            None,
        ) {
            models.push((name, model));
        }
    }
    Ok(models)
}

/// A group named `type_name` (tag `t`) holding `operations`.
pub fn group_of(type_name: String, operations: Vec<Operation>) -> Group {
    Group {
        tag: "t".to_owned(),
        doc: None,
        type_name,
        accessor: "t".to_owned(),
        operations,
    }
}

/// Adds a type whose name is `length` + 1 letters to `model` and returns a reference to it,
/// for the tests that try every name length against the margin.
pub fn named_type_of_length(model: &mut Model, length: usize) -> TypeRef {
    let named = TypeRef::Named(TypeId(model.types.len()));
    model.types.push(TypeDef {
        name: format!("N{}", "x".repeat(length)),
        doc: None,
        origin: "#/x".to_owned(),
        kind: TypeKind::Alias(TypeRef::Any),
        in_request: false,
    });
    named
}

fn documents(folder: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(folder)
        .map(|entries| entries.flatten().map(|entry| entry.path()).collect())
        .unwrap_or_default();
    found.retain(|path| {
        path.extension()
            .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
            && std::fs::metadata(path).is_ok_and(|m| m.len() <= 1_500_000)
    });
    found.sort();
    found
}

/// Whether `text` parses, is exactly what prettyplease prints for it, and is the same code as
/// `print` makes when nothing but hard breaks may break a line. The last check is what catches
/// a break that changes the code (a closure body wrapped in braces): prettyplease re-prints
/// whatever code it is given, so the first two cannot. The two are compared as prettyplease
/// prints them, since a broken list gains a trailing comma.
pub fn check(text: &str, print: impl FnOnce() -> String) -> Result<(), String> {
    let file = syn::parse_file(text).map_err(|e| format!("does not parse: {e}\n{text}"))?;
    let expected = prettyplease::unparse(&file);
    if text != expected {
        return Err(format!(
            "printed differently from prettyplease: {}",
            first_difference(text, &expected)
        ));
    }
    let flat = unbroken(print);
    let flat_file = syn::parse_file(&flat).map_err(|e| format!("{e}\n{flat}"))?;
    let flat = prettyplease::unparse(&flat_file);
    if expected != flat {
        return Err(format!(
            "breaking lines changed the code: {}",
            first_difference(&expected, &flat)
        ));
    }
    Ok(())
}

/// Where two texts part, with a few lines of each from there.
fn first_difference(printed: &str, expected: &str) -> String {
    let printed: Vec<&str> = printed.lines().collect();
    let expected: Vec<&str> = expected.lines().collect();
    let at = printed
        .iter()
        .zip(&expected)
        .position(|(a, b)| a != b)
        .unwrap_or(printed.len().min(expected.len()));
    let from = at.saturating_sub(2);
    format!(
        "line {at}:\n--- printed\n{}\n--- expected\n{}",
        printed[from..printed.len().min(at + 4)].join("\n"),
        expected[from..expected.len().min(at + 4)].join("\n")
    )
}
