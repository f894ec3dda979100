"""The FastAPI app and its observability, shared by every route in this package.

Import what you need from here in your route modules::

    from .init import JsonStreamingResponse, app, logger, metrics, tracer

What happens for every request (see README.md for the details):

* a correlation id is taken from ``x-correlation-id``, else the Lambda request id
  (``x-amzn-lambda-context``), else the API Gateway request id
  (``x-amzn-request-context``), else a new UUID; it is returned as
  ``X-Correlation-Id`` and added to every log line;
* one "request received" log line per matched route, with method, path, route
  template, Lambda context and ``cold_start``;
* one CloudWatch EMF metrics record per request, with the dimension
  ``route`` = ``"<METHOD> <route template>"``;
* unhandled exceptions are logged with their stack trace and answered with a
  safe ``500 {"detail": "Internal Server Error"}``;
* CORS, restricted by the ``ALLOWED_ORIGINS`` environment variable when set;
* in AWS Lambda, X-Ray subsegments join the trace of the invocation.
"""

from __future__ import annotations

import json
import logging
import os
import random
import re
import sys
import time
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator
from contextvars import ContextVar, Token
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.logging.formatter import RESERVED_LOG_ATTRS, LambdaPowertoolsFormatter
from aws_lambda_powertools.metrics.functions import is_metrics_disabled
from aws_lambda_powertools.metrics.provider.cloudwatch_emf.cloudwatch import AmazonCloudWatchEMFProvider
from aws_lambda_powertools.tracing.base import BaseProvider, BaseSegment
from fastapi import Depends, FastAPI, Request
from fastapi.responses import StreamingResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# A value set by the deployment wins over these defaults.
os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "{{ class_name | py_string }}")
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "{{ class_name | py_string }}")

SERVICE_NAME = os.environ["POWERTOOLS_SERVICE_NAME"]
METRICS_NAMESPACE = os.environ["POWERTOOLS_METRICS_NAMESPACE"]

# Answered by the middleware itself (always 200, not in the OpenAPI document): the Lambda
# Web Adapter polls it (AWS_LWA_READINESS_CHECK_PATH) before it sends the first request.
READINESS_PATH = "/__health"
# Metric `route` dimension of requests that match no route, and of CORS preflights.
UNMATCHED_ROUTE = "UNMATCHED"
PREFLIGHT_ROUTE = "PREFLIGHT"

logger = Logger()


# --------------------------------------------------------------------------- logging


class _RequestReceived(str):
    """The message of the per-request "request received" line (recognised by identity)."""

    __slots__ = ()


_RECEIVED = _RequestReceived("request received")
_RESERVED = frozenset(RESERVED_LOG_ATTRS)
_LEVEL, _LOCATION, _TIMESTAMP = "%(levelname)s", "%(funcName)s:%(lineno)d", "%(asctime)s"


class _Formatter(LambdaPowertoolsFormatter):
    """Powertools' JSON formatter with a shortcut for the line logged on every request.

    The "request received" line has no arguments, extras or exception, so its JSON is
    built from the formatter's keys and the request's keys directly: the same document
    Powertools builds (a test compares both), at a fraction of the cost. Anything
    unusual (custom reserved keys) takes Powertools' own path.
    """

    def format(self, record: logging.LogRecord) -> str:
        if record.msg is not _RECEIVED or record.args or record.exc_info:
            return super().format(record)
        log: dict[str, Any] = {}
        for key, value in self.log_format.items():
            if value and key in _RESERVED:
                if value == _LEVEL:
                    value = record.levelname
                elif value == _LOCATION:
                    value = f"{record.funcName}:{record.lineno}"
                elif value == _TIMESTAMP:
                    value = self._timestamp(record)
                else:
                    return super().format(record)
            log[key] = value
        for key, value in self.thread_safe_get_current_keys().items():
            if value and key in _RESERVED:
                return super().format(record)
            log[key] = value
        log["message"] = str(record.msg)
        log["xray_trace_id"] = self._get_latest_trace_id()
        return self.serialize({key: value for key, value in log.items() if value is not None})

    _second: tuple[int, str, str] = (-1, "", "")

    def _timestamp(self, record: logging.LogRecord) -> str:
        """``formatTime`` for the default format, its date and time computed once per second."""
        if self.use_rfc3339_iso8601 or self.use_datetime_directive or self.datefmt:
            return self.formatTime(record)
        second, before, after = self._second
        if second != int(record.created):
            second = int(record.created)
            moment = self.converter(second)
            before, _, after = self.default_time_format.partition(self.custom_ms_time_directive)
            before, after = time.strftime(before, moment), time.strftime(after, moment)
            self._second = (second, before, after)
        return f"{before}{int(record.msecs):03d}{after}"


