//! What a generated server's types refuse that its schemas allow. A generated server reads
//! a request's body into the operation's Rust types after the schema has passed it; the mock
//! has no types, so it asks the model the questions serde would: an integer must be one
//! (`5.0` is not an `i64`), and fit its format (`-9223372036854775809` is a number to JSON
//! Schema, and passes an `i64`'s bounds once read as a float, but is not an `i64`).

use serde_json::Value;

use crate::ir::*;

/// The dotted path of the first value in `v` that the generated type `t` cannot hold, and
/// why.
pub(super) fn refusal(api: &Api, t: &TypeRef, v: &Value) -> Option<(String, String)> {
    at(api, t, v, String::new(), 0)
}

fn at(api: &Api, t: &TypeRef, v: &Value, path: String, depth: usize) -> Option<(String, String)> {
    if depth > 64 || v.is_null() {
        return None;
    }
    match &t.shape {
        // (A value of another JSON type is the schema's to refuse.)
        Shape::Integer(format) if v.is_number() && !integer(*format, v) => {
            let bits = format!("{format:?}").to_ascii_lowercase();
            Some((path, format!("{v} is not an integer that fits {bits}")))
        }
        Shape::Array(item) => v.as_array().and_then(|items| {
            items
                .iter()
                .enumerate()
                .find_map(|(i, x)| at(api, item, x, join(&path, &i.to_string()), depth + 1))
        }),
        Shape::OrEmpty(_) if v.as_str() == Some("") => None,
        Shape::OrEmpty(inner) => at(api, inner, v, path, depth + 1),
        Shape::Map(value) => v.as_object().and_then(|map| {
            map.iter()
                .find_map(|(k, x)| at(api, value, x, join(&path, k), depth + 1))
        }),
        Shape::Named(id) => match &api.type_def(*id).kind {
            TypeKind::Alias(inner) => at(api, inner, v, path, depth + 1),
            TypeKind::Struct(s) => v.as_object().and_then(|map| {
                s.fields.iter().find_map(|f| {
                    let x = map.get(&f.name)?;
                    at(api, &f.ty, x, join(&path, &f.name), depth + 1)
                })
            }),
            // A union reads whichever variant fits; an enum keeps unknown values.
            TypeKind::Union(_) | TypeKind::Enum(_) => None,
        },
        _ => None,
    }
}

/// Whether `v` is an integer a Rust integer of `format` holds.
fn integer(format: IntFormat, v: &Value) -> bool {
    let (lo, hi) = format.range();
    let n = v
        .as_i64()
        .map(i128::from)
        .or_else(|| v.as_u64().map(i128::from));
    n.is_some_and(|n| (lo..=hi).contains(&n))
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}
