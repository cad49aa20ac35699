//! Schemas that choose among values or types: `enum` and `oneOf`/`anyOf` (with their
//! discriminator).

use openapiv3 as oa;
use openapiv3::ReferenceOr;

use super::schema::*;
use super::Resolver;
use crate::convert::v32::DEFAULT_MAPPING;
use crate::diagnostics::Diagnostic;
use crate::ir::*;
use crate::names::{self, Scope};
use crate::pointer::join;
use crate::refs;

impl Resolver<'_> {
    pub(super) fn enumeration(
        &mut self,
        repr: EnumRepr,
        values: impl Iterator<Item = serde_json::Value>,
        nullable: bool,
    ) -> Lowered {
        let mut scope = Scope::default();
        let mut variants: Vec<EnumVariant> = Vec::new();
        for value in values {
            if variants.iter().any(|v| v.value == value) {
                continue;
            }
            let raw = match &value {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            variants.push(EnumVariant {
                rust_name: scope.claim(&names::variant_name(&raw)),
                value,
            });
        }
        let catch_all = scope.claim("Unknown");
        let kind = TypeKind::Enum(Enum {
            repr,
            variants,
            catch_all,
            tag: false,
        });
        if nullable {
            Lowered::NullableDef(kind)
        } else {
            Lowered::Def(kind)
        }
    }

    pub(super) fn union(
        &mut self,
        members: &[ReferenceOr<oa::Schema>],
        any_of: bool,
        data: &oa::SchemaData,
        at: &str,
        hint: &str,
    ) -> Lowered {
        if members.len() == 1 && data.discriminator.is_none() {
            return Lowered::Ref(self.schema(&members[0], &join(at, "0"), hint));
        }
        if let (Some(value), None) = (or_empty_member(members), &data.discriminator) {
            // A value or `""`: the runtime's `OrEmpty`, its value type named from its title,
            // or after the union's place (`...Value` when the union has that name already).
            let value_hint = match &members[value] {
                ReferenceOr::Item(s) if s.schema_data.title.is_some() => {
                    names::type_name(s.schema_data.title.as_deref().unwrap_or_default())
                }
                _ if self.type_names.contains(hint) => format!("{hint}Value"),
                _ => hint.to_string(),
            };
            let inner = self.schema(&members[value], &join(at, value.to_string()), &value_hint);
            let mut tr = TypeRef::new(Shape::OrEmpty(Box::new(inner)));
            tr.nullable = match &members[1 - value] {
                ReferenceOr::Item(empty) => empty.schema_data.nullable,
                ReferenceOr::Reference { .. } => false,
            };
            return Lowered::Ref(tr);
        }
        let mapping: Vec<(String, String)> = data
            .discriminator
            .iter()
            .flat_map(|d| d.mapping.iter())
            .map(|(tag, target)| (tag.clone(), mapping_target(target)))
            .collect();
        let default_target = data
            .discriminator
            .as_ref()
            .and_then(|d| d.extensions.get(DEFAULT_MAPPING))
            .and_then(serde_json::Value::as_str)
            .map(mapping_target);
        let mut scope = Scope::default();
        let mut variants = Vec::new();
        for (i, member) in members.iter().enumerate() {
            let here = join(at, i.to_string());
            // An inline variant with a `title` is named by it, as its variant is.
            let member_hint = match member {
                ReferenceOr::Item(s) if s.schema_data.title.is_some() => {
                    names::type_name(s.schema_data.title.as_deref().unwrap_or_default())
                }
                _ => format!("{hint}Variant{}", i + 1),
            };
            let ty = self.schema(member, &here, &member_hint);
            let base = match (&ty.shape, member) {
                (Shape::Named(id), ReferenceOr::Reference { .. }) => self.type_name_of(*id),
                (_, ReferenceOr::Item(s)) if s.schema_data.title.is_some() => {
                    names::type_name(s.schema_data.title.as_deref().unwrap_or_default())
                }
                (Shape::Named(_), _) => format!("Variant{}", i + 1),
                (shape, _) => shape_word(shape).to_string(),
            };
            let mut tags = Vec::new();
            if data.discriminator.is_some() {
                if let ReferenceOr::Reference { reference } = member {
                    let pointer = refs::normalize(reference).unwrap_or_default();
                    tags.extend(
                        mapping
                            .iter()
                            .filter(|(_, p)| *p == pointer)
                            .map(|(t, _)| t.clone()),
                    );
                    if tags.is_empty() {
                        // Without a mapping entry the tag is the schema's name (OpenAPI 3.0
                        // §4.8.25): a component's. A schema elsewhere (`.../anyOf/0`) has none.
                        let segments = crate::pointer::segments(&pointer);
                        match segments.as_slice() {
                            [components, schemas, name]
                                if components == "components" && schemas == "schemas" =>
                            {
                                tags.push(name.clone());
                            }
                            _ => self.diags.push(Diagnostic::warning(
                                &here,
                                "a variant that is not a component schema has no name to be its tag, and no mapping entry points at it; it is matched by shape",
                            )),
                        }
                    }
                } else {
                    self.diags.push(Diagnostic::warning(
                        &here,
                        "an inline variant of a union with a discriminator has no tag of its own; it is matched by shape",
                    ));
                }
            }
            variants.push(UnionVariant {
                rust_name: scope.claim(&names::variant_name(&base)),
                ty,
                tags,
                boxed: false,
            });
        }
        let mut fallback = None;
        if let Some(pointer) = &default_target {
            let d_at = join(
                &join(&at[..at.rfind('/').unwrap_or(0)], "discriminator"),
                DEFAULT_MAPPING,
            );
            let member = members.iter().position(|m| {
                matches!(m, ReferenceOr::Reference { reference } if refs::normalize(reference).as_deref() == Some(pointer.as_str()))
            });
            fallback = match member {
                Some(i) => Some(i),
                None => {
                    // A default that is not a member: one more variant, chosen only by it.
                    let ty = self.reference(&format!("#{pointer}"), &d_at);
                    match ty.shape {
                        Shape::Named(id) => {
                            variants.push(UnionVariant {
                                rust_name: scope
                                    .claim(&names::variant_name(&self.type_name_of(id))),
                                ty,
                                tags: Vec::new(),
                                boxed: false,
                            });
                            Some(variants.len() - 1)
                        }
                        // Not a schema: `reference` said so where it points.
                        _ => None,
                    }
                }
            };
        }
        if let Some(d) = &data.discriminator {
            for (tag, pointer) in &mapping {
                if !variants.iter().any(|v| v.tags.contains(tag)) {
                    self.diags.push(Diagnostic::warning(
                        join(&join(&at[..at.rfind('/').unwrap_or(0)], "discriminator/mapping"), tag),
                        format!("discriminator mapping \"{tag}\" points at {pointer}, which is not one of the variants"),
                    ));
                }
            }
            let catch_all = scope.claim("Other");
            return Lowered::Def(TypeKind::Union(Union {
                any_of,
                discriminator: Some(d.property_name.clone()),
                variants,
                catch_all,
                fallback,
            }));
        }
        Lowered::Def(TypeKind::Union(Union {
            any_of,
            discriminator: None,
            variants,
            catch_all: String::new(),
            fallback: None,
        }))
    }
}

