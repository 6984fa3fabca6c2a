//! The rewriting walk on two threads: the document's top levels walked here, the subtrees below them shared out between two threads, and what each found put back in the order one walk finds it.
//!
//! The walk changes each node from what the node itself holds, so two subtrees can be walked
//! apart. A document's bulk sits below its third level (each component schema, each path
//! item's operations), in thousands of subtrees, which two threads take one at a time.

use super::{Walk, child_key, visit_object, walk};
use crate::diagnostics::{pointer_enter_index, pointer_push};
use serde_json::Value;
use std::sync::Mutex;

/// Nodes this many levels down or deeper are inside a shared-out subtree; those above it are
/// walked here, first (root, `components`, `schemas` … each schema is a subtree).
const SHARED_FROM_DEPTH: usize = 3;

/// A subtree left for the threads, with the slot its findings go in.
struct Subtree<'a> {
    slot: usize,
    value: &'a mut Value,
    pointer: String,
    parent_key: &'a str,
}

/// Walks the whole document, as `walk` from its root does, and returns what it found in the
/// same order.
pub(super) fn walk_document(document: &mut Value) -> Walk {
    // The findings in walk order: each node above the shared level fills its slot here, each
    // subtree's slot is filled by whichever thread walks it.
    let mut slots: Vec<Option<Walk>> = Vec::new();
    let mut subtrees = Vec::new();
    split(document, String::new(), "", 0, &mut slots, &mut subtrees);
    let queue = Mutex::new(subtrees);
    let take_and_walk = || {
        let mut walked = Vec::new();
        // A poisoned queue means the other thread panicked, which `both` passes on.
        while let Some(subtree) = queue.lock().ok().and_then(|mut queue| queue.pop()) {
            let mut state = Walk::at(subtree.pointer);
            walk(subtree.value, &mut state, subtree.parent_key);
            walked.push((subtree.slot, state));
        }
        walked
    };
    let (first, second) = crate::parallel::both("normalize-walk", take_and_walk, take_and_walk);
    for (slot, state) in first.into_iter().chain(second) {
        if let Some(place) = slots.get_mut(slot) {
            *place = Some(state);
        }
    }
    let mut all = Walk::default();
    for state in slots.into_iter().flatten() {
        all.extend(state);
    }
    all
}

/// Walks `value` here if it is above the shared level (noting its findings in a slot of its
/// own, before its members'), else sets it aside as a subtree.
fn split<'a>(
    value: &'a mut Value,
    mut pointer: String,
    parent_key: &'a str,
    depth: usize,
    slots: &mut Vec<Option<Walk>>,
    subtrees: &mut Vec<Subtree<'a>>,
) {
    if depth >= SHARED_FROM_DEPTH {
        subtrees.push(Subtree {
            slot: slots.len(),
            value,
            pointer,
            parent_key,
        });
        slots.push(None);
        return;
    }
    match value {
        Value::Object(object) => {
            let mut own = Walk::at(pointer);
            let is_name_map = visit_object(object, &mut own, parent_key);
            pointer = std::mem::take(&mut own.pointer);
            slots.push(Some(own));
            for (key, child) in object.iter_mut() {
                let Some(child_key) = child_key(is_name_map, key) else {
                    continue;
                };
                let child_pointer = pointer_push(&pointer, key);
                split(child, child_pointer, child_key, depth + 1, slots, subtrees);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter_mut().enumerate() {
                let mut item_pointer = pointer.clone();
                pointer_enter_index(&mut item_pointer, index);
                split(item, item_pointer, "", depth + 1, slots, subtrees);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shared walk changes every real document (as loaded, before any other rewrite)
    /// exactly as one walk does, and finds the same warnings and mappings in the same order.
    #[test]
    fn the_shared_walk_is_the_single_walk() -> Result<(), String> {
        let (mut compared, mut warnings, mut mappings) = (0, 0, 0);
        crate::real_documents::each_loaded(|name, document| {
            let mut single = document.clone();
            let mut by_one = Walk::default();
            walk(&mut single, &mut by_one, "");
            let mut shared = document;
            let by_two = walk_document(&mut shared);
            assert!(single == shared, "{name}: the walked documents differ");
            assert_eq!(by_one.warnings, by_two.warnings, "{name}");
            let listed = |walk: &Walk| format!("{:?}", walk.mappings);
            assert_eq!(listed(&by_one), listed(&by_two), "{name}");
            compared += 1;
            warnings += by_one.warnings.len();
            mappings += by_one.mappings.len();
        })?;
        // Enough documents, and ones where the walk finds something, for this to mean much.
        assert!(compared >= 20, "only {compared} documents");
        assert!(
            warnings > 0 && mappings > 0,
            "{warnings} warnings, {mappings} mappings"
        );
        Ok(())
    }
}
