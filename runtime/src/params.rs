//! Parameter serialization per OpenAPI 3.0 style (§4.7.12.4): values go through serde, so
//! enums serialize as their wire strings and every type is handled the same way.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;
use serde_json::Value;

/// How a parameter is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Form,
    Simple,
    Label,
    Matrix,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

/// RFC 3986 unreserved characters stay as they are in a path segment; all else is encoded.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

fn to_value<T: Serialize + ?Sized>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// Appends the query pairs of parameter `name` (not yet percent-encoded: the transport does
/// that). `None`/`null` adds nothing.
pub fn query<T: Serialize + ?Sized>(
    out: &mut Vec<(String, String)>,
    name: &str,
    value: &T,
    style: Style,
    explode: bool,
) {
    // A string, integer or boolean (most parameters): its text, without a `Value`.
    if let Some(text) = Scalar::text(value) {
        out.extend(text.map(|t| (name.to_string(), t)));
        return;
    }
    match to_value(value) {
        Value::Null => {}
        Value::Array(items) => {
            let items: Vec<String> = items.iter().filter_map(scalar).collect();
            match (style, explode) {
                (Style::Form, true) | (Style::DeepObject, _) => {
                    out.extend(items.into_iter().map(|v| (name.to_string(), v)))
                }
                (Style::SpaceDelimited, _) => out.push((name.to_string(), items.join(" "))),
                (Style::PipeDelimited, _) => out.push((name.to_string(), items.join("|"))),
                _ => out.push((name.to_string(), items.join(","))),
            }
        }
        Value::Object(map) => match (style, explode) {
            (Style::DeepObject, _) => {
                for (k, v) in &map {
                    if let Some(v) = scalar(v) {
                        out.push((format!("{name}[{k}]"), v));
                    }
                }
            }
            (_, true) => out.extend(
                map.iter()
                    .filter_map(|(k, v)| Some((k.clone(), scalar(v)?))),
            ),
            (_, false) => {
                let flat: Vec<String> = map
                    .iter()
                    .filter_map(|(k, v)| Some(format!("{k},{}", scalar(v)?)))
                    .collect();
                out.push((name.to_string(), flat.join(",")));
            }
        },
        v => out.extend(scalar(&v).map(|s| (name.to_string(), s))),
    }
}

/// Appends the query pairs of parameter `name` in the default style of query parameters
/// (`form`, exploded).
pub fn form<T: Serialize + ?Sized>(out: &mut Vec<(String, String)>, name: &str, value: &T) {
    query(out, name, value, Style::Form, true)
}

/// A path parameter's expansion, percent-encoded, ready to put in the path.
pub fn path<T: Serialize + ?Sized>(name: &str, value: &T, style: Style, explode: bool) -> String {
    // A string, integer or boolean in the default style (most path parameters): its text,
    // encoded, without a `Value` on the way.
    if style == Style::Simple {
        if let Some(text) = Scalar::text(value) {
            let Some(text) = text else {
                return String::new();
            };
            // Most values need no escapes: the text is the segment.
            return match std::borrow::Cow::from(utf8_percent_encode(&text, SEGMENT)) {
                std::borrow::Cow::Borrowed(_) => text,
                std::borrow::Cow::Owned(encoded) => encoded,
            };
        }
    }
    let enc = |s: &str| utf8_percent_encode(s, SEGMENT).to_string();
    let parts: Vec<(Option<String>, String)> = match to_value(value) {
        Value::Array(items) => items
            .iter()
            .filter_map(scalar)
            .map(|v| (None, enc(&v)))
            .collect(),
        Value::Object(map) => map
            .iter()
            .filter_map(|(k, v)| Some((Some(enc(k)), enc(&scalar(v)?))))
            .collect(),
        v => scalar(&v)
            .map(|s| vec![(None, enc(&s))])
            .unwrap_or_default(),
    };
    let joined = |sep: &str, kv: &str| -> String {
        parts
            .iter()
            .map(|(k, v)| match k {
                Some(k) if explode => format!("{k}{kv}{v}"),
                Some(k) => format!("{k},{v}"),
                None => v.clone(),
            })
            .collect::<Vec<_>>()
            .join(sep)
    };
    match style {
        Style::Label => format!(".{}", joined(if explode { "." } else { "," }, "=")),
        Style::Matrix if explode => parts
            .iter()
            .map(|(k, v)| format!(";{}={v}", k.clone().unwrap_or_else(|| name.to_string())))
            .collect(),
        Style::Matrix => format!(";{name}={}", joined(",", "=")),
        _ => joined(",", "="),
    }
}

