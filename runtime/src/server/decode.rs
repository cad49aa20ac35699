//! Reading parameters and bodies off the wire into JSON values, per OpenAPI style, before
//! they are validated against the spec's schemas.

use std::borrow::Cow;

use percent_encoding::percent_decode_str;
use serde_json::{Map, Number, Value};

use super::{Kind, Location, ParamDef};
use crate::params::Style;

/// The text of a value of `kind` as JSON. Text that is not of the kind stays a string, so
/// that validation reports it ("\"abc\" is not of type integer").
pub(crate) fn scalar(text: &str, kind: Kind) -> Value {
    match kind {
        Kind::Integer => {
            if let Ok(i) = text.parse::<i64>() {
                return Value::from(i);
            }
            if let Ok(u) = text.parse::<u64>() {
                return Value::from(u);
            }
            // An integer beyond 64 bits: a number, so that validation says it is out of
            // range rather than not an integer.
            let digits = text.strip_prefix('-').unwrap_or(text);
            if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                if let Some(n) = text.parse::<f64>().ok().and_then(Number::from_f64) {
                    return Value::Number(n);
                }
            }
            Value::String(text.to_string())
        }
        Kind::Number => match text.parse::<f64>().ok().and_then(Number::from_f64) {
            Some(n) if !text.is_empty() => Value::Number(n),
            _ => Value::String(text.to_string()),
        },
        Kind::Boolean => match text {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::String(text.to_string()),
        },
        Kind::Any => serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_string())),
        Kind::String => Value::String(text.to_string()),
        // A structure where a scalar was given: validation says what is expected.
        Kind::Array(item) => Value::Array(vec![scalar(text, *item)]),
        Kind::Object(_) => Value::String(text.to_string()),
    }
}

fn split(text: &str, sep: char, item: Kind) -> Value {
    if text.is_empty() {
        return Value::Array(Vec::new());
    }
    Value::Array(text.split(sep).map(|t| scalar(t, item)).collect())
}

fn property_kind(props: &[(&str, Kind)], name: &str) -> Kind {
    props
        .iter()
        .find(|(n, _)| *n == name)
        .map_or(Kind::String, |(_, k)| *k)
}

/// `k1,v1,k2,v2` as an object.
fn pairs_object(text: &str, sep: char, props: &[(&str, Kind)]) -> Value {
    let parts: Vec<&str> = text.split(sep).collect();
    let mut map = Map::new();
    for pair in parts.chunks(2) {
        let value = pair.get(1).copied().unwrap_or("");
        map.insert(
            pair[0].to_string(),
            scalar(value, property_kind(props, pair[0])),
        );
    }
    Value::Object(map)
}

/// A value given as one piece of text (a path segment, a header, a cookie, a non-exploded
/// query parameter), split per style.
fn from_text(text: &str, kind: Kind, sep: char) -> Value {
    match kind {
        Kind::Array(item) => split(text, sep, *item),
        Kind::Object(props) => pairs_object(text, sep, props),
        other => scalar(text, other),
    }
}

/// Percent-decoded text, borrowed unless there was something to decode.
fn decode(s: &str) -> Cow<'_, str> {
    percent_decode_str(s).decode_utf8_lossy()
}

/// A `key=value` pair of an exploded object in a path, each part percent-decoded.
fn entry(props: &[(&str, Kind)], k: &str, v: &str) -> (String, Value) {
    (
        decode(k).into_owned(),
        scalar(&decode(v), property_kind(props, k)),
    )
}

