//! Authentication before the implementation: an authenticator per security scheme (or one
//! for all) decides whether a credential is valid and who it identifies.

use std::any::Any;
use std::future::Future;
use std::sync::Arc;

use super::Error;
use crate::auth::Credential;

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

/// The authenticators of a router: per scheme, then one for every other scheme.
#[derive(Clone, Default)]
pub(crate) struct Authenticators {
    by_scheme: Vec<(String, Arc<dyn Authenticator>)>,
    any: Option<Arc<dyn Authenticator>>,
}

impl Authenticators {
    pub(crate) fn set(&mut self, scheme: Option<String>, authenticator: Arc<dyn Authenticator>) {
        match scheme {
            Some(scheme) => {
                self.by_scheme.retain(|(s, _)| *s != scheme);
                self.by_scheme.push((scheme, authenticator));
            }
            None => self.any = Some(authenticator),
        }
    }

    /// The authenticator of `scheme`; `None`: a credential's presence is enough.
    pub(crate) fn of(&self, scheme: &str) -> Option<&Arc<dyn Authenticator>> {
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
    /// Several alternatives or schemes: [`authenticate`] decides.
    Many,
}

/// What `security` asks of the request's `credentials`, as far as it is known at once.
pub(crate) fn begin(
    authenticators: &Authenticators,
    security: &[&[&'static str]],
    credentials: &[(&'static str, Credential)],
) -> Begin {
    let [[scheme]] = security else {
        return if security.is_empty() {
            Begin::Decided(Outcome::Passed(Principals::new()))
        } else {
            Begin::Many
        };
    };
    let Some((_, credential)) = credentials.iter().find(|(c, _)| c == scheme) else {
        return Begin::Decided(Outcome::Missing);
    };
    match authenticators.of(scheme) {
        Some(authenticator) => Begin::One(
            scheme,
            authenticator.authenticate(scheme, credential.clone()),
        ),
        None => Begin::Decided(Outcome::Passed(Principals::new())),
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
            match authenticator.authenticate(scheme, credential.clone()).await {
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
