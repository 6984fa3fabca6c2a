//! Every POST and PATCH operation, called through its generated method against a local mock
//! server: method, exact path, headers, the exact JSON body (or none, for pause and resume), and
//! the decoded result.
//!
//! The GET and DELETE operations are in `operations.rs`; the two files split
//! `fixtures/operations.tsv` by method, so together they cover all 58 operations.

mod support;

use paypro::Patch;
use paypro::models::{
    CreateCustomerRequest, CreateInstallmentPlanRequest, CreateMandateRequest,
    CreateMandateRequestPayMethod, CreatePaymentRequest, CreatePaymentRequestPayMethod,
    CreatePayoutRequest, CreateRefundForPaymentRequest, CreateSubscriptionPeriodRequest,
    CreateSubscriptionRequest, CreateTopUpRequest, CreateWebhookRequest, Currency, Locale,
    Scheduling, UpdateCustomerRequest, UpdateInstallmentPlanRequest,
    UpdateInstallmentPlanRequestPeriod, UpdateSubscriptionRequest,
    UpdateSubscriptionRequestFirstPeriod, UpdateSubscriptionRequestPeriod, UpdateWebhookRequest,
};
use serde_json::json;
use support::{Case, MockPayPro, monthly, object, payout, sample, top_up};

const PAYMENT: &str = "PPSKN6FAN8KNE1";
const CUSTOMER: &str = "CU10TV703T84E0";
const MANDATE: &str = "MDQVT0CGB8Z5JK";
const SUBSCRIPTION: &str = "PS8PTGUPZTSLBP";
const PLAN: &str = "PIPLEMXPQMHB544";
const WEBHOOK: &str = "WH43CVU3A1TD6Z";

