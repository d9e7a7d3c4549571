"""HTTP APIs (protocolType HTTP, API Gateway v2) end to end: route priority, HTTP_PROXY to a real upstream,
AWS_PROXY payload formats 2.0 and 1.0 against the fake Lambda Invoke endpoint, CORS, parameter mapping and the
listener's limits, each asserted against what AWS answers (reference aws-http-rest.md sections 1.2, 2.2-2.4, 3.2,
3.6 and 6.7)."""
import base64
import http.client
import json
import re
import socket
import time
from collections import OrderedDict

from conftest import free_port
from http_support import Response, call, host_for  # noqa: F401 (used here and by the tests that import them)

REQUEST_ID = re.compile(r"^[A-Za-z0-9_-]{15}=$")
CLF = re.compile(r"^\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d \+0000$")
TRACE_ID = re.compile(r"^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$")
RESOURCE_ID = re.compile(r"^[0-9a-z]{6}$")
LAMBDA_ARN = "arn:aws:lambda:us-east-1:000000000000:function:"


# MARK: - Helpers

def ordered(value):
    """`value` with every dict turned into an OrderedDict, so that == also compares key order."""
    if isinstance(value, dict):
        return OrderedDict((k, ordered(v)) for k, v in value.items())
    if isinstance(value, list):
        return [ordered(v) for v in value]
    return value


def raw_event(fake_lambda, function):
    """The last event `function` received, parsed from the exact bytes sent, key order kept."""
    with fake_lambda.cond:
        bodies = [r["body"] for r in fake_lambda.requests if r.get("function") == function]
    assert bodies, "function %s was not invoked" % function
    return json.loads(bodies[-1], object_pairs_hook=OrderedDict)


def assert_gateway_error(response, status, message, error_type=None):
    assert response.status == status, (response.status, response.body)
    assert response.body == json.dumps({"message": message}, separators=(",", ":")).encode()
    assert response.header("Content-Type") == "application/json"
    if error_type is not None:
        assert response.all("x-amzn-ErrorType") == [error_type]
    assert REQUEST_ID.match(response.header("apigw-requestid") or "")


def echo_backend(backend):
    """The upstream answers with the method and path (with query) it received."""
    backend.respond = lambda req: (200, {"Content-Type": "text/plain"}, "%s %s" % (req["method"], req["path"]))


# MARK: - Routing

def test_route_priority_follows_the_aws_worked_example(gateway_factory, backend):
    echo_backend(backend)
    b = backend.url
    gw = gateway_factory("""
server: { listen: 127.0.0.1:__PORT__ }
apis:
  - id: shop
    protocolType: HTTP
    stages: [ { name: $default } ]
    routes:
      GET /pets/dog/1:     { integration: { type: HTTP_PROXY, uri: "%s/static" } }
      GET /pets/dog/{id}:  { integration: { type: HTTP_PROXY, uri: "%s/dog/{id}" } }
      GET /pets/{proxy+}:  { integration: { type: HTTP_PROXY, uri: "%s/greedy/{proxy}" } }
      ANY /{proxy+}:       { integration: { type: HTTP_PROXY, uri: "%s/any/{proxy}" } }
      $default:            { integration: { type: HTTP_PROXY, uri: "%s" } }
""" % (b, b, b, b, b))
    expectations = [
        ("GET", "/pets/dog/1", "GET /static"),            # full match of route and method
        ("GET", "/pets/dog/2", "GET /dog/2"),             # route with a path variable
        ("GET", "/pets/cat/1", "GET /greedy/cat/1"),      # greedy route of the method
        ("POST", "/test/5", "POST /any/test/5"),          # greedy ANY beats $default
        ("POST", "/pets/dog/1", "POST /any/pets/dog/1"),  # GET routes are passed over for POST
        ("DELETE", "/", "DELETE /"),                      # /{proxy+} needs a segment: $default
    ]
    for method, path, expected in expectations:
        response = call(gw, method, path)
        assert response.status == 200, (method, path, response.body)
        assert response.body == expected.encode(), (method, path)
        assert REQUEST_ID.match(response.header("apigw-requestid"))


