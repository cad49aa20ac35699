//! A readable text rendering of the API model, for `openapi-gen inspect` and for snapshot
//! tests: one line per item, names resolved, pointers shown where each item comes from.

use std::fmt::Write;

use crate::ir::*;

/// Renders the whole model.
pub fn render(api: &Api) -> String {
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(
        w,
        "api {:?} version {:?} module {}",
        api.title, api.version, api.module
    );
    if let Some(d) = &api.description {
        let _ = writeln!(w, "  doc {:?}", d);
    }
    for s in &api.servers {
        let _ = writeln!(w, "server {}{}", s.url, opt_doc(&s.description));
        for v in &s.variables {
            let _ = writeln!(
                w,
                "  variable {} default {:?} allowed {:?}",
                v.name, v.default, v.allowed
            );
        }
    }
    for s in &api.security_schemes {
        let _ = writeln!(
            w,
            "security scheme {} ({}, set by {}): {}",
            s.key,
            s.rust_name,
            s.setter,
            scheme(&s.kind)
        );
    }
    if !api.security.is_empty() {
        let _ = writeln!(w, "security {}", requirements(&api.security));
    }
    for s in &api.scopes {
        let _ = writeln!(
            w,
            "scope {}: {} fills {:?} ({})",
            s.name,
            s.method,
            s.param,
            type_ref(api, &s.ty)
        );
    }
    for op in &api.operations {
        operation(w, api, op);
    }
    for op in &api.webhooks {
        operation(w, api, op);
    }
    for def in &api.types {
        type_def(w, api, def);
    }
    out
}

