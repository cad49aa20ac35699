//! `openapi-gen mock` for the bundled specs, over 127.0.0.1: the generated clients call it
//! and decode every answer into their typed variants (successes, and documented errors asked
//! for with `Prefer: code=`); named examples and dynamic answers; refusals of invalid
//! requests in the spec's own error shape.

use std::path::Path;

use generated_client::{cakemail_partner as cakemail, sparkpost_subaccounts as sparkpost};
use openapi_gen::ir::Api;
use openapi_gen::mock::{self, Direction, MockOptions, Synth};
use openapi_gen_runtime::Error;
use serde_json::{json, Value};

fn load(spec: &str) -> Api {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("specs")
        .join(spec);
    openapi_gen::load_file(&path)
        .expect("the bundled spec loads")
        .api
}

/// Serves `api`'s mock on a free port; its base URL.
async fn serve(api: &Api, seed: u64) -> String {
    serve_with(
        api,
        MockOptions {
            seed,
            stateful: false,
        },
    )
    .await
}

async fn serve_with(api: &Api, options: MockOptions) -> String {
    let (app, _) = mock::app(std::slice::from_ref(api), options);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        openapi_gen_runtime::server::axum::serve(listener, app)
            .await
            .unwrap()
    });
    base
}

/// A valid request body of operation `id`, made from its schema, as the client's type.
fn body<T: openapi_gen_runtime::serde::de::DeserializeOwned>(api: &Api, id: &str) -> T {
    let op = api
        .operations
        .iter()
        .find(|o| o.operation_id.as_deref() == Some(id))
        .expect("the operation");
    let content = &op.request_body.as_ref().expect("a body").contents[0];
    let value = Synth::new(api, 7, false, Direction::Request).value(&content.ty);
    serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{id}: {e}: {value}"))
}

fn status<E>(e: &Error<E>) -> u16 {
    match e {
        Error::Api { error, .. } => error.status.as_u16(),
        other => panic!("expected an API error, got {other}"),
    }
}

fn typed<E: Clone>(e: &Error<E>) -> E {
    match e {
        Error::Api { error, .. } => error.body.clone().expect("a documented error body"),
        other => panic!("expected an API error, got {other}"),
    }
}

