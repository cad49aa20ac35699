//! The `driver` module (generated with `--driver`): every operation of the client called by
//! its id, with its arguments given as JSON and read into the operation's own types
//! (`rt::driver`). The corpus round trip calls each operation this way against
//! `openapi-gen mock`; a user can call an API from data (a script, a fuzzer) with it.
//!
//! It is written with the client's public methods only, so what it proves about the client is
//! what a user of the client gets.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{names, required_params};
use crate::emit::spell::{ident, shape_type, At};
use crate::emit::wire::content_type;
use crate::ir::*;

/// The key of the request body in a call's arguments (parameters are keyed by their Rust
/// name, which is unique in an operation).
pub const BODY: &str = "body";

/// The `driver` module of `api`'s client, inside its `client` module.
pub fn emit(api: &Api) -> TokenStream {
    let credentials = api.security_schemes.iter().map(|s| {
        let setter = ident(&s.setter);
        match s.kind {
            SecurityKind::Basic => quote!(let client = client.#setter(secret, secret);),
            _ => quote!(let client = client.#setter(secret);),
        }
    });
    let credentials = (!api.security_schemes.is_empty()).then(|| {
        quote! {
            let secret = session.secret.as_str();
            #(#credentials)*
        }
    });
    let ids: Vec<String> = api.operations.iter().map(Operation::id).collect();
    let arms = api.operations.iter().zip(&ids).map(|(op, id)| {
        let name = ident(&op.rust_name);
        quote!(#id => Box::pin(async move { calls::#name(&client, &args, stream).await.unwrap_or_else(|not_called| not_called) }),)
    });
    if api.operations.is_empty() {
        return quote! {
            /// Every operation called by its id: this API has none.
            pub mod driver {
                use ::openapi_gen_runtime as rt;
                use rt::driver::{Args, Called, Session};

                /// The id of every operation: none.
                pub const OPERATIONS: &[&str] = &[];

                /// Says that there is no operation `operation`.
                pub fn call(_session: &Session, operation: &str, _args: &Args, _stream: bool) -> rt::BoxFuture<Called> {
                    Box::pin(::std::future::ready(Called::Unknown(format!("no operation `{operation}`"))))
                }
            }
        };
    }
    let calls: Vec<TokenStream> = api.operations.iter().map(|op| call(api, op)).collect();
    let names = crate::emit::names_in(&calls);
    let types = names.contains("types").then(|| {
        quote!(
            use super::super::types;
        )
    });
    let ops = names.contains("ops").then(|| {
        quote!(
            use super::super::ops;
        )
    });
    quote! {
        /// Every operation called by its id, with its arguments given as JSON and read into the
        /// operation's types: parameters by their Rust name, the request body as `body`
        /// (see `openapi_gen_runtime::driver`).
        pub mod driver {
            use ::openapi_gen_runtime as rt;
            use rt::driver::{Args, Called, Session};

            use super::Client;

            /// The id of every operation, in the spec's order.
            pub const OPERATIONS: &[&str] = &[#(#ids),*];

            /// Calls `operation` with `args` as `session` says (base URL, headers,
            /// credentials): with `stream`, reads the operation's `.stream()` to its end
            /// instead of calling `send()`.
            ///
            /// Each operation's call is a future of its own, boxed: one future over every
            /// operation would be as large as the largest and slow to compile.
            pub fn call(session: &Session, operation: &str, args: &Args, stream: bool) -> rt::BoxFuture<Called> {
                let args = args.clone();
                let mut client = Client::new()
                    .with_http_client(session.http.clone())
                    .with_base_url(session.base_url.as_str())
                    .with_retry(session.retry);
                for (name, value) in &session.headers {
                    client = client.with_default_header(name.as_str(), value.as_str());
                }
                #credentials
                match operation {
                    #(#arms)*
                    other => Box::pin(::std::future::ready(Called::Unknown(format!("no operation `{other}`")))),
                }
            }

            /// One function per operation: its arguments read, the request sent.
            mod calls {
                use ::openapi_gen_runtime as rt;
                use rt::driver::{Args, Called};

                use super::super::Client;
                #types
                #ops

                #(#calls)*
            }
        }
    }
}

/// The function calling `op`.
fn call(api: &Api, op: &Operation) -> TokenStream {
    let name = ident(&op.rust_name);
    let method = ident(&op.rust_name);
    let mut args: Vec<TokenStream> = required_params(op)
        .map(|p| {
            let ty = shape_type(api, &p.ty.shape, At::Outside);
            let key = &p.rust_name;
            quote!(args.required::<#ty>(#key)?)
        })
        .collect();
    let mut optional: Vec<TokenStream> = op
        .parameters
        .iter()
        .filter(|p| !p.required)
        .map(|p| {
            let ty = shape_type(api, &p.ty.shape, At::Outside);
            let key = &p.rust_name;
            let setter = ident(&p.rust_name);
            quote! {
                if let Some(value) = args.optional::<#ty>(#key)? {
                    call = call.#setter(value);
                }
            }
        })
        .collect();
    if let Some(body) = &op.request_body {
        if let Some(value) = body_value(api, op, body) {
            if body.required {
                args.push(value);
            } else {
                optional.push(quote! {
                    if args.has(#BODY) {
                        call = call.body(#value);
                    }
                });
            }
        }
    }
    let mutable = (!optional.is_empty()).then(|| quote!(mut));
    let args_name = if args.is_empty() && optional.is_empty() {
        quote!(_args)
    } else {
        quote!(args)
    };
    let send = quote!(rt::driver::called(call.send().await));
    let (stream, finish) = if op.has_item_stream() {
        (
            quote!(stream),
            quote! {
                if stream {
                    rt::driver::drained(call.stream()).await
                } else {
                    #send
                }
            },
        )
    } else {
        (quote!(_stream), send)
    };
    quote! {
        pub(super) async fn #name(client: &Client, #args_name: &Args, #stream: bool) -> Result<Called, Called> {
            let #mutable call = client.#method(#(#args),*);
            #(#optional)*
            Ok(#finish)
        }
    }
}

/// The request body read from the arguments, as the client method takes it: in the first
/// of its media types.
fn body_value(api: &Api, op: &Operation, body: &RequestBody) -> Option<TokenStream> {
    let first = body.contents.first()?;
    let value = match first.kind {
        MediaKind::Binary => quote!(rt::Bytes::from(args.bytes(#BODY))),
        MediaKind::Text => quote!(String::from_utf8_lossy(&args.bytes(#BODY)).into_owned()),
        _ => {
            let ty = content_type(api, first);
            quote!(args.required::<#ty>(#BODY)?)
        }
    };
    Some(if body.contents.len() > 1 {
        let enum_name = names(op).body;
        let variant = ident(&first.variant);
        quote!(ops::#enum_name::#variant(#value))
    } else {
        value
    })
}
