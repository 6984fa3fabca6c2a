//! Parameter serialization as OpenAPI defines it: a typed value, turned into JSON by serde, then
//! rendered per `style` and `explode` for a path, a query string, a header or a cookie, and
//! percent-encoded for where it goes.
//!
//! Going through serde means every type the generator emits works the same way: enums give
//! their wire string, a union gives the variant it holds (so it is rendered by that variant's
//! shape), structs and maps give their members in order, date-times give RFC 3339 text.
//! Rendering follows RFC 6570, which the OpenAPI styles are defined by: a `null` value (an
//! optional parameter that is `None`), an empty array and an object whose members are all
//! `null` are *undefined* and add nothing; `null` items and members are skipped. A value nested inside an array or object (which the styles do
//! not define, except `deepObject`) is written as its JSON text. `deepObject` nests with
//! brackets (`filter[created][gt]=1`) and numbers array items (`ids[0]=a&ids[1]=b`).

use serde_json::Value;

/// A parameter `style`, plus [`Style::Json`] for a parameter described by `content` with a JSON
/// media type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(
    dead_code,
    reason = "generated code names only the styles its document uses"
)]
pub enum Style {
    /// `blue,black,brown`: path and header (RFC 6570 `{x}`).
    Simple,
    /// `.blue.black.brown`: path (RFC 6570 `{.x}`).
    Label,
    /// `;color=blue`: path (RFC 6570 `{;x}`).
    Matrix,
    /// `color=blue`: query and cookie (RFC 6570 `{?x}`).
    Form,
    /// `color=blue%20black`: query arrays and objects.
    SpaceDelimited,
    /// `color=blue%7Cblack`: query arrays and objects.
    PipeDelimited,
    /// `color%5BR%5D=100`: query objects, nested with brackets.
    DeepObject,
    /// Not an OpenAPI style: the whole value as JSON text (a `content: application/json` parameter).
    Json,
}

/// How one parameter goes on the wire, as the generator read it from the document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Format {
    /// The parameter's `style`.
    pub style: Style,
    /// The parameter's `explode`.
    pub explode: bool,
    /// The parameter's `allowReserved` (query only): RFC 3986 reserved characters that may
    /// stand in a query value are sent as they are.
    pub allow_reserved: bool,
}

impl Format {
    /// `simple`, not exploded: the default for path and header parameters.
    #[allow(
        dead_code,
        reason = "used by generated code only when the spec has such parameters"
    )]
    pub const SIMPLE: Format = Format::new(Style::Simple, false);
    /// `form`, exploded: the default for query and cookie parameters.
    #[allow(
        dead_code,
        reason = "used by generated code only when the spec has such parameters"
    )]
    pub const FORM: Format = Format::new(Style::Form, true);

    /// A style with its `explode`, reserved characters encoded.
    pub const fn new(style: Style, explode: bool) -> Format {
        Format {
            style,
            explode,
            allow_reserved: false,
        }
    }

    /// The same, with `allowReserved: true`.
    #[allow(
        dead_code,
        reason = "used by generated code only when the spec has such parameters"
    )]
    pub const fn allowing_reserved(self) -> Format {
        Format {
            allow_reserved: true,
            ..self
        }
    }
}

/// The value in the shape the styles distinguish, its texts not yet encoded.
enum Shape {
    Undefined,
    Scalar(String),
    List(Vec<String>),
    Members(Vec<(String, String)>),
}

/// A path parameter's replacement for `{name}`, percent-encoded: only RFC 3986 unreserved
/// characters and the style's own delimiters stay as they are, so a value can never change
/// which endpoint is called.
pub(crate) fn path_text(name: &str, value: &Value, format: Format) -> String {
    let enc = |text: &str| encode(text, false);
    if format.style == Style::Json && !value.is_null() {
        return enc(&value.to_string());
    }
    let name = enc(name);
    match (format.style, shape(value)) {
        (_, Shape::Undefined) => String::new(),
        (Style::Label, Shape::Scalar(v)) => format!(".{}", enc(&v)),
        (Style::Label, Shape::List(items)) => {
            let separator = if format.explode { "." } else { "," };
            format!(".{}", join(items.iter().map(|v| enc(v)), separator))
        }
        (Style::Label, Shape::Members(members)) if format.explode => {
            let pairs = members
                .iter()
                .map(|(k, v)| format!("{}={}", enc(k), enc(v)));
            format!(".{}", join(pairs, "."))
        }
        (Style::Label, Shape::Members(members)) => format!(".{}", flat(&members, enc, ",")),
        (Style::Matrix, Shape::Scalar(v)) => matrix_pair(&name, &enc(&v)),
        (Style::Matrix, Shape::List(items)) if format.explode => {
            join(items.iter().map(|v| matrix_pair(&name, &enc(v))), "")
        }
        (Style::Matrix, Shape::List(items)) => {
            format!(";{name}={}", join(items.iter().map(|v| enc(v)), ","))
        }
        (Style::Matrix, Shape::Members(members)) if format.explode => join(
            members.iter().map(|(k, v)| matrix_pair(&enc(k), &enc(v))),
            "",
        ),
        (Style::Matrix, Shape::Members(members)) => {
            format!(";{name}={}", flat(&members, enc, ","))
        }
        // `simple`, and any query-only style a document puts on a path parameter.
        (_, Shape::Scalar(v)) => enc(&v),
        (_, Shape::List(items)) => join(items.iter().map(|v| enc(v)), ","),
        (_, Shape::Members(members)) if format.explode => join(
            members
                .iter()
                .map(|(k, v)| format!("{}={}", enc(k), enc(v))),
            ",",
        ),
        (_, Shape::Members(members)) => flat(&members, enc, ","),
    }
}

