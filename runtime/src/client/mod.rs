//! The transport every generated client shares ([`ClientCore`]): base URL, credentials,
//! default headers, timeouts, retries and hooks.

mod credentials;
mod hooks;
mod request;

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use http::{HeaderName, HeaderValue, StatusCode};

use credentials::credential_header;
pub use hooks::{request_hook, response_hook, Hook, HookFuture};
use request::{multipart, positional};
pub use request::{Body, Part, RequestSpec, Security};

use crate::auth::{Credential, Scheme};
use crate::error::Error;
use crate::raw::RawResponse;
use crate::retry::{retry_after, RetryPolicy};

/// The transport every generated client shares: base URL, HTTP client, credentials, scopes,
/// timeout and retry policy. Cheap to clone: every request builder holds one, and clones
/// share their settings until one of them changes a setting.
#[derive(Clone)]
pub struct ClientCore {
    settings: std::sync::Arc<Settings>,
}

impl std::ops::Deref for ClientCore {
    type Target = Settings;

    fn deref(&self) -> &Settings {
        &self.settings
    }
}

/// What a [`ClientCore`] holds.
#[doc(hidden)]
#[derive(Clone)]
pub struct Settings {
    base_url: String,
    http: reqwest::Client,
    schemes: &'static [Scheme],
    credentials: BTreeMap<&'static str, Credential>,
    /// The header each credential sent in a header makes, made once (a clone shares it).
    credential_headers: BTreeMap<&'static str, Result<(HeaderName, HeaderValue), String>>,
    scopes: BTreeMap<&'static str, String>,
    timeout: Option<Duration>,
    retry: RetryPolicy,
    /// Sent with every request that does not set them itself (as given, and as headers, or
    /// why they cannot be).
    default_headers: Vec<(String, String)>,
    default_header_values: Vec<Result<(HeaderName, HeaderValue), String>>,
    user_agent: Option<String>,
    user_agent_value: Option<Result<(HeaderName, HeaderValue), String>>,
    hooks: Vec<std::sync::Arc<dyn Hook>>,
    /// Access tokens obtained with client credentials, by scheme and scopes, with when they
    /// stop being used. Shared by clones.
    tokens: std::sync::Arc<std::sync::Mutex<BTreeMap<String, CachedToken>>>,
}

/// An access token, and when it stops being used (`None`: when the API refuses it).
type CachedToken = (String, Option<std::time::Instant>);

impl fmt::Debug for ClientCore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .field("scopes", &self.scopes)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field(
                "default_headers",
                &DefaultHeaders(&self.default_headers, self.schemes),
            )
            .field("user_agent", &self.user_agent)
            .field("hooks", &self.hooks.len())
            .finish()
    }
}

/// Default headers as `Debug` prints them: the value of each that carries a credential
/// ([`crate::auth::is_credential_header`]) is `***`.
struct DefaultHeaders<'a>(&'a [(String, String)], &'static [Scheme]);

impl fmt::Debug for DefaultHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.iter().map(|(name, value)| {
                let shown = if crate::auth::is_credential_header(name, self.1) {
                    "***"
                } else {
                    value.as_str()
                };
                (name, shown)
            }))
            .finish()
    }
}

/// What [`ClientCore::execute_streaming`] received: a success whose body is still to come,
/// or any other response, read whole.
#[derive(Debug)]
pub enum Received {
    Open(reqwest::Response),
    Read(RawResponse),
}

impl Received {
    pub fn status(&self) -> StatusCode {
        match self {
            Received::Open(r) => r.status(),
            Received::Read(r) => r.status,
        }
    }
}

/// The default request timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

impl ClientCore {
    /// A client for `base_url`, which knows the spec's security `schemes`.
    pub fn new(base_url: impl Into<String>, schemes: &'static [Scheme]) -> Self {
        let settings = Settings {
            base_url: base_url.into().trim_end_matches('/').to_string(),
            http: reqwest::Client::new(),
            schemes,
            credentials: BTreeMap::new(),
            credential_headers: BTreeMap::new(),
            scopes: BTreeMap::new(),
            timeout: Some(DEFAULT_TIMEOUT),
            retry: RetryPolicy::default(),
            default_headers: Vec::new(),
            default_header_values: Vec::new(),
            user_agent: None,
            user_agent_value: None,
            hooks: Vec::new(),
            tokens: Default::default(),
        };
        ClientCore {
            settings: std::sync::Arc::new(settings),
        }
    }

    /// The settings, to change: this client's own from now on.
    fn settings(&mut self) -> &mut Settings {
        std::sync::Arc::make_mut(&mut self.settings)
    }

    /// A header sent with every request that does not set it itself.
    pub fn set_default_header(&mut self, name: impl Into<String>, value: impl Into<String>) {
        let (name, value) = (name.into(), value.into());
        let header = header(&name, &value, self.schemes);
        let settings = self.settings();
        settings.default_header_values.push(header);
        settings.default_headers.push((name, value));
    }

