//! Reading PayPro's responses: what one attempt returns, lenient parsing of error bodies, and
//! JSON decoding that remembers where it failed.

use std::time::{Duration, SystemTime};

use bytes::Bytes;
use reqwest::header::{self, HeaderMap};
use serde::de::DeserializeOwned;

use crate::body::{Capped, read_capped};
use crate::error::{ApiError, Error};
use crate::request::ApiRequest;
use crate::retry;

/// A response as far as the retry loop needs it.
pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) request_id: Option<String>,
    pub(crate) retry_after: Option<Duration>,
    pub(crate) body: Bytes,
}

/// Whether a caller wants the body of a successful response.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyUse {
    Decode,
    Ignore,
}

/// Why one attempt produced no [`Response`].
pub(crate) enum ReceiveError {
    /// Sending, or reading the response, failed.
    Transport(reqwest::Error),
    /// A 2xx body was over the size limit; reading stopped there.
    TooLarge {
        status: u16,
        limit: u64,
        received: u64,
        announced: bool,
        request_id: Option<String>,
    },
}

impl ReceiveError {
    /// The caller's error for attempt number `attempts` of `request`.
    pub(crate) fn into_error(
        self,
        request: &ApiRequest,
        attempts: u32,
        timeout: Duration,
    ) -> Error {
        match self {
            ReceiveError::Transport(source) => request.transport_error(source, attempts, timeout),
            ReceiveError::TooLarge {
                status,
                limit,
                received,
                announced,
                request_id,
            } => Error::ResponseTooLarge {
                method: request.method.to_string(),
                path: request.path_template.to_owned(),
                status,
                limit,
                received,
                announced,
                request_id,
            },
        }
    }
}

/// Sends one attempt and reads what the retry loop needs from the response; a body is read
/// up to `max_body` bytes.
pub(crate) async fn receive(
    builder: reqwest::RequestBuilder,
    body_use: BodyUse,
    max_body: u64,
) -> Result<Response, ReceiveError> {
    let response = builder.send().await.map_err(ReceiveError::Transport)?;
    let status = response.status();
    let headers = response.headers();
    let request_id = header_text(headers, "x-request-id");
    let retry_after = header_text(headers, header::RETRY_AFTER.as_str())
        .and_then(|value| retry::parse_retry_after(&value, SystemTime::now()));
    let body = if !status.is_success() {
        // The status already says what happened; a body that breaks off or runs over the
        // limit only loses the detail, so what was read is kept.
        match read_capped(response, max_body, false).await {
            Ok(body) | Err(Capped::Over { read: body, .. }) => body,
            Err(Capped::Transport(_)) => Bytes::new(),
        }
    } else if body_use == BodyUse::Ignore {
        Bytes::new()
    } else {
        match read_capped(response, max_body, true).await {
            Ok(body) => body,
            Err(Capped::Transport(error)) => return Err(ReceiveError::Transport(error)),
            Err(Capped::Over {
                received,
                announced,
                ..
            }) => {
                return Err(ReceiveError::TooLarge {
                    status: status.as_u16(),
                    limit: max_body,
                    received,
                    announced,
                    request_id,
                });
            }
        }
    };
    Ok(Response {
        status: status.as_u16(),
        request_id,
        retry_after,
        body,
    })
}

/// A header's value as text, if present and printable. Header-map lookups ignore case.
fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    let value = headers.get(name)?.to_str().ok()?.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

impl ApiError {
    /// Builds the error from a non-2xx response; never fails, whatever the body holds.
    pub(crate) fn from_response(
        status: u16,
        body: &[u8],
        request_id: Option<String>,
        retry_after: Option<Duration>,
    ) -> Self {
        let (error_type, message, param) = error_fields(body);
        ApiError {
            status,
            error_type,
            message,
            param,
            request_id,
            retry_after,
            body: (!body.is_empty()).then(|| snippet(body)),
        }
    }
}

