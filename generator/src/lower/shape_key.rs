//! The shape of an inline schema as a string: what it admits, without its prose, written straight from the compact schema so that equal shapes give equal strings and unequal ones unequal strings.
//!
//! Lowering shares an inline object or enum met again under the same property name
//! (`super::named`), and tells union members apart by shape (`super::unions`), so it asks for
//! the shape of thousands of schemas. It used to serialize each one to a JSON value (through
//! `openapiv3`'s schema), strip the prose from the value and print it: 6% of a big document's
//! run, all on the one core lowering runs on (docs/PERFORMANCE.md). Only whether two keys are
//! equal matters, so this writes a key that is equal exactly where that JSON was
//! (`tests::keys_split_real_schemas_as_the_json_did`):
//!
//! - Prose is left out at every depth: `description`, `title`, `example`, extensions (`x-`).
//!   An `externalDocs` keeps only its URL, a discriminator only its property and mapping
//!   (without mapping keys that look like prose, which the JSON's stripping also removed).
//! - The shape's own `nullable` is left out too: it belongs to the use (each parent's field
//!   keeps its own). A nested schema's `nullable` is part of the shape: two inline objects whose
//!   `street` is nullable in one and not the other are two types, or decoding the first's
//!   `null` would fail (`tests::nested_nullability_is_part_of_the_shape`). The JSON key this
//!   replaced dropped it at every depth, and so shared them.
//! - Everything else is written in a self-delimiting form: strings with their length, optional
//!   parts with a marker for absence, lists and schemas bracketed; the string and integer kinds
//!   (most of a document's scalars) keyword by keyword, the rarer scalar kinds (which hold no
//!   schemas and no prose) by their `Debug` text, which quotes and escapes their strings. So no
//!   two different shapes can run together into the same text.

use crate::schema::{
    AdditionalProperties, AnySchema, ArrayType, ObjectType, Properties, ReferenceOr, Schema,
    SchemaData, SchemaKind, Type,
};
use openapiv3::{IntegerFormat, IntegerType, StringFormat, StringType, VariantOrUnknownOrEmpty};
use std::fmt::Write;

/// A canonical text of a schema without prose, used to spot identical inline shapes.
pub fn shape_key(schema: &Schema) -> String {
    let mut key = String::with_capacity(64);
    ShapeWriter {
        key: &mut key,
        depth: 0,
    }
    .schema(schema);
    key
}

/// Whether a key of a schema (or of an object inside one) is prose, which shapes leave out.
fn is_prose_key(key: &str) -> bool {
    matches!(
        key,
        "description" | "example" | "examples" | "title" | "nullable"
    ) || key.starts_with("x-")
}

struct ShapeWriter<'a> {
    key: &'a mut String,
    /// How many schemas enclose the one being written (0: the shape itself).
    depth: usize,
}

