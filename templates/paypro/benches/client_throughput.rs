//! Requests per second of the generated client against a plain reqwest loop, on the same
//! loopback server (`tests/support/fault_server.rs`, faults off), 64 calls at a time.
//!
//! Run with `cargo bench -p paypro --bench client_throughput` (`THROUGHPUT_REQUESTS=N`, default
//! 20,000 per run; three runs of each, the median printed). `docs/PERFORMANCE.md` has the figures.

#[path = "../tests/support/fault_server.rs"]
mod fault_server;

use std::time::{Duration, Instant};

use fault_server::{FaultServer, Settings};
use futures::StreamExt;
use paypro::models::Payment;

const CONCURRENCY: usize = 64;
const RUNS: usize = 3;

fn requests() -> usize {
    std::env::var("THROUGHPUT_REQUESTS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(20_000)
}

/// Runs `requests` calls of `call`, 64 at a time, and returns calls per second.
async fn measure<F, Fut>(requests: usize, call: F) -> f64
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let started = Instant::now();
    futures::stream::iter((0..requests).map(call))
        .buffer_unordered(CONCURRENCY)
        .for_each(|()| async {})
        .await;
    requests as f64 / started.elapsed().as_secs_f64()
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let requests = requests();
        let server = FaultServer::start(
            requests,
            Settings {
                faults: false,
                slow_headers: Duration::ZERO,
                oversized: 0,
            },
        )
        .await;
        let base = server.base_url();
        let client = paypro::Client::builder("pp_bench")
            .base_url(&base)
            .build()
            .expect("client builds");
        let plain = reqwest::Client::new();

        let mut rows: Vec<(&str, Vec<f64>)> = vec![
            (
                "paypro::Client, payments().get (decoded Payment)",
                Vec::new(),
            ),
            (
                "plain reqwest, GET + serde_json::from_slice::<Payment>",
                Vec::new(),
            ),
            ("plain reqwest, GET + body bytes only", Vec::new()),
        ];
        // Interleaved, so that load from elsewhere on the machine spreads over all three.
        for _ in 0..RUNS {
            let rate = measure(requests, |n| {
                let client = client.clone();
                async move {
                    let payment = client.payments().get(&format!("SOAK{n}")).await;
                    assert!(payment.is_ok(), "{payment:?}");
                }
            })
            .await;
            rows[0].1.push(rate);
            let rate = measure(requests, |n| {
                let (plain, base) = (plain.clone(), base.clone());
                async move {
                    let response = plain.get(format!("{base}/payments/SOAK{n}")).send().await;
                    let body = response.expect("sent").bytes().await.expect("body");
                    let payment = serde_json::from_slice::<Payment>(&body);
                    assert!(payment.is_ok(), "{payment:?}");
                }
            })
            .await;
            rows[1].1.push(rate);
            let rate = measure(requests, |n| {
                let (plain, base) = (plain.clone(), base.clone());
                async move {
                    let response = plain.get(format!("{base}/payments/SOAK{n}")).send().await;
                    let body = response.expect("sent").bytes().await.expect("body");
                    assert!(!body.is_empty());
                }
            })
            .await;
            rows[2].1.push(rate);
        }
        println!("{requests} GETs per run, {CONCURRENCY} at a time, median of {RUNS} runs:");
        for (name, rates) in rows {
            let shown: Vec<String> = rates.iter().map(|rate| format!("{rate:.0}")).collect();
            println!(
                "  {name}: {:.0} calls/s (runs: {})",
                median(rates),
                shown.join(", ")
            );
        }
    });
}
