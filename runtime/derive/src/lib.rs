//! `#[derive(Deserialize)]` for the structs openapi-gen generates, re-exported by the runtime
//! as `openapi_gen_runtime::Deserialize`.
//!
//! It reads the same `#[serde(...)]` field attributes as serde's derive does for these
//! structs (`rename`, `default`, `flatten`) and decodes a JSON object into the struct, but
//! writes a fraction of the code: one visitor with `visit_map` only (generated structs are
//! never read from sequences), keys matched through the runtime's field table
//! (`openapi_gen_runtime::de`), and the runtime's generic helpers for every field. A crate
//! of a large spec has thousands of these structs; the compiler's time and memory follow the
//! amount of code.
//!
//! Semantics, field by field: a field marked `#[serde(default)]`, or whose type is `Option`
//! or `Nullable`, takes its `Default` when absent; any other field is required (`missing
//! field`); a key given twice is an error; a `#[serde(flatten)]` map receives the keys no
//! field names; other unknown keys are skipped.

use proc_macro::TokenStream;
use proc_macro2::TokenStream as TokenStream2;
use quote::{format_ident, quote};
use syn::{parse_macro_input, Data, DeriveInput, Fields, LitStr, Type};

/// `#[derive(Serialize)]`: writes the struct as a JSON object, fields in declaration order
/// under their wire names (`rename`), skipping a field when its `skip_serializing_if`
/// function says so, and writing a `flatten`ed map's entries in place. One call per field.
#[proc_macro_derive(Serialize, attributes(serde))]
pub fn derive_serialize(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    match expand_serialize(&input) {
        Ok(tokens) => tokens.into(),
        Err(e) => e.to_compile_error().into(),
    }
}

/// See the crate's documentation.
#[proc_macro_derive(Deserialize, attributes(serde))]
pub fn derive_deserialize(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    match expand(&input) {
        Ok(tokens) => tokens.into(),
        Err(e) => e.to_compile_error().into(),
    }
}

struct Field {
    ident: syn::Ident,
    wire: String,
    /// Whether the type is a date (`NaiveDate`), or an `Option` of one: written by the
    /// runtime's `de::Date`, without `Display`'s formatting machinery.
    date: Option<DateField>,
    optional: bool,
    flatten: bool,
    skip_if: Option<syn::ExprPath>,
}

fn expand_serialize(input: &DeriveInput) -> syn::Result<TokenStream2> {
    let name = &input.ident;
    let fields = fields(input)?;
    let rt = quote!(::openapi_gen_runtime);
    let writes = fields.iter().map(|f| {
        let ident = &f.ident;
        let wire = &f.wire;
        if f.flatten {
            return quote! {
                for (key, value) in &self.#ident {
                    #rt::serde::ser::SerializeMap::serialize_entry(&mut map, key, value)?;
                }
            };
        }
        let value = match f.date {
            Some(DateField::Plain) => quote!(&#rt::de::Date(&self.#ident)),
            Some(DateField::Option) => quote!(&self.#ident.as_ref().map(#rt::de::Date)),
            None => quote!(&self.#ident),
        };
        let write =
            quote!(#rt::serde::ser::SerializeMap::serialize_entry(&mut map, #wire, #value)?;);
        match &f.skip_if {
            Some(skip) => quote!(if !#skip(&self.#ident) { #write }),
            None => write,
        }
    });
    Ok(quote! {
        impl #rt::serde::Serialize for #name {
            fn serialize<__S>(&self, serializer: __S) -> ::core::result::Result<__S::Ok, __S::Error>
            where
                __S: #rt::serde::Serializer,
            {
                let mut map = serializer.serialize_map(::core::option::Option::None)?;
                #(#writes)*
                #rt::serde::ser::SerializeMap::end(map)
            }
        }
    })
}

/// The named fields of a non-generic struct, with what their `#[serde]` attributes say.
fn fields(input: &DeriveInput) -> syn::Result<Vec<Field>> {
    let name = &input.ident;
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new_spanned(
            &input.generics,
            "generic structs are not supported",
        ));
    }
    let Data::Struct(data) = &input.data else {
        return Err(syn::Error::new_spanned(name, "only structs are supported"));
    };
    let Fields::Named(named) = &data.fields else {
        return Err(syn::Error::new_spanned(
            name,
            "only structs with named fields are supported",
        ));
    };
    let mut fields = Vec::new();
    for f in &named.named {
        let ident = f.ident.clone().expect("named fields have names");
        let mut field = Field {
            wire: ident.to_string().trim_start_matches("r#").to_string(),
            optional: is_optional_type(&f.ty),
            date: date_field(&f.ty),
            flatten: false,
            skip_if: None,
            ident,
        };
        for attr in f.attrs.iter().filter(|a| a.path().is_ident("serde")) {
            attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename") {
                    field.wire = meta.value()?.parse::<LitStr>()?.value();
                } else if meta.path.is_ident("default") {
                    field.optional = true;
                } else if meta.path.is_ident("flatten") {
                    field.flatten = true;
                } else if meta.path.is_ident("skip_serializing_if") {
                    field.skip_if = Some(meta.value()?.parse::<LitStr>()?.parse()?);
                } else if meta.input.peek(syn::Token![=]) {
                    meta.value()?.parse::<syn::Expr>()?;
                }
                Ok(())
            })?;
        }
        fields.push(field);
    }
    Ok(fields)
}

