#!/bin/sh
# Lambda Web Adapter bootstrap: starts the API on $PORT (8000 by default).
# In the Lambda bundle this directory holds the dependencies and the package.
HERE="$(cd "$(dirname "$0")" && pwd)"
export PYTHONPATH="${HERE}${PYTHONPATH:+:$PYTHONPATH}"
exec python3 -m uvicorn {{ module | sh }}.main:app --host 0.0.0.0 --port "${PORT:-8000}" --no-access-log
