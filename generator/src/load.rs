//! Loading: bytes → a JSON document. YAML and JSON are detected by content, not by file
//! extension. Syntax errors carry the line and column the parser reports.

use serde_json::Value;

use crate::diagnostics::Diagnostic;

/// The format a spec was written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Yaml,
}

/// Guesses the format from the first meaningful character: JSON documents are objects.
pub fn detect(text: &str) -> Format {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') {
        Format::Json
    } else {
        Format::Yaml
    }
}

/// Parses `text` into a JSON value. YAML mapping keys that are numbers or booleans (the
/// unquoted `200:` of a response) become strings, as they are in JSON.
pub fn parse(text: &str) -> Result<Value, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match detect(text) {
        Format::Json => serde_json::from_str(text).map_err(|e| {
            Diagnostic::syntax(
                e.line(),
                e.column(),
                format!("invalid JSON: {}", strip_position(&e.to_string())),
            )
        }),
        Format::Yaml => {
            let yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
                let (line, col) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
                Diagnostic::syntax(
                    line,
                    col,
                    format!("invalid YAML: {}", strip_position(&e.to_string())),
                )
            })?;
            yaml_to_json(yaml, "#")
        }
    }
}

/// serde's messages end with " at line L column C"; the position is rendered separately.
fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

fn yaml_to_json(value: serde_yaml::Value, at: &str) -> Result<Value, Diagnostic> {
    use serde_yaml::Value as Y;
    Ok(match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .ok_or_else(|| {
                        Diagnostic::error(at, format!("the number {n} has no JSON representation"))
                    })?
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| yaml_to_json(v, &crate::diagnostics::join(at, i.to_string())))
                .collect::<Result<_, _>>()?,
        ),
        Y::Mapping(map) => {
            let mut out = serde_json::Map::with_capacity(map.len());
            for (k, v) in map {
                let key = match k {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => "null".to_string(),
                    other => {
                        return Err(Diagnostic::error(
                            at,
                            format!("mapping keys must be strings, found {}", yaml_kind(&other)),
                        ))
                    }
                };
                let child = crate::diagnostics::join(at, &key);
                let v = yaml_to_json(v, &child)?;
                out.insert(key, v);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value, at)?,
    })
}

fn yaml_kind(v: &serde_yaml::Value) -> &'static str {
    match v {
        serde_yaml::Value::Sequence(_) => "a sequence",
        serde_yaml::Value::Mapping(_) => "a mapping",
        _ => "a tagged value",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_content() {
        assert_eq!(detect("  {\"a\": 1}"), Format::Json);
        assert_eq!(detect("\u{feff}{}"), Format::Json);
        assert_eq!(detect("openapi: 3.0.0"), Format::Yaml);
        assert_eq!(detect("---\na: 1"), Format::Yaml);
    }

    #[test]
    fn yaml_numeric_keys_become_strings() {
        let v = parse("responses:\n  200:\n    description: ok\n  true: 1\n").unwrap();
        assert_eq!(v["responses"]["200"]["description"], "ok");
        assert_eq!(v["responses"]["true"], 1);
    }

    #[test]
    fn yaml_syntax_error_has_position() {
        let d = parse("a: 1\nb: [1, 2\nc: 3\n").unwrap_err();
        assert!(d.message.starts_with("invalid YAML"), "{}", d.message);
        assert!(d.line_col.unwrap().0 >= 2);
    }

    #[test]
    fn json_syntax_error_has_position() {
        let d = parse("{\n  \"a\": 1,\n  \"b\": }\n").unwrap_err();
        assert_eq!(d.line_col, Some((3, 8)));
        assert!(!d.message.contains("at line"), "{}", d.message);
    }

    #[test]
    fn duplicate_yaml_keys_are_errors() {
        let d = parse("a: 1\na: 2\n").unwrap_err();
        assert!(d.message.contains("duplicate"), "{}", d.message);
    }
}
