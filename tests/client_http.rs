//! The generated client (`generated-client/`) against a real HTTP server on 127.0.0.1:
//! authentication, parameter encoding, both pagination styles, retries, timeouts, typed
//! errors, forward-compatible enums, odd responses, and partner scoping.

use std::time::{Duration, Instant};

use futures::StreamExt;
use generated_client::{cakemail_partner as cakemail, sparkpost_subaccounts as sparkpost};
use openapi_gen_runtime::{Error, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn sparkpost_client(server: &MockServer) -> sparkpost::Client {
    sparkpost::Client::new()
        .with_base_url(server.uri())
        .with_api_key_auth("sp-key-123")
}

fn cakemail_client(server: &MockServer) -> cakemail::Client {
    cakemail::Client::new()
        .with_base_url(server.uri())
        .with_bearer_auth("cm-token")
}

fn sub_account(id: i64, status: &str) -> serde_json::Value {
    json!({"id": id, "company_name": format!("Acme {id}"), "admin_email": format!("admin{id}@acme.test"), "status": status, "created_at": "2026-01-02T03:04:05Z"})
}

#[tokio::test]
async fn clients_target_the_spec_servers_by_default() {
    assert_eq!(
        sparkpost::Client::new().base_url(),
        "https://api.sparkpost.com/api/v1"
    );
    assert_eq!(
        cakemail::Client::new().base_url(),
        "https://api.cakemail.dev"
    );
}

#[tokio::test]
async fn api_key_and_bearer_credentials_are_sent_as_the_schemes_say() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/subaccounts/7"))
        .and(header("Authorization", "sp-key-123"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"results": {"id": 7, "name": "Seven", "status": "active"}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/sub-accounts/7"))
        .and(header("Authorization", "Bearer cm-token"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"data": sub_account(7, "active")})),
        )
        .expect(1)
        .mount(&server)
        .await;

    let sp = sparkpost_client(&server)
        .get_subaccount(7)
        .send()
        .await
        .unwrap();
    let details = sp.results.unwrap();
    assert_eq!(
        (details.id, details.name.as_deref()),
        (Some(7), Some("Seven"))
    );

    // `.await` on the builder sends it too.
    let cm = cakemail_client(&server).get_sub_account(7).await.unwrap();
    assert_eq!(cm.data.status, cakemail::types::AccountStatus::Active);
    assert_eq!(cm.data.created_at.to_rfc3339(), "2026-01-02T03:04:05+00:00");
}

#[tokio::test]
async fn debug_output_never_shows_credentials() {
    let client = sparkpost::Client::new().with_api_key_auth("sp-key-123");
    let shown = format!("{client:?}");
    assert!(!shown.contains("sp-key-123"), "{shown}");
    let client = cakemail::Client::new().with_bearer_auth("cm-token");
    assert!(!format!("{client:?}").contains("cm-token"));
}

/// A token passed as a default header is a credential too: neither the client's `Debug` nor
/// a hook that prints the request shows it (SparkPost's API-key header is `Authorization`).
#[tokio::test]
async fn default_headers_that_carry_credentials_never_print() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/subaccounts/7"))
        .and(header("Authorization", "sp-default-key"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"results": {"id": 7}})))
        .mount(&server)
        .await;
    let printed = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let seen = printed.clone();
    let client = sparkpost::Client::new()
        .with_base_url(server.uri())
        .with_default_header("Authorization", "sp-default-key")
        .with_default_header("X-Session-Token", "session-secret")
        .with_default_header("X-Request-Source", "docs")
        .with_hook(openapi_gen_runtime::request_hook(move |_, request| {
            *seen.lock().unwrap() = format!("{request:?}");
        }));
    let shown = format!("{client:?}");
    assert!(
        !shown.contains("sp-default-key") && !shown.contains("session-secret"),
        "{shown}"
    );
    assert!(shown.contains("docs"), "{shown}");
    // Still sent as given.
    client.get_subaccount(7).await.unwrap();
    let printed = printed.lock().unwrap().clone();
    assert!(printed.contains("x-request-source"), "{printed}");
    assert!(
        !printed.contains("sp-default-key") && !printed.contains("session-secret"),
        "{printed}"
    );
}

