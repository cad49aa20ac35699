//! Values synthesized to satisfy a type of the model: the mock's answers when the spec gives
//! no example, and the arguments of a round trip's calls.
//!
//! A value uses the schema's `example`, else its `default`, else is made from its shape and
//! constraints: bounds (exclusive ones too) and `multipleOf`, lengths and `pattern`, item
//! and property counts, formats, enum values, a discriminated union's tag, `readOnly`
//! properties only in responses and `writeOnly` ones only in requests. Without `dynamic` the
//! value is the same for a seed every time (the smallest that fits, the first enum value,
//! the first variant); with it, each value is drawn from the seed's random sequence.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Map, Value};

use crate::ir::*;

/// Deeper than this, optional properties are left out and lists are empty, so recursive
/// types end.
const MAX_DEPTH: usize = 6;

/// Which way a value travels: a response leaves out `writeOnly` properties, a request
/// `readOnly` ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// A request: no `readOnly` property.
    Request,
    /// A response: no `writeOnly` property.
    Response,
}

/// Makes values of the model's types.
pub struct Synth<'a> {
    api: &'a Api,
    rng: StdRng,
    dynamic: bool,
    direction: Direction,
}

impl<'a> Synth<'a> {
    /// Values for `api`, from `seed`; `dynamic` draws each value at random (Prism's
    /// `Prefer: dynamic=true`).
    pub fn new(api: &'a Api, seed: u64, dynamic: bool, direction: Direction) -> Self {
        Synth {
            api,
            rng: StdRng::seed_from_u64(seed),
            dynamic,
            direction,
        }
    }

    /// Heads one time in four: whether a dynamic answer leaves out something optional.
    pub fn coin(&mut self) -> bool {
        self.rng.gen_ratio(1, 4)
    }

    /// A value of `t`.
    pub fn value(&mut self, t: &TypeRef) -> Value {
        self.at(t, 0)
    }

    fn at(&mut self, t: &TypeRef, depth: usize) -> Value {
        if !self.dynamic {
            // An example or default the types do not read (the spec's fault) is not used.
            let given = [&t.example, &t.default].into_iter().flatten();
            if let Some(v) = given.into_iter().find(|v| self.api.reads(t, v).is_ok()) {
                return v.clone();
            }
        }
        if t.nullable && self.dynamic && self.rng.gen_ratio(1, 8) {
            return Value::Null;
        }
        let c = &t.constraints;
        match &t.shape {
            Shape::Any => json!({}),
            Shape::Bool => Value::Bool(!self.dynamic || self.rng.gen()),
            Shape::Integer(format) => self.integer(*format, c),
            Shape::Number(_) => self.number(c),
            // Arguments are the client types' values, and its type of raw bytes (a file
            // part) is `Vec<u8>`: a list of bytes.
            Shape::String(StringFormat::Binary) if self.direction == Direction::Request => {
                json!(b"openapi-gen".to_vec())
            }
            Shape::String(format) => Value::String(self.string(format, c)),
            // Bytes in JSON are base64 (`runtime::Base64`).
            Shape::Bytes => Value::String("b3BlbmFwaS1nZW4=".to_string()),
            Shape::Array(item) => {
                let n = self.count(c.min_items, c.max_items, depth);
                let mut items: Vec<Value> = Vec::with_capacity(n);
                let mut tries = 0;
                let dynamic = self.dynamic;
                while items.len() < n && tries < n * 8 + 8 {
                    tries += 1;
                    let v = self.at(item, depth + 1);
                    if c.unique_items && items.contains(&v) {
                        // The same value again: the next are drawn, to differ.
                        self.dynamic = true;
                        continue;
                    }
                    items.push(v);
                }
                self.dynamic = dynamic;
                Value::Array(items)
            }
            Shape::Map(value) => {
                let n = self.count(c.min_properties, c.max_properties, depth).min(2);
                let mut map = Map::new();
                for i in 0..n {
                    map.insert(format!("key{}", i + 1), self.at(value, depth + 1));
                }
                Value::Object(map)
            }
            // Now and then, when drawn at random, the empty string that stands for none.
            Shape::OrEmpty(_) if self.dynamic && self.rng.gen_ratio(1, 4) => json!(""),
            Shape::OrEmpty(inner) => self.at(inner, depth + 1),
            Shape::Named(id) => self.named(*id, depth),
        }
    }

