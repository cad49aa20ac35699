//! A JSON body read into its type and checked against the fast check's [`Plan`] in the same
//! pass: a `Deserializer` that stands between `serde_json` and the type, and checks each
//! value as the type pulls it.
//!
//! Its answer is the type's value, or "not sure". "Not sure" covers every doubt of the plan,
//! every value the type reads in a way the wrapper does not follow (bytes, enums by variant,
//! a visitor that stops before the end of an object), and every error of the type itself;
//! the caller then validates the body on the slow path, which decides and words the refusal.
//!
//! The invariant, as for the plan: when the read succeeds, every value of the body went
//! through a check of the plan, so the plan accepts the body. Values the type skips are read
//! by the plan itself (`deserialize_ignored_any`).

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{BorrowedStrDeserializer, StringDeserializer};
use serde::de::{self, DeserializeOwned, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use super::fast::{not_sure, At, Fields, Items, Key, KeySeed, Mode, Plan};

/// `bytes` as a `T` that the plan accepts; `None` when the plan is not sure, or `T` cannot
/// read it.
pub(crate) fn read<T: DeserializeOwned>(plan: &Plan, bytes: &[u8]) -> Option<T> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = Seed {
        seed: PhantomData::<T>,
        at: Some(plan.root()),
    }
    .deserialize(&mut de)
    .ok()?;
    de.end().ok()?;
    Some(value)
}

/// A seed whose value is checked at `at` (`None`: anything goes).
struct Seed<'p, S> {
    seed: S,
    at: Option<At<'p>>,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Seed<'_, S> {
    type Value = S::Value;

    fn deserialize<D: de::Deserializer<'de>>(self, de: D) -> Result<S::Value, D::Error> {
        let Some(at) = self.at else {
            return self.seed.deserialize(de);
        };
        match at.mode() {
            Mode::Free => self.seed.deserialize(de),
            Mode::Unsure => not_sure(),
            Mode::Check => self.seed.deserialize(Checked { de, at }),
        }
    }
}

/// The deserializer the type reads from: `de`, each value checked at `at`.
struct Checked<'p, D> {
    de: D,
    at: At<'p>,
}

/// Forwards `deserialize_*` methods to the inner deserializer, with a checking visitor.
macro_rules! forward {
    ($($method:ident($($arg:ident: $ty:ty),*);)*) => {$(
        fn $method<V: Visitor<'de>>(self $(, $arg: $ty)*, visitor: V) -> Result<V::Value, D::Error> {
            self.de.$method($($arg,)* Checking { visitor, at: self.at })
        }
    )*};
}

impl<'de, D: de::Deserializer<'de>> de::Deserializer<'de> for Checked<'_, D> {
    type Error = D::Error;

