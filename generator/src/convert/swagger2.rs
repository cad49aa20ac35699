//! Swagger 2.0 → OpenAPI 3.0, the way the 3.0 specification maps the concepts:
//!
//! | 2.0 | 3.0 |
//! |---|---|
//! | `host`, `basePath`, `schemes` | `servers` |
//! | `definitions`, `parameters`, `responses`, `securityDefinitions` | `components/…` |
//! | `in: body` | `requestBody`, one media type per `consumes` |
//! | `in: formData` | a form (`application/x-www-form-urlencoded`) or multipart body of an object |
//! | `type`, `format`, `items`… on a parameter or header | its `schema` |
//! | `collectionFormat` csv / ssv / pipes / multi | `style`/`explode` (`tsv`, which 3.0 lacks, is warned) |
//! | a response's `schema` | `content`, one media type per `produces` |
//! | `x-nullable`, `type: file` | `nullable`, `type: string, format: binary` |
//!
//! Every moved value is recorded in the [`PointerMap`], so later diagnostics point into the
//! 2.0 document.

use serde_json::{json, Map, Value};

use super::PointerMap;
use crate::diagnostics::Diagnostic;
use crate::pointer::join;

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch"];

/// The parameter keywords that describe its value: in 3.0 they belong to its `schema`.
const VALUE_KEYWORDS: &[&str] = &[
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
    "x-nullable",
];

struct Cx<'a> {
    /// The 2.0 document, read-only.
    src: &'a Value,
    map: &'a mut PointerMap,
    diags: &'a mut Vec<Diagnostic>,
}

pub fn convert(doc: &mut Value, map: &mut PointerMap, diags: &mut Vec<Diagnostic>) {
    let src = doc.clone();
    let mut cx = Cx {
        src: &src,
        map,
        diags,
    };
    let mut out = Map::new();
    out.insert("openapi".into(), json!("3.0.3"));
    for key in ["info", "tags", "externalDocs", "security"] {
        if let Some(v) = src.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    for (k, v) in src.as_object().into_iter().flatten() {
        if k.starts_with("x-") {
            out.insert(k.clone(), v.clone());
        }
    }
    out.insert("servers".into(), servers(&src));
    let mut components = Map::new();
    if let Some(Value::Object(defs)) = src.get("definitions") {
        cx.map.record("#/components/schemas", "#/definitions");
        let schemas = defs
            .iter()
            .map(|(name, s)| {
                let at = join("#/definitions", name);
                (name.clone(), schema(s, &at, &mut cx))
            })
            .collect();
        components.insert("schemas".into(), Value::Object(schemas));
    }
    if let Some(Value::Object(params)) = src.get("parameters") {
        let mut out_params = Map::new();
        for (name, p) in params {
            let at = join("#/parameters", name);
            if !matches!(
                p.get("in").and_then(Value::as_str),
                Some("body" | "formData")
            ) {
                cx.map
                    .record(join("#/components/parameters", name), at.clone());
                out_params.insert(
                    name.clone(),
                    parameter(p, &at, &join("#/components/parameters", name), &mut cx),
                );
            }
        }
        if !out_params.is_empty() {
            components.insert("parameters".into(), Value::Object(out_params));
        }
    }
    let global_produces = media_list(&src, "produces");
    let global_consumes = media_list(&src, "consumes");
    if let Some(Value::Object(responses)) = src.get("responses") {
        let out_responses = responses
            .iter()
            .map(|(name, r)| {
                let at = join("#/responses", name);
                let new_at = join("#/components/responses", name);
                cx.map.record(new_at.clone(), at.clone());
                (
                    name.clone(),
                    response(r, &at, &new_at, &global_produces, &mut cx),
                )
            })
            .collect();
        components.insert("responses".into(), Value::Object(out_responses));
    }
    if let Some(Value::Object(schemes)) = src.get("securityDefinitions") {
        cx.map
            .record("#/components/securitySchemes", "#/securityDefinitions");
        let out_schemes = schemes
            .iter()
            .map(|(name, s)| {
                let at = join("#/securityDefinitions", name);
                (name.clone(), security_scheme(s, &at, &mut cx))
            })
            .collect();
        components.insert("securitySchemes".into(), Value::Object(out_schemes));
    }
    if !components.is_empty() {
        out.insert("components".into(), Value::Object(components));
    }
    let mut paths = Map::new();
    for (path, item) in src
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let at = join("#/paths", path);
        paths.insert(
            path.clone(),
            path_item(item, &at, &global_consumes, &global_produces, &mut cx),
        );
    }
    out.insert("paths".into(), Value::Object(paths));
    let mut doc_out = Value::Object(out);
    rewrite_refs(&mut doc_out);
    *doc = doc_out;
}