    fn named(&mut self, id: TypeId, depth: usize) -> Value {
        let def = self.api.type_def(id);
        if !self.dynamic {
            if let Some(example) = &def.example {
                if self.api.reads(&TypeRef::named(id), example).is_ok() {
                    return example.clone();
                }
            }
        }
        match &def.kind {
            TypeKind::Alias(inner) => self.at(inner, depth),
            TypeKind::Enum(e) => {
                let i = if self.dynamic && !e.variants.is_empty() {
                    self.rng.gen_range(0..e.variants.len())
                } else {
                    0
                };
                e.variants.get(i).map_or(Value::Null, |v| v.value.clone())
            }
            TypeKind::Struct(s) => {
                let mut map = Map::new();
                for f in &s.fields {
                    let hidden = match self.direction {
                        Direction::Response => f.write_only,
                        Direction::Request => f.read_only,
                    };
                    if hidden || (!f.required && depth >= MAX_DEPTH / 2) {
                        continue;
                    }
                    if !f.required && self.dynamic && self.rng.gen_ratio(1, 4) {
                        continue;
                    }
                    let v = self.at(&f.ty, depth + 1);
                    map.insert(f.name.clone(), v);
                }
                let min = def.constraints.min_properties.unwrap_or(0) as usize;
                if let Some(extra) = &s.additional {
                    for i in 0..min.saturating_sub(map.len()) {
                        map.insert(format!("extra{}", i + 1), self.at(extra, depth + 1));
                    }
                }
                Value::Object(map)
            }
            TypeKind::Union(u) => {
                if u.variants.is_empty() {
                    return Value::Null;
                }
                let i = if self.dynamic {
                    self.rng.gen_range(0..u.variants.len())
                } else {
                    0
                };
                let variant = &u.variants[i];
                let mut v = self.at(&variant.ty, depth + 1);
                if let (Some(property), Some(tag), Value::Object(map)) =
                    (&u.discriminator, variant.tags.first(), &mut v)
                {
                    map.insert(property.clone(), Value::String(tag.clone()));
                }
                v
            }
        }
    }

    /// How many items (or properties): the least allowed, at least one, fewer deep down.
    fn count(&mut self, min: Option<u64>, max: Option<u64>, depth: usize) -> usize {
        let min = min.unwrap_or(0) as usize;
        let max = max.map_or(usize::MAX, |m| m as usize);
        let wanted = if depth >= MAX_DEPTH {
            0
        } else if self.dynamic {
            self.rng.gen_range(1..=3)
        } else {
            1
        };
        wanted.max(min).min(max)
    }

    fn integer(&mut self, format: IntFormat, c: &Constraints) -> Value {
        let (flo, fhi) = format.range();
        let lo = c.minimum.map_or(flo, |m| {
            let m = m.ceil() as i128;
            if c.exclusive_minimum && (m as f64) <= c.minimum.unwrap_or_default() {
                m + 1
            } else {
                m
            }
        });
        let hi = c.maximum.map_or(fhi, |m| {
            let m = m.floor() as i128;
            if c.exclusive_maximum && (m as f64) >= c.maximum.unwrap_or_default() {
                m - 1
            } else {
                m
            }
        });
        let (lo, hi) = (lo.max(flo), hi.min(fhi));
        let mut n = if self.dynamic && lo <= hi {
            // Near 1 when the bounds allow: the values people use.
            let base = 1i128.clamp(lo, hi);
            let top = hi.min(base.saturating_add(1000));
            self.rng.gen_range(base..=top)
        } else if lo <= 1 && 1 <= hi {
            1
        } else if lo > 1 {
            lo
        } else {
            hi
        };
        if let Some(m) = c.multiple_of.filter(|m| *m >= 1.0 && m.fract() == 0.0) {
            let m = m as i128;
            n = ((n + m - 1).div_euclid(m)) * m;
            if n > hi {
                n -= m;
            }
        }
        if let Ok(v) = i64::try_from(n) {
            Value::from(v)
        } else {
            Value::from(u64::try_from(n).unwrap_or(u64::MAX))
        }
    }

