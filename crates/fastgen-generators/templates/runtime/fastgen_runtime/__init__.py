"""fastgen's runtime for FastAPI services on AWS Lambda (behind the Lambda Web Adapter).

Each API's ``init.py`` creates its app from it::

    observability = Observability(service="MyApi")
    app = create_app(title="MyApi", observability=observability, allowed_origins=...)

and every request then gets a correlation id (returned as ``X-Correlation-Id`` and in every
log line), one "request received" log line, one CloudWatch EMF record with the dimension
``route`` = ``"<METHOD> <route template>"`` (``RequestCount``, ``Success`` / ``ClientError`` /
``Failure``, ``Latency``, ``ColdStart``, and whatever the handler added), a safe
``500 {"detail": "Internal Server Error"}`` for an unhandled exception, CORS headers and
preflights, X-Ray subsegments joined to the invocation's trace in Lambda, and the readiness
path ``/__health``. ``JsonStreamingResponse`` streams Pydantic models as JSON Lines.
``after_restore`` registers what must run again in each environment Lambda SnapStart restores.

fastgen owns this package and refreshes it; it uses only Powertools' public API.
"""

from .app import InternalServerError, ObservedAPI, create_app, operation_id
from .context import PREFLIGHT_ROUTE, UNMATCHED_ROUTE
from .emf import RecordWriter, RequestScopedEMFProvider
from .logs import REQUEST_RECEIVED, RequestFormatter
from .middleware import READINESS_PATH, ObservabilityMiddleware
from .observability import Observability
from .snapstart import AFTER_RESTORE_PATH, after_restore
from .streaming import JsonStreamingResponse

__all__ = [
    "AFTER_RESTORE_PATH",
    "PREFLIGHT_ROUTE",
    "READINESS_PATH",
    "REQUEST_RECEIVED",
    "UNMATCHED_ROUTE",
    "InternalServerError",
    "JsonStreamingResponse",
    "Observability",
    "ObservabilityMiddleware",
    "ObservedAPI",
    "RecordWriter",
    "RequestFormatter",
    "RequestScopedEMFProvider",
    "after_restore",
    "create_app",
    "operation_id",
]