if type(logger.registered_formatter) is LambdaPowertoolsFormatter:
    # Same state (keys, options), faster "request received" line.
    logger.registered_formatter.__class__ = _Formatter


# --------------------------------------------------------------------------- tracing


class _NoopSegment(BaseSegment):
    """Stands in for an X-Ray (sub)segment when tracing is off."""

    def close(self, end_time: int | None = None) -> None:
        pass

    def add_subsegment(self, subsegment: Any) -> None:
        pass

    def remove_subsegment(self, subsegment: Any) -> None:
        pass

    def put_annotation(self, key: str, value: Any) -> None:
        pass

    def put_metadata(self, key: str, value: Any, namespace: str = "default") -> None:
        pass

    def add_exception(self, exception: BaseException, stack: Any, remote: bool = False) -> None:
        pass


class _NoopSubsegment:
    """``with``/``async with`` a no-op segment (cheaper than a generator-based context manager)."""

    segment = _NoopSegment()

    def __enter__(self) -> BaseSegment:
        return self.segment

    def __exit__(self, *exc_info: object) -> None:
        return None

    async def __aenter__(self) -> BaseSegment:
        return self.segment

    async def __aexit__(self, *exc_info: object) -> None:
        return None


class _NoopProvider(BaseProvider):
    """Tracing provider used outside Lambda: no X-Ray SDK import, no daemon, no cost."""

    _subsegment = _NoopSubsegment()

    def in_subsegment(self, name: Any = None, **kwargs: Any) -> Any:
        return self._subsegment

    def in_subsegment_async(self, name: Any = None, **kwargs: Any) -> Any:
        return self._subsegment

    def put_annotation(self, key: str, value: Any) -> None:
        pass

    def put_metadata(self, key: str, value: Any, namespace: str = "default") -> None:
        pass

    def patch(self, modules: Any) -> None:
        pass

    def patch_all(self) -> None:
        pass


def _tracing_enabled() -> bool:
    """Same rule as Powertools: only in Lambda, unless POWERTOOLS_TRACE_DISABLED."""
    disabled = os.environ.get("POWERTOOLS_TRACE_DISABLED", "false").lower() in ("1", "true", "yes", "on", "y", "t")
    in_lambda = bool(os.environ.get("LAMBDA_TASK_ROOT"))
    emulated = bool(os.environ.get("AWS_SAM_LOCAL") or os.environ.get("AWS_CHALICE_CLI_MODE"))
    return in_lambda and not emulated and not disabled


# The trace entities (segment, then open subsegments) of the request being handled.
_trace_entities: ContextVar[list[Any] | None] = ContextVar("trace_entities", default=None)


