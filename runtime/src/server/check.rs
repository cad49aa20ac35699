//! The fast check: reads a JSON body straight from its bytes against the operation's schema,
//! without building a `serde_json::Value`, and answers "valid" only when it is sure.
//!
//! The schemas a generated server carries use a small part of JSON Schema (see the
//! generator's `emit/schema.rs`): types, `properties`/`required`/`additionalProperties`,
//! `items`, `enum`, `$ref`, `anyOf` with `null` for nullable values, and the numeric, length
//! and count constraints. A [`Plan`] is that part, compiled once per route. Whatever else a
//! schema holds (a union, `uniqueItems`, `multipleOf` with fractions...) is [`Kind::Unsure`],
//! and so is every doubt while reading (a duplicate key, `1.0` for an integer, an unknown
//! field where none are allowed): the check then answers "not sure" and the dispatcher
//! validates the body with the `jsonschema` crate as before, which decides and words the
//! refusal. `pattern` and `format` are checked by that crate too, on the one string.
//!
//! The invariant: every body the plan accepts, the `jsonschema` validator of the same schema
//! accepts. The tests below compare the two on chosen and on generated bodies, and the
//! `server_request` fuzz target checks every call an implementation receives against the
//! spec.

use std::fmt;

use jsonschema::Validator;
use regex::Regex;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// A schema compiled for the fast check.
pub(crate) struct Plan {
    nodes: Vec<Node>,
}

struct Node {
    nullable: bool,
    kind: Kind,
}

enum Kind {
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
}

#[derive(Default)]
struct Bounds {
    min: Option<(f64, bool)>,
    max: Option<(f64, bool)>,
    /// A whole `multipleOf` (checked on whole values).
    multiple_of: Option<i64>,
}

struct Text {
    min: Option<u64>,
    max: Option<u64>,
    /// `format: date`, checked here.
    date: bool,
    /// A `pattern` whose meaning is the same to ECMA-262 and to the `regex` crate.
    pattern: Option<Regex>,
    /// Other patterns and formats, by the `jsonschema` crate.
    rest: Option<Validator>,
}

struct Object {
    properties: Vec<(String, usize)>,
    /// Whether each property is required.
    required: Vec<bool>,
    extra: Extra,
    min: Option<u64>,
    max: Option<u64>,
}

enum Extra {
    Allowed,
    Denied,
    Schema(usize),
}

/// Integers beyond this magnitude are compared by the slow path (as `f64` they may round).
const EXACT: f64 = 9_007_199_254_740_992.0;

impl Plan {
    /// The plan of `schema`, whose `$ref`s point into `defs` (`#/$defs/Name`).
    pub(crate) fn new(schema: &Value, defs: &Value) -> Plan {
        let mut compiler = Compiler {
            defs,
            nodes: Vec::new(),
            named: Vec::new(),
        };
        compiler.node(schema);
        Plan {
            nodes: compiler.nodes,
        }
    }

    /// Whether `bytes` is certainly one JSON value that the schema accepts; `false` when it is
    /// not, or when the fast check cannot tell.
    pub(crate) fn accepts(&self, bytes: &[u8]) -> bool {
        let mut de = serde_json::Deserializer::from_slice(bytes);
        At {
            plan: self,
            node: 0,
        }
        .deserialize(&mut de)
        .is_ok()
            && de.end().is_ok()
    }

