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
        self.patches.lock().unwrap().push(body.clone());
        Ok(server::MergeProfileReply::Ok(body))
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
    let echoed = client.merge_profile(1, set).await.unwrap();
    assert_eq!(
        echoed.website.as_ref().map(String::as_str),
        Some("https://ada.example")
    );
    assert!(echoed.nickname.is_absent());

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
