//! When to retry a failed attempt and how long to wait first: the method and error rules, capped
//! exponential backoff with jitter, and `Retry-After` parsing.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::Method;

use crate::error::Error;

/// Retry settings of one client; see `ClientBuilder` for what each one means.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RetryPolicy {
    /// Retries after the first attempt; 0 turns retrying off.
    pub(crate) max_retries: u32,
    /// Wait ceiling before the first retry; it doubles for every further one.
    pub(crate) backoff_base: Duration,
    /// The doubling stops here.
    pub(crate) backoff_cap: Duration,
    /// A `Retry-After` longer than this is not waited out: the error goes back to the caller.
    pub(crate) retry_after_cap: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            backoff_base: Duration::from_millis(250),
            backoff_cap: Duration::from_secs(8),
            retry_after_cap: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// How long to wait before retrying after attempt number `attempt` (1-based) failed with
    /// `error`, or `None` when the error goes back to the caller.
    ///
    /// Only GET and HEAD are retried: after a timeout or a dropped connection PayPro may already
    /// have acted on a POST, PATCH or DELETE, and sending it again could charge twice.
    pub(crate) fn delay_before_retry(
        &self,
        method: &Method,
        error: &Error,
        attempt: u32,
        random: u64,
    ) -> Option<Duration> {
        let safe_method = *method == Method::GET || *method == Method::HEAD;
        if !safe_method || attempt > self.max_retries || !error.is_retryable() {
            return None;
        }
        if let Some(wait) = error.as_api().and_then(|api| api.retry_after) {
            // Retrying before the time PayPro named would only earn another 429, so a wait
            // longer than the cap ends the retries instead of being shortened.
            return (wait <= self.retry_after_cap).then_some(wait);
        }
        Some(backoff(
            self.backoff_base,
            self.backoff_cap,
            attempt,
            random,
        ))
    }
}

/// The wait before retry number `retry` (1-based): `base · 2^(retry-1)`, at most `cap`, of which
/// the upper half is random ("equal jitter"), so clients that failed together do not retry in
/// lockstep yet never retry immediately.
pub(crate) fn backoff(base: Duration, cap: Duration, retry: u32, random: u64) -> Duration {
    let doublings = retry.saturating_sub(1).min(31);
    let ceiling = base.saturating_mul(1 << doublings).min(cap);
    let fixed = ceiling / 2;
    let spread = u64::try_from((ceiling - fixed).as_nanos()).unwrap_or(u64::MAX);
    let jitter = if spread == 0 {
        0
    } else {
        random % (spread.saturating_add(1))
    };
    fixed + Duration::from_nanos(jitter)
}

/// Reads a `Retry-After` value: delay seconds (`120`) or an HTTP date
/// (`Wed, 21 Oct 2015 07:28:00 GMT`, measured from `now`; a date in the past means no wait).
/// Anything else is ignored, and the normal backoff applies.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|byte| byte.is_ascii_digit()) {
        // A number too large for u64 is still "a very long time".
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    // The preferred HTTP date format (IMF-fixdate) is a subset of RFC 2822.
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let at = SystemTime::from(date);
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// A cheap pseudo-random number for jitter (xorshift64). Statistical quality is irrelevant here;
/// it only has to differ between processes and between calls, which seeding from the clock on
/// first use does. A race between threads merely reuses a value, which is harmless.
pub(crate) fn random() -> u64 {
    static STATE: AtomicU64 = AtomicU64::new(0);
    let mut x = STATE.load(Ordering::Relaxed);
    if x == 0 {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_nanos());
        // Fold the 128-bit nanosecond count into 64 bits; `| 1` keeps xorshift off its zero state.
        x = ((nanos as u64) ^ ((nanos >> 64) as u64)) | 1;
    }
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    STATE.store(x, Ordering::Relaxed);
    x
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ApiError;

    fn api_error(status: u16, retry_after: Option<Duration>) -> Error {
        ApiError::from_response(status, b"{}", None, retry_after).into()
    }

    #[test]
    fn backoff_doubles_within_bounds() {
        let base = Duration::from_millis(250);
        let cap = Duration::from_secs(8);
        for (retry, ceiling_ms) in [
            (1u32, 250u64),
            (2, 500),
            (3, 1000),
            (6, 8000),
            (7, 8000),
            (40, 8000),
        ] {
            let ceiling = Duration::from_millis(ceiling_ms);
            for random in [0, 1, 12_345, u64::MAX / 3, u64::MAX] {
                let wait = backoff(base, cap, retry, random);
                assert!(
                    wait >= ceiling / 2 && wait <= ceiling,
                    "retry {retry}: {wait:?}"
                );
            }
        }
        assert_eq!(backoff(Duration::ZERO, cap, 3, 99), Duration::ZERO);
        assert_eq!(backoff(base, cap, 1, 0), Duration::from_millis(125));
    }

    #[test]
    fn random_varies() {
        let values: std::collections::HashSet<u64> = (0..100).map(|_| random()).collect();
        assert!(values.len() > 90);
    }

    #[test]
    fn parses_retry_after() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_480); // 2015-10-21 07:28:00 UTC
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("99999999999999999999999", now),
            Some(Duration::from_secs(u64::MAX))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:27:00 GMT", now),
            Some(Duration::ZERO)
        );
        for junk in ["", "-5", "1.5", "soon", "+5"] {
            assert_eq!(parse_retry_after(junk, now), None, "{junk:?}");
        }
    }

    #[test]
    fn only_safe_methods_and_transient_errors_are_retried() {
        let policy = RetryPolicy::default();
        let unavailable = api_error(503, None);
        assert!(
            policy
                .delay_before_retry(&Method::GET, &unavailable, 1, 7)
                .is_some()
        );
        assert!(
            policy
                .delay_before_retry(&Method::HEAD, &unavailable, 2, 7)
                .is_some()
        );
        assert!(
            policy
                .delay_before_retry(&Method::GET, &unavailable, 3, 7)
                .is_none(),
            "budget spent"
        );
        for method in [Method::POST, Method::PATCH, Method::DELETE, Method::PUT] {
            assert!(
                policy
                    .delay_before_retry(&method, &unavailable, 1, 7)
                    .is_none(),
                "{method}"
            );
        }
        for status in [400, 401, 404, 422, 500] {
            assert!(
                policy
                    .delay_before_retry(&Method::GET, &api_error(status, None), 1, 7)
                    .is_none()
            );
        }
        let off = RetryPolicy {
            max_retries: 0,
            ..policy
        };
        assert!(
            off.delay_before_retry(&Method::GET, &unavailable, 1, 7)
                .is_none()
        );
    }

    #[test]
    fn retry_after_is_honoured_up_to_the_cap() {
        let policy = RetryPolicy::default();
        let polite = api_error(429, Some(Duration::from_secs(3)));
        assert_eq!(
            policy.delay_before_retry(&Method::GET, &polite, 1, 7),
            Some(Duration::from_secs(3))
        );
        let too_long = api_error(429, Some(Duration::from_secs(3600)));
        assert_eq!(
            policy.delay_before_retry(&Method::GET, &too_long, 1, 7),
            None
        );
        let no_header = api_error(429, None);
        let wait = policy
            .delay_before_retry(&Method::GET, &no_header, 1, 7)
            .expect("retried");
        assert!(wait <= policy.backoff_base);
    }
}
