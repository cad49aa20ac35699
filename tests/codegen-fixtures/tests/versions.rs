//! Specs written in OpenAPI 3.1 and Swagger 2.0 (`tests/fixtures/codegen/openapi31.yaml`,
//! `swagger2.yaml`): the generated client against the generated server over 127.0.0.1, and
//! the wire formats those versions define.

use std::sync::{Arc, Mutex};

use codegen_fixtures::{openapi31, swagger2};
use openapi_gen_runtime::server::Request;
use openapi_gen_runtime::Base64;
use openapi_gen_runtime::Nullable;

mod common;

use common::serve;

/// Keeps the notes it is given.
#[derive(Clone, Default)]
struct Notes {
    seen: Arc<Mutex<Vec<openapi31::types::NewNote>>>,
}

fn note(new: openapi31::types::NewNote, id: i64) -> openapi31::types::Note {
    let n = new;
    openapi31::types::Note {
        text: n.text,
        tag: n.tag,
        priority: n.priority,
        attachment: n.attachment,
        body: n.body,
        archived: n.archived,
        coords: n.coords,
        color: n.color,
        rule: n.rule,
        id,
    }
}

impl openapi31::server::Api for Notes {
    async fn create_note(
        &self,
        _: Request,
        body: openapi31::types::NewNote,
    ) -> openapi31::server::Result<openapi31::server::CreateNoteReply> {
        self.seen.lock().unwrap().push(body.clone());
        Ok(openapi31::server::CreateNoteReply::Created(note(body, 1)))
    }

    async fn get_note(
        &self,
        _: Request,
        params: openapi31::server::GetNoteParams,
    ) -> openapi31::server::Result<openapi31::server::GetNoteReply> {
        match self.seen.lock().unwrap().first() {
            Some(n) if params.id == 1 => {
                Ok(openapi31::server::GetNoteReply::Ok(note(n.clone(), 1)))
            }
            _ => Ok(openapi31::server::GetNoteReply::NotFound(
                openapi31::types::Problem {
                    message: Some(format!("no note {}", params.id)),
                },
            )),
        }
    }
}

