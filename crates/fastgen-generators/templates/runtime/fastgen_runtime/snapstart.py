"""Lambda SnapStart: what must differ between execution environments restored from one snapshot.

SnapStart snapshots the execution environment once its init finished (the app imported, the
readiness check answered) and starts every new environment from a copy of that memory. Under
the Lambda Web Adapter the Python runtime's own hooks (``snapshot_restore_py``) do not run:
the function's handler is ``run.sh``. The adapter calls the app instead: a request to
``AWS_LWA_SNAPSTART_AFTER_RESTORE_PATH`` (set by the infrastructure to ``AFTER_RESTORE_PATH``)
after each restore, before any traffic; a non-2xx answer fails the restore.

The runtime's own ids need nothing (correlation ids read ``os.urandom`` per id). On restore
it re-seeds the ``random`` module, whose state would otherwise be the same in every restored
environment, then runs what the API registered with ``after_restore``: reconnect what init
connected, refresh credentials or clocks cached at import, regenerate ids made at import.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import TypeVar

# The adapter's after-restore hook (a path it refuses to outside callers); not in the OpenAPI document.
AFTER_RESTORE_PATH = "/__after_restore"

_after_restore: list[Callable[[], object]] = []

F = TypeVar("F", bound=Callable[[], object])


def after_restore(callback: F) -> F:
    """Run ``callback`` (no arguments) in each environment restored from a snapshot, in the
    order registered, before it serves a request. Usable as a decorator. Keep it well under
    Lambda's 10 s restore limit; an exception fails the restore (Lambda retries it)."""
    _after_restore.append(callback)
    return callback


def restored() -> None:
    """What the after-restore hook runs: fresh randomness, then the registered callbacks."""
    random.seed()
    for callback in list(_after_restore):
        callback()
