//! Schemas → types. Every schema becomes a [`TypeRef`]; those that need a Rust type of their
//! own (objects with properties, enums, unions, merged `allOf`, and every component) become
//! named [`TypeDef`]s, registered by the pointer of the schema they come from so that a
//! schema reached twice is one type.

use indexmap::IndexMap;
use openapiv3 as oa;
use openapiv3::ReferenceOr;
use serde_json::Value;

use super::Resolver;
use crate::diagnostics::Diagnostic;
use crate::ir::*;
use crate::names::{self};
use crate::pointer::join;
use crate::refs;

/// What lowering a schema produced: a use of an existing shape, or a new type definition.
/// Short-lived (returned and matched at once), so the size difference does not matter.
#[allow(clippy::large_enum_variant)]
pub(super) enum Lowered {
    Ref(TypeRef),
    Def(TypeKind),
    /// A definition whose values include `null` (`enum: [a, b, null]`).
    NullableDef(TypeKind),
}

/// The parts of an object schema, whichever way openapiv3 parsed it.
pub(super) struct ObjectParts<'s> {
    pub(super) properties: &'s IndexMap<String, ReferenceOr<Box<oa::Schema>>>,
    pub(super) required: &'s [String],
    pub(super) additional: Option<&'s oa::AdditionalProperties>,
    pub(super) min_properties: Option<usize>,
    pub(super) max_properties: Option<usize>,
}

impl<'s> ObjectParts<'s> {
    pub(super) fn of_object(o: &'s oa::ObjectType) -> Self {
        ObjectParts {
            properties: &o.properties,
            required: &o.required,
            additional: o.additional_properties.as_ref(),
            min_properties: o.min_properties,
            max_properties: o.max_properties,
        }
    }

    pub(super) fn of_any(a: &'s oa::AnySchema) -> Self {
        ObjectParts {
            properties: &a.properties,
            required: &a.required,
            additional: a.additional_properties.as_ref(),
            min_properties: a.min_properties,
            max_properties: a.max_properties,
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.properties.is_empty() && self.additional.is_none()
    }
}

/// A schema whose Rust type is the user's, not generated.
pub const RUST_TYPE_EXTENSION: &str = "x-rust-type";

impl Resolver<'_> {
    /// Reserves a named type (its definition comes later) under a unique name.
    pub(super) fn reserve(&mut self, name: &str, pointer: &str) -> TypeId {
        let id = TypeId(self.types.len());
        let name = self.type_names.claim(name);
        self.types.push(Some(TypeDef {
            name,
            pointer: pointer.to_string(),
            title: None,
            description: None,
            deprecated: false,
            kind: TypeKind::Alias(Box::new(TypeRef::new(Shape::Any))),
            constraints: Constraints::default(),
            rust_path: None,
            example: None,
        }));
        self.by_pointer.insert(pointer.to_string(), id);
        id
    }

    pub(super) fn fill(&mut self, id: TypeId, kind: TypeKind, data: Option<&oa::SchemaData>) {
        let def = self.types[id.0].as_mut().expect("reserved slot");
        def.kind = kind;
        let Some(data) = data else {
            return;
        };
        def.title = data.title.clone();
        def.description = data.description.clone();
        def.deprecated = data.deprecated;
        if let Some(ext) = data.extensions.get(RUST_TYPE_EXTENSION) {
            let at = join(&def.pointer, RUST_TYPE_EXTENSION);
            match ext.as_str().and_then(names::rust_type_path) {
                Some(path) => def.rust_path = Some(path),
                None => self.diags.push(Diagnostic::error(
                    at,
                    format!("`{RUST_TYPE_EXTENSION}` must be a Rust type path such as \"my_crate::Money\", found {ext}"),
                )),
            }
        }
    }

    pub(super) fn error_count(&self) -> usize {
        self.diags.iter().filter(|d| d.is_error()).count()
    }

    pub(super) fn type_name_of(&self, id: TypeId) -> String {
        self.types[id.0]
            .as_ref()
            .map(|t| t.name.clone())
            .unwrap_or_default()
    }

