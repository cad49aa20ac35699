//! The router's table (`emit::table`) as the runtime's server reads it: the `static`
//! definitions a generated module writes, made at run time. A mock serves for the life of
//! the process, so what it builds here is leaked once, at start-up.

use openapi_gen_runtime::form;
use openapi_gen_runtime::params::Style;
use openapi_gen_runtime::server::{ApiDef, BodyDef, Kind, MediaKind, OperationDef, ParamDef};
use openapi_gen_runtime::{Scheme, SchemeKind};

use crate::emit::schema;
use crate::emit::table::{self, BodyKind, BodyRow, OperationRow, ParamRow, TextKind};
use crate::ir::*;

fn leak<T>(value: T) -> &'static T {
    Box::leak(Box::new(value))
}

fn text(s: &str) -> &'static str {
    Box::leak(s.to_string().into_boxed_str())
}

fn slice<T>(items: Vec<T>) -> &'static [T] {
    Box::leak(items.into_boxed_slice())
}

/// The API's definition: its schemas, security schemes and fallback error template.
pub fn api(api: &Api) -> &'static ApiDef {
    leak(ApiDef {
        title: text(&api.title),
        defs: text(&schema::defs(api).to_string()),
        schemes: slice(api.security_schemes.iter().map(scheme).collect()),
        fallback_error: text(&api.fallback_error.to_string()),
    })
}

/// The definition of `op`.
pub fn operation(api: &Api, op: &Operation) -> &'static OperationDef {
    let OperationRow {
        id,
        method,
        path,
        params,
        params_schema,
        bodies,
        body_required,
        security,
        error,
    } = table::operation(api, op);
    leak(OperationDef {
        id: text(&id),
        method,
        path: text(&path),
        params: slice(params.iter().map(param).collect()),
        params_schema: text(&params_schema.to_string()),
        bodies: slice(bodies.iter().map(body).collect()),
        body_required,
        security: slice(
            security
                .iter()
                .map(|keys| slice(keys.iter().map(|k| text(k)).collect()))
                .collect(),
        ),
        error: error.map_or("", |e| text(&e.to_string())),
    })
}

fn param(p: &ParamRow) -> ParamDef {
    let kind = kind(&p.kind);
    let mut def = match p.location {
        ParamLocation::Path => ParamDef::path(text(&p.name), kind),
        ParamLocation::Query => ParamDef::query(text(&p.name), kind),
        ParamLocation::QueryString => ParamDef::querystring(text(&p.name), kind),
        ParamLocation::Header => ParamDef::header(text(&p.name), kind),
        ParamLocation::Cookie => ParamDef::cookie(text(&p.name), kind),
    }
    .field(text(&p.rust_name));
    if p.required {
        def = def.required();
    }
    if !p.default_style() {
        def = def.style(style(p.style), p.explode);
    }
    if let Some(d) = &p.default {
        def = def.default(text(d));
    }
    def
}

fn kind(k: &TextKind) -> Kind {
    match k {
        TextKind::String => Kind::String,
        TextKind::Integer => Kind::Integer,
        TextKind::Number => Kind::Number,
        TextKind::Boolean => Kind::Boolean,
        TextKind::Any => Kind::Any,
        TextKind::Array(item) => Kind::Array(leak(kind(item))),
        TextKind::Object(fields) => Kind::Object(slice(
            fields.iter().map(|(n, k)| (text(n), kind(k))).collect(),
        )),
    }
}

fn body(b: &BodyRow) -> BodyDef {
    let kind = match b.kind {
        BodyKind::Json => MediaKind::Json,
        BodyKind::Form => MediaKind::Form,
        BodyKind::Multipart => MediaKind::Multipart,
        BodyKind::Parts => MediaKind::Parts,
        BodyKind::Text => MediaKind::Text,
        BodyKind::Binary => MediaKind::Binary,
    };
    BodyDef::new(text(&b.media_type), kind, text(&b.schema.to_string()))
        .encoding(slice(b.encoding.iter().map(encoding).collect()))
}

fn encoding(e: &PropertyEncoding) -> form::Encoding {
    let mut out = form::Encoding::new(text(&e.property), style(e.style), e.explode);
    if e.allow_reserved {
        out = out.allow_reserved();
    }
    if let Some(ct) = &e.content_type {
        out = out.content_type(text(ct));
    }
    if !e.headers.is_empty() {
        out = out.headers(slice(
            e.headers
                .iter()
                .map(|h| form::PartHeader {
                    name: text(&h.name),
                    required: h.required,
                    value: h.value.as_deref().map(text),
                })
                .collect(),
        ));
    }
    out
}

fn style(s: ParamStyle) -> Style {
    match s {
        ParamStyle::Form => Style::Form,
        ParamStyle::Simple => Style::Simple,
        ParamStyle::Label => Style::Label,
        ParamStyle::Matrix => Style::Matrix,
        ParamStyle::SpaceDelimited => Style::SpaceDelimited,
        ParamStyle::PipeDelimited => Style::PipeDelimited,
        ParamStyle::DeepObject => Style::DeepObject,
    }
}

fn scheme(s: &SecurityScheme) -> Scheme {
    let kind = match &s.kind {
        SecurityKind::ApiKey {
            location: ApiKeyLocation::Header,
            name,
        } => SchemeKind::ApiKeyHeader(text(name)),
        SecurityKind::ApiKey {
            location: ApiKeyLocation::Query,
            name,
        } => SchemeKind::ApiKeyQuery(text(name)),
        SecurityKind::ApiKey {
            location: ApiKeyLocation::Cookie,
            name,
        } => SchemeKind::ApiKeyCookie(text(name)),
        SecurityKind::Bearer { .. }
        | SecurityKind::OAuth2 { .. }
        | SecurityKind::OpenIdConnect { .. } => SchemeKind::Bearer,
        SecurityKind::Basic => SchemeKind::Basic,
        SecurityKind::OtherHttp { scheme } => SchemeKind::Http(text(scheme)),
    };
    Scheme {
        key: text(&s.key),
        kind,
    }
}
