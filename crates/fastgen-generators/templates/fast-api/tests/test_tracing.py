"""Tracing: free and daemon-less locally; joined to the invocation's trace in Lambda."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from {{ module }}.init import tracer

PROJECT = Path(__file__).resolve().parent.parent
API_TITLE = "{{ class_name | py_string }}"
MODULE = "{{ module | py_string }}"
TRACE_ROOT = "1-5759e988-bd862e3fe1be46a994272793"
PARENT = "53995c3f42cd8ad8"

# Runs in a process that looks like a Lambda execution environment behind the Lambda
# Web Adapter: the trace header arrives per request, never in _X_AMZN_TRACE_ID.
IN_LAMBDA = """
import sys

from fastapi.testclient import TestClient

import tests.example_routes  # noqa: F401
from {{ module }}.init import app

client = TestClient(app)
header = dict([("x-amzn-trace-id", sys.argv[1])])
assert client.get("/examples/traced", headers=header).status_code == 200
assert client.get("/examples/traced-async", headers=header).status_code == 200
assert client.get("/examples/traced").status_code == 200
"""


def test_local_tracing_needs_no_xray_sdk_or_daemon(client: TestClient) -> None:
    assert client.get("/examples/traced").json() == {"name": "sync"}
    assert client.get("/examples/traced-async").json() == {"name": "async"}
    assert tracer.disabled
    assert "aws_xray_sdk.core" not in sys.modules


def lambda_env(daemon_port: int, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POWERTOOLS_", "AWS_", "_X_AMZN"))}
    env.update(
        LAMBDA_TASK_ROOT=str(tmp_path),
        AWS_LAMBDA_FUNCTION_NAME="my-api",
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE="512",
        AWS_REGION="us-east-1",
        AWS_XRAY_DAEMON_ADDRESS=f"127.0.0.1:{daemon_port}",
        POWERTOOLS_SERVICE_NAME="FromTheDeployment",
        AWS_LAMBDA_EXEC_WRAPPER="/opt/bootstrap",
    )
    return env


def test_in_lambda_subsegments_join_the_request_trace(tmp_path: Path) -> None:
    daemon = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    daemon.bind(("127.0.0.1", 0))
    daemon.settimeout(10)
    port = daemon.getsockname()[1]

    subprocess.run(
        [sys.executable, "-c", IN_LAMBDA, f"Root={TRACE_ROOT};Parent={PARENT};Sampled=1"],
        cwd=PROJECT,
        env=lambda_env(port, tmp_path),
        check=True,
        timeout=60,
    )

    documents: list[dict[str, Any]] = []
    daemon.settimeout(0.5)
    try:
        while True:
            header, _, body = daemon.recv(65536).decode().partition("\n")
            assert json.loads(header) == {"format": "json", "version": 1}
            documents.append(json.loads(body))
    except TimeoutError:
        pass
    finally:
        daemon.close()

    by_name = {document["name"]: document for document in documents}
    handler = by_name["## tests.example_routes.traced"]
    async_handler = by_name["## tests.example_routes.traced_async"]
    for document in (handler, async_handler):
        assert document["trace_id"] == TRACE_ROOT
        assert document["parent_id"] == PARENT
        assert document["type"] == "subsegment"
    assert by_name["fetch-item-details"]["parent_id"] == handler["id"]
    assert by_name["fetch-item-details-async"]["parent_id"] == async_handler["id"]
    # The request without a trace header sent nothing.
    assert len(documents) == 4


def test_service_and_namespace_default_to_the_api_name_unless_set(tmp_path: Path) -> None:
    code = f"from {MODULE}.init import SERVICE_NAME, METRICS_NAMESPACE; print(SERVICE_NAME, METRICS_NAMESPACE)"
    env = {k: v for k, v in os.environ.items() if not k.startswith("POWERTOOLS_")}

    defaults = subprocess.run([sys.executable, "-c", code], cwd=PROJECT, env=env, capture_output=True, text=True)
    env["POWERTOOLS_SERVICE_NAME"] = "Deployed"
    env["POWERTOOLS_METRICS_NAMESPACE"] = "DeployedNamespace"
    overridden = subprocess.run([sys.executable, "-c", code], cwd=PROJECT, env=env, capture_output=True, text=True)

    assert defaults.stdout.split() == [API_TITLE, API_TITLE]
    assert overridden.stdout.split() == ["Deployed", "DeployedNamespace"]
