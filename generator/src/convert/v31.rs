//! OpenAPI 3.1 → 3.0: JSON Schema 2020-12 schemas in the 3.0 dialect, and the 3.1 document
//! fields the model has no use for removed (with a warning where something is not generated).
//!
//! | 3.1 | 3.0 |
//! |---|---|
//! | `type: [T, "null"]`, `type: "null"` | `type: T, nullable: true`, `nullable: true` |
//! | `type: [A, B]` | `anyOf: [{type: A}, {type: B}]` |
//! | `anyOf`/`oneOf` with a `{type: "null"}` member | the other members, `nullable: true` |
//! | `const: v` | `enum: [v]`; a `oneOf` whose members share a `const` property gets a discriminator |
//! | `exclusiveMinimum: n` | `minimum: n, exclusiveMinimum: true` |
//! | `$ref` with siblings | `allOf: [{$ref}]` with the annotations (`description`, `default`...) |
//! | `examples: [a, ...]` | `example: a` |
//! | `contentEncoding: base64` / `contentMediaType` | `format: byte` / `format: binary` |
//! | `$defs` | `x-defs` (references rewritten) |
//! | `components/pathItems` referenced from `paths` | the path item, inline |
//! | `webhooks` | kept as `x-openapi-gen-webhooks`, for `resolve` |
//! | `if`/`then`/`else`, `prefixItems`... | warned by name and place, dropped |

use serde_json::{json, Map, Value};

use super::PointerMap;
use crate::diagnostics::Diagnostic;
use crate::pointer::join;

/// The dialect 3.1 documents use unless they say otherwise.
const DEFAULT_DIALECT: &str = "https://spec.openapis.org/oas/3.1/dialect/base";

/// Schema keywords 3.0 cannot express: warned, then dropped.
const UNSUPPORTED: &[&str] = &[
    "if",
    "then",
    "else",
    "dependentSchemas",
    "dependentRequired",
    "unevaluatedProperties",
    "unevaluatedItems",
    "contains",
    "minContains",
    "maxContains",
    "propertyNames",
    "patternProperties",
    "$anchor",
    "$dynamicRef",
    "$dynamicAnchor",
    "$recursiveRef",
    "$recursiveAnchor",
];

/// Schema keywords that only document: dropped silently.
const META: &[&str] = &["$schema", "$id", "$comment", "$vocabulary"];

/// Keywords kept beside a `$ref` (wrapped in `allOf`): they annotate the use.
const REF_ANNOTATIONS: &[&str] = &[
    "description",
    "title",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
    "example",
    "externalDocs",
    "nullable",
];

pub fn convert(doc: &mut Value, map: &mut PointerMap, diags: &mut Vec<Diagnostic>) {
    let Some(root) = doc.as_object_mut() else {
        return;
    };
    root.insert("openapi".into(), Value::String("3.0.3".into()));
    if let Some(dialect) = root.remove("jsonSchemaDialect") {
        if dialect.as_str() != Some(DEFAULT_DIALECT) {
            diags.push(Diagnostic::warning(
                "#/jsonSchemaDialect",
                format!("schemas are read as the OpenAPI 3.1 base dialect, not {dialect}"),
            ));
        }
    }
    if let Some(Value::Object(info)) = root.get_mut("info") {
        if let Some(summary) = info.remove("summary") {
            info.entry("description").or_insert(summary);
        }
        if let Some(Value::Object(license)) = info.get_mut("license") {
            license.remove("identifier");
        }
    }
    root.entry("paths").or_insert_with(|| json!({}));
    inline_path_items(root, map, diags);
    let unions = schemas(doc, map, diags, None);
    for at in unions {
        infer_discriminator(doc, &at);
    }
    // Webhooks (their schemas converted above) are kept where 3.0's object model lets
    // them be, an extension that `resolve` reads.
    if let Some(root) = doc.as_object_mut() {
        if let Some(hooks) = root.remove("webhooks") {
            map.record(format!("#/{WEBHOOKS_EXTENSION}"), "#/webhooks");
            root.insert(WEBHOOKS_EXTENSION.into(), hooks);
        }
    }
}

