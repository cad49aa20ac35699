//! The generated router validates before implementation code runs: an implementation that
//! counts its calls sees none of the invalid requests, each of which gets the right 4xx in
//! the spec's error shape.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use generated_client::sparkpost_subaccounts::server::{self, Api};
use generated_client::sparkpost_subaccounts::types;
use openapi_gen_runtime::server::{Config, Request};
use serde_json::{json, Value};

#[derive(Clone, Default)]
struct Counting {
    calls: Arc<AtomicUsize>,
    last_list: Arc<std::sync::Mutex<Option<server::ListSubaccountsParams>>>,
}

impl Api for Counting {
    async fn list_subaccounts(
        &self,
        _request: Request,
        params: server::ListSubaccountsParams,
    ) -> server::Result<server::ListSubaccountsReply> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        *self.last_list.lock().unwrap() = Some(params);
        Ok(server::ListSubaccountsReply::Ok(
            types::SubaccountsListResponse {
                results: Some(vec![]),
                total_count: Some(0),
                links: None,
            },
        ))
    }

    async fn create_subaccount(
        &self,
        request: Request,
        body: types::SubaccountRequest,
    ) -> server::Result<server::CreateSubaccountReply> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        assert_eq!(request.secret(), Some("key"));
        Ok(server::CreateSubaccountReply::Ok(
            types::SubaccountCreateResponse {
                results: Some(types::SubaccountCreateResponseResults {
                    subaccount_id: Some(1),
                    key: None,
                    label: Some(body.name),
                    short_key: None,
                }),
            },
        ))
    }

    async fn get_subaccounts_summary(
        &self,
        _request: Request,
    ) -> server::Result<server::GetSubaccountsSummaryReply> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        Ok(server::GetSubaccountsSummaryReply::Ok(
            types::GetSubaccountsSummaryResponse { results: None },
        ))
    }

    async fn get_subaccount(
        &self,
        _request: Request,
        params: server::GetSubaccountParams,
    ) -> server::Result<server::GetSubaccountReply> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        Ok(server::GetSubaccountReply::NotFound(types::ErrorResponse {
            errors: Some(vec![types::ErrorResponseError {
                message: Some(format!("no subaccount {}", params.id)),
                code: None,
                description: None,
            }]),
        }))
    }

    async fn update_subaccount(
        &self,
        _request: Request,
        _params: server::UpdateSubaccountParams,
        _body: types::SubaccountUpdateRequest,
    ) -> server::Result<server::UpdateSubaccountReply> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        Ok(server::UpdateSubaccountReply::Ok)
    }
}

async fn serve(imp: Counting) -> String {
    let app = server::router_with(imp, Config::default().body_limit(1024));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        openapi_gen_runtime::server::axum::serve(listener, app)
            .await
            .unwrap()
    });
    base
}

