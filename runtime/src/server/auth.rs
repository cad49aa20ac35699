//! Authentication before the implementation: an authenticator per security scheme (or one
//! for all) decides whether a credential is valid and who it identifies.

use std::any::Any;
use std::borrow::Cow;
use std::future::Future;
use std::sync::Arc;

use http::{header, HeaderMap, Uri};

use super::{decode, Error};
use crate::auth::{Credential, Scheme, SchemeKind};

/// Who a request acts for, as an authenticator identified it: any type of the user's
/// (read back with [`Request::principal`](super::Request::principal)).
pub type Principal = Arc<dyn Any + Send + Sync>;

/// The future an authenticator returns.
pub type AuthFuture = crate::boxed::BoxFuture<Result<Principal, Error>>;

/// Decides whether a credential is valid, before any implementation runs: called with the
/// security scheme's key (its name in `components/securitySchemes`) and the credential the
/// request carries for it. `Ok` names who the request acts for; `Err` refuses it
/// ([`Error::unauthorized`] for a wrong credential, [`Error::forbidden`] for a valid one that
/// may not do this, [`Error::internal`] when checking failed).
pub trait Authenticator: Send + Sync + 'static {
    fn authenticate(&self, scheme: &'static str, credential: Credential) -> AuthFuture;
}

