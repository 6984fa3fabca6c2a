//! Contract tests against Prism, a mock server that validates requests (and its own responses)
//! against `openapi.json`, the overlaid spec this crate was generated from.
//!
//! Every one of the 58 operations is called through the generated client with a valid request;
//! Prism must accept it, and the client must decode Prism's example response. Prism runs with
//! `--errors`, so a request or response that breaks the spec comes back as a 4xx or 500 problem
//! report, which fails the test with Prism's own explanation.
//!
//! Prism is found through `PRISM_BIN`, or in `target/prism`, where the test installs it with npm
//! when it is missing; without npm the test fails rather than pass without checking anything.

mod support;

use std::collections::BTreeSet;
use std::future::Future;
use std::time::Duration;

use paypro::resources::*;
use paypro::{Client, Error, Patch, models};
use serde_json::json;
use support::prism::Prism;
use support::{monthly, object};

const KEY: &str = "pp_prism0123456789abcdefghijklmnop";

#[tokio::test]
async fn every_operation_is_accepted_by_prism_and_its_examples_decode() {
    let prism = Prism::start();
    prism.assert_validates_requests(KEY).await;

    let client = Client::builder(KEY)
        .base_url(prism.url())
        .timeout(Duration::from_secs(10))
        .max_retries(0)
        .build()
        .expect("client builds");
    let mut contract = Contract {
        prism: &prism,
        failures: Vec::new(),
        covered: BTreeSet::new(),
    };
    call_every_operation(&mut contract, &client).await;

    assert!(
        contract.failures.is_empty(),
        "{} of 58 operations failed against Prism:\n\n{}",
        contract.failures.len(),
        contract.failures.join("\n\n")
    );
    let expected: BTreeSet<String> = support::operations()
        .into_iter()
        .map(|(method, path)| format!("{method} {path}"))
        .collect();
    assert_eq!(
        contract.covered, expected,
        "operations called vs operations.tsv"
    );
}