    forward! {
        deserialize_any();
        deserialize_bool();
        deserialize_i8();
        deserialize_i16();
        deserialize_i32();
        deserialize_i64();
        deserialize_i128();
        deserialize_u8();
        deserialize_u16();
        deserialize_u32();
        deserialize_u64();
        deserialize_u128();
        deserialize_f32();
        deserialize_f64();
        deserialize_char();
        deserialize_str();
        deserialize_string();
        deserialize_option();
        deserialize_unit();
        deserialize_unit_struct(name: &'static str);
        deserialize_seq();
        deserialize_tuple(len: usize);
        deserialize_tuple_struct(name: &'static str, len: usize);
        deserialize_map();
        deserialize_struct(name: &'static str, fields: &'static [&'static str]);
        deserialize_identifier();
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        // `serde_json::value::RawValue` takes the text as it is, unchecked.
        if name.starts_with("$serde_json") {
            return not_sure();
        }
        self.de.deserialize_newtype_struct(
            name,
            Checking {
                visitor,
                at: self.at,
            },
        )
    }

    // Bytes and enums read by variant are not followed: the slow path decides.
    fn deserialize_bytes<V: Visitor<'de>>(self, _: V) -> Result<V::Value, D::Error> {
        not_sure()
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, _: V) -> Result<V::Value, D::Error> {
        not_sure()
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, D::Error> {
        not_sure()
    }

    /// A value the type skips is read by the plan.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.at.deserialize(self.de)?;
        visitor.visit_unit()
    }

    fn is_human_readable(&self) -> bool {
        self.de.is_human_readable()
    }
}

/// The type's visitor, each value checked at `at` before it sees it.
struct Checking<'p, V> {
    visitor: V,
    at: At<'p>,
}

/// Forwards `visit_*` methods of scalars, checked by `$check`.
macro_rules! scalars {
    ($($method:ident($ty:ty) => $check:ident($conv:expr);)*) => {$(
        fn $method<E: de::Error>(self, v: $ty) -> Result<V::Value, E> {
            self.at.$check($conv(&v))?;
            self.visitor.$method(v)
        }
    )*};
}

fn wide<T: Copy + Into<i128>>(v: &T) -> i128 {
    (*v).into()
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Checking<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }

    scalars! {
        visit_bool(bool) => boolean(|v: &bool| *v);
        visit_i8(i8) => whole(wide);
        visit_i16(i16) => whole(wide);
        visit_i32(i32) => whole(wide);
        visit_i64(i64) => whole(wide);
        visit_i128(i128) => whole(|v: &i128| *v);
        visit_u8(u8) => whole(wide);
        visit_u16(u16) => whole(wide);
        visit_u32(u32) => whole(wide);
        visit_u64(u64) => whole(wide);
        visit_f32(f32) => real(|v: &f32| f64::from(*v));
        visit_f64(f64) => real(|v: &f64| *v);
        visit_borrowed_str(&'de str) => text(|v: &&'de str| *v);
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<V::Value, E> {
        self.at.text(v)?;
        self.visitor.visit_str(v)
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<V::Value, E> {
        self.at.text(&v)?;
        self.visitor.visit_string(v)
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<V::Value, E> {
        match i128::try_from(v) {
            Ok(w) => self.at.whole(w)?,
            Err(_) => return not_sure(),
        }
        self.visitor.visit_u128(v)
    }

    fn visit_char<E: de::Error>(self, v: char) -> Result<V::Value, E> {
        self.at.text(v.encode_utf8(&mut [0; 4]))?;
        self.visitor.visit_char(v)
    }

    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<V::Value, E> {
        not_sure()
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.at.null()?;
        self.visitor.visit_none()
    }

    fn visit_some<D: de::Deserializer<'de>>(self, de: D) -> Result<V::Value, D::Error> {
        self.visitor.visit_some(Checked { de, at: self.at })
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.at.null()?;
        self.visitor.visit_unit()
    }

    fn visit_newtype_struct<D: de::Deserializer<'de>>(self, de: D) -> Result<V::Value, D::Error> {
        self.visitor
            .visit_newtype_struct(Checked { de, at: self.at })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        let mut access = SeqChecked {
            seq,
            items: self.at.array()?,
            done: false,
        };
        let value = self.visitor.visit_seq(&mut access)?;
        // A visitor that stopped early left items unchecked.
        if !access.done {
            return not_sure();
        }
        access.items.finish()?;
        Ok(value)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        let mut access = MapChecked {
            map,
            fields: self.at.object()?,
            value: None,
            tag: false,
            done: false,
        };
        let value = self.visitor.visit_map(&mut access)?;
        if !access.done {
            return not_sure();
        }
        access.fields.finish()?;
        Ok(value)
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, _: A) -> Result<V::Value, A::Error> {
        not_sure()
    }
}

/// An array's items, each checked.
struct SeqChecked<'p, A> {
    seq: A,
    items: Items<'p>,
    /// Whether the last item was read.
    done: bool,
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for SeqChecked<'_, A> {
    type Error = A::Error;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, A::Error> {
        let seed = Seed {
            seed,
            at: Some(self.items.item),
        };
        match self.seq.next_element_seed(seed)? {
            Some(value) => {
                self.items.push();
                Ok(Some(value))
            }
            None => {
                self.done = true;
                Ok(None)
            }
        }
    }

    fn size_hint(&self) -> Option<usize> {
        self.seq.size_hint()
    }
}

/// An object's entries, each value checked at its property's schema.
struct MapChecked<'p, A> {
    map: A,
    fields: Fields<'p>,
    /// Where the value of the key just read is checked.
    value: Option<Option<At<'p>>>,
    /// The key just read is a union's discriminator.
    tag: bool,
    /// Whether the last key was read.
    done: bool,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for MapChecked<'_, A> {
    type Error = A::Error;

