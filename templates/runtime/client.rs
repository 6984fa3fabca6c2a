//! The HTTP client: configuration, authentication, sending with retries, and turning responses
//! into values or [`Error`]s. Generated resource methods describe each call as an [`ApiRequest`]
//! and hand it to [`Client::execute`] or [`Client::execute_empty`].

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{self, HeaderValue};
use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::error::{ApiError, DecodeError, Error};
use crate::request::{RequestBody, request_url};
use crate::response::{BodyUse, Response, decode_json, receive, snippet};
use crate::retry::{self, RetryPolicy};

// Generated code names these as `crate::client::…`; they live in `request.rs` to keep files small.
#[allow(
    unused_imports,
    reason = "which of them generated code uses depends on the spec"
)]
#[doc(hidden)]
pub use crate::request::{ApiRequest, encode_path_segment};

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const DEFAULT_MAX_RESPONSE_BYTES: u64 = 16 * 1024 * 1024;
const DEFAULT_USER_AGENT: &str =
    concat!(env!("CARGO_PKG_NAME"), "-rust/", env!("CARGO_PKG_VERSION"));

/// A PayPro API client. Cheap to clone (clones share one connection pool) and safe to share
/// between tasks.
///
/// ```no_run
/// # async fn run() -> Result<(), paypro::Error> {
/// let client = paypro::Client::builder("pp_your_api_key")
///     .timeout(std::time::Duration::from_secs(10))
///     .build()?;
/// # let _ = client; Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

/// Configures a [`Client`]; start with [`Client::builder`].
#[derive(Clone)]
pub struct ClientBuilder {
    api_key: String,
    base_url: String,
    timeout: Duration,
    connect_timeout: Duration,
    user_agent: String,
    http_client: Option<reqwest::Client>,
    retry: RetryPolicy,
    max_response_bytes: u64,
}

struct Inner {
    /// Normalized base URL without a trailing slash, e.g. `https://api.paypro.nl`.
    base_url: String,
    /// Everything needed to send, or why the client cannot send (see [`Client::new`]).
    ready: Result<Ready, String>,
    timeout: Duration,
    retry: RetryPolicy,
    max_response_bytes: u64,
}

struct Ready {
    http: reqwest::Client,
    /// `Bearer <key>`, marked sensitive so HTTP/2 never puts it in its header index.
    authorization: HeaderValue,
    user_agent: HeaderValue,
}

impl Client {
    /// A client for `crate::DEFAULT_BASE_URL` with default settings.
    ///
    /// This never fails: if the client cannot be set up (for example because the key contains
    /// a line break), every call returns [`Error::Config`] saying why. Use
    /// [`Client::builder`] to get that error up front instead.
    pub fn new(api_key: impl Into<String>) -> Client {
        let builder = Client::builder(api_key);
        let fallback = builder.clone();
        builder.build().unwrap_or_else(|error| Client {
            inner: Arc::new(Inner {
                base_url: crate::DEFAULT_BASE_URL.trim_end_matches('/').to_owned(),
                ready: Err(match error {
                    Error::Config { message } => message,
                    other => other.to_string(),
                }),
                timeout: fallback.timeout,
                retry: fallback.retry,
                max_response_bytes: fallback.max_response_bytes,
            }),
        })
    }

    /// Starts configuring a client that authenticates with `api_key`.
    pub fn builder(api_key: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            api_key: api_key.into(),
            base_url: crate::DEFAULT_BASE_URL.to_owned(),
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            http_client: None,
            retry: RetryPolicy::default(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
        }
    }

    /// The base URL requests go to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sends `request` and decodes a 2xx JSON body into `T`.
    #[doc(hidden)]
    pub async fn execute<T: DeserializeOwned>(&self, request: ApiRequest) -> Result<T, Error> {
        self.execute_with(request, |_, body| decode_json(body))
            .await
    }

    /// Sends `request` and decodes a 2xx body with `decode`, which sees the status first: for
    /// operations whose success statuses carry different bodies.
    pub(crate) async fn execute_with<T>(
        &self,
        request: ApiRequest,
        decode: impl FnOnce(u16, &[u8]) -> Result<T, crate::response::JsonFailure>,
    ) -> Result<T, Error> {
        let response = self.send(&request, BodyUse::Decode).await?;
        decode(response.status, &response.body).map_err(|failure| {
            Error::from(DecodeError {
                method: request.method.to_string(),
                path: request.path_template.to_owned(),
                status: response.status,
                json_path: failure.path,
                message: failure.message,
                body: snippet(&response.body),
                request_id: response.request_id,
            })
        })
    }

    /// Sends `request` and ignores the body of a 2xx response.
    #[doc(hidden)]
    pub async fn execute_empty(&self, request: ApiRequest) -> Result<(), Error> {
        self.send(&request, BodyUse::Ignore).await.map(drop)
    }

    async fn send(&self, request: &ApiRequest, body_use: BodyUse) -> Result<Response, Error> {
        // The path template, not the concrete path, keeps span cardinality low; ids, the key
        // and bodies stay out of telemetry.
        let span = tracing::info_span!(
            "paypro.request",
            method = %request.method,
            path = request.path_template,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
        );
        self.send_with_retries(request, body_use, &span)
            .instrument(span.clone())
            .await
    }

