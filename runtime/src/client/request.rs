//! A request as generated code describes it ([`RequestSpec`]), with its body kept so that
//! it can be sent again on retry ([`Body`], [`Part`]), and multipart bodies written from
//! their parts.

use std::time::Duration;

use bytes::Bytes;
use http::{HeaderName, HeaderValue};
use serde::Serialize;

use crate::params::{self, Style};

/// A request body, kept in a form that can be sent again on retry.
#[derive(Debug, Clone)]
pub enum Body {
    Empty,
    Json(Bytes),
    Form(String),
    Multipart(Vec<Part>),
    /// A multipart body of unnamed parts in order (`multipart/mixed`...), sent as `media`
    /// with a boundary of its own.
    Parts {
        media: &'static str,
        parts: Vec<Part>,
    },
    Bytes {
        content_type: &'static str,
        data: Bytes,
    },
}

/// One part of a `multipart/form-data` body ([`crate::form::parts`] and
/// [`crate::form::file`] make them).
#[derive(Debug, Clone)]
pub struct Part {
    pub name: String,
    /// Set for files.
    pub file_name: Option<String>,
    /// `None`: text (`text/plain`, the default of RFC 7578).
    pub content_type: Option<String>,
    pub headers: Vec<(String, String)>,
    pub data: Bytes,
}

/// One operation's request, as generated code describes it.
#[derive(Debug, Clone)]
pub struct RequestSpec {
    /// The operation's name, for errors.
    pub operation: &'static str,
    pub method: http::Method,
    /// The path, already expanded and percent-encoded.
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(&'static str, String)>,
    pub cookies: Vec<(&'static str, String)>,
    pub body: Body,
    /// Alternatives of schemes (any one alternative, all its schemes, each with the OAuth2
    /// scopes it needs); empty: anonymous.
    pub security: Security,
    /// This request's timeout, overriding the client's.
    pub timeout: Option<Duration>,
    /// The operation's path template as the spec writes it (`/pets/{id}`), for tracing.
    pub template: &'static str,
}

/// Alternatives of security schemes, as [`RequestSpec::security`] holds them.
pub type Security = &'static [&'static [(&'static str, &'static [&'static str])]];

impl RequestSpec {
    /// A request of another method than the eight constructors below (OpenAPI 3.2's
    /// `QUERY`, `additionalOperations`): `name` is an HTTP token, as generated code writes it.
    pub fn method(name: &'static str, operation: &'static str, template: &'static str) -> Self {
        let method = http::Method::from_bytes(name.as_bytes()).unwrap_or(http::Method::POST);
        RequestSpec::new(method, operation, template)
    }
}

macro_rules! method_constructors {
    ($($name:ident => $method:ident),*) => {
        $(
            #[doc = concat!("A `", stringify!($method), "` request: see [`RequestSpec::new`].")]
            pub fn $name(operation: &'static str, template: &'static str) -> RequestSpec {
                RequestSpec::new(http::Method::$method, operation, template)
            }
        )*
    };
}

/// Building a request, for generated `request` functions: one call per parameter.
impl RequestSpec {
    /// A request of `operation` to the path `template` (`/pets/{id}`), whose placeholders
    /// [`path`](Self::path) fills; no query, headers, cookies, body or security yet.
    pub fn new(method: http::Method, operation: &'static str, template: &'static str) -> Self {
        RequestSpec {
            operation,
            method,
            // Room for the values of its placeholders.
            path: {
                let mut path = String::with_capacity(template.len() + 32);
                path.push_str(template);
                path
            },
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: Body::Empty,
            security: &[],
            timeout: None,
            template,
        }
    }

    method_constructors!(
        get => GET, put => PUT, post => POST, delete => DELETE, options => OPTIONS,
        head => HEAD, patch => PATCH, trace => TRACE
    );

    /// Fills the placeholder `{name}` of the path with a path parameter in its default
    /// style (`simple`, not exploded).
    pub fn path<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        self.path_styled(name, value, Style::Simple, false)
    }

    /// Fills the placeholder `{name}` of the path with a path parameter, percent-encoded (so
    /// a value never makes a placeholder of its own).
    pub fn path_styled<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
        style: Style,
        explode: bool,
    ) {
        let expanded = params::path(name, value, style, explode);
        // Every `{name}` of the template, in place.
        let mut from = 0;
        while let Some(at) = self.path.as_bytes()[from..]
            .iter()
            .position(|b| *b == b'{')
            .map(|i| from + i)
        {
            let rest = &self.path[at + 1..];
            if rest.starts_with(name) && rest[name.len()..].starts_with('}') {
                self.path.replace_range(at..at + name.len() + 2, &expanded);
                from = at + expanded.len();
            } else {
                from = at + 1;
            }
        }
    }

    /// A query parameter in its default style (`form`, exploded); `None` adds nothing.
    pub fn query<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        params::form(&mut self.query, name, value)
    }

    /// A query parameter in another style.
    pub fn query_styled<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
        style: Style,
        explode: bool,
    ) {
        params::query(&mut self.query, name, value, style, explode)
    }

    /// The whole query string (OpenAPI 3.2 `in: querystring` in a media type other than a
    /// form): the value's text (see [`params::json_text`] for JSON), percent-encoded so that
    /// none of it separates pairs. It is written after the path; query parameters, if any,
    /// follow it. `None` adds nothing.
    pub fn query_string<T: Serialize + ?Sized>(&mut self, value: &T) {
        if let Some(text) = params::part_text(value) {
            self.path.push('?');
            self.path.push_str(&params::encode_component(&text));
        }
    }

    /// A header parameter (`simple` style); `None` adds nothing.
    pub fn header<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T, explode: bool) {
        if let Some(value) = params::header(value, explode) {
            self.headers.push((name, value));
        }
    }

