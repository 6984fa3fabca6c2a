//! Lower stage: a validated typed document in (its component schemas in compact form, [`crate::schema`]), the [`Model`] IR out, with every name final and every field's presence decided.

mod boxing;
mod defaults;
mod enum_families;
mod method_names;
mod named;
mod operations;
mod parameters;
mod variant_boxing;
pub(crate) use parameters::resolve_parameter;
mod responses;
mod schema_util;
mod shape_key;
mod types;
mod unions;

use crate::diagnostics::Diagnostic;
use crate::ir::*;
use crate::naming;
use crate::parse::Parsed;
use crate::schema::ComponentSchemas;
use crate::schema::inline::InlineSchemas;
use openapiv3::OpenAPI;
use operations::OperationsIn;
use std::collections::BTreeMap;
use types::{NameSource, Parent, TypeLowerer};

/// Whether lowering keeps [`Model::schema_sites`], the type of every schema by JSON pointer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sites {
    /// Keep them (the conformance check needs them).
    Record,
    /// Leave `schema_sites` empty (emitting never reads it).
    Skip,
}

/// What lowering reads: the typed document, its component schemas in compact form
/// ([`crate::schema`]; the document's own `components.schemas` is not read), and the schemas
/// the parse set aside from its operations (read them through `inline.compact`).
#[derive(Clone, Copy)]
pub(crate) struct Document<'a> {
    pub openapi: &'a OpenAPI,
    pub schemas: &'a ComponentSchemas,
    pub inline: &'a InlineSchemas,
}

/// Lowers the document; returns the model and the warnings (errors are returned as `Err`).
pub fn lower(api: &OpenAPI, sites: Sites) -> (Model, Vec<Diagnostic>) {
    let schemas = crate::schema::components_of(api);
    let document = Document {
        openapi: api,
        schemas: &schemas,
        inline: &InlineSchemas::default(),
    };
    lower_from(document, OperationsIn::Paths, sites)
}

/// [`lower`], taking the parsed document: its operations are moved out of the path items
/// first, so the path items' empty method slots are not held while lowering (see
/// `PathOperations`). The model is the same.
///
/// Once every schema and operation is read, the document and lowering's lookup tables are
/// freed on a second thread while the last passes (names, presence, boxing) run here: freeing
/// a big document's tens of thousands of schemas is pointer chasing that took a tenth of
/// lowering on one core (docs/PERFORMANCE.md).
pub fn lower_owned(parsed: Parsed, sites: Sites) -> (Model, Vec<Diagnostic>) {
    let Parsed {
        mut api,
        schemas,
        inline,
    } = parsed;
    naming::remembering_names(|| {
        let taken = operations::take_operations(&mut api.paths);
        let document = Document {
            openapi: &api,
            schemas: &schemas,
            inline: &inline,
        };
        let (read, leftovers) = read_all(document, OperationsIn::Taken(taken), sites);
        // The last passes name few things that were not named already; they name them afresh.
        let names = naming::take_remembered_names();
        let garbage = move || drop((api, schemas, inline, leftovers, names));
        std::thread::scope(|scope| {
            // Without a second thread, the garbage is freed here as the spawn fails.
            let _ = std::thread::Builder::new()
                .name("lower-free".to_owned())
                .spawn_scoped(scope, garbage);
            read.finish()
        })
    })
}

/// Lowers with the names it makes remembered (`naming::remembering_names`): a document
/// names the same properties and values over and over.
fn lower_from(
    api: Document<'_>,
    operations: OperationsIn,
    sites: Sites,
) -> (Model, Vec<Diagnostic>) {
    naming::remembering_names(|| read_all(api, operations, sites).0.finish())
}

/// Everything lowering makes while it reads the document, owned: nothing in it borrows the
/// document, which can be freed before [`Read::finish`].
struct Read {
    types: Vec<TypeDef>,
    sources: Vec<NameSource>,
    shared: Vec<bool>,
    field_flags: BTreeMap<TypeId, Vec<types::FieldFlags>>,
    groups: Vec<Group>,
    request_roots: Vec<TypeId>,
    diagnostics: Vec<Diagnostic>,
    sites: Option<BTreeMap<String, (TypeRef, bool)>>,
    title: String,
    description: Option<String>,
    version: String,
    /// The first server's URL with its variables' defaults, without a final `/`.
    base_url: String,
}

/// Reads every component schema and operation into a [`Read`]; the second half is the
/// lowerer's lookup tables, needed only while the document is read.
fn read_all(
    api: Document<'_>,
    operations: OperationsIn,
    sites: Sites,
) -> (Read, impl Send + 'static) {
    let mut lowerer = TypeLowerer::new(api, sites);
    lowerer.lower_components();
    let (groups, request_roots) = operations::lower_operations(api, operations, &mut lowerer);
    let base_url = api
        .openapi
        .servers
        .first()
        .map(|server| {
            let mut url = server.url.clone();
            for (name, variable) in server.variables.iter().flatten() {
                url = url.replace(&format!("{{{name}}}"), &variable.default);
            }
            url.trim_end_matches('/').to_owned()
        })
        .unwrap_or_default();
    let TypeLowerer {
        api: _,
        types,
        sources,
        shared,
        field_flags,
        components,
        all_of_stack,
        merging,
        dedup,
        enum_families,
        diagnostics,
        sites,
    } = lowerer;
    let read = Read {
        types,
        sources,
        shared,
        field_flags,
        groups,
        request_roots,
        diagnostics,
        sites,
        title: api.openapi.info.title.clone(),
        description: api.openapi.info.description.clone(),
        version: api.openapi.info.version.clone(),
        base_url,
    };
    (
        read,
        (components, all_of_stack, merging, dedup, enum_families),
    )
}

