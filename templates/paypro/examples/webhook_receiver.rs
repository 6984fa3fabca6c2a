//! A webhook endpoint: verifies each delivery's signature against the raw body, answers 400 when
//! it does not verify and 200 when it does, and acts on the event's payload.
//!
//! Run with `PAYPRO_WEBHOOK_SECRET=… cargo run --example webhook_receiver`, then point the
//! webhook's URL at `http://<this host>:3000/paypro/webhook`.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use paypro::models::EventPayload;
use paypro::webhooks::Verifier;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let Ok(secret) = std::env::var("PAYPRO_WEBHOOK_SECRET") else {
        eprintln!("Set PAYPRO_WEBHOOK_SECRET to the webhook's `secret`.");
        std::process::exit(2);
    };
    let verifier = Arc::new(Verifier::new(secret));
    let app = Router::new()
        .route("/paypro/webhook", post(receive))
        .with_state(verifier);
    let listener = tokio::net::TcpListener::bind("0.0.0.0:3000").await?;
    println!("listening on {}", listener.local_addr()?);
    axum::serve(listener, app).await
}

/// Takes the body as `Bytes`: the signature covers the bytes exactly as sent, so the body must
/// not be parsed (and re-serialized) before it is verified.
async fn receive(
    State(verifier): State<Arc<Verifier>>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let event = match verifier.verify_headers(&body, &headers) {
        Ok(event) => event,
        Err(error) => {
            eprintln!("rejected a delivery: {error}");
            return StatusCode::BAD_REQUEST;
        }
    };
    // The payload is a snapshot from when the event happened; fetch the resource again when
    // its current state matters. Answer quickly and do slow work elsewhere.
    match &event.payload {
        EventPayload::Payment(payment) => {
            println!(
                "{}: payment {} is {}",
                event.event_type, payment.id, payment.state
            );
        }
        EventPayload::Refund(refund) => {
            println!(
                "{}: refund {} is {}",
                event.event_type, refund.id, refund.state
            );
        }
        EventPayload::Chargeback(chargeback) => {
            println!(
                "{}: chargeback {} on payment {}",
                event.event_type, chargeback.id, chargeback.payment
            );
        }
        // A payload type this version has no variant for (kept as JSON in `Unknown`), or
        // one that a later version adds: `EventPayload` is `#[non_exhaustive]`.
        other => println!("{}: not handled here: {other:?}", event.event_type),
    }
    StatusCode::OK
}