    pub(super) fn define_component(
        &mut self,
        id: TypeId,
        schema: &ReferenceOr<oa::Schema>,
        pointer: &str,
    ) {
        match schema {
            ReferenceOr::Reference { reference } => {
                let target = self.reference(reference, &join(pointer, "$ref"));
                self.fill(id, TypeKind::Alias(Box::new(target)), None);
            }
            ReferenceOr::Item(s) => {
                let hint = self.type_name_of(id);
                self.lower(s, pointer, &hint, Some(id));
            }
        }
    }

    /// The type of a schema found at `at`; `hint` names it if it needs a name.
    pub(super) fn schema(&mut self, s: &ReferenceOr<oa::Schema>, at: &str, hint: &str) -> TypeRef {
        match s {
            ReferenceOr::Reference { reference } => self.reference(reference, &join(at, "$ref")),
            ReferenceOr::Item(s) => self.lower(s, at, hint, None),
        }
    }

    pub(super) fn schema_box(
        &mut self,
        s: &ReferenceOr<Box<oa::Schema>>,
        at: &str,
        hint: &str,
    ) -> TypeRef {
        match s {
            ReferenceOr::Reference { reference } => self.reference(reference, &join(at, "$ref")),
            ReferenceOr::Item(s) => self.lower(s, at, hint, None),
        }
    }

    pub(super) fn reference(&mut self, target: &str, at: &str) -> TypeRef {
        let Some(pointer) = refs::normalize(target) else {
            return TypeRef::new(Shape::Any);
        };
        if let Some(id) = self.by_pointer.get(&pointer) {
            return TypeRef::named(*id);
        }
        // A schema outside components/schemas (DigitalOcean points into paths): it becomes a
        // type of its own, named after where it stands, defined once.
        let Some((final_pointer, schema)) = self.follow::<oa::Schema>(target, at) else {
            return TypeRef::new(Shape::Any);
        };
        if let Some(id) = self.by_pointer.get(&final_pointer) {
            return TypeRef::named(*id);
        }
        let segments = crate::pointer::segments(&final_pointer);
        let hint = pointer_hint(&segments);
        let id = self.reserve(&hint, &final_pointer);
        let name = self.type_name_of(id);
        self.lower(&schema, &final_pointer, &name, Some(id));
        TypeRef::named(id)
    }

    /// Lowers one schema. With `slot`, the result is that named type whatever the schema is.
    pub(super) fn lower(
        &mut self,
        schema: &oa::Schema,
        at: &str,
        hint: &str,
        slot: Option<TypeId>,
    ) -> TypeRef {
        let data = &schema.schema_data;
        if slot.is_none() {
            if let Some(id) = self.by_pointer.get(at) {
                return self.finish(TypeRef::named(*id), data);
            }
        }
        let slot =
            slot.or_else(|| needs_name(schema).then(|| self.reserve(&names::type_name(hint), at)));
        let child_hint = slot.map_or_else(|| names::type_name(hint), |id| self.type_name_of(id));
        let (lowered, constraints) = self.lower_kind(schema, at, &child_hint);
        let (lowered, nullable) = match lowered {
            Lowered::NullableDef(kind) => (Lowered::Def(kind), true),
            other => (other, false),
        };
        let mut tr = match (slot, lowered) {
            (Some(id), Lowered::Def(kind)) => {
                self.fill(id, kind, Some(data));
                if let Some(Some(def)) = self.types.get_mut(id.0) {
                    def.constraints = constraints.clone();
                }
                TypeRef::named(id)
            }
            (Some(id), Lowered::Ref(tr)) => {
                // A named schema that is a primitive: the alias keeps its own constraints.
                self.fill(id, TypeKind::Alias(Box::new(tr)), Some(data));
                TypeRef::named(id)
            }
            (None, Lowered::Ref(tr)) => tr,
            (None, Lowered::Def(kind)) => {
                let id = self.reserve(&names::type_name(hint), at);
                self.fill(id, kind, Some(data));
                TypeRef::named(id)
            }
            (_, Lowered::NullableDef(_)) => unreachable!("folded into Def above"),
        };
        tr.nullable |= nullable;
        if !matches!(tr.shape, Shape::Named(_)) || slot.is_none() {
            merge_constraints(&mut tr.constraints, constraints);
        }
        let mut tr = self.finish(tr, data);
        if let (Some(id), true) = (slot, tr.nullable) {
            self.nullable_types.insert(id);
        }
        for (key, value) in [("default", &data.default), ("example", &data.example)] {
            let Some(value) = value else { continue };
            if self.fits(&tr, value) == Some(false) {
                let what = if key == "default" {
                    tr.default = None;
                    "it is not used (no value is filled in)"
                } else {
                    tr.example = None;
                    "it is not used"
                };
                self.diags.push(Diagnostic::lenient(
                    join(at, key),
                    format!("the `{key}` {value} is not a value of its schema; {what}"),
                ));
            }
        }
        if let (Some(id), Shape::Named(named)) = (slot, &tr.shape) {
            if id == *named {
                if let Some(Some(def)) = self.types.get_mut(id.0) {
                    def.example = tr.example.clone();
                }
            }
        }
        tr
    }

