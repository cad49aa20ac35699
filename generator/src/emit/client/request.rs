//! Building an operation's request: path, query, headers, cookies and body.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::*;
use crate::emit::spell::ident;
use crate::emit::wire::{self, style};
use crate::ir::*;

pub(super) fn request_fn(api: &Api, op: &Operation) -> TokenStream {
    let op_id = op.id();
    // The path template, its placeholders named as the parameters are.
    let template: String = op
        .segments
        .iter()
        .filter(|_| !op.at_base_url)
        .map(|s| match s {
            PathSegment::Literal(l) => l.clone(),
            PathSegment::Param(i) => format!("{{{}}}", op.parameters[*i].name),
        })
        .collect();
    let path_params = op.segments.iter().filter_map(|s| match s {
        PathSegment::Literal(_) => None,
        PathSegment::Param(i) => {
            let p = &op.parameters[*i];
            let (value, wire) = (param_value(p), &p.name);
            Some(if p.style == ParamStyle::Simple && !p.explode {
                quote!(r.path(#wire, #value);)
            } else {
                let (st, explode) = (style(p.style), p.explode);
                quote!(r.path_styled(#wire, #value, #st, #explode);)
            })
        }
    });
    let query = op
        .parameters
        .iter()
        .filter(|p| p.location == ParamLocation::Query)
        .map(|p| {
            let (name, wire, st, explode) =
                (ident(&p.rust_name), &p.name, style(p.style), p.explode);
            let default_style = p.style == ParamStyle::Form && p.explode;
            let set = if default_style {
                quote!(r.query(#wire, value))
            } else {
                quote!(r.query_styled(#wire, value, #st, #explode))
            };
            match (&p.scope, p.required) {
                (Some(scope), false) => quote! {
                    match &self.#name {
                        Some(value) => #set,
                        None => {
                            if let Some(value) = self.core.scope(#scope) {
                                r.query.push((#wire.to_string(), value.to_string()));
                            }
                        }
                    }
                },
                _ => {
                    let value = param_value(p);
                    if default_style {
                        quote!(r.query(#wire, #value);)
                    } else {
                        quote!(r.query_styled(#wire, #value, #st, #explode);)
                    }
                }
            }
        })
        .chain(
            op.parameters
                .iter()
                .filter(|p| p.location == ParamLocation::QueryString)
                .map(|p| {
                    let value = param_value(p);
                    quote!(r.query_string(#value);)
                }),
        );
    let headers = op
        .parameters
        .iter()
        .enumerate()
        .filter(|(_, p)| matches!(p.location, ParamLocation::Header | ParamLocation::Cookie))
        .map(|(i, p)| {
            let (name, wire, explode) = (ident(&p.rust_name), &p.name, p.explode);
            if op.idempotency_key == Some(i) {
                // One fresh key per call, sent again by every retry of it.
                return quote!(r.idempotency_key(#wire, &self.#name););
            }
            let value = param_value(p);
            if p.location == ParamLocation::Header {
                quote!(r.header(#wire, #value, #explode);)
            } else {
                quote!(r.cookie(#wire, #value, #explode);)
            }
        });
    let body = op.request_body.as_ref().map(|_| {
        let body = body_expr(api, op);
        quote!(r.body = #body;)
    });
    let new_spec = match op.method {
        // OpenAPI 3.2's `QUERY`, and other methods of `additionalOperations`.
        Method::Other(name) => quote!(rt::RequestSpec::method(#name, #op_id, #template)),
        method => {
            let constructor = ident(&method.as_str().to_ascii_lowercase());
            quote!(rt::RequestSpec::#constructor(#op_id, #template))
        }
    };
    let security = match &op.security {
        None if api.security.is_empty() => None,
        None => Some(quote!(r.security = SECURITY;)),
        Some(reqs) if reqs.is_empty() => None,
        Some(reqs) => {
            let alternatives = security_alternatives(reqs);
            Some(quote!(r.security = #alternatives;))
        }
    };
    let (path_params, query, mut headers): (Vec<_>, Vec<_>, Vec<_>) =
        (path_params.collect(), query.collect(), headers.collect());
    if op.webhook {
        // A delivery: one `webhook-id` per call, kept by its retries.
        headers.push(quote!(r.delivery();));
    }
    if path_params.is_empty()
        && query.is_empty()
        && headers.is_empty()
        && body.is_none()
        && security.is_none()
    {
        return quote! {
            fn request(&self) -> rt::Built<Self> {
                Ok(#new_spec)
            }
        };
    }
    quote! {
        fn request(&self) -> rt::Built<Self> {
            let mut r = #new_spec;
            #(#path_params)*
            #(#query)*
            #(#headers)*
            #body
            #security
            Ok(r)
        }
    }
}

/// Security requirements as `RequestSpec::security` holds them.
pub(super) fn security_alternatives(reqs: &[SecurityRequirement]) -> TokenStream {
    let alternatives = reqs.iter().map(|req| {
        let schemes = req
            .schemes
            .iter()
            .map(|(k, scopes)| quote!((#k, &[#(#scopes),*])));
        quote!(&[#(#schemes),*])
    });
    quote!(&[#(#alternatives),*])
}

/// The `rt::Body` expression for the operation's body.
fn body_expr(api: &Api, op: &Operation) -> TokenStream {
    let Some(body) = &op.request_body else {
        return quote!(rt::Body::Empty);
    };
    let one = |c: &Content, value: TokenStream| -> TokenStream {
        match c.kind {
            // Another JSON media type (`application/merge-patch+json`) is sent as itself.
            MediaKind::Json
                if c.media_type != "application/json" && !c.media_type.contains('*') =>
            {
                let media = &c.media_type;
                quote!(rt::Body::Bytes { content_type: #media, data: rt::params::json(#value) })
            }
            MediaKind::Json => quote!(rt::Body::Json(rt::params::json(#value))),
            MediaKind::Form => {
                let encoding = wire::encoding(c);
                quote!(rt::Body::Form(rt::form::encode(#value, #encoding)))
            }
            MediaKind::Multipart => multipart_expr(api, c, value),
            MediaKind::Parts => parts_expr(api, c, value),
            // (A request body of a sequential type is read as text: see `resolve`.)
            MediaKind::Text
            | MediaKind::EventStream
            | MediaKind::JsonLines
            | MediaKind::JsonSeq => {
                let media = &c.media_type;
                quote!(rt::Body::Bytes { content_type: #media, data: rt::Bytes::from(ToString::to_string(#value)) })
            }
            MediaKind::Binary => {
                let media = if c.media_type.contains('*') {
                    "application/octet-stream".to_string()
                } else {
                    c.media_type.clone()
                };
                quote!(rt::Body::Bytes { content_type: #media, data: Clone::clone(#value) })
            }
        }
    };
    let expr = if body.contents.len() == 1 {
        if body.required {
            return one(&body.contents[0], quote!(&self.body));
        }
        one(&body.contents[0], quote!(body))
    } else {
        let name = names(op).body;
        let arms = body.contents.iter().map(|c| {
            let v = ident(&c.variant);
            let e = one(c, quote!(value));
            quote!(#name::#v(value) => #e,)
        });
        quote!(match body { #(#arms)* })
    };
    if body.required {
        quote!({ let body = &self.body; #expr })
    } else {
        quote!(match &self.body { Some(body) => #expr, None => rt::Body::Empty })
    }
}

fn multipart_expr(api: &Api, c: &Content, value: TokenStream) -> TokenStream {
    let encoding = wire::encoding(c);
    let fields = match &c.ty.shape {
        Shape::Named(id) => match &api.type_def(*id).kind {
            TypeKind::Struct(s) => Some(&s.fields),
            _ => None,
        },
        _ => None,
    };
    let Some(fields) = fields else {
        // Not an object with known fields: parts of its top-level properties.
        return quote!(rt::Body::Multipart(rt::form::all_parts(#value, #encoding)));
    };
    let is_file =
        |t: &TypeRef| matches!(t.shape, Shape::String(StringFormat::Binary) | Shape::Bytes);
    let parts = fields.iter().map(|f| {
        let name = ident(&f.rust_name);
        let wire = &f.name;
        let files = match &f.ty.shape {
            Shape::Array(item) if is_file(item) => true,
            _ if is_file(&f.ty) => false,
            _ => return quote!(rt::form::parts(&mut parts, #wire, &fields.#name, ENCODING);),
        };
        let push = quote!(rt::form::file(&mut parts, #wire, v, ENCODING););
        let push = if files {
            quote!(for v in v { #push })
        } else {
            push
        };
        if f.is_option() {
            quote!(if let Some(v) = fields.#name.as_ref() { #push })
        } else {
            quote!({ let v = &fields.#name; #push })
        }
    });
    quote!({
        const ENCODING: &[rt::form::Encoding] = #encoding;
        let fields = #value;
        let mut parts = Vec::new();
        #(#parts)*
        rt::Body::Multipart(parts)
    })
}

/// A multipart body of one unnamed part per item of the array `value`, in order; each
/// part's media type and headers from its `encoding` entry by position.
fn parts_expr(api: &Api, c: &Content, value: TokenStream) -> TokenStream {
    let encoding = wire::encoding(c);
    let media = &c.media_type;
    let files = match &unalias(&api.types, &c.ty).shape {
        Shape::Array(item) => matches!(
            unalias(&api.types, item).shape,
            Shape::String(StringFormat::Binary) | Shape::Bytes
        ),
        _ => false,
    };
    let parts = if files {
        quote!(rt::form::positional_files(#value, #encoding))
    } else {
        quote!(rt::form::positional(#value, #encoding))
    };
    quote!(rt::Body::Parts { media: #media, parts: #parts })
}

/// The value a request writes for parameter `p`: its field, or for a parameter given by
/// `content` in JSON, the field as JSON text.
fn param_value(p: &Parameter) -> TokenStream {
    let name = ident(&p.rust_name);
    if p.json {
        quote!(&rt::params::json_text(&self.#name))
    } else {
        quote!(&self.#name)
    }
}
