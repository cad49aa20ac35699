//! Recursive types: which fields and variants must be boxed for a type to have a size
//! (Tarjan's strongly connected components over the by-value references between types).

use crate::ir::*;

/// Marks the fields and variants that hold a type of their own cycle by value: they must
/// be boxed for the type to have a size.
pub(super) fn mark_boxed(types: &mut [TypeDef]) {
    let n = types.len();
    let edges: Vec<Vec<usize>> = types.iter().map(|t| by_value_targets(&t.kind)).collect();
    let component = strongly_connected(n, &edges);
    // An edge is on a cycle when it stays within one strongly connected component (a
    // self-reference is a component of one with an edge to itself).
    let on_cycle = |from: usize, tr: &TypeRef| matches!(by_value(tr), Some(to) if component[to] == component[from]);
    for (i, def) in types.iter_mut().enumerate() {
        match &mut def.kind {
            TypeKind::Struct(s) => {
                for f in &mut s.fields {
                    f.boxed = on_cycle(i, &f.ty);
                }
            }
            TypeKind::Union(u) => {
                for v in &mut u.variants {
                    v.boxed = on_cycle(i, &v.ty);
                }
            }
            _ => {}
        }
    }
}

/// The named type a use holds by value: itself, or inside an `OrEmpty` (not behind a
/// `Vec` or map).
fn by_value(tr: &TypeRef) -> Option<usize> {
    match &tr.shape {
        Shape::Named(TypeId(j)) => Some(*j),
        Shape::OrEmpty(inner) => by_value(inner),
        _ => None,
    }
}

/// The named types a type holds by value.
fn by_value_targets(kind: &TypeKind) -> Vec<usize> {
    let direct = by_value;
    match kind {
        TypeKind::Struct(s) => s.fields.iter().filter_map(|f| direct(&f.ty)).collect(),
        TypeKind::Union(u) => u.variants.iter().filter_map(|v| direct(&v.ty)).collect(),
        TypeKind::Alias(tr) => direct(tr).into_iter().collect(),
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// Tarjan's algorithm, iterative: the component index of every node.
fn strongly_connected(n: usize, edges: &[Vec<usize>]) -> Vec<usize> {
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut component = vec![usize::MAX; n];
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work = vec![(root, 0usize)];
        while let Some((v, child)) = work.pop() {
            if child == 0 {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(child) {
                work.push((v, child + 1));
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = next_component;
                    if w == v {
                        break;
                    }
                }
                next_component += 1;
            }
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
        }
    }
    component
}
