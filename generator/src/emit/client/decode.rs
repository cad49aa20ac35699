//! Decoding an operation's response: status and media type to its documented type.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::*;
use crate::emit::spell::ident;
use crate::ir::*;

/// How a success body of `c` is read from `raw`; the operation's id is `op`.
fn decode_content(api: &Api, c: &Content) -> TokenStream {
    match c.kind {
        MediaKind::EventStream => {
            let def = crate::emit::wire::stream_def(api, c);
            quote!(raw.events(#def)?)
        }
        MediaKind::JsonLines | MediaKind::JsonSeq => {
            let def = crate::emit::wire::stream_def(api, c);
            quote!(raw.records(#def)?)
        }
        MediaKind::Binary => quote!(raw.body.clone()),
        MediaKind::Form | MediaKind::Multipart if matches!(c.ty.shape, Shape::String(_)) => {
            quote!(raw.text())
        }
        MediaKind::Text => quote!(raw.text()),
        MediaKind::Form => quote!(raw.form()?),
        // (Parts are request bodies only.)
        MediaKind::Multipart | MediaKind::Parts => quote!(raw.multipart()?),
        MediaKind::Json => quote!(raw.json()?),
    }
}

/// The decode of `c` as a `Result`, when it can fail.
fn fallible(api: &Api, c: &Content) -> Option<TokenStream> {
    match c.kind {
        MediaKind::EventStream => {
            let def = crate::emit::wire::stream_def(api, c);
            Some(quote!(raw.events(#def)))
        }
        MediaKind::JsonLines | MediaKind::JsonSeq => {
            let def = crate::emit::wire::stream_def(api, c);
            Some(quote!(raw.records(#def)))
        }
        MediaKind::Form | MediaKind::Multipart if matches!(c.ty.shape, Shape::String(_)) => None,
        MediaKind::Form => Some(quote!(raw.form())),
        MediaKind::Multipart | MediaKind::Parts => Some(quote!(raw.multipart())),
        MediaKind::Json => Some(quote!(raw.json())),
        MediaKind::Text | MediaKind::Binary => None,
    }
}

fn status_pattern(s: &StatusCode) -> TokenStream {
    match s {
        StatusCode::Code(c) => {
            let c = proc_macro2::Literal::u16_unsuffixed(*c);
            quote!(#c)
        }
        StatusCode::Range(r) => {
            let lo = proc_macro2::Literal::u16_unsuffixed(u16::from(*r) * 100);
            let hi = proc_macro2::Literal::u16_unsuffixed(u16::from(*r) * 100 + 99);
            quote!(#lo..=#hi)
        }
        StatusCode::Default => quote!(_),
    }
}

/// Arms in order: exact codes, ranges, default.
fn rank(s: &StatusCode) -> u8 {
    match s {
        StatusCode::Code(_) => 0,
        StatusCode::Range(_) => 1,
        StatusCode::Default => 2,
    }
}

pub(super) fn decode_fn(
    api: &Api,
    op: &Operation,
    success: &Success<'_>,
    errors: &[(&Response, &Content)],
    response: &proc_macro2::Ident,
    error: &proc_macro2::Ident,
    default_is_success: bool,
) -> TokenStream {
    let mut arms: Vec<(u8, TokenStream)> = Vec::new();
    // Successes.
    let success_list: Vec<(&Response, Option<&Content>)> = match success {
        Success::One(c) => op
            .responses
            .iter()
            .filter(|r| {
                r.status.is_success() || (default_is_success && r.status == StatusCode::Default)
            })
            .take(1)
            .map(|r| (r, *c))
            .collect(),
        Success::Many(list) => list.clone(),
    };
    let many = matches!(success, Success::Many(_));
    let mut by_status: Vec<(&Response, Vec<Option<&Content>>)> = Vec::new();
    for (r, c) in &success_list {
        match by_status.iter_mut().find(|(x, _)| x.status == r.status) {
            Some((_, cs)) => cs.push(*c),
            None => by_status.push((r, vec![*c])),
        }
    }
    for (r, contents) in &by_status {
        let pat = if default_is_success && r.status == StatusCode::Default {
            quote!(200..=299)
        } else {
            status_pattern(&r.status)
        };
        let value = |c: &Option<&Content>| -> TokenStream {
            match (c, many) {
                (Some(c), false) => decode_content(api, c),
                (None, false) => quote!(()),
                (Some(c), true) => {
                    let v = ident(&c.variant);
                    let d = decode_content(api, c);
                    quote!(#response::#v(#d))
                }
                (None, true) => {
                    let v = ident(&r.variant);
                    quote!(#response::#v)
                }
            }
        };
        let mut tokens = TokenStream::new();
        if contents.len() > 1 {
            for c in contents.iter().flatten() {
                let media = &c.media_type;
                let v = value(&Some(*c));
                tokens.extend(quote!(#pat if raw.is_media(#media) => Ok(#v),));
            }
        }
        // A lone fallible decode is the arm's value itself (`raw.json()`), not `Ok(...?)`.
        let lone = match (&contents[0], many) {
            (Some(c), false) => fallible(api, c),
            _ => None,
        };
        match lone {
            Some(expr) => tokens.extend(quote!(#pat => #expr,)),
            None => {
                let v = value(&contents[0]);
                tokens.extend(quote!(#pat => Ok(#v),));
            }
        }
        arms.push((rank(&r.status), tokens));
    }
    // Errors.
    let mut err_status: Vec<(&Response, Vec<&Content>)> = Vec::new();
    for (r, c) in errors {
        match err_status.iter_mut().find(|(x, _)| x.status == r.status) {
            Some((_, cs)) => cs.push(c),
            None => err_status.push((r, vec![c])),
        }
    }
    for (r, contents) in &err_status {
        let pat = status_pattern(&r.status);
        let decode = |c: &Content| -> TokenStream {
            let v = ident(&c.variant);
            match c.kind {
                MediaKind::Json => quote!(Err(raw.json_error(E::#v))),
                MediaKind::Binary => quote!(Err(raw.bytes_error(E::#v))),
                _ => quote!(Err(raw.text_error(E::#v))),
            }
        };
        let mut tokens = TokenStream::new();
        if contents.len() > 1 {
            for c in contents {
                let media = &c.media_type;
                let d = decode(c);
                tokens.extend(quote!(#pat if raw.is_media(#media) => #d,));
            }
        }
        let d = decode(contents[0]);
        tokens.extend(quote!(#pat => #d,));
        arms.push((rank(&r.status), tokens));
    }
    arms.sort_by_key(|(rank, _)| *rank);
    // Only an error arm for `default` matches everything (a `default` success is `2XX`).
    let has_catch_all = err_status
        .iter()
        .any(|(r, _)| r.status == StatusCode::Default);
    let arms = arms.into_iter().map(|(_, t)| t);
    let fallback = (!has_catch_all).then(|| quote!(_ => Err(raw.undocumented()),));

    let arms: Vec<TokenStream> = arms.collect();
    // Exact codes come before ranges and `default` last, so no arm is unreachable; a match
    // with nothing but a catch-all is written as its one expression.
    // The error enum is `E` in the arms, which keeps each on one line.
    let alias = (!err_status.is_empty()).then(|| quote!(use #error as E;));
    let body = if arms.is_empty() {
        quote!(Err(raw.undocumented()))
    } else {
        quote! {
            #alias
            match raw.status.as_u16() {
                #(#arms)*
                #fallback
            }
        }
    };
    quote! {
        fn decode(raw: rt::RawResponse) -> rt::Decoded<Self> {
            #body
        }
    }
}