/// Where and why a JSON body failed to decode.
#[derive(Debug)]
pub(crate) struct JsonFailure {
    /// JSON path of the first bad value (`.` for the root).
    pub(crate) path: String,
    /// The decoder's message.
    pub(crate) message: String,
}

/// Decodes a JSON body, remembering the path of the first bad value so the error can point at it.
///
/// Shared by response decoding and webhook verification, so both report failures the same way.
/// An object with a repeated key (seen in PayPro fixtures: `cancel_at` twice) is read again
/// with the last value winning, as most JSON readers do; that second pass runs only on that
/// error, so well-formed bodies pay nothing for it.
pub(crate) fn decode_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, JsonFailure> {
    // One plain pass first: tracking the path costs about a fifth of the decode on every
    // response, so only a body that fails pays for the second pass that explains where.
    if let Ok(value) = serde_json::from_slice(body) {
        return Ok(value);
    }
    match decode_strict(body) {
        Err(failure) if failure.message.contains("duplicate field") => {
            decode_last_key_wins(body).ok_or(failure)
        }
        result => result,
    }
}

/// Through `serde_json::Value`, whose maps keep the last of repeated keys.
fn decode_last_key_wins<T: DeserializeOwned>(body: &[u8]) -> Option<T> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    T::deserialize(value).ok()
}

fn decode_strict<T: DeserializeOwned>(body: &[u8]) -> Result<T, JsonFailure> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value: T =
        serde_path_to_error::deserialize(&mut deserializer).map_err(|error| JsonFailure {
            path: error.path().to_string(),
            message: error.inner().to_string(),
        })?;
    // Trailing bytes after the value mean the body is not what we think it is.
    deserializer.end().map_err(|error| JsonFailure {
        path: ".".to_owned(),
        message: error.to_string(),
    })?;
    Ok(value)
}

/// Longest body excerpt kept in an error, in bytes.
const SNIPPET_BYTES: usize = 300;

/// The start of a body for an error message: at most [`SNIPPET_BYTES`] bytes, cut on a character
/// boundary, invalid UTF-8 replaced, with `…` appended when something was cut off.
pub(crate) fn snippet(body: &[u8]) -> String {
    if body.len() <= SNIPPET_BYTES {
        return String::from_utf8_lossy(body).into_owned();
    }
    let mut end = SNIPPET_BYTES;
    // Back off over UTF-8 continuation bytes (0b10xx_xxxx) so a multi-byte character is not cut
    // in half; a character is at most four bytes, so at most three steps are needed.
    while end > SNIPPET_BYTES - 3 && body.get(end).is_some_and(|byte| byte & 0xC0 == 0x80) {
        end -= 1;
    }
    let mut text = String::from_utf8_lossy(&body[..end]).into_owned();
    text.push('…');
    text
}

