//! An operation whose request body is optional (`tests/fixtures/codegen/names.yaml`, `POST
//! /ok`): the implementation receives `None` when the request has no body and the body when
//! it has one; over 127.0.0.1 between the generated client and server.

use codegen_fixtures::names::{self as api, server, types};
use openapi_gen_runtime::server::Request;

mod common;

use common::serve;

struct Echo;

impl server::Api for Echo {
    async fn get_self_by_type(
        &self,
        _: Request,
        params: server::GetSelfByTypeParams,
    ) -> server::Result<server::GetSelfByTypeReply> {
        Ok(server::GetSelfByTypeReply::Ok(types::Self_ {
            type_: Some(params.type_),
            ..Default::default()
        }))
    }

    async fn new_2(&self, _: Request) -> server::Result<server::New2Reply> {
        Ok(server::New2Reply::NoContent)
    }

    /// Answers what it received: `absent` or the body's `Some` field.
    async fn ok(
        &self,
        _: Request,
        body: Option<types::Option2>,
    ) -> server::Result<server::Ok2Reply> {
        Ok(server::Ok2Reply::Ok(match body {
            None => "absent".to_string(),
            Some(o) => o.some.unwrap_or_else(|| "no field".to_string()),
        }))
    }
}

#[tokio::test]
async fn an_optional_body_arrives_as_none_or_some() {
    let base = serve(server::router(Echo)).await;
    let client = api::Client::new().with_base_url(&base);

    assert_eq!(client.ok().await.unwrap(), "absent");
    let body = types::Option2 {
        some: Some("present".into()),
    };
    assert_eq!(client.ok().body(body).await.unwrap(), "present");
    assert_eq!(
        client.ok().body(types::Option2::default()).await.unwrap(),
        "no field"
    );

    // Inputs of the other shapes: parameters only, and nothing at all.
    let got = client.get_self_by_type("cat").await.unwrap();
    assert_eq!(got.type_.as_deref(), Some("cat"));
    client.new_2().await.unwrap();

    // A body that fails the schema never reaches the implementation.
    let refused = openapi_gen_runtime::reqwest::Client::new()
        .post(format!("{base}/ok"))
        .header("content-type", "application/json")
        .body(r#"{"Some": 5}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
}