/// A query parameter as `name=value` pairs, both sides percent-encoded (RFC 3986 unreserved
/// characters kept; with `allowReserved`, the reserved characters a query value may hold too).
pub(crate) fn query_pairs(name: &str, value: &Value, format: Format) -> Vec<(String, String)> {
    let enc = |text: &str| encode(text, format.allow_reserved);
    let key = encode(name, false);
    if format.style == Style::Json {
        return match value {
            Value::Null => Vec::new(),
            value => vec![(key, enc(&value.to_string()))],
        };
    }
    if format.style == Style::DeepObject {
        let mut pairs = Vec::new();
        deep_object(key, value, format.allow_reserved, &mut pairs);
        return pairs;
    }
    let delimiter = match format.style {
        Style::SpaceDelimited => "%20",
        Style::PipeDelimited => "%7C",
        _ => ",",
    };
    match shape(value) {
        Shape::Undefined => Vec::new(),
        Shape::Scalar(v) => vec![(key, enc(&v))],
        Shape::List(items) if format.explode => {
            items.iter().map(|v| (key.clone(), enc(v))).collect()
        }
        Shape::List(items) => vec![(key, join(items.iter().map(|v| enc(v)), delimiter))],
        Shape::Members(members) if format.explode => members
            .iter()
            .map(|(k, v)| (encode(k, false), enc(v)))
            .collect(),
        Shape::Members(members) => vec![(key, flat(&members, enc, delimiter))],
    }
}

/// A header parameter's value (`simple` style, not percent-encoded: headers carry text as is);
/// `None` when the value is undefined and no header is sent.
pub(crate) fn header_text(value: &Value, format: Format) -> Option<String> {
    if format.style == Style::Json {
        return (!value.is_null()).then(|| value.to_string());
    }
    let same = |text: &str| text.to_owned();
    match shape(value) {
        Shape::Undefined => None,
        Shape::Scalar(v) => Some(v),
        Shape::List(items) => Some(items.join(",")),
        Shape::Members(members) if format.explode => {
            Some(join(members.iter().map(|(k, v)| format!("{k}={v}")), ","))
        }
        Shape::Members(members) => Some(flat(&members, same, ",")),
    }
}

/// A cookie parameter as `name=value` pieces for the `Cookie` header (`form` style; exploded
/// arrays and objects give one piece per item or member), percent-encoded like a query.
pub(crate) fn cookie_pieces(name: &str, value: &Value, format: Format) -> Vec<String> {
    let format = Format {
        style: if format.style == Style::Json {
            Style::Json
        } else {
            Style::Form
        },
        allow_reserved: false,
        ..format
    };
    query_pairs(name, value, format)
        .into_iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect()
}

/// Percent-encodes `text` for a URL: everything but RFC 3986 unreserved characters; with
/// `allow_reserved`, also keeps the reserved characters a query value may hold and existing
/// `%XX` escapes. `[`, `]` and `#` are not allowed in a query, and `&`, `=` and `+` mean
/// something in one, so they are always encoded.
pub(crate) fn encode(text: &str, allow_reserved: bool) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let bytes = text.as_bytes();
    let mut encoded = String::with_capacity(text.len());
    for (index, &byte) in bytes.iter().enumerate() {
        let keep = byte.is_ascii_alphanumeric()
            || matches!(byte, b'-' | b'.' | b'_' | b'~')
            || (allow_reserved
                && (matches!(
                    byte,
                    b':' | b'/'
                        | b'?'
                        | b'@'
                        | b'!'
                        | b'$'
                        | b'\''
                        | b'('
                        | b')'
                        | b'*'
                        | b','
                        | b';'
                ) || (byte == b'%' && is_escape(&bytes[index + 1..]))));
        if keep {
            encoded.push(char::from(byte));
        } else {
            encoded.push('%');
            encoded.push(char::from(HEX[usize::from(byte >> 4)]));
            encoded.push(char::from(HEX[usize::from(byte & 0x0F)]));
        }
    }
    encoded
}

