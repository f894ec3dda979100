from typing import Any

import pytest

from {{ module }} import authorizer

METHOD_ARN = "arn:aws:execute-api:us-east-1:123456789012:abcdef123/prod/GET/echo"

TOKEN_EVENT = {"type": "TOKEN", "authorizationToken": "Bearer abc", "methodArn": METHOD_ARN}
REQUEST_EVENT: dict[str, Any] = {
    "version": "2.0",
    "type": "REQUEST",
    "routeArn": METHOD_ARN,
    "routeKey": "GET /echo",
    "identitySource": ["Bearer abc"],
    "headers": {"authorization": "Bearer abc"},
    "requestContext": {"http": {"method": "GET", "path": "/echo"}},
}


def test_rest_token_authorizer_denies_until_implemented() -> None:
    response = authorizer.handler(TOKEN_EVENT, None)

    [statement] = response["policyDocument"]["Statement"]
    assert statement == {"Action": "execute-api:Invoke", "Effect": "Deny", "Resource": METHOD_ARN}


def test_http_request_authorizer_denies_until_implemented() -> None:
    assert authorizer.handler(REQUEST_EVENT, None) == {"isAuthorized": False}


def test_both_shapes_allow_once_the_check_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str | None] = []

    def accept(token: str | None) -> bool:
        seen.append(token)
        return True

    monkeypatch.setattr(authorizer, "is_authorized", accept)

    rest = authorizer.handler(TOKEN_EVENT, None)
    http = authorizer.handler(REQUEST_EVENT, None)

    assert rest["policyDocument"]["Statement"][0]["Effect"] == "Allow"
    assert http == {"isAuthorized": True}
    assert seen == ["Bearer abc", "Bearer abc"]
