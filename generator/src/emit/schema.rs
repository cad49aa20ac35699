//! The model's types as JSON Schema (2020-12), which generated servers validate requests
//! against, and the *kind* of each parameter and form field (how its text is read as JSON).
//!
//! Requests only: `readOnly` properties are not required (OpenAPI 3.0 says they apply to
//! responses). Unions are `anyOf`: a value is accepted when it matches a variant, as the
//! generated types read it; with a discriminator, the tag must be a documented one.

use serde_json::{json, Map, Value};

use crate::ir::*;

/// `{Name: schema}` for every named type.
pub fn defs(api: &Api) -> Value {
    let mut map = Map::new();
    for def in &api.types {
        map.insert(def.name.clone(), type_def(api, def));
    }
    Value::Object(map)
}

fn type_def(api: &Api, def: &TypeDef) -> Value {
    let mut schema = kind_schema(api, def);
    if let Value::Object(map) = &mut schema {
        constraints(&def.constraints, map);
    }
    schema
}

fn kind_schema(api: &Api, def: &TypeDef) -> Value {
    match &def.kind {
        TypeKind::Struct(s) => {
            let mut props = Map::new();
            for f in &s.fields {
                props.insert(f.name.clone(), use_site(api, &f.ty));
            }
            let required: Vec<&str> = s
                .fields
                .iter()
                .filter(|f| f.required && !f.read_only)
                .map(|f| f.name.as_str())
                .collect();
            let mut out = Map::new();
            out.insert("type".into(), json!("object"));
            if !props.is_empty() {
                out.insert("properties".into(), Value::Object(props));
            }
            if !required.is_empty() {
                out.insert("required".into(), json!(required));
            }
            if let Some(a) = &s.additional {
                out.insert("additionalProperties".into(), use_site(api, a));
            } else if s.closed {
                out.insert("additionalProperties".into(), json!(false));
            }
            Value::Object(out)
        }
        TypeKind::Enum(e) => {
            let values: Vec<Value> = e.variants.iter().map(|v| v.value.clone()).collect();
            json!({ "enum": values })
        }
        TypeKind::Union(u) if u.fallback.is_some() => fallback_union(api, u),
        TypeKind::Union(u) => {
            let variants: Vec<Value> = u.variants.iter().map(|v| use_site(api, &v.ty)).collect();
            let mut out = Map::new();
            out.insert("anyOf".into(), Value::Array(variants));
            if let Some(prop) = &u.discriminator {
                // With a default variant (`defaultMapping`) any tag, or none, is read.
                if u.fallback.is_none() && u.variants.iter().all(|v| !v.tags.is_empty()) {
                    let tags: Vec<&str> = u
                        .variants
                        .iter()
                        .flat_map(|v| v.tags.iter().map(String::as_str))
                        .collect();
                    out.insert("required".into(), json!([prop]));
                    out.insert(
                        "properties".into(),
                        json!({ prop.as_str(): { "enum": tags } }),
                    );
                }
            }
            Value::Object(out)
        }
        TypeKind::Alias(t) => use_site(api, t),
    }
}

/// A discriminated union with a default variant (`defaultMapping`), exactly as its types read
/// it: a listed tag selects its variant; a missing or unlisted tag, the default.
fn fallback_union(api: &Api, u: &Union) -> Value {
    let (Some(property), Some(fallback)) = (&u.discriminator, u.fallback) else {
        unreachable!("only a discriminated union has a default variant")
    };
    let tagged = |tags: Vec<&String>| json!({ "required": [property], "properties": { property.as_str(): { "enum": tags } } });
    let listed: Vec<&String> = u
        .variants
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != fallback)
        .flat_map(|(_, v)| &v.tags)
        .collect();
    let variants = u.variants.iter().enumerate().map(|(i, v)| {
        let schema = use_site(api, &v.ty);
        if i == fallback {
            json!({ "allOf": [schema, { "not": tagged(listed.clone()) }] })
        } else if v.tags.is_empty() {
            schema
        } else {
            json!({ "allOf": [schema, tagged(v.tags.iter().collect())] })
        }
    });
    json!({ "anyOf": variants.collect::<Vec<_>>() })
}

