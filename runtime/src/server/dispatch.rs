//! Routing, authentication, decoding and validation of requests, in front of the handlers.

use std::borrow::Cow;
use std::future::Future;

use futures::future::Either;
use futures::FutureExt;
use std::sync::Arc;
use std::time::Instant;

use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use http::{header, HeaderValue, StatusCode};
use jsonschema::error::ValidationErrorKind;
use jsonschema::Validator;
use regex::Regex;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::auth::{self, Outcome};
use super::check::Plan;
use super::multipart::in_range;
use super::problem::{render, Problem};
use super::schemas::Schemas;
use super::{coerce, decode, multipart, typed};
use super::{
    ApiDef, BodyDef, Closure, Config, DecodedBody, Error, Handle, HandlerFuture, Input, Location,
    MediaKind, OperationDef, Params, Reply, Request, Respond, Served,
};
use crate::auth::{Credential, SchemeKind};
use crate::form;
use crate::media_essence;

type Handler = Box<dyn Respond>;

/// At most this many problems are reported for one request.
const MAX_PROBLEMS: usize = 20;

/// The operations of one API with their handlers; [`Dispatcher::into_router`] serves them.
pub struct Dispatcher {
    api: &'static ApiDef,
    config: Config,
    defs: Value,
    /// The API's schemas, which every validator refers to.
    schemas: Schemas,
    routes: Vec<Route>,
    /// The routes (indices into `routes`, most specific first) that each of axum's routes
    /// serves: those of one path template; the last entry is every route, for axum's
    /// fallback.
    groups: Vec<Vec<usize>>,
    fallback_error: Value,
}

struct Route {
    op: &'static OperationDef,
    path: PathMatcher,
    /// Path parameter index (into `op.params`) of each capture.
    captures: Vec<usize>,
    /// Literal characters in the template: more specific templates win.
    literal_len: usize,
    handler: Handler,
    /// Whether a parameter or a security scheme of the API is a cookie.
    reads_cookies: bool,
    /// Whether the handler reads the inputs before anything else ([`Dispatcher::serve`]),
    /// so that a JSON body can be validated as it reads it.
    reads_first: bool,
    params: Result<Validator, String>,
    /// The fast check of the parameters.
    params_plan: Plan,
    bodies: Vec<Result<Arc<Validator>, String>>,
    /// The fast check of each JSON body (`None` for other media types).
    plans: Vec<Option<Arc<JsonCheck>>>,
    /// The bodies' schemas, which say how form and multipart fields read.
    body_schemas: Vec<Value>,
    error: Value,
}

/// A request's operation, credentials and parameters, read before anything asynchronous.
struct Prepared {
    /// The index of the route.
    route: usize,
    credentials: Vec<(&'static str, Credential)>,
    params: Params,
    /// The parameters' problems, or why they could not be checked.
    problems: Result<Vec<Problem>, String>,
}

impl std::fmt::Debug for Dispatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dispatcher")
            .field("api", &self.api.title)
            .field("config", &self.config)
            .field("operations", &self.routes.len())
            .finish()
    }
}

fn parse_json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

impl Dispatcher {
    pub fn new(api: &'static ApiDef, config: Config) -> Dispatcher {
        let defs = parse_json(api.defs);
        let schemas = Schemas::new(&defs);
        Dispatcher {
            api,
            config,
            defs,
            schemas,
            routes: Vec::new(),
            groups: Vec::new(),
            fallback_error: parse_json(api.fallback_error),
        }
    }

    fn validator(&self, schema: &Value) -> Result<Validator, String> {
        self.schemas.validator(schema)
    }

