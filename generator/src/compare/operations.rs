//! The resources half of the comparison: operation groups matched by handle type, operations by method name, then each method's arguments, parameters, body and result.

use super::render::{operation_pointer, type_ref};
use super::types::change;
use super::{Change, Names, Rule, Side};
use crate::ir::{Body, BodyEncoding, Group, Model, Operation, Param, Response, TypeRef};
use std::collections::BTreeMap;

/// Emits the changes between the operation groups of two models.
pub(super) fn compare_groups(old: &Model, new: &Model, names: Names<'_>, out: &mut Vec<Change>) {
    let by_name = |model: &'_ Model| -> BTreeMap<String, usize> {
        model
            .groups
            .iter()
            .enumerate()
            .map(|(index, group)| (group.type_name.clone(), index))
            .collect()
    };
    let (old_groups, new_groups) = (by_name(old), by_name(new));
    let pair = Pair { old, new, names };
    for (name, &index) in &old_groups {
        let before = &old.groups[index];
        match new_groups.get(name) {
            None => out.push(change(
                Rule::GroupRemoved,
                names.resource(name),
                format!(
                    "tag `{}` and `Client::{}` removed, with {} operations",
                    before.tag,
                    before.accessor,
                    before.operations.len()
                ),
                &group_pointer(before),
                Side::Old,
            )),
            Some(&index) => pair.compare_group(before, &new.groups[index], out),
        }
    }
    for (name, &index) in &new_groups {
        if !old_groups.contains_key(name) {
            let after = &new.groups[index];
            out.push(change(
                Rule::GroupAdded,
                names.resource(name),
                format!(
                    "tag `{}`: `Client::{}` with {} operations",
                    after.tag,
                    after.accessor,
                    after.operations.len()
                ),
                &group_pointer(after),
                Side::New,
            ));
        }
    }
}

fn group_pointer(group: &Group) -> String {
    group
        .operations
        .first()
        .map_or_else(|| "/tags".to_owned(), pointer)
}

fn pointer(operation: &Operation) -> String {
    operation_pointer(&operation.path, &operation.method)
}

#[derive(Clone, Copy)]
struct Pair<'a> {
    old: &'a Model,
    new: &'a Model,
    names: Names<'a>,
}

