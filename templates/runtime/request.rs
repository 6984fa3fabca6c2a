//! One API call as the generated code describes it ([`ApiRequest`]): its parameters, placed
//! where they go by [`crate::param_style`], its body, and the rules for turning it into a URL.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use reqwest::Method;

use crate::error::Error;
use crate::param_style::{self, Format};

/// One API call as the generated code describes it: method, path, query and body.
#[doc(hidden)]
#[derive(Clone, Debug)]
pub struct ApiRequest {
    pub(crate) method: Method,
    pub(crate) path_template: &'static str,
    pub(crate) path: String,
    /// Query pairs, already percent-encoded, in order.
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(reqwest::header::HeaderName, reqwest::header::HeaderValue)>,
    pub(crate) body: RequestBody,
    /// Why a parameter could not be encoded: the request fails with [`Error::Encode`] before
    /// anything is sent. Kept here so building a request stays infallible (a `list_all`
    /// stream reports it as its first item).
    pub(crate) invalid: Option<String>,
}

/// A request body, already encoded, so retries resend the same bytes.
#[derive(Clone)]
pub(crate) enum RequestBody {
    None,
    Encoded {
        bytes: Bytes,
        content_type: std::borrow::Cow<'static, str>,
    },
}

impl ApiRequest {
    /// A request without query or body. `path` is the concrete path (starting with `/`, with
    /// parameters already encoded by [`encode_path_segment`]); `path_template` is the spec's
    /// path, used in errors and telemetry.
    pub fn new(method: Method, path_template: &'static str, path: String) -> Self {
        ApiRequest {
            method,
            path_template,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            body: RequestBody::None,
            invalid: None,
        }
    }

    /// Replaces `{name}` in the path with a path parameter, rendered and encoded per `format`.
    #[allow(
        dead_code,
        reason = "called by generated code only when the spec has path parameters"
    )]
    pub fn path_param<T: serde::Serialize + ?Sized>(
        mut self,
        name: &str,
        value: &T,
        format: Format,
    ) -> Self {
        if let Some(value) = self.param_value(name, value) {
            let text = param_style::path_text(name, &value, format);
            self.path = self.path.replace(&format!("{{{name}}}"), &text);
        }
        self
    }

    /// Appends a query parameter, rendered and encoded per `format` (none when it is undefined).
    #[allow(
        dead_code,
        reason = "called by generated code only when the spec has query parameters"
    )]
    pub fn query_param<T: serde::Serialize + ?Sized>(
        mut self,
        name: &str,
        value: &T,
        format: Format,
    ) -> Self {
        if let Some(value) = self.param_value(name, value) {
            self.query
                .extend(param_style::query_pairs(name, &value, format));
        }
        self
    }

    /// Adds a header parameter (`simple` style); a value HTTP cannot carry fails the request.
    #[allow(
        dead_code,
        reason = "called by generated code only when the spec has header parameters"
    )]
    pub fn header_param<T: serde::Serialize + ?Sized>(
        mut self,
        name: &'static str,
        value: &T,
        format: Format,
    ) -> Self {
        let Some(text) = self
            .param_value(name, value)
            .and_then(|value| param_style::header_text(&value, format))
        else {
            return self;
        };
        match (
            reqwest::header::HeaderName::from_bytes(name.as_bytes()),
            reqwest::header::HeaderValue::from_str(&text),
        ) {
            (Ok(name), Ok(value)) => self.headers.push((name, value)),
            (Err(_), _) => self.fail(format!("`{name}` is not a valid header name")),
            (_, Err(_)) => self.fail(format!(
                "the value of header `{name}` is not a valid header value"
            )),
        }
        self
    }

    /// Adds a cookie parameter (`form` style) to the request's one `Cookie` header.
    #[allow(
        dead_code,
        reason = "called by generated code only when the spec has cookie parameters"
    )]
    pub fn cookie_param<T: serde::Serialize + ?Sized>(
        mut self,
        name: &str,
        value: &T,
        format: Format,
    ) -> Self {
        let Some(value) = self.param_value(name, value) else {
            return self;
        };
        let pieces = param_style::cookie_pieces(name, &value, format);
        if pieces.is_empty() {
            return self;
        }
        let cookie = reqwest::header::COOKIE;
        let mut text = pieces.join("; ");
        if let Some(index) = self.headers.iter().position(|(n, _)| *n == cookie) {
            let (_, earlier) = self.headers.remove(index);
            text = format!("{}; {text}", String::from_utf8_lossy(earlier.as_bytes()));
        }
        match reqwest::header::HeaderValue::from_str(&text) {
            Ok(value) => self.headers.push((cookie, value)),
            Err(_) => self.fail(format!("cookie `{name}` is not a valid header value")),
        }
        self
    }

    /// The parameter as JSON, or `None` after recording why it cannot be serialized.
    fn param_value<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
    ) -> Option<serde_json::Value> {
        match serde_json::to_value(value) {
            Ok(value) => Some(value),
            Err(error) => {
                self.fail(format!("parameter `{name}`: {error}"));
                None
            }
        }
    }

    /// Records the first reason the request cannot be sent.
    fn fail(&mut self, message: String) {
        self.invalid.get_or_insert(message);
    }

    /// Sets a `multipart/form-data` body built with [`crate::multipart::Multipart`].
    pub fn multipart(mut self, form: crate::multipart::Multipart) -> Self {
        let (bytes, content_type) = form.finish();
        self.body = RequestBody::Encoded {
            bytes,
            content_type: content_type.into(),
        };
        self
    }

    /// Appends one query parameter written with `Display`, percent-encoded.
    pub fn query(mut self, name: &str, value: impl fmt::Display) -> Self {
        self.query.push((
            param_style::encode(name, false),
            param_style::encode(&value.to_string(), false),
        ));
        self
    }

    /// Sets a JSON body, serialized now so a failure surfaces before anything is sent.
    pub fn json<B: serde::Serialize + ?Sized>(mut self, body: &B) -> Result<Self, Error> {
        let bytes = serde_json::to_vec(body).map_err(|error| {
            self.encode_error(format!("JSON body: {error}"), Some(Box::new(error)))
        })?;
        self.body = RequestBody::Encoded {
            bytes: bytes.into(),
            content_type: "application/json".into(),
        };
        Ok(self)
    }

    /// Sets an `application/x-www-form-urlencoded` body, serialized now.
    pub fn form<B: serde::Serialize + ?Sized>(mut self, body: &B) -> Result<Self, Error> {
        let text = serde_urlencoded::to_string(body).map_err(|error| {
            self.encode_error(format!("form body: {error}"), Some(Box::new(error)))
        })?;
        self.body = RequestBody::Encoded {
            bytes: text.into(),
            content_type: "application/x-www-form-urlencoded".into(),
        };
        Ok(self)
    }

    /// Sets a raw body with its content type.
    pub fn bytes(mut self, body: Bytes, content_type: &'static str) -> Self {
        self.body = RequestBody::Encoded {
            bytes: body,
            content_type: content_type.into(),
        };

        self
    }

    pub(crate) fn encode_error(
        &self,
        message: String,
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Error {
        Error::Encode {
            method: self.method.to_string(),
            path: self.path_template.to_owned(),
            message,
            source,
        }
    }

    pub(crate) fn transport_error(
        &self,
        source: reqwest::Error,
        attempts: u32,
        timeout: Duration,
    ) -> Error {
        let (method, path) = (self.method.to_string(), self.path_template.to_owned());
        if source.is_timeout() {
            Error::Timeout {
                method,
                path,
                timeout,
                attempts,
                source,
            }
        } else {
            Error::Transport {
                method,
                path,
                attempts,
                source,
            }
        }
    }
}

