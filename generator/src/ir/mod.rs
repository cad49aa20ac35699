//! The API model (IR): everything the emitters need, resolved and named.
//!
//! Built by `resolve` from an OpenAPI document. Emitters read only this: no
//! `openapiv3` type appears here. References are resolved, names are final and unique,
//! inline schemas that need a Rust type are named types of their own, and constraints stay
//! attached to the place they constrain so servers can validate.

use serde_json::Value;

mod media;
mod pagination;
mod reads;
mod security;
mod size;
mod types;

pub use media::*;
pub use pagination::*;
pub use security::*;
pub use size::large_variants;
pub use types::*;

/// One API, from one spec file.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description` (Markdown).
    pub description: Option<String>,
    /// The Rust module name for this API (from the file name).
    pub module: String,
    /// `servers`, in spec order: the first is the client's default base URL.
    pub servers: Vec<Server>,
    /// `components/securitySchemes`, in spec order.
    pub security_schemes: Vec<SecurityScheme>,
    /// The default security of every operation that does not say otherwise.
    pub security: Vec<SecurityRequirement>,
    /// Every operation, in spec order (paths, then methods).
    pub operations: Vec<Operation>,
    /// The requests the API sends: OpenAPI 3.1 `webhooks` and the `callbacks` of its
    /// operations, as operations served by the API's users at `/<name>` (a receiver) and
    /// sent by the API (a sender). Their names are their own (a module of their own).
    pub webhooks: Vec<Operation>,
    /// When the JSON payloads of the 3.1 `webhooks` (not callbacks) have the same required
    /// tag property, each with a value of its own: the property's wire name, and each
    /// webhook's index in `webhooks` with its value. Generated code reads a delivery into one
    /// `Event` enum by it.
    pub webhook_tag: Option<(String, Vec<(usize, String)>)>,
    /// Named types; a [`TypeId`] indexes this list.
    pub types: Vec<TypeDef>,
    /// Client scopes (`x-openapi-gen-scope`), in order of first use.
    pub scopes: Vec<ClientScope>,
    /// The error body a server answers with for requests that match no operation: the
    /// most common of the operations' [`Operation::error_template`]s.
    pub fallback_error: Value,
    /// The distinct sets of headers that responses declare, each once (a server response
    /// carries its headers as one value of its set's struct).
    pub header_sets: Vec<HeaderSet>,
}

/// Headers that responses declare together, identically.
#[derive(Debug, Clone, PartialEq)]
pub struct HeaderSet {
    /// UpperCamelCase, unique among the sets and the types (`RatelimitHeaders`): a struct in
    /// the `types` module that both the client and the server use.
    pub name: String,
    /// The headers, in spec order.
    pub headers: Vec<ResponseHeader>,
}

/// A value a client can be scoped to once (`client.for_account(id)`), filling a parameter of
/// every operation that has it.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientScope {
    /// The scope's name, as the extension gives it (snake_case).
    pub name: String,
    /// The client method that sets it (`for_account`).
    pub method: String,
    /// The wire name of the parameter it first appears on, and that parameter's type.
    pub param: String,
    /// The setter's argument (the parameter's snake_case name).
    pub arg: String,
    /// The type of the parameter it fills.
    pub ty: TypeRef,
}

impl Api {
    /// The named type `id` indexes.
    pub fn type_def(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }

    /// The parameter's `default` when it is a value of the parameter's type (a server then
    /// fills it in, and the parameter's field need not be optional).
    pub fn parameter_default(&self, p: &Parameter) -> Option<Value> {
        let d = p.ty.default.as_ref()?;
        let usable = match &self.unalias(&p.ty).shape {
            Shape::Named(id) => match &self.type_def(*id).kind {
                TypeKind::Enum(e) => e.variants.iter().any(|v| &v.value == d),
                _ => false,
            },
            Shape::Integer(_) => d.is_i64(),
            Shape::Number(_) => d.is_number(),
            Shape::Bool => d.is_boolean(),
            Shape::String(StringFormat::Plain) => d.is_string(),
            _ => false,
        };
        usable.then(|| d.clone())
    }

    /// The type an alias stands for (through chains of aliases); any other type itself.
    pub fn unalias<'a>(&'a self, t: &'a TypeRef) -> &'a TypeRef {
        unalias(&self.types, t)
    }

