"""The expected signatures of the request cases, from an independent SigV4 implementation:
botocore's SigV4Auth (AWS's Python signer), run with the venv of setup.sh.

    python reference.py cases.json .build/wire.json > .build/expected.json

For each case of cases.json this script works out, without looking at what sigv4.ts sent:
- the URL as it must go on the wire: the case URL with each path segment and each query name
  and value percent-decoded (`+` is a space in the query) and written in RFC 3986 normal form
  (only A-Z a-z 0-9 - . _ ~ unencoded, %XX upper case), the fragment dropped;
- the body bytes (JSON/text as UTF-8, form-urlencoded serialised here as the URL Standard
  says, binary as given) and the content type fetch gives them;
and then has botocore sign that request (method, wire URL, query parameters decoded for it,
headers content-type and x-amz-*, body, credentials, time).

The one thing taken from wire.json is the body of the multipart cases: its boundary is random,
so both sides must sign the same bytes. Those bytes are checked here first: parsed strictly as
multipart/form-data and compared part by part with what the case says.

Prints a JSON list: per case the expected method, url, content-type, x-amz-date,
x-amz-security-token, authorization and the SHA-256 of the body.
"""

import base64
import datetime
import hashlib
import json
import re
import sys
from urllib.parse import quote, unquote_to_bytes, urlsplit

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

UNRESERVED = "-._~"


def strict(raw: bytes) -> str:
    """RFC 3986 normal form of bytes (SigV4's UriEncode)."""
    return quote(raw, safe=UNRESERVED)


def wire_url(url: str) -> tuple[str, list[tuple[bytes, bytes]]]:
    """The URL to send, and the decoded query pairs in order."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port is not None and parts.port != {"http": 80, "https": 443}[parts.scheme]:
        host = f"{host}:{parts.port}"
    path = parts.path or "/"
    segments = [strict(unquote_to_bytes(s)) for s in path.split("/")]
    pairs = []
    for piece in parts.query.split("&"):
        if not piece:
            continue
        name, _, value = piece.partition("=")
        pairs.append((unquote_to_bytes(name.replace("+", " ")), unquote_to_bytes(value.replace("+", " "))))
    query = "&".join(f"{strict(k)}={strict(v)}" for k, v in pairs)
    return f"{parts.scheme}://{host}{'/'.join(segments)}{'?' + query if query else ''}", pairs


def form_urlencoded(pairs: list[list[str]]) -> bytes:
    """The URL Standard's application/x-www-form-urlencoded serializer."""

    def enc(s: str) -> str:
        out = []
        for b in s.encode("utf-8"):
            c = chr(b)
            if b == 0x20:
                out.append("+")
            elif c.isascii() and (c.isalnum() or c in "*-._"):
                out.append(c)
            else:
                out.append(f"%{b:02X}")
        return "".join(out)

    return "&".join(f"{enc(k)}={enc(v)}" for k, v in pairs).encode("ascii")


def crlf(s: str) -> str:
    return re.sub(r"\r\n|\r|\n", "\r\n", s)


def quote_name(s: str) -> str:
    return s.replace("\n", "%0A").replace("\r", "%0D").replace('"', "%22")