def _enable_request_tracing() -> Callable[[bytes | None], Token[list[Any] | None]]:
    """Make X-Ray subsegments join the trace given per request in ``x-amzn-trace-id``.

    Behind the Lambda Web Adapter the process never sees ``_X_AMZN_TRACE_ID``, so the
    SDK's Lambda context would find no segment. This context keeps the entities per
    request (contextvars follow the request into FastAPI's thread pool) instead.
    Returns the function the middleware calls at the start of each request.
    """
    from aws_xray_sdk.core import xray_recorder  # type: ignore[import-untyped]
    from aws_xray_sdk.core.models.dummy_entities import DummySegment  # type: ignore[import-untyped]
    from aws_xray_sdk.core.models.facade_segment import FacadeSegment  # type: ignore[import-untyped]
    from aws_xray_sdk.core.models.trace_header import TraceHeader  # type: ignore[import-untyped]

    class RequestContext:
        context_missing = "IGNORE_ERROR"

        def put_segment(self, segment: Any) -> None:
            _trace_entities.set([segment])

        def end_segment(self, end_time: float | None = None) -> None:
            """The Lambda service owns the invocation's segment."""

        def put_subsegment(self, subsegment: Any) -> None:
            entities = _trace_entities.get()
            if entities:
                entities[-1].add_subsegment(subsegment)
                entities.append(subsegment)

        def end_subsegment(self, end_time: float | None = None) -> bool:
            entities = _trace_entities.get()
            if not entities or getattr(entities[-1], "type", None) != "subsegment":
                return False
            entities.pop().close(end_time)
            return True

        def get_trace_entity(self) -> Any:
            entities = _trace_entities.get()
            return entities[-1] if entities else DummySegment()

        def set_trace_entity(self, trace_entity: Any) -> None:
            _trace_entities.set([trace_entity])

        def clear_trace_entities(self) -> None:
            entities = _trace_entities.get()
            if entities:
                del entities[1:]

        def handle_context_missing(self) -> None:
            pass

    xray_recorder.configure(context=RequestContext())

    def begin(header: bytes | None) -> Token[list[Any] | None]:
        trace = TraceHeader.from_header_str(header.decode("latin-1") if header else None)
        sampled = trace.sampled
        if trace.root and trace.parent and sampled in ("0", "1", 0, 1):
            segment = FacadeSegment("facade", trace.parent, trace.root, str(sampled) == "1")
        else:
            segment = DummySegment()
        return _trace_entities.set([segment])

    return begin


if _tracing_enabled():
    tracer = Tracer()
    _begin_trace: Callable[[bytes | None], Token[list[Any] | None]] | None = _enable_request_tracing()
else:
    tracer = Tracer(disabled=True, auto_patch=False, provider=_NoopProvider())
    _begin_trace = None


# --------------------------------------------------------------------------- metrics


class _Record:
    """The metrics, dimensions and metadata of one request."""

    __slots__ = ("dimension_set", "dimension_sets", "metadata_set", "metric_set", "timestamp")

    def __init__(self) -> None:
        self.metric_set: dict[str, Any] = {}
        self.dimension_set: dict[str, str] = {}
        self.dimension_sets: list[dict[str, str]] = []
        self.metadata_set: dict[str, Any] = {}
        self.timestamp: int | None = None


_record: ContextVar[_Record | None] = ContextVar("metrics_record", default=None)


class _RequestScopedEMFProvider(AmazonCloudWatchEMFProvider):
    """Powertools' EMF provider whose metric set belongs to the current request.

    ``metrics.add_metric(...)`` in a route lands in that request's record, which the
    middleware writes when the request ends; outside a request it behaves as usual.
    """

    def __init__(self) -> None:
        self._outside = _Record()
        super().__init__(namespace=METRICS_NAMESPACE, service=SERVICE_NAME)

    def _current(self) -> _Record:
        return _record.get() or self._outside

    @property
    def metric_set(self) -> dict[str, Any]:
        return self._current().metric_set

    @metric_set.setter
    def metric_set(self, value: dict[str, Any]) -> None:
        self._outside.metric_set = value

    @property
    def dimension_set(self) -> dict[str, str]:
        return self._current().dimension_set

    @dimension_set.setter
    def dimension_set(self, value: dict[str, str]) -> None:
        self._outside.dimension_set = value

    @property
    def dimension_sets(self) -> list[dict[str, str]]:
        return self._current().dimension_sets

    @dimension_sets.setter
    def dimension_sets(self, value: list[dict[str, str]]) -> None:
        self._outside.dimension_sets = value

    @property
    def metadata_set(self) -> dict[str, Any]:
        return self._current().metadata_set

    @metadata_set.setter
    def metadata_set(self, value: dict[str, Any]) -> None:
        self._outside.metadata_set = value

    @property
    def timestamp(self) -> int | None:
        return self._current().timestamp

    @timestamp.setter
    def timestamp(self, value: int | None) -> None:
        self._current().timestamp = value


metrics = Metrics(provider=_RequestScopedEMFProvider())
_METRICS_DISABLED = is_metrics_disabled()

