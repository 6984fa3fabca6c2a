//! One small spec per construct under `tests/constructs/`: each output is snapshotted (insta) and all of them are compiled together with `#![deny(warnings)]`.
//!
//! The snapshots pin what the generator emits for each construct; the compile test proves the
//! emitted code builds, warning-free, as users would build it. A construct may come with a
//! `<name>_wire.rs` test, which runs inside its generated crate against a local server.

use generator::{Config, Generated, Input};
use std::path::{Path, PathBuf};
use std::process::Command;

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every construct spec, generated, in name order.
fn corpus() -> Vec<(String, Generated)> {
    let dir = manifest_dir().join("tests/constructs");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/constructs exists")
        .map(|entry| entry.expect("readable entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    paths.sort();
    assert!(
        paths.len() >= 8,
        "the construct corpus shrank to {} specs",
        paths.len()
    );
    paths
        .into_iter()
        .map(|path| {
            let name = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default()
                .to_owned();
            let text = std::fs::read_to_string(&path).expect("readable spec");
            let label = format!(
                "tests/constructs/{}",
                path.file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or_default()
            );
            let config = Config::new(format!("construct_{name}"), label.clone());
            let generated = generator::generate(
                Input {
                    text: &text,
                    name: &label,
                },
                None,
                &config,
            )
            .unwrap_or_else(|problems| panic!("{label} does not generate:\n{problems}"));
            (name, generated)
        })
        .collect()
}

#[test]
fn construct_snapshots() {
    for (name, generated) in corpus() {
        let mut text = String::new();
        for warning in &generated.warnings {
            text.push_str(&format!("// {warning}\n"));
        }
        for file in ["src/models.rs", "src/resources.rs"] {
            text.push_str(&format!("// ===== {file}\n"));
            text.push_str(
                generated
                    .files
                    .get(file)
                    .map(String::as_str)
                    .unwrap_or("(missing)\n"),
            );
        }
        insta::assert_snapshot!(name.as_str(), text);
    }
}

fn write_crate(root: &Path, name: &str, generated: &Generated) {
    for (path, contents) in &generated.files {
        let target = root.join(name).join(path);
        std::fs::create_dir_all(target.parent().expect("file has a parent")).expect("create dir");
        let contents = if path == "src/lib.rs" {
            // After the header line: warnings in generated code are errors here.
            match contents.split_once('\n') {
                Some((header, rest)) => format!("{header}\n#![deny(warnings)]\n{rest}"),
                None => contents.clone(),
            }
        } else {
            contents.clone()
        };
        std::fs::write(&target, contents).expect("write file");
    }
}

/// A scratch workspace at `target/<dir>` holding `crates` as members, with the workspace's lock
/// file so versions match ours.
fn scratch_workspace(dir: &str, crates: &[(String, &Generated)]) -> PathBuf {
    let workspace = manifest_dir().join("..");
    let root = workspace.join("target").join(dir);
    let _ = std::fs::remove_dir_all(root.join("crates"));
    std::fs::create_dir_all(root.join("crates")).expect("create scratch workspace");
    for (name, generated) in crates {
        write_crate(&root.join("crates"), name, generated);
    }
    let members: Vec<String> = crates
        .iter()
        .map(|(name, _)| format!("\"crates/{name}\""))
        .collect();
    std::fs::write(
        root.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .expect("write workspace manifest");
    if let Ok(lock) = std::fs::read(workspace.join("Cargo.lock")) {
        std::fs::write(root.join("Cargo.lock"), lock).expect("copy lock file");
    }
    root
}

/// Runs cargo with `args` in a scratch workspace (its own target directory); stderr on failure.
fn cargo_in(root: &Path, args: &[&str]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(args)
        .current_dir(root)
        // The target folder every scratch build of the workspace shares (corpus, conformance,
        // the external app), so the dependencies are built once.
        .env("CARGO_TARGET_DIR", manifest_dir().join("../target/scratch"))
        .env_remove("RUSTFLAGS")
        .output()
        .expect("run cargo");
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// Appends an optional query parameter to every operation, as a later version of a document
/// might: callers written for the original must still compile and send the same requests.
const ADD_OPTIONAL_PARAMETER: &str = r#"
overlay: 1.0.0
info: {title: a parameter added later, version: "1"}
actions:
  - target: $.paths.*.get.parameters
    update: {name: added_later, in: query, schema: {type: string}}
"#;

/// Each construct's `<name>_wire.rs`, run as a test of its generated crate: what the generated
/// methods put on the wire, checked against a local server. The same test also runs against
/// the crate generated after [`ADD_OPTIONAL_PARAMETER`], which proves that change additive.
#[test]
fn construct_wire_tests_pass() {
    let dir = manifest_dir().join("tests/constructs");
    let mut crates: Vec<(String, Generated, String)> = Vec::new();
    for (name, generated) in corpus() {
        let test_path = dir.join(format!("{name}_wire.rs"));
        let Ok(test) = std::fs::read_to_string(&test_path) else {
            continue;
        };
        let label = format!("tests/constructs/{name}.yaml");
        let text =
            std::fs::read_to_string(dir.join(format!("{name}.yaml"))).expect("readable spec");
        let later_name = format!("{name}_added");
        let later = generator::generate(
            Input {
                text: &text,
                name: &label,
            },
            Some(Input {
                text: ADD_OPTIONAL_PARAMETER,
                name: "ADD_OPTIONAL_PARAMETER",
            }),
            &Config::new(format!("construct_{later_name}"), label.clone()),
        )
        .unwrap_or_else(|problems| panic!("{label} with a parameter added:\n{problems}"));
        // The later crate is named apart; the test reaches it under the original's name
        // (the alias goes after the test's inner doc comment, which must come first).
        let doc_end = test
            .lines()
            .take_while(|line| line.starts_with("//!"))
            .map(|line| line.len() + 1)
            .sum::<usize>()
            .min(test.len());
        let (doc, rest) = test.split_at(doc_end);
        let aliased =
            format!("{doc}\nextern crate construct_{later_name} as construct_{name};\n{rest}");
        crates.push((later_name, later, aliased));
        crates.push((name, generated, test));
    }
    assert!(!crates.is_empty(), "no construct has a wire test any more");
    let members: Vec<(String, &Generated)> = crates
        .iter()
        .map(|(name, generated, _)| (name.clone(), generated))
        .collect();
    let root = scratch_workspace("constructs-wire", &members);
    for (name, _, test) in &crates {
        let target = root.join("crates").join(name).join("tests/wire.rs");
        std::fs::create_dir_all(target.parent().expect("has a parent")).expect("create tests dir");
        std::fs::write(&target, test).expect("write wire test");
    }
    // The tests use wiremock, which a generated crate has only behind its `testing` feature.
    let args = [
        "test",
        "--workspace",
        "--features",
        "testing",
        "--test",
        "wire",
        "--quiet",
    ];
    if let Err(output) = cargo_in(&root, &args) {
        panic!("construct wire tests failed:\n{output}");
    }
}

/// All outputs as members of one scratch workspace, checked in one cargo run so the
/// dependencies are built once. The lock file is the workspace's, so versions match ours.
#[test]
fn construct_outputs_compile_without_warnings() {
    let corpus = corpus();
    let crates: Vec<(String, &Generated)> = corpus
        .iter()
        .map(|(name, generated)| (name.clone(), generated))
        .collect();
    let root = scratch_workspace("constructs-check", &crates);
    let args = [
        "check",
        "--workspace",
        "--lib",
        // The emitted mock builders (`testing`) must compile for every construct too.
        "--features",
        "testing",
        "--quiet",
        "--message-format=short",
    ];
    if let Err(output) = cargo_in(&root, &args) {
        panic!("generated construct crates do not compile cleanly:\n{output}");
    }
}
