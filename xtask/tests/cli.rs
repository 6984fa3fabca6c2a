//! The `xtask generate` command as a maintainer runs it: a broken spec exits non-zero with located errors and writes nothing; a good one writes a crate.

use std::path::{Path, PathBuf};
use std::process::Command;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn run(args: &[&str]) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .expect("run xtask");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// `xtask generate --spec SPEC --out OUT`, then `extra`.
fn generate(spec: &Path, out: &Path, extra: &[&str]) -> (bool, String) {
    let (spec, out) = (spec.to_string_lossy(), out.to_string_lossy());
    let mut args = vec!["generate", "--spec", &spec, "--out", &out];
    args.extend_from_slice(extra);
    run(&args)
}

#[test]
fn a_broken_spec_fails_with_pointers_and_writes_nothing() {
    let dir = scratch("broken");
    let spec = dir.join("spec.yaml");
    std::fs::write(
        &spec,
        r##"openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    get:
      operationId: same
      responses: {"200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/missing"}}}}}
  /b:
    get:
      operationId: same
      responses: {"200": {description: ok}}
"##,
    )
    .expect("write spec");
    let out = dir.join("out");
    let (ok, stderr) = run(&[
        "generate",
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(!ok, "a broken spec must exit non-zero");
    assert!(
        stderr.contains("error at /paths/~1a/get/responses/200/content/application~1json/schema/$ref (operation same)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("error at /paths/~1b/get/operationId (operation same)"),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing may be written on failure");
    assert!(
        !dir.join(".out.generating").exists(),
        "the files handed over before the failure are not left behind"
    );
}

/// The generator hands `openapi.json` over before it validates the document; a crate already
/// in place must still come through a failed run byte for byte.
#[test]
fn a_failed_run_leaves_the_existing_crate_as_it_was() {
    let dir = scratch("keeps");
    let spec = dir.join("spec.yaml");
    let good = "openapi: 3.0.3\ninfo: {title: t, version: \"1\"}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses: {\"200\": {description: ok}}\n";
    std::fs::write(&spec, good).expect("write spec");
    let out = dir.join("out");
    let (ok, stderr) = generate(&spec, &out, &[]);
    assert!(ok, "{stderr}");
    let before = std::fs::read(out.join("openapi.json")).expect("openapi.json written");

    // Loads and normalizes (so openapi.json is made), then fails validation.
    let broken = good.replace(
        "responses: {\"200\": {description: ok}}",
        "responses: {\"200\": {$ref: \"#/components/responses/missing\"}}",
    );
    std::fs::write(&spec, broken).expect("write spec");
    let (ok, stderr) = generate(&spec, &out, &[]);
    assert!(!ok, "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(
        std::fs::read(out.join("openapi.json")).expect("openapi.json kept"),
        before
    );
    assert!(!dir.join(".out.generating").exists());
}

#[test]
fn unreadable_yaml_names_the_line() {
    let dir = scratch("yaml");
    let spec = dir.join("spec.yaml");
    std::fs::write(&spec, "openapi: 3.0.3\ninfo: [unclosed\n").expect("write spec");
    let (ok, stderr) = run(&[
        "generate",
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        dir.join("out").to_str().unwrap(),
    ]);
    assert!(!ok);
    assert!(
        stderr.contains("line 3") || stderr.contains("line 2"),
        "{stderr}"
    );
}

#[test]
fn any_document_generates_a_crate() {
    let dir = scratch("good");
    let spec = dir.join("spec.json");
    std::fs::write(
        &spec,
        r#"{"openapi": "3.0.3", "info": {"title": "Tiny", "version": "1"}, "servers": [{"url": "https://tiny.example"}],
            "paths": {"/items": {"get": {"operationId": "listItems", "responses": {"200": {"description": "ok",
            "content": {"application/json": {"schema": {"type": "array", "items": {"type": "string"}}}}}}}}}}"#,
    )
    .expect("write spec");
    let out = dir.join("out");
    let (ok, stderr) = run(&[
        "generate",
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--crate-name",
        "tiny",
    ]);
    assert!(ok, "{stderr}");
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).expect("manifest written");
    assert!(manifest.contains("name = \"tiny\""), "{manifest}");
    // Only what this crate uses: no webhook signing, no pagination streams.
    for unused in ["hmac", "sha2", "hex", "futures-core", "futures-util"] {
        assert!(!manifest.contains(unused), "{unused} in:\n{manifest}");
    }
    for feature in [
        "rustls = [",
        "native-tls = [",
        "testing = [\"dep:wiremock\"]",
    ] {
        assert!(
            manifest.contains(feature),
            "{feature} missing from:\n{manifest}"
        );
    }
    assert!(!manifest.contains("publish = false"), "{manifest}");
    assert!(
        out.join("src/resources.rs").exists()
            && !out.join("src/webhooks.rs").exists()
            && !out.join("src/list.rs").exists()
    );
    let (ok, stderr) = run(&[
        "generate",
        "--check",
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--crate-name",
        "tiny",
    ]);
    assert!(ok, "a fresh crate passes --check: {stderr}");
    std::fs::write(out.join("src/extra.rs"), "// stray").expect("write stray file");
    let (ok, stderr) = run(&[
        "generate",
        "--check",
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--crate-name",
        "tiny",
    ]);
    assert!(!ok && stderr.contains("extra"), "{stderr}");
}

