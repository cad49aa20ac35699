//! Form (`application/x-www-form-urlencoded`) and multipart bodies, per property as the
//! spec's Encoding Object says: written by clients, read back by servers.
//!
//! A property without an encoding entry is written the way form servers read it (Rails,
//! PHP, Stripe, `qs`): scalars as `key=value`, lists of scalars as repeated keys, objects and
//! lists of objects in brackets to any depth (`address[city]=Paris`, `items[0][price]=5`).
//! OpenAPI's own default (`form`, exploded) would spread an object's properties among the
//! body's own, where they collide (petstore's `Pet` and its `category` both have `id`), so
//! that style is used only where the spec asks for it.

use std::fmt::Write as _;

use serde::Serialize;
use serde_json::Value;

use crate::params::Style;

/// How one property of a form or multipart body is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Encoding {
    /// The property's wire name.
    pub name: &'static str,
    pub style: Style,
    pub explode: bool,
    /// Reserved characters (`:/?#[]@!$'()*,;`) go unencoded in the value.
    pub allow_reserved: bool,
    /// Multipart: the part's media type, or several or ranges (`image/png, image/*`).
    pub content_type: Option<&'static str>,
    /// Multipart: the part's headers.
    pub headers: &'static [PartHeader],
}

/// A header of a multipart part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartHeader {
    pub name: &'static str,
    pub required: bool,
    /// The value the spec fixes (its `default`, or its only `enum` value): clients send it.
    pub value: Option<&'static str>,
}

impl Encoding {
    /// A property written in `style`.
    pub const fn new(name: &'static str, style: Style, explode: bool) -> Encoding {
        Encoding {
            name,
            style,
            explode,
            allow_reserved: false,
            content_type: None,
            headers: &[],
        }
    }

    /// Leaves reserved characters of the value unencoded.
    pub const fn allow_reserved(mut self) -> Encoding {
        self.allow_reserved = true;
        self
    }

    /// The media type of the property's multipart part.
    pub const fn content_type(mut self, content_type: &'static str) -> Encoding {
        self.content_type = Some(content_type);
        self
    }

    /// The headers of the property's multipart part.
    pub const fn headers(mut self, headers: &'static [PartHeader]) -> Encoding {
        self.headers = headers;
        self
    }
}

/// The entry of property `name`, if the spec gives one.
pub fn find<'e>(encodings: &'e [Encoding], name: &str) -> Option<&'e Encoding> {
    encodings.iter().find(|e| e.name == name)
}

/// Whether a value is written as text (not a list or an object).
fn is_scalar(v: &Value) -> bool {
    !matches!(v, Value::Array(_) | Value::Object(_))
}

/// A scalar's text; structures (where a style has no place for them) as JSON.
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

struct Pairs {
    out: Vec<(String, String, bool)>,
    reserved: bool,
}

impl Pairs {
    fn push(&mut self, key: String, value: &Value) {
        self.out.push((key, text(value), self.reserved));
    }

    /// No encoding entry: scalars plain, lists of scalars repeated, structures in brackets.
    fn auto(&mut self, key: &str, v: &Value) {
        match v {
            Value::Null => {}
            Value::Array(items) if items.iter().all(is_scalar) => {
                for item in items.iter().filter(|i| !i.is_null()) {
                    self.push(key.to_string(), item);
                }
            }
            Value::Array(_) | Value::Object(_) => self.deep(key, v, true),
            scalar => self.push(key.to_string(), scalar),
        }
    }

    /// `key[prop]=…`, `key[0]=…` to any depth; lists of scalars as `key[]=…` unless
    /// `indexed`. Lists of structures are always indexed: `key[][a]=1&key[][b]=2` would not
    /// say whether `a` and `b` belong to one item or two.
    fn deep(&mut self, key: &str, v: &Value, indexed: bool) {
        match v {
            Value::Null => {}
            Value::Object(map) => {
                for (k, x) in map {
                    self.deep(&format!("{key}[{k}]"), x, indexed);
                }
            }
            Value::Array(items) => {
                for (i, x) in items.iter().enumerate() {
                    if indexed || !is_scalar(x) {
                        self.deep(&format!("{key}[{i}]"), x, indexed);
                    } else {
                        self.deep(&format!("{key}[]"), x, indexed);
                    }
                }
            }
            scalar => self.push(key.to_string(), scalar),
        }
    }

