//! The paths of the synthesized document (per resource a collection, an item path, and sub-resource and action paths, with parameters, bodies and responses) and the document around them, as in the script's paths section.

use super::{Synth, pascal, plural, schema_ref};
use serde_json::{Map, Value, json};

fn id_parameter(name: &str, param: &str) -> Value {
    json!({
        "name": param,
        "in": "path",
        "required": true,
        "description": format!("Id of the {}.", name.replace('_', " ")),
        "schema": {"type": "string"},
    })
}

fn list_response(item: &str) -> Value {
    json!({
        "description": "A page of results.",
        "content": {"application/json": {"schema": {
            "type": "object",
            "required": ["type", "data", "count", "_links"],
            "properties": {
                "type": {"type": "string", "enum": ["list"]},
                "data": {"type": "array", "items": schema_ref(item)},
                "count": {"type": "integer"},
                "_links": {
                    "type": "object",
                    "required": ["self"],
                    "properties": {
                        "self": {"type": "string", "format": "uri"},
                        "next": {"type": "string", "format": "uri"},
                        "prev": {"type": "string", "format": "uri"},
                    },
                },
            },
        }}},
    })
}

fn error_ref(name: &str) -> Value {
    json!({"$ref": format!("#/components/responses/{name}")})
}

/// The path item at `path`, made empty on first use (document order is first-use order).
fn item<'a>(paths: &'a mut Map<String, Value>, path: &str) -> &'a mut Map<String, Value> {
    paths
        .entry(path.to_owned())
        .or_insert_with(|| json!({}))
        .as_object_mut()
        .expect("path items are objects")
}

impl Synth {
    fn operation(&mut self, op_id: &str, summary: String, tag: &str) -> Map<String, Value> {
        let mut operation = Map::new();
        operation.insert("operationId".to_owned(), json!(op_id));
        operation.insert("tags".to_owned(), json!([tag]));
        operation.insert("summary".to_owned(), json!(summary));
        operation.insert("description".to_owned(), json!(self.sentence(10, 30)));
        operation
    }

    fn list_filters(&mut self) -> Vec<Value> {
        let mut parameters = vec![
            json!({"$ref": "#/components/parameters/limit"}),
            json!({"$ref": "#/components/parameters/cursor"}),
        ];
        if self.rng.chance(50) {
            parameters.push(
                json!({"name": "status", "in": "query", "description": "Only items in this state.",
                                   "schema": {"type": "string", "enum": self.enum_values(2, 5)}}),
            );
            parameters.push(json!({"name": "created_after", "in": "query",
                                   "schema": {"type": "string", "format": "date-time"}}));
            if self.rng.chance(50) {
                parameters.push(
                    json!({"name": "include", "in": "query", "style": "form", "explode": true,
                                       "schema": {"type": "array", "items": {"type": "string"}}}),
                );
            }
        }
        parameters
    }

