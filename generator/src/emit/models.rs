//! Model emitter: the IR's types in, the token stream of `models.rs` out (structs, enums with an `Unknown` variant, tagged and untagged unions).

use super::format::{Piece, RustFile};
use super::tokens::{Scope, doc_attrs, type_tokens};
use crate::compat::{self, Construction};
use crate::ir::*;
use crate::naming;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// `models.rs` as its head (inner doc and attributes) and its items, one per type, built only
/// when the formatter gets to them.
pub fn models_file(model: &Model) -> RustFile<'_, TypeDef> {
    let head = quote! {
        //! The API's data types, generated from the document's schemas.
        #![allow(clippy::large_enum_variant, clippy::derivable_impls)]
    };
    RustFile {
        head,
        items: &model.types,
        build: |model, def| Piece::whole(type_item(model, def)),
    }
}

fn type_doc(def: &TypeDef) -> TokenStream {
    let text = match &def.doc {
        Some(doc) if !doc.trim().is_empty() => {
            format!("{}\n\nSchema: `{}`.", doc.trim(), def.origin)
        }
        _ => format!("Schema: `{}`.", def.origin),
    };
    doc_attrs(&text)
}

fn type_item(model: &Model, def: &TypeDef) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let doc = type_doc(def);
    match &def.kind {
        TypeKind::Struct(s) => struct_item(model, &name, doc, def, s),
        TypeKind::Enum(e) => enum_item(&name, doc, e),
        TypeKind::IntEnum(e) => int_enum_item(&name, doc, e),
        TypeKind::Tagged(t) => tagged_item(model, &name, doc, t),
        TypeKind::Untagged(u) => untagged_item(model, &name, doc, u),
        TypeKind::Alias(ty) => {
            let ty = type_tokens(model, ty, Scope::Models);
            quote! { #doc pub type #name = #ty; }
        }
        TypeKind::Pending => quote! {},
    }
}