    /// Serves `op` with `handler`, which runs only for requests that passed validation.
    pub fn operation<F>(self, op: &'static OperationDef, handler: F) -> Dispatcher
    where
        F: Fn(Input) -> HandlerFuture + Send + Sync + 'static,
    {
        self.register(op, Box::new(Closure(handler)), false)
    }

    /// Serves `op` with a handler made by `serve!` ([`handle`](super::handle)), which reads
    /// the operation's inputs before it calls the implementation. A JSON body is then
    /// validated as it is read into its type, in one pass, and refused in the same way.
    pub fn serve<T, H>(self, op: &'static OperationDef, handler: Served<T, H>) -> Dispatcher
    where
        T: ?Sized + Send + Sync + 'static,
        H: Handle<T>,
    {
        self.register(op, Box::new(handler), true)
    }

    fn register(
        mut self,
        op: &'static OperationDef,
        handler: Handler,
        reads_first: bool,
    ) -> Dispatcher {
        let (path, captures, literal_len) = compile_path(op);
        let params_schema = parse_json(op.params_schema);
        let params = self.validator(&params_schema);
        let params_plan = Plan::new(&params_schema, &self.defs);
        let body_schemas: Vec<Value> = op.bodies.iter().map(|b| parse_json(b.schema)).collect();
        let bodies: Vec<_> = body_schemas
            .iter()
            .map(|s| self.validator(s).map(Arc::new))
            .collect();
        let plans = op
            .bodies
            .iter()
            .zip(&body_schemas)
            .zip(&bodies)
            .map(|((b, schema), validator)| match validator {
                Ok(validator) if b.kind == MediaKind::Json => Some(Arc::new(JsonCheck {
                    plan: Plan::new(schema, &self.defs),
                    validator: Arc::clone(validator),
                })),
                _ => None,
            })
            .collect();
        self.routes.push(Route {
            op,
            path,
            captures,
            literal_len,
            handler,
            reads_cookies: op
                .params
                .iter()
                .any(|p| matches!(p.location, Location::Cookie))
                || self
                    .api
                    .schemes
                    .iter()
                    .any(|s| matches!(s.kind, SchemeKind::ApiKeyCookie(_))),
            reads_first,
            params,
            params_plan,
            bodies,
            plans,
            body_schemas,
            error: if op.error.is_empty() {
                self.fallback_error.clone()
            } else {
                parse_json(op.error)
            },
        });
        self
    }

    /// The router: every path of the API, answering `404`/`405` in the spec's error shape
    /// for requests that match no operation. Nest it to serve it under a prefix.
    pub fn into_router(mut self) -> axum::Router {
        // Templates with fewer parameters and more literal text first: `/a/summary` before
        // `/a/{id}`.
        self.routes
            .sort_by_key(|r| (r.captures.len(), std::cmp::Reverse(r.literal_len)));
        // Each template is a route of axum's (which then finds the template, as a
        // hand-written router does), when axum can take them all; every request that none
        // matches goes to the fallback, which finds no operation or says which methods the
        // path allows.
        let paths = axum_paths(&self.routes).unwrap_or_default();
        self.groups = paths.iter().map(|(_, group)| group.clone()).collect();
        self.groups.push((0..self.routes.len()).collect());
        let this = Arc::new(self);
        let serve = |group: usize| {
            let this = Arc::clone(&this);
            // axum clones the handler for each request and calls it once: its `Arc` moves
            // into the request's future.
            move |request: axum::extract::Request| {
                // What the log line needs, only when someone listens (boxed, so that the
                // future of every request is no larger for it).
                if tracing::enabled!(target: "openapi_gen::server", tracing::Level::INFO) {
                    let logged = Dispatcher::respond_logged(this, request, group);
                    Either::Left(Box::pin(logged))
                } else {
                    let respond = Dispatcher::respond(this, request, group);
                    Either::Right(FutureExt::map(respond, |(response, _)| response))
                }
            }
        };
        let mut router = axum::Router::new();
        for (group, (path, _)) in paths.iter().enumerate() {
            let handler = axum::routing::any(serve(group));
            // A trailing slash is the same resource.
            if !path.ends_with('/') {
                router = router.route(&format!("{path}/"), handler.clone());
            }
            router = router.route(path, handler);
        }
        router.fallback(serve(paths.len()))
    }

    async fn respond_logged(
        this: Arc<Dispatcher>,
        request: axum::extract::Request,
        group: usize,
    ) -> Response {
        let started = Instant::now();
        let method = request.method().clone();
        let path = request.uri().path().to_string();
        let (response, op) = Dispatcher::respond(Arc::clone(&this), request, group).await;
        let status = response.status().as_u16();
        tracing::info!(
            target: "openapi_gen::server",
            api = this.api.title,
            operation = op.unwrap_or("-"),
            %method,
            path = %path,
            status,
            elapsed_ms = started.elapsed().as_secs_f64() * 1000.0,
            "request"
        );
        response
    }

    /// The refusal of a request whose signature does not verify, when the router verifies
    /// signatures (`Config::verify_signatures`). A plain function, so that the request's
    /// future holds nothing more for it across an `await`.
    fn unsigned(
        &self,
        template: &Value,
        headers: &http::HeaderMap,
        bytes: &[u8],
    ) -> Option<Response> {
        let refused = self.config.verifier()?.verify(headers, bytes).err()?;
        let problem = Problem::new(
            "signature",
            "",
            format!("the signature does not verify: {refused}"),
        );
        Some(self.reject(
            template,
            StatusCode::UNAUTHORIZED,
            "invalid_signature",
            &[problem],
        ))
    }

    fn reject(
        &self,
        template: &Value,
        status: StatusCode,
        code: &str,
        problems: &[Problem],
    ) -> Response {
        self.reject_for(None, template, status, code, problems)
    }

    /// The error body for `problems` in the shape of `template`; a `401` challenges for the
    /// first scheme `op` asks for (or the API's first).
    fn reject_for(
        &self,
        op: Option<&OperationDef>,
        template: &Value,
        status: StatusCode,
        code: &str,
        problems: &[Problem],
    ) -> Response {
        let body = render(template, status.as_u16(), code, problems);
        let mut response = Reply::json(status.as_u16(), &body).into_response();
        if status == StatusCode::UNAUTHORIZED {
            if let Ok(v) = HeaderValue::from_str(&self.challenge(op)) {
                response.headers_mut().insert(header::WWW_AUTHENTICATE, v);
            }
        }
        response
    }

    /// The `WWW-Authenticate` challenge for `op`: its first security scheme's.
    fn challenge(&self, op: Option<&OperationDef>) -> String {
        let wanted = op
            .and_then(|op| op.security.iter().flat_map(|r| r.iter()).next())
            .and_then(|key| self.api.schemes.iter().find(|s| s.key == *key))
            .or_else(|| self.api.schemes.first());
        let realm = self.api.title.replace(['"', '\\'], "");
        match wanted.map(|s| s.kind) {
            Some(SchemeKind::Basic) => format!("Basic realm=\"{realm}\""),
            Some(SchemeKind::ApiKeyHeader(name)) => {
                format!("ApiKey realm=\"{realm}\", header=\"{name}\"")
            }
            Some(SchemeKind::ApiKeyQuery(name)) => {
                format!("ApiKey realm=\"{realm}\", query=\"{name}\"")
            }
            Some(SchemeKind::ApiKeyCookie(name)) => {
                format!("ApiKey realm=\"{realm}\", cookie=\"{name}\"")
            }
            Some(SchemeKind::Http(name)) => format!("{name} realm=\"{realm}\""),
            Some(SchemeKind::Bearer) | None => format!("Bearer realm=\"{realm}\""),
        }
    }

    /// The reply to an implementation's (or an authenticator's) refusal, in the spec's error
    /// shape; a server error's cause is logged, never sent.
    fn refuse(&self, route: &Route, error: &Error) -> Response {
        let status = error.status();
        if status.is_server_error() {
            match error.cause() {
                Some(cause) => tracing::error!(
                    target: "openapi_gen::server",
                    operation = route.op.id,
                    status = status.as_u16(),
                    error = %cause,
                    "the implementation failed"
                ),
                None => tracing::warn!(
                    target: "openapi_gen::server",
                    operation = route.op.id,
                    status = status.as_u16(),
                    message = error.message(),
                    "the implementation refused"
                ),
            }
        }
        let mut response = self.reject_for(
            Some(route.op),
            &route.error,
            status,
            error.code(),
            &error.problems(),
        );
        if let Some(secs) = error.retry_after() {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }

    /// What is read off a request before anything asynchronous: its operation, its
    /// credentials and its parameters (checked, but refused only after authentication). `Err`:
    /// the reply for a request that matches no operation.
    fn prepare(
        &self,
        parts: &http::request::Parts,
        group: usize,
    ) -> Result<Prepared, Box<Response>> {
        let path = parts.uri.path();

        // Route.
        // The most specific template that matches the path decides (`/a/summary` is not
        // `/a/{id}`, whatever the method); then the method picks its operation.
        let mut allowed = Vec::new();
        let mut found = None;
        let mut template = None;
        let mut caps = Captures::new();
        for (index, route) in self.groups[group].iter().map(|i| (*i, &self.routes[*i])) {
            if template.is_some_and(|t| t != route.op.path) {
                continue;
            }
            caps.clear();
            if route.path.matches(path, &mut caps) {
                template = Some(route.op.path);
                if route.op.method.eq_ignore_ascii_case(parts.method.as_str()) {
                    found = Some((index, route));
                    break;
                }
                allowed.push(route.op.method);
            }
        }
        let Some((index, route)) = found else {
            if allowed.is_empty() {
                let problem = Problem::new(
                    "request",
                    "",
                    format!("no operation at {} {path}", parts.method),
                );
                return Err(Box::new(self.reject(
                    &self.fallback_error,
                    StatusCode::NOT_FOUND,
                    "not_found",
                    &[problem],
                )));
            }
            allowed.sort_unstable();
            allowed.dedup();
            let problem = Problem::new(
                "request",
                "",
                format!(
                    "{} is not allowed here; allowed: {}",
                    parts.method,
                    allowed.join(", ")
                ),
            );
            let mut response = self.reject(
                &self.fallback_error,
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                &[problem],
            );
            if let Ok(v) = HeaderValue::from_str(&allowed.join(", ")) {
                response.headers_mut().insert(header::ALLOW, v);
            }
            return Err(Box::new(response));
        };
        let op = route.op;

        // Borrowed from the URI unless percent-decoding changed them.
        let query: Vec<(Cow<str>, Cow<str>)> = parts
            .uri
            .query()
            .map(|q| form_urlencoded::parse(q.as_bytes()).collect())
            .unwrap_or_default();
        // Read only when a parameter or a scheme is a cookie.
        let cookies: Vec<(String, String)> = if route.reads_cookies {
            parts
                .headers
                .get_all(header::COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(decode::cookies)
                .collect()
        } else {
            Vec::new()
        };

        // Credentials.
        let credentials = self.credentials(&parts.headers, &query, &cookies);

        // Parameters.
        let mut params: Params = Vec::with_capacity(op.params.len());
        for (i, p) in op.params.iter().enumerate() {
            let value = match p.location {
                Location::Path => route
                    .captures
                    .iter()
                    .position(|c| *c == i)
                    .map(|at| decode::path_param(p, caps[at])),
                Location::Query => decode::query_param(p, &query),
                Location::QueryString => decode::query_string(p, parts.uri.query()),
                Location::Header => parts
                    .headers
                    .get(p.name)
                    .map(|v| decode::text_param(p, &String::from_utf8_lossy(v.as_bytes()))),
                Location::Cookie => cookies
                    .iter()
                    .find(|(k, _)| k == p.name)
                    .map(|(_, v)| decode::text_param(p, v)),
            };
            let value = value.or_else(|| p.default.map(parse_json));
            if let Some(v) = value {
                params.push((p.rust_name, v));
            }
        }
        let problems = match &route.params {
            // The fast check; when it is not sure, the schema (as an object keyed by Rust
            // names), whose errors are collected only for a refusal.
            Ok(_) if route.params_plan.accepts_pairs(&params) => Ok(Vec::new()),
            Ok(validator) => {
                let object: Value = params
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.clone()))
                    .collect::<serde_json::Map<_, _>>()
                    .into();
                Ok(validator
                    .iter_errors(&object)
                    .take(MAX_PROBLEMS)
                    .map(|e| param_problem(op, &e))
                    .collect())
            }
            Err(e) => Err(e.clone()),
        };
        Ok(Prepared {
            route: index,
            credentials,
            params,
            problems,
        })
    }

    /// The response to `request`, and its operation. The future owns the dispatcher and
    /// borrows from it (the handler's future too), so that nothing is held twice.
    fn respond(
        this: Arc<Dispatcher>,
        request: axum::extract::Request,
        group: usize,
    ) -> impl Future<Output = (Response, Option<&'static str>)> + Send + 'static {
        let (parts, body) = request.into_parts();
        // Synchronous, so that what it reads with is not kept in the future.
        let prepared = this.prepare(&parts, group);
        async move {
            let Prepared {
                route,
                credentials,
                params,
                problems,
            } = match prepared {
                Ok(prepared) => prepared,
                Err(response) => return (*response, None),
            };
            let route = &this.routes[route];
            let op = route.op;

            // Authenticate: credentials present, then accepted by the authenticators (boxed, as
            // few operations have authenticators to wait for and every request's future would
            // otherwise hold room for it).
            let principals = if op.security.is_empty() {
                Vec::new()
            } else {
                let outcome = Box::pin(auth::authenticate(
                    &this.config.authenticators,
                    op.security,
                    &credentials,
                ))
                .await;
                match outcome {
                    Outcome::Passed(principals) => principals,
                    Outcome::Refused(error) => return (this.refuse(route, &error), Some(op.id)),
                    Outcome::Missing => {
                        let wanted: Vec<String> = op
                            .security
                            .iter()
                            .map(|r| r.join(" + "))
                            .filter(|s| !s.is_empty())
                            .collect();
                        let problem = Problem::new(
                            "request",
                            "",
                            format!(
                                "missing credentials: this operation needs {}",
                                wanted.join(" or ")
                            ),
                        );
                        return (
                            this.reject_for(
                                Some(op),
                                &route.error,
                                StatusCode::UNAUTHORIZED,
                                "unauthorized",
                                &[problem],
                            ),
                            Some(op.id),
                        );
                    }
                }
            };
            let mut problems = match problems {
                Ok(problems) => problems,
                Err(e) => return (internal(op.id, &e), Some(op.id)),
            };

            // A signed request (a webhook delivery) is verified before anything reads it.
            if op.bodies.is_empty() {
                if let Some(refusal) = this.unsigned(&route.error, &parts.headers, b"") {
                    return (refusal, Some(op.id));
                }
            }

            // Body.
            let mut body_value = None;
            if !op.bodies.is_empty() {
                let bytes = match axum::body::to_bytes(body, this.config.body_limit).await {
                    Ok(b) => b,
                    Err(_) => {
                        let problem = Problem::new(
                            "body",
                            "",
                            format!(
                                "the body is larger than the limit of {} bytes",
                                this.config.body_limit
                            ),
                        );
                        return (
                            this.reject(
                                &route.error,
                                StatusCode::PAYLOAD_TOO_LARGE,
                                "payload_too_large",
                                &[problem],
                            ),
                            Some(op.id),
                        );
                    }
                };
                if let Some(refusal) = this.unsigned(&route.error, &parts.headers, &bytes) {
                    return (refusal, Some(op.id));
                }
                let content_type = parts
                    .headers
                    .get(header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok());
                // No body (or only white space): absent, whatever the content type says.
                if bytes.iter().all(u8::is_ascii_whitespace) {
                    if op.body_required {
                        problems.push(Problem::new(
                            "body",
                            "",
                            "the request body is required".to_string(),
                        ));
                    }
                } else {
                    let Some(index) = media_index(op.bodies, content_type) else {
                        let accepted: Vec<&str> = op.bodies.iter().map(|b| b.media_type).collect();
                        let problem = Problem::new(
                            "request",
                            "",
                            format!(
                                "unsupported content type {}; send one of: {}",
                                content_type.unwrap_or("(none)"),
                                accepted.join(", ")
                            ),
                        );
                        return (
                            this.reject(
                                &route.error,
                                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                                "unsupported_media_type",
                                &[problem],
                            ),
                            Some(op.id),
                        );
                    };
                    let def = &op.bodies[index];
                    let schema = (&route.body_schemas[index], &this.defs);
                    let json = route.plans[index].as_ref();
                    let one_pass = route.reads_first && problems.is_empty();
                    let decoded = if let Some(json) = json.filter(|_| one_pass) {
                        // Checked as the handler reads it into its type, in one pass.
                        Ok(DecodedBody::Pending(bytes, Arc::clone(json)))
                    } else if json.is_some_and(|json| json.plan.accepts(&bytes)) {
                        Ok(DecodedBody::Json(bytes))
                    } else {
                        // Boxed: multipart reading is a large future, which would otherwise
                        // make every request's future as large.
                        Box::pin(decode_body(def, schema, content_type, bytes)).await
                    };
                    match decoded {
                        Ok(DecodedBody::Value(v)) => {
                            match &route.bodies[index] {
                                Ok(validator) => problems.extend(validation_problems(
                                    validator,
                                    &v,
                                    MAX_PROBLEMS.saturating_sub(problems.len()),
                                )),
                                Err(e) => return (internal(op.id, e), Some(op.id)),
                            }
                            body_value = Some((index, DecodedBody::Value(v)));
                        }
                        Ok(other) => body_value = Some((index, other)),
                        Err(problem) => problems.push(problem),
                    }
                }
            }
            if !problems.is_empty() {
                return (
                    this.reject(
                        &route.error,
                        StatusCode::BAD_REQUEST,
                        "invalid_request",
                        &problems,
                    ),
                    Some(op.id),
                );
            }

            let input = Input {
                request: Request {
                    method: parts.method,
                    uri: parts.uri,
                    headers: parts.headers,
                    credentials,
                    principals,
                },
                params,
                body: body_value,
            };
            let response = match route.handler.respond(input).await {
                Ok(reply) => reply.into_response(),
                Err(error) => this.refuse(route, &error),
            };
            (response, Some(op.id))
        }
    }
    fn credentials(
        &self,
        headers: &http::HeaderMap,
        query: &[(Cow<str>, Cow<str>)],
        cookies: &[(String, String)],
    ) -> Vec<(&'static str, Credential)> {
        if self.api.schemes.is_empty() {
            return Vec::new();
        }
        let authorization = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .map(str::trim);
        let scheme_value = |scheme: &str| {
            authorization.and_then(|a| {
                let (s, rest) = a.split_once(' ')?;
                s.eq_ignore_ascii_case(scheme)
                    .then(|| rest.trim().to_string())
                    .filter(|v| !v.is_empty())
            })
        };
        let mut out = Vec::new();
        for scheme in self.api.schemes {
            let credential = match scheme.kind {
                SchemeKind::ApiKeyHeader(name) => headers
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .filter(|v| !v.is_empty())
                    .map(|v| Credential::ApiKey(v.to_string())),
                SchemeKind::ApiKeyQuery(name) => query
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| Credential::ApiKey(v.to_string())),
                SchemeKind::ApiKeyCookie(name) => cookies
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| Credential::ApiKey(v.clone())),
                SchemeKind::Bearer => scheme_value("bearer").map(Credential::Bearer),
                SchemeKind::Http(name) => scheme_value(name).map(Credential::Raw),
                SchemeKind::Basic => scheme_value("basic").and_then(|encoded| {
                    use base64::Engine as _;
                    let bytes = base64::engine::general_purpose::STANDARD
                        .decode(encoded)
                        .ok()?;
                    let text = String::from_utf8(bytes).ok()?;
                    let (username, password) = text.split_once(':')?;
                    Some(Credential::Basic {
                        username: username.to_string(),
                        password: password.to_string(),
                    })
                }),
            };
            if let Some(c) = credential {
                out.push((scheme.key, c));
            }
        }
        out
    }
}

fn internal(op: &str, message: &str) -> Response {
    tracing::error!(target: "openapi_gen::server", operation = op, "{message}");
    Reply::bytes(
        500,
        "text/plain; charset=utf-8",
        format!("{op}: internal error: {message}"),
    )
    .into_response()
}

/// The path of each distinct template as axum writes it (`/pets/{p0}`: parameters named by
/// position, so that templates that differ only in names are one), with the routes
/// (indices) it serves; `None` when axum cannot take them all (parameters inside a segment,
/// segments axum reads as its own syntax, templates it finds ambiguous).
fn axum_paths(routes: &[Route]) -> Option<Vec<(String, Vec<usize>)>> {
    let mut paths: Vec<(String, Vec<usize>)> = Vec::new();
    let mut check = matchit::Router::new();
    for (i, route) in routes.iter().enumerate() {
        let PathMatcher::Segments(segments) = &route.path else {
            return None;
        };
        let mut path = String::new();
        let mut n = 0;
        for (at, segment) in segments.iter().enumerate() {
            path.push('/');
            match segment {
                Segment::Literal(l) => {
                    let last = at + 1 == segments.len();
                    if l.starts_with([':', '*'])
                        || l.contains(['{', '}'])
                        || (l.is_empty() && !last)
                    {
                        return None;
                    }
                    path.push_str(l);
                }
                Segment::Capture | Segment::Any => {
                    path.push_str(&format!("{{p{n}}}"));
                    n += 1;
                }
            }
        }
        match paths.iter_mut().find(|(p, _)| *p == path) {
            Some((_, group)) => group.push(i),
            None => {
                check.insert(path.clone(), ()).ok()?;
                if !path.ends_with('/') {
                    check.insert(format!("{path}/"), ()).ok()?;
                }
                paths.push((path, vec![i]));
            }
        }
    }
    Some(paths)
}

/// The text of each path parameter a template captured (on the stack for up to eight).
type Captures<'p> = smallvec::SmallVec<[&'p str; 8]>;

