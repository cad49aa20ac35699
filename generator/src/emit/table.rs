//! The router's table: what a server's dispatcher is told about each operation (how to read
//! its parameters and bodies, what to validate them against, who may call it, how to word a
//! refusal), as plain data computed once from the model. The server emitter writes it as
//! the `static` tables of a generated module; `openapi-gen mock` builds the same tables at
//! run time, so that both validate a request alike.

use serde_json::Value;

use super::schema;
use crate::ir::*;

/// One operation's row.
#[derive(Debug, Clone)]
pub struct OperationRow {
    pub id: String,
    pub method: &'static str,
    pub path: String,
    pub params: Vec<ParamRow>,
    /// An object with a property per parameter, keyed by its Rust name.
    pub params_schema: Value,
    pub bodies: Vec<BodyRow>,
    pub body_required: bool,
    /// Alternatives of security schemes (keys of the API's schemes), any one of which must
    /// be met; empty: anonymous.
    pub security: Vec<Vec<String>>,
    /// The error-body template, when it differs from the API's fallback.
    pub error: Option<Value>,
}

/// How a parameter is read.
#[derive(Debug, Clone)]
pub struct ParamRow {
    pub name: String,
    pub rust_name: String,
    pub location: ParamLocation,
    pub kind: TextKind,
    /// Required (path parameters always are).
    pub required: bool,
    pub style: ParamStyle,
    pub explode: bool,
    /// The spec's `default`, as JSON text.
    pub default: Option<String>,
}

impl ParamRow {
    /// The location's own style (`form`, exploded, for query and cookie; `simple` for path
    /// and header), which the table need not repeat.
    pub fn default_style(&self) -> bool {
        let own = match self.location {
            ParamLocation::Query | ParamLocation::QueryString | ParamLocation::Cookie => {
                (ParamStyle::Form, true)
            }
            ParamLocation::Path | ParamLocation::Header => (ParamStyle::Simple, false),
        };
        (self.style, self.explode) == own
    }
}

/// How the text of a parameter (or of a form field) becomes a JSON value before validation
/// (the runtime's `server::Kind`).
#[derive(Debug, Clone, PartialEq)]
pub enum TextKind {
    String,
    Integer,
    Number,
    Boolean,
    /// JSON if it parses, else a string.
    Any,
    Array(Box<TextKind>),
    /// An object with these properties (others are read as strings).
    Object(Vec<(String, TextKind)>),
}

/// A request body in one media type.
#[derive(Debug, Clone)]
pub struct BodyRow {
    pub media_type: String,
    pub kind: BodyKind,
    /// JSON Schema of the decoded body; `{}` for text and bytes.
    pub schema: Value,
    pub encoding: Vec<PropertyEncoding>,
}

/// How a body is read (the runtime's `server::MediaKind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    Json,
    Form,
    Multipart,
    Parts,
    Text,
    Binary,
}

/// The row of `op`.
pub fn operation(api: &Api, op: &Operation) -> OperationRow {
    let params = op
        .parameters
        .iter()
        .map(|p| ParamRow {
            name: p.name.clone(),
            rust_name: p.rust_name.clone(),
            location: p.location,
            // JSON text, whatever the type: the schema then validates it.
            kind: if p.json {
                TextKind::Any
            } else {
                kind(api, &p.ty)
            },
            required: p.required || p.location == ParamLocation::Path,
            style: p.style,
            explode: p.explode,
            default: api.parameter_default(p).map(|d| d.to_string()),
        })
        .collect();
    let bodies = op
        .request_body
        .iter()
        .flat_map(|b| &b.contents)
        .map(|c| {
            let kind = match c.kind {
                MediaKind::Json => BodyKind::Json,
                MediaKind::Form => BodyKind::Form,
                MediaKind::Multipart => BodyKind::Multipart,
                MediaKind::Parts => BodyKind::Parts,
                // (A request body of a sequential type is read as text: see `resolve`.)
                MediaKind::Text
                | MediaKind::EventStream
                | MediaKind::JsonLines
                | MediaKind::JsonSeq => BodyKind::Text,
                MediaKind::Binary => BodyKind::Binary,
            };
            let schema = match kind {
                BodyKind::Json | BodyKind::Form | BodyKind::Multipart | BodyKind::Parts => {
                    schema::use_site(api, &c.ty)
                }
                BodyKind::Text | BodyKind::Binary => Value::Object(Default::default()),
            };
            BodyRow {
                media_type: c.media_type.clone(),
                kind,
                schema,
                encoding: c.encoding.clone(),
            }
        })
        .collect();
    let known: Vec<&str> = api
        .security_schemes
        .iter()
        .map(|s| s.key.as_str())
        .collect();
    let security = op
        .security
        .as_ref()
        .unwrap_or(&api.security)
        .iter()
        .map(|r| {
            r.schemes
                .iter()
                .map(|(k, _)| k.as_str())
                .filter(|k| known.contains(k))
                .map(str::to_string)
                .collect()
        })
        .collect();
    OperationRow {
        id: op.id(),
        method: op.method.as_str(),
        path: op.path.clone(),
        params,
        params_schema: schema::params(api, op),
        bodies,
        body_required: op.request_body.as_ref().is_some_and(|b| b.required),
        security,
        error: (op.error_template != api.fallback_error).then(|| op.error_template.clone()),
    }
}

/// How the text of a parameter of type `t` is read.
pub fn kind(api: &Api, t: &TypeRef) -> TextKind {
    kind_at(api, t, 0)
}

fn kind_at(api: &Api, t: &TypeRef, depth: usize) -> TextKind {
    match &api.unalias(t).shape {
        Shape::Bool => TextKind::Boolean,
        Shape::Integer(_) => TextKind::Integer,
        Shape::Number(_) => TextKind::Number,
        Shape::String(_) => TextKind::String,
        Shape::Any | Shape::Bytes => TextKind::Any,
        Shape::Array(inner) if depth < 2 => {
            TextKind::Array(Box::new(kind_at(api, inner, depth + 1)))
        }
        Shape::Map(_) => TextKind::Object(Vec::new()),
        Shape::OrEmpty(inner) => kind_at(api, inner, depth),
        Shape::Named(id) => match &api.type_def(*id).kind {
            TypeKind::Enum(e) => match e.repr {
                EnumRepr::String => TextKind::String,
                EnumRepr::Integer => TextKind::Integer,
            },
            TypeKind::Struct(s) if depth < 2 => TextKind::Object(
                s.fields
                    .iter()
                    .map(|f| (f.name.clone(), kind_at(api, &f.ty, depth + 1)))
                    .collect(),
            ),
            _ => TextKind::Any,
        },
        _ => TextKind::Any,
    }
}
