from fastapi.testclient import TestClient

from .conftest import Output, emf_names


def test_unhandled_exception_is_a_safe_500(client: TestClient, output: Output) -> None:
    response = client.get("/examples/boom", headers={"x-correlation-id": "corr-500", "origin": "http://localhost:3000"})

    assert response.status_code == 500
    assert response.json() == {"detail": "Internal Server Error"}
    assert "secret" not in response.text
    assert response.headers["x-correlation-id"] == "corr-500"
    assert response.headers["access-control-allow-origin"] in ("*", "http://localhost:3000")

    [error] = [line for line in output.logs() if line["level"] == "ERROR"]
    assert error["correlation_id"] == "corr-500"
    assert "RuntimeError: secret connection string" in error["exception"]
    assert "Traceback" in error["exception"]
    [record] = output.metrics()
    assert {"RequestCount", "Failure"} <= emf_names(record)
    assert record["Failure"] == 1
    assert record["route"] == "GET /examples/boom"


def test_http_exception_keeps_its_status_and_detail(client: TestClient, output: Output) -> None:
    response = client.get("/examples/items/-1")

    assert response.status_code == 400
    assert response.json() == {"detail": "Item ID must be positive"}
    assert response.headers["x-correlation-id"]
    [record] = output.metrics()
    assert record["ClientError"] == 1
    assert "Failure" not in record


def test_validation_error_keeps_fastapi_response(client: TestClient) -> None:
    response = client.get("/examples/items/not-a-number")

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "item_id"]
    assert response.headers["x-correlation-id"]
