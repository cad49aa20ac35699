//! The client: a `Client` with credential, scope and transport setters, one method per
//! operation returning a request builder (`ops::X`), and per operation its documented success
//! and error bodies. All transport logic is in `openapi-gen-runtime`; what is generated here
//! is only what differs per operation.

use proc_macro2::TokenStream;
use quote::quote;

use super::doc::doc;
use super::types::{ident, rust_type, shape_type, At};
use super::wire::{self, content_type, op_id, style};
use crate::ir::*;

/// `gate` (a `#[cfg]` or nothing) is put on every top-level item.
pub fn emit(api: &Api, gate: &TokenStream) -> TokenStream {
    let client = client(api, gate);
    let ops = api.operations.iter().map(|op| operation(api, op));
    quote! {
        #client

        /// One request builder per operation, with the operation's response and error types.
        #gate
        pub mod ops {
            #[allow(unused_imports)]
            use ::openapi_gen_runtime as rt;
            #[allow(unused_imports)]
            use super::types;
            #(#ops)*
        }
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

fn client(api: &Api, gate: &TokenStream) -> TokenStream {
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
            pub fn #method(&self, #arg: impl ::std::convert::Into<#ty>) -> Self {
                let mut client = self.clone();
                let value = rt::params::part_text(&#arg.into()).unwrap_or_default();
                client.core.set_scope(#name, value);
                client
            }
        }
    });
    let methods = api.operations.iter().map(|op| client_method(api, op));
    quote! {
        #gate
        #[allow(unused_imports)]
        use ::openapi_gen_runtime as rt;

        /// The URL of the spec's first server.
        #gate
        pub const DEFAULT_BASE_URL: &str = #base;

        #gate
        static SCHEMES: &[rt::Scheme] = &[#(#schemes),*];

        #docs
        ///
        /// Cheap to clone; clones share the connection pool.
        #gate
        #[derive(Debug, Clone)]
        pub struct Client {
            core: rt::ClientCore,
        }

        #gate
        impl ::std::default::Default for Client {
            fn default() -> Self {
                Self::new()
            }
        }

        #gate
        impl Client {
            /// A client for the spec's first server ([`DEFAULT_BASE_URL`]).
            pub fn new() -> Self {
                let mut core = rt::ClientCore::new(DEFAULT_BASE_URL, SCHEMES);
                core.set_user_agent(concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")));
                Client { core }
            }

            /// The same client, sending requests to `base_url` instead.
            pub fn with_base_url(mut self, base_url: impl ::std::convert::Into<::std::string::String>) -> Self {
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
            pub fn with_timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.core.set_timeout(::std::option::Option::Some(timeout));
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
            pub fn with_default_header(mut self, name: impl ::std::convert::Into<::std::string::String>, value: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.core.set_default_header(name, value);
                self
            }

            /// The `User-Agent` of every request (default: this crate's name and version).
            pub fn with_user_agent(mut self, user_agent: impl ::std::convert::Into<::std::string::String>) -> Self {
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
        pub fn #method(mut self, client_id: impl ::std::convert::Into<::std::string::String>, client_secret: impl ::std::convert::Into<::std::string::String>) -> Self {
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
            pub fn #method(mut self, username: impl ::std::convert::Into<::std::string::String>, password: impl ::std::convert::Into<::std::string::String>) -> Self {
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
                pub fn #method(mut self, credential: impl ::std::convert::Into<::std::string::String>) -> Self {
                    self.core.set_credential(#key, rt::Credential::#variant(credential.into()));
                    self
                }
            }
        }
    }
}

/// The operation's Rust items' names.
struct Names {
    builder: proc_macro2::Ident,
    error: proc_macro2::Ident,
    response: proc_macro2::Ident,
    body: proc_macro2::Ident,
}

fn names(op: &Operation) -> Names {
    Names {
        builder: ident(&op.type_name),
        error: ident(&format!("{}Error", op.type_name)),
        response: ident(&format!("{}Response", op.type_name)),
        body: ident(&format!("{}Body", op.type_name)),
    }
}

/// Positional arguments: required parameters, then a required body.
fn required_params(op: &Operation) -> impl Iterator<Item = &Parameter> {
    op.parameters.iter().filter(|p| p.required)
}

/// The body's type, spelled from the client (`in_ops: false`) or from the `ops` module.
fn body_type(api: &Api, op: &Operation, in_ops: bool) -> Option<TokenStream> {
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
        args.push(quote!(#name: impl ::std::convert::Into<#ty>));
        inits.push(quote!(#name: #name.into()));
    }
    for p in op.parameters.iter().filter(|p| !p.required) {
        let name = ident(&p.rust_name);
        inits.push(quote!(#name: ::std::option::Option::None));
    }
    if let (Some(body), Some(ty)) = (&op.request_body, body_type(api, op, false)) {
        if body.required {
            args.push(quote!(body: impl ::std::convert::Into<#ty>));
            inits.push(quote!(body: body.into()));
        } else {
            inits.push(quote!(body: ::std::option::Option::None));
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
                timeout: ::std::option::Option::None,
                #(#inits,)*
            }
        }
    }
}

/// What a success decodes into: one type, or an enum over several responses.
enum Success<'a> {
    One(Option<&'a Content>),
    Many(Vec<(&'a Response, Option<&'a Content>)>),
}

fn operation(api: &Api, op: &Operation) -> TokenStream {
    let Names {
        builder,
        error,
        response,
        body: body_enum,
    } = names(op);
    let op_id = op_id(op);
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
            fields.push(quote!(pub(crate) #name: ::std::option::Option<#ty>));
            let default =
                p.ty.default
                    .as_ref()
                    .map(|d| format!("The server's default: `{d}`."));
            let docs = doc([p.description.as_deref(), default.as_deref()]);
            setters.push(quote! {
                #docs
                pub fn #name(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
                    self.#name = ::std::option::Option::Some(value.into());
                    self
                }
            });
        }
    }
    if let (Some(b), Some(ty)) = (&op.request_body, body_type(api, op, true)) {
        if b.required {
            fields.push(quote!(pub(crate) body: #ty));
        } else {
            fields.push(quote!(pub(crate) body: ::std::option::Option<#ty>));
            let docs = doc([b.description.as_deref()]);
            setters.push(quote! {
                #docs
                pub fn body(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
                    self.body = ::std::option::Option::Some(value.into());
                    self
                }
            });
        }
    }

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
    let stream = op
        .pagination
        .as_ref()
        .map(|p| stream_fn(api, op, p, &err_ty));
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
            quote! {
                #text_doc
                #[derive(Debug, Clone, PartialEq)]
                #[allow(clippy::large_enum_variant)]
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
        quote! {
            #text_doc
            #[derive(Debug, Clone, PartialEq)]
            #[allow(clippy::large_enum_variant)]
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
            quote! {
                #text_doc
                #[derive(Debug, Clone, PartialEq)]
                #[allow(clippy::large_enum_variant)]
                pub enum #body_enum { #(#variants)* }
            }
        });
    let text = format!(
        "A `{op_id}` request: set optional parameters, then `.send().await` (or just `.await`)."
    );
    let text_doc = doc([Some(text.as_str())]);
    quote! {
        #text_doc
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent"]
        pub struct #builder {
            pub(crate) core: rt::ClientCore,
            pub(crate) timeout: ::std::option::Option<::std::time::Duration>,
            #(#fields,)*
        }

        impl #builder {
            #(#setters)*

            /// The timeout of this request, instead of the client's.
            pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.timeout = ::std::option::Option::Some(timeout);
                self
            }

                        /// Sends the request and decodes the documented response.
            pub async fn send(self) -> ::std::result::Result<#out_ty, rt::Error<#err_ty>> {
                rt::send(self).await
            }

            /// Like `send`, with the status, headers and raw body of the response.
            pub async fn send_with_response(self) -> ::std::result::Result<rt::Response<#out_ty>, rt::Error<#err_ty>> {
                rt::send_with_response(self).await
            }

            #stream
        }

        impl rt::Operation for #builder {
            type Output = #out_ty;
            type ErrorBody = #err_ty;

            fn core(&self) -> &rt::ClientCore {
                &self.core
            }

            #request
            #decode
        }

        impl ::std::future::IntoFuture for #builder {
            type Output = ::std::result::Result<#out_ty, rt::Error<#err_ty>>;
            type IntoFuture = rt::BoxFuture<Self::Output>;
            fn into_future(self) -> Self::IntoFuture {
                ::std::boxed::Box::pin(rt::send(self))
            }
        }

        #response_enum
        #error_enum
        #body_enum_def
    }
}

fn request_fn(api: &Api, op: &Operation) -> TokenStream {
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
            let (name, wire, st, explode) = (ident(&p.rust_name), &p.name, style(p.style), p.explode);
            match (&p.scope, p.required) {
                (Some(scope), false) => quote! {
                    match &self.#name {
                        ::std::option::Option::Some(value) => rt::params::query(&mut query, #wire, value, #st, #explode),
                        ::std::option::Option::None => {
                            if let ::std::option::Option::Some(value) = self.core.scope(#scope) {
                                query.push((#wire.to_string(), value.to_string()));
                            }
                        }
                    }
                },
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
            let list = if p.location == ParamLocation::Header { quote!(headers) } else { quote!(cookies) };
            if op.idempotency_key == Some(i) {
                // One fresh key per call, sent again by every retry of it.
                return quote! {
                    match rt::params::header(&self.#name, #explode) {
                        ::std::option::Option::Some(value) => headers.push((#wire, value)),
                        ::std::option::Option::None => headers.push((#wire, rt::idempotency_key())),
                    }
                };
            }
            quote! {
                if let ::std::option::Option::Some(value) = rt::params::header(&self.#name, #explode) {
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
        quote!(let query = ::std::vec::Vec::new();)
    } else {
        quote!(let mut query = ::std::vec::Vec::new();)
    };
    let headers_init = if has_headers {
        quote!(let mut headers = ::std::vec::Vec::new();)
    } else {
        quote!(let headers = ::std::vec::Vec::new();)
    };
    let cookies_init = if has_cookies {
        quote!(let mut cookies = ::std::vec::Vec::new();)
    } else {
        quote!(let cookies = ::std::vec::Vec::new();)
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
                fn request(&self) -> ::std::result::Result<rt::RequestSpec, rt::Error<Self::ErrorBody>> {
            let mut path = ::std::string::String::new();
            #(#path_parts)*
            #query_init
            #(#query)*
            #headers_init
            #cookies_init
            #(#headers)*
            ::std::result::Result::Ok(rt::RequestSpec {
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
                quote!(rt::Body::Bytes { content_type: #media, data: rt::Bytes::from(::std::string::ToString::to_string(#value)) })
            }
            MediaKind::Binary => {
                let media = if c.media_type.contains('*') {
                    "application/octet-stream".to_string()
                } else {
                    c.media_type.clone()
                };
                quote!(rt::Body::Bytes { content_type: #media, data: ::std::clone::Clone::clone(#value) })
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
        quote!(match &self.body { ::std::option::Option::Some(body) => #expr, ::std::option::Option::None => rt::Body::Empty })
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
            quote!(if let ::std::option::Option::Some(v) = &fields.#name { #push })
        } else {
            quote!({ let v = &fields.#name; #push })
        }
    });
    quote!({
        const ENCODING: &[rt::form::Encoding] = #encoding;
        let fields = #value;
        let mut parts = ::std::vec::Vec::new();
        #(#parts)*
        rt::Body::Multipart(parts)
    })
}

fn decode_content(api: &Api, c: &Content, op_id: &str) -> TokenStream {
    match c.kind {
        MediaKind::Binary => quote!(raw.body.clone()),
        MediaKind::Form | MediaKind::Multipart if matches!(c.ty.shape, Shape::String(_)) => {
            quote!(rt::decode_text(&raw))
        }
        MediaKind::Text => quote!(rt::decode_text(&raw)),
        MediaKind::Form => quote!(rt::decode_form(#op_id, &raw)?),
        MediaKind::Multipart => quote!(rt::decode_multipart(#op_id, &raw)?),
        MediaKind::Json => {
            let _ = api;
            quote!(rt::decode_json(#op_id, &raw)?)
        }
    }
}

fn status_pattern(s: &StatusCode) -> TokenStream {
    match s {
        StatusCode::Code(c) => quote!(#c),
        StatusCode::Range(r) => {
            let (lo, hi) = (u16::from(*r) * 100, u16::from(*r) * 100 + 99);
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

fn decode_fn(
    api: &Api,
    op: &Operation,
    success: &Success<'_>,
    errors: &[(&Response, &Content)],
    response: &proc_macro2::Ident,
    error: &proc_macro2::Ident,
    default_is_success: bool,
) -> TokenStream {
    let op_id = op_id(op);
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
                (Some(c), false) => decode_content(api, c, &op_id),
                (None, false) => quote!(()),
                (Some(c), true) => {
                    let v = ident(&c.variant);
                    let d = decode_content(api, c, &op_id);
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
                tokens
                    .extend(quote!(#pat if raw.is_media(#media) => ::std::result::Result::Ok(#v),));
            }
        }
        let v = value(&contents[0]);
        tokens.extend(quote!(#pat => ::std::result::Result::Ok(#v),));
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
                MediaKind::Json => {
                    let t = content_type(api, c);
                    quote!(rt::decode_json::<#t, ()>(#op_id, &raw).ok().map(#error::#v))
                }
                MediaKind::Binary => {
                    quote!(::std::option::Option::Some(#error::#v(raw.body.clone())))
                }
                _ => quote!(::std::option::Option::Some(#error::#v(rt::decode_text(&raw)))),
            }
        };
        let mut tokens = TokenStream::new();
        if contents.len() > 1 {
            for c in contents {
                let media = &c.media_type;
                let d = decode(c);
                tokens.extend(quote!(#pat if raw.is_media(#media) => { let body = #d; ::std::result::Result::Err(rt::Error::api(#op_id, raw, body)) }));
            }
        }
        let d = decode(contents[0]);
        tokens.extend(quote!(#pat => { let body = #d; ::std::result::Result::Err(rt::Error::api(#op_id, raw, body)) }));
        arms.push((rank(&r.status), tokens));
    }
    arms.sort_by_key(|(rank, _)| *rank);
    // Only an error arm for `default` matches everything (a `default` success is `2XX`).
    let has_catch_all = err_status
        .iter()
        .any(|(r, _)| r.status == StatusCode::Default);
    let arms = arms.into_iter().map(|(_, t)| t);
    let fallback = (!has_catch_all).then(|| quote!(_ => ::std::result::Result::Err(rt::Error::api(#op_id, raw, ::std::option::Option::None)),));

    quote! {
        #[allow(unreachable_patterns, clippy::match_single_binding)]
                fn decode(raw: rt::RawResponse) -> ::std::result::Result<Self::Output, rt::Error<Self::ErrorBody>> {
            match raw.status.as_u16() {
                #(#arms)*
                #fallback
            }
        }
    }
}

/// `expr` (an integer of `shape`) as an `i64`, without needless conversions.
fn to_i64(expr: TokenStream, shape: &Shape) -> TokenStream {
    match shape {
        Shape::Integer(IntFormat::I64) => expr,
        Shape::Integer(IntFormat::U64) => quote!((#expr as i64)),
        _ => quote!(i64::from(#expr)),
    }
}

/// An `i64` expression as the integer type of `shape`.
fn from_i64(api: &Api, expr: TokenStream, shape: &Shape) -> TokenStream {
    match shape {
        Shape::Integer(IntFormat::I64) => expr,
        Shape::Integer(_) => {
            let t = shape_type(api, shape, At::Outside);
            quote!((#expr) as #t)
        }
        _ => expr,
    }
}

/// The shape of the total-count field at `steps` in the first success body.
fn total_shape(api: &Api, responses: &[Response], steps: &[FieldStep]) -> Shape {
    let mut ty = responses
        .iter()
        .find(|r| r.status.is_success())
        .and_then(|r| r.contents.first())
        .map(|c| c.ty.clone());
    for s in steps {
        ty = ty.and_then(|t| match t.shape {
            Shape::Named(id) => match &api.type_def(id).kind {
                TypeKind::Struct(st) => st
                    .fields
                    .iter()
                    .find(|f| f.rust_name == s.rust_name)
                    .map(|f| f.ty.clone()),
                _ => None,
            },
            _ => None,
        });
    }
    ty.map_or(Shape::Integer(IntFormat::I64), |t| t.shape)
}

/// An `Option<&T>` expression for the value at `steps` inside `root`.
fn path_ref(root: TokenStream, steps: &[FieldStep]) -> TokenStream {
    let mut expr = quote!(::std::option::Option::Some(&#root));
    for s in steps {
        let f = ident(&s.rust_name);
        expr = if s.optional {
            quote!(#expr.and_then(|v| v.#f.as_ref()))
        } else {
            quote!(#expr.map(|v| &v.#f))
        };
    }
    expr
}

/// The same, moving the value out of `root`.
fn path_move(root: TokenStream, steps: &[FieldStep]) -> TokenStream {
    let mut expr = quote!(::std::option::Option::Some(#root));
    for s in steps {
        let f = ident(&s.rust_name);
        expr = if s.optional {
            quote!(#expr.and_then(|v| v.#f))
        } else {
            quote!(#expr.map(|v| v.#f))
        };
    }
    expr
}

/// `stream()` of an operation that pages by its `Link` header: each page is fetched with its
/// headers; the query of the `rel="next"` link sets the listed parameters of a copy of the
/// request, which is sent to the client's own base URL (the link is never followed).
fn link_stream_fn(
    api: &Api,
    op: &Operation,
    p: &Pagination,
    params: &[usize],
    item: &TokenStream,
    page_ty: &TokenStream,
    err_ty: &TokenStream,
) -> TokenStream {
    let items = if p.items.is_empty() {
        quote!(page.value)
    } else {
        let path = path_move(quote!(page.value), &p.items);
        quote!(#path.unwrap_or_default())
    };
    let sets = params.iter().map(|i| {
        let param = &op.parameters[*i];
        let field = ident(&param.rust_name);
        let wire = &param.name;
        let ty = rust_type(api, &param.ty, At::Outside);
        let parse = match param.ty.shape {
            Shape::Integer(_) => quote!(and_then(|(_, value)| value.parse::<#ty>().ok())),
            _ => quote!(map(|(_, value)| ::std::string::ToString::to_string(value))),
        };
        quote! {
            let found: ::std::option::Option<#ty> = query
                .iter()
                .find(|(k, _)| k == #wire)
                .#parse;
            if found.is_some() && next.#field != found {
                next.#field = found;
                moved = true;
            }
        }
    });
    quote! {
        /// Every item of every page, fetching pages as the stream is read: the next page is the
        /// one the response's `Link` header announces (`rel="next"`), asked of this client's
        /// base URL with the same credentials. The stream ends after the last page, or with
        /// the first error.
        pub fn stream(self) -> rt::BoxStream<::std::result::Result<#item, rt::Error<#err_ty>>> {
            ::std::boxed::Box::pin(rt::paginate(
                self,
                |request: Self| request.send_with_response(),
                |request: &Self, page: rt::Response<#page_ty>| {
                    let following = rt::next_link_query(&page.headers).and_then(|query| {
                        let mut next = request.clone();
                        let mut moved = false;
                        #(#sets)*
                        // A link that changes nothing would ask for the same page again.
                        moved.then_some(next)
                    });
                    let items: ::std::vec::Vec<#item> = #items;
                    (items, following)
                },
            ))
        }
    }
}

fn stream_fn(api: &Api, op: &Operation, p: &Pagination, err_ty: &TokenStream) -> TokenStream {
    let item = rust_type(api, &p.item, At::Outside);
    let (_, page_ty) = {
        let (list, _) = op.successes();
        match list.first().and_then(|(_, c)| *c) {
            Some(c) => ((), content_type(api, c)),
            None => return quote!(),
        }
    };
    if let PaginationKind::Link { params } = &p.kind {
        return link_stream_fn(api, op, p, params, &item, &page_ty, err_ty);
    }
    let items = path_move(quote!(page), &p.items);
    let items_ref = path_ref(quote!(page), &p.items);
    let next = match &p.kind {
        PaginationKind::Link { .. } => unreachable!("handled above"),
        PaginationKind::Cursor { cursor, next } => {
            let param = &op.parameters[*cursor];
            let field = ident(&param.rust_name);
            let wire = &param.name;
            let link = path_ref(quote!(page), next);
            quote! {
                let link: ::std::option::Option<::std::string::String> = #link.cloned();
                let following = match link {
                    ::std::option::Option::Some(link) if !link.is_empty() => {
                        let cursor = rt::cursor_from_link(&link, #wire);
                        if request.#field.as_deref() == ::std::option::Option::Some(cursor.as_str()) {
                            ::std::option::Option::None
                        } else {
                            ::std::option::Option::Some(request.clone().#field(cursor))
                        }
                    }
                    _ => ::std::option::Option::None,
                };
            }
        }
        PaginationKind::Page {
            page,
            per_page,
            total,
        } => {
            let page_param = &op.parameters[*page];
            let page_field = ident(&page_param.rust_name);
            let current_v = to_i64(quote!(v), &page_param.ty.shape);
            let next_page = from_i64(api, quote!(current + 1), &page_param.ty.shape);
            let first = page_param
                .ty
                .default
                .as_ref()
                .and_then(|d| d.as_i64())
                .unwrap_or(1);
            let size = match per_page {
                Some(i) => {
                    let pp = &op.parameters[*i];
                    let f = ident(&pp.rust_name);
                    let v = to_i64(quote!(v), &pp.ty.shape);
                    match pp.ty.default.as_ref().and_then(|d| d.as_i64()) {
                        Some(d) => {
                            quote!(::std::option::Option::Some(request.#f.map_or(#d, |v| #v)))
                        }
                        None => quote!(request.#f.map(|v| #v)),
                    }
                }
                None => quote!(::std::option::Option::<i64>::None),
            };
            let total = match total {
                Some(steps) => {
                    let e = path_ref(quote!(page), steps);
                    let shape = total_shape(api, &op.responses, steps);
                    let t = to_i64(quote!(*t), &shape);
                    quote!(#e.map(|t| #t))
                }
                None => quote!(::std::option::Option::<i64>::None),
            };
            quote! {
                let total: ::std::option::Option<i64> = #total;
                                let current = request.#page_field.map_or(#first, |v| #current_v);
                let size: ::std::option::Option<i64> = #size;
                                let count = #items_ref.map_or(0, |items| items.len() as i64);
                let more = match (total, size) {
                    (::std::option::Option::Some(total), ::std::option::Option::Some(size)) => (current - #first + 1) * size < total,
                    (::std::option::Option::None, ::std::option::Option::Some(size)) => count >= size,
                    _ => count > 0,
                };
                                let following = more.then(|| request.clone().#page_field(#next_page));
            }
        }
    };
    quote! {
                /// Every item of every page, fetching pages as the stream is read. The stream ends
        /// after the last page, or with the first error.
        #[allow(clippy::redundant_closure, clippy::map_clone)]
        pub fn stream(self) -> rt::BoxStream<::std::result::Result<#item, rt::Error<#err_ty>>> {
            ::std::boxed::Box::pin(rt::paginate(
                self,
                |request: Self| request.send(),
                                |request: &Self, page: #page_ty| {
                    // Everything read by reference first: `items` moves out of `page`.
                    #next
                    let items: ::std::vec::Vec<#item> = #items.unwrap_or_default();
                                        (items, following)
                },
            ))
        }
    }
}
