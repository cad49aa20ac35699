//! The error body a generated server answers with when it refuses a request, in the spec's
//! own error shape: a JSON template built from the schema of the operation's error response,
//! with placeholders (`$summary`, `$message`, `$field`, `$location`, `$code`, `$status`, and
//! `$each` for lists of problems) where a field's name says what it holds, and the least
//! valid value where a required field has no such name. The runtime fills the placeholders.

use serde_json::{json, Map, Value};

use crate::ir::*;

/// The error body of an operation: from the JSON schema of its `400` response, else `422`,
/// `4XX`, `default`, or its first other `4xx`; an API without any gets the generic template.
pub(super) fn template(api: &Api, op: &Operation) -> Value {
    error_type(op)
        .map(|t| fill(api, t, false, 0))
        .unwrap_or_else(generic_template)
}

fn error_type(op: &Operation) -> Option<&TypeRef> {
    fn json(r: &Response) -> Option<&TypeRef> {
        r.contents
            .iter()
            .find(|c| c.kind == MediaKind::Json)
            .map(|c| &c.ty)
    }
    let rank = |s: &StatusCode| match s {
        StatusCode::Code(400) => Some(0),
        StatusCode::Code(422) => Some(1),
        StatusCode::Range(4) => Some(2),
        StatusCode::Default => Some(3),
        StatusCode::Code(c) if (400..500).contains(c) => Some(4),
        _ => None,
    };
    op.responses
        .iter()
        .filter_map(|r| Some((rank(&r.status)?, json(r)?)))
        .min_by_key(|(rank, _)| *rank)
        .map(|(_, t)| t)
}

/// The template for requests that match no operation: the most common template among the
/// operations that document an error body.
pub(super) fn fallback(api: &Api) -> Value {
    let mut counts: Vec<(Value, usize)> = Vec::new();
    for op in &api.operations {
        let Some(t) = error_type(op).map(|t| fill(api, t, false, 0)) else {
            continue;
        };
        match counts.iter_mut().find(|(v, _)| *v == t) {
            Some((_, n)) => *n += 1,
            None => counts.push((t, 1)),
        }
    }
    // The first of the most common, so the choice is stable.
    let best = counts.iter().map(|(_, n)| *n).max().unwrap_or(0);
    counts
        .into_iter()
        .find(|(_, n)| *n == best)
        .map(|(v, _)| v)
        .unwrap_or_else(generic_template)
}