/// `schemes` × `host` + `basePath`; a relative server when there is no host.
fn servers(src: &Value) -> Value {
    let base = src.get("basePath").and_then(Value::as_str).unwrap_or("");
    let Some(host) = src.get("host").and_then(Value::as_str) else {
        let url = if base.is_empty() { "/" } else { base };
        return json!([{ "url": url }]);
    };
    let schemes: Vec<&str> = src
        .get("schemes")
        .and_then(Value::as_array)
        .map(|s| s.iter().filter_map(Value::as_str).collect())
        .filter(|s: &Vec<&str>| !s.is_empty())
        .unwrap_or_else(|| vec!["https"]);
    // https first: it is the one a client should use by default.
    let mut ordered: Vec<&str> = schemes.iter().copied().filter(|s| *s == "https").collect();
    ordered.extend(schemes.iter().copied().filter(|s| *s != "https"));
    Value::Array(
        ordered
            .into_iter()
            .map(|s| json!({ "url": format!("{s}://{host}{base}") }))
            .collect(),
    )
}

fn media_list(v: &Value, key: &str) -> Option<Vec<String>> {
    v.get(key).and_then(Value::as_array).map(|list| {
        list.iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect()
    })
}

/// A 2.0 schema is a 3.0 schema but for `x-nullable`, `type: file` and the string
/// `discriminator`.
fn schema(s: &Value, at: &str, cx: &mut Cx) -> Value {
    let Value::Object(obj) = s else {
        return s.clone();
    };
    let mut out = Map::new();
    for (k, v) in obj {
        match k.as_str() {
            "x-nullable" => {
                if v == &Value::Bool(true) {
                    out.insert("nullable".into(), Value::Bool(true));
                }
            }
            "type" if v == "file" => {
                out.insert("type".into(), json!("string"));
                out.insert("format".into(), json!("binary"));
            }
            // 2.0 polymorphism by `allOf` children: the base type keeps the property.
            "discriminator" if v.is_string() => {}
            "properties" | "definitions" => {
                let props = v
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(name, p)| (name.clone(), schema(p, &join(&join(at, k), name), cx)))
                    .collect();
                out.insert(k.clone(), Value::Object(props));
            }
            "items" | "additionalProperties" if v.is_object() => {
                out.insert(k.clone(), schema(v, &join(at, k), cx));
            }
            "items" if v.as_array().is_some_and(|a| a.len() == 1) => {
                // A one-schema list: every item is of that schema.
                out.insert(k.clone(), schema(&v[0], &join(&join(at, k), "0"), cx));
            }
            "items" if v.is_array() => {
                cx.diags.push(Diagnostic::warning(
                    join(at, k),
                    "`items` as a list (a tuple) is read as an array of any values",
                ));
                out.insert(k.clone(), json!({}));
            }
            "allOf" => {
                let members = v
                    .as_array()
                    .into_iter()
                    .flatten()
                    .enumerate()
                    .map(|(i, m)| schema(m, &join(&join(at, k), i.to_string()), cx))
                    .collect();
                out.insert(k.clone(), Value::Array(members));
            }
            _ => {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    // A list of types is not 2.0, but real 2.0 specs write it: `v31::foreign` reads it as
    // 3.1 does, with a warning, after the conversion.
    Value::Object(out)
}

/// A non-body parameter: its value keywords move into `schema`; `collectionFormat` becomes
/// a style. `new_at` is where it lands in the 3.0 document.
fn parameter(p: &Value, at: &str, new_at: &str, cx: &mut Cx) -> Value {
    if p.get("$ref").is_some() {
        return p.clone();
    }
    let Value::Object(obj) = p else {
        return p.clone();
    };
    let location = obj.get("in").and_then(Value::as_str).unwrap_or("query");
    let mut out = Map::new();
    let mut value = Map::new();
    let mut collection = None;
    for (k, v) in obj {
        if VALUE_KEYWORDS.contains(&k.as_str()) {
            value.insert(k.clone(), v.clone());
        } else if k == "collectionFormat" {
            collection = v.as_str();
        } else if k != "allowEmptyValue" || location == "query" {
            out.insert(k.clone(), v.clone());
        }
    }
    cx.map.record(join(new_at, "schema"), at);
    out.insert(
        "schema".into(),
        schema(&Value::Object(value.clone()), at, cx),
    );
    if value.get("type").and_then(Value::as_str) == Some("array") {
        let format = collection.unwrap_or("csv");
        let (style, explode) = match (format, location) {
            ("multi", _) => ("form", true),
            ("ssv", "query") => ("spaceDelimited", false),
            ("pipes", "query") => ("pipeDelimited", false),
            ("csv", "query" | "cookie") => ("form", false),
            ("csv", _) => ("simple", false),
            (other, _) => {
                cx.diags.push(Diagnostic::warning(
                    join(at, "collectionFormat"),
                    format!(
                        "collectionFormat `{other}` has no OpenAPI 3 style {}; values are sent comma-separated",
                        if location == "query" { "" } else { "outside a query" }
                    ),
                ));
                if location == "query" || location == "cookie" {
                    ("form", false)
                } else {
                    ("simple", false)
                }
            }
        };
        out.insert("style".into(), json!(style));
        out.insert("explode".into(), json!(explode));
    }
    Value::Object(out)
}

/// A parameter as written, following a `$ref` into `#/parameters`; with its pointer.
fn lookup_param<'v>(p: &'v Value, at: &str, src: &'v Value) -> (&'v Value, String) {
    match p.get("$ref").and_then(Value::as_str) {
        Some(r) => match crate::refs::lookup(src, r) {
            Some(target) => (target, r.to_string()),
            None => (p, at.to_string()),
        },
        None => (p, at.to_string()),
    }
}

fn path_item(
    item: &Value,
    at: &str,
    consumes: &Option<Vec<String>>,
    produces: &Option<Vec<String>>,
    cx: &mut Cx,
) -> Value {
    let Value::Object(obj) = item else {
        return item.clone();
    };
    let shared: Vec<(usize, &Value)> = obj
        .get("parameters")
        .and_then(Value::as_array)
        .map(|ps| ps.iter().enumerate().collect())
        .unwrap_or_default();
    let mut out = Map::new();
    for (k, v) in obj {
        if k.starts_with("x-") || k == "summary" || k == "description" {
            out.insert(k.clone(), v.clone());
        }
    }
    // Path-level parameters that are not bodies stay there; bodies go to each operation.
    let mut level = Vec::new();
    for (i, p) in &shared {
        let here = join(&join(at, "parameters"), i.to_string());
        let (target, _) = lookup_param(p, &here, cx.src);
        if !matches!(
            target.get("in").and_then(Value::as_str),
            Some("body" | "formData")
        ) {
            let new_at = join(&join(at, "parameters"), level.len().to_string());
            cx.map.record(new_at.clone(), here.clone());
            level.push(parameter(p, &here, &new_at, cx));
        }
    }
    if !level.is_empty() {
        out.insert("parameters".into(), Value::Array(level));
    }
    for method in METHODS {
        let Some(op) = obj.get(*method) else {
            continue;
        };
        let op_at = join(at, method);
        out.insert(
            method.to_string(),
            operation(op, &op_at, &shared, at, consumes, produces, cx),
        );
    }
    Value::Object(out)
}

fn operation(
    op: &Value,
    at: &str,
    shared: &[(usize, &Value)],
    item_at: &str,
    consumes: &Option<Vec<String>>,
    produces: &Option<Vec<String>>,
    cx: &mut Cx,
) -> Value {
    let Value::Object(obj) = op else {
        return op.clone();
    };
    let consumes = media_list(op, "consumes")
        .or_else(|| consumes.clone())
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| vec!["application/json".into()]);
    let produces = media_list(op, "produces")
        .or_else(|| produces.clone())
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| vec!["application/json".into()]);
    let mut out = Map::new();
    for (k, v) in obj {
        match k.as_str() {
            "consumes" | "produces" | "parameters" | "responses" | "schemes" => {}
            _ => {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    // The operation's own parameters, then the path's that it does not override.
    let own: Vec<(String, &Value)> = obj
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .map(|(i, p)| (join(&join(at, "parameters"), i.to_string()), p))
        .collect();
    let key = |p: &Value| {
        (
            p.get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            p.get("in")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
        )
    };
    let mut params = Vec::new();
    let mut body: Option<(&Value, String)> = None;
    let mut form: Vec<(&Value, String)> = Vec::new();
    let own_keys: Vec<_> = own
        .iter()
        .map(|(here, p)| key(lookup_param(p, here, cx.src).0))
        .collect();
    let inherited = shared.iter().filter_map(|(i, p)| {
        let here = join(&join(item_at, "parameters"), i.to_string());
        let target = lookup_param(p, &here, cx.src).0;
        let body_like = matches!(
            target.get("in").and_then(Value::as_str),
            Some("body" | "formData")
        );
        (body_like && !own_keys.contains(&key(target))).then_some((here, *p))
    });
    let all: Vec<(String, &Value)> = own.clone().into_iter().chain(inherited).collect();
    for (here, p) in all {
        let (target, target_at) = lookup_param(p, &here, cx.src);
        match target.get("in").and_then(Value::as_str) {
            Some("body") => body = Some((target, target_at)),
            Some("formData") => form.push((target, target_at)),
            _ => {
                let new_at = join(&join(at, "parameters"), params.len().to_string());
                cx.map.record(new_at.clone(), here.clone());
                params.push(parameter(p, &here, &new_at, cx));
            }
        }
    }
    if !params.is_empty() {
        out.insert("parameters".into(), Value::Array(params));
    }
    let body_at = join(at, "requestBody");
    if let Some((p, p_at)) = body {
        let mut content = Map::new();
        for media in &consumes {
            let media_at = join(&join(&body_at, "content"), media);
            cx.map.record(media_at, p_at.clone());
            let s = p.get("schema").cloned().unwrap_or(json!({}));
            content.insert(
                media.clone(),
                json!({ "schema": schema(&s, &join(&p_at, "schema"), cx) }),
            );
        }
        cx.map.record(body_at.clone(), p_at.clone());
        let mut rb = Map::new();
        if let Some(d) = p.get("description") {
            rb.insert("description".into(), d.clone());
        }
        rb.insert(
            "required".into(),
            p.get("required").cloned().unwrap_or(Value::Bool(false)),
        );
        rb.insert("content".into(), Value::Object(content));
        out.insert("requestBody".into(), Value::Object(rb));
    } else if !form.is_empty() {
        // The form's fields were the operation's parameters.
        cx.map.record(body_at.clone(), join(at, "parameters"));
        out.insert(
            "requestBody".into(),
            form_body(&form, &body_at, &consumes, cx),
        );
    }
    let mut responses = Map::new();
    for (status, r) in obj
        .get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if status.starts_with("x-") {
            continue;
        }
        let r_at = join(&join(at, "responses"), status);
        responses.insert(
            status.clone(),
            response(r, &r_at, &r_at, &Some(produces.clone()), cx),
        );
    }
    out.insert("responses".into(), Value::Object(responses));
    Value::Object(out)
}

/// `formData` parameters → an object body, multipart when a parameter is a file or the
/// operation consumes `multipart/form-data`, else a form; other consumed types (JSON) get
/// the same object.
fn form_body(form: &[(&Value, String)], body_at: &str, consumes: &[String], cx: &mut Cx) -> Value {
    let has_file = form
        .iter()
        .any(|(p, _)| p.get("type").and_then(Value::as_str) == Some("file"));
    let mut media: Vec<String> = consumes
        .iter()
        .filter(|m| {
            let m = m.to_ascii_lowercase();
            m.starts_with("multipart/")
                || m.starts_with("application/x-www-form-urlencoded")
                || m.contains("json")
        })
        .cloned()
        .collect();
    if has_file && !media.iter().any(|m| m.starts_with("multipart/")) {
        media.insert(0, "multipart/form-data".into());
    }
    if media.is_empty() {
        media.push("application/x-www-form-urlencoded".into());
    }
    let mut content = Map::new();
    for m in &media {
        let schema_at = join(&join(&join(body_at, "content"), m), "schema");
        let mut properties = Map::new();
        let mut required = Vec::new();
        for (p, p_at) in form {
            let Some(name) = p.get("name").and_then(Value::as_str) else {
                continue;
            };
            cx.map
                .record(join(&join(&schema_at, "properties"), name), p_at.clone());
            let mut value = Map::new();
            for (k, v) in p.as_object().into_iter().flatten() {
                if VALUE_KEYWORDS.contains(&k.as_str()) || k == "description" {
                    value.insert(k.clone(), v.clone());
                }
            }
            properties.insert(name.to_string(), schema(&Value::Object(value), p_at, cx));
            if p.get("required") == Some(&Value::Bool(true)) {
                required.push(json!(name));
            }
        }
        let mut s = json!({ "type": "object", "properties": properties });
        if !required.is_empty() {
            s["required"] = Value::Array(required);
        }
        content.insert(m.clone(), json!({ "schema": s }));
    }
    let required = form
        .iter()
        .any(|(p, _)| p.get("required") == Some(&Value::Bool(true)));
    json!({ "required": required, "content": content })
}

/// A response: its `schema` under each produced media type; headers' value keywords in a
/// `schema`.
fn response(
    r: &Value,
    at: &str,
    new_at: &str,
    produces: &Option<Vec<String>>,
    cx: &mut Cx,
) -> Value {
    if r.get("$ref").is_some() {
        return r.clone();
    }
    let Value::Object(obj) = r else {
        return r.clone();
    };
    let mut out = Map::new();
    out.insert(
        "description".into(),
        obj.get("description").cloned().unwrap_or(json!("")),
    );
    for (k, v) in obj {
        if k.starts_with("x-") {
            out.insert(k.clone(), v.clone());
        }
    }
    if let Some(Value::Object(headers)) = obj.get("headers") {
        let mut out_headers = Map::new();
        for (name, h) in headers {
            let h_at = join(&join(at, "headers"), name);
            let mut value = Map::new();
            let mut header = Map::new();
            for (k, v) in h.as_object().into_iter().flatten() {
                if VALUE_KEYWORDS.contains(&k.as_str()) {
                    value.insert(k.clone(), v.clone());
                } else if k == "description" || k.starts_with("x-") {
                    header.insert(k.clone(), v.clone());
                }
            }
            cx.map.record(
                join(&join(&join(new_at, "headers"), name), "schema"),
                h_at.clone(),
            );
            header.insert("schema".into(), schema(&Value::Object(value), &h_at, cx));
            out_headers.insert(name.clone(), Value::Object(header));
        }
        out.insert("headers".into(), Value::Object(out_headers));
    }
    if let Some(s) = obj.get("schema") {
        let produces = produces
            .clone()
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| vec!["application/json".into()]);
        let examples = obj.get("examples");
        let mut content = Map::new();
        for media in produces {
            let media_at = join(&join(new_at, "content"), &media);
            cx.map.record(join(&media_at, "schema"), join(at, "schema"));
            let mut m = Map::new();
            m.insert("schema".into(), schema(s, &join(at, "schema"), cx));
            if let Some(example) = examples.and_then(|e| e.get(&media)) {
                m.insert("example".into(), example.clone());
            }
            content.insert(media, Value::Object(m));
        }
        out.insert("content".into(), Value::Object(content));
    }
    Value::Object(out)
}