    /// Calls `f` on every use of a type outside the type definitions themselves: parameters,
    /// bodies, response headers, pagination items and client scopes.
    pub fn for_each_type_ref(&mut self, mut f: impl FnMut(&mut TypeRef)) {
        for op in self.operations.iter_mut().chain(&mut self.webhooks) {
            op.parameters.iter_mut().for_each(|p| f(&mut p.ty));
            if let Some(body) = &mut op.request_body {
                body.contents.iter_mut().for_each(|c| f(&mut c.ty));
            }
            for r in &mut op.responses {
                r.headers.iter_mut().for_each(|h| f(&mut h.ty));
                r.contents.iter_mut().for_each(|c| f(&mut c.ty));
            }
            if let Some(p) = &mut op.pagination {
                f(&mut p.item);
            }
        }
        self.scopes.iter_mut().for_each(|s| f(&mut s.ty));
        for set in &mut self.header_sets {
            set.headers.iter_mut().for_each(|h| f(&mut h.ty));
        }
    }

    /// Uses the Rust type at `path` (`my_crate::Money`) for the schema `schema` (its name in
    /// `components/schemas`, or its generated type name) everywhere it appears.
    pub fn replace_type(&mut self, schema: &str, path: &str) -> Result<(), String> {
        let path = crate::names::rust_type_path(path)
            .ok_or_else(|| format!("{path:?} is not a Rust type path (e.g. `my_crate::Money`)"))?;
        let pointer = crate::pointer::join("#/components/schemas", schema);
        let def = self
            .types
            .iter_mut()
            .find(|t| t.pointer == pointer || t.name == schema)
            .ok_or_else(|| format!("{} has no schema {schema:?} to replace", self.title))?;
        def.rust_path = Some(path);
        Ok(())
    }
}

/// A server the API is served at (`servers`).
#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    /// The URL template, with `{variables}`.
    pub url: String,
    /// `description`.
    pub description: Option<String>,
    /// The variables of `url`, in spec order.
    pub variables: Vec<ServerVariable>,
}

/// A variable of a server URL template.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerVariable {
    /// Its name in the template.
    pub name: String,
    /// Its default value.
    pub default: String,
    /// `enum`: the values it may take (empty: any).
    pub allowed: Vec<String>,
    /// `description`.
    pub description: Option<String>,
}

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    /// `GET`.
    Get,
    /// `PUT`.
    Put,
    /// `POST`.
    Post,
    /// `DELETE`.
    Delete,
    /// `OPTIONS`.
    Options,
    /// `HEAD`.
    Head,
    /// `PATCH`.
    Patch,
    /// `TRACE`.
    Trace,
    /// Another method, upper case: OpenAPI 3.2's `QUERY` and `additionalOperations`.
    Other(&'static str),
}

impl Method {
    /// A method of OpenAPI 3.2's `query` or `additionalOperations`, by its name (an HTTP
    /// token): one of the eight when it is, else [`Method::Other`].
    pub fn named(name: &str) -> Option<Method> {
        let valid = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
        if !valid {
            return None;
        }
        let lower = name.to_ascii_lowercase();
        Some(Method::parse(&lower).unwrap_or_else(|| {
            // A handful per spec, for the life of the process.
            Method::Other(Box::leak(name.to_ascii_uppercase().into_boxed_str()))
        }))
    }

    /// One of the eight methods of a path item, by its key there (lower case).
    pub fn parse(s: &str) -> Option<Method> {
        Some(match s {
            "get" => Method::Get,
            "put" => Method::Put,
            "post" => Method::Post,
            "delete" => Method::Delete,
            "options" => Method::Options,
            "head" => Method::Head,
            "patch" => Method::Patch,
            "trace" => Method::Trace,
            _ => return None,
        })
    }

    /// `GET`, `POST`...
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
            Method::Other(name) => name,
        }
    }
}

