use std::fmt;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};

/// Everything that can go wrong with one operation. `E` is the operation's documented error
/// bodies (an enum with a variant per documented error status), so an [`ApiError`] is typed
/// by what the spec says *for that status*, never guessed from the body's shape.
#[derive(Debug, thiserror::Error)]
pub enum Error<E> {
    /// The request could not be built (an invalid base URL or header value).
    #[error("{operation}: invalid request: {message}")]
    InvalidRequest {
        operation: &'static str,
        message: String,
    },
    /// Connecting, sending or receiving failed.
    #[error("{operation}: transport error: {source}")]
    Transport {
        operation: &'static str,
        #[source]
        source: reqwest::Error,
    },
    /// No complete response within the timeout.
    #[error("{operation}: timed out")]
    Timeout { operation: &'static str },
    /// A response arrived but its body is not what the spec documents.
    #[error("{operation}: cannot decode the {status} response ({}): {message}", content_type.as_deref().unwrap_or("no content type"))]
    Decode {
        operation: &'static str,
        status: StatusCode,
        content_type: Option<String>,
        message: String,
    },
    /// The server answered with an error status.
    #[error("{operation}: the server answered {}", .error.status)]
    Api {
        operation: &'static str,
        error: Box<ApiError<E>>,
    },
}

impl<E> Error<E> {
    /// What kind of error this is, in a word (`transport`, `timeout`, `decode`, `api`,
    /// `invalid_request`): the `error.type` of tracing spans.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::InvalidRequest { .. } => "invalid_request",
            Error::Transport { .. } => "transport",
            Error::Timeout { .. } => "timeout",
            Error::Decode { .. } => "decode",
            Error::Api { .. } => "api",
        }
    }

    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { error, .. } => Some(error.status),
            Error::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The API error, when the server answered with an error status.
    pub fn api_error(&self) -> Option<&ApiError<E>> {
        match self {
            Error::Api { error, .. } => Some(error),
            _ => None,
        }
    }

    /// Re-types an error that carries no API body (from the transport layer).
    pub fn cast<F>(self) -> Error<F> {
        match self {
            Error::InvalidRequest { operation, message } => {
                Error::InvalidRequest { operation, message }
            }
            Error::Transport { operation, source } => Error::Transport { operation, source },
            Error::Timeout { operation } => Error::Timeout { operation },
            Error::Decode {
                operation,
                status,
                content_type,
                message,
            } => Error::Decode {
                operation,
                status,
                content_type,
                message,
            },
            Error::Api { operation, error } => Error::Api {
                operation,
                error: Box::new(ApiError {
                    status: error.status,
                    body: None,
                    raw: error.raw,
                    headers: error.headers,
                }),
            },
        }
    }

    /// An error status, with its body typed as documented (`None` if undocumented or not
    /// decodable).
    pub fn api(operation: &'static str, raw: crate::raw::RawResponse, body: Option<E>) -> Self {
        Error::Api {
            operation,
            error: Box::new(ApiError {
                status: raw.status,
                body,
                raw: raw.body,
                headers: raw.headers,
            }),
        }
    }
}

/// An error status from the server.
pub struct ApiError<E> {
    pub status: StatusCode,
    /// The body, typed as the spec documents it for this status; `None` when the status is
    /// not documented or the body does not match its documented type (see `raw`).
    pub body: Option<E>,
    /// The body as received.
    pub raw: Bytes,
    pub headers: HeaderMap,
}

impl<E> ApiError<E> {
    /// The request id the server assigned, from the usual headers.
    pub fn request_id(&self) -> Option<&str> {
        [
            "x-request-id",
            "request-id",
            "x-amzn-requestid",
            "x-correlation-id",
        ]
        .iter()
        .find_map(|h| self.headers.get(*h)?.to_str().ok())
    }

    /// How long the server asked to wait before retrying (`Retry-After`).
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        crate::retry::retry_after(&self.headers)
    }

    /// The raw body as text (lossily).
    pub fn raw_text(&self) -> String {
        String::from_utf8_lossy(&self.raw).into_owned()
    }
}

impl<E: fmt::Debug> fmt::Debug for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.status)
            .field("body", &self.body)
            .field("raw", &String::from_utf8_lossy(&self.raw))
            .field("request_id", &self.request_id())
            .finish()
    }
}

/// The error body type of an operation that documents no error responses: never
/// constructed, so [`ApiError::body`] is always `None` and `raw` has the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Undocumented {}

/// A successful response with its metadata, from `send_with_response()`.
#[derive(Debug, Clone)]
pub struct Response<T, H = ()> {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// The headers the spec declares for the operation's successes, typed (`()` when it
    /// declares none); `None` when a required one is missing or one does not read as its
    /// schema says (`headers` has them as received).
    pub declared: Option<H>,
    /// The body as received.
    pub raw: Bytes,
    pub value: T,
}

/// Typed response headers, read from a response's `HeaderMap` (implemented by the generated
/// structs of declared headers).
pub trait FromHeaders: Sized {
    /// `None` when a required header is missing or a header does not read as its type.
    fn from_headers(headers: &HeaderMap) -> Option<Self>;
}

impl FromHeaders for () {
    fn from_headers(_: &HeaderMap) -> Option<()> {
        Some(())
    }
}

/// The header `name` read as `T`: as text (strings, enums, dates: an `ETag` keeps its
/// quotes), else as JSON (numbers, booleans). `None` when it is absent; `Some(Err(()))` when
/// it does not read as `T`.
pub fn header_value<T: serde::de::DeserializeOwned>(
    headers: &HeaderMap,
    name: &str,
) -> Option<Result<T, ()>> {
    let text = headers.get(name)?.to_str().map_err(|_| ());
    Some(text.and_then(|text| {
        serde_json::from_value::<T>(serde_json::Value::String(text.to_string()))
            .or_else(|_| serde_json::from_str::<T>(text.trim()))
            .map_err(|_| ())
    }))
}

impl<T, H> Response<T, H> {
    pub fn into_inner(self) -> T {
        self.value
    }
}
