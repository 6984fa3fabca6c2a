//! Parameter lowering: an operation's parameters (path-level and its own) in, typed [`Param`]s out, each with its location and how it goes on the wire (style, explode, allowReserved, or JSON for `content`), split into path, required and optional.
//!
//! The defaults are the specification's: `simple` for path and header, `form` for query and
//! cookie, `explode` true only for `form`. Header parameters named `Accept`, `Content-Type` or
//! `Authorization` are ignored, as the specification says; the client sets those itself.

use super::Document;
use super::types::{NameSource, TypeLowerer};
use crate::diagnostics::{Diagnostic, pointer_push};
use crate::ir::*;
use crate::naming;
use openapiv3::{
    CookieStyle, HeaderStyle, Parameter, ParameterSchemaOrContent, PathStyle, QueryStyle,
    ReferenceOr,
};

/// An operation's parameters, split the way its method takes them.
#[derive(Default)]
pub(super) struct SplitParams {
    /// In the path template's order.
    pub path: Vec<Param>,
    pub required: Vec<Param>,
    pub optional: Vec<Param>,
}

/// Where the operation is, for names and diagnostics.
pub(super) struct Site<'a> {
    /// The operation's pointer (`/paths/~1a/get`).
    pub pointer: &'a str,
    pub path: &'a str,
    /// The operation's type-name stem (`GetItem`), for inline parameter schemas.
    pub base_name: &'a str,
    pub label: &'a str,
}

/// Parameter and argument names the generated method itself uses, or that a setter of that
/// name would shadow (`XParams::default()` must stay the trait's).
const RESERVED: &[&str] = &[
    "params", "page", "body", "request", "path", "form", "status", "default", "clone", "fmt", "eq",
    "ne", "into", "from",
];

/// Lowers path-level then operation-level parameters; an operation's declaration replaces a
/// path-level one with the same name and location.
pub(super) fn lower_parameters(
    api: Document<'_>,
    types: &mut TypeLowerer<'_>,
    site: &Site<'_>,
    shared: &[ReferenceOr<Parameter>],
    own: &[ReferenceOr<Parameter>],
) -> SplitParams {
    let item_pointer = site
        .pointer
        .rsplit_once('/')
        .map(|(item, _)| item.to_owned())
        .unwrap_or_default();
    let shared = shared.iter().enumerate().map(|(i, p)| {
        let pointer = pointer_push(&pointer_push(&item_pointer, "parameters"), &i.to_string());
        (pointer, p)
    });
    let own = own.iter().enumerate().map(|(i, p)| {
        let pointer = pointer_push(&pointer_push(site.pointer, "parameters"), &i.to_string());
        (pointer, p)
    });
    let mut all: Vec<Param> = Vec::new();
    for (pointer, parameter) in shared.chain(own) {
        let Some(parameter) = resolve_parameter(api.openapi, parameter) else {
            types.diagnostics.push(
                Diagnostic::error(pointer, "parameter reference does not resolve")
                    .in_context(site.label.to_owned()),
            );
            continue;
        };
        let Some(param) = lower_parameter(types, site, &pointer, parameter) else {
            continue;
        };
        all.retain(|p| p.wire != param.wire || p.location != param.location);
        all.push(param);
    }
    // Names are given after overrides are settled, in declaration order.
    let mut names = naming::Namespace::with_reserved(RESERVED);
    for param in &mut all {
        param.rust =
            naming::escape_identifier(names.claim_owned(naming::snake_name(&param.wire), true));
    }

    let mut split = SplitParams::default();
    for param in all {
        match (param.location, param.required) {
            (ParamLocation::Path, _) => split.path.push(param),
            (_, true) => split.required.push(param),
            (_, false) => split.optional.push(param),
        }
    }
    // Path parameters follow the template's order, which is the order callers expect.
    let template = crate::validate::template_names(site.path);
    split.path.sort_by_key(|p| {
        template
            .iter()
            .position(|n| *n == p.wire)
            .unwrap_or(usize::MAX)
    });
    split
}