/// A header parameter's value (simple style).
pub fn header<T: Serialize + ?Sized>(value: &T, explode: bool) -> Option<String> {
    if let Some(text) = Scalar::text(value) {
        return text;
    }
    match to_value(value) {
        Value::Null => None,
        Value::Array(items) => Some(
            items
                .iter()
                .filter_map(scalar)
                .collect::<Vec<_>>()
                .join(","),
        ),
        Value::Object(map) => Some(
            map.iter()
                .filter_map(|(k, v)| {
                    Some(if explode {
                        format!("{k}={}", scalar(v)?)
                    } else {
                        format!("{k},{}", scalar(v)?)
                    })
                })
                .collect::<Vec<_>>()
                .join(","),
        ),
        v => scalar(&v),
    }
}

/// A parameter given by `content` in a JSON media type: its value as JSON text, which its
/// location then writes as it writes any text. `None`/`null` is no value.
pub fn json_text<T: Serialize + ?Sized>(value: &T) -> Option<String> {
    match to_value(value) {
        Value::Null => None,
        v => Some(v.to_string()),
    }
}

/// `text` percent-encoded as one URL component: every byte but RFC 3986's unreserved ones.
pub fn encode_component(text: &str) -> String {
    utf8_percent_encode(text, SEGMENT).to_string()
}

/// The text of a non-file multipart part: scalars as they are, structures as JSON.
pub fn part_text<T: Serialize + ?Sized>(value: &T) -> Option<String> {
    scalar(&to_value(value))
}

/// A JSON body.
pub fn json<T: Serialize + ?Sized>(value: &T) -> bytes::Bytes {
    serde_json::to_vec(value).unwrap_or_default().into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn q(value: Value, style: Style, explode: bool) -> Vec<(String, String)> {
        let mut out = Vec::new();
        query(&mut out, "p", &value, style, explode);
        out
    }

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn scalars_are_written_as_their_json_text() {
        #[derive(serde::Serialize)]
        enum Colour {
            #[serde(rename = "dark red")]
            DarkRed,
        }
        let cases: Vec<(Box<dyn erased::Value>, &str)> = vec![
            (Box::new(42i64), "42"),
            (Box::new(u64::MAX), "18446744073709551615"),
            (Box::new(-7i8), "-7"),
            (Box::new(true), "true"),
            (Box::new('x'), "x"),
            (Box::new("a b/c"), "a b/c"),
            (Box::new(Some(3u8)), "3"),
            (Box::new(Colour::DarkRed), "dark red"),
            // Not scalars to `Scalar`: the general way, as `serde_json` writes numbers.
            (Box::new(1.5f64), "1.5"),
            (Box::new(1e21f64), "1e+21"),
        ];
        for (value, text) in cases {
            let mut query = Vec::new();
            value.query(&mut query);
            assert_eq!(query, vec![("q".to_string(), text.to_string())]);
            assert_eq!(value.header().as_deref(), Some(text));
            let encoded = utf8_percent_encode(text, SEGMENT).to_string();
            assert_eq!(value.path(), encoded);
        }
        // `None` adds nothing.
        let mut query = Vec::new();
        form(&mut query, "q", &None::<i32>);
        assert!(query.is_empty());
        assert_eq!(header(&None::<i32>, false), None);
        assert_eq!(path("p", &None::<i32>, Style::Simple, false), "");
    }

    /// The three writers, for values of any type in one list.
    mod erased {
        pub trait Value {
            fn query(&self, out: &mut Vec<(String, String)>);
            fn header(&self) -> Option<String>;
            fn path(&self) -> String;
        }

        impl<T: serde::Serialize> Value for T {
            fn query(&self, out: &mut Vec<(String, String)>) {
                super::form(out, "q", self)
            }
            fn header(&self) -> Option<String> {
                super::header(self, false)
            }
            fn path(&self) -> String {
                super::path("p", self, super::Style::Simple, false)
            }
        }
    }

    #[test]
    fn query_styles() {
        assert_eq!(q(json!(5), Style::Form, true), pairs(&[("p", "5")]));
        assert_eq!(q(json!(null), Style::Form, true), pairs(&[]));
        assert_eq!(
            q(json!(["a", "b"]), Style::Form, true),
            pairs(&[("p", "a"), ("p", "b")])
        );
        assert_eq!(
            q(json!(["a", "b"]), Style::Form, false),
            pairs(&[("p", "a,b")])
        );
        assert_eq!(
            q(json!(["a", "b"]), Style::SpaceDelimited, false),
            pairs(&[("p", "a b")])
        );
        assert_eq!(
            q(json!(["a", "b"]), Style::PipeDelimited, false),
            pairs(&[("p", "a|b")])
        );
        assert_eq!(
            q(json!({"x": 1, "y": "z"}), Style::Form, true),
            pairs(&[("x", "1"), ("y", "z")])
        );
        assert_eq!(
            q(json!({"x": 1, "y": "z"}), Style::Form, false),
            pairs(&[("p", "x,1,y,z")])
        );
        assert_eq!(
            q(json!({"x": 1}), Style::DeepObject, true),
            pairs(&[("p[x]", "1")])
        );
    }

    #[test]
    fn path_styles() {
        assert_eq!(path("id", &"a b/c", Style::Simple, false), "a%20b%2Fc");
        assert_eq!(path("id", &json!([1, 2]), Style::Simple, false), "1,2");
        assert_eq!(path("id", &json!([1, 2]), Style::Label, false), ".1,2");
        assert_eq!(path("id", &json!([1, 2]), Style::Label, true), ".1.2");
        assert_eq!(path("id", &json!([1, 2]), Style::Matrix, false), ";id=1,2");
        assert_eq!(
            path("id", &json!([1, 2]), Style::Matrix, true),
            ";id=1;id=2"
        );
        assert_eq!(path("id", &json!({"a": 1}), Style::Simple, true), "a=1");
        assert_eq!(path("id", &5, Style::Simple, false), "5");
    }

    #[test]
    fn headers_and_forms() {
        assert_eq!(header(&json!(["a", "b"]), false).as_deref(), Some("a,b"));
        assert_eq!(header(&Option::<String>::None, false), None);
    }
}

