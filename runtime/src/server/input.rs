//! What a handler receives: the [`Request`] (method, URI, headers, credentials) and the
//! validated [`Input`], read into the operation's types on demand.

use std::fmt;
use std::sync::OnceLock;

use bytes::Bytes;
use http::{HeaderMap, Method, Uri};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::auth::{self, Credentials, Principals};
use super::validate;
#[cfg(doc)]
use super::Config;
use super::{Error, Problem};
use crate::auth::{Credential, Scheme};

/// What an implementation learns about a request besides its typed inputs: method, URI,
/// headers and the credentials it carries for the spec's security schemes.
#[derive(Clone)]
pub struct Request {
    pub method: Method,
    pub uri: Uri,
    pub headers: HeaderMap,
    /// The API's security schemes: where its credentials are.
    pub(super) schemes: &'static [Scheme],
    /// The credentials, read from the headers and the URI when first asked for (those an
    /// authenticator checked went to it, and most implementations never ask).
    pub(super) credentials: OnceLock<Credentials>,
    pub(super) principals: Principals,
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("uri", &self.uri)
            .field("credentials", self.credentials())
            .field(
                "principals",
                &self.principals.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

impl Request {
    /// A request with these parts, for tests of an implementation.
    pub fn new(method: Method, uri: Uri, headers: HeaderMap) -> Request {
        Request {
            method,
            uri,
            headers,
            schemes: &[],
            credentials: OnceLock::new(),
            principals: Principals::new(),
        }
    }

    /// The same request as an authenticator of `scheme` identified it, for tests of an
    /// implementation.
    pub fn with_principal(
        mut self,
        scheme: &'static str,
        principal: impl std::any::Any + Send + Sync,
    ) -> Request {
        self.principals.retain(|(k, _)| *k != scheme);
        self.principals
            .push((scheme, std::sync::Arc::new(principal)));
        self
    }

    /// Who the request acts for, as the first authenticator that returned a `T` (see
    /// [`Config::authenticate`]).
    pub fn principal<T: std::any::Any + Send + Sync>(&self) -> Option<&T> {
        self.principals
            .iter()
            .find_map(|(_, p)| p.downcast_ref::<T>())
    }

    /// The same, from the authenticator of one scheme.
    pub fn principal_of<T: std::any::Any + Send + Sync>(&self, scheme: &str) -> Option<&T> {
        self.principals
            .iter()
            .filter(|(k, _)| *k == scheme)
            .find_map(|(_, p)| p.downcast_ref::<T>())
    }

    /// The same request carrying `credential` for the security scheme `scheme`.
    pub fn with_credential(mut self, scheme: &'static str, credential: Credential) -> Request {
        let mut credentials = self
            .credentials
            .take()
            .unwrap_or_else(|| auth::credentials_of(self.schemes, &self.headers, &self.uri));
        credentials.retain(|(k, _)| *k != scheme);
        credentials.push((scheme, credential));
        self.credentials = OnceLock::from(credentials);
        self
    }

    /// The credentials the request carries, read when first asked for.
    fn credentials(&self) -> &Credentials {
        self.credentials
            .get_or_init(|| auth::credentials_of(self.schemes, &self.headers, &self.uri))
    }

    /// The credential sent for the security scheme `scheme` (its key in
    /// `components/securitySchemes`), if any.
    pub fn credential(&self, scheme: &str) -> Option<&Credential> {
        self.credentials()
            .iter()
            .find(|(k, _)| *k == scheme)
            .map(|(_, c)| c)
    }

    /// The secret of the first credential sent (API key, bearer token, raw credentials or
    /// basic password), for implementations with a single security scheme.
    pub fn secret(&self) -> Option<&str> {
        self.credentials().first().map(|(_, c)| c.secret())
    }

    /// A header's value, when it is valid text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// The decoded parameters that are present, by Rust name.
pub(crate) type Params = Vec<(&'static str, Value)>;

/// A decoded request body.
#[derive(Debug, Clone)]
pub(crate) enum DecodedBody {
    /// JSON, form and multipart bodies, as validated JSON.
    Value(Value),
    /// A JSON body as sent, which the fast check found valid (read straight into the type).
    Json(Bytes),
    /// A JSON body as sent, not yet validated: checked as it is read into its type.
    Pending(Bytes, std::sync::Arc<validate::JsonCheck>),
    Text(String),
    Bytes(Bytes),
}

/// A request that passed validation, as a handler receives it: the context, the parameters
/// and the body, decoded on demand into the operation's types.
#[derive(Debug)]
pub struct Input {
    pub request: Request,
    pub(super) params: Params,
    /// The index of the body's media type among the operation's, and the body.
    pub(super) body: Option<(usize, DecodedBody)>,
}

impl Input {
    /// The parameters as the operation's parameter struct.
    pub fn params<T: DeserializeOwned>(&mut self) -> Result<T, Problem> {
        use serde::de::value::{BorrowedStrDeserializer, MapDeserializer};
        let params = std::mem::take(&mut self.params);
        let map = MapDeserializer::<_, serde_json::Error>::new(
            params
                .into_iter()
                .map(|(k, v)| (BorrowedStrDeserializer::new(k), v)),
        );
        T::deserialize(map).map_err(|e| Problem::new("parameters", "", e.to_string()))
    }

    /// The index (among the operation's media types) of the body's media type; `None`
    /// without a body.
    pub fn media(&self) -> Option<usize> {
        self.body.as_ref().map(|(i, _)| *i)
    }

    /// A JSON, form or multipart body as `T`; a `400` in the spec's error shape when the
    /// body is not one the spec allows (a JSON body is validated as it is read).
    pub fn body<T: DeserializeOwned>(&mut self) -> Result<T, Error> {
        let problem = |e: serde_json::Error| Problem::new("body", "", e.to_string()).into();
        match self.body.take() {
            Some((_, DecodedBody::Value(v))) => serde_json::from_value(v).map_err(problem),
            Some((_, DecodedBody::Json(b))) => serde_json::from_slice(&b).map_err(problem),
            Some((_, DecodedBody::Pending(b, check))) => check.read(&b),
            Some((_, DecodedBody::Text(t))) => {
                serde_json::from_value(Value::String(t)).map_err(problem)
            }
            Some((_, DecodedBody::Bytes(_))) => Err(Problem::new(
                "body",
                "",
                "a binary body where a structured one was expected".to_string(),
            )
            .into()),
            None => Err(required()),
        }
    }

    /// The body, validated if it was not yet.
    fn checked_body(&mut self) -> Result<Option<(usize, DecodedBody)>, Error> {
        match self.body.take() {
            Some((i, DecodedBody::Pending(b, check))) => {
                check.validate(&b)?;
                Ok(Some((i, DecodedBody::Json(b))))
            }
            body => Ok(body),
        }
    }

    /// A textual body.
    pub fn text(&mut self) -> Result<String, Error> {
        let utf8 = |b: Bytes| {
            String::from_utf8(b.to_vec())
                .map_err(|_| Problem::new("body", "", "the body is not UTF-8 text".to_string()))
        };
        Ok(match self.checked_body()? {
            Some((_, DecodedBody::Text(t))) => t,
            Some((_, DecodedBody::Value(v))) => v.to_string(),
            Some((
                _,
                DecodedBody::Bytes(b) | DecodedBody::Json(b) | DecodedBody::Pending(b, _),
            )) => utf8(b)?,
            None => return Err(required()),
        })
    }

    /// A binary body.
    pub fn bytes(&mut self) -> Result<Bytes, Error> {
        Ok(match self.checked_body()? {
            Some((
                _,
                DecodedBody::Bytes(b) | DecodedBody::Json(b) | DecodedBody::Pending(b, _),
            )) => b,
            Some((_, DecodedBody::Text(t))) => Bytes::from(t),
            Some((_, DecodedBody::Value(v))) => Bytes::from(v.to_string()),
            None => return Err(required()),
        })
    }
}

/// The refusal of a request without the body its operation requires.
fn required() -> Error {
    Problem::new("body", "", "the request body is required".to_string()).into()
}
