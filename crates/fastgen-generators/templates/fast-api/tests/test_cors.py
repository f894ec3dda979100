import pytest
from fastapi.testclient import TestClient

from {{ module }} import init

APP_ORIGIN = "https://app.example.com"


@pytest.fixture
def restricted(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if deployed with ALLOWED_ORIGINS set."""
    monkeypatch.setattr(init, "_ALLOWED_ORIGINS", init._allowed_origins(f"{APP_ORIGIN}, https://admin.example.com"))


@pytest.fixture
def unrestricted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(init, "_ALLOWED_ORIGINS", init._allowed_origins(None))


@pytest.mark.usefixtures("unrestricted")
def test_any_origin_is_allowed_without_allowed_origins(client: TestClient) -> None:
    response = client.get("/echo", params={"message": "x"}, headers={"origin": "https://anywhere.example"})

    assert response.headers["access-control-allow-origin"] == "*"
    assert "x-correlation-id" in response.headers["access-control-expose-headers"].lower()


@pytest.mark.usefixtures("unrestricted")
def test_preflight_is_answered_by_the_app(client: TestClient) -> None:
    response = client.options(
        "/echo",
        headers={
            "origin": "https://anywhere.example",
            "access-control-request-method": "POST",
            "access-control-request-headers": "authorization,content-type",
        },
    )

    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["access-control-allow-methods"] == "POST"
    assert response.headers["access-control-allow-headers"] == "authorization,content-type"
    assert response.headers["x-correlation-id"]


@pytest.mark.usefixtures("restricted")
@pytest.mark.parametrize("origin", [APP_ORIGIN, "http://localhost:3000", "http://127.0.0.1:4200"])
def test_listed_and_local_origins_get_their_own_origin(client: TestClient, origin: str) -> None:
    response = client.get("/echo", params={"message": "x"}, headers={"origin": origin})

    assert response.headers["access-control-allow-origin"] == origin
    assert response.headers["vary"] == "Origin"


@pytest.mark.usefixtures("restricted")
def test_other_origins_get_no_grant(client: TestClient) -> None:
    response = client.get("/echo", params={"message": "x"}, headers={"origin": "https://evil.example"})

    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers
    assert response.headers["vary"] == "Origin"

    preflight = client.options(
        "/echo", headers={"origin": "https://evil.example", "access-control-request-method": "GET"}
    )
    assert preflight.status_code == 403
    assert "access-control-allow-origin" not in preflight.headers


@pytest.mark.usefixtures("restricted")
def test_preflight_from_a_listed_origin(client: TestClient) -> None:
    response = client.options(
        "/examples/items", headers={"origin": APP_ORIGIN, "access-control-request-method": "POST"}
    )

    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == APP_ORIGIN
    assert response.headers["vary"] == "Origin"


@pytest.mark.usefixtures("restricted")
def test_errors_carry_cors_headers(client: TestClient) -> None:
    response = client.get("/examples/boom", headers={"origin": APP_ORIGIN})

    assert response.status_code == 500
    assert response.headers["access-control-allow-origin"] == APP_ORIGIN