/// One operation (a method of a path), or a webhook or callback request.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// `operationId`, or `None` when the spec has none.
    pub operation_id: Option<String>,
    /// snake_case method name, unique in the API.
    pub rust_name: String,
    /// UpperCamelCase prefix for the operation's own types, unique in the API.
    pub type_name: String,
    /// The names of its items in the client's `ops` module besides its builder
    /// (`type_name`): never the name of a type.
    pub items: OpItems,
    /// The HTTP method.
    pub method: Method,
    /// The path template as written (`/subaccounts/{id}`).
    pub path: String,
    /// The path template as literal text and parameters.
    pub segments: Vec<PathSegment>,
    /// `summary`.
    pub summary: Option<String>,
    /// `description` (Markdown).
    pub description: Option<String>,
    /// `tags`.
    pub tags: Vec<String>,
    /// `deprecated`.
    pub deprecated: bool,
    /// Path-level and operation-level parameters merged, in spec order (path first).
    pub parameters: Vec<Parameter>,
    /// `requestBody`, when there is one.
    pub request_body: Option<RequestBody>,
    /// Every documented response, in spec order.
    pub responses: Vec<Response>,
    /// `None`: the API's default security applies.
    pub security: Option<Vec<SecurityRequirement>>,
    /// How to walk the pages of this operation's results, when it has pages.
    pub pagination: Option<Pagination>,
    /// A request the API sends (a webhook or callback), not one it serves: its client sends
    /// deliveries (a `webhook-id` per call, retried).
    pub webhook: bool,
    /// A callback whose URL is its runtime expression alone (`{$request.body#/callback}`):
    /// the sender posts to the URL it is given, as it is; the receiver serves it at `path`
    /// (`/<callback name>`), so that several share one router.
    pub at_base_url: bool,
    /// When the operation answers JSON or a stream as a boolean property of its JSON body
    /// asks (an LLM API's `stream: true`): that property, which the client's `.stream()`
    /// sets itself.
    pub stream_switch: Option<StreamSwitch>,
    /// Index into [`Operation::parameters`] of the operation's `Idempotency-Key` header (any
    /// case): the client fills it with a fresh key per call unless the caller sets one, and
    /// then may retry the call whatever its method.
    pub idempotency_key: Option<usize>,
    /// The error body the server answers with when it refuses a request: a JSON template of
    /// the spec's own error shape, with placeholders (`$summary`, `$field`...) where a
    /// field's name says what it holds (see `resolve/errors.rs`).
    pub error_template: Value,
    /// JSON pointer of the operation in the document.
    pub pointer: String,
}

impl Operation {
    /// What a call may succeed with: each documented 2xx response, once per media type
    /// (`None`: no body); when no 2xx is documented, the `default` response, and `true`.
    pub fn successes(&self) -> (Vec<(&Response, Option<&Content>)>, bool) {
        let explicit: Vec<&Response> = self
            .responses
            .iter()
            .filter(|r| r.status.is_success())
            .collect();
        let default_is_success = explicit.is_empty();
        let chosen: Vec<&Response> = if default_is_success {
            self.responses
                .iter()
                .filter(|r| r.status == StatusCode::Default)
                .collect()
        } else {
            explicit
        };
        let mut out = Vec::new();
        for r in chosen {
            if r.contents.is_empty() {
                out.push((r, None));
            } else {
                out.extend(r.contents.iter().map(|c| (r, Some(c))));
            }
        }
        (out, default_is_success)
    }
}

/// The names of an operation's items in the client's `ops` module: `XResponse`, `XError`
/// and `XBody` after its type name `X`, unless a type of the API has that name (then
/// `XSuccess`, `XFailure`, `XPayload`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OpItems {
    /// The enum of its successes, when it has several.
    pub response: String,
    /// The enum of its documented errors.
    pub error: String,
    /// The enum of its bodies, when it takes several media types.
    pub body: String,
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    /// Text as written.
    Literal(String),
    /// Index into [`Operation::parameters`].
    Param(usize),
}

/// Where a parameter is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ParamLocation {
    /// In the path template.
    Path,
    /// In the query string.
    Query,
    /// OpenAPI 3.2 `in: querystring` in a media type other than a form: the whole query
    /// string is the value, written in that media type and percent-encoded.
    QueryString,
    /// In a header.
    Header,
    /// In the `Cookie` header.
    Cookie,
}

/// How a parameter's value is written (`style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    /// `form`: `name=value`, lists as `a,b` or repeated.
    Form,
    /// `simple`: `a,b`.
    Simple,
    /// `label`: `.a.b`.
    Label,
    /// `matrix`: `;name=a,b`.
    Matrix,
    /// `spaceDelimited`: `a b`.
    SpaceDelimited,
    /// `pipeDelimited`: `a|b`.
    PipeDelimited,
    /// `deepObject`: `name[key]=value`.
    DeepObject,
}

