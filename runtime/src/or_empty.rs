//! [`OrEmpty<T>`]: a value, or the empty string that stands for none.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{
    BoolDeserializer, F64Deserializer, I64Deserializer, MapAccessDeserializer,
    SeqAccessDeserializer, StrDeserializer, U64Deserializer, UnitDeserializer,
};
use serde::de::{self, Deserialize, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde::{Serialize, Serializer};

/// A value of `T`, or the empty string, which an API reads as "none": the way many APIs
/// clear a field (`address=` in a form unsets the address). Specs write it as
/// `anyOf: [T, {type: string, enum: [""]}]`.
///
/// On the wire, `Value(v)` is `v` and `Empty` is `""`. Reading, `""` is always `Empty`,
/// even where `T` is a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OrEmpty<T> {
    /// A value.
    Value(T),
    /// The empty string: none.
    Empty,
}

impl<T> OrEmpty<T> {
    /// The value, unless empty.
    pub fn value(self) -> Option<T> {
        match self {
            OrEmpty::Value(v) => Some(v),
            OrEmpty::Empty => None,
        }
    }

    /// A reference to the value, unless empty.
    pub fn as_ref(&self) -> OrEmpty<&T> {
        match self {
            OrEmpty::Value(v) => OrEmpty::Value(v),
            OrEmpty::Empty => OrEmpty::Empty,
        }
    }

    /// Whether this is the empty string.
    pub fn is_empty(&self) -> bool {
        matches!(self, OrEmpty::Empty)
    }
}

impl<T> From<T> for OrEmpty<T> {
    fn from(value: T) -> Self {
        OrEmpty::Value(value)
    }
}

impl<T: Serialize> Serialize for OrEmpty<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            OrEmpty::Value(v) => v.serialize(s),
            OrEmpty::Empty => s.serialize_str(""),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OrEmpty<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(Either(PhantomData))
    }
}

/// Reads `""` as empty and hands every other value to `T`, as it came (nothing is
/// buffered).
struct Either<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Either<T> {
    fn value<D: Deserializer<'de, Error = E>, E>(d: D) -> Result<OrEmpty<T>, E> {
        T::deserialize(d).map(OrEmpty::Value)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for Either<T> {
    type Value = OrEmpty<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value or the empty string")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Self::value(BoolDeserializer::new(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Self::value(I64Deserializer::new(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Self::value(U64Deserializer::new(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Self::value(F64Deserializer::new(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if v.is_empty() {
            return Ok(OrEmpty::Empty);
        }
        Self::value(StrDeserializer::new(v))
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        if v.is_empty() {
            return Ok(OrEmpty::Empty);
        }
        Self::value(v.into_deserializer())
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        if v.is_empty() {
            return Ok(OrEmpty::Empty);
        }
        Self::value(v.into_deserializer())
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Self::value(UnitDeserializer::new())
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Self::value(UnitDeserializer::new())
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        Self::value(SeqAccessDeserializer::new(seq))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        Self::value(MapAccessDeserializer::new(map))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Address {
        city: String,
    }

    #[test]
    fn the_empty_string_is_empty_and_anything_else_is_the_value() {
        let read = |text: &str| serde_json::from_str::<OrEmpty<Address>>(text);
        assert_eq!(read(r#""""#).unwrap(), OrEmpty::Empty);
        assert_eq!(
            read(r#"{"city": "Oslo"}"#).unwrap(),
            OrEmpty::Value(Address {
                city: "Oslo".into()
            })
        );
        let refused = read(r#""Oslo""#).unwrap_err().to_string();
        assert!(refused.contains("expected struct Address"), "{refused}");
        assert!(read("{}").is_err());

        // Where the value is a string too, `""` is still empty.
        let text = |t: &str| serde_json::from_str::<OrEmpty<String>>(t).unwrap();
        assert_eq!(text(r#""""#), OrEmpty::Empty);
        assert_eq!(text(r#""x""#), OrEmpty::Value("x".into()));
        assert_eq!(
            serde_json::from_str::<OrEmpty<Vec<u8>>>("[1, 2]").unwrap(),
            OrEmpty::Value(vec![1, 2])
        );
        assert_eq!(
            serde_json::from_str::<Option<OrEmpty<i64>>>("null").unwrap(),
            None
        );
        assert_eq!(
            serde_json::from_str::<OrEmpty<f64>>("1.5").unwrap(),
            OrEmpty::Value(1.5)
        );
    }

    #[test]
    fn written_as_the_value_or_the_empty_string() {
        let map: OrEmpty<BTreeMap<String, String>> =
            OrEmpty::Value([("a".to_string(), "b".to_string())].into());
        assert_eq!(serde_json::to_string(&map).unwrap(), r#"{"a":"b"}"#);
        let empty: OrEmpty<BTreeMap<String, String>> = OrEmpty::Empty;
        assert_eq!(serde_json::to_string(&empty).unwrap(), r#""""#);
        assert_eq!(OrEmpty::from(3).value(), Some(3));
    }
}
