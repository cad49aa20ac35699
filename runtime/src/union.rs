//! Unions with a discriminator: the tag lives inside the variant's object. The tag written is
//! the variant's own when it is one of its tags, else its first (the mapping key), exactly
//! once; parsing keeps the tag in the object so the variant's own field reads it. A value
//! parsed then serialized then parsed again is unchanged.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

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

/// Reads a tagged value: its discriminator (if any) and the whole value.
pub fn deserialize_tagged_tag<'de, D: Deserializer<'de>>(
    deserializer: D,
    property: &str,
) -> Result<(Option<String>, Value), D::Error> {
    let value = Value::deserialize(deserializer)?;
    if !value.is_object() {
        return Err(D::Error::custom(format!(
            "expected an object with a `{property}` discriminator"
        )));
    }
    let tag = value
        .get(property)
        .and_then(Value::as_str)
        .map(str::to_string);
    Ok((tag, value))
}
