//! The Rust spelling of any use of a type ([`TypeRef`], [`Shape`]), inside the `types`
//! module or outside it, shared by every emitter; and when an enum of them may have variants
//! of very different sizes.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::*;

/// Where a type is spelled: inside the `types` module (bare names) or outside (`types::X`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum At {
    Types,
    Outside,
}

pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// The Rust type of a use of a type, with `Option` when it is nullable.
pub fn rust_type(api: &Api, t: &TypeRef, at: At) -> TokenStream {
    let inner = shape_type(api, &t.shape, at);
    if t.nullable {
        quote!(Option<#inner>)
    } else {
        inner
    }
}

/// The Rust type of a use of a type, ignoring nullability (parameters: absent is `None`).
pub fn shape_type(api: &Api, shape: &Shape, at: At) -> TokenStream {
    match shape {
        Shape::Any => quote!(rt::serde_json::Value),
        Shape::Bool => quote!(bool),
        Shape::Integer(f) => match f {
            IntFormat::I8 => quote!(i8),
            IntFormat::I16 => quote!(i16),
            IntFormat::I32 => quote!(i32),
            IntFormat::I64 => quote!(i64),
            IntFormat::U8 => quote!(u8),
            IntFormat::U16 => quote!(u16),
            IntFormat::U32 => quote!(u32),
            IntFormat::U64 => quote!(u64),
        },
        Shape::Number(NumFormat::F32) => quote!(f32),
        Shape::Number(NumFormat::F64) => quote!(f64),
        Shape::String(StringFormat::DateTime) => quote!(rt::chrono::DateTime<rt::chrono::Utc>),
        Shape::String(StringFormat::Date) => quote!(rt::chrono::NaiveDate),
        Shape::String(StringFormat::Uuid) => quote!(rt::uuid::Uuid),
        Shape::String(StringFormat::Binary) => quote!(Vec<u8>),
        Shape::String(StringFormat::Byte) => quote!(rt::Base64),
        Shape::String(_) => quote!(String),
        Shape::Bytes => quote!(rt::Bytes),
        Shape::Array(inner) => {
            let inner = rust_type(api, inner, at);
            quote!(Vec<#inner>)
        }
        Shape::Map(inner) => {
            let inner = rust_type(api, inner, at);
            quote!(::std::collections::BTreeMap<String, #inner>)
        }
        Shape::OrEmpty(inner) => {
            let inner = rust_type(api, inner, at);
            quote!(rt::OrEmpty<#inner>)
        }
        Shape::Named(id) => {
            let def = api.type_def(*id);
            if let Some(path) = &def.rust_path {
                // Checked when it was set: it parses.
                return path
                    .parse()
                    .unwrap_or_else(|_| quote!(rt::serde_json::Value));
            }
            let name = ident(&def.name);
            match at {
                At::Types => quote!(#name),
                At::Outside => quote!(types::#name),
            }
        }
    }
}

/// `#[allow(clippy::large_enum_variant)]` for an enum whose variants hold `payloads` (each
/// variant's fields as tokens; nothing for a unit variant), where the lint could fire: when
/// the variants hold different types and one of them is a type of the spec's (which may be
/// large). Variants that all hold one type, or only pointers and primitives (`String`, `Vec`,
/// `i64`...), are never much larger than each other, so they get no allow.
pub fn large_variant_allow(payloads: impl IntoIterator<Item = TokenStream>) -> Option<TokenStream> {
    let distinct: std::collections::BTreeSet<String> = payloads
        .into_iter()
        .map(|t| {
            t.to_string()
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect()
        })
        .collect();
    (distinct.len() > 1 && distinct.iter().any(|t| !small_type(t)))
        .then(|| quote!(#[allow(clippy::large_enum_variant)]))
}

/// Is the type written `t` (without spaces) a pointer, a primitive, or a tuple of them?
fn small_type(t: &str) -> bool {
    if let Some(inner) = t.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        // The fields of a struct variant, written as a tuple.
        let mut depth = 0;
        let mut start = 0;
        let mut parts = Vec::new();
        for (i, c) in inner.char_indices() {
            match c {
                '<' | '(' => depth += 1,
                '>' | ')' => depth -= 1,
                ',' if depth == 0 => {
                    parts.push(&inner[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        parts.push(&inner[start..]);
        return parts.iter().all(|p| p.is_empty() || small_type(p));
    }
    let mut t = t;
    while let Some(inner) = t.strip_prefix("Option<") {
        t = inner;
    }
    let head = t.split(['<', ',', '>']).next().unwrap_or("");
    let last = head.rsplit("::").next().unwrap_or(head);
    t.is_empty()
        || matches!(
            last,
            "Vec"
                | "Box"
                | "String"
                | "BTreeMap"
                | "HashMap"
                | "Value"
                | "Bytes"
                | "bool"
                | "i8"
                | "i16"
                | "i32"
                | "i64"
                | "u8"
                | "u16"
                | "u32"
                | "u64"
                | "f32"
                | "f64"
                | "StatusCode"
                | "Base64"
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_enums_whose_variants_can_differ_much_allow_large_variants() {
        let allow = |payloads: Vec<TokenStream>| large_variant_allow(payloads).is_some();
        // One type in every variant: sizes are equal.
        assert!(!allow(vec![quote!(types::Error), quote!(types::Error)]));
        // Pointers and primitives: never 200 bytes apart.
        assert!(!allow(vec![
            quote!(String),
            quote!(Vec<types::Pet>),
            quote!(),
            quote!(i64)
        ]));
        assert!(!allow(vec![quote!((rt::StatusCode, String,)), quote!(())]));
        // A type of the spec's next to anything else may be much larger.
        assert!(allow(vec![quote!(types::Pet), quote!(String)]));
        assert!(allow(vec![quote!(Pet), quote!(rt::serde_json::Value)]));
        assert!(allow(vec![
            quote!((types::Pet, RatelimitHeaders,)),
            quote!((RatelimitHeaders,))
        ]));
        assert!(allow(vec![quote!(Option<Pet>), quote!()]));
    }
}