impl Pair<'_> {
    fn compare_group(&self, before: &Group, after: &Group, out: &mut Vec<Change>) {
        let group_item = self.names.resource(&after.type_name);
        if before.doc != after.doc {
            out.push(change(
                Rule::DocsChanged,
                group_item.clone(),
                format!("the description of tag `{}`", after.tag),
                "/tags",
                Side::New,
            ));
        }
        let by_name = |group: &'_ Group| -> BTreeMap<String, usize> {
            group
                .operations
                .iter()
                .enumerate()
                .map(|(index, op)| (op.rust_name.clone(), index))
                .collect()
        };
        let (old_ops, new_ops) = (by_name(before), by_name(after));
        for (name, &index) in &old_ops {
            let a = &before.operations[index];
            let item = format!("{group_item}::{name}");
            match new_ops.get(name) {
                None => out.push(change(
                    Rule::OperationRemoved,
                    item,
                    format!("`{} {}` removed", a.method.to_uppercase(), a.path),
                    &pointer(a),
                    Side::Old,
                )),
                Some(&index) => self.compare_operation(&item, a, &after.operations[index], out),
            }
        }
        for (name, &index) in &new_ops {
            if !old_ops.contains_key(name) {
                let b = &after.operations[index];
                out.push(change(
                    Rule::OperationAdded,
                    format!("{group_item}::{name}"),
                    format!("new `{} {}`", b.method.to_uppercase(), b.path),
                    &pointer(b),
                    Side::New,
                ));
            }
        }
    }

    fn compare_operation(&self, item: &str, a: &Operation, b: &Operation, out: &mut Vec<Change>) {
        let here = pointer(b);
        if a.method != b.method || a.path != b.path {
            out.push(change(
                Rule::RequestTargetChanged,
                item.to_owned(),
                format!(
                    "`{} {}` → `{} {}`",
                    a.method.to_uppercase(),
                    a.path,
                    b.method.to_uppercase(),
                    b.path
                ),
                &here,
                Side::New,
            ));
        }
        if (&a.summary, &a.description) != (&b.summary, &b.description)
            || a.operation_id != b.operation_id
        {
            out.push(change(
                Rule::DocsChanged,
                item.to_owned(),
                "the operation's summary, description or id".to_owned(),
                &here,
                Side::New,
            ));
        }
        if a.deprecated != b.deprecated {
            let now = if b.deprecated { "now" } else { "no longer" };
            out.push(change(
                Rule::DeprecationChanged,
                item.to_owned(),
                format!("{now} deprecated"),
                &here,
                Side::New,
            ));
        }
        let (args_a, args_b) = (self.arguments(self.old, a), self.arguments(self.new, b));
        if args_a != args_b {
            out.push(change(
                Rule::ArgumentsChanged,
                item.to_owned(),
                format!("`({})` → `({})`", args_a.join(", "), args_b.join(", ")),
                &format!("{here}/parameters"),
                Side::New,
            ));
        }
        self.compare_optional(item, a, b, &here, out);
        self.compare_body(item, a.body.as_ref(), b.body.as_ref(), &here, out);
        self.compare_response(item, a, b, &here, out);
    }

    /// The method's arguments as the emitter writes them (path ids, required parameters, the
    /// body), each `name: type`; the body's type is compared apart.
    fn arguments(&self, model: &Model, operation: &Operation) -> Vec<String> {
        let mut args: Vec<String> = operation
            .path_params
            .iter()
            .map(|p| match &p.ty {
                TypeRef::String | TypeRef::Any => format!("{}: &str", p.rust),
                other => format!("{}: {}", p.rust, type_ref(model, other)),
            })
            .collect();
        args.extend(
            operation
                .required_params
                .iter()
                .map(|p| format!("{}: {}", p.rust, type_ref(model, &p.ty))),
        );
        if operation.body.is_some() {
            args.push("body".to_owned());
        }
        args
    }

    /// Optional parameters live in a params struct taken by a `…_with` method: the first one
    /// adds that method (additive), the last one removed takes it away (breaking).
    fn compare_optional(
        &self,
        item: &str,
        a: &Operation,
        b: &Operation,
        here: &str,
        out: &mut Vec<Change>,
    ) {
        let pointer = format!("{here}/parameters");
        let group = item.rsplit_once("::").map_or(item, |(group, _)| group);
        match (&a.optional_params, &b.optional_params) {
            (None, None) => {}
            (Some(old), None) => out.push(change(
                Rule::ParamRemoved,
                format!("{group}::{}", old.method_name),
                format!(
                    "every optional parameter removed, and `{}` with them",
                    old.type_name
                ),
                &pointer,
                Side::Old,
            )),
            (None, Some(new)) => {
                for param in &new.params {
                    out.push(change(
                        Rule::ParamAddedOptional,
                        self.names
                            .resource(&format!("{}::{}", new.type_name, param.rust)),
                        format!(
                            "new parameter `{}`: `{}`, set through the new `{}`",
                            param.wire,
                            type_ref(self.new, &param.ty),
                            new.method_name
                        ),
                        &pointer,
                        Side::New,
                    ));
                }
            }
            (Some(old), Some(new))
                if old.type_name != new.type_name || old.method_name != new.method_name =>
            {
                out.push(change(
                    Rule::ArgumentsChanged,
                    format!("{group}::{}", old.method_name),
                    format!(
                        "`{}({})` → `{}({})`",
                        old.method_name, old.type_name, new.method_name, new.type_name
                    ),
                    &pointer,
                    Side::New,
                ));
            }
            (Some(old), Some(new)) => {
                let params_item = self.names.resource(&new.type_name);
                self.compare_params(&params_item, &old.params, &new.params, &pointer, out);
            }
        }
        // A parameter that moved between the arguments and the params struct.
        for param in &a.required_params {
            let now_optional = b
                .optional_params
                .as_ref()
                .is_some_and(|o| o.params.iter().any(|p| p.rust == param.rust));
            if now_optional {
                out.push(change(
                    Rule::ParamRequirednessChanged,
                    item.to_owned(),
                    format!("`{}` is now optional (in the params struct)", param.wire),
                    &pointer,
                    Side::New,
                ));
            }
        }
        for param in &b.required_params {
            let was_optional = a
                .optional_params
                .as_ref()
                .is_some_and(|o| o.params.iter().any(|p| p.rust == param.rust));
            if was_optional {
                out.push(change(
                    Rule::ParamRequirednessChanged,
                    item.to_owned(),
                    format!("`{}` is now required (an argument)", param.wire),
                    &pointer,
                    Side::New,
                ));
            }
        }
    }

    fn compare_params(
        &self,
        item: &str,
        before: &[Param],
        after: &[Param],
        pointer: &str,
        out: &mut Vec<Change>,
    ) {
        let old: BTreeMap<&str, &Param> = before.iter().map(|p| (p.rust.as_str(), p)).collect();
        let new: BTreeMap<&str, &Param> = after.iter().map(|p| (p.rust.as_str(), p)).collect();
        for (name, a) in &old {
            let param_item = format!("{item}::{name}");
            let Some(b) = new.get(name) else {
                out.push(change(
                    Rule::ParamRemoved,
                    param_item,
                    format!("parameter `{}` removed", a.wire),
                    pointer,
                    Side::Old,
                ));
                continue;
            };
            let (ta, tb) = (type_ref(self.old, &a.ty), type_ref(self.new, &b.ty));
            if ta != tb {
                out.push(change(
                    Rule::ParamTypeChanged,
                    param_item.clone(),
                    format!("`{ta}` → `{tb}`"),
                    pointer,
                    Side::New,
                ));
            }
            if a.required != b.required {
                let now = if b.required { "required" } else { "optional" };
                out.push(change(
                    Rule::ParamRequirednessChanged,
                    param_item.clone(),
                    format!("`{}` is now {now}", b.wire),
                    pointer,
                    Side::New,
                ));
            }
            if a.wire != b.wire || a.location != b.location {
                out.push(change(
                    Rule::FieldWireNameChanged,
                    param_item.clone(),
                    format!("sent as `{}` instead of `{}`", b.wire, a.wire),
                    pointer,
                    Side::New,
                ));
            }
            if a.doc != b.doc {
                out.push(change(
                    Rule::DocsChanged,
                    param_item,
                    "the parameter's description".to_owned(),
                    pointer,
                    Side::New,
                ));
            }
        }
        for (name, b) in &new {
            if !old.contains_key(name) {
                let rule = if b.required {
                    Rule::ParamAddedRequired
                } else {
                    Rule::ParamAddedOptional
                };
                out.push(change(
                    rule,
                    format!("{item}::{name}"),
                    format!(
                        "new parameter `{}`: `{}`",
                        b.wire,
                        type_ref(self.new, &b.ty)
                    ),
                    pointer,
                    Side::New,
                ));
            }
        }
    }

    fn compare_body(
        &self,
        item: &str,
        before: Option<&Body>,
        after: Option<&Body>,
        here: &str,
        out: &mut Vec<Change>,
    ) {
        let pointer = format!("{here}/requestBody");
        let argument = |model: &Model, body: &Body| match body.encoding {
            BodyEncoding::Binary => "Bytes".to_owned(),
            _ => format!("&{}", type_ref(model, &body.ty)),
        };
        match (before, after) {
            (None, None) => {}
            (Some(a), None) => out.push(change(
                Rule::BodyChanged,
                item.to_owned(),
                format!("body `{}` removed", argument(self.old, a)),
                &pointer,
                Side::Old,
            )),
            (None, Some(b)) => out.push(change(
                Rule::BodyChanged,
                item.to_owned(),
                format!("new body argument `{}`", argument(self.new, b)),
                &pointer,
                Side::New,
            )),
            (Some(a), Some(b)) => {
                let (ta, tb) = (argument(self.old, a), argument(self.new, b));
                if ta != tb {
                    out.push(change(
                        Rule::BodyChanged,
                        item.to_owned(),
                        format!("body `{ta}` → `{tb}`"),
                        &pointer,
                        Side::New,
                    ));
                } else if a.encoding != b.encoding {
                    out.push(change(
                        Rule::BodyEncodingChanged,
                        item.to_owned(),
                        format!("sent as {:?} instead of {:?}", b.encoding, a.encoding),
                        &pointer,
                        Side::New,
                    ));
                }
            }
        }
    }

    fn compare_response(
        &self,
        item: &str,
        a: &Operation,
        b: &Operation,
        here: &str,
        out: &mut Vec<Change>,
    ) {
        let pointer = format!("{here}/responses");
        let (ra, rb) = (
            returns(self.old, &a.response),
            returns(self.new, &b.response),
        );
        if ra != rb {
            out.push(change(
                Rule::ResponseChanged,
                item.to_owned(),
                format!("returns `{rb}` instead of `{ra}`"),
                &pointer,
                Side::New,
            ));
            return;
        }
        let (
            Response::Multi {
                type_name,
                variants: va,
            },
            Response::Multi { variants: vb, .. },
        ) = (&a.response, &b.response)
        else {
            return;
        };
        let enum_item = self.names.resource(type_name);
        let variants =
            |model: &Model, list: &[crate::ir::StatusVariant]| -> BTreeMap<String, String> {
                let mut map: BTreeMap<String, String> = list
                    .iter()
                    .map(|v| {
                        let payload =
                            v.ty.as_ref()
                                .map(|ty| type_ref(model, ty))
                                .unwrap_or_default();
                        (v.rust.clone(), payload)
                    })
                    .collect();
                if !list.iter().any(|v| v.status.is_none()) {
                    map.insert("Other".to_owned(), "{ status, body }".to_owned());
                }
                map
            };
        let (old, new) = (variants(self.old, va), variants(self.new, vb));
        for (name, payload) in &old {
            let variant = format!("{enum_item}::{name}");
            match new.get(name) {
                None => out.push(change(
                    Rule::VariantRemoved,
                    variant,
                    "success status removed".to_owned(),
                    &pointer,
                    Side::Old,
                )),
                Some(now) if now != payload => out.push(change(
                    Rule::VariantTypeChanged,
                    variant,
                    format!("holds `{now}` instead of `{payload}`"),
                    &pointer,
                    Side::New,
                )),
                Some(_) => {}
            }
        }
        for name in new.keys().filter(|name| !old.contains_key(*name)) {
            out.push(change(
                Rule::VariantAdded,
                format!("{enum_item}::{name}"),
                "new success status".to_owned(),
                &pointer,
                Side::New,
            ));
        }
    }
}

/// What the method returns, as the emitter writes it.
fn returns(model: &Model, response: &Response) -> String {
    match response {
        Response::Empty => "()".to_owned(),
        Response::Bytes => "Bytes".to_owned(),
        Response::Json(ty) => type_ref(model, ty),
        Response::List(ty) => format!("List<{}> (and a `_all` stream)", type_ref(model, ty)),
        Response::Multi { type_name, .. } => type_name.clone(),
    }
}