def test_unmatched_request_is_404_not_found(gateway_factory, backend):
    echo_backend(backend)
    gw = gateway_factory("""
server: { listen: 127.0.0.1:__PORT__ }
apis:
  - id: shop
    protocolType: HTTP
    stages: [ { name: $default } ]
    routes:
      GET /items/{id}: { integration: { type: HTTP_PROXY, uri: "%s/items/{id}" } }
""" % backend.url)
    ids = set()
    for method, path in [("GET", "/nothing"), ("POST", "/items/1"), ("GET", "/items"), ("GET", "/items/1/extra")]:
        response = call(gw, method, path)
        assert_gateway_error(response, 404, "Not Found", "NotFoundException")
        ids.add(response.header("apigw-requestid"))
    assert len(ids) == 4
    assert call(gw, "GET", "/items/9").body == b"GET /items/9"
    assert [r["path"] for r in backend.requests] == ["/items/9"]


# MARK: - HTTP_PROXY

def test_http_proxy_forwards_the_whole_request_and_response(gateway_factory, backend):
    def respond(req):
        return 201, {"Content-Type": "text/plain; charset=utf-8", "X-Backend": "yes", "Cache-Control": "no-store"}, \
            b"created:" + req["body"]
    backend.respond = respond
    gw = gateway_factory("""
server: { listen: 127.0.0.1:__PORT__ }
apis:
  - id: shop
    protocolType: HTTP
    stages: [ { name: $default } ]
    routes:
      ANY /items/{proxy+}: { integration: { type: HTTP_PROXY, uri: "%s/backend/{proxy}" } }
""" % backend.url)
    body = b'{"name":"lamp","price":12}'
    response = call(gw, "PUT", "/items/a/b%20c?x=1&x=2&y=hello%20world&z", headers=[
        ("User-Agent", "e2e/1.0"), ("Content-Type", "application/json"), ("X-Custom", "v1"),
        ("Keep-Alive", "timeout=5"), ("TE", "trailers"), ("Max-Forwards", "3"), ("Proxy-Authorization", "Basic eDp5"),
    ], body=body)
    assert response.status == 201
    assert response.body == b"created:" + body
    assert response.header("Content-Type") == "text/plain; charset=utf-8"
    assert response.header("X-Backend") == "yes" and response.header("Cache-Control") == "no-store"
    assert response.all("Content-Length") == [str(len(response.body))]
    assert REQUEST_ID.match(response.header("apigw-requestid"))

    req = backend.requests[-1]
    assert req["method"] == "PUT"
    assert req["path"] == "/backend/a/b%20c?x=1&x=2&y=hello%20world&z"
    assert req["body"] == body
    headers = {n.lower(): v for n, v in req["header_list"]}
    assert headers["host"] == "127.0.0.1:%d" % backend.port
    assert headers["user-agent"] == "e2e/1.0" and headers["content-type"] == "application/json"
    assert headers["x-custom"] == "v1" and headers["content-length"] == str(len(body))
    for dropped in ["keep-alive", "te", "max-forwards", "proxy-authorization", "transfer-encoding"]:
        assert dropped not in headers, dropped
    assert headers["x-forwarded-for"] == "127.0.0.1"
    assert headers["x-forwarded-proto"] == "http"
    assert headers["x-forwarded-port"] == str(gw.port)
    assert headers["forwarded"] == "by=127.0.0.1;for=127.0.0.1;host=127.0.0.1;proto=http"
    assert [n.lower() for n, _ in req["header_list"]].count("x-forwarded-for") == 1

    # A client's X-Forwarded-For is kept and the client's address appended; its proto and port are replaced.
    call(gw, "GET", "/items/x", headers=[("X-Forwarded-For", "203.0.113.9"), ("X-Forwarded-Proto", "https"),
                                         ("X-Forwarded-Port", "443")])
    forwarded = {n.lower(): v for n, v in backend.requests[-1]["header_list"]}
    assert forwarded["x-forwarded-for"] == "203.0.113.9, 127.0.0.1"
    assert forwarded["x-forwarded-proto"] == "http" and forwarded["x-forwarded-port"] == str(gw.port)


