//! Types: a use of a type ([`TypeRef`]: shape, nullability, constraints) and the named
//! types of an API ([`TypeDef`]: structs, enums, unions, aliases).

use serde_json::Value;

#[cfg(doc)]
use super::Api;

/// The type an alias among `types` stands for (through chains of aliases, at most 16 deep);
/// any other type itself. The one place aliases are followed.
pub fn unalias<'a>(types: &'a [TypeDef], t: &'a TypeRef) -> &'a TypeRef {
    let mut t = t;
    for _ in 0..16 {
        match &t.shape {
            Shape::Named(id) => match types.get(id.0).map(|d| &d.kind) {
                Some(TypeKind::Alias(inner)) => t = inner,
                _ => return t,
            },
            _ => return t,
        }
    }
    t
}

/// Index of a named type in [`Api::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// A use of a type: its shape, whether `null` is allowed, and the constraints that apply
/// here.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeRef {
    /// What the value is.
    pub shape: Shape,
    /// Whether `null` is allowed too.
    pub nullable: bool,
    /// The validation keywords at this use.
    pub constraints: Constraints,
    /// The schema's `default`, when it has one.
    pub default: Option<Value>,
    /// The schema's `example`, when it has one that is a value of it (the mock answers
    /// with it). Not part of the type's identity.
    pub example: Option<Value>,
}

impl TypeRef {
    /// A use of `shape`: not nullable, unconstrained, without default or example.
    pub fn new(shape: Shape) -> TypeRef {
        TypeRef {
            shape,
            nullable: false,
            constraints: Constraints::default(),
            default: None,
            example: None,
        }
    }

    /// A use of the named type `id`.
    pub fn named(id: TypeId) -> TypeRef {
        TypeRef::new(Shape::Named(id))
    }
}

/// What a value is.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// Any JSON value.
    Any,
    /// `true` or `false`.
    Bool,
    /// An integer, held in the Rust integer of its format.
    Integer(IntFormat),
    /// A number.
    Number(NumFormat),
    /// A string, read per its format.
    String(StringFormat),
    /// Raw bytes (a binary body or a file part).
    Bytes,
    /// A list of values of one type.
    Array(Box<TypeRef>),
    /// An object with arbitrary keys (`additionalProperties`).
    Map(Box<TypeRef>),
    /// A value of a type, or the empty string, which stands for none: the idiom of APIs
    /// that clear a field with `""` (`anyOf: [Address, {type: string, enum: [""]}]`).
    /// Generated code holds it as the runtime's `OrEmpty<T>`.
    OrEmpty(Box<TypeRef>),
    /// A named type of [`Api::types`].
    Named(TypeId),
}

/// The Rust integer an `integer` is held in (from `format`, `minimum` and `maximum`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IntFormat {
    /// `i8`.
    I8,
    /// `i16`.
    I16,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `u8`.
    U8,
    /// `u16`.
    U16,
    /// `u32`.
    U32,
    /// `u64`.
    U64,
}

impl IntFormat {
    /// The least and greatest value of the Rust integer of this format.
    pub fn range(self) -> (i128, i128) {
        match self {
            IntFormat::I8 => (i8::MIN.into(), i8::MAX.into()),
            IntFormat::I16 => (i16::MIN.into(), i16::MAX.into()),
            IntFormat::I32 => (i32::MIN.into(), i32::MAX.into()),
            IntFormat::I64 => (i64::MIN.into(), i64::MAX.into()),
            IntFormat::U8 => (0, u8::MAX.into()),
            IntFormat::U16 => (0, u16::MAX.into()),
            IntFormat::U32 => (0, u32::MAX.into()),
            IntFormat::U64 => (0, u64::MAX.into()),
        }
    }
}

/// The Rust float a `number` is held in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NumFormat {
    /// `f32` (`format: float`).
    F32,
    /// `f64`.
    F64,
}

/// A string's `format`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum StringFormat {
    /// No format.
    Plain,
    /// `date-time` (RFC 3339).
    DateTime,
    /// `date` (RFC 3339 full-date).
    Date,
    /// `time`.
    Time,
    /// `uuid`.
    Uuid,
    /// Base64-encoded bytes.
    Byte,
    /// Raw bytes, in multipart parts.
    Binary,
    /// `email`.
    Email,
    /// `uri`.
    Uri,
    /// `ipv4`.
    Ipv4,
    /// `ipv6`.
    Ipv6,
    /// `hostname`.
    Hostname,
    /// `password`.
    Password,
    /// Another `format`, kept for documentation.
    Other(String),
}

/// Validation keywords that apply at a use site.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// `minLength`.
    pub min_length: Option<u64>,
    /// `maxLength`.
    pub max_length: Option<u64>,
    /// `pattern` (ECMA-262).
    pub pattern: Option<String>,
    /// `minimum`.
    pub minimum: Option<f64>,
    /// `maximum`.
    pub maximum: Option<f64>,
    /// `exclusiveMinimum`: `minimum` itself is refused.
    pub exclusive_minimum: bool,
    /// `exclusiveMaximum`: `maximum` itself is refused.
    pub exclusive_maximum: bool,
    /// `multipleOf`.
    pub multiple_of: Option<f64>,
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
    /// `uniqueItems`.
    pub unique_items: bool,
    /// `minProperties`.
    pub min_properties: Option<u64>,
    /// `maxProperties`.
    pub max_properties: Option<u64>,
}