    /// The `User-Agent` of every request.
    pub fn set_user_agent(&mut self, user_agent: impl Into<String>) {
        let user_agent = user_agent.into();
        let settings = self.settings();
        settings.user_agent_value = Some(header("user-agent", &user_agent, &[]));
        settings.user_agent = Some(user_agent);
    }

    /// Runs `hook` on every request and response, after the hooks added before it.
    pub fn add_hook(&mut self, hook: impl Hook) {
        self.settings().hooks.push(std::sync::Arc::new(hook));
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub fn set_base_url(&mut self, url: impl Into<String>) {
        self.settings().base_url = url.into().trim_end_matches('/').to_string();
    }

    pub fn set_http_client(&mut self, http: reqwest::Client) {
        self.settings().http = http;
    }

    pub fn set_credential(&mut self, scheme: &'static str, credential: Credential) {
        let header = self
            .schemes
            .iter()
            .find(|s| s.key == scheme)
            .and_then(|s| credential_header(scheme, s.kind, &credential));
        let settings = self.settings();
        match header {
            Some(header) => settings.credential_headers.insert(scheme, header),
            None => settings.credential_headers.remove(scheme),
        };
        settings.credentials.insert(scheme, credential);
    }

    /// Every request of an operation that has a parameter with this scope gets `value`
    /// unless the caller sets the parameter.
    pub fn set_scope(&mut self, scope: &'static str, value: String) {
        self.settings().scopes.insert(scope, value);
    }

    pub fn scope(&self, scope: &str) -> Option<&str> {
        self.scopes.get(scope).map(String::as_str)
    }

    /// `None` waits forever.
    pub fn set_timeout(&mut self, timeout: Option<Duration>) {
        self.settings().timeout = timeout;
    }

    pub fn set_retry(&mut self, retry: RetryPolicy) {
        self.settings().retry = retry;
    }

    /// Sends the request, retrying as the policy allows, and returns the response whatever
    /// its status. Errors are transport errors, timeouts and invalid requests.
    pub async fn execute<E>(&self, spec: &RequestSpec) -> Result<RawResponse, Error<E>> {
        match self.traced(spec, false).await? {
            Received::Read(raw) => Ok(raw),
            // Not asked for: a success is read whole.
            Received::Open(response) => Box::pin(self.read(spec.operation, response)).await,
        }
    }

    /// Sends the request as [`execute`](Self::execute) does (credentials, retries, one token
    /// refresh), and returns a successful response unread, its body to be consumed as it
    /// arrives; any other response is read whole. The timeout covers the response's head,
    /// not its body, which a stream may keep open for as long as it has events.
    pub async fn execute_streaming<E>(&self, spec: &RequestSpec) -> Result<Received, Error<E>> {
        self.traced(spec, true).await
    }

    /// [`exchange`](Self::exchange) in one span per call, retries included, with
    /// OpenTelemetry's HTTP client attributes.
    async fn traced<E>(&self, spec: &RequestSpec, open: bool) -> Result<Received, Error<E>> {
        use tracing::Instrument as _;
        let span = tracing::info_span!(
            "http.client.request",
            otel.name = format!("{} {}", spec.method, spec.template),
            otel.kind = "client",
            operation = spec.operation,
            http.request.method = %spec.method,
            url.template = spec.template,
            server.address = self.base_url.as_str(),
            http.response.status_code = tracing::field::Empty,
            http.request.resend_count = tracing::field::Empty,
            error.type = tracing::field::Empty,
        );
        // Nobody listens (the span is disabled): nothing to enter on every poll.
        let outcome = if span.is_disabled() {
            self.exchange(spec, &span, open).await
        } else {
            self.exchange(spec, &span, open)
                .instrument(span.clone())
                .await
        };
        match &outcome {
            Ok(r) => {
                let status = r.status();
                span.record("http.response.status_code", status.as_u16());
                if status.is_client_error() || status.is_server_error() {
                    span.record("error.type", status.as_str());
                }
            }
            Err(e) => {
                span.record("error.type", e.kind());
            }
        }
        outcome
    }

    /// The retry loop: each attempt's response head decides whether to try again. With
    /// `open`, a success is returned unread.
    async fn exchange<E>(
        &self,
        spec: &RequestSpec,
        span: &tracing::Span,
        open: bool,
    ) -> Result<Received, Error<E>> {
        // A request with an idempotency key may be sent twice: the server does it once; so
        // may a webhook delivery, which its receiver deduplicates by its id.
        let delivery = spec
            .headers
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case("webhook-id"));
        let idempotent = !matches!(spec.method, http::Method::POST | http::Method::PATCH)
            || delivery
            || spec
                .headers
                .iter()
                .any(|(name, _)| name.eq_ignore_ascii_case("idempotency-key"));
        let mut attempt = 0;
        let mut refreshed = false;
        loop {
            let outcome = match self.once(spec, open).await {
                Ok(Received::Open(response)) => return Ok(Received::Open(response)),
                Ok(Received::Read(raw)) => Ok(raw),
                Err(e) => Err(e),
            };
            // A 401 with a token obtained by client credentials: the token may have been
            // revoked or expired early; get a new one, once.
            if let Ok(r) = &outcome {
                if r.status == StatusCode::UNAUTHORIZED && !refreshed && self.forget_tokens(spec) {
                    refreshed = true;
                    continue;
                }
            }
            let retryable = match &outcome {
                Ok(r) => {
                    r.status == StatusCode::TOO_MANY_REQUESTS
                        || r.status == StatusCode::SERVICE_UNAVAILABLE
                        || (delivery && r.status.is_server_error())
                }
                Err(Error::Transport { source, .. }) => source.is_connect() || source.is_request(),
                Err(Error::Timeout { .. }) => true,
                Err(_) => false,
            };
            if !(idempotent && retryable && attempt < self.retry.max_retries) {
                return outcome.map(Received::Read);
            }
            attempt += 1;
            span.record("http.request.resend_count", attempt);
            let after = outcome.as_ref().ok().and_then(|r| retry_after(&r.headers));
            // Boxed: rare, so that every call's future does not hold room for a timer.
            Box::pin(tokio::time::sleep(self.retry.backoff(attempt, after))).await;
        }
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// A response [`execute_streaming`](Self::execute_streaming) left open, read whole after
    /// all (it is not the stream expected), and shown to the hooks.
    pub async fn read_whole<E>(
        &self,
        operation: &'static str,
        response: reqwest::Response,
    ) -> Result<RawResponse, Error<E>> {
        self.read(operation, response).await
    }

    /// Reads a response's body whole, and shows it to the hooks.
    async fn read<E>(
        &self,
        operation: &'static str,
        response: reqwest::Response,
    ) -> Result<RawResponse, Error<E>> {
        let mut response = response;
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        let body = response.bytes().await.map_err(|e| classify(operation, e))?;
        let raw = RawResponse {
            operation,
            status,
            headers,
            body,
        };
        for hook in &self.hooks {
            hook.on_response(operation, &raw).await;
        }
        Ok(raw)
    }

    /// One attempt within the timeout: the request sent and the response read whole, or,
    /// with `open`, a success's head received (the timeout covers the head only: a stream's
    /// body may last). The timeout is tokio's, in this future: reqwest's would box a timer
    /// and a request extension on every call.
    async fn once<E>(&self, spec: &RequestSpec, open: bool) -> Result<Received, Error<E>> {
        // In a box of its own: the request, the response and its body are most of a call's
        // future, and apart they keep both allocations small enough for the allocator's
        // fast path (glibc caches blocks up to about a kilobyte per thread); one block of
        // 1.7 KiB took its slow path on every call.
        let once = Box::pin(async {
            let response = self.attempt(spec).await?;
            if open && response.status().is_success() {
                return Ok(Received::Open(response));
            }
            self.read(spec.operation, response)
                .await
                .map(Received::Read)
        });
        match spec.timeout.or(self.timeout) {
            Some(t) => tokio::time::timeout(t, once)
                .await
                .unwrap_or(Err(Error::Timeout {
                    operation: spec.operation,
                })),
            None => once.await,
        }
    }

    /// One attempt: the request sent and the response's head received.
    async fn attempt<E>(&self, spec: &RequestSpec) -> Result<reqwest::Response, Error<E>> {
        let operation = spec.operation;
        let invalid = |message: String| Error::InvalidRequest { operation, message };
        let url = format!("{}{}", self.base_url, spec.path);
        let mut request = self.http.request(spec.method.clone(), &url);
        if !spec.query.is_empty() {
            request = request.query(&spec.query);
        }
        request = match &spec.body {
            Body::Empty => request,
            Body::Json(bytes) => request
                .header(http::header::CONTENT_TYPE, "application/json")
                .body(bytes.clone()),
            Body::Form(text) => request
                .header(
                    http::header::CONTENT_TYPE,
                    "application/x-www-form-urlencoded",
                )
                .body(text.clone()),
            Body::Bytes { content_type, data } => request
                .header(http::header::CONTENT_TYPE, *content_type)
                .body(data.clone()),
            Body::Multipart(parts) => {
                request.multipart(multipart(parts).map_err(|e| invalid(format!("multipart: {e}")))?)
            }
            Body::Parts { media, parts } => {
                let (content_type, body) =
                    positional(media, parts).map_err(|e| invalid(format!("multipart: {e}")))?;
                request
                    .header(http::header::CONTENT_TYPE, content_type)
                    .body(body)
            }
        };
        let mut request = request.build().map_err(|e| classify(operation, e))?;
        // Credentials, header parameters and cookies, straight into the request's headers.
        let alternative = self.alternative(spec);
        let tokens = self.access_tokens(spec, alternative).await?;
        let mut query = Vec::new();
        let mut cookies: Vec<String> = spec
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        self.authenticate(
            spec,
            alternative,
            &tokens,
            request.headers_mut(),
            &mut query,
            &mut cookies,
        )?;
        if !query.is_empty() {
            request.url_mut().query_pairs_mut().extend_pairs(&query);
        }
        for (name, value) in &spec.headers {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|e| invalid(format!("header {name}: {e}")))?;
            let value =
                HeaderValue::from_str(value).map_err(|e| invalid(format!("header {name}: {e}")))?;
            request.headers_mut().append(name, value);
        }
        if !cookies.is_empty() {
            let value = HeaderValue::from_str(&cookies.join("; "))
                .map_err(|e| invalid(format!("cookie: {e}")))?;
            request.headers_mut().insert(http::header::COOKIE, value);
        }
        // The default headers, then the user agent, unless the request has them.
        for header in self
            .default_header_values
            .iter()
            .chain(&self.user_agent_value)
        {
            let (name, value) = header.as_ref().map_err(|e| invalid(e.clone()))?;
            if !request.headers().contains_key(name) {
                request.headers_mut().insert(name.clone(), value.clone());
            }
        }
        for hook in &self.hooks {
            hook.on_request(operation, &mut request).await;
        }
        self.http
            .execute(request)
            .await
            .map_err(|e| classify(operation, e))
    }
}

