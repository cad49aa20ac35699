//! A response's body read into its type (`decode_*`), and the error of a documented error
//! status (`*_error`): what generated clients call for each documented response.

use bytes::Bytes;

use crate::{Error, RawResponse};

/// Decodes a JSON body as `T`, naming the operation on failure.
#[allow(clippy::result_large_err)]
pub fn decode_json<T: serde::de::DeserializeOwned, E>(
    operation: &'static str,
    raw: &RawResponse,
) -> Result<T, Error<E>> {
    // An empty body decodes as JSON `null` (so `Option<T>` and `()` accept it).
    let body: &[u8] = if raw.body.iter().all(u8::is_ascii_whitespace) {
        b"null"
    } else {
        &raw.body
    };
    serde_json::from_slice(body).map_err(|e| Error::Decode {
        operation,
        status: raw.status,
        content_type: raw.content_type().map(str::to_string),
        message: e.to_string(),
    })
}

/// Decodes a form-encoded body (`application/x-www-form-urlencoded`) as `T`, nested fields
/// in brackets.
#[allow(clippy::result_large_err)]
pub fn decode_form<T: serde::de::DeserializeOwned, E>(
    operation: &'static str,
    raw: &RawResponse,
) -> Result<T, Error<E>> {
    // Nested fields in brackets (`colors[accent]=`, `items[0][key]=`), as servers write
    // them; lists also as repeated keys.
    serde_qs::Config::new()
        .max_depth(32)
        .deserialize_bytes(&raw.body)
        .map_err(|e| decode_error(operation, raw, e))
}

/// Decodes a `multipart/*` body as `T`: each part is the field of its name. Text parts are
/// read as text, or as the JSON they hold where the field is not text (a number, a list, an
/// object); other parts as bytes.
#[allow(clippy::result_large_err)]
pub fn decode_multipart<T: serde::de::DeserializeOwned, E>(
    operation: &'static str,
    raw: &RawResponse,
) -> Result<T, Error<E>> {
    use futures::FutureExt as _;
    let boundary = raw
        .content_type()
        .and_then(|ct| multer::parse_boundary(ct).ok())
        .ok_or_else(|| {
            decode_error(operation, raw, "the multipart content type has no boundary")
        })?;
    let body = raw.body.clone();
    let parts = async move {
        let stream = futures::stream::once(async move { Ok::<Bytes, std::io::Error>(body) });
        let mut multipart = multer::Multipart::new(stream, boundary);
        let mut parts = Vec::new();
        while let Some(field) = multipart.next_field().await? {
            let name = field.name().unwrap_or_default().to_string();
            let json = field
                .content_type()
                .is_some_and(|m| m.subtype() == "json" || m.suffix().is_some_and(|s| s == "json"));
            let file = field.file_name().is_some();
            let data = field.bytes().await?;
            parts.push((name, json, file, data));
        }
        Ok::<_, multer::Error>(parts)
    }
    // The body is in memory: the parser never waits.
    .now_or_never()
    .unwrap_or_else(|| Ok(Vec::new()))
    .map_err(|e| decode_error(operation, raw, e))?;
    let object = |typed: bool| {
        let mut map = serde_json::Map::new();
        for (name, json, file, data) in &parts {
            let value = match std::str::from_utf8(data) {
                Ok(text) if !file => match serde_json::from_str::<serde_json::Value>(text) {
                    Ok(v) if *json || (typed && !v.is_string()) => v,
                    _ => serde_json::Value::String(text.to_string()),
                },
                // Bytes, which `Vec<u8>` reads from a list of numbers.
                _ => serde_json::Value::Array(data.iter().map(|b| (*b).into()).collect()),
            };
            map.insert(name.clone(), value);
        }
        serde_json::Value::Object(map)
    };
    // Text first (a string field whose text looks like a number stays a string); then with
    // the JSON the text parts hold.
    serde_json::from_value(object(false))
        .or_else(|_| serde_json::from_value(object(true)))
        .map_err(|e| decode_error(operation, raw, e))
}

fn decode_error<E>(
    operation: &'static str,
    raw: &RawResponse,
    message: impl std::fmt::Display,
) -> Error<E> {
    Error::Decode {
        operation,
        status: raw.status,
        content_type: raw.content_type().map(str::to_string),
        message: message.to_string(),
    }
}

/// The error of a documented error status with a JSON body: the body typed (`wrap`) when it
/// decodes, the raw body either way.
pub fn json_error<T: serde::de::DeserializeOwned, E>(
    operation: &'static str,
    raw: RawResponse,
    wrap: impl FnOnce(T) -> E,
) -> Error<E> {
    let body = decode_json::<T, ()>(operation, &raw).ok().map(wrap);
    Error::api(operation, raw, body)
}

/// The error of a documented error status with a text body.
pub fn text_error<E>(
    operation: &'static str,
    raw: RawResponse,
    wrap: impl FnOnce(String) -> E,
) -> Error<E> {
    let body = Some(wrap(decode_text(&raw)));
    Error::api(operation, raw, body)
}

/// The error of a documented error status with a binary body.
pub fn bytes_error<E>(
    operation: &'static str,
    raw: RawResponse,
    wrap: impl FnOnce(Bytes) -> E,
) -> Error<E> {
    let body = Some(wrap(raw.body.clone()));
    Error::api(operation, raw, body)
}

/// Decodes a text body (lossily: invalid UTF-8 becomes U+FFFD).
pub fn decode_text(raw: &RawResponse) -> String {
    String::from_utf8_lossy(&raw.body).into_owned()
}
