"""Fakes and helpers for the authorizer, JWT, API key and throttling end-to-end tests (issue 5).

- Lambda authorizers run on conftest's `FakeLambda` (it routes by function name: `fake_lambda.handlers["auth"]`);
  `allow` / `deny` build the IAM policy output a Lambda authorizer returns, `invocations` counts calls.
- `HTTPAuthorizer`: an `http(s)` `authorizerUri` that receives the event as a JSON POST and answers the
  authorizer output with 200 (or 401 / anything else).
- `OIDCIssuer`: an OpenID Connect issuer on loopback serving `/.well-known/openid-configuration` and its JWKS,
  recording every request, with `sign(...)` to mint RS256 tokens (PyJWT + cryptography).
- `call`: one raw HTTP request (exact headers, Host chosen per API), `sigv4_headers` signs like botocore.
"""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from conftest import Recorder
from http_support import Response, call, host_for  # noqa: F401 (used here and by the tests that import them)

ACCOUNT = "000000000000"
REGION = "us-east-1"
LAMBDA_ARN = "arn:aws:lambda:us-east-1:000000000000:function:"
INVOKE_URI = ("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
              "arn:aws:lambda:us-east-1:000000000000:function:%s/invocations")

# The gateway's aws.credentials in the SigV4 tests.
ACCESS_KEY = "AKIDAUTHE2E0000000"
SECRET_KEY = "authE2Esecret/KEY+0123456789abcdefghijkl"


# MARK: - HTTP calls

def assert_message(response, status, message, error_type=None, key="message"):
    """A gateway response with exactly `{"message": message}` (compact JSON) and, if given, x-amzn-ErrorType."""
    assert response.status == status, response
    assert response.json() == {key: message}, response
    if error_type is not None:
        assert [v.split(":")[0] for v in response.all("x-amzn-ErrorType")] == [error_type], response


def assert_access_denied(response):
    """403 from an explicit deny. AWS writes this body as `{"Message": ...}` on REST APIs and the reference is not
    settled on the casing (aws-http-rest.md §5.3), so either key is accepted; the text must say "not authorized"."""
    assert response.status == 403, response
    body = response.json()
    assert isinstance(body, dict) and len(body) == 1, response
    (key, text), = body.items()
    assert key in ("message", "Message"), response
    assert "not authorized" in text, response


def sigv4_headers(method, url, host, body=b"", access_key=ACCESS_KEY, secret_key=SECRET_KEY, service="execute-api",
                  region=REGION, extra=None):
    """The headers botocore's SigV4Auth adds to this request (Host, X-Amz-Date, Authorization, ...)."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    headers = {"Host": host}
    headers.update(extra or {})
    request = AWSRequest(method=method, url=url, data=body, headers=headers)
    SigV4Auth(Credentials(access_key, secret_key), service, region).add_auth(request)
    return list(request.headers.items())


def signed_call(gw, method, path, api=None, body=b"", **kwargs):
    """`call` signed with SigV4 (service execute-api) for the Host the request is sent with."""
    host = host_for(gw, api)
    headers = sigv4_headers(method, "http://%s%s" % (host, path), host, body, **kwargs)
    return call(gw, method, path, headers=headers, body=body if body else None, api=api)


# MARK: - Lambda authorizer outputs

def policy(effect, resource, principal="user-1", context=None, usage_identifier_key=None):
    out = {
        "principalId": principal,
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Action": "execute-api:Invoke", "Effect": effect, "Resource": resource}],
        },
    }
    if context is not None:
        out["context"] = context
    if usage_identifier_key is not None:
        out["usageIdentifierKey"] = usage_identifier_key
    return out


def allow(event, principal="user-1", context=None, resource=None, usage_identifier_key=None):
    """An Allow policy on the event's methodArn (or `resource`)."""
    return policy("Allow", resource or event["methodArn"], principal, context, usage_identifier_key)


def deny(event, principal="user-1", resource=None):
    return policy("Deny", resource or event["methodArn"], principal)


def invocations(fake_lambda, function):
    """How many times the fake Lambda Invoke API ran `function`."""
    with fake_lambda.cond:
        return sum(1 for r in fake_lambda.requests if r.get("function") == function)


def events(fake_lambda, function):
    with fake_lambda.cond:
        return [r["event"] for r in fake_lambda.requests if r.get("function") == function]


class HTTPAuthorizer(Recorder):
    """An http(s) authorizerUri: POST with the event as JSON; `handler(event)` returns the output (200) or
    `(status, body)`."""

    def __init__(self):
        super().__init__()
        self.handler = lambda event: {}
        self.respond = self._respond

    def _respond(self, req):
        event = json.loads(req["body"] or b"null")
        req["event"] = event
        out = self.handler(event)
        if isinstance(out, tuple):
            status, body = out
        else:
            status, body = 200, out
        if not isinstance(body, (bytes, str)):
            body = json.dumps(body)
        return status, {"Content-Type": "application/json"}, body

    def events(self):
        with self.cond:
            return [r["event"] for r in self.requests]


# MARK: - OIDC issuer and JWTs

class OIDCIssuer:
    """An OpenID Connect issuer on 127.0.0.1: `/.well-known/openid-configuration` names `/jwks` as `jwks_uri`;
    both are recorded in `requests` (paths). `serve_discovery = False` makes discovery answer 404."""

    def __init__(self, kid="key-1"):
        self.kid = kid
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.requests = []
        self.lock = threading.Lock()
        self.serve_discovery = True
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                with issuer.lock:
                    issuer.requests.append(self.path)
                if self.path == "/.well-known/openid-configuration" and issuer.serve_discovery:
                    status, body = 200, {"issuer": issuer.url, "jwks_uri": issuer.jwks_uri,
                                         "id_token_signing_alg_values_supported": ["RS256"]}
                elif self.path == "/jwks":
                    status, body = 200, issuer.jwks()
                else:
                    status, body = 404, {"error": "not found"}
                out = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = "http://127.0.0.1:%d" % self.port
        self.jwks_uri = self.url + "/jwks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def jwks(self):
        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        jwk.update({"kid": self.kid, "use": "sig", "alg": "RS256"})
        return {"keys": [jwk]}

    def paths(self):
        with self.lock:
            return list(self.requests)

    def sign(self, audience="my-app", issuer=None, expires_in=3600, scope=None, kid=None, key=None, **claims):
        """An RS256 token from this issuer; `audience=None` leaves out `aud`; extra claims as keywords."""
        now = int(time.time())
        body = {"iss": issuer if issuer is not None else self.url, "sub": "user-123", "iat": now - 5,
                "exp": now + expires_in}
        if audience is not None:
            body["aud"] = audience
        if scope is not None:
            body["scope"] = scope
        body.update(claims)
        return jwt.encode(body, key or self.key, algorithm="RS256", headers={"kid": kid or self.kid})

    def close(self):
        self.server.shutdown()


# MARK: - Fixtures (import them into a test module to use them)

import pytest  # noqa: E402


@pytest.fixture
def oidc_issuer():
    issuer = OIDCIssuer()
    yield issuer
    issuer.close()


@pytest.fixture
def http_authorizer():
    authorizer = HTTPAuthorizer()
    yield authorizer
    authorizer.close()
