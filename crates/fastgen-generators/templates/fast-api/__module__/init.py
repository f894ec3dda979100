"""The {{ class_name | py_string }} app and its observability: logging, tracing and metrics.

Import what your routes need from here::

    from .init import JsonStreamingResponse, app, logger, metrics, tracer

The machinery is fastgen's runtime package, ``fastgen_runtime`` (packages/common/runtime),
which fastgen keeps up to date. This file is yours: change the title, pass FastAPI options,
include routers, add middleware or exception handlers.
"""

import os

from fastgen_runtime import JsonStreamingResponse, Observability, create_app

# The service name in log lines, traces and metrics, and the metrics namespace; the
# deployment's POWERTOOLS_SERVICE_NAME and POWERTOOLS_METRICS_NAMESPACE win when set.
observability = Observability(
    service="{{ class_name | py_string }}",
    namespace="{{ class_name | py_string }}",
)

logger = observability.logger  # Powertools Logger: JSON lines carrying the request's keys
tracer = observability.tracer  # Powertools Tracer: X-Ray in Lambda, free locally
metrics = observability.metrics  # Powertools Metrics: lands in the request's EMF record

# Every request gets a correlation id (X-Correlation-Id), one "request received" log line,
# one EMF record with the dimension route = "<METHOD> <route template>", a safe 500 for an
# unhandled exception, CORS headers, and the readiness path /__health. Each operationId is
# its function's name; every operation documents a 500 response.
app = create_app(
    title="{{ class_name | py_string }}",
    observability=observability,
    # Comma-separated origins, set by the infrastructure when you restrict them; unset: any.
    allowed_origins=os.environ.get("ALLOWED_ORIGINS"),
)

__all__ = ["JsonStreamingResponse", "app", "logger", "metrics", "tracer"]
