//! Every GET and DELETE operation, called through its generated method against a local mock
//! server: method, exact path and query, headers, the absence of a body, and the decoded result.
//!
//! The POST and PATCH operations are in `operations_with_body.rs`; the two files split
//! `fixtures/operations.tsv` by method, so together they cover all 58 operations.

mod support;

use paypro::resources::*;
use support::{Case, MockPayPro, balance, list_of, payout, sample, top_up};

const PAYMENT: &str = "PPSKN6FAN8KNE1";
const REFUND: &str = "PRNAUYTZ727UED";
const CHARGEBACK: &str = "PCV4U1P3UZTQPU";
const CUSTOMER: &str = "CU10TV703T84E0";
const MANDATE: &str = "MDQVT0CGB8Z5JK";
const SUBSCRIPTION: &str = "PS8PTGUPZTSLBP";
const SUBSCRIPTION_PERIOD: &str = "SPCMTC4RJLPNWT";
const PLAN: &str = "PIPLEMXPQMHB544";
const PLAN_PERIOD: &str = "IPD344S1PDY8XX";
const EVENT: &str = "EVYK7KCFJAXA23UKSG";
const WEBHOOK: &str = "WH43CVU3A1TD6Z";
const BALANCE: &str = "PBA7HA516X604D";
const PAYOUT: &str = "POC6YK7MZ8W2QF";
const TOP_UP: &str = "TUMKR465ZG6QDU";

/// Checks a list operation three ways: without parameters (no query string at all), with
/// `limit` and `cursor` set on its params struct, and through its `list_all_with` stream, whose
/// first request carries the caller's `limit` and no cursor.
macro_rules! check_list {
    ($mock:ident, $template:literal, $response:expr,
     $handle:ident().$list:ident / $list_with:ident / $list_all_with:ident($($id:expr)?)
     with $params:ident) => {{
        let client = $mock.client.clone();
        let id = first_or_empty(&[$($id)?]);
        let page = $response;
        let bare = Case::new("GET", $template, id, page.clone());
        $mock.check(bare, client.$handle().$list($($id)?)).await;
        let params = $params::default().limit(5).cursor("bjpQUDM1QzZCS1BQU1I0UQ");
        let paged = Case::new("GET", $template, id, page.clone())
            .query("limit=5&cursor=bjpQUDM1QzZCS1BQU1I0UQ");
        $mock.check(paged, client.$handle().$list_with($($id,)? params)).await;
        let all = Case::new("GET", $template, id, page).query("limit=5");
        $mock
            .check_stream(all, client.$handle().$list_all_with($($id,)? $params::default().limit(5)))
            .await;
    }};
}

fn first_or_empty<'a>(ids: &[&'a str]) -> &'a str {
    ids.first().copied().unwrap_or_default()
}

