#!/usr/bin/env python3
"""Writes the spec edits of scripts/semver-proof.sh: for each, new.json (spec/api.yaml with one
edit, as JSON in the document's own member order) beside an `expected` file holding the level the
compatibility rules give it. The unedited document is written as base.json.

    scripts/semver-edits.py OUT_DIR
"""
import copy
import json
import os
import sys

import yaml

out = sys.argv[1]
with open(os.path.join(os.path.dirname(__file__), "..", "spec", "api.yaml")) as f:
    base = yaml.safe_load(f)
schemas = lambda d: d["components"]["schemas"]
payment_post = lambda d: d["paths"]["/payments"]["post"]["requestBody"]["content"]["application/json"]["schema"]


def add_field(d):
    schemas(d)["payment"]["properties"]["expires_at"] = {"type": "string", "format": "date-time", "description": "When the payment expires."}


def add_required_response_field(d):
    add_field(d)
    schemas(d)["payment"]["required"].append("expires_at")


def add_request_field(d):
    payment_post(d)["properties"]["reference"] = {"type": "string", "description": "Your own reference."}


def add_required_request_field(d):
    add_request_field(d)
    payment_post(d)["required"].append("reference")


def make_request_field_required(d):
    payment_post(d)["required"].append("return_url")


def every_locale_enum(node, change):
    """Applies `change` to every copy of the inline locale enum (several schemas have one)."""
    if isinstance(node, dict):
        if isinstance(node.get("enum"), list) and "fr" in node["enum"] and "nl" in node["enum"]:
            change(node["enum"])
        for child in node.values():
            every_locale_enum(child, change)
    elif isinstance(node, list):
        for child in node:
            every_locale_enum(child, change)


def add_enum_value(d):
    # One copy only (the payment's): copies that differ by added values still share one type.
    values = schemas(d)["payment"]["properties"]["locale"]["enum"]
    values.insert(len(values) - (None in values), "es")


def remove_enum_value(d):
    # Every copy: a value one copy drops is still a variant while another copy has it.
    every_locale_enum(d, lambda values: values.remove("fr"))


def add_union_variant(d):
    schemas(d)["event"]["properties"]["payload"]["oneOf"].append({"$ref": "#/components/schemas/payout"})


def add_optional_parameter(d):
    d["paths"]["/payments"]["get"]["parameters"].append(
        {"name": "state", "in": "query", "required": False, "schema": {"type": "string"}, "description": "Only payments in this state."})


def add_operation(d):
    d["paths"]["/payments/{id}/receipt"] = {"get": {
        "operationId": "retrievePaymentReceipt", "tags": ["Payments"], "summary": "Get a receipt",
        "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
        "responses": {"200": {"description": "the receipt", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/payment"}}}}}}}


def remove_operation(d):
    del d["paths"]["/refunds/{id}"]["delete"]


def remove_response_field(d):
    props = schemas(d)["payment"]["properties"]
    del props["cancel_url"]
    schemas(d)["payment"]["required"].remove("cancel_url")


def make_response_field_nullable(d):
    schemas(d)["payment"]["properties"]["state"]["nullable"] = True


def change_field_type(d):
    prop = schemas(d)["payment"]["properties"]["refunded_amount"]
    prop.clear()
    prop.update({"type": "string", "description": "Cents refunded so far, as text."})


def change_optional_field_type(d):
    prop = schemas(d)["payment"]["properties"]["customer"]
    prop["type"] = "integer"


def docs_only(d):
    d["paths"]["/payments"]["post"]["summary"] = "Create a payment (reworded)"
    schemas(d)["payment"]["properties"]["amount"]["description"] = "The amount, in cents."


def reserialize(d):
    pass


# name → (edit, the level the compatibility rules give it)
EDITS = {
    "01-reserialize": (reserialize, "patch"),
    "02-docs-only": (docs_only, "patch"),
    "03-add-optional-response-field": (add_field, "minor"),
    "04-add-optional-request-field": (add_request_field, "minor"),
    "05-add-enum-value": (add_enum_value, "minor"),
    "06-add-union-variant": (add_union_variant, "minor"),
    "07-add-operation": (add_operation, "minor"),
    "08-add-optional-parameter": (add_optional_parameter, "minor"),
    "09-remove-operation": (remove_operation, "major"),
    "10-remove-response-field": (remove_response_field, "major"),
    "11-make-response-field-nullable": (make_response_field_nullable, "major"),
    "12-add-required-request-field": (add_required_request_field, "major"),
    "13-make-request-field-required": (make_request_field_required, "major"),
    "14-change-field-type": (change_field_type, "major"),
    "15-remove-enum-value": (remove_enum_value, "major"),
    "16-add-required-response-field": (add_required_response_field, "major"),
    "17-change-optional-field-type": (change_optional_field_type, "major"),
}

os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "base.json"), "w") as f:
    json.dump(base, f, indent=1)
for name, (edit, expected) in EDITS.items():
    folder = os.path.join(out, name)
    os.makedirs(folder, exist_ok=True)
    document = copy.deepcopy(base)
    edit(document)
    with open(os.path.join(folder, "new.json"), "w") as f:
        json.dump(document, f, indent=1)
    with open(os.path.join(folder, "expected"), "w") as f:
        f.write(expected + "\n")
print(" ".join(EDITS))
