//! Object schemas → structs: properties as fields (each named once, boxed in a cycle),
//! `additionalProperties` as a map of extras.

use openapiv3 as oa;
use openapiv3::ReferenceOr;

use super::schema::{Lowered, ObjectParts};
use super::Resolver;
use crate::diagnostics::Diagnostic;
use crate::ir::*;
use crate::names::{self, Scope};
use crate::pointer::join;

impl Resolver<'_> {
    pub(super) fn object(
        &mut self,
        parts: ObjectParts<'_>,
        at: &str,
        hint: &str,
    ) -> (Lowered, Constraints) {
        let constraints = Constraints {
            min_properties: parts.min_properties.map(|n| n as u64),
            max_properties: parts.max_properties.map(|n| n as u64),
            ..Constraints::default()
        };
        let additional = self.additional(parts.additional, at, hint);
        let closed = matches!(parts.additional, Some(oa::AdditionalProperties::Any(false)));
        if parts.properties.is_empty() {
            return match (parts.additional, additional) {
                (Some(oa::AdditionalProperties::Any(false)), _) => {
                    let mut s = finish_struct(Vec::new(), None);
                    s.closed = true;
                    (Lowered::Def(TypeKind::Struct(s)), constraints)
                }
                (_, Some(values)) => (Lowered::Ref(TypeRef::new(Shape::Map(values))), constraints),
                (_, None) => (
                    Lowered::Ref(TypeRef::new(Shape::Map(Box::new(TypeRef::new(Shape::Any))))),
                    constraints,
                ),
            };
        }
        for (i, name) in parts.required.iter().enumerate() {
            if !parts.properties.contains_key(name) {
                self.diags.push(
                    Diagnostic::lenient(
                        join(&join(at, "required"), i.to_string()),
                        format!("`required` names \"{name}\", which is not among the object's properties; it is ignored"),
                    )
                    .with_help("declare the property, or remove it from `required`"),
                );
            }
        }
        let mut fields = Vec::new();
        self.fields(&parts, at, hint, &mut fields);
        let mut s = finish_struct(fields, additional);
        s.closed = closed;
        (Lowered::Def(TypeKind::Struct(s)), constraints)
    }

    pub(super) fn additional(
        &mut self,
        additional: Option<&oa::AdditionalProperties>,
        at: &str,
        hint: &str,
    ) -> Option<Box<TypeRef>> {
        match additional {
            Some(oa::AdditionalProperties::Schema(s)) => Some(Box::new(self.schema(
                s,
                &join(at, "additionalProperties"),
                &format!("{hint}Value"),
            ))),
            Some(oa::AdditionalProperties::Any(true)) => Some(Box::new(TypeRef::new(Shape::Any))),
            _ => None,
        }
    }

    /// Appends the fields of an object's own properties (later ones replace earlier ones
    /// with the same wire name, as `allOf` merging needs).
    pub(super) fn fields(
        &mut self,
        parts: &ObjectParts<'_>,
        at: &str,
        hint: &str,
        out: &mut Vec<Field>,
    ) {
        for (name, prop) in parts.properties {
            let here = join(&join(at, "properties"), name);
            let ty = self.schema_box(prop, &here, &format!("{hint} {name}"));
            let data = match prop {
                ReferenceOr::Item(s) => Some(&s.schema_data),
                ReferenceOr::Reference { .. } => None,
            };
            let field = Field {
                name: name.clone(),
                rust_name: names::snake_name(name),
                ty,
                required: parts.required.contains(name),
                read_only: data.is_some_and(|d| d.read_only),
                write_only: data.is_some_and(|d| d.write_only),
                deprecated: data.is_some_and(|d| d.deprecated),
                description: data.and_then(|d| d.description.clone()),
                boxed: false,
            };
            match out.iter_mut().find(|f| f.name == *name) {
                Some(existing) => {
                    let required = existing.required || field.required;
                    *existing = field;
                    existing.required = required;
                }
                None => out.push(field),
            }
        }
    }
}

/// A struct with unique field names, and a unique name for its extra properties.
pub(super) fn finish_struct(mut fields: Vec<Field>, additional: Option<Box<TypeRef>>) -> Struct {
    let mut scope = Scope::default();
    for f in &mut fields {
        f.rust_name = scope.claim(&f.rust_name);
    }
    let additional_rust_name = if additional.is_some() {
        scope.claim("additional_properties")
    } else {
        String::new()
    };
    Struct {
        fields,
        additional,
        additional_rust_name,
        closed: false,
    }
}
