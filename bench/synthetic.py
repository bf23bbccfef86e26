"""Synthetic OpenAPI 3.0 specs of a chosen size, for the scaling run.

A spec of size ``n`` has ``n`` operations and ``n`` component schemas. The operations
alternate between the shapes real APIs are made of: a POST with a JSON body, a GET of one
item by a path parameter with query and header parameters, a list GET, a PUT and a
DELETE. Each schema is an object of a few scalar fields, an enum, an array, and a
reference to the schema before it, so the reference graph grows with ``n`` too. Every
operation documents a success body and an error body. The output is deterministic.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def _schema(index: int) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "id": {"type": "string", "format": "uuid", "description": f"Identifier of thing {index}."},
        "name": {"type": "string", "maxLength": 200},
        "count": {"type": "integer", "minimum": 0},
        "price": {"type": "number"},
        "active": {"type": "boolean"},
        "created_at": {"type": "string", "format": "date-time"},
        "status": {"type": "string", "enum": ["draft", "active", f"retired_{index % 7}"]},
        "tags": {"type": "array", "items": {"type": "string"}},
    }
    if index > 0:
        properties["parent"] = {"$ref": f"#/components/schemas/Thing{index - 1}"}
    return {
        "type": "object",
        "description": f"Thing number {index}.",
        "required": ["id", "name"],
        "properties": properties,
    }


def _operation(index: int, schemas: int) -> tuple[str, str, dict[str, Any]]:
    target = f"#/components/schemas/Thing{index % schemas}"
    ok = {"description": "OK", "content": {"application/json": {"schema": {"$ref": target}}}}
    error = {
        "description": "Error",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    responses: dict[str, Any] = {"200": ok, "4XX": error, "default": error}
    item_path = f"/things{index}/{{thing_id}}"
    kind = index % 5
    operation: dict[str, Any] = {
        "operationId": f"operation{index}",
        "summary": f"Operation {index}",
    }
    if kind == 0:
        method, path = "post", f"/things{index}"
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": target}}},
        }
        responses = {"201": ok, "4XX": error, "default": error}
    elif kind == 1:
        method, path = "get", item_path
        operation["parameters"] = [
            {"name": "thing_id", "in": "path", "required": True, "schema": {"type": "string"}},
            {
                "name": "expand",
                "in": "query",
                "schema": {"type": "array", "items": {"type": "string"}},
            },
            {"name": "X-Request-Id", "in": "header", "schema": {"type": "string"}},
        ]
    elif kind == 2:
        method, path = "get", f"/things{index}"
        operation["parameters"] = [
            {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100}},
            {"name": "cursor", "in": "query", "schema": {"type": "string"}},
        ]
        responses["200"] = {
            "description": "OK",
            "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": target}}}},
        }
    elif kind == 3:
        method, path = "put", item_path
        operation["parameters"] = [{"name": "thing_id", "in": "path", "required": True, "schema": {"type": "string"}}]
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": target}}},
        }
    else:
        method, path = "delete", item_path
        operation["parameters"] = [{"name": "thing_id", "in": "path", "required": True, "schema": {"type": "string"}}]
        responses = {"204": {"description": "Deleted"}, "4XX": error, "default": error}
    operation["responses"] = responses
    return path, method, operation


def synthetic_spec(size: int) -> dict[str, Any]:
    """A spec with ``size`` operations and ``size`` component schemas (plus one error schema)."""
    schemas: dict[str, Any] = {f"Thing{i}": _schema(i) for i in range(size)}
    schemas["Problem"] = {
        "type": "object",
        "required": ["code"],
        "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
    }
    paths: dict[str, Any] = {}
    for index in range(size):
        path, method, operation = _operation(index, size)
        paths.setdefault(path, {})[method] = operation
    return {
        "openapi": "3.0.3",
        "info": {"title": f"Synthetic {size}", "version": "1.0.0"},
        "servers": [{"url": "https://api.example.com"}],
        "security": [{"token": []}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
        },
    }


def write_synthetic(folder: Path, size: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"synthetic_{size}.json"
    path.write_text(json.dumps(synthetic_spec(size), indent=1) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    import sys

    for arg in sys.argv[2:]:
        print(write_synthetic(Path(sys.argv[1]), int(arg)))