#[tokio::test]
async fn sparkpost_clients_decode_every_answer_of_the_mock() {
    let api = load("sparkpost-subaccounts.yaml");
    let base = serve(&api, 1).await;
    let client = sparkpost::Client::new()
        .with_base_url(&base)
        .with_api_key_auth("key");
    let listed = client.list_subaccounts().await.unwrap();
    assert!(!listed.results.unwrap_or_default().is_empty());
    client
        .create_subaccount(body::<sparkpost::types::SubaccountRequest>(
            &api,
            "createSubaccount",
        ))
        .await
        .unwrap();
    client.get_subaccounts_summary().await.unwrap();
    client.get_subaccount(7).await.unwrap();
    client
        .update_subaccount(
            7,
            body::<sparkpost::types::SubaccountUpdateRequest>(&api, "updateSubaccount"),
        )
        .await
        .unwrap();

    // Each documented error, asked for, decodes into its typed variant.
    for (code, expect) in [
        (400, "BadRequest"),
        (401, "Unauthorized"),
        (404, "NotFound"),
    ] {
        let asking = client
            .clone()
            .with_default_header("Prefer", format!("code={code}"));
        let error = asking.get_subaccount(7).await.unwrap_err();
        assert_eq!(status(&error), code);
        assert!(
            format!("{:?}", typed(&error)).starts_with(expect),
            "{error}"
        );
    }

    // Without credentials, refused as the generated server refuses, before any answer.
    let anonymous = sparkpost::Client::new().with_base_url(&base);
    let refused = anonymous.list_subaccounts().await.unwrap_err();
    assert_eq!(status(&refused), 401);
    // An invalid body: a 400 in SparkPost's own error shape.
    let response = openapi_gen_runtime::reqwest::Client::new()
        .post(format!("{base}/subaccounts"))
        .header("Authorization", "key")
        .json(&json!({"name": 7}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let problem: sparkpost::types::ErrorResponse = response.json().await.unwrap();
    assert!(!problem.errors.unwrap().is_empty());
}

#[tokio::test]
async fn cakemail_clients_decode_every_answer_of_the_mock() {
    let api = load("cakemail-partner.yaml");
    let base = serve(&api, 1).await;
    let client = cakemail::Client::new()
        .with_base_url(&base)
        .with_bearer_auth("token");
    let listed = client.list_sub_accounts().await.unwrap();
    assert!(!listed.data.is_empty());
    let created = client
        .create_sub_account(body::<cakemail::types::CreateSubAccountRequest>(
            &api,
            "createSubAccount",
        ))
        .await
        .unwrap();
    client.get_sub_account(created.data.id).await.unwrap();
    client
        .update_sub_account(
            created.data.id,
            body::<cakemail::types::UpdateSubAccountRequest>(&api, "updateSubAccount"),
        )
        .await
        .unwrap();
    client.suspend_sub_account(created.data.id).await.unwrap();
    client.unsuspend_sub_account(created.data.id).await.unwrap();
    client.delete_sub_account(created.data.id).await.unwrap();
    client.list_campaigns().await.unwrap();
    client.list_lists().await.unwrap();
    client.list_contacts(3).await.unwrap();
    client.list_templates().await.unwrap();
    // Scoped to a sub-account (a header parameter), as the spec allows.
    client.for_account(42).list_lists().await.unwrap();

    let missing = client
        .clone()
        .with_default_header("Prefer", "code=404")
        .get_sub_account(9)
        .await
        .unwrap_err();
    assert_eq!(status(&missing), 404);
    let conflict = client
        .clone()
        .with_default_header("Prefer", "code=409")
        .create_sub_account(body::<cakemail::types::CreateSubAccountRequest>(
            &api,
            "createSubAccount",
        ))
        .await
        .unwrap_err();
    assert_eq!(status(&conflict), 409);
}

#[tokio::test]
async fn examples_come_first_and_prefer_chooses_among_them() {
    let api = load("cakemail-partner.yaml");
    let base = serve(&api, 1).await;
    let http = openapi_gen_runtime::reqwest::Client::new();
    let get = |prefer: &'static str| {
        let request = http
            .get(format!("{base}/sub-accounts/5"))
            .bearer_auth("token")
            .header("Prefer", prefer);
        async move {
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            (status, response.json::<Value>().await.unwrap())
        }
    };
    // The 404 response's own example, word for word.
    let (status, body) = get("code=404").await;
    assert_eq!(status, 404);
    assert_eq!(
        body,
        json!({"error": "not_found", "message": "Sub-account 1234 was not found."})
    );
    let (status, named) = get("code=404, example=example").await;
    assert_eq!((status, &named), (404, &body));
    // An example the response does not have: the mock says so.
    let (status, problem) = get("example=nope").await;
    assert_eq!(status, 500, "{problem}");
    assert!(
        problem.to_string().contains("no example named `nope`"),
        "{problem}"
    );
    // A status the operation does not document.
    let (status, problem) = get("code=418").await;
    assert_eq!(status, 500, "{problem}");
}

#[tokio::test]
async fn answers_are_the_seeds_unless_dynamic() {
    let api = load("sparkpost-subaccounts.yaml");
    let (one, other) = (serve(&api, 1).await, serve(&api, 1).await);
    let http = openapi_gen_runtime::reqwest::Client::new();
    let get = |base: &str, prefer: Option<&'static str>| {
        let mut request = http
            .get(format!("{base}/subaccounts/3"))
            .header("Authorization", "key");
        if let Some(p) = prefer {
            request = request.header("Prefer", p);
        }
        async move { request.send().await.unwrap().text().await.unwrap() }
    };
    // The same seed, the same answer, every time.
    let first = get(&one, None).await;
    assert_eq!(get(&one, None).await, first);
    assert_eq!(get(&other, None).await, first);
    // Dynamic answers differ from one another, and each still decodes.
    let drawn: Vec<String> =
        futures::future::join_all((0..4).map(|_| get(&one, Some("dynamic=true")))).await;
    assert!(drawn.iter().any(|d| d != &drawn[0]), "{drawn:?}");
    for text in &drawn {
        serde_json::from_str::<sparkpost::types::SubaccountResponse>(text)
            .unwrap_or_else(|e| panic!("{e}: {text}"));
    }
}

