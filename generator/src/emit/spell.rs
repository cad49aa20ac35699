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

/// `#[allow(clippy::large_enum_variant)]` for an enum whose variants hold values of about
/// `sizes` bytes (from the model: `Api::size_of`), where the lint may fire
/// (`ir::large_variants`).
pub fn large_variant_allow(sizes: impl IntoIterator<Item = usize>) -> Option<TokenStream> {
    large_variants(sizes).then(|| quote!(#[allow(clippy::large_enum_variant)]))
}
