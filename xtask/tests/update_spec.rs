//! `update-spec` against a loopback HTTP server the test starts: a 404, a timeout, an HTML page and a huge body change nothing; a good document is written with its source record, the crate is regenerated and `--bump` writes the next version. The root is a scratch copy, never the real `spec/`.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::time::Duration;
use xtask::fetch::Limits;
use xtask::update_spec::{Options, UpdateError, update_spec};

/// Serves fixed answers by path on 127.0.0.1 until the test process ends.
fn serve(good_document: String) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let address = listener.local_addr().expect("local address");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let good = good_document.clone();
            std::thread::spawn(move || answer(stream, &good));
        }
    });
    format!("http://{address}")
}

fn answer(mut stream: TcpStream, good: &str) {
    let mut request_line = String::new();
    let mut reader = BufReader::new(stream.try_clone().expect("clone the stream"));
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    // Skip the headers.
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
        line.clear();
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("/");
    let (status, content_type, body) = match path {
        "/missing.yaml" => ("404 Not Found", "text/plain", "no such file".to_owned()),
        "/slow.yaml" => {
            std::thread::sleep(Duration::from_secs(5));
            ("200 OK", "application/yaml", good.to_owned())
        }
        "/page.html" => (
            "200 OK",
            "text/html",
            "<!DOCTYPE html>\n<html><head><title>PayPro docs</title></head><body>Sign in</body></html>\n"
                .to_owned(),
        ),
        "/huge.yaml" => ("200 OK", "application/yaml", "# padding\n".repeat(200_000)),
        "/api.yaml" => ("200 OK", "application/yaml", good.to_owned()),
        _ => ("404 Not Found", "text/plain", String::new()),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body.as_bytes());
}

/// A scratch root holding copies of this repository's spec/api.yaml and spec/overlay.yaml.
fn scratch_root(name: &str) -> PathBuf {
    let root =
        std::env::temp_dir().join(format!("xtask-update-spec-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("spec")).expect("scratch spec dir");
    let real = xtask::workspace_root();
    for file in ["api.yaml", "overlay.yaml"] {
        std::fs::copy(real.join("spec").join(file), root.join("spec").join(file))
            .expect("copy spec");
    }
    root
}

/// Every file under `root` with its bytes, to show that nothing changed.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.insert(path.clone(), std::fs::read(&path).expect("read file"));
            }
        }
    }
    files
}

fn options(root: &Path, from: String, bump: bool) -> Options {
    Options {
        root: root.to_path_buf(),
        from,
        bump,
        limits: Limits {
            timeout: Duration::from_secs(1),
            max_bytes: 1024 * 1024,
        },
    }
}

/// The current document with one optional response field added: a minor change.
fn edited_document() -> String {
    let current =
        std::fs::read_to_string(xtask::workspace_root().join("spec/api.yaml")).expect("spec");
    let anchor = "    payment:\n      type: object\n";
    assert_eq!(
        current.matches(anchor).count(),
        1,
        "the payment schema moved"
    );
    let edited = current.replacen(
        "    payment:\n      type: object\n",
        "    payment:\n      type: object\n      x-test-marker: edited\n",
        1,
    );
    // The field goes under the payment's properties, found from the marker.
    let marker = "      x-test-marker: edited\n";
    let start = edited.find(marker).expect("marker") + marker.len();
    let properties = start
        + edited[start..]
            .find("      properties:\n")
            .expect("properties")
        + "      properties:\n".len();
    let mut text = edited.clone();
    text.insert_str(
        properties,
        "        expires_at:\n          type: string\n          format: date-time\n          description: When the payment expires.\n",
    );
    text
}

#[test]
fn bad_downloads_change_nothing() {
    let base = serve(edited_document());
    let root = scratch_root("bad");
    let before = snapshot(&root);
    for (path, expected) in [
        ("missing.yaml", "HTTP 404"),
        ("slow.yaml", "cannot download"),
        ("page.html", "not an OpenAPI 3 document"),
        ("huge.yaml", "larger than"),
    ] {
        let error = update_spec(&options(&root, format!("{base}/{path}"), true))
            .err()
            .unwrap_or_else(|| panic!("{path} was accepted"));
        assert!(
            matches!(
                error,
                UpdateError::Fetch(_) | UpdateError::NotOpenApi { .. }
            ),
            "{path}: {error}"
        );
        assert!(error.to_string().contains(expected), "{path}: {error}");
        assert_eq!(snapshot(&root), before, "{path} changed the scratch root");
    }
}

#[test]
fn a_good_document_is_written_recorded_and_generated() {
    let good = edited_document();
    let base = serve(good.clone());
    let root = scratch_root("good");
    std::fs::write(root.join("spec/VERSION"), "0.3.1\n").expect("version");
    let updated = update_spec(&options(&root, format!("{base}/api.yaml"), true)).expect("update");

    assert_eq!(
        std::fs::read_to_string(root.join("spec/api.yaml")).expect("api"),
        good
    );
    let record = std::fs::read_to_string(root.join("spec/api.yaml.source")).expect("record");
    assert!(
        record.contains(&format!("source: {base}/api.yaml")),
        "{record}"
    );
    assert!(record.contains("date: 20"), "{record}");
    let sha = record
        .lines()
        .find_map(|l| l.strip_prefix("sha256: "))
        .expect("a sha256 line");
    assert_eq!(sha.len(), 64);

    let text = updated.describe();
    assert!(
        text.contains("`paypro::models::Payment::expires_at`"),
        "{text}"
    );
    assert!(text.ends_with("semver: minor\n"), "{text}");
    assert_eq!(
        updated.version,
        Some(("0.3.1".to_owned(), "0.3.2".to_owned()))
    );
    assert_eq!(
        std::fs::read_to_string(root.join("spec/VERSION")).expect("version"),
        "0.3.2\n"
    );

    let models =
        std::fs::read_to_string(root.join("generated-client/src/models.rs")).expect("models");
    assert!(models.contains("pub expires_at:"));
    let manifest =
        std::fs::read_to_string(root.join("generated-client/Cargo.toml")).expect("manifest");
    assert!(manifest.contains("version = \"0.3.2\""), "{manifest}");
}