fn struct_item(
    model: &Model,
    name: &proc_macro2::Ident,
    doc: TokenStream,
    def: &TypeDef,
    s: &StructDef,
) -> TokenStream {
    let default = if s.derive_default {
        quote!(, Default)
    } else {
        quote!()
    };
    let fields = s.fields.iter().map(|field| field_item(model, field));
    let constructor = constructor(model, name, def, s);
    let additional = s.additional.as_ref().map(|ty| {
        let field = naming::ident(ADDITIONAL_FIELD);
        let value = type_tokens(model, ty, Scope::Models);
        let (doc, serde) = if *ty == TypeRef::Any {
            // Counted as not understood, so an untagged union prefers a variant that names them.
            (
                "Members the schema does not name, kept as sent so that nothing is lost (a later\n\
                 version of this crate may give them fields of their own).",
                quote!(
                    flatten,
                    deserialize_with = "crate::wire::undeclared_members"
                ),
            )
        } else {
            (
                "Members not named by the schema (`additionalProperties`).",
                quote!(flatten),
            )
        };
        let doc = doc_attrs(doc);
        quote! {
            #doc
            #[serde(#serde)]
            pub #field: ::std::collections::BTreeMap<::std::string::String, #value>,
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize #default)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #additional
        }

        #constructor
    }
}

/// `new(…)` for every struct that cannot derive `Default`: `#[non_exhaustive]` forbids struct
/// literals outside the crate, so this (and assigning the public fields) is how callers build
/// one. Which members are arguments is decided in [`crate::compat`], which the change report
/// reads too.
fn constructor(
    model: &Model,
    name: &proc_macro2::Ident,
    def: &TypeDef,
    s: &StructDef,
) -> TokenStream {
    let Construction::New(arg_fields) = compat::construction(def, s) else {
        return quote!();
    };
    let is_arg = |field: &Field| arg_fields.iter().any(|arg| std::ptr::eq(*arg, field));
    let mut args = Vec::new();
    let mut arg_docs = Vec::new();
    for field in &arg_fields {
        let ident = naming::ident(&field.rust);
        let base = type_tokens(model, &field.ty, Scope::Models);
        arg_docs.push(format!("`{}`", field.rust.trim_start_matches("r#")));
        args.push(match field.presence {
            Presence::Required if field.ty == TypeRef::String => {
                quote!(#ident: impl ::std::convert::Into<::std::string::String>)
            }
            Presence::Required => quote!(#ident: #base),
            _ => quote!(#ident: ::std::option::Option<#base>),
        });
    }
    let mut inits = Vec::new();
    for field in &s.fields {
        let ident = naming::ident(&field.rust);
        inits.push(match field.presence {
            _ if is_arg(field)
                && field.ty == TypeRef::String
                && field.presence == Presence::Required =>
            {
                quote!(#ident: #ident.into())
            }
            _ if is_arg(field) => quote!(#ident),
            Presence::Required => quote!(#ident: ::std::default::Default::default()),
            Presence::RequiredNullable | Presence::Optional => {
                quote!(#ident: ::std::option::Option::None)
            }
            Presence::Patch => quote!(#ident: crate::Patch::Unset),
        });
    }
    if s.additional.is_some() {
        let field = naming::ident(ADDITIONAL_FIELD);
        inits.push(quote!(#field: ::std::collections::BTreeMap::new()));
    }
    let members = if arg_docs.is_empty() {
        "no members to decide".to_owned()
    } else {
        format!("the members to decide ({}) given", arg_docs.join(", "))
    };
    let doc = doc_attrs(&format!(
        "A value with {members}; every other member is empty or left out. Assign the public \
         fields to set more: new members may be added in a minor release, so this type cannot \
         be written as a struct literal outside this crate."
    ));
    quote! {
        impl #name {
            #doc
            #[allow(clippy::too_many_arguments, clippy::new_without_default)]
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits),* }
            }
        }
    }
}

fn field_item(model: &Model, field: &Field) -> TokenStream {
    let ident = naming::ident(&field.rust);
    let base = type_tokens(model, &field.ty, Scope::Models);
    let mut doc = field
        .doc
        .clone()
        .filter(|d| !d.trim().is_empty())
        .unwrap_or_else(|| format!("The `{}` member.", field.wire));
    if field.deprecated {
        doc.push_str("\n\nDeprecated by the API.");
    }
    let doc = doc_attrs(&doc);
    let unescaped = field.rust.trim_start_matches("r#");
    let rename = (unescaped != field.wire).then(|| {
        let wire = &field.wire;
        quote!(#[serde(rename = #wire)])
    });
    let decoder = field_decoder(&field.ty);
    let (ty, mut serde_attr) = match field.presence {
        Presence::Required => {
            let mut parts = Vec::new();
            if field.default_when_absent {
                parts.push(quote!(default));
            }
            if let Some((required, _)) = decoder {
                parts.push(quote!(deserialize_with = #required));
            }
            (base, parts)
        }
        Presence::RequiredNullable => {
            let mut parts = vec![quote!(default)];
            if let Some((_, optional)) = decoder {
                parts.push(quote!(deserialize_with = #optional));
            }
            (quote!(::std::option::Option<#base>), parts)
        }
        Presence::Optional => {
            let mut parts = vec![
                quote!(default),
                quote!(skip_serializing_if = "::std::option::Option::is_none"),
            ];
            if let Some((_, optional)) = decoder {
                parts.push(quote!(deserialize_with = #optional));
            }
            (quote!(::std::option::Option<#base>), parts)
        }
        Presence::Patch => (
            quote!(crate::Patch<#base>),
            vec![
                quote!(default),
                quote!(skip_serializing_if = "crate::Patch::is_unset"),
            ],
        ),
    };
    if holds_binary(&field.ty) {
        serde_attr.push(quote!(serialize_with = "crate::wire::binary"));
    }
    let serde_attr = (!serde_attr.is_empty()).then(|| quote!(#[serde(#(#serde_attr),*)]));
    quote! {
        #doc
        #rename
        #serde_attr
        pub #ident: #ty,
    }
}

/// The runtime functions that decode a field of this type when it is required and when it is
/// optional, where serde's own impl is not what the client wants: numbers are lenient
/// (`crate::lenient`), and timestamps take a direct path before chrono's general parser
/// (`crate::timestamp`, same results, a tenth of the work).
fn field_decoder(ty: &TypeRef) -> Option<(&'static str, &'static str)> {
    if ty.is_numeric() {
        Some(("crate::lenient::number", "crate::lenient::option_number"))
    } else if matches!(ty, TypeRef::DateTime) {
        Some(("crate::timestamp::required", "crate::timestamp::optional"))
    } else {
        None
    }
}

/// Whether a field or variant is `format: binary` bytes, alone or in options, lists and maps,
/// which encode as JSON strings (`crate::wire::binary`) rather than serde's arrays of numbers.
fn holds_binary(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Bytes => true,
        TypeRef::Option(inner) | TypeRef::Vec(inner) | TypeRef::Map(inner) => holds_binary(inner),
        _ => false,
    }
}

fn enum_item(name: &proc_macro2::Ident, doc: TokenStream, e: &EnumDef) -> TokenStream {
    let variants: Vec<_> = e
        .variants
        .iter()
        .map(|v| format_ident!("{}", v.rust))
        .collect();
    let wires: Vec<&str> = e.variants.iter().map(|v| v.wire.as_str()).collect();
    let variant_docs: Vec<String> = e
        .variants
        .iter()
        .map(|v| format!(" `{}`", v.wire.replace('`', "'")))
        .collect();
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #( #[doc = #variant_docs] #variants, )*
            /// A value this version of the client has no variant for, kept as sent so decoding
            /// never fails on it. Read it with `as_str()`, but do not test for a particular
            /// value: a later version may give it a variant of its own, and such a test would
            /// silently stop matching.
            Unknown(crate::UnknownValue),
        }

        impl #name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #wires, )*
                    Self::Unknown(value) => value.as_str(),
                }
            }

            fn from_wire(value: &str) -> Self {
                match value {
                    #( #wires => Self::#variants, )*
                    other => Self::Unknown(crate::UnknownValue::new(other.to_owned())),
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, formatter: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                formatter.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from_wire(value))
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                crate::wire::deserialize_enum_str(deserializer, Self::from_wire)
            }
        }
    }
}

fn int_enum_item(name: &proc_macro2::Ident, doc: TokenStream, e: &IntEnumDef) -> TokenStream {
    let variants: Vec<_> = e
        .variants
        .iter()
        .map(|(_, rust)| format_ident!("{}", rust))
        .collect();
    let values: Vec<i64> = e.variants.iter().map(|(value, _)| *value).collect();
    let docs: Vec<String> = values.iter().map(|v| format!(" `{v}`")).collect();
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #( #[doc = #docs] #variants, )*
            /// A value this version of the client has no variant for, kept as sent. Read it
            /// with `value()`, but do not test for a particular number: a later version may
            /// give it a variant of its own.
            Unknown(crate::UnknownValue<i64>),
        }

        impl #name {
            /// The value as it appears on the wire.
            pub fn value(self) -> i64 {
                match self {
                    #( Self::#variants => #values, )*
                    Self::Unknown(value) => value.value(),
                }
            }

            /// The variant for a wire value (`Unknown` when it is not one of the listed values).
            pub fn from_value(value: i64) -> Self {
                match value {
                    #( #values => Self::#variants, )*
                    other => Self::Unknown(crate::UnknownValue::new(other)),
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, formatter: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.value(), formatter)
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.value())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                crate::lenient::number::<D, i64>(deserializer).map(Self::from_value)
            }
        }
    }
}

fn wrap_boxed(ty: &TypeRef, value: TokenStream) -> TokenStream {
    if matches!(ty, TypeRef::Box(_)) {
        quote!(::std::boxed::Box::new(#value))
    } else {
        value
    }
}

fn tagged_item(
    model: &Model,
    name: &proc_macro2::Ident,
    doc: TokenStream,
    t: &TaggedDef,
) -> TokenStream {
    let union_name = name.to_string();
    let tag = &t.tag;
    let variants: Vec<_> = t
        .variants
        .iter()
        .map(|v| format_ident!("{}", v.rust))
        .collect();
    let types: Vec<_> = t
        .variants
        .iter()
        .map(|v| type_tokens(model, &v.ty, Scope::Models))
        .collect();
    let docs: Vec<String> = t
        .variants
        .iter()
        .map(|v| format!(" `{tag}` is `{}`.", v.tags.join("` or `")))
        .collect();
    let arms = t.variants.iter().zip(&variants).map(|(v, variant)| {
        let tags = &v.tags;
        let build = if matches!(v.ty, TypeRef::Box(_)) {
            quote!(|value| Self::#variant(::std::boxed::Box::new(value)))
        } else {
            quote!(Self::#variant)
        };
        quote! {
            ::std::option::Option::Some(#(#tags)|*) => object.decode(#union_name).map(#build),
        }
    });

    quote! {
        #doc
        ///
        #[doc = concat!("Decided by the `", #tag, "` member; any other value is kept in `Unknown`.")]
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #( #[doc = #docs] #variants(#types), )*
            /// A member with another (or no) tag, kept as JSON (`as_json()`). Do not test for a
            /// particular tag here: a later version may give it a variant of its own.
            Unknown(crate::UnknownValue<::serde_json::Value>),
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #( Self::#variants(value) => ::serde::Serialize::serialize(value, serializer), )*
                    Self::Unknown(value) => ::serde::Serialize::serialize(value, serializer),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let object = crate::tagged::TaggedObject::deserialize(deserializer, #tag)?;
                match object.tag() {
                    #(#arms)*
                    _ => object.into_value().map(|value| Self::Unknown(crate::UnknownValue::new(value))),
                }
            }
        }
    }
}

fn untagged_item(
    model: &Model,
    name: &proc_macro2::Ident,
    doc: TokenStream,
    u: &UntaggedDef,
) -> TokenStream {
    let union_name = name.to_string();
    let variants: Vec<_> = u
        .variants
        .iter()
        .map(|v| format_ident!("{}", v.rust))
        .collect();
    let labels: Vec<String> = u.variants.iter().map(|v| v.rust.clone()).collect();
    let types: Vec<_> = u
        .variants
        .iter()
        .map(|v| type_tokens(model, &v.ty, Scope::Models))
        .collect();
    let encode_arms = u.variants.iter().zip(&variants).map(|(v, variant)| {
        if holds_binary(&v.ty) {
            quote!(Self::#variant(value) => crate::wire::binary(value, serializer),)
        } else {
            quote!(Self::#variant(value) => ::serde::Serialize::serialize(value, serializer),)
        }
    });
    let attempts = u.variants.iter().zip(&variants).zip(&labels).map(|((v, variant), label)| {
        let build = if matches!(v.ty, TypeRef::Box(_)) {
            let boxed = wrap_boxed(&v.ty, quote!(value));
            quote!(|value| Self::#variant(#boxed))
        } else {
            quote!(Self::#variant)
        };
        quote! {
            if let ::std::option::Option::Some(chosen) = fit.offer(#label, buffered.decode().map(#build)) {
                return ::std::result::Result::Ok(chosen);
            }
        }
    });
    quote! {
        #doc
        ///
        /// The members share no tag, so each is tried in order and the first that understands the
        /// whole value (no unknown enum value, no member it does not name) is taken; failing that,
        /// the one that understands most of it. An error lists what each member said.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #( #[doc = concat!("A `", #labels, "` value.")] #variants(#types), )*
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #(#encode_arms)*
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let buffered = crate::wire::Buffered::deserialize(deserializer)?;
                let mut fit = crate::wire::BestFit::new();
                #(#attempts)*
                fit.finish(#union_name)
            }
        }
    }
}
