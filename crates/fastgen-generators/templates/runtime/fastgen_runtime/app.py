"""The FastAPI app: operationIds, the OpenAPI document, and the observability middleware."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.routing import APIRoute
from pydantic import BaseModel

from .middleware import ObservabilityMiddleware
from .observability import Observability
from .streaming import JsonStreamingResponse


class InternalServerError(BaseModel):
    """Body of every 500 response."""

    detail: str


def operation_id(route: APIRoute) -> str:
    """Each operation's id is its function's name (`get_item`), which the infrastructure and
    the client generators know it by."""
    return route.name


class ObservedAPI(FastAPI):
    """FastAPI, whose OpenAPI document also declares a 500 response on every operation and the
    item schema of every JSON Lines stream."""

    def openapi(self) -> dict[str, Any]:
        if self.openapi_schema is not None:
            return self.openapi_schema
        document = super().openapi()
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        schemas["InternalServerError"] = InternalServerError.model_json_schema()
        error = {
            "description": "Internal Server Error",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/InternalServerError"}}},
        }
        for path_item in document.get("paths", {}).values():
            for operation in path_item.values():
                responses = operation.setdefault("responses", {})
                responses["500"] = error
                for response in responses.values():
                    jsonl = response.get("content", {}).get(JsonStreamingResponse.media_type)
                    if jsonl is not None and "itemSchema" in jsonl:
                        # FastAPI put the model in `schema` (and in components): keep the reference only.
                        schema = jsonl.pop("schema", {})
                        if "$ref" in schema:
                            jsonl["itemSchema"] = {"$ref": schema["$ref"]}
        return document


def create_app(
    *,
    title: str,
    observability: Observability,
    allowed_origins: str | Iterable[str] | None = None,
    **options: Any,
) -> FastAPI:
    """A FastAPI app observed by ``observability``.

    Every operationId is its function's name and every operation documents a 500 response.
    Every request goes through ``ObservabilityMiddleware`` (correlation id, log keys, one EMF
    record, safe 500s, CORS for ``allowed_origins``, the readiness path) and, once a route
    matched, logs one "request received" line. ``options`` go to ``FastAPI(...)``
    (``version``, ``description``, ``dependencies``, ...).
    """
    options.setdefault("generate_unique_id_function", operation_id)
    dependencies = [Depends(observability.request_received), *(options.pop("dependencies", None) or ())]
    app = ObservedAPI(title=title, dependencies=dependencies, **options)
    app.add_middleware(ObservabilityMiddleware, observability=observability, allowed_origins=allowed_origins)
    return app