/// How a route's path template matches a request's path.
enum PathMatcher {
    /// Whole segments: each literal (as the path has it, still percent-encoded) or one
    /// parameter. Matched segment by segment, without allocating.
    Segments(Vec<Segment>),
    /// Templates with parameters inside a segment (`/files/{name}.{ext}`): a regular
    /// expression with a capture group per parameter.
    Regex(Regex),
}

enum Segment {
    Literal(&'static str),
    /// A parameter, captured.
    Capture,
    /// A `{name}` that is no path parameter of the operation: any text, not captured.
    Any,
}

impl PathMatcher {
    /// Whether `path` matches; if so, `caps` holds the captured text of each parameter in
    /// template order. A trailing slash is the same resource.
    fn matches<'p>(&self, path: &'p str, caps: &mut Captures<'p>) -> bool {
        match self {
            PathMatcher::Segments(segments) => {
                let Some(rest) = path.strip_prefix('/') else {
                    return false;
                };
                // As many segments, or one more for a trailing slash.
                let slashes = rest.bytes().filter(|b| *b == b'/').count();
                if slashes + 1 != segments.len() && slashes != segments.len() {
                    return false;
                }
                let mut parts = rest.split('/');
                for segment in segments {
                    let Some(part) = parts.next() else {
                        return false;
                    };
                    match segment {
                        Segment::Literal(l) if *l == part => {}
                        Segment::Capture if !part.is_empty() => caps.push(part),
                        Segment::Any if !part.is_empty() => {}
                        _ => return false,
                    }
                }
                match (parts.next(), parts.next()) {
                    (None, _) => true,
                    // `/pets/` is `/pets` (but `/pets//` is not).
                    (Some(""), None) => !matches!(segments.last(), Some(Segment::Literal(""))),
                    _ => false,
                }
            }
            PathMatcher::Regex(regex) => match regex.captures(path) {
                Some(found) => {
                    caps.extend(found.iter().skip(1).map(|m| m.map_or("", |m| m.as_str())));
                    true
                }
                None => false,
            },
        }
    }
}

