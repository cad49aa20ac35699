//! Security schemes (with their OAuth2 flows) and security requirements.

use openapiv3 as oa;

use super::Resolver;
use crate::diagnostics::Diagnostic;
use crate::ir::*;
use crate::names::{self, Scope};
use crate::pointer::join;

impl Resolver<'_> {
    pub(super) fn security_schemes(&mut self) -> Vec<SecurityScheme> {
        let doc = self.doc;
        let mut scope = Scope::default();
        let mut out = Vec::new();
        for (key, scheme) in doc
            .components
            .iter()
            .flat_map(|c| c.security_schemes.iter())
        {
            let at = crate::pointer::pointer(["components", "securitySchemes", key]);
            let Some((_, scheme)) = self.item(scheme, &at) else {
                continue;
            };
            let (description, kind) = match scheme {
                oa::SecurityScheme::APIKey {
                    location,
                    name,
                    description,
                    ..
                } => (
                    description,
                    SecurityKind::ApiKey {
                        location: match location {
                            oa::APIKeyLocation::Header => ApiKeyLocation::Header,
                            oa::APIKeyLocation::Query => ApiKeyLocation::Query,
                            oa::APIKeyLocation::Cookie => ApiKeyLocation::Cookie,
                        },
                        name,
                    },
                ),
                oa::SecurityScheme::HTTP {
                    scheme,
                    bearer_format,
                    description,
                    ..
                } => {
                    let kind = match scheme.to_ascii_lowercase().as_str() {
                        "bearer" => SecurityKind::Bearer {
                            format: bearer_format,
                        },
                        "basic" => SecurityKind::Basic,
                        _ => SecurityKind::OtherHttp { scheme },
                    };
                    (description, kind)
                }
                oa::SecurityScheme::OAuth2 {
                    flows, description, ..
                } => (
                    description,
                    SecurityKind::OAuth2 {
                        flows: oauth_flows(&flows),
                    },
                ),
                oa::SecurityScheme::OpenIDConnect {
                    open_id_connect_url,
                    description,
                    ..
                } => (
                    description,
                    SecurityKind::OpenIdConnect {
                        url: open_id_connect_url,
                    },
                ),
            };
            let rust_name = scope.claim(&names::snake_name(key));
            let setter = self
                .fn_names
                .claim(&names::snake_name(&format!("with {rust_name}")));
            let client_credentials = match &kind {
                SecurityKind::OAuth2 { flows } => flows
                    .iter()
                    .find(|f| f.kind == "clientCredentials")
                    .and_then(|f| f.token_url.clone())
                    .filter(|url| !url.is_empty())
                    .map(|url| {
                        let method = self.fn_names.claim(&names::snake_name(&format!(
                            "with {rust_name} client credentials"
                        )));
                        (method, url)
                    }),
                _ => None,
            };
            out.push(SecurityScheme {
                key: key.clone(),
                rust_name,
                setter,
                description,
                kind,
                client_credentials,
            });
        }
        out
    }

    pub(super) fn security_requirements(
        &mut self,
        reqs: &[oa::SecurityRequirement],
        at: &str,
        schemes: &[SecurityScheme],
    ) -> Vec<SecurityRequirement> {
        let mut out = Vec::new();
        for (i, req) in reqs.iter().enumerate() {
            let mut entry = Vec::new();
            for (key, scopes) in req {
                if !schemes.iter().any(|s| &s.key == key) {
                    self.diags.push(Diagnostic::error(
                        join(&join(at, i.to_string()), key),
                        format!("security requirement names \"{key}\", which is not in components/securitySchemes"),
                    ));
                    continue;
                }
                entry.push((key.clone(), scopes.clone()));
            }
            out.push(SecurityRequirement { schemes: entry });
        }
        out
    }
}

fn oauth_flows(flows: &oa::OAuth2Flows) -> Vec<OAuthFlow> {
    let scopes = |s: &indexmap::IndexMap<String, String>| {
        s.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    };
    let mut out = Vec::new();
    if let Some(f) = &flows.implicit {
        out.push(OAuthFlow {
            kind: "implicit".into(),
            authorization_url: Some(f.authorization_url.clone()),
            token_url: None,
            refresh_url: f.refresh_url.clone(),
            scopes: scopes(&f.scopes),
        });
    }
    if let Some(f) = &flows.password {
        out.push(OAuthFlow {
            kind: "password".into(),
            authorization_url: None,
            token_url: Some(f.token_url.clone()),
            refresh_url: f.refresh_url.clone(),
            scopes: scopes(&f.scopes),
        });
    }
    if let Some(f) = &flows.client_credentials {
        out.push(OAuthFlow {
            kind: "clientCredentials".into(),
            authorization_url: None,
            token_url: Some(f.token_url.clone()),
            refresh_url: f.refresh_url.clone(),
            scopes: scopes(&f.scopes),
        });
    }
    if let Some(f) = &flows.authorization_code {
        out.push(OAuthFlow {
            kind: "authorizationCode".into(),
            authorization_url: Some(f.authorization_url.clone()),
            token_url: Some(f.token_url.clone()),
            refresh_url: f.refresh_url.clone(),
            scopes: scopes(&f.scopes),
        });
    }
    out
}