_COUNT = {"Name": "", "Unit": "Count"}
_DEF_REQUEST = {**_COUNT, "Name": "RequestCount"}
_DEF_SUCCESS = {**_COUNT, "Name": "Success"}
_DEF_CLIENT_ERROR = {**_COUNT, "Name": "ClientError"}
_DEF_FAILURE = {**_COUNT, "Name": "Failure"}
_DEF_COLD_START = {**_COUNT, "Name": "ColdStart"}
_DEF_LATENCY = {"Name": "Latency", "Unit": "Milliseconds"}


_dumps = json.JSONEncoder(separators=(",", ":"), default=str).encode
# JSON of the parts of a record that only depend on the outcome, the cold start and the route.
_FAST_HEAD: dict[tuple[str, bool], str] = {}
_FAST_ROUTE: dict[str, str] = {}


def _fast_head(outcome: dict[str, str], cold: bool) -> str:
    """'"CloudWatchMetrics":[...]},"service":…' for a record with only the built-in metrics."""
    definitions = [_DEF_REQUEST, _DEF_LATENCY, outcome, *([_DEF_COLD_START] if cold else [])]
    cloudwatch = [{"Namespace": METRICS_NAMESPACE, "Dimensions": [["service", "route"]], "Metrics": definitions}]
    head = '"CloudWatchMetrics":' + _dumps(cloudwatch) + '},"service":' + _dumps(SERVICE_NAME) + ',"route":'
    _FAST_HEAD[outcome["Name"], cold] = head
    return head


def _emit(line: str) -> None:
    """Write a line on the logger's stream (stdout), under its lock so lines never interleave."""
    handler = logger.registered_handler
    stream = getattr(handler, "stream", None) or sys.stdout
    handler.acquire()
    try:
        stream.write(line)
        stream.flush()
    finally:
        handler.release()


def _write_metrics(record: _Record, route: str, status: int, failed: bool, latency_ms: float, cold: bool) -> None:
    """Write the request's EMF record (built-in and handler metrics) as one line on stdout."""
    outcome = _DEF_FAILURE if failed or status >= 500 else _DEF_CLIENT_ERROR if status >= 400 else _DEF_SUCCESS
    if not (record.metric_set or record.dimension_set or record.dimension_sets or record.metadata_set):
        # Only the built-in metrics: the same document as below, from cached pieces.
        head = _FAST_HEAD.get((outcome["Name"], cold)) or _fast_head(outcome, cold)
        encoded_route = _FAST_ROUTE.get(route)
        if encoded_route is None:
            encoded_route = _FAST_ROUTE[route] = _dumps(route)
        timestamp = record.timestamp or int(time.time() * 1000)
        cold_value = ',"ColdStart":1' if cold else ""
        line = '{"_aws":{"Timestamp":%d,%s%s,"RequestCount":1,"Latency":%s,"%s":1%s}\n'
        _emit(line % (timestamp, head, encoded_route, _dumps(latency_ms), outcome["Name"], cold_value))
        return
    definitions: list[dict[str, Any]] = [_DEF_REQUEST, _DEF_LATENCY]
    values: dict[str, Any] = {"RequestCount": 1, "Latency": latency_ms}
    definitions.append(outcome)
    values[outcome["Name"]] = 1
    if cold:
        definitions.append(_DEF_COLD_START)
        values["ColdStart"] = 1
    for name, metric in record.metric_set.items():
        definition = {"Name": name, "Unit": metric["Unit"]}
        if metric.get("StorageResolution") == 1:
            definition["StorageResolution"] = 1
        definitions.append(definition)
        found = metric["Value"]
        values[name] = found[0] if len(found) == 1 else found
    dimensions = {"service": SERVICE_NAME, **record.dimension_set, "route": route}
    dimension_keys = [list(dimensions)]
    for extra in record.dimension_sets:
        dimension_keys.append(list(extra))
        dimensions.update(extra)
    document = {
        "_aws": {
            "Timestamp": record.timestamp or int(time.time() * 1000),
            "CloudWatchMetrics": [
                {"Namespace": METRICS_NAMESPACE, "Dimensions": dimension_keys, "Metrics": definitions},
            ],
        },
        **dimensions,
        **record.metadata_set,
        **values,
    }
    _emit(_dumps(document) + "\n")


# --------------------------------------------------------------------------- the app


