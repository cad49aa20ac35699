//! The request's lifecycle, in front of the handlers: route (`route.rs`), read credentials
//! and parameters, authenticate, verify signatures, read and validate the body (the checks
//! live in `validate/`), refuse in the spec's error shape, or call the handler.

mod route;

use std::future::Future;

use futures::future::Either;
use futures::FutureExt;
use std::sync::Arc;
use std::time::Instant;

use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue, StatusCode};
use serde_json::Value;

use self::route::{axum_paths, compile_path, media_index, Captures, PathMatcher};
use super::auth::{self, Begin, Outcome};
use super::body;
use super::decode;
use super::problem::{render, Problem};
use super::schemas::Schemas;
use super::validate::{BodyCheck, ParamsCheck, MAX_PROBLEMS};
use super::{
    ApiDef, Closure, Config, DecodedBody, Error, Handle, HandlerFuture, Input, Location,
    OperationDef, Params, Reply, Request, Respond, Served,
};
use crate::auth::SchemeKind;

type Handler = Box<dyn Respond>;

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
    params: ParamsCheck,
    /// The check of each body, by media type as `op.bodies`.
    bodies: Vec<BodyCheck>,
    error: Value,
}

/// A request's operation, authentication and parameters, read before anything asynchronous.
struct Prepared {
    /// The index of the route.
    route: usize,
    /// Authentication, begun.
    auth: Begin,
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
        let params = ParamsCheck::new(&parse_json(op.params_schema), &self.defs, &self.schemas);
        let bodies = op
            .bodies
            .iter()
            .map(|b| BodyCheck::new(b, &self.defs, &self.schemas))
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
            bodies,
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
            // A service rather than a handler: axum boxes a route's future once, and a
            // handler's once more.
            tower::service_fn(move |request: axum::extract::Request| {
                let this = Arc::clone(&this);
                // Boxed here, so that axum's future around it stays small: both allocations
                // then fit the allocator's fast path (glibc caches blocks up to about a
                // kilobyte per thread), where one of 1.3 KiB took its slow path on every
                // request. What the log line needs is read only when someone listens.
                let response = if tracing::enabled!(
                    target: "openapi_gen::server",
                    tracing::Level::INFO
                ) {
                    let logged = Dispatcher::respond_logged(this, request, group);
                    Either::Left(Box::pin(logged))
                } else {
                    let respond = Dispatcher::respond(this, request, group);
                    Either::Right(Box::pin(FutureExt::map(respond, |(response, _)| response)))
                };
                FutureExt::map(response, Ok::<_, std::convert::Infallible>)
            })
        };
        let mut router = axum::Router::new();
        for (group, (path, _)) in paths.iter().enumerate() {
            let service = axum::routing::any_service(serve(group));
            // A trailing slash is the same resource.
            if !path.ends_with('/') {
                router = router.route(&format!("{path}/"), service.clone());
            }
            router = router.route(path, service);
        }
        router.fallback_service(serve(paths.len()))
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
            match template {
                Some(t) if t != route.op.path => continue,
                // Another method of the template matched: the same captures.
                Some(_) => {}
                None => {
                    caps.clear();
                    if !route.path.matches(path, &mut caps) {
                        continue;
                    }
                    template = Some(route.op.path);
                }
            }
            if route.op.method.eq_ignore_ascii_case(parts.method.as_str()) {
                found = Some((index, route));
                break;
            }
            allowed.push(route.op.method);
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

        let query = decode::query_pairs(&parts.uri);
        // Read only when a parameter or a scheme is a cookie.
        let cookies = if route.reads_cookies {
            decode::request_cookies(&parts.headers)
        } else {
            Vec::new()
        };

        // Authentication, begun: the credentials the operation's security asks for, handed
        // to their authenticators (a request's other credentials are read when asked for).
        let sent = auth::Sent {
            headers: &parts.headers,
            query: &query,
            cookies: &cookies,
        };
        let auth = auth::begin(
            &self.config.authenticators,
            op.security,
            self.api.schemes,
            &sent,
        );

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
        let problems = route.params.problems(op, &params);
        Ok(Prepared {
            route: index,
            auth,
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
                auth,
                params,
                problems,
            } = match prepared {
                Ok(prepared) => prepared,
                Err(response) => return (*response, None),
            };
            let route = &this.routes[route];
            let op = route.op;

            // Authenticate: credentials present, then accepted by the authenticators (boxed,
            // when there are several to wait for, as every request's future would otherwise
            // hold room for them).
            let mut credentials = std::sync::OnceLock::new();
            let principals = {
                let outcome = match auth {
                    Begin::Decided(outcome) => outcome,
                    Begin::One(scheme, answer) => match answer.await {
                        Ok(principal) => Outcome::Passed(smallvec::smallvec![(scheme, principal)]),
                        Err(error) => Outcome::Refused(error),
                    },
                    Begin::Many(all) => {
                        let authenticators = &this.config.authenticators;
                        let outcome =
                            Box::pin(auth::authenticate(authenticators, op.security, &all)).await;
                        credentials = std::sync::OnceLock::from(all);
                        outcome
                    }
                };
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
                    let check = &route.bodies[index];
                    let json = check.json();
                    let one_pass = route.reads_first && problems.is_empty();
                    let decoded = if let Some(json) = json.filter(|_| one_pass) {
                        // Checked as the handler reads it into its type, in one pass.
                        Ok(DecodedBody::Pending(bytes, Arc::clone(json)))
                    } else if json.is_some_and(|json| json.accepts(&bytes)) {
                        Ok(DecodedBody::Json(bytes))
                    } else {
                        // Boxed: multipart reading is a large future, which would otherwise
                        // make every request's future as large.
                        let schema = (check.schema(), &this.defs);
                        Box::pin(body::read(def, schema, content_type, bytes)).await
                    };
                    match decoded {
                        Ok(DecodedBody::Value(v)) => {
                            let room = MAX_PROBLEMS.saturating_sub(problems.len());
                            match check.problems(&v, room) {
                                Ok(found) => problems.extend(found),
                                Err(e) => return (internal(op.id, &e), Some(op.id)),
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
                    schemes: this.api.schemes,
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
