//! Whether the generated types read a JSON value: what a spec's example must be for the mock
//! to answer with it. Published specs ship examples that their own schemas refuse (a field
//! their schema requires left out, a number where it says string, a date-time without its
//! offset); a generated client rightly refuses them, so the mock answers with a value made
//! from the schema instead.

use serde_json::Value;

use super::*;

impl Api {
    /// `Ok` when the generated type of `t` reads `value`: its JSON type, nullability, the
    /// required fields, the formats the types parse (date-time, date, UUID, base64), the
    /// integer's range, each field, item and entry, and a variant of a union. Else where
    /// (`$.a[0].b`) and why it is refused.
    pub fn reads(&self, t: &TypeRef, value: &Value) -> Result<(), String> {
        self.reads_at(t, value, "$", 0)
    }

    fn reads_at(&self, t: &TypeRef, value: &Value, at: &str, depth: usize) -> Result<(), String> {
        // Deeper than any spec nests: a cycle of aliases, or a value too deep to tell.
        if depth > 64 {
            return Ok(());
        }
        if value.is_null() {
            return match (t.nullable, &t.shape) {
                (true, _) | (_, Shape::Any) => Ok(()),
                (false, Shape::Named(id)) => match &self.type_def(*id).kind {
                    TypeKind::Alias(inner) => self.reads_at(inner, value, at, depth + 1),
                    TypeKind::Union(u) => self.union_reads(u, value, at, depth),
                    _ => Err(format!("{at} is null")),
                },
                _ => Err(format!("{at} is null")),
            };
        }
        let refused = |what: &str| Err(format!("{at} is not {what}: {}", shown(value)));
        match &t.shape {
            Shape::Any => Ok(()),
            Shape::Bool if value.is_boolean() => Ok(()),
            Shape::Bool => refused("a boolean"),
            Shape::Integer(format) => {
                let n = value
                    .as_i64()
                    .map(i128::from)
                    .or_else(|| value.as_u64().map(i128::from));
                let (least, greatest) = format.range();
                match n {
                    Some(n) if (least..=greatest).contains(&n) => Ok(()),
                    _ => refused(&format!("an integer of its format ({format:?})")),
                }
            }
            Shape::Number(_) if value.is_number() => Ok(()),
            Shape::Number(_) => refused("a number"),
            Shape::String(format) => match value.as_str() {
                Some(text) if string_reads(format, text) => Ok(()),
                Some(_) => refused(&format!("a string of its format ({format:?})")),
                None => refused("a string"),
            },
            Shape::Bytes if value.is_string() => Ok(()),
            Shape::Bytes => refused("a string"),
            Shape::Array(item) => match value.as_array() {
                Some(items) => items.iter().enumerate().try_for_each(|(i, v)| {
                    self.reads_at(item, v, &format!("{at}[{i}]"), depth + 1)
                }),
                None => refused("an array"),
            },
            Shape::Map(entry) => match value.as_object() {
                Some(map) => map.iter().try_for_each(|(k, v)| {
                    self.reads_at(entry, v, &format!("{at}.{k}"), depth + 1)
                }),
                None => refused("an object"),
            },
            Shape::OrEmpty(_) if value.as_str() == Some("") => Ok(()),
            Shape::OrEmpty(inner) => self.reads_at(inner, value, at, depth + 1),
            Shape::Named(id) => self.named_reads(*id, value, at, depth),
        }
    }

    fn named_reads(&self, id: TypeId, value: &Value, at: &str, depth: usize) -> Result<(), String> {
        let def = self.type_def(id);
        // The user's own type: only its author knows what it reads.
        if def.rust_path.is_some() {
            return Ok(());
        }
        match &def.kind {
            TypeKind::Alias(inner) => self.reads_at(inner, value, at, depth + 1),
            // A value the spec does not list is kept by the catch-all variant, of the same
            // JSON type; a tag reads only its one value.
            TypeKind::Enum(e) => {
                let listed = e.variants.iter().any(|v| &v.value == value);
                let same_type = e.variants.iter().any(|v| {
                    std::mem::discriminant(&v.value) == std::mem::discriminant(value)
                        || (v.value.is_number() && value.is_number())
                });
                if listed || (!e.tag && same_type) {
                    Ok(())
                } else {
                    Err(format!("{at} is not one of its values: {}", shown(value)))
                }
            }
            TypeKind::Struct(s) => {
                let Some(object) = value.as_object() else {
                    return Err(format!("{at} is not an object: {}", shown(value)));
                };
                for field in &s.fields {
                    let here = format!("{at}.{}", field.name);
                    match object.get(&field.name) {
                        Some(v) => self.reads_at(&field.ty, v, &here, depth + 1)?,
                        None if field.required && !field.ty.nullable => {
                            return Err(format!("{here} is missing"));
                        }
                        None => {}
                    }
                }
                if let Some(extra) = &s.additional {
                    for (k, v) in object {
                        if !s.fields.iter().any(|f| &f.name == k) {
                            self.reads_at(extra, v, &format!("{at}.{k}"), depth + 1)?;
                        }
                    }
                }
                Ok(())
            }
            TypeKind::Union(u) => self.union_reads(u, value, at, depth),
        }
    }