impl Constraints {
    /// Whether no keyword applies.
    pub fn is_empty(&self) -> bool {
        self == &Constraints::default()
    }
}

/// A type with a name of its own.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// UpperCamelCase, unique in the API.
    pub name: String,
    /// JSON pointer of the schema it comes from.
    pub pointer: String,
    /// `title`.
    pub title: Option<String>,
    /// `description` (Markdown).
    pub description: Option<String>,
    /// `deprecated`.
    pub deprecated: bool,
    /// What kind of type it is.
    pub kind: TypeKind,
    /// The schema's own validation keywords (`minProperties` of an object...), which apply
    /// wherever the type is used.
    pub constraints: Constraints,
    /// A type of the user's stands for this one everywhere (`x-rust-type`, or
    /// `replace_type`): a Rust type path, already checked. The type is then not generated;
    /// servers still validate against the schema.
    pub rust_path: Option<String>,
    /// The schema's `example`, when it is a value of it (the mock answers with it).
    pub example: Option<Value>,
}

/// What kind of type a named type is.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with known properties.
    Struct(Struct),
    /// A closed set of values.
    Enum(Enum),
    /// One of several types (`oneOf`, `anyOf`).
    Union(Union),
    /// A named schema that is a primitive, array or map.
    Alias(Box<TypeRef>),
}

/// An object with known properties.
#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    /// The properties, in spec order.
    pub fields: Vec<Field>,
    /// Extra properties (`additionalProperties`), collected in a map.
    pub additional: Option<Box<TypeRef>>,
    /// The name of the field that holds the extra properties, unique among the fields.
    pub additional_rust_name: String,
    /// `additionalProperties: false`: no property but the fields is allowed (servers refuse
    /// others; clients cannot send them, having no map for them).
    pub closed: bool,
}

/// A property of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The wire name.
    pub name: String,
    /// snake_case, unique in the struct.
    pub rust_name: String,
    /// Its type.
    pub ty: TypeRef,
    /// Whether the object must have it.
    pub required: bool,
    /// `readOnly`: sent by the API, never by its clients.
    pub read_only: bool,
    /// `writeOnly`: sent by clients, never by the API.
    pub write_only: bool,
    /// `deprecated`.
    pub deprecated: bool,
    /// `description` (Markdown).
    pub description: Option<String>,
    /// The field holds its type by value in a cycle of types: it must be boxed.
    pub boxed: bool,
}

impl Field {
    /// Generated code holds this field as an `Option`: it may be absent or `null`.
    pub fn is_option(&self) -> bool {
        !self.required || self.ty.nullable
    }

    /// Optional and nullable: absent, `null` and a value are three things (`Nullable<T>`).
    pub fn is_tri_state(&self) -> bool {
        !self.required && self.ty.nullable
    }
}

/// A closed set of values (`enum`).
#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    /// Strings or integers.
    pub repr: EnumRepr,
    /// The listed values, in spec order.
    pub variants: Vec<EnumVariant>,
    /// The variant that keeps values the spec does not list (APIs add values), unique
    /// among the variants.
    pub catch_all: String,
    /// The one value of a discriminated union's tag, as the property of a variant's struct
    /// (`Dog.kind: enum [dog]`): the value names the variant, so no other is kept (no
    /// catch-all) and the type is that value alone (a unit struct), which the variant's
    /// struct holds without the user choosing it.
    pub tag: bool,
}

/// What an enum's values are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnumRepr {
    /// Strings.
    String,
    /// Integers.
    Integer,
}

/// One listed value of an enum.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    /// The value on the wire (a JSON string or integer).
    pub value: Value,
    /// UpperCamelCase, unique in the enum.
    pub rust_name: String,
}

/// `oneOf` / `anyOf`: one of several types.
#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    /// `anyOf` allows a value to match several variants; `oneOf` exactly one.
    pub any_of: bool,
    /// `discriminator.propertyName`: the property whose value names the variant.
    pub discriminator: Option<String>,
    /// The variants, in spec order.
    pub variants: Vec<UnionVariant>,
    /// With a discriminator: the variant that keeps objects with an unknown tag, unique
    /// among the variants.
    pub catch_all: String,
    /// With a discriminator: the variant (an index into `variants`) that reads an object
    /// whose tag is missing or unlisted (OpenAPI 3.2 `defaultMapping`), before the catch-all.
    pub fallback: Option<usize>,
}

/// One type of a union.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// UpperCamelCase, unique in the union.
    pub rust_name: String,
    /// Its type.
    pub ty: TypeRef,
    /// With a discriminator: the tag values that select this variant (the first is written).
    pub tags: Vec<String>,
    /// The variant holds its type by value in a cycle of types: it must be boxed.
    pub boxed: bool,
}