impl Read {
    /// The last passes, on the types alone: final names, request types, field presence,
    /// boxing, defaults, the parameter structs' names.
    fn finish(self) -> (Model, Vec<Diagnostic>) {
        let Read {
            mut types,
            sources,
            shared,
            field_flags,
            mut groups,
            request_roots,
            mut diagnostics,
            sites,
            title,
            description,
            version,
            base_url,
        } = self;
        assign_type_names(&mut types, &sources, &shared);
        mark_request_types(&mut types, &request_roots, &groups);
        decide_presence(&mut types, &field_flags);
        boxing::box_recursive_fields(&mut types);
        variant_boxing::box_object_variants(&mut types);
        defaults::decide_defaults(&mut types);
        name_params_types(&mut groups, &types);

        let uses_list = groups
            .iter()
            .flat_map(|g| &g.operations)
            .any(|o| matches!(o.response, Response::List(_)))
            || types.iter().any(|t| match &t.kind {
                TypeKind::Struct(s) => s.fields.iter().any(|f| contains_list(&f.ty)),
                _ => false,
            });
        if base_url.is_empty() || !base_url.contains("://") {
            diagnostics.push(Diagnostic::warning(
                "/servers",
                "no absolute server URL; callers must set `base_url` on the client builder",
            ));
        }
        let type_names = types.iter().map(|t| t.name.clone()).collect();
        let schema_sites = sites
            .unwrap_or_default()
            .into_iter()
            .map(|(pointer, (ty, nullable))| {
                let ty = if nullable && !matches!(ty, TypeRef::Option(_)) {
                    TypeRef::Option(Box::new(ty))
                } else {
                    ty
                };
                (pointer, ty)
            })
            .collect();
        let model = Model {
            title,
            description,
            version,
            base_url,
            types,
            groups,
            uses_list,
            type_names,
            schema_sites,
        };
        (model, diagnostics)
    }
}

fn contains_list(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::List(_) => true,
        TypeRef::Vec(inner)
        | TypeRef::Map(inner)
        | TypeRef::Option(inner)
        | TypeRef::Box(inner) => contains_list(inner),
        _ => false,
    }
}

/// Final names: components first (they keep their own names), then inline types in creation
/// order, each named after its (already named) parent; shapes shared by several parents take
/// the bare property name when it is free.
fn assign_type_names(types: &mut [TypeDef], sources: &[NameSource], shared: &[bool]) {
    let mut names = naming::Namespace::with_capacity(types.len());
    for (index, source) in sources.iter().enumerate() {
        if let NameSource::Component(name) = source {
            types[index].name = names.claim(&naming::type_name(name), false);
        }
    }
    // Names decided up front (request bodies, array-component items) come next: they are
    // derived from component and operation names, which outrank property paths.
    for (index, source) in sources.iter().enumerate() {
        if let NameSource::Fixed(name) = source {
            types[index].name = names.claim(name, false);
        }
    }
    for index in 0..types.len() {
        let wanted = match &sources[index] {
            NameSource::Component(_) | NameSource::Fixed(_) => continue,
            NameSource::Inline { parent, field } => {
                let field_name = naming::type_name(field);
                let Parent::Type(parent_id) = parent;
                let parent_name = types[parent_id.0].name.clone();
                if shared[index] && !names.is_taken(&field_name) {
                    field_name
                } else {
                    format!("{parent_name}{field_name}")
                }
            }
        };
        // On a collision, say what kind of type it is before falling back to a number.
        let wanted = if names.is_taken(&wanted) {
            let kind = match &types[index].kind {
                TypeKind::Enum(_) | TypeKind::IntEnum(_) => "Enum",
                TypeKind::Tagged(_) | TypeKind::Untagged(_) => "Union",
                _ => "Object",
            };
            format!("{wanted}{kind}")
        } else {
            wanted
        };
        types[index].name = names.claim(&wanted, false);
    }
}

fn each_child(ty: &TypeRef, visit: &mut dyn FnMut(TypeId)) {
    match ty {
        TypeRef::Named(id) => visit(*id),
        TypeRef::Vec(inner)
        | TypeRef::Map(inner)
        | TypeRef::List(inner)
        | TypeRef::Option(inner)
        | TypeRef::Box(inner) => each_child(inner, visit),
        _ => {}
    }
}

