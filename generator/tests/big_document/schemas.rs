//! The component schemas of the synthesized document: resources, their create bodies, and the support schemas (objects, enums, unions, allOf, maps, arrays, recursive ones), as in the script's schema section.

use super::{Kind, Pool, Resource, STRING_FORMATS, Synth, plural, schema_ref, with};
use serde_json::{Map, Value, json};

fn properties_of(schema: &mut Value) -> &mut Map<String, Value> {
    match schema.get_mut("properties") {
        Some(Value::Object(map)) => map,
        _ => unreachable!("every object schema here has properties"),
    }
}

impl Synth {
    /// A plain property schema for `roll` in 0..48 (strings, dates, numbers, booleans).
    fn primitive(&mut self, roll: usize) -> Value {
        if roll < 18 {
            let mut schema = json!({"type": "string"});
            let format_roll = self.rng.below(10);
            if format_roll < STRING_FORMATS.len() {
                schema = with(schema, "format", json!(STRING_FORMATS[format_roll]));
            }
            if self.rng.chance(40) {
                schema = with(schema, "maxLength", json!(self.rng.between(8, 512)));
            }
            if self.rng.chance(30) {
                schema = with(schema, "example", json!(*self.rng.pick(&self.w.values)));
            }
            return schema;
        }
        if roll < 25 {
            return json!({"type": "string", "format": "date-time"});
        }
        if roll < 27 {
            return json!({"type": "string", "format": "date"});
        }
        if roll < 36 {
            let mut schema = json!({"type": "integer"});
            let format_roll = self.rng.below(3);
            if format_roll < 2 {
                schema = with(schema, "format", json!(["int32", "int64"][format_roll]));
            }
            if self.rng.chance(30) {
                schema = with(schema, "minimum", json!(0));
                schema = with(schema, "maximum", json!(self.rng.between(10, 100_000)));
            }
            return schema;
        }
        if roll < 41 {
            return json!({"type": "number", "format": *self.rng.pick(&["float", "double"])});
        }
        json!({"type": "boolean"})
    }

    fn string_or_ref(&mut self, pool: Pool, owner: usize) -> Value {
        self.after_ref(pool, owner)
            .unwrap_or_else(|| json!({"type": "string"}))
    }

    /// One property schema of a schema at component index `owner`.
    fn property(&mut self, owner: usize, depth: usize) -> Value {
        let roll = self.rng.below(100);
        if roll < 48 {
            let schema = self.primitive(roll);
            return if self.rng.chance(15) {
                with(schema, "nullable", json!(true))
            } else {
                schema
            };
        }
        if roll < 54 {
            let schema = json!({"type": "string", "enum": self.enum_values(2, 6)});
            return if self.rng.chance(15) {
                with(schema, "nullable", json!(true))
            } else {
                schema
            };
        }
        if roll < 59 {
            return match self.after_ref(Pool::Enum, owner) {
                Some(target) => target,
                None => json!({"type": "string", "enum": self.enum_values(2, 6)}),
            };
        }
        if roll < 70 {
            return self.string_or_ref(Pool::Property, owner);
        }
        if roll < 75 {
            let items = self.string_or_ref(Pool::Object, owner);
            return json!({"type": "array", "items": items});
        }
        if roll < 78 {
            let items = if self.rng.chance(33) {
                json!({"type": "string", "enum": self.enum_values(2, 5)})
            } else {
                json!({"type": "string"})
            };
            return json!({"type": "array", "items": items});
        }
        if roll < 80 {
            if depth >= 2 {
                return json!({"type": "array", "items": {"type": "integer"}});
            }
            return json!({"type": "array", "items": self.object_schema(owner, depth + 1, 2, 4, false)});
        }
        if roll < 85 {
            if depth >= 2 {
                return json!({"type": "string"});
            }
            return self.object_schema(owner, depth + 1, 3, 6, false);
        }
        if roll < 88 {
            let values = match self.rng.below(3) {
                0 => json!({"type": "string"}),
                1 => json!({"type": "integer", "format": "int64"}),
                _ => self.string_or_ref(Pool::Object, owner),
            };
            return json!({"type": "object", "additionalProperties": values});
        }
        if roll < 91 {
            let Some(target) = self.after_ref(Pool::Object, owner) else {
                return json!({"type": "string", "nullable": true});
            };
            let nothing = self.null_member();
            return json!({"anyOf": [target, nothing]});
        }
        if roll < 93 {
            return match self.after_ref(Pool::Object, owner) {
                Some(target) => json!({"oneOf": [{"type": "string"}, target]}),
                None => json!({"type": "string"}),
            };
        }
        if roll < 95 {
            return match self.after_ref(Pool::Object, owner) {
                Some(target) => json!({"allOf": [target]}),
                None => json!({"type": "string"}),
            };
        }
        if roll < 96 {
            return json!({"type": "object"});
        }
        if roll < 98 {
            return match self.after_ref(Pool::Property, owner) {
                Some(target) => with(target, "nullable", json!(true)),
                None => json!({"type": "string", "nullable": true}),
            };
        }
        json!({"oneOf": [{"type": "integer"}, {"type": "string"}]})
    }

