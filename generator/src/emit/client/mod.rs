//! The client: a `Client` with credential, scope and transport setters, one method per
//! operation returning a request builder (`ops::X`), and per operation its documented success
//! and error bodies. All transport logic is in `openapi-gen-runtime`; what is generated here
//! is only what differs per operation.

use proc_macro2::TokenStream;
use quote::quote;

use super::doc::doc;
use super::spell::{ident, large_variant_allow, shape_type, At};
use super::wire::{self, content_type};
use crate::ir::*;

mod common;
mod decode;
mod driver;
mod request;
mod stream;

use common::*;
use decode::decode_fn;
use request::request_fn;
use stream::{sequence_fn, stream_fn};

/// The client side of `api`: a private module `client` holding `Client`, `ops` (and, with
/// `driver`, the `driver` module), re-exported; `gate` (a `#[cfg]` or nothing) is put on
/// the module and its re-export, once each.
pub fn emit(api: &Api, gate: &TokenStream, driver: bool) -> TokenStream {
    let client = client(api);
    let driver_module = driver.then(|| driver::emit(api));
    let driver_export = driver.then(|| quote!(driver,));
    let ops: Vec<TokenStream> = api.operations.iter().map(|op| operation(api, op)).collect();
    let header_sets: Vec<TokenStream> = api.header_sets.iter().map(from_headers).collect();
    // The API's default security, for the operations that do not set their own.
    let security = (!api.security.is_empty()
        && api.operations.iter().any(|op| op.security.is_none()))
    .then(|| {
        let alternatives = request::security_alternatives(&api.security);
        quote! {
            /// The security of every operation that does not set its own.
            const SECURITY: rt::Security = #alternatives;
        }
    });
    // Request builders hold their timeout; with no operation there is none.
    let duration = (!api.operations.is_empty()).then(|| {
        quote!(
            use ::std::time::Duration;
        )
    });
    let names = super::names_in(ops.iter().chain(&header_sets).chain(&security));
    let rt = names.contains("rt").then(|| {
        quote!(
            use ::openapi_gen_runtime as rt;
        )
    });
    let types = names.contains("types").then(|| {
        quote!(
            use super::types;
        )
    });
    let ops = quote! {
        /// One request builder per operation, with the operation's response and error types.
        pub mod ops {
            #rt
            #types
            #duration
            #security
            #(#header_sets)*
            #(#ops)*
        }
    };
    let outer_types = super::names_in([&client, &ops, &driver_module.clone().unwrap_or_default()])
        .contains("types")
        .then(|| {
            quote!(
                use super::types;
            )
        });
    quote! {
        /// The client side, re-exported.
        #gate
        mod client {
            #outer_types
            #client
            #ops
            #driver_module
        }
        // The module's face, whether or not a binary that includes the module uses all of it.
        #gate
        #[allow(unused_imports)]
        pub use client::{#driver_export ops, Client, DEFAULT_BASE_URL};
    }
}

fn default_base_url(api: &Api) -> String {
    let Some(server) = api.servers.first() else {
        return String::new();
    };
    let mut url = server.url.clone();
    for v in &server.variables {
        url = url.replace(&format!("{{{}}}", v.name), &v.default);
    }
    url
}

fn client(api: &Api) -> TokenStream {
    let base = default_base_url(api);
    let title = format!("A client of the {} (version {}).", api.title, api.version);
    let servers: Vec<String> = api
        .servers
        .iter()
        .map(|s| {
            format!(
                "- `{}`{}",
                s.url,
                s.description
                    .as_ref()
                    .map(|d| format!(": {d}"))
                    .unwrap_or_default()
            )
        })
        .collect();
    let servers = (!servers.is_empty()).then(|| format!("Servers:\n{}", servers.join("\n")));
    let docs = doc([
        Some(title.as_str()),
        api.description.as_deref(),
        servers.as_deref(),
    ]);
    let schemes = api.security_schemes.iter().map(wire::scheme);
    let setters = api.security_schemes.iter().map(credential_setter);
    let scopes = api.scopes.iter().map(|s| {
        let method = ident(&s.method);
        let arg = ident(&s.arg);
        let ty = shape_type(api, &s.ty.shape, At::Outside);
        let name = &s.name;
        let text = format!(
            "A client that acts for this {name}: every request of an operation that takes `{}` sends this value unless the request sets it.",
            s.param
        ); let text_doc = doc([Some(text.as_str())]);
        quote! {
            #text_doc
            pub fn #method(&self, #arg: impl Into<#ty>) -> Self {
                let mut client = self.clone();
                let value = rt::params::part_text(&#arg.into()).unwrap_or_default();
                client.core.set_scope(#name, value);
                client
            }
        }
    });
    let methods = api.operations.iter().map(|op| client_method(api, op));
    quote! {
        use ::openapi_gen_runtime as rt;
        use ::std::time::Duration;

        /// The URL of the spec's first server.
        pub const DEFAULT_BASE_URL: &str = #base;

        static SCHEMES: &[rt::Scheme] = &[#(#schemes),*];

        #docs
        ///
        /// Cheap to clone; clones share the connection pool.
        #[derive(Debug, Clone)]
        pub struct Client {
            core: rt::ClientCore,
        }

        impl Default for Client {
            fn default() -> Self {
                Self::new()
            }
        }

        impl Client {
            /// A client for the spec's first server ([`DEFAULT_BASE_URL`]).
            pub fn new() -> Self {
                let mut core = rt::ClientCore::new(DEFAULT_BASE_URL, SCHEMES);
                core.set_user_agent(concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")));
                Client { core }
            }

            /// The same client, sending requests to `base_url` instead.
            pub fn with_base_url(mut self, base_url: impl Into<String>) -> Self {
                self.core.set_base_url(base_url);
                self
            }

            /// The URL requests are sent to.
            pub fn base_url(&self) -> &str {
                self.core.base_url()
            }

            /// Sends requests through this `reqwest` client (proxies, TLS settings, pools).
            pub fn with_http_client(mut self, http: rt::reqwest::Client) -> Self {
                self.core.set_http_client(http);
                self
            }

            /// The timeout of every request (default 30 s); a request's own `timeout` wins.
            pub fn with_timeout(mut self, timeout: Duration) -> Self {
                self.core.set_timeout(Some(timeout));
                self
            }

            /// When to retry idempotent requests (default: 3 retries with backoff on
            /// connection errors, timeouts, 429 and 503, honouring `Retry-After`).
            pub fn with_retry(mut self, retry: rt::RetryPolicy) -> Self {
                self.core.set_retry(retry);
                self
            }

            /// Runs `hook` on every request before it is sent and every response as received
            /// ([`rt::Hook`]; [`rt::request_hook`] and [`rt::response_hook`] make one of a
            /// function).
            pub fn with_hook(mut self, hook: impl rt::Hook) -> Self {
                self.core.add_hook(hook);
                self
            }

            /// A header sent with every request that does not set it itself.
            pub fn with_default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
                self.core.set_default_header(name, value);
                self
            }

            /// The `User-Agent` of every request (default: this crate's name and version).
            pub fn with_user_agent(mut self, user_agent: impl Into<String>) -> Self {
                self.core.set_user_agent(user_agent);
                self
            }

            #(#setters)*
            #(#scopes)*
            #(#methods)*
        }
    }
}

fn credential_setter(s: &SecurityScheme) -> TokenStream {
    let setter = credential_setter_of(s);
    let Some((method, token_url)) = &s.client_credentials else {
        return setter;
    };
    let method = ident(method);
    let key = &s.key;
    let text = format!(
        "Obtains access tokens for the `{key}` security scheme with the OAuth2 client credentials flow from `{token_url}`: each token is asked for with the scopes the operation requires, kept until shortly before it expires, and asked for again once if the API answers 401. The secret never appears in `Debug` output."
    );
    let docs = doc([Some(text.as_str())]);
    quote! {
        #setter
        #docs
        pub fn #method(mut self, client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
            self.core.set_credential(#key, rt::Credential::ClientCredentials {
                client_id: client_id.into(),
                client_secret: client_secret.into(),
                token_url: #token_url.into(),
            });
            self
        }
    }
}

fn credential_setter_of(s: &SecurityScheme) -> TokenStream {
    let method = ident(&s.setter);
    let key = &s.key;
    let what = match &s.kind {
        SecurityKind::ApiKey { location, name } => {
            format!("the API key sent in the {location:?} `{name}`").to_lowercase()
        }
        SecurityKind::Bearer { .. } => "the bearer token (`Authorization: Bearer ...`)".to_string(),
        SecurityKind::Basic => {
            "the user name and password (`Authorization: Basic ...`)".to_string()
        }
        SecurityKind::OtherHttp { scheme } => {
            format!("the credentials sent as `Authorization: {scheme} ...`")
        }
        SecurityKind::OAuth2 { .. } => "an OAuth2 access token, sent as a bearer token".to_string(),
        SecurityKind::OpenIdConnect { .. } => {
            "an OpenID Connect access token, sent as a bearer token".to_string()
        }
    };
    let text =
        format!("Sets {what} for the `{key}` security scheme. It never appears in `Debug` output.");
    let docs = doc([Some(text.as_str()), s.description.as_deref()]);
    match &s.kind {
        SecurityKind::Basic => quote! {
            #docs
            pub fn #method(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
                self.core.set_credential(#key, rt::Credential::Basic { username: username.into(), password: password.into() });
                self
            }
        },
        kind => {
            let variant = match kind {
                SecurityKind::ApiKey { .. } => quote!(ApiKey),
                SecurityKind::OtherHttp { .. } => quote!(Raw),
                _ => quote!(Bearer),
            };
            quote! {
                #docs
                pub fn #method(mut self, credential: impl Into<String>) -> Self {
                    self.core.set_credential(#key, rt::Credential::#variant(credential.into()));
                    self
                }
            }
        }
    }
}

fn client_method(api: &Api, op: &Operation) -> TokenStream {
    let method = ident(&op.rust_name);
    let Names { builder, .. } = names(op);
    let header = format!("`{} {}`", op.method.as_str(), op.path);
    let docs = doc([
        op.summary.as_deref(),
        op.description.as_deref(),
        Some(header.as_str()),
    ]);
    let mut args = Vec::new();
    let mut inits = Vec::new();
    for p in required_params(op) {
        let name = ident(&p.rust_name);
        let ty = shape_type(api, &p.ty.shape, At::Outside);
        args.push(quote!(#name: impl Into<#ty>));
        inits.push(quote!(#name: #name.into()));
    }
    for p in op.parameters.iter().filter(|p| !p.required) {
        let name = ident(&p.rust_name);
        inits.push(quote!(#name: None));
    }
    if let (Some(body), Some(ty)) = (&op.request_body, body_type(api, op, false)) {
        if body.required {
            args.push(quote!(body: impl Into<#ty>));
            inits.push(quote!(body: body.into()));
        } else {
            inits.push(quote!(body: None));
        }
    }
    let deprecated = op
        .deprecated
        .then(|| quote!(#[doc = ""] #[doc = " **Deprecated.**"]));
    quote! {
        #docs
        #deprecated
        pub fn #method(&self, #(#args),*) -> ops::#builder {
            ops::#builder {
                core: self.core.clone(),
                timeout: None,
                #(#inits,)*
            }
        }
    }
}

fn operation(api: &Api, op: &Operation) -> TokenStream {
    let Names {
        builder,
        error,
        response,
        body: body_enum,
    } = names(op);
    let op_id = op.id();
    let (success_list, default_is_success) = op.successes();
    let success = if success_list.len() == 1 {
        Success::One(success_list[0].1)
    } else if success_list.is_empty() {
        Success::One(None)
    } else {
        Success::Many(success_list.clone())
    };
    let out_ty = match &success {
        Success::One(Some(c)) => content_type(api, c),
        Success::One(None) => quote!(()),
        Success::Many(_) => quote!(#response),
    };
    let errors: Vec<(&Response, &Content)> = op
        .responses
        .iter()
        // `default` documents the errors too when it is also the success.
        .filter(|r| !r.status.is_success())
        .flat_map(|r| r.contents.iter().map(move |c| (r, c)))
        .collect();
    let err_ty = if errors.is_empty() {
        quote!(rt::Undocumented)
    } else {
        quote!(#error)
    };

    // Builder fields and setters.
    let mut fields = Vec::new();
    let mut setters = Vec::new();
    for p in &op.parameters {
        let name = ident(&p.rust_name);
        let ty = shape_type(api, &p.ty.shape, At::Outside);
        if p.required {
            fields.push(quote!(pub(crate) #name: #ty));
        } else {
            fields.push(quote!(pub(crate) #name: Option<#ty>));
            let default =
                p.ty.default
                    .as_ref()
                    .map(|d| format!("The server's default: `{d}`."));
            let docs = doc([p.description.as_deref(), default.as_deref()]);
            setters.push(quote! {
                #docs
                pub fn #name(mut self, value: impl Into<#ty>) -> Self {
                    self.#name = Some(value.into());
                    self
                }
            });
        }
    }
    if let (Some(b), Some(ty)) = (&op.request_body, body_type(api, op, true)) {
        if b.required {
            fields.push(quote!(pub(crate) body: #ty));
        } else {
            fields.push(quote!(pub(crate) body: Option<#ty>));
            let docs = doc([b.description.as_deref()]);
            setters.push(quote! {
                #docs
                pub fn body(mut self, value: impl Into<#ty>) -> Self {
                    self.body = Some(value.into());
                    self
                }
            });
        }
    }

    // The headers every success declares alike, typed in `send_with_response()`.
    let headers_ty = {
        let (list, _) = op.successes();
        let sets: Vec<Option<usize>> = list.iter().map(|(r, _)| r.header_set).collect();
        match sets.first() {
            Some(Some(i)) if sets.iter().all(|s| *s == Some(*i)) => {
                let name = ident(&api.header_sets[*i].name);
                Some(quote!(, types::#name))
            }
            _ => None,
        }
    };
    let request = request_fn(api, op);
    let decode = decode_fn(
        api,
        op,
        &success,
        &errors,
        &response,
        &error,
        default_is_success,
    );
    let stream = match op.sequential_success() {
        Some(c) => Some(sequence_fn(api, op, c)),
        None => op.pagination.as_ref().map(|p| stream_fn(api, op, p)),
    };
    let response_enum = match &success {
        Success::Many(list) => {
            let variants = list.iter().map(|(r, c)| {
                let (name, payload) = match c {
                    Some(c) => (ident(&c.variant), Some(content_type(api, c))),
                    None => (ident(&r.variant), None),
                };
                let docs = doc([Some(format!("{}: {}", r.status, r.description).as_str())]);
                match payload {
                    Some(t) => quote!(#docs #name(#t),),
                    None => quote!(#docs #name,),
                }
            });
            let text = format!("The documented successes of `{op_id}`.");
            let text_doc = doc([Some(text.as_str())]);
            let allow = large_variant_allow(
                list.iter()
                    .map(|(_, c)| c.map_or(0, |c| api.content_size(c))),
            );
            quote! {
                #text_doc
                #[derive(Debug, Clone, PartialEq)]
                #allow
                pub enum #response { #(#variants)* }
            }
        }
        Success::One(_) => quote!(),
    };
    let error_enum = (!errors.is_empty()).then(|| {
        let variants = errors.iter().map(|(r, c)| {
            let name = ident(&c.variant);
            let t = content_type(api, c);
            let docs = doc([Some(format!("{}: {}", r.status, r.description).as_str())]);
            quote!(#docs #name(#t),)
        });
        let text = format!("The documented error bodies of `{op_id}`, by status.");
        let text_doc = doc([Some(text.as_str())]);
        let allow = large_variant_allow(errors.iter().map(|(_, c)| api.content_size(c)));
        quote! {
            #text_doc
            #[derive(Debug, Clone, PartialEq)]
            #allow
            pub enum #error { #(#variants)* }
        }
    });
    let body_enum_def = op
        .request_body
        .as_ref()
        .filter(|b| b.contents.len() > 1)
        .map(|b| {
            let variants = b.contents.iter().map(|c| {
                let name = ident(&c.variant);
                let t = content_type(api, c);
                let media = format!("`{}`", c.media_type);
                {
                    let media_doc = doc([Some(media.as_str())]);
                    quote!(#media_doc #name(#t),)
                }
            });
            let text = format!("The request body of `{op_id}`, in one of its media types.");
            let text_doc = doc([Some(text.as_str())]);
            let allow = large_variant_allow(b.contents.iter().map(|c| api.content_size(c)));
            quote! {
                #text_doc
                #[derive(Debug, Clone, PartialEq)]
                #allow
                pub enum #body_enum { #(#variants)* }
            }
        });
    let text = format!(
        "A `{op_id}` request: set optional parameters, then `.send().await` (or just `.await`)."
    );
    let text_doc = doc([Some(text.as_str())]);
    let has_stream = stream.as_ref().is_some_and(|s| !s.is_empty());
    let setters_impl = (!setters.is_empty() || has_stream).then(|| {
        quote! {
            impl #builder {
                #(#setters)*
                #stream
            }
        }
    });
    quote! {
        #text_doc
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent"]
        pub struct #builder {
            pub(crate) core: rt::ClientCore,
            pub(crate) timeout: Option<Duration>,
            #(#fields,)*
        }

        rt::request_builder!(#builder => #out_ty, #err_ty #headers_ty);

        #setters_impl

        impl rt::Operation for #builder {
            #request
            #decode
        }

        #response_enum
        #error_enum
        #body_enum_def
    }
}

/// How a set of declared response headers (a struct of `types`) is read from a response.
fn from_headers(set: &HeaderSet) -> TokenStream {
    let name = ident(&set.name);
    let fields = set.headers.iter().map(|h| {
        let f = ident(&h.rust_name);
        let wire = h.name.to_ascii_lowercase();
        if h.required {
            quote!(#f: rt::header_value(headers, #wire)?.ok()?,)
        } else {
            quote!(#f: rt::header_value(headers, #wire).transpose().ok()?,)
        }
    });
    quote! {
        impl rt::FromHeaders for types::#name {
            fn from_headers(headers: &rt::reqwest::header::HeaderMap) -> Option<Self> {
                Some(Self { #(#fields)* })
            }
        }
    }
}