#[tokio::test]
async fn query_parameters_are_encoded_per_spec() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/subaccounts"))
        .and(query_param("status", "suspended"))
        .and(query_param("per_page", "50"))
        .and(query_param("sort_by", "updated_at"))
        .and(query_param("order", "asc"))
        .and(query_param("ids", "1,2,3"))
        .and(query_param("name", "Acme & Co"))
        .and(query_param_is_missing("cursor"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"results": [], "total_count": 0})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let page = sparkpost_client(&server)
        .list_subaccounts()
        .status(sparkpost::types::Status::Suspended)
        .per_page(50)
        .sort_by(sparkpost::types::ListSubaccountsSortBy::UpdatedAt)
        .order("asc")
        .ids("1,2,3")
        .name("Acme & Co")
        .send()
        .await
        .unwrap();
    assert_eq!(page.total_count, Some(0));
}

#[tokio::test]
async fn json_bodies_are_sent_typed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/sub-accounts"))
        .and(body_json(
            json!({"company_name": "Acme Corp", "admin_email": "admin@acmecorp.com"}),
        ))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(json!({"sub_account_id": 99, "data": sub_account(99, "active")})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let created = cakemail_client(&server)
        .create_sub_account(cakemail::types::CreateSubAccountRequest {
            company_name: "Acme Corp".into(),
            admin_email: "admin@acmecorp.com".into(),
        })
        .send()
        .await
        .unwrap();
    assert_eq!(created.sub_account_id, 99);
}

#[tokio::test]
async fn cakemail_pages_stream_every_item() {
    let server = MockServer::start().await;
    for page in 1..=3 {
        let ids: Vec<i64> = match page {
            1 => vec![1, 2],
            2 => vec![3, 4],
            _ => vec![5],
        };
        // The first request leaves `page` to the server's default (1).
        let expected_page = (page > 1).then(|| page.to_string());
        Mock::given(method("GET"))
            .and(path("/sub-accounts"))
            .and(move |req: &Request| {
                let sent = req
                    .url
                    .query_pairs()
                    .find(|(k, _)| k == "page")
                    .map(|(_, v)| v.into_owned());
                sent == expected_page
            })
            .and(query_param("per_page", "2"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "pagination": {"page": page, "per_page": 2, "count": 5},
                "data": ids.iter().map(|id| sub_account(*id, "active")).collect::<Vec<_>>(),
            })))
            .expect(1)
            .mount(&server)
            .await;
    }
    let ids: Vec<i64> = cakemail_client(&server)
        .list_sub_accounts()
        .per_page(2)
        .stream()
        .map(|r| r.unwrap().id)
        .collect()
        .await;
    assert_eq!(ids, [1, 2, 3, 4, 5]);
}

#[tokio::test]
async fn sparkpost_cursors_stream_every_item() {
    let server = MockServer::start().await;
    let detail = |id: i64| json!({"id": id, "name": format!("S{id}"), "status": "active"});
    Mock::given(method("GET"))
        .and(path("/subaccounts"))
        .and(query_param_is_missing("cursor"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "results": [detail(1), detail(2)], "total_count": 5,
            "links": {"next": "/api/v1/subaccounts?cursor=c2&per_page=2"}
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/subaccounts"))
        .and(query_param("cursor", "c2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "results": [detail(3), detail(4)], "total_count": 5, "links": {"next": "c3"}
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/subaccounts"))
        .and(query_param("cursor", "c3"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"results": [detail(5)], "total_count": 5, "links": {}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let ids: Vec<i64> = sparkpost_client(&server)
        .list_subaccounts()
        .per_page(2)
        .stream()
        .map(|r| r.unwrap().id.unwrap())
        .collect()
        .await;
    assert_eq!(ids, [1, 2, 3, 4, 5]);
}

#[tokio::test]
async fn idempotent_requests_retry_after_429_honouring_retry_after() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/subaccounts/summary"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/subaccounts/summary"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"results": {"total": 12}})))
        .expect(1)
        .mount(&server)
        .await;
    let started = Instant::now();
    let summary = sparkpost_client(&server)
        .get_subaccounts_summary()
        .send()
        .await
        .unwrap();
    assert_eq!(summary.results.unwrap().total, Some(12));
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "waited {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn posts_are_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/subaccounts"))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    let body = sparkpost::types::SubaccountRequest {
        name: "x".into(),
        ip_pool: None,
        setup_api_key: None,
        key_label: None,
        key_grants: None,
        key_valid_ips: None,
        options: None,
    };
    let err = sparkpost_client(&server)
        .create_subaccount(body)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
}

