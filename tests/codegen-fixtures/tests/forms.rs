//! Form and multipart bodies (`tests/fixtures/codegen/forms.yaml`) written as the spec's
//! `encoding` says: the generated client's wire format, and the generated server reading
//! back exactly what the client wrote, over 127.0.0.1.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use codegen_fixtures::forms::{self as api, server, types};
use openapi_gen_runtime::server::Request;
use openapi_gen_runtime::{reqwest, OrEmpty};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod common;

use common::serve;

/// Answers with what it was given, and keeps the uploads.
#[derive(Clone, Default)]
struct Echo {
    uploads: Arc<Mutex<Vec<types::UploadDocumentBody>>>,
}

impl server::Api for Echo {
    async fn create_customer(
        &self,
        _: Request,
        body: types::CustomerForm,
    ) -> server::Result<server::CreateCustomerReply> {
        Ok(server::CreateCustomerReply::Ok(body))
    }

    async fn upload_document(
        &self,
        _: Request,
        params: server::UploadDocumentParams,
        body: types::UploadDocumentBody,
    ) -> server::Result<server::UploadDocumentReply> {
        self.uploads.lock().unwrap().push(body.clone());
        Ok(server::UploadDocumentReply::Ok(types::Receipt {
            purpose: format!("{} for {}", body.purpose, params.id),
            file_size: body.file.len() as i64,
            pages: body
                .pages
                .unwrap_or_default()
                .iter()
                .map(|p| p.len() as i64)
                .collect(),
            details: body.details,
            labels: body.labels.unwrap_or_default(),
            copies: body.copies,
        }))
    }
}

fn address(line1: &str, city: &str, postal_code: &str) -> types::Address {
    types::Address {
        line1: Some(line1.into()),
        city: Some(city.into()),
        postal_code: Some(postal_code.into()),
    }
}

fn stripe_style() -> types::CustomerForm {
    types::CustomerForm {
        name: "Jo & Co".into(),
        balance: Some(-250),
        tax_exempt: Some(false),
        address: Some(address("1 rue de Rivoli", "Paris", "75001")),
        shipping: Some(types::CustomerFormShipping {
            name: Some("Dock 4".into()),
            address: Some(address("Kai 2", "Hamburg", "20457")),
        }),
        items: Some(vec![
            types::CustomerFormItem {
                price: "price_1".into(),
                quantity: Some(2),
                discounts: Some(vec!["SUMMER".into(), "VIP".into()]),
            },
            types::CustomerFormItem {
                price: "price_2".into(),
                quantity: None,
                discounts: None,
            },
        ]),
        metadata: Some(OrEmpty::Value(BTreeMap::from([
            ("order".to_string(), "42".to_string()),
            ("note".to_string(), "a=b&c".to_string()),
        ]))),
        expand: Some(vec!["customer".into(), "invoice.lines".into()]),
        tags: Some(vec!["gold".into(), "eu".into()]),
        preferred_locales: Some(vec!["fr".into(), "en".into()]),
        return_url: Some("https://shop.example/back?to=cart#top".into()),
    }
}

#[tokio::test]
async fn the_client_writes_what_the_encoding_says() {
    let mock = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/customers"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"name": "x"})))
        .mount(&mock)
        .await;
    let client = api::Client::new().with_base_url(mock.uri());
    client.create_customer(stripe_style()).await.unwrap();
    let requests = mock.received_requests().await.unwrap();
    assert_eq!(
        requests[0].headers.get("content-type").unwrap(),
        "application/x-www-form-urlencoded"
    );
    let body = String::from_utf8(requests[0].body.clone()).unwrap();
    let expected = [
        "name=Jo+%26+Co",
        "balance=-250",
        "tax_exempt=false",
        // deepObject.
        "address[line1]=1+rue+de+Rivoli&address[city]=Paris&address[postal_code]=75001",
        // No encoding entry: brackets, two levels deep.
        "shipping[name]=Dock+4&shipping[address][line1]=Kai+2&shipping[address][city]=Hamburg&shipping[address][postal_code]=20457",
        // A list of objects, each with a list.
        "items[0][price]=price_1&items[0][quantity]=2&items[0][discounts][0]=SUMMER&items[0][discounts][1]=VIP&items[1][price]=price_2",
        "metadata[note]=a%3Db%26c&metadata[order]=42",
        "expand[0]=customer&expand[1]=invoice.lines",
        // pipeDelimited and form, not exploded.
        "tags=gold%7Ceu",
        "preferred_locales=fr%2Cen",
        // allowReserved: reserved characters as they are.
        "return_url=https://shop.example/back?to%3Dcart#top",
    ]
    .join("&");
    assert_eq!(body, expected);
}

#[tokio::test]
async fn the_server_reads_back_what_the_client_wrote() {
    let base = serve(server::router(Echo::default())).await;
    let client = api::Client::new().with_base_url(&base);
    let sent = stripe_style();
    assert_eq!(client.create_customer(sent.clone()).await.unwrap(), sent);

    // The empty string of a union (Stripe's way to clear metadata), and nothing else.
    let clear = types::CustomerForm {
        metadata: Some(OrEmpty::Empty),
        ..types::CustomerForm {
            name: "Jo".into(),
            balance: None,
            tax_exempt: None,
            address: None,
            shipping: None,
            items: None,
            metadata: None,
            expand: None,
            tags: None,
            preferred_locales: None,
            return_url: None,
        }
    };
    assert_eq!(client.create_customer(clear.clone()).await.unwrap(), clear);
}

