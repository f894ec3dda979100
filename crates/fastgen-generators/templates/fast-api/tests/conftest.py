import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

import {{ module }}.main  # noqa: F401  (registers the API's routes)
from {{ module }}.init import app, logger

from . import example_routes  # noqa: F401  (mounts the example routes)


class Output:
    """What the service wrote on stdout: JSON log lines and EMF metric records."""

    def __init__(self, buffer: io.StringIO) -> None:
        self.buffer = buffer

    def lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.buffer.getvalue().splitlines() if line.strip()]

    def logs(self) -> list[dict[str, Any]]:
        return [line for line in self.lines() if "_aws" not in line]

    def metrics(self) -> list[dict[str, Any]]:
        return [line for line in self.lines() if "_aws" in line]

    def clear(self) -> None:
        self.buffer.seek(0)
        self.buffer.truncate()


@pytest.fixture
def output() -> Iterator[Output]:
    """Captures the log lines and metric records, which share the logger's stream (stdout)."""
    buffer = io.StringIO()
    handler = logger.registered_handler
    assert isinstance(handler, logging.StreamHandler)
    previous = handler.setStream(buffer)
    yield Output(buffer)
    handler.setStream(previous)


@pytest.fixture
def client() -> TestClient:
    """A client of a freshly started app (as in a new process: the next request is a cold start)."""
    app.middleware_stack = None
    return TestClient(app, raise_server_exceptions=False)


def emf_names(record: dict[str, Any]) -> set[str]:
    return {metric["Name"] for metric in record["_aws"]["CloudWatchMetrics"][0]["Metrics"]}
