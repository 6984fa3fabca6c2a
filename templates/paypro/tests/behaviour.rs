//! How the client behaves on the wire beyond single calls: pagination across hosts and cursors,
//! retries and their limits, `Retry-After`, timeouts, error mapping and decode errors, and that
//! the API key never shows in `Debug` or `Display` output.
//!
//! Backoff is shrunk to milliseconds with the builder's hidden hooks, so the only real waits are
//! the one-second `Retry-After` and a 200 ms timeout.

mod support;

use std::time::{Duration, Instant};

use futures::StreamExt;
use paypro::models::{CreatePaymentRequest, Currency, Payment};
use paypro::resources::PaymentsListParams;
use paypro::{Client, ClientBuilder, Error};
use serde_json::{Value, json};
use support::sample;
use wiremock::matchers::{any, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "pp_behaviourSECRET0123456789abcdef";
const CURSOR_2: &str = "bjpQUDM1QzZCS1BQU1I0UQ";
const CURSOR_3: &str = "bjpQUE00MVZGUVlaU0RTMg";

fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder(KEY)
        .base_url(server.uri())
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(5))
}

fn client(server: &MockServer) -> Client {
    builder(server).build().expect("client builds")
}

/// Fails if the key shows up anywhere in what an error says about itself.
fn assert_key_hidden(error: &Error) {
    let text = format!("{error} {error:?}");
    assert!(!text.contains(KEY), "the API key leaked: {text}");
}

fn payment(id: &str) -> Value {
    let mut payment = sample("payments/get.json");
    payment["id"] = id.into();
    payment
}

/// A list page whose links name PayPro's development host, not the server that answered.
fn page(ids: &[&str], next: Option<&str>) -> ResponseTemplate {
    let mut links = json!({"self": "http://api.paypro.test:3000/payments"});
    if let Some(cursor) = next {
        links["next"] = format!("http://api.paypro.test:3000/payments?cursor={cursor}").into();
    }
    let data: Vec<Value> = ids.iter().map(|id| payment(id)).collect();
    ResponseTemplate::new(200)
        .set_body_json(json!({"type": "list", "data": data, "count": 0, "_links": links}))
}

async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("recording")
}

#[tokio::test]
async fn list_all_follows_cursors_on_the_configured_host() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/payments"))
        .and(query_param_is_missing("cursor"))
        .respond_with(page(&["PP1", "PP2"], Some(CURSOR_2)))
        .mount(&server)
        .await;
    Mock::given(query_param("cursor", CURSOR_2))
        .respond_with(page(&["PP3", "PP4"], Some(CURSOR_3)))
        .mount(&server)
        .await;
    Mock::given(query_param("cursor", CURSOR_3))
        .respond_with(page(&["PP5"], None))
        .mount(&server)
        .await;

    let params = PaymentsListParams::default().limit(2);
    let stream = client(&server).payments().list_all_with(params);
    let items: Vec<Payment> =
        tokio::time::timeout(Duration::from_secs(10), stream.collect::<Vec<_>>())
            .await
            .expect("pagination ends")
            .into_iter()
            .map(|item| item.expect("every page decodes"))
            .collect();
    let ids: Vec<&str> = items.iter().map(|item| item.id.as_str()).collect();
    assert_eq!(ids, ["PP1", "PP2", "PP3", "PP4", "PP5"]);

    let requests = received(&server).await;
    let seen: Vec<(&str, Option<&str>)> = requests
        .iter()
        .map(|request| (request.url.path(), request.url.query()))
        .collect();
    let expected_2 = format!("limit=2&cursor={CURSOR_2}");
    let expected_3 = format!("limit=2&cursor={CURSOR_3}");
    assert_eq!(
        seen,
        [
            ("/payments", Some("limit=2")),
            ("/payments", Some(expected_2.as_str())),
            ("/payments", Some(expected_3.as_str())),
        ]
    );
}

#[tokio::test]
async fn a_repeated_cursor_ends_the_stream_with_an_error() {
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("cursor"))
        .respond_with(page(&["PP1"], Some(CURSOR_2)))
        .mount(&server)
        .await;
    // The second page points back at itself; following it would never end.
    Mock::given(query_param("cursor", CURSOR_2))
        .respond_with(page(&["PP2"], Some(CURSOR_2)))
        .mount(&server)
        .await;

    let stream = client(&server).payments().list_all();
    let results = tokio::time::timeout(Duration::from_secs(10), stream.collect::<Vec<_>>())
        .await
        .expect("a repeated cursor must end the stream");
    assert_eq!(results.len(), 3, "two items, then the error: {results:?}");
    assert_eq!(results[1].as_ref().expect("second item").id, "PP2");
    let error = results[2]
        .as_ref()
        .expect_err("the third result is the error");
    assert!(
        matches!(error, Error::Pagination { cursor, .. } if cursor == CURSOR_2),
        "{error:?}"
    );
    assert_key_hidden(error);
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn a_get_is_retried_through_two_503s() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(payment("PP1")))
        .mount(&server)
        .await;
    let found = client(&server)
        .payments()
        .get("PP1")
        .await
        .expect("third attempt succeeds");
    assert_eq!(found.id, "PP1");
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn max_retries_zero_sends_once() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = builder(&server)
        .max_retries(0)
        .build()
        .expect("client builds");
    let error = client.payments().get("PP1").await.expect_err("503");
    assert_eq!(error.status(), Some(503));
    assert!(
        error.is_retryable(),
        "503 is transient, even when not retried"
    );
    assert_key_hidden(&error);
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn a_post_is_never_retried() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).insert_header("X-Request-Id", "req_post"))
        .mount(&server)
        .await;
    let request = CreatePaymentRequest::new(1000, Currency::Eur, "Order 42");
    let error = client(&server)
        .payments()
        .create(&request)
        .await
        .expect_err("503");
    let api = error.as_api().expect("an API error");
    assert_eq!(
        (api.status, api.request_id.as_deref()),
        (503, Some("req_post"))
    );
    assert_key_hidden(&error);
    // Resending could create a second payment, so the client leaves that decision to the caller.
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn retry_after_is_waited_out() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(payment("PP1")))
        .mount(&server)
        .await;
    let started = Instant::now();
    client(&server)
        .payments()
        .get("PP1")
        .await
        .expect("the retry succeeds");
    // The backoff alone would retry within 5 ms; only the header explains a one-second wait.
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(950),
        "retried after {waited:?}"
    );
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn a_slow_server_times_out() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(payment("PP1"))
                .set_delay(Duration::from_secs(10)),
        )
        .mount(&server)
        .await;
    let client = builder(&server)
        .timeout(Duration::from_millis(200))
        .max_retries(1)
        .build()
        .expect("client builds");
    let started = Instant::now();
    let error = client.payments().get("PP1").await.expect_err("times out");
    assert!(error.is_timeout(), "{error:?}");
    assert!(error.is_retryable());
    assert!(
        matches!(error, Error::Timeout { attempts: 2, .. }),
        "{error:?}"
    );
    // Two 200 ms attempts, not the server's ten seconds.
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_key_hidden(&error);
}

