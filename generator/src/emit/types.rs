//! Named types → Rust items (structs, forward-compatible enums, unions, aliases): the
//! `types` module. How a use of a type is spelled is `spell.rs`'s.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::doc::doc;
use super::spell::{ident, large_variant_allow, rust_type, shape_type, At};
use crate::ir::*;

/// Structs (de)serialize through the runtime's lean derives (`rt::Serialize`,
/// `rt::Deserialize`), which read the same `#[serde(..)]` field attributes as serde's.
fn derives_for_struct(all_optional: bool) -> TokenStream {
    if all_optional {
        quote!(#[derive(Debug, Clone, PartialEq, Default, rt::Serialize, rt::Deserialize)])
    } else {
        quote!(#[derive(Debug, Clone, PartialEq, rt::Serialize, rt::Deserialize)])
    }
}

/// The `types` module: one item per named type, each with `attributes` too.
pub fn module(api: &Api, attributes: &[TokenStream]) -> TokenStream {
    // A type the user replaced with their own is not generated.
    let items = api
        .types
        .iter()
        .filter(|def| def.rust_path.is_none())
        .map(|def| {
            let item = type_def(api, def);
            // Aliases take no attributes of their own.
            if matches!(def.kind, TypeKind::Alias(_)) {
                item
            } else {
                quote!(#(#attributes)* #item)
            }
        });
    let items: Vec<TokenStream> = items.collect();
    let header_sets: Vec<TokenStream> = api
        .header_sets
        .iter()
        .map(|set| header_set(api, set))
        .collect();
    let rt = super::names_in(items.iter().chain(&header_sets))
        .contains("rt")
        .then(|| {
            quote!(
                use ::openapi_gen_runtime as rt;
            )
        });
    quote! {
        /// The types of the API's requests and responses.
        pub mod types {
            #rt
            #(#items)*
            #(#header_sets)*
        }
    }
}

/// The struct of a set of headers that responses declare (the client reads it, the server
/// writes it).
fn header_set(api: &Api, set: &HeaderSet) -> TokenStream {
    let name = ident(&set.name);
    let wire: Vec<String> = set
        .headers
        .iter()
        .map(|h| format!("`{}`", h.name))
        .collect();
    let text = format!("Response headers: {}.", wire.join(", "));
    let docs = doc([Some(text.as_str())]);
    let fields = set.headers.iter().map(|h| {
        let f = ident(&h.rust_name);
        let t = shape_type(api, &h.ty.shape, At::Types);
        let t = if h.required { t } else { quote!(Option<#t>) };
        let wire = format!("The `{}` header.", h.name);
        let d = doc([h.description.as_deref(), Some(wire.as_str())]);
        quote!(#d pub #f: #t,)
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        pub struct #name { #(#fields)* }
    }
}

fn type_def(api: &Api, def: &TypeDef) -> TokenStream {
    let name = ident(&def.name);
    let deprecated = def.deprecated.then_some("**Deprecated.**");
    let docs = doc([def.title.as_deref(), def.description.as_deref(), deprecated]);
    match &def.kind {
        TypeKind::Struct(s) => {
            let fields = s.fields.iter().map(|f| field(api, f));
            let additional = s.additional.as_ref().map(|t| {
                let field = ident(&s.additional_rust_name);
                let ty = rust_type(api, t, At::Types);
                quote! {
                    /// Properties beyond the documented ones.
                    #[serde(flatten)]
                    pub #field: ::std::collections::BTreeMap<String, #ty>,
                }
            });
            let derives = derives_for_struct(s.fields.iter().all(Field::is_option));
            quote! {
                #docs
                #derives
                pub struct #name {
                    #(#fields)*
                    #additional
                }
            }
        }
        TypeKind::Enum(e) if e.tag && e.variants.len() == 1 => {
            let value = e.variants[0].value.as_str().unwrap_or_default();
            let text = format!(
                "The tag `{value}`: the one value this property takes. Write it as `{}`.",
                def.name
            );
            let docs = doc([
                def.title.as_deref(),
                def.description.as_deref(),
                deprecated,
                Some(text.as_str()),
            ]);
            quote! {
                #docs
                #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
                pub struct #name;
                ::openapi_gen_runtime::tag_value!(#name = #value);
            }
        }
        TypeKind::Enum(e) => {
            let other = ident(&e.catch_all);
            let variants = e.variants.iter().map(|v| {
                let id = ident(&v.rust_name);
                let wire = format!(
                    "`{}`",
                    v.value
                        .as_str()
                        .map_or_else(|| v.value.to_string(), str::to_string)
                );
                {
                    let wire_doc = doc([Some(wire.as_str())]);
                    quote!(#wire_doc #id,)
                }
            });
            let pairs = e.variants.iter().map(|v| {
                let id = ident(&v.rust_name);
                let lit = match &v.value {
                    serde_json::Value::String(s) => Literal::string(s),
                    other => Literal::i64_unsuffixed(other.as_i64().unwrap_or_default()),
                };
                quote!(#id = #lit)
            });
            let (payload, mac) = match e.repr {
                EnumRepr::String => (quote!(String), quote!(string_enum)),
                EnumRepr::Integer => (quote!(i64), quote!(int_enum)),
            };
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
                pub enum #name {
                    #(#variants)*
                    /// A value this version of the spec does not list, kept as received.
                    #other(#payload),
                }
                ::openapi_gen_runtime::#mac!(#name { #(#pairs),* } #other);
            }
        }
        TypeKind::Union(u) => {
            let payloads: Vec<TokenStream> = u
                .variants
                .iter()
                .map(|v| {
                    let ty = rust_type(api, &v.ty, At::Types);
                    if v.boxed {
                        quote!(Box<#ty>)
                    } else {
                        ty
                    }
                })
                .collect();
            let variants = u.variants.iter().zip(&payloads).map(|(v, ty)| {
                let id = ident(&v.rust_name);
                quote!(#id(#ty),)
            });
            match &u.discriminator {
                Some(property) => {
                    let other = ident(&u.catch_all);
                    let tags = u.variants.iter().filter(|v| !v.tags.is_empty()).map(|v| {
                        let id = ident(&v.rust_name);
                        let tags = &v.tags;
                        quote!(#id => [#(#tags),*])
                    });
                    let by_shape = u
                        .variants
                        .iter()
                        .filter(|v| v.tags.is_empty())
                        .map(|v| ident(&v.rust_name));
                    let fallback = u.fallback.map(|i| {
                        let id = ident(&u.variants[i].rust_name);
                        quote!(, default = #id)
                    });
                    let other_doc = match u.fallback {
                        None => format!("An object whose `{property}` this version of the spec does not list, kept whole."),
                        Some(i) => format!(
                            "An object whose `{property}` this version of the spec does not list and that is not a `{}` either, kept whole.",
                            u.variants[i].rust_name
                        ),
                    };
                    let other_doc = doc([Some(other_doc.as_str())]);
                    let allow = large_variant_allow(
                        variant_sizes(api, u).chain([api.size_of(&TypeRef::new(Shape::Any))]),
                    );
                    quote! {
                        #docs
                        #[derive(Debug, Clone, PartialEq)]
                        #allow
                        pub enum #name {
                            #(#variants)*
                            #other_doc
                            #other(rt::serde_json::Value),
                        }
                        ::openapi_gen_runtime::tagged_union!(#name, #property { #(#tags),* } [#(#by_shape),*] #other #fallback);
                    }
                }
                None => {
                    let allow = large_variant_allow(variant_sizes(api, u));
                    quote! {
                        #docs
                        #[derive(Debug, Clone, PartialEq, rt::serde::Serialize, rt::serde::Deserialize)]
                        #[serde(crate = "::openapi_gen_runtime::serde", untagged)]
                        #allow
                        pub enum #name {
                            #(#variants)*
                        }
                    }
                }
            }
        }
        TypeKind::Alias(t) => {
            let ty = rust_type(api, t, At::Types);
            quote! {
                #docs
                pub type #name = #ty;
            }
        }
    }
}

fn field(api: &Api, f: &Field) -> TokenStream {
    let name = ident(&f.rust_name);
    let mut ty = shape_type(api, &f.ty.shape, At::Types);
    if f.boxed {
        ty = quote!(Box<#ty>);
    }
    if f.is_tri_state() {
        ty = quote!(rt::Nullable<#ty>);
    } else if f.is_option() {
        ty = quote!(Option<#ty>);
    }
    let rename = (f.rust_name != f.name).then(|| {
        let wire = &f.name;
        quote!(#[serde(rename = #wire)])
    });
    let skip = if f.is_tri_state() {
        // Absent is omitted, `null` written: a merge patch can clear a field.
        Some(quote!(#[serde(default, skip_serializing_if = "rt::Nullable::is_absent")]))
    } else {
        (!f.required).then(|| quote!(#[serde(default, skip_serializing_if = "Option::is_none")]))
    };
    let notes = field_notes(f);
    let docs = doc([f.description.as_deref(), notes.as_deref()]);
    quote! {
        #docs
        #rename
        #skip
        pub #name: #ty,
    }
}

/// Default, read/write-only and deprecation, for the field's documentation.
fn field_notes(f: &Field) -> Option<String> {
    let mut notes = Vec::new();
    if let Some(d) = &f.ty.default {
        notes.push(format!("Defaults to `{d}`."));
    }
    if f.read_only {
        notes.push("Read-only: sent by the server, ignored in requests.".to_string());
    }
    if f.write_only {
        notes.push("Write-only: sent in requests, never returned.".to_string());
    }
    if f.deprecated {
        notes.push("**Deprecated.**".to_string());
    }
    (!notes.is_empty()).then(|| notes.join(" "))
}

/// About how many bytes each variant of `u` holds (a boxed one, a pointer's).
fn variant_sizes<'a>(api: &'a Api, u: &'a Union) -> impl Iterator<Item = usize> + 'a {
    u.variants
        .iter()
        .map(|v| if v.boxed { 8 } else { api.size_of(&v.ty) })
}
