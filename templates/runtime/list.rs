//! PayPro's list envelope ([`List`]) and automatic pagination that follows `_links.next`
//! cursors on the configured host. A list operation's page size and cursor are ordinary
//! optional parameters, set on its params struct (`limit`, `cursor`).

use std::collections::{HashSet, VecDeque};

use futures_core::Stream;
use serde::de::{DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize};

use crate::client::{ApiRequest, Client};
use crate::error::Error;

/// One page of a list: `{"type":"list","data":[…],"count":N,"_links":{…}}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct List<T> {
    /// The envelope's `type`, always `"list"`; kept so re-encoding gives the same JSON.
    #[serde(rename = "type", default = "list_kind")]
    pub kind: String,
    /// The items on this page.
    pub data: Vec<T>,
    /// PayPro's `count`. Not reliably the number of items (fixtures show 0 with one item), so
    /// use `data.len()` for that; 0 when absent.
    #[serde(default, deserialize_with = "lenient_count")]
    pub count: i64,
    /// Links to this, the next and the previous page.
    #[serde(rename = "_links", default)]
    pub links: ListLinks,
}

/// The `_links` of a list page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListLinks {
    /// `self`: this page.
    #[serde(rename = "self", default, skip_serializing_if = "Option::is_none")]
    pub self_: Option<String>,
    /// The next page, present only when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// The previous page, present only when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prev: Option<String>,
}

impl<T> List<T> {
    /// The cursor of the next page, taken from `_links.next`; `None` on the last page.
    ///
    /// Pass it as the `cursor` of the list operation's params to fetch that page. The link itself is not followed:
    /// PayPro's links sometimes name another host (e.g. a development server).
    pub fn next_cursor(&self) -> Option<String> {
        self.links.next.as_deref().and_then(cursor_of)
    }

    /// The cursor of the previous page, taken from `_links.prev`; `None` on the first page.
    pub fn prev_cursor(&self) -> Option<String> {
        self.links.prev.as_deref().and_then(cursor_of)
    }
}

impl<T> Default for List<T> {
    fn default() -> Self {
        List {
            kind: list_kind(),
            data: Vec::new(),
            count: 0,
            links: ListLinks::default(),
        }
    }
}

impl<T> IntoIterator for List<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.data.into_iter()
    }
}

/// Streams every item of a list, fetching further pages as needed.
///
/// `request` is the first page's request with every parameter but the cursor; each page is
/// requested on the client's base URL with it plus the cursor (`cursor` for the first page,
/// then the one from the previous page's `next` link). The stream ends after the last page, after
/// yielding an error, or with [`Error::Pagination`] when PayPro repeats a cursor, so a
/// misbehaving server cannot make it loop.
#[doc(hidden)]
#[allow(
    dead_code,
    reason = "called by generated code only when the spec has list operations"
)]
pub fn paginate<T>(
    client: Client,
    request: ApiRequest,
    cursor: Option<String>,
) -> impl Stream<Item = Result<T, Error>> + Send + 'static
where
    T: DeserializeOwned + Send + 'static,
{
    let seen = cursor.iter().cloned().collect();
    let pager = Pager {
        client,
        request,
        next: Next::Fetch(cursor),
        seen,
        buffer: VecDeque::new(),
    };
    futures_util::stream::unfold(pager, Pager::advance)
}

/// What the pager does once its buffered items are used up.
enum Next {
    /// Request the page at this cursor (`None`: the first page without a cursor).
    Fetch(Option<String>),
    /// Yield this error, then end.
    Fail(Error),
    /// End.
    Done,
}

struct Pager<T> {
    client: Client,
    request: ApiRequest,
    next: Next,
    /// Every cursor requested so far; a repeat means the server is going in circles.
    seen: HashSet<String>,
    buffer: VecDeque<T>,
}