fn lower_parameter(
    types: &mut TypeLowerer<'_>,
    site: &Site<'_>,
    pointer: &str,
    parameter: &Parameter,
) -> Option<Param> {
    let data = parameter.parameter_data_ref();
    let (location, style) = match parameter {
        Parameter::Path { style, .. } => (
            ParamLocation::Path,
            match style {
                PathStyle::Simple => ParamStyle::Simple,
                PathStyle::Label => ParamStyle::Label,
                PathStyle::Matrix => ParamStyle::Matrix,
            },
        ),
        Parameter::Query { style, .. } => (
            ParamLocation::Query,
            match style {
                QueryStyle::Form => ParamStyle::Form,
                QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
                QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
                QueryStyle::DeepObject => ParamStyle::DeepObject,
            },
        ),
        Parameter::Header {
            style: HeaderStyle::Simple,
            ..
        } => (ParamLocation::Header, ParamStyle::Simple),
        Parameter::Cookie {
            style: CookieStyle::Form,
            ..
        } => (ParamLocation::Cookie, ParamStyle::Form),
    };
    if location == ParamLocation::Header
        && ["accept", "content-type", "authorization"].contains(&data.name.to_lowercase().as_str())
    {
        types.diagnostics.push(
            Diagnostic::warning(
                pointer,
                format!(
                    "header parameter `{}` is ignored, as the specification says; the client sets it",
                    data.name
                ),
            )
            .in_context(site.label.to_owned()),
        );
        return None;
    }
    let hint = || {
        NameSource::Fixed(format!(
            "{}{}",
            site.base_name,
            naming::type_name(&data.name)
        ))
    };
    let (lowered, encoding) = match &data.format {
        ParameterSchemaOrContent::Schema(schema) => {
            let inline = types.api.inline;
            let schema = inline.compact(schema);
            let lowered = types.lower_ref(&schema, hint(), &pointer_push(pointer, "schema"));
            let allow_reserved = matches!(
                parameter,
                Parameter::Query {
                    allow_reserved: true,
                    ..
                }
            );
            let encoding = ParamEncoding::Style {
                style,
                explode: data.explode.unwrap_or(style == ParamStyle::Form),
                allow_reserved,
            };
            (Some(lowered), encoding)
        }
        ParameterSchemaOrContent::Content(content) => {
            let json = content
                .iter()
                .find(|(media, _)| is_json(media))
                .or_else(|| content.first());
            match json {
                Some((media, media_type)) if is_json(media) => {
                    let media_pointer =
                        pointer_push(&pointer_push(pointer, "content"), media.as_str());
                    let lowered = media_type.schema.as_ref().map(|schema| {
                        let inline = types.api.inline;
                        let schema = inline.compact(schema);
                        types.lower_ref(&schema, hint(), &pointer_push(&media_pointer, "schema"))
                    });
                    let encoding = ParamEncoding::Json {
                        media_type: media.clone(),
                    };
                    (lowered, encoding)
                }
                // Another media type (`text/plain`…): the caller supplies the text, sent as a
                // plain value in the location's default style.
                _ => {
                    let encoding = ParamEncoding::Style {
                        style,
                        explode: style == ParamStyle::Form,
                        allow_reserved: false,
                    };
                    let text = super::types::Lowered {
                        ty: TypeRef::String,
                        nullable: false,
                        doc: None,
                    };
                    (Some(text), encoding)
                }
            }
        }
    };
    let (ty, nullable) = match lowered {
        Some(lowered) => (lowered.ty, lowered.nullable),
        None => (TypeRef::Any, false),
    };
    // A required parameter that may be null is an `Option` argument (`None` sends nothing);
    // an optional one is an `Option` field anyway, and a path parameter is always sent.
    let ty = if nullable && data.required && location != ParamLocation::Path {
        TypeRef::Option(Box::new(ty))
    } else {
        ty
    };
    Some(Param {
        location,
        wire: data.name.clone(),
        rust: String::new(),
        ty,
        doc: data.description.clone(),
        // Path parameters are always required, whatever the document says.
        required: data.required || location == ParamLocation::Path,
        encoding,
    })
}

fn is_json(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or_default().trim();
    essence == "application/json" || essence.ends_with("+json")
}

/// A parameter, or the component parameter its `$ref` names (one level: a reference to a
/// reference is not followed). Shared with the validate stage.
pub(crate) fn resolve_parameter<'a>(
    api: &'a openapiv3::OpenAPI,
    parameter: &'a ReferenceOr<Parameter>,
) -> Option<&'a Parameter> {
    match parameter {
        ReferenceOr::Item(item) => Some(item),
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/parameters/")?;
            match api.components.as_ref()?.parameters.get(name)? {
                ReferenceOr::Item(item) => Some(item),
                ReferenceOr::Reference { .. } => None,
            }
        }
    }
}
