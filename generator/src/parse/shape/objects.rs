//! One check per OpenAPI object kind (document, path item, operation, parameter, schema, …), each naming the fields `openapiv3` types.

use super::{Check, METHODS, QUERY_STYLES, Shape, describe, is_status_code};
use crate::diagnostics::{kind_of, pointer_push};
use serde_json::{Map, Value};

impl Shape {
    /// Everything in the document but its components (checked by [`Shape::components_of`]).
    pub(super) fn outside_components(&mut self, value: &Value) {
        let Some(map) = self.object(value, "", "the document") else {
            return;
        };
        match map.get("info") {
            Some(info) => self.info(info, "/info"),
            None => self.error(
                "/info".to_owned(),
                "`info` is missing; add `info: {title: …, version: …}`".to_owned(),
            ),
        }
        self.list(map, "", "servers", Shape::server);
        self.list(map, "", "tags", Shape::tag);
        self.optional_list(map, "", "security", Shape::security_requirement);
        self.field(map, "", "externalDocs", Shape::external_docs);
        if let Some(paths) = map.get("paths") {
            self.paths(paths, "/paths");
        }
    }

    /// The document's components, if it is a mapping that has them.
    pub(super) fn components_of(&mut self, value: &Value) {
        if let Some(map) = value.as_object() {
            self.field(map, "", "components", Shape::components);
        }
    }

    fn info(&mut self, value: &Value, pointer: &str) {
        let Some(map) = self.object(value, pointer, "`info`") else {
            return;
        };
        self.string(map, pointer, "title", true);
        self.string(map, pointer, "version", true);
        for key in ["description", "termsOfService"] {
            self.string(map, pointer, key, false);
        }
        self.field(map, pointer, "contact", |shape, value, pointer| {
            if let Some(map) = shape.object(value, pointer, "`contact`") {
                for key in ["name", "url", "email"] {
                    shape.string(map, pointer, key, false);
                }
            }
        });
        self.field(map, pointer, "license", |shape, value, pointer| {
            if let Some(map) = shape.object(value, pointer, "`license`") {
                shape.string(map, pointer, "name", true);
                shape.string(map, pointer, "url", false);
            }
        });
    }

    fn server(&mut self, value: &Value, pointer: &str) {
        let Some(map) = self.object(value, pointer, "a server") else {
            return;
        };
        self.string(map, pointer, "url", true);
        self.string(map, pointer, "description", false);
        self.optional_map_of(map, pointer, "variables", |shape, value, pointer| {
            if let Some(map) = shape.object(value, pointer, "a server variable") {
                shape.string(map, pointer, "default", true);
                shape.string(map, pointer, "description", false);
                shape.strings(map, pointer, "enum");
            }
        });
    }

    fn tag(&mut self, value: &Value, pointer: &str) {
        let Some(map) = self.object(value, pointer, "a tag") else {
            return;
        };
        self.string(map, pointer, "name", true);
        self.string(map, pointer, "description", false);
        self.field(map, pointer, "externalDocs", Shape::external_docs);
    }

    pub(super) fn external_docs(&mut self, value: &Value, pointer: &str) {
        let Some(map) = self.object(value, pointer, "`externalDocs`") else {
            return;
        };
        self.string(map, pointer, "url", true);
        self.string(map, pointer, "description", false);
    }

    /// `{scheme name: [scope, …]}`.
    fn security_requirement(&mut self, value: &Value, pointer: &str) {
        let Some(map) = self.object(value, pointer, "a security requirement") else {
            return;
        };
        for key in map.keys() {
            self.strings(map, pointer, key);
        }
    }

    fn paths(&mut self, value: &Value, pointer: &str) {
        let Some(map) = self.object(value, pointer, "`paths`") else {
            return;
        };
        for (path, item) in map {
            let here = pointer_push(pointer, path);
            if path.starts_with("x-") {
                continue;
            }
            if path.starts_with('/') {
                self.ref_or(item, &here, Shape::path_item);
            } else {
                // openapiv3 would drop the entry without a word.
                let message = format!("path `{path}` must start with `/`; write `/{path}`");
                self.error(here, message);
            }
        }
    }

