//! Resolution: a typed OpenAPI document → the API model ([`crate::ir`]).
//!
//! Follows every `$ref`, merges path-level and operation-level parameters, names every
//! operation, parameter and inline type (through [`crate::names`] only), checks what the
//! structure pass cannot (duplicate operationIds, path templates against declared
//! parameters, security requirements against schemes), and reports what it cannot express as
//! warnings or errors, never silently.

mod schema;

use std::collections::{HashMap, HashSet};

use openapiv3 as oa;
use openapiv3::ReferenceOr;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::diagnostics::{join, Diagnostic};
use crate::ir::*;
use crate::names::{self, Scope};
use crate::refs;

/// The vendor extension that marks a parameter as a client scope (see README).
pub const SCOPE_EXTENSION: &str = "x-openapi-gen-scope";

/// Resolves a checked document. `raw` is the same document as JSON, for references that
/// point outside `components`. Returns the model when there are no errors; the diagnostics
/// (warnings, and errors if any) either way.
pub fn resolve(doc: &oa::OpenAPI, raw: &Value, module: &str) -> (Option<Api>, Vec<Diagnostic>) {
    let mut r = Resolver::new(doc, raw);
    let api = r.api(module);
    let failed = r.diags.iter().any(Diagnostic::is_error);
    (if failed { None } else { Some(api) }, r.diags)
}

pub(crate) struct Resolver<'a> {
    doc: &'a oa::OpenAPI,
    raw: &'a Value,
    pub(crate) diags: Vec<Diagnostic>,
    /// Named types; `None` while a slot is reserved but not yet defined.
    types: Vec<Option<TypeDef>>,
    /// Named types by the normalized pointer of the schema they come from.
    by_pointer: HashMap<String, TypeId>,
    type_names: Scope,
    /// Schemas being merged through `allOf`, to detect cycles.
    merging: Vec<String>,
}

impl<'a> Resolver<'a> {
    fn new(doc: &'a oa::OpenAPI, raw: &'a Value) -> Self {
        Resolver {
            doc,
            raw,
            diags: Vec::new(),
            types: Vec::new(),
            by_pointer: HashMap::new(),
            type_names: Scope::default(),
            merging: Vec::new(),
        }
    }

    fn api(&mut self, module: &str) -> Api {
        let doc = self.doc;
        // Component schemas claim their names first, in document order, so that they keep
        // the names the spec gives them and inline types yield on collision.
        let components: Vec<(String, &ReferenceOr<oa::Schema>)> = doc
            .components
            .iter()
            .flat_map(|c| c.schemas.iter())
            .map(|(name, s)| (name.clone(), s))
            .collect();
        let mut slots = Vec::with_capacity(components.len());
        for (name, _) in &components {
            let pointer = crate::diagnostics::pointer(["components", "schemas", name]);
            let id = self.reserve(&names::type_name(name), &pointer);
            slots.push((id, pointer));
        }
        for ((_, schema), (id, pointer)) in components.iter().zip(slots) {
            self.define_component(id, schema, &pointer);
        }

        let security_schemes = self.security_schemes();
        let security = doc
            .security
            .as_ref()
            .map(|reqs| self.security_requirements(reqs, "#/security", &security_schemes))
            .unwrap_or_default();
        let operations = self.operations(&security_schemes);
        self.mark_boxed();

        let types = std::mem::take(&mut self.types)
            .into_iter()
            .map(|t| t.expect("every reserved type is defined before resolution ends"))
            .collect();
        Api {
            title: doc.info.title.clone(),
            version: doc.info.version.clone(),
            description: doc.info.description.clone(),
            module: names::snake_name(module),
            servers: doc.servers.iter().map(server).collect(),
            security_schemes,
            security,
            operations,
            types,
        }
    }

