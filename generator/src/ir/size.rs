//! How large a value of a type is where it is held (inline in a struct or an enum variant,
//! on 64-bit targets), estimated from the model: what decides whether the variants of a
//! generated enum differ so much in size that Clippy's `large_enum_variant` fires.

use super::*;

/// Deeper than this, a type counts as a pointer's size (types that hold themselves are
/// boxed, so only very deep nesting gets here).
const DEPTH: usize = 24;

/// A type of the user's (`x-rust-type`, `replace_type`): its size is unknown, so it is
/// taken as large.
const USER_TYPE: usize = 1024;

impl Api {
    /// About how many bytes a value of `t` takes inline: `String`, `Vec` and maps are 24,
    /// `serde_json::Value` (with ordered maps) 80, a struct the sum of its fields, a union
    /// its largest variant and a tag; `Option` around a value adds a word.
    pub fn size_of(&self, t: &TypeRef) -> usize {
        self.size_at(t, 0)
    }

    /// About how many bytes a body of `c`'s media type takes inline, as generated code
    /// holds it: a stream's items in a `Vec` or a boxed stream, bytes, text or its type.
    pub fn content_size(&self, c: &Content) -> usize {
        match c.kind {
            MediaKind::Binary => 32,
            MediaKind::Text => 24,
            MediaKind::EventStream | MediaKind::JsonLines | MediaKind::JsonSeq => 24,
            _ => self.size_of(&c.ty),
        }
    }

    /// About how many bytes the headers of a response take inline (its header set's
    /// struct).
    pub fn headers_size(&self, headers: &[ResponseHeader]) -> usize {
        headers
            .iter()
            .map(|h| self.size_of(&h.ty) + if h.required { 0 } else { 8 })
            .sum()
    }

    fn size_at(&self, t: &TypeRef, depth: usize) -> usize {
        if depth > DEPTH {
            return 8;
        }
        let inner = match &t.shape {
            Shape::Any => 80,
            Shape::Bool => 1,
            Shape::Integer(f) => match f {
                IntFormat::I8 | IntFormat::U8 => 1,
                IntFormat::I16 | IntFormat::U16 => 2,
                IntFormat::I32 | IntFormat::U32 => 4,
                IntFormat::I64 | IntFormat::U64 => 8,
            },
            Shape::Number(NumFormat::F32) => 4,
            Shape::Number(NumFormat::F64) => 8,
            Shape::String(StringFormat::DateTime) => 12,
            Shape::String(StringFormat::Date) => 4,
            Shape::String(StringFormat::Uuid) => 16,
            Shape::String(_) => 24,
            Shape::Bytes => 32,
            Shape::Array(_) | Shape::Map(_) => 24,
            Shape::OrEmpty(inner) => self.size_at(inner, depth + 1) + 8,
            Shape::Named(id) => self.named_size(*id, depth),
        };
        if t.nullable {
            inner + 8
        } else {
            inner
        }
    }

    fn named_size(&self, id: TypeId, depth: usize) -> usize {
        let def = self.type_def(id);
        if def.rust_path.is_some() {
            return USER_TYPE;
        }
        let held = |boxed: bool, t: &TypeRef| {
            if boxed {
                8
            } else {
                self.size_at(t, depth + 1)
            }
        };
        match &def.kind {
            TypeKind::Alias(t) => self.size_at(t, depth + 1),
            TypeKind::Enum(_) => 24,
            TypeKind::Struct(s) => {
                let fields: usize = s
                    .fields
                    .iter()
                    .map(|f| {
                        let option = if f.is_tri_state() {
                            16
                        } else if f.is_option() && !f.ty.nullable {
                            8
                        } else {
                            0
                        };
                        held(f.boxed, &f.ty) + option
                    })
                    .sum();
                fields + if s.additional.is_some() { 24 } else { 0 }
            }
            TypeKind::Union(u) => {
                let largest = u
                    .variants
                    .iter()
                    .map(|v| held(v.boxed, &v.ty))
                    .max()
                    .unwrap_or(0);
                // A discriminated union keeps unknown objects whole, as a `Value`.
                let other = if u.discriminator.is_some() { 80 } else { 0 };
                largest.max(other) + 8
            }
        }
    }
}

/// Whether an enum whose variants hold values of about `sizes` bytes (0 for a unit variant)
/// has a variant so much larger than the others that Clippy's `large_enum_variant` (200
/// bytes between the largest and the next) may fire. The estimate errs towards yes: an
/// allow that the lint does not need is harmless.
pub fn large_variants(sizes: impl IntoIterator<Item = usize>) -> bool {
    let mut sizes: Vec<usize> = sizes.into_iter().collect();
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    match sizes.as_slice() {
        [largest, next, ..] => largest.saturating_sub(*next) >= 64,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_come_from_the_model_and_only_far_apart_variants_are_large() {
        let api = crate::pipeline::test_api(
            r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Small:
      type: object
      required: [id]
      properties:
        id: {type: integer, format: int64}
    Large:
      type: object
      required: [a, b, c, d, e, f, g, h, i]
      properties:
        a: {type: string}
        b: {type: string}
        c: {type: string}
        d: {type: string}
        e: {type: string}
        f: {type: string}
        g: {type: string}
        h: {type: string}
        i: {type: string}
        note: {type: string}
"#,
        );
        let size = |name: &str| {
            let id = api.types.iter().position(|t| t.name == name).unwrap();
            api.size_of(&TypeRef::named(TypeId(id)))
        };
        assert_eq!(size("Small"), 8);
        // Nine strings and an optional one.
        assert_eq!(size("Large"), 9 * 24 + 32);
        assert!(large_variants([size("Large"), size("Small")]));
        assert!(large_variants([size("Large"), 0, 24]));
        assert!(!large_variants([size("Small"), 24, 0]));
        assert!(!large_variants([size("Large"), size("Large")]));
        assert!(!large_variants([size("Large")]));
    }
}
