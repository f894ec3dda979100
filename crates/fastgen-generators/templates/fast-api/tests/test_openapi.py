from typing import Any

from fastapi.testclient import TestClient

from {{ module }}.init import app


def operations(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        operation["operationId"]: operation
        for path_item in document["paths"].values()
        for operation in path_item.values()
    }


def test_operation_ids_are_function_names() -> None:
    ids = set(operations(app.openapi()))

    assert {"echo", "get_item", "create_item", "stream_chunks"} <= ids


def test_every_operation_declares_a_500_model() -> None:
    document = app.openapi()

    for operation in operations(document).values():
        content = operation["responses"]["500"]["content"]["application/json"]
        assert content["schema"] == {"$ref": "#/components/schemas/InternalServerError"}
    assert "detail" in document["components"]["schemas"]["InternalServerError"]["properties"]


def test_streams_document_their_item_schema() -> None:
    document = app.openapi()

    ok = operations(document)["stream_chunks"]["responses"]["200"]
    assert ok["content"]["application/jsonl"] == {"itemSchema": {"$ref": "#/components/schemas/Chunk"}}
    assert "message" in document["components"]["schemas"]["Chunk"]["properties"]


def test_served_document_is_the_same(client: TestClient) -> None:
    assert client.get("/openapi.json").json() == app.openapi()
