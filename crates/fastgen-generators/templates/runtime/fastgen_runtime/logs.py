"""Log lines: Powertools' JSON formatter, plus the keys of the request being handled."""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any, cast

from aws_lambda_powertools.logging.formatter import RESERVED_LOG_ATTRS, LambdaPowertoolsFormatter

from .context import current_request

if TYPE_CHECKING:
    from aws_lambda_powertools.logging.types import LogRecord

_RESERVED = frozenset(RESERVED_LOG_ATTRS)
_LEVEL, _LOCATION, _TIMESTAMP = "%(levelname)s", "%(funcName)s:%(lineno)d", "%(asctime)s"


class RequestReceived(str):
    """The message of the line logged once per matched request (recognised by identity)."""

    __slots__ = ()


REQUEST_RECEIVED = RequestReceived("request received")


class RequestFormatter(LambdaPowertoolsFormatter):
    """Powertools' JSON log formatter with the keys of the request being handled.

    Every line written while a request is handled carries that request's keys (correlation
    id, method, path, route, cold start, Lambda context, X-Ray trace id). They are added in
    ``serialize``, the method Powertools documents for customising a formatter, from the
    request itself rather than from shared state: nothing of one request reaches another's
    lines, however requests interleave. A key the line already has (an ``extra`` of the
    call, a key appended to the logger) wins.

    The "request received" line, logged on every request, is built directly from the
    formatter's keys instead of through Powertools' general path: the same document (the
    runtime's tests compare both) at a fraction of the cost.
    """

    # (second, strftime of the text before the milliseconds, of the text after them)
    time_parts: tuple[int, str, str] = (-1, "", "")

    def serialize(self, log: LogRecord) -> str:
        state = current_request.get()
        if state is not None:
            document = cast("dict[str, Any]", log)
            for key, value in state.keys.items():
                document.setdefault(key, value)
        return self.json_serializer(log)

    def format(self, record: logging.LogRecord) -> str:
        if record.msg is REQUEST_RECEIVED and not (record.args or record.exc_info or record.stack_info):
            log = self.request_received(record)
            if log is not None:
                return self.serialize(log)
        return super().format(record)

    def request_received(self, record: logging.LogRecord) -> dict[str, Any] | None:
        """The document Powertools makes of the "request received" record, or None when one
        of the formatter's keys needs Powertools' general path."""
        log: dict[str, Any] = {}
        for key, value in self.log_format.items():
            if value and key in _RESERVED:
                if value == _LEVEL:
                    value = record.levelname
                elif value == _LOCATION:
                    value = f"{record.funcName}:{record.lineno}"
                elif value == _TIMESTAMP:
                    value = self.formatTime(record)
                else:
                    return None
            log[key] = value
        task = getattr(record, "taskName", None)  # Python 3.12+: Powertools logs it as an extra
        if task is not None:
            log["taskName"] = task
        log["message"] = str(record.msg)
        return {key: value for key, value in log.items() if value is not None}

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        """Powertools' timestamp; for its default format, the date and time are formatted once
        per second and only the milliseconds per line."""
        if datefmt or self.datefmt or self.use_rfc3339_iso8601 or self.use_datetime_directive:
            return super().formatTime(record, datefmt)
        second, before, after = self.time_parts
        if second != int(record.created):
            second = int(record.created)
            moment = self.converter(second)
            before, _, after = self.default_time_format.partition(self.custom_ms_time_directive)
            before, after = time.strftime(before, moment), time.strftime(after, moment)
            self.time_parts = (second, before, after)
        return f"{before}{int(record.msecs):03d}{after}"
