//! Criterion benchmarks of decoding: 10,000 events (mixed payloads) and 10,000 payments through the generated models, compared in the same run with `serde_json::Value`, plain derived structs (the floor) and an untagged union.
//!
//! The inputs are built in memory from the real wire samples in `fixtures/wire-samples/`, with
//! ids, amounts, states and timestamps varied per item, and written with object keys in sorted
//! order (as PayPro sends an event's payload, `type` last). Times are the benchmark thread's CPU
//! time (see `support/cpu_time.rs`). Run with `cargo bench -p paypro --bench decode`;
//! `docs/PERFORMANCE.md` has the figures.

#[path = "support/cpu_time.rs"]
mod cpu_time;

use cpu_time::CpuTime;
use criterion::measurement::Measurement;
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

/// Items in each list.
const ITEMS: usize = 10_000;

fn benches(c: &mut Criterion<CpuTime>) {
    let events = event_list();
    let payments = payment_list();
    check_decoders_agree(&events, &payments);

    let mut group = c.benchmark_group("events");
    configure(&mut group, events.len());
    group.bench_function("generated", |b| {
        b.iter(|| decode::<paypro::List<paypro::models::Event>>(black_box(&events)))
    });
    group.bench_function("generated_with_path", |b| {
        b.iter(|| decode_with_path::<paypro::List<paypro::models::Event>>(black_box(&events)))
    });
    group.bench_function("value", |b| b.iter(|| decode::<Value>(black_box(&events))));
    group.bench_function("plain_tagged", |b| {
        b.iter(|| decode::<plain::List<plain::Event<plain::Payload>>>(black_box(&events)))
    });
    group.bench_function("plain_untagged", |b| {
        b.iter(|| decode::<plain::List<plain::Event<plain::UntaggedPayload>>>(black_box(&events)))
    });
    group.finish();

    let mut group = c.benchmark_group("payments");
    configure(&mut group, payments.len());
    group.bench_function("generated", |b| {
        b.iter(|| decode::<paypro::List<paypro::models::Payment>>(black_box(&payments)))
    });
    group.bench_function("generated_with_path", |b| {
        b.iter(|| decode_with_path::<paypro::List<paypro::models::Payment>>(black_box(&payments)))
    });
    group.bench_function("value", |b| {
        b.iter(|| decode::<Value>(black_box(&payments)))
    });
    group.bench_function("plain", |b| {
        b.iter(|| decode::<plain::List<plain::Payment>>(black_box(&payments)))
    });
    group.finish();
}

fn configure<M: Measurement>(group: &mut BenchmarkGroup<'_, M>, bytes: usize) {
    group.throughput(Throughput::BytesDecimal(bytes as u64));
    group.sample_size(30);
    group.measurement_time(Duration::from_secs(6));
    group.warm_up_time(Duration::from_secs(1));
}

fn decode<T: DeserializeOwned>(bytes: &[u8]) -> T {
    serde_json::from_slice(bytes).expect("the benchmark input decodes")
}

/// What `Client` does with a response body: decode while tracking the JSON path for errors.
fn decode_with_path<T: DeserializeOwned>(bytes: &[u8]) -> T {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut deserializer).expect("the benchmark input decodes")
}

/// Every decoder must read the same items the same way, or the comparison means nothing: the
/// untagged union in particular must not take a refund for a chargeback.
fn check_decoders_agree(events: &[u8], payments: &[u8]) {
    use paypro::models::EventPayload;
    let generated: paypro::List<paypro::models::Event> = decode(events);
    let tagged: plain::List<plain::Event<plain::Payload>> = decode(events);
    let untagged: plain::List<plain::Event<plain::UntaggedPayload>> = decode(events);
    assert_eq!(generated.data.len(), ITEMS);
    for ((ours, tagged), untagged) in generated.data.iter().zip(&tagged.data).zip(&untagged.data) {
        let kind = match &ours.payload {
            EventPayload::Chargeback(_) => "chargeback",
            EventPayload::Payment(_) => "payment",
            EventPayload::Refund(_) => "refund",
            EventPayload::Unknown(_) => "unknown",
            _ => "a variant this benchmark does not know",
        };
        assert_eq!(kind, tagged.payload.kind(), "{}", ours.id);
        assert_eq!(kind, untagged.payload.kind(), "{}", ours.id);
    }
    let generated: paypro::List<paypro::models::Payment> = decode(payments);
    let plain: plain::List<plain::Payment> = decode(payments);
    assert_eq!((generated.data.len(), plain.data.len()), (ITEMS, ITEMS));
    assert!(
        generated
            .data
            .iter()
            .zip(&plain.data)
            .all(|(a, b)| a.amount == b.amount)
    );
}

