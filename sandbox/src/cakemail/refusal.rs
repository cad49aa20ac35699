//! Refusals: why a request cannot go on, in the spec's error shape, mapped onto each
//! operation's response enum.

use generated_client::cakemail_partner::types;

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

/// Why a request cannot go on, as the operation's response.
pub(super) enum Deny {
    Unauthorized(types::Error),
    Forbidden(types::Error),
    NotFound(types::Error),
    Internal(types::Error),
}

impl From<rusqlite::Error> for Deny {
    fn from(e: rusqlite::Error) -> Self {
        Deny::Internal(error("internal", e.to_string()))
    }
}

/// Maps a [`Deny`] onto an operation's response enum, which has a variant for each.
macro_rules! refuse {
    ($r:ident, $d:expr) => {
        match $d {
            Deny::Unauthorized(e) => $r::Unauthorized(e),
            Deny::Forbidden(e) => $r::Forbidden(e),
            Deny::NotFound(e) => $r::NotFound(e),
            Deny::Internal(e) => $r::BadRequest(e),
        }
    };
}

/// The same for the collection operations (list, create), which have no `404`.
macro_rules! refuse_collection {
    ($r:ident, $d:expr) => {
        match $d {
            Deny::Unauthorized(e) => $r::Unauthorized(e),
            Deny::Forbidden(e) => $r::Forbidden(e),
            Deny::NotFound(e) | Deny::Internal(e) => $r::BadRequest(e),
        }
    };
}

/// The same for the sub-account operations, which have no `403`.
macro_rules! refuse_no_forbidden {
    ($r:ident, $d:expr) => {
        match $d {
            Deny::Unauthorized(e) => $r::Unauthorized(e),
            Deny::NotFound(e) | Deny::Forbidden(e) => $r::NotFound(e),
            Deny::Internal(e) => $r::BadRequest(e),
        }
    };
}

/// The same for the sub-account collection (list, create): a partner acts there on its own
/// behalf, so only `401` and `400` are documented.
macro_rules! refuse_partner {
    ($r:ident, $d:expr) => {
        match $d {
            Deny::Unauthorized(e) => $r::Unauthorized(e),
            Deny::Forbidden(e) | Deny::NotFound(e) | Deny::Internal(e) => $r::BadRequest(e),
        }
    };
}

pub(super) use {refuse, refuse_collection, refuse_no_forbidden, refuse_partner};
