//! An implementation refuses with statuses its spec does not document (`server::Error`),
//! and `?` on any error is a `500` that keeps its cause to the logs; the router renders each
//! in the spec's error shape, over 127.0.0.1.

use codegen_fixtures::unions::{server, types};
use openapi_gen_runtime::reqwest;
use openapi_gen_runtime::server::Request;
use serde_json::{json, Value};

mod common;

use common::serve;

struct Kennel;

fn database(id: &str) -> std::io::Result<Option<types::Canine>> {
    match id {
        "db" => Err(std::io::Error::other("connection refused to 10.0.0.7:5432")),
        "rex" => Ok(Some(types::Canine {
            kind: types::CanineKind,
            name: "Rex".into(),
            good: Some(true),
        })),
        _ => Ok(None),
    }
}

impl server::Api for Kennel {
    async fn add_pet(&self, _: Request, body: types::Pet) -> server::Result<server::AddPetReply> {
        Ok(server::AddPetReply::Ok(body))
    }

    async fn add_species(
        &self,
        _: Request,
        body: types::Species,
    ) -> server::Result<server::AddSpeciesReply> {
        match &body {
            types::Species::Canine(c) if c.name == "Rex" => {
                Err(server::Error::conflict("Rex is already here"))
            }
            _ => Ok(server::AddSpeciesReply::Ok(body)),
        }
    }

    async fn get_canine(
        &self,
        request: Request,
        params: server::GetCanineParams,
    ) -> server::Result<server::GetCanineReply> {
        match params.id.as_str() {
            "private" if request.header("x-visitor").is_some() => {
                return Err(server::Error::unauthorized("visitors may not see this dog"))
            }
            "busy" => return Err(server::Error::too_many_requests("one at a time", Some(7))),
            "closed" => return Err(server::Error::unavailable("the kennel is closed", None)),
            "teapot" => return Err(server::Error::new(418, "I am a teapot")),
            _ => {}
        }
        let canine = database(&params.id)?;
        let canine =
            canine.ok_or_else(|| server::Error::not_found(format!("no dog {}", params.id)))?;
        Ok(server::GetCanineReply::Ok(canine))
    }
}

async fn get(base: &str, path: &str, visitor: bool) -> (u16, reqwest::header::HeaderMap, Value) {
    let mut request = reqwest::Client::new().get(format!("{base}{path}"));
    if visitor {
        request = request.header("x-visitor", "1");
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (
        status,
        headers,
        response.json().await.unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn refusals_beyond_the_documented_statuses() {
    let base = serve(server::router(Kennel)).await;

    let (status, _, body) = get(&base, "/canines/rex", false).await;
    assert_eq!((status, body["name"].clone()), (200, json!("Rex")));

    // Not documented for `getCanine`, rendered in the API's error shape.
    let (status, _, body) = get(&base, "/canines/laika", false).await;
    assert_eq!(status, 404);
    assert_eq!(body["error"], "not_found");
    assert_eq!(body["message"], "no dog laika");

    // `?` on an I/O error: a 500 that does not tell the client what failed.
    let (status, _, body) = get(&base, "/canines/db", false).await;
    assert_eq!(status, 500);
    assert_eq!(body["error"], "internal_error");
    let text = body.to_string();
    assert!(
        !text.contains("10.0.0.7") && !text.contains("refused"),
        "{text}"
    );

    let (status, headers, body) = get(&base, "/canines/private", true).await;
    assert_eq!(
        (status, body["error"].clone()),
        (401, json!("unauthorized"))
    );
    assert!(headers["www-authenticate"]
        .to_str()
        .unwrap()
        .starts_with("Bearer realm="));

    let (status, headers, _) = get(&base, "/canines/busy", false).await;
    assert_eq!(
        (status, headers["retry-after"].to_str().unwrap()),
        (429, "7")
    );
    let (status, _, body) = get(&base, "/canines/closed", false).await;
    assert_eq!((status, body["error"].clone()), (503, json!("unavailable")));
    let (status, _, _) = get(&base, "/canines/teapot", false).await;
    assert_eq!(status, 418);

    // A refusal of an operation with a documented error shape takes that shape.
    let response = reqwest::Client::new()
        .post(format!("{base}/species"))
        .json(&json!({"kind": "dog", "name": "Rex"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 409);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body, json!({"message": "Rex is already here"}));
}
