#!/usr/bin/env python3
"""Generate SigV4 test vectors for SigV4VerifierTests with real botocore.

Run: python3 make_sigv4_vectors.py > sigv4-vectors.json   (botocore 1.43.11 was used)

Each vector is what a server sees on the wire: method, raw path, raw query (or null), the header list
in send order (Host added the way the HTTP client would add it) and the body as UTF-8 text.
Requests made through a real `apigatewaymanagementapi` client are captured in the `before-send` event,
so the paths are rendered exactly as botocore's serializer renders them.
"""
import datetime
import json
import sys
import uuid
from unittest import mock
from urllib.parse import urlsplit

import botocore
import botocore.auth
import botocore.session
from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest, AWSResponse
from botocore.credentials import Credentials

ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
SESSION_TOKEN = "IQoJb3JpZ2luX2VjEXAMPLETOKEN/with+slash=="
REGION = "us-east-1"
SERVICE = "execute-api"
NOW = datetime.datetime(2024, 1, 20, 11, 55, 0, tzinfo=datetime.timezone.utc)
NOW_EPOCH_MILLIS = int(NOW.timestamp() * 1000)


def host_of(url):
    parts = urlsplit(url)
    default = {"http": 80, "https": 443}
    host = parts.hostname
    if parts.port is not None and parts.port != default.get(parts.scheme):
        host = f"{host}:{parts.port}"
    return host


def wire(name, method, url, headers, body, access_key=ACCESS_KEY):
    parts = urlsplit(url)
    header_list = [["Host", host_of(url)]]
    for k, v in headers.items():
        if isinstance(v, bytes):
            v = v.decode("utf-8")
        header_list.append([k, v])
    if isinstance(body, str):
        body = body.encode("utf-8")
    body = body or b""
    if body and not any(k.lower() == "content-length" for k, _ in header_list):
        header_list.append(["Content-Length", str(len(body))])
    return {
        "name": name,
        "method": method,
        "path": parts.path,
        "query": parts.query if parts.query else None,
        "headers": header_list,
        "body": body.decode("utf-8"),
        "accessKeyId": access_key,
        "nowEpochMillis": NOW_EPOCH_MILLIS,
    }


def client_vectors():
    """Requests formed by the real apigatewaymanagementapi client."""
    captured = []

    def before_send(request, **kwargs):
        captured.append(request)
        response = AWSResponse(request.url, 200, {}, None)
        response.raw = mock.Mock()
        response.raw.stream = lambda *a, **k: iter([b"{}"])
        response._content = b"{}"
        return response

    session = botocore.session.get_session()
    vectors = []
    cases = [
        ("client post_to_connection https", "https://abc123defg.execute-api.us-east-1.amazonaws.com/dev",
         "post_to_connection", {"ConnectionId": "R1kmxc2VNjMCFIA=", "Data": b'{"hello":"world"}'}),
        ("client get_connection https", "https://abc123defg.execute-api.us-east-1.amazonaws.com/dev",
         "get_connection", {"ConnectionId": "R1kmxc2VNjMCFIA="}),
        ("client delete_connection https", "https://abc123defg.execute-api.us-east-1.amazonaws.com/dev",
         "delete_connection", {"ConnectionId": "R1kmxc2VNjMCFIA="}),
        ("client post_to_connection local http port", "http://localhost:4510/prod",
         "post_to_connection", {"ConnectionId": "eHrdFcnvvHcCE-w=", "Data": "héllo wörld ✓ 🎉".encode("utf-8")}),
        ("client post_to_connection custom domain no stage", "https://ws.example.com",
         "post_to_connection", {"ConnectionId": "VNRXVFJOywMF3-Q=", "Data": b"plain text"}),
        ("client get_connection local http", "http://127.0.0.1:8080/dev",
         "get_connection", {"ConnectionId": "Abc_-012345678=="}),
    ]
    for name, endpoint, op, params in cases:
        client = session.create_client(
            "apigatewaymanagementapi", region_name=REGION, endpoint_url=endpoint,
            aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
        )
        client.meta.events.register("before-send", before_send)
        captured.clear()
        try:
            getattr(client, op)(**params)
        except Exception:
            pass
        req = captured[0]
        vectors.append(wire(name, req.method, req.url, dict(req.headers.items()), req.body))
    return vectors


