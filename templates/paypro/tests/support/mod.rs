//! Shared by the integration tests: a mock PayPro that answers one call at a time and checks every
//! detail of the request the client sent, the response bodies it answers with, and the list of
//! operations the tests must cover.
//!
//! `operations.rs` and `operations_with_body.rs` each cover one half of the operation list, split
//! by HTTP method, so that together they cover all 58 operations.

#![allow(
    dead_code,
    reason = "each test binary that includes this module uses a different part of it"
)]

pub mod prism;

use std::collections::BTreeSet;
use std::future::Future;
use std::path::PathBuf;
use std::sync::Mutex;

use futures::{Stream, StreamExt};
use paypro::{Client, Error};
use serde::Serialize;
use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The API key the tests use; every request must carry it as a bearer token.
pub const KEY: &str = "pp_operations0123456789abcdefghijkl";

/// What one call must put on the wire, and what the mock answers.
pub struct Case {
    method: &'static str,
    template: &'static str,
    path: String,
    query: Option<&'static str>,
    body: Option<Value>,
    status: u16,
    response: Value,
}

impl Case {
    /// A call of `method template` with `{id}` (if any) replaced by `id`, sending no query and no
    /// body, answered with 200 and `response`.
    pub fn new(method: &'static str, template: &'static str, id: &str, response: Value) -> Self {
        Case {
            method,
            template,
            path: template.replace("{id}", id),
            query: None,
            body: None,
            status: 200,
            response,
        }
    }

    /// The exact query string the request must carry.
    pub fn query(mut self, query: &'static str) -> Self {
        self.query = Some(query);
        self
    }

    /// The JSON body the request must carry, compared as a value (member order is free).
    pub fn body(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }

    /// Answers with `status` instead of 200 (201 for creates).
    pub fn status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }

    fn label(&self) -> String {
        format!("{} {}", self.method, self.template)
    }
}

/// A mock PayPro on loopback and a client pointed at it, remembering which operations were
/// checked.
pub struct MockPayPro {
    server: MockServer,
    pub client: Client,
    covered: Mutex<BTreeSet<(String, String)>>,
}

impl MockPayPro {
    pub async fn start() -> Self {
        let server = MockServer::start().await;
        let client = Client::builder(KEY)
            .base_url(server.uri())
            .build()
            .expect("client builds");
        MockPayPro {
            server,
            client,
            covered: Mutex::default(),
        }
    }

    /// Runs one call and checks the single request it made and the value it decoded.
    pub async fn check<T: Serialize>(
        &self,
        case: Case,
        call: impl Future<Output = Result<T, Error>>,
    ) -> T {
        self.prepare(&case).await;
        let decoded = call
            .await
            .unwrap_or_else(|error| panic!("{}: {error}", case.label()));
        self.verify(&case, &serde_json::to_value(&decoded).expect("re-encodes"))
            .await;
        decoded
    }

    /// Like [`check`](Self::check) for `list_all`: the stream must yield the page's items, in
    /// order, after one request.
    pub async fn check_stream<T: Serialize>(
        &self,
        case: Case,
        stream: impl Stream<Item = Result<T, Error>>,
    ) -> Vec<T> {
        self.prepare(&case).await;
        let items: Vec<T> = stream
            .map(|item| item.unwrap_or_else(|error| panic!("{}: {error}", case.label())))
            .collect()
            .await;
        let encoded = json!({ "data": items });
        self.verify(&case, &encoded).await;
        items
    }

    /// Asserts that the checked operations are exactly the rows of `operations.tsv` whose method
    /// is in `methods`.
    pub fn assert_covers(&self, methods: &[&str]) {
        let all = operations();
        assert_eq!(all.len(), 58, "operations.tsv should list 58 operations");
        let expected: BTreeSet<_> = all
            .into_iter()
            .filter(|(method, _)| methods.contains(&method.as_str()))
            .collect();
        let covered = self.covered.lock().unwrap();
        let missing: Vec<_> = expected.difference(&covered).collect();
        let extra: Vec<_> = covered.difference(&expected).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "not checked: {missing:?}; not in operations.tsv: {extra:?}"
        );
    }

    async fn prepare(&self, case: &Case) {
        self.server.reset().await;
        Mock::given(any())
            .respond_with(
                ResponseTemplate::new(case.status)
                    .insert_header("X-Request-Id", "req_operations")
                    .set_body_json(&case.response),
            )
            .mount(&self.server)
            .await;
    }

    async fn verify(&self, case: &Case, decoded: &Value) {
        let label = case.label();
        let requests = self.server.received_requests().await.expect("recording");
        assert_eq!(requests.len(), 1, "{label}: one request expected");
        assert_request(case, &requests[0]);
        // The decoded value must carry the response's content, not merely decode without error.
        assert_eq!(ids(decoded), ids(&case.response), "{label}: decoded ids");
        self.covered
            .lock()
            .unwrap()
            .insert((case.method.to_owned(), case.template.to_owned()));
    }
}

