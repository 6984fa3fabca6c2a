//! Every real response body in `fixtures/wire-samples/` decodes into the model of its endpoint and re-encodes to equivalent JSON.
//!
//! "Equivalent" is spelled out in `support/equivalent.rs`: the client is lenient on the way in
//! (numeric strings, absent members), so the comparison allows exactly those differences and
//! no others.

#[path = "support/equivalent.rs"]
mod equivalent;

use paypro::List;
use paypro::models::{
    Chargeback, Customer, Event, EventPayload, InstallmentPlan, InstallmentPlanPeriod, Mandate,
    PayMethod, Payment, Refund, Subscription, SubscriptionPeriod, Webhook,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::path::PathBuf;

fn sample_path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/wire-samples")
        .join(relative)
}

fn read_sample(relative: &str) -> Vec<u8> {
    let path = sample_path(relative);
    std::fs::read(&path).unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
}

/// Decodes a sample with the JSON path of any failure, re-encodes it and compares.
fn round_trip<T: DeserializeOwned + Serialize>(relative: &str) -> T {
    let bytes = read_sample(relative);
    let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
    let decoded: T = serde_path_to_error::deserialize(&mut deserializer).unwrap_or_else(|error| {
        panic!(
            "{relative} does not decode at `{}`: {}",
            error.path(),
            error.inner()
        )
    });
    let original: Value = serde_json::from_slice(&bytes).expect("sample is JSON");
    let encoded = serde_json::to_value(&decoded).expect("model encodes");
    assert_equivalent(&original, &encoded, relative);
    decoded
}

/// Equivalent as `support/equivalent.rs` defines it (shared with `cargo xtask conformance`).
fn assert_equivalent(original: &Value, encoded: &Value, at: &str) {
    if let Err(difference) = equivalent::equivalent(original, encoded, at) {
        panic!("{difference}");
    }
}

#[test]
fn chargebacks() {
    let one: Chargeback = round_trip("chargebacks/get.json");
    assert!(one.id.starts_with("PC"), "{}", one.id);
    let list: List<Chargeback> = round_trip("chargebacks/list.json");
    assert!(!list.data.is_empty());
    let by_payment: List<Chargeback> = round_trip("payments/chargebacks.json");
    assert!(!by_payment.data.is_empty());
}

#[test]
fn customers() {
    let one: Customer = round_trip("customers/get.json");
    assert!(one.id.starts_with("CU"));
    let list: List<Customer> = round_trip("customers/list.json");
    assert!(!list.data.is_empty());
}

/// The payload lands in the variant its own `type` names, never in another one.
fn assert_payload_variant(event: &Event, raw: &Value) {
    let tag = raw["payload"]["type"].as_str().unwrap_or_default();
    let variant = match &event.payload {
        EventPayload::Chargeback(_) => "chargeback",
        EventPayload::Payment(_) => "payment",
        EventPayload::Refund(_) => "refund",
        EventPayload::Unknown(_) => "unknown",
        // `EventPayload` is `#[non_exhaustive]`: a variant added later lands here.
        _ => "a variant this test does not know",
    };
    assert_eq!(
        variant, tag,
        "event {} payload decoded as the wrong variant",
        event.id
    );
}

#[test]
fn events_land_in_the_variant_their_type_names() {
    let one: Event = round_trip("events/get.json");
    let raw: Value = serde_json::from_slice(&read_sample("events/get.json")).unwrap();
    assert_payload_variant(&one, &raw);
    let list: List<Event> = round_trip("events/list.json");
    let raw: Value = serde_json::from_slice(&read_sample("events/list.json")).unwrap();
    assert!(!list.data.is_empty());
    for (event, raw_event) in list.data.iter().zip(raw["data"].as_array().unwrap()) {
        assert_payload_variant(event, raw_event);
    }
}

#[test]
fn installment_plans_and_periods() {
    let plan: InstallmentPlan = round_trip("installment_plans/get.json");
    assert!(plan.id.starts_with("PI"));
    let _: List<InstallmentPlan> = round_trip("installment_plans/list.json");
    let _: List<InstallmentPlanPeriod> =
        round_trip("installment_plans/installment_plan_periods.json");
    let period: InstallmentPlanPeriod = round_trip("installment_plan_periods/get.json");
    assert!(period.id.starts_with("IP"));
}

#[test]
fn mandates() {
    let one: Mandate = round_trip("mandates/get.json");
    assert_eq!(one.pay_method, "direct-debit");
    let _: List<Mandate> = round_trip("mandates/list.json");
}

#[test]
fn pay_methods() {
    let list: List<PayMethod> = round_trip("pay_methods/list.json");
    assert!(!list.data.is_empty());
}

#[test]
fn payments() {
    let one: Payment = round_trip("payments/get.json");
    assert!(
        one.pay_method.is_some(),
        "payments/get.json carries a pay_method"
    );
    let _: List<Payment> = round_trip("payments/list.json");
}

#[test]
fn refunds() {
    let created: Refund = round_trip("payments/refund.json");
    assert!(created.id.starts_with("PR"));
    let _: List<Refund> = round_trip("payments/refunds.json");
    let _: Refund = round_trip("refunds/get.json");
    let _: List<Refund> = round_trip("refunds/list.json");
}

