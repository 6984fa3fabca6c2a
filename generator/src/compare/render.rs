//! Rust types as the change report prints and compares them: an IR type reference in, the type a user of the generated crate sees (`Option<Vec<Payment>>`) out.
//!
//! Two models number their types differently, so types are compared by these strings, which
//! name other types by their Rust name; a change inside a named type is reported at that type.

use crate::ir::{Field, IntegerKind, Model, NumberKind, Presence, TypeRef};

/// The type as written in the generated code, without paths (`Vec<Payment>`, `DateTime<Utc>`).
pub fn type_ref(model: &Model, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(id) => model
            .types
            .get(id.0)
            .map_or_else(|| "?".to_owned(), |def| def.name.clone()),
        TypeRef::String => "String".to_owned(),
        TypeRef::Integer(IntegerKind::I32) => "i32".to_owned(),
        TypeRef::Integer(IntegerKind::I64) => "i64".to_owned(),
        TypeRef::Number(NumberKind::F64) => "f64".to_owned(),
        TypeRef::Boolean => "bool".to_owned(),
        TypeRef::DateTime => "DateTime<Utc>".to_owned(),
        TypeRef::Date => "NaiveDate".to_owned(),
        TypeRef::Bytes => "Bytes".to_owned(),
        TypeRef::Any => "serde_json::Value".to_owned(),
        TypeRef::Object => "Map<String, serde_json::Value>".to_owned(),
        TypeRef::Vec(inner) => format!("Vec<{}>", type_ref(model, inner)),
        TypeRef::Map(inner) => format!("BTreeMap<String, {}>", type_ref(model, inner)),
        TypeRef::List(inner) => format!("List<{}>", type_ref(model, inner)),
        TypeRef::Option(inner) => format!("Option<{}>", type_ref(model, inner)),
        TypeRef::Box(inner) => format!("Box<{}>", type_ref(model, inner)),
    }
}

/// A struct field's declared type: the value type wrapped as its presence says.
pub fn field_type(model: &Model, field: &Field) -> String {
    let base = type_ref(model, &field.ty);
    match field.presence {
        Presence::Required => base,
        Presence::RequiredNullable | Presence::Optional => format!("Option<{base}>"),
        Presence::Patch => format!("Patch<{base}>"),
    }
}

/// A JSON pointer token (`/` and `~` escaped), for pointers built from names.
pub fn pointer_token(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// The pointer of an operation: `/paths/~1refunds~1{id}/post`.
pub fn operation_pointer(path: &str, method: &str) -> String {
    format!("/paths/{}/{}", pointer_token(path), method.to_lowercase())
}
