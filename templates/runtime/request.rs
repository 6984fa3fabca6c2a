//! One API call as the generated code describes it ([`ApiRequest`]), and the rules for turning
//! it into a URL: path-segment encoding and joining with the base URL.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use reqwest::Method;

use crate::error::Error;

/// One API call as the generated code describes it: method, path, query and body.
#[doc(hidden)]
#[derive(Clone, Debug)]
pub struct ApiRequest {
    pub(crate) method: Method,
    pub(crate) path_template: &'static str,
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(reqwest::header::HeaderName, reqwest::header::HeaderValue)>,
    pub(crate) body: RequestBody,
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
        }
    }

    /// Adds a header parameter; a name or value HTTP cannot carry is an encoding error.
    pub fn header(mut self, name: &'static str, value: impl fmt::Display) -> Result<Self, Error> {
        let header_name = reqwest::header::HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| self.encode_error(format!("`{name}` is not a valid header name"), None))?;
        let header_value = reqwest::header::HeaderValue::from_str(&value.to_string())
            .map_err(|_| self.encode_error(format!("the value of header `{name}` is not a valid header value"), None))?;
        self.headers.push((header_name, header_value));
        Ok(self)
    }

    /// Sets a `multipart/form-data` body built with [`crate::multipart::Multipart`].
    pub fn multipart(mut self, form: crate::multipart::Multipart) -> Self {
        let (bytes, content_type) = form.finish();
        self.body = RequestBody::Encoded { bytes, content_type: content_type.into() };
        self
    }

    /// Appends one query parameter.
    pub fn query(mut self, name: &str, value: impl fmt::Display) -> Self {
        self.query.push((name.to_owned(), value.to_string()));
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

/// Joins the base URL and a request path, and appends the query.
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
        url.query_pairs_mut().extend_pairs(query);
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appends_query_encoded() {
        let query = [
            ("limit".to_owned(), "10".to_owned()),
            ("cursor".to_owned(), "a b&c=d/+".to_owned()),
        ];
        let url = request_url("https://api.paypro.nl", "/payments", &query).expect("valid");
        assert_eq!(
            url.as_str(),
            "https://api.paypro.nl/payments?limit=10&cursor=a+b%26c%3Dd%2F%2B"
        );
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        assert_eq!(pairs, query);
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