fn children(def: &TypeDef) -> Vec<TypeId> {
    let mut out = Vec::new();
    let mut push = |id| out.push(id);
    match &def.kind {
        TypeKind::Struct(s) => {
            for field in &s.fields {
                each_child(&field.ty, &mut push);
            }
            if let Some(additional) = &s.additional {
                each_child(additional, &mut push);
            }
        }
        TypeKind::Tagged(t) => t.variants.iter().for_each(|v| each_child(&v.ty, &mut push)),
        TypeKind::Untagged(u) => u.variants.iter().for_each(|v| each_child(&v.ty, &mut push)),
        TypeKind::Alias(ty) => each_child(ty, &mut push),
        TypeKind::Enum(_) | TypeKind::IntEnum(_) | TypeKind::Pending => {}
    }
    out
}

/// Types reachable from a request body are request types (their optional nullable fields are three-state).
fn mark_request_types(types: &mut [TypeDef], roots: &[TypeId], groups: &[Group]) {
    let mut stack: Vec<TypeId> = roots.to_vec();
    for operation in groups.iter().flat_map(|g| &g.operations) {
        let optional = operation.optional_params.iter().flat_map(|s| &s.params);
        for param in operation
            .path_params
            .iter()
            .chain(&operation.required_params)
            .chain(optional)
        {
            each_child(&param.ty, &mut |id| stack.push(id));
        }
    }
    while let Some(id) = stack.pop() {
        if types[id.0].in_request {
            continue;
        }
        types[id.0].in_request = true;
        stack.extend(children(&types[id.0]));
    }
}

fn decide_presence(types: &mut [TypeDef], flags: &BTreeMap<TypeId, Vec<types::FieldFlags>>) {
    for (index, def) in types.iter_mut().enumerate() {
        let in_request = def.in_request;
        let TypeKind::Struct(s) = &mut def.kind else {
            continue;
        };
        let Some(flags) = flags.get(&TypeId(index)) else {
            continue;
        };
        for (field, flag) in s.fields.iter_mut().zip(flags) {
            field.presence = match (flag.required, flag.nullable) {
                (true, false) => Presence::Required,
                (true, true) => Presence::RequiredNullable,
                (false, false) => Presence::Optional,
                (false, true) if in_request => Presence::Patch,
                (false, true) => Presence::Optional,
            };
        }
    }
}

/// Params structs are named after their operation; keep them clear of model names.
fn name_params_types(groups: &mut [Group], types: &[TypeDef]) {
    // They live in `resources` beside the group handles, and are named apart from the models
    // too so that a reader never sees two types of one name.
    let mut names = naming::Namespace::default();
    for def in types {
        names.claim(&def.name, false);
    }
    for group in groups.iter() {
        names.claim(&group.type_name, false);
    }
    for group in groups.iter_mut() {
        for operation in &mut group.operations {
            if let Some(params) = &mut operation.optional_params {
                // `PaymentsListParams`: the handle and method a caller already writes.
                let method = operation.rust_name.trim_start_matches("r#");
                let wanted = naming::type_name(&format!("{} {method} params", group.type_name));
                params.type_name = names.claim(&wanted, false);
            }
        }
    }
    for operation in groups.iter_mut().flat_map(|g| g.operations.iter_mut()) {
        if let Response::Multi { type_name, .. } = &mut operation.response {
            *type_name = names.claim(type_name, false);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `generate()` lowers a document it owns, with the operations moved out and no schema
    /// sites; tools lower a borrowed one with them. Apart from the sites the model must be the
    /// same, down to every name and field, on PayPro and every construct spec.
    #[test]
    fn owned_lowering_without_sites_makes_the_same_model() -> Result<(), crate::Diagnostics> {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
        let constructs = std::fs::read_dir(format!("{root}/generator/tests/constructs"))
            .map_err(|e| Diagnostic::error("", format!("constructs: {e}")))?;
        let mut paths: Vec<String> = constructs
            .filter_map(|entry| entry.ok().map(|e| e.path().display().to_string()))
            .filter(|path| path.ends_with(".yaml"))
            .collect();
        paths.sort();
        paths.push(format!("{root}/spec/api.yaml"));
        assert!(paths.len() > 10, "the construct specs are found");
        for path in paths {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| Diagnostic::error("", format!("{path}: {e}")))?;
            let mut document = crate::load::load_document(&text, &path)?;
            crate::normalize::normalize(&mut document);
            let api = crate::parse::parse_document(&document)?;
            let (mut borrowed, borrowed_warnings) = lower(&api, Sites::Record);
            assert!(!borrowed.schema_sites.is_empty(), "{path}: sites recorded");
            let (owned, owned_warnings) = lower_owned(Parsed::from_api(api), Sites::Skip);
            assert!(owned.schema_sites.is_empty(), "{path}: sites skipped");
            borrowed.schema_sites.clear();
            assert_eq!(
                format!("{borrowed:?}"),
                format!("{owned:?}"),
                "{path}: the models differ"
            );
            assert_eq!(
                borrowed_warnings, owned_warnings,
                "{path}: the warnings differ"
            );
        }
        Ok(())
    }
}