    fn path_item(&mut self, value: &Value, pointer: &str) {
        let Some(map) = self.object(value, pointer, "a path item") else {
            return;
        };
        for key in ["summary", "description"] {
            self.string(map, pointer, key, false);
        }
        for method in METHODS {
            self.field(map, pointer, method, Shape::operation);
        }
        self.list(map, pointer, "servers", Shape::server);
        self.list(map, pointer, "parameters", Shape::parameter_or_ref);
    }

    fn operation(&mut self, value: &Value, pointer: &str) {
        let Some(map) = self.object(value, pointer, "an operation") else {
            return;
        };
        self.strings(map, pointer, "tags");
        for key in ["summary", "description", "operationId"] {
            self.string(map, pointer, key, false);
        }
        self.boolean(map, pointer, "deprecated");
        self.field(map, pointer, "externalDocs", Shape::external_docs);
        self.list(map, pointer, "parameters", Shape::parameter_or_ref);
        self.field(map, pointer, "requestBody", |shape, value, pointer| {
            shape.ref_or(value, pointer, Shape::request_body)
        });
        match map.get("responses") {
            Some(responses) => self.responses(responses, &pointer_push(pointer, "responses")),
            None => self.error(
                pointer_push(pointer, "responses"),
                "the operation has no `responses`; add at least `responses: {'200': {description: OK}}`"
                    .to_owned(),
            ),
        }
        self.map_of(map, pointer, "callbacks", Shape::callback);
        self.optional_list(map, pointer, "security", Shape::security_requirement);
        self.list(map, pointer, "servers", Shape::server);
    }

    /// `{expression: path item}`.
    fn callback(&mut self, value: &Value, pointer: &str) {
        if let Some(map) = self.object(value, pointer, "a callback") {
            for (expression, item) in map {
                self.path_item(item, &pointer_push(pointer, expression));
            }
        }
    }

    fn parameter_or_ref(&mut self, value: &Value, pointer: &str) {
        self.ref_or(value, pointer, Shape::parameter);
    }

    fn parameter(&mut self, value: &Value, pointer: &str) {
        let Some(map) = self.object(value, pointer, "a parameter") else {
            return;
        };
        self.string(map, pointer, "name", true);
        let at = pointer_push(pointer, "in");
        let styles: &[&str] = match map.get("in") {
            Some(Value::String(place)) => match place.as_str() {
                "query" => QUERY_STYLES,
                "path" => &["matrix", "label", "simple"],
                "header" => &["simple"],
                "cookie" => &["form"],
                "body" | "formData" => {
                    let message = "`in: body` and `in: formData` are Swagger 2.0; in OpenAPI 3 the body is the operation's `requestBody`";
                    return self.error(at, message.to_owned());
                }
                other => {
                    let message =
                        format!("`in` must be query, path, header or cookie, not `{other}`");
                    return self.error(at, message);
                }
            },
            Some(other) => {
                let message = format!(
                    "`in` must be the string query, path, header or cookie, not {}",
                    kind_of(other)
                );
                return self.error(at, message);
            }
            None => {
                let message =
                    "`in` is missing; say where the parameter goes: query, path, header or cookie";
                return self.error(at, message.to_owned());
            }
        };
        self.word(map, pointer, "style", styles);
        self.string(map, pointer, "description", false);
        for key in ["required", "allowReserved"] {
            self.boolean(map, pointer, key);
        }
        for key in ["deprecated", "explode", "allowEmptyValue"] {
            self.optional_boolean(map, pointer, key);
        }
        self.schema_or_content(map, pointer, "parameter");
        self.map_of(map, pointer, "examples", Shape::example_or_ref);
    }

