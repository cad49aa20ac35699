//! Credentials on the way out: which of an operation's security alternatives a client can
//! meet, the access tokens of client-credentials schemes (fetched, cached, forgotten on a
//! 401), and the headers, query pairs and cookies that carry them.

use std::collections::BTreeMap;
use std::time::Duration;

use http::{HeaderMap, HeaderName, HeaderValue};

use super::{classify, ClientCore, RequestSpec};
use crate::auth::{Credential, SchemeKind};
use crate::error::Error;

/// One alternative of an operation's security: its schemes, each with the scopes it needs.
pub(super) type Alternative = &'static [(&'static str, &'static [&'static str])];

impl ClientCore {
    /// The first alternative of `spec`'s security whose schemes all have credentials.
    pub(super) fn alternative(&self, spec: &RequestSpec) -> Option<Alternative> {
        spec.security
            .iter()
            .find(|alt| alt.iter().all(|(k, _)| self.credentials.contains_key(k)))
            .copied()
    }

    /// The cache key of a token: its scheme and scopes.
    pub(super) fn token_key(scheme: &str, scopes: &[&str]) -> String {
        format!("{scheme} {}", scopes.join(" "))
    }

    /// Access tokens for the client-credentials schemes of the chosen alternative, from the
    /// cache or the token endpoint, by scheme.
    pub(super) async fn access_tokens<E>(
        &self,
        spec: &RequestSpec,
        alternative: Option<Alternative>,
    ) -> Result<BTreeMap<&'static str, String>, Error<E>> {
        let mut out = BTreeMap::new();
        let Some(alternative) = alternative else {
            return Ok(out);
        };
        for (key, scopes) in alternative {
            let Some(Credential::ClientCredentials {
                client_id,
                client_secret,
                token_url,
            }) = self.credentials.get(key)
            else {
                continue;
            };
            let cache_key = Self::token_key(key, scopes);
            let now = std::time::Instant::now();
            let cached = self
                .tokens
                .lock()
                .ok()
                .and_then(|t| t.get(&cache_key).cloned())
                .filter(|(_, until)| until.is_none_or(|u| now < u));
            let token = match cached {
                Some((token, _)) => token,
                None => {
                    // Boxed: rare, and large (a request of its own), so that every call's
                    // future does not hold room for it.
                    let (token, lifetime) = Box::pin(self.fetch_token(
                        spec.operation,
                        token_url,
                        client_id,
                        client_secret,
                        scopes,
                    ))
                    .await?;
                    // Renewed a little before it expires: a token is never sent stale.
                    let until = lifetime.map(|l| {
                        now + l.saturating_sub(
                            (l / 10)
                                .max(Duration::from_secs(1))
                                .min(Duration::from_secs(60)),
                        )
                    });
                    if let Ok(mut t) = self.tokens.lock() {
                        t.insert(cache_key, (token.clone(), until));
                    }
                    token
                }
            };
            out.insert(*key, token);
        }
        Ok(out)
    }

    /// Asks `token_url` for an access token (client credentials grant, the client
    /// authenticated with HTTP basic): the token and how long it lives.
    pub(super) async fn fetch_token<E>(
        &self,
        operation: &'static str,
        token_url: &str,
        client_id: &str,
        client_secret: &str,
        scopes: &[&str],
    ) -> Result<(String, Option<Duration>), Error<E>> {
        let url = if token_url.starts_with('/') {
            format!("{}{token_url}", self.base_url)
        } else {
            token_url.to_string()
        };
        let mut form = vec![("grant_type", "client_credentials".to_string())];
        if !scopes.is_empty() {
            form.push(("scope", scopes.join(" ")));
        }
        let fail = |message: String| Error::InvalidRequest {
            operation,
            message: format!("no access token from {url}: {message}"),
        };
        let mut request = self
            .http
            .post(&url)
            .basic_auth(client_id, Some(client_secret))
            .header(http::header::ACCEPT, "application/json")
            .form(&form);
        if let Some(t) = self.timeout {
            request = request.timeout(t);
        }
        let response = request.send().await.map_err(|e| classify(operation, e))?;
        let status = response.status();
        let body = response.bytes().await.map_err(|e| classify(operation, e))?;
        if !status.is_success() {
            // The body of a token error names the error (`invalid_client`), never a secret
            // of ours.
            return Err(fail(format!(
                "{status}: {}",
                String::from_utf8_lossy(&body)
                    .chars()
                    .take(200)
                    .collect::<String>()
            )));
        }
        #[derive(serde::Deserialize)]
        struct Token {
            access_token: String,
            expires_in: Option<u64>,
        }
        let token: Token = serde_json::from_slice(&body)
            .map_err(|e| fail(format!("the answer is not a token: {e}")))?;
        Ok((
            token.access_token,
            token.expires_in.map(Duration::from_secs),
        ))
    }

    /// Drops the cached tokens `spec` was sent with; `false` when it used none.
    pub(super) fn forget_tokens(&self, spec: &RequestSpec) -> bool {
        let Some(alternative) = self.alternative(spec) else {
            return false;
        };
        let mut forgot = false;
        if let Ok(mut tokens) = self.tokens.lock() {
            for (key, scopes) in alternative {
                if matches!(
                    self.credentials.get(key),
                    Some(Credential::ClientCredentials { .. })
                ) {
                    forgot |= tokens.remove(&Self::token_key(key, scopes)).is_some();
                }
            }
        }
        forgot
    }

    /// Puts the credentials of `alternative` (with the access `tokens` of its
    /// client-credentials schemes) where their schemes say: a header, a query pair or a
    /// cookie. No alternative: the request goes as it is, and the server answers 401 as it
    /// documents.
    pub(super) fn authenticate<E>(
        &self,
        spec: &RequestSpec,
        alternative: Option<Alternative>,
        tokens: &BTreeMap<&'static str, String>,
        headers: &mut HeaderMap,
        query: &mut Vec<(String, String)>,
        cookies: &mut Vec<String>,
    ) -> Result<(), Error<E>> {
        let invalid = |message: &String| Error::InvalidRequest {
            operation: spec.operation,
            message: message.clone(),
        };
        for (key, _) in alternative.unwrap_or_default() {
            // A credential sent in a header: the header made when it was set.
            if let Some(header) = self.credential_headers.get(key) {
                let (name, value) = header.as_ref().map_err(invalid)?;
                headers.insert(name.clone(), value.clone());
                continue;
            }
            let (Some(scheme), Some(credential)) = (
                self.schemes.iter().find(|s| s.key == *key),
                self.credentials.get(key),
            ) else {
                continue;
            };
            let Some(secret) = secret(credential, tokens.get(key)) else {
                continue;
            };
            match (carrier(key, scheme.kind, &secret), scheme.kind) {
                (Some(header), _) => {
                    let (name, value) = header.map_err(|e| invalid(&e))?;
                    headers.insert(name, value);
                }
                (None, SchemeKind::ApiKeyQuery(name)) => query.push((name.to_string(), secret)),
                (None, SchemeKind::ApiKeyCookie(name)) => cookies.push(format!("{name}={secret}")),
                (None, _) => {}
            }
        }
        Ok(())
    }
}

