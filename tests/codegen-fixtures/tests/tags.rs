//! A discriminated union whose variants' tag properties are one-value enums
//! (`tests/fixtures/codegen/unions.yaml`: `Species = oneOf [Feline, Canine]` by `kind`): the
//! variant implies its tag, so building one does not choose it, and a variant cannot hold
//! another variant's tag; over 127.0.0.1 between the generated client and server.

use codegen_fixtures::unions::{self as api, server, types};
use openapi_gen_runtime::server::Request;
use serde_json::json;

mod common;

use common::serve;

struct Zoo;

impl server::Api for Zoo {
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
        _: Request,
        params: server::GetCanineParams,
    ) -> server::Result<server::GetCanineReply> {
        Ok(server::GetCanineReply::Ok(types::Canine {
            kind: types::CanineKind,
            name: params.id,
            good: None,
        }))
    }
}

#[tokio::test]
async fn a_variant_implies_its_tag() {
    let base = serve(server::router(Zoo)).await;
    let client = api::Client::new().with_base_url(&base);

    // Building a dog does not choose its tag: `CanineKind` is the one value there is.
    let rex = types::Species::Canine(types::Canine {
        kind: types::CanineKind,
        name: "Rex".into(),
        good: Some(true),
    });
    assert_eq!(
        serde_json::to_value(&rex).unwrap(),
        json!({"kind": "dog", "name": "Rex", "good": true})
    );
    assert_eq!(client.add_species(rex.clone()).await.unwrap(), rex);
    let tom = types::Species::Feline(types::Feline {
        kind: Default::default(),
        name: "Tom".into(),
    });
    assert_eq!(client.add_species(tom.clone()).await.unwrap(), tom);

    // On its own, the struct still writes and reads its tag.
    let alone = client.get_canine("Laika").await.unwrap();
    assert_eq!(alone.name, "Laika");
    assert_eq!(
        serde_json::to_value(&alone).unwrap(),
        json!({"kind": "dog", "name": "Laika"})
    );

    // A canine with a cat's tag is not a canine.
    assert!(serde_json::from_value::<types::Canine>(json!({"kind": "cat", "name": "x"})).is_err());
    let http = openapi_gen_runtime::reqwest::Client::new();
    let refused = http
        .post(format!("{base}/species"))
        .json(&json!({"kind": "wolf", "name": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
}