/// A parameter of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// The wire name.
    pub name: String,
    /// snake_case, unique among the operation's parameters.
    pub rust_name: String,
    /// Where it is sent.
    pub location: ParamLocation,
    /// Whether a request must have it.
    pub required: bool,
    /// `deprecated`.
    pub deprecated: bool,
    /// `description` (Markdown).
    pub description: Option<String>,
    /// Its type.
    pub ty: TypeRef,
    /// How its value is written, OpenAPI's default filled in.
    pub style: ParamStyle,
    /// `explode`, OpenAPI's default filled in.
    pub explode: bool,
    /// `allowReserved`: reserved characters are sent without percent-encoding.
    pub allow_reserved: bool,
    /// Given by `content` in a JSON media type (`application/json`, `+json`): the value is
    /// written as JSON text, then as its location writes text. Otherwise it is written in
    /// its style, and a `querystring` value as text.
    pub json: bool,
    /// `x-openapi-gen-scope`: the client can be scoped once (`for_<scope>(value)`) and then
    /// fills this parameter in every request that has it.
    pub scope: Option<String>,
    /// JSON pointer of the parameter in the document.
    pub pointer: String,
}

/// An operation's `requestBody`.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    /// Whether a request must have a body.
    pub required: bool,
    /// `description` (Markdown).
    pub description: Option<String>,
    /// One entry per media type, in spec order.
    pub contents: Vec<Content>,
}

/// A response's status, as documented.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StatusCode {
    /// One status code (`404`).
    Code(u16),
    /// `4XX`: the first digit.
    Range(u8),
    /// `default`: any status no other response documents.
    Default,
}

impl StatusCode {
    /// Whether it is a success (2xx).
    pub fn is_success(&self) -> bool {
        match self {
            StatusCode::Code(c) => (200..300).contains(c),
            StatusCode::Range(r) => *r == 2,
            StatusCode::Default => false,
        }
    }
}

impl std::fmt::Display for StatusCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StatusCode::Code(c) => write!(f, "{c}"),
            StatusCode::Range(r) => write!(f, "{r}XX"),
            StatusCode::Default => f.write_str("default"),
        }
    }
}

/// A documented response of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// Its status.
    pub status: StatusCode,
    /// UpperCamelCase name of this response among the operation's responses (`Ok`,
    /// `BadRequest`, `Status4xx`, `Default`), unique in the operation.
    pub variant: String,
    /// `description` (Markdown).
    pub description: String,
    /// The declared headers, in spec order.
    pub headers: Vec<ResponseHeader>,
    /// Index into [`Api::header_sets`] of this response's headers, when it declares any.
    pub header_set: Option<usize>,
    /// Empty when the response has no body.
    pub contents: Vec<Content>,
}

/// A header a response declares.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseHeader {
    /// The wire name.
    pub name: String,
    /// snake_case, unique among the response's headers.
    pub rust_name: String,
    /// Whether every response carries it.
    pub required: bool,
    /// `description` (Markdown).
    pub description: Option<String>,
    /// Its type.
    pub ty: TypeRef,
}

/// The boolean request-body property that chooses between a JSON answer and a stream.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamSwitch {
    /// The field's Rust name in the body's struct.
    pub rust_name: String,
    /// How the field holds a value: `true`, `Some(true)` or `Nullable::Value(true)`.
    pub holder: FieldHolder,
}

/// How a struct field holds its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldHolder {
    /// Required: the value itself.
    Plain,
    /// Optional: `Option<T>`.
    Option,
    /// Optional and nullable: `runtime::Nullable<T>`.
    Nullable,
}

impl Operation {
    /// Its `operationId`, or its Rust method name when it has none: how generated code,
    /// logs and the driver name it.
    pub fn id(&self) -> String {
        self.operation_id
            .clone()
            .unwrap_or_else(|| self.rust_name.clone())
    }

    /// Whether the client reads its answer as a stream of items (`.stream()`): a sequential
    /// success, or pages that are bodies.
    pub fn has_item_stream(&self) -> bool {
        self.sequential_success().is_some()
            || (self.pagination.is_some()
                && self.successes().0.first().and_then(|(_, c)| *c).is_some())
    }

    /// The first success content of a sequential media type, when the operation has one.
    pub fn sequential_success(&self) -> Option<&Content> {
        self.successes()
            .0
            .into_iter()
            .filter_map(|(_, c)| c)
            .find(|c| c.kind.is_sequential())
    }
}
