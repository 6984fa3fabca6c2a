//! Verifying PayPro webhook deliveries: the HMAC-SHA256 signature over `"<timestamp>.<raw body>"`,
//! the timestamp's freshness, and decoding the body into an [`Event`].
//!
//! Keep the request body exactly as received: the signature covers the raw bytes, so parsed and
//! re-serialized JSON will not verify.
//!
//! To test a handler, sign your own deliveries with [`sign`] or [`signed_headers`].
//!
//! ```no_run
//! # fn handle(body: &[u8], headers: &http::HeaderMap) -> Result<(), paypro::webhooks::WebhookError> {
//! let verifier = paypro::webhooks::Verifier::new("the webhook's secret");
//! let event = verifier.verify_headers(body, headers)?;
//! // Answer 200 quickly; re-fetch the resource for its current state.
//! # let _ = event; Ok(()) }
//! ```

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::Mac;

use crate::models::Event;
pub use crate::signing::{sign, signed_headers, signed_headers_at};

/// Name of the header carrying the signature: lowercase hex HMAC-SHA256, 64 characters.
pub const SIGNATURE_HEADER: &str = "PayPro-Signature";
/// Name of the header carrying the signing time: Unix seconds as a decimal integer.
pub const TIMESTAMP_HEADER: &str = "PayPro-Timestamp";

const DEFAULT_TOLERANCE: Duration = Duration::from_secs(600);

/// Checks webhook deliveries against a webhook's secret. `Debug` never shows the secret.
#[derive(Clone)]
pub struct Verifier {
    secret: String,
    tolerance: Duration,
}

/// Why a webhook delivery was rejected. No variant contains the secret.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookError {
    /// The named header is missing.
    MissingHeader(&'static str),
    /// The signature is not 64 hex digits.
    MalformedSignature,
    /// The signature does not match the body, timestamp and secret.
    SignatureMismatch,
    /// The timestamp is not a whole number of seconds; holds (the start of) the value received.
    InvalidTimestamp(String),
    /// The timestamp is further from now than the tolerance allows, in either direction.
    TimestampOutsideTolerance {
        /// The delivery's timestamp, in Unix seconds.
        timestamp: u64,
        /// The time it was checked against, in Unix seconds.
        now: u64,
        /// The allowed difference.
        tolerance: Duration,
    },
    /// The delivery is authentic, but its body is not an event this client can decode.
    InvalidBody {
        /// JSON path of the first bad value (`.` for the root).
        path: String,
        /// The decoder's explanation.
        message: String,
    },
}

impl Verifier {
    /// A verifier for the webhook whose `secret` is given (used as its plain bytes), with a
    /// tolerance of 600 seconds.
    pub fn new(secret: impl Into<String>) -> Self {
        Verifier {
            secret: secret.into(),
            tolerance: DEFAULT_TOLERANCE,
        }
    }

    /// Sets how far the timestamp may be from now, in either direction (default 600 s).
    pub fn with_tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Verifies a delivery against the current time and decodes its event.
    pub fn verify(
        &self,
        body: &[u8],
        signature: &str,
        timestamp: &str,
    ) -> Result<Event, WebhookError> {
        self.verify_at(body, signature, timestamp, SystemTime::now())
    }

    /// Verifies a delivery as of `now` and decodes its event.
    pub fn verify_at(
        &self,
        body: &[u8],
        signature: &str,
        timestamp: &str,
        now: SystemTime,
    ) -> Result<Event, WebhookError> {
        self.verify_signature_at(body, signature, timestamp, now)?;
        crate::response::decode_json(body).map_err(|failure| WebhookError::InvalidBody {
            path: failure.path,
            message: failure.message,
        })
    }

    /// Verifies a delivery using its [`SIGNATURE_HEADER`] and [`TIMESTAMP_HEADER`] (names match
    /// in any case) against the current time, and decodes its event.
    pub fn verify_headers(
        &self,
        body: &[u8],
        headers: &http::HeaderMap,
    ) -> Result<Event, WebhookError> {
        self.verify_headers_at(body, headers, SystemTime::now())
    }