def signed(name, method, url, headers=None, body=b"", credentials=None):
    credentials = credentials or Credentials(ACCESS_KEY, SECRET_KEY)
    request = AWSRequest(method=method, url=url, headers=headers or {}, data=body)
    SigV4Auth(credentials, SERVICE, REGION).add_auth(request)
    return wire(name, method, request.url, dict(request.headers.items()), body, credentials.access_key)


def manual_vectors():
    base = "https://abc123defg.execute-api.us-east-1.amazonaws.com"
    return [
        signed("GET with query string", "GET",
               f"{base}/dev/items?b=2&a=1&a=0&name=hello%20world&empty=&path=%2Fx%2Fy&tilde=~ok"),
        signed("POST raw body no content type", "POST", f"{base}/dev/@connections/R1kmxc2VNjMCFIA%3D",
               body=b'{"action":"sendmessage","data":"hi"}'),
        signed("DELETE connection", "DELETE", f"{base}/dev/@connections/R1kmxc2VNjMCFIA%3D"),
        signed("session token", "POST", f"{base}/dev/@connections/R1kmxc2VNjMCFIA%3D", body=b"x",
               credentials=Credentials(ACCESS_KEY, SECRET_KEY, SESSION_TOKEN)),
        signed("dot segments and double slashes", "GET", f"{base}/dev/./a//b/../@connections/Q%3D"),
        signed("trailing slash", "GET", f"{base}/dev/items/"),
        signed("signed custom header with runs of spaces", "PUT", f"{base}/dev/things",
               headers={"X-Custom-Header": "  a   b\tc  ", "Content-Type": "application/json"},
               body=b'{"k": 1}'),
        signed("Date header instead of X-Amz-Date", "GET", f"{base}/dev/@connections/R1kmxc2VNjMCFIA%3D",
               headers={"Date": "placeholder"}),
        signed("explicit X-Amz-Content-SHA256 unsigned payload", "POST", f"{base}/dev/upload",
               headers={"X-Amz-Content-SHA256": "UNSIGNED-PAYLOAD"}, body=b"anything at all"),
        signed("non-ascii path segment", "GET", f"{base}/dev/caf%C3%A9/%E2%9C%93"),
        signed("root path", "GET", f"{base}/"),
        presigned("presigned GET", "GET", f"{base}/dev/@connections/R1kmxc2VNjMCFIA%3D?x=1"),
        presigned("presigned DELETE with session token", "DELETE",
                  f"{base}/dev/@connections/R1kmxc2VNjMCFIA%3D",
                  credentials=Credentials(ACCESS_KEY, SECRET_KEY, SESSION_TOKEN)),
    ]


def presigned(name, method, url, credentials=None):
    credentials = credentials or Credentials(ACCESS_KEY, SECRET_KEY)
    request = AWSRequest(method=method, url=url, headers={}, data=b"")
    SigV4QueryAuth(credentials, SERVICE, REGION, expires=300).add_auth(request)
    return wire(name, method, request.url, dict(request.headers.items()), b"", credentials.access_key)


def main():
    fixed_uuid = uuid.UUID("00000000-0000-4000-8000-000000000001")
    with mock.patch.object(botocore.auth, "get_current_datetime", lambda *a, **k: NOW.replace(tzinfo=None)), \
            mock.patch.object(uuid, "uuid4", lambda: fixed_uuid):
        vectors = client_vectors() + manual_vectors()
    doc = {
        "generator": f"make_sigv4_vectors.py with botocore {botocore.__version__}",
        "service": SERVICE,
        "region": REGION,
        "accessKeyId": ACCESS_KEY,
        "secretAccessKey": SECRET_KEY,
        "vectors": vectors,
    }
    json.dump(doc, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
