//! A generated router is a plain `axum::Router`: `tower` layers (CORS, timeouts, request
//! ids) wrap it like any other, and the generated validation still runs inside them. Over
//! 127.0.0.1.

use std::time::Duration;

use codegen_fixtures::unions::{server, types};
use openapi_gen_runtime::reqwest;
use openapi_gen_runtime::server::axum::http::{HeaderName, HeaderValue, Method, StatusCode};
use openapi_gen_runtime::server::Request;
use tower_http::cors::CorsLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;

mod common;

use common::serve;

struct Slow;

impl server::Api for Slow {
    async fn add_pet(&self, _: Request, body: types::Pet) -> server::Result<server::AddPetReply> {
        Ok(server::AddPetReply::Ok(body))
    }

    async fn add_species(
        &self,
        _: Request,
        body: types::Species,
    ) -> server::Result<server::AddSpeciesReply> {
        Ok(server::AddSpeciesReply::Ok(body))
    }

    async fn get_canine(
        &self,
        request: Request,
        params: server::GetCanineParams,
    ) -> server::Result<server::GetCanineReply> {
        if params.id == "sleepy" {
            tokio::time::sleep(Duration::from_secs(5)).await;
        }
        // The request id layer ran before the generated router.
        let id = request.header("x-request-id").unwrap_or("none").to_string();
        Ok(server::GetCanineReply::Ok(types::Canine {
            kind: types::CanineKind,
            name: id,
            good: None,
        }))
    }
}

#[tokio::test]
async fn tower_layers_wrap_the_generated_router() {
    let request_id = HeaderName::from_static("x-request-id");
    let app = server::router(Slow)
        .layer(TimeoutLayer::with_status_code(
            StatusCode::GATEWAY_TIMEOUT,
            Duration::from_millis(300),
        ))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .layer(
            CorsLayer::new()
                .allow_origin(HeaderValue::from_static("https://app.example"))
                .allow_methods([Method::GET, Method::POST]),
        );
    let base = serve(app).await;
    let http = reqwest::Client::new();

    // Request ids: set before the router, seen by the implementation, sent back.
    let r = http
        .get(format!("{base}/canines/rex"))
        .header("origin", "https://app.example")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let id = r.headers()["x-request-id"].to_str().unwrap().to_string();
    assert_eq!(
        r.headers()["access-control-allow-origin"],
        "https://app.example"
    );
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["name"], id.as_str());

    // CORS preflight is answered by the layer.
    let r = http
        .request(Method::OPTIONS, format!("{base}/species"))
        .header("origin", "https://app.example")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    assert!(r.headers().contains_key("access-control-allow-methods"));

    // The timeout layer stops a slow implementation.
    let r = http
        .get(format!("{base}/canines/sleepy"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 504);

    // Validation still runs inside the layers.
    let r = http
        .post(format!("{base}/species"))
        .json(&serde_json::json!({"kind": "wolf"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.headers().contains_key("x-request-id"));
}