/// Percent-encodes a path parameter: everything except RFC 3986 unreserved characters
/// (`A-Z a-z 0-9 - . _ ~`), so `a/b` becomes `a%2Fb` and cannot change which endpoint is hit.
#[doc(hidden)]
#[allow(
    dead_code,
    reason = "called by generated code only when the spec has path parameters"
)]
pub fn encode_path_segment(segment: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut encoded = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            encoded.push(char::from(byte));
        } else {
            encoded.push('%');
            encoded.push(char::from(HEX[usize::from(byte >> 4)]));
            encoded.push(char::from(HEX[usize::from(byte & 0x0F)]));
        }
    }
    encoded
}

impl fmt::Debug for RequestBody {
    // Bodies can hold personal data (IBANs, e-mail addresses), so only their size is shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequestBody::None => f.write_str("None"),
            RequestBody::Encoded {
                bytes,
                content_type,
            } => write!(f, "{content_type} ({} bytes)", bytes.len()),
        }
    }
}

/// Joins the base URL and a request path, and appends the (already encoded) query.
///
/// URL parsing silently resolves `.` and `..` segments (even percent-encoded ones), which would
/// send the request to a different endpoint; an empty segment usually means an empty id and
/// would turn `GET /payments/{id}` into the payments list. Both are refused instead.
pub(crate) fn request_url(
    base: &str,
    path: &str,
    query: &[(String, String)],
) -> Result<url::Url, String> {
    let Some(segments) = path.strip_prefix('/') else {
        return Err(format!("path {path:?} does not start with '/'"));
    };
    if segments.split('/').any(str::is_empty) {
        return Err(format!(
            "path {path:?} has an empty segment; is a path parameter empty?"
        ));
    }
    let mut url = url::Url::parse(&format!("{base}{path}"))
        .map_err(|error| format!("path {path:?}: {error}"))?;
    if !url.path().ends_with(path) {
        return Err(format!(
            "path {path:?} has a '.' or '..' segment or unencoded characters"
        ));
    }
    if !query.is_empty() {
        let text: Vec<String> = query.iter().map(|(k, v)| format!("{k}={v}")).collect();
        url.set_query(Some(&text.join("&")));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appends_query_encoded() {
        let request = ApiRequest::new(Method::GET, "/payments", "/payments".to_owned())
            .query("limit", 10)
            .query("cursor", "a b&c=d/+");
        let url = request_url("https://api.paypro.nl", "/payments", &request.query).expect("valid");
        assert_eq!(
            url.as_str(),
            "https://api.paypro.nl/payments?limit=10&cursor=a%20b%26c%3Dd%2F%2B"
        );
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        assert_eq!(
            pairs,
            [
                ("limit".to_owned(), "10".to_owned()),
                ("cursor".to_owned(), "a b&c=d/+".to_owned())
            ]
        );
    }

    #[test]
    fn parameters_go_where_they_belong() {
        let (simple, form) = (Format::SIMPLE, Format::FORM);
        let request = ApiRequest::new(Method::GET, "/a/{id}/{id2}", "/a/{id}/{id2}".to_owned())
            .path_param("id", "x/y", simple)
            .path_param("id2", &[1, 2], simple)
            .query_param("tags", &["a", "b"], form)
            .query_param("unset", &None::<u8>, form)
            .header_param("X-Tags", &["a", "b"], simple)
            .cookie_param("session", "s 1", form)
            .cookie_param("theme", "dark", form);
        assert_eq!(request.path, "/a/x%2Fy/1,2");
        assert_eq!(
            request.query,
            [
                ("tags".to_owned(), "a".to_owned()),
                ("tags".to_owned(), "b".to_owned())
            ]
        );
        let headers: Vec<(String, String)> = request
            .headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or_default().to_owned()))
            .collect();
        assert_eq!(
            headers,
            [
                ("x-tags".to_owned(), "a,b".to_owned()),
                ("cookie".to_owned(), "session=s%201; theme=dark".to_owned())
            ]
        );
        assert_eq!(request.invalid, None);
    }

    #[test]
    fn a_parameter_that_cannot_be_encoded_fails_the_request() {
        let simple = Format::SIMPLE;
        let request = ApiRequest::new(Method::GET, "/a", "/a".to_owned())
            .header_param("X-Bad", "line\nbreak", simple)
            .header_param("X-Second", "\u{0}", simple);
        assert_eq!(
            request.invalid.as_deref(),
            Some("the value of header `X-Bad` is not a valid header value")
        );
        let map = std::collections::BTreeMap::from([(vec![1u8], 1)]);
        let request =
            ApiRequest::new(Method::GET, "/a", "/a".to_owned()).query_param("m", &map, simple);
        assert!(
            request
                .invalid
                .as_deref()
                .is_some_and(|m| m.starts_with("parameter `m`")),
            "{:?}",
            request.invalid
        );
    }

    #[test]
    fn refuses_paths_that_would_hit_another_endpoint() {
        for path in [
            "/payments/",
            "/payments//refunds",
            "payments",
            "/payments/..",
            "/payments/%2e%2E",
            "/a/./b",
        ] {
            assert!(
                request_url("https://api.paypro.nl", path, &[]).is_err(),
                "{path}"
            );
        }
    }

    #[test]
    fn encodes_path_segments() {
        assert_eq!(encode_path_segment("PPSKN6FAN8KNE1"), "PPSKN6FAN8KNE1");
        assert_eq!(encode_path_segment("a/b"), "a%2Fb");
        assert_eq!(
            encode_path_segment("direct-debit_x.y~z"),
            "direct-debit_x.y~z"
        );
        assert_eq!(encode_path_segment("a b?c#d%é"), "a%20b%3Fc%23d%25%C3%A9");
    }

    #[test]
    fn query_pairs_keep_order() {
        let request = ApiRequest::new(Method::GET, "/payments", "/payments".to_owned())
            .query("limit", 5)
            .query("cursor", "x");
        assert_eq!(
            request.query,
            [
                ("limit".to_owned(), "5".to_owned()),
                ("cursor".to_owned(), "x".to_owned())
            ]
        );
    }

    #[test]
    fn bodies_are_encoded_up_front() {
        let request = ApiRequest::new(Method::POST, "/payments", "/payments".to_owned())
            .json(&serde_json::json!({"amount": 500}))
            .expect("encodes");
        assert!(
            matches!(&request.body, RequestBody::Encoded { bytes, content_type } if content_type == "application/json" && bytes.as_ref() == br#"{"amount":500}"#)
        );
        let form = ApiRequest::new(Method::POST, "/x", "/x".to_owned())
            .form(&[("a", "1 2")])
            .expect("encodes");
        assert!(
            matches!(&form.body, RequestBody::Encoded { bytes, .. } if bytes.as_ref() == b"a=1+2")
        );
        let map = std::collections::BTreeMap::from([(vec![1u8], 1)]);
        let error = ApiRequest::new(Method::POST, "/x", "/x".to_owned())
            .json(&map)
            .expect_err("non-string key");
        assert!(matches!(error, Error::Encode { .. }), "{error}");
        assert!(
            !format!("{request:?}").contains("500"),
            "Debug must not show bodies"
        );
    }
}
