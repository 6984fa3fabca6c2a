#!/usr/bin/env python3
"""Synthesizes a large, realistic OpenAPI 3.0.3 document, for measuring how the generator scales.

    python3 scripts/synth-spec.py --operations 1000 --schemas 2000 --seed 1 --format yaml -o big.yaml

The document has one tag per resource and CRUD paths per resource (list with a list envelope and
filters, create, retrieve, update, delete) plus sub-resource lists, actions and sub-resource
reads; path parameters (some shared at the path level) and query parameters; request bodies
(component and inline, nullable members in updates). Its schemas have 5-15 properties of varied
types: strings with formats, integers, numbers, booleans, inline and component enums, arrays,
nested inline objects, nullable members, `$ref`s, `additionalProperties` maps, oneOf/anyOf
unions (tagged by a discriminator, tagged by a required one-value member, untagged, and
`anyOf [X, null]`), allOf extensions, and a few recursive references. References between support
schemas point forward, so every cycle is one of the few made on purpose.

The output is a function of the arguments alone. `generator/tests/big_document.rs` ports this
file to Rust; both read their words from scripts/synth-words.txt and draw from the same
splitmix64 stream in the same order, so `--format json` here and `BIG_DOCUMENT_OUT=FILE cargo
test -p generator --test big_document` there write the same bytes for the same arguments.
Change the two together.
"""

import argparse
import bisect
import json
import os
import re
import sys

MASK = (1 << 64) - 1


def load_words():
    """The word lists in synth-words.txt (shared with the Rust port), by section name."""
    lists = {}
    current = None
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "synth-words.txt")
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            line = line.split("#", 1)[0].strip()
            if line.startswith("[") and line.endswith("]"):
                current = lists.setdefault(line[1:-1], [])
            elif line:
                current.extend(line.split())
    return lists


WORDS = load_words()
NOUNS = WORDS["nouns"]
QUALIFIERS = WORDS["qualifiers"]
ADJECTIVES = WORDS["adjectives"]
SUFFIXES = WORDS["suffixes"]
ENUM_SUFFIXES = WORDS["enum_suffixes"]
PROPERTY_WORDS = WORDS["property_words"]
VALUE_WORDS = WORDS["value_words"]
VARIANT_WORDS = WORDS["variant_words"]
DESCRIPTION_WORDS = WORDS["description_words"]
ACTIONS = WORDS["actions"]


STRING_FORMATS = ["email", "uri", "uuid", "hostname", "byte"]


class Rng:
    """splitmix64: small, fast, and easy to reproduce exactly in Rust."""

    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def below(self, n):
        return self.next() % n

    def between(self, low, high):
        """A number in low..=high."""
        return low + self.below(high - low + 1)

    def chance(self, percent):
        return self.below(100) < percent

    def pick(self, items):
        return items[self.below(len(items))]


def pascal(words):
    return "".join(w[:1].upper() + w[1:] for w in words.replace("-", "_").split("_") if w)


def plural(noun):
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "i", "o", "u"):
        return noun[:-1] + "ies"
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    return noun + "s"


def ref(name):
    return {"$ref": "#/components/schemas/" + name}


# Schema kinds, decided for every component before any is written so references can look ahead.
RESOURCE, CREATE, ERROR, NULL = "resource", "create", "error", "null"
OBJECT, ENUM, TAGGED, IMPLICIT, VARIANT = "object", "enum", "tagged", "implicit", "variant"
UNTAGGED, NULLABLE, ALLOF, MAPOBJ, ARRAY = "untagged", "nullable", "allof", "mapobj", "array"
TREE, MUTUAL_A, MUTUAL_B = "tree", "mutual_a", "mutual_b"

# What a `$ref` may point at: objects (allOf members too) and anything worth a property.
OBJECT_KINDS = (OBJECT, VARIANT, ALLOF, MAPOBJ, TREE, MUTUAL_A, MUTUAL_B)
PROPERTY_KINDS = OBJECT_KINDS + (TAGGED, IMPLICIT, UNTAGGED, NULLABLE, ARRAY)