#[tokio::test]
async fn error_responses_map_to_api_errors() {
    let validation = r#"{"error":{"message":"Description must be set","param":"description","type":"invalid_request"}}"#;
    let cases = [
        (401, "{}", "application/json"),
        (404, "{}", "application/json"),
        (422, validation, "application/json"),
        (
            500,
            "<html><body><h1>Internal Server Error</h1></body></html>",
            "text/html",
        ),
    ];
    for (status, body, content_type) in cases {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(
                ResponseTemplate::new(status)
                    .insert_header("X-Request-Id", format!("req_{status}").as_str())
                    .set_body_raw(body, content_type),
            )
            .mount(&server)
            .await;
        let error = client(&server)
            .payments()
            .get("PP1")
            .await
            .expect_err("fails");
        let Error::Api(api) = &error else {
            panic!("{status}: expected Error::Api, got {error:?}")
        };
        assert_eq!(error.status(), Some(status));
        assert_eq!(error.request_id(), Some(format!("req_{status}").as_str()));
        assert_eq!(api.body.as_deref(), Some(body), "{status}: body kept");
        assert!(!error.is_retryable(), "{status} is not transient");
        let fields = (
            api.error_type.as_deref(),
            api.message.as_deref(),
            api.param.as_deref(),
        );
        let expected = match status {
            422 => (
                Some("invalid_request"),
                Some("Description must be set"),
                Some("description"),
            ),
            _ => (None, None, None),
        };
        assert_eq!(fields, expected, "{status}: error fields");
        assert_eq!(received(&server).await.len(), 1, "{status} is not retried");
        assert_key_hidden(&error);
    }
}

#[tokio::test]
async fn a_truncated_body_is_a_decode_error_naming_where() {
    let full = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fixtures/wire-samples/payments/get.json"
    ))
    .expect("sample");
    // Cut inside the nested pay method, as a dropped connection might.
    let cut = full
        .find("\"type\": \"pay_method\"")
        .expect("pay method in sample");
    let truncated = &full[..cut];
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("X-Request-Id", "req_cut")
                .set_body_raw(truncated, "application/json"),
        )
        .mount(&server)
        .await;
    let error = client(&server)
        .payments()
        .get("PP1")
        .await
        .expect_err("does not decode");
    let Error::Decode(decode) = &error else {
        panic!("expected Error::Decode, got {error:?}")
    };
    assert_eq!(decode.status, 200);
    // `?` stands for the member the body broke off before.
    assert_eq!(decode.json_path, "pay_method.?");
    assert_eq!(decode.path, "/payments/{id}");
    assert_eq!(decode.request_id.as_deref(), Some("req_cut"));
    assert!(
        decode.body.starts_with("{\n  \"id\": \"PPSKN6FAN8KNE1\""),
        "{}",
        decode.body
    );
    assert!(error.to_string().contains("`pay_method.?`"), "{error}");
    assert_key_hidden(&error);
}

#[tokio::test]
async fn an_unreachable_server_is_a_transport_error() {
    // Bind and release a port so nothing listens on it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("free port")
        .port();
    let client = Client::builder(KEY)
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(5))
        .build()
        .expect("client builds");
    let error = client
        .payments()
        .get("PP1")
        .await
        .expect_err("nothing listens");
    assert!(
        matches!(error, Error::Transport { attempts: 3, .. }),
        "{error:?}"
    );
    assert!(error.is_retryable() && !error.is_timeout());
    assert_key_hidden(&error);
}

#[test]
fn client_and_builder_never_show_the_key() {
    let builder = Client::builder(KEY).base_url("http://127.0.0.1:9");
    let built = builder.clone().build().expect("client builds");
    for text in [
        format!("{builder:?}"),
        format!("{built:?}"),
        format!("{:?}", Client::new(KEY)),
        // A key that cannot be sent fails the build; the message must not quote it.
        format!(
            "{:?}",
            Client::builder(format!("{KEY}\n"))
                .build()
                .expect_err("line break")
        ),
    ] {
        assert!(!text.contains(KEY), "the API key leaked: {text}");
    }
}
