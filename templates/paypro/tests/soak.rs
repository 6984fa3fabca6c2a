//! Soak test: many concurrent calls against a loopback server that injects faults
//! (`support/fault_server.rs`), checking that every call ends the way its fault says, in bounded
//! time, as a typed `Error` when it fails, that no POST is ever sent twice, that nothing panics,
//! and that the heap is back where it started afterwards.
//!
//! 20,000 calls, 64 at a time, in a release build; 5,000 in a debug build (`cargo test`), where
//! the same run takes about four times as long per call. `SOAK_REQUESTS=N` overrides the count.
//! The figures it prints are recorded in `docs/PERFORMANCE.md`; nothing here asserts speed.

#[path = "support/fault_server.rs"]
mod fault_server;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};
use std::time::{Duration, Instant};

use fault_server::{Fault, FaultServer, Settings};
use futures::StreamExt;
use paypro::models::{CreatePaymentRequest, Currency, Payment};
use paypro::{Client, Error};

/// Counts live heap bytes, so the test can tell whether a run left memory behind.
struct CountingAllocator;

static LIVE_BYTES: AtomicIsize = AtomicIsize::new(0);
static PEAK_BYTES: AtomicIsize = AtomicIsize::new(0);

// SAFETY: every call is forwarded to the system allocator unchanged; only counters are added.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract, passed on as is.
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            count(layout.size() as isize);
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: `pointer` came from `alloc`/`realloc` above with this layout.
        unsafe { System.dealloc(pointer, layout) };
        count(-(layout.size() as isize));
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller upholds `GlobalAlloc::realloc`'s contract, passed on as is.
        let moved = unsafe { System.realloc(pointer, layout, new_size) };
        if !moved.is_null() {
            count(new_size as isize - layout.size() as isize);
        }
        moved
    }
}

