//! Operations that declare an `Idempotency-Key` header: one fresh key per call, the same on
//! every retry of it, the caller's own when set, and POST retried like GET; without the
//! header, POST is never retried.

use codegen_fixtures::idempotency as api;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn flaky(server: &MockServer, route: &str) {
    // Unavailable once, then fine.
    Mock::given(method("POST"))
        .and(path(route))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path(route))
        .respond_with(ResponseTemplate::new(201))
        .mount(server)
        .await;
}

fn keys(requests: &[wiremock::Request]) -> Vec<String> {
    requests
        .iter()
        .map(|r| {
            r.headers
                .get("idempotency-key")
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default()
        })
        .collect()
}

#[tokio::test]
async fn a_call_keeps_its_key_across_retries() {
    let server = MockServer::start().await;
    flaky(&server, "/charges").await;
    let client = api::Client::new().with_base_url(server.uri());
    let body = api::types::CreateChargeBody { amount: 100 };
    client.create_charge(body.clone()).await.unwrap();
    client.create_charge(body.clone()).await.unwrap();
    client
        .create_charge(body)
        .idempotency_key("mine-1")
        .await
        .unwrap();
    let keys = keys(&server.received_requests().await.unwrap());
    // The first call: sent twice (503, then 201) with one key; the second call: a new key.
    assert_eq!(keys.len(), 4, "{keys:?}");
    assert_eq!(keys[0], keys[1]);
    assert_ne!(keys[1], keys[2]);
    assert!(
        keys[0].parse::<openapi_gen_runtime::uuid::Uuid>().is_ok(),
        "{}",
        keys[0]
    );
    assert_eq!(keys[3], "mine-1");
}

#[tokio::test]
async fn without_a_key_a_post_is_not_retried() {
    let server = MockServer::start().await;
    flaky(&server, "/refunds").await;
    let client = api::Client::new().with_base_url(server.uri());
    let refused = client.create_refund().await.unwrap_err();
    assert_eq!(refused.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}
