//! How `untagged_best_fit.yaml`'s untagged union chooses a variant, and that members a schema does not name survive a decode and encode: decoded through the generated types.
//!
//! `constructs.rs` copies this file into the generated `construct_untagged_best_fit` crate as
//! `tests/wire.rs` and runs it there, so it exercises generated code.

use construct_untagged_best_fit::models::{
    Attachment, BankDetails, Node, BankDetailsType, CardDetails, CardDetailsType, Checkout, Clashing, Closed, Event,
    PaymentMethod,
};
use serde_json::{Value, json};

fn decode<T: serde::de::DeserializeOwned>(value: &Value) -> T {
    serde_json::from_value(value.clone()).unwrap_or_else(|error| panic!("{value} decodes: {error}"))
}

fn encode<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or_else(|error| panic!("encodes: {error}"))
}

fn card(value: PaymentMethod) -> CardDetails {
    match value {
        PaymentMethod::CardDetails(card) => *card,
        other => panic!("expected the card variant, got {other:?}"),
    }
}

fn bank(value: PaymentMethod) -> BankDetails {
    match value {
        PaymentMethod::BankDetails(bank) => *bank,
        other => panic!("expected the bank variant, got {other:?}"),
    }
}

#[test]
fn a_later_variant_that_names_every_member_wins_over_an_earlier_one_that_accepts() {
    let sent = json!({"type": "scheme", "holder_name": "A. Jansen", "encrypted_card_number": "enc:1"});
    let card = card(decode(&sent));
    assert_eq!(card.r#type, Some(CardDetailsType::Scheme));
    assert_eq!(card.encrypted_card_number.as_deref(), Some("enc:1"));
    assert!(card.additional_properties.is_empty());
    assert_eq!(encode(&PaymentMethod::CardDetails(Box::new(card))), sent);
}

#[test]
fn an_enum_value_only_a_later_variant_knows_decides() {
    let card = card(decode(&json!({"type": "scheme"})));
    assert_eq!(card.r#type, Some(CardDetailsType::Scheme));
    let bank = bank(decode(&json!({"type": "bank", "holder_name": "B"})));
    assert_eq!(bank.r#type, Some(BankDetailsType::Bank));
}

#[test]
fn a_tie_goes_to_the_first_variant() {
    let bank = bank(decode(&json!({"holder_name": "B"})));
    assert_eq!(bank.holder_name.as_deref(), Some("B"));
}

#[test]
fn when_no_variant_understands_everything_the_one_missing_least_wins_and_keeps_the_rest() {
    // The bank variant misses only `iban`; the card variant misses `type` ("bank") and `iban`.
    let sent = json!({"type": "bank", "iban": "NL00BANK0123456789"});
    let bank = bank(decode(&sent));
    assert_eq!(bank.additional_properties.get("iban"), Some(&json!("NL00BANK0123456789")));
    assert_eq!(encode(&PaymentMethod::BankDetails(Box::new(bank))), sent);
}

#[test]
fn a_union_nested_in_a_struct_chooses_alone_and_the_struct_keeps_its_own_extras() {
    let sent = json!({
        "method": {"type": "scheme", "encrypted_card_number": "enc:2"},
        "methods": [{"type": "bank"}, {"encrypted_card_number": "enc:3"}],
        "reference": "order-7"
    });
    let checkout: Checkout = decode(&sent);
    assert_eq!(card(checkout.method.clone()).encrypted_card_number.as_deref(), Some("enc:2"));
    let methods = checkout.methods.clone().expect("methods were sent");
    assert!(matches!(methods[0], PaymentMethod::BankDetails(_)));
    assert!(matches!(methods[1], PaymentMethod::CardDetails(_)));
    assert_eq!(checkout.additional_properties.get("reference"), Some(&json!("order-7")));
    assert_eq!(encode(&checkout), sent);
}

#[test]
fn members_outside_a_closed_schema_are_not_kept() {
    let closed: Closed = decode(&json!({"code": "c", "other": 1}));
    assert_eq!(encode(&closed), json!({"code": "c"}));
}

#[test]
fn a_property_named_like_the_map_gets_another_field() {
    let sent = json!({"additional_properties": "named", "other": true});
    let clashing: Clashing = decode(&sent);
    assert_eq!(clashing.additional_properties_2.as_deref(), Some("named"));
    assert_eq!(clashing.additional_properties.get("other"), Some(&json!(true)));
    assert_eq!(encode(&clashing), sent);
}

#[test]
fn the_map_starts_empty_and_what_is_put_in_it_is_sent() {
    let mut card = CardDetails::default();
    card.additional_properties.insert("shopper_ip".to_owned(), json!("192.0.2.1"));
    assert_eq!(encode(&card), json!({"shopper_ip": "192.0.2.1"}));
}

#[test]
fn an_untagged_union_inside_a_tagged_union_decodes() {
    let sent = json!({"kind": "wallet", "method": {"type": "scheme", "encrypted_card_number": "enc:4"}});
    let Event::Wallet(wallet) = decode::<Event>(&sent) else {
        panic!("the `wallet` tag decides the variant");
    };
    let method = wallet.method.clone().expect("method was sent");
    assert_eq!(card(method).encrypted_card_number.as_deref(), Some("enc:4"));
    assert_eq!(encode(&Event::Wallet(wallet)), sent);
}

#[test]
fn a_float_number_is_sent_back_as_it_came() {
    let sent = json!({"method": {"type": "bank"}, "share": 0.9});
    let checkout: Checkout = decode(&sent);
    assert_eq!(checkout.share, Some(0.9));
    assert_eq!(encode(&checkout), sent);
}

#[test]
fn binary_members_are_strings_both_ways() {
    let sent = json!({
        "content": "%PDF-1.7",
        "pages": ["one", "two"],
        "image": ["a.png", "b.png"],
        "named": {"cover": "c.png"}
    });
    let attachment: Attachment = decode(&sent);
    assert_eq!(attachment.content.as_ref(), b"%PDF-1.7");
    assert_eq!(encode(&attachment), sent);
    let single = json!({"content": "x", "image": "only.png"});
    assert_eq!(encode(&decode::<Attachment>(&single)), single);
}

/// Each level fits both variants equally (an unknown `kind`), so every variant of every level
/// would be tried: 2^40 decodes without the bound on extra attempts. With it this returns,
/// and nothing sent is lost.
#[test]
fn a_deep_value_no_variant_fits_perfectly_still_decodes_whole() {
    let mut sent = json!({"kind": "leaf"});
    for _ in 0..40 {
        sent = json!({"kind": "z", "children": [sent]});
    }
    let node: Node = decode(&sent);
    assert!(matches!(node, Node::BranchA(_)), "a tie goes to the first variant");
    assert_eq!(encode(&node), sent);
}