    /// [`verify_headers`](Verifier::verify_headers) as of `now`.
    pub fn verify_headers_at(
        &self,
        body: &[u8],
        headers: &http::HeaderMap,
        now: SystemTime,
    ) -> Result<Event, WebhookError> {
        let signature = headers
            .get(SIGNATURE_HEADER)
            .ok_or(WebhookError::MissingHeader(SIGNATURE_HEADER))?
            .to_str()
            .map_err(|_| WebhookError::MalformedSignature)?;
        let timestamp = headers
            .get(TIMESTAMP_HEADER)
            .ok_or(WebhookError::MissingHeader(TIMESTAMP_HEADER))?;
        let timestamp = timestamp
            .to_str()
            .map_err(|_| invalid_timestamp(&String::from_utf8_lossy(timestamp.as_bytes())))?;
        self.verify_at(body, signature, timestamp, now)
    }

    /// Checks signature and timestamp only, without decoding the body.
    ///
    /// The signature is checked first, in constant time; surrounding whitespace is ignored and
    /// hex digits may be upper or lower case (PayPro sends lowercase; the case does not change
    /// the digest, so accepting both loses nothing). Then the timestamp must be whole seconds
    /// within the tolerance of `now`, in either direction.
    pub fn verify_signature_at(
        &self,
        body: &[u8],
        signature: &str,
        timestamp: &str,
        now: SystemTime,
    ) -> Result<(), WebhookError> {
        let signature = signature.trim();
        let timestamp = timestamp.trim();
        let mut expected = [0u8; 32];
        hex::decode_to_slice(signature, &mut expected)
            .map_err(|_| WebhookError::MalformedSignature)?;

        // The signature is checked before the timestamp, like PayPro's own clients do.
        crate::signing::mac(&self.secret, timestamp, body)
            .verify_slice(&expected)
            .map_err(|_| WebhookError::SignatureMismatch)?;

        let sent = parse_timestamp(timestamp)?;
        let now = now
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs());
        if Duration::from_secs(sent.abs_diff(now)) > self.tolerance {
            return Err(WebhookError::TimestampOutsideTolerance {
                timestamp: sent,
                now,
                tolerance: self.tolerance,
            });
        }
        Ok(())
    }
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("secret", &"<redacted>")
            .field("tolerance", &self.tolerance)
            .finish()
    }
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookError::MissingHeader(name) => write!(f, "webhook request has no {name} header"),
            WebhookError::MalformedSignature => {
                write!(
                    f,
                    "{SIGNATURE_HEADER} is not a 64-digit hex HMAC-SHA256 signature"
                )
            }
            WebhookError::SignatureMismatch => write!(
                f,
                "webhook signature does not match: wrong secret, or the body is not the raw bytes received"
            ),
            WebhookError::InvalidTimestamp(value) => {
                write!(
                    f,
                    "{TIMESTAMP_HEADER} {value:?} is not a whole number of Unix seconds"
                )
            }
            WebhookError::TimestampOutsideTolerance {
                timestamp,
                now,
                tolerance,
            } => {
                let direction = if timestamp > now {
                    "ahead of"
                } else {
                    "behind"
                };
                write!(
                    f,
                    "webhook timestamp {timestamp} is {}s {direction} the current time {now}, outside the tolerance of {}s",
                    timestamp.abs_diff(*now),
                    tolerance.as_secs()
                )
            }
            WebhookError::InvalidBody { path, message } => write!(
                f,
                "webhook signature is valid, but the body did not decode as an event at `{path}`: {message}"
            ),
        }
    }
}

impl std::error::Error for WebhookError {}

/// Parses the timestamp as plain decimal digits: no sign, no fraction, no exponent.
fn parse_timestamp(text: &str) -> Result<u64, WebhookError> {
    if text.is_empty() || !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(invalid_timestamp(text));
    }
    text.parse().map_err(|_| invalid_timestamp(text))
}