    fn null_member(&mut self) -> Value {
        if self.rng.chance(50) {
            schema_ref("NullValue")
        } else {
            json!({"enum": [null]})
        }
    }

    /// Adds `count` described properties with fresh names; some are required.
    fn fill_properties(
        &mut self,
        owner: usize,
        depth: usize,
        properties: &mut Map<String, Value>,
        required: &mut Vec<Value>,
        count: usize,
        required_percent: usize,
    ) {
        for _ in 0..count {
            let mut name = (*self.rng.pick(&self.w.properties)).to_owned();
            if self.rng.chance(50) {
                name = format!("{name}_{}", self.rng.pick(&self.w.properties));
            }
            if properties.contains_key(&name) {
                name = format!("{name}_{}", properties.len());
            }
            let mut schema = self.property(owner, depth);
            if self.rng.chance(85) {
                schema = with(schema, "description", json!(self.sentence(5, 16)));
            }
            if self.rng.chance(2) {
                schema = with(schema, "deprecated", json!(true));
            }
            properties.insert(name.clone(), schema);
            if self.rng.chance(required_percent) {
                required.push(json!(name));
            }
        }
    }

    /// An object with `low..=high` properties; inline ones (`described: false`) have no description.
    fn object_schema(
        &mut self,
        owner: usize,
        depth: usize,
        low: usize,
        high: usize,
        described: bool,
    ) -> Value {
        let mut schema = Map::new();
        schema.insert("type".to_owned(), json!("object"));
        if described && self.rng.chance(90) {
            schema.insert("description".to_owned(), json!(self.sentence(8, 24)));
        }
        let mut properties = Map::new();
        let mut required = Vec::new();
        let count = self.rng.between(low, high);
        self.fill_properties(owner, depth, &mut properties, &mut required, count, 40);
        if !required.is_empty() {
            schema.insert("required".to_owned(), Value::Array(required));
        }
        schema.insert("properties".to_owned(), Value::Object(properties));
        Value::Object(schema)
    }

    fn resource_schema(&mut self, r: usize) -> Value {
        let index = self.resources[r].index;
        let name = self.resources[r].name.clone();
        let words = name.replace('_', " ");
        let mut properties = json!({
            "id": {"type": "string", "description": format!("Unique identifier of the {words}."),
                   "example": format!("{}_{index}", &name[..name.len().min(3)])},
            "object": {"type": "string", "enum": [name], "description": format!("Always `{name}`.")},
            "created_at": {"type": "string", "format": "date-time", "description": "When it was created."},
            "updated_at": {"type": "string", "format": "date-time", "nullable": true,
                           "description": "When it last changed, if ever."},
            "metadata": {"type": "object", "additionalProperties": {"type": "string"},
                         "description": "Your own key-value pairs."},
        });
        let properties = properties.as_object_mut().expect("an object");
        let mut required = vec![json!("id"), json!("object"), json!("created_at")];
        let count = self.rng.between(5, 15);
        self.fill_properties(index, 0, properties, &mut required, count, 40);
        // Expandable references to other resources (an id, or the object), cycles included.
        if self.rng.chance(30) && self.resources.len() > 1 {
            let other = self.rng.below(self.resources.len());
            if other != r {
                let other_name = self.resources[other].name.clone();
                properties.insert(
                    other_name.clone(),
                    json!({
                        "oneOf": [{"type": "string"}, schema_ref(&self.names[self.resources[other].index])],
                        "description": format!("The {}, or its id when not expanded.", other_name.replace('_', " ")),
                    }),
                );
            }
        }
        if self.rng.chance(5) {
            properties.insert(
                "parent".to_owned(),
                with(schema_ref(&self.names[index]), "nullable", json!(true)),
            );
        }
        let properties = std::mem::take(properties);
        json!({
            "type": "object",
            "description": self.sentence(10, 30),
            "required": required,
            "properties": properties,
        })
    }

