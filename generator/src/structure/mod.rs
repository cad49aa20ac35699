//! Structural checks on the raw JSON document, before it is typed.
//!
//! Typed deserialization (`openapiv3`) stops at the first problem and, through untagged enums
//! and flattened structs, loses where it was. This pass walks the document against a small
//! description of the OpenAPI 3.0 object model and reports every wrong type, missing required
//! field, unknown enum value and bad `$ref` with its exact JSON pointer. It also repairs the
//! few omissions real specs make that have an obvious meaning (a response without
//! `description`), with a warning, so that they do not stop generation.

use serde_json::Value;

use crate::diagnostics::Diagnostic;
use crate::pointer::join;
use crate::refs;

mod model;

use model::*;

/// Checks the whole document. Returns the diagnostics; errors mean the document must not be
/// deserialized. May repair `doc` in place (each repair comes with a warning).
pub fn check(doc: &mut Value) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    if !doc.is_object() {
        diags.push(Diagnostic::error(
            "#",
            format!(
                "an OpenAPI document must be an object, found {}",
                kind_of(doc)
            ),
        ));
        return diags;
    }
    if !check_version(doc, &mut diags) {
        return diags;
    }
    let mut repairs = Vec::new();
    let mut walker = Walker {
        root: doc,
        diags: &mut diags,
        repairs: &mut repairs,
    };
    walker.obj(doc, &ROOT, "#");
    for at in repairs {
        if let Some(Value::Object(response)) = refs::lookup_mut(doc, &at) {
            response.insert("description".into(), Value::String(String::new()));
        }
    }
    diags
}

/// Only OpenAPI 3.0.x reaches this point (3.1 and Swagger 2.0 were converted to it). Says
/// precisely what else was found.
fn check_version(doc: &Value, diags: &mut Vec<Diagnostic>) -> bool {
    if let Some(v) = doc.get("swagger") {
        // Swagger 2.0 was converted before this point; other versions were not.
        diags.push(
            Diagnostic::error(
                "#/swagger",
                format!(
                    "this is a Swagger {} document; openapi-gen reads Swagger 2.0 and OpenAPI 3.0, 3.1 and 3.2",
                    display(v)
                ),
            )
            .with_help("convert it to Swagger 2.0 or OpenAPI 3 first"),
        );
        return false;
    }
    match doc.get("openapi") {
        None => {
            diags.push(Diagnostic::error(
                "#",
                "missing required field `openapi` (the OpenAPI version, e.g. \"3.0.3\")",
            ));
            false
        }
        Some(Value::String(v)) if v.starts_with("3.0.") || v == "3.0" => true,
        Some(Value::String(v)) => {
            diags.push(Diagnostic::error(
                "#/openapi",
                format!("unknown OpenAPI version \"{v}\"; openapi-gen reads OpenAPI 3.0.x, 3.1.x and 3.2.x (and Swagger 2.0)"),
            ));
            false
        }
        Some(other) => {
            diags.push(Diagnostic::error(
                "#/openapi",
                format!(
                    "`openapi` must be a string such as \"3.0.3\", found {}",
                    kind_of(other)
                ),
            ));
            false
        }
    }
}

struct Walker<'a> {
    root: &'a Value,
    diags: &'a mut Vec<Diagnostic>,
    /// Responses that lack a `description`, to fill in after the walk.
    repairs: &'a mut Vec<String>,
}

