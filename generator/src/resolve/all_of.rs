//! `allOf`: members merged into one type.

use openapiv3 as oa;
use openapiv3::ReferenceOr;

use super::objects::finish_struct;
use super::schema::*;
use super::Resolver;
use crate::diagnostics::Diagnostic;
use crate::ir::*;
use crate::pointer::join;

impl Resolver<'_> {
    /// `allOf`: object-like members merge into one struct. Members that only annotate
    /// (`description`, `nullable`...) add nothing; when no member is an object, the first
    /// substantive member is the type (`allOf: [{$ref: Slug}, {nullable: true}]`).
    pub(super) fn all_of(
        &mut self,
        members: &[ReferenceOr<oa::Schema>],
        own: Option<ObjectParts<'_>>,
        at: &str,
        hint: &str,
    ) -> Lowered {
        let own = own.filter(|p| !p.is_empty());
        let mut resolved = Vec::with_capacity(members.len());
        for (i, member) in members.iter().enumerate() {
            let here = join(&join(at, "allOf"), i.to_string());
            let (pointer, schema) = match member {
                ReferenceOr::Item(s) => (here.clone(), s.clone()),
                ReferenceOr::Reference { reference } => {
                    match self.follow::<oa::Schema>(reference, &join(&here, "$ref")) {
                        Some(found) => found,
                        None => return Lowered::Ref(TypeRef::new(Shape::Any)),
                    }
                }
            };
            resolved.push((i, here, pointer, schema));
        }
        let substantive: Vec<_> = resolved
            .iter()
            .filter(|(.., s)| !is_annotation_only(s))
            .collect();
        let object_like = substantive
            .iter()
            .filter(|(.., s)| is_object_like(s))
            .count();
        // One substantive member (the rest annotations), or nothing to merge: that member.
        if own.is_none() && (object_like == 0 || substantive.len() == 1) {
            let nullable = resolved.iter().any(|(.., s)| s.schema_data.nullable);
            let mut tr = match substantive.first() {
                Some((i, here, ..)) => self.schema(&members[*i], here, hint),
                None => TypeRef::new(Shape::Any),
            };
            tr.nullable |= nullable;
            return Lowered::Ref(tr);
        }
        let mut fields = Vec::new();
        let mut additional = None;
        for (i, here, pointer, schema) in &resolved {
            if is_annotation_only(schema) {
                continue;
            }
            if let Some(start) = self.merging.iter().position(|p| p == pointer) {
                let mut chain = self.merging[start..].to_vec();
                chain.push(pointer.clone());
                self.diags.push(Diagnostic::error(
                    here,
                    format!("cyclic allOf: {} includes itself", chain.join(" -> ")),
                ));
                return Lowered::Ref(TypeRef::new(Shape::Any));
            }
            let member_hint = match &members[*i] {
                ReferenceOr::Reference { .. } => self
                    .by_pointer
                    .get(pointer)
                    .map_or_else(|| hint.to_string(), |id| self.type_name_of(*id)),
                ReferenceOr::Item(_) => hint.to_string(),
            };
            self.merging.push(pointer.clone());
            let errors_before = self.error_count();
            let ok = self.merge_member(schema, pointer, &member_hint, &mut fields, &mut additional);
            self.merging.pop();
            if !ok && self.error_count() > errors_before {
                // Already reported (a cycle further down): say nothing more about it.
                return Lowered::Ref(TypeRef::new(Shape::Any));
            }
            if !ok {
                self.diags.push(Diagnostic::warning(
                    here,
                    "this allOf member is not an object while others are, so the members cannot be merged into one struct; the value is typed as any JSON value",
                ));
                return Lowered::Ref(TypeRef::new(Shape::Any));
            }
        }
        if let Some(own) = &own {
            self.fields(own, at, hint, &mut fields);
            if let Some(a) = self.additional(own.additional, at, hint) {
                additional = Some(a);
            }
        }
        Lowered::Def(TypeKind::Struct(finish_struct(fields, additional)))
    }

    /// Adds one allOf member's fields. False when the member is not object-like.
    pub(super) fn merge_member(
        &mut self,
        schema: &oa::Schema,
        at: &str,
        hint: &str,
        fields: &mut Vec<Field>,
        additional: &mut Option<Box<TypeRef>>,
    ) -> bool {
        let parts = match &schema.schema_kind {
            oa::SchemaKind::Type(oa::Type::Object(o)) => ObjectParts::of_object(o),
            oa::SchemaKind::AllOf { all_of } => {
                return self.merge_all(all_of, None, at, hint, fields, additional)
            }
            oa::SchemaKind::Any(a) if !a.all_of.is_empty() => {
                return self.merge_all(
                    &a.all_of,
                    Some(ObjectParts::of_any(a)),
                    at,
                    hint,
                    fields,
                    additional,
                )
            }
            oa::SchemaKind::Any(a)
                if a.one_of.is_empty()
                    && a.any_of.is_empty()
                    && matches!(a.typ.as_deref(), None | Some("object")) =>
            {
                ObjectParts::of_any(a)
            }
            _ => return false,
        };
        self.fields(&parts, at, hint, fields);
        if let Some(a) = self.additional(parts.additional, at, hint) {
            *additional = Some(a);
        }
        true
    }

    pub(super) fn merge_all(
        &mut self,
        members: &[ReferenceOr<oa::Schema>],
        own: Option<ObjectParts<'_>>,
        at: &str,
        hint: &str,
        fields: &mut Vec<Field>,
        additional: &mut Option<Box<TypeRef>>,
    ) -> bool {
        match self.all_of(members, own, at, hint) {
            Lowered::Def(TypeKind::Struct(s)) => {
                for f in s.fields {
                    match fields.iter_mut().find(|e| e.name == f.name) {
                        Some(e) => {
                            let required = e.required || f.required;
                            *e = f;
                            e.required = required;
                        }
                        None => fields.push(f),
                    }
                }
                if s.additional.is_some() {
                    *additional = s.additional;
                }
                true
            }
            Lowered::Ref(TypeRef {
                shape: Shape::Named(id),
                ..
            }) => match self.types[id.0].as_ref().map(|t| t.kind.clone()) {
                Some(TypeKind::Struct(s)) => {
                    fields.extend(s.fields);
                    true
                }
                _ => false,
            },
            _ => false,
        }
    }
}
