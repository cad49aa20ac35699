//! A response as received, before generated code decodes it.

use bytes::Bytes;
use http::{HeaderMap, StatusCode};

/// A response as received, for generated code to decode.
#[derive(Debug, Clone)]
pub struct RawResponse {
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
        let (actual, wanted) = (crate::media_essence(actual), crate::media_essence(media));
        if wanted == "*/*" || actual == wanted {
            return true;
        }
        let (a_main, a_sub) = actual.split_once('/').unwrap_or((&actual, ""));
        let (w_main, w_sub) = wanted.split_once('/').unwrap_or((&wanted, ""));
        (w_sub == "*" && a_main == w_main)
            || (a_main == w_main && (a_sub.ends_with("+json") && w_sub == "json"))
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
        };
        assert!(raw("application/json; charset=utf-8").is_media("application/json"));
        assert!(raw("application/problem+json").is_media("application/json"));
        assert!(raw("text/plain").is_media("text/*"));
        assert!(!raw("text/html").is_media("application/json"));
    }
}