/// The pointer a discriminator's `mapping` or `defaultMapping` value names: a reference, or
/// the name of a component schema.
fn mapping_target(target: &str) -> String {
    if target.starts_with('#') {
        refs::normalize(target).unwrap_or_default()
    } else {
        crate::pointer::pointer(["components", "schemas", target])
    }
}

/// Marks the one-value enums that are the tag property of a discriminated union's variant
/// (`Species = oneOf [Cat, Dog]` by `kind`, `Dog.kind: enum [dog]`) and agree with the tag
/// the union writes for that variant: see [`Enum::tag`].
pub(super) fn mark_tags(types: &mut [TypeDef]) {
    let mut tags = Vec::new();
    for def in types.iter() {
        let TypeKind::Union(u) = &def.kind else {
            continue;
        };
        let Some(property) = &u.discriminator else {
            continue;
        };
        for v in &u.variants {
            let Shape::Named(id) = unalias(types, &v.ty).shape else {
                continue;
            };
            let TypeKind::Struct(s) = &types[id.0].kind else {
                continue;
            };
            let Some(field) = s.fields.iter().find(|f| &f.name == property) else {
                continue;
            };
            let Shape::Named(e) = unalias(types, &field.ty).shape else {
                continue;
            };
            if let TypeKind::Enum(en) = &types[e.0].kind {
                let one = match en.variants.as_slice() {
                    [only] => only.value.as_str(),
                    _ => None,
                };
                if en.repr == EnumRepr::String
                    && one.is_some_and(|value| v.tags.iter().any(|t| t == value))
                    && types[e.0].rust_path.is_none()
                {
                    tags.push(e.0);
                }
            }
        }
    }
    for i in tags {
        if let TypeKind::Enum(e) = &mut types[i].kind {
            e.tag = true;
        }
    }
}
