"""The one pure ASGI middleware: correlation id, request keys, metrics, safe 500s, CORS, readiness."""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .context import PREFLIGHT_ROUTE, RequestState, current_request
from .snapstart import AFTER_RESTORE_PATH, restored
from .tracing import end_trace

if TYPE_CHECKING:
    from .observability import Observability

# Answered by the middleware itself (always 200, not in the OpenAPI document): the Lambda Web
# Adapter polls it (AWS_LWA_READINESS_CHECK_PATH, set by the infrastructure) before the first request.
READINESS_PATH = "/__health"

_LOCAL_ORIGIN = re.compile(rb"https?://(localhost|127\.0\.0\.1)(:\d+)?")
_EXPOSE = (b"access-control-expose-headers", b"X-Correlation-Id")
_VARY = (b"vary", b"Origin")
_ANY_ORIGIN = (b"access-control-allow-origin", b"*")

_UUID4_MASK = ~(0xF000 << 64 | 0xC000 << 48) & (1 << 128) - 1
_UUID4_BITS = 0x4000 << 64 | 0x8000 << 48


def new_correlation_id() -> str:
    """A random (version 4) UUID from the kernel's random source, read per id.

    Never from a generator seeded once at import: every environment Lambda SnapStart restores
    from one snapshot (and every process forked after import) would share its state and hand
    out the same sequence of ids. ``os.urandom`` is fresh in each of them, for about a
    microsecond a request."""
    value = f"{int.from_bytes(os.urandom(16)) & _UUID4_MASK | _UUID4_BITS:032x}"
    return f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}"


def parse_origins(value: str | Iterable[str] | None) -> frozenset[bytes]:
    """Origins from ``ALLOWED_ORIGINS`` (comma-separated) or a list; empty means any origin."""
    items = value.split(",") if isinstance(value, str) else (value or ())
    return frozenset(o.strip().rstrip("/").encode("latin-1") for o in items if o.strip())


def _from_the_adapter(scope: Scope) -> bool:
    """A request the Lambda Web Adapter made itself, not one it forwards from an invocation
    (those carry the Lambda and API Gateway context headers)."""
    names = {name for name, _ in scope["headers"]}
    return b"x-amzn-lambda-context" not in names and b"x-amzn-request-context" not in names


def _json_header(raw: bytes | None) -> dict[str, Any]:
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