/// A default header as sent: its name and value, the value marked sensitive when it carries
/// a credential (a hook that prints the request prints `Sensitive`); or why it cannot be.
fn header(
    name: &str,
    value: &str,
    schemes: &[Scheme],
) -> Result<(HeaderName, HeaderValue), String> {
    let name = HeaderName::from_bytes(name.as_bytes())
        .map_err(|e| format!("default header {name}: {e}"))?;
    let mut value =
        HeaderValue::from_str(value).map_err(|e| format!("default header {name}: {e}"))?;
    value.set_sensitive(crate::auth::is_credential_header(name.as_str(), schemes));
    Ok((name, value))
}

pub(crate) fn classify<E>(operation: &'static str, e: reqwest::Error) -> Error<E> {
    if e.is_timeout() {
        Error::Timeout { operation }
    } else {
        Error::Transport {
            operation,
            source: e,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::SchemeKind;

    /// What a call allocates stays in blocks the allocator hands out on its fast path
    /// (glibc's per-thread cache takes blocks up to 1,032 bytes): the call's future, and the
    /// attempt's, boxed apart (`once`). Measured: one block of 1.7 KiB cost a GET 4% of its
    /// instructions.
    #[test]
    fn a_calls_futures_stay_small() {
        let core = ClientCore::new("http://x", &[]);
        let spec = RequestSpec::get("x", "/x");
        let response = reqwest::Response::from(http::Response::new(String::new()));
        let call = std::mem::size_of_val(&core.execute::<()>(&spec));
        let attempt = std::mem::size_of_val(&core.attempt::<()>(&spec));
        let read = std::mem::size_of_val(&core.read::<()>("x", response));
        for (what, size) in [("call", call), ("attempt", attempt), ("read", read)] {
            assert!(size <= 1_000, "the {what}'s future is {size} bytes");
        }
    }

    #[test]
    fn credentials_never_print() {
        let mut core = ClientCore::new("https://x", &[]);
        core.set_credential("k", Credential::Bearer("s3cr3t".into()));
        core.set_credential(
            "b",
            Credential::Basic {
                username: "u".into(),
                password: "pw".into(),
            },
        );
        let shown = format!("{core:?}");
        assert!(
            !shown.contains("s3cr3t") && !shown.contains("pw"),
            "{shown}"
        );
    }

    #[test]
    fn default_headers_that_carry_credentials_never_print() {
        static SCHEMES: [Scheme; 1] = [Scheme {
            key: "key",
            kind: SchemeKind::ApiKeyHeader("X-Partner"),
        }];
        let mut core = ClientCore::new("https://x", &SCHEMES);
        for (name, value) in [
            ("Authorization", "Bearer s3cr3t-1"),
            ("cookie", "sid=s3cr3t-2"),
            ("x-partner", "s3cr3t-3"),
            ("X-Api-Key", "s3cr3t-4"),
            ("X-Request-Source", "docs"),
        ] {
            core.set_default_header(name, value);
        }
        let shown = format!("{core:?}");
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert!(shown.contains(r#""Authorization": "***""#), "{shown}");
        assert!(shown.contains(r#""X-Request-Source": "docs""#), "{shown}");
    }
}