#[tokio::test]
async fn every_post_and_patch_operation_sends_exactly_its_body() {
    let mock = MockPayPro::start().await;
    let c = mock.client.clone();
    let post = |template, id, response| Case::new("POST", template, id, response);
    let patch = |template, id, response| Case::new("PATCH", template, id, response);
    let payment = sample("payments/get.json");
    let customer = sample("customers/get.json");
    let subscription = sample("subscriptions/get.json");
    let plan = sample("installment_plans/get.json");
    let webhook = sample("webhooks/get.json");

    // Optional members: `Set` is sent, `Null` is sent as null, `Unset` is left out.
    let mut request = CreatePaymentRequest::new(1000, Currency::Eur, "Order 42");
    request.return_url = Patch::Set("https://shop.example/return".into());
    request.cancel_url = Patch::Null;
    request.pay_methods = Patch::Set(vec![
        CreatePaymentRequestPayMethod::Ideal,
        CreatePaymentRequestPayMethod::BankTransfer,
    ]);
    request.metadata = Patch::Set(object(json!({"order_id": 42})));
    request.locale = Patch::Set(Locale::Nl);
    let case = post("/payments", "", payment).status(201).body(json!({
        "amount": 1000, "currency": "EUR", "description": "Order 42",
        "return_url": "https://shop.example/return", "cancel_url": null,
        "pay_methods": ["ideal", "bank-transfer"], "metadata": {"order_id": 42}, "locale": "nl"
    }));
    mock.check(case, c.payments().create(&request)).await;

    let mut request = CreateRefundForPaymentRequest::new(500);
    request.description = Patch::Set("Broken item".into());
    let case = post(
        "/payments/{id}/refunds",
        PAYMENT,
        sample("payments/refund.json"),
    )
    .status(201)
    .body(json!({"amount": 500, "description": "Broken item"}));
    mock.check(case, c.payments().create_refund(PAYMENT, &request))
        .await;

    // An update sends only what changes: the e-mail address is set, the company name cleared.
    let mut request = UpdateCustomerRequest::default();
    request.email = Patch::Set("jan@example.nl".into());
    request.company_name = Patch::Null;
    let case = patch("/customers/{id}", CUSTOMER, customer.clone())
        .body(json!({"email": "jan@example.nl", "company_name": null}));
    mock.check(case, c.customers().update(CUSTOMER, &request))
        .await;

    let mut request = CreateCustomerRequest::default();
    request.first_name = Patch::Set("Jan".into());
    request.country = Patch::Set("NL".into());
    let case = post("/customers", "", customer)
        .status(201)
        .body(json!({"first_name": "Jan", "country": "NL"}));
    mock.check(case, c.customers().create(&request)).await;

    let mut request =
        CreateMandateRequest::new(CUSTOMER, CreateMandateRequestPayMethod::DirectDebit);
    request.iban = Patch::Set("NL47ABNA0612205029".into());
    request.account_holder_name = Patch::Set("J. Jansen".into());
    let case = post("/mandates", "", sample("mandates/get.json"))
        .status(201)
        .body(json!({
            "customer": CUSTOMER, "pay_method": "direct-debit",
            "iban": "NL47ABNA0612205029", "account_holder_name": "J. Jansen"
        }));
    mock.check(case, c.mandates().create(&request)).await;

    let mut period = UpdateSubscriptionRequestPeriod::default();
    period.amount = Some(1500);
    period.vat = Patch::Null;
    let mut request = UpdateSubscriptionRequest::default();
    request.description = Some("Gold plan".into());
    request.cancel_at = Patch::Null;
    request.period = Some(period);
    let case = patch("/subscriptions/{id}", SUBSCRIPTION, subscription.clone()).body(json!({
        "description": "Gold plan", "cancel_at": null, "period": {"amount": 1500, "vat": null}
    }));
    mock.check(case, c.subscriptions().update(SUBSCRIPTION, &request))
        .await;

    let mut request =
        CreateSubscriptionRequest::new(Currency::Eur, CUSTOMER, "Monthly box", monthly(1000));
    request.mandate = Patch::Set(MANDATE.into());
    let mut first_period = UpdateSubscriptionRequestFirstPeriod::default();
    first_period.amount = Some(100);
    request.first_period = Patch::Set(first_period);
    request.scheduling = Some(Scheduling::Manual);
    let case = post("/subscriptions", "", subscription.clone()).status(201).body(json!({
        "customer": CUSTOMER, "description": "Monthly box", "currency": "EUR", "mandate": MANDATE,
        "period": {"amount": 1000, "vat": 21.0, "interval": "month", "multiplier": 1},
        "first_period": {"amount": 100}, "scheduling": "manual"
    }));
    mock.check(case, c.subscriptions().create(&request)).await;

    // Pause and resume are POSTs without a body: no content type, no bytes.
    let case = post(
        "/subscriptions/{id}/pause",
        SUBSCRIPTION,
        subscription.clone(),
    );
    mock.check(case, c.subscriptions().pause(SUBSCRIPTION))
        .await;
    let case = post("/subscriptions/{id}/resume", SUBSCRIPTION, subscription);
    mock.check(case, c.subscriptions().resume(SUBSCRIPTION))
        .await;

    let mut request = CreateSubscriptionPeriodRequest::new(1000);
    request.description = Some("Extra delivery".into());
    let period = sample("subscription_periods/get.json");
    let case = post(
        "/subscriptions/{id}/subscription_periods",
        SUBSCRIPTION,
        period,
    )
    .status(201)
    .body(json!({"amount": 1000, "description": "Extra delivery"}));
    mock.check(
        case,
        c.subscriptions()
            .create_subscription_period(SUBSCRIPTION, &request),
    )
    .await;

    let mut request =
        CreateInstallmentPlanRequest::new(Currency::Eur, CUSTOMER, "Sofa", 3.0, monthly(10000));
    request.mandate = Some(MANDATE.into());
    let case = post("/installment_plans", "", plan.clone())
        .status(201)
        .body(json!({
            "customer": CUSTOMER, "mandate": MANDATE, "description": "Sofa", "currency": "EUR",
            "period": {"amount": 10000, "vat": 21.0, "interval": "month", "multiplier": 1},
            "number_of_periods": 3.0
        }));
    mock.check(case, c.installment_plans().create(&request))
        .await;

    let mut period = UpdateInstallmentPlanRequestPeriod::default();
    period.multiplier = Some(2);
    let mut request = UpdateInstallmentPlanRequest::default();
    request.number_of_periods = Some(4.0);
    request.period = Some(period);
    request.next_debit_date = Patch::Null;
    let case = patch("/installment_plans/{id}", PLAN, plan.clone()).body(json!({
        "number_of_periods": 4.0, "period": {"multiplier": 2}, "next_debit_date": null
    }));
    mock.check(case, c.installment_plans().update(PLAN, &request))
        .await;

    let case = post("/installment_plans/{id}/pause", PLAN, plan.clone());
    mock.check(case, c.installment_plans().pause(PLAN)).await;
    let case = post("/installment_plans/{id}/resume", PLAN, plan);
    mock.check(case, c.installment_plans().resume(PLAN)).await;

    let mut request = UpdateWebhookRequest::default();
    request.active = Patch::Set(false);
    request.description = Patch::Null;
    request.enabled_event_types = Patch::Set(vec!["payment.paid".into()]);
    let case = patch("/webhooks/{id}", WEBHOOK, webhook.clone()).body(json!({
        "active": false, "description": null, "enabled_event_types": ["payment.paid"]
    }));
    mock.check(case, c.webhooks().update(WEBHOOK, &request))
        .await;

    let mut request = CreateWebhookRequest::new("Shop", "https://shop.example/paypro");
    request.enabled_event_types = Some(vec!["all".into()]);
    let case = post("/webhooks", "", webhook).status(201).body(json!({
        "name": "Shop", "url": "https://shop.example/paypro", "enabled_event_types": ["all"]
    }));
    mock.check(case, c.webhooks().create(&request)).await;

    let request = CreatePayoutRequest::new(10000, Currency::Eur);
    let case = post("/payouts", "", payout())
        .status(201)
        .body(json!({"amount": 10000, "currency": "EUR"}));
    mock.check(case, c.payouts().create(&request)).await;

    let mut request = CreateTopUpRequest::new(2500);
    request.currency = Some(Currency::Eur);
    request.pay_method = Patch::Set(CreatePaymentRequestPayMethod::Ideal);
    request.locale = Patch::Null;
    let case = post("/top_ups", "", top_up()).status(201).body(json!({
        "amount": 2500, "currency": "EUR", "pay_method": "ideal", "locale": null
    }));
    mock.check(case, c.top_ups().create(&request)).await;

    mock.assert_covers(&["POST", "PATCH"]);
}

/// A request type without required members sends `{}` when nothing is set, never `null`s.
#[tokio::test]
async fn an_empty_update_sends_an_empty_object() {
    let mock = MockPayPro::start().await;
    let case = Case::new(
        "PATCH",
        "/customers/{id}",
        CUSTOMER,
        sample("customers/get.json"),
    )
    .body(json!({}));
    let request = UpdateCustomerRequest::default();
    mock.check(case, mock.client.customers().update(CUSTOMER, &request))
        .await;
}
