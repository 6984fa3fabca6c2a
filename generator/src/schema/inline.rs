//! The schemas inside operations (parameters, bodies, responses, headers), read directly by the parse and set aside in compact form, and the marked empty schemas that stand for them in the typed document.
//!
//! `openapiv3`'s buffered reading copies a schema's subtree at every level of its nesting, and
//! inline schemas are most of a big document's paths (Stripe's request bodies). So the parse
//! takes each one out of the value before `openapiv3` reads the operation around it, and
//! leaves a schema holding only [`MARKER`], numbered; lowering asks [`InlineSchemas::compact`]
//! for any operation schema and gets the set-aside one for a marked schema. Lowering used to
//! copy and convert each operation schema anyway, so it now copies nothing.

use super::{ReferenceOr, Schema};
use openapiv3 as oa;
use serde_json::{Map, Value};
use std::borrow::Cow;

/// The extension naming the set-aside schema a marked one stands for. Its name holds a NUL
/// character, which a document can only write escaped; the parse checks that each of its
/// markers is found exactly once, and reads the document without setting aside otherwise.
pub(crate) const MARKER: &str = "x-\u{0}set-aside";

/// The set-aside schemas, by number.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct InlineSchemas(Vec<ReferenceOr<Schema>>);

impl InlineSchemas {
    /// Keeps `schema`, and returns the marked schema to leave in its place.
    pub fn set_aside(&mut self, schema: ReferenceOr<Schema>) -> Value {
        let marker = Map::from_iter([(MARKER.to_owned(), Value::from(self.0.len()))]);
        self.0.push(schema);
        Value::Object(marker)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The number a marked schema carries; `None` for any other schema.
    pub fn marker_of(schema: &ReferenceOr<oa::Schema>) -> Option<usize> {
        let ReferenceOr::Item(schema) = schema else {
            return None;
        };
        let number = schema.schema_data.extensions.get(MARKER)?.as_u64()?;
        usize::try_from(number).ok()
    }

    /// An operation's schema in compact form: the set-aside one a marked schema stands for,
    /// borrowed, or any other schema converted.
    pub fn compact<'s>(&'s self, schema: &ReferenceOr<oa::Schema>) -> Cow<'s, ReferenceOr<Schema>> {
        match Self::marker_of(schema).and_then(|number| self.0.get(number)) {
            Some(set_aside) => Cow::Borrowed(set_aside),
            None => Cow::Owned(super::compact(schema.clone())),
        }
    }

    /// The set-aside schemas, by number, as `openapiv3`'s type: to put them back.
    pub fn into_widened(self) -> Vec<ReferenceOr<oa::Schema>> {
        self.0.into_iter().map(super::widen).collect()
    }
}