impl<T: DeserializeOwned + Send + 'static> Pager<T> {
    async fn advance(mut self) -> Option<(Result<T, Error>, Self)> {
        loop {
            if let Some(item) = self.buffer.pop_front() {
                return Some((Ok(item), self));
            }
            match std::mem::replace(&mut self.next, Next::Done) {
                Next::Done => return None,
                Next::Fail(error) => return Some((Err(error), self)),
                Next::Fetch(cursor) => {
                    let request = match cursor {
                        Some(cursor) => self.request.clone().query("cursor", cursor),
                        None => self.request.clone(),
                    };
                    let page = match self.client.execute::<List<T>>(request).await {
                        Ok(page) => page,
                        Err(error) => return Some((Err(error), self)),
                    };
                    self.next = match page.next_cursor() {
                        None => Next::Done,
                        Some(cursor) if self.seen.insert(cursor.clone()) => {
                            Next::Fetch(Some(cursor))
                        }
                        Some(cursor) => Next::Fail(Error::Pagination {
                            path: self.request.path_template.to_owned(),
                            cursor,
                        }),
                    };
                    self.buffer.extend(page.data);
                }
            }
        }
    }
}

fn list_kind() -> String {
    "list".to_owned()
}

/// `count` is informational, so a missing or `null` count reads as 0 instead of failing the page.
fn lenient_count<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    Ok(crate::lenient::option_number(deserializer)?.unwrap_or(0))
}

/// The percent-decoded `cursor` query value of a link (absolute, or relative like
/// `/payments?cursor=…`); `None` when the link has no non-empty cursor.
fn cursor_of(link: &str) -> Option<String> {
    let url = match url::Url::parse(link) {
        Ok(url) => url,
        Err(url::ParseError::RelativeUrlWithoutBase) => {
            url::Url::parse("https://relative.invalid/")
                .ok()?
                .join(link)
                .ok()?
        }
        Err(_) => return None,
    };
    url.query_pairs()
        .find(|(name, _)| name == "cursor")
        .map(|(_, value)| value.into_owned())
        .filter(|cursor| !cursor.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::Method;

    #[test]
    fn decodes_and_reencodes_envelope() {
        let json = r#"{"type":"list","data":[1,2],"count":0,"_links":{"self":"https://api.paypro.nl/payments"}}"#;
        let list: List<i32> = serde_json::from_str(json).unwrap();
        assert_eq!(list.data, [1, 2]);
        assert_eq!(list.count, 0);
        assert_eq!(
            list.links.self_.as_deref(),
            Some("https://api.paypro.nl/payments")
        );
        assert_eq!(list.next_cursor(), None);
        assert_eq!(serde_json::to_string(&list).unwrap(), json);
    }

    #[test]
    fn tolerates_missing_and_odd_fields() {
        let list: List<i32> = serde_json::from_str(r#"{"data":[],"count":"3"}"#).unwrap();
        assert_eq!(
            (list.kind.as_str(), list.count, list.links.clone()),
            ("list", 3, ListLinks::default())
        );
        let list: List<i32> =
            serde_json::from_str(r#"{"data":[],"count":null,"_links":{"self":"x","extra":1}}"#)
                .unwrap();
        assert_eq!(list.count, 0);
        assert!(
            serde_json::from_str::<List<i32>>(r#"{"type":"list"}"#).is_err(),
            "data is required"
        );
    }

    #[test]
    fn extracts_cursors_from_any_host() {
        let list: List<i32> = serde_json::from_str(
            r#"{"type":"list","data":[],"count":0,"_links":{
                "self":"http://api.paypro.test:3000/mandates",
                "next":"http://api.paypro.test:3000/mandates?limit=5&cursor=bjpQUDM1QzZCS1BQU1I0UQ",
                "prev":"/payments?cursor=a%2Bb%3D"}}"#,
        )
        .unwrap();
        assert_eq!(
            list.next_cursor().as_deref(),
            Some("bjpQUDM1QzZCS1BQU1I0UQ")
        );
        assert_eq!(list.prev_cursor().as_deref(), Some("a+b="));
    }

    #[test]
    fn links_without_cursor_end_paging() {
        for link in [
            "http://example.com",
            "https://api.paypro.nl/payments?cursor=",
            "https://api.paypro.nl/payments?limit=3",
            "::not a url::",
        ] {
            assert_eq!(cursor_of(link), None, "{link}");
        }
    }

    #[test]
    fn pagination_stream_is_send() {
        fn assert_send<S: Send + 'static>(_: &S) {}
        let request = ApiRequest::new(Method::GET, "/payments", "/payments".to_owned());
        let stream = paginate::<serde_json::Value>(Client::new("pp_key"), request, None);
        assert_send(&stream);
    }
}