    fn number(&mut self, c: &Constraints) -> Value {
        let lo = c.minimum.unwrap_or(f64::MIN);
        let hi = c.maximum.unwrap_or(f64::MAX);
        let step = |x: f64| (x.abs() * 1e-6).max(0.01);
        let lo = if c.exclusive_minimum {
            lo + step(lo)
        } else {
            lo
        };
        let hi = if c.exclusive_maximum {
            hi - step(hi)
        } else {
            hi
        };
        let mut x = if self.dynamic && lo < hi {
            let bottom = 0.0f64.clamp(lo, hi);
            let top = hi.min(bottom + 1000.0);
            let x = (self.rng.gen_range(bottom..=top) * 100.0).round() / 100.0;
            x.clamp(lo, hi)
        } else if lo <= 1.5 && 1.5 <= hi {
            1.5
        } else if lo > 1.5 {
            lo
        } else {
            hi
        };
        if let Some(m) = c.multiple_of.filter(|m| *m > 0.0) {
            x = (x / m).ceil() * m;
            if x > hi {
                x -= m;
            }
        }
        serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
    }

    fn string(&mut self, format: &StringFormat, c: &Constraints) -> String {
        if let Some(pattern) = &c.pattern {
            if let Some(s) = self.matching(pattern, c) {
                return s;
            }
        }
        let text = match format {
            StringFormat::DateTime => {
                let day = if self.dynamic {
                    self.rng.gen_range(1..=28)
                } else {
                    1
                };
                format!("2024-01-{day:02}T12:00:00Z")
            }
            StringFormat::Date => {
                let day = if self.dynamic {
                    self.rng.gen_range(1..=28)
                } else {
                    1
                };
                format!("2024-01-{day:02}")
            }
            StringFormat::Time => "12:00:00Z".to_string(),
            StringFormat::Uuid => {
                let bits: u128 = if self.dynamic {
                    self.rng.gen()
                } else {
                    0x0123_4567_89ab_4def_8123_4567_89ab_cdef
                };
                openapi_gen_runtime::uuid::Builder::from_random_bytes(bits.to_be_bytes())
                    .into_uuid()
                    .to_string()
            }
            StringFormat::Byte => "b3BlbmFwaS1nZW4=".to_string(),
            StringFormat::Email => "user@example.com".to_string(),
            StringFormat::Uri => "https://example.com/".to_string(),
            StringFormat::Ipv4 => "192.0.2.1".to_string(),
            StringFormat::Ipv6 => "2001:db8::1".to_string(),
            StringFormat::Hostname => "example.com".to_string(),
            StringFormat::Plain
            | StringFormat::Binary
            | StringFormat::Password
            | StringFormat::Other(_) => {
                if self.dynamic {
                    let n = self.rng.gen_range(1..=8);
                    (0..n)
                        .map(|_| self.rng.gen_range(b'a'..=b'z') as char)
                        .collect()
                } else {
                    "string".to_string()
                }
            }
        };
        fit_length(text, c)
    }

    /// A string of `pattern` (ECMA-262, read as Rust's `regex` syntax) within the lengths,
    /// when one is found in a few tries.
    fn matching(&mut self, pattern: &str, c: &Constraints) -> Option<String> {
        let max = c.max_length.map_or(16, |m| m.min(64) as u32);
        // The string made is the whole match: anchors say nothing more (`rand_regex` makes
        // no anchors, wherever they stand: `^ssh-rsa |^ecdsa-sha2 `).
        let body = without_anchors(pattern);
        let generator = rand_regex::Regex::compile(&body, max.max(1)).ok()?;
        let matcher = regex::Regex::new(pattern).ok();
        for _ in 0..16 {
            let s: String = self.rng.sample(&generator);
            let len = s.chars().count() as u64;
            let fits = c.min_length.is_none_or(|m| len >= m)
                && c.max_length.is_none_or(|m| len <= m)
                && matcher.as_ref().is_none_or(|m| m.is_match(&s));
            if fits {
                return Some(s);
            }
        }
        None
    }
}