    /// Whether `v` is a value of `tr` as far as its JSON type and enum values tell (`None`:
    /// cannot say yet, as for a type still being defined or a union).
    fn fits(&self, tr: &TypeRef, v: &Value) -> Option<bool> {
        if v.is_null() {
            return Some(tr.nullable);
        }
        Some(match &tr.shape {
            Shape::Bool => v.is_boolean(),
            Shape::Integer(_) => v.is_i64() || v.is_u64(),
            Shape::Number(_) => v.is_number(),
            Shape::String(_) => v.is_string(),
            Shape::Array(_) => v.is_array(),
            Shape::Map(_) => v.is_object(),
            Shape::OrEmpty(inner) => v.as_str() == Some("") || self.fits(inner, v)?,
            Shape::Named(id) => match self
                .types
                .get(id.0)
                .and_then(Option::as_ref)
                .map(|t| &t.kind)
            {
                Some(TypeKind::Enum(e)) => e.variants.iter().any(|variant| &variant.value == v),
                Some(TypeKind::Struct(_)) => v.is_object(),
                _ => return None,
            },
            Shape::Any | Shape::Bytes => return None,
        })
    }

    pub(super) fn finish(&self, mut tr: TypeRef, data: &oa::SchemaData) -> TypeRef {
        tr.nullable |= data.nullable;
        if data.default.is_some() {
            tr.default = data.default.clone();
        }
        if data.example.is_some() {
            tr.example = data.example.clone();
        }
        tr
    }

    pub(super) fn lower_kind(
        &mut self,
        schema: &oa::Schema,
        at: &str,
        hint: &str,
    ) -> (Lowered, Constraints) {
        let data = &schema.schema_data;
        match &schema.schema_kind {
            oa::SchemaKind::Type(t) => self.lower_type(t, at, hint),
            oa::SchemaKind::OneOf { one_of } => (
                self.union(one_of, false, data, &join(at, "oneOf"), hint),
                Constraints::default(),
            ),
            oa::SchemaKind::AnyOf { any_of } => (
                self.union(any_of, true, data, &join(at, "anyOf"), hint),
                Constraints::default(),
            ),
            oa::SchemaKind::AllOf { all_of } => {
                (self.all_of(all_of, None, at, hint), Constraints::default())
            }
            oa::SchemaKind::Not { .. } => {
                self.diags.push(Diagnostic::warning(
                    join(at, "not"),
                    "`not` cannot be expressed as a Rust type; the value is typed as any JSON value",
                ));
                (
                    Lowered::Ref(TypeRef::new(Shape::Any)),
                    Constraints::default(),
                )
            }
            oa::SchemaKind::Any(any) => self.lower_any(any, data, at, hint),
        }
    }

