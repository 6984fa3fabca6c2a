//! Method naming: a group's operations in, resource-style method names out (`get`, `list`, `create_refund`…, plus `list_with` for those with optional parameters), falling back to the snake_case operationId on any collision.

use crate::ir::*;
use crate::naming;
use heck::ToSnakeCase;
use std::collections::BTreeMap;

/// Resource-style names from the path shape and the operationId's verb; collisions fall back.
pub(super) fn assign_method_names(operations: &mut [Operation]) {
    let proposals: Vec<String> = operations.iter().map(resource_style_name).collect();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for name in &proposals {
        *counts.entry(name.as_str()).or_default() += 1;
    }
    let mut names = naming::Namespace::with_reserved(&["new", "client"]);
    for (operation, proposal) in operations.iter_mut().zip(&proposals) {
        let wanted =
            if counts.get(proposal.as_str()).copied().unwrap_or(0) > 1 || proposal.is_empty() {
                naming::snake_name(&operation.operation_id)
            } else {
                proposal.clone()
            };
        let wanted = if names.is_taken(&wanted) {
            naming::snake_name(&operation.operation_id)
        } else {
            wanted
        };
        operation.rust_name = naming::escape_identifier(names.claim(&wanted, true));
    }
    // The twin that takes the optional parameters comes after every plain name, so adding an
    // optional parameter to one operation never renames another's method.
    for operation in operations.iter_mut() {
        let plain = operation.rust_name.trim_start_matches("r#").to_owned();
        if let Some(params) = &mut operation.optional_params {
            params.method_name = names.claim(&format!("{plain}_with"), true);
        }
    }
}

fn resource_style_name(operation: &Operation) -> String {
    let verb = operation
        .operation_id
        .to_snake_case()
        .split('_')
        .next()
        .unwrap_or_default()
        .to_owned();
    let segments: Vec<&str> = operation
        .path
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let is_param = |s: &str| s.starts_with('{') && s.ends_with('}');
    let is_list = matches!(operation.response, Response::List(_));
    let method = operation.method.as_str();
    match segments.as_slice() {
        [collection] if !is_param(collection) => match method {
            "get" if is_list => "list".to_owned(),
            "post" => "create".to_owned(),
            _ => String::new(),
        },
        [collection, id] if !is_param(collection) && is_param(id) => match method {
            "get" => "get".to_owned(),
            "patch" | "put" => "update".to_owned(),
            "delete" if verb == "cancel" || verb == "delete" => verb,
            "delete" => "delete".to_owned(),
            _ => String::new(),
        },
        [collection, id, child] if !is_param(collection) && is_param(id) && !is_param(child) => {
            let child = naming::snake_name(child);
            match method {
                "get" if is_list => format!("list_{child}"),
                "get" => format!("get_{child}"),
                "post" if verb == "create" || operation.body.is_some() => {
                    format!("create_{}", naming::singular(&child))
                }
                "post" if verb == child => child,
                _ => String::new(),
            }
        }
        _ => String::new(),
    }
}
