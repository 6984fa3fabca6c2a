//! Test support for applications (the `testing` feature): a mock API server on loopback with one
//! typed expectation builder per operation, built on wiremock.
//!
//! ```ignore
//! let mock = MockServer::start().await;              // 127.0.0.1, a free port
//! let client = mock.client();                        // a `Client` pointed at it
//! let calls = mock.payments().get("PP1").respond(&payment).await;
//! // … run the code under test with `client` …
//! assert_eq!(calls.count().await, 1);
//! ```
//!
//! Each operation's builder (`mock.<group>().<operation>(path parameters)`) matches the
//! operation's method and concrete path; [`Expectation::query`] and [`Expectation::header`] add
//! parameters to match, and [`Expectation::with_body`] the exact request body (typed, for JSON
//! bodies). It answers with the operation's success type, with pages whose `next` cursors lead
//! to the following page, or with an API error ([`MockError`]). A request that matches no
//! expectation gets a 404 with an empty body. The returned [`Calls`] tells what the client sent.

use std::fmt;
use std::marker::PhantomData;

use serde::Serialize;
use serde::de::DeserializeOwned;

#[allow(
    unused_imports,
    reason = "a document without operations has no mock handles to re-export"
)]
pub use crate::mocks::*;

/// The API key [`MockServer::client`] authenticates with.
pub const API_KEY: &str = "test_api_key";

/// A mock of the API on `127.0.0.1` and a random free port, stopped when dropped.
///
/// Expectations set with [`Expectation::times`] are checked when it is dropped (the test
/// panics if one was not met) or by [`MockServer::verify`].
pub struct MockServer {
    server: wiremock::MockServer,
}

/// One expected request, matched by method, path and the parameters given; answer it with one
/// of the `respond…` methods. `Reply` says what the operation answers with, `Body` what it sends.
#[must_use = "an expectation does nothing until one of its `respond…` methods is awaited"]
pub struct Expectation<'a, Reply, Body = NoBody> {
    server: &'a wiremock::MockServer,
    matcher: RequestMatcher,
    times: Option<u64>,
    types: PhantomData<fn() -> (Reply, Body)>,
}

/// The requests an answered [`Expectation`] matched so far.
pub struct Calls<'a, Body = NoBody> {
    server: &'a wiremock::MockServer,
    matcher: RequestMatcher,
    body: PhantomData<fn() -> Body>,
}

/// An error answer in the API's error format: `{"error":{"type":…,"message":…,"param":…}}`,
/// which the client turns into [`Error::Api`](crate::Error::Api).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MockError {
    status: u16,
    error_type: String,
    message: String,
    param: Option<String>,
    request_id: Option<String>,
}

/// `Reply` of an operation answering with a JSON `T`.
pub struct JsonReply<T>(PhantomData<fn() -> T>);
/// `Reply` of a list operation: pages of `T`.
pub struct PageReply<T>(PhantomData<fn() -> T>);
/// `Reply` of an operation answering without a body.
pub struct EmptyReply;
/// `Reply` of an operation answering with bytes that are not JSON.
pub struct BytesReply;
/// `Reply` of an operation whose success statuses carry different bodies.
pub struct StatusReply;
/// `Body` of an operation without a JSON request body.
pub struct NoBody;

impl MockServer {
    /// Starts a mock server on `127.0.0.1` and a random free port.
    pub async fn start() -> MockServer {
        MockServer {
            server: wiremock::MockServer::start().await,
        }
    }

    /// The server's base URL, e.g. `http://127.0.0.1:40123`.
    pub fn url(&self) -> String {
        self.server.uri()
    }

    /// A client pointed at this server, authenticating with [`API_KEY`]. Retries keep their
    /// production rules but wait only milliseconds between attempts.
    pub fn client(&self) -> crate::Client {
        self.client_builder()
            .build()
            .expect("a loopback URL is a valid base URL")
    }

