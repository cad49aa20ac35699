//! A response as received, before generated code decodes it.

use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use crate::Error;

/// A response as received, for generated code to decode.
#[derive(Debug, Clone)]
pub struct RawResponse {
    /// The operation that received it, named in its errors.
    pub operation: &'static str,
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl RawResponse {
    pub fn content_type(&self) -> Option<&str> {
        self.headers.get(http::header::CONTENT_TYPE)?.to_str().ok()
    }

    /// Does the response's media type match `media` (parameters ignored; `+json` suffixes
    /// match `application/json`; wildcards in `media` match)?
    pub fn is_media(&self, media: &str) -> bool {
        let Some(actual) = self.content_type() else {
            return false;
        };
        let (actual, wanted) = (
            crate::media::media_essence(actual),
            crate::media::media_essence(media),
        );
        if wanted == "*/*" || actual == wanted {
            return true;
        }
        let (a_main, a_sub) = actual.split_once('/').unwrap_or((&actual, ""));
        let (w_main, w_sub) = wanted.split_once('/').unwrap_or((&wanted, ""));
        (w_sub == "*" && a_main == w_main)
            || (a_main == w_main && (a_sub.ends_with("+json") && w_sub == "json"))
    }
}

/// Decoding, for generated `decode` functions: each documented status and media type is one
/// call.
#[allow(clippy::result_large_err)]
impl RawResponse {
    /// The body as JSON (an empty body reads as `null`).
    pub fn json<T: DeserializeOwned, E>(&self) -> Result<T, Error<E>> {
        crate::decode::decode_json(self.operation, self)
    }

    /// The body as a form (`application/x-www-form-urlencoded`), nested fields in brackets.
    pub fn form<T: DeserializeOwned, E>(&self) -> Result<T, Error<E>> {
        crate::decode::decode_form(self.operation, self)
    }

    /// The body as `multipart/*` parts, each the field of its name.
    pub fn multipart<T: DeserializeOwned, E>(&self) -> Result<T, Error<E>> {
        crate::decode::decode_multipart(self.operation, self)
    }

    /// The body as text (lossily: invalid UTF-8 becomes U+FFFD).
    pub fn text(&self) -> String {
        crate::decode::decode_text(self)
    }

    /// The error of a documented error status with a JSON body: the body typed (`wrap`)
    /// when it decodes, the raw body either way.
    pub fn json_error<T: DeserializeOwned, E>(self, wrap: impl FnOnce(T) -> E) -> Error<E> {
        crate::decode::json_error(self.operation, self, wrap)
    }

    /// The error of a documented error status with a text body.
    pub fn text_error<E>(self, wrap: impl FnOnce(String) -> E) -> Error<E> {
        crate::decode::text_error(self.operation, self, wrap)
    }

    /// The error of a documented error status with a binary body.
    pub fn bytes_error<E>(self, wrap: impl FnOnce(Bytes) -> E) -> Error<E> {
        crate::decode::bytes_error(self.operation, self, wrap)
    }

    /// The error of a status the operation does not document.
    pub fn undocumented<E>(self) -> Error<E> {
        Error::api(self.operation, self, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    #[test]
    fn media_matching() {
        let raw = |ct: &str| RawResponse {
            status: StatusCode::OK,
            headers: [(
                http::header::CONTENT_TYPE,
                HeaderValue::from_str(ct).unwrap(),
            )]
            .into_iter()
            .collect(),
            body: Bytes::new(),
            operation: "test",
        };
        assert!(raw("application/json; charset=utf-8").is_media("application/json"));
        assert!(raw("application/problem+json").is_media("application/json"));
        assert!(raw("text/plain").is_media("text/*"));
        assert!(!raw("text/html").is_media("application/json"));
    }
}
