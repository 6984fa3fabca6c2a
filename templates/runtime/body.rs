//! Reading a response body within a size limit, chunk by chunk, so that a server sending more than the client accepts is cut off at the limit instead of filling memory.

use bytes::{Bytes, BytesMut};

/// Why [`read_capped`] stopped early.
pub(crate) enum Capped {
    Transport(reqwest::Error),
    /// Over the limit: `received` is the announced length (`announced`, nothing read) or the
    /// bytes read so far; `read` holds at most `limit` of them.
    Over {
        received: u64,
        announced: bool,
        read: Bytes,
    },
}

/// Reads a body chunk by chunk and stops as soon as it would exceed `limit` bytes, so at most
/// `limit` bytes (plus the chunk in hand) are ever held. With `refuse_announced`, a
/// `Content-Length` over the limit stops it before anything is read; without, the first `limit`
/// bytes are read and kept (enough for an error body's message).
pub(crate) async fn read_capped(
    mut response: reqwest::Response,
    limit: u64,
    refuse_announced: bool,
) -> Result<Bytes, Capped> {
    let announced = response.content_length();
    if let Some(length) = announced.filter(|&length| refuse_announced && length > limit) {
        return Err(Capped::Over {
            received: length,
            announced: true,
            read: Bytes::new(),
        });
    }
    // Most bodies arrive in one chunk, which is then kept as it is, without a copy.
    let mut first: Option<Bytes> = None;
    let mut joined: Option<BytesMut> = None;
    let mut received: u64 = 0;
    while let Some(chunk) = response.chunk().await.map_err(Capped::Transport)? {
        received = received.saturating_add(chunk.len() as u64);
        if received > limit {
            let mut read = joined.map(BytesMut::freeze).or(first).unwrap_or_default();
            if read.is_empty() {
                let keep = usize::try_from(limit)
                    .unwrap_or(usize::MAX)
                    .min(chunk.len());
                read = chunk.slice(..keep);
            }
            return Err(Capped::Over {
                received,
                announced: false,
                read,
            });
        }
        match (&mut joined, first.take()) {
            (Some(buffer), _) => buffer.extend_from_slice(&chunk),
            (None, None) => first = Some(chunk),
            (None, Some(earlier)) => {
                // Sized from the announced length when there is one (within the limit here).
                let capacity = announced.unwrap_or(0).clamp(received, limit);
                let mut buffer = BytesMut::with_capacity(usize::try_from(capacity).unwrap_or(0));
                buffer.extend_from_slice(&earlier);
                buffer.extend_from_slice(&chunk);
                joined = Some(buffer);
            }
        }
    }
    Ok(joined.map(BytesMut::freeze).or(first).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use crate::request::ApiRequest;
    use crate::{Client, Error};
    use axum::Router;
    use axum::body::Body;
    use axum::http::{StatusCode, header};
    use axum::routing::get;
    use bytes::Bytes;

    const LIMIT: u64 = 1000;

    /// A JSON string of exactly `len` bytes.
    fn json_of(len: usize) -> String {
        format!("\"{}\"", "x".repeat(len - 2))
    }

    async fn client() -> Client {
        let router = Router::new()
            .route("/exact", get(|| async { json_of(LIMIT as usize) }))
            .route("/announced", get(|| async { json_of(2 * LIMIT as usize) }))
            .route(
                "/endless",
                get(|| async {
                    // Whitespace forever, without a length: only a limit enforced while
                    // reading can end this call.
                    let chunks = futures::stream::repeat_with(|| {
                        Ok::<_, std::io::Error>(Bytes::from_static(&[b' '; 256]))
                    });
                    (
                        [(header::CONTENT_TYPE, "application/json")],
                        Body::from_stream(chunks),
                    )
                }),
            )
            .route(
                "/failing",
                get(|| async {
                    let body = format!(
                        r#"{{"error":{{"message":"down","pad":{}}}}}"#,
                        json_of(5000)
                    );
                    (StatusCode::SERVICE_UNAVAILABLE, body)
                }),
            );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let address = listener.local_addr().expect("local address");
        tokio::spawn(async move { axum::serve(listener, router).await });
        Client::builder("pp_limit")
            .base_url(format!("http://{address}"))
            .max_response_bytes(LIMIT)
            .max_retries(0)
            .build()
            .expect("client builds")
    }

    async fn get_json(client: &Client, path: &'static str) -> Result<serde_json::Value, Error> {
        let request = ApiRequest::new(reqwest::Method::GET, path, path.to_owned());
        client.execute(request).await
    }

    #[tokio::test]
    async fn a_body_at_the_limit_is_read() {
        let value = get_json(&client().await, "/exact")
            .await
            .expect("within the limit");
        assert_eq!(value.as_str().map(str::len), Some(LIMIT as usize - 2));
    }

    #[tokio::test]
    async fn an_announced_length_over_the_limit_is_refused_unread() {
        let error = get_json(&client().await, "/announced")
            .await
            .expect_err("too large");
        let Error::ResponseTooLarge {
            status,
            limit,
            received,
            announced,
            ..
        } = &error
        else {
            panic!("expected ResponseTooLarge, got {error:?}");
        };
        assert_eq!(
            (*status, *limit, *received, *announced),
            (200, LIMIT, 2 * LIMIT, true)
        );
        assert_eq!(error.status(), Some(200));
        assert!(!error.is_retryable());
        let text = error.to_string();
        assert!(
            text.contains("limit of 1000 bytes") && text.contains("announced 2000 bytes"),
            "{text}"
        );
    }

    #[tokio::test]
    async fn an_endless_body_is_cut_off_while_it_streams() {
        let error = get_json(&client().await, "/endless")
            .await
            .expect_err("too large");
        let Error::ResponseTooLarge {
            received,
            announced,
            ..
        } = &error
        else {
            panic!("expected ResponseTooLarge, got {error:?}");
        };
        assert!(!announced);
        // Stopped at the first chunk that crossed the limit, not after buffering more.
        assert!(
            *received > LIMIT && *received <= LIMIT + 64 * 1024,
            "{received}"
        );
        assert!(
            error.to_string().contains("reading stopped after"),
            "{error}"
        );
    }

    #[tokio::test]
    async fn an_error_body_over_the_limit_still_reports_the_status() {
        let error = get_json(&client().await, "/failing")
            .await
            .expect_err("503");
        let api = error
            .as_api()
            .unwrap_or_else(|| panic!("expected Api, got {error:?}"));
        assert_eq!(api.status, 503);
        // Only the first `LIMIT` bytes were kept, so the body no longer parses as JSON.
        assert!(
            api.body
                .as_deref()
                .is_some_and(|body| body.starts_with(r#"{"error""#))
        );
    }
}
