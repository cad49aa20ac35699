//! Building an operation's request: path, query, headers, cookies and body.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::*;
use crate::emit::types::ident;
use crate::emit::wire::{self, op_id, style};
use crate::ir::*;

pub(super) fn request_fn(api: &Api, op: &Operation) -> TokenStream {
    let op_id = op_id(op);
    // Path.
    let path_parts = op.segments.iter().map(|s| match s {
        PathSegment::Literal(l) if l.chars().count() == 1 => {
            let c = l.chars().next().unwrap_or('/');
            quote!(path.push(#c);)
        }
        PathSegment::Literal(l) => quote!(path.push_str(#l);),
        PathSegment::Param(i) => {
            let p = &op.parameters[*i];
            let (name, wire, st, explode) =
                (ident(&p.rust_name), &p.name, style(p.style), p.explode);
            quote!(path.push_str(&rt::params::path(#wire, &self.#name, #st, #explode));)
        }
    });
    // Query, headers, cookies.
    let query: Vec<TokenStream> = op
        .parameters
        .iter()
        .filter(|p| p.location == ParamLocation::Query)
        .map(|p| {
            let (name, wire, st, explode) =
                (ident(&p.rust_name), &p.name, style(p.style), p.explode);
            match (&p.scope, p.required) {
                (Some(scope), false) => quote! {
                    match &self.#name {
                        Some(value) => rt::params::query(&mut query, #wire, value, #st, #explode),
                        None => {
                            if let Some(value) = self.core.scope(#scope) {
                                query.push((#wire.to_string(), value.to_string()));
                            }
                        }
                    }
                },
                // The default style of a query parameter: `form`, exploded.
                _ if p.style == ParamStyle::Form && p.explode => {
                    quote!(rt::params::form(&mut query, #wire, &self.#name);)
                }
                _ => quote!(rt::params::query(&mut query, #wire, &self.#name, #st, #explode);),
            }
        })
        .collect();
    let headers: Vec<TokenStream> = op
        .parameters
        .iter()
        .enumerate()
        .filter(|(_, p)| matches!(p.location, ParamLocation::Header | ParamLocation::Cookie))
        .map(|(i, p)| {
            let (name, wire, explode) = (ident(&p.rust_name), &p.name, p.explode);
            let list = if p.location == ParamLocation::Header {
                quote!(headers)
            } else {
                quote!(cookies)
            };
            if op.idempotency_key == Some(i) {
                // One fresh key per call, sent again by every retry of it.
                return quote! {
                    match rt::params::header(&self.#name, #explode) {
                        Some(value) => headers.push((#wire, value)),
                        None => headers.push((#wire, rt::idempotency_key())),
                    }
                };
            }
            quote! {
                if let Some(value) = rt::params::header(&self.#name, #explode) {
                    #list.push((#wire, value));
                }
            }
        })
        .collect();
    let has_headers = op
        .parameters
        .iter()
        .any(|p| p.location == ParamLocation::Header);
    let has_cookies = op
        .parameters
        .iter()
        .any(|p| p.location == ParamLocation::Cookie);
    let query_init = if query.is_empty() {
        quote!(let query = Vec::new();)
    } else {
        quote!(let mut query = Vec::new();)
    };
    let headers_init = if has_headers {
        quote!(let mut headers = Vec::new();)
    } else {
        quote!(let headers = Vec::new();)
    };
    let cookies_init = if has_cookies {
        quote!(let mut cookies = Vec::new();)
    } else {
        quote!(let cookies = Vec::new();)
    };
    let body = body_expr(api, op);
    let template = &op.path;
    let method = ident(op.method.as_str());
    let security = op.security.as_ref().unwrap_or(&api.security);
    let alternatives = security.iter().map(|req| {
        let schemes = req
            .schemes
            .iter()
            .map(|(k, scopes)| quote!((#k, &[#(#scopes),*])));
        quote!(&[#(#schemes),*])
    });
    quote! {
                fn request(&self) -> Result<rt::RequestSpec, rt::Error<Self::ErrorBody>> {
            let mut path = String::new();
            #(#path_parts)*
            #query_init
            #(#query)*
            #headers_init
            #cookies_init
            #(#headers)*
            Ok(rt::RequestSpec {
                operation: #op_id,
                method: rt::reqwest::Method::#method,
                path,
                query,
                headers,
                cookies,
                body: #body,
                security: &[#(#alternatives),*],
                timeout: self.timeout,
                template: #template,
            })
        }
    }
}

/// The `rt::Body` expression for the operation's body.
fn body_expr(api: &Api, op: &Operation) -> TokenStream {
    let Some(body) = &op.request_body else {
        return quote!(rt::Body::Empty);
    };
    let one = |c: &Content, value: TokenStream| -> TokenStream {
        match c.kind {
            MediaKind::Json => quote!(rt::Body::Json(rt::params::json(#value))),
            MediaKind::Form => {
                let encoding = wire::encoding(c);
                quote!(rt::Body::Form(rt::form::encode(#value, #encoding)))
            }
            MediaKind::Multipart => multipart_expr(api, c, value),
            MediaKind::Text => {
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
            quote!(if let Some(v) = &fields.#name { #push })
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