    /// Deserializes the target of a local reference as `T`.
    fn follow<T: DeserializeOwned>(&mut self, target: &str, at: &str) -> Option<(String, T)> {
        let pointer = refs::normalize(target)?;
        let value = refs::lookup(self.raw, target)?;
        // Chains of references (`A: {$ref: B}`) end at a definition (checked earlier).
        if let Some(next) = value.get("$ref").and_then(Value::as_str) {
            return self.follow(&next.to_string(), at);
        }
        match serde_json::from_value::<T>(value.clone()) {
            Ok(t) => Some((pointer, t)),
            Err(e) => {
                self.diags.push(Diagnostic::error(
                    at,
                    format!(
                        "reference \"{target}\" points at something that is not valid here: {e}"
                    ),
                ));
                None
            }
        }
    }

    fn item<T: DeserializeOwned + Clone>(
        &mut self,
        r: &ReferenceOr<T>,
        at: &str,
    ) -> Option<(String, T)> {
        match r {
            ReferenceOr::Item(t) => Some((at.to_string(), t.clone())),
            ReferenceOr::Reference { reference } => self.follow(reference, &join(at, "$ref")),
        }
    }

    fn security_schemes(&mut self) -> Vec<SecurityScheme> {
        let doc = self.doc;
        let mut scope = Scope::default();
        let mut out = Vec::new();
        for (key, scheme) in doc
            .components
            .iter()
            .flat_map(|c| c.security_schemes.iter())
        {
            let at = crate::diagnostics::pointer(["components", "securitySchemes", key]);
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
            out.push(SecurityScheme {
                key: key.clone(),
                rust_name: scope.claim(&names::snake_name(key)),
                description,
                kind,
            });
        }
        out
    }