/// `pattern` without its `^` and `$` anchors: those outside character classes and not
/// escaped.
fn without_anchors(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars().peekable();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                out.push(c);
                out.extend(chars.next());
            }
            '[' if !in_class => {
                in_class = true;
                out.push(c);
                // `[^...]` and `[]...]`: the first character is not the end of the class.
                if let Some(&next) = chars.peek() {
                    if next == '^' || next == ']' {
                        out.push(next);
                        chars.next();
                    }
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            '^' | '$' if !in_class => {}
            _ => out.push(c),
        }
    }
    out
}

/// `text` padded (with `x`) or cut to the lengths.
fn fit_length(mut text: String, c: &Constraints) -> String {
    if let Some(min) = c.min_length {
        while (text.chars().count() as u64) < min {
            text.push('x');
        }
    }
    if let Some(max) = c.max_length {
        text = text.chars().take(max as usize).collect();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api() -> Api {
        crate::resolve_text(
            std::path::Path::new("thing.yaml"),
            r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Thing:
      type: object
      required: [count, code, price, tags, kind, secret]
      properties:
        count: {type: integer, format: int32, minimum: 10, exclusiveMinimum: true, multipleOf: 4}
        code: {type: string, pattern: '^[A-Z]{3}-[0-9]{2}$'}
        price: {type: number, maximum: 0, exclusiveMaximum: true}
        tags: {type: array, minItems: 2, uniqueItems: true, items: {type: string, enum: [a, b, c]}}
        kind: {type: string, enum: [first, second]}
        name: {type: string, minLength: 9, maxLength: 9}
        secret: {type: string, writeOnly: true}
        id: {type: string, format: uuid, readOnly: true}
"#,
            "thing",
        )
        .expect("resolves")
        .api
    }

    fn thing(api: &Api, seed: u64, dynamic: bool, direction: Direction) -> Value {
        let id = api.types.iter().position(|t| t.name == "Thing").unwrap();
        Synth::new(api, seed, dynamic, direction).value(&TypeRef::named(TypeId(id)))
    }

    #[test]
    fn anchors_are_left_out_wherever_they_stand() {
        assert_eq!(
            without_anchors("^ssh-(rsa|dss) |^ecdsa-(256|384) "),
            "ssh-(rsa|dss) |ecdsa-(256|384) "
        );
        assert_eq!(without_anchors(r"^[^$]\$x$"), r"[^$]\$x");
        let api = api();
        let mut synth = Synth::new(&api, 3, false, Direction::Request);
        let pattern = "^ssh-(rsa|dss|ed25519) |^ecdsa-sha2-nistp(256|384|521) ";
        let made = synth
            .matching(pattern, &Constraints::default())
            .expect("a key");
        assert!(
            regex::Regex::new(pattern).unwrap().is_match(&made),
            "{made}"
        );
    }

    #[test]
    fn values_satisfy_bounds_patterns_lengths_and_counts() {
        let api = api();
        let code_pattern = regex::Regex::new("^[A-Z]{3}-[0-9]{2}$").unwrap();
        for (seed, dynamic) in [(0, false), (1, true), (2, true), (3, true)] {
            let v = thing(&api, seed, dynamic, Direction::Response);
            let count = v["count"].as_i64().unwrap();
            assert!(count > 10 && count % 4 == 0, "{v}");
            let code = v["code"].as_str().unwrap();
            assert!(code_pattern.is_match(code), "{v}");
            assert!(v["price"].as_f64().unwrap() < 0.0, "{v}");
            let tags = v["tags"].as_array().unwrap();
            assert!(tags.len() >= 2, "{v}");
            assert_ne!(tags[0], tags[1], "{v}");
            assert!(["first", "second"].contains(&v["kind"].as_str().unwrap()));
            if let Some(name) = v.get("name") {
                assert_eq!(name.as_str().unwrap().len(), 9, "{v}");
            }
            // A response has no write-only property; a request no read-only one.
            assert!(v.get("secret").is_none(), "{v}");
            let request = thing(&api, seed, dynamic, Direction::Request);
            assert!(request.get("id").is_none() && request.get("secret").is_some());
        }
        // Without `dynamic`, the same seed makes the same value.
        assert_eq!(
            thing(&api, 5, false, Direction::Response),
            thing(&api, 5, false, Direction::Response)
        );
    }
}