    /// The resource's own properties a caller may send (not id, object or timestamps).
    fn writable(&self, resource: &Resource) -> Vec<(String, Value)> {
        let fixed = ["id", "object", "created_at", "updated_at"];
        self.bodies[&resource.index]["properties"]
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(k, _)| !fixed.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    pub(super) fn create_schema(&mut self, r: usize) -> Value {
        let writable = self.writable(&self.resources[r]);
        let mut properties = Map::new();
        for (key, value) in writable {
            if self.rng.chance(60) {
                properties.insert(key, value);
            }
        }
        if properties.is_empty() {
            properties.insert("name".to_owned(), json!({"type": "string"}));
        }
        let source = &self.bodies[&self.resources[r].index];
        let required: Vec<Value> = source["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|k| k.as_str().is_some_and(|k| properties.contains_key(k)))
            .cloned()
            .collect();
        let mut schema = json!({
            "type": "object",
            "description": format!("What a new {} is made from.", self.resources[r].name.replace('_', " ")),
        });
        if !required.is_empty() {
            schema = with(schema, "required", Value::Array(required));
        }
        with(schema, "properties", Value::Object(properties))
    }

    /// PATCH bodies: every member optional, most nullable (send null to clear).
    pub(super) fn update_schema(&mut self, r: usize) -> Value {
        let writable = self.writable(&self.resources[r]);
        let mut properties = Map::new();
        for (key, mut value) in writable {
            if self.rng.chance(50) {
                if self.rng.chance(70) {
                    value = with(value, "nullable", json!(true));
                }
                properties.insert(key, value);
            }
        }
        if properties.is_empty() {
            properties.insert(
                "note".to_owned(),
                json!({"type": "string", "nullable": true}),
            );
        }
        json!({"type": "object", "properties": properties})
    }

    fn union_schema(&mut self, index: usize, kind: Kind) -> Value {
        let mut variants = Vec::new();
        let mut at = index + 1;
        while at < self.kinds.len() && self.kinds[at] == Kind::Variant {
            variants.push(at);
            at += 1;
        }
        let tag = *self.rng.pick(&["type", "kind", "object_type"]);
        let description = self.sentence(8, 20);
        let members: Vec<Value> = variants
            .iter()
            .map(|v| schema_ref(&self.names[*v]))
            .collect();
        let mut schema = json!({"description": description, "oneOf": members});
        let mut tags = Vec::new();
        for &variant in &variants {
            let value = self.variant_tags[&variant].clone();
            tags.push(value.clone());
            let description = self.sentence(6, 16);
            let mut properties = Map::new();
            properties.insert(tag.to_owned(), json!({"type": "string", "enum": [value]}));
            let mut required = vec![json!(tag)];
            let count = self.rng.between(3, 8);
            self.fill_properties(variant, 0, &mut properties, &mut required, count, 40);
            let body = json!({"type": "object", "description": description, "required": required, "properties": properties});
            self.bodies.insert(variant, body);
        }
        if kind == Kind::Tagged {
            let mut discriminator = json!({"propertyName": tag});
            if self.rng.chance(70) {
                let mapping: Map<String, Value> = tags
                    .iter()
                    .zip(&variants)
                    .map(|(t, v)| {
                        (
                            t.clone(),
                            json!(format!("#/components/schemas/{}", self.names[*v])),
                        )
                    })
                    .collect();
                discriminator = with(discriminator, "mapping", Value::Object(mapping));
            }
            schema = with(schema, "discriminator", discriminator);
        }
        schema
    }

    fn support_schema(&mut self, index: usize) -> Value {
        let kind = self.kinds[index];
        match kind {
            Kind::Object => self.object_schema(index, 0, 5, 15, true),
            Kind::Enum => {
                let description = self.sentence(5, 12);
                json!({"type": "string", "description": description, "enum": self.enum_values(3, 10)})
            }
            Kind::Tagged | Kind::Implicit => self.union_schema(index, kind),
            Kind::Untagged => {
                let mut members = vec![json!({"type": "string"})];
                for _ in 0..self.rng.between(1, 2) {
                    if let Some(target) = self.after_ref(Pool::Object, index) {
                        if !members.contains(&target) {
                            members.push(target);
                        }
                    }
                }
                if members.len() == 1 {
                    members.push(json!({"type": "integer"}));
                }
                json!({"description": self.sentence(6, 14), "oneOf": members})
            }
            Kind::Nullable => {
                let Some(target) = self.after_ref(Pool::Object, index) else {
                    return json!({"type": "string", "enum": self.enum_values(2, 4), "nullable": true});
                };
                let nothing = self.null_member();
                json!({"description": self.sentence(6, 14), "anyOf": [target, nothing]})
            }
            Kind::AllOf => {
                let mut members = Vec::new();
                let count = if self.rng.chance(75) { 1 } else { 2 };
                for _ in 0..count {
                    if let Some(target) = self.after_ref(Pool::Object, index) {
                        if !members.contains(&target) {
                            members.push(target);
                        }
                    }
                }
                members.push(self.object_schema(index, 1, 2, 6, false));
                json!({"description": self.sentence(6, 14), "allOf": members})
            }
            Kind::MapObject => {
                let schema = self.object_schema(index, 0, 2, 5, true);
                let values = self.string_or_ref(Pool::Object, index);
                with(schema, "additionalProperties", values)
            }
            Kind::Array => {
                let items = self.string_or_ref(Pool::Object, index);
                json!({"type": "array", "description": self.sentence(4, 10), "items": items})
            }
            Kind::Tree => {
                let mut schema = self.object_schema(index, 0, 3, 8, true);
                let me = schema_ref(&self.names[index]);
                let properties = properties_of(&mut schema);
                properties.insert(
                    "parent".to_owned(),
                    with(me.clone(), "nullable", json!(true)),
                );
                properties.insert("children".to_owned(), json!({"type": "array", "items": me}));
                schema
            }
            Kind::MutualA | Kind::MutualB => {
                let mut schema = self.object_schema(index, 0, 3, 8, true);
                let (key, other) = if kind == Kind::MutualA {
                    ("lead_member", index + 1)
                } else {
                    ("group", index - 1)
                };
                let target = schema_ref(&self.names[other]);
                properties_of(&mut schema).insert(key.to_owned(), target);
                schema
            }
            Kind::Resource | Kind::Create | Kind::Error | Kind::Null | Kind::Variant => {
                unreachable!("{kind:?} schemas are written elsewhere")
            }
        }
    }

    pub(super) fn fill_schemas(&mut self) {
        for r in 0..self.resources.len() {
            let body = self.resource_schema(r);
            self.bodies.insert(self.resources[r].index, body);
            if let Some(create) = self.resources[r].create {
                let body = self.create_schema(r);
                self.bodies.insert(create, body);
            }
        }
        for index in 0..self.kinds.len() {
            if self.bodies.contains_key(&index) {
                continue;
            }
            let body = match self.kinds[index] {
                Kind::Error => json!({
                    "type": "object",
                    "description": "What went wrong.",
                    "required": ["code", "message"],
                    "properties": {
                        "code": {"type": "string", "description": "A stable, machine-readable code."},
                        "message": {"type": "string", "description": "For people, not programs."},
                        "param": {"type": "string", "nullable": true, "description": "The parameter at fault."},
                        "request_id": {"type": "string", "description": "Quote this when asking for help."},
                    },
                }),
                Kind::Null => json!({"nullable": true, "description": "Only `null`."}),
                _ => self.support_schema(index),
            };
            self.bodies.insert(index, body);
        }
        let _ = plural;
    }
}
