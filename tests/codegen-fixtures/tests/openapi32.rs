//! An OpenAPI 3.2 spec (`tests/fixtures/codegen/openapi32.yaml`): the QUERY method and a
//! method of `additionalOperations`, a JSON Lines body typed by `itemSchema`, references by
//! `$self`, a discriminator's `defaultMapping`, a JSON query string and header, multipart bodies by position; the generated client against the generated server over 127.0.0.1.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use codegen_fixtures::openapi32::{self as catalog, server, types};
use futures::StreamExt;
use openapi_gen_runtime::server::{ItemStream, Request};

mod common;

use common::serve;

#[derive(Clone, Default)]
struct Catalog {
    purged: Arc<AtomicUsize>,
}

fn products() -> Vec<types::Product> {
    [("tea", 4.5), ("coffee", 7.0), ("cocoa", 5.25)]
        .map(|(sku, price)| types::Product {
            sku: sku.into(),
            price,
        })
        .into()
}

impl server::Api for Catalog {
    async fn search_products(
        &self,
        request: Request,
        body: types::Search,
    ) -> server::Result<server::SearchProductsReply> {
        assert_eq!(request.method.as_str(), "QUERY");
        let found = products()
            .into_iter()
            .filter(|p| p.sku.contains(&body.text))
            .filter(|p| body.max_price.is_none_or(|max| p.price <= max))
            .collect();
        Ok(server::SearchProductsReply::Ok(found))
    }

    async fn purge_products(&self, _: Request) -> server::Result<server::PurgeProductsReply> {
        self.purged.fetch_add(1, Ordering::SeqCst);
        Ok(server::PurgeProductsReply::NoContent)
    }

    async fn export_products(
        &self,
        _: Request,
        params: server::ExportProductsParams,
    ) -> server::Result<server::ExportProductsReply> {
        // The whole query string, typed (`in: querystring`).
        let filter = params.filter.unwrap_or_default();
        let kept = products()
            .into_iter()
            .filter(|p| {
                filter
                    .prefix
                    .as_ref()
                    .is_none_or(|x| p.sku.starts_with(x.as_str()))
            })
            .filter(|p| filter.max_price.is_none_or(|max| p.price <= max));
        Ok(server::ExportProductsReply::Ok(ItemStream::iter(kept)))
    }

    async fn count_products(
        &self,
        _: Request,
        params: server::CountProductsParams,
    ) -> server::Result<server::CountProductsReply> {
        let selector = params.selector;
        let count = products()
            .iter()
            .filter(|p| selector.skus.contains(&p.sku))
            .filter(|p| selector.max_price.is_none_or(|max| p.price <= max))
            .count();
        Ok(server::CountProductsReply::Ok(
            types::CountProductsResponse {
                count: count as i64,
                trace: params.x_trace.map(|t| t.id),
            },
        ))
    }

    async fn import_products(
        &self,
        _: Request,
        body: Vec<types::Product>,
    ) -> server::Result<server::ImportProductsReply> {
        Ok(server::ImportProductsReply::Ok(
            body.into_iter().map(|p| p.sku).collect(),
        ))
    }

    async fn put_images(
        &self,
        _: Request,
        body: Vec<Vec<u8>>,
    ) -> server::Result<server::PutImagesReply> {
        Ok(server::PutImagesReply::Ok(
            body.iter().map(|image| image.len() as i64).collect(),
        ))
    }

    async fn post_notice(
        &self,
        _: Request,
        body: types::Notice,
    ) -> server::Result<server::PostNoticeReply> {
        Ok(server::PostNoticeReply::Ok(body))
    }
}