/// The text of a string, integer, boolean or unit variant as `serde_json` writes it (`None`
/// inside: `null`), read straight from `Serialize`; anything else (numbers with fractions,
/// structures) is not one.
struct Scalar;

/// "Not a scalar": the caller takes the general way.
#[derive(Debug)]
struct NotScalar;

impl std::fmt::Display for NotScalar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not a scalar")
    }
}

impl std::error::Error for NotScalar {}

impl serde::ser::Error for NotScalar {
    fn custom<M: std::fmt::Display>(_: M) -> Self {
        NotScalar
    }
}

impl Scalar {
    fn text<T: Serialize + ?Sized>(value: &T) -> Option<Option<String>> {
        value.serialize(Scalar).ok()
    }
}

macro_rules! scalar_displayed {
    ($($method:ident($ty:ty);)*) => {$(
        fn $method(self, v: $ty) -> Result<Self::Ok, NotScalar> {
            Ok(Some(v.to_string()))
        }
    )*};
}

macro_rules! not_scalar {
    ($($method:ident($($arg:ty),*) -> $ret:ty;)*) => {$(
        fn $method(self, $(_: $arg),*) -> Result<$ret, NotScalar> {
            Err(NotScalar)
        }
    )*};
}

impl serde::Serializer for Scalar {
    type Ok = Option<String>;
    type Error = NotScalar;
    type SerializeSeq = serde::ser::Impossible<Option<String>, NotScalar>;
    type SerializeTuple = serde::ser::Impossible<Option<String>, NotScalar>;
    type SerializeTupleStruct = serde::ser::Impossible<Option<String>, NotScalar>;
    type SerializeTupleVariant = serde::ser::Impossible<Option<String>, NotScalar>;
    type SerializeMap = serde::ser::Impossible<Option<String>, NotScalar>;
    type SerializeStruct = serde::ser::Impossible<Option<String>, NotScalar>;
    type SerializeStructVariant = serde::ser::Impossible<Option<String>, NotScalar>;

    scalar_displayed! {
        serialize_bool(bool);
        serialize_i8(i8);
        serialize_i16(i16);
        serialize_i32(i32);
        serialize_i64(i64);
        serialize_i128(i128);
        serialize_u8(u8);
        serialize_u16(u16);
        serialize_u32(u32);
        serialize_u64(u64);
        serialize_u128(u128);
        serialize_char(char);
        serialize_str(&str);
    }

    not_scalar! {
        serialize_f32(f32) -> Self::Ok;
        serialize_f64(f64) -> Self::Ok;
        serialize_bytes(&[u8]) -> Self::Ok;
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
        serialize_map(Option<usize>) -> Self::SerializeMap;
        serialize_struct(&'static str, usize) -> Self::SerializeStruct;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
    }

    fn serialize_none(self) -> Result<Option<String>, NotScalar> {
        Ok(None)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Option<String>, NotScalar> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<Option<String>, NotScalar> {
        Ok(None)
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<Option<String>, NotScalar> {
        Ok(None)
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Option<String>, NotScalar> {
        Ok(Some(variant.to_string()))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Option<String>, NotScalar> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Option<String>, NotScalar> {
        Err(NotScalar)
    }
}
