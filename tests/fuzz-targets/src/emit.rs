//! Small hostile specs (odd names, keywords, unicode, nesting, recursive references, large
//! enums, colliding operation ids) → generate: the output must parse as Rust.

use arbitrary::{Arbitrary, Unstructured};
use serde_json::{json, Map, Value};

/// Names that make trouble: keywords, prelude names, digits, symbols, unicode, collisions.
const NAMES: &[&str] = &[
    "type",
    "self",
    "Self",
    "super",
    "crate",
    "fn",
    "match",
    "r#type",
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Ok",
    "Err",
    "Some",
    "None",
    "Default",
    "Client",
    "types",
    "server",
    "ops",
    "rt",
    "Error",
    "123",
    "1st",
    "+1",
    "-1",
    "a-b",
    "a b",
    "a.b",
    "a/b",
    "",
    "_",
    "__",
    "Ünïcödé",
    "名前",
    "emoji😀",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "id",
    "ID",
    "Id",
    "list_pets",
    "listPets",
    "ListPets",
    "list-pets",
    "get",
    "new",
    "stream",
    "send",
    "body",
    "params",
    "request",
    "headers",
    "status",
    "Unknown",
    "Other",
    "kind",
];

#[derive(Debug, Arbitrary)]
enum Kind {
    Str,
    Int,
    Num,
    Bool,
    Array(u8),
    Object(u8),
    Enum(Vec<u8>),
    Ref(u8),
    OneOf(Vec<u8>),
    AllOf(Vec<u8>),
    Map(u8),
    Nullable(u8),
}

#[derive(Debug, Arbitrary)]
struct Prop {
    name: u8,
    kind: Kind,
    required: bool,
}

#[derive(Debug, Arbitrary)]
struct Schema {
    name: u8,
    props: Vec<Prop>,
    discriminator: Option<u8>,
}

#[derive(Debug, Arbitrary)]
struct Op {
    id: u8,
    path: Vec<u8>,
    method: u8,
    params: Vec<(u8, u8, Kind)>,
    body: Option<Kind>,
    responses: Vec<(u16, Option<Kind>)>,
}

/// A spec in the fuzzer's words.
#[derive(Debug, Arbitrary)]
pub struct Spec {
    schemas: Vec<Schema>,
    ops: Vec<Op>,
    json: bool,
}

fn name(i: u8) -> String {
    NAMES[usize::from(i) % NAMES.len()].to_string()
}

fn schema_of(kind: &Kind, schemas: &[String], depth: u8) -> Value {
    if depth > 6 {
        return json!({"type": "string"});
    }
    let pick = |i: &u8| -> Value {
        match schemas.get(usize::from(*i) % schemas.len().max(1)) {
            Some(s) => {
                json!({"$ref": format!("#/components/schemas/{}", s.replace('~', "~0").replace('/', "~1"))})
            }
            None => json!({"type": "integer"}),
        }
    };
    match kind {
        Kind::Str => json!({"type": "string", "maxLength": 10}),
        Kind::Int => json!({"type": "integer", "format": "int32", "minimum": 0}),
        Kind::Num => json!({"type": "number"}),
        Kind::Bool => json!({"type": "boolean"}),
        Kind::Array(i) => json!({"type": "array", "items": pick(i)}),
        Kind::Object(i) => json!({
            "type": "object",
            "properties": {name(*i): {"type": "string"}, name(i.wrapping_add(1)): pick(i)},
        }),
        Kind::Enum(values) => {
            let values: Vec<Value> = values.iter().map(|v| Value::from(name(*v))).collect();
            json!({"type": "string", "enum": values})
        }
        Kind::Ref(i) => pick(i),
        Kind::OneOf(members) => json!({"oneOf": members.iter().map(pick).collect::<Vec<_>>()}),
        Kind::AllOf(members) => json!({"allOf": members.iter().map(pick).collect::<Vec<_>>()}),
        Kind::Map(i) => json!({"type": "object", "additionalProperties": pick(i)}),
        Kind::Nullable(i) => {
            let mut s = pick(i);
            if let Value::Object(m) = &mut s {
                if !m.contains_key("$ref") {
                    m.insert("nullable".into(), true.into());
                }
            }
            s
        }
    }
}