#[tokio::test]
async fn retries_stop_at_the_cap() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/subaccounts/summary"))
        .respond_with(ResponseTemplate::new(503))
        .expect(3)
        .mount(&server)
        .await;
    let policy = RetryPolicy {
        max_retries: 2,
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(50),
    };
    let err = sparkpost_client(&server)
        .with_retry(policy)
        .get_subaccounts_summary()
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
}

#[tokio::test]
async fn slow_responses_time_out() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/subaccounts/summary"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_delay(Duration::from_secs(5))
                .set_body_json(json!({})),
        )
        .mount(&server)
        .await;
    let client = sparkpost_client(&server).with_retry(RetryPolicy::none());
    let started = Instant::now();
    let err = client
        .get_subaccounts_summary()
        .timeout(Duration::from_millis(200))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                operation: "getSubaccountsSummary"
            }
        ),
        "{err:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(2));
    // The client-wide timeout applies when the request sets none.
    let err = client
        .with_timeout(Duration::from_millis(200))
        .get_subaccounts_summary()
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
}

#[tokio::test]
async fn error_bodies_are_typed_by_their_documented_status() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/subaccounts/5"))
        .respond_with(
            ResponseTemplate::new(400)
                .insert_header("X-Request-Id", "req-42")
                .set_body_json(json!({"errors": [{"message": "invalid status", "code": "1300"}]})),
        )
        .mount(&server)
        .await;
    let update = sparkpost::types::SubaccountUpdateRequest {
        name: None,
        status: Some("paused".into()),
        ip_pool: None,
        options: None,
    };
    let err = sparkpost_client(&server)
        .update_subaccount(5, update)
        .send()
        .await
        .unwrap_err();
    let api = err.api_error().expect("an API error");
    assert_eq!(api.status.as_u16(), 400);
    assert_eq!(api.request_id(), Some("req-42"));
    let Some(sparkpost::ops::UpdateSubaccountError::BadRequest(body)) = &api.body else {
        panic!("untyped body: {api:?}")
    };
    assert_eq!(
        body.errors.as_ref().unwrap()[0].message.as_deref(),
        Some("invalid status")
    );
    assert!(api.raw_text().contains("1300"));

    // An undocumented status keeps the raw body, with no typed body.
    Mock::given(method("GET"))
        .and(path("/subaccounts/6"))
        .respond_with(ResponseTemplate::new(418).set_body_string("teapot"))
        .mount(&server)
        .await;
    let err = sparkpost_client(&server)
        .get_subaccount(6)
        .send()
        .await
        .unwrap_err();
    let api = err.api_error().unwrap();
    assert_eq!(
        (api.status.as_u16(), api.raw_text().as_str()),
        (418, "teapot")
    );
    assert!(api.body.is_none());
}

#[tokio::test]
async fn unknown_enum_values_are_kept_not_rejected() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/sub-accounts/3"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"data": sub_account(3, "pending_review")})),
        )
        .mount(&server)
        .await;
    let got = cakemail_client(&server)
        .get_sub_account(3)
        .send()
        .await
        .unwrap();
    assert_eq!(
        got.data.status,
        cakemail::types::AccountStatus::Unknown("pending_review".into())
    );
    assert_eq!(got.data.status.as_str(), "pending_review");
}