/// The schema of a use of a type: its shape, constraints and nullability.
pub fn use_site(api: &Api, t: &TypeRef) -> Value {
    let mut out = match &t.shape {
        Shape::Any | Shape::Bytes => Map::new(),
        Shape::Bool => obj(json!({"type": "boolean"})),
        Shape::Integer(f) => {
            let mut m = obj(json!({"type": "integer"}));
            let (lo, hi): (Option<i64>, Option<i64>) = match f {
                IntFormat::I8 => (Some(i8::MIN.into()), Some(i8::MAX.into())),
                IntFormat::I16 => (Some(i16::MIN.into()), Some(i16::MAX.into())),
                IntFormat::I32 => (Some(i32::MIN.into()), Some(i32::MAX.into())),
                IntFormat::U8 => (Some(0), Some(u8::MAX.into())),
                IntFormat::U16 => (Some(0), Some(u16::MAX.into())),
                IntFormat::U32 => (Some(0), Some(u32::MAX.into())),
                IntFormat::U64 => (Some(0), None),
                IntFormat::I64 => (Some(i64::MIN), Some(i64::MAX)),
            };
            if let Some(lo) = lo {
                m.insert("minimum".into(), json!(lo));
            }
            if let Some(hi) = hi {
                m.insert("maximum".into(), json!(hi));
            }
            m
        }
        Shape::Number(_) => obj(json!({"type": "number"})),
        Shape::String(format) => {
            let mut m = obj(json!({"type": "string"}));
            // Only the formats whose Rust types parse them are checked.
            let checked = match format {
                StringFormat::DateTime => Some("date-time"),
                StringFormat::Date => Some("date"),
                StringFormat::Uuid => Some("uuid"),
                StringFormat::Email => Some("email"),
                StringFormat::Ipv4 => Some("ipv4"),
                StringFormat::Ipv6 => Some("ipv6"),
                StringFormat::Binary => return Value::Object(Map::new()),
                // Base64 text (`rt::Base64` reads both alphabets, padded or not).
                StringFormat::Byte => {
                    m.insert("pattern".into(), json!("^[A-Za-z0-9+/_-]*={0,2}$"));
                    None
                }
                _ => None,
            };
            if let Some(f) = checked {
                m.insert("format".into(), json!(f));
            }
            m
        }
        Shape::Array(inner) => obj(json!({"type": "array", "items": use_site(api, inner)})),
        Shape::Map(inner) => {
            obj(json!({"type": "object", "additionalProperties": use_site(api, inner)}))
        }
        Shape::OrEmpty(inner) => {
            obj(json!({"anyOf": [use_site(api, inner), {"type": "string", "enum": [""]}]}))
        }
        Shape::Named(id) => obj(json!({"$ref": format!("#/$defs/{}", api.type_def(*id).name)})),
    };
    constraints(&t.constraints, &mut out);
    if t.nullable && !out.is_empty() {
        return json!({"anyOf": [Value::Object(out), {"type": "null"}]});
    }
    Value::Object(out)
}

fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

fn constraints(c: &Constraints, out: &mut Map<String, Value>) {
    let mut put = |k: &str, v: Value| {
        out.insert(k.to_string(), v);
    };
    if let Some(v) = c.min_length {
        put("minLength", json!(v));
    }
    if let Some(v) = c.max_length {
        put("maxLength", json!(v));
    }
    if let Some(v) = &c.pattern {
        put("pattern", json!(v));
    }
    if let Some(v) = c.minimum {
        put(
            if c.exclusive_minimum {
                "exclusiveMinimum"
            } else {
                "minimum"
            },
            number(v),
        );
    }
    if let Some(v) = c.maximum {
        put(
            if c.exclusive_maximum {
                "exclusiveMaximum"
            } else {
                "maximum"
            },
            number(v),
        );
    }
    if let Some(v) = c.multiple_of {
        put("multipleOf", number(v));
    }
    if let Some(v) = c.min_items {
        put("minItems", json!(v));
    }
    if let Some(v) = c.max_items {
        put("maxItems", json!(v));
    }
    if c.unique_items {
        put("uniqueItems", json!(true));
    }
    if let Some(v) = c.min_properties {
        put("minProperties", json!(v));
    }
    if let Some(v) = c.max_properties {
        put("maxProperties", json!(v));
    }
}

/// Whole numbers as integers (`100`, not `100.0`), so the schema reads as the spec does.
fn number(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        json!(v as i64)
    } else {
        json!(v)
    }
}

/// The schema of an operation's parameters: an object keyed by the parameters' Rust names.
pub fn params(api: &Api, op: &Operation) -> Value {
    let mut props = Map::new();
    for p in &op.parameters {
        props.insert(p.rust_name.clone(), use_site(api, &p.ty));
    }
    let required: Vec<&str> = op
        .parameters
        .iter()
        .filter(|p| p.required)
        .map(|p| p.rust_name.as_str())
        .collect();
    json!({"type": "object", "properties": props, "required": required})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constraints_and_nullability() {
        let api = Api {
            title: String::new(),
            version: String::new(),
            description: None,
            module: "m".into(),
            servers: vec![],
            security_schemes: vec![],
            security: vec![],
            operations: vec![],
            webhooks: vec![],
            webhook_tag: None,
            types: vec![],
            scopes: vec![],
            fallback_error: Value::Null,
            header_sets: vec![],
        };
        let mut t = TypeRef::new(Shape::Integer(IntFormat::I32));
        t.constraints.maximum = Some(100.0);
        t.constraints.minimum = Some(0.5);
        t.constraints.exclusive_minimum = true;
        t.nullable = true;
        assert_eq!(
            use_site(&api, &t),
            json!({"anyOf": [
                {"type": "integer", "minimum": i32::MIN, "maximum": 100, "exclusiveMinimum": 0.5},
                {"type": "null"}
            ]})
        );
    }
}