class InternalServerError(BaseModel):
    """Body of every 500 response."""

    detail: str


def _operation_id(route: APIRoute) -> str:
    return route.name


class _State:
    """What the middleware knows about the request being handled."""

    __slots__ = ("route",)

    def __init__(self) -> None:
        self.route = UNMATCHED_ROUTE


_state: ContextVar[_State | None] = ContextVar("request_state", default=None)


async def _request_received(request: Request) -> None:
    """App-wide dependency: runs once a route matched, before its handler."""
    scope = request.scope
    template = getattr(scope.get("route"), "path", None) or scope["path"]
    state = _state.get()
    if state is not None:
        state.route = f"{scope['method']} {template}"
    logger.thread_safe_append_keys(route=template)
    logger.info(_RECEIVED)


class _App(FastAPI):
    def openapi(self) -> dict[str, Any]:
        """FastAPI's document, plus a 500 response everywhere and JSON Lines item schemas."""
        if self.openapi_schema is not None:
            return self.openapi_schema
        document = super().openapi()
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        schemas["InternalServerError"] = InternalServerError.model_json_schema()
        error = {
            "description": "Internal Server Error",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/InternalServerError"}}},
        }
        for path_item in document.get("paths", {}).values():
            for operation in path_item.values():
                responses = operation.setdefault("responses", {})
                responses["500"] = error
                for response in responses.values():
                    jsonl = response.get("content", {}).get(JsonStreamingResponse.media_type)
                    if jsonl is not None and "itemSchema" in jsonl:
                        # FastAPI put the model in `schema` (and in components): move it.
                        schema = jsonl.pop("schema", {})
                        if "$ref" in schema:
                            jsonl["itemSchema"] = {"$ref": schema["$ref"]}
        return document


# --------------------------------------------------------------------------- middleware


def _allowed_origins(value: str | None) -> frozenset[bytes]:
    """Origins listed in ``ALLOWED_ORIGINS`` (comma-separated); empty means any origin."""
    return frozenset(o.strip().rstrip("/").encode("latin-1") for o in (value or "").split(",") if o.strip())


_ALLOWED_ORIGINS = _allowed_origins(os.environ.get("ALLOWED_ORIGINS"))
_LOCAL_ORIGIN = re.compile(rb"https?://(localhost|127\.0\.0\.1)(:\d+)?")
_EXPOSE = (b"access-control-expose-headers", b"X-Correlation-Id")
_VARY = (b"vary", b"Origin")
_ANY_ORIGIN = (b"access-control-allow-origin", b"*")

# Lambda context that never changes in this process.
_STATIC_KEYS: dict[str, Any] = {
    key: value
    for key, value in (
        ("function_name", os.environ.get("AWS_LAMBDA_FUNCTION_NAME")),
        ("function_memory_size", os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")),
    )
    if value
}


def _cors_headers(origin: bytes | None) -> list[tuple[bytes, bytes]] | None:
    """Headers granting ``origin`` access, or None when it is not allowed."""
    if not _ALLOWED_ORIGINS:
        return [_ANY_ORIGIN, _EXPOSE]
    if origin is not None and (origin in _ALLOWED_ORIGINS or _LOCAL_ORIGIN.fullmatch(origin)):
        return [(b"access-control-allow-origin", origin), _VARY, _EXPOSE]
    return None


_random_bits = random.Random().getrandbits  # correlation ids need uniqueness, not secrecy
_UUID4_MASK = ~(0xF000 << 64 | 0xC000 << 48) & (1 << 128) - 1
_UUID4_BITS = 0x4000 << 64 | 0x8000 << 48


def _new_id() -> str:
    """A random (version 4) UUID, without a system call per request."""
    value = f"{_random_bits(128) & _UUID4_MASK | _UUID4_BITS:032x}"
    return f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}"


def _json_header(raw: bytes | None) -> dict[str, Any]:
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