def test_default_route_appends_the_full_request_path(gateway_factory, backend):
    echo_backend(backend)
    gw = gateway_factory("""
server: { listen: 127.0.0.1:__PORT__ }
apis:
  - id: shop
    protocolType: HTTP
    stages: [ { name: $default } ]
    routes:
      $default: { integration: { type: HTTP_PROXY, uri: "%s/base" } }
""" % backend.url)
    assert call(gw, "GET", "/store/checkout?q=1&r=a%2Fb").body == b"GET /base/store/checkout?q=1&r=a%2Fb"
    assert call(gw, "POST", "/", body=b"x").body == b"POST /base/"


def test_upstream_status_errors_pass_through_unchanged(gateway_factory, backend):
    backend.respond = lambda req: (503, {"Content-Type": "application/problem+json", "Retry-After": "7"},
                                   b'{"title":"down"}')
    gw = gateway_factory("""
server: { listen: 127.0.0.1:__PORT__ }
apis:
  - id: shop
    protocolType: HTTP
    stages: [ { name: $default } ]
    routes:
      GET /status: { integration: { type: HTTP_PROXY, uri: "%s/status" } }
""" % backend.url)
    response = call(gw, "GET", "/status")
    assert response.status == 503 and response.body == b'{"title":"down"}'
    assert response.header("Content-Type") == "application/problem+json" and response.header("Retry-After") == "7"
    assert response.header("x-amzn-ErrorType") is None


def test_upstream_timeout_is_504_and_unreachable_upstream_is_502(gateway_factory, backend):
    def slow(req):
        time.sleep(3)
        return 200, {}, b"too late"
    backend.respond = slow
    closed = free_port()
    gw = gateway_factory("""
server: { listen: 127.0.0.1:__PORT__ }
apis:
  - id: shop
    protocolType: HTTP
    stages: [ { name: $default } ]
    routes:
      GET /slow:    { integration: { type: HTTP_PROXY, uri: "%s/slow", timeoutInMillis: 300 } }
      GET /nowhere: { integration: { type: HTTP_PROXY, uri: "http://127.0.0.1:%d/x" } }
""" % (backend.url, closed))
    assert_gateway_error(call(gw, "GET", "/slow"), 504, "Endpoint request timed out")
    assert_gateway_error(call(gw, "GET", "/nowhere"), 502, "Internal server error")


def test_stage_variables_in_the_uri_with_a_named_stage(gateway_factory, backend):
    echo_backend(backend)
    gw = gateway_factory("""
server: { listen: 127.0.0.1:__PORT__ }
apis:
  - id: shop
    protocolType: HTTP
    stages:
      - name: dev
        stageVariables: { host: "127.0.0.1:%d", version: v1 }
    routes:
      GET /items/{id}: { integration: { type: HTTP_PROXY, uri: "http://${stageVariables.host}/${stageVariables.version}/items/{id}" } }
domains:
  - domainName: "*"
    mappings: [ { apiMappingKey: shop, api: shop, stage: dev } ]
""" % backend.port)
    # The only API: the stage is the first path segment.
    assert call(gw, "GET", "/dev/items/7?q=1").body == b"GET /v1/items/7?q=1"
    # Through the custom-domain mapping /shop -> shop, stage dev.
    assert call(gw, "GET", "/shop/items/8").body == b"GET /v1/items/8"
    assert [r["path"] for r in backend.requests] == ["/v1/items/7?q=1", "/v1/items/8"]
    # No $default stage: a path naming no stage is the API's Not Found (not the 403 of an unknown API).
    assert_gateway_error(call(gw, "GET", "/items/7"), 404, "Not Found", "NotFoundException")
    assert_gateway_error(call(gw, "GET", "/prod/items/7"), 404, "Not Found", "NotFoundException")
    assert len(backend.requests) == 2


# MARK: - AWS_PROXY