#[tokio::test]
async fn query_and_additional_methods_reach_their_operations() {
    let api = Catalog::default();
    let base = serve(server::router(api.clone())).await;
    let client = catalog::Client::new().with_base_url(&base);
    let found = client
        .search_products(types::Search {
            text: "co".into(),
            max_price: Some(6.0),
        })
        .await
        .unwrap();
    assert_eq!(
        found.iter().map(|p| p.sku.as_str()).collect::<Vec<_>>(),
        ["cocoa"]
    );
    // The body of a QUERY is validated like any other.
    let refused = client
        .search_products(types::Search {
            text: String::new(),
            max_price: None,
        })
        .await
        .unwrap_err();
    assert_eq!(refused.status().map(|s| s.as_u16()), Some(400));
    client.purge_products().await.unwrap();
    assert_eq!(api.purged.load(Ordering::SeqCst), 1);
    // Another method at the same path is not one of them.
    let other = openapi_gen_runtime::reqwest::Client::new()
        .delete(format!("{base}/products"))
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 405);
}

#[tokio::test]
async fn item_schema_types_a_json_lines_export() {
    let base = serve(server::router(Catalog::default())).await;
    let client = catalog::Client::new().with_base_url(&base);
    let skus: Vec<String> = client
        .export_products()
        .stream()
        .map(|p| p.unwrap().sku)
        .collect()
        .await;
    assert_eq!(skus, ["tea", "coffee", "cocoa"]);
}