    /// Where the whole value is checked.
    pub(super) fn root(&self) -> At<'_> {
        At {
            plan: self,
            node: 0,
        }
    }

    /// Whether `value` is certainly accepted by the schema (as [`Plan::accepts`]).
    #[cfg(test)]
    pub(crate) fn accepts_value(&self, value: &Value) -> bool {
        At {
            plan: self,
            node: 0,
        }
        .deserialize(value)
        .is_ok()
    }

    /// Whether the parameters, as an object keyed by their Rust names, are certainly
    /// accepted by the schema.
    pub(crate) fn accepts_pairs(&self, pairs: &[(&'static str, Value)]) -> bool {
        type E = serde_json::Error;
        let root = self.root();
        if root.mode() == Mode::Free {
            return true;
        }
        let Ok(mut fields) = root.object::<E>() else {
            return false;
        };
        for (name, value) in pairs {
            match fields.key::<E>(name) {
                Ok(Some(at)) if at.deserialize(value).is_err() => return false,
                Ok(_) => {}
                Err(_) => return false,
            }
        }
        fields.finish::<E>().is_ok()
    }

    /// The node `i` stands for (through `$ref`s), and whether `null` is allowed on the way.
    fn resolve(&self, mut i: usize) -> (&Node, bool) {
        let mut nullable = false;
        for _ in 0..32 {
            let node = &self.nodes[i];
            nullable |= node.nullable;
            match node.kind {
                Kind::Ref(next) => i = next,
                _ => return (node, nullable),
            }
        }
        (&UNSURE, false)
    }
}

static UNSURE: Node = Node {
    nullable: false,
    kind: Kind::Unsure,
};

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
            // Only the nullable form: `anyOf: [X, {type: null}]`.
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
fn plain_regex(pattern: &str) -> Option<Regex> {
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
fn is_date(s: &str) -> bool {
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

/// "Not sure": the slow path decides.
#[derive(Debug)]
struct NotSure;

impl fmt::Display for NotSure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not sure")
    }
}

pub(super) fn not_sure<T, E: de::Error>() -> Result<T, E> {
    Err(E::custom(NotSure))
}

fn check<E: de::Error>(ok: bool) -> Result<(), E> {
    if ok {
        Ok(())
    } else {
        not_sure()
    }
}

/// Reads one value at a node of the plan.
#[derive(Clone, Copy)]
pub(super) struct At<'p> {
    plan: &'p Plan,
    node: usize,
}

impl<'de> DeserializeSeed<'de> for At<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        match self.mode() {
            Mode::Free => d.deserialize_ignored_any(IgnoredAny).map(drop),
            Mode::Unsure => not_sure(),
            Mode::Check => d.deserialize_any(self),
        }
    }
}

impl Bounds {
    fn whole<E: de::Error>(&self, v: i128) -> Result<(), E> {
        if let Some(m) = self.multiple_of {
            check(v % i128::from(m) == 0)?;
        }
        // As `f64` exactly, or the slow path compares.
        check(v.unsigned_abs() <= EXACT as u128)?;
        self.real(v as f64, false)
    }

    fn real<E: de::Error>(&self, v: f64, fractional: bool) -> Result<(), E> {
        if fractional && self.multiple_of.is_some() {
            return not_sure();
        }
        if let Some((min, exclusive)) = self.min {
            check(if exclusive { v > min } else { v >= min })?;
        }
        if let Some((max, exclusive)) = self.max {
            check(if exclusive { v < max } else { v <= max })?;
        }
        Ok(())
    }
}