    /// Parameters and headers say what they carry with exactly one of `schema` or `content`.
    fn schema_or_content(&mut self, map: &Map<String, Value>, pointer: &str, what: &str) {
        let message = match (map.get("schema"), map.get("content")) {
            (Some(schema), None) => {
                return self.schema_or_ref(schema, &pointer_push(pointer, "schema"));
            }
            (None, Some(_)) => return self.map_of(map, pointer, "content", Shape::media_type),
            (Some(_), Some(_)) => format!("the {what} has both `schema` and `content`; keep one"),
            (None, None) => format!(
                "the {what} has neither a `schema` nor `content`; add a `schema`, e.g. `schema: {{type: string}}`"
            ),
        };
        self.error(pointer.to_owned(), message);
    }

    fn request_body(&mut self, value: &Value, pointer: &str) {
        let Some(map) = self.object(value, pointer, "a request body") else {
            return;
        };
        self.string(map, pointer, "description", false);
        self.boolean(map, pointer, "required");
        self.map_of(map, pointer, "content", Shape::media_type);
    }

    fn responses(&mut self, value: &Value, pointer: &str) {
        let Some(map) = self.object(value, pointer, "`responses`") else {
            return;
        };
        for (code, response) in map {
            let here = pointer_push(pointer, code);
            if code == "default" || is_status_code(code) {
                self.ref_or(response, &here, Shape::response);
            } else if !code.starts_with("x-") {
                // openapiv3 would drop the entry without a word.
                let message = format!(
                    "`{code}` is not a status code; use a code such as `200`, a range such as `2XX`, or `default`"
                );
                self.error(here, message);
            }
        }
    }

    fn response(&mut self, value: &Value, pointer: &str) {
        let Some(map) = self.object(value, pointer, "a response") else {
            return;
        };
        self.string(map, pointer, "description", true);
        self.map_of(map, pointer, "headers", Shape::header_or_ref);
        self.map_of(map, pointer, "content", Shape::media_type);
        self.map_of(map, pointer, "links", Shape::link_or_ref);
    }

    fn header_or_ref(&mut self, value: &Value, pointer: &str) {
        self.ref_or(value, pointer, Shape::header);
    }

    fn header(&mut self, value: &Value, pointer: &str) {
        let Some(map) = self.object(value, pointer, "a header") else {
            return;
        };
        self.string(map, pointer, "description", false);
        self.word(map, pointer, "style", &["simple"]);
        self.boolean(map, pointer, "required");
        self.optional_boolean(map, pointer, "deprecated");
        self.schema_or_content(map, pointer, "header");
        self.map_of(map, pointer, "examples", Shape::example_or_ref);
    }

    fn link_or_ref(&mut self, value: &Value, pointer: &str) {
        self.ref_or(value, pointer, Shape::link);
    }

    fn link(&mut self, value: &Value, pointer: &str) {
        let Some(map) = self.object(value, pointer, "a link") else {
            return;
        };
        for key in ["operationId", "operationRef", "description"] {
            self.string(map, pointer, key, false);
        }
        if !map.contains_key("operationId") && !map.contains_key("operationRef") {
            let message = "the link has neither `operationId` nor `operationRef`; add one";
            self.error(pointer.to_owned(), message.to_owned());
        }
        self.field(map, pointer, "server", Shape::server);
        if let Some(parameters) = map.get("parameters") {
            let at = pointer_push(pointer, "parameters");
            self.object(parameters, &at, "`parameters`");
        }
    }

    fn media_type(&mut self, value: &Value, pointer: &str) {
        let Some(map) = self.object(value, pointer, "a media type") else {
            return;
        };
        self.field(map, pointer, "schema", Shape::schema_or_ref);
        self.map_of(map, pointer, "examples", Shape::example_or_ref);
        self.map_of(map, pointer, "encoding", |shape, value, pointer| {
            let Some(map) = shape.object(value, pointer, "an encoding") else {
                return;
            };
            shape.string(map, pointer, "contentType", false);
            if Shape::get(map, "style").is_some() {
                shape.word(map, pointer, "style", QUERY_STYLES);
            }
            shape.boolean(map, pointer, "explode");
            shape.boolean(map, pointer, "allowReserved");
            shape.map_of(map, pointer, "headers", Shape::header_or_ref);
        });
    }