/// Where a 3.1 document's `webhooks` are kept in the 3.0 form.
pub const WEBHOOKS_EXTENSION: &str = "x-openapi-gen-webhooks";

/// The schemas of a document of another version (`version`: "OpenAPI 3.0", "Swagger 2.0",
/// already in the 3.0 form) that use OpenAPI 3.1 constructs anyway, as published specs do:
/// each construct is read as 3.1 reads it, with a lenient warning at its place. A schema
/// without them is left as it is.
pub fn foreign(
    doc: &mut Value,
    map: &mut PointerMap,
    diags: &mut Vec<Diagnostic>,
    version: &'static str,
) {
    schemas(doc, map, diags, Some(version));
}

/// Converts every schema of the document (`foreign`: the version of a document that is not
/// 3.1) and renames `$defs` references; the `oneOf`s without a discriminator, for a 3.1
/// document to look at.
fn schemas(
    doc: &mut Value,
    map: &mut PointerMap,
    diags: &mut Vec<Diagnostic>,
    foreign: Option<&'static str>,
) -> Vec<String> {
    let mut unions = Vec::new();
    walk(
        doc,
        "#",
        &mut Walk {
            map,
            diags,
            unions: &mut unions,
            foreign,
        },
    );
    rename_defs_refs(doc);
    unions
}

/// Lenient warnings for the constructs of another version in schema `s` at `orig`: OpenAPI
/// 3.1's in a document of `foreign` version, or OpenAPI 3.0's in a 3.1 document.
fn mixed_versions(s: &Map<String, Value>, orig: &str, foreign: Option<&str>, w: &mut Walk) {
    let mut warn = |key: &str, what: String, reading: &str| {
        w.diags.push(Diagnostic::lenient(
            join(orig, key),
            format!("{what}; read as {reading}"),
        ));
    };
    let Some(version) = foreign else {
        if s.get("nullable") == Some(&Value::Bool(true)) && !s.contains_key("$ref") {
            warn(
                "nullable",
                "`nullable` is OpenAPI 3.0, not 3.1".into(),
                "`type: [..., \"null\"]`, a value that may be null",
            );
        }
        for key in ["exclusiveMinimum", "exclusiveMaximum"] {
            if s.get(key).is_some_and(Value::is_boolean) {
                warn(
                    key,
                    format!("a boolean `{key}` is OpenAPI 3.0, not 3.1"),
                    "3.0 reads it, of the bound beside it",
                );
            }
        }
        return;
    };
    let of_31 = |what: &str| format!("{what} is OpenAPI 3.1, not {version}");
    match s.get("type") {
        Some(Value::Array(_)) => warn(
            "type",
            of_31("`type` as a list"),
            "3.1 reads it: `null` among the types makes the value nullable",
        ),
        Some(Value::String(t)) if t == "null" => warn(
            "type",
            of_31("`type: \"null\"`"),
            "a value that is always null",
        ),
        _ => {}
    }
    if s.contains_key("const") {
        warn("const", of_31("`const`"), "a one-value `enum`");
    }
    if s.get("examples").is_some_and(Value::is_array) {
        warn(
            "examples",
            of_31("`examples` in a schema"),
            "`example` (its first value)",
        );
    }
    for key in ["exclusiveMinimum", "exclusiveMaximum"] {
        if s.get(key).is_some_and(Value::is_number) {
            warn(
                key,
                of_31(&format!("a numeric `{key}`")),
                "an exclusive bound",
            );
        }
    }
    if s.contains_key("$ref") && s.keys().any(|k| k != "$ref" && !k.starts_with("x-")) {
        warn(
            "$ref",
            format!("{version} ignores the siblings of `$ref`"),
            "OpenAPI 3.1 reads them: the referenced schema, with the siblings' annotations (`description`, `nullable`...) for this use",
        );
    }
    if version == "Swagger 2.0" {
        for key in ["anyOf", "oneOf", "not"] {
            if s.contains_key(key) {
                warn(
                    key,
                    format!("`{key}` is OpenAPI 3, not Swagger 2.0"),
                    "OpenAPI 3 reads it",
                );
            }
        }
    }
    for key in ["anyOf", "oneOf"] {
        let members = s.get(key).and_then(Value::as_array).into_iter().flatten();
        for (i, m) in members.enumerate() {
            if is_type_null(m) {
                w.diags.push(Diagnostic::lenient(
                    join(&join(orig, key), i.to_string()),
                    format!(
                        "a `type: \"null\"` member of `{key}` is OpenAPI 3.1, not {version}; read as `nullable: true`"
                    ),
                ));
            }
        }
    }
}