    /// An enum of the listed values (`None`: `null` is listed too) when the schema lists
    /// any, else `shape`.
    fn enum_or(
        &mut self,
        repr: EnumRepr,
        listed: impl Iterator<Item = Option<Value>>,
        shape: Shape,
    ) -> Lowered {
        let listed: Vec<Option<Value>> = listed.collect();
        if listed.iter().all(Option::is_none) {
            return Lowered::Ref(TypeRef::new(shape));
        }
        let nullable = listed.iter().any(Option::is_none);
        self.enumeration(repr, listed.into_iter().flatten(), nullable)
    }

    pub(super) fn lower_type(
        &mut self,
        t: &oa::Type,
        at: &str,
        hint: &str,
    ) -> (Lowered, Constraints) {
        match t {
            oa::Type::String(s) => {
                let constraints = Constraints {
                    min_length: s.min_length.map(|n| n as u64),
                    max_length: s.max_length.map(|n| n as u64),
                    pattern: s.pattern.clone(),
                    ..Constraints::default()
                };
                let values = s.enumeration.iter().map(|v| v.as_deref().map(Value::from));
                let shape = Shape::String(string_format(&s.format));
                (self.enum_or(EnumRepr::String, values, shape), constraints)
            }
            oa::Type::Integer(i) => {
                let constraints = Constraints {
                    minimum: i.minimum.map(|n| n as f64),
                    maximum: i.maximum.map(|n| n as f64),
                    exclusive_minimum: i.exclusive_minimum,
                    exclusive_maximum: i.exclusive_maximum,
                    multiple_of: i.multiple_of.map(|n| n as f64),
                    ..Constraints::default()
                };
                let values = i.enumeration.iter().map(|v| v.map(Value::from));
                let shape = Shape::Integer(int_format(&i.format));
                (self.enum_or(EnumRepr::Integer, values, shape), constraints)
            }
            oa::Type::Number(n) => {
                if !n.enumeration.is_empty() {
                    self.diags.push(Diagnostic::warning(
                        join(at, "enum"),
                        "an `enum` of numbers is typed as a number; the allowed values are not enforced",
                    ));
                }
                let constraints = Constraints {
                    minimum: n.minimum,
                    maximum: n.maximum,
                    exclusive_minimum: n.exclusive_minimum,
                    exclusive_maximum: n.exclusive_maximum,
                    multiple_of: n.multiple_of,
                    ..Constraints::default()
                };
                let format = match &n.format {
                    oa::VariantOrUnknownOrEmpty::Item(oa::NumberFormat::Float) => NumFormat::F32,
                    _ => NumFormat::F64,
                };
                (
                    Lowered::Ref(TypeRef::new(Shape::Number(format))),
                    constraints,
                )
            }
            oa::Type::Boolean(_) => (
                Lowered::Ref(TypeRef::new(Shape::Bool)),
                Constraints::default(),
            ),
            oa::Type::Object(o) => self.object(ObjectParts::of_object(o), at, hint),
            oa::Type::Array(a) => self.array(
                a.items.as_ref(),
                a.min_items,
                a.max_items,
                a.unique_items,
                at,
                hint,
            ),
        }
    }