/// Paginated lists have a few pages, then end: the generated clients' auto-pagination walks
/// them all and stops.
#[tokio::test]
async fn paginated_lists_end_after_a_few_pages() {
    use futures::StreamExt;
    let ten_seconds = std::time::Duration::from_secs(10);

    // SparkPost: a cursor in `links.next`.
    let api = load("sparkpost-subaccounts.yaml");
    let client = sparkpost::Client::new()
        .with_base_url(serve(&api, 1).await)
        .with_api_key_auth("key");
    let items: Vec<_> = tokio::time::timeout(
        ten_seconds,
        client.list_subaccounts().stream().collect::<Vec<_>>(),
    )
    .await
    .expect("the pages end");
    assert_eq!(items.len(), 3, "{items:?}");
    assert!(items.iter().all(Result::is_ok));

    // Cakemail: page numbers, with a total.
    let api = load("cakemail-partner.yaml");
    let client = cakemail::Client::new()
        .with_base_url(serve(&api, 1).await)
        .with_bearer_auth("token");
    let items: Vec<_> = tokio::time::timeout(
        ten_seconds,
        client.list_sub_accounts().stream().collect::<Vec<_>>(),
    )
    .await
    .expect("the pages end");
    assert!(
        !items.is_empty() && items.iter().all(Result::is_ok),
        "{items:?}"
    );
}

/// `--stateful`: what is created is listed, returned, changed and deleted.
#[tokio::test]
async fn a_stateful_mock_keeps_what_is_created() {
    let api = load("cakemail-partner.yaml");
    let base = serve_with(
        &api,
        MockOptions {
            seed: 1,
            stateful: true,
        },
    )
    .await;
    let client = cakemail::Client::new()
        .with_base_url(&base)
        .with_bearer_auth("token");
    assert!(client.list_sub_accounts().await.unwrap().data.is_empty());

    let mut request: cakemail::types::CreateSubAccountRequest = body(&api, "createSubAccount");
    request.company_name = "Acme".into();
    let created = client.create_sub_account(request).await.unwrap().data;
    assert_eq!(created.company_name, "Acme");
    let other = client
        .create_sub_account(body::<cakemail::types::CreateSubAccountRequest>(
            &api,
            "createSubAccount",
        ))
        .await
        .unwrap()
        .data;
    assert_ne!(other.id, created.id);

    let fetched = client.get_sub_account(created.id).await.unwrap().data;
    assert_eq!(
        (fetched.id, fetched.company_name.as_str()),
        (created.id, "Acme")
    );
    let listed = client.list_sub_accounts().await.unwrap().data;
    assert_eq!(
        listed.iter().map(|a| a.id).collect::<Vec<_>>(),
        [created.id, other.id]
    );

    let mut change: cakemail::types::UpdateSubAccountRequest = body(&api, "updateSubAccount");
    change.company_name = Some("Acme Two".into());
    client.update_sub_account(created.id, change).await.unwrap();
    let fetched = client.get_sub_account(created.id).await.unwrap().data;
    assert_eq!(fetched.company_name, "Acme Two");

    client.delete_sub_account(created.id).await.unwrap();
    let gone = client.get_sub_account(created.id).await.unwrap_err();
    assert_eq!(status(&gone), 404);
    let listed = client.list_sub_accounts().await.unwrap().data;
    assert_eq!(listed.iter().map(|a| a.id).collect::<Vec<_>>(), [other.id]);
    // Other collections are apart.
    assert!(client.list_lists().await.unwrap().data.is_empty());
}

