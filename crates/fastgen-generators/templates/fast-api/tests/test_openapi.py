from collections.abc import Sequence
from typing import Any

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import BaseRoute

from {{ module }}.init import app

API_TITLE = "{{ class_name | py_string }}"


def operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [operation for path_item in document["paths"].values() for operation in path_item.values()]


def api_routes(routes: Sequence[BaseRoute]) -> list[APIRoute]:
    """Every documented route, those of included routers too (FastAPI keeps an included
    router as one entry that refers to it)."""
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            if route.include_in_schema:
                found.append(route)
            continue
        included = getattr(route, "original_router", None)
        if included is not None:
            found.extend(api_routes(included.routes))
    return found


def test_every_operation_is_named_after_its_function() -> None:
    """The infrastructure and clients know each operation by its operationId."""
    ids = [operation["operationId"] for operation in operations(app.openapi())]
    assert len(set(ids)) == len(ids), f"two operations share a name: {ids}"
    assert all(name.isidentifier() for name in ids), ids
    assert sorted(ids) == sorted(route.name for route in api_routes(app.routes))


def test_streams_document_their_items() -> None:
    document = app.openapi()
    schemas = document.get("components", {}).get("schemas", {})

    for operation in operations(document):
        for response in operation["responses"].values():
            jsonl = response.get("content", {}).get("application/jsonl")
            if jsonl is not None:
                ref = jsonl["itemSchema"]["$ref"]
                assert ref.removeprefix("#/components/schemas/") in schemas, ref


def test_the_document_and_docs_are_served(client: TestClient) -> None:
    assert client.get("/openapi.json").json() == app.openapi()
    assert app.openapi()["info"]["title"] == API_TITLE
    assert client.get("/docs").status_code == 200
    assert client.get("/redoc").status_code == 200