#[tokio::test]
async fn openapi_31_client_against_server() {
    use openapi31::types::{Archive, Body, LinkBody, LinkBodyKind, NewNote, PaletteColor};
    let notes = Notes::default();
    let base = serve(openapi31::server::router(notes.clone())).await;
    let client = openapi31::Client::new().with_base_url(&base);

    let new = NewNote {
        text: "Buy milk".into(),
        // `type: [string, "null"]`: absent here.
        tag: Nullable::Absent,
        priority: Some(9),
        // `contentEncoding: base64`: bytes in Rust, base64 on the wire.
        attachment: Base64(vec![0, 159, 146, 150, 255]),
        // A `oneOf` tagged by a `const` property: the tag is written once, and the variant
        // implies it (`LinkBodyKind` is its one value).
        body: Body::LinkBody(LinkBody {
            kind: LinkBodyKind,
            url: "https://example.com".into(),
        }),
        // `anyOf: [Archive, {type: "null"}]`: a nullable Archive.
        archived: Nullable::Value(Archive {
            reason: "done".into(),
        }),
        coords: None,
        // A reference into `$defs`.
        color: Some(PaletteColor::Green),
        rule: None,
    };
    let created = client.create_note(new.clone()).await.unwrap();
    assert_eq!(created.id, 1);
    assert_eq!(created.attachment, new.attachment);
    assert_eq!(created.body, new.body);
    assert_eq!(*notes.seen.lock().unwrap(), vec![new.clone()]);
    let fetched = client.get_note(1).await.unwrap();
    assert_eq!(fetched.text, "Buy milk");
    assert_eq!(fetched.color, Some(PaletteColor::Green));
    let missing = client.get_note(2).await.unwrap_err();
    assert_eq!(missing.status().map(|s| s.as_u16()), Some(404));

    // What travels: base64 text and one tag.
    let http = openapi_gen_runtime::reqwest::Client::new();
    let raw: serde_json::Value = http
        .get(format!("{base}/notes/1"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(raw["attachment"], "AJ+Slv8=");
    assert_eq!(
        raw["body"],
        serde_json::json!({"kind": "link", "url": "https://example.com"})
    );
    assert!(raw.get("tag").is_none());

    // 3.1 bounds and types are checked before the implementation runs.
    let before = notes.seen.lock().unwrap().len();
    let post = |body: serde_json::Value| http.post(format!("{base}/notes")).json(&body).send();
    let valid = serde_json::json!({
        "text": "x", "attachment": "AA==", "body": {"kind": "text", "text": "t"}, "tag": null
    });
    assert_eq!(post(valid.clone()).await.unwrap().status(), 201);
    for (field, value) in [
        ("priority", serde_json::json!(10)), // exclusiveMaximum: 10
        ("priority", serde_json::json!(0)),  // minimum: 1
        ("tag", serde_json::json!(7)),       // string or null
        ("attachment", serde_json::json!("not base64!")),
        ("body", serde_json::json!({"kind": "text"})), // the text variant needs `text`
    ] {
        let mut body = valid.clone();
        body[field] = value.clone();
        let response = post(body).await.unwrap();
        assert_eq!(response.status(), 400, "{field} = {value}");
    }
    // exclusiveMinimum: 0 on the path parameter.
    let zero = http.get(format!("{base}/notes/0")).send().await.unwrap();
    assert_eq!(zero.status(), 400);
    assert_eq!(notes.seen.lock().unwrap().len(), before + 1);
}

/// Keeps what it decoded.
#[derive(Clone, Default)]
struct Shelter {
    listed: Arc<Mutex<Vec<swagger2::server::ListPetsParams>>>,
    renamed: Arc<Mutex<Vec<swagger2::types::RenamePetBody>>>,
    photos: Arc<Mutex<Vec<swagger2::types::UploadPhotoBody>>>,
}

fn pet(name: &str) -> swagger2::types::Pet {
    swagger2::types::Pet {
        name: name.into(),
        tag: Nullable::Absent,
        id: 7,
    }
}

impl swagger2::server::Api for Shelter {
    async fn list_pets(
        &self,
        _: Request,
        params: swagger2::server::ListPetsParams,
    ) -> swagger2::server::Result<swagger2::server::ListPetsReply> {
        self.listed.lock().unwrap().push(params);
        Ok(swagger2::server::ListPetsReply::Ok {
            body: vec![pet("Rex")],
            headers: swagger2::server::XTotalHeaders { x_total: Some(1) },
        })
    }

    async fn create_pet(
        &self,
        _: Request,
        body: swagger2::types::NewPet,
    ) -> swagger2::server::Result<swagger2::server::CreatePetReply> {
        Ok(swagger2::server::CreatePetReply::Created(pet(&body.name)))
    }

    async fn get_pet(
        &self,
        request: Request,
        params: swagger2::server::GetPetParams,
    ) -> swagger2::server::Result<swagger2::server::GetPetReply> {
        match request.secret() {
            Some(_) if params.pet_id == 7 => Ok(swagger2::server::GetPetReply::Ok(pet("Rex"))),
            _ => Ok(swagger2::server::GetPetReply::NotFound(
                swagger2::types::Error {
                    message: Some("no such pet".into()),
                },
            )),
        }
    }

    async fn rename_pet(
        &self,
        _: Request,
        _: swagger2::server::RenamePetParams,
        body: swagger2::types::RenamePetBody,
    ) -> swagger2::server::Result<swagger2::server::RenamePetReply> {
        self.renamed.lock().unwrap().push(body.clone());
        Ok(swagger2::server::RenamePetReply::Ok(pet(&body.name)))
    }

    async fn upload_photo(
        &self,
        _: Request,
        _: swagger2::server::UploadPhotoParams,
        body: swagger2::types::UploadPhotoBody,
    ) -> swagger2::server::Result<swagger2::server::UploadPhotoReply> {
        let size = body.file.len();
        self.photos.lock().unwrap().push(body);
        Ok(swagger2::server::UploadPhotoReply::Ok(format!(
            "{size} bytes"
        )))
    }
}

#[tokio::test]
async fn swagger_2_client_against_server() {
    let shelter = Shelter::default();
    let base = serve(swagger2::server::router(shelter.clone())).await;
    // The server URL is host + basePath + scheme.
    assert_eq!(swagger2::DEFAULT_BASE_URL, "http://localhost/v1");
    let client = swagger2::Client::new()
        .with_base_url(&base)
        .with_key("k")
        .with_basic("ann", "pw");

    // collectionFormat csv (default), multi, ssv, pipes, and csv in a header.
    let pets = client
        .list_pets()
        .tags(vec!["a".to_string(), "b".to_string()])
        .ids(vec![1, 2])
        .words(vec!["x".to_string(), "y".to_string()])
        .levels(vec![3, 4])
        .x_colors(vec!["red".to_string(), "blue".to_string()])
        .send()
        .await
        .unwrap();
    assert_eq!(pets, vec![pet("Rex")]);
    // The response's declared headers, typed on the client too.
    let response = client.list_pets().send_with_response().await.unwrap();
    assert_eq!(
        response.declared,
        Some(swagger2::types::XTotalHeaders { x_total: Some(1) })
    );
    shelter.listed.lock().unwrap().pop();
    let seen = shelter.listed.lock().unwrap().pop().unwrap();
    assert_eq!(seen.limit, 10, "the 2.0 default is applied");
    assert_eq!(seen.tags, Some(vec!["a".to_string(), "b".to_string()]));
    assert_eq!(seen.ids, Some(vec![1, 2]));
    assert_eq!(seen.words, Some(vec!["x".to_string(), "y".to_string()]));
    assert_eq!(seen.levels, Some(vec![3, 4]));
    assert_eq!(
        seen.x_colors,
        Some(vec!["red".to_string(), "blue".to_string()])
    );

    // A body parameter, a shared path parameter and a top-level response.
    let created = client
        .create_pet(swagger2::types::NewPet {
            name: "Kit".into(),
            tag: Nullable::Absent,
        })
        .await
        .unwrap();
    assert_eq!(created.name, "Kit");
    assert_eq!(client.get_pet(7).await.unwrap(), pet("Rex"));
    let missing = client.get_pet(8).await.unwrap_err();
    assert_eq!(missing.status().map(|s| s.as_u16()), Some(404));

    // formData: a form body, and a multipart body with a file.
    let renamed = client
        .rename_pet(
            7,
            swagger2::types::RenamePetBody {
                name: "Max".into(),
                nickname: Some("M".into()),
            },
        )
        .await
        .unwrap();
    assert_eq!(renamed.name, "Max");
    assert_eq!(
        shelter.renamed.lock().unwrap().as_slice(),
        [swagger2::types::RenamePetBody {
            name: "Max".into(),
            nickname: Some("M".into()),
        }]
    );
    let stored = client
        .upload_photo(
            7,
            swagger2::types::UploadPhotoBody {
                caption: Some("at the beach".into()),
                file: vec![1, 2, 3, 4],
            },
        )
        .await
        .unwrap();
    assert_eq!(stored, "4 bytes");
    assert_eq!(
        shelter.photos.lock().unwrap()[0].caption.as_deref(),
        Some("at the beach")
    );
}

#[tokio::test]
async fn swagger_2_collection_formats_on_the_wire() {
    let shelter = Shelter::default();
    let base = serve(swagger2::server::router(shelter.clone())).await;
    let http = openapi_gen_runtime::reqwest::Client::new();
    // As a 2.0 client writes them: csv, multi (repeated), ssv (space), pipes.
    let response = http
        .get(format!(
            "{base}/pets?limit=3&tags=a,b&ids=1&ids=2&words=x%20y&levels=3|4"
        ))
        .header("X-Api-Key", "k")
        .header("X-Colors", "red,blue")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-total"], "1");
    let seen = shelter.listed.lock().unwrap().pop().unwrap();
    assert_eq!(seen.limit, 3);
    assert_eq!(seen.tags, Some(vec!["a".to_string(), "b".to_string()]));
    assert_eq!(seen.ids, Some(vec![1, 2]));
    assert_eq!(seen.words, Some(vec!["x".to_string(), "y".to_string()]));
    assert_eq!(seen.levels, Some(vec![3, 4]));
    assert_eq!(
        seen.x_colors,
        Some(vec!["red".to_string(), "blue".to_string()])
    );
    // The 2.0 bounds hold (maximum: 50), and the apiKey scheme is required.
    let too_many = http
        .get(format!("{base}/pets?limit=51"))
        .header("X-Api-Key", "k")
        .send()
        .await
        .unwrap();
    assert_eq!(too_many.status(), 400);
    let anonymous = http.get(format!("{base}/pets")).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
    assert!(shelter.listed.lock().unwrap().is_empty());
}

/// Answers with a report in parts and form-encoded settings.
#[derive(Clone)]
struct Reports;

fn report() -> codegen_fixtures::structured_responses::types::Report {
    codegen_fixtures::structured_responses::types::Report {
        title: "Q3".into(),
        code: Some("007".into()),
        count: 42,
        ratio: Some(0.5),
        tags: Some(vec!["a".into(), "b".into()]),
        meta: Some(codegen_fixtures::structured_responses::types::ReportMeta {
            author: Some("ann".into()),
        }),
        data: Some(vec![0, 1, 254, 255]),
    }
}

fn settings() -> codegen_fixtures::structured_responses::types::GetSettingsResponse {
    use codegen_fixtures::structured_responses::types;
    types::GetSettingsResponse {
        theme: "dark".into(),
        size: Some(3),
        beta: Some(true),
        colors: Some(types::GetSettingsResponseColors {
            accent: Some("#ff0".into()),
            contrast: Some(4.5),
        }),
        shortcuts: Some(vec![
            types::GetSettingsResponseShortcut {
                key: Some("1".into()),
                action: Some("open".into()),
            },
            types::GetSettingsResponseShortcut {
                key: Some("q".into()),
                action: None,
            },
        ]),
    }
}

impl codegen_fixtures::structured_responses::server::Api for Reports {
    async fn get_report(
        &self,
        _: Request,
    ) -> codegen_fixtures::structured_responses::server::Result<
        codegen_fixtures::structured_responses::server::GetReportReply,
    > {
        Ok(codegen_fixtures::structured_responses::server::GetReportReply::Ok(report()))
    }

    async fn get_settings(
        &self,
        _: Request,
    ) -> codegen_fixtures::structured_responses::server::Result<
        codegen_fixtures::structured_responses::server::GetSettingsReply,
    > {
        Ok(codegen_fixtures::structured_responses::server::GetSettingsReply::Ok(settings()))
    }
}

#[tokio::test]
async fn multipart_and_form_responses_round_trip() {
    use codegen_fixtures::structured_responses as api;
    let base = serve(api::server::router(Reports)).await;
    let client = api::Client::new().with_base_url(&base);
    assert_eq!(client.get_report().await.unwrap(), report());
    // Nested fields in brackets, read back into the response's type.
    assert_eq!(client.get_settings().await.unwrap(), settings());

    // On the wire: a multipart body, one part per field.
    let raw = openapi_gen_runtime::reqwest::get(format!("{base}/report"))
        .await
        .unwrap();
    let content_type = raw.headers()["content-type"].to_str().unwrap().to_string();
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    let body = raw.text().await.unwrap();
    assert!(
        body.contains("Content-Disposition: form-data; name=\"title\"\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nQ3\r\n"),
        "{body}"
    );
    assert!(
        body.contains("name=\"tags\"\r\nContent-Type: application/json\r\n\r\n[\"a\",\"b\"]\r\n"),
        "{body}"
    );
    let form = openapi_gen_runtime::reqwest::get(format!("{base}/settings"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        form,
        "theme=dark&size=3&beta=true&colors[accent]=%23ff0&colors[contrast]=4.5\
         &shortcuts[0][key]=1&shortcuts[0][action]=open&shortcuts[1][key]=q"
    );
}

/// Keeps the last price set.
#[derive(Clone, Default)]
struct Shop {
    price: Arc<Mutex<Option<codegen_fixtures::money::Money>>>,
}

impl codegen_fixtures::shop::server::Api for Shop {
    async fn get_price(
        &self,
        _: Request,
        params: codegen_fixtures::shop::server::GetPriceParams,
    ) -> codegen_fixtures::shop::server::Result<codegen_fixtures::shop::server::GetPriceReply> {
        let amount = self.price.lock().unwrap().clone().unwrap();
        Ok(codegen_fixtures::shop::server::GetPriceReply::Ok(
            codegen_fixtures::shop::types::Price {
                sku: params.sku,
                history: Some(vec![amount.clone()]),
                amount,
            },
        ))
    }

    async fn set_price(
        &self,
        _: Request,
        _: codegen_fixtures::shop::server::SetPriceParams,
        body: codegen_fixtures::money::Money,
    ) -> codegen_fixtures::shop::server::Result<codegen_fixtures::shop::server::SetPriceReply> {
        *self.price.lock().unwrap() = Some(body);
        Ok(codegen_fixtures::shop::server::SetPriceReply::NoContent)
    }
}

#[tokio::test]
async fn the_users_own_types_replace_generated_ones() {
    use codegen_fixtures::money::{Currency, Money};
    use codegen_fixtures::shop;
    let shop_server = Shop::default();
    let base = serve(shop::server::router(shop_server.clone())).await;
    let client = shop::Client::new().with_base_url(&base);
    let price = Money {
        cents: 1250,
        currency: Currency::Eur,
    };
    client.set_price("tea", price.clone()).await.unwrap();
    let got: shop::types::Price = client.get_price("tea").await.unwrap();
    // The user's type, with the user's behaviour.
    assert_eq!(got.amount.display(), "12.50 Eur");
    assert_eq!(got.history, Some(vec![price]));
    // The schema still guards the server: a negative amount, an unknown currency.
    let http = openapi_gen_runtime::reqwest::Client::new();
    for body in [
        serde_json::json!({"cents": -1, "currency": "EUR"}),
        serde_json::json!({"cents": 1, "currency": "GBP"}),
    ] {
        let response = http
            .put(format!("{base}/prices/tea"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400, "{body}");
    }
    assert_eq!(
        shop_server.price.lock().unwrap().as_ref().unwrap().cents,
        1250
    );
}
