//! What the runtime's `#[derive(Deserialize)]` (crate `openapi-gen-runtime-derive`) expands
//! to calls into: generic code written once here instead of once per generated struct.
//! Not an API of its own.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, Error, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;

/// A key of a JSON object, read against a struct's field names.
pub enum Field<'de> {
    /// The index of the field it names.
    Known(usize),
    /// A key no field names.
    Other(Cow<'de, str>),
}

/// Reads a key as a [`Field`] of the struct whose wire names are `.0`.
pub struct Key(pub &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Field<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Field<'de>, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Key {
    fn find(&self, key: &str) -> Option<usize> {
        self.0.iter().position(|name| *name == key)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Field<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_borrowed_str<E: Error>(self, v: &'de str) -> Result<Field<'de>, E> {
        Ok(match self.find(v) {
            Some(i) => Field::Known(i),
            None => Field::Other(Cow::Borrowed(v)),
        })
    }

    fn visit_str<E: Error>(self, v: &str) -> Result<Field<'de>, E> {
        Ok(match self.find(v) {
            Some(i) => Field::Known(i),
            None => Field::Other(Cow::Owned(v.to_string())),
        })
    }

    fn visit_string<E: Error>(self, v: String) -> Result<Field<'de>, E> {
        Ok(match self.find(&v) {
            Some(i) => Field::Known(i),
            None => Field::Other(Cow::Owned(v)),
        })
    }
}

/// Reads the value of the field `name` into `slot`; a second value for it is an error.
pub fn next<'de, A, T>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    if slot.is_some() {
        return Err(A::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Skips the value of a key no field names.
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

/// A date written as `YYYY-MM-DD`, as chrono's `Display` writes it, without the formatting
/// machinery (years outside 0..=9999, which chrono writes with a sign, go through chrono).
pub struct Date<'a>(pub &'a chrono::NaiveDate);

impl serde::Serialize for Date<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use chrono::Datelike;
        let date = self.0;
        let Ok(year) = u32::try_from(date.year()) else {
            return serde::Serialize::serialize(date, serializer);
        };
        if year > 9999 {
            return serde::Serialize::serialize(date, serializer);
        }
        let digit = |n: u32| b'0' + (n % 10) as u8;
        let (month, day) = (date.month(), date.day());
        let text = [
            digit(year / 1000),
            digit(year / 100),
            digit(year / 10),
            digit(year),
            b'-',
            digit(month / 10),
            digit(month),
            b'-',
            digit(day / 10),
            digit(day),
        ];
        match std::str::from_utf8(&text) {
            Ok(text) => serializer.serialize_str(text),
            Err(_) => serde::Serialize::serialize(date, serializer),
        }
    }
}

/// The value of the required field `name`, or the error that it is missing.
pub fn required<T, E: Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}

#[cfg(test)]
mod tests {
    use crate::Nullable;
    use std::collections::BTreeMap;

    #[derive(Debug, PartialEq, crate::Deserialize)]
    struct Account {
        id: i64,
        #[serde(rename = "display-name")]
        name: String,
        #[serde(default)]
        tags: Vec<String>,
        nickname: Option<String>,
        note: Nullable<String>,
        r#type: Option<String>,
    }

    #[derive(Debug, PartialEq, crate::Deserialize)]
    struct Open {
        id: i64,
        #[serde(flatten)]
        rest: BTreeMap<String, serde_json::Value>,
    }

    fn read<T: for<'de> serde::Deserialize<'de>>(text: &str) -> Result<T, String> {
        // From text (keys borrowed) and from a `Value` (keys owned): the same outcome.
        let a = serde_json::from_str::<T>(text).map_err(|e| e.to_string());
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        let b = serde_json::from_value::<T>(value).map_err(|e| e.to_string());
        assert_eq!(a.is_ok(), b.is_ok(), "{text}");
        a
    }

