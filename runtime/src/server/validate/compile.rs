//! The fast check's plan compiled from a schema: the small part of JSON Schema the
//! generator writes (see its `emit/schema.rs`) becomes nodes; whatever else is
//! [`Kind::Unsure`], which the slow path decides.

use jsonschema::Validator;
use regex::Regex;
use serde_json::{Map, Value};

/// One node of a plan: what a value there may be.
pub(super) struct Node {
    pub(super) nullable: bool,
    pub(super) kind: Kind,
}

pub(super) enum Kind {
    /// `{}`: anything.
    Any,
    /// What the fast check does not decide.
    Unsure,
    /// Another node (a `$ref`).
    Ref(usize),
    Bool,
    Integer(Bounds),
    Number(Bounds),
    String(Text),
    Array {
        items: usize,
        min: Option<u64>,
        max: Option<u64>,
    },
    Object(Object),
    /// One of these strings, numbers or booleans.
    Enum(Vec<Value>),
    /// A discriminated union of objects.
    Tagged(Tagged),
}

/// A discriminated union as the generator writes it: `anyOf` its variants, the discriminator
/// required and one of the listed tags. The fast check reads an object whose first key is
/// the discriminator as the variant its tag names, whole: if that variant accepts the object,
/// `anyOf` does. Any other object is the slow path's.
pub(super) struct Tagged {
    pub(super) property: String,
    /// Each listed tag, with the node of the variant whose discriminator takes it.
    pub(super) variants: Vec<(String, usize)>,
}

#[derive(Default)]
pub(super) struct Bounds {
    pub(super) min: Option<(f64, bool)>,
    pub(super) max: Option<(f64, bool)>,
    /// A whole `multipleOf` (checked on whole values).
    pub(super) multiple_of: Option<i64>,
}

pub(super) struct Text {
    pub(super) min: Option<u64>,
    pub(super) max: Option<u64>,
    /// `format: date`, checked here.
    pub(super) date: bool,
    /// A `pattern` whose meaning is the same to ECMA-262 and to the `regex` crate.
    pub(super) pattern: Option<Regex>,
    /// Other patterns and formats, by the `jsonschema` crate.
    pub(super) rest: Option<Validator>,
}

pub(super) struct Object {
    pub(super) properties: Vec<(String, usize)>,
    /// Whether each property is required.
    pub(super) required: Vec<bool>,
    pub(super) extra: Extra,
    pub(super) min: Option<u64>,
    pub(super) max: Option<u64>,
}

pub(super) enum Extra {
    Allowed,
    Denied,
    Schema(usize),
}

/// The nodes of `schema`, whose `$ref`s point into `defs` (`#/$defs/Name`); the first is
/// the schema's own.
pub(super) fn nodes(schema: &Value, defs: &Value) -> Vec<Node> {
    let mut compiler = Compiler {
        defs,
        nodes: Vec::new(),
        named: Vec::new(),
    };
    compiler.node(schema);
    compiler.nodes
}

struct Compiler<'a> {
    defs: &'a Value,
    nodes: Vec<Node>,
    /// The node of each `$defs` entry compiled so far (recursive types refer back).
    named: Vec<(&'a str, usize)>,
}

impl<'a> Compiler<'a> {
    /// Compiles `schema` into a new node and returns its index.
    fn node(&mut self, schema: &'a Value) -> usize {
        let at = self.nodes.len();
        self.nodes.push(Node {
            nullable: false,
            kind: Kind::Unsure,
        });
        let (nullable, kind) = match schema {
            Value::Object(map) => self.object_schema(map),
            Value::Bool(true) => (false, Kind::Any),
            _ => (false, Kind::Unsure),
        };
        self.nodes[at] = Node { nullable, kind };
        at
    }

