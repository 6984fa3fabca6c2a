//! The change report on pairs of small documents: each edit of one base document is rated as the compatibility rules say, names the Rust item it touches and the pointer that caused it.

use generator::compare::{Level, Report, Rule, compare};
use generator::{Input, model};

/// A small API: a payment with a state enum and a tagged event payload, two operations on
/// payments (one with optional query parameters), and refunds with a cancel.
const BASE: &str = r##"
openapi: 3.0.3
info: {title: Shop, version: "1.0"}
servers: [{url: "https://api.example.com"}]
paths:
  /payments:
    get:
      operationId: listPayments
      tags: [payments]
      parameters:
        - {name: state, in: query, schema: {type: string}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/payment"}}}}}
    post:
      operationId: createPayment
      tags: [payments]
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/payment_request"}}}
      responses:
        "201": {description: created, content: {application/json: {schema: {$ref: "#/components/schemas/payment"}}}}
  /refunds/{id}/cancel:
    post:
      operationId: cancel
      tags: [refunds]
      summary: Cancels a refund.
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/refund"}}}}
components:
  schemas:
    payment:
      type: object
      description: A payment.
      required: [id, amount, state]
      properties:
        id: {type: string, description: The id.}
        amount: {type: integer, format: int64}
        state: {$ref: "#/components/schemas/state"}
        note: {type: string}
    payment_request:
      type: object
      required: [amount]
      properties:
        amount: {type: integer, format: int64}
        description: {type: string}
    refund:
      type: object
      required: [id]
      properties:
        id: {type: string}
        payment: {type: string}
    state:
      type: string
      enum: [open, paid]
    event:
      type: object
      required: [id, payload]
      properties:
        id: {type: string}
        payload:
          oneOf:
            - $ref: "#/components/schemas/payment_payload"
            - $ref: "#/components/schemas/refund_payload"
          discriminator:
            propertyName: type
            mapping:
              payment: "#/components/schemas/payment_payload"
              refund: "#/components/schemas/refund_payload"
    payment_payload:
      type: object
      required: [type]
      properties:
        type: {type: string}
        id: {type: string}
    refund_payload:
      type: object
      required: [type]
      properties:
        type: {type: string}
        id: {type: string}
"##;

fn report(old: &str, new: &str) -> Report {
    let lower = |text: &str, name: &str| {
        model(Input { text, name }, None)
            .unwrap_or_else(|problems| panic!("{name} does not lower: {problems}"))
            .0
    };
    compare(&lower(old, "old.yaml"), &lower(new, "new.yaml"), "paypro")
}

/// The base document with `from` replaced by `to` (exactly once, so a test cannot edit nothing).
fn edited(from: &str, to: &str) -> String {
    assert_eq!(
        BASE.matches(from).count(),
        1,
        "`{from}` must occur once in BASE"
    );
    BASE.replacen(from, to, 1)
}

/// Asserts the verdict and that a change with this rule names this item (and pointer start).
fn expect(report: &Report, level: Level, rule: Rule, item: &str, pointer: &str) {
    let markdown = report.to_markdown();
    assert_eq!(report.verdict(), level, "{markdown}");
    assert!(
        report
            .changes
            .iter()
            .any(|c| c.rule == rule && c.item == item && c.pointer.starts_with(pointer)),
        "no `{}` change of `{item}` at `{pointer}…` in:\n{markdown}",
        rule.id()
    );
    let last = markdown.lines().last().unwrap_or_default();
    assert_eq!(last, format!("semver: {level}"));
}

#[test]
fn the_same_document_reformatted_is_a_patch_with_no_change() {
    // Flow style to block style and back, and JSON: the IR, not the text, is compared.
    let value: serde_json::Value = serde_yaml::from_str(BASE).unwrap();
    let json = serde_json::to_string_pretty(&value).unwrap();
    let yaml = serde_yaml::to_string(&value).unwrap();
    for other in [json, yaml] {
        let report = report(BASE, &other);
        assert!(report.changes.is_empty(), "{}", report.to_markdown());
        let markdown = report.to_markdown();
        assert!(markdown.contains("No change to the client's API."));
        assert!(markdown.ends_with("\nsemver: patch\n"), "{markdown}");
    }
}

#[test]
fn removing_an_operation_is_major() {
    let new = edited("      operationId: cancel\n", "      operationId: void\n");
    let report = report(BASE, &new);
    expect(
        &report,
        Level::Major,
        Rule::OperationRemoved,
        "paypro::resources::Refunds::cancel",
        "/paths/~1refunds~1{id}~1cancel/post",
    );
}

#[test]
fn adding_an_operation_is_minor() {
    let new = edited(
        "components:\n",
        "  /refunds/{id}:\n    get:\n      operationId: getRefund\n      tags: [refunds]\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n      responses:\n        \"200\": {description: ok, content: {application/json: {schema: {$ref: \"#/components/schemas/refund\"}}}}\ncomponents:\n",
    );
    let report = report(BASE, &new);
    expect(
        &report,
        Level::Minor,
        Rule::OperationAdded,
        "paypro::resources::Refunds::get",
        "/paths/~1refunds~1{id}/get",
    );
}

#[test]
fn an_optional_response_field_is_minor_and_a_removed_one_major() {
    let added = edited(
        "        note: {type: string}\n",
        "        note: {type: string}\n        expires_at: {type: string, format: date-time}\n",
    );
    expect(
        &report(BASE, &added),
        Level::Minor,
        Rule::FieldAdded,
        "paypro::models::Payment::expires_at",
        "/components/schemas/payment/properties/expires_at",
    );
    expect(
        &report(&added, BASE),
        Level::Major,
        Rule::FieldRemoved,
        "paypro::models::Payment::expires_at",
        "/components/schemas/payment/properties/expires_at",
    );
}

#[test]
fn a_response_field_made_nullable_is_major() {
    let new = edited(
        "        id: {type: string, description: The id.}\n",
        "        id: {type: string, description: The id., nullable: true}\n",
    );
    expect(
        &report(BASE, &new),
        Level::Major,
        Rule::FieldBecameNullable,
        "paypro::models::Payment::id",
        "/components/schemas/payment/properties/id",
    );
}

#[test]
fn a_new_required_field_changes_the_constructor_and_is_major() {
    // Required in a request: `new` gains an argument.
    let new = edited(
        "      required: [amount]\n",
        "      required: [amount, description]\n",
    );
    let report = report(BASE, &new);
    expect(
        &report,
        Level::Major,
        Rule::ConstructorChanged,
        "paypro::models::PaymentRequest::new",
        "/components/schemas/payment_request",
    );
    assert!(
        report
            .changes
            .iter()
            .any(|c| c.rule == Rule::FieldBecameRequired)
    );
}

#[test]
fn an_optional_request_field_is_minor() {
    let new = edited(
        "        description: {type: string}\n",
        "        description: {type: string}\n        metadata: {type: object}\n",
    );
    expect(
        &report(BASE, &new),
        Level::Minor,
        Rule::FieldAdded,
        "paypro::models::PaymentRequest::metadata",
        "/components/schemas/payment_request/properties/metadata",
    );
}

#[test]
fn enum_values_added_are_minor_and_removed_major() {
    let new = edited(
        "      enum: [open, paid]\n",
        "      enum: [open, paid, expired]\n",
    );
    expect(
        &report(BASE, &new),
        Level::Minor,
        Rule::VariantAdded,
        "paypro::models::State::Expired",
        "/components/schemas/state/enum",
    );
    expect(
        &report(&new, BASE),
        Level::Major,
        Rule::VariantRemoved,
        "paypro::models::State::Expired",
        "/components/schemas/state/enum",
    );
}

#[test]
fn a_union_variant_added_is_minor() {
    let new = edited(
        "              refund: \"#/components/schemas/refund_payload\"\n",
        "              refund: \"#/components/schemas/refund_payload\"\n              payout: \"#/components/schemas/refund_payload\"\n",
    );
    let second_tag = report(BASE, &new);
    // The mapping sends a second tag to an existing member: same variant, another wire value.
    assert_eq!(
        second_tag.verdict(),
        Level::Minor,
        "{}",
        second_tag.to_markdown()
    );
    let added = edited(
        "            - $ref: \"#/components/schemas/refund_payload\"\n",
        "            - $ref: \"#/components/schemas/refund_payload\"\n            - $ref: \"#/components/schemas/refund\"\n",
    )
    .replace(
        "              refund: \"#/components/schemas/refund_payload\"\n",
        "              refund: \"#/components/schemas/refund_payload\"\n              refund_object: \"#/components/schemas/refund\"\n",
    );
    expect(
        &report(BASE, &added),
        Level::Minor,
        Rule::VariantAdded,
        "paypro::models::EventPayload::RefundObject",
        "/components/schemas/event/properties/payload",
    );
}

#[test]
fn optional_parameters_added_are_minor_and_required_ones_major() {
    let optional = edited(
        "        - {name: state, in: query, schema: {type: string}}\n",
        "        - {name: state, in: query, schema: {type: string}}\n        - {name: customer, in: query, schema: {type: string}}\n",
    );
    expect(
        &report(BASE, &optional),
        Level::Minor,
        Rule::ParamAddedOptional,
        "paypro::resources::PaymentsListPaymentsParams::customer",
        "/paths/~1payments/get/parameters",
    );
    let required = edited(
        "        - {name: state, in: query, schema: {type: string}}\n",
        "        - {name: state, in: query, schema: {type: string}}\n        - {name: customer, in: query, required: true, schema: {type: string}}\n",
    );
    expect(
        &report(BASE, &required),
        Level::Major,
        Rule::ArgumentsChanged,
        "paypro::resources::Payments::list_payments",
        "/paths/~1payments/get/parameters",
    );
}

#[test]
fn a_changed_type_is_major() {
    let new = edited(
        "        amount: {type: integer, format: int64}\n        state:",
        "        amount: {type: string}\n        state:",
    );
    expect(
        &report(BASE, &new),
        Level::Major,
        Rule::FieldTypeChanged,
        "paypro::models::Payment::amount",
        "/components/schemas/payment/properties/amount",
    );
}

#[test]
fn a_changed_response_is_major() {
    let new = edited(
        "        \"200\": {description: ok, content: {application/json: {schema: {$ref: \"#/components/schemas/refund\"}}}}\n",
        "        \"204\": {description: cancelled}\n",
    );
    expect(
        &report(BASE, &new),
        Level::Major,
        Rule::ResponseChanged,
        "paypro::resources::Refunds::cancel",
        "/paths/~1refunds~1{id}~1cancel/post/responses",
    );
}

#[test]
fn descriptions_only_are_a_patch() {
    let new = edited(
        "      summary: Cancels a refund.\n",
        "      summary: Cancels a pending refund.\n",
    )
    .replace(
        "{type: string, description: The id.}",
        "{type: string, description: The payment's id.}",
    );
    let report = report(BASE, &new);
    expect(
        &report,
        Level::Patch,
        Rule::DocsChanged,
        "paypro::resources::Refunds::cancel",
        "/paths/~1refunds~1{id}~1cancel/post",
    );
    expect(
        &report,
        Level::Patch,
        Rule::DocsChanged,
        "paypro::models::Payment::id",
        "/components/schemas/payment/properties/id",
    );
    assert!(report.to_markdown().contains("## Docs only (patch)"));
}

#[test]
fn the_report_is_sorted_by_level_and_has_each_section_once() {
    let new = edited(
        "      enum: [open, paid]\n",
        "      enum: [open, expired]\n",
    )
    .replace(
        "      summary: Cancels a refund.\n",
        "      summary: Cancels.\n",
    );
    let markdown = report(BASE, &new).to_markdown();
    let major = markdown
        .find("## Breaking (major)")
        .expect("a major section");
    let minor = markdown
        .find("## Additive (minor)")
        .expect("a minor section");
    let patch = markdown
        .find("## Docs only (patch)")
        .expect("a patch section");
    assert!(major < minor && minor < patch, "{markdown}");
    assert!(markdown.ends_with("semver: major\n"));
}

#[test]
fn docs_compatibility_lists_every_rule_with_its_level() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/COMPATIBILITY.md");
    let text = std::fs::read_to_string(path).expect("docs/COMPATIBILITY.md");
    for rule in Rule::ALL {
        let row = format!("| `{}` | {} |", rule.id(), rule.level());
        assert!(
            text.contains(&row),
            "docs/COMPATIBILITY.md lacks the row `{row}`"
        );
    }
}

