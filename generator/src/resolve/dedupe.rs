//! One type per shape: named types that are structurally identical (same fields, required
//! set, constraints, variants, tags; descriptions and titles do not count) are emitted once.
//!
//! Identity is the coarsest partition in which two types are together exactly when their
//! shapes are equal with the types they refer to replaced by their classes (Moore's
//! partition refinement, as for minimizing automata), so identical cycles of recursive types
//! merge too. Each class keeps its first member (types are numbered in the order they were
//! met: components in document order, then inline types in operation order): a component's
//! name, or, for a shape met only inline, the words its places' names share
//! (`names::shared_name`), else the name of its first use. An inline duplicate disappears and its uses point at the first;
//! a duplicate component stays, as an alias of the first, so every name the spec gives is
//! still there for users.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write;

use crate::ir::*;
use crate::names;

/// Merges identical types of `api`, rewriting every use and renumbering the rest.
pub(super) fn merge(api: &mut Api) {
    let class = classes(&api.types);
    // The first member of each class (ids are in order of first use).
    let mut first: HashMap<usize, usize> = HashMap::new();
    for (i, c) in class.iter().enumerate() {
        first.entry(*c).or_insert(i);
    }
    let canonical: Vec<usize> = class.iter().map(|c| first[c]).collect();
    if canonical.iter().enumerate().all(|(i, c)| i == *c) {
        return;
    }
    // Duplicates among components stay, as aliases; inline duplicates go.
    let keep: Vec<bool> = (0..api.types.len())
        .map(|i| canonical[i] == i || is_component(&api.types[i]))
        .collect();
    name_shared(&mut api.types, &canonical, &keep);
    let mut new_id = vec![usize::MAX; api.types.len()];
    let mut next = 0;
    for (i, k) in keep.iter().enumerate() {
        if *k {
            new_id[i] = next;
            next += 1;
        }
    }
    // A use of a kept type stays (a component alias keeps its name); a use of a dropped
    // type moves to its class's first member.
    let target: Vec<usize> = (0..api.types.len())
        .map(|i| {
            if keep[i] {
                new_id[i]
            } else {
                new_id[canonical[i]]
            }
        })
        .collect();
    let remap = |t: &mut TypeRef| retarget(t, &target);
    let types = std::mem::take(&mut api.types);
    api.types = types
        .into_iter()
        .enumerate()
        .filter(|(i, _)| keep[*i])
        .map(|(i, mut def)| {
            if canonical[i] != i {
                def.kind = TypeKind::Alias(Box::new(TypeRef::named(TypeId(new_id[canonical[i]]))));
                def.constraints = Constraints::default();
                return def;
            }
            match &mut def.kind {
                TypeKind::Struct(s) => {
                    s.fields.iter_mut().for_each(|f| remap(&mut f.ty));
                    if let Some(a) = &mut s.additional {
                        remap(a);
                    }
                }
                TypeKind::Union(u) => u.variants.iter_mut().for_each(|v| remap(&mut v.ty)),
                TypeKind::Alias(t) => remap(t),
                TypeKind::Enum(_) => {}
            }
            def
        })
        .collect();
    api.for_each_type_ref(remap);
}

/// Names each shape met at several inline places by what their names share
/// (`names::shared_name`), when that name is free: the shape is no longer named after the
/// first place alone. A component keeps its own name.
fn name_shared(types: &mut [TypeDef], canonical: &[usize], keep: &[bool]) {
    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, c) in canonical.iter().enumerate() {
        members.entry(*c).or_default().push(i);
    }
    let mut taken: HashSet<String> = (0..types.len())
        .filter(|i| keep[*i])
        .map(|i| types[i].name.clone())
        .collect();
    for (first, group) in members {
        if group.len() < 2 || is_component(&types[first]) {
            continue;
        }
        let names: Vec<&str> = group.iter().map(|i| types[*i].name.as_str()).collect();
        let Some(name) = names::shared_name(&names).filter(|n| !taken.contains(n)) else {
            continue;
        };
        taken.insert(name.clone());
        types[first].name = name;
    }
}

