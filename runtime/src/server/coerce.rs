//! Form and multipart fields as JSON, read by the body's JSON Schema: the schema says
//! whether `42` is a number or a string, whether `items[0]` is a list item or a property
//! named `0`, and which alternative of a union a text belongs to (`metadata=` is the empty
//! string of `anyOf: [object, ""]`). Validation then judges the result, so text that is
//! not what the schema wants stays text and is reported.

use serde_json::{Map, Value};

use super::decode::scalar;
use super::Kind;
use crate::form::{Encoding, Raw};
use crate::params::Style;

/// `$ref` chains and nested unions deeper than this are not followed.
const MAX_DEPTH: usize = 64;

/// The schema `$ref` points to, followed through `#/$defs/Name` (and any JSON pointer
/// into the document of definitions).
fn resolve<'s>(mut schema: &'s Value, defs: &'s Value) -> &'s Value {
    for _ in 0..MAX_DEPTH {
        let Some(target) = schema.get("$ref").and_then(Value::as_str) else {
            return schema;
        };
        let Some(pointer) = target.strip_prefix("#/$defs") else {
            return schema;
        };
        match defs.pointer(pointer) {
            Some(next) => schema = next,
            None => return schema,
        }
    }
    schema
}

fn ty(schema: &Value) -> Option<&str> {
    schema.get("type").and_then(Value::as_str)
}

fn is_object(schema: &Value) -> bool {
    ty(schema) == Some("object")
        || schema.get("properties").is_some()
        || schema.get("additionalProperties").is_some()
}

/// The schema of property `name` of an object schema (an untyped one when it has none).
fn property<'s>(schema: &'s Value, name: &str) -> &'s Value {
    static ANY: Value = Value::Null;
    schema
        .get("properties")
        .and_then(|p| p.get(name))
        .or_else(|| schema.get("additionalProperties").filter(|a| a.is_object()))
        .unwrap_or(&ANY)
}