    pub(super) fn fill_paths(&mut self) -> Map<String, Value> {
        let mut paths = Map::new();
        for r in 0..self.resources.len() {
            let name = self.resources[r].name.clone();
            let title = pascal(&name);
            let words = name.replace('_', " ");
            let tag = pascal(&plural(&name));
            let collection = format!("/{}", plural(&name).replace('_', "-"));
            let main = self.names[self.resources[r].index].clone();
            let param = if self.rng.chance(50) {
                "id".to_owned()
            } else {
                format!("{name}_id")
            };
            let shared = self.rng.chance(50);
            let item_path = format!("{collection}/{{{param}}}");
            let child = if self.resources.len() > 1 {
                let mut others: Vec<usize> =
                    (0..self.resources.len()).filter(|o| *o != r).collect();
                Some(others.remove(self.rng.below(others.len())))
            } else {
                None
            };
            let child = child.map(|c| {
                (
                    self.resources[c].name.clone(),
                    self.names[self.resources[c].index].clone(),
                )
            });
            let ops = self.resources[r].ops.clone();
            for op in ops {
                let on_item = matches!(op, "retrieve" | "update" | "delete");
                if on_item && shared {
                    let item = item(&mut paths, &item_path);
                    if !item.contains_key("parameters") {
                        item.insert(
                            "parameters".to_owned(),
                            json!([id_parameter(&name, &param)]),
                        );
                    }
                }
                let own_id: Vec<Value> = if shared && on_item {
                    Vec::new()
                } else {
                    vec![id_parameter(&name, &param)]
                };
                match op {
                    "list" => {
                        let op_id = format!("list{}", pascal(&plural(&name)));
                        let mut operation =
                            self.operation(&op_id, format!("List {}", plural(&words)), &tag);
                        operation
                            .insert("parameters".to_owned(), Value::Array(self.list_filters()));
                        operation.insert(
                            "responses".to_owned(),
                            json!({"200": list_response(&main), "default": error_ref("Error")}),
                        );
                        item(&mut paths, &collection)
                            .insert("get".to_owned(), Value::Object(operation));
                    }
                    "create" => {
                        let mut operation = self.operation(
                            &format!("create{title}"),
                            format!("Create a {words}"),
                            &tag,
                        );
                        let body = match self.resources[r].create {
                            Some(index) => schema_ref(&self.names[index]),
                            None => self.create_schema(r),
                        };
                        operation.insert("requestBody".to_owned(), json!({"required": true, "content": {"application/json": {"schema": body}}}));
                        operation.insert(
                            "responses".to_owned(),
                            json!({
                                "201": json_response("Created.", schema_ref(&main)),
                                "400": error_ref("BadRequest"),
                                "default": error_ref("Error"),
                            }),
                        );
                        item(&mut paths, &collection)
                            .insert("post".to_owned(), Value::Object(operation));
                    }
                    "retrieve" => {
                        let mut operation = self.operation(
                            &format!("retrieve{title}"),
                            format!("Retrieve a {words}"),
                            &tag,
                        );
                        let mut parameters = own_id;
                        if self.rng.chance(20) {
                            parameters.push(json!({"name": "expand", "in": "query", "schema": {
                                "type": "array", "items": {"type": "string", "enum": self.enum_values(2, 4)}}}));
                        }
                        if !parameters.is_empty() {
                            operation.insert("parameters".to_owned(), Value::Array(parameters));
                        }
                        operation.insert(
                            "responses".to_owned(),
                            json!({
                                "200": json_response("Found.", schema_ref(&main)),
                                "404": error_ref("NotFound"),
                                "default": error_ref("Error"),
                            }),
                        );
                        item(&mut paths, &item_path)
                            .insert("get".to_owned(), Value::Object(operation));
                    }
                    "update" => {
                        let mut operation = self.operation(
                            &format!("update{title}"),
                            format!("Update a {words}"),
                            &tag,
                        );
                        if !own_id.is_empty() {
                            operation.insert("parameters".to_owned(), Value::Array(own_id));
                        }
                        let body = self.update_schema(r);
                        operation.insert("requestBody".to_owned(), json!({"required": true, "content": {"application/json": {"schema": body}}}));
                        operation.insert(
                            "responses".to_owned(),
                            json!({
                                "200": json_response("Updated.", schema_ref(&main)),
                                "404": error_ref("NotFound"),
                                "default": error_ref("Error"),
                            }),
                        );
                        item(&mut paths, &item_path)
                            .insert("patch".to_owned(), Value::Object(operation));
                    }
                    "delete" => {
                        let mut operation = self.operation(
                            &format!("delete{title}"),
                            format!("Delete a {words}"),
                            &tag,
                        );
                        if !own_id.is_empty() {
                            operation.insert("parameters".to_owned(), Value::Array(own_id));
                        }
                        let mut responses = if self.rng.chance(30) {
                            let deleted = json!({"type": "object", "required": ["id", "deleted"], "properties": {
                                "id": {"type": "string"}, "deleted": {"type": "boolean"}}});
                            json!({"200": json_response("Deleted.", deleted)})
                        } else {
                            json!({"204": {"description": "Deleted."}})
                        };
                        let map = responses.as_object_mut().expect("an object");
                        map.insert("404".to_owned(), error_ref("NotFound"));
                        map.insert("default".to_owned(), error_ref("Error"));
                        operation.insert("responses".to_owned(), responses);
                        item(&mut paths, &item_path)
                            .insert("delete".to_owned(), Value::Object(operation));
                    }
                    "sub_list" => {
                        let Some((child_name, child_schema)) = &child else {
                            continue;
                        };
                        let children = plural(child_name);
                        let path = format!("{item_path}/{}", children.replace('_', "-"));
                        let op_id = format!("list{title}{}", pascal(&children));
                        let summary =
                            format!("List the {} of a {words}", children.replace('_', " "));
                        let mut operation = self.operation(&op_id, summary, &tag);
                        let mut parameters = vec![id_parameter(&name, &param)];
                        parameters.extend(self.list_filters());
                        operation.insert("parameters".to_owned(), Value::Array(parameters));
                        operation.insert("responses".to_owned(), json!({"200": list_response(child_schema), "default": error_ref("Error")}));
                        item(&mut paths, &path).insert("get".to_owned(), Value::Object(operation));
                    }
                    "action" => {
                        let verb = *self.rng.pick(&self.w.actions);
                        let path = format!("{item_path}/{verb}");
                        let summary = format!("{} a {words}", pascal(verb));
                        let mut operation =
                            self.operation(&format!("{verb}{title}"), summary, &tag);
                        operation.insert(
                            "parameters".to_owned(),
                            json!([id_parameter(&name, &param)]),
                        );
                        if self.rng.chance(50) {
                            let reason = self.sentence(4, 10);
                            operation.insert("requestBody".to_owned(), json!({"content": {"application/json": {"schema": {
                                "type": "object",
                                "properties": {
                                    "reason": {"type": "string", "maxLength": 500, "description": reason},
                                    "notify": {"type": "boolean", "description": "Whether to tell the owner."},
                                },
                            }}}}));
                        }
                        let mut responses = if self.rng.chance(25) {
                            let job = json!({"type": "object", "required": ["job_id"], "properties": {
                                "job_id": {"type": "string"},
                                "state": {"type": "string", "enum": ["queued", "running", "done"]}}});
                            json!({"202": json_response("Accepted.", job)})
                        } else {
                            json!({"200": json_response("Done.", schema_ref(&main))})
                        };
                        responses
                            .as_object_mut()
                            .expect("an object")
                            .insert("default".to_owned(), error_ref("Error"));
                        operation.insert("responses".to_owned(), responses);
                        item(&mut paths, &path).insert("post".to_owned(), Value::Object(operation));
                    }
                    "sub_retrieve" => {
                        let Some((child_name, child_schema)) = &child else {
                            continue;
                        };
                        let mut child_param = format!("{child_name}_id");
                        if child_param == param {
                            child_param = "child_id".to_owned();
                        }
                        let path = format!(
                            "{item_path}/{}/{{{child_param}}}",
                            plural(child_name).replace('_', "-")
                        );
                        let op_id = format!("retrieve{title}{}", pascal(child_name));
                        let summary =
                            format!("Retrieve one {} of a {words}", child_name.replace('_', " "));
                        let mut operation = self.operation(&op_id, summary, &tag);
                        operation.insert(
                            "parameters".to_owned(),
                            json!([
                                id_parameter(&name, &param),
                                id_parameter(child_name, &child_param)
                            ]),
                        );
                        operation.insert(
                            "responses".to_owned(),
                            json!({
                                "200": json_response("Found.", schema_ref(child_schema)),
                                "404": error_ref("NotFound"),
                                "default": error_ref("Error"),
                            }),
                        );
                        item(&mut paths, &path).insert("get".to_owned(), Value::Object(operation));
                    }
                    other => unreachable!("no such operation kind `{other}`"),
                }
            }
        }
        paths
    }
}