/// When the spec documents no error body.
fn generic_template() -> Value {
    json!({
        "error": "$code",
        "message": "$summary",
        "details": [{"$each": {"location": "$location", "field": "$field", "message": "$message"}}]
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Message,
    Field,
    Code,
    Status,
    Location,
    List,
    Container,
    None,
}

fn role(name: &str) -> Role {
    let n: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    match n.as_str() {
        "message" | "msg" | "detail" | "description" | "title" | "errordescription"
        | "errormessage" | "reason" | "summary" | "error" => Role::Message,
        "field" | "param" | "parameter" | "pointer" | "property" | "path" | "attribute"
        | "fieldname" | "propertyname" | "jsonpath" => Role::Field,
        "code" | "errorcode" | "type" | "kind" | "errortype" | "reasoncode" => Role::Code,
        "status" | "statuscode" | "httpstatus" => Role::Status,
        "location" | "in" => Role::Location,
        "errors" | "details" | "problems" | "violations" | "fields" | "invalidparams"
        | "issues" | "errordetails" | "validationerrors" | "causes" | "messages"
        | "fielderrors" => Role::List,
        "problem" => Role::Container,
        _ => Role::None,
    }
}

fn is_string(api: &Api, t: &TypeRef) -> bool {
    matches!(api.unalias(t).shape, Shape::String(_))
}

fn is_integer(api: &Api, t: &TypeRef) -> bool {
    matches!(api.unalias(t).shape, Shape::Integer(_) | Shape::Number(_))
}

fn first_enum_value(api: &Api, t: &TypeRef) -> Option<Value> {
    match &api.unalias(t).shape {
        Shape::Named(id) => match &api.type_def(*id).kind {
            TypeKind::Enum(e) => e.variants.first().map(|v| v.value.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// A template value of type `t`: placeholders where a field's name says what it holds,
/// the least valid value where a required field has no such name.
fn fill(api: &Api, t: &TypeRef, in_each: bool, depth: usize) -> Value {
    if depth > 6 {
        return Value::Null;
    }
    let t = api.unalias(t);
    if let Some(v) = first_enum_value(api, t) {
        return v;
    }
    match &t.shape {
        Shape::String(_) | Shape::Any => json!(if in_each { "$message" } else { "$summary" }),
        Shape::Array(items) => {
            json!([{ "$each": fill(api, items, true, depth + 1) }])
        }
        Shape::Named(id) => match &api.type_def(*id).kind {
            TypeKind::Struct(s) => fill_struct(api, s, in_each, depth),
            TypeKind::Union(u) => u
                .variants
                .first()
                .map_or(Value::Null, |v| fill(api, &v.ty, in_each, depth + 1)),
            _ => least(api, t, depth),
        },
        _ => least(api, t, depth),
    }
}

fn fill_struct(api: &Api, s: &Struct, in_each: bool, depth: usize) -> Value {
    let has_message = s
        .fields
        .iter()
        .any(|f| role(&f.name) == Role::Message && f.name != "error" && is_string(api, &f.ty));
    let mut out = Map::new();
    for f in &s.fields {
        let mut r = role(&f.name);
        if f.name == "error" && has_message && is_string(api, &f.ty) {
            r = Role::Code;
        }
        let value = if let Some(v) = first_enum_value(api, &f.ty) {
            (f.required || r != Role::None).then_some(v)
        } else if is_string(api, &f.ty) {
            match r {
                Role::Message => Some(json!(if in_each { "$message" } else { "$summary" })),
                Role::Field if in_each => Some(json!("$field")),
                Role::Location if in_each => Some(json!("$location")),
                Role::Code => Some(json!("$code")),
                _ if f.required => Some(least(api, &f.ty, depth)),
                _ => None,
            }
        } else if is_integer(api, &f.ty) {
            match r {
                Role::Status | Role::Code => Some(json!("$status")),
                _ if f.required => Some(least(api, &f.ty, depth)),
                _ => None,
            }
        } else {
            let inner = api.unalias(&f.ty);
            match (&inner.shape, r) {
                (Shape::Array(_), Role::List) => Some(fill(api, inner, true, depth + 1)),
                (Shape::Named(_), Role::Message | Role::Container | Role::List) => {
                    Some(fill(api, inner, in_each, depth + 1))
                }
                _ if f.required => Some(fill(api, inner, in_each, depth + 1)),
                _ => None,
            }
        };
        if let Some(v) = value {
            out.insert(f.name.clone(), v);
        }
    }
    Value::Object(out)
}

/// The least value of a type that its constraints allow.
fn least(api: &Api, t: &TypeRef, depth: usize) -> Value {
    let t = api.unalias(t);
    if let Some(v) = first_enum_value(api, t) {
        return v;
    }
    let c = &t.constraints;
    match &t.shape {
        Shape::Bool => json!(false),
        Shape::Integer(_) => json!(c.minimum.map_or(0, |m| m.ceil() as i64)),
        Shape::Number(_) => json!(c.minimum.unwrap_or(0.0)),
        Shape::String(StringFormat::DateTime) => json!("1970-01-01T00:00:00Z"),
        Shape::String(StringFormat::Date) => json!("1970-01-01"),
        Shape::String(StringFormat::Uuid) => json!("00000000-0000-0000-0000-000000000000"),
        Shape::String(_) => json!("x".repeat(c.min_length.unwrap_or(0).min(64) as usize)),
        Shape::Array(_) | Shape::Bytes => json!([]),
        Shape::Map(_) | Shape::Any => json!({}),
        Shape::OrEmpty(_) => json!(""),
        Shape::Named(_) => fill(api, t, false, depth + 1),
    }
}