/// `--proxy`: answers pass through unchanged; what does not conform is reported.
#[tokio::test]
async fn the_proxy_reports_an_upstream_that_drifts() {
    use openapi_gen_runtime::server::axum::{self, routing::get};
    use std::sync::Arc;

    // An upstream that drifts from the spec on purpose.
    fn json_reply(status: u16, body: Value) -> impl axum::response::IntoResponse {
        (
            openapi_gen_runtime::StatusCode::from_u16(status).unwrap(),
            [("content-type", "application/json")],
            body.to_string(),
        )
    }
    let upstream = axum::Router::new()
        .route(
            "/sub-accounts",
            get(|| async {
                let page = json!({"page": 1, "per_page": 1, "count": 0});
                json_reply(200, json!({"data": "not a list", "pagination": page}))
            })
            .post(|| async {
                json_reply(
                    201,
                    json!({
                        "sub_account_id": 5,
                        "data": {"id": 5, "company_name": "Acme", "admin_email": "a@acme.example",
                                 "status": "active", "created_at": "2024-01-01T00:00:00Z"}
                    }),
                )
            }),
        )
        .route(
            "/sub-accounts/{id}",
            get(|| async { (openapi_gen_runtime::StatusCode::IM_A_TEAPOT, "teapot") }),
        )
        .route("/campaigns", get(|| async { "plain text" }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let upstream_url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, upstream).await.unwrap() });

    let api = load("cakemail-partner.yaml");
    let report = Arc::new(mock::proxy::Report::default());
    let app = mock::proxy::router(&api, &upstream_url, Arc::clone(&report));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let http = openapi_gen_runtime::reqwest::Client::new();
    let send = |method: &str, path: &str, body: Option<Value>| {
        let mut request = http
            .request(method.parse().unwrap(), format!("{base}{path}"))
            .bearer_auth("token");
        if let Some(body) = body {
            request = request.json(&body);
        }
        async move {
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            (status, response.text().await.unwrap())
        }
    };
    // Passed through unchanged, whatever they are.
    assert_eq!(
        send("GET", "/sub-accounts/1", None).await,
        (418, "teapot".into())
    );
    let (status, text) = send("GET", "/sub-accounts", None).await;
    assert_eq!(status, 200);
    assert!(text.contains("not a list"));
    assert_eq!(
        send("GET", "/campaigns", None).await,
        (200, "plain text".into())
    );
    // A conforming exchange is not reported.
    let good = json!({"company_name": "Acme", "admin_email": "a@acme.example"});
    assert_eq!(send("POST", "/sub-accounts", Some(good)).await.0, 201);
    // A request the generated server would refuse is reported, and forwarded all the same.
    let (status, _) = send(
        "POST",
        "/sub-accounts",
        Some(json!({"company_name": "Acme"})),
    )
    .await;
    assert_eq!(status, 201);

    let findings = report.findings();
    let kinds: Vec<(&str, &str)> = findings
        .iter()
        .map(|f| (f.operation.as_str(), f.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            (
                "GET /sub-accounts/{sub_account_id} (getSubAccount)",
                "status"
            ),
            ("GET /sub-accounts (listSubAccounts)", "body"),
            ("GET /campaigns (listCampaigns)", "media-type"),
            ("POST /sub-accounts (createSubAccount)", "request"),
        ],
        "{findings:#?}"
    );
    assert!(findings[1].message.contains("/data"), "{}", findings[1]);
    assert!(
        findings[3].message.contains("admin_email"),
        "{}",
        findings[3]
    );
    assert_eq!(report.requests(), 5);
    assert!(
        report
            .summary()
            .starts_with("proxy: 5 requests, 4 not conforming"),
        "{}",
        report.summary()
    );
}