fn security_scheme(s: &Value, at: &str, cx: &mut Cx) -> Value {
    let mut out = Map::new();
    if let Some(d) = s.get("description") {
        out.insert("description".into(), d.clone());
    }
    let text = |k: &str| s.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    match s.get("type").and_then(Value::as_str) {
        Some("basic") => {
            out.insert("type".into(), json!("http"));
            out.insert("scheme".into(), json!("basic"));
        }
        Some("apiKey") => {
            out.insert("type".into(), json!("apiKey"));
            out.insert("in".into(), json!(text("in")));
            out.insert("name".into(), json!(text("name")));
        }
        Some("oauth2") => {
            let (kind, urls): (&str, &[&str]) = match s.get("flow").and_then(Value::as_str) {
                Some("implicit") => ("implicit", &["authorizationUrl"]),
                Some("password") => ("password", &["tokenUrl"]),
                Some("application") => ("clientCredentials", &["tokenUrl"]),
                _ => ("authorizationCode", &["authorizationUrl", "tokenUrl"]),
            };
            let mut flow = Map::new();
            for url in urls {
                let value = text(url);
                if value.is_empty() {
                    cx.diags.push(Diagnostic::warning(
                        at,
                        format!(
                            "an OAuth2 `{}` flow needs `{url}`; it is left empty",
                            s.get("flow")
                                .and_then(Value::as_str)
                                .unwrap_or("accessCode")
                        ),
                    ));
                }
                flow.insert(url.to_string(), json!(value));
            }
            flow.insert(
                "scopes".into(),
                s.get("scopes").cloned().unwrap_or(json!({})),
            );
            out.insert("type".into(), json!("oauth2"));
            out.insert("flows".into(), json!({ kind: flow }));
        }
        _ => return s.clone(),
    }
    Value::Object(out)
}