class ObservabilityMiddleware:
    """One pure ASGI layer around the app (``create_app`` adds it).

    For every HTTP request: the correlation id (``x-correlation-id``, else the Lambda request
    id from ``x-amzn-lambda-context``, else the API Gateway request id from
    ``x-amzn-request-context``, else a new UUID), returned as ``X-Correlation-Id``; the
    request's log keys; its X-Ray trace (in Lambda); one EMF record when it ends; a safe 500
    for an unhandled exception; CORS headers and preflights; the readiness path.

    ``allowed_origins``: None or empty allows any origin; otherwise only those origins (and
    ``localhost``/``127.0.0.1`` ones, for local development) get CORS grants.
    """

    def __init__(
        self, app: ASGIApp, observability: Observability, allowed_origins: str | Iterable[str] | None = None
    ) -> None:
        self.app = app
        self.observability = observability
        self.allowed_origins = parse_origins(allowed_origins)
        self.cold_start = True
        # Lambda context that never changes in this process.
        self.static_keys: dict[str, Any] = {
            key: value
            for key, value in (
                ("function_name", os.environ.get("AWS_LAMBDA_FUNCTION_NAME")),
                ("function_memory_size", os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")),
            )
            if value
        }

    def cors_headers(self, origin: bytes | None) -> list[tuple[bytes, bytes]] | None:
        """Headers granting ``origin`` access, or None when it is not allowed."""
        if not self.allowed_origins:
            return [_ANY_ORIGIN, _EXPOSE]
        if origin is not None and (origin in self.allowed_origins or _LOCAL_ORIGIN.fullmatch(origin)):
            return [(b"access-control-allow-origin", origin), _VARY, _EXPOSE]
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["path"] == READINESS_PATH:
            await _send_json(send, 200, b'{"status":"ok"}', [])
            return
        if scope["path"] == AFTER_RESTORE_PATH and _from_the_adapter(scope):
            restored()  # an exception fails the restore: the adapter sees a 500
            await _send_json(send, 200, b'{"status":"restored"}', [])
            return

        started = time.perf_counter()
        observability = self.observability
        headers = dict(scope["headers"])
        lambda_context = _json_header(headers.get(b"x-amzn-lambda-context"))
        correlation_id = (
            headers.get(b"x-correlation-id", b"").decode("latin-1")
            or lambda_context.get("request_id")
            or _json_header(headers.get(b"x-amzn-request-context")).get("requestId")
            or new_correlation_id()
        )
        cold = self.cold_start
        self.cold_start = False

        keys = {
            "correlation_id": correlation_id,
            "method": scope["method"],
            "path": scope["path"],
            "cold_start": cold,
            **self.static_keys,
        }
        if lambda_context:
            keys["function_arn"] = lambda_context.get("invoked_function_arn")
            keys["function_request_id"] = lambda_context.get("request_id")
        trace_header = headers.get(b"x-amzn-trace-id")
        if trace_header:
            root = trace_header.partition(b"Root=")[2].partition(b";")[0]
            if root:
                keys["xray_trace_id"] = root.decode("latin-1")

        origin = headers.get(b"origin")
        cors = self.cors_headers(origin) if origin is not None or not self.allowed_origins else None
        extra = [(b"x-correlation-id", correlation_id.encode("latin-1"))]
        if cors:
            extra.extend(cors)
        elif self.allowed_origins:
            extra.append(_VARY)

        state = RequestState(keys)
        state_token = current_request.set(state)
        begin_trace = observability.begin_trace
        trace_token = begin_trace(trace_header) if begin_trace is not None else None
        status = 500
        failed = False
        response_started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                status = message["status"]
                response_started = True
                message["headers"] = [*message.get("headers", ()), *extra]
            await send(message)

        try:
            if scope["method"] == "OPTIONS" and origin is not None and b"access-control-request-method" in headers:
                state.route = PREFLIGHT_ROUTE
                status = await _preflight(send, headers, cors, extra)
            else:
                await self.app(scope, receive, send_with_headers)
        except Exception:
            failed = True
            observability.logger.exception("Unhandled exception")
            if response_started:
                raise  # the response is under way (a stream): abort it so that the client sees it fail
            status = 500
            await _send_json(send, 500, b'{"detail":"Internal Server Error"}', extra)
        finally:
            if observability.metrics_enabled:
                latency_ms = round((time.perf_counter() - started) * 1000, 3)
                observability.records.write(state, status, failed, latency_ms, cold)
            if trace_token is not None:
                end_trace(trace_token)
            current_request.reset(state_token)


async def _send_json(send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]]) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _preflight(
    send: Send,
    headers: dict[bytes, bytes],
    cors: list[tuple[bytes, bytes]] | None,
    extra: list[tuple[bytes, bytes]],
) -> int:
    """Answer a CORS preflight: every method and header is allowed for allowed origins."""
    if cors is None:
        await _send_json(send, 403, b'{"detail":"CORS origin not allowed"}', extra)
        return 403
    allow = [
        (b"access-control-allow-methods", headers[b"access-control-request-method"]),
        (b"access-control-max-age", b"600"),
    ]
    requested = headers.get(b"access-control-request-headers")
    if requested:
        allow.append((b"access-control-allow-headers", requested))
    await send({"type": "http.response.start", "status": 204, "headers": [*allow, *extra]})
    await send({"type": "http.response.body", "body": b""})
    return 204