    fn next_key_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, A::Error> {
        let Some(key) = self.map.next_key_seed(KeySeed)? else {
            self.done = true;
            return Ok(None);
        };
        self.value = if self.fields.discriminator(&key)? {
            // The discriminator's value chooses the variant: read in `next_value_seed`.
            self.tag = true;
            None
        } else {
            Some(self.fields.key(&key)?)
        };
        match key {
            Key::Borrowed(k) => seed.deserialize(BorrowedStrDeserializer::new(k)),
            Key::Owned(k) => seed.deserialize(StringDeserializer::new(k)),
        }
        .map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        if std::mem::take(&mut self.tag) {
            let tag = self.map.next_value_seed(KeySeed)?;
            self.fields.choose(&tag)?;
            return match tag {
                Key::Borrowed(t) => seed.deserialize(BorrowedStrDeserializer::new(t)),
                Key::Owned(t) => seed.deserialize(StringDeserializer::new(t)),
            };
        }
        let Some(at) = self.value.take() else {
            return not_sure();
        };
        self.map.next_value_seed(Seed { seed, at })
    }

    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::{json, Value};

    use super::*;
    use crate::Nullable;

    #[derive(Debug, Clone, PartialEq, Eq)]
    enum Species {
        Cat,
        Dog,
        Unknown(String),
    }
    crate::string_enum!(Species { Cat = "cat", Dog = "dog" } Unknown);

    /// A type as the generator writes it for the schema below.
    #[derive(Debug, PartialEq, crate::Deserialize)]
    struct Pet {
        name: String,
        species: Species,
        age: Option<u8>,
        weight: Option<f64>,
        born: Option<chrono::NaiveDate>,
        #[serde(default)]
        tags: Vec<String>,
        nick: Nullable<String>,
        more: Option<BTreeMap<String, bool>>,
        owner: Option<Owner>,
    }

    /// A type that leaves the unknown keys of its object to be skipped.
    #[derive(Debug, PartialEq, crate::Deserialize)]
    struct Owner {
        id: i64,
    }

    fn schema() -> (Value, Value) {
        let defs = json!({
            "Species": {"enum": ["cat", "dog"]},
            "Owner": {
                "type": "object",
                "required": ["id"],
                "properties": {"id": {"type": "integer"}},
                "additionalProperties": {"type": "string", "maxLength": 2}
            },
            "Pet": {
                "type": "object",
                "required": ["name", "species"],
                "properties": {
                    "name": {"type": "string", "minLength": 1, "maxLength": 3},
                    "species": {"$ref": "#/$defs/Species"},
                    "age": {"type": "integer", "minimum": 0, "maximum": 1000},
                    "weight": {"type": "number", "exclusiveMinimum": 0},
                    "born": {"type": "string", "format": "date"},
                    "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 2},
                    "nick": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                    "more": {"type": "object", "additionalProperties": {"type": "boolean"}},
                    "owner": {"$ref": "#/$defs/Owner"}
                },
                "additionalProperties": false
            }
        });
        (json!({"$ref": "#/$defs/Pet"}), defs)
    }

