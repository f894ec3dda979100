from fastapi.testclient import TestClient

from {{ module }}.init import READINESS_PATH

API_TITLE = "{{ class_name | py_string }}"


def test_echo_returns_the_message(client: TestClient) -> None:
    response = client.get("/echo", params={"message": "hello"})

    assert response.status_code == 200
    assert response.json() == {"message": "hello"}


def test_echo_requires_a_message(client: TestClient) -> None:
    response = client.get("/echo")

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "message"]


def test_readiness_path_always_answers(client: TestClient) -> None:
    response = client.get(READINESS_PATH)

    assert response.status_code == 200
    assert READINESS_PATH not in client.get("/openapi.json").json()["paths"]


def test_docs_are_served(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    assert client.get("/redoc").status_code == 200
    assert client.get("/openapi.json").json()["info"]["title"] == API_TITLE