/// A schema that allows only `null`, as 3.1 writes it.
fn is_type_null(m: &Value) -> bool {
    m.get("type") == Some(&json!("null")) || m.get("type") == Some(&json!(["null"]))
}

/// `paths` entries that are a `$ref` to `components/pathItems` become the path item itself.
fn inline_path_items(
    root: &mut Map<String, Value>,
    map: &mut PointerMap,
    diags: &mut Vec<Diagnostic>,
) {
    let items = root
        .get_mut("components")
        .and_then(Value::as_object_mut)
        .and_then(|c| c.remove("pathItems"));
    let Some(Value::Object(items)) = items else {
        return;
    };
    let Some(Value::Object(paths)) = root.get_mut("paths") else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(target) = item.get("$ref").and_then(Value::as_str) else {
            continue;
        };
        let at = join("#/paths", path);
        match target.strip_prefix("#/components/pathItems/") {
            Some(name) if items.contains_key(name) => {
                map.record(at, join("#/components/pathItems", name));
                *item = items[name].clone();
            }
            _ => diags.push(Diagnostic::error(
                join(&at, "$ref"),
                format!("dangling reference: {target:?} is not a path item of this document"),
            )),
        }
    }
}

struct Walk<'a> {
    map: &'a mut PointerMap,
    diags: &'a mut Vec<Diagnostic>,
    /// `oneOf`s without a discriminator, to look at once every schema is converted.
    unions: &'a mut Vec<String>,
    /// `Some(version)` when the document is not OpenAPI 3.1 but uses its constructs.
    foreign: Option<&'static str>,
}

