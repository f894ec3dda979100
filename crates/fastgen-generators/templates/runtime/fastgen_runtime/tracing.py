"""Tracing: Powertools' Tracer, free locally, joined to each invocation's X-Ray trace in Lambda."""

from __future__ import annotations

import os
from collections.abc import Callable
from contextvars import ContextVar, Token
from typing import Any

from aws_lambda_powertools import Tracer
from aws_lambda_powertools.tracing.base import BaseProvider, BaseSegment

# Called by the middleware when a request starts, with its `x-amzn-trace-id` header.
BeginTrace = Callable[[bytes | None], Token[list[Any] | None]]

_TRUE = ("1", "true", "yes", "on", "y", "t")


class NoopSegment(BaseSegment):
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


class NoopSubsegment:
    """``with``/``async with`` a no-op segment (cheaper than a generator-based context manager)."""

    segment = NoopSegment()

    def __enter__(self) -> BaseSegment:
        return self.segment

    def __exit__(self, *exc_info: object) -> None:
        return None

    async def __aenter__(self) -> BaseSegment:
        return self.segment

    async def __aexit__(self, *exc_info: object) -> None:
        return None


class NoopProvider(BaseProvider):
    """Powertools tracing provider used outside Lambda: no X-Ray SDK import, no daemon, no cost."""

    subsegment = NoopSubsegment()

    def in_subsegment(self, name: Any = None, **kwargs: Any) -> Any:
        return self.subsegment

    def in_subsegment_async(self, name: Any = None, **kwargs: Any) -> Any:
        return self.subsegment

    def put_annotation(self, key: str, value: Any) -> None:
        pass

    def put_metadata(self, key: str, value: Any, namespace: str = "default") -> None:
        pass

    def patch(self, modules: Any) -> None:
        pass

    def patch_all(self) -> None:
        pass


def tracing_enabled() -> bool:
    """Powertools' rule: only in Lambda, and not when POWERTOOLS_TRACE_DISABLED is set."""
    disabled = os.environ.get("POWERTOOLS_TRACE_DISABLED", "false").lower() in _TRUE
    in_lambda = bool(os.environ.get("LAMBDA_TASK_ROOT"))
    emulated = bool(os.environ.get("AWS_SAM_LOCAL") or os.environ.get("AWS_CHALICE_CLI_MODE"))
    return in_lambda and not emulated and not disabled


def create_tracer(service: str) -> tuple[Tracer, BeginTrace | None]:
    """The Tracer, and the function that joins each request to its trace (None when tracing is off)."""
    if not tracing_enabled():
        return Tracer(service=service, disabled=True, auto_patch=False, provider=NoopProvider()), None
    begin = _request_tracing()
    tracer = Tracer(service=service, auto_patch=False)
    patch_when_imported()
    return tracer, begin


# What Powertools' auto_patch patches (the X-Ray SDK's `patch_all`), each with the module whose
# import triggers it: the one its patch wraps. Patched when the application imports it, not
# all at start-up: the Lambda Python runtime provides botocore, and patching it eagerly loads
# its client machinery into every cold start whether or not the API calls AWS (Powertools
# itself imports only the light `botocore` package).
PATCHED_WHEN_IMPORTED = {
    "aiobotocore": "aiobotocore.client",
    "botocore": "botocore.client",
    "pynamodb": "pynamodb.connection",
    "requests": "requests",
    "sqlite3": "sqlite3",
    "mysql": "mysql.connector",
    "pymongo": "pymongo",
    "pymysql": "pymysql",
    "psycopg2": "psycopg2",
    "psycopg": "psycopg",
    "pg8000": "pg8000",
    "sqlalchemy_core": "sqlalchemy",
    "httpx": "httpx",
}


def patch_when_imported() -> None:
    """Patch each library X-Ray traces as soon as it is imported (at once if it already is)."""
    from aws_xray_sdk.core import patch  # type: ignore[import-untyped]
    from wrapt import register_post_import_hook

    def hook(name: str) -> Callable[[Any], None]:
        return lambda _module: patch([name], raise_errors=False)

    for name, module in PATCHED_WHEN_IMPORTED.items():
        register_post_import_hook(hook(name), module)


# The trace entities (segment, then open subsegments) of the request being handled.
_trace_entities: ContextVar[list[Any] | None] = ContextVar("fastgen_runtime_trace", default=None)


def _request_tracing() -> BeginTrace:
    """Make X-Ray subsegments join the trace given per request in ``x-amzn-trace-id``.

    Behind the Lambda Web Adapter the process never sees ``_X_AMZN_TRACE_ID``, so the SDK's
    Lambda context would find no segment. This context (the X-Ray SDK's ``context``
    interface, set with ``xray_recorder.configure``) keeps the entities per request instead;
    context variables follow the request into FastAPI's thread pool.
    """
    from aws_xray_sdk.core import xray_recorder
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


def end_trace(token: Token[list[Any] | None]) -> None:
    """Forget the trace entities of the request that ``begin`` started."""
    _trace_entities.reset(token)