    fn field(&mut self, name: &str, v: &Value, enc: Option<&Encoding>) {
        self.reserved = enc.is_some_and(|e| e.allow_reserved);
        let Some(enc) = enc else {
            return self.auto(name, v);
        };
        match (enc.style, enc.explode) {
            (Style::DeepObject, explode) => self.deep(name, v, explode),
            // The spec's form style: an object's properties spread among the body's own.
            (Style::Form, true) => match v {
                Value::Object(map) => {
                    for (k, x) in map {
                        self.auto(k, x);
                    }
                }
                v => self.auto(name, v),
            },
            (_, true) => self.auto(name, v),
            (style, false) => {
                let sep = match style {
                    Style::SpaceDelimited => " ",
                    Style::PipeDelimited => "|",
                    _ => ",",
                };
                let joined = match v {
                    Value::Null => return,
                    Value::Array(items) => items
                        .iter()
                        .filter(|i| !i.is_null())
                        .map(text)
                        .collect::<Vec<_>>()
                        .join(sep),
                    Value::Object(map) => map
                        .iter()
                        .filter(|(_, x)| !x.is_null())
                        .flat_map(|(k, x)| [k.clone(), text(x)])
                        .collect::<Vec<_>>()
                        .join(sep),
                    scalar => text(scalar),
                };
                self.out.push((name.to_string(), joined, self.reserved));
            }
        }
    }
}

/// Characters RFC 3986 reserves, which `allowReserved` leaves as they are (but `&`, `=`
/// and `+`, which would change what the form says).
const RESERVED: &[u8] = b":/?#[]@!$'()*,;";

fn write_encoded(out: &mut String, s: &str, keep: &[u8]) {
    for &b in s.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            b if keep.contains(&b) => out.push(b as char),
            b => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
}

/// The `key=value` pairs of an object body, not yet percent-encoded.
pub fn pairs<T: Serialize + ?Sized>(value: &T, encodings: &[Encoding]) -> Vec<(String, String)> {
    to_pairs(value, encodings)
        .into_iter()
        .map(|(k, v, _)| (k, v))
        .collect()
}

fn to_pairs<T: Serialize + ?Sized>(
    value: &T,
    encodings: &[Encoding],
) -> Vec<(String, String, bool)> {
    let mut pairs = Pairs {
        out: Vec::new(),
        reserved: false,
    };
    if let Ok(Value::Object(map)) = serde_json::to_value(value) {
        for (name, v) in &map {
            pairs.field(name, v, find(encodings, name));
        }
    }
    pairs.out
}

/// An `application/x-www-form-urlencoded` body. Brackets stay readable in keys
/// (`address[city]=Paris`); form servers read them either way.
pub fn encode<T: Serialize + ?Sized>(value: &T, encodings: &[Encoding]) -> String {
    let mut out = String::new();
    for (i, (key, value, reserved)) in to_pairs(value, encodings).iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        write_encoded(&mut out, key, b"[]");
        out.push('=');
        write_encoded(&mut out, value, if *reserved { RESERVED } else { b"" });
    }
    out
}

/// The part's media type from the spec's list: its first entry that is not a range.
#[cfg(feature = "client")]
fn listed_type(enc: Option<&Encoding>) -> Option<String> {
    enc?.content_type?
        .split(',')
        .map(str::trim)
        .find(|t| !t.is_empty() && !t.contains('*'))
        .map(str::to_string)
}

#[cfg(feature = "client")]
fn part(
    name: &str,
    data: bytes::Bytes,
    content_type: Option<String>,
    enc: Option<&Encoding>,
) -> crate::Part {
    crate::Part {
        name: name.to_string(),
        file_name: None,
        content_type,
        headers: enc
            .map(|e| {
                e.headers
                    .iter()
                    .filter_map(|h| Some((h.name.to_string(), h.value?.to_string())))
                    .collect()
            })
            .unwrap_or_default(),
        data,
    }
}

