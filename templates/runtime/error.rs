//! The single error type every client call returns, carrying what a caller needs to act on a failure.

use std::fmt;
use std::time::Duration;

/// Everything that can go wrong when calling PayPro.
///
/// Match on the variant to react to a specific failure, or use the helpers
/// ([`status`](Error::status), [`is_timeout`](Error::is_timeout),
/// [`is_retryable`](Error::is_retryable), [`request_id`](Error::request_id)) for the common
/// questions. Neither `Display` nor `Debug` ever contains the API key.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// PayPro answered with a status outside 2xx. Boxed so that `Result<T, Error>` stays small.
    Api(Box<ApiError>),
    /// An attempt did not finish within the configured per-attempt timeout.
    #[non_exhaustive]
    Timeout {
        /// HTTP method of the request.
        method: String,
        /// Path template of the operation, e.g. `/payments/{id}`.
        path: String,
        /// The per-attempt timeout that ran out.
        timeout: Duration,
        /// How many attempts were made, retries included.
        attempts: u32,
        /// The underlying HTTP client error.
        source: reqwest::Error,
    },
    /// The request could not be sent or the response could not be read (DNS, connect, TLS,
    /// connection reset).
    #[non_exhaustive]
    Transport {
        /// HTTP method of the request.
        method: String,
        /// Path template of the operation, e.g. `/payments/{id}`.
        path: String,
        /// How many attempts were made, retries included.
        attempts: u32,
        /// The underlying HTTP client error.
        source: reqwest::Error,
    },
    /// PayPro answered 2xx, but the body did not decode into the expected type.
    Decode(Box<DecodeError>),
    /// The response body was larger than the client accepts
    /// ([`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes), 16 MiB
    /// by default). Reading stopped at the limit, so a broken or hostile server cannot make the
    /// client hold an unbounded body. Not retried: the same request would get the same body.
    #[non_exhaustive]
    ResponseTooLarge {
        /// HTTP method of the request.
        method: String,
        /// Path template of the operation, e.g. `/payments/{id}`.
        path: String,
        /// HTTP status code of the response.
        status: u16,
        /// The limit that was exceeded, in bytes.
        limit: u64,
        /// Bytes the server announced in `Content-Length` (when over the limit, nothing is
        /// read), or else the bytes read when reading stopped (more than `limit`).
        received: u64,
        /// Whether `received` is the announced length rather than bytes actually read.
        announced: bool,
        /// The `X-Request-Id` response header.
        request_id: Option<String>,
    },
    /// The request could not be encoded (body serialization, or a path that URLs cannot carry).
    #[non_exhaustive]
    Encode {
        /// HTTP method of the request.
        method: String,
        /// Path template of the operation, e.g. `/payments`.
        path: String,
        /// What went wrong.
        message: String,
        /// The serializer's error, when there is one.
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
    /// The client was configured with a value it cannot use.
    #[non_exhaustive]
    Config {
        /// What is wrong and with which value.
        message: String,
    },
    /// Automatic pagination stopped because PayPro handed out a cursor it had already given,
    /// which would otherwise repeat the same pages forever.
    #[non_exhaustive]
    Pagination {
        /// Path template of the list operation.
        path: String,
        /// The repeated cursor.
        cursor: String,
    },
}

/// PayPro's answer to a request it did not accept (any status outside 2xx).
///
/// PayPro's error body is `{"error":{"type":…,"message":…,"param":…}}`; it is parsed
/// leniently, so an empty, HTML or otherwise shaped body still yields an `ApiError` with the status.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// HTTP status code.
    pub status: u16,
    /// PayPro's error type, e.g. `invalid_request`.
    pub error_type: Option<String>,
    /// PayPro's readable message, e.g. `Description must be set`.
    pub message: Option<String>,
    /// The request field the error is about, e.g. `description`.
    pub param: Option<String>,
    /// The `X-Request-Id` response header; quote it to PayPro support.
    pub request_id: Option<String>,
    /// How long PayPro asked to wait (the `Retry-After` header), if it said so.
    pub retry_after: Option<Duration>,
    /// The start of the response body (at most about 300 bytes), if it was not empty.
    pub body: Option<String>,
}