fn operation(w: &mut String, api: &Api, op: &Operation) {
    let _ = writeln!(
        w,
        "\n{} {} (id {}, types {}): {} {}",
        if op.webhook {
            "webhook (the API sends it; received at)"
        } else {
            "operation"
        },
        op.rust_name,
        op.operation_id.as_deref().unwrap_or("-"),
        op.type_name,
        op.method.as_str(),
        op.path
    );
    let _ = writeln!(w, "  at {}", op.pointer);
    if op.at_base_url {
        let _ = writeln!(w, "  sent to the callback URL as it is");
    }
    if let Some(s) = &op.summary {
        let _ = writeln!(w, "  summary {s:?}");
    }
    if let Some(d) = &op.description {
        let _ = writeln!(w, "  doc {d:?}");
    }
    if !op.tags.is_empty() {
        let _ = writeln!(w, "  tags {:?}", op.tags);
    }
    if op.deprecated {
        let _ = writeln!(w, "  deprecated");
    }
    let segs: Vec<String> = op
        .segments
        .iter()
        .map(|s| match s {
            PathSegment::Literal(l) => format!("{l:?}"),
            PathSegment::Param(i) => format!("{{{}}}", op.parameters[*i].rust_name),
        })
        .collect();
    let _ = writeln!(w, "  path {}", segs.join(" + "));
    for p in &op.parameters {
        let _ = writeln!(
            w,
            "  param {} ({:?} {:?}){}: {}{} {}{}{}",
            p.rust_name,
            p.location,
            p.name,
            if p.required { " required" } else { "" },
            type_ref(api, &p.ty),
            if p.deprecated { " deprecated" } else { "" },
            if p.json {
                "as JSON text".to_string()
            } else {
                format!("style {:?} explode {}", p.style, p.explode)
            },
            if p.allow_reserved {
                " allowReserved"
            } else {
                ""
            },
            p.scope
                .as_ref()
                .map(|s| format!(" scope {s}"))
                .unwrap_or_default(),
        );
        if let Some(d) = &p.description {
            let _ = writeln!(w, "    doc {d:?}");
        }
    }
    if let Some(body) = &op.request_body {
        let _ = writeln!(
            w,
            "  body{}{}",
            if body.required { " required" } else { "" },
            opt_doc(&body.description)
        );
        for c in &body.contents {
            content_line(w, api, c);
        }
    }
    for r in &op.responses {
        let _ = writeln!(
            w,
            "  response {} {}{}",
            r.status,
            r.variant,
            opt_doc(&Some(r.description.clone()).filter(|d| !d.is_empty()))
        );
        for c in &r.contents {
            content_line(w, api, c);
        }
        for h in &r.headers {
            let _ = writeln!(
                w,
                "    header {} ({:?}){}: {}",
                h.rust_name,
                h.name,
                if h.required { " required" } else { "" },
                type_ref(api, &h.ty)
            );
        }
    }
    if let Some(sec) = &op.security {
        let _ = writeln!(w, "  security {}", requirements(sec));
    }
    if let Some(i) = op.idempotency_key {
        let _ = writeln!(
            w,
            "  idempotency key {:?}: a fresh one per call, retried like a GET",
            op.parameters[i].name
        );
    }
    if let Some(p) = &op.pagination {
        let path = |steps: &[FieldStep]| {
            steps
                .iter()
                .map(|s| format!("{}{}", s.rust_name, if s.optional { "?" } else { "" }))
                .collect::<Vec<_>>()
                .join(".")
        };
        let kind = match &p.kind {
            PaginationKind::Page {
                page,
                per_page,
                total,
            } => format!(
                "pages by {}{}{}",
                op.parameters[*page].rust_name,
                per_page
                    .map(|i| format!(" of {}", op.parameters[i].rust_name))
                    .unwrap_or_default(),
                total
                    .as_ref()
                    .map(|t| format!(", total {}", path(t)))
                    .unwrap_or_default()
            ),
            PaginationKind::Link { params } => format!(
                "link header (rel=\"next\") setting {}",
                params
                    .iter()
                    .map(|i| op.parameters[*i].rust_name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            PaginationKind::Cursor { cursor, next } => format!(
                "cursor {} from {}",
                op.parameters[*cursor].rust_name,
                path(next)
            ),
        };
        let items = if p.items.is_empty() {
            "the body".to_string()
        } else {
            path(&p.items)
        };
        let _ = writeln!(
            w,
            "  paginated: {kind}, items {items}: {}",
            type_ref(api, &p.item)
        );
    }
    if let Some(s) = &op.stream_switch {
        let _ = writeln!(
            w,
            "  streams when the body's `{}` is true (`.stream()` sets it)",
            s.rust_name
        );
    }
}

fn type_def(w: &mut String, api: &Api, def: &TypeDef) {
    let kind = match &def.kind {
        TypeKind::Struct(_) => "struct",
        TypeKind::Enum(_) => "enum",
        TypeKind::Union(u) if u.any_of => "union (anyOf)",
        TypeKind::Union(_) => "union (oneOf)",
        TypeKind::Alias(_) => "alias",
    };
    let _ = writeln!(w, "\ntype {} = {kind}", def.name);
    let _ = writeln!(w, "  at {}", def.pointer);
    if let Some(path) = &def.rust_path {
        let _ = writeln!(w, "  replaced by the user's {path}");
    }
    if let Some(t) = &def.title {
        let _ = writeln!(w, "  title {t:?}");
    }
    if let Some(d) = &def.description {
        let _ = writeln!(w, "  doc {d:?}");
    }
    if def.deprecated {
        let _ = writeln!(w, "  deprecated");
    }
    match &def.kind {
        TypeKind::Struct(s) => {
            for f in &s.fields {
                let mut flags = String::new();
                for (on, word) in [
                    (f.required, " required"),
                    (f.read_only, " readOnly"),
                    (f.write_only, " writeOnly"),
                    (f.deprecated, " deprecated"),
                    (f.boxed, " boxed"),
                ] {
                    if on {
                        flags.push_str(word);
                    }
                }
                let _ = writeln!(
                    w,
                    "  field {} ({:?}){flags}: {}",
                    f.rust_name,
                    f.name,
                    type_ref(api, &f.ty)
                );
                if let Some(d) = &f.description {
                    let _ = writeln!(w, "    doc {d:?}");
                }
            }
            if s.closed {
                let _ = writeln!(w, "  no other properties (additionalProperties: false)");
            }
            if let Some(a) = &s.additional {
                let _ = writeln!(
                    w,
                    "  additional properties {}: {}",
                    s.additional_rust_name,
                    type_ref(api, a)
                );
            }
        }
        TypeKind::Enum(e) => {
            let _ = writeln!(w, "  repr {:?}", e.repr);
            for v in &e.variants {
                let _ = writeln!(w, "  variant {} = {}", v.rust_name, v.value);
            }
            if e.tag {
                let _ = writeln!(w, "  a union's tag: this value only");
            } else {
                let _ = writeln!(w, "  other values: {}", e.catch_all);
            }
        }
        TypeKind::Union(u) => {
            if let Some(d) = &u.discriminator {
                let _ = writeln!(w, "  discriminator {d:?}, other tags: {}", u.catch_all);
                if let Some(i) = u.fallback {
                    let _ = writeln!(w, "  missing or unlisted tag: {}", u.variants[i].rust_name);
                }
            }
            for v in &u.variants {
                let tags = if v.tags.is_empty() {
                    String::new()
                } else {
                    format!(" tags {:?}", v.tags)
                };
                let boxed = if v.boxed { " boxed" } else { "" };
                let _ = writeln!(
                    w,
                    "  variant {}{tags}{boxed}: {}",
                    v.rust_name,
                    type_ref(api, &v.ty)
                );
            }
        }
        TypeKind::Alias(t) => {
            let _ = writeln!(w, "  = {}", type_ref(api, t));
        }
    }
}

/// `String maxLength=64`, `Option<SubaccountDetails>`, `[String]`...
pub fn type_ref(api: &Api, t: &TypeRef) -> String {
    let mut s = match &t.shape {
        Shape::Any => "any".to_string(),
        Shape::Bool => "bool".to_string(),
        Shape::Integer(f) => format!("{f:?}").to_lowercase(),
        Shape::Number(f) => format!("{f:?}").to_lowercase(),
        Shape::String(StringFormat::Plain) => "string".to_string(),
        Shape::String(StringFormat::Other(f)) => format!("string({f})"),
        Shape::String(f) => format!("string({f:?})"),
        Shape::Bytes => "bytes".to_string(),
        Shape::Array(inner) => format!("[{}]", type_ref(api, inner)),
        Shape::Map(inner) => format!("{{string: {}}}", type_ref(api, inner)),
        Shape::OrEmpty(inner) => format!("{} or \"\"", type_ref(api, inner)),
        Shape::Named(id) => api.type_def(*id).name.clone(),
    };
    if t.nullable {
        s.push_str(" nullable");
    }
    let c = &t.constraints;
    let mut add = |name: &str, v: Option<String>| {
        if let Some(v) = v {
            let _ = write!(s, " {name}={v}");
        }
    };
    add("minLength", c.min_length.map(|v| v.to_string()));
    add("maxLength", c.max_length.map(|v| v.to_string()));
    add("pattern", c.pattern.as_ref().map(|v| format!("{v:?}")));
    add(
        if c.exclusive_minimum {
            "exclusiveMinimum"
        } else {
            "minimum"
        },
        c.minimum.map(|v| v.to_string()),
    );
    add(
        if c.exclusive_maximum {
            "exclusiveMaximum"
        } else {
            "maximum"
        },
        c.maximum.map(|v| v.to_string()),
    );
    add("multipleOf", c.multiple_of.map(|v| v.to_string()));
    add("minItems", c.min_items.map(|v| v.to_string()));
    add("maxItems", c.max_items.map(|v| v.to_string()));
    add("uniqueItems", c.unique_items.then(|| "true".to_string()));
    add("minProperties", c.min_properties.map(|v| v.to_string()));
    add("maxProperties", c.max_properties.map(|v| v.to_string()));
    add("default", t.default.as_ref().map(|v| v.to_string()));
    s
}

fn scheme(kind: &SecurityKind) -> String {
    match kind {
        SecurityKind::ApiKey { location, name } => format!("api key in {location:?} {name:?}"),
        SecurityKind::Bearer { format } => format!(
            "bearer{}",
            format
                .as_ref()
                .map(|f| format!(" ({f})"))
                .unwrap_or_default()
        ),
        SecurityKind::Basic => "basic".to_string(),
        SecurityKind::OtherHttp { scheme } => format!("http {scheme}"),
        SecurityKind::OAuth2 { flows } => {
            let names: Vec<&str> = flows.iter().map(|f| f.kind.as_str()).collect();
            format!("oauth2 {}", names.join(", "))
        }
        SecurityKind::OpenIdConnect { url } => format!("openIdConnect {url}"),
    }
}

fn requirements(reqs: &[SecurityRequirement]) -> String {
    describe_requirements(reqs, (" | ", " + "), |s| format!("{s:?}"))
}

fn content_line(w: &mut String, api: &Api, c: &Content) {
    let stream = match (c.kind.is_sequential(), &c.stream_end) {
        (false, _) => String::new(),
        (true, Some(end)) => format!(" (streamed, items of that type, ends at {end:?})"),
        (true, None) => " (streamed, items of that type)".to_string(),
    };
    let _ = writeln!(
        w,
        "    {} {:?} as {}: {}{stream}",
        c.media_type,
        c.kind,
        c.variant,
        type_ref(api, &c.ty)
    );
    for e in &c.encoding {
        let media = e
            .content_type
            .as_ref()
            .map(|m| format!(" as {m}"))
            .unwrap_or_default();
        let headers: Vec<String> = e
            .headers
            .iter()
            .map(|h| {
                let required = if h.required { " required" } else { "" };
                let value = h
                    .value
                    .as_ref()
                    .map(|v| format!(" = {v:?}"))
                    .unwrap_or_default();
                format!("{}{required}{value}", h.name)
            })
            .collect();
        let headers = if headers.is_empty() {
            String::new()
        } else {
            format!(", headers {}", headers.join(", "))
        };
        let _ = writeln!(w, "      encoding {:?}{media}{headers}", e.property);
    }
}

fn opt_doc(d: &Option<String>) -> String {
    d.as_ref()
        .map(|d| format!(" doc {d:?}"))
        .unwrap_or_default()
}