#[tokio::test]
async fn a_querystring_parameter_is_the_whole_query_typed() {
    let base = serve(server::router(Catalog::default())).await;
    let client = catalog::Client::new().with_base_url(&base);
    let skus: Vec<String> = client
        .export_products()
        .filter(types::ExportProductsFilter {
            prefix: Some("co".into()),
            max_price: Some(6.0),
        })
        .stream()
        .map(|p| p.unwrap().sku)
        .collect()
        .await;
    assert_eq!(skus, ["cocoa"]);
    // On the wire, the query string is the form of the value's properties.
    let text =
        openapi_gen_runtime::reqwest::get(format!("{base}/products/export?prefix=t&max_price=5"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.contains("\"sku\":\"tea\""), "{text}");
    // And it is validated as its schema says.
    let refused =
        openapi_gen_runtime::reqwest::get(format!("{base}/products/export?max_price=cheap"))
            .await
            .unwrap();
    assert_eq!(refused.status(), 400);
}

#[tokio::test]
async fn default_mapping_reads_a_missing_or_unlisted_tag_as_its_variant() {
    let base = serve(server::router(Catalog::default())).await;
    let client = catalog::Client::new().with_base_url(&base);
    // Without a tag: the default variant, sent and read back as itself.
    let note = types::Notice::Note(types::Note {
        kind: None,
        text: "closed on Monday".into(),
    });
    assert_eq!(client.post_notice(note.clone()).await.unwrap(), note);
    let sale = types::Notice::Sale(types::Sale {
        kind: Default::default(),
        sku: "tea".into(),
        percent: 20,
    });
    assert_eq!(client.post_notice(sale.clone()).await.unwrap(), sale);

    let post = |body: serde_json::Value| {
        let url = format!("{base}/notices");
        async move {
            let response = openapi_gen_runtime::reqwest::Client::new()
                .post(url)
                .json(&body)
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            (status, response.json::<serde_json::Value>().await.unwrap())
        }
    };
    // An unlisted tag: the default variant, which keeps it.
    let (status, echoed) = post(serde_json::json!({"kind": "recall", "text": "batch 7"})).await;
    assert_eq!(status, 200, "{echoed}");
    assert_eq!(
        echoed,
        serde_json::json!({"kind": "recall", "text": "batch 7"})
    );
    // A listed tag selects its variant only: an invalid sale is refused even though it
    // would pass as a note, and so is a note with a listed tag.
    let (status, problem) = post(serde_json::json!({
        "kind": "sale", "sku": "tea", "percent": 95, "text": "too much"
    }))
    .await;
    assert_eq!(status, 400, "{problem}");
    let (status, problem) = post(serde_json::json!({"kind": "restock", "text": "soon"})).await;
    assert_eq!(status, 400, "{problem}");
    // Without a tag, the default's own schema applies.
    let (status, problem) = post(serde_json::json!({"text": ""})).await;
    assert_eq!(status, 400, "{problem}");
}

#[tokio::test]
async fn a_json_querystring_and_a_json_header_are_written_and_read_as_json() {
    let base = serve(server::router(Catalog::default())).await;
    let client = catalog::Client::new().with_base_url(&base);
    let counted = client
        .count_products(types::CountProductsSelector {
            skus: vec!["tea".into(), "cocoa".into(), "rooibos".into()],
            max_price: Some(5.0),
        })
        .x_trace(types::CountProductsXTrace { id: "t-1".into() })
        .await
        .unwrap();
    assert_eq!(counted.count, 1);
    assert_eq!(counted.trace.as_deref(), Some("t-1"));

    // On the wire: the query string is the selector's JSON, percent-encoded whole; the
    // header is JSON text.
    let http = openapi_gen_runtime::reqwest::Client::new();
    let get = |query: &str, trace: Option<&str>| {
        let mut request = http.get(format!("{base}/products/count?{query}"));
        if let Some(trace) = trace {
            request = request.header("X-Trace", trace);
        }
        async move {
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            (status, response.text().await.unwrap())
        }
    };
    let (status, body) = get(
        "%7B%22skus%22%3A%5B%22tea%22%2C%22coffee%22%5D%7D",
        Some(r#"{"id":"t-2"}"#),
    )
    .await;
    assert_eq!(
        (status, body.as_str()),
        (200, r#"{"count":2,"trace":"t-2"}"#)
    );
    // Validated as the schema says: no SKU, not JSON, a header that is not the object.
    for (query, trace) in [
        ("%7B%22skus%22%3A%5B%5D%7D", None),
        ("skus=tea", None),
        ("%7B%22skus%22%3A%5B%22tea%22%5D%7D", Some("t-3")),
    ] {
        let (status, body) = get(query, trace).await;
        assert_eq!(status, 400, "{query} {trace:?}: {body}");
    }
    let (status, body) = get("", None).await;
    assert_eq!(status, 400, "a required query string: {body}");
}

/// A raw `multipart/mixed` body of `parts` (headers, data).
fn mixed(parts: &[(&str, &str)]) -> (String, String) {
    let mut body = String::new();
    for (headers, data) in parts {
        body.push_str(&format!("--b1\r\n{headers}\r\n\r\n{data}\r\n"));
    }
    body.push_str("--b1--\r\n");
    ("multipart/mixed; boundary=b1".to_string(), body)
}

#[tokio::test]
async fn multipart_bodies_by_position_follow_prefix_and_item_encoding() {
    let base = serve(server::router(Catalog::default())).await;
    let client = catalog::Client::new().with_base_url(&base);
    let skus = client.import_products(products()).await.unwrap();
    assert_eq!(skus, ["tea", "coffee", "cocoa"]);
    let sizes = client
        .put_images(vec![
            b"\x89PNG one".to_vec(),
            b"\x89PNG second".to_vec(),
            // Bytes that happen to be UTF-8 are still bytes.
            b"plain".to_vec(),
        ])
        .await
        .unwrap();
    assert_eq!(sizes, [8, 11, 5]);

    // The server reads parts by position: the first must carry its header, every part must
    // be JSON, and the array its schema.
    let post = |(content_type, body): (String, String)| {
        let request = openapi_gen_runtime::reqwest::Client::new()
            .post(format!("{base}/products/batch"))
            .header("content-type", content_type)
            .body(body);
        async move {
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            (status, response.text().await.unwrap())
        }
    };
    let head = "content-type: application/json\r\nx-part-role: head";
    let item = "content-type: application/json";
    let tea = r#"{"sku":"tea","price":4.5}"#;
    let (status, body) = post(mixed(&[(head, tea), (item, r#"{"sku":"mate","price":3}"#)])).await;
    assert_eq!((status, body.as_str()), (200, r#"["tea","mate"]"#));
    for (parts, why) in [
        (vec![(item, tea)], "the head part lacks X-Part-Role"),
        (
            vec![(head, tea), ("content-type: text/plain", tea)],
            "an item that is not JSON",
        ),
        (
            vec![(head, r#"{"sku":"tea"}"#)],
            "a product without its price",
        ),
    ] {
        let (status, body) = post(mixed(&parts)).await;
        assert_eq!(status, 400, "{why}: {body}");
    }
}