/// A 2xx response whose body did not decode into the expected type.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DecodeError {
    /// HTTP method of the request.
    pub method: String,
    /// Path template of the operation, e.g. `/payments/{id}`.
    pub path: String,
    /// HTTP status code of the response.
    pub status: u16,
    /// Where in the body the first bad value is, e.g. `data[0].amount` (`.` for the root).
    pub json_path: String,
    /// The decoder's explanation.
    pub message: String,
    /// The start of the response body (at most about 300 bytes, lossy UTF-8).
    pub body: String,
    /// The `X-Request-Id` response header.
    pub request_id: Option<String>,
}

impl Error {
    /// The HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::Decode(decode) => Some(decode.status),
            Error::ResponseTooLarge { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Whether an attempt ran out of time.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }

    /// Whether the failure is transient: a timeout, a connection problem, `429 Too Many
    /// Requests`, or `502`/`503`/`504`.
    ///
    /// This describes the error, not the request. The client retries GET requests on these
    /// errors by itself; it never retries POST, PATCH or DELETE, because after a timeout or a
    /// dropped connection PayPro may already have acted on them. Retrying a POST that timed out
    /// can create a second payment, so check (for example by listing recent payments) before
    /// sending it again.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Timeout { .. } => true,
            Error::Transport { source, .. } => transport_is_transient(source),
            Error::Api(api) => matches!(api.status, 429 | 502 | 503 | 504),
            _ => false,
        }
    }

    /// The `X-Request-Id` PayPro sent with the response, when there was a response.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(api) => api.request_id.as_deref(),
            Error::Decode(decode) => decode.request_id.as_deref(),
            Error::ResponseTooLarge { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// The API error, if this is one.
    pub fn as_api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) => Some(api),
            _ => None,
        }
    }

    pub(crate) fn config(message: impl Into<String>) -> Self {
        Error::Config {
            message: message.into(),
        }
    }
}

impl From<ApiError> for Error {
    fn from(error: ApiError) -> Self {
        Error::Api(Box::new(error))
    }
}