fn expand(input: &DeriveInput) -> syn::Result<TokenStream2> {
    let name = &input.ident;
    let fields = fields(input)?;
    let rt = quote!(::openapi_gen_runtime);
    let flattened: Vec<&Field> = fields.iter().filter(|f| f.flatten).collect();
    if flattened.len() > 1 {
        return Err(syn::Error::new_spanned(
            name,
            "at most one field can be flattened",
        ));
    }
    let named: Vec<&Field> = fields.iter().filter(|f| !f.flatten).collect();
    let wires = named.iter().map(|f| &f.wire);
    let slots: Vec<syn::Ident> = (0..named.len()).map(|i| format_ident!("__f{i}")).collect();
    let indexes: Vec<_> = (0..named.len())
        .map(proc_macro2::Literal::usize_unsuffixed)
        .collect();
    let positions = indexes.clone();
    let other = match flattened.first() {
        Some(_) => quote! {
            #rt::de::Field::Other(key) => {
                __extra.insert(key.into_owned(), __map.next_value()?);
            }
            #rt::de::Field::Known(_) => #rt::de::skip(&mut __map)?,
        },
        None => quote!(_ => #rt::de::skip(&mut __map)?,),
    };
    let extra_slot = flattened
        .first()
        .map(|_| quote!(let mut __extra = ::std::collections::BTreeMap::new();));
    let build = fields.iter().map(|f| {
        let ident = &f.ident;
        if f.flatten {
            return quote!(#ident: __extra);
        }
        let i = named
            .iter()
            .position(|n| n.ident == f.ident)
            .expect("a named field");
        let slot = &slots[i];
        if f.optional {
            quote!(#ident: #slot.unwrap_or_default())
        } else {
            let i = proc_macro2::Literal::usize_unsuffixed(i);
            quote!(#ident: #rt::de::required(#slot, FIELDS[#i])?)
        }
    });
    let expecting = format!("struct {name}");
    Ok(quote! {
        impl<'de> #rt::serde::Deserialize<'de> for #name {
            fn deserialize<__D>(deserializer: __D) -> ::core::result::Result<Self, __D::Error>
            where
                __D: #rt::serde::Deserializer<'de>,
            {
                const FIELDS: &[&str] = &[#(#wires),*];
                struct __Visitor;
                impl<'de> #rt::serde::de::Visitor<'de> for __Visitor {
                    type Value = #name;
                    fn expecting(&self, f: &mut ::core::fmt::Formatter) -> ::core::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_map<__A>(self, mut __map: __A) -> ::core::result::Result<#name, __A::Error>
                    where
                        __A: #rt::serde::de::MapAccess<'de>,
                    {
                        #(let mut #slots = ::core::option::Option::None;)*
                        #extra_slot
                        while let ::core::option::Option::Some(key) =
                            __map.next_key_seed(#rt::de::Key(FIELDS))?
                        {
                            match key {
                                #(#rt::de::Field::Known(#indexes) => {
                                    #rt::de::next(&mut __map, &mut #slots, FIELDS[#positions])?
                                })*
                                #other
                            }
                        }
                        ::core::result::Result::Ok(#name { #(#build),* })
                    }
                }
                deserializer.deserialize_map(__Visitor)
            }
        }
    })
}

/// `Option<..>` or `Nullable<..>` (by the last segment of the path): absent is its default.
#[derive(Clone, Copy)]
enum DateField {
    Plain,
    Option,
}

/// `NaiveDate` (by its last path segment, as generated code names chrono's type), or an
/// `Option` of it.
fn date_field(ty: &Type) -> Option<DateField> {
    let Type::Path(p) = ty else {
        return None;
    };
    let last = p.path.segments.last()?;
    if last.ident == "NaiveDate" && last.arguments.is_empty() {
        return Some(DateField::Plain);
    }
    if last.ident != "Option" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first() {
        Some(syn::GenericArgument::Type(inner)) if args.args.len() == 1 => {
            matches!(date_field(inner), Some(DateField::Plain)).then_some(DateField::Option)
        }
        _ => None,
    }
}

fn is_optional_type(ty: &Type) -> bool {
    match ty {
        Type::Path(p) => p
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "Option" || s.ident == "Nullable"),
        _ => false,
    }
}
