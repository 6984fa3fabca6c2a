//! Boxing: the IR's types in, the same types out with each field or variant that would make a type contain itself by value wrapped in `Box`.
//!
//! A type holds another by value through a field or union variant of that type (or an `Option`
//! of it), and through an alias. Types are visited in id order; a slot of type T is boxed when
//! what it holds leads back to T by value in the graph as it stands then, so the slots boxed for
//! earlier types no longer count and each cycle is cut once, at its first type's slot.
//!
//! Only T's own strongly connected component can lead back to T, so the components are found
//! once and each search stays inside one: a type on no cycle costs nothing, where searching
//! from every slot through everything reachable grew with the square of the document.

use crate::ir::{TypeDef, TypeKind, TypeRef};

/// Boxes every slot through which a type would contain itself.
pub(super) fn box_recursive_fields(types: &mut [TypeDef]) {
    let edges: Vec<Vec<usize>> = types
        .iter()
        .map(|def| {
            let mut held: Vec<usize> = slots(def).filter_map(held_by_value).collect();
            held.sort_unstable();
            held.dedup();
            held
        })
        .collect();
    let component = components(&edges);
    // Edges backwards, kept only inside a component: the searches walk from T to what holds T.
    let mut holders = vec![Vec::new(); types.len()];
    for (from, held) in edges.iter().enumerate() {
        for &to in held {
            if component[from] == component[to] {
                holders[to].push(from);
            }
        }
    }
    // `leads_back[u] == t`: u holds t by value, directly or through other types.
    let mut leads_back = vec![usize::MAX; types.len()];
    let mut stack = Vec::new();
    for target in 0..types.len() {
        let candidates: Vec<(usize, usize)> = own_slots(&types[target])
            .enumerate()
            .filter_map(|(slot, ty)| held_by_value(ty).map(|held| (slot, held)))
            .filter(|(_, held)| component[*held] == component[target])
            .collect();
        if candidates.is_empty() {
            continue;
        }
        leads_back[target] = target;
        stack.push(target);
        while let Some(to) = stack.pop() {
            for &from in &holders[to] {
                // Slots boxed for earlier types are no longer edges.
                if leads_back[from] != target
                    && slots(&types[from]).any(|ty| held_by_value(ty) == Some(to))
                {
                    leads_back[from] = target;
                    stack.push(from);
                }
            }
        }
        let to_box: Vec<usize> = candidates
            .into_iter()
            .filter(|(_, held)| leads_back[*held] == target)
            .map(|(slot, _)| slot)
            .collect();
        let wrap =
            |ty: &mut TypeRef| *ty = TypeRef::Box(Box::new(std::mem::replace(ty, TypeRef::Any)));
        match &mut types[target].kind {
            TypeKind::Struct(s) => to_box.iter().for_each(|i| wrap(&mut s.fields[*i].ty)),
            TypeKind::Tagged(t) => to_box.iter().for_each(|i| wrap(&mut t.variants[*i].ty)),
            TypeKind::Untagged(u) => to_box.iter().for_each(|i| wrap(&mut u.variants[*i].ty)),
            _ => {}
        }
    }
}

/// The type a slot holds by value, seen through `Option`s; `Box`, `Vec` and maps hold by pointer.
fn held_by_value(ty: &TypeRef) -> Option<usize> {
    match ty {
        TypeRef::Named(id) => Some(id.0),
        TypeRef::Option(inner) => held_by_value(inner),
        _ => None,
    }
}

/// The slots a type can be boxed in: struct fields and union variants, in order.
fn own_slots(def: &TypeDef) -> Box<dyn Iterator<Item = &TypeRef> + '_> {
    match &def.kind {
        TypeKind::Struct(s) => Box::new(s.fields.iter().map(|f| &f.ty)),
        TypeKind::Tagged(t) => Box::new(t.variants.iter().map(|v| &v.ty)),
        TypeKind::Untagged(u) => Box::new(u.variants.iter().map(|v| &v.ty)),
        _ => Box::new(std::iter::empty()),
    }
}

/// Everything a type holds by value through: its own slots, and an alias's target.
fn slots(def: &TypeDef) -> Box<dyn Iterator<Item = &TypeRef> + '_> {
    match &def.kind {
        TypeKind::Alias(ty) => Box::new(std::iter::once(ty)),
        _ => own_slots(def),
    }
}

/// Tarjan's strongly connected components, numbered, one per node. Iterative, because a
/// document's chains of references can be thousands of types deep.
fn components(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let mut order = vec![UNSEEN; edges.len()];
    let mut low = vec![0; edges.len()];
    let mut on_stack = vec![false; edges.len()];
    let mut component = vec![UNSEEN; edges.len()];
    let mut stack = Vec::new();
    let mut work: Vec<(usize, usize)> = Vec::new();
    let (mut next_order, mut next_component) = (0, 0);
    for root in 0..edges.len() {
        if order[root] != UNSEEN {
            continue;
        }
        order[root] = next_order;
        low[root] = next_order;
        next_order += 1;
        stack.push(root);
        on_stack[root] = true;
        work.push((root, 0));
        while let Some((node, position)) = work.pop() {
            if let Some(&next) = edges[node].get(position) {
                work.push((node, position + 1));
                if order[next] == UNSEEN {
                    order[next] = next_order;
                    low[next] = next_order;
                    next_order += 1;
                    stack.push(next);
                    on_stack[next] = true;
                    work.push((next, 0));
                } else if on_stack[next] {
                    low[node] = low[node].min(order[next]);
                }
                continue;
            }
            if low[node] == order[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::components;

    #[test]
    fn components_group_cycles_and_keep_the_rest_apart() {
        // 0 → 1 → 2 → 0 is a cycle; 3 → 3 holds itself; 4 → 0 and 5 are on no cycle.
        let edges = vec![vec![1], vec![2], vec![0], vec![3], vec![0], vec![]];
        let c = components(&edges);
        assert!(c[0] == c[1] && c[1] == c[2]);
        assert!(c[3] != c[0] && c[4] != c[0] && c[5] != c[0] && c[4] != c[5]);
    }

    #[test]
    fn components_survive_deep_chains() {
        let edges: Vec<Vec<usize>> = (0..200_000).map(|i| vec![(i + 1) % 200_000]).collect();
        let c = components(&edges);
        assert!(c.iter().all(|&x| x == c[0]));
    }
}