impl<'p> At<'p> {
    fn kind(&self) -> &'p Kind {
        &self.plan.resolve(self.node).0.kind
    }

    /// How a value at this node is read.
    pub(super) fn mode(&self) -> Mode {
        match self.kind() {
            Kind::Any => Mode::Free,
            Kind::Unsure => Mode::Unsure,
            _ => Mode::Check,
        }
    }

    pub(super) fn boolean<E: de::Error>(&self, v: bool) -> Result<(), E> {
        match self.kind() {
            Kind::Bool => Ok(()),
            Kind::Enum(values) => check(values.iter().any(|e| e.as_bool() == Some(v))),
            _ => not_sure(),
        }
    }

    pub(super) fn whole<E: de::Error>(&self, v: i128) -> Result<(), E> {
        match self.kind() {
            Kind::Integer(b) | Kind::Number(b) => b.whole(v),
            Kind::Enum(values) => check(values.iter().any(|e| {
                e.as_i64().map(i128::from) == Some(v) || e.as_u64().map(i128::from) == Some(v)
            })),
            _ => not_sure(),
        }
    }

    pub(super) fn real<E: de::Error>(&self, v: f64) -> Result<(), E> {
        match self.kind() {
            // `1.0` is an integer to JSON Schema, not to `i64`: the slow path says which.
            Kind::Number(b) if v.is_finite() => b.real(v, true),
            _ => not_sure(),
        }
    }

    pub(super) fn text<E: de::Error>(&self, v: &str) -> Result<(), E> {
        match self.kind() {
            Kind::String(t) => {
                // Characters, as JSON Schema counts: no more than bytes, and no fewer than a
                // quarter of them.
                let bytes = v.len() as u64;
                let chars = || v.chars().count() as u64;
                if let Some(max) = t.max {
                    check(bytes <= max || chars() <= max)?;
                }
                if let Some(min) = t.min {
                    check(bytes / 4 >= min || chars() >= min)?;
                }
                if t.date {
                    check(is_date(v))?;
                }
                if let Some(pattern) = &t.pattern {
                    check(pattern.is_match(v))?;
                }
                match &t.rest {
                    Some(rest) => check(rest.is_valid(&Value::String(v.to_string()))),
                    None => Ok(()),
                }
            }
            Kind::Enum(values) => check(values.iter().any(|e| e.as_str() == Some(v))),
            _ => not_sure(),
        }
    }

    pub(super) fn null<E: de::Error>(&self) -> Result<(), E> {
        check(self.plan.resolve(self.node).1)
    }

    /// The items of an array, if this is one.
    pub(super) fn array<E: de::Error>(&self) -> Result<Items<'p>, E> {
        match *self.kind() {
            Kind::Array { items, min, max } => Ok(Items {
                item: At {
                    plan: self.plan,
                    node: items,
                },
                min,
                max,
                n: 0,
            }),
            _ => not_sure(),
        }
    }

    /// The properties of an object, if this is one.
    pub(super) fn object<E: de::Error>(&self) -> Result<Fields<'p>, E> {
        match self.kind() {
            Kind::Object(o) => Ok(Fields {
                plan: self.plan,
                seen: Seen::new(o.properties.len()),
                o,
                extra: 0,
                next: 0,
            }),
            _ => not_sure(),
        }
    }
}

/// How a value at a node is read.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// Anything goes: read without checks.
    Free,
    /// The slow path decides.
    Unsure,
    /// Checked as it is read.
    Check,
}

/// An array being read.
pub(super) struct Items<'p> {
    pub(super) item: At<'p>,
    min: Option<u64>,
    max: Option<u64>,
    n: u64,
}

impl Items<'_> {
    /// One more item was read.
    pub(super) fn push(&mut self) {
        self.n += 1;
    }

    /// Whether the count of items is allowed, once all are read.
    pub(super) fn finish<E: de::Error>(&self) -> Result<(), E> {
        let n = self.n;
        check(self.min.is_none_or(|m| n >= m) && self.max.is_none_or(|m| n <= m))
    }
}

/// An object being read: which properties it has had.
pub(super) struct Fields<'p> {
    plan: &'p Plan,
    o: &'p Object,
    seen: Seen,
    extra: u64,
    /// Bodies mostly list fields in the schema's order: the next one is tried first.
    next: usize,
}

impl<'p> Fields<'p> {
    /// Where the value of `key` is checked: `None` when anything goes.
    pub(super) fn key<E: de::Error>(&mut self, key: &str) -> Result<Option<At<'p>>, E> {
        let o = self.o;
        let found = match o.properties.get(self.next) {
            Some((p, _)) if *p == *key => Some(self.next),
            _ => o.properties.iter().position(|(p, _)| *p == *key),
        };
        self.next = found.map_or(self.next, |i| i + 1);
        let at = |node| At {
            plan: self.plan,
            node,
        };
        match found {
            Some(i) => {
                // A repeated key: JSON Schema sees the last one, the types may not.
                check(self.seen.insert(i))?;
                Ok(Some(at(o.properties[i].1)))
            }
            None => {
                self.extra += 1;
                match o.extra {
                    Extra::Allowed => Ok(None),
                    Extra::Denied => not_sure(),
                    Extra::Schema(node) => Ok(Some(at(node))),
                }
            }
        }
    }

    /// Whether the object is complete (required properties, counts), once all keys are read.
    pub(super) fn finish<E: de::Error>(&self) -> Result<(), E> {
        let o = self.o;
        let all_required = o
            .required
            .iter()
            .enumerate()
            .all(|(i, r)| !*r || self.seen.contains(i));
        check(all_required)?;
        if o.min.is_some() || o.max.is_some() {
            // Other keys may repeat: counted by the slow path.
            check(self.extra == 0)?;
            let n = self.seen.count();
            check(o.min.is_none_or(|m| n >= m) && o.max.is_none_or(|m| n <= m))?;
        }
        Ok(())
    }
}