    #[test]
    fn fields_by_wire_name_with_defaults_for_optional_ones() {
        let a: Account =
            read(r#"{"id":1,"display-name":"Acme","type":"pro","extra":[1,{"x":2}]}"#).unwrap();
        assert_eq!(
            a,
            Account {
                id: 1,
                name: "Acme".into(),
                tags: vec![],
                nickname: None,
                note: Nullable::Absent,
                r#type: Some("pro".into()),
            }
        );
        let a: Account =
            read(r#"{"note":null,"display-name":"A","id":2,"tags":["x"],"nickname":"N"}"#).unwrap();
        assert_eq!(a.note, Nullable::Null);
        assert_eq!(a.tags, ["x"]);
        assert_eq!(a.nickname.as_deref(), Some("N"));
        let a: Account = read(r#"{"note":"hi","display-name":"A","id":2}"#).unwrap();
        assert_eq!(a.note, Nullable::Value("hi".into()));
    }

    #[test]
    fn a_missing_required_field_a_repeated_key_and_a_wrong_type_are_errors() {
        let e = read::<Account>(r#"{"id":1}"#).unwrap_err();
        assert!(e.contains("missing field `display-name`"), "{e}");
        let e =
            serde_json::from_str::<Account>(r#"{"id":1,"id":2,"display-name":"A"}"#).unwrap_err();
        assert!(e.to_string().contains("duplicate field `id`"), "{e}");
        let e = read::<Account>(r#"{"id":"1","display-name":"A"}"#).unwrap_err();
        assert!(e.contains("invalid type"), "{e}");
        let e = read::<Account>(r#"[1,"A"]"#).unwrap_err();
        assert!(e.contains("struct Account"), "{e}");
    }

    #[test]
    fn a_flattened_map_receives_the_unknown_keys() {
        let o: Open = read(r#"{"extra":{"a":[1]},"id":3,"more":"m"}"#).unwrap();
        assert_eq!(o.id, 3);
        assert_eq!(
            serde_json::to_value(&o.rest).unwrap(),
            serde_json::json!({"extra": {"a": [1]}, "more": "m"})
        );
    }
}

#[cfg(test)]
mod serialize_tests {
    use crate::Nullable;
    use serde_json::json;
    use std::collections::BTreeMap;

    #[derive(Debug, Clone, PartialEq, crate::Serialize, crate::Deserialize)]
    struct Patch {
        id: i64,
        #[serde(rename = "display-name")]
        name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        nickname: Option<String>,
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        note: Nullable<String>,
        #[serde(flatten)]
        rest: BTreeMap<String, serde_json::Value>,
    }

    #[derive(Debug, Clone, PartialEq, crate::Serialize, crate::Deserialize)]
    struct Dated {
        born: chrono::NaiveDate,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        seen: Option<chrono::NaiveDate>,
        last: Option<chrono::NaiveDate>,
    }

    #[test]
    fn dates_are_written_as_chrono_writes_them() {
        let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let mut dates = vec![
            day(0, 1, 1),
            day(9999, 12, 31),
            day(-1, 3, 4),
            day(10000, 1, 1),
        ];
        dates.extend(day(-300, 1, 1).iter_days().step_by(997).take(4_000));
        for date in dates {
            let value = Dated {
                born: date,
                seen: Some(date),
                last: None,
            };
            let text = serde_json::to_string(&value).unwrap();
            assert_eq!(
                text,
                format!(r#"{{"born":"{date}","seen":"{date}","last":null}}"#),
                "{date:?}"
            );
            assert_eq!(serde_json::from_str::<Dated>(&text).unwrap(), value);
        }
        let value = Dated {
            born: day(2021, 4, 1),
            seen: None,
            last: Some(day(2022, 12, 9)),
        };
        assert_eq!(
            serde_json::to_string(&value).unwrap(),
            r#"{"born":"2021-04-01","last":"2022-12-09"}"#
        );
    }

    #[test]
    fn wire_names_in_order_skips_and_flattened_entries_and_back() {
        let mut patch = Patch {
            id: 1,
            name: "Acme".into(),
            nickname: None,
            note: Nullable::Null,
            rest: BTreeMap::new(),
        };
        patch.rest.insert("x-extra".into(), json!([1]));
        let text = serde_json::to_string(&patch).unwrap();
        assert_eq!(
            text,
            r#"{"id":1,"display-name":"Acme","note":null,"x-extra":[1]}"#
        );
        assert_eq!(serde_json::from_str::<Patch>(&text).unwrap(), patch);
        patch.note = Nullable::Absent;
        patch.nickname = Some("N".into());
        patch.rest.clear();
        assert_eq!(
            serde_json::to_value(&patch).unwrap(),
            json!({"id": 1, "display-name": "Acme", "nickname": "N"})
        );
        // Other formats see a map too.
        assert_eq!(
            serde_urlencoded::to_string(&patch).unwrap(),
            "id=1&display-name=Acme&nickname=N"
        );
    }
}