    /// The builder behind [`client`](MockServer::client), to change more settings.
    pub fn client_builder(&self) -> crate::ClientBuilder {
        crate::Client::builder(API_KEY)
            .base_url(self.url())
            .retry_backoff(
                std::time::Duration::from_millis(1),
                std::time::Duration::from_millis(10),
            )
    }

    /// Panics unless every expectation given [`times`](Expectation::times) was met so far.
    pub async fn verify(&self) {
        self.server.verify().await;
    }

    /// Every request received so far, matched or not, oldest first.
    pub async fn received_requests(&self) -> Vec<wiremock::Request> {
        self.server.received_requests().await.unwrap_or_default()
    }

    /// The wiremock server underneath, for expectations the typed builders cannot express.
    pub fn wiremock(&self) -> &wiremock::MockServer {
        &self.server
    }
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer")
            .field("url", &self.url())
            .finish()
    }
}

impl<'a, Reply, Body> Expectation<'a, Reply, Body> {
    /// Called by the generated builders with the request the client would build from the
    /// same parameters: its method, concrete path, query and headers are what is matched.
    ///
    /// # Panics
    ///
    /// If the parameters cannot be encoded (the client would refuse to send them too).
    #[doc(hidden)]
    pub fn new(server: &'a MockServer, request: crate::client::ApiRequest) -> Self {
        let matcher = RequestMatcher::from_request(&server.server.uri(), &request)
            .unwrap_or_else(|why| panic!("the mock's parameters cannot be sent: {why}"));
        Expectation {
            server: &server.server,
            matcher,
            times: None,
            types: PhantomData,
        }
    }

    /// Matches only requests with this query parameter (as the client writes it; for an array,
    /// one of its items). Call again for more.
    pub fn query(mut self, name: &str, value: impl fmt::Display) -> Self {
        self.matcher
            .query
            .push((name.to_owned(), value.to_string()));
        self
    }

    /// Matches only requests with this header (name in any case).
    pub fn header(mut self, name: &str, value: impl fmt::Display) -> Self {
        self.matcher
            .headers
            .push((name.to_ascii_lowercase(), value.to_string()));
        self
    }

    /// Expects exactly `count` matching requests, checked when the server is dropped or
    /// [`verified`](MockServer::verify). For a list answered in pages, each page counts apart.
    pub fn times(mut self, count: u64) -> Self {
        self.times = Some(count);
        self
    }

    /// Answers with an API error; the client returns it as [`Error::Api`](crate::Error::Api).
    pub async fn respond_error(self, error: MockError) -> Calls<'a, Body> {
        let mut template =
            wiremock::ResponseTemplate::new(error.status).set_body_json(error.body());
        if let Some(id) = &error.request_id {
            template = template.insert_header("x-request-id", id.as_str());
        }
        self.mount(template).await
    }

    /// Answers with `status` and `body` as JSON, whatever the operation declares.
    pub async fn respond_json(self, status: u16, body: &impl Serialize) -> Calls<'a, Body> {
        let template = wiremock::ResponseTemplate::new(status).set_body_json(to_json(body));
        self.mount(template).await
    }

    async fn mount(self, template: wiremock::ResponseTemplate) -> Calls<'a, Body> {
        self.mount_matching(self.matcher.clone(), template).await;
        self.answered()
    }

    /// Mounts one answer for `matcher` (the expectation's, or one page's), with its count.
    async fn mount_matching(&self, matcher: RequestMatcher, template: wiremock::ResponseTemplate) {
        let mut mock = wiremock::Mock::given(matcher).respond_with(template);
        if let Some(count) = self.times {
            mock = mock.expect(count);
        }
        mock.mount(self.server).await;
    }

    fn answered(self) -> Calls<'a, Body> {
        Calls {
            server: self.server,
            matcher: self.matcher,
            body: PhantomData,
        }
    }
}

impl<Reply, Body: Serialize> Expectation<'_, Reply, Body> {
    /// Matches only requests whose JSON body equals `body` (member order aside).
    ///
    /// # Panics
    ///
    /// If `body` cannot be serialized.
    pub fn with_body(mut self, body: &Body) -> Self {
        self.matcher.body = Some(to_json(body));
        self
    }
}