    /// A schema openapiv3 could not classify: mixed keywords, or no `type`.
    pub(super) fn lower_any(
        &mut self,
        any: &oa::AnySchema,
        data: &oa::SchemaData,
        at: &str,
        hint: &str,
    ) -> (Lowered, Constraints) {
        let parts = ObjectParts::of_any(any);
        if !any.all_of.is_empty() {
            return (
                self.all_of(&any.all_of, Some(parts), at, hint),
                Constraints::default(),
            );
        }
        if !any.one_of.is_empty() || !any.any_of.is_empty() {
            let (members, any_of, key) = if any.one_of.is_empty() {
                (&any.any_of, true, "anyOf")
            } else {
                (&any.one_of, false, "oneOf")
            };
            if !parts.is_empty() {
                self.diags.push(Diagnostic::warning(
                    join(at, "properties"),
                    format!(
                        "properties beside `{key}` are not generated; each variant carries its own"
                    ),
                ));
            }
            return (
                self.union(members, any_of, data, &join(at, key), hint),
                Constraints::default(),
            );
        }
        let number_constraints = Constraints {
            minimum: any.minimum,
            maximum: any.maximum,
            exclusive_minimum: any.exclusive_minimum.unwrap_or(false),
            exclusive_maximum: any.exclusive_maximum.unwrap_or(false),
            multiple_of: any.multiple_of,
            ..Constraints::default()
        };
        let string_constraints = Constraints {
            min_length: any.min_length.map(|n| n as u64),
            max_length: any.max_length.map(|n| n as u64),
            pattern: any.pattern.clone(),
            ..Constraints::default()
        };
        let format: oa::VariantOrUnknownOrEmpty<oa::StringFormat> = any.format.clone().into();
        let all_strings = !any.enumeration.is_empty()
            && any.enumeration.iter().all(|v| v.is_string() || v.is_null());
        let all_ints = !any.enumeration.is_empty()
            && any.enumeration.iter().all(|v| v.is_i64() || v.is_null());
        let nullable_enum = any.enumeration.iter().any(serde_json::Value::is_null);
        let enum_values = || {
            any.enumeration
                .iter()
                .filter(|v| !v.is_null())
                .cloned()
                .collect::<Vec<_>>()
        };
        match any.typ.as_deref() {
            Some("object") => self.object(parts, at, hint),
            None if !parts.is_empty() => self.object(parts, at, hint),
            Some("array") => self.array(
                any.items.as_ref(),
                any.min_items,
                any.max_items,
                any.unique_items.unwrap_or(false),
                at,
                hint,
            ),
            None if any.items.is_some() => self.array(
                any.items.as_ref(),
                any.min_items,
                any.max_items,
                any.unique_items.unwrap_or(false),
                at,
                hint,
            ),
            Some("string") | None if all_strings => (
                self.enumeration(EnumRepr::String, enum_values().into_iter(), nullable_enum),
                string_constraints,
            ),
            Some("integer") | None if all_ints => (
                self.enumeration(EnumRepr::Integer, enum_values().into_iter(), nullable_enum),
                number_constraints,
            ),
            Some("string") => (
                Lowered::Ref(TypeRef::new(Shape::String(string_format(&format)))),
                string_constraints,
            ),
            Some("integer") => {
                let format: oa::VariantOrUnknownOrEmpty<oa::IntegerFormat> =
                    any.format.clone().into();
                (
                    Lowered::Ref(TypeRef::new(Shape::Integer(int_format(&format)))),
                    number_constraints,
                )
            }
            Some("number") => (
                Lowered::Ref(TypeRef::new(Shape::Number(
                    if any.format.as_deref() == Some("float") {
                        NumFormat::F32
                    } else {
                        NumFormat::F64
                    },
                ))),
                number_constraints,
            ),
            Some("boolean") => (
                Lowered::Ref(TypeRef::new(Shape::Bool)),
                Constraints::default(),
            ),
            _ => (
                Lowered::Ref(TypeRef::new(Shape::Any)),
                Constraints::default(),
            ),
        }
    }

    pub(super) fn array(
        &mut self,
        items: Option<&ReferenceOr<Box<oa::Schema>>>,
        min: Option<usize>,
        max: Option<usize>,
        unique: bool,
        at: &str,
        hint: &str,
    ) -> (Lowered, Constraints) {
        let item = match items {
            Some(s) => self.schema_box(s, &join(at, "items"), &crate::names::item_hint(hint)),
            None => TypeRef::new(Shape::Any),
        };
        let constraints = Constraints {
            min_items: min.map(|n| n as u64),
            max_items: max.map(|n| n as u64),
            unique_items: unique,
            ..Constraints::default()
        };
        (
            Lowered::Ref(TypeRef::new(Shape::Array(Box::new(item)))),
            constraints,
        )
    }
}

