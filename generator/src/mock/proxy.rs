//! `openapi-gen mock --proxy URL`: a validation proxy. Each request is forwarded to the real
//! API and its response passed back unchanged; on the way, whatever does not conform to the
//! spec is reported. A request is checked by the same validating dispatcher as the mock (a
//! request the generated server would refuse is reported, and forwarded all the same); a
//! response, against its operation's documented statuses, media types, body schemas and
//! required headers.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use openapi_gen_runtime::server::axum::body::{to_bytes, Body};
use openapi_gen_runtime::server::axum::response::{IntoResponse, Response};
use openapi_gen_runtime::server::{axum, Compiled, Config, Dispatcher, Reply, Schemas};
use openapi_gen_runtime::{reqwest, Bytes};
use serde_json::Value;
use tower::ServiceExt;

use super::table;
use crate::emit::schema;
use crate::ir::*;

/// The largest body the proxy reads (and forwards).
const BODY_LIMIT: usize = 16 * 1024 * 1024;

/// Tells the proxy which operation a request that passed validation is.
const CHECKED: &str = "x-openapi-gen-checked";

/// What the proxy saw that the spec does not say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// `GET /sub-accounts/{sub_account_id} (getSubAccount)`, or the request's method and
    /// path when it matches no operation.
    pub operation: String,
    /// `request`, `status`, `media-type`, `body` or `header`.
    pub kind: &'static str,
    /// What does not conform, in a sentence.
    pub message: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} [{}]: {}", self.operation, self.kind, self.message)
    }
}

/// Everything the proxy has seen.
#[derive(Debug, Default)]
pub struct Report {
    requests: AtomicUsize,
    findings: Mutex<Vec<Finding>>,
}

impl Report {
    /// How many requests went through.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::Relaxed)
    }

    /// What did not conform, in the order seen.
    pub fn findings(&self) -> Vec<Finding> {
        self.findings
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn add(&self, finding: Finding) {
        tracing_line(&finding);
        self.findings
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(finding);
    }

    /// A summary: the count of requests and of findings of each kind.
    pub fn summary(&self) -> String {
        let findings = self.findings();
        let mut kinds: Vec<(&str, usize)> = Vec::new();
        for f in &findings {
            match kinds.iter_mut().find(|(k, _)| *k == f.kind) {
                Some((_, n)) => *n += 1,
                None => kinds.push((f.kind, 1)),
            }
        }
        let kinds: Vec<String> = kinds.iter().map(|(k, n)| format!("{n} {k}")).collect();
        format!(
            "proxy: {} requests, {} not conforming to the spec{}",
            self.requests(),
            findings.len(),
            if kinds.is_empty() {
                String::new()
            } else {
                format!(" ({})", kinds.join(", "))
            }
        )
    }
}

/// Each finding, as it is seen, on standard error.
fn tracing_line(finding: &Finding) {
    eprintln!("proxy: {finding}");
}

/// A router that forwards every request to `upstream` (`https://api.example.com/v1`) and
/// reports to `report` what does not conform to `api`.
pub fn router(api: &Api, upstream: &str, report: Arc<Report>) -> axum::Router {
    let proxy = Arc::new(Proxy {
        api: api.clone(),
        checker: checker(api),
        upstream: upstream.trim_end_matches('/').to_string(),
        http: reqwest::Client::new(),
        schemas: Schemas::new(&schema::defs(api)),
        compiled: Mutex::new(HashMap::new()),
        report,
    });
    axum::Router::new().fallback(move |request: axum::extract::Request| {
        let proxy = Arc::clone(&proxy);
        async move { proxy.forward(request).await }
    })
}

/// The mock's validating dispatcher, each operation answering only which it is.
fn checker(api: &Api) -> axum::Router {
    let mut dispatcher = Dispatcher::new(table::api(api), Config::default().body_limit(BODY_LIMIT));
    for (index, op) in api.operations.iter().enumerate() {
        dispatcher = dispatcher.operation(table::operation(api, op), move |_| {
            Box::pin(async move { Ok(Reply::empty(204).header(CHECKED, &index)) })
        });
    }
    dispatcher.into_router()
}

/// A response schema, or why it does not compile.
type CompiledSchema = Result<Compiled, String>;

struct Proxy {
    api: Api,
    checker: axum::Router,
    upstream: String,
    http: reqwest::Client,
    schemas: Schemas,
    /// Response schemas compiled so far, by operation, status and media type.
    compiled: Mutex<HashMap<(usize, usize, usize), Arc<CompiledSchema>>>,
    report: Arc<Report>,
}

