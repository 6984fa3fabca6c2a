//! `paths` read one path item at a time, the schemas inside each read directly ([`crate::schema::read`]) and set aside ([`InlineSchemas`]), and only the frame around them (operations, parameters, bodies, responses) read by `openapiv3`.
//!
//! Every schema set aside must be found marked exactly once in the typed path item, and
//! anything the direct reader leaves to `openapiv3` makes the whole reading fall back to
//! `openapiv3`: `None`, and the caller reads the document as before.

use crate::schema::inline::InlineSchemas;
use crate::schema::read;
use openapiv3::{
    Header, MediaType, Operation, Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr,
    Schema,
};
use serde::Deserialize;
use serde_json::{Map, Value};

/// The methods a path item holds operations under, as `openapiv3` names them.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// `paths` read as `openapiv3::Paths` reads it (members whose key starts with `/` are path
/// items, those starting with `x-` extensions, the rest ignored; the shape check has refused
/// any other key by now), without serde's buffered copy of the whole mapping, and with the
/// schemas read directly. `None` where `openapiv3` must read the document instead.
pub fn parse_paths(
    members: Map<String, Value>,
    inline: &mut InlineSchemas,
) -> Option<openapiv3::Paths> {
    let mut paths = openapiv3::Paths::default();
    paths.paths.reserve(members.len());
    for (key, mut value) in members {
        if key.starts_with('/') {
            let first = inline.len();
            set_aside_in_path_item(&mut value, inline).ok()?;
            let mut item = path_item_or_reference(value)?;
            let mut found = vec![false; inline.len() - first];
            let mut stray = false;
            if let ReferenceOr::Item(item) = &mut item {
                for_each_schema_in_path_item(item, &mut |schema| {
                    let Some(number) = InlineSchemas::marker_of(schema) else {
                        return;
                    };
                    match number.checked_sub(first).and_then(|at| found.get_mut(at)) {
                        Some(seen) if !*seen => *seen = true,
                        _ => stray = true,
                    }
                });
            }
            (!stray && found.iter().all(|seen| *seen)).then_some(())?;
            paths.paths.insert(key, item);
        } else if key.starts_with("x-") {
            paths.extensions.insert(key, value);
        }
    }
    Some(paths)
}

/// A path item, or a reference to one, as `openapiv3`'s `ReferenceOr<PathItem>` reads it.
///
/// That type is an untagged enum: serde copies the whole value into its buffered form to try
/// each variant on the copy, which was most of what reading a path cost. Its first variant
/// takes any mapping whose `$ref` is a string (the other keys ignored); anything else is read
/// as a path item. So the one check is made here and the value read once.
fn path_item_or_reference(value: Value) -> Option<ReferenceOr<PathItem>> {
    if let Some(Value::String(reference)) = value.get("$ref") {
        return Some(ReferenceOr::Reference {
            reference: reference.clone(),
        });
    }
    PathItem::deserialize(value).ok().map(ReferenceOr::Item)
}

type Read = Result<(), read::Unreadable>;

// Taking the schemas out of a path item's value, at every place `openapiv3` reads one.

fn set_aside_in_path_item(item: &mut Value, aside: &mut InlineSchemas) -> Read {
    let Some(members) = unreferenced_members(item) else {
        return Ok(());
    };
    for (key, value) in members.iter_mut() {
        if METHODS.contains(&key.as_str()) {
            set_aside_in_operation(value, aside)?;
        } else if key == "parameters" {
            for parameter in list_items(value) {
                set_aside_in_parameter(parameter, aside)?;
            }
        }
    }
    Ok(())
}

