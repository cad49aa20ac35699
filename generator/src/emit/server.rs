//! The server: per API, a `server` module with an `Api` trait (one async method per
//! operation, typed parameters and body in, a response enum out), and `router()`, which turns
//! any implementation into an `axum::Router` that validates every request first.
//!
//! The checks run in `openapi-gen-runtime` (`rt::server`); what is generated here is the
//! typed surface and, per operation, a static description of what the spec allows: parameter
//! locations and styles, JSON Schemas (see [`super::schema`]), media types, security and the
//! template of the spec's error body (`Operation::error_template`, decided in
//! `resolve/errors.rs`).

use proc_macro2::TokenStream;
use quote::quote;

use super::doc::doc;
use super::schema;
use super::spell::{ident, large_variant_allow, shape_type, At};
use super::table::{self, BodyKind, TextKind};
use super::wire::{self, content_type, style};
use crate::ir::*;
use crate::names;

pub fn emit(api: &Api) -> TokenStream {
    let methods: Vec<TokenStream> = api
        .operations
        .iter()
        .map(|op| trait_method(api, op))
        .collect();
    let registrations: Vec<TokenStream> = api.operations.iter().map(registration).collect();
    let (items, by_headers): (Vec<TokenStream>, Vec<bool>) = api
        .operations
        .iter()
        .map(|op| operation_items(api, op))
        .unzip();
    let header_sets: Vec<TokenStream> = api.header_sets.iter().map(header_set).collect();
    let defs: Vec<TokenStream> = api
        .operations
        .iter()
        .map(|op| operation_def(api, op))
        .collect();
    let names = super::names_in(
        [&methods, &registrations, &items, &header_sets, &defs]
            .into_iter()
            .flatten(),
    );
    let imports = imports(&names, by_headers.contains(&true));
    // Without operations the implementation is not called: it is only dropped.
    let shared = if api.operations.is_empty() {
        quote!(let _ = api;)
    } else {
        quote!(let api = ::std::sync::Arc::new(api);)
    };
    // One static per operation, named after it, which the router registers by name.
    let statics = api
        .operations
        .iter()
        .map(|op| ident(&names::operation_static(&op.rust_name)));
    let operations = quote!(#(static #statics: OperationDef = #defs;)*);
    let title = &api.title;
    // Each type, its keywords and its properties on lines of their own.
    let schema_defs = wire::raw_str(&wire::readable_json(&schema::defs(api), 3));
    let fallback = wire::raw_str(&wire::readable_json(&api.fallback_error, 1));
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
        /// credentials, and returns one of the responses the spec documents for the operation,
        /// or an [`Error`] (`Error::not_found(..)`, `Error::conflict(..)`, any error with `?`,
        /// which is a `500` whose cause is logged) that the router renders in the spec's
        /// error shape.
    };
    quote! {
        /// The server side: the [`Api`](server::Api) trait and a validating router for it.
        pub mod server {
            use ::openapi_gen_runtime as rt;
            #imports
            /// What a method returns: its reply, or an [`Error`] the router renders.
            // A module `include!`d privately (a build script's) may leave a re-export unused.
            #[allow(unused_imports)]
            pub use rt::server::{Error, Result};

            #trait_docs
            pub trait Api: Send + Sync + 'static {
                #(#methods)*
            }

            /// An `axum::Router` serving `api` at the spec's paths (nest it to add the
            /// server URL's path), with the default [`rt::server::Config`].
            pub fn router<T: Api>(api: T) -> rt::server::axum::Router {
                router_with(api, rt::server::Config::default())
            }

            /// [`router`] with settings (body size limit).
            pub fn router_with<T: Api>(api: T, config: rt::server::Config) -> rt::server::axum::Router {
                #shared
                rt::server::Dispatcher::new(&API, config)
                    #(#registrations)*
                    .into_router()
            }

            #(#header_sets)*
            #(#items)*

            static API: rt::server::ApiDef = rt::server::ApiDef {
                title: #title,
                defs: #schema_defs,
                schemes: &[#(#schemes),*],
                fallback_error: #fallback,
            };

            #operations
        }
    }
}