impl ShapeWriter<'_> {
    fn text(&mut self, text: &str) {
        self.key.push_str(itoa::Buffer::new().format(text.len()));
        self.key.push(':');
        self.key.push_str(text);
    }

    /// A value with no schemas and no prose in it, by its `Debug` text.
    fn debug(&mut self, value: &dyn std::fmt::Debug) {
        // Writing to a String cannot fail.
        let _ = write!(self.key, "{value:?}");
    }

    /// A number, ended by `,` so that the next part cannot run into it.
    fn number(&mut self, number: impl itoa::Integer) {
        self.key.push_str(itoa::Buffer::new().format(number));
        self.key.push(',');
    }

    fn optional_number(&mut self, number: Option<impl itoa::Integer>) {
        match number {
            Some(number) => self.number(number),
            None => self.key.push('_'),
        }
    }

    fn flag(&mut self, flag: bool) {
        self.key.push(if flag { 't' } else { 'f' });
    }

    fn optional_text(&mut self, text: Option<&str>) {
        match text {
            Some(text) => self.text(text),
            None => self.key.push('_'),
        }
    }

    /// A format: a letter for each one `openapiv3` knows, else the text as written.
    fn format<T>(&mut self, format: &VariantOrUnknownOrEmpty<T>, letter: fn(&T) -> char) {
        match format {
            VariantOrUnknownOrEmpty::Item(known) => self.key.push(letter(known)),
            VariantOrUnknownOrEmpty::Unknown(written) => {
                self.key.push('?');
                self.text(written);
            }
            VariantOrUnknownOrEmpty::Empty => self.key.push('_'),
        }
    }

    fn string(&mut self, string: &StringType) {
        self.format(&string.format, |format| match format {
            StringFormat::Date => 'd',
            StringFormat::DateTime => 't',
            StringFormat::Password => 'p',
            StringFormat::Byte => 'y',
            StringFormat::Binary => 'b',
        });
        self.optional_text(string.pattern.as_deref());
        self.key.push('[');
        for value in &string.enumeration {
            self.optional_text(value.as_deref());
        }
        self.key.push(']');
        self.optional_number(string.min_length);
        self.optional_number(string.max_length);
    }

    fn integer(&mut self, integer: &IntegerType) {
        self.format(&integer.format, |format| match format {
            IntegerFormat::Int32 => '4',
            IntegerFormat::Int64 => '8',
        });
        self.optional_number(integer.multiple_of);
        self.flag(integer.exclusive_minimum);
        self.flag(integer.exclusive_maximum);
        self.optional_number(integer.minimum);
        self.optional_number(integer.maximum);
        self.key.push('[');
        for value in &integer.enumeration {
            self.optional_number(*value);
        }
        self.key.push(']');
    }

    fn schema(&mut self, schema: &Schema) {
        self.key.push('{');
        if self.depth > 0 {
            self.key.push(if schema.schema_data.nullable {
                'n'
            } else {
                'v'
            });
        }
        self.depth += 1;
        self.data(&schema.schema_data);
        self.kind(&schema.schema_kind);
        self.depth -= 1;
        self.key.push('}');
    }

    fn reference(&mut self, reference: &str) {
        self.key.push('$');
        self.text(reference);
    }

    fn reference_or(&mut self, schema: &ReferenceOr<Schema>) {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference),
            ReferenceOr::Item(item) => self.schema(item),
        }
    }

    fn boxed(&mut self, schema: &ReferenceOr<Box<Schema>>) {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference),
            ReferenceOr::Item(item) => self.schema(item),
        }
    }

    fn optional_boxed(&mut self, schema: Option<&ReferenceOr<Box<Schema>>>) {
        match schema {
            Some(schema) => self.boxed(schema),
            None => self.key.push('_'),
        }
    }

    fn list(&mut self, schemas: &[ReferenceOr<Schema>]) {
        self.key.push('[');
        schemas.iter().for_each(|schema| self.reference_or(schema));
        self.key.push(']');
    }

    fn data(&mut self, data: &SchemaData) {
        let flags = [data.read_only, data.write_only, data.deprecated];
        self.key
            .extend(flags.map(|flag| if flag { 't' } else { 'f' }));
        match &data.discriminator {
            Some(discriminator) => {
                self.key.push('d');
                self.text(&discriminator.property_name);
                // An empty mapping is not written at all; one whose keys are all prose was
                // written as an empty object, so the two stay apart.
                if !discriminator.mapping.is_empty() {
                    self.key.push('m');
                    for (value, target) in &discriminator.mapping {
                        if !is_prose_key(value) {
                            self.text(value);
                            self.text(target);
                        }
                    }
                }
                self.key.push(';');
            }
            None => self.key.push('_'),
        }
        let unread = data.unread.as_deref();
        match unread.and_then(|unread| unread.external_docs.as_ref()) {
            Some(docs) => {
                self.key.push('e');
                self.text(&docs.url);
            }
            None => self.key.push('_'),
        }
        match unread.and_then(|unread| unread.default.as_ref()) {
            Some(default) => {
                self.key.push('=');
                self.debug(default);
            }
            None => self.key.push('_'),
        }
    }

    fn kind(&mut self, kind: &SchemaKind) {
        // The scalar kinds hold no schemas and no prose: a letter for the kind, then its
        // keywords, the rarer kinds' by their `Debug` text.
        let (letter, scalar): (char, &dyn std::fmt::Debug) = match kind {
            SchemaKind::Type(Type::String(string)) => {
                self.key.push('S');
                return self.string(string);
            }
            SchemaKind::Type(Type::Number(number)) => ('N', number),
            SchemaKind::Type(Type::Integer(integer)) => {
                self.key.push('I');
                return self.integer(integer);
            }
            SchemaKind::Type(Type::Boolean(boolean)) => ('B', boolean),
            SchemaKind::Type(Type::Object(object)) => return self.object(object),
            SchemaKind::Type(Type::Array(array)) => return self.array(array),
            SchemaKind::OneOf { one_of } => return self.tagged_list('O', one_of),
            SchemaKind::AllOf { all_of } => return self.tagged_list('A', all_of),
            SchemaKind::AnyOf { any_of } => return self.tagged_list('Y', any_of),
            SchemaKind::Not { not } => {
                self.key.push('!');
                return self.reference_or(not);
            }
            SchemaKind::Any(any) => return self.any(any),
        };
        self.key.push(letter);
        self.debug(scalar);
    }

    fn tagged_list(&mut self, letter: char, schemas: &[ReferenceOr<Schema>]) {
        self.key.push(letter);
        self.list(schemas);
    }

    fn properties(&mut self, properties: &Properties, required: &[String]) {
        self.key.push('(');
        for (name, schema) in properties {
            self.text(name);
            self.boxed(schema);
        }
        self.key.push(')');
        self.key.push('[');
        for name in required {
            self.text(name);
        }
        self.key.push(']');
    }

    fn additional(&mut self, additional: Option<&AdditionalProperties>) {
        match additional {
            None => self.key.push('_'),
            Some(AdditionalProperties::Any(allowed)) => {
                self.key.push(if *allowed { 'T' } else { 'F' })
            }
            Some(AdditionalProperties::Schema(schema)) => {
                self.key.push('+');
                self.reference_or(schema);
            }
        }
    }

    fn object(&mut self, object: &ObjectType) {
        self.key.push('o');
        self.properties(&object.properties, &object.required);
        self.additional(object.additional_properties.as_ref());
        self.optional_number(object.min_properties);
        self.optional_number(object.max_properties);
    }

    fn array(&mut self, array: &ArrayType) {
        self.key.push('a');
        self.optional_boxed(array.items.as_ref());
        self.optional_number(array.min_items);
        self.optional_number(array.max_items);
        self.flag(array.unique_items);
    }

    fn any(&mut self, any: &AnySchema) {
        self.key.push('*');
        self.debug(&(
            &any.typ,
            &any.pattern,
            any.multiple_of,
            any.exclusive_minimum,
            any.exclusive_maximum,
            any.minimum,
            any.maximum,
        ));
        self.properties(&any.properties, &any.required);
        self.additional(any.additional_properties.as_ref());
        self.debug(&(any.min_properties, any.max_properties));
        self.optional_boxed(any.items.as_ref());
        self.debug(&(
            any.min_items,
            any.max_items,
            any.unique_items,
            &any.enumeration,
            &any.format,
            any.min_length,
            any.max_length,
        ));
        self.list(&any.one_of);
        self.list(&any.all_of);
        self.list(&any.any_of);
        match &any.not {
            Some(not) => {
                self.key.push('!');
                self.reference_or(not);
            }
            None => self.key.push('_'),
        }
    }
}

#[cfg(test)]
mod tests;
