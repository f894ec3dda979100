"""Streams are driven through the ASGI interface directly: test clients buffer bodies."""

import asyncio
import json
from collections.abc import Callable
from typing import Any

import pytest
from starlette.types import Message

from {{ module }}.init import app

from . import example_routes
from .conftest import Output


def scope(method: str, path: str) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"test"), (b"x-correlation-id", b"stream-1")],
        "client": ("127.0.0.1", 1234),
        "server": ("test", 80),
    }


async def call(method: str, path: str, on_body: Callable[[bytes], None]) -> list[dict[str, Any]]:
    """Run one request; ``on_body`` sees each body chunk the moment the app sends it."""
    messages: list[dict[str, Any]] = []
    requested = False
    disconnected = asyncio.Event()

    async def receive() -> Message:
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await disconnected.wait()
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        messages.append(dict(message))
        if message["type"] == "http.response.body" and message.get("body"):
            on_body(message["body"])

    try:
        await asyncio.wait_for(app(scope(method, path), receive, send), timeout=5)
    finally:
        disconnected.set()
    return messages


def lines(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
    return [json.loads(line) for line in body.splitlines()]


def headers(messages: list[dict[str, Any]]) -> dict[bytes, bytes]:
    return dict(messages[0]["headers"])


def test_async_stream_sends_each_line_as_it_is_produced(output: Output) -> None:
    seen_before_last: list[bool] = []

    async def run() -> list[dict[str, Any]]:
        example_routes.produced.clear()
        example_routes.release_async = asyncio.Event()

        def on_body(chunk: bytes) -> None:
            if b"first" in chunk:
                seen_before_last.append("last" not in example_routes.produced)
                assert example_routes.release_async is not None
                example_routes.release_async.set()

        return await call("POST", "/examples/stream", on_body)

    messages = asyncio.run(run())

    assert seen_before_last == [True]
    assert lines(messages) == [{"message": "first"}, {"message": "last"}]
    assert headers(messages)[b"content-type"].startswith(b"application/jsonl")
    assert headers(messages)[b"x-correlation-id"] == b"stream-1"
    [record] = output.metrics()
    assert record["route"] == "POST /examples/stream"
    assert record["Success"] == 1


def test_sync_stream_sends_each_line_as_it_is_produced() -> None:
    seen_before_last: list[bool] = []
    example_routes.produced.clear()
    example_routes.release_sync.clear()

    def on_body(chunk: bytes) -> None:
        if b"first" in chunk:
            seen_before_last.append("last" not in example_routes.produced)
            example_routes.release_sync.set()

    messages = asyncio.run(call("GET", "/examples/stream-sync", on_body))

    assert seen_before_last == [True]
    assert lines(messages) == [{"message": "first"}, {"message": "last"}]


def test_error_after_the_stream_started_ends_it_and_is_counted(output: Output) -> None:
    received: list[bytes] = []

    with pytest.raises(Exception, match="stream broke"):
        asyncio.run(call("GET", "/examples/stream-error", received.append))

    assert received == [b'{"message":"first"}\n']
    [error] = [line for line in output.logs() if line["level"] == "ERROR"]
    assert error["correlation_id"] == "stream-1"
    assert "stream broke" in error["exception"]
    [record] = output.metrics()
    assert record["route"] == "GET /examples/stream-error"
    assert record["Failure"] == 1
