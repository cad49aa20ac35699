//! OAuth2 client credentials against a token endpoint on 127.0.0.1: tokens are asked for
//! with the operation's scopes and the client's id and secret, kept until shortly before they
//! expire, asked for again once after a 401, and the secret never shows in `Debug`.

use codegen_fixtures::oauth as api;
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// `Basic base64("robot-1:s3cret")`.
const CLIENT_AUTH: &str = "Basic cm9ib3QtMTpzM2NyZXQ=";

async fn token_endpoint(server: &MockServer, scope: &str, token: &str, expires_in: u64) {
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(header("authorization", CLIENT_AUTH))
        .and(body_string_contains("grant_type=client_credentials"))
        .and(body_string_contains(format!(
            "scope={}",
            scope.replace(':', "%3A").replace(' ', "+")
        )))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": token, "token_type": "Bearer", "expires_in": expires_in
        })))
        .up_to_n_times(1)
        .mount(server)
        .await;
}

fn tokens_asked(requests: &[wiremock::Request]) -> usize {
    requests
        .iter()
        .filter(|r| r.url.path() == "/oauth/token")
        .count()
}

#[tokio::test]
async fn tokens_are_obtained_cached_and_scoped() {
    let server = MockServer::start().await;
    token_endpoint(&server, "jobs:read", "read-token", 3600).await;
    token_endpoint(&server, "jobs:read jobs:write", "write-token", 3600).await;
    Mock::given(method("GET"))
        .and(path("/jobs"))
        .and(header("authorization", "Bearer read-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(vec!["a"]))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/jobs"))
        .and(header("authorization", "Bearer write-token"))
        .respond_with(ResponseTemplate::new(201))
        .mount(&server)
        .await;
    let client = api::Client::new()
        .with_base_url(server.uri())
        .with_robot_client_credentials("robot-1", "s3cret");
    assert!(!format!("{client:?}").contains("s3cret"), "{client:?}");
    assert_eq!(client.list_jobs().await.unwrap(), ["a"]);
    assert_eq!(client.list_jobs().await.unwrap(), ["a"]);
    client.create_job().await.unwrap();
    client.clone().create_job().await.unwrap();
    // One token per set of scopes, kept across calls and clones.
    assert_eq!(tokens_asked(&server.received_requests().await.unwrap()), 2);
}

#[tokio::test]
async fn a_401_gets_a_new_token_once() {
    let server = MockServer::start().await;
    token_endpoint(&server, "jobs:read", "revoked", 3600).await;
    token_endpoint(&server, "jobs:read", "fresh", 3600).await;
    Mock::given(method("GET"))
        .and(path("/jobs"))
        .and(header("authorization", "Bearer revoked"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/jobs"))
        .and(header("authorization", "Bearer fresh"))
        .respond_with(ResponseTemplate::new(200).set_body_json(vec!["b"]))
        .mount(&server)
        .await;
    let client = api::Client::new()
        .with_base_url(server.uri())
        .with_robot_client_credentials("robot-1", "s3cret");
    assert_eq!(client.list_jobs().await.unwrap(), ["b"]);
    assert_eq!(tokens_asked(&server.received_requests().await.unwrap()), 2);
}

#[tokio::test]
async fn expired_tokens_are_renewed_and_refusals_are_errors() {
    let server = MockServer::start().await;
    // Lives one second: renewed before the next call a second later.
    token_endpoint(&server, "jobs:read", "short", 1).await;
    token_endpoint(&server, "jobs:read", "next", 3600).await;
    Mock::given(method("GET"))
        .and(path("/jobs"))
        .respond_with(ResponseTemplate::new(200).set_body_json(vec!["c"]))
        .mount(&server)
        .await;
    let client = api::Client::new()
        .with_base_url(server.uri())
        .with_robot_client_credentials("robot-1", "s3cret");
    client.list_jobs().await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    client.list_jobs().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(tokens_asked(&requests), 2);
    let auth: Vec<_> = requests
        .iter()
        .filter(|r| r.url.path() == "/jobs")
        .map(|r| r.headers["authorization"].to_str().unwrap().to_string())
        .collect();
    assert_eq!(auth, ["Bearer short", "Bearer next"]);

    // A token endpoint that refuses: an error that names the endpoint, not the secret.
    let refusing = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(serde_json::json!({"error": "invalid_client"})),
        )
        .mount(&refusing)
        .await;
    let error = api::Client::new()
        .with_base_url(refusing.uri())
        .with_robot_client_credentials("robot-1", "s3cret")
        .list_jobs()
        .await
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("/oauth/token") && error.contains("invalid_client"),
        "{error}"
    );
    assert!(!error.contains("s3cret"), "{error}");
}