async fn post_form(base: &str, body: &str) -> (u16, serde_json::Value) {
    let response = reqwest::Client::new()
        .post(format!("{base}/customers"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

#[tokio::test]
async fn the_server_reads_forms_as_form_servers_write_them() {
    let base = serve(server::router(Echo::default())).await;
    // `key[]` lists, percent-encoded brackets, a list of objects given out of order, and a
    // postal code that stays text because its schema says so.
    let (status, read) = post_form(
        &base,
        "name=Jo&expand%5B%5D=a&expand%5B%5D=b&items[1][price]=p2&items[0][price]=p1\
         &items[0][quantity]=3&address[postal_code]=01234&metadata=&tags=x|y",
    )
    .await;
    assert_eq!(status, 200, "{read}");
    assert_eq!(
        read,
        serde_json::json!({
            "name": "Jo",
            "address": {"postal_code": "01234"},
            "items": [{"price": "p1", "quantity": 3}, {"price": "p2"}],
            "metadata": "",
            "expand": ["a", "b"],
            "tags": ["x", "y"]
        })
    );
}

#[tokio::test]
async fn the_server_refuses_what_the_schema_does_not_allow() {
    let base = serve(server::router(Echo::default())).await;
    let (status, error) = post_form(&base, "name=Jo&items[0][quantity]=two").await;
    assert_eq!(status, 400, "{error}");
    let text = error.to_string();
    assert!(text.contains("items.0"), "{text}");
    let (status, error) = post_form(&base, "name=Jo&metadata=gone").await;
    assert_eq!(status, 400, "{error}");
    assert!(error.to_string().contains("metadata"), "{error}");
}

fn upload(file: &[u8]) -> types::UploadDocumentBody {
    types::UploadDocumentBody {
        purpose: "identity".into(),
        file: file.to_vec(),
        pages: Some(vec![vec![1, 2, 3], vec![0xff; 10]]),
        details: Some(address("1 rue de Rivoli", "Paris", "75001")),
        labels: Some(vec!["front".into(), "back".into()]),
        copies: Some(2),
    }
}

#[tokio::test]
async fn multipart_parts_carry_their_media_types_and_headers() {
    let mock = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            serde_json::json!({"purpose": "x", "file_size": 0, "pages": [], "labels": []}),
        ))
        .mount(&mock)
        .await;
    let client = api::Client::new().with_base_url(mock.uri());
    client
        .upload_document("doc-1", upload(b"\x89PNG"))
        .await
        .unwrap();
    let requests = mock.received_requests().await.unwrap();
    let body = String::from_utf8_lossy(&requests[0].body).replace("\r\n", "\n");
    let part = |name: &str| -> Vec<String> {
        body.split("--")
            .filter(|p| p.contains(&format!("name=\"{name}\"")))
            .map(str::to_string)
            .collect()
    };
    let file = part("file")[0].to_ascii_lowercase();
    assert!(file.contains("content-type: image/png"), "{file}");
    assert!(file.contains("x-checksum-algorithm: sha256"), "{file}");
    let details = &part("details")[0];
    assert!(
        details
            .to_ascii_lowercase()
            .contains("content-type: application/json"),
        "{details}"
    );
    assert!(
        details.contains(r#"{"line1":"1 rue de Rivoli","#),
        "{details}"
    );
    assert_eq!(part("labels").len(), 2, "one part per item");
    assert_eq!(part("pages").len(), 2, "one file per item");
}

#[tokio::test]
async fn the_server_reads_back_every_part() {
    let echo = Echo::default();
    let base = serve(server::router(echo.clone())).await;
    let client = api::Client::new().with_base_url(&base);
    let receipt = client
        .upload_document("doc-1", upload(b"\x89PNG\r\n"))
        .await
        .unwrap();
    assert_eq!(
        receipt,
        types::Receipt {
            purpose: "identity for doc-1".into(),
            file_size: 6,
            pages: vec![3, 10],
            details: Some(address("1 rue de Rivoli", "Paris", "75001")),
            labels: vec!["front".into(), "back".into()],
            copies: Some(2),
        }
    );
    assert_eq!(echo.uploads.lock().unwrap()[0], upload(b"\x89PNG\r\n"));
}

async fn post_parts(base: &str, file: reqwest::multipart::Part) -> (u16, String) {
    let form = reqwest::multipart::Form::new()
        .text("purpose", "identity")
        .part("file", file);
    let response = reqwest::Client::new()
        .post(format!("{base}/customers/doc-1/documents"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn the_server_refuses_parts_the_encoding_does_not_allow() {
    let echo = Echo::default();
    let base = serve(server::router(echo.clone())).await;
    let headers = || {
        let mut h = reqwest::header::HeaderMap::new();
        h.insert("x-checksum-algorithm", "sha256".parse().unwrap());
        h
    };
    let file = |media: &str| {
        reqwest::multipart::Part::bytes(b"GIF89a".to_vec())
            .file_name("f")
            .mime_str(media)
            .unwrap()
    };
    let (status, text) = post_parts(&base, file("image/gif").headers(headers())).await;
    assert_eq!(status, 400, "{text}");
    assert!(text.contains("image/png, image/jpeg"), "{text}");
    let (status, text) = post_parts(&base, file("image/jpeg")).await;
    assert_eq!(status, 400, "{text}");
    assert!(text.contains("X-Checksum-Algorithm"), "{text}");
    let (status, text) = post_parts(&base, file("image/jpeg").headers(headers())).await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(
        echo.uploads.lock().unwrap().len(),
        1,
        "only the valid upload reached the code"
    );
}
