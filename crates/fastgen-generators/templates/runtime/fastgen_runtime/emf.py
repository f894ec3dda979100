"""CloudWatch metrics: one EMF record per request, with the handler's own metrics in it."""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
import time
from typing import Any

from aws_lambda_powertools.metrics import MetricResolution, MetricUnit
from aws_lambda_powertools.metrics.provider.cloudwatch_emf.cloudwatch import AmazonCloudWatchEMFProvider

from .context import RequestState, current_request

_dumps = json.JSONEncoder(separators=(",", ":"), default=str).encode


class RequestScopedEMFProvider(AmazonCloudWatchEMFProvider):
    """Powertools' CloudWatch EMF provider whose metrics belong to the request being handled.

    While a request is handled, ``metrics.add_metric(...)`` (and the other methods that add
    to or flush a metric set) go to a Powertools provider of that request's own, which the
    middleware writes, with the built-in metrics and the request's ``route`` dimension, when
    the request ends. Outside a request (at import, in a script) it is the provider
    Powertools has always been.
    """

    def request_set(self) -> AmazonCloudWatchEMFProvider | None:
        """The metric set of the request being handled (created on first use), or None."""
        state = current_request.get()
        if state is None:
            return None
        if state.metrics is None:
            state.metrics = self.new_set()
        return state.metrics

    def new_set(self) -> AmazonCloudWatchEMFProvider:
        """An empty metric set with this provider's namespace, service and default dimensions."""
        return AmazonCloudWatchEMFProvider(
            namespace=self.namespace, service=self.service, default_dimensions=dict(self.default_dimensions)
        )

    def add_metric(
        self, name: str, unit: MetricUnit | str, value: float, resolution: MetricResolution | int = 60
    ) -> None:
        target = self.request_set()
        if target is None:
            super().add_metric(name=name, unit=unit, value=value, resolution=resolution)
        else:
            target.add_metric(name=name, unit=unit, value=value, resolution=resolution)

    def add_dimension(self, name: str, value: str) -> None:
        target = self.request_set()
        if target is None:
            super().add_dimension(name=name, value=value)
        else:
            target.add_dimension(name=name, value=value)

    def add_dimensions(self, **dimensions: str) -> None:
        target = self.request_set()
        if target is None:
            super().add_dimensions(**dimensions)
        else:
            target.add_dimensions(**dimensions)

    def add_metadata(self, key: str, value: Any) -> None:
        target = self.request_set()
        if target is None:
            super().add_metadata(key=key, value=value)
        else:
            target.add_metadata(key=key, value=value)

    def set_timestamp(self, timestamp: int | dt.datetime) -> None:
        target = self.request_set()
        if target is None:
            super().set_timestamp(timestamp)
        else:
            target.set_timestamp(timestamp)

    def flush_metrics(self, raise_on_empty_metrics: bool = False) -> None:
        target = self.request_set()
        if target is None:
            super().flush_metrics(raise_on_empty_metrics=raise_on_empty_metrics)
        else:
            target.flush_metrics(raise_on_empty_metrics=raise_on_empty_metrics)

    def clear_metrics(self) -> None:
        target = self.request_set()
        if target is None:
            super().clear_metrics()
        else:
            target.clear_metrics()


class RecordWriter:
    """Writes each request's EMF record as one line on the logger's stream (stdout).

    A request whose handler added nothing (the common case) gets its record from cached JSON
    pieces; any other goes through Powertools' ``serialize_metric_set``. Both give the same
    document (the runtime's tests compare them). Single values are written as numbers, not
    one-element lists, so that every record reads alike.
    """

    def __init__(self, provider: RequestScopedEMFProvider, handler: logging.Handler) -> None:
        self.provider = provider
        self.handler = handler
        self.heads: dict[tuple[str | None, str | None, str, bool], str] = {}
        self.routes: dict[str, str] = {}

    def write(self, state: RequestState, status: int, failed: bool, latency_ms: float, cold: bool) -> None:
        outcome = "Failure" if failed or status >= 500 else "ClientError" if status >= 400 else "Success"
        if state.metrics is None and not self.provider.default_dimensions:
            self.emit(self.built_in_line(state.route, outcome, latency_ms, cold, int(time.time() * 1000)))
        else:
            target = state.metrics or self.provider.new_set()
            self.emit(_dumps(self.powertools_record(target, state.route, outcome, latency_ms, cold)) + "\n")

    def built_in_line(self, route: str, outcome: str, latency_ms: float, cold: bool, timestamp: int) -> str:
        """The record of a request with only the built-in metrics, from cached pieces."""
        namespace, service = self.provider.namespace, self.provider.service
        head = self.heads.get((namespace, service, outcome, cold))
        if head is None:
            metrics = [{"Name": "RequestCount", "Unit": "Count"}, {"Name": "Latency", "Unit": "Milliseconds"}]
            metrics.append({"Name": outcome, "Unit": "Count"})
            if cold:
                metrics.append({"Name": "ColdStart", "Unit": "Count"})
            cloudwatch = [{"Namespace": namespace, "Dimensions": [["service", "route"]], "Metrics": metrics}]
            head = '"CloudWatchMetrics":' + _dumps(cloudwatch) + '},"service":' + _dumps(service) + ',"route":'
            self.heads[namespace, service, outcome, cold] = head
        encoded_route = self.routes.get(route)
        if encoded_route is None:
            encoded_route = self.routes[route] = _dumps(route)
        cold_value = ',"ColdStart":1' if cold else ""
        parts = ('{"_aws":{"Timestamp":', str(timestamp), ",", head, encoded_route, ',"RequestCount":1,"Latency":')
        return "".join((*parts, _dumps(latency_ms), ',"', outcome, '":1', cold_value, "}\n"))

    def powertools_record(
        self, target: AmazonCloudWatchEMFProvider, route: str, outcome: str, latency_ms: float, cold: bool
    ) -> dict[str, Any]:
        """The request's metric set with the built-in metrics and dimensions, serialised by Powertools."""
        target.add_metric(name="RequestCount", unit=MetricUnit.Count, value=1)
        target.add_metric(name="Latency", unit=MetricUnit.Milliseconds, value=latency_ms)
        target.add_metric(name=outcome, unit=MetricUnit.Count, value=1)
        if cold:
            target.add_metric(name="ColdStart", unit=MetricUnit.Count, value=1)
        if target.service and "service" not in target.dimension_set:
            target.add_dimension(name="service", value=target.service)
        target.add_dimension(name="route", value=route)
        record: dict[str, Any] = dict(target.serialize_metric_set())
        for metric in record["_aws"]["CloudWatchMetrics"][0]["Metrics"]:
            values = record.get(metric["Name"])
            if isinstance(values, list) and len(values) == 1:
                record[metric["Name"]] = values[0]
        return record

    def emit(self, line: str) -> None:
        """Write a line on the logger's stream, under its lock so that lines never interleave."""
        handler = self.handler
        stream = getattr(handler, "stream", None) or sys.stdout
        handler.acquire()
        try:
            stream.write(line)
            stream.flush()
        finally:
            handler.release()