/// How a set of response headers (a struct of `types`) is written into a reply; the struct
/// is re-exported here too.
fn header_set(set: &HeaderSet) -> TokenStream {
    let name = ident(&set.name);
    let calls = set.headers.iter().map(|h| {
        let f = ident(&h.rust_name);
        let wire = h.name.to_ascii_lowercase();
        quote!(.header(#wire, &self.#f))
    });
    quote! {
        pub use super::types::#name;

        impl rt::server::ResponseHeaders for #name {
            fn write(self, reply: Reply) -> Reply {
                reply #(#calls)*
            }
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
        fn #method(&self, request: rt::server::Request, #params #body) -> impl Future<Output = Result<#response_ty>> + Send;
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
        quote!(Option<#ty>)
    })
}

/// The `use` items of the server module: exactly what its code `names`, so none needs an
/// `allow(unused_imports)`; `ResponseHeaders` when a reply is written by its header set.
fn imports(names: &std::collections::BTreeSet<String>, by_headers: bool) -> TokenStream {
    let mut out = TokenStream::new();
    if names.contains("types") {
        out.extend(quote!(
            use super::types;
        ));
    }
    let mut server: Vec<TokenStream> = [
        "BodyDef",
        "Kind",
        "MediaKind",
        "OperationDef",
        "ParamDef",
        "Reply",
    ]
    .into_iter()
    .filter(|n| names.contains(*n))
    .map(|n| {
        let n = ident(n);
        quote!(#n)
    })
    .collect();
    if by_headers {
        server.push(quote!(ResponseHeaders as _));
    }
    if !server.is_empty() {
        out.extend(quote!(use rt::server::{#(#server),*};));
    }
    if names.contains("Future") {
        out.extend(quote!(
            use ::std::future::Future;
        ));
    }
    out
}

/// The registration of an operation's handler: `rt::serve!` reads its inputs and calls the
/// method (`.serve`: the router may leave a JSON body's validation to that read); only an
/// operation with several request media types spells out its closure (`.operation`).
fn registration(op: &Operation) -> TokenStream {
    let def = ident(&names::operation_static(&op.rust_name));
    let (_, _, body_ty) = names::server_items(&op.type_name);
    let body_ty = ident(&body_ty);
    let method = ident(&op.rust_name);
    let has_params = !op.parameters.is_empty();
    let reader = |c: &Content| match c.kind {
        MediaKind::Binary => "bytes",
        MediaKind::Text => "text",
        _ => "body",
    };
    match op.request_body.as_ref() {
        Some(b) if b.contents.len() > 1 => {
            let read_params = has_params.then(|| quote!(let params = input.params()?;));
            let params_arg = has_params.then(|| quote!(params,));
            let arms = b.contents.iter().enumerate().map(|(i, c)| {
                let v = ident(&c.variant);
                let r = ident(reader(c));
                quote!(Some(#i) => Some(#body_ty::#v(input.#r()?)),)
            });
            let value = quote!(match input.media() {
                #(#arms)*
                _ => None,
            });
            let read_body = if b.required {
                quote! {
                    let Some(body) = (#value) else {
                        return Err(rt::server::Problem::new("body", "", "the request body is required".to_string()).into());
                    };
                }
            } else {
                quote!(let body = #value;)
            };
            quote! {
                .operation(&#def, rt::server::handler(&api, |api, mut input| async move {
                    #read_params
                    #read_body
                    Ok(api.#method(input.request, #params_arg body).await?.into_reply())
                }))
            }
        }
        body => {
            let mut inputs = Vec::new();
            if has_params {
                inputs.push(ident("params"));
            }
            if let Some(b) = body {
                let r = reader(&b.contents[0]);
                inputs.push(if b.required {
                    ident(r)
                } else {
                    ident(&format!("optional_{r}"))
                });
            }
            quote!(.serve(&#def, rt::serve!(api, #method #(, #inputs)*)))
        }
    }
}

/// The parameter struct, response enum and body enum of an operation, and whether a reply
/// is written by its header set (`headers.json(..)`, a method of `ResponseHeaders`).
fn operation_items(api: &Api, op: &Operation) -> (TokenStream, bool) {
    let id = op.id();
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
            let default = api.parameter_default(p);
            let ty = if p.required || default.is_some() {
                ty
            } else {
                quote!(Option<#ty>)
            };
            let absent = default
                .map(|d| format!(" (absent: `{d}`)"))
                .unwrap_or_default();
            let place = match p.location {
                ParamLocation::QueryString => {
                    format!("The whole query string (`{}`){absent}.", p.name)
                }
                location => format!(
                    "The {} parameter `{}`{absent}.",
                    format!("{location:?}").to_lowercase(),
                    p.name
                ),
            };
            let docs = doc([p.description.as_deref(), Some(place.as_str())]);
            quote!(#docs pub #name: #ty,)
        });
        let text = format!("The parameters of `{id}`, validated (serializable, to log a call).");
        let text_doc = doc([Some(text.as_str())]);
        quote! {
            #text_doc
            #[derive(Debug, Clone, PartialEq, rt::Serialize, rt::Deserialize)]
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
            let allow = large_variant_allow(b.contents.iter().map(|c| api.content_size(c)));
            quote! {
                #text_doc
                #[derive(Debug, Clone, PartialEq)]
                #allow
                pub enum #body_ty { #(#variants)* }
            }
        });

    let mut writes_by_headers = false;
    let mut variants = Vec::new();
    let mut arms = Vec::new();
    let mut sizes: Vec<usize> = Vec::new();
    for r in &op.responses {
        let contents: Vec<Option<&Content>> = if r.contents.is_empty() {
            vec![None]
        } else {
            r.contents.iter().map(Some).collect()
        };
        for c in contents {
            let name = ident(c.map_or(&r.variant, |c| &c.variant));
            let with_status = !matches!(r.status, StatusCode::Code(_));
            let code: u16 = match r.status {
                StatusCode::Code(c) => c,
                StatusCode::Range(d) => u16::from(d) * 100,
                StatusCode::Default => 500,
            };
            let code = proc_macro2::Literal::u16_unsuffixed(code);
            // A stream is produced by the implementation item by item.
            let body_t = c.map(|c| match c.kind.is_sequential() {
                true => {
                    let item = wire::stream_item(api, c);
                    quote!(rt::server::ItemStream<#item>)
                }
                false => content_type(api, c),
            });
            let mut text = format!("{}: {}", r.status, r.description);
            if let Some(c) = c {
                text.push_str(&format!(" (`{}`)", c.media_type));
            }
            let docs = doc([Some(text.as_str())]);
            // The reply, from `body` (when there is one).
            let reply = match c {
                None => quote!(Reply::empty(#code)),
                Some(c) => {
                    let media = c.concrete_media();
                    match c.kind {
                        MediaKind::Json if media == "application/json" => {
                            quote!(Reply::json(#code, &body))
                        }
                        MediaKind::Json => quote!(Reply::json_as(#code, #media, &body)),
                        MediaKind::Multipart if matches!(c.ty.shape, Shape::String(_)) => {
                            quote!(Reply::bytes(#code, #media, body))
                        }
                        // (Parts are request bodies only.)
                        MediaKind::Multipart | MediaKind::Parts => {
                            quote!(Reply::multipart(#code, #media, &body))
                        }
                        MediaKind::Form => quote!(Reply::form(#code, #media, &body)),
                        MediaKind::Text | MediaKind::Binary => {
                            quote!(Reply::bytes(#code, #media, body))
                        }
                        MediaKind::EventStream => {
                            let def = wire::stream_def(api, c);
                            quote!(Reply::sequence(#code, #def, body))
                        }
                        MediaKind::JsonLines | MediaKind::JsonSeq => {
                            let def = wire::stream_def(api, c);
                            quote!(Reply::records(#code, #def, body))
                        }
                    }
                }
            };
            let reply = if with_status {
                quote!(#reply.with_status(status))
            } else {
                reply
            };
            let header_set = r.header_set.map(|i| &api.header_sets[i]);
            sizes.push(
                usize::from(with_status) * 2
                    + c.map_or(0, |c| api.content_size(c))
                    + header_set.map_or(0, |set| api.headers_size(&set.headers)),
            );
            // The headers write the reply themselves where they can (shorter arms).
            let by_headers = match c {
                _ if header_set.is_none() || with_status => None,
                None => Some(quote!(headers.empty(#code))),
                Some(c)
                    if c.kind == MediaKind::Json && c.concrete_media() == "application/json" =>
                {
                    Some(quote!(headers.json(#code, &body)))
                }
                Some(_) => None,
            };
            writes_by_headers |= by_headers.is_some();
            let with_headers = header_set
                .filter(|_| by_headers.is_none())
                .map(|_| quote!(.headers(headers)));
            let reply = by_headers.unwrap_or(reply);
            if !with_status && header_set.is_none() {
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
            if let Some(set) = header_set {
                let t = ident(&set.name);
                fields.push(quote!(headers: #t,));
                binds.push(quote!(headers));
            }
            variants.push(quote!(#docs #name { #(#fields)* },));
            arms.push(quote!(Self::#name { #(#binds),* } => #reply #with_headers,));
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
                pub fn into_reply(self) -> Reply {
                    Reply::empty(501)
                }
            }
        }
    } else {
        let allow = large_variant_allow(sizes);
        // A stream of items can be neither cloned nor compared.
        let derives = match op.sequential_success() {
            Some(_) => quote!(#[derive(Debug)]),
            None => quote!(#[derive(Debug, Clone, PartialEq)]),
        };
        quote! {
            #text_doc
            #derives
            #allow
            pub enum #response_ty { #(#variants)* }

            impl #response_ty {
                /// The HTTP response.
                pub fn into_reply(self) -> Reply {
                    match self { #(#arms)* }
                }
            }
        }
    };
    let items = quote! {
        #params
        #body
        #response
    };
    (items, writes_by_headers)
}

fn operation_def(api: &Api, op: &Operation) -> TokenStream {
    let row = table::operation(api, op);
    let (id, method, path) = (&row.id, row.method, &row.path);
    let params: Vec<TokenStream> = row
        .params
        .iter()
        .map(|p| {
            let (name, rust_name) = (&p.name, &p.rust_name);
            let at = match p.location {
                ParamLocation::Path => quote!(path),
                ParamLocation::Query => quote!(query),
                ParamLocation::QueryString => quote!(querystring),
                ParamLocation::Header => quote!(header),
                ParamLocation::Cookie => quote!(cookie),
            };
            let kind = text_kind(&p.kind);
            let mut def = quote!(ParamDef::#at(#name, #kind));
            if rust_name != name {
                def = quote!(#def.field(#rust_name));
            }
            if p.required && p.location != ParamLocation::Path {
                def = quote!(#def.required());
            }
            if !p.default_style() {
                let (style, explode) = (style(p.style), p.explode);
                def = quote!(#def.style(#style, #explode));
            }
            if let Some(d) = &p.default {
                def = quote!(#def.default(#d));
            }
            def
        })
        .collect();
    let bodies: Vec<TokenStream> = row
        .bodies
        .iter()
        .map(|b| {
            let media = &b.media_type;
            let kind = match b.kind {
                BodyKind::Json => quote!(MediaKind::Json),
                BodyKind::Form => quote!(MediaKind::Form),
                BodyKind::Multipart => quote!(MediaKind::Multipart),
                BodyKind::Parts => quote!(MediaKind::Parts),
                BodyKind::Text => quote!(MediaKind::Text),
                BodyKind::Binary => quote!(MediaKind::Binary),
            };
            let schema = wire::raw_str(&wire::readable_json(&b.schema, 2));
            let def = quote!(BodyDef::new(#media, #kind, #schema));
            if b.encoding.is_empty() {
                def
            } else {
                let encoding = wire::encodings(&b.encoding);
                quote!(#def.encoding(#encoding))
            }
        })
        .collect();
    // Only what differs from `OperationDef::DEFAULT`.
    let params = (!params.is_empty()).then(|| {
        let params_schema = wire::raw_str(&wire::readable_json(&row.params_schema, 2));
        quote! {
            params: &[#(#params),*],
            params_schema: #params_schema,
        }
    });
    let bodies = (!bodies.is_empty()).then(|| quote!(bodies: &[#(#bodies),*],));
    let body_required = row.body_required.then(|| quote!(body_required: true,));
    let requirements: Vec<TokenStream> = row
        .security
        .iter()
        .map(|keys| quote!(&[#(#keys),*]))
        .collect();
    let security = (!requirements.is_empty()).then(|| quote!(security: &[#(#requirements),*],));
    let error = row.error.as_ref().map(|error| {
        let error = wire::raw_str(&wire::readable_json(error, 1));
        quote!(error: #error,)
    });
    let complete = params.is_some()
        && bodies.is_some()
        && body_required.is_some()
        && security.is_some()
        && error.is_some();
    let rest = (!complete).then(|| quote!(..OperationDef::DEFAULT));
    quote!(OperationDef {
        id: #id,
        method: #method,
        path: #path,
        #params
        #bodies
        #body_required
        #security
        #error
        #rest
    })
}

/// `Kind::X`: how the text of a parameter is read.
fn text_kind(kind: &TextKind) -> TokenStream {
    match kind {
        TextKind::String => quote!(Kind::String),
        TextKind::Integer => quote!(Kind::Integer),
        TextKind::Number => quote!(Kind::Number),
        TextKind::Boolean => quote!(Kind::Boolean),
        TextKind::Any => quote!(Kind::Any),
        TextKind::Array(item) => {
            let item = text_kind(item);
            quote!(Kind::Array(&#item))
        }
        TextKind::Object(fields) => {
            let fields = fields.iter().map(|(name, kind)| {
                let kind = text_kind(kind);
                quote!((#name, #kind))
            });
            quote!(Kind::Object(&[#(#fields),*]))
        }
    }
}