/// Appends the parts of property `name` of a multipart body: a scalar is a text part, an
/// object a JSON part, a list one part per item (OpenAPI 3.1.1's reading); each with the
/// media type and fixed headers the spec's encoding gives. `None`/`null` adds nothing.
#[cfg(feature = "client")]
pub fn parts<T: Serialize + ?Sized>(
    out: &mut Vec<crate::Part>,
    name: &str,
    value: &T,
    encodings: &[Encoding],
) {
    let enc = find(encodings, name);
    let value = serde_json::to_value(value).unwrap_or(Value::Null);
    let items = match value {
        Value::Array(items) => items,
        other => vec![other],
    };
    for item in items {
        let (data, media) = match &item {
            Value::Null => continue,
            Value::Array(_) | Value::Object(_) => {
                let declared = listed_type(enc).filter(|t| t.ends_with("json"));
                (
                    item.to_string(),
                    Some(declared.unwrap_or_else(|| "application/json".to_string())),
                )
            }
            scalar => (text(scalar), listed_type(enc)),
        };
        out.push(part(name, data.into(), media, enc));
    }
}

/// Appends a file part of property `name`, named after the property, with the media type
/// the spec's encoding gives.
#[cfg(feature = "client")]
pub fn file(out: &mut Vec<crate::Part>, name: &str, data: &[u8], encodings: &[Encoding]) {
    let enc = find(encodings, name);
    let mut p = part(
        name,
        bytes::Bytes::copy_from_slice(data),
        listed_type(enc),
        enc,
    );
    p.file_name = Some(name.to_string());
    out.push(p);
}

/// The encoding of the part at `index` of a body written by position: its own entry
/// (`prefixEncoding`), else the one for every later part (`*`, `itemEncoding`).
pub fn by_position(encodings: &[Encoding], index: usize) -> Option<&Encoding> {
    let name = index.to_string();
    encodings
        .iter()
        .find(|e| e.name == name)
        .or_else(|| encodings.iter().find(|e| e.name == "*"))
}

/// The unnamed parts of a multipart body written by position (`multipart/mixed` of an
/// array): one per item, in order, a structure as JSON and a scalar as text, with the media
/// type and fixed headers of its entry (see [`by_position`]). `null` items are empty text.
#[cfg(feature = "client")]
pub fn positional<T: Serialize>(items: &[T], encodings: &[Encoding]) -> Vec<crate::Part> {
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let enc = by_position(encodings, i);
            let item = serde_json::to_value(item).unwrap_or(Value::Null);
            let (data, media) = match &item {
                Value::Null => (String::new(), listed_type(enc)),
                Value::Array(_) | Value::Object(_) => {
                    let declared = listed_type(enc).filter(|t| t.ends_with("json"));
                    (
                        item.to_string(),
                        Some(declared.unwrap_or_else(|| "application/json".to_string())),
                    )
                }
                scalar => (text(scalar), listed_type(enc)),
            };
            part("", data.into(), media, enc)
        })
        .collect()
}

/// [`positional`] for items that are bytes: each part is the item as it is, of the media
/// type its entry gives (else `application/octet-stream`).
#[cfg(feature = "client")]
pub fn positional_files<B: AsRef<[u8]>>(items: &[B], encodings: &[Encoding]) -> Vec<crate::Part> {
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let enc = by_position(encodings, i);
            let media = listed_type(enc).unwrap_or_else(|| "application/octet-stream".into());
            part(
                "",
                bytes::Bytes::copy_from_slice(item.as_ref()),
                Some(media),
                enc,
            )
        })
        .collect()
}

/// The parts of a multipart body that is not an object with known fields: [`parts`] of
/// each top-level property.
#[cfg(feature = "client")]
pub fn all_parts<T: Serialize + ?Sized>(value: &T, encodings: &[Encoding]) -> Vec<crate::Part> {
    let mut out = Vec::new();
    if let Ok(Value::Object(map)) = serde_json::to_value(value) {
        for (name, v) in &map {
            parts(&mut out, name, v, encodings);
        }
    }
    out
}

/// A form or multipart body read back as a tree of texts, before the schema says what
/// each text is.
#[derive(Debug, Clone, PartialEq)]
pub enum Raw {
    Text(String),
    /// A value written whole with a delimiter (`a,b`, `a|b`): a list, or `key,value`
    /// pairs, where the schema wants a structure.
    Packed(String, char),
    /// A part that said it is JSON.
    Json(Value),
    /// A file, or a part that is not UTF-8.
    Bytes(bytes::Bytes),
    List(Vec<Raw>),
    /// Properties, or list items by index (`key[0]`), in the order given.
    Map(Vec<(String, Raw)>),
}

