//! Refusals: why a request cannot go on, in the spec's error shape, mapped onto each
//! operation's reply enum; a database failure is a `500` the router renders, never a
//! documented status.

use generated_client::cakemail_partner::{server, types};

pub(super) fn error(code: &str, message: impl Into<String>) -> types::Error {
    types::Error {
        error: code.to_string(),
        message: message.into(),
        details: None,
    }
}

pub(super) fn field_error(field: &str, message: &str) -> types::Error {
    types::Error {
        error: "validation_error".to_string(),
        message: format!("body field `{field}`: {message}"),
        details: Some(vec![types::ErrorDetail {
            field: field.to_string(),
            message: message.to_string(),
        }]),
    }
}

/// Why a request cannot go on.
pub(super) enum Deny {
    Unauthorized(types::Error),
    Forbidden(types::Error),
    NotFound(types::Error),
    /// The database failed: not the client's fault, so none of the documented refusals but
    /// a `500` (its cause logged by the router, never sent).
    Internal(server::Error),
}

impl From<rusqlite::Error> for Deny {
    fn from(e: rusqlite::Error) -> Self {
        Deny::Internal(server::Error::internal(e))
    }
}

/// Maps a [`Deny`] onto an operation's reply enum, which has a variant for each refusal.
macro_rules! refuse {
    ($r:ident, $d:expr) => {
        match $d {
            Deny::Unauthorized(e) => Ok($r::Unauthorized(e)),
            Deny::Forbidden(e) => Ok($r::Forbidden(e)),
            Deny::NotFound(e) => Ok($r::NotFound(e)),
            Deny::Internal(e) => Err(e),
        }
    };
}

/// The same for the collection operations (list, create), which have no `404`.
macro_rules! refuse_collection {
    ($r:ident, $d:expr) => {
        match $d {
            Deny::Unauthorized(e) => Ok($r::Unauthorized(e)),
            Deny::Forbidden(e) => Ok($r::Forbidden(e)),
            Deny::NotFound(e) => Ok($r::BadRequest(e)),
            Deny::Internal(e) => Err(e),
        }
    };
}

/// The same for the sub-account operations, which have no `403`.
macro_rules! refuse_no_forbidden {
    ($r:ident, $d:expr) => {
        match $d {
            Deny::Unauthorized(e) => Ok($r::Unauthorized(e)),
            Deny::NotFound(e) | Deny::Forbidden(e) => Ok($r::NotFound(e)),
            Deny::Internal(e) => Err(e),
        }
    };
}

/// The same for the sub-account collection (list, create): a partner acts there on its own
/// behalf, so only `401` and `400` are documented.
macro_rules! refuse_partner {
    ($r:ident, $d:expr) => {
        match $d {
            Deny::Unauthorized(e) => Ok($r::Unauthorized(e)),
            Deny::Forbidden(e) | Deny::NotFound(e) => Ok($r::BadRequest(e)),
            Deny::Internal(e) => Err(e),
        }
    };
}

pub(super) use {refuse, refuse_collection, refuse_no_forbidden, refuse_partner};