impl Proxy {
    async fn forward(&self, request: axum::extract::Request) -> Response {
        self.report.requests.fetch_add(1, Ordering::Relaxed);
        let (parts, body) = request.into_parts();
        let body = match to_bytes(body, BODY_LIMIT).await {
            Ok(b) => b,
            Err(e) => return (http::StatusCode::PAYLOAD_TOO_LARGE, e.to_string()).into_response(),
        };
        let (index, refusal) = self.check_request(&parts, &body).await;
        let subject = match index {
            Some(i) => describe(&self.api.operations[i]),
            None => format!("{} {}", parts.method, parts.uri.path()),
        };
        if let Some(refusal) = refusal {
            self.report.add(Finding {
                operation: subject.clone(),
                kind: "request",
                message: refusal,
            });
        }
        let path_and_query = parts.uri.path_and_query().map_or("/", |p| p.as_str());
        let mut upstream = self
            .http
            .request(
                parts.method.clone(),
                format!("{}{path_and_query}", self.upstream),
            )
            .body(body);
        for (name, value) in &parts.headers {
            if !matches!(name.as_str(), "host" | "content-length" | "connection") {
                upstream = upstream.header(name, value);
            }
        }
        let response = match upstream.send().await {
            Ok(r) => r,
            Err(e) => {
                return (
                    http::StatusCode::BAD_GATEWAY,
                    format!("the upstream API did not answer: {e}"),
                )
                    .into_response()
            }
        };
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.unwrap_or_default();
        if let Some(i) = index {
            for (kind, message) in self.check_response(i, status.as_u16(), &headers, &bytes) {
                self.report.add(Finding {
                    operation: subject.clone(),
                    kind,
                    message,
                });
            }
        }
        let mut out = Response::new(Body::from(bytes));
        *out.status_mut() = status;
        for (name, value) in &headers {
            if !matches!(
                name.as_str(),
                "transfer-encoding" | "connection" | "content-length"
            ) {
                out.headers_mut().append(name, value.clone());
            }
        }
        out
    }

    /// The request's operation, and why the generated server would refuse it, if it would.
    async fn check_request(
        &self,
        parts: &http::request::Parts,
        body: &Bytes,
    ) -> (Option<usize>, Option<String>) {
        let mut request = http::Request::new(Body::from(body.clone()));
        *request.method_mut() = parts.method.clone();
        *request.uri_mut() = parts.uri.clone();
        *request.headers_mut() = parts.headers.clone();
        // The router's error type is `Infallible`.
        let Ok(checked) = self.checker.clone().oneshot(request).await;
        if let Some(index) = checked
            .headers()
            .get(CHECKED)
            .and_then(|v| v.to_str().ok()?.parse::<usize>().ok())
        {
            return (Some(index), None);
        }
        let status = checked.status();
        let text = to_bytes(checked.into_body(), BODY_LIMIT)
            .await
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default();
        let index = operation_at(&self.api, &parts.method, parts.uri.path());
        (
            index,
            Some(format!("the generated server answers {status}: {text}")),
        )
    }

    /// What is wrong with the response of operation `index`.
    fn check_response(
        &self,
        index: usize,
        status: u16,
        headers: &http::HeaderMap,
        body: &[u8],
    ) -> Vec<(&'static str, String)> {
        let op = &self.api.operations[index];
        let documented = op
            .responses
            .iter()
            .position(|r| r.status == StatusCode::Code(status))
            .or_else(|| {
                let range = StatusCode::Range((status / 100) as u8);
                op.responses.iter().position(|r| r.status == range)
            })
            .or_else(|| {
                op.responses
                    .iter()
                    .position(|r| r.status == StatusCode::Default)
            });
        let Some(r) = documented else {
            return vec![("status", format!("{status} is not a documented status"))];
        };
        let response = &op.responses[r];
        let mut out = Vec::new();
        for h in response.headers.iter().filter(|h| h.required) {
            if !headers.contains_key(h.name.as_str()) {
                out.push((
                    "header",
                    format!("{status} lacks the required header `{}`", h.name),
                ));
            }
        }
        if response.contents.is_empty() || body.is_empty() {
            return out;
        }
        let media = headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let essence = media_essence(media);
        let content = response
            .contents
            .iter()
            .position(|c| media_in_range(&essence, &media_essence(&c.media_type)));
        let Some(c) = content else {
            let listed: Vec<&str> = response
                .contents
                .iter()
                .map(|c| c.media_type.as_str())
                .collect();
            out.push((
                "media-type",
                format!(
                    "{status} is `{media}`; the spec documents {}",
                    listed.join(", ")
                ),
            ));
            return out;
        };
        let content = &response.contents[c];
        if content.kind != MediaKind::Json {
            return out;
        }
        let value: Value = match serde_json::from_slice(body) {
            Ok(v) => v,
            Err(e) => {
                out.push(("body", format!("{status} is not JSON: {e}")));
                return out;
            }
        };
        let compiled = {
            let mut cache = self.compiled.lock().unwrap_or_else(|e| e.into_inner());
            Arc::clone(cache.entry((index, r, c)).or_insert_with(|| {
                Arc::new(
                    self.schemas
                        .compile(&schema::use_site(&self.api, &content.ty)),
                )
            }))
        };
        if let Ok(compiled) = compiled.as_ref() {
            for problem in compiled.problems(&value, 5) {
                out.push(("body", format!("{status} body {problem}")));
            }
        }
        out
    }
}

/// `GET /pets/{id} (getPet)`.
fn describe(op: &Operation) -> String {
    match &op.operation_id {
        Some(id) => format!("{} {} ({id})", op.method.as_str(), op.path),
        None => format!("{} {}", op.method.as_str(), op.path),
    }
}

/// The operation whose method and path template match, for a request the dispatcher
/// refused.
fn operation_at(api: &Api, method: &http::Method, path: &str) -> Option<usize> {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    api.operations.iter().position(|op| {
        let template: Vec<&str> = op.path.trim_matches('/').split('/').collect();
        op.method.as_str().eq_ignore_ascii_case(method.as_str())
            && template.len() == segments.len()
            && template
                .iter()
                .zip(&segments)
                .all(|(t, s)| t == s || (t.starts_with('{') && t.ends_with('}')))
    })
}