#[tokio::test]
async fn every_get_and_delete_operation_sends_what_the_api_expects() {
    let mock = MockPayPro::start().await;
    let c = mock.client.clone();
    let get = |template, id, response| Case::new("GET", template, id, response);
    let delete = |template, id, response| Case::new("DELETE", template, id, response);

    let payment = sample("payments/get.json");
    mock.check(
        get("/payments/{id}", PAYMENT, payment.clone()),
        c.payments().get(PAYMENT),
    )
    .await;
    mock.check(
        delete("/payments/{id}", PAYMENT, payment),
        c.payments().cancel(PAYMENT),
    )
    .await;
    check_list!(
        mock,
        "/payments",
        sample("payments/list.json"),
        payments().list / list_with / list_all_with() with PaymentsListParams
    );
    check_list!(
        mock,
        "/payments/{id}/chargebacks",
        sample("payments/chargebacks.json"),
        payments().list_chargebacks / list_chargebacks_with / list_all_chargebacks_with(PAYMENT) with PaymentsListChargebacksParams
    );
    check_list!(
        mock,
        "/payments/{id}/refunds",
        sample("payments/refunds.json"),
        payments().list_refunds / list_refunds_with / list_all_refunds_with(PAYMENT) with PaymentsListRefundsParams
    );

    let refund = sample("refunds/get.json");
    mock.check(
        get("/refunds/{id}", REFUND, refund.clone()),
        c.refunds().get(REFUND),
    )
    .await;
    mock.check(
        delete("/refunds/{id}", REFUND, refund),
        c.refunds().cancel(REFUND),
    )
    .await;
    check_list!(
        mock,
        "/refunds",
        sample("refunds/list.json"),
        refunds().list / list_with / list_all_with() with RefundsListParams
    );

    let chargeback = sample("chargebacks/get.json");
    mock.check(
        get("/chargebacks/{id}", CHARGEBACK, chargeback),
        c.chargebacks().get(CHARGEBACK),
    )
    .await;
    check_list!(
        mock,
        "/chargebacks",
        sample("chargebacks/list.json"),
        chargebacks().list / list_with / list_all_with() with ChargebacksListParams
    );

    check_list!(
        mock,
        "/pay_methods",
        sample("pay_methods/list.json"),
        pay_methods().list / list_with / list_all_with() with PayMethodsListParams
    );

    let customer = sample("customers/get.json");
    mock.check(
        get("/customers/{id}", CUSTOMER, customer),
        c.customers().get(CUSTOMER),
    )
    .await;
    check_list!(
        mock,
        "/customers",
        sample("customers/list.json"),
        customers().list / list_with / list_all_with() with CustomersListParams
    );
    check_list!(
        mock,
        "/customers/{id}/subscriptions",
        sample("subscriptions/list.json"),
        customers().list_subscriptions / list_subscriptions_with / list_all_subscriptions_with(CUSTOMER) with CustomersListSubscriptionsParams
    );
    check_list!(
        mock,
        "/customers/{id}/mandates",
        sample("mandates/list.json"),
        customers().list_mandates / list_mandates_with / list_all_mandates_with(CUSTOMER) with CustomersListMandatesParams
    );

    let mandate = sample("mandates/get.json");
    mock.check(
        get("/mandates/{id}", MANDATE, mandate),
        c.mandates().get(MANDATE),
    )
    .await;
    check_list!(
        mock,
        "/mandates",
        sample("mandates/list.json"),
        mandates().list / list_with / list_all_with() with MandatesListParams
    );

    let subscription = sample("subscriptions/get.json");
    mock.check(
        get("/subscriptions/{id}", SUBSCRIPTION, subscription.clone()),
        c.subscriptions().get(SUBSCRIPTION),
    )
    .await;
    mock.check(
        delete("/subscriptions/{id}", SUBSCRIPTION, subscription),
        c.subscriptions().cancel(SUBSCRIPTION),
    )
    .await;
    check_list!(
        mock,
        "/subscriptions",
        sample("subscriptions/list.json"),
        subscriptions().list / list_with / list_all_with() with SubscriptionsListParams
    );
    check_list!(
        mock,
        "/subscriptions/{id}/subscription_periods",
        sample("subscriptions/subscription_periods.json"),
        subscriptions().list_subscription_periods / list_subscription_periods_with / list_all_subscription_periods_with(SUBSCRIPTION) with SubscriptionsListSubscriptionPeriodsParams
    );

    let period = sample("subscription_periods/get.json");
    mock.check(
        get("/subscription_periods/{id}", SUBSCRIPTION_PERIOD, period),
        c.subscription_periods().get(SUBSCRIPTION_PERIOD),
    )
    .await;
    check_list!(
        mock,
        "/subscription_periods/{id}/payments",
        sample("payments/list.json"),
        subscription_periods().list_payments / list_payments_with / list_all_payments_with(SUBSCRIPTION_PERIOD) with SubscriptionPeriodsListPaymentsParams
    );

    let plan = sample("installment_plans/get.json");
    check_list!(
        mock,
        "/installment_plans",
        sample("installment_plans/list.json"),
        installment_plans().list / list_with / list_all_with() with InstallmentPlansListParams
    );
    mock.check(
        get("/installment_plans/{id}", PLAN, plan.clone()),
        c.installment_plans().get(PLAN),
    )
    .await;
    mock.check(
        delete("/installment_plans/{id}", PLAN, plan),
        c.installment_plans().cancel(PLAN),
    )
    .await;
    check_list!(
        mock,
        "/installment_plans/{id}/installment_plan_periods",
        sample("installment_plans/installment_plan_periods.json"),
        installment_plans().list_installment_plan_periods / list_installment_plan_periods_with / list_all_installment_plan_periods_with(PLAN) with InstallmentPlansListInstallmentPlanPeriodsParams
    );

    let plan_period = sample("installment_plan_periods/get.json");
    mock.check(
        get("/installment_plan_periods/{id}", PLAN_PERIOD, plan_period),
        c.installment_plan_periods().get(PLAN_PERIOD),
    )
    .await;
    check_list!(
        mock,
        "/installment_plan_periods/{id}/payments",
        sample("payments/list.json"),
        installment_plan_periods().list_payments / list_payments_with / list_all_payments_with(PLAN_PERIOD) with InstallmentPlanPeriodsListPaymentsParams
    );

    let event = sample("events/get.json");
    mock.check(get("/events/{id}", EVENT, event), c.events().get(EVENT))
        .await;
    check_list!(
        mock,
        "/events",
        sample("events/list.json"),
        events().list / list_with / list_all_with() with EventsListParams
    );

    let webhook = sample("webhooks/get.json");
    mock.check(
        get("/webhooks/{id}", WEBHOOK, webhook.clone()),
        c.webhooks().get(WEBHOOK),
    )
    .await;
    mock.check(
        delete("/webhooks/{id}", WEBHOOK, webhook),
        c.webhooks().delete(WEBHOOK),
    )
    .await;
    check_list!(
        mock,
        "/webhooks",
        sample("webhooks/list.json"),
        webhooks().list / list_with / list_all_with() with WebhooksListParams
    );

    mock.check(
        get("/balances/{id}", BALANCE, balance()),
        c.balances().get(BALANCE),
    )
    .await;
    check_list!(
        mock,
        "/balances",
        list_of(balance()),
        balances().list / list_with / list_all_with() with BalancesListParams
    );

    mock.check(
        get("/payouts/{id}", PAYOUT, payout()),
        c.payouts().get(PAYOUT),
    )
    .await;
    check_list!(
        mock,
        "/payouts",
        list_of(payout()),
        payouts().list / list_with / list_all_with() with PayoutsListParams
    );

    mock.check(
        get("/top_ups/{id}", TOP_UP, top_up()),
        c.top_ups().get(TOP_UP),
    )
    .await;
    check_list!(
        mock,
        "/top_ups",
        list_of(top_up()),
        top_ups().list / list_with / list_all_with() with TopUpsListParams
    );

    mock.assert_covers(&["GET", "DELETE"]);
}

/// Path parameters are percent-encoded, so an id can never reach another endpoint.
#[tokio::test]
async fn ids_are_encoded_into_one_path_segment() {
    let mock = MockPayPro::start().await;
    let case = Case::new(
        "GET",
        "/payments/{id}",
        "a%2Fb%20c",
        sample("payments/get.json"),
    );
    mock.check(case, mock.client.payments().get("a/b c")).await;
}
