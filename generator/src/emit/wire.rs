//! What the client and the server emitters spell the same way: a security scheme as the
//! runtime describes it, a parameter style, a body's encoding, the Rust type of a body, an
//! operation's id.

use proc_macro2::TokenStream;
use quote::quote;

use super::spell::{rust_type, At};
use crate::ir::*;

/// `rt::Scheme { .. }` for a security scheme of the spec.
pub fn scheme(s: &SecurityScheme) -> TokenStream {
    let key = &s.key;
    let kind = match &s.kind {
        SecurityKind::ApiKey {
            location: ApiKeyLocation::Header,
            name,
        } => quote!(rt::SchemeKind::ApiKeyHeader(#name)),
        SecurityKind::ApiKey {
            location: ApiKeyLocation::Query,
            name,
        } => quote!(rt::SchemeKind::ApiKeyQuery(#name)),
        SecurityKind::ApiKey {
            location: ApiKeyLocation::Cookie,
            name,
        } => quote!(rt::SchemeKind::ApiKeyCookie(#name)),
        SecurityKind::Bearer { .. }
        | SecurityKind::OAuth2 { .. }
        | SecurityKind::OpenIdConnect { .. } => quote!(rt::SchemeKind::Bearer),
        SecurityKind::Basic => quote!(rt::SchemeKind::Basic),
        SecurityKind::OtherHttp { scheme } => quote!(rt::SchemeKind::Http(#scheme)),
    };
    quote!(rt::Scheme { key: #key, kind: #kind })
}

/// `rt::params::Style::X`.
pub fn style(s: ParamStyle) -> TokenStream {
    match s {
        ParamStyle::Form => quote!(rt::params::Style::Form),
        ParamStyle::Simple => quote!(rt::params::Style::Simple),
        ParamStyle::Label => quote!(rt::params::Style::Label),
        ParamStyle::Matrix => quote!(rt::params::Style::Matrix),
        ParamStyle::SpaceDelimited => quote!(rt::params::Style::SpaceDelimited),
        ParamStyle::PipeDelimited => quote!(rt::params::Style::PipeDelimited),
        ParamStyle::DeepObject => quote!(rt::params::Style::DeepObject),
    }
}

/// `&[rt::form::Encoding::new(..)..]`: the `encoding` of a form or multipart body.
pub fn encoding(c: &Content) -> TokenStream {
    encodings(&c.encoding)
}

/// [`encoding`] of the entries themselves.
pub fn encodings(entries: &[PropertyEncoding]) -> TokenStream {
    let entries = entries.iter().map(|e| {
        let name = &e.property;
        let style = style(e.style);
        let explode = e.explode;
        let mut entry = quote!(rt::form::Encoding::new(#name, #style, #explode));
        if e.allow_reserved {
            entry = quote!(#entry.allow_reserved());
        }
        if let Some(ct) = &e.content_type {
            entry = quote!(#entry.content_type(#ct));
        }
        if !e.headers.is_empty() {
            let headers = e.headers.iter().map(|h| {
                let name = &h.name;
                let required = h.required;
                let value = match &h.value {
                    Some(v) => quote!(Some(#v)),
                    None => quote!(None),
                };
                quote!(rt::form::PartHeader { name: #name, required: #required, value: #value })
            });
            entry = quote!(#entry.headers(&[#(#headers),*]));
        }
        entry
    });
    quote!(&[#(#entries),*])
}

/// The Rust type of a body as the client reads it: bytes for binary media, a string for
/// textual media (XML, CSV...: whatever their schema, generated code does not encode them),
/// every item of a stream read whole (`send()`; `.stream()` yields them one by one), the
/// schema's type otherwise.
pub fn content_type(api: &Api, c: &Content) -> TokenStream {
    match c.kind {
        MediaKind::Binary => quote!(rt::Bytes),
        MediaKind::Text => quote!(String),
        MediaKind::EventStream | MediaKind::JsonLines | MediaKind::JsonSeq => {
            let item = stream_item(api, c);
            quote!(Vec<#item>)
        }
        _ => rust_type(api, &c.ty, At::Outside),
    }
}

/// One item of a sequential body: an event (`rt::Event<T>`) or a value of the item type.
pub fn stream_item(api: &Api, c: &Content) -> TokenStream {
    let t = rust_type(api, &c.ty, At::Outside);
    match c.kind {
        MediaKind::EventStream => quote!(rt::Event<#t>),
        _ => t,
    }
}

/// The `&rt::StreamDef` of a sequential body, for the runtime's readers and writers.
pub fn stream_def(api: &Api, c: &Content) -> TokenStream {
    let format = match c.kind {
        MediaKind::EventStream => quote!(EventStream),
        MediaKind::JsonSeq => quote!(JsonSeq),
        _ => quote!(JsonLines),
    };
    let media = &c.media_type;
    let end = match &c.stream_end {
        Some(e) => quote!(Some(#e)),
        None => quote!(None),
    };
    let text = matches!(api.unalias(&c.ty).shape, Shape::String(_));
    quote!(&rt::StreamDef { format: rt::StreamFormat::#format, media_type: #media, end: #end, text: #text })
}

/// JSON laid out to be read: an object opens on lines of its own, one entry each, down to
/// `open` levels, unless it fits on a short line; each deeper value is one line (`{"type":
/// "string", "maxLength": 64}`). A schema then reads as the spec wrote it, and a change to
/// it is a change to a few lines.
pub fn readable_json(value: &serde_json::Value, open: usize) -> String {
    let mut out = String::new();
    write_json(&mut out, value, open, 0);
    out
}

/// Objects no longer than this stay on one line.
const SHORT: usize = 72;

fn write_json(out: &mut String, value: &serde_json::Value, open: usize, depth: usize) {
    use serde_json::Value;
    let pad = |out: &mut String, depth: usize| {
        out.push('\n');
        out.push_str(&"  ".repeat(depth));
    };
    let open = if depth < open {
        let mut line = String::new();
        write_json(&mut line, value, 0, 0);
        if line.len() <= SHORT {
            out.push_str(&line);
            return;
        }
        open
    } else {
        open
    };
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if depth < open {
                    pad(out, depth + 1);
                } else if i > 0 {
                    out.push(' ');
                }
                out.push_str(&Value::from(k.as_str()).to_string());
                out.push_str(": ");
                write_json(out, v, open, depth + 1);
            }
            if depth < open {
                pad(out, depth);
            }
            out.push('}');
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_json(out, v, open, depth + 1);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// A raw string literal (`r#"..."#`) of `text`, with as many `#` as it needs: JSON reads as
/// JSON in generated code, not as escaped quotes.
pub fn raw_str(text: &str) -> TokenStream {
    let hashes = (0..)
        .map(|n| "#".repeat(n))
        .find(|h| !text.contains(&format!("\"{h}")))
        .unwrap_or_default();
    let literal = format!("r{hashes}\"{text}\"{hashes}");
    literal.parse().unwrap_or_else(|_| quote!(#text))
}
