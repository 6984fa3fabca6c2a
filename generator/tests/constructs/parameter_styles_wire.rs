//! What goes on the wire for each parameter shape and style of `parameter_styles.yaml`: every generated method is called against a local wiremock server and the exact path, query, headers and cookies are asserted.
//!
//! `constructs.rs` copies this file into the generated `construct_parameter_styles` crate as
//! `tests/wire.rs` and runs it there, so it exercises generated code, not hand-written calls.

use construct_parameter_styles::models::{Color, NameOrId, QueryStylesCreated, QueryStylesFilter, Shade};
use construct_parameter_styles::resources::{StylesHeaderAndCookieStylesParams, StylesQueryStylesParams};
use construct_parameter_styles::{Client, Error};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> Client {
    Client::builder("key")
        .base_url(&server.uri())
        .build()
        .expect("a loopback URL is a valid base URL")
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("wiremock records requests")
}

/// `GET /path?query` as the server saw it.
fn request_line(request: &Request) -> String {
    match request.url.query() {
        Some(query) => format!("{} {}?{query}", request.method, request.url.path()),
        None => format!("{} {}", request.method, request.url.path()),
    }
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request
        .headers
        .get(name)
        .map(|value| value.to_str().expect("ASCII header"))
}

fn color(r: i64, g: i64, b: i64) -> Color {
    let mut color = Color::default();
    color.r = Some(r);
    color.g = Some(g);
    color.b = Some(b);
    color
}

#[tokio::test]
async fn path_parameters_in_every_style() {
    let server = server().await;
    client(&server)
        .styles()
        .path_styles(
            "a b/c",
            &["x".to_owned(), "y".to_owned()],
            &color(100, 200, 150),
            &NameOrId::Integer(7),
            Shade::Dark,
        )
        .await
        .expect("204");
    let seen = requests(&server).await;
    assert_eq!(
        seen.iter().map(request_line).collect::<Vec<_>>(),
        ["GET /paths/a%20b%2Fc/.x.y/;R=100;G=200;B=150/7/dark"]
    );
}

#[tokio::test]
async fn query_parameters_in_every_style_and_shape() {
    let server = server().await;
    let mut created = QueryStylesCreated::default();
    created.gt = Some(1_700_000_000);
    created.lte = Some(1_800_000_000);
    let mut filter = QueryStylesFilter::default();
    filter.state = Some("open".to_owned());
    let since = chrono::DateTime::parse_from_rfc3339("2024-05-06T07:08:09Z")
        .expect("valid date-time")
        .to_utc();
    let params = StylesQueryStylesParams::default()
        .tags(vec!["a".to_owned(), "b c".to_owned()])
        .csv(vec![1, 2])
        .spaced(vec!["a".to_owned(), "b".to_owned()])
        .piped(vec!["a".to_owned(), "b".to_owned()])
        .color(color(100, 200, 150))
        .created(created)
        .metadata([("order".to_owned(), "42".to_owned())])
        .redirect("https://x.test/a?b")
        .filter(filter)
        .since(since)
        .shade(Shade::Light)
        .owner(NameOrId::String("alice".to_owned()))
        .flag(true);
    let styles = client(&server).styles();
    styles.query_styles_with(0.5, params).await.expect("204");
    // The plain method sends the required parameter only.
    styles.query_styles(2.0).await.expect("204");
    let seen = requests(&server).await;
    let expected = [
        "GET /query?ratio=0.5",
        "&tags=a&tags=b%20c",
        "&csv=1,2",
        "&spaced=a%20b",
        "&piped=a%7Cb",
        "&color=R,100,G,200,B,150",
        "&created%5Bgt%5D=1700000000&created%5Blte%5D=1800000000",
        "&metadata%5Border%5D=42",
        "&redirect=https://x.test/a?b",
        "&filter=%7B%22state%22%3A%22open%22%7D",
        "&since=2024-05-06T07%3A08%3A09Z",
        "&shade=light",
        "&owner=alice",
        "&flag=true",
    ]
    .concat();
    assert_eq!(
        seen.iter().map(request_line).collect::<Vec<_>>(),
        [expected.as_str(), "GET /query?ratio=2.0"]
    );
}

#[tokio::test]
async fn header_and_cookie_parameters() {
    let server = server().await;
    let params = StylesHeaderAndCookieStylesParams::default()
        .x_tags(vec!["a".to_owned(), "b".to_owned()])
        .x_color(color(1, 2, 3))
        .prefs(vec!["dark".to_owned(), "compact".to_owned()]);
    let styles = client(&server).styles();
    styles
        .header_and_cookie_styles_with(3, "s 1", params)
        .await
        .expect("204");
    styles.header_and_cookie_styles(4, "s2").await.expect("204");
    let seen = requests(&server).await;
    let [full, bare] = seen.as_slice() else {
        panic!("two requests, got {}", seen.len());
    };
    let names = ["x-count", "x-tags", "x-color", "cookie"];
    let values = |request: &Request| names.map(|name| header(request, name).map(str::to_owned));
    assert_eq!(
        values(full),
        [
            Some("3".to_owned()),
            Some("a,b".to_owned()),
            Some("R=1,G=2,B=3".to_owned()),
            Some("session=s%201; prefs=dark,compact".to_owned()),
        ]
    );
    assert_eq!(
        values(bare),
        [Some("4".to_owned()), None, None, Some("session=s2".to_owned())]
    );
    // The document's `Accept` header parameter is ignored; the client's own is sent.
    assert_eq!(header(full, "accept"), Some("application/json"));
}

#[tokio::test]
async fn a_parameter_http_cannot_carry_fails_before_sending() {
    let server = server().await;
    let params = StylesHeaderAndCookieStylesParams::default().x_tags(vec!["a\nb".to_owned()]);
    let error = client(&server)
        .styles()
        .header_and_cookie_styles_with(1, "s", params)
        .await
        .expect_err("a line break cannot be sent in a header");
    assert!(
        matches!(&error, Error::Encode { message, .. } if message.contains("X-Tags")),
        "{error:?}"
    );
    assert!(requests(&server).await.is_empty(), "nothing was sent");
}