    fn union_reads(&self, u: &Union, value: &Value, at: &str, depth: usize) -> Result<(), String> {
        if let Some(property) = &u.discriminator {
            let tag = value.get(property).and_then(Value::as_str);
            let chosen =
                tag.and_then(|tag| u.variants.iter().find(|v| v.tags.iter().any(|t| t == tag)));
            return match chosen.or_else(|| u.fallback.map(|i| &u.variants[i])) {
                Some(variant) => self.reads_at(&variant.ty, value, at, depth + 1),
                // An unknown tag is kept by the catch-all.
                None => Ok(()),
            };
        }
        let mut why = Vec::new();
        for variant in &u.variants {
            match self.reads_at(&variant.ty, value, at, depth + 1) {
                Ok(()) => return Ok(()),
                Err(e) => why.push(e),
            }
        }
        Err(format!("{at} is none of its variants ({})", why.join("; ")))
    }
}

/// Whether the type of a string of `format` reads `text`.
fn string_reads(format: &StringFormat, text: &str) -> bool {
    match format {
        StringFormat::DateTime => is_date_time(text),
        StringFormat::Date => is_date(text),
        StringFormat::Uuid => is_uuid(text),
        StringFormat::Byte => is_base64(text),
        _ => true,
    }
}

/// `YYYY-MM-DD`, as `chrono::NaiveDate` reads it.
fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && [0, 1, 2, 3, 5, 6, 8, 9]
            .iter()
            .all(|&i| b[i].is_ascii_digit())
        && (1..=12).contains(&text[5..7].parse::<u8>().unwrap_or(0))
        && (1..=31).contains(&text[8..10].parse::<u8>().unwrap_or(0))
}

/// RFC 3339 (`2024-05-01T10:00:00Z`, `...T10:00:00.5+02:00`, `T` or `t` or a space), as
/// `chrono::DateTime<Utc>` reads it: the offset is required.
fn is_date_time(text: &str) -> bool {
    if text.len() < 20 || !text.is_char_boundary(10) || !is_date(&text[..10]) {
        return false;
    }
    let rest = &text.as_bytes()[10..];
    if !matches!(rest[0], b'T' | b't' | b' ') {
        return false;
    }
    let time = &rest[1..];
    let clock = |b: &[u8]| {
        b.len() >= 8
            && b[2] == b':'
            && b[5] == b':'
            && [0, 1, 3, 4, 6, 7].iter().all(|&i| b[i].is_ascii_digit())
    };
    if !clock(time) {
        return false;
    }
    let mut tail = &time[8..];
    if let Some(fraction) = tail.strip_prefix(b".") {
        let digits = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return false;
        }
        tail = &fraction[digits..];
    }
    match tail {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit()),
        _ => false,
    }
}

/// A UUID as the `uuid` crate reads it: hyphenated, simple, braced or as a URN.
fn is_uuid(text: &str) -> bool {
    let text = text.strip_prefix("urn:uuid:").unwrap_or(text);
    let text = text
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
        .unwrap_or(text);
    let hex = |s: &str| s.chars().all(|c| c.is_ascii_hexdigit());
    match text.len() {
        32 => hex(text),
        36 => {
            let groups: Vec<&str> = text.split('-').collect();
            groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12]) && groups.iter().all(|g| hex(g))
        }
        _ => false,
    }
}

/// Standard base64, padded or not (`runtime::Base64` reads both).
fn is_base64(text: &str) -> bool {
    let body = text.trim_end_matches('=');
    text.len() - body.len() <= 2
        && body
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '-' | '_'))
}

/// A value as a message shows it: short.
fn shown(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(60) {
        Some((i, _)) => format!("{}...", &text[..i]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_read_as_the_types_read_them() {
        assert!(is_date_time("2024-05-01T10:00:00Z"));
        assert!(is_date_time("2024-05-01 10:00:00.123+02:00"));
        assert!(!is_date_time("2020-06-01 08:15:01"));
        assert!(!is_date_time("2024-05-01T10:00Z"));
        assert!(is_date("2024-05-01"));
        assert!(!is_date("2024-13-01"));
        assert!(is_uuid("6f1c8e8e-2f4b-4a87-9a0e-0b1d2c3e4f50"));
        assert!(!is_uuid("6f1c8e8e"));
        assert!(is_base64("b3BlbmFwaS1nZW4="));
        assert!(!is_base64("not base64!"));
    }

    #[test]
    fn examples_a_schema_refuses_are_found_with_their_place() {
        let api = crate::pipeline::test_api(
            r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    User:
      type: object
      required: [id, name]
      properties:
        id: {type: integer, format: int32}
        name: {type: string}
        tags: {type: array, items: {type: string}}
        born: {type: string, format: date-time}
        nick: {type: string, nullable: true}
"#,
        );
        let user = TypeRef::named(TypeId(0));
        let reads = |v: Value| api.reads(&user, &v);
        assert_eq!(
            reads(serde_json::json!({"id": 1, "name": "a", "nick": null})),
            Ok(())
        );
        assert_eq!(
            reads(serde_json::json!({"id": 1})),
            Err("$.name is missing".into())
        );
        assert_eq!(
            reads(serde_json::json!({"id": 1, "name": "a", "tags": ["x", 2]})),
            Err("$.tags[1] is not a string: 2".into())
        );
        assert!(
            reads(serde_json::json!({"id": 1, "name": "a", "born": "2020-06-01 08:15:01"}))
                .unwrap_err()
                .starts_with("$.born is not a string of its format")
        );
        assert!(reads(serde_json::json!({"id": 4294967296i64, "name": "a"})).is_err());
        assert!(reads(serde_json::json!(null)).is_err());
    }
}
