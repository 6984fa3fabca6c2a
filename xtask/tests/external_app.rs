//! An application outside this workspace, as a user writes one: it depends on `paypro` by path with `features = ["testing"]` and on reqwest 0.13 itself, hands its own `reqwest::Client` to `paypro`, and tests its payment code with `paypro::testing` and `paypro::webhooks::sign`.
//!
//! The crate is written to `target/external-app/` and tested there with `cargo test`, so it
//! compiles against the public API only, exactly as a user's crate would.

use std::path::{Path, PathBuf};
use std::process::Command;

const MANIFEST: &str = r#"[package]
name = "shop"
version = "0.1.0"
edition = "2024"
publish = false

# Not a member of the paypro workspace: a crate of its own.
[workspace]

[dependencies]
paypro = { path = "PAYPRO_PATH" }
reqwest = { version = "0.13", default-features = false }

[dev-dependencies]
paypro = { path = "PAYPRO_PATH", features = ["testing"] }
serde_json = "1"
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
"#;

const LIB: &str = r#"//! The application's payment code.

/// Creates the payment for an order and returns its checkout URL.
pub async fn start_checkout(client: &paypro::Client, cents: i64) -> Result<Option<String>, paypro::Error> {
    let request = paypro::models::CreatePaymentRequest::new(cents, paypro::models::Currency::Eur, "Order 42");
    let payment = client.payments().create(&request).await?;
    Ok(payment.links.checkout)
}

/// The app's own HTTP client, shared with `paypro`.
pub fn paypro_client(base_url: String, http: reqwest::Client) -> paypro::Client {
    paypro::Client::builder("pp_key").base_url(base_url).http_client(http).build().expect("valid settings")
}
"#;

const TESTS: &str = r##"use paypro::models::Payment;
use paypro::testing::{MockError, MockServer};

fn payment() -> Payment {
    serde_json::from_value(serde_json::json!({
        "id": "PP1", "type": "payment", "amount": 1000, "currency": "EUR",
        "description": "Order 42", "state": "open", "refunded_amount": 0,
        "created_at": "2026-01-05T10:00:00Z",
        "_links": {"self": "https://api.paypro.nl/payments/PP1", "checkout": "https://pay.example/PP1"}
    }))
    .expect("payment")
}

#[tokio::test]
async fn the_issue_example() {
    let mock = paypro::testing::MockServer::start().await;
    let client: paypro::Client = mock.client();
    let url: String = mock.url();
    assert!(url.starts_with("http://127.0.0.1:"));
    mock.payments().get("PP1").respond(&payment()).await;
    assert_eq!(client.payments().get("PP1").await.expect("mocked"), payment());
}

#[tokio::test]
async fn checkout_through_the_apps_own_reqwest_client() {
    let mock = MockServer::start().await;
    let calls = mock.payments().create().respond(&payment()).await;
    let client = shop::paypro_client(mock.url(), reqwest::Client::new());
    let url = shop::start_checkout(&client, 1000).await.expect("created");
    assert_eq!(url.as_deref(), Some("https://pay.example/PP1"));
    assert_eq!(calls.bodies().await[0].amount, 1000);
}

#[tokio::test]
async fn refusals_reach_the_app_as_api_errors() {
    let mock = MockServer::start().await;
    mock.payments().create().respond_error(MockError::new(422, "Amount is too low")).await;
    let error = shop::start_checkout(&mock.client(), 1).await.expect_err("refused");
    assert_eq!(error.status(), Some(422));
}

#[test]
fn signed_deliveries_verify() {
    let body = br#"{"id": "EVYK7KCFJAXA23UKSG"}"#;
    assert_eq!(
        paypro::webhooks::sign("996QF2kLfVcmF8hzikZVfeB7GPH2RdP7", 1672527600, body),
        "9dfc94dfd152e5c428a5b72c27bbbada0c2d81c266b62ab93ab7087aa773729b"
    );
    let headers = paypro::webhooks::signed_headers("whsec", body);
    let error = paypro::webhooks::Verifier::new("whsec").verify_headers(body, &headers).expect_err("not an event");
    assert!(matches!(error, paypro::webhooks::WebhookError::InvalidBody { .. }));
}
"##;

fn workspace() -> PathBuf {
    xtask::workspace_root()
}

fn write(path: &Path, contents: &str) {
    std::fs::create_dir_all(path.parent().expect("file has a parent")).expect("create dir");
    std::fs::write(path, contents).expect("write file");
}

#[test]
fn an_application_outside_the_workspace_tests_with_paypro_testing() {
    let root = workspace().join("target/external-app");
    let app = root.join("shop");
    let _ = std::fs::remove_dir_all(&app);
    let paypro = workspace().join("generated-client");
    let paypro = paypro.to_str().expect("UTF-8 path").replace('\\', "/");
    write(
        &app.join("Cargo.toml"),
        &MANIFEST.replace("PAYPRO_PATH", &paypro),
    );
    write(&app.join("src/lib.rs"), LIB);
    write(&app.join("tests/payments.rs"), TESTS);
    // The workspace's lock file, so the app builds the versions this repository tested.
    if let Ok(lock) = std::fs::read(workspace().join("Cargo.lock")) {
        std::fs::write(app.join("Cargo.lock"), lock).expect("copy lock file");
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(["test", "--quiet", "--message-format=short"])
        .current_dir(&app)
        // The target folder every scratch build of the workspace shares (corpus, conformance,
        // constructs), so the dependencies are built once per machine, not once per test.
        .env("CARGO_TARGET_DIR", workspace().join("target/scratch"))
        .env_remove("RUSTFLAGS")
        .output()
        .expect("run cargo test");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the external application does not pass its tests:\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains("4 passed"),
        "all four tests must have run:\n{stdout}"
    );
}