impl<'de> Visitor<'de> for At<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value the schema accepts")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.boolean(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.whole(i128::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.whole(i128::from(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        self.real(v)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.text(v)
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.null()
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut items = self.array()?;
        while seq.next_element_seed(items.item)?.is_some() {
            items.push();
        }
        items.finish()
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut fields = self.object()?;
        while let Some(key) = map.next_key_seed(KeySeed)? {
            match fields.key(&key)? {
                Some(at) => map.next_value_seed(at)?,
                None => map.next_value::<IgnoredAny>().map(drop)?,
            }
        }
        fields.finish()
    }
}

/// Which properties an object has had so far.
enum Seen {
    Few(u64),
    Many(Vec<bool>),
}

impl Seen {
    fn new(n: usize) -> Seen {
        if n <= 64 {
            Seen::Few(0)
        } else {
            Seen::Many(vec![false; n])
        }
    }

    /// Records property `i`; `false` when it was already there.
    fn insert(&mut self, i: usize) -> bool {
        match self {
            Seen::Few(bits) => {
                let bit = 1u64 << i;
                let fresh = *bits & bit == 0;
                *bits |= bit;
                fresh
            }
            Seen::Many(seen) => !std::mem::replace(&mut seen[i], true),
        }
    }

    fn contains(&self, i: usize) -> bool {
        match self {
            Seen::Few(bits) => bits & (1u64 << i) != 0,
            Seen::Many(seen) => seen[i],
        }
    }

    fn count(&self) -> u64 {
        match self {
            Seen::Few(bits) => u64::from(bits.count_ones()),
            Seen::Many(seen) => seen.iter().filter(|s| **s).count() as u64,
        }
    }
}

/// An object's key, borrowed from the body when it has no escapes.
pub(super) struct KeySeed;