/// Whether `rest` starts with two hex digits, i.e. a `%` before it begins an escape.
fn is_escape(rest: &[u8]) -> bool {
    rest.len() >= 2 && rest[0].is_ascii_hexdigit() && rest[1].is_ascii_hexdigit()
}

fn shape(value: &Value) -> Shape {
    match value {
        Value::Null => Shape::Undefined,
        Value::Array(items) => {
            let items: Vec<String> = items
                .iter()
                .filter(|item| !item.is_null())
                .map(scalar_text)
                .collect();
            if items.is_empty() {
                Shape::Undefined
            } else {
                Shape::List(items)
            }
        }
        Value::Object(members) => {
            let members: Vec<(String, String)> = members
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), scalar_text(v)))
                .collect();
            if members.is_empty() {
                Shape::Undefined
            } else {
                Shape::Members(members)
            }
        }
        scalar => Shape::Scalar(scalar_text(scalar)),
    }
}

/// A string as itself, a number or boolean as its JSON text, and anything nested as JSON.
fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// `deepObject`: `name[key]=value`, recursing into nested objects and numbering array items.
fn deep_object(
    key: String,
    value: &Value,
    allow_reserved: bool,
    pairs: &mut Vec<(String, String)>,
) {
    match value {
        Value::Null => {}
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                deep_object(format!("{key}%5B{index}%5D"), item, allow_reserved, pairs);
            }
        }
        Value::Object(members) => {
            for (member, item) in members {
                let nested = format!("{key}%5B{}%5D", encode(member, false));
                deep_object(nested, item, allow_reserved, pairs);
            }
        }
        scalar => pairs.push((key, encode(&scalar_text(scalar), allow_reserved))),
    }
}

/// RFC 6570's `;` rule: a name alone when the value is empty, else `;name=value`.
fn matrix_pair(name: &str, value: &str) -> String {
    if value.is_empty() {
        format!(";{name}")
    } else {
        format!(";{name}={value}")
    }
}

/// Members as `k,v,k,v` (non-exploded), each side through `enc`.
fn flat(members: &[(String, String)], enc: impl Fn(&str) -> String, separator: &str) -> String {
    join(
        members.iter().flat_map(|(k, v)| [enc(k), enc(v)]),
        separator,
    )
}