/// References into 2.0 places now point into `components`.
fn rewrite_refs(v: &mut Value) {
    match v {
        Value::Object(obj) => {
            for (k, child) in obj.iter_mut() {
                match (k.as_str(), child) {
                    ("$ref", Value::String(r)) => {
                        for (from, to) in [
                            ("#/definitions/", "#/components/schemas/"),
                            ("#/parameters/", "#/components/parameters/"),
                            ("#/responses/", "#/components/responses/"),
                        ] {
                            if let Some(rest) = r.strip_prefix(from) {
                                *r = format!("{to}{rest}");
                            }
                        }
                    }
                    (_, child) => rewrite_refs(child),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(rewrite_refs),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convert_doc(doc: Value) -> (Value, Vec<Diagnostic>, PointerMap) {
        super::super::converted(convert, doc)
    }

    #[test]
    fn parameters_bodies_and_responses() {
        let (doc, diags, map) = convert_doc(json!({
            "swagger": "2.0",
            "info": {"title": "t", "version": "1"},
            "host": "api.example", "basePath": "/v1", "schemes": ["http", "https"],
            "produces": ["application/json"],
            "paths": {"/a": {"post": {
                "consumes": ["application/json", "application/xml"],
                "parameters": [
                    {"name": "ids", "in": "query", "type": "array", "items": {"type": "integer"}, "collectionFormat": "multi"},
                    {"name": "cols", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "tsv"},
                    {"name": "body", "in": "body", "required": true, "schema": {"$ref": "#/definitions/A"}}
                ],
                "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/A"},
                                       "headers": {"X-N": {"type": "integer"}}}}
            }}},
            "definitions": {"A": {"type": "object", "properties": {"f": {"type": "file"}, "n": {"type": "string", "x-nullable": true}}}}
        }));
        assert_eq!(doc["openapi"], "3.0.3");
        assert_eq!(
            doc["servers"],
            json!([{"url": "https://api.example/v1"}, {"url": "http://api.example/v1"}])
        );
        let op = &doc["paths"]["/a"]["post"];
        assert_eq!(
            op["parameters"][0],
            json!({"name": "ids", "in": "query", "schema": {"type": "array", "items": {"type": "integer"}}, "style": "form", "explode": true})
        );
        assert_eq!(op["requestBody"]["required"], true);
        assert_eq!(
            op["requestBody"]["content"]["application/xml"]["schema"],
            json!({"$ref": "#/components/schemas/A"})
        );
        assert_eq!(
            op["responses"]["200"]["headers"]["X-N"],
            json!({"schema": {"type": "integer"}})
        );
        assert_eq!(
            doc["components"]["schemas"]["A"]["properties"],
            json!({"f": {"type": "string", "format": "binary"}, "n": {"type": "string", "nullable": true}})
        );
        // tsv has no OpenAPI 3 style: warned at the 2.0 parameter.
        assert_eq!(
            diags[0].pointer.as_deref(),
            Some("#/paths/~1a/post/parameters/1/collectionFormat")
        );
        // Places map back into the 2.0 document.
        assert_eq!(
            map.original("#/paths/~1a/post/requestBody/content/application~1json/schema/$ref"),
            "#/paths/~1a/post/parameters/2/schema/$ref"
        );
        assert_eq!(
            map.original("#/components/schemas/A/properties/n"),
            "#/definitions/A/properties/n"
        );
        assert_eq!(
            map.original("#/paths/~1a/post/responses/200/content/application~1json/schema"),
            "#/paths/~1a/post/responses/200/schema"
        );
    }

    #[test]
    fn security_definitions() {
        let (doc, _, _) = convert_doc(json!({
            "swagger": "2.0",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "securityDefinitions": {
                "b": {"type": "basic"},
                "k": {"type": "apiKey", "in": "query", "name": "key"},
                "o": {"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://a", "tokenUrl": "https://t", "scopes": {"r": "read"}}
            }
        }));
        assert_eq!(doc["servers"], json!([{"url": "/"}]));
        let s = &doc["components"]["securitySchemes"];
        assert_eq!(s["b"], json!({"type": "http", "scheme": "basic"}));
        assert_eq!(
            s["k"],
            json!({"type": "apiKey", "in": "query", "name": "key"})
        );
        assert_eq!(
            s["o"],
            json!({"type": "oauth2", "flows": {"authorizationCode": {"authorizationUrl": "https://a", "tokenUrl": "https://t", "scopes": {"r": "read"}}}})
        );
    }
}