fn set_aside_in_operation(operation: &mut Value, aside: &mut InlineSchemas) -> Read {
    let Some(members) = operation.as_object_mut() else {
        return Ok(());
    };
    for (key, value) in members.iter_mut() {
        match key.as_str() {
            "parameters" => {
                for parameter in list_items(value) {
                    set_aside_in_parameter(parameter, aside)?;
                }
            }
            "requestBody" => {
                if let Some(body) = unreferenced_members(value) {
                    set_aside_in_content_of(body, aside)?;
                }
            }
            "responses" => {
                // Members named `x-…` are the responses' extensions, kept as they are written.
                for (code, response) in map_members(value) {
                    if !code.starts_with("x-") {
                        set_aside_in_response(response, aside)?;
                    }
                }
            }
            "callbacks" => {
                for (_, callback) in map_members(value) {
                    for (_, item) in map_members(callback) {
                        set_aside_in_path_item(item, aside)?;
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn set_aside_in_response(response: &mut Value, aside: &mut InlineSchemas) -> Read {
    let Some(members) = unreferenced_members(response) else {
        return Ok(());
    };
    if let Some(headers) = members.get_mut("headers") {
        for (_, header) in map_members(headers) {
            set_aside_in_parameter(header, aside)?;
        }
    }
    set_aside_in_content_of(members, aside)
}

/// A parameter or a header: a `schema`, or a `content` of media types.
fn set_aside_in_parameter(parameter: &mut Value, aside: &mut InlineSchemas) -> Read {
    let Some(members) = unreferenced_members(parameter) else {
        return Ok(());
    };
    if let Some(schema) = members.get_mut("schema") {
        set_aside(schema, aside)?;
    }
    set_aside_in_content_of(members, aside)
}

/// The media types of an object's `content`: each one's schema, and the headers of its encodings.
fn set_aside_in_content_of(object: &mut Map<String, Value>, aside: &mut InlineSchemas) -> Read {
    let Some(content) = object.get_mut("content") else {
        return Ok(());
    };
    for (_, media_type) in map_members(content) {
        let Some(media_type) = media_type.as_object_mut() else {
            continue;
        };
        if let Some(schema) = media_type.get_mut("schema") {
            set_aside(schema, aside)?;
        }
        if let Some(encodings) = media_type.get_mut("encoding") {
            for (_, encoding) in map_members(encodings) {
                if let Some(headers) = encoding.get_mut("headers") {
                    for (_, header) in map_members(headers) {
                        set_aside_in_parameter(header, aside)?;
                    }
                }
            }
        }
    }
    Ok(())
}

/// A schema that is a mapping and no reference is read now, and a marked empty one left in its
/// place; references (cheap for `openapiv3`) and values of other types stay for `openapiv3`.
fn set_aside(slot: &mut Value, aside: &mut InlineSchemas) -> Read {
    if unreferenced_members(slot).is_none() {
        return Ok(());
    }
    let schema = read::schema_or_reference(std::mem::take(slot))?;
    *slot = aside.set_aside(schema);
    Ok(())
}

/// An object's members, unless it is a reference: a `$ref` that is a string makes any object
/// a reference for `openapiv3`, whatever else it holds.
fn unreferenced_members(value: &mut Value) -> Option<&mut Map<String, Value>> {
    let members = value.as_object_mut()?;
    (!matches!(members.get("$ref"), Some(Value::String(_)))).then_some(members)
}

fn map_members(value: &mut Value) -> impl Iterator<Item = (&String, &mut Value)> {
    value
        .as_object_mut()
        .into_iter()
        .flat_map(|members| members.iter_mut())
}

fn list_items(value: &mut Value) -> impl Iterator<Item = &mut Value> {
    value.as_array_mut().into_iter().flatten()
}

// Every schema of a typed path item, where `openapiv3` put the marked ones.

fn for_each_schema_in_path_item(
    item: &mut PathItem,
    visit: &mut impl FnMut(&mut ReferenceOr<Schema>),
) {
    let operations = [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.options,
        &mut item.head,
        &mut item.patch,
        &mut item.trace,
    ];
    for operation in operations.into_iter().flatten() {
        for_each_schema_in_operation(operation, visit);
    }
    for_each_schema_in_parameters(&mut item.parameters, visit);
}

fn for_each_schema_in_operation(
    operation: &mut Operation,
    visit: &mut impl FnMut(&mut ReferenceOr<Schema>),
) {
    for_each_schema_in_parameters(&mut operation.parameters, visit);
    if let Some(ReferenceOr::Item(body)) = &mut operation.request_body {
        for_each_schema_in_content(&mut body.content, visit);
    }
    let responses = &mut operation.responses;
    for response in responses
        .default
        .iter_mut()
        .chain(responses.responses.values_mut())
    {
        if let ReferenceOr::Item(response) = response {
            for_each_schema_in_headers(response.headers.values_mut(), visit);
            for_each_schema_in_content(&mut response.content, visit);
        }
    }
    for callback in operation.callbacks.values_mut() {
        for item in callback.values_mut() {
            for_each_schema_in_path_item(item, visit);
        }
    }
}

fn for_each_schema_in_parameters(
    parameters: &mut [ReferenceOr<Parameter>],
    visit: &mut impl FnMut(&mut ReferenceOr<Schema>),
) {
    for parameter in parameters {
        if let ReferenceOr::Item(parameter) = parameter {
            let data = match parameter {
                Parameter::Query { parameter_data, .. }
                | Parameter::Header { parameter_data, .. }
                | Parameter::Path { parameter_data, .. }
                | Parameter::Cookie { parameter_data, .. } => parameter_data,
            };
            for_each_schema_in_format(&mut data.format, visit);
        }
    }
}

fn for_each_schema_in_headers<'a>(
    headers: impl Iterator<Item = &'a mut ReferenceOr<Header>>,
    visit: &mut impl FnMut(&mut ReferenceOr<Schema>),
) {
    for header in headers {
        if let ReferenceOr::Item(header) = header {
            for_each_schema_in_format(&mut header.format, visit);
        }
    }
}

fn for_each_schema_in_format(
    format: &mut ParameterSchemaOrContent,
    visit: &mut impl FnMut(&mut ReferenceOr<Schema>),
) {
    match format {
        ParameterSchemaOrContent::Schema(schema) => visit(schema),
        ParameterSchemaOrContent::Content(content) => for_each_schema_in_content(content, visit),
    }
}

fn for_each_schema_in_content(
    content: &mut indexmap::IndexMap<String, MediaType>,
    visit: &mut impl FnMut(&mut ReferenceOr<Schema>),
) {
    for media_type in content.values_mut() {
        if let Some(schema) = &mut media_type.schema {
            visit(schema);
        }
        for encoding in media_type.encoding.values_mut() {
            for_each_schema_in_headers(encoding.headers.values_mut(), visit);
        }
    }
}

/// The set-aside schemas put back where their markers stand: the typed document `openapiv3`
/// reads, for tests that compare the two readings.
#[cfg(test)]
pub fn put_back(paths: &mut openapiv3::Paths, inline: InlineSchemas) {
    let mut schemas: Vec<_> = inline.into_widened().into_iter().map(Some).collect();
    for item in paths.paths.values_mut() {
        if let ReferenceOr::Item(item) = item {
            for_each_schema_in_path_item(item, &mut |schema| {
                let number = InlineSchemas::marker_of(schema);
                if let Some(set_aside) = number
                    .and_then(|n| schemas.get_mut(n))
                    .and_then(Option::take)
                {
                    *schema = set_aside;
                }
            });
        }
    }
}

#[cfg(test)]
mod tests;
