from typing import Any

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from {{ module }}.init import app

API_TITLE = "{{ class_name | py_string }}"


def operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [operation for path_item in document["paths"].values() for operation in path_item.values()]


def test_every_operation_is_named_after_its_function() -> None:
    """The infrastructure and clients know each operation by its operationId."""
    document = app.openapi()
    documented = [route.name for route in app.routes if isinstance(route, APIRoute) and route.include_in_schema]

    ids = [operation["operationId"] for operation in operations(document)]
    assert sorted(ids) == sorted(documented)
    assert len(set(ids)) == len(ids), f"two operations share a name: {ids}"


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