    fn example_or_ref(&mut self, value: &Value, pointer: &str) {
        self.ref_or(value, pointer, |shape, value, pointer| {
            if let Some(map) = shape.object(value, pointer, "an example") {
                for key in ["summary", "description", "externalValue"] {
                    shape.string(map, pointer, key, false);
                }
            }
        });
    }

    fn components(&mut self, value: &Value, pointer: &str) {
        let Some(map) = self.object(value, pointer, "`components`") else {
            return;
        };
        let sections: [(&str, Check); 9] = [
            ("schemas", Shape::schema_or_ref),
            ("responses", |s, v, p| s.ref_or(v, p, Shape::response)),
            ("parameters", Shape::parameter_or_ref),
            ("examples", Shape::example_or_ref),
            ("requestBodies", |s, v, p| {
                s.ref_or(v, p, Shape::request_body)
            }),
            ("headers", Shape::header_or_ref),
            ("securitySchemes", |s, v, p| {
                s.ref_or(v, p, Shape::security_scheme)
            }),
            ("links", Shape::link_or_ref),
            ("callbacks", |s, v, p| s.ref_or(v, p, Shape::callback)),
        ];
        for (section, check) in sections {
            self.map_of(map, pointer, section, check);
        }
    }

    fn security_scheme(&mut self, value: &Value, pointer: &str) {
        let Some(map) = self.object(value, pointer, "a security scheme") else {
            return;
        };
        self.string(map, pointer, "description", false);
        match map.get("type").and_then(Value::as_str) {
            Some("apiKey") => {
                self.string(map, pointer, "name", true);
                self.word(map, pointer, "in", &["query", "header", "cookie"]);
                if !map.contains_key("in") {
                    let message =
                        "`in` is missing; say where the key goes: query, header or cookie";
                    self.error(pointer_push(pointer, "in"), message.to_owned());
                }
            }
            Some("http") => {
                self.string(map, pointer, "scheme", true);
                self.string(map, pointer, "bearerFormat", false);
            }
            Some("oauth2") => match map.get("flows") {
                Some(flows) => self.oauth_flows(flows, &pointer_push(pointer, "flows")),
                None => self.error(
                    pointer_push(pointer, "flows"),
                    "`flows` is missing".to_owned(),
                ),
            },
            Some("openIdConnect") => self.string(map, pointer, "openIdConnectUrl", true),
            _ => {
                let found = map.get("type").map_or("missing".to_owned(), describe);
                let message =
                    format!("`type` must be apiKey, http, oauth2 or openIdConnect, not {found}");
                self.error(pointer_push(pointer, "type"), message);
            }
        }
    }

    fn oauth_flows(&mut self, value: &Value, pointer: &str) {
        let Some(map) = self.object(value, pointer, "`flows`") else {
            return;
        };
        let flows: [(&str, &[&str]); 4] = [
            ("implicit", &["authorizationUrl"]),
            ("password", &["tokenUrl"]),
            ("clientCredentials", &["tokenUrl"]),
            ("authorizationCode", &["authorizationUrl", "tokenUrl"]),
        ];
        for (flow, urls) in flows {
            let Some(value) = Shape::get(map, flow) else {
                continue;
            };
            let here = pointer_push(pointer, flow);
            let Some(flow) = self.object(value, &here, &format!("`{flow}`")) else {
                continue;
            };
            for url in urls {
                self.string(flow, &here, url, true);
            }
            self.string(flow, &here, "refreshUrl", false);
            let at = pointer_push(&here, "scopes");
            match flow.get("scopes") {
                Some(scopes) => {
                    if let Some(scopes) = self.object(scopes, &at, "`scopes`") {
                        for key in scopes.keys() {
                            self.string(scopes, &at, key, false);
                        }
                    }
                }
                None => {
                    let message = "`scopes` is missing; use `scopes: {}` for none";
                    self.error(at, message.to_owned());
                }
            }
        }
    }
}
