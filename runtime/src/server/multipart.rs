//! Multipart request bodies, read into the JSON value their schema then validates: by name
//! (`multipart/form-data`, each part a property) or by position (`multipart/mixed` of an
//! array, each part an item). A part's media type and required headers are checked against
//! its `encoding` entry on the way.

use bytes::Bytes;
use serde_json::Value;

use super::coerce;
use super::problem::Problem;
use super::BodyDef;
use crate::form::{self, Raw};
use crate::media::media_essence;

/// One part as read: its headers' media type, whether it is a file, and its bytes.
struct Part {
    name: Option<String>,
    media: Option<String>,
    is_file: bool,
    headers: http::HeaderMap,
    data: Bytes,
}

/// Every part of a multipart body, in order.
async fn parts(content_type: Option<&str>, bytes: Bytes) -> Result<Vec<Part>, Problem> {
    let boundary = content_type.and_then(boundary).ok_or_else(|| {
        Problem::new(
            "body",
            "",
            "the multipart content type has no boundary".to_string(),
        )
    })?;
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(bytes) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut out = Vec::new();
    loop {
        let field = multipart.next_field().await.map_err(|e| {
            Problem::new("body", "", format!("the multipart body is malformed: {e}"))
        })?;
        let Some(field) = field else { break };
        let name = field.name().map(str::to_string);
        let at = name.clone().unwrap_or_else(|| out.len().to_string());
        let media = field.content_type().map(|m| m.essence_str().to_string());
        let is_file = field.file_name().is_some();
        let headers = field.headers().clone();
        let data = field
            .bytes()
            .await
            .map_err(|e| Problem::new("body", &at, format!("the part cannot be read: {e}")))?;
        out.push(Part {
            name,
            media,
            is_file,
            headers,
            data,
        });
    }
    Ok(out)
}

/// The `boundary` parameter of a multipart content type, of any subtype (multer's own
/// parser takes `multipart/form-data` only).
fn boundary(content_type: &str) -> Option<String> {
    content_type
        .split(';')
        .skip(1)
        .filter_map(|param| param.split_once('='))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("boundary"))
        .map(|(_, value)| value.trim().trim_matches('"').to_string())
        .filter(|b| !b.is_empty())
}

/// A part's value before the schema reads it: JSON when its media type is JSON, text when
/// it is text (or has no media type: RFC 7578's default), bytes for files and parts of other
/// media types (`image/png`, `application/octet-stream`), even when they happen to be UTF-8.
fn raw(part: Part) -> Raw {
    let media = part.media.as_deref();
    let is_json = media.is_some_and(|m| m.ends_with("/json") || m.ends_with("+json"));
    let is_text = media.is_none_or(|m| {
        m.starts_with("text/")
            || m.ends_with("/xml")
            || m.ends_with("+xml")
            || m == "application/x-www-form-urlencoded"
    });
    match std::str::from_utf8(&part.data) {
        Ok(text) if is_json => serde_json::from_str(text)
            .map(Raw::Json)
            .unwrap_or_else(|_| Raw::Text(text.to_string())),
        Ok(text) if is_text && !part.is_file => Raw::Text(text.to_string()),
        // Files (and binary parts) as bytes, which `Vec<u8>` and `Bytes` fields read.
        _ => Raw::Bytes(part.data),
    }
}

/// A `multipart/form-data` body: each part is the property it names.
pub(super) async fn named(
    def: &BodyDef,
    (schema, defs): (&Value, &Value),
    content_type: Option<&str>,
    bytes: Bytes,
) -> Result<Value, Problem> {
    let mut fields = Vec::new();
    for part in parts(content_type, bytes).await? {
        let name = part.name.clone().unwrap_or_default();
        if let Some(enc) = form::find(def.encoding, form::split_key(&name).0) {
            check_part(enc, &name, part.media.as_deref(), &part.headers)?;
        }
        fields.push((name, raw(part)));
    }
    let fields = form::tree(fields, def.encoding, false);
    Ok(coerce::body(fields, schema, defs, def.encoding))
}

/// A multipart body written by position: each part is the next item of the array.
pub(super) async fn positional(
    def: &BodyDef,
    (schema, defs): (&Value, &Value),
    content_type: Option<&str>,
    bytes: Bytes,
) -> Result<Value, Problem> {
    let mut items = Vec::new();
    for (i, part) in parts(content_type, bytes).await?.into_iter().enumerate() {
        if let Some(enc) = form::by_position(def.encoding, i) {
            check_part(enc, &i.to_string(), part.media.as_deref(), &part.headers)?;
        }
        items.push(raw(part));
    }
    Ok(coerce::coerce(Raw::List(items), schema, defs))
}

/// A part's media type is one the spec's encoding lists, and it has the headers the spec
/// requires.
fn check_part(
    enc: &form::Encoding,
    name: &str,
    media: Option<&str>,
    headers: &http::HeaderMap,
) -> Result<(), Problem> {
    if let (Some(listed), Some(media)) = (enc.content_type, media) {
        let media = media_essence(media);
        if !listed.split(',').any(|range| in_range(&media, range)) {
            return Err(Problem::new(
                "body",
                name,
                format!("the part is {media}; the spec accepts {listed}"),
            ));
        }
    }
    for h in enc.headers.iter().filter(|h| h.required) {
        if !headers.contains_key(h.name) {
            return Err(Problem::new(
                "body",
                name,
                format!(
                    "the part has no `{}` header, which the spec requires",
                    h.name
                ),
            ));
        }
    }
    Ok(())
}

/// Is `essence` (see [`crate::media::media_essence`]) within `range` (`image/png`, `image/*`, `*/*`)?
pub(super) fn in_range(essence: &str, range: &str) -> bool {
    let range = media_essence(range);
    let main = essence.split_once('/').map_or(essence, |(m, _)| m);
    range == essence || range == "*/*" || range == format!("{main}/*")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_boundary_is_read_from_any_multipart_type() {
        assert_eq!(
            boundary("multipart/mixed; boundary=b1").as_deref(),
            Some("b1")
        );
        assert_eq!(
            boundary("multipart/related;type=\"image/png\"; Boundary=\"a b\"").as_deref(),
            Some("a b")
        );
        assert_eq!(boundary("multipart/mixed"), None);
        assert_eq!(boundary("multipart/mixed; boundary="), None);
    }
}