async fn send(
    http: &reqwest::Client,
    method: &str,
    url: String,
    content_type: Option<&str>,
    body: &str,
) -> (u16, Value) {
    let mut request = http
        .request(method.parse().unwrap(), url)
        .header("Authorization", "key");
    if let Some(ct) = content_type {
        request = request.header("Content-Type", ct);
    }
    let response = request.body(body.to_string()).send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn messages(body: &Value) -> Vec<String> {
    body["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("not SparkPost's ErrorResponse: {body}"))
        .iter()
        .map(|e| e["message"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn invalid_requests_never_reach_the_implementation() {
    let imp = Counting::default();
    let base = serve(imp.clone()).await;
    let http = reqwest::Client::new();
    let json = Some("application/json");
    let too_large = "x".repeat(2000);
    // Method, URL, content type, body, expected status, what the message must mention.
    type Case<'a> = (&'a str, String, Option<&'a str>, &'a str, u16, &'a str);
    let cases: Vec<Case<'_>> = vec![
        (
            "GET",
            format!("{base}/subaccounts?per_page=101"),
            None,
            "",
            400,
            "per_page",
        ),
        (
            "GET",
            format!("{base}/subaccounts?per_page=ten"),
            None,
            "",
            400,
            "per_page",
        ),
        (
            "GET",
            format!("{base}/subaccounts?order=sideways"),
            None,
            "",
            400,
            "order",
        ),
        (
            "GET",
            format!("{base}/subaccounts?per_page=1&per_page=2"),
            None,
            "",
            400,
            "per_page",
        ),
        (
            "GET",
            format!("{base}/subaccounts/12abc"),
            None,
            "",
            400,
            "`id`",
        ),
        (
            "POST",
            format!("{base}/subaccounts"),
            json,
            "{}",
            400,
            "`name`",
        ),
        (
            "POST",
            format!("{base}/subaccounts"),
            json,
            r#"{"name": 5}"#,
            400,
            "`name`",
        ),
        (
            "POST",
            format!("{base}/subaccounts"),
            json,
            r#"{"name": "a", "options": {"deliverability": "yes"}}"#,
            400,
            "options.deliverability",
        ),
        (
            "POST",
            format!("{base}/subaccounts"),
            json,
            "{not json",
            400,
            "not valid JSON",
        ),
        (
            "POST",
            format!("{base}/subaccounts"),
            json,
            "",
            400,
            "required",
        ),
        (
            "PUT",
            format!("{base}/subaccounts/1"),
            json,
            r#"{"status": "deleted"}"#,
            400,
            "status",
        ),
        (
            "POST",
            format!("{base}/subaccounts"),
            Some("text/plain"),
            "name=a",
            415,
            "application/json",
        ),
        (
            "POST",
            format!("{base}/subaccounts"),
            json,
            &too_large,
            413,
            "1024",
        ),
        (
            "DELETE",
            format!("{base}/subaccounts/1"),
            None,
            "",
            405,
            "DELETE",
        ),
        ("GET", format!("{base}/nowhere"), None, "", 404, "/nowhere"),
        // A trailing slash is the same resource, validated alike; two are not.
        (
            "GET",
            format!("{base}/subaccounts/12abc/"),
            None,
            "",
            400,
            "`id`",
        ),
        (
            "DELETE",
            format!("{base}/subaccounts/1/"),
            None,
            "",
            405,
            "DELETE",
        ),
        (
            "GET",
            format!("{base}/subaccounts/1//"),
            None,
            "",
            404,
            "/subaccounts/1//",
        ),
    ];
    for (method, url, ct, body, want, mentions) in &cases {
        let (status, body) = send(&http, method, url.clone(), *ct, body).await;
        assert_eq!(status, *want, "{method} {url}: {body}");
        let text = messages(&body).join(" ");
        assert!(
            text.contains(mentions),
            "{method} {url}: {text:?} should mention {mentions:?}"
        );
    }
    // Missing credentials: 401 before the implementation.
    let response = http
        .get(format!("{base}/subaccounts"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 401);
    assert_eq!(
        imp.calls.load(Ordering::SeqCst),
        0,
        "no invalid request reached the implementation"
    );

    // Valid requests do, typed, with the spec's defaults filled in.
    let (status, _) = send(
        &http,
        "GET",
        format!("{base}/subaccounts?status=suspended"),
        None,
        "",
    )
    .await;
    assert_eq!(status, 200);
    let params = imp.last_list.lock().unwrap().clone().unwrap();
    assert_eq!(params.per_page, 25);
    assert_eq!(params.sort_by, types::ListSubaccountsSortBy::CreatedAt);
    assert_eq!(params.order, types::ListSubaccountsOrder::Desc);
    assert_eq!(params.status, Some(types::Status::Suspended));
    let (status, body) = send(
        &http,
        "POST",
        format!("{base}/subaccounts/"),
        json,
        r#"{"name": "ok"}"#,
    )
    .await;
    assert_eq!(
        (status, body),
        (200, json!({"results": {"subaccount_id": 1, "label": "ok"}}))
    );
    let (status, body) = send(&http, "GET", format!("{base}/subaccounts/7"), None, "").await;
    assert_eq!(status, 404);
    assert_eq!(messages(&body), ["no subaccount 7"]);
    let (status, _) = send(
        &http,
        "GET",
        format!("{base}/subaccounts/summary"),
        None,
        "",
    )
    .await;
    assert_eq!(status, 200, "a literal path wins over a template");
    assert_eq!(imp.calls.load(Ordering::SeqCst), 4);
}
