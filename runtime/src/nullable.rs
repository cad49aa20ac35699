//! Optional properties that may also be `null`: absent, `null` and a value are three
//! different things (JSON Merge Patch clears a field with `null` and leaves an absent one
//! alone).

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An optional, nullable property: absent (not sent), `null`, or a value.
///
/// Generated structs hold such properties as `Nullable<T>` with
/// `#[serde(default, skip_serializing_if = "Nullable::is_absent")]`: absent is omitted,
/// `Null` is written `null`, and reading tells the three apart.
///
/// ```
/// use openapi_gen_runtime::Nullable;
/// let clear: Nullable<String> = Nullable::Null;
/// let set: Nullable<String> = "Ada".to_string().into();
/// let keep: Nullable<String> = Nullable::Absent;
/// assert_eq!(set.as_ref(), Some(&"Ada".to_string()));
/// assert!(clear.is_null() && keep.is_absent());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Nullable<T> {
    /// Not there at all: the property is not sent, or was not received.
    #[default]
    Absent,
    /// Explicitly `null`.
    Null,
    /// A value.
    Value(T),
}

impl<T> Nullable<T> {
    /// Not there at all.
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// Explicitly `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// The value, if there is one.
    pub fn as_ref(&self) -> Option<&T> {
        match self {
            Nullable::Value(v) => Some(v),
            _ => None,
        }
    }

    /// The value, if there is one; absent and `null` are both `None`.
    pub fn into_option(self) -> Option<T> {
        match self {
            Nullable::Value(v) => Some(v),
            _ => None,
        }
    }

    /// `Some(v)` as a value, `None` as `null`.
    pub fn or_null(value: Option<T>) -> Self {
        value.map_or(Nullable::Null, Nullable::Value)
    }

    /// `Some(v)` as a value, `None` as absent.
    pub fn or_absent(value: Option<T>) -> Self {
        value.map_or(Nullable::Absent, Nullable::Value)
    }

    /// `None` for absent, `Some(None)` for `null`, `Some(Some(v))` for a value.
    pub fn into_nested(self) -> Option<Option<T>> {
        match self {
            Nullable::Absent => None,
            Nullable::Null => Some(None),
            Nullable::Value(v) => Some(Some(v)),
        }
    }
}

/// A value.
impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

impl<T> From<Nullable<T>> for Option<T> {
    fn from(value: Nullable<T>) -> Self {
        value.into_option()
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            // Written only when not skipped (inside a list, say): nothing to say but `null`.
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
            Nullable::Value(v) => serializer.serialize_some(v),
        }
    }
}

/// A property that is there reads as `Null` or a value; an absent one is `Absent` through
/// `#[serde(default)]`.
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Nullable::or_null(Option::<T>::deserialize(deserializer)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Patch {
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        nickname: Nullable<String>,
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        age: Nullable<i64>,
    }

    #[test]
    fn absent_null_and_a_value_round_trip() {
        let patch = Patch {
            nickname: Nullable::Null,
            age: Nullable::Absent,
        };
        let text = serde_json::to_string(&patch).unwrap();
        assert_eq!(text, r#"{"nickname":null}"#);
        assert_eq!(serde_json::from_str::<Patch>(&text).unwrap(), patch);
        let set: Patch = serde_json::from_str(r#"{"age":7}"#).unwrap();
        assert_eq!(
            (set.nickname, set.age),
            (Nullable::Absent, Nullable::Value(7))
        );
        assert_eq!(Nullable::or_null(None::<i64>), Nullable::Null);
        assert_eq!(Nullable::or_absent(None::<i64>), Nullable::Absent);
        assert_eq!(Nullable::or_absent(Some(2)), Nullable::Value(2));
        assert_eq!(Option::from(Nullable::Value(1)), Some(1));
        assert_eq!(Nullable::<i64>::Null.into_nested(), Some(None));
    }
}
