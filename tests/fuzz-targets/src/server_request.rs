//! Arbitrary method, path, query, headers and body → the generated routers of both bundled
//! specs, serving the sandbox's implementations: never a panic, never a 5xx.

use std::sync::OnceLock;

use arbitrary::{Arbitrary, Unstructured};
use openapi_gen_runtime::server::axum;
use openapi_gen_runtime::server::axum::body::Body;
use openapi_gen_runtime::server::axum::http::{Method, Request};
use tower::ServiceExt;

const METHODS: &[&str] = &[
    "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "BREW",
];
const PATHS: &[&str] = &[
    "/sparkpost/subaccounts",
    "/sparkpost/subaccounts/summary",
    "/sparkpost/subaccounts/",
    "/cakemail/sub-accounts",
    "/cakemail/sub-accounts/",
    "/cakemail/campaigns",
    "/cakemail/campaigns/",
    "/cakemail/lists/",
    "/cakemail/contacts",
    "/cakemail/templates/",
    "/",
    "",
];
const CONTENT_TYPES: &[&str] = &[
    "application/json",
    "application/json; charset=utf-8",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=X",
    "text/plain",
    "application/merge-patch+json",
];
const CREDENTIALS: &[(&str, &str)] = &[
    ("authorization", "Bearer fuzz-secret"),
    ("authorization", "fuzz-secret"),
    ("authorization", "Basic Zm9vOmJhcg=="),
    ("authorization", "Bearer wrong"),
    ("x-api-key", "fuzz-secret"),
];

/// A request in the fuzzer's words.
#[derive(Debug, Arbitrary)]
struct Fuzzed {
    method: u8,
    path: u8,
    tail: String,
    query: String,
    content_type: Option<u8>,
    credential: Option<u8>,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    json: bool,
}

fn app() -> &'static (tokio::runtime::Runtime, axum::Router) {
    static APP: OnceLock<(tokio::runtime::Runtime, axum::Router)> = OnceLock::new();
    APP.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let sandbox = sandbox::Sandbox::open(
            &sandbox::Storage::Memory,
            sandbox::Partners::new([("fuzz".to_string(), "fuzz-secret".to_string())]),
        )
        .expect("an in-memory sandbox");
        let router = sandbox.router(openapi_gen_runtime::server::Config::default());
        (runtime, router)
    })
}

/// Serves the request `data` describes.
pub fn run(data: &[u8]) {
    let Ok(f) = Fuzzed::arbitrary(&mut Unstructured::new(data)) else {
        return;
    };
    let method = METHODS[usize::from(f.method) % METHODS.len()];
    let mut uri = format!("{}{}", PATHS[usize::from(f.path) % PATHS.len()], f.tail);
    if !f.query.is_empty() {
        uri = format!("{uri}?{}", f.query);
    }
    let Ok(method) = Method::from_bytes(method.as_bytes()) else {
        return;
    };
    let mut request = Request::builder().method(method).uri(uri);
    if let Some(i) = f.content_type {
        request = request.header(
            "content-type",
            CONTENT_TYPES[usize::from(i) % CONTENT_TYPES.len()],
        );
    }
    if let Some(i) = f.credential {
        let (k, v) = CREDENTIALS[usize::from(i) % CREDENTIALS.len()];
        request = request.header(k, v);
    }
    for (k, v) in &f.headers {
        request = request.header(k.as_str(), v.as_str());
    }
    // Half of the bodies are JSON the fuzzer shapes, which gets past the first checks.
    let body = if f.json {
        serde_json::from_slice::<serde_json::Value>(&f.body)
            .map(|v| v.to_string().into_bytes())
            .unwrap_or(f.body)
    } else {
        f.body
    };
    let Ok(request) = request.body(Body::from(body)) else {
        return;
    };
    let (runtime, router) = app();
    let response = runtime
        .block_on(router.clone().oneshot(request))
        .expect("a router never fails");
    let status = response.status();
    assert!(
        !status.is_server_error(),
        "the router answered {status} to a request it should have judged"
    );
}