impl<'a, T: Serialize, Body> Expectation<'a, JsonReply<T>, Body> {
    /// Answers 200 with `body` as JSON.
    pub async fn respond(self, body: &T) -> Calls<'a, Body> {
        self.respond_json(200, body).await
    }
}

impl<'a, T: Serialize, Body> Expectation<'a, PageReply<T>, Body> {
    /// Answers with one page holding `items` (and no next page).
    pub async fn respond(self, items: &[T]) -> Calls<'a, Body> {
        self.respond_pages(&[items]).await
    }

    /// Answers with these pages in turn: the first for a request without `cursor`, each next
    /// one for the cursor its predecessor's `_links.next` hands out, so `list_all` walks them all.
    pub async fn respond_pages(self, pages: &[&[T]]) -> Calls<'a, Body> {
        let base = format!("{}{}", self.server.uri(), self.matcher.path);
        for (index, items) in pages.iter().enumerate() {
            let mut matcher = self.matcher.clone();
            matcher.cursor = Some((index > 0).then(|| page_cursor(index)));
            let mut links = serde_json::Map::new();
            let this = match index {
                0 => base.clone(),
                _ => format!("{base}?cursor={}", page_cursor(index)),
            };
            links.insert("self".to_owned(), this.into());
            if index + 1 < pages.len() {
                let next = format!("{base}?cursor={}", page_cursor(index + 1));
                links.insert("next".to_owned(), next.into());
            }
            let page = serde_json::json!({
                "type": "list",
                "data": to_json(items),
                "count": items.len(),
                "_links": links,
            });
            let template = wiremock::ResponseTemplate::new(200).set_body_json(page);
            self.mount_matching(matcher, template).await;
        }
        self.answered()
    }
}

impl<'a, Body> Expectation<'a, EmptyReply, Body> {
    /// Answers 204 No Content.
    pub async fn respond(self) -> Calls<'a, Body> {
        self.mount(wiremock::ResponseTemplate::new(204)).await
    }
}

impl<'a, Body> Expectation<'a, BytesReply, Body> {
    /// Answers 200 with these bytes as `application/octet-stream`.
    pub async fn respond(self, body: impl Into<Vec<u8>>) -> Calls<'a, Body> {
        let template = wiremock::ResponseTemplate::new(200)
            .set_body_raw(body.into(), "application/octet-stream");
        self.mount(template).await
    }
}

impl<Body> Calls<'_, Body> {
    /// How many requests matched so far.
    pub async fn count(&self) -> usize {
        self.requests().await.len()
    }

    /// The matching requests so far, oldest first.
    pub async fn requests(&self) -> Vec<wiremock::Request> {
        let received = self.server.received_requests().await.unwrap_or_default();
        received
            .into_iter()
            .filter(|request| self.matcher.matches_ignoring_cursor(request))
            .collect()
    }
}

impl<Body: DeserializeOwned> Calls<'_, Body> {
    /// The request bodies the client sent, decoded into the operation's body type.
    ///
    /// # Panics
    ///
    /// If a body does not decode, naming where.
    pub async fn bodies(&self) -> Vec<Body> {
        let requests = self.requests().await;
        requests
            .iter()
            .map(|request| {
                crate::response::decode_json(&request.body).unwrap_or_else(|failure| {
                    panic!(
                        "{} {}: the body sent does not decode at `{}`: {}",
                        request.method, request.url, failure.path, failure.message
                    )
                })
            })
            .collect()
    }
}

impl MockError {
    /// An error with this HTTP status and message, of type `invalid_request`.
    pub fn new(status: u16, message: impl Into<String>) -> MockError {
        MockError {
            status,
            error_type: "invalid_request".to_owned(),
            message: message.into(),
            param: None,
            request_id: None,
        }
    }

    /// 404 Not Found.
    pub fn not_found() -> MockError {
        MockError::new(404, "Not found")
    }

