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
    Passed(Vec<(&'static str, Principal)>),
    /// No alternative has all its credentials.
    Missing,
    /// Every alternative with its credentials was refused: the first refusal.
    Refused(Error),
}

/// Runs the operation's `security` (alternatives, any one of which must pass; each needs
/// every one of its schemes) against the request's credentials.
pub(crate) async fn authenticate(
    authenticators: &Authenticators,
    security: &[&[&'static str]],
    credentials: &[(&'static str, Credential)],
) -> Outcome {
    if security.is_empty() {
        return Outcome::Passed(Vec::new());
    }
    let mut refusal = None;
    'alternatives: for requirement in security {
        let present: Option<Vec<(&'static str, &Credential)>> = requirement
            .iter()
            .map(|k| {
                credentials
                    .iter()
                    .find(|(c, _)| c == k)
                    .map(|(c, credential)| (*c, credential))
            })
            .collect();
        let Some(present) = present else {
            continue;
        };
        let mut principals = Vec::new();
        for (scheme, credential) in present {
            let Some(authenticator) = authenticators.of(scheme) else {
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
