//! Authentication before the implementation (`tests/fixtures/codegen/security.yaml`): the
//! router's authenticators accept or refuse each credential, honour the operations'
//! `security` alternatives (AND within one, OR across, `[]` open), and hand the principal to
//! the method; a refused request never reaches it. Over 127.0.0.1.

use std::sync::{Arc, Mutex};

use codegen_fixtures::security::server;
use openapi_gen_runtime::server::{Config, Error, Request};
use openapi_gen_runtime::{reqwest, Credential};

mod common;

use common::serve;

/// Who a credential belongs to.
#[derive(Debug, Clone, PartialEq)]
struct User(String);

/// An operation called, and the principal it received.
type Call = (&'static str, Option<User>);

/// Records what each call received.
#[derive(Clone, Default)]
struct Recorder {
    calls: Arc<Mutex<Vec<Call>>>,
}

impl Recorder {
    fn record(&self, op: &'static str, request: &Request) {
        let user = request.principal::<User>().cloned();
        self.calls.lock().unwrap().push((op, user));
    }
}

impl server::Api for Recorder {
    async fn get_public(&self, request: Request) -> server::Result<server::GetPublicReply> {
        self.record("public", &request);
        Ok(server::GetPublicReply::NoContent)
    }

    async fn get_private(&self, request: Request) -> server::Result<server::GetPrivateReply> {
        self.record("private", &request);
        Ok(server::GetPrivateReply::NoContent)
    }

    async fn get_default(&self, request: Request) -> server::Result<server::GetDefaultReply> {
        self.record("default", &request);
        Ok(server::GetDefaultReply::NoContent)
    }
}

/// Who each credential is, or why it is refused (at once: see `check` for the same awaited).
fn check_now(scheme: &'static str, credential: &Credential) -> Result<User, Error> {
    match (scheme, credential) {
        ("apiKeyQuery", Credential::ApiKey(key)) if key == "k-ada" => Ok(User("ada".into())),
        ("apiKeyQuery", Credential::ApiKey(key)) if key == "k-banned" => {
            Err(Error::forbidden("this key is suspended"))
        }
        ("basic", Credential::Basic { username, password }) if password == "pw" => {
            Ok(User(username.clone()))
        }
        ("oauth", Credential::Bearer(token)) if token == "t-grace" => Ok(User("grace".into())),
        ("apiKeyCookie", Credential::ApiKey(sid)) if sid == "s-1" => Ok(User("session".into())),
        _ => Err(Error::unauthorized("unknown credential")),
    }
}

async fn check(scheme: &'static str, credential: Credential) -> Result<User, Error> {
    tokio::task::yield_now().await;
    check_now(scheme, &credential)
}

#[tokio::test]
async fn authenticators_run_before_the_implementation() {
    authenticated(Config::default().authenticate(check)).await;
}

#[tokio::test]
async fn a_synchronous_authenticator_does_the_same() {
    authenticated(Config::default().authenticate_sync(check_now)).await;
}

/// The flows of every `security` of the spec, through a router with `config`'s
/// authenticator.
async fn authenticated(config: Config) {
    let recorder = Recorder::default();
    let base = serve(server::router_with(recorder.clone(), config)).await;
    let http = reqwest::Client::new();
    let status = |r: reqwest::RequestBuilder| async move { r.send().await.unwrap() };

    // Open: no credential asked, none checked.
    let r = status(http.get(format!("{base}/public"))).await;
    assert_eq!(r.status(), 204);

    // One alternative (`apiKeyQuery`) of two: a wrong key is a 401 with the scheme's
    // challenge; a suspended key a 403; a good one passes with its principal.
    let r = status(http.get(format!("{base}/default?api_key=k-eve"))).await;
    assert_eq!(r.status(), 401);
    let challenge = r.headers()["www-authenticate"].to_str().unwrap();
    assert_eq!(challenge, r#"ApiKey realm="Security", query="api_key""#);
    let r = status(http.get(format!("{base}/default?api_key=k-banned"))).await;
    assert_eq!(r.status(), 403);
    let r = status(http.get(format!("{base}/default?api_key=k-ada"))).await;
    assert_eq!(r.status(), 204);
    // The other alternative (`basic`) passes on its own; so does a refused key next to it.
    let r = status(
        http.get(format!("{base}/default?api_key=k-eve"))
            .basic_auth("bob", Some("pw")),
    )
    .await;
    assert_eq!(r.status(), 204);
    let r = status(http.get(format!("{base}/default"))).await;
    assert_eq!(r.status(), 401);

    // Two schemes together (`oauth` AND `apiKeyCookie`): both must be accepted.
    let r = status(http.get(format!("{base}/private")).bearer_auth("t-grace")).await;
    assert_eq!(r.status(), 401);
    let r = status(
        http.get(format!("{base}/private"))
            .bearer_auth("t-grace")
            .header("cookie", "sid=s-2"),
    )
    .await;
    assert_eq!(r.status(), 401);
    let r = status(
        http.get(format!("{base}/private"))
            .bearer_auth("t-grace")
            .header("cookie", "sid=s-1"),
    )
    .await;
    assert_eq!(r.status(), 204);

    // Only accepted requests reached the implementation, each with its principal.
    let calls = recorder.calls.lock().unwrap().clone();
    assert_eq!(
        calls,
        vec![
            ("public", None),
            ("default", Some(User("ada".into()))),
            ("default", Some(User("bob".into()))),
            ("private", Some(User("grace".into()))),
        ]
    );
}

#[tokio::test]
async fn an_authenticator_per_scheme_and_presence_for_the_rest() {
    let recorder = Recorder::default();
    // Only `basic` is checked; an API key's presence is enough.
    let config = Config::default().authenticate_scheme("basic", |_, credential| async move {
        match credential {
            Credential::Basic { username, .. } if username == "root" => {
                Err(Error::forbidden("not root"))
            }
            Credential::Basic { username, .. } => Ok(User(username)),
            _ => Err(Error::unauthorized("basic only")),
        }
    });
    per_scheme(recorder, config).await;
}

#[tokio::test]
async fn a_synchronous_authenticator_per_scheme() {
    let recorder = Recorder::default();
    let config =
        Config::default().authenticate_scheme_sync("basic", |_, credential| match credential {
            Credential::Basic { username, .. } if username == "root" => {
                Err(Error::forbidden("not root"))
            }
            Credential::Basic { username, .. } => Ok(User(username.clone())),
            _ => Err(Error::unauthorized("basic only")),
        });
    per_scheme(recorder, config).await;
}

/// `basic` checked (`root` refused), the API key's presence enough.
async fn per_scheme(recorder: Recorder, config: Config) {
    let base = serve(server::router_with(recorder.clone(), config)).await;
    let http = reqwest::Client::new();
    let r = http
        .get(format!("{base}/default?api_key=anything"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let r = http
        .get(format!("{base}/default"))
        .basic_auth("root", Some("x"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let calls = recorder.calls.lock().unwrap().clone();
    assert_eq!(calls, vec![("default", None)]);
}
