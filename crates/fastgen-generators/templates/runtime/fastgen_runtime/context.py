"""What the runtime knows about the request being handled.

The middleware sets it when a request starts; the log formatter reads its keys, the metrics
provider collects the handler's metrics in it, and the route dependency records the matched
route. One context variable, so concurrent requests never see each other's state, and it
follows the request into FastAPI's thread pool.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aws_lambda_powertools.metrics.provider.cloudwatch_emf.cloudwatch import AmazonCloudWatchEMFProvider

# Metric `route` dimension of requests that match no route, and of CORS preflights.
UNMATCHED_ROUTE = "UNMATCHED"
PREFLIGHT_ROUTE = "PREFLIGHT"


class RequestState:
    """One request: its log keys, its `route` dimension and the metrics its handler added."""

    __slots__ = ("keys", "metrics", "route")

    def __init__(self, keys: dict[str, Any]) -> None:
        self.keys = keys
        self.route = UNMATCHED_ROUTE
        self.metrics: AmazonCloudWatchEMFProvider | None = None


current_request: ContextVar[RequestState | None] = ContextVar("fastgen_runtime_request", default=None)
