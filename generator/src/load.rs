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
/// The text of a spec file: UTF-8, else a content error at the first byte that is not,
/// with its line:column and byte offset (not an I/O error: the file was read).
pub fn text(bytes: Vec<u8>) -> Result<String, Box<Diagnostic>> {
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let before = &bytes[..at];
        let line = before.iter().filter(|b| **b == b'\n').count() + 1;
        let line_start = before.iter().rposition(|b| *b == b'\n').map_or(0, |p| p + 1);
        let column = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
        Box::new(Diagnostic::syntax(
            line,
            column,
            format!(
                "the file is not UTF-8 text: byte 0x{:02x} at offset {at} does not start a character",
                bytes[at]
            ),
        ))
    })
}

pub fn parse(text: &str) -> Result<Value, Box<Diagnostic>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match detect(text) {
        Format::Json => serde_json::from_str(text).map_err(|e| {
            Box::new(Diagnostic::syntax(
                e.line(),
                e.column(),
                format!("invalid JSON: {}", strip_position(&e.to_string())),
            ))
        }),
        Format::Yaml => serde_yaml::from_str::<Loose>(text)
            .map(|loose| loose.0)
            .map_err(|e| {
                let (line, col) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
                Box::new(Diagnostic::syntax(
                    line,
                    col,
                    format!("invalid YAML: {}", strip_position(&e.to_string())),
                ))
            }),
    }
}

/// A YAML document read straight into JSON: keys that are numbers or booleans become
/// strings, tags are dropped, a repeated key is an error (with the parser's position), and
/// integers beyond 64 bits, valid YAML, become the nearest float instead of failing.
struct Loose(Value);

impl<'de> serde::Deserialize<'de> for Loose {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(LooseVisitor).map(Loose)
    }
}

struct LooseVisitor;

fn float<E: serde::de::Error>(f: f64) -> Result<Value, E> {
    serde_json::Number::from_f64(f)
        .map(Value::Number)
        .ok_or_else(|| E::custom(format!("the number {f} has no JSON representation")))
}

impl<'de> serde::de::Visitor<'de> for LooseVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_i128<E: serde::de::Error>(self, v: i128) -> Result<Value, E> {
        float(v as f64)
    }
    fn visit_u128<E: serde::de::Error>(self, v: u128) -> Result<Value, E> {
        float(v as f64)
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        float(v)
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(LooseVisitor)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Loose(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some(LooseKey(key)) = map.next_key()? {
            if out.contains_key(&key) {
                return Err(serde::de::Error::custom(format_args!(
                    "duplicate entry with key {key:?}"
                )));
            }
            let Loose(v) = map.next_value()?;
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        // A tagged value (`!tag value`): the tag says nothing JSON can keep.
        use serde::de::VariantAccess;
        let (_tag, variant) = data.variant::<String>()?;
        variant.newtype_variant::<Loose>().map(|l| l.0)
    }
}

/// A mapping key: strings, and scalars written as their text.
struct LooseKey(String);

impl<'de> serde::Deserialize<'de> for LooseKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match d.deserialize_any(LooseVisitor)? {
            Value::String(s) => Ok(LooseKey(s)),
            Value::Null => Ok(LooseKey("null".into())),
            v @ (Value::Bool(_) | Value::Number(_)) => Ok(LooseKey(v.to_string())),
            Value::Array(_) => Err(serde::de::Error::custom(
                "mapping keys must be strings, found a sequence",
            )),
            Value::Object(_) => Err(serde::de::Error::custom(
                "mapping keys must be strings, found a mapping",
            )),
        }
    }
}

/// Integer bounds and values beyond 64 bits (valid YAML and JSON, read as floats) on an
/// integer schema: generated code holds integers as 64-bit at most, so the number is
/// clamped to the `i64` range, with a warning at its place.
pub fn clamp_wide_integers(v: &mut Value, at: &str, out: &mut Vec<Diagnostic>) {
    match v {
        Value::Object(obj) => {
            let integer = obj.get("type").and_then(Value::as_str) == Some("integer");
            for (k, child) in obj.iter_mut() {
                let here = crate::pointer::join(at, k);
                let bound = matches!(
                    k.as_str(),
                    "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" | "default"
                );
                if let (true, true, Some(f)) = (integer, bound, child.as_f64()) {
                    if child.is_f64() && f.fract() == 0.0 {
                        // -2^63 is exactly i64::MIN; 2^63 and beyond do not fit.
                        if (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&f)
                        {
                            *child = Value::from(f as i64);
                        } else {
                            let clamped = if f < 0.0 { i64::MIN } else { i64::MAX };
                            out.push(Diagnostic::warning(
                                here,
                                format!("`{k}` {f:e} is beyond 64 bits; generated code uses i64, so it is read as {clamped}"),
                            ));
                            *child = Value::from(clamped);
                        }
                    }
                    continue;
                }
                if !k.starts_with("x-") && k != "example" && k != "examples" {
                    clamp_wide_integers(child, &here, out);
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                clamp_wide_integers(child, &crate::pointer::join(at, i.to_string()), out);
            }
        }
        _ => {}
    }
}

/// serde's messages end with " at line L column C"; the position is rendered separately.
fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
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
    fn integers_beyond_64_bits_are_read_and_clamped_on_integer_schemas() {
        let mut v = parse(
            "schema:\n  type: integer\n  minimum: -9223372036854776000\n  maximum: 99999999999999999999\nother: 340282366920938463463374607431768211456\n",
        )
        .unwrap();
        assert_eq!(v["schema"]["minimum"], -9.223372036854776e18);
        assert!(v["other"].as_f64().unwrap() > 3.4e38);
        let mut warnings = Vec::new();
        clamp_wide_integers(&mut v, "#", &mut warnings);
        // -9223372036854776000 is the float nearest i64::MIN, which it is exactly: no warning.
        assert_eq!(v["schema"]["minimum"], i64::MIN);
        assert_eq!(v["schema"]["maximum"], i64::MAX);
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].pointer.as_deref(), Some("#/schema/maximum"));
        assert!(
            warnings[0].message.contains("beyond 64 bits"),
            "{}",
            warnings[0].message
        );
    }

    #[test]
    fn yaml_tags_are_dropped() {
        let v = parse("a: !custom 1\nb: !!str 2\n").unwrap();
        assert_eq!(v["a"], 1);
        assert_eq!(v["b"], "2");
    }

    #[test]
    fn duplicate_yaml_keys_are_errors() {
        let d = parse("a: 1\na: 2\n").unwrap_err();
        assert!(d.message.contains("duplicate"), "{}", d.message);
    }
}