    fn security_requirements(
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

    fn operations(&mut self, schemes: &[SecurityScheme]) -> Vec<Operation> {
        let doc = self.doc;
        let mut fn_names = Scope::with_reserved(names::CLIENT_METHODS);
        let mut op_types = Scope::default();
        let mut seen_ids: HashMap<String, String> = HashMap::new();
        let mut out = Vec::new();
        for (path, item) in doc.paths.iter() {
            let path_at = join("#/paths", path);
            let ReferenceOr::Item(item) = item else {
                continue;
            };
            for (method, op) in item.iter() {
                let at = join(&path_at, method);
                if let Some(id) = &op.operation_id {
                    if let Some(first) = seen_ids.get(id) {
                        self.diags.push(Diagnostic::error(
                            join(&at, "operationId"),
                            format!("duplicate operationId \"{id}\": also used at {first}"),
                        ));
                        continue;
                    }
                    seen_ids.insert(id.clone(), at.clone());
                }
                let base = match &op.operation_id {
                    Some(id) => names::snake_name(id),
                    None => names::operation_name_from_path(method, path),
                };
                let rust_name = fn_names.claim(&base);
                let type_name = op_types.claim(&names::type_name(&rust_name));
                if let Some(op) = self.operation(OperationSite {
                    path,
                    method,
                    item,
                    op,
                    at: &at,
                    rust_name,
                    type_name,
                    schemes,
                }) {
                    out.push(op);
                }
            }
        }
        out
    }

    fn operation(&mut self, site: OperationSite<'_>) -> Option<Operation> {
        let OperationSite {
            path,
            method,
            item,
            op,
            at,
            rust_name,
            type_name,
            schemes,
        } = site;
        let path_at = join("#/paths", path);
        if !op.callbacks.is_empty() {
            self.diags.push(Diagnostic::warning(
                join(at, "callbacks"),
                "callbacks are not generated: the client and server cover this operation's own request and response only",
            ));
        }
        if !op.servers.is_empty() || !item.servers.is_empty() {
            let where_ = if op.servers.is_empty() {
                join(&path_at, "servers")
            } else {
                join(at, "servers")
            };
            self.diags.push(Diagnostic::warning(
                where_,
                "servers given for one path or operation are not used: requests go to the client's base URL",
            ));
        }

        let parameters = self.parameters(item, op, at, &path_at, &type_name);
        let segments = self.path_segments(path, &parameters, at, &path_at);

        let request_body = op.request_body.as_ref().and_then(|body| {
            let body_at = join(at, "requestBody");
            let (pointer, body) = self.item(body, &body_at)?;
            let contents = self.contents(&body.content, &join(&pointer, "content"), &format!("{type_name}Body"));
            if contents.is_empty() {
                self.diags.push(Diagnostic::warning(&body_at, "the request body documents no media type; the operation is generated without a body"));
                return None;
            }
            Some(RequestBody { required: body.required, description: body.description, contents })
        });

        let mut responses = Vec::new();
        let resp_at = join(at, "responses");
        let mut entries: Vec<(StatusCode, &ReferenceOr<oa::Response>, String)> = op
            .responses
            .responses
            .iter()
            .map(|(code, r)| {
                let status = match code {
                    oa::StatusCode::Code(c) => StatusCode::Code(*c),
                    oa::StatusCode::Range(r) => StatusCode::Range(*r as u8),
                };
                (status, r, join(&resp_at, code.to_string()))
            })
            .collect();
        if let Some(d) = &op.responses.default {
            entries.push((StatusCode::Default, d, join(&resp_at, "default")));
        }
        let first_success = entries.iter().position(|(s, ..)| s.is_success());
        for (i, (status, r, here)) in entries.into_iter().enumerate() {
            let Some((pointer, response)) = self.item(r, &here) else {
                continue;
            };
            let hint = if Some(i) == first_success {
                format!("{type_name}Response")
            } else {
                format!(
                    "{type_name}Response{}",
                    names::type_name(&status.to_string())
                )
            };
            let contents = self.contents(&response.content, &join(&pointer, "content"), &hint);
            let headers =
                self.response_headers(&response.headers, &join(&pointer, "headers"), &hint);
            responses.push(Response {
                status,
                description: response.description,
                headers,
                contents,
            });
        }

        let security = op
            .security
            .as_ref()
            .map(|reqs| self.security_requirements(reqs, &join(at, "security"), schemes));

        Some(Operation {
            operation_id: op.operation_id.clone(),
            rust_name,
            type_name,
            method: Method::parse(method)?,
            path: path.to_string(),
            segments,
            summary: op.summary.clone(),
            description: op.description.clone(),
            tags: op.tags.clone(),
            deprecated: op.deprecated,
            parameters,
            request_body,
            responses,
            security,
            pointer: at.to_string(),
        })
    }

    /// Path-level parameters, overridden by operation-level ones with the same name and
    /// location, in spec order.
    fn parameters(
        &mut self,
        item: &oa::PathItem,
        op: &oa::Operation,
        at: &str,
        path_at: &str,
        op_type: &str,
    ) -> Vec<Parameter> {
        let mut resolved: Vec<(oa::Parameter, String)> = Vec::new();
        let sources = item
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (p, join(&join(path_at, "parameters"), i.to_string())))
            .chain(
                op.parameters
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (p, join(&join(at, "parameters"), i.to_string()))),
            );
        let mut from_operation = HashSet::new();
        for (p, here) in sources {
            let Some((_, param)) = self.item(p, &here) else {
                continue;
            };
            let is_op_level = here.starts_with(at) && here[at.len()..].starts_with("/parameters");
            let key = (param.parameter_data_ref().name.clone(), location_of(&param));
            if let Some(existing) = resolved
                .iter()
                .position(|(q, _)| (q.parameter_data_ref().name.clone(), location_of(q)) == key)
            {
                if is_op_level && !from_operation.contains(&key) {
                    resolved[existing] = (param, here);
                    from_operation.insert(key);
                } else {
                    self.diags.push(Diagnostic::error(
                        here,
                        format!(
                            "parameter \"{}\" in {} is declared twice",
                            key.0,
                            location_name(key.1)
                        ),
                    ));
                }
                continue;
            }
            if is_op_level {
                from_operation.insert(key);
            }
            resolved.push((param, here));
        }