/// Whether `raw` can be read as a value of `schema`, for choosing among alternatives.
fn accepts(raw: &Raw, schema: &Value, defs: &Value, depth: usize) -> bool {
    let schema = resolve(schema, defs);
    if depth > MAX_DEPTH {
        return false;
    }
    if let Some(alts) = schema.get("anyOf").and_then(Value::as_array) {
        return alts.iter().any(|a| accepts(raw, a, defs, depth + 1));
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return match raw {
            Raw::Text(t) => values.iter().any(|v| matches_text(v, t)),
            Raw::Json(j) => values.contains(j),
            _ => false,
        };
    }
    match (raw, ty(schema)) {
        (Raw::Json(j), Some(t)) => json_type(j) == t || (t == "number" && j.is_number()),
        (_, None) if !is_object(schema) => true,
        (Raw::Text(t) | Raw::Packed(t, _), Some("integer")) => scalar(t, Kind::Integer).is_number(),
        (Raw::Text(t) | Raw::Packed(t, _), Some("number")) => scalar(t, Kind::Number).is_number(),
        (Raw::Text(t) | Raw::Packed(t, _), Some("boolean")) => t == "true" || t == "false",
        (Raw::Text(_) | Raw::Packed(..) | Raw::Bytes(_), Some("string")) => true,
        (Raw::Text(t), _) if is_object(schema) => json_text(t).is_some_and(|v| v.is_object()),
        (Raw::Packed(..), _) if is_object(schema) => true,
        (Raw::Map(_), _) => is_object(schema) || ty(schema) == Some("array"),
        (Raw::List(_) | Raw::Packed(..), Some("array")) => true,
        (Raw::Text(t), Some("array")) => json_text(t).is_some_and(|v| v.is_array()),
        _ => false,
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn matches_text(value: &Value, text: &str) -> bool {
    match value {
        Value::String(s) => s == text,
        Value::Null => false,
        other => serde_json::from_str::<Value>(text).ok().as_ref() == Some(other),
    }
}

fn json_text(text: &str) -> Option<Value> {
    let t = text.trim_start();
    if t.starts_with('{') || t.starts_with('[') {
        serde_json::from_str(text).ok()
    } else {
        None
    }
}

/// The alternative of a union `raw` is read as: the first that accepts it, text types
/// after the others (so that `42` is the number of `anyOf: [string, integer]`).
fn choose<'s>(raw: &Raw, alts: &'s [Value], defs: &'s Value, depth: usize) -> Option<&'s Value> {
    let is_text = |a: &Value| {
        let a = resolve(a, defs);
        ty(a) == Some("string")
            || (ty(a).is_none()
                && !is_object(a)
                && a.get("anyOf").is_none()
                && a.get("enum").is_none())
    };
    // Last, a list of one: a single form value of a nullable list (`anyOf: [array, null]`).
    let list_of_one = |a: &&Value| {
        let a = resolve(a, defs);
        matches!(raw, Raw::Text(_))
            && ty(a) == Some("array")
            && accepts(raw, a.get("items").unwrap_or(&Value::Null), defs, depth + 1)
    };
    alts.iter()
        .filter(|a| !is_text(a))
        .find(|a| accepts(raw, a, defs, depth + 1))
        .or_else(|| alts.iter().find(|a| accepts(raw, a, defs, depth + 1)))
        .or_else(|| alts.iter().find(list_of_one))
}

/// `raw` as JSON, read by `schema`.
pub(crate) fn coerce(raw: Raw, schema: &Value, defs: &Value) -> Value {
    at(raw, schema, defs, 0)
}

fn at(raw: Raw, schema: &Value, defs: &Value, depth: usize) -> Value {
    let schema = resolve(schema, defs);
    if depth > MAX_DEPTH {
        return plain(raw);
    }
    if let Some(alts) = schema.get("anyOf").and_then(Value::as_array) {
        return match choose(&raw, alts, defs, depth) {
            Some(alt) => at(raw, alt, defs, depth + 1),
            None => plain(raw),
        };
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        if let Raw::Text(t) = &raw {
            if let Some(v) = values.iter().find(|v| matches_text(v, t)) {
                return v.clone();
            }
        }
    }
    let array = ty(schema) == Some("array");
    let items = schema.get("items").unwrap_or(&Value::Null);
    match raw {
        Raw::Json(v) => v,
        Raw::Bytes(b) => match ty(schema) {
            Some("string") => match String::from_utf8(b.to_vec()) {
                Ok(s) => Value::String(s),
                Err(_) => bytes(&b),
            },
            Some("array") if !items.is_null() && ty(resolve(items, defs)) != Some("integer") => {
                Value::Array(vec![at(Raw::Bytes(b), items, defs, depth + 1)])
            }
            _ => bytes(&b),
        },
        Raw::List(list) => {
            let inner = if array { items } else { schema };
            Value::Array(
                list.into_iter()
                    .map(|r| at(r, inner, defs, depth + 1))
                    .collect(),
            )
        }
        Raw::Map(map) if array && map.iter().all(|(k, _)| k.parse::<usize>().is_ok()) => {
            // `key[0]`, `key[1]`: list items by index, in index order.
            let mut indexed: Vec<(usize, Raw)> = map
                .into_iter()
                .filter_map(|(k, v)| Some((k.parse().ok()?, v)))
                .collect();
            indexed.sort_by_key(|(i, _)| *i);
            Value::Array(
                indexed
                    .into_iter()
                    .map(|(_, r)| at(r, items, defs, depth + 1))
                    .collect(),
            )
        }
        Raw::Map(map) => {
            let object: Map<String, Value> = map
                .into_iter()
                .map(|(k, r)| {
                    let value = at(r, property(schema, &k), defs, depth + 1);
                    (k, value)
                })
                .collect();
            Value::Object(object)
        }
        Raw::Packed(text, sep) if array => {
            if text.is_empty() {
                return Value::Array(Vec::new());
            }
            Value::Array(
                text.split(sep)
                    .map(|t| at(Raw::Text(t.to_string()), items, defs, depth + 1))
                    .collect(),
            )
        }
        Raw::Packed(text, sep) if is_object(schema) => {
            let parts: Vec<&str> = text.split(sep).collect();
            let object: Map<String, Value> = parts
                .chunks(2)
                .map(|pair| {
                    let value = Raw::Text(pair.get(1).copied().unwrap_or("").to_string());
                    let key = pair[0].to_string();
                    let value = at(value, property(schema, &key), defs, depth + 1);
                    (key, value)
                })
                .collect();
            Value::Object(object)
        }
        Raw::Text(text) | Raw::Packed(text, _) => match ty(schema) {
            Some("integer") => scalar(&text, Kind::Integer),
            Some("number") => scalar(&text, Kind::Number),
            Some("boolean") => scalar(&text, Kind::Boolean),
            Some("string") => Value::String(text),
            Some("array") => match json_text(&text) {
                Some(v @ Value::Array(_)) => v,
                _ => Value::Array(vec![at(Raw::Text(text), items, defs, depth + 1)]),
            },
            _ if is_object(schema) => json_text(&text).unwrap_or(Value::String(text)),
            // Untyped: JSON if it is JSON, else text.
            _ => scalar(&text, Kind::Any),
        },
    }
}

/// Bytes as a list of numbers, which `Vec<u8>` and `Bytes` fields read.
fn bytes(b: &[u8]) -> Value {
    Value::Array(b.iter().map(|x| Value::from(*x)).collect())
}

/// Without a schema: texts stay texts.
fn plain(raw: Raw) -> Value {
    match raw {
        Raw::Text(t) | Raw::Packed(t, _) => Value::String(t),
        Raw::Json(v) => v,
        Raw::Bytes(b) => bytes(&b),
        Raw::List(l) => Value::Array(l.into_iter().map(plain).collect()),
        Raw::Map(m) => Value::Object(m.into_iter().map(|(k, v)| (k, plain(v))).collect()),
    }
}

/// A whole form or multipart body as JSON. Fields the body does not have, sent where the
/// spec spreads an object property's own properties among the body's (`form`, exploded),
/// go back into that property.
pub(crate) fn body(
    fields: Vec<(String, Raw)>,
    schema: &Value,
    defs: &Value,
    encodings: &[Encoding],
) -> Value {
    let top = resolve(schema, defs);
    let own = |k: &str| top.get("properties").and_then(|p| p.get(k)).is_some();
    let spread: Vec<&Encoding> = encodings
        .iter()
        .filter(|e| e.style == Style::Form && e.explode && own(e.name))
        .filter(|e| is_object(resolve(property(top, e.name), defs)))
        .collect();
    let mut kept = Vec::new();
    let mut moved: Vec<(&str, Vec<(String, Raw)>)> = Vec::new();
    for (k, v) in fields {
        let home = (!own(&k))
            .then(|| {
                spread.iter().find(|e| {
                    let s = resolve(property(top, e.name), defs);
                    s.get("properties").and_then(|p| p.get(&k)).is_some()
                        || s.get("additionalProperties").is_some_and(Value::is_object)
                })
            })
            .flatten();
        match home {
            Some(e) => match moved.iter_mut().find(|(n, _)| *n == e.name) {
                Some((_, props)) => props.push((k, v)),
                None => moved.push((e.name, vec![(k, v)])),
            },
            None => kept.push((k, v)),
        }
    }
    for (name, props) in moved {
        kept.push((name.to_string(), Raw::Map(props)));
    }
    coerce(Raw::Map(kept), schema, defs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::{parse, tree};
    use serde_json::json;

    fn read(body: &str, schema: Value, defs: Value, enc: &[Encoding]) -> Value {
        super::body(tree(parse(body.as_bytes()), enc, true), &schema, &defs, enc)
    }

    #[test]
    fn the_schema_says_what_each_text_is() {
        let defs = json!({
            "Address": {"type": "object", "properties": {"city": {"type": "string"}, "zip": {"type": "integer"}}},
            "Item": {"type": "object", "properties": {"price": {"type": "string"}, "quantity": {"type": "integer"}}},
            "Body": {"type": "object", "properties": {
                "address": {"$ref": "#/$defs/Address"},
                "items": {"type": "array", "items": {"$ref": "#/$defs/Item"}},
                "expand": {"type": "array", "items": {"type": "string"}},
                "metadata": {"anyOf": [
                    {"type": "object", "additionalProperties": {"type": "string"}},
                    {"enum": [""]}
                ]},
                "amount": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
                "live": {"type": "boolean"},
                "extra": {}
            }}
        });
        let schema = json!({"$ref": "#/$defs/Body"});
        assert_eq!(
            read(
                "address[city]=Paris&address[zip]=75001&items[1][price]=b&items[0][price]=a&items[0][quantity]=2\
                 &expand[]=x&metadata[order]=42&amount=7&live=true&extra=5",
                schema.clone(),
                defs.clone(),
                &[]
            ),
            json!({
                "address": {"city": "Paris", "zip": 75001},
                "items": [{"price": "a", "quantity": 2}, {"price": "b"}],
                "expand": ["x"],
                "metadata": {"order": "42"},
                "amount": 7,
                "live": true,
                "extra": 5
            })
        );
        assert_eq!(
            read("metadata=&live=maybe", schema, defs, &[]),
            json!({"metadata": "", "live": "maybe"}),
            "text that is not what the schema wants stays text, for validation to report"
        );
    }

    #[test]
    fn a_single_value_of_a_nullable_list_is_a_list_of_one() {
        let schema = json!({"type": "object", "properties": {
            "categories": {"anyOf": [
                {"type": "array", "items": {"type": "string", "enum": ["TWO_FACTOR", "MARKETING"]}},
                {"type": "null"}
            ]},
            "ids": {"anyOf": [{"type": "array", "items": {"type": "integer"}}, {"type": "null"}]}
        }});
        assert_eq!(
            read("categories=TWO_FACTOR&ids=7", schema, json!({}), &[]),
            json!({"categories": ["TWO_FACTOR"], "ids": [7]})
        );
    }

    #[test]
    fn spec_styles_read_back() {
        let defs = json!({});
        let schema = json!({"type": "object", "properties": {
            "tags": {"type": "array", "items": {"type": "integer"}},
            "color": {"type": "object", "properties": {"r": {"type": "integer"}}},
            "name": {"type": "string"}
        }});
        let enc = [
            Encoding::new("tags", Style::PipeDelimited, false),
            Encoding::new("color", Style::Form, true),
        ];
        assert_eq!(
            read("tags=1|2&r=5&name=n", schema.clone(), defs.clone(), &enc),
            json!({"tags": [1, 2], "name": "n", "color": {"r": 5}})
        );
        let enc = [Encoding::new("color", Style::Form, false)];
        assert_eq!(
            read("color=r,5&tags=3", schema, defs, &enc),
            json!({"color": {"r": 5}, "tags": [3]})
        );
    }
}