/// Calls every operation once and records what failed, so one run reports every problem.
async fn call_every_operation(t: &mut Contract<'_>, c: &Client) {
    // Every list operation's params struct has `limit` and `cursor` setters.
    macro_rules! page {
        ($params:ident) => {
            $params::default()
                .limit(10)
                .cursor("bjpQUDM1QzZCS1BQU1I0UQ")
        };
    }
    let eur = models::Currency::Eur;
    let id = "X1";
    // Each handle outlives the futures that borrow it.
    let api_payments = c.payments();
    let api_refunds = c.refunds();
    let api_chargebacks = c.chargebacks();
    let api_pay_methods = c.pay_methods();
    let api_customers = c.customers();
    let api_mandates = c.mandates();
    let api_subscriptions = c.subscriptions();
    let api_subscription_periods = c.subscription_periods();
    let api_installment_plans = c.installment_plans();
    let api_installment_plan_periods = c.installment_plan_periods();
    let api_events = c.events();
    let api_webhooks = c.webhooks();
    let api_balances = c.balances();
    let api_payouts = c.payouts();
    let api_top_ups = c.top_ups();

    t.call("GET /payments/{id}", api_payments.get(id)).await;
    t.call("DELETE /payments/{id}", api_payments.cancel(id))
        .await;
    t.call(
        "GET /payments",
        api_payments.list_with(page!(PaymentsListParams)),
    )
    .await;
    let mut payment = models::CreatePaymentRequest::new(1000, eur.clone(), "Order 42");
    payment.return_url = Patch::Set("https://shop.example/return".into());
    payment.cancel_url = Patch::Null;
    payment.pay_methods = Patch::Set(vec![models::CreatePaymentRequestPayMethod::Ideal]);
    payment.metadata = Patch::Set(object(json!({"order_id": 42})));
    payment.locale = Patch::Set(models::Locale::Nl);
    t.call("POST /payments", api_payments.create(&payment))
        .await;
    let chargebacks = api_payments.list_chargebacks_with(id, page!(PaymentsListChargebacksParams));
    t.call("GET /payments/{id}/chargebacks", chargebacks).await;
    t.call(
        "GET /payments/{id}/refunds",
        api_payments.list_refunds_with(id, page!(PaymentsListRefundsParams)),
    )
    .await;
    let mut refund = models::CreateRefundForPaymentRequest::new(500);
    refund.description = Patch::Set("Broken item".into());
    refund.iban = Patch::Null;
    t.call(
        "POST /payments/{id}/refunds",
        api_payments.create_refund(id, &refund),
    )
    .await;

    t.call("GET /refunds/{id}", api_refunds.get(id)).await;
    t.call("DELETE /refunds/{id}", api_refunds.cancel(id)).await;
    t.call(
        "GET /refunds",
        api_refunds.list_with(page!(RefundsListParams)),
    )
    .await;
    t.call("GET /chargebacks/{id}", api_chargebacks.get(id))
        .await;
    t.call(
        "GET /chargebacks",
        api_chargebacks.list_with(page!(ChargebacksListParams)),
    )
    .await;
    t.call(
        "GET /pay_methods",
        api_pay_methods.list_with(page!(PayMethodsListParams)),
    )
    .await;

    t.call("GET /customers/{id}", api_customers.get(id)).await;
    let mut update = models::UpdateCustomerRequest::default();
    update.email = Patch::Set("jan@example.nl".into());
    update.company_name = Patch::Null;
    t.call("PATCH /customers/{id}", api_customers.update(id, &update))
        .await;
    t.call(
        "GET /customers",
        api_customers.list_with(page!(CustomersListParams)),
    )
    .await;
    let mut customer = models::CreateCustomerRequest::default();
    customer.first_name = Patch::Set("Jan".into());
    t.call("POST /customers", api_customers.create(&customer))
        .await;
    let subscriptions =
        api_customers.list_subscriptions_with(id, page!(CustomersListSubscriptionsParams));
    t.call("GET /customers/{id}/subscriptions", subscriptions)
        .await;
    t.call(
        "GET /customers/{id}/mandates",
        api_customers.list_mandates_with(id, page!(CustomersListMandatesParams)),
    )
    .await;

    t.call("GET /mandates/{id}", api_mandates.get(id)).await;
    t.call(
        "GET /mandates",
        api_mandates.list_with(page!(MandatesListParams)),
    )
    .await;
    let direct_debit = models::CreateMandateRequestPayMethod::DirectDebit;
    let mut mandate = models::CreateMandateRequest::new("CU1", direct_debit);
    mandate.iban = Patch::Set("NL47ABNA0612205029".into());
    t.call("POST /mandates", api_mandates.create(&mandate))
        .await;

    t.call("GET /subscriptions/{id}", api_subscriptions.get(id))
        .await;
    let mut period = models::UpdateSubscriptionRequestPeriod::default();
    period.amount = Some(1500);
    period.vat = Patch::Null;
    let mut update = models::UpdateSubscriptionRequest::default();
    update.description = Some("Gold plan".into());
    update.cancel_at = Patch::Null;
    update.period = Some(period);
    t.call(
        "PATCH /subscriptions/{id}",
        api_subscriptions.update(id, &update),
    )
    .await;
    t.call("DELETE /subscriptions/{id}", api_subscriptions.cancel(id))
        .await;
    t.call(
        "GET /subscriptions",
        api_subscriptions.list_with(page!(SubscriptionsListParams)),
    )
    .await;
    let mut subscription =
        models::CreateSubscriptionRequest::new(eur.clone(), "CU1", "Monthly box", monthly(1000));
    subscription.mandate = Patch::Set("MD1".into());
    subscription.scheduling = Some(models::Scheduling::Automatic);
    t.call(
        "POST /subscriptions",
        api_subscriptions.create(&subscription),
    )
    .await;
    t.call(
        "POST /subscriptions/{id}/pause",
        api_subscriptions.pause(id),
    )
    .await;
    t.call(
        "POST /subscriptions/{id}/resume",
        api_subscriptions.resume(id),
    )
    .await;
    let periods = api_subscriptions
        .list_subscription_periods_with(id, page!(SubscriptionsListSubscriptionPeriodsParams));
    t.call("GET /subscriptions/{id}/subscription_periods", periods)
        .await;
    let period = models::CreateSubscriptionPeriodRequest::new(1000);
    let created = api_subscriptions.create_subscription_period(id, &period);
    t.call("POST /subscriptions/{id}/subscription_periods", created)
        .await;

    t.call(
        "GET /subscription_periods/{id}",
        api_subscription_periods.get(id),
    )
    .await;
    let payments = api_subscription_periods
        .list_payments_with(id, page!(SubscriptionPeriodsListPaymentsParams));
    t.call("GET /subscription_periods/{id}/payments", payments)
        .await;

    t.call(
        "GET /installment_plans",
        api_installment_plans.list_with(page!(InstallmentPlansListParams)),
    )
    .await;
    let plan =
        models::CreateInstallmentPlanRequest::new(eur.clone(), "CU1", "Sofa", 3.0, monthly(10000));
    t.call(
        "POST /installment_plans",
        api_installment_plans.create(&plan),
    )
    .await;
    t.call("GET /installment_plans/{id}", api_installment_plans.get(id))
        .await;
    let mut update = models::UpdateInstallmentPlanRequest::default();
    update.number_of_periods = Some(4.0);
    update.next_debit_date = Patch::Null;
    let updated = api_installment_plans.update(id, &update);
    t.call("PATCH /installment_plans/{id}", updated).await;
    t.call(
        "DELETE /installment_plans/{id}",
        api_installment_plans.cancel(id),
    )
    .await;
    let periods = api_installment_plans.list_installment_plan_periods_with(
        id,
        page!(InstallmentPlansListInstallmentPlanPeriodsParams),
    );
    t.call(
        "GET /installment_plans/{id}/installment_plan_periods",
        periods,
    )
    .await;
    t.call(
        "POST /installment_plans/{id}/pause",
        api_installment_plans.pause(id),
    )
    .await;
    t.call(
        "POST /installment_plans/{id}/resume",
        api_installment_plans.resume(id),
    )
    .await;
    let period = api_installment_plan_periods.get(id);
    t.call("GET /installment_plan_periods/{id}", period).await;
    let payments = api_installment_plan_periods
        .list_payments_with(id, page!(InstallmentPlanPeriodsListPaymentsParams));
    t.call("GET /installment_plan_periods/{id}/payments", payments)
        .await;

    t.call("GET /events/{id}", api_events.get(id)).await;
    t.call("GET /events", api_events.list_with(page!(EventsListParams)))
        .await;

    t.call("GET /webhooks/{id}", api_webhooks.get(id)).await;
    let mut update = models::UpdateWebhookRequest::default();
    update.active = Patch::Set(false);
    update.description = Patch::Null;
    t.call("PATCH /webhooks/{id}", api_webhooks.update(id, &update))
        .await;
    t.call("DELETE /webhooks/{id}", api_webhooks.delete(id))
        .await;
    t.call(
        "GET /webhooks",
        api_webhooks.list_with(page!(WebhooksListParams)),
    )
    .await;
    let mut webhook = models::CreateWebhookRequest::new("Shop", "https://shop.example/paypro");
    webhook.enabled_event_types = Some(vec!["all".into()]);
    t.call("POST /webhooks", api_webhooks.create(&webhook))
        .await;

    t.call("GET /balances/{id}", api_balances.get(id)).await;
    t.call(
        "GET /balances",
        api_balances.list_with(page!(BalancesListParams)),
    )
    .await;
    t.call("GET /payouts/{id}", api_payouts.get(id)).await;
    t.call(
        "GET /payouts",
        api_payouts.list_with(page!(PayoutsListParams)),
    )
    .await;
    let payout = models::CreatePayoutRequest::new(10000, eur.clone());
    t.call("POST /payouts", api_payouts.create(&payout)).await;
    t.call("GET /top_ups/{id}", api_top_ups.get(id)).await;
    t.call(
        "GET /top_ups",
        api_top_ups.list_with(page!(TopUpsListParams)),
    )
    .await;
    let mut top_up = models::CreateTopUpRequest::new(2500);
    top_up.currency = Some(eur);
    top_up.pay_method = Patch::Set(models::CreatePaymentRequestPayMethod::Ideal);
    top_up.locale = Patch::Null;
    t.call("POST /top_ups", api_top_ups.create(&top_up)).await;
}

/// Runs calls against Prism, collecting failures with Prism's explanation of each.
struct Contract<'a> {
    prism: &'a Prism,
    failures: Vec<String>,
    covered: BTreeSet<String>,
}

impl Contract<'_> {
    async fn call<T>(&mut self, label: &str, call: impl Future<Output = Result<T, Error>>) {
        self.covered.insert(label.to_owned());
        let log_start = self.prism.log_len();
        let Err(error) = call.await else { return };
        // Prism's output is copied by other threads; give it a moment to catch up.
        tokio::time::sleep(Duration::from_millis(200)).await;
        let detail = match &error {
            // Prism's problem report names the rule that was broken; its log names the value.
            Error::Api(api) => format!(
                "Prism answered {}: {}\nPrism's log:\n{}",
                api.status,
                api.body.as_deref().unwrap_or_default(),
                self.prism.log_since(log_start)
            ),
            other => other.to_string(),
        };
        self.failures.push(format!("{label}: {detail}"));
    }
}
