//! Union variants that are objects are held in a `Box`: a union is as large as its largest variant, so unions of big structs (Stripe's expandable `anyOf: [string, Charge]`) otherwise nest whole object graphs inside each other, into types of hundreds of kilobytes that overflow the stack while they decode.
//!
//! Every object variant is boxed, not only large ones: a rule by size would box a variant once
//! its struct gained enough optional fields, turning an additive change into a breaking one.

use crate::ir::{TypeDef, TypeKind, TypeRef};

/// Boxes every tagged or untagged union variant whose type is a struct or another union.
pub(super) fn box_object_variants(types: &mut [TypeDef]) {
    let is_object: Vec<bool> = types
        .iter()
        .map(|def| {
            matches!(
                def.kind,
                TypeKind::Struct(_) | TypeKind::Tagged(_) | TypeKind::Untagged(_)
            )
        })
        .collect();
    for def in types.iter_mut() {
        let variants: Vec<&mut TypeRef> = match &mut def.kind {
            TypeKind::Tagged(t) => t.variants.iter_mut().map(|v| &mut v.ty).collect(),
            TypeKind::Untagged(u) => u.variants.iter_mut().map(|v| &mut v.ty).collect(),
            _ => continue,
        };
        for ty in variants {
            if let TypeRef::Named(id) = ty {
                if is_object[id.0] {
                    *ty = TypeRef::Box(Box::new(std::mem::replace(ty, TypeRef::Any)));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{EnumDef, StructDef, TypeId, UntaggedDef, UntaggedVariant};

    fn def(kind: TypeKind) -> TypeDef {
        TypeDef {
            name: String::new(),
            doc: None,
            origin: String::new(),
            kind,
            in_request: false,
        }
    }

    #[test]
    fn object_variants_are_boxed_and_the_rest_are_not() {
        let variant = |rust: &str, ty| UntaggedVariant {
            rust: rust.into(),
            ty,
        };
        let mut types = vec![
            def(TypeKind::Struct(StructDef {
                fields: Vec::new(),
                additional: None,
                derive_default: true,
            })),
            def(TypeKind::Enum(EnumDef {
                variants: Vec::new(),
            })),
            def(TypeKind::Untagged(UntaggedDef {
                variants: vec![
                    variant("Object", TypeRef::Named(TypeId(0))),
                    variant("Choice", TypeRef::Named(TypeId(1))),
                    variant("Text", TypeRef::String),
                    variant("Already", TypeRef::Box(Box::new(TypeRef::Named(TypeId(0))))),
                ],
            })),
        ];
        box_object_variants(&mut types);
        let TypeKind::Untagged(u) = &types[2].kind else {
            unreachable!("the union stays a union")
        };
        let boxed = TypeRef::Box(Box::new(TypeRef::Named(TypeId(0))));
        assert_eq!(u.variants[0].ty, boxed);
        assert_eq!(u.variants[1].ty, TypeRef::Named(TypeId(1)));
        assert_eq!(u.variants[2].ty, TypeRef::String);
        assert_eq!(u.variants[3].ty, boxed, "boxed once, not twice");
    }
}