/// A schema that says nothing about the value's type (only `description`, `nullable`,
/// `example`...).
pub(super) fn is_annotation_only(schema: &oa::Schema) -> bool {
    match &schema.schema_kind {
        oa::SchemaKind::Any(a) => a == &oa::AnySchema::default(),
        _ => false,
    }
}

/// A schema whose properties can be merged by `allOf`.
pub(super) fn is_object_like(schema: &oa::Schema) -> bool {
    match &schema.schema_kind {
        oa::SchemaKind::Type(oa::Type::Object(_)) | oa::SchemaKind::AllOf { .. } => true,
        oa::SchemaKind::Any(a) => {
            !a.all_of.is_empty()
                || (a.one_of.is_empty()
                    && a.any_of.is_empty()
                    && (a.typ.as_deref() == Some("object")
                        || !a.properties.is_empty()
                        || a.additional_properties.is_some()))
        }
        _ => false,
    }
}

/// Will this schema be a named type when it stands inline?
pub(super) fn needs_name(schema: &oa::Schema) -> bool {
    match &schema.schema_kind {
        oa::SchemaKind::Type(oa::Type::String(s)) => s.enumeration.iter().any(Option::is_some),
        oa::SchemaKind::Type(oa::Type::Integer(i)) => i.enumeration.iter().any(Option::is_some),
        oa::SchemaKind::Type(oa::Type::Object(o)) => {
            !o.properties.is_empty()
                || matches!(
                    o.additional_properties,
                    Some(oa::AdditionalProperties::Any(false))
                )
        }
        oa::SchemaKind::OneOf { one_of: m } | oa::SchemaKind::AnyOf { any_of: m } => {
            schema.schema_data.discriminator.is_some()
                || (m.len() > 1 && or_empty_member(m).is_none())
        }
        oa::SchemaKind::AllOf { all_of } => all_of.len() > 1,
        oa::SchemaKind::Any(a) => {
            a.all_of.len() > 1
                || (!a.all_of.is_empty() && !a.properties.is_empty())
                || (a.one_of.len() > 1 && or_empty_member(&a.one_of).is_none())
                || (a.any_of.len() > 1 && or_empty_member(&a.any_of).is_none())
                || (a.all_of.is_empty()
                    && a.one_of.is_empty()
                    && a.any_of.is_empty()
                    && (!a.properties.is_empty() || !a.enumeration.is_empty()))
        }
        _ => false,
    }
}

/// The member that is a value when `members` are a value and the empty string (`anyOf: [T,
/// {type: string, enum: [""]}]`): the idiom of APIs that clear a field with `""`.
pub(super) fn or_empty_member(members: &[ReferenceOr<oa::Schema>]) -> Option<usize> {
    let empty = |m: &ReferenceOr<oa::Schema>| match m {
        ReferenceOr::Item(s) => is_empty_string(s),
        ReferenceOr::Reference { .. } => false,
    };
    match members {
        [a, b] if empty(b) && !empty(a) => Some(0),
        [a, b] if empty(a) && !empty(b) => Some(1),
        _ => None,
    }
}

/// `{type: string, enum: [""]}` (or without `type`): a schema whose one value is `""`.
fn is_empty_string(s: &oa::Schema) -> bool {
    let empty = serde_json::Value::String(String::new());
    match &s.schema_kind {
        oa::SchemaKind::Type(oa::Type::String(t)) => {
            matches!(t.enumeration.as_slice(), [Some(v)] if v.is_empty())
        }
        oa::SchemaKind::Any(a) => {
            a.enumeration == [empty]
                && a.typ.as_deref().is_none_or(|t| t == "string")
                && a.properties.is_empty()
                && a.one_of.is_empty()
                && a.any_of.is_empty()
                && a.all_of.is_empty()
        }
        _ => false,
    }
}

