//! `paypro::testing` as an application uses it: typed expectations per operation, answers with
//! models, pages and API errors, and what the client sent (needs the `testing` feature).

use futures::TryStreamExt;
use paypro::Error;
use paypro::models::{CreatePaymentRequest, Currency, Payment};
use paypro::resources::PaymentsListParams;
use paypro::testing::{MockError, MockServer};
use serde_json::json;

/// A payment as PayPro sends it, built through serde so the test does not depend on which
/// fields the struct has.
fn payment(id: &str, amount: i64) -> Payment {
    serde_json::from_value(json!({
        "id": id,
        "type": "payment",
        "amount": amount,
        "currency": "EUR",
        "description": "Order 42",
        "state": "open",
        "refunded_amount": 0,
        "created_at": "2023-12-11T15:31:14Z",
        "_links": {"self": format!("https://api.paypro.nl/payments/{id}")}
    }))
    .expect("a valid payment")
}

#[tokio::test]
async fn get_answers_the_given_id_only() {
    let mock = MockServer::start().await;
    assert!(
        mock.url().starts_with("http://127.0.0.1:"),
        "{}",
        mock.url()
    );
    let calls = mock
        .payments()
        .get("PP1")
        .respond(&payment("PP1", 1000))
        .await;
    let client = mock.client();

    let got = client.payments().get("PP1").await.expect("mocked");
    assert_eq!(got, payment("PP1", 1000));
    let other = client.payments().get("PP2").await.expect_err("not mocked");
    assert_eq!(other.status(), Some(404));
    assert_eq!(calls.count().await, 1, "only the matching request counts");
}

#[tokio::test]
async fn create_matches_the_typed_body_and_reports_what_was_sent() {
    let mock = MockServer::start().await;
    let request = CreatePaymentRequest::new(1000, Currency::Eur, "Order 42");
    let calls = mock
        .payments()
        .create()
        .with_body(&request)
        .times(1)
        .respond(&payment("PP1", 1000))
        .await;
    let client = mock.client();

    let created = client.payments().create(&request).await.expect("mocked");
    assert_eq!(created.id, "PP1");
    let other = CreatePaymentRequest::new(999, Currency::Eur, "Order 42");
    let refused = client
        .payments()
        .create(&other)
        .await
        .expect_err("other body");
    assert_eq!(refused.status(), Some(404));
    assert_eq!(calls.bodies().await, vec![request]);
    mock.verify().await;
}

#[tokio::test]
async fn pages_hand_out_working_cursors() {
    let mock = MockServer::start().await;
    let first = [payment("PP1", 1), payment("PP2", 2)];
    let second = [payment("PP3", 3)];
    let third = [payment("PP4", 4)];
    let calls = mock
        .payments()
        .list()
        .query("limit", 2)
        .respond_pages(&[&first, &second, &third])
        .await;
    let client = mock.client();

    let params = PaymentsListParams::default().limit(2);
    let all: Vec<Payment> = client
        .payments()
        .list_all_with(params.clone())
        .try_collect()
        .await
        .expect("every page");
    let ids: Vec<&str> = all.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["PP1", "PP2", "PP3", "PP4"]);
    assert_eq!(calls.count().await, 3);

    let page = client
        .payments()
        .list_with(params)
        .await
        .expect("first page");
    assert_eq!(page.data.len(), 2);
    let next = page.next_cursor().expect("a next page");
    let page = client
        .payments()
        .list_with(PaymentsListParams::default().limit(2).cursor(next))
        .await
        .expect("second page");
    assert_eq!(page.data, second);
}

#[tokio::test]
async fn errors_arrive_as_paypro_errors() {
    let mock = MockServer::start().await;
    mock.payments()
        .create()
        .respond_error(
            MockError::new(422, "Description must be set")
                .param("description")
                .request_id("req-1"),
        )
        .await;
    mock.payments()
        .get("PPGONE")
        .respond_error(MockError::not_found())
        .await;
    let client = mock.client();

    let request = CreatePaymentRequest::new(1000, Currency::Eur, "");
    match client.payments().create(&request).await {
        Err(Error::Api(api)) => {
            assert_eq!(api.status, 422);
            assert_eq!(api.error_type.as_deref(), Some("invalid_request"));
            assert_eq!(api.message.as_deref(), Some("Description must be set"));
            assert_eq!(api.param.as_deref(), Some("description"));
            assert_eq!(api.request_id.as_deref(), Some("req-1"));
        }
        other => panic!("expected a 422, got {other:?}"),
    }
    let gone = client.payments().get("PPGONE").await.expect_err("404");
    assert_eq!(gone.status(), Some(404));
}

#[tokio::test]
async fn path_parameters_are_matched_as_the_client_encodes_them() {
    let mock = MockServer::start().await;
    mock.payments()
        .get("PP 1/2")
        .respond(&payment("PP 1/2", 5))
        .await;
    let got = mock
        .client()
        .payments()
        .get("PP 1/2")
        .await
        .expect("mocked");
    assert_eq!(got.amount, 5);
}

#[tokio::test]
#[should_panic(expected = "Verifications failed")]
async fn unmet_call_counts_fail_the_test() {
    let mock = MockServer::start().await;
    mock.payments()
        .get("PP1")
        .times(1)
        .respond(&payment("PP1", 1))
        .await;
    mock.verify().await;
}