class Synth:
    def __init__(self, operations, schemas, seed):
        self.rng = Rng(seed)
        self.seed = seed
        self.operations = operations
        self.schemas = schemas
        self.names = []  # component names, in document order
        self.kinds = []
        self.taken = set()
        self.object_pool = []  # indexes, ascending
        self.property_pool = []
        self.enum_pool = []
        self.resources = []  # dicts: name, ops, index, create (component index or None)
        self.bodies = {}  # component index → schema
        self.variant_tags = {}  # variant component index → its tag value

    # ----- planning -----

    def plan(self):
        self.plan_resources()
        for resource in self.resources:
            resource["index"] = self.add(pascal(resource["name"]), RESOURCE)
            if "create" in resource["ops"] and self.rng.chance(50):
                resource["create"] = self.add(pascal(resource["name"]) + "Create", CREATE)
        self.add("Error", ERROR)
        self.add("NullValue", NULL)
        while len(self.names) < self.schemas:
            left = self.schemas - len(self.names)
            roll = self.rng.below(100)
            if roll < 55:
                self.add(self.support_name(SUFFIXES), OBJECT)
            elif roll < 67:
                self.add(self.support_name(ENUM_SUFFIXES), ENUM)
            elif roll < 74 and left >= 3:
                kind = TAGGED if roll < 71 else IMPLICIT
                variants = min(self.rng.between(2, 4), left - 1)
                union = self.support_name(["Method", "Source", "Target", "Option", "Instrument"])
                self.add(union, kind)
                start = self.rng.below(len(VARIANT_WORDS))
                for k in range(variants):
                    word = VARIANT_WORDS[(start + k) % len(VARIANT_WORDS)]
                    self.variant_tags[self.add(self.unique(union + pascal(word)), VARIANT)] = word
            elif roll < 78:
                self.add(self.support_name(["Value", "Choice", "Reference"]), UNTAGGED)
            elif roll < 81:
                self.add(self.support_name(["Link", "Attachment", "Snapshot"]), NULLABLE)
            elif roll < 89:
                self.add(self.support_name(["Extended", "Full", "Expanded"]), ALLOF)
            elif roll < 93:
                self.add(self.support_name(["Map", "Labels", "Properties"]), MAPOBJ)
            elif roll < 95:
                self.add(self.support_name(["List", "Collection", "Set"]), ARRAY)
            elif roll < 96:
                self.add(self.support_name(["Node", "Tree"]), TREE)
            elif roll < 97 and left >= 2:
                first = self.support_name(["Parent", "Group"])
                self.add(first, MUTUAL_A)
                self.add(self.unique(first + "Member"), MUTUAL_B)
            else:
                self.add(self.support_name(SUFFIXES), OBJECT)

    def plan_resources(self):
        total = 0
        index = 0
        while total < self.operations:
            noun = NOUNS[index % len(NOUNS)]
            round_ = index // len(NOUNS)
            if round_ == 0:
                name = noun
            elif round_ <= len(QUALIFIERS):
                name = QUALIFIERS[round_ - 1] + "_" + noun
            else:
                name = "%s_%s" % (noun, round_)
            if self.rng.chance(15):
                ops = ["list", "retrieve"]
            else:
                ops = ["list", "create", "retrieve", "update", "delete"]
            for extra, percent in (("sub_list", 50), ("action", 40), ("sub_retrieve", 25)):
                if self.rng.chance(percent):
                    ops.append(extra)
            ops = ops[: self.operations - total]
            total += len(ops)
            self.resources.append({"name": name, "ops": ops, "create": None})
            index += 1

    def add(self, name, kind):
        index = len(self.names)
        self.names.append(name)
        self.kinds.append(kind)
        self.taken.add(name)
        if kind in OBJECT_KINDS:
            self.object_pool.append(index)
        if kind in PROPERTY_KINDS:
            self.property_pool.append(index)
        if kind == ENUM:
            self.enum_pool.append(index)
        return index

    def unique(self, name):
        if name in self.taken:
            return "%s%d" % (name, len(self.names))
        return name

    def support_name(self, suffixes):
        adjective = self.rng.pick(ADJECTIVES)
        noun = self.rng.pick(NOUNS)
        suffix = self.rng.pick(suffixes)
        return self.unique(pascal(adjective) + pascal(noun) + suffix)

    def after(self, pool, index):
        """A pool member after `index`, or None: references between support schemas point forward."""
        start = bisect.bisect_right(pool, index)
        if start == len(pool):
            return None
        return pool[start + self.rng.below(len(pool) - start)]

    # ----- text -----

    def sentence(self, low, high):
        count = self.rng.between(low, high)
        words = [self.rng.pick(DESCRIPTION_WORDS) for _ in range(count)]
        text = " ".join(words)
        return text[:1].upper() + text[1:] + "."

    def enum_values(self, low, high):
        count = self.rng.between(low, high)
        start = self.rng.below(len(VALUE_WORDS))
        return [VALUE_WORDS[(start + k) % len(VALUE_WORDS)] for k in range(count)]

    # ----- schemas -----

    def primitive(self, roll):
        """A plain property schema for `roll` in 0..48 (strings, dates, numbers, booleans)."""
        if roll < 18:
            schema = {"type": "string"}
            format_roll = self.rng.below(10)
            if format_roll < len(STRING_FORMATS):
                schema["format"] = STRING_FORMATS[format_roll]
            if self.rng.chance(40):
                schema["maxLength"] = self.rng.between(8, 512)
            if self.rng.chance(30):
                schema["example"] = self.rng.pick(VALUE_WORDS)
            return schema
        if roll < 25:
            return {"type": "string", "format": "date-time"}
        if roll < 27:
            return {"type": "string", "format": "date"}
        if roll < 36:
            schema = {"type": "integer"}
            format_roll = self.rng.below(3)
            if format_roll < 2:
                schema["format"] = ["int32", "int64"][format_roll]
            if self.rng.chance(30):
                schema["minimum"] = 0
                schema["maximum"] = self.rng.between(10, 100000)
            return schema
        if roll < 41:
            return {"type": "number", "format": self.rng.pick(["float", "double"])}
        return {"type": "boolean"}

    def property(self, owner, depth):
        """One property schema of a schema at component index `owner`."""
        roll = self.rng.below(100)
        if roll < 48:
            schema = self.primitive(roll)
            if self.rng.chance(15):
                schema["nullable"] = True
            return schema
        if roll < 54:
            schema = {"type": "string", "enum": self.enum_values(2, 6)}
            if self.rng.chance(15):
                schema["nullable"] = True
            return schema
        if roll < 59:
            target = self.after(self.enum_pool, owner)
            if target is None:
                return {"type": "string", "enum": self.enum_values(2, 6)}
            return ref(self.names[target])
        if roll < 70:
            target = self.after(self.property_pool, owner)
            return {"type": "string"} if target is None else ref(self.names[target])
        if roll < 75:
            target = self.after(self.object_pool, owner)
            items = {"type": "string"} if target is None else ref(self.names[target])
            return {"type": "array", "items": items}
        if roll < 78:
            if self.rng.chance(33):
                items = {"type": "string", "enum": self.enum_values(2, 5)}
            else:
                items = {"type": "string"}
            return {"type": "array", "items": items}
        if roll < 80:
            if depth >= 2:
                return {"type": "array", "items": {"type": "integer"}}
            return {"type": "array", "items": self.inline_object(owner, depth + 1, 2, 4)}
        if roll < 85:
            if depth >= 2:
                return {"type": "string"}
            return self.inline_object(owner, depth + 1, 3, 6)
        if roll < 88:
            value_roll = self.rng.below(3)
            if value_roll == 0:
                values = {"type": "string"}
            elif value_roll == 1:
                values = {"type": "integer", "format": "int64"}
            else:
                target = self.after(self.object_pool, owner)
                values = {"type": "string"} if target is None else ref(self.names[target])
            return {"type": "object", "additionalProperties": values}
        if roll < 91:
            target = self.after(self.object_pool, owner)
            if target is None:
                return {"type": "string", "nullable": True}
            null = ref("NullValue") if self.rng.chance(50) else {"enum": [None]}
            return {"anyOf": [ref(self.names[target]), null]}
        if roll < 93:
            target = self.after(self.object_pool, owner)
            if target is None:
                return {"type": "string"}
            return {"oneOf": [{"type": "string"}, ref(self.names[target])]}
        if roll < 95:
            target = self.after(self.object_pool, owner)
            if target is None:
                return {"type": "string"}
            return {"allOf": [ref(self.names[target])]}
        if roll < 96:
            return {"type": "object"}
        if roll < 98:
            target = self.after(self.property_pool, owner)
            if target is None:
                return {"type": "string", "nullable": True}
            schema = ref(self.names[target])
            schema["nullable"] = True
            return schema
        return {"oneOf": [{"type": "integer"}, {"type": "string"}]}

    def fill_properties(self, owner, depth, properties, required, count, required_percent):
        """Adds `count` described properties with fresh names; some are required."""
        for _ in range(count):
            name = self.rng.pick(PROPERTY_WORDS)
            if self.rng.chance(50):
                name += "_" + self.rng.pick(PROPERTY_WORDS)
            if name in properties:
                name = "%s_%d" % (name, len(properties))
            schema = self.property(owner, depth)
            if self.rng.chance(85):
                schema["description"] = self.sentence(5, 16)
            if self.rng.chance(2):
                schema["deprecated"] = True
            properties[name] = schema
            if self.rng.chance(required_percent):
                required.append(name)

    def object_schema(self, owner, depth, low, high, described=True):
        schema = {"type": "object"}
        if described and self.rng.chance(90):
            schema["description"] = self.sentence(8, 24)
        properties = {}
        required = []
        self.fill_properties(owner, depth, properties, required, self.rng.between(low, high), 40)
        if required:
            schema["required"] = required
        schema["properties"] = properties
        return schema

    def inline_object(self, owner, depth, low, high):
        return self.object_schema(owner, depth, low, high, described=False)

    def resource_schema(self, resource):
        index = resource["index"]
        name = resource["name"]
        properties = {
            "id": {"type": "string", "description": "Unique identifier of the %s." % name.replace("_", " "),
                   "example": "%s_%d" % (name[:3], index)},
            "object": {"type": "string", "enum": [name], "description": "Always `%s`." % name},
            "created_at": {"type": "string", "format": "date-time", "description": "When it was created."},
            "updated_at": {"type": "string", "format": "date-time", "nullable": True,
                           "description": "When it last changed, if ever."},
            "metadata": {"type": "object", "additionalProperties": {"type": "string"},
                         "description": "Your own key-value pairs."},
        }
        required = ["id", "object", "created_at"]
        self.fill_properties(index, 0, properties, required, self.rng.between(5, 15), 40)
        # Expandable references to other resources (an id, or the object), cycles included.
        if self.rng.chance(30) and len(self.resources) > 1:
            other = self.rng.pick(self.resources)
            if other is not resource:
                properties[other["name"]] = {
                    "oneOf": [{"type": "string"}, ref(self.names[other["index"]])],
                    "description": "The %s, or its id when not expanded." % other["name"].replace("_", " "),
                }
        if self.rng.chance(5):
            properties["parent"] = dict(ref(self.names[index]), nullable=True)
        return {
            "type": "object",
            "description": self.sentence(10, 30),
            "required": required,
            "properties": properties,
        }

    def writable(self, resource):
        """The resource's own properties a caller may send (not id, object or timestamps)."""
        schema = self.bodies[resource["index"]]
        fixed = ("id", "object", "created_at", "updated_at")
        return [(k, v) for k, v in schema["properties"].items() if k not in fixed]

    def create_schema(self, resource):
        source = self.bodies[resource["index"]]
        properties = {}
        for key, value in self.writable(resource):
            if self.rng.chance(60):
                properties[key] = value
        if not properties:
            properties["name"] = {"type": "string"}
        required = [k for k in source["required"] if k in properties]
        schema = {"type": "object", "description": "What a new %s is made from." % resource["name"].replace("_", " ")}
        if required:
            schema["required"] = required
        schema["properties"] = properties
        return schema

    def update_schema(self, resource):
        """PATCH bodies: every member optional, most nullable (send null to clear)."""
        properties = {}
        for key, value in self.writable(resource):
            if self.rng.chance(50):
                value = dict(value)
                if self.rng.chance(70):
                    value["nullable"] = True
                properties[key] = value
        if not properties:
            properties["note"] = {"type": "string", "nullable": True}
        return {"type": "object", "properties": properties}

    def union_schema(self, index, kind):
        variants = []
        at = index + 1
        while at < len(self.kinds) and self.kinds[at] == VARIANT:
            variants.append(at)
            at += 1
        tag = self.rng.pick(["type", "kind", "object_type"])
        schema = {"description": self.sentence(8, 20), "oneOf": [ref(self.names[v]) for v in variants]}
        tags = []
        for variant in variants:
            value = self.variant_tags[variant]
            tags.append(value)
            body = {"type": "object", "description": self.sentence(6, 16)}
            properties = {tag: {"type": "string", "enum": [value]}}
            required = [tag]
            self.fill_properties(variant, 0, properties, required, self.rng.between(3, 8), 40)
            body["required"] = required
            body["properties"] = properties
            self.bodies[variant] = body
        if kind == TAGGED:
            discriminator = {"propertyName": tag}
            if self.rng.chance(70):
                discriminator["mapping"] = {t: "#/components/schemas/" + self.names[v] for t, v in zip(tags, variants)}
            schema["discriminator"] = discriminator
        return schema

    def support_schema(self, index):
        kind = self.kinds[index]
        if kind == OBJECT:
            return self.object_schema(index, 0, 5, 15)
        if kind == ENUM:
            return {"type": "string", "description": self.sentence(5, 12), "enum": self.enum_values(3, 10)}
        if kind in (TAGGED, IMPLICIT):
            return self.union_schema(index, kind)
        if kind == UNTAGGED:
            members = [{"type": "string"}]
            for _ in range(self.rng.between(1, 2)):
                target = self.after(self.object_pool, index)
                if target is not None and ref(self.names[target]) not in members:
                    members.append(ref(self.names[target]))
            if len(members) == 1:
                members.append({"type": "integer"})
            return {"description": self.sentence(6, 14), "oneOf": members}
        if kind == NULLABLE:
            target = self.after(self.object_pool, index)
            if target is None:
                return {"type": "string", "enum": self.enum_values(2, 4), "nullable": True}
            null = ref("NullValue") if self.rng.chance(50) else {"enum": [None]}
            return {"description": self.sentence(6, 14), "anyOf": [ref(self.names[target]), null]}
        if kind == ALLOF:
            members = []
            for _ in range(1 if self.rng.chance(75) else 2):
                target = self.after(self.object_pool, index)
                if target is not None and ref(self.names[target]) not in members:
                    members.append(ref(self.names[target]))
            members.append(self.inline_object(index, 1, 2, 6))
            return {"description": self.sentence(6, 14), "allOf": members}
        if kind == MAPOBJ:
            schema = self.object_schema(index, 0, 2, 5)
            target = self.after(self.object_pool, index)
            schema["additionalProperties"] = {"type": "string"} if target is None else ref(self.names[target])
            return schema
        if kind == ARRAY:
            target = self.after(self.object_pool, index)
            items = {"type": "string"} if target is None else ref(self.names[target])
            return {"type": "array", "description": self.sentence(4, 10), "items": items}
        if kind == TREE:
            schema = self.object_schema(index, 0, 3, 8)
            schema["properties"]["parent"] = dict(ref(self.names[index]), nullable=True)
            schema["properties"]["children"] = {"type": "array", "items": ref(self.names[index])}
            return schema
        if kind == MUTUAL_A:
            schema = self.object_schema(index, 0, 3, 8)
            schema["properties"]["lead_member"] = ref(self.names[index + 1])
            return schema
        if kind == MUTUAL_B:
            schema = self.object_schema(index, 0, 3, 8)
            schema["properties"]["group"] = ref(self.names[index - 1])
            return schema
        raise AssertionError(kind)

    def fill_schemas(self):
        for resource in self.resources:
            self.bodies[resource["index"]] = self.resource_schema(resource)
            if resource["create"] is not None:
                self.bodies[resource["create"]] = self.create_schema(resource)
        for index, kind in enumerate(self.kinds):
            if index in self.bodies:
                continue
            if kind == ERROR:
                self.bodies[index] = {
                    "type": "object",
                    "description": "What went wrong.",
                    "required": ["code", "message"],
                    "properties": {
                        "code": {"type": "string", "description": "A stable, machine-readable code."},
                        "message": {"type": "string", "description": "For people, not programs."},
                        "param": {"type": "string", "nullable": True, "description": "The parameter at fault."},
                        "request_id": {"type": "string", "description": "Quote this when asking for help."},
                    },
                }
            elif kind == NULL:
                self.bodies[index] = {"nullable": True, "description": "Only `null`."}
            else:
                self.bodies[index] = self.support_schema(index)

    # ----- paths -----

    def id_parameter(self, name, param):
        return {
            "name": param,
            "in": "path",
            "required": True,
            "description": "Id of the %s." % name.replace("_", " "),
            "schema": {"type": "string"},
        }

    def list_response(self, item):
        return {
            "description": "A page of results.",
            "content": {"application/json": {"schema": {
                "type": "object",
                "required": ["type", "data", "count", "_links"],
                "properties": {
                    "type": {"type": "string", "enum": ["list"]},
                    "data": {"type": "array", "items": ref(item)},
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
        }

    def json_response(self, description, schema):
        return {"description": description, "content": {"application/json": {"schema": schema}}}

    def operation(self, resource, op_id, summary, tag):
        return {
            "operationId": op_id,
            "tags": [tag],
            "summary": summary,
            "description": self.sentence(10, 30),
        }

    def list_filters(self, op_id):
        parameters = [{"$ref": "#/components/parameters/limit"}, {"$ref": "#/components/parameters/cursor"}]
        if self.rng.chance(50):
            parameters.append({"name": "status", "in": "query", "description": "Only items in this state.",
                               "schema": {"type": "string", "enum": self.enum_values(2, 5)}})
            parameters.append({"name": "created_after", "in": "query",
                               "schema": {"type": "string", "format": "date-time"}})
            if self.rng.chance(50):
                parameters.append({"name": "include", "in": "query", "style": "form", "explode": True,
                                   "schema": {"type": "array", "items": {"type": "string"}}})
        return parameters

    def fill_paths(self):
        paths = {}
        for resource in self.resources:
            name = resource["name"]
            title = pascal(name)
            words = name.replace("_", " ")
            tag = pascal(plural(name))
            collection = "/" + plural(name).replace("_", "-")
            main = self.names[resource["index"]]
            param = "id" if self.rng.chance(50) else name + "_id"
            shared = self.rng.chance(50)
            item_path = "%s/{%s}" % (collection, param)
            others = [r for r in self.resources if r is not resource]
            child = self.rng.pick(others) if others else None
            ops = resource["ops"]
            for op in ops:
                if op in ("list", "create"):
                    item = paths.setdefault(collection, {})
                elif op in ("retrieve", "update", "delete"):
                    item = paths.setdefault(item_path, {})
                    if shared and "parameters" not in item:
                        item["parameters"] = [self.id_parameter(name, param)]
                else:
                    item = None
                own_id = [] if shared and op in ("retrieve", "update", "delete") else [self.id_parameter(name, param)]
                if op == "list":
                    op_id = "list" + pascal(plural(name))
                    operation = self.operation(resource, op_id, "List %s" % plural(words), tag)
                    operation["parameters"] = self.list_filters(op_id)
                    operation["responses"] = {"200": self.list_response(main),
                                              "default": {"$ref": "#/components/responses/Error"}}
                    item["get"] = operation
                elif op == "create":
                    operation = self.operation(resource, "create" + title, "Create a %s" % words, tag)
                    if resource["create"] is not None:
                        body = ref(self.names[resource["create"]])
                    else:
                        body = self.create_schema(resource)
                    operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
                    operation["responses"] = {"201": self.json_response("Created.", ref(main)),
                                              "400": {"$ref": "#/components/responses/BadRequest"},
                                              "default": {"$ref": "#/components/responses/Error"}}
                    item["post"] = operation
                elif op == "retrieve":
                    operation = self.operation(resource, "retrieve" + title, "Retrieve a %s" % words, tag)
                    parameters = list(own_id)
                    if self.rng.chance(20):
                        parameters.append({"name": "expand", "in": "query", "schema": {
                            "type": "array", "items": {"type": "string", "enum": self.enum_values(2, 4)}}})
                    if parameters:
                        operation["parameters"] = parameters
                    operation["responses"] = {"200": self.json_response("Found.", ref(main)),
                                              "404": {"$ref": "#/components/responses/NotFound"},
                                              "default": {"$ref": "#/components/responses/Error"}}
                    item["get"] = operation
                elif op == "update":
                    operation = self.operation(resource, "update" + title, "Update a %s" % words, tag)
                    if own_id:
                        operation["parameters"] = own_id
                    operation["requestBody"] = {"required": True, "content": {
                        "application/json": {"schema": self.update_schema(resource)}}}
                    operation["responses"] = {"200": self.json_response("Updated.", ref(main)),
                                              "404": {"$ref": "#/components/responses/NotFound"},
                                              "default": {"$ref": "#/components/responses/Error"}}
                    item["patch"] = operation
                elif op == "delete":
                    operation = self.operation(resource, "delete" + title, "Delete a %s" % words, tag)
                    if own_id:
                        operation["parameters"] = own_id
                    if self.rng.chance(30):
                        deleted = {"type": "object", "required": ["id", "deleted"], "properties": {
                            "id": {"type": "string"}, "deleted": {"type": "boolean"}}}
                        success = {"200": self.json_response("Deleted.", deleted)}
                    else:
                        success = {"204": {"description": "Deleted."}}
                    success["404"] = {"$ref": "#/components/responses/NotFound"}
                    success["default"] = {"$ref": "#/components/responses/Error"}
                    operation["responses"] = success
                    item["delete"] = operation
                elif op == "sub_list" and child is not None:
                    path = "%s/%s" % (item_path, plural(child["name"]).replace("_", "-"))
                    op_id = "list" + title + pascal(plural(child["name"]))
                    operation = self.operation(resource, op_id, "List the %s of a %s" % (
                        plural(child["name"]).replace("_", " "), words), tag)
                    operation["parameters"] = [self.id_parameter(name, param)] + self.list_filters(op_id)
                    operation["responses"] = {"200": self.list_response(self.names[child["index"]]),
                                              "default": {"$ref": "#/components/responses/Error"}}
                    paths.setdefault(path, {})["get"] = operation
                elif op == "action":
                    verb = self.rng.pick(ACTIONS)
                    path = "%s/%s" % (item_path, verb)
                    operation = self.operation(resource, verb + title, "%s a %s" % (verb.capitalize(), words), tag)
                    operation["parameters"] = [self.id_parameter(name, param)]
                    if self.rng.chance(50):
                        operation["requestBody"] = {"content": {"application/json": {"schema": {
                            "type": "object",
                            "properties": {
                                "reason": {"type": "string", "maxLength": 500, "description": self.sentence(4, 10)},
                                "notify": {"type": "boolean", "description": "Whether to tell the owner."},
                            },
                        }}}}
                    if self.rng.chance(25):
                        job = {"type": "object", "required": ["job_id"], "properties": {
                            "job_id": {"type": "string"},
                            "state": {"type": "string", "enum": ["queued", "running", "done"]}}}
                        operation["responses"] = {"202": self.json_response("Accepted.", job)}
                    else:
                        operation["responses"] = {"200": self.json_response("Done.", ref(main))}
                    operation["responses"]["default"] = {"$ref": "#/components/responses/Error"}
                    paths.setdefault(path, {})["post"] = operation
                elif op == "sub_retrieve" and child is not None:
                    child_param = child["name"] + "_id"
                    if child_param == param:
                        child_param = "child_id"
                    path = "%s/%s/{%s}" % (item_path, plural(child["name"]).replace("_", "-"), child_param)
                    op_id = "retrieve" + title + pascal(child["name"])
                    operation = self.operation(resource, op_id, "Retrieve one %s of a %s" % (
                        child["name"].replace("_", " "), words), tag)
                    operation["parameters"] = [self.id_parameter(name, param), self.id_parameter(child["name"], child_param)]
                    operation["responses"] = {"200": self.json_response("Found.", ref(self.names[child["index"]])),
                                              "404": {"$ref": "#/components/responses/NotFound"},
                                              "default": {"$ref": "#/components/responses/Error"}}
                    paths.setdefault(path, {})["get"] = operation
        return paths

    def document(self):
        self.plan()
        self.fill_schemas()
        paths = self.fill_paths()
        tags = [{"name": pascal(plural(r["name"])), "description": self.sentence(6, 16)} for r in self.resources]
        error = {"$ref": "#/components/schemas/Error"}
        return {
            "openapi": "3.0.3",
            "info": {
                "title": "Synthetic API",
                "version": "1.0.0",
                "description": "A synthesized document of %d operations and %d schemas (seed %d), for measuring the generator."
                % (self.operations, len(self.names), self.seed),
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
                    "Error": self.json_response("Something went wrong.", error),
                    "BadRequest": self.json_response("The request was not valid.", error),
                    "NotFound": self.json_response("No such thing.", error),
                },
                "schemas": {self.names[i]: self.bodies[i] for i in range(len(self.names))},
            },
        }


# ----- YAML output (block style, quoting whatever could be read as something else) -----

PLAIN = re.compile(r"^[A-Za-z_$/][A-Za-z0-9_ .,/(){}$`'-]*$")
RESERVED = {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"}


def scalar(value):
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if PLAIN.match(text) and text.lower() not in RESERVED and not text.endswith(" "):
        return text
    return json.dumps(text, ensure_ascii=False)


def yaml_lines(value, indent, out):
    pad = " " * indent
    if isinstance(value, dict):
        for key, item in value.items():
            key = scalar(key)
            if isinstance(item, (dict, list)) and item:
                out.append("%s%s:" % (pad, key))
                yaml_lines(item, indent + 2, out)
            else:
                out.append("%s%s: %s" % (pad, key, inline(item)))
    else:
        for item in value:
            if isinstance(item, (dict, list)) and item:
                nested = []
                yaml_lines(item, indent + 2, nested)
                out.append("%s- %s" % (pad, nested[0][indent + 2:]))
                out.extend(nested[1:])
            else:
                out.append("%s- %s" % (pad, inline(item)))


def inline(value):
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return scalar(value)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--operations", type=int, default=1000)
    parser.add_argument("--schemas", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--format", choices=["yaml", "json"], default="yaml")
    parser.add_argument("-o", "--output", required=True, help="file to write, or - for stdout")
    args = parser.parse_args()
    if args.operations < 1 or args.schemas < 0:
        parser.error("--operations must be at least 1 and --schemas at least 0")
    synth = Synth(args.operations, args.schemas, args.seed)
    document = synth.document()
    if len(synth.names) > args.schemas:
        print("note: %d schemas, not %d: every resource needs its own" % (len(synth.names), args.schemas),
              file=sys.stderr)
    if args.format == "json":
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    else:
        lines = ["# Synthesized by scripts/synth-spec.py --operations %d --schemas %d --seed %d"
                 % (args.operations, args.schemas, args.seed)]
        yaml_lines(document, 0, lines)
        text = "\n".join(lines) + "\n"
    if args.output == "-":
        sys.stdout.write(text)
    else:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(text)


if __name__ == "__main__":
    main()