    /// Sets the error's `type`.
    pub fn error_type(mut self, error_type: impl Into<String>) -> MockError {
        self.error_type = error_type.into();
        self
    }

    /// Sets the request member the error is about (`param`).
    pub fn param(mut self, param: impl Into<String>) -> MockError {
        self.param = Some(param.into());
        self
    }

    /// Sends an `X-Request-Id` header with the error.
    pub fn request_id(mut self, id: impl Into<String>) -> MockError {
        self.request_id = Some(id.into());
        self
    }

    fn body(&self) -> serde_json::Value {
        let mut error = serde_json::json!({"type": self.error_type, "message": self.message});
        if let Some(param) = &self.param {
            error["param"] = param.as_str().into();
        }
        serde_json::json!({ "error": error })
    }
}

/// What an expectation matches; also used to pick its requests out of everything received.
#[derive(Clone, Debug)]
struct RequestMatcher {
    method: reqwest::Method,
    /// The path as the URL parser writes it (percent-encoded), like the received request's.
    path: String,
    query: Vec<(String, String)>,
    /// Lowercase names.
    headers: Vec<(String, String)>,
    body: Option<serde_json::Value>,
    /// For one page of a list: `Some(None)` wants no cursor, `Some(Some(c))` cursor `c`.
    cursor: Option<Option<String>>,
}

impl RequestMatcher {
    /// What `request`, sent to `base`, looks like on arrival: its URL is built by the client's
    /// own code, so path and query are spelled (and decoded) the same way on both sides.
    fn from_request(base: &str, request: &crate::client::ApiRequest) -> Result<Self, String> {
        if let Some(why) = &request.invalid {
            return Err(why.clone());
        }
        let url = crate::request::request_url(base, &request.path, &request.query)?;
        let headers = request
            .headers
            .iter()
            .map(|(name, value)| {
                let value = value
                    .to_str()
                    .map_err(|_| format!("header {name} is not text"))?;
                Ok((name.as_str().to_owned(), value.to_owned()))
            })
            .collect::<Result<_, String>>()?;
        Ok(RequestMatcher {
            method: request.method.clone(),
            path: url.path().to_owned(),
            query: url
                .query_pairs()
                .map(|(name, value)| (name.into_owned(), value.into_owned()))
                .collect(),
            headers,
            body: None,
            cursor: None,
        })
    }

    fn matches_ignoring_cursor(&self, request: &wiremock::Request) -> bool {
        let pairs: Vec<(String, String)> = request
            .url
            .query_pairs()
            .map(|(name, value)| (name.into_owned(), value.into_owned()))
            .collect();
        request.method == self.method
            && request.url.path() == self.path
            && self.query.iter().all(|wanted| pairs.contains(wanted))
            && self.headers.iter().all(|(name, value)| {
                request
                    .headers
                    .get_all(name.as_str())
                    .iter()
                    .any(|sent| sent.to_str().is_ok_and(|sent| sent == value))
            })
            && self.body.as_ref().is_none_or(|wanted| {
                serde_json::from_slice::<serde_json::Value>(&request.body)
                    .is_ok_and(|sent| &sent == wanted)
            })
    }
}

impl wiremock::Match for RequestMatcher {
    fn matches(&self, request: &wiremock::Request) -> bool {
        let cursor = request
            .url
            .query_pairs()
            .find(|(name, _)| name == "cursor")
            .map(|(_, value)| value.into_owned());
        self.matches_ignoring_cursor(request)
            && self.cursor.as_ref().is_none_or(|wanted| *wanted == cursor)
    }
}

fn page_cursor(index: usize) -> String {
    format!("page-{index}")
}

/// Test data that cannot be written as JSON is a bug in the test, so it panics saying so.
fn to_json(value: &(impl Serialize + ?Sized)) -> serde_json::Value {
    serde_json::to_value(value)
        .unwrap_or_else(|error| panic!("the mock's data cannot be written as JSON: {error}"))
}