    fn object_schema(&mut self, map: &'a Map<String, Value>) -> (bool, Kind) {
        let only = |keys: &[&str]| map.keys().all(|k| keys.contains(&k.as_str()));
        if map.is_empty() {
            return (false, Kind::Any);
        }
        if let Some(target) = map.get("$ref") {
            if !only(&["$ref"]) {
                return (false, Kind::Unsure);
            }
            return (false, self.reference(target));
        }
        if let Some(Value::Array(variants)) = map.get("anyOf") {
            if let Some(tagged) = self.tagged(map, variants) {
                return (false, Kind::Tagged(tagged));
            }
            // Otherwise only the nullable form: `anyOf: [X, {type: null}]`.
            let is_null = |v: &Value| *v == serde_json::json!({"type": "null"});
            return match variants.as_slice() {
                [x, n] | [n, x] if only(&["anyOf"]) && is_null(n) && !is_null(x) => {
                    (true, Kind::Ref(self.node(x)))
                }
                _ => (false, Kind::Unsure),
            };
        }
        if let Some(Value::Array(values)) = map.get("enum") {
            let scalar = |v: &Value| v.is_string() || v.is_number() || v.is_boolean();
            if only(&["enum"]) && values.iter().all(scalar) {
                return (false, Kind::Enum(values.clone()));
            }
            return (false, Kind::Unsure);
        }
        let count = |k: &str| map.get(k).and_then(Value::as_u64);
        let kind = match map.get("type").and_then(Value::as_str) {
            Some("boolean") if only(&["type"]) => Kind::Bool,
            Some(t @ ("integer" | "number")) => {
                let known = [
                    "type",
                    "minimum",
                    "maximum",
                    "exclusiveMinimum",
                    "exclusiveMaximum",
                    "multipleOf",
                ];
                match (only(&known), bounds(map)) {
                    (true, Some(b)) if t == "integer" => Kind::Integer(b),
                    (true, Some(b)) => Kind::Number(b),
                    _ => Kind::Unsure,
                }
            }
            Some("string") if only(&["type", "minLength", "maxLength", "pattern", "format"]) => {
                let date = map.get("format").and_then(Value::as_str) == Some("date");
                let pattern = map
                    .get("pattern")
                    .and_then(Value::as_str)
                    .and_then(plain_regex);
                let mut rest = map.clone();
                rest.retain(|k, _| {
                    (k == "pattern" && pattern.is_none()) || (k == "format" && !date)
                });
                let rest = if rest.is_empty() {
                    None
                } else {
                    match jsonschema::options()
                        .with_draft(jsonschema::Draft::Draft202012)
                        .should_validate_formats(true)
                        .build(&Value::Object(rest))
                    {
                        Ok(v) => Some(v),
                        Err(_) => return (false, Kind::Unsure),
                    }
                };
                Kind::String(Text {
                    min: count("minLength"),
                    max: count("maxLength"),
                    date,
                    pattern,
                    rest,
                })
            }
            Some("array") if only(&["type", "items", "minItems", "maxItems"]) => Kind::Array {
                items: match map.get("items") {
                    Some(items) => self.node(items),
                    None => self.node(&Value::Bool(true)),
                },
                min: count("minItems"),
                max: count("maxItems"),
            },
            Some("object")
                if only(&[
                    "type",
                    "properties",
                    "required",
                    "additionalProperties",
                    "minProperties",
                    "maxProperties",
                ]) =>
            {
                self.object(map)
            }
            _ => Kind::Unsure,
        };
        (false, kind)
    }

    fn object(&mut self, map: &'a Map<String, Value>) -> Kind {
        let mut properties = Vec::new();
        if let Some(props) = map.get("properties") {
            let Value::Object(props) = props else {
                return Kind::Unsure;
            };
            for (name, schema) in props {
                properties.push((name.clone(), self.node(schema)));
            }
        }
        let mut required = vec![false; properties.len()];
        if let Some(names) = map.get("required") {
            let Value::Array(names) = names else {
                return Kind::Unsure;
            };
            for name in names {
                match properties
                    .iter()
                    .position(|(p, _)| Some(p.as_str()) == name.as_str())
                {
                    Some(i) => required[i] = true,
                    // Required but not described: the slow path decides.
                    None => return Kind::Unsure,
                }
            }
        }
        let extra = match map.get("additionalProperties") {
            None | Some(Value::Bool(true)) => Extra::Allowed,
            Some(Value::Bool(false)) => Extra::Denied,
            Some(schema) => Extra::Schema(self.node(schema)),
        };
        let count = |k: &str| map.get(k).and_then(Value::as_u64);
        Kind::Object(Object {
            properties,
            required,
            extra,
            min: count("minProperties"),
            max: count("maxProperties"),
        })
    }

    /// A discriminated union: `{anyOf: [variants], required: [p], properties: {p: {enum:
    /// tags}}}`, each tag taken by a variant's own `p`.
    fn tagged(&mut self, map: &'a Map<String, Value>, variants: &'a [Value]) -> Option<Tagged> {
        if !map
            .keys()
            .all(|k| ["anyOf", "required", "properties"].contains(&k.as_str()))
        {
            return None;
        }
        let Some([Value::String(property)]) = map
            .get("required")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        else {
            return None;
        };
        let properties = map.get("properties")?.as_object()?;
        if properties.len() != 1 {
            return None;
        }
        let tags = properties.get(property)?.as_object()?;
        if tags.len() != 1 {
            return None;
        }
        let tags = tags.get("enum")?.as_array()?;
        let own: Vec<Vec<&str>> = variants.iter().map(|v| self.tags_of(v, property)).collect();
        let nodes: Vec<usize> = variants.iter().map(|v| self.node(v)).collect();
        let mut out = Vec::new();
        for tag in tags {
            let tag = tag.as_str()?;
            // Listed tags no variant takes as its own are the slow path's.
            if let Some(i) = own.iter().position(|own| own.contains(&tag)) {
                out.push((tag.to_string(), nodes[i]));
            }
        }
        Some(Tagged {
            property: property.clone(),
            variants: out,
        })
    }

