//! The promise of the compatibility rules, checked by the compiler: PayPro's document with an enum value, a union variant, an optional field and optional parameters added generates a crate in which every test, example and benchmark that compiled before still compiles.
//!
//! Slow (a `cargo check` of a scratch crate with its own target directory, several minutes the
//! first time), so it is ignored by default: `cargo test -p xtask --test additions_compile --
//! --ignored`.

use generator::{Config, Input};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::process::Command;

/// spec/api.yaml with the additive edits the rules call minor.
fn edited_document() -> String {
    let root = xtask::workspace_root();
    let text = std::fs::read_to_string(root.join("spec/api.yaml")).expect("spec/api.yaml");
    let mut document = generator::load::load_document(&text, "spec/api.yaml").expect("loads");
    let schemas = document
        .pointer_mut("/components/schemas")
        .expect("components.schemas");
    // An optional response field.
    schemas["payment"]["properties"]["expires_at"] =
        json!({"type": "string", "format": "date-time", "description": "When it expires."});
    // A union variant: payouts become event payloads.
    schemas["event"]["properties"]["payload"]["oneOf"]
        .as_array_mut()
        .expect("payload oneOf")
        .push(json!({"$ref": "#/components/schemas/payout"}));
    // An enum value, in every schema that shares the `Locale` enum.
    add_locale(&mut document);
    // An optional query parameter, on an operation that has optional parameters and on one
    // that has none yet.
    for path in ["/payments", "/payments/{id}"] {
        document["paths"][path]["get"]["parameters"]
            .as_array_mut()
            .expect("parameters")
            .push(json!({"name": "expand", "in": "query", "schema": {"type": "string"}}));
    }
    serde_json::to_string_pretty(&document).expect("serializes")
}

fn add_locale(node: &mut Value) {
    match node {
        Value::Object(members) => {
            if let Some(Value::Array(values)) = members.get_mut("enum") {
                if values.contains(&json!("fr")) && values.contains(&json!("nl")) {
                    let at = values.len() - usize::from(values.contains(&Value::Null));
                    values.insert(at, json!("es"));
                }
            }
            members.values_mut().for_each(add_locale);
        }
        Value::Array(items) => items.iter_mut().for_each(add_locale),
        _ => {}
    }
}

#[test]
#[ignore = "slow: checks a whole generated crate; run with --ignored"]
fn additive_spec_edits_keep_every_test_and_example_compiling() {
    let root = xtask::workspace_root();
    let text = edited_document();
    let overlay = std::fs::read_to_string(root.join("spec/overlay.yaml")).expect("overlay");
    let generated = generator::generate(
        Input {
            text: &text,
            name: "edited spec/api.yaml",
        },
        Some(Input {
            text: &overlay,
            name: "spec/overlay.yaml",
        }),
        &Config::paypro(),
    )
    .expect("the edited document generates");
    let models = &generated.files["src/models.rs"];
    // The edits are really in the crate, so the check below cannot pass on an unchanged one.
    assert!(models.contains("pub expires_at:"));
    assert!(models.contains("Payout(::std::boxed::Box<Payout>)"));
    assert!(models.contains("/// `es`"));
    assert!(generated.files["src/resources.rs"].contains("expand"));

    // The crate's tests read ../fixtures, as in the repository.
    let scratch = std::env::temp_dir().join(format!("paypro-additions-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let krate = scratch.join("generated-client");
    for (path, contents) in &generated.files {
        let file = krate.join(path);
        std::fs::create_dir_all(file.parent().expect("parent")).expect("mkdir");
        std::fs::write(&file, contents).expect("write");
    }
    #[cfg(unix)]
    std::os::unix::fs::symlink(root.join("fixtures"), scratch.join("fixtures")).expect("symlink");
    // The workspace's lock file, so the check builds the versions the real crate uses.
    std::fs::copy(root.join("Cargo.lock"), krate.join("Cargo.lock")).expect("lock file");

    let target: PathBuf = root.join("target/additions-compile");
    let status = Command::new(env!("CARGO"))
        .args(["check", "--quiet", "--tests", "--examples", "--benches"])
        .current_dir(&krate)
        .env("CARGO_TARGET_DIR", &target)
        .status()
        .expect("run cargo check");
    assert!(
        status.success(),
        "the crate from the edited document does not compile its tests and examples ({})",
        krate.display()
    );
    let _ = std::fs::remove_dir_all(&scratch);
}
