//! Types compared where they are used: shapes, constraints, fields, enum values and union
//! variants, each named pair once per direction.

use super::*;

impl Differ<'_> {
    pub(super) fn type_ref(&mut self, o: &TypeRef, n: &TypeRef, dir: Dir, at: &At) {
        let place = &at.place;
        let prefix = prefix(place);
        if dir == Dir::Request && o.nullable && !n.nullable {
            self.push(
                true,
                "null-no-longer-allowed",
                at,
                say(place, "null no longer allowed"),
            );
        }
        if dir == Dir::Response && !o.nullable && n.nullable {
            self.push(true, "may-be-null", at, say(place, "may now be null"));
        }
        self.constraints(&o.constraints, &n.constraints, dir, at);
        // A named alias and the shape it stands for are the same type on the wire.
        let (o, n) = match (&o.shape, &n.shape) {
            (Shape::Named(_), Shape::Named(_)) => (o, n),
            _ => (self.old.unalias(o), self.new.unalias(n)),
        };
        match (&o.shape, &n.shape) {
            (Shape::Named(a), Shape::Named(b)) => self.named(*a, *b, dir),
            (Shape::OrEmpty(a), Shape::OrEmpty(b)) => self.type_ref(a, b, dir, at),
            (Shape::Array(a), Shape::Array(b)) | (Shape::Map(a), Shape::Map(b)) => {
                let (what, key) = match o.shape {
                    Shape::Array(_) => ("items", "items"),
                    _ => ("values", "additionalProperties"),
                };
                let at = at.child(
                    say_after(place, what),
                    join(&at.old, key),
                    join(&at.new, key),
                );
                self.type_ref(a, b, dir, &at)
            }
            (a, b) if a == b => {}
            (Shape::Integer(a), Shape::Integer(b)) => {
                let widened = b.range().0 <= a.range().0 && b.range().1 >= a.range().1;
                // A client may send anything the wider type holds, and reads anything the
                // narrower one sends.
                let breaking = match dir {
                    Dir::Request => !widened,
                    Dir::Response => widened,
                };
                let message = format!("{prefix}integer format changed {}", self.change(o, n));
                self.push(breaking, "type-format-changed", at, message);
            }
            (Shape::Number(_), Shape::Number(_)) => {
                let message = format!("{prefix}number format changed {}", self.change(o, n));
                self.push(dir == Dir::Response, "type-format-changed", at, message);
            }
            _ => {
                let message = format!("{prefix}type changed {}", self.change(o, n));
                self.push(true, "type-changed", at, message);
            }
        }
    }

    /// `from OLD to NEW`, the two shapes as `inspect` writes them.
    fn change(&self, o: &TypeRef, n: &TypeRef) -> String {
        format!(
            "from {} to {}",
            describe(self.old, &TypeRef::new(o.shape.clone())),
            describe(self.new, &TypeRef::new(n.shape.clone()))
        )
    }

    /// Bounds: in a request, tighter ones refuse what a client sent before; in a response,
    /// looser ones let through what a client did not expect. Both are reported; only those
    /// are breaking.
    fn constraints(&mut self, o: &Constraints, n: &Constraints, dir: Dir, at: &At) {
        let prefix = prefix(&at.place);
        let mut check = |name: &str, old: Option<f64>, new: Option<f64>, upper: bool| {
            if old == new {
                return;
            }
            // Tighter: a bound appears, or moves inward.
            let tighter = match (old, new) {
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (Some(a), Some(b)) => (upper && b < a) || (!upper && b > a),
                (None, None) => return,
            };
            let breaking = match dir {
                Dir::Request => tighter,
                Dir::Response => !tighter,
            };
            let show = |v: Option<f64>| v.map_or("none".to_string(), |v| v.to_string());
            self.push(
                breaking,
                if tighter {
                    "constraint-tightened"
                } else {
                    "constraint-loosened"
                },
                at,
                format!("{prefix}{name} changed from {} to {}", show(old), show(new)),
            );
        };
        let f = |v: Option<u64>| v.map(|v| v as f64);
        check("minLength", f(o.min_length), f(n.min_length), false);
        check("maxLength", f(o.max_length), f(n.max_length), true);
        check("minimum", o.minimum, n.minimum, false);
        check("maximum", o.maximum, n.maximum, true);
        check("minItems", f(o.min_items), f(n.min_items), false);
        check("maxItems", f(o.max_items), f(n.max_items), true);
        if o.pattern != n.pattern {
            self.push(
                dir == Dir::Request && n.pattern.is_some(),
                "pattern-changed",
                at,
                format!(
                    "{prefix}pattern changed from {} to {}",
                    o.pattern
                        .as_deref()
                        .map_or("none".into(), |p| format!("{p:?}")),
                    n.pattern
                        .as_deref()
                        .map_or("none".into(), |p| format!("{p:?}"))
                ),
            );
        }
    }

    fn named(&mut self, a: TypeId, b: TypeId, dir: Dir) {
        if !self.seen_types.insert((a, b, dir)) {
            return;
        }
        let (od, nd) = (self.old.type_def(a), self.new.type_def(b));
        // Changes inside a schema are reported once, under the schema, whatever uses it.
        let at = At {
            subject: format!("schema {} ({}s)", nd.name, dir.word()),
            place: String::new(),
            old: od.pointer.clone(),
            new: nd.pointer.clone(),
        };
        self.constraints(&od.constraints, &nd.constraints, dir, &at);
        match (&od.kind, &nd.kind) {
            (TypeKind::Struct(os), TypeKind::Struct(ns)) => self.fields(os, ns, dir, &at),
            (TypeKind::Enum(oe), TypeKind::Enum(ne)) => self.enum_values(oe, ne, dir, &at),
            (TypeKind::Union(ou), TypeKind::Union(nu)) => self.variants(ou, nu, dir, &at),
            (TypeKind::Alias(x), TypeKind::Alias(y)) => self.type_ref(x, y, dir, &at),
            (TypeKind::Alias(x), _) => {
                let y = TypeRef::named(b);
                self.type_ref(x, &y, dir, &at)
            }
            (_, TypeKind::Alias(y)) => {
                let x = TypeRef::named(a);
                // Only reached when the kinds differ; compare the alias's target with `a`.
                if !matches!(y.shape, Shape::Named(_)) {
                    self.push(
                        true,
                        "type-changed",
                        &at,
                        format!(
                            "{}type changed from {} to {}",
                            prefix(&at.place),
                            describe(self.old, &x),
                            describe(self.new, y)
                        ),
                    );
                } else {
                    self.type_ref(&x, y, dir, &at);
                }
            }
            (ok, nk) => self.push(
                true,
                "type-changed",
                &at,
                format!(
                    "{}type changed from {} to {}",
                    prefix(&at.place),
                    kind_word(ok),
                    kind_word(nk)
                ),
            ),
        }
    }

    fn fields(&mut self, os: &Struct, ns: &Struct, dir: Dir, at: &At) {
        let prop = |base: &str, name: &str| join(&join(base, "properties"), name);
        for of in &os.fields {
            let place = format!("field `{}`", of.name);
            match ns.fields.iter().find(|nf| nf.name == of.name) {
                None => self.changes.push(Change {
                    breaking: true,
                    rule: "field-removed",
                    subject: at.subject.clone(),
                    message: format!("{place} removed"),
                    old: Some(prop(&at.old, &of.name)),
                    new: None,
                }),
                Some(nf) => {
                    let at = at.child(
                        place.clone(),
                        prop(&at.old, &of.name),
                        prop(&at.new, &nf.name),
                    );
                    match (of.required, nf.required, dir) {
                        (false, true, Dir::Request) => self.push(
                            true,
                            "field-became-required",
                            &at,
                            format!("{place} became required"),
                        ),
                        (true, false, Dir::Response) => self.push(
                            true,
                            "field-became-optional",
                            &at,
                            format!("{place} became optional (may be absent)"),
                        ),
                        (false, true, Dir::Response) => self.push(
                            false,
                            "field-became-required",
                            &at,
                            format!("{place} became required"),
                        ),
                        (true, false, Dir::Request) => self.push(
                            false,
                            "field-became-optional",
                            &at,
                            format!("{place} became optional"),
                        ),
                        _ => {}
                    }
                    self.type_ref(&of.ty, &nf.ty, dir, &at);
                }
            }
        }
        for nf in &ns.fields {
            if os.fields.iter().any(|of| of.name == nf.name) {
                continue;
            }
            // A required field in what the client sends: old clients do not send it.
            let breaking = dir == Dir::Request && nf.required && !nf.read_only;
            self.changes.push(Change {
                breaking,
                rule: if nf.required {
                    "field-added-required"
                } else {
                    "field-added-optional"
                },
                subject: at.subject.clone(),
                message: format!(
                    "{} field `{}` added",
                    if nf.required { "required" } else { "optional" },
                    nf.name
                ),
                old: None,
                new: Some(prop(&at.new, &nf.name)),
            });
        }
    }

    fn enum_values(&mut self, oe: &Enum, ne: &Enum, dir: Dir, at: &At) {
        let values =
            |e: &Enum| -> Vec<String> { e.variants.iter().map(|v| v.value.to_string()).collect() };
        let (ov, nv) = (values(oe), values(ne));
        let removed: Vec<&String> = ov.iter().filter(|v| !nv.contains(v)).collect();
        let added: Vec<&String> = nv.iter().filter(|v| !ov.contains(v)).collect();
        if !removed.is_empty() {
            self.push(
                dir == Dir::Request,
                "enum-value-removed",
                at,
                format!(
                    "{}enum values removed: {}",
                    prefix(&at.place),
                    list(&removed)
                ),
            );
        }
        if !added.is_empty() {
            self.push(
                false,
                "enum-value-added",
                at,
                format!(
                    "{}enum values added: {}{}",
                    prefix(&at.place),
                    list(&added),
                    if dir == Dir::Response {
                        " (old clients read them as `Unknown`)"
                    } else {
                        ""
                    }
                ),
            );
        }
    }

    fn variants(&mut self, ou: &Union, nu: &Union, dir: Dir, at: &At) {
        // Variants are matched by their tags, else by position and shape.
        for (i, ov) in ou.variants.iter().enumerate() {
            let found = if ou.discriminator.is_some() {
                nu.variants
                    .iter()
                    .find(|nv| nv.tags.iter().any(|t| ov.tags.contains(t)))
            } else {
                nu.variants.get(i)
            };
            let place = format!("{}variant `{}`", prefix(&at.place), ov.rust_name);
            match found {
                Some(nv) => {
                    let at = at.child(place, at.old.clone(), at.new.clone());
                    self.type_ref(&ov.ty, &nv.ty, dir, &at);
                }
                None => self.push(
                    dir == Dir::Request,
                    "union-variant-removed",
                    at,
                    format!("{place} removed"),
                ),
            }
        }
        let added = if nu.discriminator.is_some() {
            nu.variants
                .iter()
                .filter(|nv| {
                    !ou.variants
                        .iter()
                        .any(|ov| ov.tags.iter().any(|t| nv.tags.contains(t)))
                })
                .collect::<Vec<_>>()
        } else {
            nu.variants.iter().skip(ou.variants.len()).collect()
        };
        for nv in added {
            // Untagged unions have no catch-all: an old client cannot read the new variant.
            let breaking = dir == Dir::Response && nu.discriminator.is_none();
            self.push(
                breaking,
                "union-variant-added",
                at,
                format!("{}variant `{}` added", prefix(&at.place), nv.rust_name),
            );
        }
    }
}

fn kind_word(k: &TypeKind) -> &'static str {
    match k {
        TypeKind::Struct(_) => "object",
        TypeKind::Enum(_) => "enum",
        TypeKind::Union(_) => "union",
        TypeKind::Alias(_) => "alias",
    }
}
