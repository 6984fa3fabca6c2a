//! The shop's checkout and webhook flow end to end: PayPro is `paypro::testing::MockServer`,
//! webhook deliveries are signed with `paypro::webhooks`, and the shop runs on loopback.

use checkout_app::{CheckoutRequest, CheckoutResponse, Order, Shop};
use paypro::models::{CreatePaymentRequest, Currency, Payment};
use paypro::testing::{MockError, MockServer};
use paypro::webhooks::{sign, signed_headers};
use serde_json::json;

const SECRET: &str = "whsec_test";

/// PayPro's payment as JSON, in the state given.
fn payment_json(id: &str, state: &str) -> serde_json::Value {
    json!({
        "id": id,
        "type": "payment",
        "amount": 2500,
        "currency": "EUR",
        "description": "Order 42",
        "state": state,
        "refunded_amount": 0,
        "created_at": "2026-01-05T10:00:00Z",
        "_links": {
            "self": format!("https://api.paypro.nl/payments/{id}"),
            "checkout": format!("https://checkout.paypro.nl/{id}")
        }
    })
}

/// The shop on a free loopback port, talking to `mock` through the app's own reqwest client.
async fn start_shop(mock: &MockServer) -> String {
    let http = reqwest::Client::new();
    let paypro = mock
        .client_builder()
        .http_client(http)
        .build()
        .expect("client");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move {
        axum::serve(listener, Shop::new(paypro, SECRET).router())
            .await
            .expect("serve");
    });
    format!("http://{address}")
}

fn expected_request() -> CreatePaymentRequest {
    let mut request = CreatePaymentRequest::new(2500, Currency::Eur, "Order 42");
    request.return_url = paypro::Patch::Set("https://shop.example/orders/42/thanks".to_owned());
    request
}

async fn order(http: &reqwest::Client, shop: &str, id: &str) -> Order {
    http.get(format!("{shop}/orders/{id}"))
        .send()
        .await
        .expect("order")
        .json()
        .await
        .expect("order json")
}

/// Asks the shop to check out `order_id` for `amount` cents.
async fn post_checkout(
    http: &reqwest::Client,
    shop: &str,
    order_id: &str,
    amount: i64,
) -> reqwest::Response {
    let request = CheckoutRequest {
        order_id: order_id.to_owned(),
        amount,
    };
    http.post(format!("{shop}/checkout"))
        .json(&request)
        .send()
        .await
        .expect("checkout")
}

fn paid_event(payment_id: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "id": "EV1",
        "type": "event",
        "event_type": "payment.paid",
        "created_at": "2026-01-05T10:05:00Z",
        "payload": payment_json(payment_id, "paid"),
        "_links": {"self": "https://api.paypro.nl/events/EV1"}
    }))
    .expect("event json")
}

#[tokio::test]
async fn checkout_creates_the_payment_and_the_webhook_marks_the_order_paid() {
    let mock = MockServer::start().await;
    let payment: Payment = serde_json::from_value(payment_json("PP42", "open")).expect("payment");
    let created = mock
        .payments()
        .create()
        .with_body(&expected_request())
        .times(1)
        .respond(&payment)
        .await;
    let shop = start_shop(&mock).await;
    let http = reqwest::Client::new();

    let response = post_checkout(&http, &shop, "42", 2500).await;
    assert_eq!(response.status(), 200);
    let checkout: CheckoutResponse = response.json().await.expect("checkout json");
    assert_eq!(
        checkout,
        CheckoutResponse {
            payment_id: "PP42".to_owned(),
            checkout_url: Some("https://checkout.paypro.nl/PP42".to_owned()),
        }
    );
    assert_eq!(created.bodies().await, vec![expected_request()]);
    assert_eq!(order(&http, &shop, "42").await.status, "pending");

    let body = paid_event("PP42");
    let delivered = http
        .post(format!("{shop}/webhooks/paypro"))
        .headers(signed_headers(SECRET, &body))
        .body(body)
        .send()
        .await
        .expect("webhook");
    assert_eq!(delivered.status(), 200);
    assert_eq!(order(&http, &shop, "42").await.status, "paid");
    mock.verify().await;
}

#[tokio::test]
async fn a_forged_or_stale_webhook_is_refused_and_changes_nothing() {
    let mock = MockServer::start().await;
    let payment: Payment = serde_json::from_value(payment_json("PP42", "open")).expect("payment");
    mock.payments().create().respond(&payment).await;
    let shop = start_shop(&mock).await;
    let http = reqwest::Client::new();
    post_checkout(&http, &shop, "42", 2500).await;

    let body = paid_event("PP42");
    let forged = http
        .post(format!("{shop}/webhooks/paypro"))
        .headers(signed_headers("not the secret", &body))
        .body(body.clone())
        .send()
        .await
        .expect("webhook");
    assert_eq!(forged.status(), 400);
    // Correctly signed, but an hour old: outside the 600-second tolerance.
    let stale_time = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs()
        - 3600;
    let stale = http
        .post(format!("{shop}/webhooks/paypro"))
        .header("PayPro-Signature", sign(SECRET, stale_time, &body))
        .header("PayPro-Timestamp", stale_time)
        .body(body)
        .send()
        .await
        .expect("webhook");
    assert_eq!(stale.status(), 400);
    assert_eq!(order(&http, &shop, "42").await.status, "pending");
}

#[tokio::test]
async fn a_refused_payment_fails_the_checkout() {
    let mock = MockServer::start().await;
    mock.payments()
        .create()
        .respond_error(MockError::new(422, "Amount is too low").param("amount"))
        .await;
    let shop = start_shop(&mock).await;
    let response = post_checkout(&reqwest::Client::new(), &shop, "43", 1).await;
    assert_eq!(response.status(), 502);
    let text = response.text().await.expect("text");
    assert!(text.contains("Amount is too low"), "{text}");
}
