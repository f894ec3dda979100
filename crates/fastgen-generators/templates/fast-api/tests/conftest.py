import pytest
from fastapi.testclient import TestClient

import {{ module }}.main  # noqa: F401  (registers the API's routes)
from {{ module }}.init import app


@pytest.fixture
def client() -> TestClient:
    """A client of your API; an unhandled exception is answered 500, as when deployed."""
    return TestClient(app, raise_server_exceptions=False)