fn assert_request(case: &Case, request: &Request) {
    let label = case.label();
    assert_eq!(request.method.as_str(), case.method, "{label}: method");
    assert_eq!(request.url.path(), case.path, "{label}: path");
    assert_eq!(request.url.query(), case.query, "{label}: query");
    let header = |name: &str| {
        request
            .headers
            .get(name)
            .map(|value| value.to_str().expect("printable header").to_owned())
    };
    assert_eq!(
        header("authorization"),
        Some(format!("Bearer {KEY}")),
        "{label}: authorization"
    );
    assert_eq!(
        header("accept").as_deref(),
        Some("application/json"),
        "{label}: accept"
    );
    assert_eq!(
        header("user-agent").as_deref(),
        Some("paypro-rust/0.1.0"),
        "{label}: user agent"
    );
    match &case.body {
        Some(expected) => {
            assert_eq!(
                header("content-type").as_deref(),
                Some("application/json"),
                "{label}: content type"
            );
            let sent: Value = serde_json::from_slice(&request.body)
                .unwrap_or_else(|error| panic!("{label}: body is not JSON: {error}"));
            assert_eq!(&sent, expected, "{label}: body");
        }
        None => {
            assert_eq!(header("content-type"), None, "{label}: content type");
            assert!(request.body.is_empty(), "{label}: unexpected body");
        }
    }
}

/// The `id` of an object, or the ids of a list's items, so decoded and sent values can be compared.
fn ids(value: &Value) -> Vec<Value> {
    match value.get("data").and_then(Value::as_array) {
        Some(items) => items.iter().map(|item| item["id"].clone()).collect(),
        None => vec![value["id"].clone()],
    }
}

/// The (method, path) rows of `fixtures/operations.tsv`.
pub fn operations() -> Vec<(String, String)> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/operations.tsv");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    text.lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| {
            let mut columns = line.split('\t');
            let method = columns.next().unwrap_or_default().to_owned();
            let path = columns.next().unwrap_or_default().to_owned();
            (method, path)
        })
        .collect()
}

/// A JSON object literal as the map that `metadata` members take.
pub fn object(value: Value) -> serde_json::Map<String, Value> {
    value.as_object().expect("an object").clone()
}

/// A monthly period with every member set, as the create requests need one.
pub fn monthly(amount: i64) -> paypro::models::UpdateSubscriptionRequestPeriod {
    let mut period = paypro::models::UpdateSubscriptionRequestPeriod::default();
    period.amount = Some(amount);
    period.vat = paypro::Patch::Set(21.0);
    period.interval = Some("month".into());
    period.multiplier = Some(1);
    period
}

/// A response body from `fixtures/wire-samples/`, as recorded by PayPro's Ruby client.
pub fn sample(relative: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/wire-samples")
        .join(relative);
    let bytes = std::fs::read(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    serde_json::from_slice(&bytes).expect("sample is JSON")
}

/// A one-page list of `item`, for resources without a list sample.
pub fn list_of(item: Value) -> Value {
    json!({"type": "list", "data": [item], "count": 1, "_links": {"self": "https://api.paypro.nl/"}})
}

// Balances, payouts and top-ups have no wire sample; these follow the reference's examples.

pub fn balance() -> Value {
    json!({"id": "PBA7HA516X604D", "type": "balance", "amount": 1000, "currency": "EUR",
        "_links": {"self": "https://api.paypro.nl/balances/PBA7HA516X604D"}})
}

pub fn payout() -> Value {
    json!({"id": "POC6YK7MZ8W2QF", "type": "payout", "amount": 10000, "fee_amount": 25,
        "fee_vat_amount": 5, "currency": "EUR", "description": "Payout #1", "state": "pending",
        "bank_account": {"type": "sepa", "iban": "NL18RABO0123459876", "name": "Rabobank"},
        "metadata": {}, "created_at": "2025-05-01T10:00:00Z",
        "_links": {"self": "https://api.paypro.nl/payouts/POC6YK7MZ8W2QF"}})
}

pub fn top_up() -> Value {
    json!({"id": "TUMKR465ZG6QDU", "type": "top_up", "amount": 2500,
        "description": "Top-up TUMKR465ZG6QDU", "currency": "EUR", "pay_method": null,
        "state": "open", "locale": "nl", "metadata": {}, "paid_at": null,
        "created_at": "2025-05-01T10:00:00Z",
        "_links": {"self": "https://api.paypro.nl/top_ups/TUMKR465ZG6QDU",
            "checkout": "https://checkout.paypro.nl/top_ups/TUMKR465ZG6QDU"}})
}
