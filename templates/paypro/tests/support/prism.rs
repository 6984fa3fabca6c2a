//! Prism, the OpenAPI mock server, as a child process for the contract test in `prism.rs`:
//! found through `PRISM_BIN` or installed into `target/prism` with npm, started on a free
//! loopback port with `--errors` against the crate's `openapi.json`, and killed when dropped.

use std::io::{BufRead, BufReader, Read};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

const PRISM_PACKAGE: &str = "@stoplight/prism-cli@5";

/// A running Prism, killed when dropped, even when the test panics.
pub struct Prism {
    child: Child,
    address: SocketAddr,
    log: Arc<Mutex<String>>,
    /// The spec copy Prism serves, removed with it.
    spec: PathBuf,
}

impl Prism {
    /// Finds or installs Prism and starts it; panics, naming the cause, when it cannot.
    pub fn start() -> Prism {
        let bin = prism_bin();
        let spec = spec_for_prism();
        // Ask the OS for a free loopback port; Prism binds it a moment later.
        let address = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free loopback port");
        let child = Command::new(&bin)
            .args(["mock", "--errors", "-h", "127.0.0.1", "-p"])
            .arg(address.port().to_string())
            .arg(&spec)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start {}: {error}", bin.display()));
        let mut prism = Prism {
            child,
            address,
            log: Arc::default(),
            spec,
        };
        prism.collect_output();
        prism.wait_until_listening();
        prism
    }

    /// The base URL Prism serves on.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Copies Prism's output into `log` as it arrives, so failures can quote it.
    fn collect_output(&mut self) {
        let stdout = self
            .child
            .stdout
            .take()
            .map(|out| Box::new(out) as Box<dyn Read + Send>);
        let stderr = self
            .child
            .stderr
            .take()
            .map(|err| Box::new(err) as Box<dyn Read + Send>);
        for stream in [stdout, stderr].into_iter().flatten() {
            let log = Arc::clone(&self.log);
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    let mut log = log.lock().unwrap();
                    log.push_str(&line);
                    log.push('\n');
                }
            });
        }
    }

    fn wait_until_listening(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(40);
        while TcpStream::connect_timeout(&self.address, Duration::from_millis(200)).is_err() {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "Prism exited with {status} before listening:\n{}",
                    self.log_since(0)
                );
            }
            assert!(
                Instant::now() < deadline,
                "Prism did not listen on {} within 40 s:\n{}",
                self.address,
                self.log_since(0)
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn log_len(&self) -> usize {
        self.log.lock().unwrap().len()
    }

    pub fn log_since(&self, start: usize) -> String {
        self.log
            .lock()
            .unwrap()
            .get(start..)
            .unwrap_or_default()
            .to_owned()
    }

    /// Proves that this Prism rejects what breaks the spec: a request without a key, a query
    /// value out of range, and, for every operation that takes a body, a body that is not an
    /// object. A Prism that let these through would make the contract test pass without checking.
    pub async fn assert_validates_requests(&self, key: &str) {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .expect("HTTP client");
        let authorized = |method: reqwest::Method, path: &str| {
            http.request(method, format!("{}{path}", self.url()))
                .bearer_auth(key)
        };
        let mut probes = vec![
            (
                "no API key",
                http.get(format!("{}/payments/X1", self.url())),
                401,
            ),
            (
                "limit=0",
                authorized(reqwest::Method::GET, "/payments?limit=0"),
                422,
            ),
        ];
        let spec = read_spec();
        for (path, operations) in spec["paths"].as_object().expect("paths") {
            for (method, operation) in operations.as_object().expect("operations") {
                if operation.get("requestBody").is_some() {
                    let method: reqwest::Method = method.to_uppercase().parse().expect("method");
                    let request = authorized(method, &path.replace("{id}", "X1"))
                        .header("content-type", "application/json")
                        .body("[]");
                    probes.push(("a body that is not an object", request, 422));
                }
            }
        }
        assert!(
            probes.len() >= 2 + 14,
            "every operation with a body is probed"
        );
        for (what, request, expected) in probes {
            let request = request.build().expect("probe request");
            let label = format!("{} {} with {what}", request.method(), request.url().path());
            let status = http.execute(request).await.expect("Prism answers").status();
            assert_eq!(
                status.as_u16(),
                expected,
                "Prism accepted {label}, so it is not validating it (one known cause: \
                 stoplightio/prism#1931, see `spec_for_prism`)"
            );
        }
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        // Errors mean Prism is already gone, which is what this wants.
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.spec);
    }
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn spec_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi.json")
}

fn read_spec() -> Value {
    let path = spec_path();
    let bytes = std::fs::read(&path).unwrap_or_else(|error| {
        panic!(
            "cannot read {} ({error}); run `cargo xtask generate`",
            path.display()
        )
    });
    serde_json::from_slice(&bytes).expect("openapi.json is JSON")
}

/// `PRISM_BIN`, or Prism under `target/prism`, installed there with npm when missing.
fn prism_bin() -> PathBuf {
    if let Some(bin) = std::env::var_os("PRISM_BIN") {
        let bin = PathBuf::from(bin);
        assert!(
            bin.exists(),
            "PRISM_BIN names {}, which does not exist",
            bin.display()
        );
        return bin;
    }
    let prefix = workspace().join("target/prism");
    let bin = prefix.join("node_modules/.bin/prism");
    if !bin.exists() {
        install_prism(&prefix);
        assert!(
            bin.exists(),
            "npm installed {PRISM_PACKAGE}, but {} is missing",
            bin.display()
        );
    }
    bin
}

fn install_prism(prefix: &Path) {
    let output = Command::new("npm")
        .arg("install")
        .arg("--prefix")
        .arg(prefix)
        .arg(PRISM_PACKAGE)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|error| {
            panic!(
                "Prism is not installed and npm cannot be run ({error}). Install Node.js and npm, \
                 or set PRISM_BIN to a prism executable."
            )
        });
    assert!(
        output.status.success(),
        "`npm install --prefix {} {PRISM_PACKAGE}` failed with {}:\n{}",
        prefix.display(),
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
}

/// `openapi.json`, with one change that works around a Prism bug: when an enum of a `nullable`
/// schema lists `null` (as OpenAPI 3.0.3 asks), Prism silently skips validating the whole body
/// (stoplightio/prism#1931). Without the `null` entry Prism still accepts `null`, because the
/// schema is `nullable`, and validates everything else. The copy lives next to Prism.
fn spec_for_prism() -> PathBuf {
    let mut spec: Value =
        serde_json::from_slice(&std::fs::read(spec_path()).expect("spec")).expect("spec is JSON");
    drop_null_from_nullable_enums(&mut spec);
    let path = workspace().join(format!("target/prism/openapi-{}.json", std::process::id()));
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("target/prism");
    std::fs::write(&path, spec.to_string()).expect("writes the spec copy");
    path
}

fn drop_null_from_nullable_enums(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.get("nullable") == Some(&Value::Bool(true)) {
                if let Some(Value::Array(values)) = map.get_mut("enum") {
                    values.retain(|value| !value.is_null());
                }
            }
            map.values_mut().for_each(drop_null_from_nullable_enums);
        }
        Value::Array(values) => values.iter_mut().for_each(drop_null_from_nullable_enums),
        _ => {}
    }
}