fn is_component(def: &TypeDef) -> bool {
    def.pointer.starts_with("#/components/schemas/") && def.pointer.matches('/').count() == 3
}

fn retarget(t: &mut TypeRef, target: &[usize]) {
    match &mut t.shape {
        Shape::Named(id) => id.0 = target[id.0],
        Shape::Array(inner) | Shape::Map(inner) | Shape::OrEmpty(inner) => retarget(inner, target),
        _ => {}
    }
}

/// The class of every type: equal classes, equal shapes.
fn classes(types: &[TypeDef]) -> Vec<usize> {
    let mut class = vec![0usize; types.len()];
    let mut count = 1;
    loop {
        let mut ids: HashMap<String, usize> = HashMap::new();
        let next: Vec<usize> = types
            .iter()
            .enumerate()
            .map(|(i, t)| {
                // A type's previous class is part of its key, so classes only ever split.
                let key = format!("{}|{}", class[i], key(t, &class));
                let n = ids.len();
                *ids.entry(key).or_insert(n)
            })
            .collect();
        let n = ids.len();
        class = next;
        if n == count {
            return class;
        }
        count = n;
    }
}

/// A type's shape as text, with the types it names written as their classes.
fn key(t: &TypeDef, class: &[usize]) -> String {
    let mut k = String::new();
    let _ = write!(k, "{:?}|{:?}|", t.rust_path, t.constraints);
    match &t.kind {
        TypeKind::Struct(s) => {
            k.push_str("struct{");
            for f in &s.fields {
                let _ = write!(
                    k,
                    "{:?}:{}:{}{}{}{}:",
                    f.name,
                    f.rust_name,
                    f.required as u8,
                    f.read_only as u8,
                    f.write_only as u8,
                    f.deprecated as u8
                );
                type_ref(&mut k, &f.ty, class);
                k.push(',');
            }
            if let Some(a) = &s.additional {
                let _ = write!(k, "..{}:", s.additional_rust_name);
                type_ref(&mut k, a, class);
            }
            if s.closed {
                k.push_str("..closed");
            }
            k.push('}');
        }
        TypeKind::Enum(e) => {
            let _ = write!(k, "enum{:?}{{", e.repr);
            for v in &e.variants {
                let _ = write!(k, "{}={},", v.rust_name, v.value);
            }
            let _ = write!(k, "..{}{}}}", e.catch_all, if e.tag { " tag" } else { "" });
        }
        TypeKind::Union(u) => {
            let _ = write!(
                k,
                "union{}{:?}{{",
                if u.any_of { "any" } else { "one" },
                u.discriminator
            );
            for v in &u.variants {
                let _ = write!(k, "{}{:?}:", v.rust_name, v.tags);
                type_ref(&mut k, &v.ty, class);
                k.push(',');
            }
            let _ = write!(k, "..{}}}", u.catch_all);
        }
        TypeKind::Alias(t) => {
            k.push_str("alias ");
            type_ref(&mut k, t, class);
        }
    }
    k
}

fn type_ref(k: &mut String, t: &TypeRef, class: &[usize]) {
    let _ = write!(
        k,
        "{}{:?}{:?}",
        if t.nullable { "?" } else { "" },
        t.constraints,
        t.default.as_ref().map(|d| d.to_string())
    );
    match &t.shape {
        Shape::Named(id) => {
            let _ = write!(k, "#{}", class[id.0]);
        }
        Shape::Array(inner) => {
            k.push('[');
            type_ref(k, inner, class);
            k.push(']');
        }
        Shape::Map(inner) => {
            k.push('{');
            type_ref(k, inner, class);
            k.push('}');
        }
        Shape::OrEmpty(inner) => {
            k.push('(');
            type_ref(k, inner, class);
            k.push_str("|\"\")");
        }
        other => {
            let _ = write!(k, "{other:?}");
        }
    }
}