impl Spec {
    /// The spec as a document.
    pub fn document(&self) -> Value {
        let names: Vec<String> = self.schemas.iter().map(|s| name(s.name)).collect();
        let mut schemas = Map::new();
        for s in &self.schemas {
            let mut props = Map::new();
            let mut required = Vec::new();
            for p in &s.props {
                props.insert(name(p.name), schema_of(&p.kind, &names, 0));
                if p.required {
                    required.push(Value::from(name(p.name)));
                }
            }
            let mut schema = json!({"type": "object", "properties": props});
            if !required.is_empty() {
                schema["required"] = Value::Array(required);
            }
            if let Some(d) = s.discriminator {
                schema = json!({
                    "oneOf": names.iter().take(3).map(|n| json!({"$ref": format!("#/components/schemas/{}", n.replace('~', "~0").replace('/', "~1"))})).collect::<Vec<_>>(),
                    "discriminator": {"propertyName": name(d)},
                });
            }
            schemas.insert(name(s.name), schema);
        }
        let mut paths = Map::new();
        for op in &self.ops {
            let segments: Vec<String> = op.path.iter().map(|s| name(*s)).collect();
            let path = format!("/{}", segments.join("/"));
            let method = [
                "get", "put", "post", "delete", "patch", "head", "options", "trace",
            ][usize::from(op.method) % 8];
            let params: Vec<Value> = op
                .params
                .iter()
                .map(|(n, at, kind)| {
                    let at = ["query", "header", "cookie", "path"][usize::from(*at) % 4];
                    json!({"name": name(*n), "in": at, "required": at == "path", "schema": schema_of(kind, &names, 0)})
                })
                .collect();
            let mut responses = Map::new();
            for (status, kind) in &op.responses {
                let mut r = json!({"description": "r"});
                if let Some(k) = kind {
                    r["content"] = json!({"application/json": {"schema": schema_of(k, &names, 0)}});
                }
                let key = if status % 7 == 0 {
                    "default".to_string()
                } else {
                    (100 + status % 500).to_string()
                };
                responses.insert(key, r);
            }
            if responses.is_empty() {
                responses.insert("200".into(), json!({"description": "ok"}));
            }
            let mut operation =
                json!({"operationId": name(op.id), "parameters": params, "responses": responses});
            if let Some(b) = &op.body {
                operation["requestBody"] =
                    json!({"content": {"application/json": {"schema": schema_of(b, &names, 0)}}});
            }
            let item = paths.entry(path).or_insert_with(|| json!({}));
            item[method] = operation;
        }
        json!({
            "openapi": "3.0.3",
            "info": {"title": "Fuzz", "version": "1"},
            "paths": paths,
            "components": {"schemas": schemas},
        })
    }
}

/// The spec (JSON text) that the input `data` describes, if it describes one.
pub fn spec_text(data: &[u8]) -> Option<String> {
    let spec = Spec::arbitrary(&mut Unstructured::new(data)).ok()?;
    let document = spec.document();
    Some(if spec.json {
        document.to_string()
    } else {
        serde_json::to_string_pretty(&document).unwrap_or_default()
    })
}

/// Generates from the spec `data` describes; what is generated must parse as Rust.
pub fn run(data: &[u8]) {
    let Some(text) = spec_text(data) else {
        return;
    };
    let Ok(resolved) = openapi_gen::resolve_text(std::path::Path::new("fuzz.json"), &text, "fuzz")
    else {
        return;
    };
    let source = openapi_gen::emit::module_source(&resolved.api)
        .unwrap_or_else(|e| panic!("the generator failed on a spec it accepted: {e}\n{text}"));
    if let Err(e) = syn::parse_file(&source) {
        panic!("generated code does not parse: {e}\nspec: {text}");
    }
}
