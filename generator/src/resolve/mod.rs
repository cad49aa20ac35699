//! Resolution: a typed OpenAPI document → the API model ([`crate::ir`]).
//!
//! Follows every `$ref`, merges path-level and operation-level parameters, names every
//! operation, parameter and inline type (through [`crate::names`] only), checks what the
//! structure pass cannot (duplicate operationIds, path templates against declared
//! parameters, security requirements against schemes), and reports what it cannot express as
//! warnings or errors, never silently.

mod encoding;
mod errors;
mod pagination;
mod schema;

use std::collections::{HashMap, HashSet};

use openapiv3 as oa;
use openapiv3::ReferenceOr;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::diagnostics::Diagnostic;
use crate::ir::*;
use crate::names::{self, Scope};
use crate::pointer::join;
use crate::refs;

/// The vendor extension that marks a parameter as a client scope (see README).
pub const SCOPE_EXTENSION: &str = "x-openapi-gen-scope";

/// Pagination of an operation, as the spec says it rather than as detected.
pub const PAGINATION_EXTENSION: &str = "x-openapi-gen-pagination";

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
    /// The client's method names: its own, credential setters, scope setters, operations.
    fn_names: Scope,
    /// `x-openapi-gen-pagination` of each operation that has one: (operation pointer, value).
    pagination_overrides: Vec<(String, Value)>,
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
            fn_names: Scope::with_reserved(names::CLIENT_METHODS),
            pagination_overrides: Vec::new(),
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
            let pointer = crate::pointer::pointer(["components", "schemas", name]);
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
        let mut operations = self.operations(&security_schemes);
        self.mark_boxed();
        let scopes = self.scopes(&operations);

        let types: Vec<TypeDef> = std::mem::take(&mut self.types)
            .into_iter()
            .map(|t| t.expect("every reserved type is defined before resolution ends"))
            .collect();
        encoding::drop_unknown(&types, &mut operations, &mut self.diags);
        for op in &mut operations {
            op.pagination = match self
                .pagination_overrides
                .iter()
                .find(|(at, _)| *at == op.pointer)
            {
                Some((at, ext)) => pagination::configured(
                    &types,
                    op,
                    ext,
                    &join(at, PAGINATION_EXTENSION),
                    &mut self.diags,
                ),
                None => pagination::detect(&types, op),
            };
        }
        let mut api = Api {
            title: doc.info.title.clone(),
            version: doc.info.version.clone(),
            description: doc.info.description.clone(),
            module: names::snake_name(module),
            servers: doc.servers.iter().map(server).collect(),
            security_schemes,
            security,
            operations,
            types,
            scopes,
            fallback_error: Value::Null,
        };
        let templates: Vec<Value> = api
            .operations
            .iter()
            .map(|op| errors::template(&api, op))
            .collect();
        for (op, template) in api.operations.iter_mut().zip(templates) {
            op.error_template = template;
        }
        api.fallback_error = errors::fallback(&api);
        api
    }

    /// The client scopes, from the `x-openapi-gen-scope` parameters, in order of first use.
    fn scopes(&mut self, operations: &[Operation]) -> Vec<ClientScope> {
        let mut out: Vec<ClientScope> = Vec::new();
        for p in operations.iter().flat_map(|op| &op.parameters) {
            let Some(name) = &p.scope else { continue };
            if out.iter().any(|s| &s.name == name) {
                continue;
            }
            out.push(ClientScope {
                name: name.clone(),
                method: self
                    .fn_names
                    .claim(&names::snake_name(&format!("for {name}"))),
                param: p.name.clone(),
                arg: names::snake_name(&p.name),
                ty: p.ty.clone(),
            });
        }
        out
    }

    /// Deserializes the target of a local reference as `T`.
    fn follow<T: DeserializeOwned>(&mut self, target: &str, at: &str) -> Option<(String, T)> {
        let pointer = refs::normalize(target)?;
        let value = refs::lookup(self.raw, target)?;
        // Chains of references (`A: {$ref: B}`) end at a definition (checked earlier).
        if let Some(next) = value.get("$ref").and_then(Value::as_str) {
            return self.follow(next, at);
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
                let rust_name = self.fn_names.claim(&base);
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

        if let Some(ext) = op.extensions.get(PAGINATION_EXTENSION) {
            self.pagination_overrides
                .push((at.to_string(), ext.clone()));
        }
        let parameters = self.parameters(item, op, at, &path_at, &type_name);
        let segments = self.path_segments(path, &parameters, at, &path_at);

        let request_body = op.request_body.as_ref().and_then(|body| {
            let body_at = join(at, "requestBody");
            let (pointer, body) = self.item(body, &body_at)?;
            let mut variants = Scope::default();
            let contents = self.contents(&body.content, &join(&pointer, "content"), &format!("{type_name}Body"), None, &mut variants);
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
        let mut response_names = Scope::default();
        let mut content_names = Scope::default();
        for (i, (status, r, here)) in entries.into_iter().enumerate() {
            let Some((pointer, response)) = self.item(r, &here) else {
                continue;
            };
            let hint = if Some(i) == first_success {
                format!("{type_name}Response")
            } else {
                format!("{type_name}Response {status}")
            };
            let variant = response_names.claim(&match status {
                StatusCode::Code(c) => names::status_variant(c),
                StatusCode::Range(r) => format!("Status{r}xx"),
                StatusCode::Default => "Default".to_string(),
            });
            let contents = self.contents(
                &response.content,
                &join(&pointer, "content"),
                &hint,
                Some(&variant),
                &mut content_names,
            );
            let headers =
                self.response_headers(&response.headers, &join(&pointer, "headers"), &hint);
            responses.push(Response {
                status,
                variant,
                description: response.description,
                headers,
                contents,
            });
        }

        let security = op
            .security
            .as_ref()
            .map(|reqs| self.security_requirements(reqs, &join(at, "security"), schemes));
        let idempotency_key = parameters.iter().position(|p| {
            p.location == ParamLocation::Header && p.name.eq_ignore_ascii_case("idempotency-key")
        });

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
            pagination: None,
            idempotency_key,
            // Decided once every type is known (see `api`).
            error_template: Value::Null,
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

        // The builder's own methods and fields.
        let mut scope = Scope::with_reserved(&[
            "body",
            "send",
            "send_with_response",
            "stream",
            "timeout",
            "core",
            "into_future",
            "request",
            "execute",
        ]);
        let mut out = Vec::new();
        for (param, here) in resolved {
            let location = location_of(&param);
            let (style, explode, allow_reserved) = style_of(&param);
            let data = param.parameter_data();
            let base = names::snake_name(&data.name);
            let rust_name = if scope.contains(&base) {
                scope.claim(&names::snake_name(&format!(
                    "{} {}",
                    data.name,
                    location_name(location)
                )))
            } else {
                scope.claim(&base)
            };
            let hint = format!("{op_type} {}", data.name);
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
        response: Option<&str>,
        variants: &mut Scope,
    ) -> Vec<Content> {
        let mut out = Vec::new();
        let several = content.len() > 1;
        for (media_type, m) in content {
            let here = join(at, media_type);
            let kind = MediaKind::of(media_type);
            let ty = match (&m.schema, kind) {
                (_, MediaKind::Binary) => TypeRef::new(Shape::Bytes),
                (None, MediaKind::Text) => TypeRef::new(Shape::String(StringFormat::Plain)),
                (None, _) => TypeRef::new(Shape::Any),
                (Some(s), _) => self.schema(s, &join(&here, "schema"), hint),
            };
            let kind_word = match kind {
                MediaKind::Json => "Json",
                MediaKind::Form => "Form",
                MediaKind::Multipart => "Multipart",
                MediaKind::Text => "Text",
                MediaKind::Binary => "Binary",
            };
            let variant = variants.claim(&match response {
                Some(r) if several => format!("{r}{kind_word}"),
                Some(r) => r.to_string(),
                None => kind_word.to_string(),
            });
            // `encoding` applies to request bodies only (OpenAPI 3.0 §4.7.14).
            let encoding = match response {
                None => self.encoding(m, kind, &here),
                Some(_) => Vec::new(),
            };
            out.push(Content {
                media_type: media_type.clone(),
                variant,
                kind,
                ty,
                encoding,
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
        // `status` and `body` are fields of the server's response variants too.
        let mut scope = Scope::with_reserved(&["status", "body"]);
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
            let type_hint = format!("{hint} {name}");
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
    let segs = crate::pointer::segments(at);
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

#[cfg(test)]
mod tests {
    use crate::ir::*;

    fn api(yaml: &str) -> Api {
        match crate::pipeline::resolve_text(std::path::Path::new("test.yaml"), yaml, "test") {
            Ok(r) => r.api,
            Err(report) => panic!("{:#?}", report.diagnostics),
        }
    }

    fn spec(paths: &str, schemas: &str) -> String {
        format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n{paths}\ncomponents:\n  schemas:\n{schemas}\n")
    }

    fn named<'a>(api: &'a Api, name: &str) -> &'a TypeDef {
        api.types
            .iter()
            .find(|t| t.name == name)
            .unwrap_or_else(|| {
                panic!(
                    "no type {name}; have {:?}",
                    api.types.iter().map(|t| &t.name).collect::<Vec<_>>()
                )
            })
    }

    fn fields(def: &TypeDef) -> &[Field] {
        match &def.kind {
            TypeKind::Struct(s) => &s.fields,
            other => panic!("{} is not a struct: {other:?}", def.name),
        }
    }

    #[test]
    fn inline_schemas_are_named_from_where_they_stand() {
        let api = api(&spec(
            r#"  /subaccounts/summary:
    get:
      operationId: getSubaccountsSummary
      parameters:
        - {name: status, in: query, schema: {type: string, enum: [active, suspended]}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  results:
                    type: object
                    properties:
                      total: {type: integer}
                  errors:
                    type: array
                    items: {type: object, properties: {message: {type: string}}}
        '404':
          description: missing
          content:
            application/json:
              schema: {type: object, properties: {reason: {type: string}}}"#,
            "    Unused: {type: string}",
        ));
        let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Unused",
                "GetSubaccountsSummaryStatus",
                "GetSubaccountsSummaryResponse",
                "GetSubaccountsSummaryResponseResults",
                "GetSubaccountsSummaryResponseErrorsItem",
                "GetSubaccountsSummaryResponse404",
            ]
        );
        let results = named(&api, "GetSubaccountsSummaryResponseResults");
        assert_eq!(results.pointer, "#/paths/~1subaccounts~1summary/get/responses/200/content/application~1json/schema/properties/results");
    }

    #[test]
    fn keywords_and_collisions_get_distinct_rust_names() {
        let api = api(&spec(
            r#"  /items/{type}:
    get:
      operationId: new
      parameters:
        - {name: type, in: path, required: true, schema: {type: string}}
        - {name: type, in: query, schema: {type: string}}
        - {name: Type, in: header, schema: {type: string}}
      responses:
        '200': {description: ok}
  /other:
    get:
      operationId: new_
      responses:
        '200': {description: ok}"#,
            r#"    Self:
      type: object
      properties:
        self: {type: string}
        fooBar: {type: string}
        foo_bar: {type: string}
        "2fa": {type: boolean}
    self: {type: string}"#,
        ));
        let op = &api.operations[0];
        assert_eq!(op.rust_name, "new_2", "client method names are reserved");
        assert_eq!(api.operations[1].rust_name, "new_3");
        let names: Vec<&str> = op.parameters.iter().map(|p| p.rust_name.as_str()).collect();
        assert_eq!(names, ["type_", "type_query", "type_header"]);
        assert_eq!(named(&api, "Self_").name, "Self_");
        assert_eq!(named(&api, "Self2").pointer, "#/components/schemas/self");
        let f: Vec<(&str, &str)> = fields(named(&api, "Self_"))
            .iter()
            .map(|f| (f.name.as_str(), f.rust_name.as_str()))
            .collect();
        assert_eq!(
            f,
            [
                ("self", "self_"),
                ("fooBar", "foo_bar"),
                ("foo_bar", "foo_bar_2"),
                ("2fa", "_2fa")
            ]
        );
    }

    #[test]
    fn names_are_deterministic() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../specs/cakemail-partner.yaml"
        ))
        .unwrap();
        let a = crate::dump::render(&api(&text));
        for _ in 0..3 {
            assert_eq!(a, crate::dump::render(&api(&text)));
        }
    }

    #[test]
    fn recursive_types_are_boxed_only_on_the_cycle() {
        let api = api(&spec(
            "  {}",
            r#"    Node:
      type: object
      properties:
        value: {type: string}
        next: {$ref: '#/components/schemas/Node'}
        children: {type: array, items: {$ref: '#/components/schemas/Node'}}
        meta: {$ref: '#/components/schemas/Meta'}
    Meta:
      type: object
      properties:
        owner: {$ref: '#/components/schemas/Tree'}
    Tree:
      type: object
      properties:
        root: {$ref: '#/components/schemas/Meta'}"#,
        ));
        let boxed = |t: &str| -> Vec<(String, bool)> {
            fields(named(&api, t))
                .iter()
                .map(|f| (f.name.clone(), f.boxed))
                .collect()
        };
        assert_eq!(
            boxed("Node"),
            [
                ("value".into(), false),
                ("next".into(), true),
                ("children".into(), false),
                ("meta".into(), false)
            ]
        );
        assert_eq!(boxed("Meta"), [("owner".into(), true)]);
        assert_eq!(boxed("Tree"), [("root".into(), true)]);
    }

    #[test]
    fn all_of_merges_objects_and_passes_annotations_through() {
        let api = api(&spec(
            "  {}",
            r#"    Base:
      type: object
      required: [id]
      properties:
        id: {type: integer, format: int32}
        name: {type: string}
    Pet:
      allOf:
        - $ref: '#/components/schemas/Base'
        - type: object
          required: [name]
          properties:
            tag: {type: string}
    Slug:
      allOf:
        - {type: string, maxLength: 10}
        - {nullable: true, description: a slug}"#,
        ));
        let pet: Vec<(&str, bool)> = fields(named(&api, "Pet"))
            .iter()
            .map(|f| (f.name.as_str(), f.required))
            .collect();
        assert_eq!(pet, [("id", true), ("name", false), ("tag", false)]);
        match &named(&api, "Slug").kind {
            TypeKind::Alias(t) => {
                assert_eq!(t.shape, Shape::String(StringFormat::Plain));
                assert!(t.nullable);
                assert_eq!(t.constraints.max_length, Some(10));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn discriminated_unions_keep_their_mapping() {
        let api = api(&spec(
            "  {}",
            r#"    Cat: {type: object, properties: {kind: {type: string}, lives: {type: integer}}}
    Dog: {type: object, properties: {kind: {type: string}, barks: {type: boolean}}}
    Lizard: {type: object, properties: {kind: {type: string}}}
    Pet:
      oneOf:
        - $ref: '#/components/schemas/Cat'
        - $ref: '#/components/schemas/Dog'
        - $ref: '#/components/schemas/Lizard'
      discriminator:
        propertyName: kind
        mapping:
          cat: '#/components/schemas/Cat'
          doggo: Dog
          dog: '#/components/schemas/Dog'
    Plain:
      anyOf:
        - {type: string}
        - {type: integer}"#,
        ));
        let TypeKind::Union(pet) = &named(&api, "Pet").kind else {
            panic!()
        };
        assert_eq!(pet.discriminator.as_deref(), Some("kind"));
        let tags: Vec<(&str, Vec<&str>)> = pet
            .variants
            .iter()
            .map(|v| {
                (
                    v.rust_name.as_str(),
                    v.tags.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            tags,
            [
                ("Cat", vec!["cat"]),
                ("Dog", vec!["doggo", "dog"]),
                ("Lizard", vec!["Lizard"])
            ]
        );
        let TypeKind::Union(plain) = &named(&api, "Plain").kind else {
            panic!()
        };
        assert!(plain.any_of && plain.discriminator.is_none());
        let names: Vec<&str> = plain
            .variants
            .iter()
            .map(|v| v.rust_name.as_str())
            .collect();
        assert_eq!(names, ["String", "Integer"]);
    }

    #[test]
    fn operations_without_id_and_merged_parameters() {
        let api = api(&spec(
            r#"  /accounts/{account_id}/items:
    parameters:
      - {name: account_id, in: path, required: true, schema: {type: integer}}
      - {name: limit, in: query, schema: {type: integer}, description: path level}
    get:
      parameters:
        - {name: limit, in: query, schema: {type: integer, maximum: 10}, description: operation level}
        - {name: tags, in: query, style: form, explode: false, schema: {type: array, items: {type: string}}}
        - {name: X-Trace, in: header, schema: {type: string}}
      responses:
        '200': {description: ok}
        '4XX': {description: client error}
        default: {description: other}"#,
            "    Unused: {type: string}",
        ));
        let op = &api.operations[0];
        assert_eq!(op.operation_id, None);
        assert_eq!(op.rust_name, "get_accounts_by_account_id_items");
        assert_eq!(op.type_name, "GetAccountsByAccountIdItems");
        let params: Vec<(&str, ParamLocation, bool, Option<&str>)> = op
            .parameters
            .iter()
            .map(|p| {
                (
                    p.rust_name.as_str(),
                    p.location,
                    p.explode,
                    p.description.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            params,
            [
                ("account_id", ParamLocation::Path, false, None),
                ("limit", ParamLocation::Query, true, Some("operation level")),
                ("tags", ParamLocation::Query, false, None),
                ("x_trace", ParamLocation::Header, false, None),
            ]
        );
        assert_eq!(
            op.segments,
            [
                PathSegment::Literal("/accounts/".into()),
                PathSegment::Param(0),
                PathSegment::Literal("/items".into())
            ]
        );
        let statuses: Vec<String> = op.responses.iter().map(|r| r.status.to_string()).collect();
        assert_eq!(statuses, ["200", "4XX", "default"]);
    }

    #[test]
    fn media_types_security_and_scope() {
        let api = api(r#"openapi: 3.0.3
info: {title: t, version: '1'}
security: [{key: []}]
paths:
  /upload:
    post:
      operationId: upload
      security: [{}, {oauth: [write]}]
      parameters:
        - {name: account_id, in: query, schema: {type: integer}, x-openapi-gen-scope: account}
      requestBody:
        content:
          multipart/form-data:
            schema: {type: object, properties: {file: {type: string, format: binary}}}
          application/x-www-form-urlencoded:
            schema: {type: object, properties: {name: {type: string}}}
      responses:
        '200':
          description: ok
          headers:
            X-Request-Id: {schema: {type: string}, required: true}
          content:
            application/problem+json: {schema: {type: object}}
            text/csv: {}
            application/pdf: {}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: Authorization}
    oauth:
      type: oauth2
      flows: {clientCredentials: {tokenUrl: 'https://x/token', scopes: {write: writes}}}
"#);
        let op = &api.operations[0];
        assert_eq!(op.parameters[0].scope.as_deref(), Some("account"));
        let body: Vec<MediaKind> = op
            .request_body
            .as_ref()
            .unwrap()
            .contents
            .iter()
            .map(|c| c.kind)
            .collect();
        assert_eq!(body, [MediaKind::Multipart, MediaKind::Form]);
        let response: Vec<(MediaKind, &Shape)> = op.responses[0]
            .contents
            .iter()
            .map(|c| (c.kind, &c.ty.shape))
            .collect();
        assert_eq!(response[0].0, MediaKind::Json);
        assert_eq!(
            response[1],
            (MediaKind::Text, &Shape::String(StringFormat::Plain))
        );
        assert_eq!(response[2], (MediaKind::Binary, &Shape::Bytes));
        assert_eq!(op.responses[0].headers[0].rust_name, "x_request_id");
        let sec = op.security.as_ref().unwrap();
        assert!(sec[0].schemes.is_empty());
        assert_eq!(
            sec[1].schemes,
            [("oauth".to_string(), vec!["write".to_string()])]
        );
        assert_eq!(api.security[0].schemes[0].0, "key");
        assert!(
            matches!(api.security_schemes[1].kind, SecurityKind::OAuth2 { ref flows } if flows[0].token_url.as_deref() == Some("https://x/token"))
        );
    }

    #[test]
    fn media_kinds() {
        for (media, kind) in [
            ("application/json", MediaKind::Json),
            ("application/json; charset=utf-8", MediaKind::Json),
            ("application/vnd.github.v3+json", MediaKind::Json),
            ("application/x-www-form-urlencoded", MediaKind::Form),
            ("multipart/form-data", MediaKind::Multipart),
            ("text/plain", MediaKind::Text),
            ("application/xml", MediaKind::Text),
            ("application/octet-stream", MediaKind::Binary),
            ("image/png", MediaKind::Binary),
            ("*/*", MediaKind::Binary),
        ] {
            assert_eq!(MediaKind::of(media), kind, "{media}");
        }
    }
}