class _ObservabilityMiddleware:
    """One pure ASGI layer for correlation id, logging keys, metrics, errors and CORS."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.cold_start = True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["path"] == READINESS_PATH:
            await _send_json(send, 200, b'{"status":"ok"}', [])
            return

        started = time.perf_counter()
        headers = dict(scope["headers"])
        lambda_context = _json_header(headers.get(b"x-amzn-lambda-context"))
        correlation_id = (
            headers.get(b"x-correlation-id", b"").decode("latin-1")
            or lambda_context.get("request_id")
            or _json_header(headers.get(b"x-amzn-request-context")).get("requestId")
            or _new_id()
        )
        cold = self.cold_start
        self.cold_start = False

        keys = {
            "correlation_id": correlation_id,
            "method": scope["method"],
            "path": scope["path"],
            "cold_start": cold,
            **_STATIC_KEYS,
        }
        if lambda_context:
            keys["function_arn"] = lambda_context.get("invoked_function_arn")
            keys["function_request_id"] = lambda_context.get("request_id")
        log_keys = logger.registered_formatter  # per-request keys live in a ContextVar
        log_keys.thread_safe_clear_keys()
        log_keys.thread_safe_append_keys(**keys)

        origin = headers.get(b"origin")
        cors = _cors_headers(origin) if origin is not None or not _ALLOWED_ORIGINS else None
        extra = [(b"x-correlation-id", correlation_id.encode("latin-1"))]
        if cors:
            extra.extend(cors)
        elif _ALLOWED_ORIGINS:
            extra.append(_VARY)

        state = _State()
        record = _Record()
        state_token = _state.set(state)
        record_token = _record.set(record)
        trace_token = _begin_trace(headers.get(b"x-amzn-trace-id")) if _begin_trace else None
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
            logger.exception("Unhandled exception")
            if response_started:
                raise  # the response is under way (a stream): abort it so the client sees it fail
            status = 500
            await _send_json(send, 500, b'{"detail":"Internal Server Error"}', extra)
        finally:
            if not _METRICS_DISABLED:
                latency_ms = round((time.perf_counter() - started) * 1000, 3)
                _write_metrics(record, state.route, status, failed, latency_ms, cold)
            log_keys.thread_safe_clear_keys()
            if trace_token is not None:
                _trace_entities.reset(trace_token)
            _record.reset(record_token)
            _state.reset(state_token)


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


def create_app() -> FastAPI:
    """A FastAPI app with everything this module sets up: operationIds, OpenAPI and middleware.

    ``app`` below is one; every call makes another with the same setup (fastgen's runtime
    tests use one of their own, so they never add routes to yours).
    """
    created = _App(
        title="{{ class_name | py_string }}",
        generate_unique_id_function=_operation_id,
        dependencies=[Depends(_request_received)],
    )
    created.add_middleware(_ObservabilityMiddleware)
    return created


app = create_app()


# --------------------------------------------------------------------------- streaming


class JsonStreamingResponse(StreamingResponse):
    """Streams Pydantic models as JSON Lines (``application/jsonl``), one line per model.

    Accepts an async or a sync iterator; each line is sent as soon as it is produced.
    """

    media_type = "application/jsonl"

    def __init__(
        self,
        content: AsyncIterable[BaseModel] | Iterable[BaseModel],
        status_code: int = 200,
        headers: dict[str, str] | None = None,
    ) -> None:
        lines: AsyncIterable[bytes] | Iterable[bytes]
        lines = _async_lines(content) if isinstance(content, AsyncIterable) else _sync_lines(content)
        super().__init__(lines, status_code=status_code, headers=headers, media_type=self.media_type)

    @staticmethod
    def openapi_response(model: type[BaseModel], description: str) -> dict[str, Any]:
        """A ``responses`` entry documenting a stream of ``model`` as JSON Lines items."""
        return {
            "model": model,
            "description": description,
            "content": {
                JsonStreamingResponse.media_type: {
                    "itemSchema": {"$ref": f"#/components/schemas/{model.__name__}"},
                },
            },
        }


async def _async_lines(items: AsyncIterable[BaseModel]) -> AsyncIterator[bytes]:
    async for item in items:
        yield item.model_dump_json().encode() + b"\n"


def _sync_lines(items: Iterable[BaseModel]) -> Iterator[bytes]:
    for item in items:
        yield item.model_dump_json().encode() + b"\n"


__all__ = ["READINESS_PATH", "JsonStreamingResponse", "app", "logger", "metrics", "tracer"]