    /// The values `property` of the object schema `variant` takes, when it lists them
    /// (`enum`, through `$ref`s into the definitions).
    fn tags_of(&self, variant: &'a Value, property: &str) -> Vec<&'a str> {
        let object = self.deref(variant);
        let schema = object
            .and_then(|o| o.get("properties"))
            .and_then(|p| p.get(property));
        let values = schema
            .and_then(|s| self.deref(s))
            .and_then(|s| s.get("enum"))
            .and_then(Value::as_array);
        values
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect()
    }

    /// `schema`, or the definition it is a `$ref` to (a few levels deep).
    fn deref(&self, mut schema: &'a Value) -> Option<&'a Value> {
        for _ in 0..8 {
            match schema.get("$ref").and_then(Value::as_str) {
                Some(target) => schema = self.defs.get(target.strip_prefix("#/$defs/")?)?,
                None => return Some(schema),
            }
        }
        None
    }

    fn reference(&mut self, target: &'a Value) -> Kind {
        let Some(name) = target.as_str().and_then(|t| t.strip_prefix("#/$defs/")) else {
            return Kind::Unsure;
        };
        if name.contains(['/', '~']) {
            return Kind::Unsure;
        }
        if let Some((_, i)) = self.named.iter().find(|(n, _)| *n == name) {
            return Kind::Ref(*i);
        }
        let Some(schema) = self.defs.get(name) else {
            return Kind::Unsure;
        };
        // Claim the name before compiling, so that a recursive type refers to itself.
        let at = self.nodes.len();
        self.named.push((name, at));
        let compiled = self.node(schema);
        debug_assert_eq!(compiled, at);
        Kind::Ref(at)
    }
}

fn bounds(map: &Map<String, Value>) -> Option<Bounds> {
    let get = |k: &str| map.get(k).map(|v| v.as_f64().filter(|f| f.is_finite()));
    let mut b = Bounds::default();
    match (get("minimum"), get("exclusiveMinimum")) {
        (Some(None), _) | (_, Some(None)) | (Some(Some(_)), Some(Some(_))) => return None,
        (Some(Some(v)), None) => b.min = Some((v, false)),
        (None, Some(Some(v))) => b.min = Some((v, true)),
        (None, None) => {}
    }
    match (get("maximum"), get("exclusiveMaximum")) {
        (Some(None), _) | (_, Some(None)) | (Some(Some(_)), Some(Some(_))) => return None,
        (Some(Some(v)), None) => b.max = Some((v, false)),
        (None, Some(Some(v))) => b.max = Some((v, true)),
        (None, None) => {}
    }
    if let Some(m) = map.get("multipleOf") {
        b.multiple_of = Some(m.as_i64().filter(|m| *m > 0)?);
    }
    Some(b)
}

/// `pattern` compiled by the `regex` crate when it is written only with what ECMA-262 (the
/// dialect JSON Schema patterns are in) and the `regex` crate read alike: literals,
/// bracketed ranges, groups, alternation, anchors and quantifiers. `None` for everything
/// else (`\d`, `\w` and `.` differ; lookaround and flags are ECMA's or the crate's own).
pub(super) fn plain_regex(pattern: &str) -> Option<Regex> {
    let mut chars = pattern.chars().peekable();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '^' | '$' | '|' | '+' | '*' | ',' | '-' => {}
            '_' | ' ' | ':' | '/' | '@' | '#' | '=' | '!' | '<' | '>' | '%' | '\'' | '"' => {}
            '?' | '{' | '}' | ')' if !in_class => {}
            '(' if !in_class && chars.peek() != Some(&'?') => {}
            '[' if !in_class => in_class = true,
            ']' if in_class => in_class = false,
            // An escaped punctuation character is itself in both.
            '\\' if chars.next().is_some_and(|e| e.is_ascii_punctuation()) => {}
            _ => return None,
        }
        if in_class && c == '-' && chars.peek() == Some(&'-') {
            return None;
        }
    }
    if in_class {
        return None;
    }
    Regex::new(pattern).ok()
}

/// An RFC 3339 `full-date` (`2021-04-01`), as JSON Schema's `date` format reads it.
pub(super) fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0, |n, d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let (Some(year), Some(month), Some(day)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}