#[test]
fn subscriptions_and_periods() {
    let one: Subscription = round_trip("subscriptions/get.json");
    assert!(one.id.starts_with("PS"));
    let _: List<Subscription> = round_trip("subscriptions/list.json");
    let _: List<SubscriptionPeriod> = round_trip("subscriptions/subscription_periods.json");
    let period: SubscriptionPeriod = round_trip("subscription_periods/get.json");
    assert!(period.id.starts_with("SP"));
}

#[test]
fn webhooks() {
    let one: Webhook = round_trip("webhooks/get.json");
    assert!(one.id.starts_with("WH"));
    let _: List<Webhook> = round_trip("webhooks/list.json");
}

#[test]
fn every_sample_is_covered() {
    let root = sample_path("");
    let mut count = 0;
    for group in std::fs::read_dir(&root).expect("samples folder") {
        let group = group.unwrap().path();
        if group.is_dir() {
            count += std::fs::read_dir(&group)
                .unwrap()
                .filter(|e| {
                    e.as_ref()
                        .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "json"))
                })
                .count();
        }
    }
    // The tests above name 26 files; a new sample must get a line there too.
    assert_eq!(
        count, 26,
        "wire-sample count changed; add the new files to this test"
    );
}

fn payment_with_pay_method(pay_method: Option<Value>) -> Value {
    let mut payment: Value = serde_json::from_slice(&read_sample("payments/get.json")).unwrap();
    let object = payment.as_object_mut().unwrap();
    match pay_method {
        Some(value) => object.insert("pay_method".to_owned(), value),
        None => object.remove("pay_method"),
    };
    payment
}

#[test]
fn null_or_absent_pay_method_is_none() {
    let null: Payment = serde_json::from_value(payment_with_pay_method(Some(Value::Null))).unwrap();
    assert_eq!(null.pay_method, None);
    let absent: Payment = serde_json::from_value(payment_with_pay_method(None)).unwrap();
    assert_eq!(absent.pay_method, None);
    let short: Payment = serde_json::from_value(payment_with_pay_method(Some(
        serde_json::json!({"id": "ideal", "name": "iDEAL", "type": "pay_method"}),
    )))
    .unwrap();
    assert_eq!(short.pay_method.map(|m| m.name), Some("iDEAL".to_owned()));
}

#[test]
fn a_refund_payload_is_never_decoded_as_a_payment() {
    let refund: Value = serde_json::from_slice(&read_sample("refunds/get.json")).unwrap();
    let event = serde_json::json!({
        "id": "EVTEST", "type": "event", "event_type": "refund.created",
        "payload": refund, "created_at": "2023-12-11T15:31:14Z", "_links": {"self": "https://api.paypro.nl/events/EVTEST"}
    });
    let decoded: Event = serde_json::from_value(event).unwrap();
    assert!(
        matches!(decoded.payload, EventPayload::Refund(_)),
        "{:?}",
        decoded.payload
    );
}

#[test]
fn an_unknown_payload_type_is_kept() {
    let event = serde_json::json!({
        "id": "EVTEST", "type": "event", "event_type": "payout.paid",
        "payload": {"id": "PO1", "type": "payout", "amount": 5}, "created_at": "2023-12-11T15:31:14Z", "_links": {"self": "x"}
    });
    let decoded: Event = serde_json::from_value(event.clone()).unwrap();
    let EventPayload::Unknown(kept) = &decoded.payload else {
        panic!("expected Unknown, got {:?}", decoded.payload)
    };
    assert_eq!(kept.as_json(), &event["payload"]);
    assert_eq!(
        serde_json::to_value(&decoded).unwrap()["payload"],
        event["payload"]
    );
}

#[test]
fn a_bad_member_inside_a_payload_is_named() {
    let mut payment: Value = serde_json::from_slice(&read_sample("payments/get.json")).unwrap();
    payment["amount"] = serde_json::json!("not a number");
    let event = serde_json::json!({
        "id": "EVTEST", "type": "event", "event_type": "payment.created",
        "payload": payment, "created_at": "2023-12-11T15:31:14Z", "_links": {"self": "x"}
    });
    let error = serde_json::from_value::<Event>(event)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("tag `payment`") && error.contains("amount"),
        "{error}"
    );
}

/// PayPro's PHP client fixture for a subscription repeats `cancel_at`; the client keeps the
/// last value instead of refusing the whole response.
#[tokio::test]
async fn a_response_with_a_repeated_key_still_decodes() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let mut body = String::from_utf8(read_sample("subscriptions/get.json")).unwrap();
    let brace = body.rfind('}').unwrap();
    body.insert_str(brace, r#", "cancel_at": "2031-01-01""#);
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/subscriptions/PS1"))
        .respond_with(ResponseTemplate::new(200).set_body_string(body))
        .mount(&server)
        .await;
    let client = paypro::Client::builder("pp_test")
        .base_url(server.uri())
        .build()
        .unwrap();
    let subscription = client.subscriptions().get("PS1").await.unwrap();
    assert_eq!(
        subscription.cancel_at,
        Some(chrono::NaiveDate::from_ymd_opt(2031, 1, 1).unwrap())
    );
}