/// Picks PayPro's `type`, `message` and `param` out of an error body, tolerating any shape.
fn error_fields(body: &[u8]) -> (Option<String>, Option<String>, Option<String>) {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
        return (None, None, None);
    };
    // PayPro nests the fields under "error"; a bare object is accepted too, in case a proxy or
    // a future version answers with the fields at the top level.
    match value.get("error").unwrap_or(&value) {
        serde_json::Value::Object(fields) => {
            let text = |key: &str| match fields.get(key) {
                Some(serde_json::Value::String(text)) if !text.is_empty() => Some(text.clone()),
                _ => None,
            };
            (text("type"), text("message"), text("param"))
        }
        serde_json::Value::String(message) if !message.is_empty() => {
            (None, Some(message.clone()), None)
        }
        _ => (None, None, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(status: u16, body: &str, request_id: Option<&str>) -> ApiError {
        ApiError::from_response(status, body.as_bytes(), request_id.map(str::to_owned), None)
    }

    #[test]
    fn parses_paypro_error_body() {
        let error = api(
            422,
            r#"{"error":{"message":"Description must be set","param":"description","type":"invalid_request"}}"#,
            Some("req_123"),
        );
        assert_eq!(error.error_type.as_deref(), Some("invalid_request"));
        assert_eq!(error.message.as_deref(), Some("Description must be set"));
        assert_eq!(error.param.as_deref(), Some("description"));
        assert_eq!(
            Error::from(error).to_string(),
            "PayPro returned 422 invalid_request: Description must be set \
             (param: description, request id req_123)"
        );
    }

    #[test]
    fn odd_error_bodies_still_give_the_status() {
        for body in [
            "{}",
            "",
            "<html><body>Bad gateway</body></html>",
            "[1,2]",
            "null",
            "{\"error\":42}",
        ] {
            let error = Error::from(api(502, body, None));
            assert_eq!(error.status(), Some(502), "body {body:?}");
            let api = error.as_api().expect("an API error");
            assert_eq!(
                (
                    api.error_type.as_ref(),
                    api.message.as_ref(),
                    api.param.as_ref()
                ),
                (None, None, None)
            );
            assert!(error.is_retryable());
        }
        assert_eq!(
            api(404, "", None).to_string(),
            "PayPro returned 404 Not Found with an empty body"
        );
        assert_eq!(
            api(401, "{}", Some("r1")).to_string(),
            "PayPro returned 401 Unauthorized (check the API key); body starts: {} (request id r1)"
        );
        assert_eq!(
            api(400, r#"{"error":"Bad cursor"}"#, None)
                .message
                .as_deref(),
            Some("Bad cursor")
        );
    }

    #[test]
    fn snippet_is_bounded_and_char_safe() {
        assert_eq!(snippet(b"short"), "short");
        let ascii = "a".repeat(1000);
        let cut = snippet(ascii.as_bytes());
        assert_eq!(cut.len(), SNIPPET_BYTES + '…'.len_utf8());
        // 'é' is two bytes; with a one-byte prefix the 300th byte falls inside a character.
        let accented = format!("x{}", "é".repeat(400));
        let cut = snippet(accented.as_bytes());
        assert!(cut.ends_with('…'));
        assert!(!cut.contains('\u{FFFD}'), "a character was split: {cut}");
        assert!(cut.len() <= SNIPPET_BYTES + '…'.len_utf8());
        let invalid = [0xFFu8; 10];
        assert_eq!(snippet(&invalid), "\u{FFFD}".repeat(10));
    }

    #[test]
    fn decode_reports_json_path() {
        #[derive(Debug, serde::Deserialize)]
        struct Item {
            #[allow(dead_code, reason = "only decoded")]
            amount: i64,
        }
        #[derive(Debug, serde::Deserialize)]
        struct Page {
            #[allow(dead_code, reason = "only decoded")]
            data: Vec<Item>,
        }
        let failure =
            decode_json::<Page>(br#"{"data":[{"amount":1},{"amount":"x"}]}"#).expect_err("fails");
        assert_eq!(failure.path, "data[1].amount");
        assert!(
            failure.message.contains("invalid type"),
            "{}",
            failure.message
        );
        let trailing = decode_json::<serde_json::Value>(b"{} x").expect_err("fails");
        assert_eq!(trailing.path, ".");
    }

    #[test]
    fn a_repeated_key_keeps_its_last_value() {
        #[derive(Debug, serde::Deserialize)]
        struct Subscription {
            cancel_at: Option<String>,
        }
        let body = br#"{"cancel_at": null, "cancel_at": "2024-01-01"}"#;
        let decoded = decode_json::<Subscription>(body).expect("repeated keys are tolerated");
        assert_eq!(decoded.cancel_at.as_deref(), Some("2024-01-01"));
        // When the last value does not fit either, the first error is the one reported.
        let failure = decode_json::<Subscription>(br#"{"cancel_at": "a", "cancel_at": 6}"#)
            .expect_err("fails");

        assert!(
            failure.message.contains("duplicate field"),
            "{}",
            failure.message
        );
    }
}