/// The matcher of a path template, the parameter of each capture and the number of literal
/// characters.
fn compile_path(op: &OperationDef) -> (PathMatcher, Vec<usize>, usize) {
    let param = |name: &str| {
        op.params
            .iter()
            .position(|p| p.location == Location::Path && p.name == name)
    };
    let literal_len = op.path.len()
        - op.path
            .split('{')
            .skip(1)
            .map(|s| s.find('}').map_or(0, |end| end + 2))
            .sum::<usize>();
    // Whole-segment templates (nearly all of them).
    if let Some(rest) = op.path.strip_prefix('/') {
        let mut captures = Vec::new();
        let segments: Option<Vec<Segment>> = rest
            .split('/')
            .map(
                |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    Some(name) if !name.contains(['{', '}']) => Some(match param(name) {
                        Some(i) => {
                            captures.push(i);
                            Segment::Capture
                        }
                        None => Segment::Any,
                    }),
                    _ if s.contains(['{', '}']) => None,
                    _ => Some(Segment::Literal(s)),
                },
            )
            .collect();
        if let Some(segments) = segments {
            return (PathMatcher::Segments(segments), captures, literal_len);
        }
    }
    let mut pattern = String::from("^");
    let mut captures = Vec::new();
    let mut rest = op.path;
    while let Some(start) = rest.find('{') {
        pattern.push_str(&regex::escape(&rest[..start]));
        let Some(end) = rest[start..].find('}') else {
            break;
        };
        match param(&rest[start + 1..start + end]) {
            Some(i) => {
                captures.push(i);
                pattern.push_str("([^/]+)");
            }
            None => pattern.push_str("[^/]+"),
        }
        rest = &rest[start + end + 1..];
    }
    pattern.push_str(&regex::escape(rest));
    // A trailing slash is the same resource.
    if !pattern.ends_with('/') {
        pattern.push_str("/?");
    }
    pattern.push('$');
    let regex = Regex::new(&pattern).unwrap_or_else(|_| {
        // Escaped literals and fixed groups always compile; never match otherwise.
        Regex::new("^\\b\\B$").unwrap_or_else(|_| unreachable!())
    });
    (PathMatcher::Regex(regex), captures, literal_len)
}