#[tokio::test]
async fn unexpected_content_types_are_errors_not_panics() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/sub-accounts/4"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw("<html>maintenance</html>", "text/html"),
        )
        .mount(&server)
        .await;
    let err = cakemail_client(&server)
        .get_sub_account(4)
        .send()
        .await
        .unwrap_err();
    match err {
        Error::Decode {
            operation,
            status,
            content_type,
            ..
        } => {
            assert_eq!(operation, "getSubAccount");
            assert_eq!(status.as_u16(), 200);
            assert_eq!(content_type.as_deref(), Some("text/html"));
        }
        other => panic!("{other:?}"),
    }
    // An empty body where JSON is documented is a decode error too.
    Mock::given(method("GET"))
        .and(path("/sub-accounts/5"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    assert!(matches!(
        cakemail_client(&server).get_sub_account(5).send().await,
        Err(Error::Decode { .. })
    ));
}

#[tokio::test]
async fn a_scoped_client_acts_for_a_sub_account() {
    let server = MockServer::start().await;
    let empty = json!({"pagination": {"page": 1, "per_page": 50, "count": 0}, "data": []});
    Mock::given(method("GET"))
        .and(path("/campaigns"))
        .and(query_param("account_id", "42"))
        .respond_with(ResponseTemplate::new(200).set_body_json(empty.clone()))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/campaigns"))
        .and(query_param("account_id", "7"))
        .respond_with(ResponseTemplate::new(200).set_body_json(empty.clone()))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/campaigns"))
        .and(query_param_is_missing("account_id"))
        .respond_with(ResponseTemplate::new(200).set_body_json(empty))
        .expect(1)
        .mount(&server)
        .await;
    let partner = cakemail_client(&server);
    let acme = partner.for_account(42);
    acme.list_campaigns().send().await.unwrap();
    // A request's own value wins over the scope.
    acme.list_campaigns().account_id(7).send().await.unwrap();
    // The partner's own client is unchanged.
    partner.list_campaigns().send().await.unwrap();
    // Operations without the parameter are not affected.
    Mock::given(method("GET"))
        .and(path("/sub-accounts/42"))
        .respond_with(|req: &Request| {
            assert!(req.url.query().is_none(), "{}", req.url);
            ResponseTemplate::new(200).set_body_json(json!({"data": sub_account(42, "suspended")}))
        })
        .mount(&server)
        .await;
    acme.get_sub_account(42).send().await.unwrap();
}

#[tokio::test]
async fn success_values_come_with_the_raw_response_on_request() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/sub-accounts/8/suspend"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("X-Request-Id", "r-8")
                .set_body_json(json!({"data": sub_account(8, "suspended")})),
        )
        .mount(&server)
        .await;
    let response = cakemail_client(&server)
        .suspend_sub_account(8)
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.status.as_u16(), 200);
    assert_eq!(response.headers.get("x-request-id").unwrap(), "r-8");
    assert_eq!(
        response.value.data.status,
        cakemail::types::AccountStatus::Suspended
    );
    assert!(!response.raw.is_empty());
}

/// A span's name and fields.
type SpanRecord = (String, std::collections::BTreeMap<String, String>);

/// Records the spans opened while it is the default subscriber, with their fields.
#[derive(Clone, Default)]
struct Spans(std::sync::Arc<std::sync::Mutex<Vec<SpanRecord>>>);

struct Fields<'a>(&'a mut std::collections::BTreeMap<String, String>);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.insert(
            field.name().to_string(),
            format!("{value:?}").trim_matches('"').to_string(),
        );
    }
}

impl tracing::Subscriber for Spans {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut fields = std::collections::BTreeMap::new();
        span.record(&mut Fields(&mut fields));
        let mut spans = self.0.lock().unwrap();
        spans.push((span.metadata().name().to_string(), fields));
        tracing::span::Id::from_u64(spans.len() as u64)
    }
    fn record(&self, span: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut spans = self.0.lock().unwrap();
        if let Some((_, fields)) = spans.get_mut(span.into_u64() as usize - 1) {
            values.record(&mut Fields(fields));
        }
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, _: &tracing::Event<'_>) {}
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

/// The spans of this test binary: a global subscriber (a scoped one can miss callsites that
/// other tests' threads registered first).
fn spans() -> &'static Spans {
    static SPANS: std::sync::OnceLock<Spans> = std::sync::OnceLock::new();
    SPANS.get_or_init(|| {
        let spans = Spans::default();
        tracing::subscriber::set_global_default(spans.clone()).expect("the only subscriber");
        spans
    })
}

