from fastapi.testclient import TestClient


def test_echo_returns_the_message(client: TestClient) -> None:
    response = client.get("/echo", params={"message": "hello"})

    assert response.status_code == 200
    assert response.json() == {"message": "hello"}


def test_echo_requires_a_message(client: TestClient) -> None:
    response = client.get("/echo")

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "message"]