impl Walker<'_> {
    fn value(&mut self, v: &Value, shape: Shape, at: &str) {
        match shape {
            Shape::Any => {}
            Shape::Str => self.expect(v.is_string(), v, "a string", at),
            Shape::Bool => self.expect(v.is_boolean(), v, "a boolean", at),
            Shape::Num => self.expect(v.is_number(), v, "a number", at),
            Shape::Count => self.expect(v.is_u64(), v, "a non-negative integer", at),
            Shape::Keyword(words) => match v.as_str() {
                Some(s) if words.contains(&s) => {}
                Some(s) => self.diags.push(Diagnostic::error(
                    at,
                    format!(
                        "unknown value \"{s}\"; expected one of: {}",
                        words.join(", ")
                    ),
                )),
                None => self.type_error(v, &format!("one of: {}", words.join(", ")), at),
            },
            Shape::Obj(obj) => self.obj(v, obj, at),
            Shape::Map(inner) => {
                if let Some(map) = self.as_object(v, "an object", at) {
                    for (k, child) in map {
                        if !k.starts_with("x-") {
                            self.value(child, *inner, &join(at, k));
                        }
                    }
                }
            }
            Shape::List(inner) => match v.as_array() {
                Some(items) => {
                    for (i, child) in items.iter().enumerate() {
                        self.value(child, *inner, &join(at, i.to_string()));
                    }
                }
                None => self.type_error(v, "an array", at),
            },
            Shape::RefOr(kind, inner) => {
                if let Some(r) = v.get("$ref") {
                    self.reference(r, kind, &join(at, "$ref"));
                } else {
                    self.value(v, *inner, at);
                }
            }
            Shape::Schema => self.value(v, SCHEMA_OR_REF, at),
            Shape::BoolOrSchema => {
                if !v.is_boolean() {
                    self.value(v, SCHEMA, at);
                }
            }
            Shape::Paths => self.paths(v, at),
            Shape::Responses => self.responses(v, at),
            Shape::SecurityScheme => self.security_scheme(v, at),
        }
    }

    fn obj(&mut self, v: &Value, obj: &Obj, at: &str) {
        // 3.1-only schema forms get a precise message before the generic type error.
        if std::ptr::eq(obj, &SCHEMA_OBJ) {
            if let Some(Value::Array(_)) = v.get("type") {
                self.diags.push(
                    Diagnostic::error(join(at, "type"), "unsupported construct: a list of types is OpenAPI 3.1; in 3.0 `type` is one string")
                        .with_help("use one type and `nullable: true`, or `oneOf`"),
                );
                return;
            }
        }
        let Some(map) = self.as_object(v, obj.what, at) else {
            return;
        };
        for field in obj.required {
            if !map.contains_key(*field) {
                if std::ptr::eq(obj, &RESPONSE_OBJ) && *field == "description" {
                    self.diags.push(Diagnostic::warning(
                        at,
                        "a response must have a `description`; treating it as empty",
                    ));
                    self.repairs.push(at.to_string());
                    continue;
                }
                self.diags.push(Diagnostic::error(
                    at,
                    format!(
                        "{} is missing its required field `{field}`",
                        capitalized(obj.what)
                    ),
                ));
            }
        }
        for (name, shape) in obj.fields {
            if let Some(child) = map.get(*name) {
                self.value(child, *shape, &join(at, name));
            }
        }
        if std::ptr::eq(obj, &PARAMETER_OBJ) {
            if let (Some(Value::String(loc)), Some(required)) = (map.get("in"), map.get("required"))
            {
                if loc == "path" && required == &Value::Bool(false) {
                    self.diags.push(
                        Diagnostic::lenient(
                            join(at, "required"),
                            "a path parameter must be `required: true`; it is read as required",
                        )
                        .with_help("a path cannot leave out one of its segments"),
                    );
                }
            }
            if map.contains_key("schema") == map.contains_key("content") {
                self.diags.push(Diagnostic::error(
                    at,
                    "a parameter needs exactly one of `schema` and `content`",
                ));
            }
        }
    }

    fn paths(&mut self, v: &Value, at: &str) {
        let Some(map) = self.as_object(v, "the paths object", at) else {
            return;
        };
        for (path, item) in map {
            if path.starts_with("x-") {
                continue;
            }
            let here = join(at, path);
            if !path.starts_with('/') {
                self.diags.push(Diagnostic::error(
                    here.clone(),
                    format!("path \"{path}\" must start with `/`"),
                ));
                continue;
            }
            if item.get("$ref").is_some() {
                self.diags.push(
                    Diagnostic::error(
                        join(&here, "$ref"),
                        "unsupported construct: a path item given by `$ref`",
                    )
                    .with_help("inline the path item"),
                );
                continue;
            }
            self.value(item, PATH_ITEM, &here);
        }
    }

    fn responses(&mut self, v: &Value, at: &str) {
        let Some(map) = self.as_object(v, "a responses object", at) else {
            return;
        };
        if map.keys().all(|k| k.starts_with("x-")) {
            self.diags.push(Diagnostic::warning(at, "an operation should document at least one response; it is generated as returning no body"));
        }
        for (key, response) in map {
            if key.starts_with("x-") {
                continue;
            }
            let here = join(at, key);
            if !is_status_key(key) {
                self.diags.push(Diagnostic::error(
                    here,
                    format!("\"{key}\" is not a response status: expected a code from 100 to 599, a range such as 4XX, or `default`"),
                ));
                continue;
            }
            self.value(response, RESPONSE, &here);
        }
    }

    fn security_scheme(&mut self, v: &Value, at: &str) {
        if let Some(r) = v.get("$ref") {
            self.reference(r, "securitySchemes", &join(at, "$ref"));
            return;
        }
        let kind = match v.get("type") {
            Some(Value::String(t)) => t.clone(),
            Some(other) => {
                self.type_error(
                    other,
                    "one of: apiKey, http, oauth2, openIdConnect",
                    &join(at, "type"),
                );
                return;
            }
            None => {
                if v.is_object() {
                    self.diags.push(Diagnostic::error(
                        at,
                        "a security scheme is missing its required field `type`",
                    ));
                } else {
                    self.type_error(v, "a security scheme", at);
                }
                return;
            }
        };
        let obj = match kind.as_str() {
            "apiKey" => &API_KEY_SCHEME,
            "http" => &HTTP_SCHEME,
            "oauth2" => &OAUTH2_SCHEME,
            "openIdConnect" => &OPENID_SCHEME,
            other => {
                self.diags.push(Diagnostic::error(
                    join(at, "type"),
                    format!("unknown security scheme type \"{other}\"; expected one of: apiKey, http, oauth2, openIdConnect"),
                ));
                return;
            }
        };
        self.obj(v, obj, at);
    }

    fn reference(&mut self, r: &Value, kind: &str, at: &str) {
        let Some(target) = r.as_str() else {
            self.type_error(r, "a string", at);
            return;
        };
        match refs::check(self.root, target, kind) {
            Ok(()) => {}
            Err(problem) => self.diags.push(problem.into_diagnostic(at, target, kind)),
        }
    }

    fn as_object<'v>(
        &mut self,
        v: &'v Value,
        what: &str,
        at: &str,
    ) -> Option<&'v serde_json::Map<String, Value>> {
        let map = v.as_object();
        if map.is_none() {
            self.type_error(v, what, at);
        }
        map
    }

    fn expect(&mut self, ok: bool, v: &Value, what: &str, at: &str) {
        if !ok {
            self.type_error(v, what, at);
        }
    }

    fn type_error(&mut self, v: &Value, what: &str, at: &str) {
        let field = crate::pointer::segments(at).pop().unwrap_or_default();
        self.diags.push(Diagnostic::error(
            at,
            format!("`{field}` must be {what}, found {}", kind_of(v)),
        ));
    }
}