#[tokio::test]
async fn each_call_runs_in_a_span_with_the_http_client_attributes() {
    let spans = spans();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/subaccounts/summary"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/subaccounts/summary"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"results": {"total": 2}})))
        .mount(&server)
        .await;
    let total = sparkpost_client(&server)
        .with_default_header("x-test", "spans")
        .get_subaccounts_summary()
        .await
        .unwrap()
        .results
        .unwrap()
        .total;
    assert_eq!(total, Some(2));
    let spans = spans.0.lock().unwrap();
    // This call's span: the one sent to this server.
    let (_, span) = spans
        .iter()
        .find(|(name, fields)| {
            name == "http.client.request"
                && fields.get("server.address").map(String::as_str) == Some(server.uri().as_str())
        })
        .expect("a client span");
    assert_eq!(span["otel.name"], "GET /subaccounts/summary");
    assert_eq!(span["otel.kind"], "client");
    assert_eq!(span["operation"], "getSubaccountsSummary");
    assert_eq!(span["http.request.method"], "GET");
    assert_eq!(span["url.template"], "/subaccounts/summary");
    assert_eq!(span["http.response.status_code"], "200");
    // Sent twice: one resend.
    assert_eq!(span["http.request.resend_count"], "1");
    assert!(!span.contains_key("error.type"), "{span:?}");
}

/// An async hook: counts responses after yielding once.
struct CountResponses(std::sync::Arc<std::sync::atomic::AtomicUsize>);

impl openapi_gen_runtime::Hook for CountResponses {
    fn on_response<'a>(
        &'a self,
        _: &'static str,
        _: &'a openapi_gen_runtime::RawResponse,
    ) -> openapi_gen_runtime::HookFuture<'a> {
        Box::pin(async move {
            tokio::task::yield_now().await;
            self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        })
    }
}

#[tokio::test]
async fn hooks_default_headers_and_the_user_agent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/subaccounts/summary"))
        // The generated crate's name and version, unless the caller says otherwise.
        .and(header("user-agent", "generated-client/0.1.0"))
        .and(header("x-team", "billing"))
        // Added by a hook that sees the finished request.
        .and(header(
            "x-signature",
            "getSubaccountsSummary GET /subaccounts/summary",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"results": {"total": 1}})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/subaccounts/summary"))
        .and(header("user-agent", "my-app/2.0"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"results": {"total": 9}})))
        .expect(1)
        .mount(&server)
        .await;
    let statuses = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = statuses.clone();
    let counted = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let client = sparkpost_client(&server)
        .with_default_header("x-team", "billing")
        .with_hook(openapi_gen_runtime::request_hook(|operation, request| {
            let signature = format!("{operation} {} {}", request.method(), request.url().path());
            request
                .headers_mut()
                .insert("x-signature", signature.parse().unwrap());
        }))
        .with_hook(openapi_gen_runtime::response_hook(move |_, response| {
            seen.lock().unwrap().push(response.status.as_u16());
        }))
        .with_hook(CountResponses(counted.clone()));
    let total = client
        .get_subaccounts_summary()
        .await
        .unwrap()
        .results
        .unwrap()
        .total;
    assert_eq!(total, Some(1));
    assert_eq!(*statuses.lock().unwrap(), [200]);
    assert_eq!(counted.load(std::sync::atomic::Ordering::SeqCst), 1);
    let total = client
        .with_user_agent("my-app/2.0")
        .get_subaccounts_summary()
        .await
        .unwrap()
        .results
        .unwrap()
        .total;
    assert_eq!(total, Some(9));
}
