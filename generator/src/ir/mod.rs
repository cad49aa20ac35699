//! The API model (IR): everything the emitters need, resolved and named.
//!
//! Built by [`crate::resolve`] from an OpenAPI document. Emitters read only this: no
//! `openapiv3` type appears here. References are resolved, names are final and unique,
//! inline schemas that need a Rust type are named types of their own, and constraints stay
//! attached to the place they constrain so servers can validate.

use serde_json::Value;

mod media;
mod pagination;
mod reads;
mod security;

pub use media::*;
pub use pagination::*;
pub use security::*;

/// One API, from one spec file.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    /// The Rust module name for this API (from the file name).
    pub module: String,
    pub servers: Vec<Server>,
    pub security_schemes: Vec<SecurityScheme>,
    /// The default security of every operation that does not say otherwise.
    pub security: Vec<SecurityRequirement>,
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
    pub ty: TypeRef,
}

impl Api {
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

/// The type an alias among `types` stands for (through chains of aliases, at most 16 deep);
/// any other type itself. The one place aliases are followed.
pub fn unalias<'a>(types: &'a [TypeDef], t: &'a TypeRef) -> &'a TypeRef {
    let mut t = t;
    for _ in 0..16 {
        match &t.shape {
            Shape::Named(id) => match types.get(id.0).map(|d| &d.kind) {
                Some(TypeKind::Alias(inner)) => t = inner,
                _ => return t,
            },
            _ => return t,
        }
    }
    t
}

#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    /// The URL template, with `{variables}`.
    pub url: String,
    pub description: Option<String>,
    pub variables: Vec<ServerVariable>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ServerVariable {
    pub name: String,
    pub default: String,
    pub allowed: Vec<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
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

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// `operationId`, or `None` when the spec has none.
    pub operation_id: Option<String>,
    /// snake_case method name, unique in the API.
    pub rust_name: String,
    /// UpperCamelCase prefix for the operation's own types, unique in the API.
    pub type_name: String,
    pub method: Method,
    /// The path template as written (`/subaccounts/{id}`).
    pub path: String,
    pub segments: Vec<PathSegment>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub deprecated: bool,
    /// Path-level and operation-level parameters merged, in spec order (path first).
    pub parameters: Vec<Parameter>,
    pub request_body: Option<RequestBody>,
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    Literal(String),
    /// Index into [`Operation::parameters`].
    Param(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ParamLocation {
    Path,
    Query,
    /// OpenAPI 3.2 `in: querystring` in a media type other than a form: the whole query
    /// string is the value, written in that media type and percent-encoded.
    QueryString,
    Header,
    Cookie,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    Form,
    Simple,
    Label,
    Matrix,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// The wire name.
    pub name: String,
    /// snake_case, unique among the operation's parameters.
    pub rust_name: String,
    pub location: ParamLocation,
    pub required: bool,
    pub deprecated: bool,
    pub description: Option<String>,
    pub ty: TypeRef,
    pub style: ParamStyle,
    pub explode: bool,
    pub allow_reserved: bool,
    /// Given by `content` in a JSON media type (`application/json`, `+json`): the value is
    /// written as JSON text, then as its location writes text. Otherwise it is written in
    /// its style, and a `querystring` value as text.
    pub json: bool,
    /// `x-openapi-gen-scope`: the client can be scoped once (`for_<scope>(value)`) and then
    /// fills this parameter in every request that has it.
    pub scope: Option<String>,
    pub pointer: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    pub required: bool,
    pub description: Option<String>,
    /// One entry per media type, in spec order.
    pub contents: Vec<Content>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StatusCode {
    Code(u16),
    /// `4XX`: the first digit.
    Range(u8),
    Default,
}

impl StatusCode {
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

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: StatusCode,
    /// UpperCamelCase name of this response among the operation's responses (`Ok`,
    /// `BadRequest`, `Status4xx`, `Default`), unique in the operation.
    pub variant: String,
    pub description: String,
    pub headers: Vec<ResponseHeader>,
    /// Index into [`Api::header_sets`] of this response's headers, when it declares any.
    pub header_set: Option<usize>,
    /// Empty when the response has no body.
    pub contents: Vec<Content>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResponseHeader {
    pub name: String,
    pub rust_name: String,
    pub required: bool,
    pub description: Option<String>,
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

/// Index of a named type in [`Api::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// A use of a type: its shape, whether `null` is allowed, and the constraints that apply
/// here.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeRef {
    pub shape: Shape,
    pub nullable: bool,
    pub constraints: Constraints,
    /// The schema's `default`, when it has one.
    pub default: Option<Value>,
    /// The schema's `example`, when it has one that is a value of it (the mock answers
    /// with it). Not part of the type's identity.
    pub example: Option<Value>,
}

impl TypeRef {
    pub fn new(shape: Shape) -> TypeRef {
        TypeRef {
            shape,
            nullable: false,
            constraints: Constraints::default(),
            default: None,
            example: None,
        }
    }

    pub fn named(id: TypeId) -> TypeRef {
        TypeRef::new(Shape::Named(id))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// Any JSON value.
    Any,
    Bool,
    Integer(IntFormat),
    Number(NumFormat),
    String(StringFormat),
    /// Raw bytes (a binary body or a file part).
    Bytes,
    Array(Box<TypeRef>),
    /// An object with arbitrary keys (`additionalProperties`).
    Map(Box<TypeRef>),
    Named(TypeId),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IntFormat {
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
}

impl IntFormat {
    /// The least and greatest value of the Rust integer of this format.
    pub fn range(self) -> (i128, i128) {
        match self {
            IntFormat::I8 => (i8::MIN.into(), i8::MAX.into()),
            IntFormat::I16 => (i16::MIN.into(), i16::MAX.into()),
            IntFormat::I32 => (i32::MIN.into(), i32::MAX.into()),
            IntFormat::I64 => (i64::MIN.into(), i64::MAX.into()),
            IntFormat::U8 => (0, u8::MAX.into()),
            IntFormat::U16 => (0, u16::MAX.into()),
            IntFormat::U32 => (0, u32::MAX.into()),
            IntFormat::U64 => (0, u64::MAX.into()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NumFormat {
    F32,
    F64,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum StringFormat {
    Plain,
    DateTime,
    Date,
    Time,
    Uuid,
    /// Base64-encoded bytes.
    Byte,
    /// Raw bytes, in multipart parts.
    Binary,
    Email,
    Uri,
    Ipv4,
    Ipv6,
    Hostname,
    Password,
    /// Another `format`, kept for documentation.
    Other(String),
}

/// Validation keywords that apply at a use site.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub pattern: Option<String>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub exclusive_minimum: bool,
    pub exclusive_maximum: bool,
    pub multiple_of: Option<f64>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub unique_items: bool,
    pub min_properties: Option<u64>,
    pub max_properties: Option<u64>,
}

impl Constraints {
    pub fn is_empty(&self) -> bool {
        self == &Constraints::default()
    }
}

/// A type with a name of its own.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// UpperCamelCase, unique in the API.
    pub name: String,
    /// JSON pointer of the schema it comes from.
    pub pointer: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    pub kind: TypeKind,
    /// The schema's own validation keywords (`minProperties` of an object...), which apply
    /// wherever the type is used.
    pub constraints: Constraints,
    /// A type of the user's stands for this one everywhere (`x-rust-type`, or
    /// `replace_type`): a Rust type path, already checked. The type is then not generated;
    /// servers still validate against the schema.
    pub rust_path: Option<String>,
    /// The schema's `example`, when it is a value of it (the mock answers with it).
    pub example: Option<Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(Struct),
    Enum(Enum),
    Union(Union),
    /// A named schema that is a primitive, array or map.
    Alias(Box<TypeRef>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// Extra properties (`additionalProperties`), collected in a map.
    pub additional: Option<Box<TypeRef>>,
    /// The name of the field that holds the extra properties, unique among the fields.
    pub additional_rust_name: String,
    /// `additionalProperties: false`: no property but the fields is allowed (servers refuse
    /// others; clients cannot send them, having no map for them).
    pub closed: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The wire name.
    pub name: String,
    /// snake_case, unique in the struct.
    pub rust_name: String,
    pub ty: TypeRef,
    pub required: bool,
    pub read_only: bool,
    pub write_only: bool,
    pub deprecated: bool,
    pub description: Option<String>,
    /// The field holds its type by value in a cycle of types: it must be boxed.
    pub boxed: bool,
}

impl Field {
    /// Generated code holds this field as an `Option`: it may be absent or `null`.
    pub fn is_option(&self) -> bool {
        !self.required || self.ty.nullable
    }

    /// Optional and nullable: absent, `null` and a value are three things (`Nullable<T>`).
    pub fn is_tri_state(&self) -> bool {
        !self.required && self.ty.nullable
    }
}

/// A closed set of values (`enum`).
#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    pub repr: EnumRepr,
    pub variants: Vec<EnumVariant>,
    /// The variant that keeps values the spec does not list (APIs add values), unique
    /// among the variants.
    pub catch_all: String,
    /// The one value of a discriminated union's tag, as the property of a variant's struct
    /// (`Dog.kind: enum [dog]`): the value names the variant, so no other is kept (no
    /// catch-all) and the type is that value alone (a unit struct), which the variant's
    /// struct holds without the user choosing it.
    pub tag: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnumRepr {
    String,
    Integer,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    /// The value on the wire (a JSON string or integer).
    pub value: Value,
    /// UpperCamelCase, unique in the enum.
    pub rust_name: String,
}

/// `oneOf` / `anyOf`: one of several types.
#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    /// `anyOf` allows a value to match several variants; `oneOf` exactly one.
    pub any_of: bool,
    pub discriminator: Option<String>,
    pub variants: Vec<UnionVariant>,
    /// With a discriminator: the variant that keeps objects with an unknown tag, unique
    /// among the variants.
    pub catch_all: String,
    /// With a discriminator: the variant (an index into `variants`) that reads an object
    /// whose tag is missing or unlisted (OpenAPI 3.2 `defaultMapping`), before the catch-all.
    pub fallback: Option<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// UpperCamelCase, unique in the union.
    pub rust_name: String,
    pub ty: TypeRef,
    /// With a discriminator: the tag values that select this variant (the first is written).
    pub tags: Vec<String>,
    /// The variant holds its type by value in a cycle of types: it must be boxed.
    pub boxed: bool,
}