impl From<DecodeError> for Error {
    fn from(error: DecodeError) -> Self {
        Error::Decode(Box::new(error))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(api) => api.fmt(f),
            Error::Decode(decode) => decode.fmt(f),
            Error::Timeout {
                method,
                path,
                timeout,
                attempts,
                ..
            } => {
                write!(
                    f,
                    "{method} {path} timed out after {timeout:?} (attempt {attempts})"
                )?;
                // The warning matters for calls that change something; a GET is harmless.
                if method != "GET" && method != "HEAD" {
                    f.write_str("; PayPro may still have acted on it")?;
                }
                Ok(())
            }
            // reqwest's own message only names the URL; the root cause ("connection refused",
            // "dns error", a TLS failure) is what a person needs, so it is spelled out here.
            Error::Transport {
                method,
                path,
                attempts,
                source,
            } => write!(
                f,
                "{method} {path} failed to reach PayPro (attempt {attempts}): {}",
                root_cause(source)
            ),
            Error::Encode {
                method,
                path,
                message,
                ..
            } => {
                write!(
                    f,
                    "could not encode the request for {method} {path}: {message}"
                )
            }
            Error::ResponseTooLarge {
                method,
                path,
                status,
                limit,
                received,
                announced,
                ..
            } => {
                write!(
                    f,
                    "{method} {path}: the response body ({status}) is larger than the limit of \
                     {limit} bytes: "
                )?;
                if *announced {
                    write!(
                        f,
                        "Content-Length announced {received} bytes, none were read"
                    )
                } else {
                    write!(f, "reading stopped after {received} bytes")
                }
            }
            Error::Config { message } => write!(f, "invalid client configuration: {message}"),
            Error::Pagination { path, cursor } => write!(
                f,
                "pagination of GET {path} stopped: PayPro returned the cursor {cursor:?} again, \
                 which would repeat pages forever"
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Timeout { source, .. } | Error::Transport { source, .. } => Some(source),
            Error::Encode {
                source: Some(source),
                ..
            } => Some(source.as_ref()),
            // `Api` and `Decode` display their payload themselves; returning it as the source
            // too would print every message twice in error-chain reports.
            _ => None,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PayPro returned {}", self.status)?;
        if let Some(error_type) = &self.error_type {
            write!(f, " {error_type}")?;
        }
        match (&self.message, &self.body) {
            (Some(message), _) => write!(f, ": {message}")?,
            (None, body) => {
                let reason = http::StatusCode::from_u16(self.status)
                    .ok()
                    .and_then(|status| status.canonical_reason());
                if let Some(reason) = reason {
                    write!(f, " {reason}")?;
                }
                if self.status == 401 {
                    f.write_str(" (check the API key)")?;
                }
                match body {
                    Some(body) => write!(f, "; body starts: {body}")?,
                    None => f.write_str(" with an empty body")?,
                }
            }
        }
        let mut details = Vec::new();
        if let Some(param) = &self.param {
            details.push(format!("param: {param}"));
        }
        if let Some(wait) = self.retry_after {
            details.push(format!("retry after {}s", wait.as_secs()));
        }
        if let Some(id) = &self.request_id {
            details.push(format!("request id {id}"));
        }
        if !details.is_empty() {
            write!(f, " ({})", details.join(", "))?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "response body of {} {} did not decode at `{}`: {} (status {}",
            self.method, self.path, self.json_path, self.message, self.status
        )?;
        if let Some(id) = &self.request_id {
            write!(f, ", request id {id}")?;
        }
        write!(f, "); body starts: {}", self.body)
    }
}

impl std::error::Error for DecodeError {}

/// Whether a transport failure is worth trying again: anything about reaching PayPro or reading
/// its answer, but not a request reqwest refused to build.
pub(crate) fn transport_is_transient(error: &reqwest::Error) -> bool {
    !error.is_builder() && (error.is_connect() || error.is_request() || error.is_body())
}

/// The innermost error in a chain, which for network failures names the actual problem.
fn root_cause<'a>(
    error: &'a (dyn std::error::Error + 'static),
) -> &'a (dyn std::error::Error + 'static) {
    let mut current = error;
    while let Some(next) = current.source() {
        current = next;
    }
    current
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(status: u16, body: &str, request_id: Option<&str>) -> ApiError {
        ApiError::from_response(status, body.as_bytes(), request_id.map(str::to_owned), None)
    }

    #[test]
    fn retryable_statuses() {
        for (status, retryable) in [
            (429, true),
            (502, true),
            (503, true),
            (504, true),
            (500, false),
            (404, false),
            (422, false),
        ] {
            assert_eq!(
                Error::from(api(status, "{}", None)).is_retryable(),
                retryable,
                "{status}"
            );
        }
        assert!(!Error::config("x").is_retryable());
    }

    #[test]
    fn decode_error_message() {
        let error = Error::from(DecodeError {
            method: "GET".into(),
            path: "/payments/{id}".into(),
            status: 200,
            json_path: "data[0].amount".into(),
            message: "invalid type: boolean `true`, expected i64".into(),
            body: "{\"data\":[{\"amount\":true}]}".into(),
            request_id: Some("abc".into()),
        });
        assert_eq!(
            error.to_string(),
            "response body of GET /payments/{id} did not decode at `data[0].amount`: invalid type: \
             boolean `true`, expected i64 (status 200, request id abc); body starts: {\"data\":[{\"amount\":true}]}"
        );
        assert_eq!(error.status(), Some(200));
        assert_eq!(error.request_id(), Some("abc"));
    }

    #[test]
    fn error_is_send_sync_and_small() {
        fn assert_traits<T: Send + Sync + 'static + std::error::Error>() {}
        assert_traits::<Error>();
        assert!(std::mem::size_of::<Error>() <= 128);
    }
}