/// Which of the operation's media types `content_type` is.
fn media_index(bodies: &[BodyDef], content_type: Option<&str>) -> Option<usize> {
    let essence = media_essence(content_type?);
    essence.split_once('/')?;
    bodies
        .iter()
        .position(|b| b.media_type.eq_ignore_ascii_case(&essence))
        .or_else(|| bodies.iter().position(|b| in_range(&essence, b.media_type)))
}

async fn decode_body(
    def: &BodyDef,
    (schema, defs): (&Value, &Value),
    content_type: Option<&str>,
    bytes: Bytes,
) -> Result<DecodedBody, Problem> {
    match def.kind {
        MediaKind::Json => json_value(&bytes).map(DecodedBody::Value),
        MediaKind::Form => {
            let fields = form::tree(form::parse(&bytes), def.encoding, true);
            Ok(DecodedBody::Value(coerce::body(
                fields,
                schema,
                defs,
                def.encoding,
            )))
        }
        MediaKind::Multipart => multipart::named(def, (schema, defs), content_type, bytes)
            .await
            .map(DecodedBody::Value),
        MediaKind::Parts => multipart::positional(def, (schema, defs), content_type, bytes)
            .await
            .map(DecodedBody::Value),
        MediaKind::Text => String::from_utf8(bytes.to_vec())
            .map(DecodedBody::Text)
            .map_err(|_| Problem::new("body", "", "the body is not UTF-8 text".to_string())),
        MediaKind::Binary => Ok(DecodedBody::Bytes(bytes)),
    }
}