fn is_status_key(key: &str) -> bool {
    if key == "default" {
        return true;
    }
    let b = key.as_bytes();
    b.len() == 3
        && (b'1'..=b'5').contains(&b[0])
        && ((b[1].is_ascii_digit() && b[2].is_ascii_digit())
            || (b[1].eq_ignore_ascii_case(&b'X') && b[2].eq_ignore_ascii_case(&b'X')))
}

/// "a string (\"yes\")", "an object", ... for messages.
pub(crate) fn kind_of(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("a boolean ({b})"),
        Value::Number(n) => format!("a number ({n})"),
        Value::String(s) if s.len() <= 40 => format!("a string (\"{s}\")"),
        Value::String(_) => "a string".into(),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

fn display(v: &Value) -> String {
    v.as_str().map_or_else(|| v.to_string(), str::to_string)
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn errors(mut doc: Value) -> Vec<(String, String)> {
        check(&mut doc)
            .into_iter()
            .map(|d| (d.pointer.unwrap_or_default(), d.message))
            .collect()
    }

    fn minimal(paths: Value) -> Value {
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths})
    }

    #[test]
    fn clean_minimal_document() {
        assert!(errors(minimal(json!({}))).is_empty());
    }

    #[test]
    fn wrong_types_have_exact_pointers() {
        let doc = minimal(json!({"/a": {"get": {
            "parameters": [{"name": "x", "in": "query", "required": "yes", "schema": {"type": "string"}}],
            "responses": {"200": {"description": "ok"}}
        }}}));
        assert_eq!(
            errors(doc),
            vec![(
                "#/paths/~1a/get/parameters/0/required".to_string(),
                "`required` must be a boolean, found a string (\"yes\")".to_string()
            )]
        );
    }

    #[test]
    fn unknown_keywords_and_missing_fields() {
        let doc = minimal(json!({"/a": {"get": {
            "parameters": [{"name": "x", "in": "body", "schema": {"type": "str"}}],
            "responses": {"200": {}}
        }}}));
        let errs = errors(doc);
        assert!(errs
            .iter()
            .any(|(p, m)| p == "#/paths/~1a/get/parameters/0/in" && m.contains("\"body\"")));
        assert!(
            errs.iter()
                .any(|(p, m)| p == "#/paths/~1a/get/parameters/0/schema/type"
                    && m.contains("\"str\""))
        );
        // The missing response description is repaired with a warning.
        assert!(errs
            .iter()
            .any(|(p, m)| p == "#/paths/~1a/get/responses/200" && m.contains("description")));
    }

    #[test]
    fn versions() {
        // 3.1 and 2.0 are converted before the structural checks; these are not.
        assert!(errors(json!({"swagger": "1.2"}))[0]
            .1
            .contains("Swagger 1.2"));
        assert!(errors(json!({"openapi": "3.2.0"}))[0]
            .1
            .contains("unknown OpenAPI version \"3.2.0\""));
        assert!(errors(json!({"openapi": 3}))[0]
            .1
            .contains("must be a string"));
        assert!(errors(json!([]))[0].1.contains("must be an object"));
    }

    #[test]
    fn status_keys() {
        for ok in ["200", "4XX", "5xx", "default", "101"] {
            assert!(is_status_key(ok), "{ok}");
        }
        for bad in ["20", "600", "2000", "ok", "6XX", "4X0"] {
            assert!(!is_status_key(bad), "{bad}");
        }
    }
}