/// Any async function of the scheme and the credential that returns a principal of any type.
impl<F, Fut, P> Authenticator for F
where
    F: Fn(&'static str, Credential) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<P, Error>> + Send + 'static,
    P: Any + Send + Sync,
{
    fn authenticate(&self, scheme: &'static str, credential: Credential) -> AuthFuture {
        let fut = self(scheme, credential);
        Box::pin(async move { fut.await.map(|p| Arc::new(p) as Principal) })
    }
}

/// A check that answers at once, as [`Config::authenticate_sync`](super::Config) takes it.
pub(crate) type CheckNow =
    dyn Fn(&'static str, &Credential) -> Result<Principal, Error> + Send + Sync;

/// How a scheme's credentials are checked.
#[derive(Clone)]
pub(crate) enum Check {
    /// By an authenticator's future, which owns the credential.
    Later(Arc<dyn Authenticator>),
    /// At once, on the credential borrowed: nothing boxed or copied.
    Now(Arc<CheckNow>),
}

impl Check {
    /// A check of `f`, which answers at once with any type of principal.
    pub(crate) fn now<F, P>(f: F) -> Check
    where
        F: Fn(&'static str, &Credential) -> Result<P, Error> + Send + Sync + 'static,
        P: Any + Send + Sync,
    {
        Check::Now(Arc::new(move |scheme, credential| {
            f(scheme, credential).map(|p| Arc::new(p) as Principal)
        }))
    }
}

/// The authenticators of a router: per scheme, then one for every other scheme.
#[derive(Clone, Default)]
pub(crate) struct Authenticators {
    by_scheme: Vec<(String, Check)>,
    any: Option<Check>,
}

impl Authenticators {
    pub(crate) fn set(&mut self, scheme: Option<String>, authenticator: Check) {
        match scheme {
            Some(scheme) => {
                self.by_scheme.retain(|(s, _)| *s != scheme);
                self.by_scheme.push((scheme, authenticator));
            }
            None => self.any = Some(authenticator),
        }
    }

    /// The authenticator of `scheme`; `None`: a credential's presence is enough.
    pub(crate) fn of(&self, scheme: &str) -> Option<&Check> {
        self.by_scheme
            .iter()
            .find(|(s, _)| s == scheme)
            .map(|(_, a)| a)
            .or(self.any.as_ref())
    }

    pub(crate) fn schemes(&self) -> Vec<&str> {
        let mut out: Vec<&str> = self.by_scheme.iter().map(|(s, _)| s.as_str()).collect();
        if self.any.is_some() {
            out.push("*");
        }
        out
    }
}

/// What authentication decided for a request.
pub(crate) enum Outcome {
    /// An alternative of the operation's security passed: the principals of its schemes.
    Passed(Principals),
    /// No alternative has all its credentials.
    Missing,
    /// Every alternative with its credentials was refused: the first refusal.
    Refused(Error),
}

/// Who a request acts for, by scheme (mostly one).
pub(crate) type Principals = smallvec::SmallVec<[(&'static str, Principal); 1]>;

/// The credentials a request carries, by scheme (a `Vec`: inline, a credential would make
/// every request's future larger).
pub(crate) type Credentials = Vec<(&'static str, Credential)>;

/// How an operation's security is checked, as far as it is known before anything is awaited.
pub(crate) enum Begin {
    /// Already decided.
    Decided(Outcome),
    /// The one scheme of the one alternative: its authenticator's answer decides (most
    /// secured operations; nothing more is boxed for them).
    One(&'static str, AuthFuture),
    /// Several alternatives or schemes: [`authenticate`] decides, with every credential
    /// the request carries.
    Many(Credentials),
}

/// What `security` asks of the request (the API's `schemes`, read from the request's
/// `headers`, `query` and `cookies`), as far as it is known at once. The one credential of
/// an operation with one scheme is read alone and handed to its authenticator as it is.
pub(crate) fn begin(
    authenticators: &Authenticators,
    security: &[&[&'static str]],
    schemes: &'static [Scheme],
    sent: &Sent<'_>,
) -> Begin {
    let [[scheme]] = security else {
        return if security.is_empty() {
            Begin::Decided(Outcome::Passed(Principals::new()))
        } else {
            Begin::Many(credentials(schemes, sent))
        };
    };
    let credential = schemes
        .iter()
        .find(|s| s.key == *scheme)
        .and_then(|s| credential(s, sent));
    let Some(credential) = credential else {
        return Begin::Decided(Outcome::Missing);
    };
    match authenticators.of(scheme) {
        Some(Check::Later(authenticator)) => {
            Begin::One(scheme, authenticator.authenticate(scheme, credential))
        }
        Some(Check::Now(check)) => Begin::Decided(match check(scheme, &credential) {
            Ok(principal) => Outcome::Passed(smallvec::smallvec![(*scheme, principal)]),
            Err(error) => Outcome::Refused(error),
        }),
        None => Begin::Decided(Outcome::Passed(Principals::new())),
    }
}

/// Where a request's credentials are: its headers, its query's pairs (decoded) and its
/// cookies.
pub(crate) struct Sent<'a> {
    pub(crate) headers: &'a HeaderMap,
    pub(crate) query: &'a [(Cow<'a, str>, Cow<'a, str>)],
    pub(crate) cookies: &'a [(String, String)],
}

/// Every credential the request carries, for each of the API's `schemes` it carries one for.
pub(crate) fn credentials(schemes: &'static [Scheme], sent: &Sent<'_>) -> Credentials {
    schemes
        .iter()
        .filter_map(|s| Some((s.key, credential(s, sent)?)))
        .collect()
}

/// The same, read from a request's headers and URI.
pub(crate) fn credentials_of(
    schemes: &'static [Scheme],
    headers: &HeaderMap,
    uri: &Uri,
) -> Credentials {
    if schemes.is_empty() {
        return Credentials::new();
    }
    let query = decode::query_pairs(uri);
    let cookies = if schemes
        .iter()
        .any(|s| matches!(s.kind, SchemeKind::ApiKeyCookie(_)))
    {
        decode::request_cookies(headers)
    } else {
        Vec::new()
    };
    let sent = Sent {
        headers,
        query: &query,
        cookies: &cookies,
    };
    credentials(schemes, &sent)
}

/// The credential the request carries for `scheme`, if any: an API key where the scheme
/// says, or the value of `Authorization: <scheme> <value>` (Basic's decoded).
pub(crate) fn credential(scheme: &Scheme, sent: &Sent<'_>) -> Option<Credential> {
    // A header value is visible ASCII: ASCII white space is all there is to trim.
    let authorization = |wanted: &str| {
        let a = sent.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
        let a = a.trim_ascii();
        let space = a.bytes().position(|b| b == b' ')?;
        let value = a[space + 1..].trim_ascii_start();
        (a[..space].eq_ignore_ascii_case(wanted) && !value.is_empty()).then(|| value.to_string())
    };
    match scheme.kind {
        SchemeKind::ApiKeyHeader(name) => sent
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .filter(|v| !v.is_empty())
            .map(|v| Credential::ApiKey(v.to_string())),
        SchemeKind::ApiKeyQuery(name) => sent
            .query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| Credential::ApiKey(v.to_string())),
        SchemeKind::ApiKeyCookie(name) => sent
            .cookies
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| Credential::ApiKey(v.clone())),
        SchemeKind::Bearer => authorization("bearer").map(Credential::Bearer),
        SchemeKind::Http(name) => authorization(name).map(Credential::Raw),
        SchemeKind::Basic => authorization("basic").and_then(|encoded| {
            use base64::Engine as _;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(encoded)
                .ok()?;
            let text = String::from_utf8(bytes).ok()?;
            let (username, password) = text.split_once(':')?;
            Some(Credential::Basic {
                username: username.to_string(),
                password: password.to_string(),
            })
        }),
    }
}

/// Runs the operation's `security` (alternatives, any one of which must pass; each needs
/// every one of its schemes) against the request's credentials.
pub(crate) async fn authenticate(
    authenticators: &Authenticators,
    security: &[&[&'static str]],
    credentials: &[(&'static str, Credential)],
) -> Outcome {
    if security.is_empty() {
        return Outcome::Passed(Principals::new());
    }
    let credential = |scheme: &str| {
        credentials
            .iter()
            .find(|(c, _)| *c == scheme)
            .map(|(_, credential)| credential)
    };
    let mut refusal = None;
    'alternatives: for requirement in security {
        if !requirement.iter().all(|k| credential(k).is_some()) {
            continue;
        }
        let mut principals = Principals::new();
        for scheme in requirement.iter().copied() {
            let (Some(authenticator), Some(credential)) =
                (authenticators.of(scheme), credential(scheme))
            else {
                continue;
            };
            let answer = match authenticator {
                Check::Later(authenticator) => {
                    authenticator.authenticate(scheme, credential.clone()).await
                }
                Check::Now(check) => check(scheme, credential),
            };
            match answer {
                Ok(p) => principals.push((scheme, p)),
                Err(e) => {
                    refusal.get_or_insert(e);
                    continue 'alternatives;
                }
            }
        }
        return Outcome::Passed(principals);
    }
    match refusal {
        Some(e) => Outcome::Refused(e),
        None => Outcome::Missing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::Request;

    static SCHEMES: [Scheme; 5] = [
        Scheme {
            key: "token",
            kind: SchemeKind::Bearer,
        },
        Scheme {
            key: "login",
            kind: SchemeKind::Basic,
        },
        Scheme {
            key: "key",
            kind: SchemeKind::ApiKeyQuery("api_key"),
        },
        Scheme {
            key: "session",
            kind: SchemeKind::ApiKeyCookie("sid"),
        },
        Scheme {
            key: "partner",
            kind: SchemeKind::ApiKeyHeader("x-partner"),
        },
    ];

    fn request(uri: &str, headers: &[(&'static str, &str)]) -> Request {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.append(*name, value.parse().expect("a header value"));
        }
        let mut request = Request::new(http::Method::GET, uri.parse().expect("a URI"), map);
        request.schemes = &SCHEMES;
        request
    }

    #[test]
    fn a_requests_credentials_are_read_where_its_schemes_say_when_asked_for() {
        let r = request(
            "/pets?api_key=k%201&x=y",
            &[
                ("authorization", "  Bearer   t0ken "),
                ("cookie", "a=b; sid=s1"),
                ("x-partner", "p"),
            ],
        );
        let secret = |scheme| r.credential(scheme).map(Credential::secret);
        assert_eq!(secret("token"), Some("t0ken"));
        assert_eq!(secret("key"), Some("k 1"));
        assert_eq!(secret("session"), Some("s1"));
        assert_eq!(secret("partner"), Some("p"));
        // Authorization names another scheme.
        assert_eq!(secret("login"), None);
        assert_eq!(r.secret(), Some("t0ken"), "the first scheme's");

        let basic = request("/", &[("authorization", "basic dTpwdw==")]);
        assert!(matches!(
            basic.credential("login"),
            Some(Credential::Basic { username, password }) if username == "u" && password == "pw"
        ));
        assert_eq!(basic.credential("token"), None);

        // One set by hand replaces the one sent, and leaves the others.
        let r = r.with_credential("token", Credential::Bearer("other".into()));
        assert_eq!(r.credential("token").map(Credential::secret), Some("other"));
        assert_eq!(r.credential("session").map(Credential::secret), Some("s1"));
    }

    #[test]
    fn an_empty_or_schemeless_authorization_is_no_credential() {
        for value in ["Bearer", "Bearer ", "t0ken", ""] {
            let r = request("/", &[("authorization", value)]);
            assert_eq!(r.credential("token"), None, "{value:?}");
        }
    }
}
