//! PayPro's webhook signature, HMAC-SHA256 over `"<timestamp>.<raw body>"`, computed in one
//! place: [`Verifier`](crate::webhooks::Verifier) checks it, and [`sign`] makes it for
//! applications that post signed events to their own handlers in tests.

use std::time::{SystemTime, UNIX_EPOCH};

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::webhooks::{SIGNATURE_HEADER, TIMESTAMP_HEADER};

/// The signature PayPro sends in [`SIGNATURE_HEADER`] for `body` delivered at `timestamp` (Unix
/// seconds): lowercase hex HMAC-SHA256 of `"<timestamp>.<body>"`, keyed with the webhook's
/// `secret` as plain bytes. Exactly what [`Verifier`](crate::webhooks::Verifier) accepts.
///
/// ```
/// let signature = paypro::webhooks::sign("secret", 1702298964, b"");
/// assert_eq!(signature, "11a78a4daf3d96996a022be567e444b72bf5f7462311529f0342e0f152d32803");
/// ```
pub fn sign(secret: &str, timestamp: u64, body: &[u8]) -> String {
    hex::encode(
        mac(secret, &timestamp.to_string(), body)
            .finalize()
            .into_bytes(),
    )
}

/// The two headers of a delivery of `body` signed with `secret` at `timestamp` (Unix seconds):
/// [`SIGNATURE_HEADER`] and [`TIMESTAMP_HEADER`], ready to add to a request to your own
/// webhook handler.
pub fn signed_headers_at(secret: &str, timestamp: u64, body: &[u8]) -> http::HeaderMap {
    let mut headers = http::HeaderMap::new();
    let signature = http::HeaderValue::try_from(sign(secret, timestamp, body))
        .expect("hex digits are a valid header value");
    headers.insert(SIGNATURE_HEADER, signature);
    headers.insert(TIMESTAMP_HEADER, http::HeaderValue::from(timestamp));
    headers
}

/// [`signed_headers_at`] the current time, so the delivery is within any verifier's tolerance.
///
/// ```
/// use paypro::webhooks::{Verifier, signed_headers};
///
/// let body = br#"{"id":"EV1"}"#;
/// let headers = signed_headers("whsec", body);
/// // Authentic and fresh; the body is not an event, so only decoding fails.
/// let error = Verifier::new("whsec").verify_headers(body, &headers).unwrap_err();
/// assert!(matches!(error, paypro::webhooks::WebhookError::InvalidBody { .. }));
/// ```
pub fn signed_headers(secret: &str, body: &[u8]) -> http::HeaderMap {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    signed_headers_at(secret, now, body)
}

/// The keyed MAC over `"<timestamp>.<body>"`, with the timestamp exactly as given (signed as
/// received, so `"0123"` and `"123"` are different messages).
pub(crate) fn mac(secret: &str, timestamp: &str, body: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length (long ones are hashed first), so this never fails.
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes())
        .expect("HMAC accepts keys of any length");
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::webhooks::Verifier;
    use std::time::Duration;

    const SECRET: &str = "996QF2kLfVcmF8hzikZVfeB7GPH2RdP7";

    /// REFERENCE.md §6.3, vectors 1, 2 and 4 (vector 3 is the event fixture, checked in
    /// `webhooks.rs` by the verifier, which shares [`mac`]).
    #[test]
    fn signs_the_reference_vectors() {
        assert_eq!(
            sign("secret", 1_702_298_964, b""),
            "11a78a4daf3d96996a022be567e444b72bf5f7462311529f0342e0f152d32803"
        );
        assert_eq!(
            sign(SECRET, 1_672_527_600, br#"{"id": "EVYK7KCFJAXA23UKSG"}"#),
            "9dfc94dfd152e5c428a5b72c27bbbada0c2d81c266b62ab93ab7087aa773729b"
        );
        assert_eq!(
            sign(SECRET, 1_702_298_964, b""),
            "d83474e81c7758cc82ff6a4bf60e592a64ff8f54d1de82115acb9d1d1ec4793d"
        );
    }

    #[test]
    fn signed_headers_pass_the_verifier_and_tampering_does_not() {
        let body = br#"{"id": "EVYK7KCFJAXA23UKSG"}"#;
        let headers = signed_headers_at(SECRET, 1_672_527_600, body);
        assert_eq!(headers[TIMESTAMP_HEADER], "1672527600");
        let at = UNIX_EPOCH + Duration::from_secs(1_672_527_600);
        let verifier = Verifier::new(SECRET);
        let signature = headers[SIGNATURE_HEADER].to_str().expect("ascii");
        assert_eq!(
            verifier.verify_signature_at(body, signature, "1672527600", at),
            Ok(())
        );
        assert!(
            verifier
                .verify_signature_at(b"{}", signature, "1672527600", at)
                .is_err()
        );
        let fresh = signed_headers(SECRET, body);
        let error = verifier
            .verify_headers(body, &fresh)
            .expect_err("not an event");
        assert!(
            matches!(error, crate::webhooks::WebhookError::InvalidBody { .. }),
            "signed now, so only decoding fails: {error}"
        );
    }
}
