//! Credentials and security schemes, shared by clients and servers.

use std::fmt;

/// A credential, as a security scheme of the spec takes it. `Debug` never shows the secret.
#[derive(Clone, PartialEq, Eq)]
pub enum Credential {
    /// An API key, placed where the scheme says (header, query or cookie).
    ApiKey(String),
    /// A bearer token (`http` bearer, OAuth2, OpenID Connect).
    Bearer(String),
    /// `http` basic.
    Basic { username: String, password: String },
    /// Another `http` scheme: the credentials after the scheme name.
    Raw(String),
    /// OAuth2 client credentials (RFC 6749 §4.4): the client obtains access tokens from
    /// `token_url` itself, caches them until shortly before they expire, and sends them as
    /// bearer tokens.
    ClientCredentials {
        client_id: String,
        client_secret: String,
        token_url: String,
    },
}

impl Credential {
    /// The secret it carries: the API key, bearer token, raw credentials, basic password or
    /// client secret.
    pub fn secret(&self) -> &str {
        match self {
            Credential::ApiKey(s) | Credential::Bearer(s) | Credential::Raw(s) => s,
            Credential::Basic { password, .. } => password,
            Credential::ClientCredentials { client_secret, .. } => client_secret,
        }
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credential::ApiKey(_) => f.write_str("ApiKey(***)"),
            Credential::Bearer(_) => f.write_str("Bearer(***)"),
            Credential::Basic { username, .. } => write!(f, "Basic({username}:***)"),
            Credential::Raw(_) => f.write_str("Raw(***)"),
            Credential::ClientCredentials {
                client_id,
                token_url,
                ..
            } => write!(f, "ClientCredentials({client_id}:*** at {token_url})"),
        }
    }
}

/// Whether a header carries a credential, so that its value is never printed:
/// `Authorization`, `Proxy-Authorization`, `Cookie`, `Set-Cookie`, the header of one of the
/// spec's API-key `schemes`, and headers whose names say they hold a secret (`X-Api-Key`,
/// `X-Auth-Token`, `X-Session-Id`...).
#[cfg(feature = "client")]
pub fn is_credential_header(name: &str, schemes: &[Scheme]) -> bool {
    let lower = name.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "authorization" | "proxy-authorization" | "cookie" | "set-cookie"
    ) || schemes
        .iter()
        .any(|s| matches!(s.kind, SchemeKind::ApiKeyHeader(h) if h.eq_ignore_ascii_case(name)))
        || [
            "api-key",
            "apikey",
            "api_key",
            "access-key",
            "token",
            "secret",
            "password",
            "signature",
            "session",
            "auth",
        ]
        .iter()
        .any(|w| lower.contains(w))
}

/// How a security scheme of the spec sends its credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scheme {
    /// The key in `components/securitySchemes`.
    pub key: &'static str,
    pub kind: SchemeKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemeKind {
    ApiKeyHeader(&'static str),
    ApiKeyQuery(&'static str),
    ApiKeyCookie(&'static str),
    /// `Authorization: Bearer ...`
    Bearer,
    /// `Authorization: Basic ...`
    Basic,
    /// `Authorization: <scheme> ...`
    Http(&'static str),
}