fn join(parts: impl Iterator<Item = String>, separator: &str) -> String {
    parts.collect::<Vec<_>>().join(separator)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn format(style: Style, explode: bool) -> Format {
        Format::new(style, explode)
    }

    /// The four values of the specification's table: empty, string, array, object.
    fn color_values() -> [Value; 4] {
        [
            json!(""),
            json!("blue"),
            json!(["blue", "black", "brown"]),
            json!({"R": 100, "G": 200, "B": 150}),
        ]
    }

    fn query_string(name: &str, value: &Value, format: Format) -> String {
        let pairs = query_pairs(name, value, format);
        join(pairs.iter().map(|(k, v)| format!("{k}={v}")), "&")
    }

    /// The "Style Examples" table of the OpenAPI Specification 3.1.1 (and 3.0.4), row for row:
    /// its `label` row follows RFC 6570 and its query cells are percent-encoded as sent, which
    /// the 3.0.3 and 3.1.0 tables got wrong. `_empty_` is the empty string; `_n/a_` is undefined.
    const STYLE_EXAMPLES: &str = "
        | matrix | false | ;color | ;color=blue | ;color=blue,black,brown | ;color=R,100,G,200,B,150 |
        | matrix | true | ;color | ;color=blue | ;color=blue;color=black;color=brown | ;R=100;G=200;B=150 |
        | label | false | . | .blue | .blue,black,brown | .R,100,G,200,B,150 |
        | label | true | . | .blue | .blue.black.brown | .R=100.G=200.B=150 |
        | simple | false | _empty_ | blue | blue,black,brown | R,100,G,200,B,150 |
        | simple | true | _empty_ | blue | blue,black,brown | R=100,G=200,B=150 |
        | form | false | color= | color=blue | color=blue,black,brown | color=R,100,G,200,B,150 |
        | form | true | color= | color=blue | color=blue&color=black&color=brown | R=100&G=200&B=150 |
        | spaceDelimited | false | _n/a_ | _n/a_ | color=blue%20black%20brown | color=R%20100%20G%20200%20B%20150 |
        | spaceDelimited | true | _n/a_ | _n/a_ | _n/a_ | _n/a_ |
        | pipeDelimited | false | _n/a_ | _n/a_ | color=blue%7Cblack%7Cbrown | color=R%7C100%7CG%7C200%7CB%7C150 |
        | pipeDelimited | true | _n/a_ | _n/a_ | _n/a_ | _n/a_ |
        | deepObject | false | _n/a_ | _n/a_ | _n/a_ | _n/a_ |
        | deepObject | true | _n/a_ | _n/a_ | _n/a_ | color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150 |
    ";

    #[test]
    fn the_specifications_style_examples_table() {
        let values = color_values();
        let mut checked = 0;
        for row in STYLE_EXAMPLES
            .lines()
            .filter(|line| !line.trim().is_empty())
        {
            let cells: Vec<&str> = row.split('|').map(str::trim).collect();
            let [_, style, explode, cells @ .., _] = cells.as_slice() else {
                panic!("malformed row {row}");
            };
            let style = match *style {
                "matrix" => Style::Matrix,
                "label" => Style::Label,
                "simple" => Style::Simple,
                "form" => Style::Form,
                "spaceDelimited" => Style::SpaceDelimited,
                "pipeDelimited" => Style::PipeDelimited,
                "deepObject" => Style::DeepObject,
                other => panic!("unknown style {other}"),
            };
            let format = format(style, *explode == "true");
            let in_path = matches!(style, Style::Matrix | Style::Label | Style::Simple);
            for (value, cell) in values.iter().zip(cells) {
                let expected = match *cell {
                    "_n/a_" => continue,
                    "_empty_" => "",
                    text => text,
                };
                let actual = if in_path {
                    path_text("color", value, format)
                } else {
                    query_string("color", value, format)
                };
                assert_eq!(actual, expected, "{row}: {value}");
                checked += 1;
            }
        }
        // Headers use the `simple` row, without the empty cell (an empty header is still sent).
        for (explode, cells) in [
            (false, ["blue", "blue,black,brown", "R,100,G,200,B,150"]),
            (true, ["blue", "blue,black,brown", "R=100,G=200,B=150"]),
        ] {
            for (value, expected) in values[1..].iter().zip(cells) {
                assert_eq!(
                    header_text(value, format(Style::Simple, explode)).as_deref(),
                    Some(expected)
                );
                checked += 1;
            }
        }
        assert_eq!(
            checked,
            37 + 6,
            "every cell of the table, and the header cells"
        );
    }

    #[test]
    fn typed_values_keep_field_order_and_wire_forms() {
        #[derive(serde::Serialize)]
        #[allow(non_snake_case, reason = "the table's member names")]
        struct Color {
            R: u8,
            G: u8,
            B: u8,
        }
        let value = serde_json::to_value(Color {
            R: 100,
            G: 200,
            B: 150,
        })
        .expect("serializes");
        assert_eq!(
            query_string("color", &value, format(Style::Form, true)),
            "R=100&G=200&B=150"
        );
        let when = chrono::DateTime::parse_from_rfc3339("2024-05-06T07:08:09Z")
            .expect("valid")
            .with_timezone(&chrono::Utc);
        let value = serde_json::to_value(when).expect("serializes");
        assert_eq!(
            query_string("since", &value, format(Style::Form, true)),
            "since=2024-05-06T07%3A08%3A09Z"
        );
        assert_eq!(
            path_text("flag", &json!(true), format(Style::Simple, false)),
            "true"
        );
        assert_eq!(
            query_string("ratio", &json!(0.5), format(Style::Form, true)),
            "ratio=0.5"
        );
    }

    #[test]
    fn deep_objects_nest_and_number_array_items() {
        let value = json!({"created": {"gt": 1700000000, "lte": 1800000000}, "ids": ["a", "b"], "skip": null, "note": "a b&c"});
        assert_eq!(
            query_string("filter", &value, format(Style::DeepObject, true)),
            "filter%5Bcreated%5D%5Bgt%5D=1700000000&filter%5Bcreated%5D%5Blte%5D=1800000000\
             &filter%5Bids%5D%5B0%5D=a&filter%5Bids%5D%5B1%5D=b&filter%5Bnote%5D=a%20b%26c"
        );
        // A map (OpenAI's `metadata`) has the same shape as an object.
        let metadata: std::collections::BTreeMap<String, String> =
            [("order".to_owned(), "42".to_owned())].into();
        let value = serde_json::to_value(metadata).expect("serializes");
        assert_eq!(
            query_string("metadata", &value, format(Style::DeepObject, true)),
            "metadata%5Border%5D=42"
        );
        assert_eq!(
            query_string("q", &json!("x"), format(Style::DeepObject, true)),
            "q=x"
        );
    }

    #[test]
    fn null_and_empty_values_are_undefined() {
        let undefined = [
            json!(null),
            json!([]),
            json!({}),
            json!({"a": null}),
            json!([null]),
        ];
        for value in &undefined {
            for style in [
                Style::Form,
                Style::SpaceDelimited,
                Style::PipeDelimited,
                Style::DeepObject,
            ] {
                for explode in [false, true] {
                    assert!(
                        query_pairs("x", value, format(style, explode)).is_empty(),
                        "{value} {style:?}"
                    );
                }
            }
            for style in [Style::Simple, Style::Label, Style::Matrix] {
                assert_eq!(
                    path_text("x", value, format(style, false)),
                    "",
                    "{value} {style:?}"
                );
            }
            assert_eq!(header_text(value, format(Style::Simple, false)), None);
            assert!(cookie_pieces("x", value, format(Style::Form, true)).is_empty());
        }
        // Null items and members are skipped, the rest kept.
        assert_eq!(
            query_string("x", &json!([1, null, 2]), format(Style::Form, false)),
            "x=1,2"
        );
        assert_eq!(
            query_string("x", &json!({"a": null, "b": 1}), format(Style::Form, true)),
            "b=1"
        );
    }

    #[test]
    fn values_are_encoded_for_where_they_go() {
        let value = json!(["a,b", "x&y", "100%", "a/b?c=d", "é"]);
        assert_eq!(
            query_string("c", &value, format(Style::Form, false)),
            "c=a%2Cb,x%26y,100%25,a%2Fb%3Fc%3Dd,%C3%A9"
        );
        assert_eq!(
            path_text("c", &json!("a/b;c"), format(Style::Simple, false)),
            "a%2Fb%3Bc"
        );
        assert_eq!(
            path_text("c", &json!(".."), format(Style::Simple, false)),
            ".."
        );
        // Headers carry text as is.
        assert_eq!(
            header_text(&json!("a b/c"), format(Style::Simple, false)).as_deref(),
            Some("a b/c")
        );
        // Nested values in a style that cannot nest are sent as JSON text.
        assert_eq!(
            query_string("c", &json!([[1, 2]]), format(Style::Form, true)),
            "c=%5B1%2C2%5D"
        );
    }

    #[test]
    fn allow_reserved_keeps_what_a_query_value_may_hold() {
        let reserved = Format::FORM.allowing_reserved();
        assert_eq!(
            query_string("u", &json!("https://x.test/a?b=c&d#e[f] %41"), reserved),
            "u=https://x.test/a?b%3Dc%26d%23e%5Bf%5D%20%41"
        );
        assert_eq!(
            query_string("u", &json!("https://x.test/a"), format(Style::Form, true)),
            "u=https%3A%2F%2Fx.test%2Fa"
        );
    }

    #[test]
    fn json_content_and_cookies() {
        let json_format = format(Style::Json, false);
        let value = json!({"a": [1, "x y"]});
        assert_eq!(
            query_string("f", &value, json_format),
            "f=%7B%22a%22%3A%5B1%2C%22x%20y%22%5D%7D"
        );
        assert_eq!(
            header_text(&value, json_format).as_deref(),
            Some(r#"{"a":[1,"x y"]}"#)
        );
        assert_eq!(path_text("f", &json!("id"), json_format), "%22id%22");
        // `None` is not sent, whatever the style.
        assert!(query_pairs("f", &json!(null), json_format).is_empty());
        assert_eq!(header_text(&json!(null), json_format), None);
        assert_eq!(
            cookie_pieces("session", &json!("a b"), format(Style::Form, true)),
            ["session=a%20b"]
        );
        assert_eq!(
            cookie_pieces("c", &json!(["a", "b"]), format(Style::Form, true)),
            ["c=a", "c=b"]
        );
        assert_eq!(
            cookie_pieces("c", &json!(["a", "b"]), format(Style::Form, false)),
            ["c=a,b"]
        );
        assert_eq!(
            cookie_pieces("c", &json!({"R": 1, "G": 2}), format(Style::Form, true)),
            ["R=1", "G=2"]
        );
    }
}