/// A path parameter from its raw (still percent-encoded) capture.
pub(crate) fn path_param(param: &ParamDef, raw: &str) -> Value {
    match param.style {
        Style::Label => {
            let text = raw.strip_prefix('.').unwrap_or(raw);
            let sep = if param.explode { '.' } else { ',' };
            match param.kind {
                Kind::Object(props) if param.explode => Value::Object(
                    text.split('.')
                        .filter_map(|kv| kv.split_once('='))
                        .map(|(k, v)| entry(props, k, v))
                        .collect(),
                ),
                Kind::Array(item) => Value::Array(
                    text.split(sep)
                        .filter(|s| !s.is_empty())
                        .map(|s| scalar(&decode(s), *item))
                        .collect(),
                ),
                kind => from_text(&decode(text), kind, sep),
            }
        }
        Style::Matrix => {
            let prefix = format!(";{}=", param.name);
            match param.kind {
                Kind::Array(item) if param.explode => Value::Array(
                    raw.split(';')
                        .filter_map(|s| s.strip_prefix(&prefix[1..]))
                        .map(|s| scalar(&decode(s), *item))
                        .collect(),
                ),
                Kind::Object(props) if param.explode => Value::Object(
                    raw.split(';')
                        .filter_map(|kv| kv.split_once('='))
                        .map(|(k, v)| entry(props, k, v))
                        .collect(),
                ),
                kind => {
                    let text = raw.strip_prefix(prefix.as_str()).unwrap_or(raw);
                    match kind {
                        Kind::Array(item) => Value::Array(
                            text.split(',').map(|s| scalar(&decode(s), *item)).collect(),
                        ),
                        kind => from_text(&decode(text), kind, ','),
                    }
                }
            }
        }
        _ => match param.kind {
            Kind::Object(props) if param.explode => Value::Object(
                raw.split(',')
                    .filter_map(|kv| kv.split_once('='))
                    .map(|(k, v)| entry(props, k, v))
                    .collect(),
            ),
            Kind::Array(item) => {
                Value::Array(raw.split(',').map(|s| scalar(&decode(s), *item)).collect())
            }
            kind => from_text(&decode(raw), kind, ','),
        },
    }
}

/// A query parameter from the decoded query pairs; `None` when absent.
pub(crate) fn query_param(param: &ParamDef, pairs: &[(Cow<str>, Cow<str>)]) -> Option<Value> {
    let mut values = pairs
        .iter()
        .filter(|(k, _)| k == param.name)
        .map(|(_, v)| v.as_ref());
    match (param.kind, param.style) {
        (Kind::Object(props), Style::DeepObject) => {
            let prefix = format!("{}[", param.name);
            let mut map = Map::new();
            for (k, v) in pairs {
                if let Some(prop) = k.strip_prefix(&prefix).and_then(|r| r.strip_suffix(']')) {
                    map.insert(prop.to_string(), scalar(v, property_kind(props, prop)));
                }
            }
            (!map.is_empty()).then_some(Value::Object(map))
        }
        (Kind::Object(props), Style::Form) if param.explode => {
            let mut map = Map::new();
            for (k, v) in pairs {
                if let Some((_, kind)) = props.iter().find(|(n, _)| n == k) {
                    map.insert(k.to_string(), scalar(v, *kind));
                }
            }
            (!map.is_empty()).then_some(Value::Object(map))
        }
        (Kind::Array(item), style) => {
            let values: Vec<&str> = values.collect();
            if values.is_empty() {
                return None;
            }
            let sep = match style {
                Style::SpaceDelimited => Some(' '),
                Style::PipeDelimited => Some('|'),
                _ if !param.explode => Some(','),
                _ => None,
            };
            Some(match sep {
                Some(sep) if values.len() == 1 => split(values[0], sep, *item),
                _ => Value::Array(values.iter().map(|v| scalar(v, *item)).collect()),
            })
        }
        (kind, _) => {
            let first = values.next()?;
            match values.next() {
                None => Some(from_text(first, kind, ',')),
                // A scalar given several times: validation rejects the list.
                Some(second) => Some(Value::Array(
                    [first, second]
                        .into_iter()
                        .chain(values)
                        .map(|v| scalar(v, kind))
                        .collect(),
                )),
            }
        }
    }
}

/// The whole query string as one value (`in: querystring`): percent-decoded, then read as
/// its kind. `None` when there is no query.
pub(crate) fn query_string(param: &ParamDef, query: Option<&str>) -> Option<Value> {
    let query = query.filter(|q| !q.is_empty())?;
    Some(scalar(&decode(query), param.kind))
}

/// A header or cookie parameter from its text.
pub(crate) fn text_param(param: &ParamDef, text: &str) -> Value {
    from_text(text, param.kind, ',')
}

/// A request's query as name-value pairs, percent-decoded (borrowed from the URI unless
/// decoding changed them).
pub(crate) fn query_pairs(uri: &http::Uri) -> Vec<(Cow<'_, str>, Cow<'_, str>)> {
    uri.query()
        .map(|q| form_urlencoded::parse(q.as_bytes()).collect())
        .unwrap_or_default()
}