/// Bracket paths deeper than this are read as plain keys.
const MAX_DEPTH: usize = 32;

/// `a[b][0]` → `("a", ["b", "0"])`; a key that is not of that form is one name.
pub fn split_key(key: &str) -> (&str, Vec<&str>) {
    let plain = (key, Vec::new());
    let Some(open) = key.find('[') else {
        return plain;
    };
    if open == 0 || !key.ends_with(']') {
        return plain;
    }
    let mut path = Vec::new();
    let mut rest = &key[open..];
    while let Some(inner) = rest.strip_prefix('[') {
        let Some(close) = inner.find(']') else {
            return plain;
        };
        let segment = &inner[..close];
        if segment.contains('[') || path.len() == MAX_DEPTH {
            return plain;
        }
        path.push(segment);
        rest = &inner[close + 1..];
    }
    if !rest.is_empty() {
        return plain;
    }
    (&key[..open], path)
}

fn entry<'m>(map: &'m mut [(String, Raw)], key: &str) -> Option<&'m mut Raw> {
    map.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// Puts `leaf` at `path` under `node`.
fn insert(node: &mut Raw, path: &[&str], leaf: Raw) {
    let Some((first, rest)) = path.split_first() else {
        // A repeated key: a list.
        match node {
            Raw::List(items) => items.push(leaf),
            other => {
                let first = std::mem::replace(other, Raw::List(Vec::new()));
                *other = Raw::List(vec![first, leaf]);
            }
        }
        return;
    };
    if first.is_empty() {
        // `key[]`: the next item, or (`key[][a]`) the last item while it lacks `a`.
        if !matches!(node, Raw::List(_)) {
            *node = Raw::List(Vec::new());
        }
        let Raw::List(items) = node else { return };
        match rest.first() {
            None => items.push(leaf),
            Some(next) => {
                let fits =
                    matches!(items.last(), Some(Raw::Map(m)) if !m.iter().any(|(k, _)| k == next));
                if !fits {
                    items.push(Raw::Map(Vec::new()));
                }
                if let Some(last) = items.last_mut() {
                    insert_child(last, rest, leaf);
                }
            }
        }
        return;
    }
    if !matches!(node, Raw::Map(_)) {
        *node = Raw::Map(Vec::new());
    }
    insert_child(node, path, leaf);
}

/// Puts `leaf` at `path` (non-empty) in the map `node`.
fn insert_child(node: &mut Raw, path: &[&str], leaf: Raw) {
    let Raw::Map(map) = node else { return };
    let (first, rest) = (path[0], &path[1..]);
    match entry(map, first) {
        Some(existing) if !rest.is_empty() => insert(existing, rest, leaf),
        Some(existing) => insert(existing, &[], leaf),
        None if rest.is_empty() => map.push((first.to_string(), leaf)),
        None => {
            let mut child = if rest[0].is_empty() {
                Raw::List(Vec::new())
            } else {
                Raw::Map(Vec::new())
            };
            insert(&mut child, rest, leaf);
            map.push((first.to_string(), child));
        }
    }
}

/// The body's top-level properties from its fields, each `(key, value)` as sent: bracket
/// keys nest, repeated keys make lists, and the text of a property the spec writes whole
/// with a delimiter is [`Raw::Packed`] (form bodies only: `packed`).
pub fn tree(
    fields: impl IntoIterator<Item = (String, Raw)>,
    encodings: &[Encoding],
    packed: bool,
) -> Vec<(String, Raw)> {
    let mut root = Raw::Map(Vec::new());
    for (key, leaf) in fields {
        let (base, path) = split_key(&key);
        let leaf = match (leaf, find(encodings, base)) {
            (Raw::Text(t), Some(e)) if packed && path.is_empty() && !e.explode => {
                let sep = match e.style {
                    Style::SpaceDelimited => ' ',
                    Style::PipeDelimited => '|',
                    _ => ',',
                };
                match e.style {
                    Style::DeepObject => Raw::Text(t),
                    _ => Raw::Packed(t, sep),
                }
            }
            (leaf, _) => leaf,
        };
        let mut full = Vec::with_capacity(path.len() + 1);
        full.push(base);
        full.extend(path);
        insert_child(&mut root, &full, leaf);
    }
    match root {
        Raw::Map(map) => map,
        _ => Vec::new(),
    }
}

