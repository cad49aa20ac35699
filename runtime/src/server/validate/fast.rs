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

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::compile::{is_date, Bounds, Extra, Kind, Node, Object, Tagged};

/// A schema compiled for the fast check.
pub(crate) struct Plan {
    nodes: Vec<Node>,
}

/// Integers beyond this magnitude are compared by the slow path (as `f64` they may round).
const EXACT: f64 = 9_007_199_254_740_992.0;

impl Plan {
    /// The plan of `schema`, whose `$ref`s point into `defs` (`#/$defs/Name`).
    pub(crate) fn new(schema: &Value, defs: &Value) -> Plan {
        Plan {
            nodes: super::compile::nodes(schema, defs),
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

    /// The properties of an object, if this is one (or a discriminated union of objects).
    pub(super) fn object<E: de::Error>(&self) -> Result<Fields<'p>, E> {
        match self.kind() {
            Kind::Object(o) => Ok(Fields::new(self.plan, o)),
            Kind::Tagged(t) => Ok(Fields {
                union: Some(t),
                ..Fields::new(self.plan, &NO_PROPERTIES)
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
    /// A discriminated union whose variant is not known yet: the first key must be its
    /// discriminator, whose tag says which variant's properties these are.
    union: Option<&'p Tagged>,
}

/// The properties of a union's object before its tag is read.
static NO_PROPERTIES: Object = Object {
    properties: Vec::new(),
    required: Vec::new(),
    extra: Extra::Denied,
    min: None,
    max: None,
};

impl<'p> Fields<'p> {
    fn new(plan: &'p Plan, o: &'p Object) -> Fields<'p> {
        Fields {
            plan,
            seen: Seen::new(o.properties.len()),
            o,
            extra: 0,
            next: 0,
            union: None,
        }
    }

    /// Whether `key` is a union's discriminator, whose value must be read with
    /// [`Fields::choose`] (the slow path decides a union whose first key is another).
    pub(super) fn discriminator<E: de::Error>(&self, key: &str) -> Result<bool, E> {
        match self.union {
            Some(union) if union.property == key => Ok(true),
            Some(_) => not_sure(),
            None => Ok(false),
        }
    }

    /// The union's variant that `tag` (the discriminator's value) names: its properties are
    /// read from here on, the discriminator among them.
    pub(super) fn choose<E: de::Error>(&mut self, tag: &str) -> Result<(), E> {
        let Some(union) = self.union else {
            return not_sure();
        };
        let Some((_, node)) = union.variants.iter().find(|(t, _)| t == tag) else {
            return not_sure();
        };
        let Kind::Object(o) = &self.plan.resolve(*node).0.kind else {
            return not_sure();
        };
        *self = Fields::new(self.plan, o);
        match self.key(&union.property)? {
            Some(at) => at.text(tag),
            None => Ok(()),
        }
    }

    /// Where the value of `key` is checked: `None` when anything goes.
    pub(super) fn key<E: de::Error>(&mut self, key: &str) -> Result<Option<At<'p>>, E> {
        if self.union.is_some() {
            return not_sure();
        }
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
        if self.union.is_some() {
            return not_sure();
        }
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
            if fields.discriminator(&key)? {
                fields.choose(&map.next_value_seed(KeySeed)?)?;
                continue;
            }
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