/// The dotted path of a JSON pointer (`/options/deliverability` → `options.deliverability`).
fn dotted(pointer: &str) -> String {
    pointer
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect::<Vec<_>>()
        .join(".")
}

fn join(parent: &str, child: &str) -> String {
    if parent.is_empty() {
        child.to_string()
    } else {
        format!("{parent}.{child}")
    }
}

fn message(e: &jsonschema::ValidationError<'_>) -> String {
    match e.kind() {
        ValidationErrorKind::Required { .. } => "is required".to_string(),
        _ => e.to_string(),
    }
}

fn required_property(e: &jsonschema::ValidationError<'_>) -> Option<String> {
    match e.kind() {
        ValidationErrorKind::Required { property } => Some(
            property
                .as_str()
                .map_or_else(|| property.to_string(), str::to_string),
        ),
        _ => None,
    }
}

fn param_problem(op: &OperationDef, e: &jsonschema::ValidationError<'_>) -> Problem {
    let path = dotted(e.instance_path().as_str());
    let (first, rest) = match path.split_once('.') {
        Some((a, b)) => (a.to_string(), Some(b.to_string())),
        None => (path.clone(), None),
    };
    let rust_name = if first.is_empty() {
        required_property(e).unwrap_or_default()
    } else {
        first
    };
    match op.params.iter().find(|p| p.rust_name == rust_name) {
        Some(p) => {
            let field = match rest {
                Some(rest) => format!("{}.{rest}", p.name),
                None => p.name.to_string(),
            };
            Problem::new(decode::location(p), field, message(e))
        }
        None => Problem::new("parameters", path, message(e)),
    }
}

/// A JSON body as a `Value`.
fn json_value(bytes: &[u8]) -> Result<Value, Problem> {
    let text: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
        b"null"
    } else {
        bytes
    };
    serde_json::from_slice(text)
        .map_err(|e| Problem::new("body", "", format!("the body is not valid JSON: {e}")))
}

/// At most `room` problems `validator` finds with a body.
fn validation_problems(validator: &Validator, body: &Value, room: usize) -> Vec<Problem> {
    if validator.is_valid(body) {
        return Vec::new();
    }
    validator
        .iter_errors(body)
        .take(room)
        .flat_map(|e| body_problems(&e))
        .collect()
}

/// How a JSON body is checked: the fast check, and the validator for what it is not sure of.
pub(super) struct JsonCheck {
    plan: Plan,
    validator: Arc<Validator>,
}

impl std::fmt::Debug for JsonCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JsonCheck")
    }
}

impl JsonCheck {
    /// `bytes` as a `T` the schema accepts, in one pass when the fast check is sure;
    /// otherwise validated as the dispatcher validates bodies, refused the same way.
    pub(super) fn read<T: DeserializeOwned>(&self, bytes: &[u8]) -> Result<T, Error> {
        if let Some(value) = typed::read(&self.plan, bytes) {
            return Ok(value);
        }
        // As the dispatcher reads it: straight into the type when the fast check is sure,
        // else validated as a `Value` first.
        let problem = |e: serde_json::Error| Problem::new("body", "", e.to_string()).into();
        if self.plan.accepts(bytes) {
            return serde_json::from_slice(bytes).map_err(problem);
        }
        serde_json::from_value(self.value(bytes)?).map_err(problem)
    }