def lambda_apis(fake_lambda):
    """Two HTTP APIs picked by Host `{id}.execute-api.localhost`: `shop` (stage dev, payload 2.0) and `legacy`
    ($default stage, payload 1.0)."""
    return """
server: { listen: 127.0.0.1:__PORT__ }
aws: { region: us-east-1, endpoints: { lambda: "%s" } }
apis:
  - id: shop
    protocolType: HTTP
    stages:
      - name: dev
        stageVariables: { zeta: last, alpha: first }
    routes:
      POST /items/{id}:  { integration: { type: AWS_PROXY, uri: "%sv2" } }
      ANY /r/{kind}:     { integration: { type: AWS_PROXY, uri: "%sresults" } }
      GET /fail:         { integration: { type: AWS_PROXY, uri: "%sfailing" } }
  - id: legacy
    protocolType: HTTP
    stages: [ { name: $default } ]
    routes:
      GET /v1/{proxy+}:  { integration: { type: AWS_PROXY, uri: "%sv1", payloadFormatVersion: "1.0" } }
      ANY /r1/{kind}:    { integration: { type: AWS_PROXY, uri: "%sresults1", payloadFormatVersion: "1.0" } }
""" % ((fake_lambda.url,) + (LAMBDA_ARN,) * 5)


def test_payload_2_0_event_is_exact(gateway_factory, fake_lambda):
    gw = gateway_factory(lambda_apis(fake_lambda))
    host = "shop.execute-api.localhost:%d" % gw.port
    body = b'{"k":"v","n":1}'
    response = call(gw, "POST", "/dev/items/a%20b?x=1&x=2&q=caf%C3%A9&flag", headers=[
        ("Host", host), ("User-Agent", "e2e/1.0"), ("X-Multi", "one"), ("Cookie", "c1=v1; c2=v2"),
        ("X-Multi", "two"), ("Cookie", "c3=v3"), ("Content-Type", "application/json"),
    ], body=body)
    assert response.status == 200
    event = raw_event(fake_lambda, "v2")
    headers = event["headers"]
    assert TRACE_ID.match(headers.get("x-amzn-trace-id", "")), headers
    rc = event["requestContext"]
    assert CLF.match(rc["time"]) and isinstance(rc["timeEpoch"], int)
    assert abs(rc["timeEpoch"] - time.time() * 1000) < 60_000
    assert rc["requestId"] == response.header("apigw-requestid")
    expected = {
        "version": "2.0",
        "routeKey": "POST /items/{id}",
        "rawPath": "/dev/items/a b",
        "rawQueryString": "x=1&x=2&q=caf%C3%A9&flag",
        "cookies": ["c1=v1", "c2=v2", "c3=v3"],
        "headers": {
            "content-length": str(len(body)),
            "content-type": "application/json",
            "host": host,
            "user-agent": "e2e/1.0",
            "x-amzn-trace-id": headers["x-amzn-trace-id"],
            "x-forwarded-for": "127.0.0.1",
            "x-forwarded-port": str(gw.port),
            "x-forwarded-proto": "http",
            "x-multi": "one,two",
        },
        "queryStringParameters": {"x": "1,2", "q": "café", "flag": ""},
        "requestContext": {
            "accountId": "000000000000",
            "apiId": "shop",
            "domainName": "shop.execute-api.localhost",
            "domainPrefix": "shop",
            "http": {"method": "POST", "path": "/dev/items/a b", "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1",
                     "userAgent": "e2e/1.0"},
            "requestId": rc["requestId"],
            "routeKey": "POST /items/{id}",
            "stage": "dev",
            "time": rc["time"],
            "timeEpoch": rc["timeEpoch"],
        },
        "body": body.decode(),
        "pathParameters": {"id": "a b"},
        "isBase64Encoded": False,
        "stageVariables": {"alpha": "first", "zeta": "last"},
    }
    assert event == ordered(expected)