/// Finds the schemas of the document (under `schema` keys and `components/schemas`) and
/// converts each; example values and extensions are data, never walked.
fn walk(v: &mut Value, at: &str, w: &mut Walk) {
    match v {
        Value::Object(obj) => {
            for (k, child) in obj.iter_mut() {
                let here = join(at, k);
                if k.starts_with("x-") || k == "example" || k == "examples" {
                    continue;
                }
                if k == "schema" {
                    let orig = w.map.original(&here);
                    schema(child, &here, &orig, w);
                } else if k == "schemas" && at == "#/components" {
                    if let Value::Object(schemas) = child {
                        for (name, s) in schemas.iter_mut() {
                            let p = join(&here, name);
                            let orig = w.map.original(&p);
                            schema(s, &p, &orig, w);
                        }
                    }
                } else {
                    walk(child, &here, w);
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                walk(child, &join(at, i.to_string()), w);
            }
        }
        _ => {}
    }
}

/// Converts one schema in place. `at` is its pointer in the rewritten document, `orig` in the
/// user's.
fn schema(v: &mut Value, at: &str, orig: &str, w: &mut Walk) {
    if let Value::Bool(b) = v {
        // `true` allows anything; `false` nothing, which 3.0 cannot say of a schema.
        if !*b {
            w.diags.push(Diagnostic::warning(
                orig,
                "the schema `false` (no value allowed) is read as any value",
            ));
        }
        *v = json!({});
        return;
    }
    let Value::Object(s) = v else {
        return;
    };
    mixed_versions(s, orig, w.foreign, w);
    for k in META {
        s.remove(*k);
    }
    for k in UNSUPPORTED {
        if s.remove(*k).is_some() {
            w.diags.push(Diagnostic::warning(
                join(orig, k),
                format!("`{k}` is not expressed in the generated code (OpenAPI 3.1 keyword); it is ignored"),
            ));
        }
    }
    if s.contains_key("$ref") && s.len() > 1 {
        ref_with_siblings(s, at, orig, w);
    }
    types(s);
    if let Some(c) = s.remove("const") {
        // A constant says its type; 3.0 enums want it said.
        let ty = match &c {
            Value::String(_) => Some("string"),
            Value::Bool(_) => Some("boolean"),
            Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
            Value::Number(_) => Some("number"),
            _ => None,
        };
        if let (Some(ty), false) = (ty, s.contains_key("type") || s.contains_key("nullable")) {
            s.insert("type".into(), json!(ty));
        }
        s.insert("enum".into(), Value::Array(vec![c]));
    }
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(n) = s.get(exclusive).filter(|v| v.is_number()).cloned() {
            s.insert(bound.into(), n);
            s.insert(exclusive.into(), Value::Bool(true));
        }
    }
    if let Some(examples) = s.remove("examples") {
        if let Some(first) = examples.as_array().and_then(|a| a.first()) {
            s.entry("example").or_insert_with(|| first.clone());
        }
    }
    let encoding = s.remove("contentEncoding");
    let media = s.remove("contentMediaType");
    if s.get("type").and_then(Value::as_str) == Some("string") && !s.contains_key("format") {
        match (encoding.as_ref().and_then(Value::as_str), &media) {
            (Some("base64"), _) => {
                s.insert("format".into(), json!("byte"));
            }
            (None, Some(_)) => {
                s.insert("format".into(), json!("binary"));
            }
            (Some(other), _) => w.diags.push(Diagnostic::warning(
                join(orig, "contentEncoding"),
                format!("content encoding `{other}` is not decoded; the value is a string"),
            )),
            (None, None) => {}
        }
    }
    if let Some(prefix) = s.remove("prefixItems") {
        w.diags.push(
            Diagnostic::warning(
                join(orig, "prefixItems"),
                "`prefixItems` (a tuple) is read as an array of any values",
            )
            .with_help("the positions' types are not checked by the generated code"),
        );
        if !s.contains_key("items") || s.get("items") == Some(&Value::Bool(false)) {
            let _ = prefix;
            s.insert("items".into(), json!({}));
        }
    }
    if s.get("items") == Some(&Value::Bool(false)) {
        s.remove("items");
    }
    null_members(s, at, orig, w);
    if let Some(defs) = s.remove("$defs") {
        w.map.record(join(at, "x-defs"), join(orig, "$defs"));
        s.insert("x-defs".into(), defs);
    }
    if s.contains_key("oneOf") && !s.contains_key("discriminator") && w.foreign.is_none() {
        w.unions.push(at.to_string());
    }
    // Subschemas.
    for key in ["properties", "x-defs"] {
        if let Some(Value::Object(props)) = s.get_mut(key) {
            let src = if key == "x-defs" { "$defs" } else { key };
            for (name, p) in props.iter_mut() {
                schema(
                    p,
                    &join(&join(at, key), name),
                    &join(&join(orig, src), name),
                    w,
                );
            }
        }
    }
    for key in ["items", "not"] {
        if let Some(child) = s.get_mut(key) {
            schema(
                child,
                &join(at, key),
                &original_child(w.map, at, orig, key),
                w,
            );
        }
    }
    if let Some(child @ Value::Object(_)) = s.get_mut("additionalProperties") {
        schema(
            child,
            &join(at, "additionalProperties"),
            &join(orig, "additionalProperties"),
            w,
        );
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(Value::Array(members)) = s.get_mut(key) {
            for (i, m) in members.iter_mut().enumerate() {
                let new_at = join(&join(at, key), i.to_string());
                let orig_at = w.map.original(&new_at);
                schema(m, &new_at, &orig_at, w);
            }
        }
    }
}

