"""Custom Lambda authorizer for the {{ class_name | py_string }} API.

It is deployed from the same bundle as the API, with ``{{ module | py_string }}.authorizer.handler``
as its handler, and answers both event shapes API Gateway sends:

* REST API: a TOKEN authorizer event (``type``, ``authorizationToken``, ``methodArn``),
  answered with an IAM policy;
* HTTP API: a REQUEST authorizer event (payload format 2.0), answered with a simple
  response (``isAuthorized``).

Every request is denied until you implement ``is_authorized`` below.
"""

from typing import Any

from aws_lambda_powertools import Logger

logger = Logger()


def is_authorized(token: str | None) -> bool:
    """Decide whether the caller presenting ``token`` may call the API.

    TODO: verify the token here (e.g. validate a JWT's signature, issuer, audience
    and expiry). Until then every request is denied.
    """
    return False


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    if event.get("version") == "2.0":
        # HTTP API, REQUEST authorizer, simple response.
        headers = event.get("headers") or {}
        token = headers.get("authorization")
        allowed = is_authorized(token)
        logger.info("authorization decided", extra={"allowed": allowed, "route": event.get("routeKey")})
        return {"isAuthorized": allowed}

    # REST API, TOKEN authorizer, IAM policy.
    token = event.get("authorizationToken")
    allowed = is_authorized(token)
    logger.info("authorization decided", extra={"allowed": allowed, "resource": event.get("methodArn")})
    return {
        "principalId": "user" if allowed else "anonymous",
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Action": "execute-api:Invoke",
                    "Effect": "Allow" if allowed else "Deny",
                    "Resource": event.get("methodArn", "*"),
                }
            ],
        },
    }