/// `{"type":"list","data":[10,000 events],…}`: 60% payments, 25% refunds, 15% chargebacks.
fn event_list() -> Vec<u8> {
    let event = sample("events/get.json");
    let payment = event["payload"].clone();
    let refund = sample("refunds/get.json");
    let chargeback = sample("chargebacks/get.json");
    let data = (0..ITEMS)
        .map(|i| {
            let (mut payload, kind, prefix) = match i % 20 {
                0..12 => (payment.clone(), "payment", "PP"),
                12..17 => (refund.clone(), "refund", "PR"),
                _ => (chargeback.clone(), "chargeback", "PC"),
            };
            vary(&mut payload, i, prefix);
            let mut event = event.clone();
            event["id"] = format!("EV{i:016}").into();
            event["event_type"] =
                format!("{kind}.{}", ["created", "paid", "updated"][i % 3]).into();
            event["created_at"] = timestamp(i).into();
            event["_links"]["self"] = format!("https://api.paypro.nl/events/EV{i:016}").into();
            event["payload"] = payload;
            event
        })
        .collect();
    list(data, "events")
}

/// `{"type":"list","data":[10,000 payments],…}`, from the payment sample.
fn payment_list() -> Vec<u8> {
    let payment = sample("payments/get.json");
    let data = (0..ITEMS)
        .map(|i| {
            let mut payment = payment.clone();
            vary(&mut payment, i, "PP");
            payment
        })
        .collect();
    list(data, "payments")
}

/// Gives item `i` its own id, amount, description, state and timestamps.
fn vary(object: &mut Value, i: usize, prefix: &str) {
    let id = format!("{prefix}{i:012}");
    object["_links"]["self"] = format!("https://api.paypro.nl/objects/{id}").into();
    object["id"] = id.into();
    object["amount"] = (100 + (i * 7919) % 100_000).into();
    object["description"] = format!("Order {i} for customer {}", i % 97).into();
    object["created_at"] = timestamp(i).into();
    let states = ["open", "paid", "processing", "completed", "canceled"];
    object["state"] = states[i % states.len()].into();
    for key in ["paid_at", "refunded_at", "charged_back_at"] {
        if object.get(key).is_some() {
            object[key] = if i % 2 == 0 {
                Value::Null
            } else {
                timestamp(i + 60).into()
            };
        }
    }
}

fn timestamp(i: usize) -> String {
    format!(
        "2024-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        1 + i % 12,
        1 + i % 28,
        i % 24,
        i % 60,
        (i / 60) % 60
    )
}

fn list(data: Vec<Value>, path: &str) -> Vec<u8> {
    let count = data.len();
    let list = serde_json::json!({
        "type": "list",
        "count": count,
        "data": data,
        "_links": {"self": format!("https://api.paypro.nl/{path}")},
    });
    let mut out = String::new();
    write_sorted(&list, &mut out);
    out.into_bytes()
}

/// Compact JSON with every object's keys sorted, whatever order `serde_json::Map` keeps.
fn write_sorted(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (index, (key, item)) in entries.into_iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                out.push_str(&Value::from(key.as_str()).to_string());
                out.push(':');
                write_sorted(item, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write_sorted(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

fn sample(relative: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/wire-samples")
        .join(relative);
    let text = std::fs::read(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    serde_json::from_slice(&text)
        .unwrap_or_else(|error| panic!("{} is not JSON: {error}", path.display()))
}

/// What a hand-written client would derive: the generated models' fields and types, with none of
/// their leniency (numbers are numbers, enums are closed, no unknown-value fallbacks).
#[allow(
    dead_code,
    reason = "the fields are decoded, never read: decoding is what is measured"
)]
#[allow(
    clippy::large_enum_variant,
    reason = "unboxed variants, as in the generated models the comparison is with"
)]
mod plain {
    use chrono::{DateTime, Utc};
    use serde::Deserialize;
    use serde_json::{Map, Value};

    #[derive(Deserialize)]
    pub struct List<T> {
        #[serde(rename = "type")]
        pub kind: String,
        pub data: Vec<T>,
        pub count: i64,
        #[serde(rename = "_links")]
        pub links: ListLinks,
    }

    #[derive(Deserialize)]
    pub struct ListLinks {
        #[serde(rename = "self", default)]
        pub self_: Option<String>,
        #[serde(default)]
        pub next: Option<String>,
        #[serde(default)]
        pub prev: Option<String>,
    }

    #[derive(Deserialize)]
    pub struct Event<P> {
        pub id: String,
        #[serde(rename = "type")]
        pub kind: EventKind,
        pub event_type: String,
        pub payload: P,
        pub created_at: DateTime<Utc>,
        #[serde(rename = "_links")]
        pub links: SelfLink,
    }

    #[derive(Deserialize)]
    pub struct SelfLink {
        #[serde(rename = "self")]
        pub self_: String,
    }

    /// The best plain derive can do for a tagged union: serde's internally tagged enum.
    #[derive(Deserialize)]
    #[serde(tag = "type", rename_all = "snake_case")]
    pub enum Payload {
        Chargeback(Chargeback),
        Payment(Payment),
        Refund(Refund),
    }

