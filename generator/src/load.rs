//! Load stage: YAML or JSON text in, a `serde_json::Value` out, with every key a string.
//!
//! YAML allows keys that JSON does not (integers such as `200:`, booleans, `null`) and numbers
//! that do not fit 64 bits; both appear in real documents, so they are converted here rather
//! than rejected. Anything that cannot become JSON is an error naming its line and path.
//!
//! The value is built from libyaml's events as they are parsed (`build`), with serde_yaml's
//! reading of every scalar, limit and error; tests compare the two loaders (`oracle`).

mod build;
mod error;
mod events;
#[cfg(test)]
mod oracle;
mod scalar;

use crate::diagnostics::Diagnostic;
use serde_json::Value;

/// Parses a YAML (or JSON) document. `source` names the file in error messages.
pub fn load_document(text: &str, source: &str) -> Result<Value, Diagnostic> {
    let loaded = build::build_document(text).map_err(|error| {
        let place = error
            .mark()
            .map(|mark| format!(" at line {}, column {}", mark.line + 1, mark.column + 1))
            .unwrap_or_default();
        Diagnostic::error(
            "",
            format!(
                "{source} is not valid YAML or JSON{place}: {error}{}",
                error.advice()
            ),
        )
    })?;
    match loaded {
        Value::Object(_) => Ok(loaded),
        Value::Null => Err(Diagnostic::error(
            "",
            format!("{source} is empty; an OpenAPI document starts with `openapi: \"3.0.3\"`"),
        )),
        _ => Err(Diagnostic::error(
            "",
            format!("{source}: the document must be a mapping (an object) at the top level"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_keys_become_strings() {
        let value = load_document("responses:\n  200:\n    description: ok\n", "t.yaml").unwrap();
        assert_eq!(value["responses"]["200"]["description"], "ok");
    }

    #[test]
    fn huge_integers_do_not_fail() {
        let value = load_document("max: 18446744073709552000\n", "t.yaml").unwrap();
        assert!(value["max"].is_number());
    }

    #[test]
    fn bad_yaml_names_the_line() {
        let error = load_document("a: [1, 2\nb: c\n", "spec.yaml").unwrap_err();
        assert!(
            error.message.contains("spec.yaml is not valid YAML"),
            "{}",
            error.message
        );
        assert!(error.message.contains("line"), "{}", error.message);
    }

    #[test]
    fn repeated_keys_are_found_in_large_mappings_at_the_repeat() {
        let mut text = String::from("paths:\n");
        for index in 0..40 {
            text.push_str(&format!("  /p{index}: {{}}\n"));
        }
        text.push_str("  /p3: {}\n  /p40: {}\n");
        let error = load_document(&text, "t.yaml").unwrap_err();
        assert!(
            error.message.contains("duplicate key `/p3` at line 2"),
            "{}",
            error.message
        );
        let small = load_document("a: 1\nb: 2\na: 3\n", "t.yaml").unwrap_err();
        assert!(
            small.message.contains("duplicate key `a`"),
            "{}",
            small.message
        );
        let distinct = load_document(
            &text.replace("  /p3: {}\n  /p40", "  /p41: {}\n  /p40"),
            "t.yaml",
        );
        assert_eq!(
            distinct
                .map(|v| v["paths"].as_object().map(|m| m.len()))
                .ok()
                .flatten(),
            Some(42)
        );
    }

    /// The advice follows what was refused, not words in the message: a key may contain any
    /// text, the names of the limits included.
    #[test]
    fn advice_follows_the_refusal_not_the_key_text() {
        let advice_of = |text: &str| {
            load_document(text, "t.yaml")
                .err()
                .map(|d| d.message)
                .unwrap_or_default()
        };
        let duplicate = advice_of("recursion limit: 1\nrecursion limit: 2\n");
        assert!(duplicate.contains("merge the two entries"), "{duplicate}");
        assert!(!duplicate.contains("nested more than"), "{duplicate}");
        let not_a_key = advice_of("? [repetition limit]\n: 1\n");
        assert!(!not_a_key.contains("YAML aliases"), "{not_a_key}");
        let deep = advice_of(&format!("{}1{}", "[".repeat(200), "]".repeat(200)));
        assert!(deep.contains("nested more than 128"), "{deep}");
    }

    #[test]
    fn top_level_must_be_a_mapping() {
        let error = load_document("- 1\n- 2\n", "x.yaml").unwrap_err();
        assert!(error.message.contains("mapping"));
    }

    #[test]
    fn an_empty_document_says_so() {
        let error = load_document("# only a comment\n", "e.yaml").unwrap_err();
        assert!(
            error.message.contains("e.yaml is empty"),
            "{}",
            error.message
        );
    }

    /// The streaming loader's result in the oracle's terms: value, or message and place.
    fn streamed(text: &str) -> Result<Value, (String, Option<(usize, usize)>)> {
        build::build_document(text).map_err(|error| {
            let place = error
                .mark()
                .map(|mark| (mark.line as usize + 1, mark.column as usize + 1));
            (error.to_string(), place)
        })
    }

    fn assert_loaders_agree(text: &str, name: &str) {
        assert_eq!(streamed(text), oracle::load(text), "{name}:\n{text}");
    }

    /// Every construct where the loaders could part: scalar typing, tags, anchors and
    /// aliases (also redefined, cyclic, nested too deep, repeated too often), keys that are
    /// not text, and every kind of error.
    const SNIPPETS: &[&str] = &[
        "",
        "# only a comment\n",
        "---\n",
        "---\n...\n",
        "~\n",
        "a: 1\n---\nb: 2\n",
        "a: 1\n--- [\n",
        "a: 1\n...\n# end\n",
        "a: [1, 2\nb: c\n",
        "a: b: c\n",
        "a:\n  - 1\n - 2\n",
        "\"a\": 1\n\"a\": 2\n",
        "{a: 1, b: {c: 2, c: 3}}",
        "x: [{a: 1, a: 2}]\n",
        "- {a: 1, a: 2}\n",
        "[[{a: [{b: 1, b: 2}]}]]",
        "? [1, 2]\n: x\n",
        "a:\n  ? {b: 1}\n  : c\n",
        "a:\n  ? {b: 1, b: 2}\n  : c\n",
        "~: 1\ntrue: 2\n200: 3\n1.5: 4\n.inf: 5\n0x10: 6\n",
        "null: 1\n~: 2\n",
        "a: [yes, no, on, off, y, n, True, FALSE, TRUE, tRue]\n",
        "a: [0, -0, +0, 012, -012, 0o17, 0x1F, -0x1F, 0b101, -0b101, 0x, 0x-1, +-1, 1_000]\n",
        "a: [18446744073709551615, 18446744073709551616, -9223372036854775808, -9223372036854775809]\n",
        "a: [340282366920938463463374607431768211456, -170141183460469231731687303715884105729]\n",
        "a: [1.5, -1.5, +1.5, 1e3, 1E3, .5, 5., 1e999, -1e999, .inf, -.Inf, +.INF, .nan, .NaN, inf, nan, NaN, infinity]\n",
        "a: [!!int '12', !!int 0x1F, !!int abc, 1]\n",
        "a: !!bool yes\n",
        "a: !!bool 'true'\n",
        "a: !!float 1\n",
        "a: !!float x\n",
        "a: !!null ''\n",
        "a: !!null ~\n",
        "a: !!str 12\nb: !!binary aGk=\nc: !!str\n",
        "a: !Thing 12\nb: !Thing '12'\nc: ! 12\nd: !Thing {x: 1}\ne: !Thing [1]\n",
        "!!map {a: 1}",
        "!Root {a: 1, a: 2}",
        "%TAG ! tag:yaml.org,2002:\n---\na: !int 5\nb: !str 5\n",
        "%TAG !e! tag:example.com,2000:\n---\na: !e!thing 5\n",
        "!!int abc: 1\n",
        "x:\n  !!int abc: 1\n",
        "- !!int abc\n",
        "a: [1, !!int abc]\n",
        "a:\n  b:\n    - c: !!float zz\n",
        "a: &x 1\nb: *x\n",
        "a: &x {b: [1, 2]}\nc: *x\nd: [*x, *x]\n",
        "a: *missing\n",
        "a: &x 1\nb: &x 2\nc: *x\n",
        "a: &x [&x 1, *x]\nb: *x\n",
        "&x a: 1\nb: *x\n*x : 2\n",
        "&k 200: ok\nx: *k\n",
        "a: &x [1]\n*x : 2\n",
        "a: &x {k: 1}\nb:\n  *x : 2\n",
        "a: &x [*x]\n",
        "a: &x [[1], [[2]], *x]\n",
        "a: &x {b: {c: *x}}\n",
        "- &x [1, [2, [3, *x]]]\n",
        "a: &x [1]\nb: *x\nc: &x [2]\nd: *x\n",
        "a: !!int &x 5\nb: *x\n",
        "a: 'multi\n  line'\nb: |\n  block\n  text\nc: >\n  folded\n  text\n",
        "a: \"\\u00e9\\x41\\t\"\nb: '\\n'\n",
        "\u{feff}a: 1\n",
        "a: 1\r\nb: 2\r\n",
        "\ta: 1\n",
        "a: \"unterminated\n",
        "a: 'x' y\n",
        "- a\nb: c\n",
        "[1, 2]\n",
        "'just text'\n",
        "a: {b: 1\n",
        "<<: {a: 1}\nb: 2\n",
        "{\"openapi\": \"3.0.3\", \"n\": [1, 2.5, -3, true, null], \"o\": {\"x\": \"y\"}}",
        "{\"a\": 1, \"a\": 2}",
        "&x : !!bool a\n",
        "'': [!!int x]\n",
        ".inf: {a: !!int x}\n",
        "~: [!!int x]\n",
    ];

    #[test]
    fn streaming_loader_agrees_with_serde_yaml_on_every_construct() {
        for snippet in SNIPPETS {
            assert_loaders_agree(snippet, "snippet");
        }
    }

    /// Nesting and alias limits, built rather than written out.
    #[test]
    fn streaming_loader_agrees_with_serde_yaml_at_the_limits() {
        for depth in [126, 127, 128, 129, 200] {
            let flow = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
            assert_loaders_agree(&flow, "flow nesting");
            let mapping = format!("{}{}", "{a: ".repeat(depth), "}".repeat(depth));
            assert_loaders_agree(&mapping, "mapping nesting");
        }
        for (anchored, at) in [(3, 120), (10, 118), (10, 127), (60, 60), (1, 128)] {
            let deep = format!("{}{}", "[".repeat(anchored), "]".repeat(anchored));
            let text = format!("a: &x {deep}\nb: {}*x{}\n", "[".repeat(at), "]".repeat(at));
            assert_loaders_agree(&text, "alias nested too deep");
        }
        for levels in 1..=9 {
            let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
            for level in 1..levels {
                let name = (b'a' + level as u8) as char;
                let previous = (b'a' + level as u8 - 1) as char;
                let items = vec![format!("*{previous}"); 10].join(", ");
                bomb.push_str(&format!("{name}: &{name} [{items}]\n"));
            }
            assert_loaders_agree(&bomb, "alias bomb");
            bomb.push_str("tail: [1, 2, 3]\n");
            assert_loaders_agree(&bomb, "alias bomb with a tail");
            bomb.push_str("broken: [\n");
            assert_loaders_agree(&bomb, "alias bomb then a syntax error");
        }
    }

    /// The documents the generator is run on: ours, the construct specs, the broken corpus,
    /// and the shared public corpus (the biggest only in release builds, where serde_yaml
    /// takes seconds rather than minutes on them).
    #[test]
    fn streaming_loader_agrees_with_serde_yaml_on_real_documents() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut files = vec![root.join("spec/api.yaml"), root.join("spec/overlay.yaml")];
        for folder in ["generator/tests/constructs", "generator/tests/broken"] {
            files.extend(yaml_files(&root.join(folder)));
        }
        let corpus = root.join("../shared/openapi-corpus");
        files.extend(yaml_files(&corpus));
        files.extend(yaml_files(&corpus.join("v3_1")));
        let size_limit = if cfg!(debug_assertions) {
            1_000_000
        } else {
            u64::MAX
        };
        let mut compared = 0;
        for file in files {
            if std::fs::metadata(&file).map_or(true, |meta| meta.len() > size_limit) {
                continue;
            }
            let text = std::fs::read_to_string(&file).unwrap();
            assert_loaders_agree(&text, &file.display().to_string());
            compared += 1;
        }
        assert!(compared >= 30, "only {compared} documents compared");
    }

    fn yaml_files(folder: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut files: Vec<_> = std::fs::read_dir(folder)
            .into_iter()
            .flatten()
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| {
                matches!(
                    path.extension().and_then(|e| e.to_str()),
                    Some("yaml" | "yml" | "json")
                )
            })
            .collect();
        files.sort();
        files
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        /// Random arrangements of YAML's building blocks, valid or not, load the same way.
        #[test]
        fn streaming_loader_agrees_with_serde_yaml_on_token_soup(
            tokens in proptest::collection::vec(proptest::sample::select(TOKENS), 0..40)
        ) {
            let text: String = tokens.concat();
            proptest::prop_assert_eq!(streamed(&text), oracle::load(&text), "{:?}", text);
        }
    }

    const TOKENS: &[&str] = &[
        "a",
        "b",
        "k",
        ": ",
        ":",
        " ",
        "  ",
        "\n",
        "\n  ",
        "\n    ",
        "- ",
        "? ",
        "[",
        "]",
        "{",
        "}",
        ", ",
        "&x ",
        "&y ",
        "*x",
        "*y",
        "!!int ",
        "!!str ",
        "!!bool ",
        "!!null ",
        "!!float ",
        "!T ",
        "! ",
        "'q'",
        "\"d\"",
        "~",
        "null",
        "true",
        "0x1F",
        "012",
        "1e3",
        "-5",
        ".inf",
        "18446744073709551616",
        "---\n",
        "...\n",
        "#c",
        "|\n  t\n",
        "<<: ",
    ];

    #[test]
    fn json_loads_too() {
        let value = load_document(r#"{"openapi": "3.0.3", "paths": {}}"#, "x.json").unwrap();
        assert_eq!(value["openapi"], "3.0.3");
    }
}