/// The header value is attacker-controlled, so only its start is kept for the message.
fn invalid_timestamp(text: &str) -> WebhookError {
    WebhookError::InvalidTimestamp(text.chars().take(40).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "996QF2kLfVcmF8hzikZVfeB7GPH2RdP7";
    const TIMESTAMP: &str = "1702298964";

    fn at(seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds)
    }

    fn event_fixture() -> Vec<u8> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../fixtures/wire-samples/events/get.json"
        );
        std::fs::read(path).unwrap_or_else(|error| panic!("reading {path}: {error}"))
    }

    #[test]
    fn vector_1_empty_body() {
        let signature = "11a78a4daf3d96996a022be567e444b72bf5f7462311529f0342e0f152d32803";
        assert_eq!(
            Verifier::new("secret").verify_signature_at(
                b"",
                signature,
                TIMESTAMP,
                at(1_702_298_964)
            ),
            Ok(())
        );
    }

    #[test]
    fn vector_2_short_body() {
        let body = br#"{"id": "EVYK7KCFJAXA23UKSG"}"#;
        assert_eq!(body.len(), 28);
        let signature = "9dfc94dfd152e5c428a5b72c27bbbada0c2d81c266b62ab93ab7087aa773729b";
        assert_eq!(
            Verifier::new(SECRET).verify_signature_at(
                body,
                signature,
                "1672527600",
                at(1_672_527_600)
            ),
            Ok(())
        );
    }

    #[test]
    fn vector_3_event_fixture_verifies_and_decodes() {
        let body = event_fixture();
        assert_eq!(
            body.len(),
            702,
            "the fixture must be byte-exact, trailing newline included"
        );
        let signature = "c3e62291042d23fb21c1a0881544125a667f0f9df90d81a91ca9ccc9e4b9f6ec";
        let event = Verifier::new(SECRET)
            .verify_at(&body, signature, TIMESTAMP, at(1_702_298_964))
            .expect("valid");
        assert!(matches!(
            event.payload,
            crate::models::EventPayload::Payment(_)
        ));

        let mut headers = http::HeaderMap::new();
        headers.insert(
            "paypro-signature",
            format!(" {} ", signature.to_uppercase()).parse().unwrap(),
        );
        headers.insert("PAYPRO-TIMESTAMP", TIMESTAMP.parse().unwrap());
        let from_headers =
            Verifier::new(SECRET).verify_headers_at(&body, &headers, at(1_702_298_964));
        assert!(from_headers.is_ok(), "{from_headers:?}");
    }

    #[test]
    fn vector_4_valid_signature_but_empty_body_fails_decoding() {
        let signature = "d83474e81c7758cc82ff6a4bf60e592a64ff8f54d1de82115acb9d1d1ec4793d";
        let verifier = Verifier::new(SECRET);
        assert_eq!(
            verifier.verify_signature_at(b"", signature, TIMESTAMP, at(1_702_298_964)),
            Ok(())
        );
        let error = verifier
            .verify_at(b"", signature, TIMESTAMP, at(1_702_298_964))
            .unwrap_err();
        assert!(
            matches!(&error, WebhookError::InvalidBody { path, .. } if path == "."),
            "{error:?}"
        );
    }

    #[test]
    fn tolerance_applies_in_both_directions() {
        let body = event_fixture();
        let signature = "c3e62291042d23fb21c1a0881544125a667f0f9df90d81a91ca9ccc9e4b9f6ec";
        let verifier = Verifier::new(SECRET);
        let check = |now: u64| verifier.verify_signature_at(&body, signature, TIMESTAMP, at(now));
        assert_eq!(check(1_702_298_964), Ok(()));
        assert_eq!(
            check(1_702_298_964 + 600),
            Ok(()),
            "exactly the tolerance is accepted"
        );
        assert_eq!(check(1_702_298_964 - 600), Ok(()));
        assert_eq!(
            check(1_702_300_164),
            Err(WebhookError::TimestampOutsideTolerance {
                timestamp: 1_702_298_964,
                now: 1_702_300_164,
                tolerance: Duration::from_secs(600)
            })
        );
        assert!(
            matches!(
                check(1_702_298_964 - 601),
                Err(WebhookError::TimestampOutsideTolerance { .. })
            ),
            "future timestamp"
        );
        let relaxed = Verifier::new(SECRET).with_tolerance(Duration::from_secs(1200));
        assert_eq!(
            relaxed.verify_signature_at(&body, signature, TIMESTAMP, at(1_702_300_164)),
            Ok(())
        );
    }

    #[test]
    fn tampering_and_malformed_input_are_rejected() {
        let body = br#"{"id": "EVYK7KCFJAXA23UKSG"}"#;
        let good = "9dfc94dfd152e5c428a5b72c27bbbada0c2d81c266b62ab93ab7087aa773729b";
        let verifier = Verifier::new(SECRET);
        let check = |body: &[u8], signature: &str, timestamp: &str| {
            verifier.verify_signature_at(body, signature, timestamp, at(1_672_527_600))
        };
        let flipped = format!("8{}", &good[1..]);
        assert_eq!(
            check(body, &flipped, "1672527600"),
            Err(WebhookError::SignatureMismatch)
        );
        assert_eq!(
            check(b"{\"id\": \"EVYK7KCFJAXA23UKSH\"}", good, "1672527600"),
            Err(WebhookError::SignatureMismatch)
        );
        assert_eq!(
            check(body, good, "1672527601"),
            Err(WebhookError::SignatureMismatch)
        );
        assert_eq!(
            Verifier::new("other").verify_signature_at(body, good, "1672527600", at(1_672_527_600)),
            Err(WebhookError::SignatureMismatch)
        );
        for malformed in [
            "",
            "abc",
            &good[..63],
            &format!("{good}00"),
            &format!("sha256={good}"),
            &format!("{}g", &good[..63]),
        ] {
            assert_eq!(
                check(body, malformed, "1672527600"),
                Err(WebhookError::MalformedSignature),
                "{malformed:?}"
            );
        }
        assert_eq!(
            check(body, &good.to_uppercase(), "1672527600"),
            Ok(()),
            "hex case does not matter"
        );
        assert_eq!(
            check(body, &format!("\t{good}\n"), " 1672527600 "),
            Ok(()),
            "whitespace is ignored"
        );
    }

    #[test]
    fn non_integer_timestamps_are_rejected_after_the_signature() {
        let secret = "secret";
        let sign = |timestamp: &str| {
            hex::encode(
                crate::signing::mac(secret, timestamp, b"")
                    .finalize()
                    .into_bytes(),
            )
        };
        for timestamp in [
            "1702298964.5",
            "-1702298964",
            "+1702298964",
            "1e9",
            "abc",
            "99999999999999999999999",
        ] {
            let result = Verifier::new(secret).verify_signature_at(
                b"",
                &sign(timestamp),
                timestamp,
                at(1_702_298_964),
            );
            assert_eq!(
                result,
                Err(WebhookError::InvalidTimestamp(timestamp.to_owned())),
                "{timestamp}"
            );
        }
    }

    #[test]
    fn missing_headers_are_named() {
        let verifier = Verifier::new(SECRET);
        let mut headers = http::HeaderMap::new();
        assert_eq!(
            verifier.verify_headers(b"", &headers).unwrap_err(),
            WebhookError::MissingHeader(SIGNATURE_HEADER)
        );
        headers.insert(SIGNATURE_HEADER, "00".parse().unwrap());
        assert_eq!(
            verifier.verify_headers(b"", &headers).unwrap_err(),
            WebhookError::MissingHeader(TIMESTAMP_HEADER)
        );
    }

    #[test]
    fn secret_never_shows() {
        let verifier = Verifier::new(SECRET);
        assert!(!format!("{verifier:?}").contains(SECRET));
        let body = event_fixture();
        let errors = [
            verifier
                .verify_signature_at(&body, "00", TIMESTAMP, at(0))
                .unwrap_err(),
            verifier
                .verify_signature_at(&body, &"0".repeat(64), TIMESTAMP, at(0))
                .unwrap_err(),
        ];
        for error in errors {
            assert!(!format!("{error} {error:?}").contains(SECRET));
        }
    }
}