def test_payload_2_0_event_without_optional_parts_and_with_binary_bodies(gateway_factory, fake_lambda):
    gw = gateway_factory(lambda_apis(fake_lambda))
    host = "shop.execute-api.localhost:%d" % gw.port
    # No body, query, cookies: those members are absent, as AWS omits them.
    call(gw, "GET", "/dev/r/plain", headers=[("Host", host), ("User-Agent", "ua")])
    event = raw_event(fake_lambda, "results")
    assert list(event) == ["version", "routeKey", "rawPath", "rawQueryString", "headers", "requestContext",
                           "pathParameters", "isBase64Encoded", "stageVariables"]
    assert event["rawQueryString"] == "" and event["isBase64Encoded"] is False
    assert list(event["requestContext"]) == ["accountId", "apiId", "domainName", "domainPrefix", "http", "requestId",
                                             "routeKey", "stage", "time", "timeEpoch"]
    # Bodies that are not text (binary, form, no Content-Type) reach the function base64-encoded.
    payload = bytes(range(256))
    for content_type in ["application/octet-stream", "application/x-www-form-urlencoded", None]:
        headers = [("Host", host)] + ([("Content-Type", content_type)] if content_type else [])
        call(gw, "POST", "/dev/r/bin", headers=headers, body=payload)
        event = raw_event(fake_lambda, "results")
        assert event["isBase64Encoded"] is True, content_type
        assert base64.b64decode(event["body"]) == payload
    # Text types stay text.
    for content_type in ["text/csv; charset=utf-8", "application/xml", "application/javascript"]:
        call(gw, "POST", "/dev/r/text", headers=[("Host", host), ("Content-Type", content_type)], body=b"a,b\n")
        event = raw_event(fake_lambda, "results")
        assert event["isBase64Encoded"] is False and event["body"] == "a,b\n", content_type


def test_payload_1_0_event_is_exact(gateway_factory, fake_lambda):
    gw = gateway_factory(lambda_apis(fake_lambda))
    host = "legacy.execute-api.localhost:%d" % gw.port
    response = call(gw, "GET", "/v1/a/b%20c?x=1&y=two%20words", headers=[
        ("host", host), ("user-agent", "e2e/1.0"), ("x-multi", "one"), ("x-multi", "two"),
    ])
    assert response.status == 200
    event = raw_event(fake_lambda, "v1")
    headers = event["headers"]
    rc = event["requestContext"]
    assert TRACE_ID.match(headers.get("X-Amzn-Trace-Id", "")), headers
    assert CLF.match(rc["requestTime"]) and isinstance(rc["requestTimeEpoch"], int)
    assert RESOURCE_ID.match(rc["resourceId"])
    assert rc["requestId"] == response.header("apigw-requestid") == rc["extendedRequestId"]
    trace = headers["X-Amzn-Trace-Id"]
    expected = {
        "version": "1.0",
        "resource": "/v1/{proxy+}",
        "path": "/v1/a/b c",
        "httpMethod": "GET",
        "headers": {
            "X-Amzn-Trace-Id": trace, "X-Forwarded-For": "127.0.0.1", "X-Forwarded-Port": str(gw.port),
            "X-Forwarded-Proto": "http", "host": host, "user-agent": "e2e/1.0", "x-multi": "two",
        },
        "multiValueHeaders": {
            "X-Amzn-Trace-Id": [trace], "X-Forwarded-For": ["127.0.0.1"], "X-Forwarded-Port": [str(gw.port)],
            "X-Forwarded-Proto": ["http"], "host": [host], "user-agent": ["e2e/1.0"], "x-multi": ["one", "two"],
        },
        "queryStringParameters": {"x": "1", "y": "two words"},
        "multiValueQueryStringParameters": {"x": ["1"], "y": ["two words"]},
        "requestContext": {
            "accountId": "000000000000",
            "apiId": "legacy",
            "domainName": "legacy.execute-api.localhost",
            "domainPrefix": "legacy",
            "extendedRequestId": rc["requestId"],
            "httpMethod": "GET",
            "identity": {
                "accessKey": None, "accountId": None, "caller": None, "cognitoAmr": None,
                "cognitoAuthenticationProvider": None, "cognitoAuthenticationType": None, "cognitoIdentityId": None,
                "cognitoIdentityPoolId": None, "principalOrgId": None, "sourceIp": "127.0.0.1", "user": None,
                "userAgent": "e2e/1.0", "userArn": None,
            },
            "path": "/v1/a/b c",
            "protocol": "HTTP/1.1",
            "requestId": rc["requestId"],
            "requestTime": rc["requestTime"],
            "requestTimeEpoch": rc["requestTimeEpoch"],
            "resourceId": rc["resourceId"],
            "resourcePath": "/v1/{proxy+}",
            "stage": "$default",
        },
        "pathParameters": {"proxy": "a/b c"},
        "stageVariables": None,
        "body": None,
        "isBase64Encoded": False,
    }
    assert event == ordered(expected)