/// The fields of a form body.
pub fn parse(body: &[u8]) -> Vec<(String, Raw)> {
    form_urlencoded::parse(body)
        .map(|(k, v)| (k.into_owned(), Raw::Text(v.into_owned())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const DEEP: Style = Style::DeepObject;

    #[test]
    fn nested_objects_and_lists_go_in_brackets_to_any_depth() {
        let body = json!({
            "name": "a b&c",
            "address": {"city": "Paris", "geo": {"lat": 48.8}},
            "items": [{"price": "p_1", "quantity": 2}, {"price": "p_2"}],
            "tags": ["x", "y"],
            "metadata": "",
            "gone": null,
        });
        assert_eq!(
            encode(&body, &[]),
            "name=a+b%26c&address[city]=Paris&address[geo][lat]=48.8\
             &items[0][price]=p_1&items[0][quantity]=2&items[1][price]=p_2\
             &tags=x&tags=y&metadata="
        );
        let expand = [Encoding::new("expand", DEEP, true)];
        assert_eq!(
            encode(&json!({"expand": ["customer", "invoice"]}), &expand),
            "expand[0]=customer&expand[1]=invoice"
        );
        let expand = [Encoding::new("expand", DEEP, false)];
        assert_eq!(
            encode(&json!({"expand": ["customer", "invoice"]}), &expand),
            "expand[]=customer&expand[]=invoice"
        );
    }

    #[test]
    fn styles_of_the_spec() {
        let body = json!({"tags": ["a", "b"], "color": {"r": 1, "g": 2}, "url": "http://x/y?z"});
        let enc = [
            Encoding::new("tags", Style::PipeDelimited, false),
            Encoding::new("color", Style::Form, false),
            Encoding::new("url", Style::Form, true).allow_reserved(),
        ];
        assert_eq!(
            encode(&body, &enc),
            "tags=a%7Cb&color=r%2C1%2Cg%2C2&url=http://x/y?z"
        );
        let enc = [
            Encoding::new("color", Style::Form, true),
            Encoding::new("tags", Style::SpaceDelimited, false),
        ];
        assert_eq!(
            encode(&body, &enc),
            "tags=a+b&r=1&g=2&url=http%3A%2F%2Fx%2Fy%3Fz"
        );
    }

    #[test]
    fn keys_split_into_paths() {
        assert_eq!(split_key("a[b][0]"), ("a", vec!["b", "0"]));
        assert_eq!(split_key("a[]"), ("a", vec![""]));
        assert_eq!(split_key("a"), ("a", vec![]));
        assert_eq!(split_key("[a]"), ("[a]", vec![]));
        assert_eq!(split_key("a[b"), ("a[b", vec![]));
        assert_eq!(split_key("a[b]c"), ("a[b]c", vec![]));
        assert_eq!(split_key("a[b[c]]"), ("a[b[c]]", vec![]));
    }

    #[test]
    fn the_tree_has_what_the_encoder_wrote() {
        let t = |s: &str| Raw::Text(s.to_string());
        let fields =
            parse(b"a[b][c]=1&a[b][d]=2&l[]=x&l[]=y&o[][n]=1&o[][m]=2&o[][n]=3&r=1&r=2&p=1,2");
        let enc = [Encoding::new("p", Style::Form, false)];
        assert_eq!(
            tree(fields, &enc, true),
            vec![
                (
                    "a".to_string(),
                    Raw::Map(vec![(
                        "b".to_string(),
                        Raw::Map(vec![("c".to_string(), t("1")), ("d".to_string(), t("2"))])
                    )])
                ),
                ("l".to_string(), Raw::List(vec![t("x"), t("y")])),
                (
                    "o".to_string(),
                    Raw::List(vec![
                        Raw::Map(vec![("n".to_string(), t("1")), ("m".to_string(), t("2"))]),
                        Raw::Map(vec![("n".to_string(), t("3"))]),
                    ])
                ),
                ("r".to_string(), Raw::List(vec![t("1"), t("2")])),
                ("p".to_string(), Raw::Packed("1,2".to_string(), ',')),
            ]
        );
    }
}