impl Synth {
    pub(super) fn document(&mut self) -> Value {
        self.plan();
        self.fill_schemas();
        let paths = self.fill_paths();
        let mut tags = Vec::new();
        for r in 0..self.resources.len() {
            let name = pascal(&plural(&self.resources[r].name));
            tags.push(json!({"name": name, "description": self.sentence(6, 16)}));
        }
        let error = json!({"$ref": "#/components/schemas/Error"});
        let mut schemas = Map::new();
        for (index, name) in self.names.iter().enumerate() {
            schemas.insert(
                name.clone(),
                self.bodies.remove(&index).unwrap_or(Value::Null),
            );
        }
        json!({
            "openapi": "3.0.3",
            "info": {
                "title": "Synthetic API",
                "version": "1.0.0",
                "description": format!(
                    "A synthesized document of {} operations and {} schemas (seed {}), for measuring the generator.",
                    self.operations, self.names.len(), self.seed
                ),
            },
            "servers": [{"url": "https://api.example.com/v1"}],
            "security": [{"bearer": []}],
            "tags": tags,
            "paths": paths,
            "components": {
                "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
                "parameters": {
                    "limit": {"name": "limit", "in": "query", "description": "Page size.",
                              "schema": {"type": "integer", "format": "int32", "minimum": 1, "maximum": 100}},
                    "cursor": {"name": "cursor", "in": "query", "description": "Where the page starts.",
                               "schema": {"type": "string"}},
                },
                "responses": {
                    "Error": json_response("Something went wrong.", error.clone()),
                    "BadRequest": json_response("The request was not valid.", error.clone()),
                    "NotFound": json_response("No such thing.", error),
                },
                "schemas": schemas,
            },
        })
    }
}

fn json_response(description: &str, schema: Value) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": schema}}})
}