#[test]
fn an_overlay_whose_target_matches_nothing_fails_and_names_the_action() {
    let dir = scratch("overlay");
    let spec = dir.join("spec.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.0.3\ninfo: {title: t, version: \"1\"}\npaths: {}\ncomponents:\n  schemas:\n    Pet: {type: object, properties: {name: {type: string}}}\n",
    )
    .expect("write spec");
    let overlay = dir.join("overlay.yaml");
    std::fs::write(
        &overlay,
        "overlay: 1.0.0\ninfo: {title: fixes, version: \"1\"}\nactions:\n  - target: $.components.schemas.Cat\n    description: rename Cat\n    update: {title: Cat}\n",
    )
    .expect("write overlay");
    let out = dir.join("out");
    let (ok, stderr) = run(&[
        "generate",
        "--spec",
        spec.to_str().unwrap(),
        "--overlay",
        overlay.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(!ok, "a failing overlay must exit non-zero");
    assert!(
        stderr.contains("error at /actions/0/target (overlay action 0: rename Cat): target `$.components.schemas.Cat` matches nothing"),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing may be written on failure");
}

#[test]
fn strict_turns_a_defect_warning_into_an_error() {
    let dir = scratch("strict");
    let spec = dir.join("spec.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.0.3\ninfo: {title: t, version: \"1\"}\npaths:\n  /a/{id}:\n    get:\n      operationId: getA\n      responses: {\"200\": {description: ok}}\n",
    )
    .expect("write spec");
    let out = dir.join("out");
    let (ok, stderr) = generate(&spec, &out, &[]);
    assert!(ok, "{stderr}");
    assert!(
        stderr.contains("warning at /paths/~1a~1{id}/get/parameters (operation getA): path parameter `id` in `/a/{id}` is not declared; read as a required string path parameter"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&out);
    let (ok, stderr) = generate(&spec, &out, &["--strict"]);
    assert!(!ok, "--strict must fail on a defect");
    assert!(
        stderr.contains("error at /paths/~1a~1{id}/get/parameters (operation getA): path parameter `id` in `/a/{id}` is not declared; add `{name: id, in: path"),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing may be written on failure");
}

#[test]
fn corpus_generate_only_reads_a_corpus_folder_and_prints_the_table() {
    let dir = scratch("corpus");
    std::fs::write(
        dir.join("tiny.yaml"),
        "openapi: 3.0.3\ninfo: {title: t, version: \"1\"}\npaths: {}\n",
    )
    .expect("write spec");
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["corpus", "--generate-only", "--dir", dir.to_str().unwrap()])
        .args(["--scratch", dir.join("scratch").to_str().unwrap()])
        .output()
        .expect("run xtask");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(stdout.contains("| tiny.yaml | "), "{stdout}");
    assert!(stdout.contains("1/1 documents generate"), "{stdout}");
    assert!(dir.join("scratch/crates/tiny/src/lib.rs").exists());
}
