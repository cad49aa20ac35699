//! Refusals an implementation may answer with beyond the statuses its spec documents.

use std::fmt;

use http::StatusCode;

use super::Problem;

/// What an operation's implementation may return instead of one of its documented replies:
/// a refusal (`401`, `403`, `404`, `409`, `429`, `503`, or any 4xx/5xx) or an internal failure
/// (`500`). The router renders it in the spec's own error shape, like the refusals it makes
/// itself. A `500` logs its cause with `tracing` and never puts it in the body.
///
/// `?` works on any error type: it becomes a `500` whose cause is logged.
///
/// ```ignore
/// async fn get_pet(&self, _: Request, params: GetPetParams) -> server::Result<GetPetReply> {
///     let pet = self.db.find(params.id).await?; // a database error: 500
///     let pet = pet.ok_or_else(|| server::Error::not_found("no such pet"))?;
///     Ok(GetPetReply::Ok(pet))
/// }
/// ```
pub struct Error {
    status: StatusCode,
    code: &'static str,
    message: String,
    cause: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
    problems: Vec<Problem>,
    retry_after: Option<u64>,
}

/// What an implementation's method returns: a documented reply, or an [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A refusal with `status` (a 4xx or 5xx; anything else is answered as `500`) and a
    /// message for the client.
    pub fn new(status: u16, message: impl Into<String>) -> Error {
        let status = StatusCode::from_u16(status)
            .ok()
            .filter(|s| s.is_client_error() || s.is_server_error())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        Error {
            status,
            code: code_of(status),
            message: message.into(),
            cause: None,
            problems: Vec::new(),
            retry_after: None,
        }
    }

    /// `401 Unauthorized`: the credentials are missing or wrong. The reply carries a
    /// `WWW-Authenticate` challenge for the operation's security scheme.
    pub fn unauthorized(message: impl Into<String>) -> Error {
        Error::new(401, message)
    }

    /// `403 Forbidden`: the credentials are valid but do not allow this.
    pub fn forbidden(message: impl Into<String>) -> Error {
        Error::new(403, message)
    }

    /// `404 Not Found`.
    pub fn not_found(message: impl Into<String>) -> Error {
        Error::new(404, message)
    }

    /// `409 Conflict`.
    pub fn conflict(message: impl Into<String>) -> Error {
        Error::new(409, message)
    }

    /// `429 Too Many Requests`, optionally with the seconds to wait (`Retry-After`).
    pub fn too_many_requests(message: impl Into<String>, retry_after: Option<u64>) -> Error {
        let mut e = Error::new(429, message);
        e.retry_after = retry_after;
        e
    }

    /// `503 Service Unavailable`, optionally with the seconds to wait (`Retry-After`).
    pub fn unavailable(message: impl Into<String>, retry_after: Option<u64>) -> Error {
        let mut e = Error::new(503, message);
        e.retry_after = retry_after;
        e
    }

    /// `500 Internal Server Error` because of `cause`, which is logged and never sent.
    pub fn internal(cause: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>) -> Error {
        let mut e = Error::new(500, "internal error");
        e.cause = Some(cause.into());
        e
    }

    /// The status the reply will have.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The message the client will read (for a `500`, never its cause).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The cause of an internal error, as logged.
    pub fn cause(&self) -> Option<&(dyn std::error::Error + Send + Sync + 'static)> {
        self.cause.as_deref()
    }

    pub(crate) fn code(&self) -> &'static str {
        self.code
    }

    pub(crate) fn retry_after(&self) -> Option<u64> {
        self.retry_after
    }

    /// What the error body lists: the problems with the input, or the message.
    pub(crate) fn problems(&self) -> Vec<Problem> {
        if self.problems.is_empty() {
            vec![Problem::new("", "", self.message.clone())]
        } else {
            self.problems.clone()
        }
    }
}

/// The code a rendered error body carries for `status` (`$code` in the spec's error shape).
fn code_of(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "invalid_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        409 => "conflict",
        413 => "payload_too_large",
        415 => "unsupported_media_type",
        422 => "unprocessable_entity",
        429 => "too_many_requests",
        500 => "internal_error",
        501 => "not_implemented",
        502 => "bad_gateway",
        503 => "unavailable",
        504 => "gateway_timeout",
        s if s < 500 => "refused",
        _ => "server_error",
    }
}

impl Error {
    /// The problems with the request's input: `400`.
    pub(crate) fn invalid(problems: Vec<Problem>) -> Error {
        let message = problems.first().map(Problem::describe).unwrap_or_default();
        let mut e = Error::new(400, message);
        e.problems = problems;
        e
    }
}

/// A problem with the request's input: `400`.
impl From<Problem> for Error {
    fn from(problem: Problem) -> Error {
        let mut e = Error::new(400, problem.describe());
        e.problems = vec![problem];
        e
    }
}

/// Any other error: `500`, its cause logged.
impl<E: std::error::Error + Send + Sync + 'static> From<E> for Error {
    fn from(cause: E) -> Error {
        Error::internal(cause)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("status", &self.status.as_u16())
            .field("message", &self.message)
            .field("cause", &self.cause.as_ref().map(|c| c.to_string()))
            .finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.status.as_u16(), self.message)?;
        if let Some(cause) = &self.cause {
            write!(f, " ({cause})")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct DbDown;
    impl fmt::Display for DbDown {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("connection refused to db:5432")
        }
    }
    impl std::error::Error for DbDown {}

    fn query() -> std::result::Result<(), DbDown> {
        Err(DbDown)
    }

    fn method() -> Result<()> {
        query()?;
        Ok(())
    }

    #[test]
    fn question_mark_makes_an_internal_error_that_keeps_its_cause_to_itself() {
        let e = method().unwrap_err();
        assert_eq!(e.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(e.message(), "internal error");
        assert_eq!(
            e.cause().unwrap().to_string(),
            "connection refused to db:5432"
        );
        assert!(!e.problems()[0].message.contains("5432"));
    }

    #[test]
    fn refusals_have_their_status_and_code() {
        assert_eq!(Error::not_found("no pet").status(), StatusCode::NOT_FOUND);
        assert_eq!(Error::conflict("taken").code(), "conflict");
        assert_eq!(Error::new(200, "not an error").status(), 500);
        assert_eq!(Error::new(418, "teapot").code(), "refused");
        let e = Error::too_many_requests("slow down", Some(30));
        assert_eq!((e.status().as_u16(), e.retry_after()), (429, Some(30)));
        let p: Error = Problem::new("query", "limit", "is too large".into()).into();
        assert_eq!(p.status(), StatusCode::BAD_REQUEST);
        assert_eq!(p.problems()[0].field, "limit");
    }
}