def test_payload_2_0_results_are_interpreted_as_aws_does(gateway_factory, fake_lambda):
    results = {
        "string": "Hello from Lambda!",
        "object": {"message": "hi", "n": [1, 2]},
        "custom": {"statusCode": 201, "headers": {"X-A": "1", "Content-Type": "text/plain"},
                   "cookies": ["a=1; Path=/", "b=2; HttpOnly"], "body": "created"},
        "binary": {"statusCode": 200, "headers": {"Content-Type": "application/octet-stream"},
                   "isBase64Encoded": True, "body": base64.b64encode(b"\x00\x01\xfebin").decode()},
        "error": {"statusCode": 418, "body": "teapot"},
    }
    fake_lambda.handlers["results"] = lambda e: results[e["pathParameters"]["kind"]]
    gw = gateway_factory(lambda_apis(fake_lambda))
    host = [("Host", "shop.execute-api.localhost:%d" % gw.port)]

    inferred = call(gw, "GET", "/dev/r/string", headers=host)
    assert inferred.status == 200 and inferred.body == b"Hello from Lambda!"
    assert inferred.all("Content-Type") == ["application/json"]

    inferred = call(gw, "GET", "/dev/r/object", headers=host)
    assert inferred.status == 200 and inferred.body == json.dumps(results["object"]).encode()
    assert inferred.all("Content-Type") == ["application/json"]

    custom = call(gw, "GET", "/dev/r/custom", headers=host)
    assert custom.status == 201 and custom.body == b"created"
    assert custom.all("Set-Cookie") == ["a=1; Path=/", "b=2; HttpOnly"]
    assert custom.header("X-A") == "1" and custom.all("Content-Type") == ["text/plain"]

    binary = call(gw, "GET", "/dev/r/binary", headers=host)
    assert binary.status == 200 and binary.body == b"\x00\x01\xfebin"
    assert binary.header("Content-Type") == "application/octet-stream"

    error = call(gw, "GET", "/dev/r/error", headers=host)
    assert error.status == 418 and error.body == b"teapot"
    assert error.all("Content-Type") == ["text/plain; charset=utf-8"]  # a custom response without one


def test_payload_1_0_malformed_results_and_function_errors_are_502(gateway_factory, fake_lambda):
    results = {
        "ok": {"statusCode": 200, "multiValueHeaders": {"X-M": ["a", "b"]}, "body": "fine"},
        "extra": {"statusCode": 200, "body": "x", "unexpected": 1},
        "string": "just a string",
        "badstatus": {"statusCode": "abc"},
        "numberheader": {"statusCode": 200, "headers": {"X-N": 1}},
        "badbody": {"statusCode": 200, "body": {"not": "a string"}},
    }
    fake_lambda.handlers["results1"] = lambda e: results[e["pathParameters"]["kind"]]

    def failing(event):
        raise fake_lambda.FunctionError("boom")
    fake_lambda.handlers["failing"] = failing
    gw = gateway_factory(lambda_apis(fake_lambda))
    legacy = [("Host", "legacy.execute-api.localhost:%d" % gw.port)]

    ok = call(gw, "GET", "/r1/ok", headers=legacy)
    assert ok.status == 200 and ok.body == b"fine" and ok.all("X-M") == ["a", "b"]
    for kind in ["extra", "string", "badstatus", "numberheader", "badbody"]:
        assert_gateway_error(call(gw, "GET", "/r1/" + kind, headers=legacy), 502, "Internal server error")
    # A function error (X-Amz-Function-Error) is a 502 in both formats.
    shop = [("Host", "shop.execute-api.localhost:%d" % gw.port)]
    assert_gateway_error(call(gw, "GET", "/dev/fail", headers=shop), 502, "Internal server error")
    assert len(fake_lambda.events("failing")) == 1


