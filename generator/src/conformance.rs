//! Conformance targets: the lowered [`Model`] in, one (JSON pointer, Rust type) pair per schema of the document out, for the check that decodes the document's instances through the generated types.

use crate::emit::tokens::{Scope, type_tokens};
use crate::ir::{Model, TypeRef};

/// A schema of the document and the generated type its instances decode into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Where the schema is, as written (a `$ref` on the way is not followed: a parameter that
    /// is a reference has its schema at `…/parameters/0/schema` all the same).
    pub pointer: String,
    /// The type spelled in full from outside the crate (`my_crate::models::Pet`).
    pub rust_type: String,
}

/// Every schema site of the model with its type, in pointer order. `crate_ident` is the
/// generated crate's name as a Rust identifier. Sites whose type is raw bytes are left out:
/// such a schema describes a body that is not JSON, so it has no JSON instance to decode.
pub fn targets(model: &Model, crate_ident: &str) -> Vec<Target> {
    model
        .schema_sites
        .iter()
        .filter(|(_, ty)| !mentions_bytes(ty))
        .map(|(pointer, ty)| Target {
            pointer: pointer.clone(),
            rust_type: spell(
                &type_tokens(model, ty, Scope::Outside).to_string(),
                crate_ident,
            ),
        })
        .collect()
}

fn mentions_bytes(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Bytes => true,
        TypeRef::Vec(inner)
        | TypeRef::Map(inner)
        | TypeRef::List(inner)
        | TypeRef::Option(inner)
        | TypeRef::Box(inner) => mentions_bytes(inner),
        _ => false,
    }
}

/// Token text (`crate :: models :: Pet`) as a reader writes it, seen from outside the crate.
fn spell(tokens: &str, crate_ident: &str) -> String {
    let compact = tokens
        .replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" < ", "<")
        .replace(" <", "<")
        .replace("< ", "<")
        .replace(" >", ">")
        .replace(" ,", ",");
    let mut out = String::with_capacity(compact.len());
    for (index, piece) in compact.split("crate::").enumerate() {
        if index > 0 {
            // Only a whole `crate` token is the crate root; `my_crate::` must stay as it is.
            let whole = out
                .chars()
                .last()
                .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
            out.push_str(if whole { crate_ident } else { "crate" });
            out.push_str("::");
        }
        out.push_str(piece);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Input;

    const SPEC: &str = r##"
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /pets:
    get:
      operationId: listPets
      parameters:
        - {name: limit, in: query, schema: {type: integer, format: int32}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Pet"}}
components:
  schemas:
    Pet:
      type: object
      required: [id]
      properties:
        id: {type: integer}
        tag: {type: string, nullable: true}
"##;

    #[test]
    fn every_schema_site_names_the_type_that_decodes_it() {
        let (model, _) = crate::model(
            Input {
                text: SPEC,
                name: "t.yaml",
            },
            None,
        )
        .unwrap();
        let found: Vec<(String, String)> = targets(&model, "pets")
            .into_iter()
            .map(|t| (t.pointer, t.rust_type))
            .collect();
        let expect = |pointer: &str, ty: &str| {
            assert!(
                found.iter().any(|(p, t)| p == pointer && t == ty),
                "no {pointer} → {ty} in {found:#?}"
            )
        };
        expect("/components/schemas/Pet", "pets::models::Pet");
        expect("/components/schemas/Pet/properties/id", "i64");
        expect(
            "/components/schemas/Pet/properties/tag",
            "::std::option::Option<::std::string::String>",
        );
        expect("/paths/~1pets/get/parameters/0/schema", "i32");
        expect(
            "/paths/~1pets/get/responses/200/content/application~1json/schema",
            "::std::vec::Vec<pets::models::Pet>",
        );
    }

    #[test]
    fn only_the_crate_root_token_is_replaced() {
        assert_eq!(
            spell("crate :: List < crate :: models :: my_crate >", "c"),
            "c::List<c::models::my_crate>"
        );
    }
}