pub(super) enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl std::ops::Deref for Key<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            Key::Borrowed(s) => s,
            Key::Owned(s) => s,
        }
    }
}

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key<'de>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Key<'de>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
        Ok(Key::Borrowed(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
        Ok(Key::Owned(v.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn slow(schema: &Value, defs: &Value) -> Validator {
        let mut schema = schema.clone();
        schema["$defs"] = defs.clone();
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .build(&schema)
            .expect("compiles")
    }

    /// The plan accepts `body` exactly when `expected`, and never what the slow path refuses.
    fn case(schema: &Value, defs: &Value, body: &str, expected: bool) {
        let plan = Plan::new(schema, defs);
        let fast = plan.accepts(body.as_bytes());
        assert_eq!(fast, expected, "{body} against {schema}");
        if fast {
            let value: Value = serde_json::from_str(body).expect("JSON");
            assert!(
                slow(schema, defs).is_valid(&value),
                "{body} against {schema}"
            );
        }
    }

    #[test]
    fn objects_with_required_fields_and_constraints() {
        let defs = json!({
            "Species": {"enum": ["cat", "dog"]},
            "Pet": {
                "type": "object",
                "required": ["name", "species"],
                "properties": {
                    "name": {"type": "string", "minLength": 1, "maxLength": 3},
                    "species": {"$ref": "#/$defs/Species"},
                    "age": {"type": "integer", "minimum": 0, "maximum": 100},
                    "weight": {"type": "number", "exclusiveMinimum": 0},
                    "chip": {"type": "string", "pattern": "^[0-9]{3}$"},
                    "born": {"type": "string", "format": "date"},
                    "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 2},
                    "nick": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                    "more": {"type": "object", "additionalProperties": {"type": "boolean"}}
                },
                "additionalProperties": false
            }
        });
        let pet = json!({"$ref": "#/$defs/Pet"});
        case(&pet, &defs, r#"{"name":"Rex","species":"dog"}"#, true);
        let full = r#"{"name":"Éva","species":"cat","age":3,"weight":1.5,"chip":"123",
            "born":"2021-04-01","tags":["a","b"],"nick":null,"more":{"x":true}}"#;
        case(&pet, &defs, full, true);
        for bad in [
            r#"{"name":"Rex"}"#,
            r#"{"name":"","species":"dog"}"#,
            r#"{"name":"Rexy","species":"dog"}"#,
            r#"{"name":"Rex","species":"cow"}"#,
            r#"{"name":"Rex","species":"dog","age":-1}"#,
            r#"{"name":"Rex","species":"dog","age":1.0}"#,
            r#"{"name":"Rex","species":"dog","age":"1"}"#,
            r#"{"name":"Rex","species":"dog","weight":0}"#,
            r#"{"name":"Rex","species":"dog","chip":"12a"}"#,
            r#"{"name":"Rex","species":"dog","born":"2021-4-1"}"#,
            r#"{"name":"Rex","species":"dog","born":"2021-02-30"}"#,
            r#"{"name":"Rex","species":"dog","tags":["a","b","c"]}"#,
            r#"{"name":"Rex","species":"dog","tags":null}"#,
            r#"{"name":"Rex","species":"dog","more":{"x":1}}"#,
            r#"{"name":"Rex","species":"dog","colour":"red"}"#,
            r#"{"name":"Rex","species":"dog","name":"Max"}"#,
            r#"{"name":"Rex","species":"dog"} x"#,
            r#"{"name":"Rex","species":"dog""#,
            r#"[]"#,
            r#"null"#,
        ] {
            case(&pet, &defs, bad, false);
        }
    }

    #[test]
    fn what_the_plan_leaves_to_the_slow_path() {
        let defs = json!({});
        let union = json!({"anyOf": [{"type": "string"}, {"type": "integer"}]});
        case(&union, &defs, r#""a""#, false);
        let unique = json!({"type": "array", "uniqueItems": true});
        case(&unique, &defs, "[1, 2]", false);
        let fraction = json!({"type": "number", "multipleOf": 0.5});
        case(&fraction, &defs, "1.5", false);
        let dangling = json!({"$ref": "#/$defs/Missing"});
        case(&dangling, &defs, "1", false);
        // Present only when used: an object without the unusual field passes.
        let object = json!({"type": "object", "properties": {"u": unique}});
        case(&object, &defs, "{}", true);
        case(&object, &defs, r#"{"u": [1]}"#, false);
    }

    #[test]
    fn dates_as_json_schema_reads_them() {
        let date = json!({"type": "string", "format": "date"});
        let slow = slow(&date, &json!({}));
        let plan = Plan::new(&date, &json!({}));
        let mut accepted = 0;
        for year in ["2000", "2021", "1900", "0000", "9999", "+202", "20x1"] {
            for month in ["00", "01", "02", "04", "12", "13", "1-"] {
                for day in ["00", "01", "28", "29", "30", "31", "32", "1 "] {
                    for text in [
                        format!("{year}-{month}-{day}"),
                        format!("{year}-{month}-{day}Z"),
                    ] {
                        let body = Value::String(text);
                        let fast = plan.accepts_value(&body);
                        assert_eq!(fast, slow.is_valid(&body), "{body}");
                        accepted += usize::from(fast);
                    }
                }
            }
        }
        assert!(accepted > 50, "{accepted}");
    }

    /// A small deterministic generator of JSON near `schema`: its property names, types,
    /// bounds and enum values, mixed with values of other types.
    struct Gen(u64);

    impl Gen {
        fn next(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % n.max(1)
        }

        fn value(&mut self, schema: &Value, defs: &Value, depth: usize) -> Value {
            let schema = match schema.get("$ref").and_then(Value::as_str) {
                Some(r) => &defs[r.trim_start_matches("#/$defs/")],
                None => schema,
            };
            if depth > 4 || self.next(12) == 0 {
                let scalars = [json!(null), json!(1.0), json!(-3), json!("x"), json!(true)];
                return scalars[self.next(5) as usize].clone();
            }
            if let Some(Value::Array(variants)) = schema.get("anyOf") {
                let pick = &variants[self.next(variants.len() as u64) as usize];
                return self.value(pick, defs, depth + 1);
            }
            if let Some(Value::Array(values)) = schema.get("enum") {
                return values[self.next(values.len() as u64) as usize].clone();
            }
            let near = |g: &mut Gen, bound: &str, base: i64| {
                let b = schema.get(bound).and_then(Value::as_i64).unwrap_or(base);
                b + g.next(5) as i64 - 2
            };
            match schema.get("type").and_then(Value::as_str) {
                Some("integer") => json!(near(self, "maximum", 10)),
                Some("number") => json!(near(self, "minimum", 0) as f64 + 0.5),
                Some("boolean") => json!(self.next(2) == 0),
                Some("null") => json!(null),
                Some("string") => {
                    let texts = ["", "a", "abcd", "2021-04-01", "2021-02-29", "123", "é€😀x"];
                    json!(texts[self.next(texts.len() as u64) as usize])
                }
                Some("array") => {
                    let items = schema.get("items").cloned().unwrap_or(json!({}));
                    let n = self.next(4);
                    (0..n)
                        .map(|_| self.value(&items, defs, depth + 1))
                        .collect()
                }
                _ => {
                    let mut out = Map::new();
                    if let Some(Value::Object(props)) = schema.get("properties") {
                        for (name, prop) in props {
                            if self.next(4) != 0 {
                                out.insert(name.clone(), self.value(prop, defs, depth + 1));
                            }
                        }
                    }
                    if self.next(5) == 0 {
                        out.insert("other".into(), json!(1));
                    }
                    Value::Object(out)
                }
            }
        }
    }

    #[test]
    fn generated_bodies_the_plan_accepts_are_valid() {
        let defs = json!({
            "Kind": {"enum": ["a", "b", 3]},
            "Leaf": {
                "type": "object",
                "required": ["n"],
                "properties": {
                    "n": {"type": "integer", "minimum": 0, "maximum": 9, "multipleOf": 3},
                    "s": {"type": "string", "minLength": 2, "maxLength": 3, "pattern": "^[a-c]+$"},
                    "d": {"type": "string", "format": "date"},
                    "k": {"anyOf": [{"$ref": "#/$defs/Kind"}, {"type": "null"}]}
                },
                "additionalProperties": false,
                "maxProperties": 3
            },
            "Tree": {
                "type": "object",
                "properties": {
                    "leaves": {"type": "array", "items": {"$ref": "#/$defs/Leaf"}, "minItems": 1},
                    "x": {"type": "number", "exclusiveMaximum": 2},
                    "map": {"type": "object", "additionalProperties": {"$ref": "#/$defs/Tree"}},
                    "b": {"type": "boolean"}
                }
            }
        });
        let tree = json!({"$ref": "#/$defs/Tree"});
        let slow = slow(&tree, &defs);
        let plan = Plan::new(&tree, &defs);
        let (mut accepted, mut refused) = (0, 0);
        let mut gen = Gen(0x9e37_79b9_7f4a_7c15);
        for _ in 0..20_000 {
            let value = gen.value(&tree, &defs, 0);
            let text = value.to_string();
            // Read into a type in one pass, the plan says the same.
            let typed = super::super::typed::read::<Value>(&plan, text.as_bytes());
            if plan.accepts(text.as_bytes()) {
                assert!(slow.is_valid(&value), "the plan accepts {text}");
                assert!(plan.accepts_value(&value), "{text} as a value");
                assert_eq!(typed.as_ref(), Some(&value), "{text} read in one pass");
                accepted += 1;
            } else {
                assert_eq!(typed, None, "{text} read in one pass");
                if !slow.is_valid(&value) {
                    refused += 1;
                }
            }
        }
        // Both answers occur often: the comparison means something.
        assert!(accepted > 1_000 && refused > 1_000, "{accepted} {refused}");
    }

    #[test]
    fn plain_patterns_match_as_json_schema_reads_them() {
        for (pattern, plain) in [
            ("^[0-9]{15}$", true),
            ("^[a-z0-9_-]+(\\.[a-z]+)?$", true),
            ("^(cat|dog)s?$", true),
            ("ab|c", true),
            ("^\\d+$", false),
            ("^.+$", false),
            ("^(?i)a$", false),
            ("^(?=a)a$", false),
            ("[[a]]", false),
            ("[a--b]", false),
        ] {
            assert_eq!(plain_regex(pattern).is_some(), plain, "{pattern}");
            let schema = json!({"type": "string", "pattern": pattern});
            let slow = slow(&schema, &json!({}));
            let plan = Plan::new(&schema, &json!({}));
            for text in [
                "",
                "1",
                "123456789012345",
                "1234567890123456",
                "a_b-c.de",
                "a.b.c",
                "cat",
                "dogs",
                "catz",
                "abc",
                "x|y",
                "٣",
                "A",
                "a\n",
                "é",
                "😀",
            ] {
                let text = Value::String(text.to_string());
                if plan.accepts_value(&text) {
                    assert!(slow.is_valid(&text), "{pattern} {text}");
                }
                if plain {
                    assert_eq!(
                        plan.accepts_value(&text),
                        slow.is_valid(&text),
                        "{pattern} {text}"
                    );
                }
            }
        }
    }

    #[test]
    fn parameters_as_name_value_pairs() {
        let defs = json!({"Species": {"enum": ["cat", "dog"]}});
        // No parameters: anything goes.
        assert!(Plan::new(&json!({}), &defs).accepts_pairs(&[]));
        let schema = json!({
            "type": "object",
            "required": ["id"],
            "properties": {
                "id": {"type": "integer", "minimum": 1},
                "tag": {"type": "string", "maxLength": 3},
                "species": {"$ref": "#/$defs/Species"}
            }
        });
        let plan = Plan::new(&schema, &defs);
        let slow = slow(&schema, &defs);
        let cases: [(&[(&'static str, Value)], bool); 7] = [
            (&[("id", json!(1))], true),
            (
                &[
                    ("id", json!(1)),
                    ("tag", json!("ab")),
                    ("species", json!("dog")),
                ],
                true,
            ),
            (&[("tag", json!("ab"))], false),
            (&[("id", json!(0))], false),
            (&[("id", json!("1"))], false),
            (&[("id", json!(1)), ("tag", json!("abcd"))], false),
            (&[("id", json!(1)), ("species", json!("cow"))], false),
        ];
        for (pairs, expected) in cases {
            assert_eq!(plan.accepts_pairs(pairs), expected, "{pairs:?}");
            let object: Value = pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect::<Map<_, _>>()
                .into();
            assert_eq!(slow.is_valid(&object), expected, "{pairs:?}");
        }
    }

    #[test]
    fn recursive_types_and_counts() {
        let defs = json!({
            "Node": {
                "type": "object",
                "required": ["children"],
                "properties": {
                    "children": {"type": "array", "items": {"$ref": "#/$defs/Node"}}
                },
                "minProperties": 1
            }
        });
        let node = json!({"$ref": "#/$defs/Node"});
        case(&node, &defs, r#"{"children":[{"children":[]}]}"#, true);
        case(&node, &defs, r#"{"children":[{}]}"#, false);
        case(&node, &defs, r#"{"children":[],"x":1}"#, false);
        let whole = json!({"type": "integer", "multipleOf": 3, "maximum": 9});
        case(&whole, &defs, "9", true);
        case(&whole, &defs, "10", false);
        case(&whole, &defs, "12", false);
        case(&whole, &defs, "9007199254740993", false);
        let any = json!({});
        case(&any, &defs, r#"{"a":[1,{"b":null}]}"#, true);
    }
}