    #[test]
    fn a_valid_body_is_read_in_one_pass_as_the_type_reads_it() {
        let (schema, defs) = schema();
        let plan = Plan::new(&schema, &defs);
        for body in [
            r#"{"name":"Rex","species":"dog"}"#,
            r#"{"species":"cat","name":"Éva","age":3,"weight":1.5,"born":"2021-04-01",
                "tags":["a","b"],"nick":null,"more":{"x":true},"owner":{"id":1,"n":"ab"}}"#,
            r#"{"name":"R\u00e9x","species":"dog","nick":"N","owner":{"id":-2}}"#,
            r#"{"name":"Rex","species":"dog","tags":[],"more":{}}"#,
        ] {
            let expected: Pet = serde_json::from_str(body).expect("the type reads it");
            assert_eq!(
                read::<Pet>(&plan, body.as_bytes()),
                Some(expected),
                "{body}"
            );
        }
    }

    #[test]
    fn an_invalid_body_or_one_the_type_cannot_hold_is_left_to_the_slow_path() {
        let (schema, defs) = schema();
        let plan = Plan::new(&schema, &defs);
        for body in [
            // Refused by the schema.
            r#"{"name":"Rex"}"#,
            r#"{"name":"","species":"dog"}"#,
            r#"{"name":"Rexy","species":"dog"}"#,
            r#"{"name":"Rex","species":"cow"}"#,
            r#"{"name":"Rex","species":"dog","weight":0}"#,
            r#"{"name":"Rex","species":"dog","born":"2021-02-30"}"#,
            r#"{"name":"Rex","species":"dog","tags":["a","b","c"]}"#,
            r#"{"name":"Rex","species":"dog","tags":null}"#,
            r#"{"name":"Rex","species":"dog","age":null}"#,
            r#"{"name":"Rex","species":"dog","more":{"x":1}}"#,
            r#"{"name":"Rex","species":"dog","colour":"red"}"#,
            r#"{"name":"Rex","species":"dog","name":"Max"}"#,
            // A value the type skips is still checked.
            r#"{"name":"Rex","species":"dog","owner":{"id":1,"n":"abc"}}"#,
            r#"{"name":"Rex","species":"dog","owner":{"id":1,"n":[1]}}"#,
            // Not JSON, or not one value.
            r#"{"name":"Rex","species":"dog"} x"#,
            r#"{"name":"Rex","species":"dog""#,
            "[]",
            "null",
            // Valid, but `1.0` and 300 are the slow path's to judge (and `u8`'s to refuse).
            r#"{"name":"Rex","species":"dog","age":1.0}"#,
            r#"{"name":"Rex","species":"dog","age":300}"#,
        ] {
            assert_eq!(read::<Pet>(&plan, body.as_bytes()), None, "{body}");
        }
    }

    #[test]
    fn what_the_plan_is_not_sure_of_is_not_read() {
        let schema = json!({"oneOf": [{"type": "string"}, {"type": "integer"}]});
        let plan = Plan::new(&schema, &json!({}));
        assert_eq!(read::<Value>(&plan, b"\"a\""), None);
        // Anything goes: read as it is.
        let plan = Plan::new(&json!({}), &json!({}));
        assert_eq!(
            read::<Value>(&plan, br#"{"a":[1,null]}"#),
            Some(json!({"a": [1, null]}))
        );
        // Bytes and enums by variant are not followed.
        let plan = Plan::new(&json!({"type": "string"}), &json!({}));
        assert_eq!(read::<serde_bytes_like::Bytes>(&plan, b"\"ab\""), None);
        assert_eq!(read::<Unit>(&plan, b"\"A\""), None);
        assert_eq!(read::<String>(&plan, b"\"A\""), Some("A".to_string()));
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    enum Unit {
        A,
    }

    mod serde_bytes_like {
        /// Reads a string as bytes, as a type may.
        #[derive(Debug, PartialEq)]
        pub struct Bytes(pub Vec<u8>);

        impl<'de> serde::Deserialize<'de> for Bytes {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Bytes, D::Error> {
                struct V;
                impl serde::de::Visitor<'_> for V {
                    type Value = Bytes;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str("bytes")
                    }
                    fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Bytes, E> {
                        Ok(Bytes(v.to_vec()))
                    }
                }
                d.deserialize_bytes(V)
            }
        }
    }
}
