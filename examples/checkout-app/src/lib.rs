//! A small shop backend on `paypro`'s public API: `POST /checkout` creates a PayPro payment for
//! an order and hands back its checkout page, and `POST /webhooks/paypro` verifies PayPro's
//! signed event and marks the order paid.
//!
//! Orders live in memory; a real shop keeps them in its database. `tests/checkout.rs` runs the
//! whole flow against `paypro::testing::MockServer` with events signed by `paypro::webhooks`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use paypro::models::{CreatePaymentRequest, Currency, EventPayload};
use paypro::webhooks::Verifier;
use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;

/// What the handlers share: the PayPro client, the webhook verifier and the orders.
#[derive(Clone)]
pub struct Shop {
    paypro: paypro::Client,
    webhooks: Verifier,
    orders: Arc<Mutex<HashMap<String, Order>>>,
}

/// An order and where its payment stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    /// The shop's order number.
    pub id: String,
    /// Amount in cents.
    pub amount: i64,
    /// PayPro's payment id, once the payment exists.
    pub payment_id: Option<String>,
    /// `pending` until PayPro reports the payment paid, then `paid`.
    pub status: String,
}

/// The body of `POST /checkout`.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct CheckoutRequest {
    /// The shop's order number.
    pub order_id: String,
    /// Amount in cents.
    pub amount: i64,
}

/// The answer to `POST /checkout`: where to send the customer.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
pub struct CheckoutResponse {
    /// PayPro's payment id.
    pub payment_id: String,
    /// PayPro's checkout page for the payment.
    pub checkout_url: Option<String>,
}

impl Shop {
    /// A shop that takes payments through `paypro` and checks webhooks with `webhook_secret`.
    pub fn new(paypro: paypro::Client, webhook_secret: &str) -> Shop {
        Shop {
            paypro,
            webhooks: Verifier::new(webhook_secret),
            orders: Arc::default(),
        }
    }

    /// The shop's HTTP routes.
    pub fn router(self) -> Router {
        Router::new()
            .route("/checkout", post(checkout))
            .route("/webhooks/paypro", post(paypro_webhook))
            .route("/orders/{id}", get(order))
            .with_state(self)
    }
}

/// Creates the order and its payment; 502 when PayPro refuses or cannot be reached.
async fn checkout(
    State(shop): State<Shop>,
    Json(request): Json<CheckoutRequest>,
) -> Result<Json<CheckoutResponse>, (StatusCode, String)> {
    let description = format!("Order {}", request.order_id);
    let mut create = CreatePaymentRequest::new(request.amount, Currency::Eur, description);
    create.return_url = paypro::Patch::Set(format!(
        "https://shop.example/orders/{}/thanks",
        request.order_id
    ));
    let payment = shop
        .paypro
        .payments()
        .create(&create)
        .await
        .map_err(|error| {
            (
                StatusCode::BAD_GATEWAY,
                format!("PayPro did not create the payment: {error}"),
            )
        })?;
    shop.orders.lock().await.insert(
        request.order_id.clone(),
        Order {
            id: request.order_id,
            amount: request.amount,
            payment_id: Some(payment.id.clone()),
            status: "pending".to_owned(),
        },
    );
    Ok(Json(CheckoutResponse {
        payment_id: payment.id,
        checkout_url: payment.links.checkout,
    }))
}

/// Verifies the delivery on its raw body; a paid payment marks its order paid. Any authentic
/// event gets 200 so PayPro does not resend it; a forged or stale one gets 400.
async fn paypro_webhook(
    State(shop): State<Shop>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode, (StatusCode, String)> {
    let event = shop
        .webhooks
        .verify_headers(&body, &headers)
        .map_err(|error| (StatusCode::BAD_REQUEST, error.to_string()))?;
    if let EventPayload::Payment(payment) = event.payload {
        if payment.state == "paid" {
            let mut orders = shop.orders.lock().await;
            let order = orders
                .values_mut()
                .find(|order| order.payment_id.as_deref() == Some(payment.id.as_str()));
            if let Some(order) = order {
                order.status = "paid".to_owned();
            }
        }
    }
    Ok(StatusCode::OK)
}

async fn order(
    State(shop): State<Shop>,
    Path(id): Path<String>,
) -> Result<Json<Order>, StatusCode> {
    let orders = shop.orders.lock().await;
    orders
        .get(&id)
        .cloned()
        .map(Json)
        .ok_or(StatusCode::NOT_FOUND)
}
