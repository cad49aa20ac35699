//! A request body read off the wire, per its media kind: JSON as a `Value`, form and
//! multipart fields into a `Value` shaped by the body's schema, text, or bytes.

use bytes::Bytes;
use serde_json::Value;

use super::problem::Problem;
use super::{coerce, multipart, BodyDef, DecodedBody, MediaKind};
use crate::form;

/// The body of `def`'s media type, read from `bytes` (a form or multipart body into a
/// `Value` shaped by `schema`, as its fields read).
pub(super) async fn read(
    def: &BodyDef,
    (schema, defs): (&Value, &Value),
    content_type: Option<&str>,
    bytes: Bytes,
) -> Result<DecodedBody, Problem> {
    match def.kind {
        MediaKind::Json => json_value(&bytes).map(DecodedBody::Value),
        MediaKind::Form => {
            let fields = form::tree(form::parse(&bytes), def.encoding, true);
            Ok(DecodedBody::Value(coerce::body(
                fields,
                schema,
                defs,
                def.encoding,
            )))
        }
        MediaKind::Multipart => multipart::named(def, (schema, defs), content_type, bytes)
            .await
            .map(DecodedBody::Value),
        MediaKind::Parts => multipart::positional(def, (schema, defs), content_type, bytes)
            .await
            .map(DecodedBody::Value),
        MediaKind::Text => String::from_utf8(bytes.to_vec())
            .map(DecodedBody::Text)
            .map_err(|_| Problem::new("body", "", "the body is not UTF-8 text".to_string())),
        MediaKind::Binary => Ok(DecodedBody::Bytes(bytes)),
    }
}

/// A JSON body as a `Value`.
pub(crate) fn json_value(bytes: &[u8]) -> Result<Value, Problem> {
    let text: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
        b"null"
    } else {
        bytes
    };
    serde_json::from_slice(text)
        .map_err(|e| Problem::new("body", "", format!("the body is not valid JSON: {e}")))
}
