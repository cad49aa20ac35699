//! What the parts of an operation's client code share: its items' names, its positional
//! arguments, its body type, what a success decodes into.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::spell::ident;
use crate::emit::wire::content_type;
use crate::ir::*;

/// The operation's Rust items' names.
pub(super) struct Names {
    pub(super) builder: proc_macro2::Ident,
    pub(super) error: proc_macro2::Ident,
    pub(super) response: proc_macro2::Ident,
    pub(super) body: proc_macro2::Ident,
}

pub(super) fn names(op: &Operation) -> Names {
    Names {
        builder: ident(&op.type_name),
        error: ident(&op.items.error),
        response: ident(&op.items.response),
        body: ident(&op.items.body),
    }
}

/// Positional arguments: required parameters, then a required body.
pub(super) fn required_params(op: &Operation) -> impl Iterator<Item = &Parameter> {
    op.parameters.iter().filter(|p| p.required)
}

/// The body's type, spelled from the client (`in_ops: false`) or from the `ops` module.
pub(super) fn body_type(api: &Api, op: &Operation, in_ops: bool) -> Option<TokenStream> {
    let body = op.request_body.as_ref()?;
    if body.contents.len() == 1 {
        Some(content_type(api, &body.contents[0]))
    } else {
        let name = names(op).body;
        Some(if in_ops {
            quote!(#name)
        } else {
            quote!(ops::#name)
        })
    }
}

/// What a success decodes into: one type, or an enum over several responses.
pub(super) enum Success<'a> {
    One(Option<&'a Content>),
    Many(Vec<(&'a Response, Option<&'a Content>)>),
}