# MARK: - CORS

def test_cors_preflight_and_response_headers(gateway_factory, backend):
    backend.respond = lambda req: (200, {"Content-Type": "application/json", "Access-Control-Allow-Origin": "*",
                                         "Access-Control-Allow-Methods": "DELETE", "X-Total": "3"}, b"[]")
    gw = gateway_factory("""
server: { listen: 127.0.0.1:__PORT__ }
apis:
  - id: shop
    protocolType: HTTP
    stages: [ { name: $default } ]
    corsConfiguration:
      allowOrigins: ["https://example.com"]
      allowMethods: [GET, POST]
      allowHeaders: [content-type, x-custom]
      exposeHeaders: [x-total]
      maxAge: 300
    routes:
      GET /items: { integration: { type: HTTP_PROXY, uri: "%s/items" } }
""" % backend.url)
    preflight = call(gw, "OPTIONS", "/items", headers=[
        ("Origin", "https://example.com"), ("Access-Control-Request-Method", "POST"),
        ("Access-Control-Request-Headers", "Content-Type, X-Custom")])
    assert preflight.status == 204 and preflight.body == b""
    assert preflight.header("Access-Control-Allow-Origin") == "https://example.com"
    assert preflight.header("Access-Control-Allow-Methods") == "GET,POST"
    assert preflight.header("Access-Control-Allow-Headers") == "content-type,x-custom"
    assert preflight.header("Access-Control-Max-Age") == "300"
    assert preflight.header("Access-Control-Expose-Headers") is None
    assert REQUEST_ID.match(preflight.header("apigw-requestid"))
    # The gateway answers preflights for paths without any route too, and never calls the backend.
    other = call(gw, "OPTIONS", "/no/such/route", headers=[
        ("Origin", "https://example.com"), ("Access-Control-Request-Method", "GET")])
    assert other.status == 204 and other.header("Access-Control-Allow-Origin") == "https://example.com"
    assert backend.requests == []

    actual = call(gw, "GET", "/items", headers=[("Origin", "https://example.com")])
    assert actual.status == 200 and actual.body == b"[]" and actual.header("X-Total") == "3"
    assert actual.all("Access-Control-Allow-Origin") == ["https://example.com"]
    assert actual.all("Access-Control-Expose-Headers") == ["x-total"]
    assert actual.header("Access-Control-Allow-Methods") is None  # the backend's CORS headers are dropped

    for headers in ([("Origin", "https://evil.example")], []):
        response = call(gw, "GET", "/items", headers=headers)
        assert response.status == 200 and response.body == b"[]"
        assert [n for n in response.names() if n.startswith("access-control-")] == [], headers

    denied = call(gw, "OPTIONS", "/items", headers=[
        ("Origin", "https://evil.example"), ("Access-Control-Request-Method", "GET")])
    assert denied.status == 204
    assert [n for n in denied.names() if n.startswith("access-control-")] == []


# MARK: - Parameter mapping

def test_request_and_response_parameter_mapping(gateway_factory, backend):
    backend.respond = lambda req: (200, {"Content-Type": "text/plain", "X-Upstream": "U", "X-Secret": "s"}, b"ok")
    gw = gateway_factory("""
server: { listen: 127.0.0.1:__PORT__ }
apis:
  - id: shop
    protocolType: HTTP
    stages: [ { name: $default, stageVariables: { tier: gold } } ]
    routes:
      POST /map/{id}:
        integration:
          type: HTTP_PROXY
          uri: "%s"
          requestParameters:
            overwrite:header.x-a: new-a
            append:querystring.y: $request.header.x-src
            remove:header.x-z: ""
            overwrite:path: /mapped/${request.path.id}/${stageVariables.tier}
          responseParameters:
            "200":
              overwrite:statuscode: "202"
              append:header.x-request-id: $context.requestId
              overwrite:header.x-up: $response.header.x-upstream
              remove:header.x-secret: ""
            "500":
              overwrite:statuscode: "503"
""" % backend.url)
    response = call(gw, "POST", "/map/7?y=orig&keep=1", headers=[
        ("X-A", "old"), ("X-Src", "from-header"), ("X-Z", "gone")], body=b"payload")
    assert response.status == 202 and response.body == b"ok"
    assert response.header("x-up") == "U" and response.header("X-Upstream") == "U"
    assert response.header("x-request-id") == response.header("apigw-requestid")
    assert response.header("X-Secret") is None
    req = backend.requests[-1]
    assert req["method"] == "POST" and req["body"] == b"payload"
    assert req["path"] == "/mapped/7/gold?y=orig&keep=1&y=from-header"
    names = [n.lower() for n, _ in req["header_list"]]
    assert names.count("x-a") == 1 and req["headers"]["x-a"] == "new-a"
    assert "x-z" not in names and req["headers"]["X-Src"] == "from-header"


