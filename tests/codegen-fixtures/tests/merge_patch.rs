//! Absent is not `null` (`tests/fixtures/codegen/nullable.yaml`, a JSON Merge Patch): the
//! client clears a field with `null` and leaves another out, the server sees each exactly,
//! refuses `null` where the spec does not allow it and a property the schema does not
//! know (`additionalProperties: false`), and validates `additionalProperties` schemas. Over
//! 127.0.0.1.

use std::sync::{Arc, Mutex};

use codegen_fixtures::nullable::{self as api, server, types};
use openapi_gen_runtime::server::Request;
use openapi_gen_runtime::{reqwest, Nullable};
use serde_json::{json, Value};

mod common;

use common::serve;

#[derive(Clone, Default)]
struct Profiles {
    patches: Arc<Mutex<Vec<types::ProfilePatch>>>,
}

impl server::Api for Profiles {
    async fn patch_profile(
        &self,
        _: Request,
        _: server::PatchProfileParams,
        _: types::Profile,
    ) -> server::Result<server::PatchProfileReply> {
        Ok(server::PatchProfileReply::NoContent)
    }

    async fn merge_profile(
        &self,
        _: Request,
        _: server::MergeProfileParams,
        body: types::ProfilePatch,
    ) -> server::Result<server::MergeProfileReply> {
        let mut patches = self.patches.lock().unwrap();
        patches.push(body.clone());
        Ok(server::MergeProfileReply::Ok {
            body,
            headers: types::XVersionHeaders {
                x_version: patches.len() as i64,
                e_tag: None,
            },
        })
    }
}

#[tokio::test]
async fn a_merge_patch_tells_absent_from_null() {
    let profiles = Profiles::default();
    let base = serve(server::router(profiles.clone())).await;
    let client = api::Client::new().with_base_url(&base);

    let patch = types::ProfilePatch {
        nickname: Nullable::Null,
        website: Nullable::Absent,
        bio: Some("Counts things".into()),
        links: None,
    };
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({"nickname": null, "bio": "Counts things"})
    );
    let echoed = client.merge_profile(1, patch.clone()).await.unwrap();
    assert_eq!(echoed, patch);
    let seen = profiles.patches.lock().unwrap().clone();
    assert_eq!(seen, vec![patch]);
    assert!(seen[0].nickname.is_null() && seen[0].website.is_absent());

    let set = types::ProfilePatch {
        website: "https://ada.example".to_string().into(),
        ..Default::default()
    };
    let response = client
        .merge_profile(1, set)
        .send_with_response()
        .await
        .unwrap();
    let echoed = response.value;
    assert_eq!(
        echoed.website.as_ref().map(String::as_str),
        Some("https://ada.example")
    );
    assert!(echoed.nickname.is_absent());
    // The declared response headers, typed.
    assert_eq!(
        response.declared,
        Some(types::XVersionHeaders {
            x_version: 2,
            e_tag: None
        })
    );

    let http = reqwest::Client::new();
    let send = |body: Value| {
        let request = http
            .patch(format!("{base}/profiles/1/merge"))
            .header("content-type", "application/merge-patch+json")
            .body(body.to_string());
        async move {
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            (
                status,
                response.json::<Value>().await.unwrap_or(Value::Null),
            )
        }
    };
    // `bio` may be left out, not cleared.
    let (status, body) = send(json!({"bio": null})).await;
    assert_eq!(status, 400, "{body}");
    assert!(body.to_string().contains("bio"), "{body}");
    // `additionalProperties: false`: an unknown field is named.
    let (status, body) = send(json!({"nickname": "Ada", "nick": "A"})).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["details"][0]["field"], "nick", "{body}");
    // An `additionalProperties` schema is validated too.
    let (status, body) = send(json!({"links": {"home": 5}})).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["details"][0]["field"], "links.home", "{body}");
    let (status, _) = send(json!({"links": {"home": "https://ada.example"}})).await;
    assert_eq!(status, 200);
    // Only the valid requests reached the implementation.
    assert_eq!(profiles.patches.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn declared_headers_that_are_missing_or_wrong_are_not_typed() {
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let mock = MockServer::start().await;
    let client = api::Client::new().with_base_url(mock.uri());
    let reply = |headers: &[(&str, &str)]| {
        let mut t = ResponseTemplate::new(200).set_body_json(json!({"bio": "x"}));
        for (k, v) in headers {
            t = t.insert_header(*k, *v);
        }
        t
    };
    for (headers, expected) in [
        (
            vec![("x-version", "7"), ("etag", "\"a1\"")],
            Some(types::XVersionHeaders {
                x_version: 7,
                e_tag: Some("\"a1\"".into()),
            }),
        ),
        // The required `X-Version` is missing, or not an integer.
        (vec![("etag", "\"a1\"")], None),
        (vec![("x-version", "seven")], None),
    ] {
        mock.reset().await;
        Mock::given(method("PATCH"))
            .respond_with(reply(&headers))
            .mount(&mock)
            .await;
        let response = client
            .merge_profile(1, types::ProfilePatch::default())
            .send_with_response()
            .await
            .unwrap();
        assert_eq!(response.declared, expected, "{headers:?}");
        // The body is read either way, and the raw headers are all there.
        assert_eq!(response.value.bio.as_deref(), Some("x"));
    }
}