fn count(delta: isize) {
    let live = LIVE_BYTES.fetch_add(delta, Ordering::Relaxed) + delta;
    PEAK_BYTES.fetch_max(live, Ordering::Relaxed);
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

const CONCURRENCY: usize = 64;
const TIMEOUT: Duration = Duration::from_secs(2);
const MAX_RETRIES: u32 = 2;
const BACKOFF_CAP: Duration = Duration::from_millis(40);
const RETRY_AFTER: Duration = Duration::from_secs(1);
const LIMIT: u64 = 64 * 1024;
/// Scheduling on a busy two-core machine, on top of the client's own worst case.
const SLACK: Duration = Duration::from_secs(3);

fn requests() -> usize {
    let default = if cfg!(debug_assertions) {
        5_000
    } else {
        20_000
    };
    std::env::var("SOAK_REQUESTS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

/// How a call must end, given its method and the fault its first attempt meets.
#[derive(Debug, PartialEq, Eq)]
enum Expected {
    Payment,
    Api(u16),
    Transport,
    Timeout,
    Decode,
    TooLarge { announced: bool },
}

fn expected(is_post: bool, fault: Fault) -> Expected {
    match (fault, is_post) {
        (Fault::None, _) => Expected::Payment,
        (Fault::TruncatedJson, _) => Expected::Decode,
        (Fault::OversizedAnnounced, _) => Expected::TooLarge { announced: true },
        (Fault::OversizedStreamed, _) => Expected::TooLarge { announced: false },
        // A GET is retried and its second attempt is answered normally.
        (_, false) => Expected::Payment,
        // A POST is never retried: PayPro may already have acted on it.
        (Fault::ServerError, true) => Expected::Api(503),
        (Fault::TooMany, true) => Expected::Api(429),
        (Fault::ResetMidBody, true) => Expected::Transport,
        (Fault::SlowHeaders, true) => Expected::Timeout,
    }
}

/// What a call ended in, or `Err` with why it is not a proper outcome.
fn outcome(n: usize, result: Result<Payment, Error>) -> Result<Expected, String> {
    match result {
        Ok(payment) if payment.id == format!("SOAK{n}") => Ok(Expected::Payment),
        Ok(payment) => Err(format!("got the payment of another call: {}", payment.id)),
        Err(Error::Api(api)) => {
            if api.status == 429 && api.retry_after != Some(RETRY_AFTER) {
                return Err(format!("429 without its Retry-After: {api:?}"));
            }
            Ok(Expected::Api(api.status))
        }
        Err(Error::Transport { .. }) => Ok(Expected::Transport),
        Err(Error::Timeout { .. }) => Ok(Expected::Timeout),
        Err(Error::Decode(decode)) if decode.status == 200 => Ok(Expected::Decode),
        Err(Error::ResponseTooLarge {
            limit,
            received,
            announced,
            ..
        }) if limit == LIMIT && received > LIMIT => Ok(Expected::TooLarge { announced }),
        Err(other) => Err(format!("unexpected error: {other:?}")),
    }
}

/// The longest a call may take: every attempt's timeout and every wait between attempts.
fn bound() -> Duration {
    TIMEOUT * (MAX_RETRIES + 1) + RETRY_AFTER.max(BACKOFF_CAP) * MAX_RETRIES + SLACK
}

async fn call(client: Client, n: usize) -> (Result<Payment, Error>, Duration) {
    let started = Instant::now();
    let result = if n % 2 == 1 {
        let request = CreatePaymentRequest::new(100, Currency::Eur, format!("soak {n}"));
        client.payments().create(&request).await
    } else {
        client.payments().get(&format!("SOAK{n}")).await
    };
    (result, started.elapsed())
}

/// Runs calls `range` 64 at a time, each in its own task, and checks each as it ends.
async fn run(client: &Client, range: std::ops::Range<usize>) -> Vec<String> {
    let mut problems = Vec::new();
    let mut calls = futures::stream::iter(range.map(|n| {
        let client = client.clone();
        async move { (n, tokio::spawn(call(client, n)).await) }
    }))
    .buffer_unordered(CONCURRENCY);
    while let Some((n, joined)) = calls.next().await {
        let (result, took) = match joined {
            Ok(done) => done,
            Err(error) => {
                problems.push(format!("call {n} did not finish: {error}"));
                continue;
            }
        };
        let want = expected(n % 2 == 1, Fault::for_request(n));
        match outcome(n, result) {
            Ok(got) if got == want => {}
            Ok(got) => problems.push(format!("call {n}: expected {want:?}, got {got:?}")),
            Err(why) => problems.push(format!("call {n}: {why}")),
        }
        if took > bound() {
            problems.push(format!("call {n} took {took:?}, over {:?}", bound()));
        }
    }
    problems
}

fn rss_kib() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_client_holds_under_concurrent_faults() {
    let requests = requests();
    let warm_up = 2 * CONCURRENCY;
    let server = FaultServer::start(
        requests + warm_up,
        Settings {
            faults: true,
            slow_headers: TIMEOUT + Duration::from_millis(500),
            oversized: 4 * LIMIT as usize,
        },
    )
    .await;
    let client = Client::builder("pp_soak")
        .base_url(server.base_url())
        .timeout(TIMEOUT)
        .max_retries(MAX_RETRIES)
        .retry_backoff(Duration::from_millis(5), BACKOFF_CAP)
        .max_retry_after(RETRY_AFTER * 2)
        .max_response_bytes(LIMIT)
        .build()
        .expect("client builds");

    // Warm up (connections, runtime, lazily built tables) with numbers past the measured ones,
    // so the heap figure below compares like with like.
    let mut problems = run(&client, requests..requests + warm_up).await;
    let heap_before = LIVE_BYTES.load(Ordering::SeqCst);
    PEAK_BYTES.store(heap_before, Ordering::SeqCst);
    let rss_before = rss_kib();

    let started = Instant::now();
    problems.extend(run(&client, 0..requests).await);
    let took = started.elapsed();

    // Let connections that broke off mid-body finish closing on both sides.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let heap_after = LIVE_BYTES.load(Ordering::SeqCst);
    let heap_peak = PEAK_BYTES.load(Ordering::SeqCst);
    let rss_after = rss_kib();

    for n in 0..requests + warm_up {
        let attempts = server.attempts(n);
        let most = if n % 2 == 1 { 1 } else { MAX_RETRIES + 1 };
        if attempts == 0 || attempts > most {
            problems.push(format!("request {n} reached the server {attempts} times"));
        }
    }
    eprintln!(
        "soak: {requests} calls, {CONCURRENCY} at a time, in {took:.2?} ({:.0} calls/s); heap \
         {} KiB before, {} KiB after, {} KiB peak; RSS {rss_before:?} KiB before, {rss_after:?} \
         KiB after",
        requests as f64 / took.as_secs_f64(),
        heap_before / 1024,
        heap_after / 1024,
        heap_peak / 1024,
    );
    assert!(
        problems.is_empty(),
        "{} problems, the first ones:\n{}",
        problems.len(),
        problems[..problems.len().min(20)].join("\n")
    );
    // Back near where it started: idle connections and buffers may differ a little, a leak of
    // 500 bytes per call would not fit.
    let grown = heap_after - heap_before;
    assert!(
        grown < 2 * 1024 * 1024,
        "the heap grew by {grown} bytes over {requests} calls"
    );
}