def check_multipart(case: dict, content_type: str, body: bytes) -> None:
    """`body` must be a strict multipart/form-data body holding exactly the case's parts."""
    m = re.fullmatch(r"multipart/form-data; boundary=([0-9A-Za-z'()+_,\-./:=?]{1,70})", content_type)
    if not m:
        raise SystemExit(f"{case['name']}: content type {content_type!r}")
    delimiter = b"--" + m.group(1).encode()
    if not body.startswith(delimiter + b"\r\n") or not body.endswith(b"\r\n" + delimiter + b"--\r\n"):
        raise SystemExit(f"{case['name']}: multipart body does not start and end with its boundary")
    inner = body[len(delimiter) + 2 : -(len(delimiter) + 6)]
    chunks = inner.split(b"\r\n" + delimiter + b"\r\n")
    parts = case["body"]["parts"]
    if len(chunks) != len(parts):
        raise SystemExit(f"{case['name']}: {len(chunks)} parts, expected {len(parts)}")
    for chunk, part in zip(chunks, parts):
        head, sep, content = chunk.partition(b"\r\n\r\n")
        if not sep:
            raise SystemExit(f"{case['name']}: a part without a blank line after its headers")
        disposition = f'form-data; name="{quote_name(crlf(part["name"]))}"'
        if "file" in part:
            f = part["file"]
            filename = "blob" if f["filename"] is None else f["filename"]
            disposition += f'; filename="{quote_name(filename)}"'
            want_head = [f"Content-Disposition: {disposition}", f"Content-Type: {f['type'] or 'application/octet-stream'}"]
            want = base64.b64decode(f["base64"])
        else:
            want_head = [f"Content-Disposition: {disposition}"]
            want = crlf(part["value"]).encode()
        got_head = head.decode("utf-8").split("\r\n")
        if got_head != want_head or content != want:
            raise SystemExit(f"{case['name']}: part {part['name']!r}: got {got_head} {content[:40]!r}, expected {want_head} {want[:40]!r}")


def expected(suite: dict, case: dict, wire: dict) -> dict:
    d = suite["defaults"]
    creds = suite["credentials"][case.get("credentials", d["credentials"])]
    time = datetime.datetime.fromisoformat(case.get("time", d["time"]).replace("Z", "+00:00"))
    method = case["method"].upper()
    url, pairs = wire_url(case["url"])
    headers = {k.lower(): v for k, v in case.get("headers", {}).items()}
    content_type = headers.get("content-type")
    body = b""
    spec = case.get("body")
    if spec:
        kind = spec["kind"]
        if kind == "text":
            body = spec["text"].encode("utf-8")
            content_type = content_type or "text/plain;charset=UTF-8"
        elif kind == "form":
            body = form_urlencoded(spec["pairs"])
            content_type = content_type or "application/x-www-form-urlencoded;charset=UTF-8"
        elif kind == "bytes":
            body = base64.b64decode(spec["base64"])
            if spec["as"] == "Blob" and spec.get("type"):
                content_type = content_type or spec["type"]
        elif kind == "multipart":
            # The bytes the TypeScript side sends (random boundary), checked before signing.
            body = base64.b64decode(wire["body"])
            content_type = wire["headers"].get("content-type", "")
            check_multipart(case, content_type, body)
        else:
            raise SystemExit(f"{case['name']}: unknown body kind {kind}")

    signed = {k: v for k, v in headers.items() if k.startswith("x-amz-")}
    if content_type is not None:
        signed["content-type"] = content_type
    request = AWSRequest(
        method=method,
        url=url.split("?")[0],
        headers=signed,
        data=body,
        # Decoded: botocore encodes the names and values itself.
        params=[(k.decode("utf-8"), v.decode("utf-8")) for k, v in pairs],
    )
    botocore.auth.get_current_datetime = lambda *a, **k: time.replace(tzinfo=None)
    region = case.get("region", d["region"])
    service = case.get("service", "execute-api")
    botocore.auth.SigV4Auth(
        Credentials(creds["accessKeyId"], creds["secretAccessKey"], creds.get("sessionToken")), service, region
    ).add_auth(request)
    return {
        "name": case["name"],
        "method": method,
        "url": url,
        "content-type": content_type,
        "x-amz-date": request.headers["X-Amz-Date"],
        "x-amz-security-token": request.headers.get("X-Amz-Security-Token"),
        "authorization": request.headers["Authorization"],
        "bodySha256": hashlib.sha256(body).hexdigest(),
    }


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as f:
        suite = json.load(f)
    with open(sys.argv[2], encoding="utf-8") as f:
        wire = {r["name"]: r for r in json.load(f)}
    out = [expected(suite, case, wire[case["name"]]) for case in suite["cases"]]
    json.dump(out, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
