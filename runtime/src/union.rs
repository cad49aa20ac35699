//! Unions with a discriminator: the tag lives inside the variant's object. The tag written is
//! the variant's own when it is one of its tags, else its first (the mapping key), exactly
//! once; parsing keeps the tag in the object so the variant's own field reads it. A value
//! parsed then serialized then parsed again is unchanged.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{BorrowedStrDeserializer, MapAccessDeserializer, StringDeserializer};
use serde::de::IntoDeserializer;
use serde::de::{DeserializeSeed, Error as _, MapAccess, Visitor};
use serde::{Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::de::{Field, Key};

/// Serializes a variant's value with the discriminator `property` set to one of `tags`.
pub fn serialize_tagged<S: Serializer, T: Serialize + ?Sized>(
    value: &T,
    property: &str,
    tags: &[&str],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut v = serde_json::to_value(value).map_err(serde::ser::Error::custom)?;
    if let Value::Object(map) = &mut v {
        let own = map
            .get(property)
            .and_then(Value::as_str)
            .is_some_and(|t| tags.contains(&t));
        if !own {
            if let Some(first) = tags.first() {
                map.insert(property.to_string(), Value::String((*first).to_string()));
            }
        }
    }
    v.serialize(serializer)
}

/// What [`tagged_union!`](crate::tagged_union) implements for a discriminated union, so
/// that [`deserialize_tagged`] can read it.
pub trait TaggedUnion: Sized {
    /// The discriminator property.
    const PROPERTY: &'static str;

    /// Whether `tag` selects a variant.
    fn selects(tag: &str) -> bool;

    /// The variant `tag` selects, read from `deserializer` (the whole object, the tag in it).
    fn variant<'de, D: Deserializer<'de>>(tag: &str, deserializer: D) -> Result<Self, D::Error>;

    /// The union read from the whole object, held as a value: a listed tag's variant, else the
    /// default variant or the first variant of the right shape, else kept whole.
    fn from_object(object: Value) -> Result<Self, String>;
}

/// Reads a discriminated union. When the object starts with its discriminator (as every
/// serializer of ours, and most others, write it) and the tag is listed, the variant reads
/// the object as it arrives, without holding it; otherwise the object is held as a value
/// first ([`TaggedUnion::from_object`]).
pub fn deserialize_tagged<'de, T: TaggedUnion, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_map(TaggedVisitor(PhantomData))
}

struct TaggedVisitor<T>(PhantomData<T>);

impl<'de, T: TaggedUnion> Visitor<'de> for TaggedVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "an object with a `{}` discriminator", T::PROPERTY)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut object = Map::new();
        let first = map.next_key_seed(Key(&[]))?;
        let first = match first {
            Some(Field::Other(key)) if key == T::PROPERTY => {
                let tag: Value = map.next_value()?;
                if let Value::String(tag) = tag {
                    if T::selects(&tag) {
                        let rest = Replay {
                            property: T::PROPERTY,
                            tag: Some(tag.clone()),
                            map,
                        };
                        return T::variant(&tag, MapAccessDeserializer::new(rest));
                    }
                    Some((key, Value::String(tag)))
                } else {
                    Some((key, tag))
                }
            }
            Some(Field::Other(key)) => Some((key, map.next_value()?)),
            Some(Field::Known(_)) | None => None,
        };
        if let Some((key, value)) = first {
            object.insert(key.into_owned(), value);
            while let Some(key) = map.next_key::<String>()? {
                // The last of repeated keys, as `serde_json::Value` reads them.
                object.insert(key, map.next_value()?);
            }
        }
        T::from_object(Value::Object(object)).map_err(A::Error::custom)
    }
}

/// The rest of an object whose discriminator was read: the discriminator first, as read,
/// then the rest.
struct Replay<A> {
    property: &'static str,
    tag: Option<String>,
    map: A,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Replay<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        if self.tag.is_some() {
            return seed
                .deserialize(BorrowedStrDeserializer::new(self.property))
                .map(Some);
        }
        self.map.next_key_seed(seed)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        match self.tag.take() {
            Some(tag) => seed.deserialize(Tag(tag, PhantomData)),
            None => self.map.next_value_seed(seed),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        self.map
            .size_hint()
            .map(|n| n + usize::from(self.tag.is_some()))
    }
}

/// The discriminator's value, as [`Replay`] gives it: a string, read as JSON's reader reads
/// one (into an `Option`, a newtype or a unit variant too).
struct Tag<E>(String, PhantomData<E>);

impl<'de, E: serde::de::Error> Deserializer<'de> for Tag<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_string(self.0)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, E> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, E> {
        let text: StringDeserializer<E> = self.0.into_deserializer();
        text.deserialize_enum(name, variants, visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier
        ignored_any
    }
}