        let mut scope = Scope::with_reserved(&["body", "send"]);
        let mut out = Vec::new();
        for (param, here) in resolved {
            let location = location_of(&param);
            let (style, explode, allow_reserved) = style_of(&param);
            let data = param.parameter_data();
            let base = names::snake_name(&data.name);
            let rust_name = if scope.contains(&base) {
                scope.claim(&format!("{base}_{}", location_name(location)))
            } else {
                scope.claim(&base)
            };
            let hint = format!("{op_type}{}", names::type_name(&data.name));
            let ty = match &data.format {
                oa::ParameterSchemaOrContent::Schema(s) => {
                    self.schema(s, &join(&here, "schema"), &hint)
                }
                oa::ParameterSchemaOrContent::Content(content) => {
                    self.diags.push(Diagnostic::warning(
                        join(&here, "content"),
                        "a parameter given by `content` is passed as its schema's type; the media type's encoding is not applied",
                    ));
                    match content.iter().next() {
                        Some((media, m)) => match &m.schema {
                            Some(s) => self.schema(
                                s,
                                &join(&join(&join(&here, "content"), media), "schema"),
                                &hint,
                            ),
                            None => TypeRef::new(Shape::String(StringFormat::Plain)),
                        },
                        None => TypeRef::new(Shape::String(StringFormat::Plain)),
                    }
                }
            };
            let scope_ext = match data.extensions.get(SCOPE_EXTENSION) {
                None => None,
                Some(Value::String(s)) if !s.is_empty() => Some(names::snake_name(s)),
                Some(other) => {
                    self.diags.push(Diagnostic::error(
                        join(&here, SCOPE_EXTENSION),
                        format!("`{SCOPE_EXTENSION}` must be a non-empty string naming the scope (e.g. \"account\"), found {}", crate::structure::kind_of(other)),
                    ));
                    None
                }
            };
            out.push(Parameter {
                name: data.name,
                rust_name,
                location,
                required: data.required || location == ParamLocation::Path,
                deprecated: data.deprecated.unwrap_or(false),
                description: data.description,
                ty,
                style,
                explode,
                allow_reserved,
                scope: scope_ext,
                pointer: here,
            });
        }
        out
    }

    /// Splits the path template and checks it against the declared path parameters.
    fn path_segments(
        &mut self,
        path: &str,
        params: &[Parameter],
        at: &str,
        path_at: &str,
    ) -> Vec<PathSegment> {
        let mut segments = Vec::new();
        let mut used = HashSet::new();
        let mut rest = path;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                segments.push(PathSegment::Literal(rest[..open].to_string()));
            }
            let Some(close) = rest[open..].find('}') else {
                self.diags.push(Diagnostic::error(
                    path_at,
                    format!("path \"{path}\" has an unclosed `{{`"),
                ));
                return segments;
            };
            let name = &rest[open + 1..open + close];
            match params.iter().position(|p| p.location == ParamLocation::Path && p.name == name) {
                Some(i) => {
                    used.insert(i);
                    segments.push(PathSegment::Param(i));
                }
                None => self.diags.push(Diagnostic::error(
                    path_at,
                    format!("path template parameter `{{{name}}}` is not declared as a path parameter of {}", describe_op(at)),
                )),
            }
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            segments.push(PathSegment::Literal(rest.to_string()));
        }
        for (i, p) in params.iter().enumerate() {
            if p.location == ParamLocation::Path && !used.contains(&i) {
                self.diags.push(Diagnostic::error(
                    &p.pointer,
                    format!(
                        "path parameter \"{}\" does not appear in the path template \"{path}\"",
                        p.name
                    ),
                ));
            }
        }
        segments
    }

    fn contents(
        &mut self,
        content: &indexmap::IndexMap<String, oa::MediaType>,
        at: &str,
        hint: &str,
    ) -> Vec<Content> {
        let mut out = Vec::new();
        for (media_type, m) in content {
            let here = join(at, media_type);
            let kind = MediaKind::of(media_type);
            let ty = match (&m.schema, kind) {
                (_, MediaKind::Binary) => TypeRef::new(Shape::Bytes),
                (None, MediaKind::Text) => TypeRef::new(Shape::String(StringFormat::Plain)),
                (None, _) => TypeRef::new(Shape::Any),
                (Some(s), _) => self.schema(s, &join(&here, "schema"), hint),
            };
            out.push(Content {
                media_type: media_type.clone(),
                kind,
                ty,
            });
        }
        out
    }

    fn response_headers(
        &mut self,
        headers: &indexmap::IndexMap<String, ReferenceOr<oa::Header>>,
        at: &str,
        hint: &str,
    ) -> Vec<ResponseHeader> {
        let mut scope = Scope::default();
        let mut out = Vec::new();
        for (name, h) in headers {
            // Content-Type is described by the media types, not a header of its own.
            if name.eq_ignore_ascii_case("content-type") {
                continue;
            }
            let here = join(at, name);
            let Some((pointer, header)) = self.item(h, &here) else {
                continue;
            };
            let type_hint = format!("{hint}{}", names::type_name(name));
            let ty = match &header.format {
                oa::ParameterSchemaOrContent::Schema(s) => {
                    self.schema(s, &join(&pointer, "schema"), &type_hint)
                }
                oa::ParameterSchemaOrContent::Content(_) => {
                    TypeRef::new(Shape::String(StringFormat::Plain))
                }
            };
            out.push(ResponseHeader {
                name: name.clone(),
                rust_name: scope.claim(&names::snake_name(name)),
                required: header.required,
                description: header.description,
                ty,
            });
        }
        out
    }
}

