//! One small spec per construct under `tests/constructs/`: each output is snapshotted (insta) and all of them are compiled together with `#![deny(warnings)]`.
//!
//! The snapshots pin what the generator emits for each construct; the compile test proves the
//! emitted code builds, warning-free, as users would build it.

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

/// All outputs as members of one scratch workspace, checked in one cargo run so the
/// dependencies are built once. The lock file is the workspace's, so versions match ours.
#[test]
fn construct_outputs_compile_without_warnings() {
    let workspace = manifest_dir().join("..");
    let root = workspace.join("target/constructs-check");
    let _ = std::fs::remove_dir_all(root.join("crates"));
    let crates = root.join("crates");
    std::fs::create_dir_all(&crates).expect("create scratch workspace");
    let corpus = corpus();
    let members: Vec<String> = corpus
        .iter()
        .map(|(name, _)| format!("\"crates/{name}\""))
        .collect();
    for (name, generated) in &corpus {
        write_crate(&crates, name, generated);
    }
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
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args([
            "check",
            "--workspace",
            "--lib",
            // The emitted mock builders (`testing`) must compile for every construct too.
            "--features",
            "testing",
            "--quiet",
            "--message-format=short",
        ])
        .current_dir(&root)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .env_remove("RUSTFLAGS")
        .output()
        .expect("run cargo check");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "generated construct crates do not compile cleanly:\n{stderr}"
    );
}