    async fn send_with_retries(
        &self,
        request: &ApiRequest,
        body_use: BodyUse,
        span: &tracing::Span,
    ) -> Result<Response, Error> {
        let inner = &*self.inner;
        let ready = inner
            .ready
            .as_ref()
            .map_err(|message| Error::config(message.clone()))?;
        if let Some(message) = &request.invalid {
            return Err(request.encode_error(message.clone(), None));
        }
        let url = request_url(&inner.base_url, &request.path, &request.query)
            .map_err(|message| request.encode_error(message, None))?;
        let body = match &request.body {
            RequestBody::None => None,
            RequestBody::Encoded {
                bytes,
                content_type,
            } => {
                let content_type = HeaderValue::from_str(content_type.as_ref()).map_err(|_| {
                    request.encode_error(
                        format!("content type {content_type:?} is not a valid header value"),
                        None,
                    )
                })?;
                Some((content_type, bytes))
            }
        };
        let mut attempt = 1;
        loop {
            span.record("attempt", attempt);
            let mut builder = ready
                .http
                .request(request.method.clone(), url.clone())
                .timeout(inner.timeout)
                .header(header::AUTHORIZATION, ready.authorization.clone())
                .header(header::ACCEPT, HeaderValue::from_static("application/json"))
                .header(header::USER_AGENT, ready.user_agent.clone());
            for (name, value) in &request.headers {
                builder = builder.header(name.clone(), value.clone());
            }
            if let Some((content_type, bytes)) = &body {
                builder = builder
                    .header(header::CONTENT_TYPE, content_type.clone())
                    .body((*bytes).clone());
            }
            let error = match receive(builder, body_use, inner.max_response_bytes).await {
                Ok(response) => {
                    span.record("status", response.status);
                    if let Some(id) = &response.request_id {
                        span.record("request_id", id.as_str());
                    }
                    if (200..300).contains(&response.status) {
                        return Ok(response);
                    }
                    // Redirects are not followed (see `ClientBuilder::build`), so 3xx lands here
                    // too: PayPro never redirects, and a redirected POST would turn into a GET.
                    Error::from(ApiError::from_response(
                        response.status,
                        &response.body,
                        response.request_id,
                        response.retry_after,
                    ))
                }
                Err(failure) => failure.into_error(request, attempt, inner.timeout),
            };
            let Some(delay) =
                inner
                    .retry
                    .delay_before_retry(&request.method, &error, attempt, retry::random())
            else {
                tracing::debug!(attempt, error = %error, "request failed");
                return Err(error);
            };
            tracing::debug!(attempt, delay_ms = delay.as_millis() as u64, error = %error, "retrying");
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }
}

impl ClientBuilder {
    /// Sends requests to `url` instead of `crate::DEFAULT_BASE_URL`: any `http` or `https` URL,
    /// with or without a trailing slash, optionally with a path prefix
    /// (`http://localhost:8080/mock/`).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Time allowed for each attempt, from connecting until the whole body is read (default
    /// 30 s). A retried GET gets a fresh allowance per attempt.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Time allowed to establish a connection (default 10 s). Ignored when
    /// [`http_client`](ClientBuilder::http_client) supplies the HTTP client.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How often a GET is retried after a timeout, a connection failure, 429, 502, 503 or 504
    /// (default 2; 0 turns retrying off). POST, PATCH and DELETE are never retried.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.retry.max_retries = retries;
        self
    }

    /// The `User-Agent` header (default `paypro-rust/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// The largest response body the client reads, in bytes (default 16 MiB). A larger 2xx body
    /// is [`Error::ResponseTooLarge`]; reading stops at the limit (or at once, when
    /// `Content-Length` announces more), so a broken or hostile server cannot exhaust memory.
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Uses a preconfigured `reqwest::Client` (reqwest 0.13: proxies, custom roots, a pool shared
    /// with the rest of the application). Its own default headers and redirect policy stay in
    /// effect; the per-attempt timeout still applies.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Sets the backoff between retries: the first wait is at most `base`, and each further one
    /// doubles up to `cap` (defaults 250 ms and 8 s). Meant for tests that need fast retries.
    #[doc(hidden)]
    pub fn retry_backoff(mut self, base: Duration, cap: Duration) -> Self {
        self.retry.backoff_base = base;
        self.retry.backoff_cap = cap;
        self
    }

    /// The longest `Retry-After` that is waited out before retrying (default 60 s); a longer one
    /// returns the 429 to the caller at once.
    #[doc(hidden)]
    pub fn max_retry_after(mut self, cap: Duration) -> Self {
        self.retry.retry_after_cap = cap;
        self
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = normalize_base_url(&self.base_url)?;
        let user_agent = HeaderValue::from_str(&self.user_agent).map_err(|_| {
            Error::config(format!(
                "user agent {:?} is not a valid HTTP header value",
                self.user_agent
            ))
        })?;
        // The message must not repeat the key, so it only says what kind of problem it is.
        let mut authorization = HeaderValue::try_from(format!("Bearer {}", self.api_key)).map_err(|_| {
            Error::config("the API key contains characters that cannot be sent in an HTTP header (a line break?)")
        })?;
        authorization.set_sensitive(true);
        let http = match self.http_client {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                // PayPro does not redirect; following one would resend a POST as a GET and
                // strip the Authorization header on a host change, hiding the real problem.
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|error| {
                    Error::config(format!("could not set up the HTTP client: {error}"))
                })?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                base_url,
                ready: Ok(Ready {
                    http,
                    authorization,
                    user_agent,
                }),
                timeout: self.timeout,
                retry: self.retry,
                max_response_bytes: self.max_response_bytes,
            }),
        })
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("api_key", &"<redacted>")
            .field("timeout", &self.inner.timeout)
            .field("max_retries", &self.inner.retry.max_retries)
            .field("usable", &self.inner.ready.is_ok())
            .finish()
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("api_key", &"<redacted>")
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_retries", &self.retry.max_retries)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("user_agent", &self.user_agent)
            .field("custom_http_client", &self.http_client.is_some())
            .finish()
    }
}

