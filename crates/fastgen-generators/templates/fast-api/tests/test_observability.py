import json
import logging
import time
import uuid

from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter
from fastapi.testclient import TestClient

from {{ module }}.init import _RECEIVED, logger

from .conftest import Output, emf_names

LAMBDA_CONTEXT = json.dumps(
    {
        "request_id": "lambda-request-id",
        "deadline": 1700000000000,
        "invoked_function_arn": "arn:aws:lambda:us-east-1:123456789012:function:my-api",
        "xray_trace_id": None,
        "env_config": {"function_name": "my-api", "memory": 512},
    }
)
REQUEST_CONTEXT = json.dumps({"requestId": "apigw-request-id", "stage": "prod"})


def test_correlation_id_from_header_wins(client: TestClient, output: Output) -> None:
    response = client.get(
        "/echo",
        params={"message": "hi"},
        headers={
            "x-correlation-id": "from-caller",
            "x-amzn-lambda-context": LAMBDA_CONTEXT,
            "x-amzn-request-context": REQUEST_CONTEXT,
        },
    )

    assert response.headers["x-correlation-id"] == "from-caller"
    assert {line["correlation_id"] for line in output.logs()} == {"from-caller"}


def test_correlation_id_from_lambda_context(client: TestClient) -> None:
    response = client.get(
        "/echo",
        params={"message": "hi"},
        headers={"x-amzn-lambda-context": LAMBDA_CONTEXT, "x-amzn-request-context": REQUEST_CONTEXT},
    )

    assert response.headers["x-correlation-id"] == "lambda-request-id"


def test_correlation_id_from_api_gateway_request_context(client: TestClient) -> None:
    response = client.get("/echo", params={"message": "hi"}, headers={"x-amzn-request-context": REQUEST_CONTEXT})

    assert response.headers["x-correlation-id"] == "apigw-request-id"


def test_correlation_id_is_generated_otherwise(client: TestClient) -> None:
    first = client.get("/echo", params={"message": "hi"}).headers["x-correlation-id"]
    second = client.get("/echo", params={"message": "hi"}).headers["x-correlation-id"]

    assert uuid.UUID(first) != uuid.UUID(second)


def test_log_lines_carry_request_and_lambda_context(client: TestClient, output: Output) -> None:
    client.get("/examples/items/7", headers={"x-amzn-lambda-context": LAMBDA_CONTEXT})

    received, fetching = output.logs()
    assert received["message"] == "request received"
    assert fetching["message"] == "Fetching item"
    assert fetching["item_id"] == 7
    for line in (received, fetching):
        assert line["correlation_id"] == "lambda-request-id"
        assert line["method"] == "GET"
        assert line["path"] == "/examples/items/7"
        assert line["route"] == "/examples/items/{item_id}"
        assert line["function_arn"] == "arn:aws:lambda:us-east-1:123456789012:function:my-api"
        assert line["function_request_id"] == "lambda-request-id"
        assert line["cold_start"] is True
        assert line["service"] == "{{ class_name | py_string }}"


def test_cold_start_only_on_the_first_request(client: TestClient, output: Output) -> None:
    client.get("/echo", params={"message": "1"})
    client.get("/echo", params={"message": "2"})

    assert [line["cold_start"] for line in output.logs()] == [True, False]
    first, second = output.metrics()
    assert first["ColdStart"] == 1
    assert "ColdStart" not in second and "ColdStart" not in emf_names(second)


def test_keys_do_not_leak_into_the_next_request(client: TestClient, output: Output) -> None:
    client.get("/examples/items/1", headers={"x-correlation-id": "first", "x-amzn-lambda-context": LAMBDA_CONTEXT})
    output.clear()
    client.get("/echo", params={"message": "hi"}, headers={"x-correlation-id": "second"})

    [line] = output.logs()
    assert line["correlation_id"] == "second"
    assert line["route"] == "/echo"
    assert "function_arn" not in line
    assert "item_id" not in line


def test_one_request_received_line_per_matched_request(client: TestClient, output: Output) -> None:
    client.get("/echo", params={"message": "hi"})
    client.get("/examples/items/3")
    client.get("/no/such/route")

    received = [line for line in output.logs() if line["message"] == "request received"]
    assert [line["path"] for line in received] == ["/echo", "/examples/items/3"]


def test_one_emf_record_per_request_with_its_route(client: TestClient, output: Output) -> None:
    client.get("/echo", params={"message": "hi"}, headers={"x-correlation-id": "m1"})
    client.get("/examples/items/3")

    echo, item = output.metrics()
    for record, route in ((echo, "GET /echo"), (item, "GET /examples/items/{item_id}")):
        cloudwatch = record["_aws"]["CloudWatchMetrics"][0]
        assert cloudwatch["Namespace"] == "{{ class_name | py_string }}"
        assert ["service", "route"] in cloudwatch["Dimensions"]
        assert record["route"] == route
        assert record["RequestCount"] == 1
        assert record["Success"] == 1
        assert record["Latency"] >= 0
        assert {"RequestCount": "Count", "Latency": "Milliseconds"}.items() <= {
            metric["Name"]: metric["Unit"] for metric in cloudwatch["Metrics"]
        }.items()
    assert "ItemViewed" not in echo
    assert item["ItemViewed"] == 1
    assert "ItemViewed" in emf_names(item)


def test_unmatched_requests_use_a_fixed_route(client: TestClient, output: Output) -> None:
    response = client.get("/no/such/route/123")

    assert response.status_code == 404
    [record] = output.metrics()
    assert record["route"] == "UNMATCHED"
    assert record["ClientError"] == 1


def test_readiness_checks_are_not_counted(client: TestClient, output: Output) -> None:
    client.get("/__health")
    client.get("/echo", params={"message": "hi"})

    [record] = output.metrics()
    assert record["route"] == "GET /echo"
    assert record["ColdStart"] == 1


def test_request_received_line_is_the_line_powertools_would_write() -> None:
    """The shortcut that formats "request received" gives exactly Powertools' document."""
    formatter = logger.registered_formatter
    assert isinstance(formatter, LambdaPowertoolsFormatter)
    logger.append_keys(deployment="blue")
    logger.thread_safe_append_keys(correlation_id="c1", method="GET", path="/echo", cold_start=False, route="/echo")
    try:
        for created in (time.time(), 1700000000.9996, 1700000001.0004):
            record = logging.LogRecord("svc", logging.INFO, __file__, 7, _RECEIVED, None, None, func="handler")
            record.created, record.msecs = created, (created - int(created)) * 1000
            assert formatter.format(record) == LambdaPowertoolsFormatter.format(formatter, record)
    finally:
        logger.thread_safe_clear_keys()
        logger.remove_keys(["deployment"])