    /// A webhook delivery: a `webhook-id` unique to this call (the same on every retry of
    /// it, so the receiver can deduplicate), which also makes it retried like an idempotent
    /// request, on any `5xx` too.
    pub fn delivery(&mut self) {
        if !self
            .headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("webhook-id"))
        {
            self.headers
                .push(("webhook-id", format!("msg_{}", crate::idempotency_key())));
        }
    }

    /// The `Idempotency-Key` header: the caller's, or a fresh key (sent again by every
    /// retry of this call).
    pub fn idempotency_key<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        let value = params::header(value, false).unwrap_or_else(crate::idempotency_key);
        self.headers.push((name, value));
    }

    /// A cookie parameter; `None` adds nothing.
    pub fn cookie<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T, explode: bool) {
        if let Some(value) = params::header(value, explode) {
            self.cookies.push((name, value));
        }
    }
}

pub(super) fn multipart(parts: &[Part]) -> Result<reqwest::multipart::Form, String> {
    let mut form = reqwest::multipart::Form::new();
    for part in parts {
        let mut p = reqwest::multipart::Part::bytes(part.data.to_vec());
        if let Some(f) = &part.file_name {
            p = p.file_name(f.clone());
        }
        if let Some(ct) = &part.content_type {
            p = p
                .mime_str(ct)
                .map_err(|e| format!("part {}: {e}", part.name))?;
        }
        if !part.headers.is_empty() {
            let mut headers = http::HeaderMap::new();
            for (name, value) in &part.headers {
                let name = HeaderName::from_bytes(name.as_bytes())
                    .map_err(|e| format!("part {}: header {name}: {e}", part.name))?;
                let value = HeaderValue::from_str(value)
                    .map_err(|e| format!("part {}: header {name}: {e}", part.name))?;
                headers.insert(name, value);
            }
            p = p.headers(headers);
        }
        form = form.part(part.name.clone(), p);
    }
    Ok(form)
}

/// A multipart body of unnamed parts (RFC 2046): its content type, with the boundary, and
/// its bytes.
pub(super) fn positional(media: &str, parts: &[Part]) -> Result<(String, Vec<u8>), String> {
    let boundary = format!("openapi-gen-{}", crate::idempotency_key());
    let mut body = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        let content_type = part
            .content_type
            .iter()
            .map(|ct| ("content-type", ct.as_str()));
        let headers = part.headers.iter().map(|(n, v)| (n.as_str(), v.as_str()));
        for (name, value) in content_type.chain(headers) {
            // Checked as a request's headers are: no line breaks into the body.
            HeaderName::from_bytes(name.as_bytes())
                .map_err(|e| format!("part {i}: header {name}: {e}"))?;
            HeaderValue::from_str(value).map_err(|e| format!("part {i}: header {name}: {e}"))?;
            body.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
        }
        body.extend_from_slice(b"\r\n");
        body.extend_from_slice(&part.data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    Ok((format!("{media}; boundary={boundary}"), body))
}