/// Validates a base URL and returns it without trailing slashes, ready for appending paths.
fn normalize_base_url(value: &str) -> Result<String, Error> {
    let parsed = url::Url::parse(value.trim()).map_err(|error| {
        Error::config(format!("base URL {value:?} is not a valid URL: {error}"))
    })?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        // Not echoed: the value holds credentials.
        return Err(Error::config(
            "the base URL must not contain a user name or password",
        ));
    }
    if !matches!(parsed.scheme(), "http" | "https") || !parsed.has_host() {
        return Err(Error::config(format!(
            "base URL {value:?} must be an http:// or https:// URL with a host"
        )));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(Error::config(format!(
            "base URL {value:?} must not contain a query or fragment"
        )));
    }
    Ok(parsed.as_str().trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::Method;

    fn joined(base: &str, path: &str) -> String {
        let base = normalize_base_url(base).expect("valid base");
        request_url(&base, path, &[])
            .expect("valid path")
            .to_string()
    }

    #[test]
    fn joins_base_and_path() {
        assert_eq!(
            joined("https://api.paypro.nl", "/payments"),
            "https://api.paypro.nl/payments"
        );
        assert_eq!(
            joined("https://api.paypro.nl/", "/payments"),
            "https://api.paypro.nl/payments"
        );
        assert_eq!(
            joined("http://127.0.0.1:8080/mock", "/payments/PP1"),
            "http://127.0.0.1:8080/mock/payments/PP1"
        );
        assert_eq!(
            joined(" http://localhost/mock/v1// ", "/a%2Fb"),
            "http://localhost/mock/v1/a%2Fb"
        );
    }

    #[test]
    fn rejects_bad_base_urls_naming_them() {
        for bad in [
            "not a url",
            "ftp://api.paypro.nl",
            "https://api.paypro.nl?x=1",
            "https://api.paypro.nl/#frag",
            "mailto:x@y.nl",
        ] {
            let error = Client::builder("pp_key")
                .base_url(bad)
                .build()
                .expect_err(bad);
            assert!(matches!(error, Error::Config { .. }), "{bad}");
            assert!(error.to_string().contains(&format!("{bad:?}")), "{error}");
        }
        let error = Client::builder("pp_key")
            .base_url("https://user:hunter2@api.paypro.nl")
            .build()
            .expect_err("credentials");
        assert!(!error.to_string().contains("hunter2"));
    }

    #[test]
    fn debug_never_shows_the_key() {
        let key = "pp_secretkey1234567890";
        let client = Client::new(key);
        assert!(!format!("{client:?}").contains(key));
        assert!(!format!("{:?}", Client::builder(key)).contains(key));
        assert_eq!(
            client.base_url(),
            crate::DEFAULT_BASE_URL.trim_end_matches('/')
        );
    }

    #[test]
    fn unusable_key_fails_calls_not_construction() {
        let key = "pp_bad\nkey";
        let error = Client::builder(key).build().expect_err("line break");
        assert!(matches!(error, Error::Config { .. }));
        assert!(!error.to_string().contains("pp_bad"));
        let client = Client::new(key);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let request = ApiRequest::new(Method::GET, "/payments", "/payments".to_owned());
        let error = runtime
            .block_on(client.execute::<serde_json::Value>(request))
            .expect_err("unusable");
        assert!(matches!(error, Error::Config { .. }), "{error}");
        assert!(!format!("{error:?}").contains("pp_bad"));
    }

    #[test]
    fn client_and_futures_are_send() {
        fn assert_send_sync<T: Send + Sync + Clone + fmt::Debug>(_: &T) {}
        fn assert_send<T: Send>(_: &T) {}
        let client = Client::new("pp_key");
        assert_send_sync(&client);
        let request = ApiRequest::new(Method::GET, "/payments", "/payments".to_owned());
        assert_send(&client.execute::<serde_json::Value>(request.clone()));
        assert_send(&client.execute_empty(request));
    }
}
