//! Load stage: YAML or JSON text in, a `serde_json::Value` out, with every key a string.
//!
//! YAML allows keys that JSON does not (integers such as `200:`, booleans, `null`) and numbers
//! that do not fit 64 bits; both appear in real documents, so they are converted here rather
//! than rejected. Anything that cannot become JSON is an error naming its pointer.

use crate::diagnostics::{Diagnostic, pointer_push};
use serde_json::{Map, Number, Value};

/// Parses a YAML (or JSON) document. `source` names the file in error messages.
pub fn load_document(text: &str, source: &str) -> Result<Value, Diagnostic> {
    let yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|error| {
        let place = error
            .location()
            .map(|l| format!(" at line {}, column {}", l.line(), l.column()))
            .unwrap_or_default();
        Diagnostic::error(
            "",
            format!("{source} is not valid YAML or JSON{place}: {error}"),
        )
    })?;
    if !matches!(yaml, serde_yaml::Value::Mapping(_)) {
        return Err(Diagnostic::error(
            "",
            format!("{source}: the document must be a mapping (an object) at the top level"),
        ));
    }
    yaml_to_json(yaml, "")
}

fn yaml_to_json(value: serde_yaml::Value, pointer: &str) -> Result<Value, Diagnostic> {
    use serde_yaml::Value as Y;
    Ok(match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => number_to_json(&n),
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(index, item)| yaml_to_json(item, &pointer_push(pointer, &index.to_string())))
                .collect::<Result<_, _>>()?,
        ),
        Y::Mapping(entries) => {
            let mut map = Map::with_capacity(entries.len());
            for (key, item) in entries {
                let key = key_to_string(key, pointer)?;
                let child = pointer_push(pointer, &key);
                let item = yaml_to_json(item, &child)?;
                if map.insert(key.clone(), item).is_some() {
                    return Err(Diagnostic::error(child, format!("duplicate key `{key}`")));
                }
            }
            Value::Object(map)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value, pointer)?,
    })
}

/// Integers beyond 64 bits come back from serde_yaml as floats; a float JSON cannot hold
/// (NaN, infinity) becomes a string so the rest of the document still loads.
fn number_to_json(n: &serde_yaml::Number) -> Value {
    if let Some(i) = n.as_i64() {
        Value::Number(i.into())
    } else if let Some(u) = n.as_u64() {
        Value::Number(u.into())
    } else {
        let f = n.as_f64().unwrap_or(f64::NAN);
        Number::from_f64(f)
            .map(Value::Number)
            .unwrap_or_else(|| Value::String(n.to_string()))
    }
}

fn key_to_string(key: serde_yaml::Value, pointer: &str) -> Result<String, Diagnostic> {
    use serde_yaml::Value as Y;
    match key {
        Y::String(s) => Ok(s),
        Y::Number(n) => Ok(n.to_string()),
        Y::Bool(b) => Ok(b.to_string()),
        Y::Null => Ok("null".to_owned()),
        Y::Tagged(tagged) => key_to_string(tagged.value, pointer),
        Y::Sequence(_) | Y::Mapping(_) => Err(Diagnostic::error(
            pointer,
            "a mapping key is itself a list or mapping; keys must be scalars",
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
    fn top_level_must_be_a_mapping() {
        let error = load_document("- 1\n- 2\n", "x.yaml").unwrap_err();
        assert!(error.message.contains("mapping"));
    }

    #[test]
    fn json_loads_too() {
        let value = load_document(r#"{"openapi": "3.0.3", "paths": {}}"#, "x.json").unwrap();
        assert_eq!(value["openapi"], "3.0.3");
    }
}