pub(super) fn merge_constraints(into: &mut Constraints, from: Constraints) {
    if from.is_empty() {
        return;
    }
    macro_rules! take {
        ($($f:ident),*) => { $( if from.$f.is_some() { into.$f = from.$f; } )* };
    }
    take!(
        min_length,
        max_length,
        pattern,
        minimum,
        maximum,
        multiple_of,
        min_items,
        max_items,
        min_properties,
        max_properties
    );
    into.exclusive_minimum |= from.exclusive_minimum;
    into.exclusive_maximum |= from.exclusive_maximum;
    into.unique_items |= from.unique_items;
}

pub(super) fn string_format(f: &oa::VariantOrUnknownOrEmpty<oa::StringFormat>) -> StringFormat {
    match f {
        oa::VariantOrUnknownOrEmpty::Item(oa::StringFormat::Date) => StringFormat::Date,
        oa::VariantOrUnknownOrEmpty::Item(oa::StringFormat::DateTime) => StringFormat::DateTime,
        oa::VariantOrUnknownOrEmpty::Item(oa::StringFormat::Password) => StringFormat::Password,
        oa::VariantOrUnknownOrEmpty::Item(oa::StringFormat::Byte) => StringFormat::Byte,
        oa::VariantOrUnknownOrEmpty::Item(oa::StringFormat::Binary) => StringFormat::Binary,
        oa::VariantOrUnknownOrEmpty::Unknown(s) => match s.to_ascii_lowercase().as_str() {
            "uuid" => StringFormat::Uuid,
            "email" => StringFormat::Email,
            "uri" | "url" => StringFormat::Uri,
            "ipv4" => StringFormat::Ipv4,
            "ipv6" => StringFormat::Ipv6,
            "hostname" => StringFormat::Hostname,
            "time" => StringFormat::Time,
            _ => StringFormat::Other(s.clone()),
        },
        oa::VariantOrUnknownOrEmpty::Empty => StringFormat::Plain,
    }
}

pub(super) fn int_format(f: &oa::VariantOrUnknownOrEmpty<oa::IntegerFormat>) -> IntFormat {
    match f {
        oa::VariantOrUnknownOrEmpty::Item(oa::IntegerFormat::Int32) => IntFormat::I32,
        oa::VariantOrUnknownOrEmpty::Item(oa::IntegerFormat::Int64) => IntFormat::I64,
        oa::VariantOrUnknownOrEmpty::Unknown(s) => match s.as_str() {
            "int8" => IntFormat::I8,
            "int16" => IntFormat::I16,
            "uint8" => IntFormat::U8,
            "uint16" => IntFormat::U16,
            "uint32" => IntFormat::U32,
            "uint64" | "uint" => IntFormat::U64,
            _ => IntFormat::I64,
        },
        oa::VariantOrUnknownOrEmpty::Empty => IntFormat::I64,
    }
}

pub(super) fn shape_word(shape: &Shape) -> &'static str {
    match shape {
        Shape::Any => "Any",
        Shape::Bool => "Boolean",
        Shape::Integer(_) => "Integer",
        Shape::Number(_) => "Number",
        Shape::String(_) => "String",
        Shape::Bytes => "Bytes",
        Shape::Array(_) => "Array",
        Shape::Map(_) => "Map",
        Shape::OrEmpty(inner) => shape_word(&inner.shape),
        Shape::Named(_) => "Object",
    }
}

/// A type name for a schema that is referenced where it stands (outside components):
/// its last meaningful segments.
pub(super) fn pointer_hint(segments: &[String]) -> String {
    let meaningful: Vec<&str> = segments
        .iter()
        .map(String::as_str)
        .filter(|s| {
            !matches!(
                *s,
                "paths"
                    | "content"
                    | "schema"
                    | "responses"
                    | "properties"
                    | "items"
                    | "allOf"
                    | "oneOf"
                    | "anyOf"
                    | "components"
                    | "schemas"
                    // JSON Schema's local definitions (3.1 `$defs`, kept as `x-defs`).
                    | "$defs"
                    | "x-defs"
                    | "definitions"
            ) && !s.contains('/')
        })
        .collect();
    let tail = &meaningful[meaningful.len().saturating_sub(3)..];
    names::type_name(&tail.join(" "))
}