/// The original pointer of a child, when the child did not move.
fn original_child(map: &PointerMap, at: &str, orig: &str, key: &str) -> String {
    let mapped = map.original(&join(at, key));
    if mapped == join(at, key) {
        join(orig, key)
    } else {
        mapped
    }
}

/// `type` as a list: `null` becomes `nullable`; several other types become `anyOf`.
pub(super) fn types(s: &mut Map<String, Value>) {
    let ty = match s.get("type") {
        Some(Value::Array(list)) => list.clone(),
        Some(Value::String(t)) if t == "null" => vec![Value::String("null".into())],
        _ => return,
    };
    let null = ty.iter().any(|t| t == "null");
    let others: Vec<Value> = ty.into_iter().filter(|t| t != "null").collect();
    s.remove("type");
    if null {
        s.insert("nullable".into(), Value::Bool(true));
    }
    match others.len() {
        0 => {}
        1 => {
            s.insert("type".into(), others[0].clone());
        }
        _ => {
            // Each type with the keywords that apply to it; the rest stays outside.
            let members = others.into_iter().map(|t| json!({ "type": t })).collect();
            s.insert("anyOf".into(), Value::Array(members));
        }
    }
}

/// A `$ref` with siblings: the referenced type is kept; annotations apply to this use.
fn ref_with_siblings(s: &mut Map<String, Value>, at: &str, orig: &str, w: &mut Walk) {
    let reference = s.remove("$ref").unwrap_or(Value::Null);
    let mut kept = Map::new();
    for (k, v) in std::mem::take(s) {
        if k == "summary" {
            kept.entry("description").or_insert(v);
        } else if REF_ANNOTATIONS.contains(&k.as_str()) || k.starts_with("x-") {
            kept.insert(k, v);
        } else if k == "type" && v.as_array().is_some_and(|t| t.iter().any(|t| t == "null")) {
            kept.insert("nullable".into(), Value::Bool(true));
        } else if k == "examples" {
            if let Some(first) = v.as_array().and_then(|a| a.first()) {
                kept.insert("example".into(), first.clone());
            }
        } else {
            w.diags.push(Diagnostic::warning(
                join(orig, &k),
                format!("`{k}` beside `$ref` is ignored: the referenced schema applies"),
            ));
        }
    }
    *s = kept;
    s.insert("allOf".into(), json!([{ "$ref": reference }]));
    w.map.record(join(&join(at, "allOf"), "0"), orig);
}

/// `anyOf`/`oneOf` members that are only `null`: removed, and the schema is nullable.
fn null_members(s: &mut Map<String, Value>, at: &str, orig: &str, w: &mut Walk) {
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(members)) = s.get(key) else {
            continue;
        };
        // In a document of another version, only 3.1's own way of saying it.
        let foreign = w.foreign.is_some();
        let is_null = |m: &Value| {
            is_type_null(m)
                || !foreign
                    && (m.get("nullable") == Some(&json!(true))
                        && m.as_object().is_some_and(|o| o.len() == 1)
                        || m.get("enum") == Some(&json!([null])))
        };
        if !members.iter().any(is_null) {
            continue;
        }
        let kept: Vec<(usize, Value)> = members
            .iter()
            .cloned()
            .enumerate()
            .filter(|(_, m)| !is_null(m))
            .collect();
        s.remove(key);
        s.insert("nullable".into(), Value::Bool(true));
        let src = join(orig, key);
        let (new_key, list) = if kept.len() == 1 && !s.contains_key("allOf") {
            ("allOf", kept)
        } else {
            (key, kept)
        };
        let mut out = Vec::new();
        for (new_i, (old_i, m)) in list.into_iter().enumerate() {
            w.map.record(
                join(&join(at, new_key), new_i.to_string()),
                join(&src, old_i.to_string()),
            );
            out.push(m);
        }
        if !out.is_empty() {
            s.insert(new_key.into(), Value::Array(out));
        }
    }
}

