//! The server: per API, a `server` module with an `Api` trait (one async method per
//! operation, typed parameters and body in, a response enum out), and `router()`, which turns
//! any implementation into an `axum::Router` that validates every request first.
//!
//! The checks run in `openapi-gen-runtime` (`rt::server`); what is generated here is the
//! typed surface and, per operation, a static description of what the spec allows: parameter
//! locations and styles, JSON Schemas (see [`super::schema`]), media types, security and the
//! template of the spec's error body (see [`error_template`]).

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::{json, Map, Value};

use super::doc::doc;
use super::schema;
use super::types::{ident, shape_type, At};
use super::wire::{self, content_type, op_id, style};
use crate::ir::*;
use crate::names;

pub fn emit(api: &Api) -> TokenStream {
    let methods = api.operations.iter().map(|op| trait_method(api, op));
    let registrations = api
        .operations
        .iter()
        .enumerate()
        .map(|(i, op)| registration(op, i));
    let items = api.operations.iter().map(|op| operation_items(api, op));
    let defs = api.operations.iter().map(|op| operation_def(api, op));
    let count = api.operations.len();
    let title = &api.title;
    let schema_defs = schema::defs(api).to_string();
    let fallback = fallback_template(api).to_string();
    let schemes = api.security_schemes.iter().map(wire::scheme);
    let title_doc = doc([Some(
        format!("The operations of {} (version {}).", api.title, api.version).as_str(),
    )]);
    // Written here, not taken from the spec: the link must stay a link.
    let trait_docs = quote! {
        #title_doc
        ///
        /// Implement this trait, then serve it with [`router`]. Each method runs only for
        /// requests that passed validation against the spec (parameters, body, content type,
        /// size, credentials present); it receives them typed, plus the request's headers and
        /// credentials, and returns one of the responses the spec documents for the operation.
    };
    quote! {
        /// The server side: the [`Api`](server::Api) trait and a validating router for it.
        pub mod server {
            #[allow(unused_imports)]
            use ::openapi_gen_runtime as rt;
            #[allow(unused_imports)]
            use super::types;

            #trait_docs
            pub trait Api: ::std::marker::Send + ::std::marker::Sync + 'static {
                #(#methods)*
            }

            /// An `axum::Router` serving `api` at the spec's paths (nest it to add the
            /// server URL's path), with the default [`rt::server::Config`].
            pub fn router<T: Api>(api: T) -> rt::server::axum::Router {
                router_with(api, rt::server::Config::default())
            }

            /// [`router`] with settings (body size limit).
            pub fn router_with<T: Api>(api: T, config: rt::server::Config) -> rt::server::axum::Router {
                #[allow(unused_variables)]
                let api = ::std::sync::Arc::new(api);
                rt::server::Dispatcher::new(&API, config)
                    #(#registrations)*
                    .into_router()
            }

            #(#items)*

            static API: rt::server::ApiDef = rt::server::ApiDef {
                title: #title,
                defs: #schema_defs,
                schemes: &[#(#schemes),*],
                fallback_error: #fallback,
            };

            static OPERATIONS: [rt::server::OperationDef; #count] = [#(#defs),*];
        }
    }
}

/// Is `default` a value of the parameter's type, so the field can be non-optional?
fn usable_default(api: &Api, p: &Parameter) -> Option<Value> {
    let d = p.ty.default.as_ref()?;
    let mut shape = &p.ty.shape;
    loop {
        match shape {
            Shape::Named(id) => match &api.type_def(*id).kind {
                TypeKind::Alias(t) => shape = &t.shape,
                TypeKind::Enum(e) => {
                    return e.variants.iter().any(|v| &v.value == d).then(|| d.clone())
                }
                _ => return None,
            },
            Shape::Integer(_) => return d.is_i64().then(|| d.clone()),
            Shape::Number(_) => return d.is_number().then(|| d.clone()),
            Shape::Bool => return d.is_boolean().then(|| d.clone()),
            Shape::String(StringFormat::Plain) => return d.is_string().then(|| d.clone()),
            _ => return None,
        }
    }
}

fn trait_method(api: &Api, op: &Operation) -> TokenStream {
    let (params_ty, response_ty, _) = names::server_items(&op.type_name);
    let (params_ty, response_ty) = (ident(&params_ty), ident(&response_ty));
    let method = ident(&op.rust_name);
    let header = format!("`{} {}`", op.method.as_str(), op.path);
    let deprecated = op.deprecated.then_some("**Deprecated.**");
    let docs = doc([
        op.summary.as_deref(),
        op.description.as_deref(),
        Some(header.as_str()),
        deprecated,
    ]);
    let params = (!op.parameters.is_empty()).then(|| quote!(params: #params_ty,));
    let body = body_param_type(api, op).map(|t| quote!(body: #t,));
    quote! {
        #docs
        fn #method(&self, request: rt::server::Request, #params #body) -> impl ::std::future::Future<Output = #response_ty> + ::std::marker::Send;
    }
}

/// The type of the `body` argument: the body, an enum of media types, optional or not.
fn body_param_type(api: &Api, op: &Operation) -> Option<TokenStream> {
    let body = op.request_body.as_ref()?;
    let ty = if body.contents.len() == 1 {
        content_type(api, &body.contents[0])
    } else {
        let (_, _, body_ty) = names::server_items(&op.type_name);
        let body_ty = ident(&body_ty);
        quote!(#body_ty)
    };
    Some(if body.required {
        ty
    } else {
        quote!(::std::option::Option<#ty>)
    })
}

fn registration(op: &Operation, index: usize) -> TokenStream {
    let (params_ty, _, body_ty) = names::server_items(&op.type_name);
    let (params_ty, body_ty) = (ident(&params_ty), ident(&body_ty));
    let method = ident(&op.rust_name);
    let read_params =
        (!op.parameters.is_empty()).then(|| quote!(let params: #params_ty = input.params()?;));
    let params_arg = (!op.parameters.is_empty()).then(|| quote!(params,));
    let read = |c: &Content| match c.kind {
        MediaKind::Binary => quote!(input.bytes()?),
        MediaKind::Text => quote!(input.text()?),
        _ => quote!(input.body()?),
    };
    let read_body = op.request_body.as_ref().map(|b| {
        if b.contents.len() == 1 {
            let r = read(&b.contents[0]);
            return if b.required {
                quote!(let body = #r;)
            } else {
                quote! {
                    let body = match input.media() {
                        ::std::option::Option::Some(_) => ::std::option::Option::Some(#r),
                        ::std::option::Option::None => ::std::option::Option::None,
                    };
                }
            };
        }
        let arms = b.contents.iter().enumerate().map(|(i, c)| {
            let v = ident(&c.variant);
            let r = read(c);
            quote!(::std::option::Option::Some(#i) => ::std::option::Option::Some(#body_ty::#v(#r)),)
        });
        let value = quote!(match input.media() {
            #(#arms)*
            _ => ::std::option::Option::None,
        });
        if b.required {
            quote! {
                let ::std::option::Option::Some(body) = (#value) else {
                    return ::std::result::Result::Err(rt::server::Problem::new("body", "", "the request body is required".to_string()));
                };
            }
        } else {
            quote!(let body = #value;)
        }
    });
    let body_arg = op.request_body.as_ref().map(|_| quote!(body,));
    quote! {
        .operation(&OPERATIONS[#index], {
            let api = ::std::sync::Arc::clone(&api);
            move |#[allow(unused_mut)] mut input: rt::server::Input| -> rt::server::HandlerFuture {
                let api = ::std::sync::Arc::clone(&api);
                ::std::boxed::Box::pin(async move {
                    #read_params
                    #read_body
                    let response = api.#method(input.request, #params_arg #body_arg).await;
                    ::std::result::Result::Ok(response.into_reply())
                })
            }
        })
    }
}

/// The parameter struct, response enum and body enum of an operation.
fn operation_items(api: &Api, op: &Operation) -> TokenStream {
    let id = op_id(op);
    let (params_name, response_name, body_name) = names::server_items(&op.type_name);
    let (params_ty, response_ty, body_ty) = (
        ident(&params_name),
        ident(&response_name),
        ident(&body_name),
    );

    let params = (!op.parameters.is_empty()).then(|| {
        let fields = op.parameters.iter().map(|p| {
            let name = ident(&p.rust_name);
            let ty = shape_type(api, &p.ty.shape, At::Outside);
            let default = usable_default(api, p);
            let ty = if p.required || default.is_some() {
                ty
            } else {
                quote!(::std::option::Option<#ty>)
            };
            let place = format!(
                "The {} parameter `{}`{}.",
                format!("{:?}", p.location).to_lowercase(),
                p.name,
                default
                    .map(|d| format!(" (absent: `{d}`)"))
                    .unwrap_or_default()
            );
            let docs = doc([p.description.as_deref(), Some(place.as_str())]);
            quote!(#docs pub #name: #ty,)
        });
        let text = format!("The parameters of `{id}`, validated.");
        let text_doc = doc([Some(text.as_str())]);
        quote! {
            #text_doc
            #[derive(Debug, Clone, PartialEq, rt::serde::Deserialize)]
            #[serde(crate = "::openapi_gen_runtime::serde")]
            pub struct #params_ty {
                #(#fields)*
            }
        }
    });

    let body = op
        .request_body
        .as_ref()
        .filter(|b| b.contents.len() > 1)
        .map(|b| {
            let variants = b.contents.iter().map(|c| {
                let v = ident(&c.variant);
                let t = content_type(api, c);
                let media = format!("`{}`", c.media_type);
                let d = doc([Some(media.as_str())]);
                quote!(#d #v(#t),)
            });
            let text = format!("The request body of `{id}`, in the media type it was sent in.");
            let text_doc = doc([Some(text.as_str())]);
            quote! {
                #text_doc
                #[derive(Debug, Clone, PartialEq)]
                #[allow(clippy::large_enum_variant)]
                pub enum #body_ty { #(#variants)* }
            }
        });

    let mut variants = Vec::new();
    let mut arms = Vec::new();
    for r in &op.responses {
        let contents: Vec<Option<&Content>> = if r.contents.is_empty() {
            vec![None]
        } else {
            r.contents.iter().map(Some).collect()
        };
        let header_fields =
            names::response_header_fields(r.headers.iter().map(|h| h.rust_name.as_str()));
        for c in contents {
            let name = ident(c.map_or(&r.variant, |c| &c.variant));
            let with_status = !matches!(r.status, StatusCode::Code(_));
            let code: u16 = match r.status {
                StatusCode::Code(c) => c,
                StatusCode::Range(d) => u16::from(d) * 100,
                StatusCode::Default => 500,
            };
            let body_t = c.map(|c| content_type(api, c));
            let mut text = format!("{}: {}", r.status, r.description);
            if let Some(c) = c {
                text.push_str(&format!(" (`{}`)", c.media_type));
            }
            let docs = doc([Some(text.as_str())]);
            // The reply, from `body` (when there is one).
            let reply = match c {
                None => quote!(rt::server::Reply::empty(#code)),
                Some(c) => {
                    let media = concrete_media(c);
                    match c.kind {
                        MediaKind::Json => {
                            quote!(rt::server::Reply::json(#code, #media, &body))
                        }
                        MediaKind::Multipart if matches!(c.ty.shape, Shape::String(_)) => {
                            quote!(rt::server::Reply::bytes(#code, #media, body))
                        }
                        MediaKind::Multipart => {
                            quote!(rt::server::Reply::multipart(#code, #media, &body))
                        }
                        MediaKind::Form => quote!(rt::server::Reply::form(#code, #media, &body)),
                        MediaKind::Text | MediaKind::Binary => {
                            quote!(rt::server::Reply::bytes(#code, #media, body))
                        }
                    }
                }
            };
            let reply = if with_status {
                quote!(#reply.with_status(status))
            } else {
                reply
            };
            let header_calls = r.headers.iter().zip(&header_fields).map(|(h, f)| {
                let f = ident(f);
                let wire = h.name.to_ascii_lowercase();
                quote!(.header(#wire, &#f))
            });
            if !with_status && r.headers.is_empty() {
                match body_t {
                    Some(t) => {
                        variants.push(quote!(#docs #name(#t),));
                        arms.push(quote!(Self::#name(body) => #reply,));
                    }
                    None => {
                        variants.push(quote!(#docs #name,));
                        arms.push(quote!(Self::#name => #reply,));
                    }
                }
                continue;
            }
            let mut fields = Vec::new();
            let mut binds = Vec::new();
            if with_status {
                fields.push(quote!(
                    /// The status code to answer with.
                    status: rt::StatusCode,
                ));
                binds.push(quote!(status));
            }
            if let Some(t) = body_t {
                fields.push(quote!(body: #t,));
                binds.push(quote!(body));
            }
            for (h, f) in r.headers.iter().zip(&header_fields) {
                let f = ident(f);
                let t = shape_type(api, &h.ty.shape, At::Outside);
                let t = if h.required {
                    t
                } else {
                    quote!(::std::option::Option<#t>)
                };
                let wire = format!("The `{}` header.", h.name);
                let d = doc([h.description.as_deref(), Some(wire.as_str())]);
                fields.push(quote!(#d #f: #t,));
                binds.push(quote!(#f));
            }
            variants.push(quote!(#docs #name { #(#fields)* },));
            arms.push(quote!(Self::#name { #(#binds),* } => #reply #(#header_calls)*,));
        }
    }
    let text = format!("What `{id}` answers: one variant per documented status and media type.");
    let text_doc = doc([Some(text.as_str())]);
    let response = if variants.is_empty() {
        quote! {
            #text_doc
            ///
            /// The spec documents no response; the server answers `501 Not Implemented`.
            #[derive(Debug, Clone, PartialEq)]
            pub enum #response_ty { NotImplemented }

            impl #response_ty {
                /// The HTTP response.
                pub fn into_reply(self) -> rt::server::Reply {
                    rt::server::Reply::empty(501)
                }
            }
        }
    } else {
        quote! {
            #text_doc
            #[derive(Debug, Clone, PartialEq)]
            #[allow(clippy::large_enum_variant)]
            pub enum #response_ty { #(#variants)* }

            impl #response_ty {
                /// The HTTP response.
                pub fn into_reply(self) -> rt::server::Reply {
                    match self { #(#arms)* }
                }
            }
        }
    };
    quote! {
        #params
        #body
        #response
    }
}

/// A media type to send: ranges (`*/*`, `image/*`) become a concrete type.
fn concrete_media(c: &Content) -> String {
    if !c.media_type.contains('*') {
        return c.media_type.clone();
    }
    match c.kind {
        MediaKind::Json => "application/json",
        MediaKind::Text => "text/plain; charset=utf-8",
        MediaKind::Form => "application/x-www-form-urlencoded",
        MediaKind::Multipart => "multipart/form-data",
        _ => "application/octet-stream",
    }
    .to_string()
}

fn operation_def(api: &Api, op: &Operation) -> TokenStream {
    let id = op_id(op);
    let method = op.method.as_str();
    let path = &op.path;
    let params = op.parameters.iter().map(|p| {
        let (name, rust_name) = (&p.name, &p.rust_name);
        let location = match p.location {
            ParamLocation::Path => quote!(rt::server::Location::Path),
            ParamLocation::Query => quote!(rt::server::Location::Query),
            ParamLocation::Header => quote!(rt::server::Location::Header),
            ParamLocation::Cookie => quote!(rt::server::Location::Cookie),
        };
        let required = p.required;
        let style = style(p.style);
        let explode = p.explode;
        let kind = schema::kind(api, &p.ty);
        let default = match usable_default(api, p) {
            Some(d) => {
                let d = d.to_string();
                quote!(::std::option::Option::Some(#d))
            }
            None => quote!(::std::option::Option::None),
        };
        quote!(rt::server::ParamDef {
            name: #name,
            rust_name: #rust_name,
            location: #location,
            required: #required,
            style: #style,
            explode: #explode,
            kind: #kind,
            default: #default,
        })
    });
    let params_schema = schema::params(api, op).to_string();
    let bodies = op.request_body.iter().flat_map(|b| &b.contents).map(|c| {
        let media = &c.media_type;
        let kind = match c.kind {
            MediaKind::Json => quote!(rt::server::MediaKind::Json),
            MediaKind::Form => quote!(rt::server::MediaKind::Form),
            MediaKind::Multipart => quote!(rt::server::MediaKind::Multipart),
            MediaKind::Text => quote!(rt::server::MediaKind::Text),
            MediaKind::Binary => quote!(rt::server::MediaKind::Binary),
        };
        let schema = match c.kind {
            MediaKind::Json | MediaKind::Form | MediaKind::Multipart => {
                schema::use_site(api, &c.ty).to_string()
            }
            _ => "{}".to_string(),
        };
        let def = quote!(rt::server::BodyDef::new(#media, #kind, #schema));
        if c.encoding.is_empty() {
            def
        } else {
            let encoding = wire::encoding(c);
            quote!(#def.encoding(#encoding))
        }
    });
    let body_required = op.request_body.as_ref().is_some_and(|b| b.required);
    let known: Vec<&str> = api
        .security_schemes
        .iter()
        .map(|s| s.key.as_str())
        .collect();
    let security = op.security.as_ref().unwrap_or(&api.security);
    let requirements = security.iter().map(|r| {
        let keys = r
            .schemes
            .iter()
            .map(|(k, _)| k.as_str())
            .filter(|k| known.contains(k));
        quote!(&[#(#keys),*])
    });
    let error = error_template(api, op).to_string();
    quote!(rt::server::OperationDef {
        id: #id,
        method: #method,
        path: #path,
        params: &[#(#params),*],
        params_schema: #params_schema,
        bodies: &[#(#bodies),*],
        body_required: #body_required,
        security: &[#(#requirements),*],
        error: #error,
    })
}

/// The error body of an operation: from the JSON schema of its `400` response, else `422`,
/// `4XX`, `default`, or its first other `4xx`; an API without any gets [`generic_template`].
pub fn error_template(api: &Api, op: &Operation) -> Value {
    error_type(op)
        .map(|t| fill(api, t, false, 0))
        .unwrap_or_else(generic_template)
}

fn error_type(op: &Operation) -> Option<&TypeRef> {
    fn json(r: &Response) -> Option<&TypeRef> {
        r.contents
            .iter()
            .find(|c| c.kind == MediaKind::Json)
            .map(|c| &c.ty)
    }
    let rank = |s: &StatusCode| match s {
        StatusCode::Code(400) => Some(0),
        StatusCode::Code(422) => Some(1),
        StatusCode::Range(4) => Some(2),
        StatusCode::Default => Some(3),
        StatusCode::Code(c) if (400..500).contains(c) => Some(4),
        _ => None,
    };
    op.responses
        .iter()
        .filter_map(|r| Some((rank(&r.status)?, json(r)?)))
        .min_by_key(|(rank, _)| *rank)
        .map(|(_, t)| t)
}

/// The template for requests that match no operation: the most common template among the
/// operations that document an error body.
fn fallback_template(api: &Api) -> Value {
    let mut counts: Vec<(Value, usize)> = Vec::new();
    for op in &api.operations {
        let Some(t) = error_type(op).map(|t| fill(api, t, false, 0)) else {
            continue;
        };
        match counts.iter_mut().find(|(v, _)| *v == t) {
            Some((_, n)) => *n += 1,
            None => counts.push((t, 1)),
        }
    }
    // The first of the most common, so the choice is stable.
    let best = counts.iter().map(|(_, n)| *n).max().unwrap_or(0);
    counts
        .into_iter()
        .find(|(_, n)| *n == best)
        .map(|(v, _)| v)
        .unwrap_or_else(generic_template)
}

/// When the spec documents no error body.
fn generic_template() -> Value {
    json!({
        "error": "$code",
        "message": "$summary",
        "details": [{"$each": {"location": "$location", "field": "$field", "message": "$message"}}]
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Message,
    Field,
    Code,
    Status,
    Location,
    List,
    Container,
    None,
}

fn role(name: &str) -> Role {
    let n: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    match n.as_str() {
        "message" | "msg" | "detail" | "description" | "title" | "errordescription"
        | "errormessage" | "reason" | "summary" | "error" => Role::Message,
        "field" | "param" | "parameter" | "pointer" | "property" | "path" | "attribute"
        | "fieldname" | "propertyname" | "jsonpath" => Role::Field,
        "code" | "errorcode" | "type" | "kind" | "errortype" | "reasoncode" => Role::Code,
        "status" | "statuscode" | "httpstatus" => Role::Status,
        "location" | "in" => Role::Location,
        "errors" | "details" | "problems" | "violations" | "fields" | "invalidparams"
        | "issues" | "errordetails" | "validationerrors" | "causes" | "messages"
        | "fielderrors" => Role::List,
        "problem" => Role::Container,
        _ => Role::None,
    }
}

/// Resolves aliases.
fn resolved<'a>(api: &'a Api, t: &'a TypeRef) -> &'a TypeRef {
    let mut t = t;
    for _ in 0..8 {
        match &t.shape {
            Shape::Named(id) => match &api.type_def(*id).kind {
                TypeKind::Alias(inner) => t = inner,
                _ => return t,
            },
            _ => return t,
        }
    }
    t
}

fn is_string(api: &Api, t: &TypeRef) -> bool {
    matches!(resolved(api, t).shape, Shape::String(_))
}

fn is_integer(api: &Api, t: &TypeRef) -> bool {
    matches!(resolved(api, t).shape, Shape::Integer(_) | Shape::Number(_))
}

fn first_enum_value(api: &Api, t: &TypeRef) -> Option<Value> {
    match &resolved(api, t).shape {
        Shape::Named(id) => match &api.type_def(*id).kind {
            TypeKind::Enum(e) => e.variants.first().map(|v| v.value.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// A template value of type `t`: placeholders where a field's name says what it holds,
/// the least valid value where a required field has no such name.
fn fill(api: &Api, t: &TypeRef, in_each: bool, depth: usize) -> Value {
    if depth > 6 {
        return Value::Null;
    }
    let t = resolved(api, t);
    if let Some(v) = first_enum_value(api, t) {
        return v;
    }
    match &t.shape {
        Shape::String(_) | Shape::Any => json!(if in_each { "$message" } else { "$summary" }),
        Shape::Array(items) => {
            json!([{ "$each": fill(api, items, true, depth + 1) }])
        }
        Shape::Named(id) => match &api.type_def(*id).kind {
            TypeKind::Struct(s) => fill_struct(api, s, in_each, depth),
            TypeKind::Union(u) => u
                .variants
                .first()
                .map_or(Value::Null, |v| fill(api, &v.ty, in_each, depth + 1)),
            _ => least(api, t, depth),
        },
        _ => least(api, t, depth),
    }
}

fn fill_struct(api: &Api, s: &Struct, in_each: bool, depth: usize) -> Value {
    let has_message = s
        .fields
        .iter()
        .any(|f| role(&f.name) == Role::Message && f.name != "error" && is_string(api, &f.ty));
    let mut out = Map::new();
    for f in &s.fields {
        let mut r = role(&f.name);
        if f.name == "error" && has_message && is_string(api, &f.ty) {
            r = Role::Code;
        }
        let value = if let Some(v) = first_enum_value(api, &f.ty) {
            (f.required || r != Role::None).then_some(v)
        } else if is_string(api, &f.ty) {
            match r {
                Role::Message => Some(json!(if in_each { "$message" } else { "$summary" })),
                Role::Field if in_each => Some(json!("$field")),
                Role::Location if in_each => Some(json!("$location")),
                Role::Code => Some(json!("$code")),
                _ if f.required => Some(least(api, &f.ty, depth)),
                _ => None,
            }
        } else if is_integer(api, &f.ty) {
            match r {
                Role::Status | Role::Code => Some(json!("$status")),
                _ if f.required => Some(least(api, &f.ty, depth)),
                _ => None,
            }
        } else {
            let inner = resolved(api, &f.ty);
            match (&inner.shape, r) {
                (Shape::Array(_), Role::List) => Some(fill(api, inner, true, depth + 1)),
                (Shape::Named(_), Role::Message | Role::Container | Role::List) => {
                    Some(fill(api, inner, in_each, depth + 1))
                }
                _ if f.required => Some(fill(api, inner, in_each, depth + 1)),
                _ => None,
            }
        };
        if let Some(v) = value {
            out.insert(f.name.clone(), v);
        }
    }
    Value::Object(out)
}

/// The least value of a type that its constraints allow.
fn least(api: &Api, t: &TypeRef, depth: usize) -> Value {
    let t = resolved(api, t);
    if let Some(v) = first_enum_value(api, t) {
        return v;
    }
    let c = &t.constraints;
    match &t.shape {
        Shape::Bool => json!(false),
        Shape::Integer(_) => json!(c.minimum.map_or(0, |m| m.ceil() as i64)),
        Shape::Number(_) => json!(c.minimum.unwrap_or(0.0)),
        Shape::String(StringFormat::DateTime) => json!("1970-01-01T00:00:00Z"),
        Shape::String(StringFormat::Date) => json!("1970-01-01"),
        Shape::String(StringFormat::Uuid) => json!("00000000-0000-0000-0000-000000000000"),
        Shape::String(_) => json!("x".repeat(c.min_length.unwrap_or(0).min(64) as usize)),
        Shape::Array(_) | Shape::Bytes => json!([]),
        Shape::Map(_) | Shape::Any => json!({}),
        Shape::Named(_) => fill(api, t, false, depth + 1),
    }
}
