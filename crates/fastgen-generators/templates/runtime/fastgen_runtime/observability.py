"""One service's Powertools logger, tracer and metrics, set up for request-scoped observability."""

from __future__ import annotations

import json
import os

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics.functions import is_metrics_disabled
from fastapi import Request

from .context import current_request
from .emf import RecordWriter, RequestScopedEMFProvider
from .logs import REQUEST_RECEIVED, RequestFormatter
from .tracing import create_tracer

SERVICE_ENV = "POWERTOOLS_SERVICE_NAME"
NAMESPACE_ENV = "POWERTOOLS_METRICS_NAMESPACE"


def _truthy(name: str) -> bool:
    return os.environ.get(name, "false").strip().lower() in ("1", "true", "yes", "on", "y", "t")


class Observability:
    """The ``logger``, ``tracer`` and ``metrics`` of one service, and what its middleware uses.

    ``service`` names the service in log lines, traces and the metrics' ``service`` dimension;
    ``namespace`` is the metrics namespace (default: ``service``). Both are defaults: a
    ``POWERTOOLS_SERVICE_NAME`` / ``POWERTOOLS_METRICS_NAMESPACE`` set by the deployment wins.
    They are also set in the environment when missing, so that every Powertools object the
    process creates later (``Logger(child=True)`` in another module, say) uses the same names.

    - ``logger``: a Powertools ``Logger`` (JSON lines on stdout) whose lines carry the keys of
      the request being handled;
    - ``tracer``: a Powertools ``Tracer``: X-Ray in Lambda, joined to each invocation's trace;
      elsewhere a no-op that needs no X-Ray SDK and no daemon;
    - ``metrics``: a Powertools ``Metrics`` whose ``add_metric`` lands in the request's EMF record.
    """

    def __init__(self, service: str, namespace: str | None = None) -> None:
        for name, default in ((SERVICE_ENV, service), (NAMESPACE_ENV, namespace or service)):
            if not os.environ.get(name):
                os.environ[name] = default
        self.service = os.environ[SERVICE_ENV]
        self.namespace = os.environ[NAMESPACE_ENV]

        # Powertools' compact JSON, with the encoder built once rather than for every line
        # (POWERTOOLS_DEV keeps Powertools' own, indented serialiser).
        compact = json.JSONEncoder(default=str, separators=(",", ":"), ensure_ascii=False).encode
        formatter = RequestFormatter(json_serializer=None if _truthy("POWERTOOLS_DEV") else compact)
        self.logger = Logger(service=self.service, logger_formatter=formatter)
        if not isinstance(self.logger.registered_formatter, RequestFormatter):
            # The logger was set up earlier (a Logger of the same service created before this
            # one): take its keys over into the request-aware formatter.
            formatter.append_keys(**self.logger.get_current_keys())
            self.logger.registered_handler.setFormatter(formatter)

        self.tracer, self.begin_trace = create_tracer(self.service)

        self.metrics_provider = RequestScopedEMFProvider(namespace=self.namespace, service=self.service)
        self.metrics = Metrics(provider=self.metrics_provider)
        self.metrics_enabled = not is_metrics_disabled()
        self.records = RecordWriter(self.metrics_provider, self.logger.registered_handler)

    async def request_received(self, request: Request) -> None:
        """App-wide dependency (``create_app`` adds it): runs once a route matched, before its
        handler. Records the route template and logs the "request received" line."""
        scope = request.scope
        template = getattr(scope.get("route"), "path", None) or scope["path"]
        state = current_request.get()
        if state is not None:
            state.route = f"{scope['method']} {template}"
            state.keys["route"] = template
        self.logger.info(REQUEST_RECEIVED)