    /// What generators without tag support emit: try each variant in turn.
    #[derive(Deserialize)]
    #[serde(untagged)]
    pub enum UntaggedPayload {
        Chargeback(Chargeback),
        Payment(Payment),
        Refund(Refund),
    }

    impl Payload {
        pub fn kind(&self) -> &'static str {
            match self {
                Self::Chargeback(_) => "chargeback",
                Self::Payment(_) => "payment",
                Self::Refund(_) => "refund",
            }
        }
    }

    impl UntaggedPayload {
        pub fn kind(&self) -> &'static str {
            match self {
                Self::Chargeback(_) => "chargeback",
                Self::Payment(_) => "payment",
                Self::Refund(_) => "refund",
            }
        }
    }

    // Each object's `type` is optional here only because serde's internally tagged enum consumes
    // it before the variant sees the object; the untagged union needs it to tell variants apart.
    macro_rules! single_value {
        ($name:ident, $value:literal) => {
            #[derive(Deserialize)]
            pub enum $name {
                #[serde(rename = $value)]
                Only,
            }
        };
    }
    single_value!(EventKind, "event");
    single_value!(PaymentKind, "payment");
    single_value!(RefundKind, "refund");
    single_value!(ChargebackKind, "chargeback");
    single_value!(PayMethodKind, "pay_method");

    #[derive(Deserialize)]
    pub enum Currency {
        #[serde(rename = "EUR")]
        Eur,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Locale {
        De,
        En,
        Fr,
        Nl,
    }

    #[derive(Deserialize)]
    pub struct Payment {
        pub id: String,
        #[serde(rename = "type", default)]
        pub kind: Option<PaymentKind>,
        pub amount: i64,
        pub description: String,
        pub currency: Currency,
        #[serde(default)]
        pub pay_method: Option<PayMethod>,
        pub state: String,
        pub refunded_amount: i64,
        #[serde(default)]
        pub return_url: Option<String>,
        #[serde(default)]
        pub cancel_url: Option<String>,
        #[serde(default)]
        pub metadata: Option<Map<String, Value>>,
        #[serde(default)]
        pub customer: Option<String>,
        #[serde(default)]
        pub mandate: Option<String>,
        #[serde(default)]
        pub subscription: Option<String>,
        #[serde(default)]
        pub installment_plan: Option<String>,
        #[serde(default)]
        pub locale: Option<Locale>,
        #[serde(default)]
        pub paid_at: Option<DateTime<Utc>>,
        #[serde(default)]
        pub created_at: Option<DateTime<Utc>>,
        #[serde(rename = "_links", default)]
        pub links: PaymentLinks,
    }

    #[derive(Deserialize)]
    pub struct PayMethod {
        pub id: String,
        #[serde(rename = "type")]
        pub kind: PayMethodKind,
        pub name: String,
        #[serde(default)]
        pub currencies: Option<Vec<Currency>>,
        #[serde(default)]
        pub minimum_amount: Option<i64>,
        #[serde(default)]
        pub maximum_amount: Option<i64>,
        #[serde(default)]
        pub details: Option<Value>,
    }

    #[derive(Deserialize, Default)]
    pub struct PaymentLinks {
        #[serde(rename = "self", default)]
        pub self_: Option<String>,
        #[serde(default)]
        pub customer: Option<String>,
        #[serde(default)]
        pub mandate: Option<String>,
        #[serde(default)]
        pub subscription: Option<String>,
        #[serde(default)]
        pub installment_plan: Option<String>,
        #[serde(default)]
        pub checkout: Option<String>,
    }

    #[derive(Deserialize)]
    pub struct Refund {
        pub id: String,
        #[serde(rename = "type", default)]
        pub kind: Option<RefundKind>,
        pub amount: i64,
        pub description: String,
        #[serde(default)]
        pub reason: Option<String>,
        pub currency: Currency,
        pub payment: String,
        pub state: String,
        #[serde(default)]
        pub refunded_at: Option<DateTime<Utc>>,
        pub created_at: DateTime<Utc>,
        #[serde(rename = "_links", default)]
        pub links: PaymentLink,
    }

    #[derive(Deserialize)]
    pub struct Chargeback {
        pub id: String,
        #[serde(rename = "type", default)]
        pub kind: Option<ChargebackKind>,
        pub amount: i64,
        pub description: String,
        #[serde(default)]
        pub reason: Option<String>,
        pub currency: Currency,
        pub payment: String,
        pub state: String,
        #[serde(default)]
        pub charged_back_at: Option<DateTime<Utc>>,
        pub created_at: DateTime<Utc>,
        #[serde(rename = "_links", default)]
        pub links: PaymentLink,
    }

    /// The `_links` of a refund or a chargeback.
    #[derive(Deserialize, Default)]
    pub struct PaymentLink {
        #[serde(rename = "self", default)]
        pub self_: Option<String>,
        #[serde(default)]
        pub payment: Option<String>,
    }
}

criterion_group! {
    name = decode_benches;
    config = Criterion::default().with_measurement(CpuTime);
    targets = benches
}
criterion_main!(decode_benches);
