//! A loopback PayPro that misbehaves on purpose, for the soak test and the throughput benchmark:
//! per request it answers normally or injects one fault (5xx, 429 with `Retry-After`, a body
//! that breaks off, headers later than the client's timeout, truncated JSON, oversized bodies).
//!
//! Every request names its number `n` (`GET /payments/SOAK{n}`, or `POST /payments` with the
//! description `soak {n}`). The fault comes from `n` and hits only the first attempt, so a
//! caller knows which outcome each call must have; the server counts every attempt per number.

#![allow(
    dead_code,
    reason = "the soak test and the throughput benchmark use different parts"
)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::Value;

/// What the server does to the first attempt of a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    None,
    /// 503 with a PayPro error body.
    ServerError,
    /// 429 with `Retry-After: 1`.
    TooMany,
    /// 200 whose body stops halfway and the connection is dropped.
    ResetMidBody,
    /// Headers only after `slow_headers` (longer than the client's timeout).
    SlowHeaders,
    /// 200 with a complete HTTP body holding half a JSON document.
    TruncatedJson,
    /// 200 whose `Content-Length` announces more than the client accepts.
    OversizedAnnounced,
    /// 200 streamed without a length, running past what the client accepts.
    OversizedStreamed,
}

impl Fault {
    /// The fault for request number `n`: a fixed mix, the same for GETs and POSTs.
    pub fn for_request(n: usize) -> Fault {
        match (n / 2) % 200 {
            0..10 => Fault::ServerError,
            10..12 => Fault::TooMany,
            12..18 => Fault::ResetMidBody,
            18 => Fault::SlowHeaders,
            19..23 => Fault::TruncatedJson,
            23..25 => Fault::OversizedAnnounced,
            25..27 => Fault::OversizedStreamed,
            _ => Fault::None,
        }
    }
}

/// How the server behaves; `faults: false` answers every request normally.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    pub faults: bool,
    /// How long `SlowHeaders` waits before answering.
    pub slow_headers: Duration,
    /// Size of an oversized body (must exceed the client's limit).
    pub oversized: usize,
}

/// The server's shared state: the payment it answers with and attempts per request number.
pub struct FaultServer {
    pub address: std::net::SocketAddr,
    attempts: Vec<AtomicU32>,
    /// A payment sample with `"id": "@ID@"`, filled in per request.
    payment: String,
    settings: Settings,
}

impl FaultServer {
    /// Starts the server on 127.0.0.1 for request numbers `0..requests`.
    pub async fn start(requests: usize, settings: Settings) -> Arc<FaultServer> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let sample = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../fixtures/wire-samples/payments/get.json"
        ))
        .expect("payment sample");
        let mut payment: Value = serde_json::from_slice(&sample).expect("sample is JSON");
        payment["id"] = "@ID@".into();
        let server = Arc::new(FaultServer {
            address: listener.local_addr().expect("local address"),
            attempts: (0..requests).map(|_| AtomicU32::new(0)).collect(),
            payment: payment.to_string(),
            settings,
        });
        let router = Router::new()
            .route("/payments/{id}", get(get_payment))
            .route("/payments", post(create_payment))
            .with_state(server.clone());
        tokio::spawn(async move { axum::serve(listener, router).await });
        server
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// How many attempts of request number `n` reached the server.
    pub fn attempts(&self, n: usize) -> u32 {
        self.attempts
            .get(n)
            .map_or(0, |count| count.load(Ordering::SeqCst))
    }

    fn payment_body(&self, n: usize) -> String {
        self.payment.replace("@ID@", &format!("SOAK{n}"))
    }

    async fn answer(&self, n: Option<usize>) -> Response {
        let Some(n) = n.filter(|&n| n < self.attempts.len()) else {
            return (
                StatusCode::NOT_FOUND,
                r#"{"error":{"message":"no such request"}}"#,
            )
                .into_response();
        };
        let attempt = self.attempts[n].fetch_add(1, Ordering::SeqCst) + 1;
        let fault = if self.settings.faults && attempt == 1 {
            Fault::for_request(n)
        } else {
            Fault::None
        };
        let body = self.payment_body(n);
        let json = [(header::CONTENT_TYPE, "application/json")];
        match fault {
            Fault::None => (json, body).into_response(),
            Fault::ServerError => (
                StatusCode::SERVICE_UNAVAILABLE,
                json,
                r#"{"error":{"type":"unavailable","message":"try again"}}"#,
            )
                .into_response(),
            Fault::TooMany => (
                StatusCode::TOO_MANY_REQUESTS,
                [(header::RETRY_AFTER, "1")],
                r#"{"error":{"message":"slow down"}}"#,
            )
                .into_response(),
            Fault::ResetMidBody => {
                let half = Bytes::from(body.as_bytes()[..body.len() / 2].to_vec());
                let chunks = futures::stream::iter([
                    Ok::<_, std::io::Error>(half),
                    Err(std::io::Error::other("connection reset on purpose")),
                ]);
                let mut headers = HeaderMap::new();
                headers.insert(
                    header::CONTENT_TYPE,
                    "application/json".parse().expect("value"),
                );
                headers.insert(header::CONTENT_LENGTH, body.len().into());
                (headers, Body::from_stream(chunks)).into_response()
            }
            Fault::SlowHeaders => {
                tokio::time::sleep(self.settings.slow_headers).await;
                (json, body).into_response()
            }
            Fault::TruncatedJson => (json, body[..body.len() / 2].to_owned()).into_response(),
            Fault::OversizedAnnounced => {
                (json, " ".repeat(self.settings.oversized) + &body).into_response()
            }
            Fault::OversizedStreamed => {
                let chunk = Bytes::from(vec![b' '; 8 * 1024]);
                let count = self.settings.oversized.div_ceil(chunk.len());
                let chunks = futures::stream::iter(
                    std::iter::repeat_n(chunk, count).map(Ok::<_, std::io::Error>),
                );
                (json, Body::from_stream(chunks)).into_response()
            }
        }
    }
}

async fn get_payment(State(server): State<Arc<FaultServer>>, Path(id): Path<String>) -> Response {
    let n = id.strip_prefix("SOAK").and_then(|n| n.parse().ok());
    server.answer(n).await
}

async fn create_payment(State(server): State<Arc<FaultServer>>, body: Bytes) -> Response {
    let n = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|body| {
            body["description"]
                .as_str()
                .and_then(|text| text.strip_prefix("soak "))
                .and_then(|n| n.parse().ok())
        });
    server.answer(n).await
}