/// What a credential sends: its key, token or password (`Basic`: encoded); a
/// client-credentials scheme sends its access `token`, when it has one.
fn secret(credential: &Credential, token: Option<&String>) -> Option<String> {
    match credential {
        Credential::ApiKey(s) | Credential::Bearer(s) | Credential::Raw(s) => Some(s.clone()),
        Credential::ClientCredentials { .. } => token.cloned(),
        Credential::Basic { username, password } => {
            use base64::Engine;
            Some(base64::engine::general_purpose::STANDARD.encode(format!("{username}:{password}")))
        }
    }
}

/// The header that carries `secret` for scheme `key` of this `kind` (`None`: a query or
/// cookie credential), or why it cannot be sent.
fn carrier(
    key: &str,
    kind: SchemeKind,
    secret: &str,
) -> Option<Result<(HeaderName, HeaderValue), String>> {
    let (name, text) = match kind {
        SchemeKind::ApiKeyHeader(name) => match HeaderName::from_bytes(name.as_bytes()) {
            Ok(name) => (name, secret.to_string()),
            Err(e) => return Some(Err(e.to_string())),
        },
        SchemeKind::ApiKeyQuery(_) | SchemeKind::ApiKeyCookie(_) => return None,
        SchemeKind::Bearer => (http::header::AUTHORIZATION, format!("Bearer {secret}")),
        SchemeKind::Basic => (http::header::AUTHORIZATION, format!("Basic {secret}")),
        SchemeKind::Http(scheme) => (http::header::AUTHORIZATION, format!("{scheme} {secret}")),
    };
    Some(match HeaderValue::from_str(&text) {
        Ok(mut value) => {
            value.set_sensitive(true);
            Ok((name, value))
        }
        Err(_) => Err(format!(
            "the credential for {key} is not a valid header value"
        )),
    })
}

/// The header that carries `credential` for scheme `key` of this `kind`, when one does
/// (`None`: a query or cookie credential, or client credentials, whose token comes later);
/// or why it cannot be sent.
pub(super) fn credential_header(
    key: &str,
    kind: SchemeKind,
    credential: &Credential,
) -> Option<Result<(HeaderName, HeaderValue), String>> {
    carrier(key, kind, &secret(credential, None)?)
}