struct OperationSite<'o> {
    path: &'o str,
    method: &'o str,
    item: &'o oa::PathItem,
    op: &'o oa::Operation,
    at: &'o str,
    rust_name: String,
    type_name: String,
    schemes: &'o [SecurityScheme],
}

fn describe_op(at: &str) -> String {
    let segs = crate::diagnostics::segments(at);
    match segs.as_slice() {
        [_, path, method] => format!("{} {path}", method.to_uppercase()),
        _ => at.to_string(),
    }
}

fn location_of(p: &oa::Parameter) -> ParamLocation {
    match p {
        oa::Parameter::Query { .. } => ParamLocation::Query,
        oa::Parameter::Header { .. } => ParamLocation::Header,
        oa::Parameter::Path { .. } => ParamLocation::Path,
        oa::Parameter::Cookie { .. } => ParamLocation::Cookie,
    }
}

fn location_name(l: ParamLocation) -> &'static str {
    match l {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

/// Style, explode and allowReserved, with the defaults of OpenAPI 3.0 §4.7.12.
fn style_of(p: &oa::Parameter) -> (ParamStyle, bool, bool) {
    let explicit = p.parameter_data_ref().explode;
    let (style, allow_reserved) = match p {
        oa::Parameter::Query {
            style,
            allow_reserved,
            ..
        } => (
            match style {
                oa::QueryStyle::Form => ParamStyle::Form,
                oa::QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
                oa::QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
                oa::QueryStyle::DeepObject => ParamStyle::DeepObject,
            },
            *allow_reserved,
        ),
        oa::Parameter::Path { style, .. } => (
            match style {
                oa::PathStyle::Simple => ParamStyle::Simple,
                oa::PathStyle::Label => ParamStyle::Label,
                oa::PathStyle::Matrix => ParamStyle::Matrix,
            },
            false,
        ),
        oa::Parameter::Header { .. } => (ParamStyle::Simple, false),
        oa::Parameter::Cookie { .. } => (ParamStyle::Form, false),
    };
    (
        style,
        explicit.unwrap_or(style == ParamStyle::Form),
        allow_reserved,
    )
}

fn server(s: &oa::Server) -> Server {
    Server {
        url: s.url.clone(),
        description: s.description.clone(),
        variables: s
            .variables
            .iter()
            .flatten()
            .map(|(name, v)| ServerVariable {
                name: name.clone(),
                default: v.default.clone(),
                allowed: v.enumeration.clone(),
                description: v.description.clone(),
            })
            .collect(),
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
