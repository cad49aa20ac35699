//! OpenAPI 3.2 → the 3.1 form `v31` then reads (3.2 is 3.1 with additions):
//!
//! | 3.2 | read as |
//! |---|---|
//! | `itemSchema` of a media type | its `schema` (a sequential type's items) |
//! | `query`, `additionalOperations` of a path item | operations of those methods, kept in `x-openapi-gen-methods` for `resolve` |
//! | `$self` | the document's own URI: references that start with it are local |
//! | tag `parent`, `kind` (navigation) | dropped |
//! | `in: querystring` as a form | a query parameter of its object type, `style: form, explode: true` |
//! | discriminator `defaultMapping` | kept in `x-openapi-gen-default-mapping`: the union's variant for a missing or unlisted tag |
//! | `in: querystring` in another media type | a query parameter by `content`, marked `x-openapi-gen-querystring`: the whole query |
//! | `prefixEncoding`/`itemEncoding` of a request body | `encoding` entries `0`, `1`... and `*`, read by position when the body is a multipart array |
//! | the OAuth2 device flow, `prefixEncoding`/`itemEncoding` elsewhere | warned by name and place, dropped |

use serde_json::{Map, Value};

use super::PointerMap;
use crate::diagnostics::Diagnostic;
use crate::pointer::join;

/// Where a path item's `query` and `additionalOperations` are kept, by method.
pub const METHODS_EXTENSION: &str = "x-openapi-gen-methods";

/// Before the 3.1 conversion: everything but the methods.
pub fn before(doc: &mut Value, map: &mut PointerMap, diags: &mut Vec<Diagnostic>) {
    let Some(root) = doc.as_object_mut() else {
        return;
    };
    if let Some(Value::Array(tags)) = root.get_mut("tags") {
        for tag in tags.iter_mut().filter_map(Value::as_object_mut) {
            tag.remove("parent");
            tag.remove("kind");
        }
    }
    walk(doc, "#", map, diags);
}

/// After the 3.1 conversion (which converted their schemas): `query` and
/// `additionalOperations` move into [`METHODS_EXTENSION`], by method.
pub fn after(doc: &mut Value, map: &mut PointerMap) {
    let Some(Value::Object(paths)) = doc.get_mut("paths") else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Value::Object(item) = item else { continue };
        let at = join("#/paths", path);
        let mut methods = Map::new();
        if let Some(op) = item.remove("query") {
            map.record(
                join(&join(&at, METHODS_EXTENSION), "QUERY"),
                join(&at, "query"),
            );
            methods.insert("QUERY".into(), op);
        }
        if let Some(Value::Object(more)) = item.remove("additionalOperations") {
            for (method, op) in more {
                let key = method.to_ascii_uppercase();
                map.record(
                    join(&join(&at, METHODS_EXTENSION), &key),
                    join(&join(&at, "additionalOperations"), &method),
                );
                methods.insert(key, op);
            }
        }
        if !methods.is_empty() {
            item.insert(METHODS_EXTENSION.into(), Value::Object(methods));
        }
    }
}

/// Before references are followed: a 3.2 document's `$self` is its own URI, so references
/// that start with it are local (`#/...`).
pub fn own_uri(doc: &mut Value) {
    let is_32 = doc
        .get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("3.2"));
    let own = match doc.as_object_mut() {
        Some(root) if is_32 => root.remove("$self"),
        _ => None,
    };
    if let Some(Value::String(own)) = own {
        localize(doc, own.split('#').next().unwrap_or(""));
    }
}

/// Marks the query parameter that stands for a non-form `in: querystring` one.
pub(crate) const QUERYSTRING: &str = "x-openapi-gen-querystring";

/// An `in: querystring` parameter: the whole query string as one value. As a form
/// (`application/x-www-form-urlencoded`) it is what OpenAPI 3.0 says of a query parameter of
/// an object type, `style: form, explode: true` (its properties spread as the query's pairs),
/// and is read so. In another media type it is a query parameter given by `content`, marked
/// [`QUERYSTRING`]: its value, in that media type and percent-encoded, is the query.
fn querystring(obj: &mut Map<String, Value>, at: &str, map: &mut PointerMap) {
    let form = obj
        .get("content")
        .and_then(Value::as_object)
        .and_then(|content| {
            let (media, m) = content.iter().next()?;
            (crate::ir::media_essence(media) == "application/x-www-form-urlencoded")
                .then(|| (media.clone(), m.get("schema").cloned()))
        });
    match form {
        Some((media, schema)) => {
            obj.remove("content");
            let schema = schema.unwrap_or_else(|| serde_json::json!({"type": "object"}));
            map.record(
                join(at, "schema"),
                join(&join(&join(at, "content"), &media), "schema"),
            );
            obj.insert("in".into(), Value::String("query".into()));
            obj.insert("schema".into(), schema);
            obj.insert("style".into(), Value::String("form".into()));
            obj.insert("explode".into(), Value::Bool(true));
        }
        None => {
            obj.insert("in".into(), Value::String("query".into()));
            obj.insert(QUERYSTRING.into(), Value::Bool(true));
        }
    }
}

