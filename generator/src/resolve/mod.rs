//! Resolution: a typed OpenAPI document → the API model ([`crate::ir`]).
//!
//! Follows every `$ref`, merges path-level and operation-level parameters, names every
//! operation, parameter and inline type (through [`crate::names`] only), checks what the
//! structure pass cannot (duplicate operationIds, path templates against declared
//! parameters, security requirements against schemes), and reports what it cannot express as
//! warnings or errors, never silently.

mod all_of;
mod choices;
mod cycles;
mod dedupe;
mod encoding;
mod errors;
mod objects;
mod pagination;
mod params;
mod schema;
mod security;
mod streams;
mod webhooks;

use std::collections::HashMap;

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
/// The data that ends a streamed response (`x-openapi-gen-stream-end: "[DONE]"`, or `false`).
pub const STREAM_END_EXTENSION: &str = "x-openapi-gen-stream-end";

/// The extension that scopes a client to a parameter's value (`x-openapi-gen-scope: account`): see [`ir::Parameter::scope`](crate::ir::Parameter::scope).
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
    /// Named types whose schema allows `null` (`nullable: true`, `type: [object, "null"]`):
    /// every use of them is nullable, a `$ref` to them too.
    nullable_types: std::collections::BTreeSet<TypeId>,
}

impl<'a> Resolver<'a> {
    fn new(doc: &'a oa::OpenAPI, raw: &'a Value) -> Self {
        Resolver {
            doc,
            raw,
            diags: Vec::new(),
            types: Vec::new(),
            by_pointer: HashMap::new(),
            type_names: Scope::with_reserved(names::PRELUDE),
            merging: Vec::new(),
            fn_names: Scope::with_reserved(names::CLIENT_METHODS),
            pagination_overrides: Vec::new(),
            nullable_types: Default::default(),
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
        let scopes = self.scopes(&operations);
        let webhooks = self.webhooks(&security_schemes);

        let types: Vec<TypeDef> = std::mem::take(&mut self.types)
            .into_iter()
            .map(|t| t.expect("every reserved type is defined before resolution ends"))
            .collect();
        encoding::positional(&types, &mut operations);
        encoding::drop_unknown(&types, &mut operations, &mut self.diags);
        let mut webhooks = webhooks;
        encoding::positional(&types, &mut webhooks);
        encoding::drop_unknown(&types, &mut webhooks, &mut self.diags);
        for op in &mut operations {
            op.stream_switch = streams::switch(&types, op);
            if op.sequential_success().is_some() {
                // Its `.stream()` is the stream of items, not of pages.
                continue;
            }
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
            webhooks,
            webhook_tag: None,
            types,
            scopes,
            fallback_error: Value::Null,
            header_sets: Vec::new(),
        };
        mark_nullable_uses(&mut api, &self.nullable_types);
        choices::mark_tags(&mut api.types);
        dedupe::merge(&mut api);
        cycles::mark_boxed(&mut api.types);
        api.webhook_tag = webhooks::tag(&api);
        // Every operation's error shape, webhooks' too (their receivers refuse in it).
        let templates: Vec<Value> = api
            .operations
            .iter()
            .chain(&api.webhooks)
            .map(|op| errors::template(&api, op))
            .collect();
        let all = api.operations.iter_mut().chain(&mut api.webhooks);
        for (op, template) in all.zip(templates) {
            op.error_template = template;
        }
        api.fallback_error = errors::fallback(&api);
        api.header_sets = header_sets(&mut api.operations, &api.types);
        name_op_items(&mut api);
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

    fn operations(&mut self, schemes: &[SecurityScheme]) -> Vec<Operation> {
        let doc = self.doc;
        let mut op_types = Scope::with_reserved(names::PRELUDE);
        // Where each operationId is used: one used twice names none of its operations,
        // which are named from their method and path instead (as if they had no id).
        let mut uses: HashMap<String, Vec<String>> = HashMap::new();
        for (path, item) in doc.paths.iter() {
            if let ReferenceOr::Item(item) = item {
                // (What is refused is reported below, once.)
                for (_, at, op) in methods_of(item, &join("#/paths", path), &mut Vec::new()) {
                    if let Some(id) = &op.operation_id {
                        uses.entry(id.clone()).or_default().push(at);
                    }
                }
            }
        }
        let mut out = Vec::new();
        for (path, item) in doc.paths.iter() {
            let path_at = join("#/paths", path);
            let ReferenceOr::Item(item) = item else {
                continue;
            };
            let mut refused = Vec::new();
            let methods = methods_of(item, &path_at, &mut refused);
            self.diags.extend(refused);
            for (method, at, op) in methods {
                let (method, op) = (method.as_str(), op.as_ref());
                let shared = op
                    .operation_id
                    .as_deref()
                    .and_then(|id| uses.get(id).filter(|u| u.len() > 1).map(|u| (id, u)));
                let base = match (&op.operation_id, shared) {
                    (Some(id), None) => names::snake_name(id),
                    (_, _) => names::operation_name_from_path(method, path),
                };
                let rust_name = self.fn_names.claim(&base);
                if let Some((id, places)) = shared {
                    let others: Vec<&str> = places
                        .iter()
                        .filter(|p| **p != at)
                        .map(String::as_str)
                        .collect();
                    self.diags.push(
                        Diagnostic::lenient(
                            join(&at, "operationId"),
                            format!(
                                "operationId \"{id}\" is also used at {}; this operation is named `{}` after its method and path",
                                others.join(", "),
                                rust_name,
                            ),
                        )
                        .with_help("give each operation its own operationId"),
                    );
                }
                let type_name = op_types.claim(&names::type_name(&rust_name));
                // An id shared by several operations identifies none of them (diff matches
                // them by method and path, `--operations` by their Rust names).
                let unshared;
                let op = match shared {
                    Some(_) => {
                        unshared = oa::Operation {
                            operation_id: None,
                            ..op.clone()
                        };
                        &unshared
                    }
                    None => op,
                };
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
            let contents = self.contents(&body.content, &join(&pointer, "content"), &format!("{type_name}Body"), None, &mut variants, false);
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
            // A shared response (`components/responses/Problem`) names what it holds; an
            // operation's own, the operation and its status.
            let hint = if let Some(name) = pointer
                .strip_prefix("#/components/responses/")
                .filter(|name| !name.contains('/'))
            {
                name.replace("~1", "/").replace("~0", "~")
            } else if Some(i) == first_success {
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
                status.is_success(),
            );
            let headers =
                self.response_headers(&response.headers, &join(&pointer, "headers"), &hint);
            responses.push(Response {
                status,
                variant,
                description: response.description,
                headers,
                // Decided once every response is known (see `api`).
                header_set: None,
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
            // Decided once every type is named (see `api`).
            items: OpItems::default(),
            method: Method::named(method)?,
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
            // Decided once every type is known (see `api`).
            stream_switch: None,
            webhook: false,
            at_base_url: false,
            idempotency_key,
            // Decided once every type is known (see `api`).
            error_template: Value::Null,
            pointer: at.to_string(),
        })
    }

    fn contents(
        &mut self,
        content: &indexmap::IndexMap<String, oa::MediaType>,
        at: &str,
        hint: &str,
        response: Option<&str>,
        variants: &mut Scope,
        streams: bool,
    ) -> Vec<Content> {
        let mut out = Vec::new();
        let several = content.len() > 1;
        for (media_type, m) in content {
            let here = join(at, media_type);
            let kind = match MediaKind::of(media_type) {
                // Streamed where a success answers; elsewhere (requests, errors) the text.
                k if k.is_sequential() && !streams => MediaKind::Text,
                k => k,
            };
            // A sequential type's `schema` is its items' (OpenAPI 3.2 says `itemSchema`).
            let item_hint = format!("{hint} Item");
            let ty = match (&m.schema, kind) {
                (_, MediaKind::Binary) => TypeRef::new(Shape::Bytes),
                (None, MediaKind::Text | MediaKind::EventStream) => {
                    TypeRef::new(Shape::String(StringFormat::Plain))
                }
                (None, _) => TypeRef::new(Shape::Any),
                (Some(s), k) if k.is_sequential() => {
                    self.schema(s, &join(&here, "schema"), &item_hint)
                }
                (Some(s), _) => self.schema(s, &join(&here, "schema"), hint),
            };
            let stream_end = kind
                .is_sequential()
                .then(|| self.stream_end(m, kind, &here))
                .flatten();
            let kind_word = match kind {
                MediaKind::Json => "Json",
                MediaKind::Form => "Form",
                MediaKind::Multipart | MediaKind::Parts => "Multipart",
                MediaKind::Text => "Text",
                MediaKind::Binary => "Binary",
                MediaKind::EventStream => "EventStream",
                MediaKind::JsonLines => "JsonLines",
                MediaKind::JsonSeq => "JsonSeq",
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
            let examples = self.examples(m, &here);
            out.push(Content {
                media_type: media_type.clone(),
                variant,
                kind,
                ty,
                encoding,
                stream_end,
                examples,
            });
        }
        out
    }

    /// A media type's `example` and `examples` (those with an inline `value`).
    fn examples(&mut self, m: &oa::MediaType, at: &str) -> Vec<(String, Value)> {
        let mut out = Vec::new();
        if let Some(v) = &m.example {
            out.push(("example".to_string(), v.clone()));
        }
        for (name, e) in &m.examples {
            let here = join(&join(at, "examples"), name);
            if let Some((_, example)) = self.item(e, &here) {
                if let Some(value) = example.value {
                    out.push((name.clone(), value));
                }
            }
        }
        out
    }

    /// The data that ends a stream: `x-openapi-gen-stream-end` on the media type (a
    /// string, or `false` for none), else `[DONE]` for event streams (as LLM APIs end
    /// theirs) and nothing for JSON Lines and sequences.
    fn stream_end(&mut self, m: &oa::MediaType, kind: MediaKind, at: &str) -> Option<String> {
        match m.extensions.get(STREAM_END_EXTENSION) {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Bool(false) | Value::Null) => None,
            Some(other) => {
                self.diags.push(Diagnostic::error(
                    join(at, STREAM_END_EXTENSION),
                    format!("`{STREAM_END_EXTENSION}` must be the data that ends the stream (a string such as \"[DONE]\") or `false`, found {}", crate::structure::kind_of(other)),
                ));
                None
            }
            None => (kind == MediaKind::EventStream).then(|| "[DONE]".to_string()),
        }
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

/// The distinct sets of response headers, in order of first use, each response pointed at
/// its own.
fn header_sets(operations: &mut [Operation], types: &[TypeDef]) -> Vec<HeaderSet> {
    let mut sets: Vec<HeaderSet> = Vec::new();
    // The sets' structs live among the types: their names must not take a type's.
    let mut scope = Scope::with_reserved(names::PRELUDE);
    for t in types {
        scope.claim(&t.name);
    }
    for r in operations.iter_mut().flat_map(|op| op.responses.iter_mut()) {
        if r.headers.is_empty() {
            continue;
        }
        let index = match sets.iter().position(|s| s.headers == r.headers) {
            Some(i) => i,
            None => {
                let wire: Vec<&str> = r.headers.iter().map(|h| h.name.as_str()).collect();
                sets.push(HeaderSet {
                    name: scope.claim(&names::header_set_name(&wire)),
                    headers: r.headers.clone(),
                });
                sets.len() - 1
            }
        };
        r.header_set = Some(index);
    }
    sets
}

/// A path item's operations: the eight methods OpenAPI 3.0 names, then the others OpenAPI
/// 3.2 adds (`query`, `additionalOperations`; kept by `convert` in an extension), each with
/// the key its pointer continues with.
/// The ones that do not read as operations are `refused`, with why.
fn methods_of<'i>(
    item: &'i oa::PathItem,
    path_at: &str,
    refused: &mut Vec<Diagnostic>,
) -> Vec<(String, String, std::borrow::Cow<'i, oa::Operation>)> {
    let mut out: Vec<_> = item
        .iter()
        .map(|(m, op)| {
            (
                m.to_string(),
                join(path_at, m),
                std::borrow::Cow::Borrowed(op),
            )
        })
        .collect();
    if let Some(Value::Object(more)) = item.extensions.get(crate::convert::METHODS_EXTENSION) {
        let ext_at = join(path_at, crate::convert::METHODS_EXTENSION);
        for (method, op) in more {
            // An operation `structure` did not check (it was an extension then).
            let at = join(&ext_at, method);
            match serde_json::from_value::<oa::Operation>(op.clone()) {
                Ok(op) => out.push((method.clone(), at, std::borrow::Cow::Owned(op))),
                Err(e) => refused.push(Diagnostic::error(at, format!("not an operation: {e}"))),
            }
        }
    }
    out
}

fn describe_op(at: &str) -> String {
    let segs = crate::pointer::segments(at);
    match segs.as_slice() {
        [_, path, method] => format!("{} {path}", method.to_uppercase()),
        _ => at.to_string(),
    }
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

#[cfg(test)]
mod tests;

/// Makes every use of a named type in `nullable` nullable: a `$ref` to a schema that allows
/// `null` reads `null` wherever it stands (a field, an item, a variant, a body).
/// The names of every operation's `ops` items ([`OpItems`]): the usual suffix unless a
/// type (or a set of headers, or another operation's item) has that name.
fn name_op_items(api: &mut Api) {
    const CHOICES: [[&str; 2]; 3] = [
        ["Response", "Success"],
        ["Error", "Failure"],
        ["Body", "Payload"],
    ];
    let taken: Vec<&str> = api
        .types
        .iter()
        .map(|t| t.name.as_str())
        .chain(api.header_sets.iter().map(|s| s.name.as_str()))
        .collect();
    let named = |ops: &mut [Operation]| {
        let builders: Vec<String> = ops.iter().map(|op| op.type_name.clone()).collect();
        let mut scope = Scope::with_reserved(&taken);
        for builder in &builders {
            scope.claim(builder);
        }
        for op in ops {
            let [response, error, body] = CHOICES.map(|choices| {
                let free = choices
                    .iter()
                    .map(|suffix| format!("{}{suffix}", op.type_name))
                    .find(|name| !scope.contains(name));
                scope.claim(&free.unwrap_or_else(|| format!("{}{}", op.type_name, choices[0])))
            });
            op.items = OpItems {
                response,
                error,
                body,
            };
        }
    };
    named(&mut api.operations);
    named(&mut api.webhooks);
}

fn mark_nullable_uses(api: &mut Api, nullable: &std::collections::BTreeSet<TypeId>) {
    if nullable.is_empty() {
        return;
    }
    fn mark(t: &mut TypeRef, nullable: &std::collections::BTreeSet<TypeId>) {
        match &mut t.shape {
            Shape::Named(id) => t.nullable |= nullable.contains(id),
            Shape::Array(inner) | Shape::Map(inner) | Shape::OrEmpty(inner) => {
                mark(inner, nullable)
            }
            _ => {}
        }
    }
    for def in &mut api.types {
        match &mut def.kind {
            TypeKind::Struct(s) => {
                s.fields.iter_mut().for_each(|f| mark(&mut f.ty, nullable));
                if let Some(a) = &mut s.additional {
                    mark(a, nullable);
                }
            }
            TypeKind::Union(u) => u
                .variants
                .iter_mut()
                .for_each(|v| mark(&mut v.ty, nullable)),
            TypeKind::Alias(t) => mark(t, nullable),
            TypeKind::Enum(_) => {}
        }
    }
    api.for_each_type_ref(|t| mark(t, nullable));
}