# MARK: - Listener behaviour

def test_request_body_over_10_mb_is_413(gateway_factory, backend):
    echo_backend(backend)
    gw = gateway_factory("""
server: { listen: 127.0.0.1:__PORT__ }
apis:
  - id: shop
    protocolType: HTTP
    stages: [ { name: $default } ]
    routes:
      POST /upload: { integration: { type: HTTP_PROXY, uri: "%s/upload" } }
""" % backend.url)
    size = 10 * 1024 * 1024 + 1
    sock = socket.create_connection(("127.0.0.1", gw.port), timeout=30)
    head = ("POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
            "Content-Length: %d\r\n\r\n" % size).encode()
    sock.sendall(head)
    chunk = b"x" * 65536
    sent = 0
    try:
        while sent < size:
            piece = chunk[:min(len(chunk), size - sent)]
            sock.sendall(piece)
            sent += len(piece)
    except (BrokenPipeError, ConnectionResetError):
        pass
    data = b""
    try:
        while True:
            part = sock.recv(65536)
            if not part:
                break
            data += part
    except ConnectionResetError:
        pass
    sock.close()
    status_line, _, rest = data.partition(b"\r\n")
    assert status_line == b"HTTP/1.1 413 Payload Too Large", data[:200]
    assert rest.endswith(b'\r\n\r\n{"message":"Request Too Long"}'), data[:400]
    assert backend.requests == []
    # A body just under the limit is forwarded whole.
    ok = call(gw, "POST", "/upload", headers=[("Content-Type", "application/octet-stream")],
              body=b"y" * (1024 * 1024))
    assert ok.status == 200 and ok.body == b"POST /upload"
    assert backend.requests[-1]["body"] == b"y" * (1024 * 1024)


def test_head_gets_no_body_and_keep_alive_serves_several_requests(gateway_factory, fake_lambda):
    fake_lambda.handlers["results"] = lambda e: {"statusCode": 200, "headers": {"Content-Type": "text/plain"},
                                                 "body": "hello:" + e["requestContext"]["http"]["method"]}
    gw = gateway_factory(lambda_apis(fake_lambda))
    conn = http.client.HTTPConnection("127.0.0.1", gw.port, timeout=30)
    host = [("Host", "shop.execute-api.localhost:%d" % gw.port)]
    first = call(gw, "GET", "/dev/r/a", headers=host, conn=conn)
    sock = conn.sock
    assert first.status == 200 and first.body == b"hello:GET" and sock is not None
    head = call(gw, "HEAD", "/dev/r/a", headers=host, conn=conn)
    assert head.status == 200 and head.body == b""
    assert head.header("Content-Type") == "text/plain"
    ids = {first.header("apigw-requestid"), head.header("apigw-requestid")}
    for index in range(3):
        response = call(gw, "POST", "/dev/r/a", headers=host, body=b"n=%d" % index, conn=conn)
        assert response.status == 200 and response.body == b"hello:POST"
        assert response.header("Connection") != "close"
        ids.add(response.header("apigw-requestid"))
    missing = call(gw, "GET", "/dev/nothing", headers=host, conn=conn)
    assert missing.status == 404
    assert conn.sock is sock  # one TCP connection for all six requests
    conn.close()
    assert len(ids) == 5
    assert [e["requestContext"]["http"]["method"] for e in fake_lambda.events("results")] == \
        ["GET", "HEAD", "POST", "POST", "POST"]