/// A media type's `prefixEncoding` and `itemEncoding` (encoding by position): in a request
/// body, entries of its `encoding` named by position (`0`, `1`...) and `*` for the items after
/// them, which `resolve` reads when the body is a multipart array. Elsewhere, or beside an
/// `encoding`, warned and dropped.
fn positional_encoding(
    obj: &mut Map<String, Value>,
    at: &str,
    map: &mut PointerMap,
    diags: &mut Vec<Diagnostic>,
) {
    let prefix = obj.remove("prefixEncoding");
    let items = obj.remove("itemEncoding");
    if prefix.is_none() && items.is_none() {
        return;
    }
    let key = if prefix.is_some() {
        "prefixEncoding"
    } else {
        "itemEncoding"
    };
    let why = if !at.contains("/requestBody/content/") {
        Some("is generated for request bodies only (a multipart response is read by name)")
    } else if obj.contains_key("encoding") {
        Some("beside `encoding` is not generated: `encoding` applies")
    } else {
        None
    };
    if let Some(why) = why {
        diags.push(Diagnostic::warning(
            join(at, key),
            format!("`{key}` (OpenAPI 3.2) {why}"),
        ));
        return;
    }
    let mut encoding = Map::new();
    let here = join(at, "encoding");
    if let Some(Value::Array(entries)) = prefix {
        for (i, entry) in entries.into_iter().enumerate() {
            let i = i.to_string();
            map.record(join(&here, &i), join(&join(at, "prefixEncoding"), &i));
            encoding.insert(i, entry);
        }
    }
    if let Some(entry) = items {
        map.record(join(&here, "*"), join(at, "itemEncoding"));
        encoding.insert("*".into(), entry);
    }
    obj.insert("encoding".into(), Value::Object(encoding));
}

/// References that name the document by its `$self` URI name it as `#`.
fn localize(v: &mut Value, own: &str) {
    match v {
        Value::Object(obj) => {
            for (k, child) in obj.iter_mut() {
                match (k.as_str(), child) {
                    ("$ref", Value::String(r)) if !own.is_empty() && r.starts_with(own) => {
                        let rest = &r[own.len()..];
                        if rest.is_empty() || rest.starts_with('#') {
                            *r = format!("#{}", rest.trim_start_matches('#'));
                        }
                    }
                    (_, child) => localize(child, own),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|c| localize(c, own)),
        _ => {}
    }
}

/// Where a discriminator's `defaultMapping` is kept for the resolver: the Discriminator
/// Object of `openapiv3` has no field for it.
pub(crate) const DEFAULT_MAPPING: &str = "x-openapi-gen-default-mapping";

/// Media types' `itemSchema`, and what is not generated, anywhere in the document.
fn walk(v: &mut Value, at: &str, map: &mut PointerMap, diags: &mut Vec<Diagnostic>) {
    match v {
        Value::Object(obj) => {
            if let Some(item) = obj.remove("itemSchema") {
                if obj.contains_key("schema") {
                    diags.push(Diagnostic::warning(
                        join(at, "itemSchema"),
                        "`itemSchema` beside `schema` is not generated: the `schema` applies",
                    ));
                } else {
                    map.record(join(at, "schema"), join(at, "itemSchema"));
                    obj.insert("schema".into(), item);
                }
            }
            positional_encoding(obj, at, map, diags);
            if obj.get("in").and_then(Value::as_str) == Some("querystring") {
                querystring(obj, at, map);
            }
            if let Some(Value::Object(d)) = obj.get_mut("discriminator") {
                if let Some(target) = d.remove("defaultMapping") {
                    let here = join(at, "discriminator");
                    map.record(join(&here, DEFAULT_MAPPING), join(&here, "defaultMapping"));
                    d.insert(DEFAULT_MAPPING.into(), target);
                }
            }
            if let Some(Value::Object(flows)) = obj.get_mut("flows") {
                if flows.remove("deviceAuthorization").is_some() {
                    diags.push(Diagnostic::warning(
                        join(&join(at, "flows"), "deviceAuthorization"),
                        "the OAuth2 device authorization flow (OpenAPI 3.2) is not generated: its tokens are set as bearer credentials",
                    ));
                }
            }
            for (k, child) in obj.iter_mut() {
                if k.starts_with("x-") || k == "example" || k == "examples" {
                    continue;
                }
                walk(child, &join(at, k), map, diags);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                walk(child, &join(at, i.to_string()), map, diags);
            }
        }
        _ => {}
    }
}