/// Every `$ref` into a `$defs` now points into `x-defs`.
fn rename_defs_refs(v: &mut Value) {
    match v {
        Value::Object(obj) => {
            for (k, child) in obj.iter_mut() {
                if k == "$ref" {
                    if let Value::String(r) = child {
                        if r.contains("/$defs/") {
                            *r = r.replace("/$defs/", "/x-defs/");
                        }
                    }
                } else if !k.starts_with("x-") || k == "x-defs" {
                    rename_defs_refs(child);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(rename_defs_refs),
        _ => {}
    }
}

/// A `oneOf` of references whose targets all have a required property with one constant
/// value, distinct per member, is tagged by that property: it gets the discriminator 3.0
/// would have written.
fn infer_discriminator(doc: &mut Value, at: &str) {
    let Some(members) = crate::refs::lookup(doc, at)
        .and_then(|s| s.get("oneOf"))
        .and_then(Value::as_array)
    else {
        return;
    };
    let mut targets = Vec::new();
    for m in members {
        let Some(r) = m.get("$ref").and_then(Value::as_str) else {
            return;
        };
        let Some(target) = crate::refs::lookup(doc, r) else {
            return;
        };
        targets.push((r.to_string(), target));
    }
    let Some((_, first)) = targets.first() else {
        return;
    };
    let constant = |t: &Value, p: &str| -> Option<String> {
        let required = t.get("required")?.as_array()?.iter().any(|r| r == p);
        let values = t.get("properties")?.get(p)?.get("enum")?.as_array()?;
        match values.as_slice() {
            [Value::String(v)] if required => Some(v.clone()),
            _ => None,
        }
    };
    let Some(props) = first.get("properties").and_then(Value::as_object) else {
        return;
    };
    for p in props.keys() {
        let tags: Option<Vec<(String, String)>> = targets
            .iter()
            .map(|(r, t)| constant(t, p).map(|v| (v, r.clone())))
            .collect();
        let Some(tags) = tags else {
            continue;
        };
        let mut distinct: Vec<&String> = tags.iter().map(|(v, _)| v).collect();
        distinct.sort();
        distinct.dedup();
        if distinct.len() != tags.len() {
            continue;
        }
        let mapping: Map<String, Value> = tags
            .into_iter()
            .map(|(v, r)| (v, Value::String(r)))
            .collect();
        let discriminator = json!({ "propertyName": p, "mapping": mapping });
        if let Some(Value::Object(s)) = crate::refs::lookup_mut(doc, at) {
            s.insert("discriminator".into(), discriminator);
        }
        return;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convert_doc(doc: Value) -> (Value, Vec<Diagnostic>, PointerMap) {
        super::super::converted(convert, doc)
    }

    fn schema_of(s: Value) -> (Value, Vec<Diagnostic>) {
        let (doc, diags, _) = convert_doc(json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "components": {"schemas": {"S": s}}
        }));
        (doc["components"]["schemas"]["S"].clone(), diags)
    }

    #[test]
    fn type_lists_and_null() {
        assert_eq!(
            schema_of(json!({"type": ["string", "null"], "maxLength": 3})).0,
            json!({"type": "string", "nullable": true, "maxLength": 3})
        );
        assert_eq!(
            schema_of(json!({"type": "null"})).0,
            json!({"nullable": true})
        );
        assert_eq!(
            schema_of(json!({"type": ["integer", "string"]})).0,
            json!({"anyOf": [{"type": "integer"}, {"type": "string"}]})
        );
        assert_eq!(
            schema_of(json!({"anyOf": [{"$ref": "#/components/schemas/T"}, {"type": "null"}]})).0,
            json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/T"}]})
        );
    }

    #[test]
    fn const_bounds_examples_and_encodings() {
        assert_eq!(
            schema_of(json!({"const": "dog"})).0,
            json!({"type": "string", "enum": ["dog"]})
        );
        assert_eq!(
            schema_of(json!({"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 10})).0,
            json!({"type": "integer", "exclusiveMinimum": true, "exclusiveMaximum": true, "minimum": 0, "maximum": 10})
        );
        assert_eq!(
            schema_of(json!({"type": "string", "examples": ["a", "b"]})).0,
            json!({"type": "string", "example": "a"})
        );
        assert_eq!(
            schema_of(json!({"type": "string", "contentEncoding": "base64"})).0,
            json!({"type": "string", "format": "byte"})
        );
        assert_eq!(
            schema_of(json!({"type": "string", "contentMediaType": "image/png"})).0,
            json!({"type": "string", "format": "binary"})
        );
    }

    #[test]
    fn ref_siblings_keep_the_type_and_the_annotations() {
        let (s, diags) = schema_of(json!({
            "$ref": "#/components/schemas/T", "description": "d", "default": 1, "maxLength": 4
        }));
        assert_eq!(
            s,
            json!({"description": "d", "default": 1, "allOf": [{"$ref": "#/components/schemas/T"}]})
        );
        assert_eq!(diags.len(), 1);
        assert_eq!(
            diags[0].pointer.as_deref(),
            Some("#/components/schemas/S/maxLength")
        );
    }

    #[test]
    fn unsupported_keywords_are_warned_at_their_place() {
        let (s, diags) = schema_of(json!({
            "type": "object", "if": {}, "then": {}, "minContains": 1, "unevaluatedProperties": false,
            "dependentSchemas": {}, "$schema": "x", "$comment": "y"
        }));
        assert_eq!(s, json!({"type": "object"}));
        let found: Vec<_> = diags.iter().filter_map(|d| d.pointer.as_deref()).collect();
        assert_eq!(
            found,
            [
                "#/components/schemas/S/if",
                "#/components/schemas/S/then",
                "#/components/schemas/S/dependentSchemas",
                "#/components/schemas/S/unevaluatedProperties",
                "#/components/schemas/S/minContains",
            ]
        );
    }

    #[test]
    fn document_fields() {
        let (doc, diags, map) = convert_doc(json!({
            "openapi": "3.1.1",
            "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
            "info": {"title": "t", "version": "1", "summary": "s", "license": {"name": "MIT", "identifier": "MIT"}},
            "webhooks": {"ping": {}},
            "components": {"pathItems": {"P": {"get": {"responses": {}}}}},
            "paths": {"/p": {"$ref": "#/components/pathItems/P"}}
        }));
        assert_eq!(doc["openapi"], "3.0.3");
        assert_eq!(
            doc["info"],
            json!({"title": "t", "version": "1", "description": "s", "license": {"name": "MIT"}})
        );
        assert_eq!(doc["paths"]["/p"], json!({"get": {"responses": {}}}));
        assert!(doc.get("webhooks").is_none() && doc.get("jsonSchemaDialect").is_none());
        // Webhooks are kept for `resolve`, in an extension that points back at them.
        assert_eq!(doc[WEBHOOKS_EXTENSION], json!({"ping": {}}));
        assert_eq!(
            map.original(&format!("#/{WEBHOOKS_EXTENSION}/ping/post")),
            "#/webhooks/ping/post"
        );
        let at: Vec<_> = diags.iter().filter_map(|d| d.pointer.as_deref()).collect();
        assert_eq!(at, ["#/jsonSchemaDialect"]);
        assert_eq!(
            map.original("#/paths/~1p/get"),
            "#/components/pathItems/P/get"
        );
        // No paths at all is fine in 3.1.
        let (doc, _, _) =
            convert_doc(json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}}));
        assert_eq!(doc["paths"], json!({}));
    }

    #[test]
    fn const_tagged_one_of_gets_a_discriminator() {
        let (doc, _, _) = convert_doc(json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "components": {"schemas": {
                "U": {"oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}]},
                "A": {"type": "object", "required": ["kind"], "properties": {"kind": {"const": "a"}}},
                "B": {"type": "object", "required": ["kind"], "properties": {"kind": {"const": "b"}}}
            }}
        }));
        assert_eq!(
            doc["components"]["schemas"]["U"]["discriminator"],
            json!({"propertyName": "kind", "mapping": {"a": "#/components/schemas/A", "b": "#/components/schemas/B"}})
        );
    }
}