    /// `bytes` validated, as a `Value`.
    pub(super) fn value(&self, bytes: &[u8]) -> Result<Value, Error> {
        let value = json_value(bytes)?;
        let problems = validation_problems(&self.validator, &value, MAX_PROBLEMS);
        if problems.is_empty() {
            Ok(value)
        } else {
            Err(Error::invalid(problems))
        }
    }

    /// Whether `bytes` are valid, as [`JsonCheck::value`] says.
    pub(super) fn validate(&self, bytes: &[u8]) -> Result<(), Error> {
        if self.plan.accepts(bytes) {
            Ok(())
        } else {
            self.value(bytes).map(drop)
        }
    }
}

fn body_problems(e: &jsonschema::ValidationError<'_>) -> Vec<Problem> {
    let parent = dotted(e.instance_path().as_str());
    if let ValidationErrorKind::AdditionalProperties { unexpected } = e.kind() {
        // `additionalProperties: false`: name each field the schema does not allow.
        return unexpected
            .iter()
            .map(|u| {
                let message = "is not a property this object allows".to_string();
                Problem::new("body", join(&parent, u), message)
            })
            .collect();
    }
    let field = match required_property(e) {
        Some(prop) => join(&parent, &prop),
        None => parent,
    };
    vec![Problem::new("body", field, message(e))]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::{Kind, ParamDef};

    #[test]
    fn media_types_match_exactly_then_by_range() {
        const BODIES: &[BodyDef] = &[
            BodyDef {
                media_type: "application/json",
                kind: MediaKind::Json,
                schema: "{}",
                encoding: &[],
            },
            BodyDef {
                media_type: "image/*",
                kind: MediaKind::Binary,
                schema: "{}",
                encoding: &[],
            },
        ];
        assert_eq!(
            media_index(BODIES, Some("application/json; charset=utf-8")),
            Some(0)
        );
        assert_eq!(media_index(BODIES, Some("Image/PNG")), Some(1));
        assert_eq!(media_index(BODIES, Some("text/plain")), None);
        assert_eq!(media_index(BODIES, None), None);
    }

    /// What `path` captures at the operation `template`, or `None` when it does not match.
    fn captured(template: &'static str, path: &str) -> Option<Vec<String>> {
        const PARAMS: &[ParamDef] = &[
            ParamDef::path("id", Kind::String),
            ParamDef::path("ext", Kind::String),
        ];
        let op: &'static OperationDef = Box::leak(Box::new(OperationDef {
            path: template,
            params: PARAMS,
            ..OperationDef::DEFAULT
        }));
        let (matcher, _, _) = compile_path(op);
        let mut caps = Captures::new();
        matcher
            .matches(path, &mut caps)
            .then(|| caps.into_iter().map(str::to_string).collect())
    }

    #[test]
    fn paths_match_templates_segment_by_segment() {
        assert_eq!(captured("/pets/{id}", "/pets/7"), Some(vec!["7".into()]));
        assert_eq!(captured("/pets/{id}", "/pets/7/"), Some(vec!["7".into()]));
        assert_eq!(captured("/pets/{id}", "/pets/7//"), None);
        assert_eq!(captured("/pets/{id}", "/pets/"), None);
        assert_eq!(captured("/pets/{id}", "/pets/7/toys"), None);
        assert_eq!(captured("/pets/{id}", "/Pets/7"), None);
        assert_eq!(captured("/pets/{id}", "pets/7"), None);
        assert_eq!(captured("/pets/", "/pets/"), Some(vec![]));
        assert_eq!(captured("/pets/", "/pets"), None);
        assert_eq!(captured("/", "/"), Some(vec![]));
        assert_eq!(captured("/", "/pets"), None);
        // A name that is no path parameter matches any segment, uncaptured.
        assert_eq!(
            captured("/a/{other}/{id}", "/a/x/y"),
            Some(vec!["y".into()])
        );
        // Parameters inside a segment: by regular expression.
        assert_eq!(
            captured("/files/{id}.{ext}", "/files/a.txt"),
            Some(vec!["a".into(), "txt".into()])
        );
        assert_eq!(captured("/files/{id}.{ext}", "/files/a"), None);
        assert_eq!(
            captured("/files/{id}.{ext}", "/files/a.txt/"),
            Some(vec!["a".into(), "txt".into()])
        );
    }

    /// Whether a router of operations at `templates` routes through axum's routes (and
    /// building it does not panic, which axum does on paths it cannot take).
    fn through_axum(templates: &[&'static str]) -> bool {
        static API: ApiDef = ApiDef {
            title: "t",
            schemes: &[],
            defs: "{}",
            fallback_error: "{}",
        };
        let mut d = Dispatcher::new(&API, Config::default());
        for path in templates {
            let params: Vec<ParamDef> = path
                .split('{')
                .skip(1)
                .filter_map(|s| s.split_once('}'))
                .map(|(n, _)| ParamDef::path(Box::leak(n.into()), Kind::String))
                .collect();
            let op: &'static OperationDef = Box::leak(Box::new(OperationDef {
                path,
                params: Box::leak(params.into_boxed_slice()),
                ..OperationDef::DEFAULT
            }));
            d = d.operation(op, |_| Box::pin(async { Ok(Reply::json(200, &1)) }));
        }
        d.routes
            .sort_by_key(|r| (r.captures.len(), std::cmp::Reverse(r.literal_len)));
        let through = axum_paths(&d.routes).is_some();
        let _router = d.into_router();
        through
    }

    #[test]
    fn templates_become_axum_routes_when_axum_takes_them_all() {
        assert!(through_axum(&["/", "/pets", "/pets/{id}", "/pets/summary"]));
        // Names differ, shape is the same: one route, told apart by method.
        assert!(through_axum(&["/a/{id}", "/a/{name}", "/a/{id}/b/{c}"]));
        assert!(through_axum(&["/pets/", "/owners"]));
        // Parameters inside a segment; segments axum reads as its syntax; a template and the
        // same with a trailing slash; an empty segment: the fallback serves them all.
        assert!(!through_axum(&["/pets", "/files/{id}.{ext}"]));
        assert!(!through_axum(&["/pets", "/:weird"]));
        assert!(!through_axum(&["/pets", "/*star"]));
        assert!(!through_axum(&["/pets", "/pets/"]));
        assert!(!through_axum(&["/a//b"]));
    }

    /// A pet, as a generated body type reads and writes it.
    #[derive(Debug, crate::Serialize, crate::Deserialize)]
    struct Pet {
        name: String,
        age: Option<u8>,
        tags: Vec<String>,
        born: Option<chrono::NaiveDate>,
    }

    /// Reads the body before anything else, as `serve!` does, and echoes it.
    struct Echo;

    impl super::super::Handle<()> for Echo {
        fn call(
            _: &(),
            mut input: Input,
        ) -> Result<impl Future<Output = super::super::Result<Reply>> + Send, Error> {
            let pet: Pet = input.body()?;
            Ok(async move { Ok(Reply::json(200, &pet)) })
        }
    }

    #[tokio::test]
    async fn a_body_checked_in_one_pass_is_refused_as_the_dispatcher_refuses_it() {
        use tower::ServiceExt;
        static API: ApiDef = ApiDef {
            title: "t",
            schemes: &[],
            defs: r#"{"Pet": {"type": "object", "required": ["name", "tags"],
                "properties": {
                    "name": {"type": "string", "minLength": 1},
                    "age": {"type": "integer", "minimum": 0, "maximum": 1000},
                    "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 2},
                    "born": {"type": "string", "format": "date"}},
                "additionalProperties": false}}"#,
            fallback_error: r#"{"error": "$code", "details": [{"$each": {"field": "$field", "message": "$message"}}]}"#,
        };
        static OP: OperationDef = OperationDef {
            id: "put_pet",
            method: "PUT",
            path: "/pets/{id}",
            params: &[ParamDef::path("id", Kind::Integer)],
            params_schema: r#"{"type": "object", "required": ["id"],
                "properties": {"id": {"type": "integer", "minimum": 1}}}"#,
            bodies: &[BodyDef::new(
                "application/json",
                MediaKind::Json,
                r##"{"$ref": "#/$defs/Pet"}"##,
            )],
            body_required: true,
            ..OperationDef::DEFAULT
        };
        // Validated before the handler runs, and as the handler reads it.
        let before = Dispatcher::new(&API, Config::default())
            .operation(&OP, |mut input| {
                Box::pin(async move {
                    let pet: Pet = input.body()?;
                    Ok(Reply::json(200, &pet))
                })
            })
            .into_router();
        let one_pass = Dispatcher::new(&API, Config::default())
            .serve(&OP, super::super::handle::<(), Echo>(&Arc::new(())))
            .into_router();
        let send = |router: axum::Router, path: &str, body: &str| {
            let request = http::Request::put(path)
                .header("content-type", "application/json")
                .body(axum::body::Body::from(body.to_string()))
                .unwrap();
            async move {
                let response = router.oneshot(request).await.unwrap();
                let status = response.status().as_u16();
                let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
                    .await
                    .unwrap();
                (status, String::from_utf8(bytes.to_vec()).unwrap())
            }
        };
        let cases = [
            (
                "/pets/1",
                r#"{"name":"Rex","tags":["a"],"age":3,"born":"2021-04-01"}"#,
                200,
            ),
            ("/pets/1", r#"{"tags":[],"name":"Réx"}"#, 200),
            ("/pets/1", r#"{"name":"","tags":["a","b","c"]}"#, 400),
            ("/pets/1", r#"{"name":"Rex","tags":[],"colour":"red"}"#, 400),
            (
                "/pets/1",
                r#"{"name":"Rex","tags":[],"born":"2021-02-30"}"#,
                400,
            ),
            // Valid to the spec, not to `u8` (as before).
            ("/pets/1", r#"{"name":"Rex","tags":[],"age":1.0}"#, 400),
            ("/pets/1", r#"{"name":"Rex","tags":[],"age":-1}"#, 400),
            // A repeated key: JSON Schema and `serde_json::Value` see the last one.
            ("/pets/1", r#"{"name":"Rex","tags":[],"name":"Max"}"#, 200),
            ("/pets/1", r#"{"name":"Rex""#, 400),
            ("/pets/1", r#"[]"#, 400),
            // Valid to the spec, too large for the type.
            ("/pets/1", r#"{"name":"Rex","tags":[],"age":300}"#, 400),
            // The parameter and the body are wrong: one reply lists both.
            ("/pets/0", r#"{"name":"","tags":[]}"#, 400),
        ];
        for (path, body, status) in cases {
            let expected = send(before.clone(), path, body).await;
            assert_eq!(expected.0, status, "{path} {body}: {}", expected.1);
            let got = send(one_pass.clone(), path, body).await;
            assert_eq!(got, expected, "{path} {body}");
        }
        let (_, both) = send(one_pass, "/pets/0", r#"{"name":"","tags":[]}"#).await;
        assert!(
            both.contains(r#""field":"id""#) && both.contains(r#""field":"name""#),
            "{both}"
        );
    }

    #[test]
    fn pointers_become_dotted_paths() {
        assert_eq!(dotted("/options/deliverability"), "options.deliverability");
        assert_eq!(dotted("/a~1b/0"), "a/b.0");
        assert_eq!(dotted(""), "");
    }
}