/// Two schemas with inline `currency` enums: identical copies share one Rust type.
fn two_currencies(payment_values: &str, refund_values: &str) -> String {
    format!(
        r#"
openapi: 3.0.3
info: {{title: Shop, version: "1.0"}}
paths: {{}}
components:
  schemas:
    payment:
      type: object
      properties:
        currency: {{type: string, enum: [{payment_values}]}}
    refund:
      type: object
      properties:
        currency: {{type: string, enum: [{refund_values}]}}
"#
    )
}

/// A value added to one copy of a shared inline enum joins the shared type as a new variant,
/// so the change stays minor; taking it away again is major.
#[test]
fn a_value_added_to_one_copy_of_a_shared_inline_enum_is_a_new_variant() {
    let before = two_currencies("EUR, GBP", "EUR, GBP");
    let after = two_currencies("EUR, GBP, USD", "EUR, GBP");
    expect(
        &report(&before, &after),
        Level::Minor,
        Rule::VariantAdded,
        "paypro::models::Currency::Usd",
        "/components/schemas/",
    );
    expect(
        &report(&after, &before),
        Level::Major,
        Rule::VariantRemoved,
        "paypro::models::Currency::Usd",
        "/components/schemas/",
    );
}

/// One-value enums are tags and are shared only when identical: one copy gaining a value
/// becomes a type of its own, which is major, and the report says how to avoid that.
#[test]
fn a_value_added_to_one_copy_of_a_shared_one_value_enum_is_major_with_a_way_out() {
    let report = report(
        &two_currencies("EUR", "EUR"),
        &two_currencies("EUR, USD", "EUR"),
    );
    expect(
        &report,
        Level::Major,
        Rule::FieldTypeChanged,
        "paypro::models::Payment::currency",
        "/components/schemas/payment/properties/currency",
    );
    let markdown = report.to_markdown();
    assert!(
        markdown.contains("shared enum `Currency` gained `USD` alone")
            && markdown.contains("keeps this a minor change"),
        "{markdown}"
    );
}