/// The cookies of every `Cookie` header of a request.
pub(crate) fn request_cookies(headers: &http::HeaderMap) -> Vec<(String, String)> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(cookies)
        .collect()
}

/// The cookies of a `Cookie` header.
pub(crate) fn cookies(header: &str) -> Vec<(String, String)> {
    header
        .split(';')
        .filter_map(|c| c.trim().split_once('='))
        .map(|(k, v)| {
            (
                k.trim().to_string(),
                percent_decode_str(v.trim())
                    .decode_utf8_lossy()
                    .into_owned(),
            )
        })
        .collect()
}

/// Where a parameter is, for messages.
pub(crate) fn location(param: &ParamDef) -> &'static str {
    match param.location {
        Location::Path => "path",
        Location::Query => "query",
        Location::QueryString => "querystring",
        Location::Header => "header",
        Location::Cookie => "cookie",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const INT: Kind = Kind::Integer;

    fn param(style: Style, explode: bool, kind: Kind) -> ParamDef {
        ParamDef {
            name: "p",
            rust_name: "p",
            location: Location::Query,
            required: false,
            style,
            explode,
            kind,
            default: None,
        }
    }

    fn pairs<'a>(list: &[(&'a str, &'a str)]) -> Vec<(Cow<'a, str>, Cow<'a, str>)> {
        list.iter()
            .map(|(k, v)| (Cow::Borrowed(*k), Cow::Borrowed(*v)))
            .collect()
    }

    #[test]
    fn scalars_become_their_kind_or_stay_text() {
        assert_eq!(scalar("42", Kind::Integer), json!(42));
        assert_eq!(scalar("4.5", Kind::Integer), json!("4.5"));
        assert_eq!(
            scalar("198201718305559904256", Kind::Integer),
            json!(1.982_017_183_055_599e20)
        );
        assert_eq!(scalar("4.5", Kind::Number), json!(4.5));
        assert_eq!(scalar("true", Kind::Boolean), json!(true));
        assert_eq!(scalar("yes", Kind::Boolean), json!("yes"));
        assert_eq!(scalar("007", Kind::String), json!("007"));
    }

    #[test]
    fn query_styles() {
        let arr = Kind::Array(&INT);
        let p = param(Style::Form, true, arr);
        assert_eq!(
            query_param(&p, &pairs(&[("p", "1"), ("p", "2")])),
            Some(json!([1, 2]))
        );
        let p = param(Style::Form, false, arr);
        assert_eq!(
            query_param(&p, &pairs(&[("p", "1,2")])),
            Some(json!([1, 2]))
        );
        let p = param(Style::PipeDelimited, false, arr);
        assert_eq!(
            query_param(&p, &pairs(&[("p", "1|2")])),
            Some(json!([1, 2]))
        );
        let p = param(Style::SpaceDelimited, false, arr);
        assert_eq!(
            query_param(&p, &pairs(&[("p", "1 2")])),
            Some(json!([1, 2]))
        );
        const PROPS: &[(&str, Kind)] = &[("a", Kind::Integer)];
        let p = param(Style::DeepObject, true, Kind::Object(PROPS));
        assert_eq!(
            query_param(&p, &pairs(&[("p[a]", "1"), ("p[b]", "x")])),
            Some(json!({"a": 1, "b": "x"}))
        );
        let p = param(Style::Form, true, Kind::Integer);
        assert_eq!(query_param(&p, &pairs(&[])), None);
        assert_eq!(
            query_param(&p, &pairs(&[("p", "1"), ("p", "2")])),
            Some(json!([1, 2])),
            "a repeated scalar is a list, which validation rejects"
        );
    }

    #[test]
    fn path_styles() {
        let arr = Kind::Array(&INT);
        let mut p = param(Style::Simple, false, arr);
        p.location = Location::Path;
        assert_eq!(path_param(&p, "1,2"), json!([1, 2]));
        p.style = Style::Label;
        assert_eq!(path_param(&p, ".1,2"), json!([1, 2]));
        p.style = Style::Matrix;
        assert_eq!(path_param(&p, ";p=1,2"), json!([1, 2]));
        p.explode = true;
        assert_eq!(path_param(&p, ";p=1;p=2"), json!([1, 2]));
        let s = param(Style::Simple, false, Kind::String);
        assert_eq!(path_param(&s, "a%20b"), json!("a b"));
    }
}
