from fastapi.testclient import TestClient


def test_a_rejected_request_keeps_the_correlation_id(client: TestClient) -> None:
    response = client.get("/echo", headers={"x-correlation-id": "corr-422"})

    assert response.status_code == 422
    assert response.headers["x-correlation-id"] == "corr-422"


def test_an_unknown_path_keeps_the_correlation_id(client: TestClient) -> None:
    response = client.get("/no/such/path", headers={"x-correlation-id": "corr-404"})

    assert response.status_code == 404
    assert response.headers["x-correlation-id"] == "corr-404"
