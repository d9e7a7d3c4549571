"""API keys, usage plans (throttle, per-method throttle, quota), stage and route throttles, the account throttle,
WebSocket connection and message rates, @connections 429, AWS_IAM (SigV4) routes, resource policies, a quota
shared by two nodes over a real Redis, and the configuration diagnostics of all of it (issue 5).

AWS's answers (reference aws-http-rest.md §5.3, §6.1-6.2, §6.7-6.8): a missing / unknown / disabled key on an
apiKeyRequired method → 403 {"message":"Forbidden"}; a throttle → 429 {"message":"Too Many Requests"}; a quota →
429 {"message":"Limit Exceeded"}. No test sleeps for a bucket to refill: rates are 0.001/s with small bursts."""
import asyncio
import hashlib
import json
import os
import re
import subprocess

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from auth_support import (ACCESS_KEY, INVOKE_URI, SECRET_KEY, allow, assert_access_denied,
                          assert_message, call, invocations, sigv4_headers, signed_call)
from cluster_support import RedisServer
from conftest import BINARY
from helpers_mgmt import mgmt_client

STEP = 10
PARTNER = "abcdefghijklmnopqrstuvwxyz0123"
SECOND = "SECONDkey0123456789abcdef"
DISABLED = "DISABLEDkey0123456789abc"
ORPHAN = "ORPHANkey0123456789abcdef"
HASHED = "HASHEDkey0123456789abcdef"
UNKNOWN = "UNKNOWNkey0123456789abcd"


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 60))


def mock(body, status=200):
    """A REST / HTTP MOCK integration answering `status` with `body` (single quotes doubled for YAML)."""
    return ("{ type: MOCK, requestTemplates: { application/json: '{\"statusCode\": %d}' }, "
            "integrationResponses: [ { statusCode: \"%d\", responseTemplates: { application/json: '%s' } } ] }"
            % (status, status, body.replace("'", "''")))


def too_many(response, error_type="TooManyRequestsException"):
    assert_message(response, 429, "Too Many Requests", error_type)


def limit_exceeded(response):
    assert_message(response, 429, "Limit Exceeded", "LimitExceededException")


def forbidden(response):
    assert_message(response, 403, "Forbidden", "ForbiddenException")


def key(value):
    return [("x-api-key", value)]


# MARK: - API keys and usage plans (REST)

def keys_config(plan_throttle="{ rateLimit: 1000, burstLimit: 1000 }", quota="{ limit: 1000, period: DAY }",
                method_throttle="{}", registry="memory", node_id=None):
    return """
server: { listen: 127.0.0.1:__PORT__%(node)s }
registry: %(registry)s
apiKeys:
  - { name: partner, value: "%(partner)s" }
  - { name: second, value: "%(second)s" }
  - { name: disabled, value: "%(disabled)s", enabled: false }
  - { name: hashed, valueSha256: "%(hashed)s" }
  - { name: orphan, value: "%(orphan)s" }
usagePlans:
  - name: basic
    apiStages: [ { api: pets, stage: dev, throttle: %(method_throttle)s } ]
    throttle: %(plan_throttle)s
    quota: %(quota)s
    apiKeys: [ partner, second, disabled, hashed ]
apis:
  - id: pets
    protocolType: REST
    apiKeySource: HEADER
    stages: [ { name: dev } ]
    resources:
      /pets:
        GET: { apiKeyRequired: true, integration: %(list)s }
        POST: { apiKeyRequired: true, integration: %(created)s }
      /limited:
        GET: { apiKeyRequired: true, integration: %(limited)s }
      /open:
        GET: { integration: %(open)s }
""" % {"partner": PARTNER, "second": SECOND, "disabled": DISABLED, "orphan": ORPHAN,
       "hashed": hashlib.sha256(HASHED.encode()).hexdigest(), "plan_throttle": plan_throttle, "quota": quota,
       "method_throttle": method_throttle, "registry": registry,
       "node": (", nodeId: %s" % node_id) if node_id else "",
       "list": mock('{"pets": []}'), "created": mock('{"created": true}'), "limited": mock('{"limited": true}'),
       "open": mock('{"open": true}')}


def test_api_key_required_rejects_missing_unknown_disabled_and_unplanned_keys(gateway_factory):
    gw = gateway_factory(keys_config())
    forbidden(call(gw, "GET", "/dev/pets"))
    forbidden(call(gw, "GET", "/dev/pets", headers=key(UNKNOWN)))
    forbidden(call(gw, "GET", "/dev/pets", headers=key(DISABLED)))
    forbidden(call(gw, "GET", "/dev/pets", headers=key("")))
    # A key that exists but is in no usage plan of this stage is refused as on AWS.
    forbidden(call(gw, "GET", "/dev/pets", headers=key(ORPHAN)))
    ok = call(gw, "GET", "/dev/pets", headers=key(PARTNER))
    assert ok.status == 200 and ok.json() == {"pets": []}, ok
    # The header name is case-insensitive; a key given as valueSha256 works like any other.
    assert call(gw, "GET", "/dev/pets", headers=[("X-API-Key", SECOND)]).status == 200
    assert call(gw, "GET", "/dev/pets", headers=key(HASHED)).status == 200
    # A method without apiKeyRequired ignores keys, good or bad.
    assert call(gw, "GET", "/dev/open").status == 200
    assert call(gw, "GET", "/dev/open", headers=key(UNKNOWN)).status == 200


def test_usage_plan_throttle_is_per_key(gateway_factory):
    gw = gateway_factory(keys_config(plan_throttle="{ rateLimit: 0.001, burstLimit: 2 }"))
    assert call(gw, "GET", "/dev/pets", headers=key(PARTNER)).status == 200
    assert call(gw, "POST", "/dev/pets", headers=key(PARTNER), body=b"{}").status == 200
    too_many(call(gw, "GET", "/dev/pets", headers=key(PARTNER)))
    too_many(call(gw, "GET", "/dev/limited", headers=key(PARTNER)))
    # Another key has its own bucket.
    assert call(gw, "GET", "/dev/pets", headers=key(SECOND)).status == 200
    # Methods without apiKeyRequired bypass the plan's limits even with the throttled key.
    for _ in range(4):
        assert call(gw, "GET", "/dev/open", headers=key(PARTNER)).status == 200
    # A bad key is still 403 (the key check comes before the throttle).
    forbidden(call(gw, "GET", "/dev/pets", headers=key(UNKNOWN)))


def test_usage_plan_per_method_throttle_override(gateway_factory):
    gw = gateway_factory(keys_config(method_throttle='{ "/limited/GET": { rateLimit: 0.001, burstLimit: 1 } }'))
    assert call(gw, "GET", "/dev/limited", headers=key(PARTNER)).status == 200
    too_many(call(gw, "GET", "/dev/limited", headers=key(PARTNER)))
    for _ in range(3):
        assert call(gw, "GET", "/dev/pets", headers=key(PARTNER)).status == 200


def test_usage_plan_quota_is_per_key_and_counts_every_keyed_method(gateway_factory):
    gw = gateway_factory(keys_config(quota="{ limit: 3, period: DAY }"))
    for _ in range(5):
        assert call(gw, "GET", "/dev/open", headers=key(PARTNER)).status == 200   # not counted
    assert call(gw, "GET", "/dev/pets", headers=key(PARTNER)).status == 200
    assert call(gw, "POST", "/dev/pets", headers=key(PARTNER), body=b"{}").status == 200
    assert call(gw, "GET", "/dev/limited", headers=key(PARTNER)).status == 200
    limit_exceeded(call(gw, "GET", "/dev/pets", headers=key(PARTNER)))
    limit_exceeded(call(gw, "POST", "/dev/pets", headers=key(PARTNER), body=b"{}"))
    # The other key of the plan has its own quota.
    for _ in range(3):
        assert call(gw, "GET", "/dev/pets", headers=key(SECOND)).status == 200
    limit_exceeded(call(gw, "GET", "/dev/pets", headers=key(SECOND)))


def test_api_key_from_the_authorizer(gateway_factory, fake_lambda):
    """apiKeySource: AUTHORIZER — the key is the authorizer's usageIdentifierKey; x-api-key is not read."""
    def auth(event):
        token = event["authorizationToken"]
        keys = {"Bearer partner": PARTNER, "Bearer unknown": UNKNOWN, "Bearer none": None}
        return allow(event, usage_identifier_key=keys[token])
    fake_lambda.handlers["tokenauth"] = auth
    gw = gateway_factory("""
server: { listen: 127.0.0.1:__PORT__ }
aws: { region: us-east-1, endpoints: { lambda: "%s" } }
apiKeys:
  - { name: partner, value: "%s" }
usagePlans:
  - { name: basic, apiStages: [ { api: pets, stage: dev } ], quota: { limit: 2, period: DAY }, apiKeys: [ partner ] }
apis:
  - id: pets
    protocolType: REST
    apiKeySource: AUTHORIZER
    stages: [ { name: dev } ]
    authorizers:
      tok: { authorizerType: TOKEN, authorizerUri: "%s", identitySource: [method.request.header.Authorization], authorizerResultTtlInSeconds: 0 }
    resources:
      /pets:
        GET: { apiKeyRequired: true, authorizationType: CUSTOM, authorizerId: tok, integration: %s }
""" % (fake_lambda.url, PARTNER, INVOKE_URI % "tokenauth", mock('{"ok": true}')))
    forbidden(call(gw, "GET", "/dev/pets", headers=[("Authorization", "Bearer unknown")]))
    forbidden(call(gw, "GET", "/dev/pets", headers=[("Authorization", "Bearer none"), ("x-api-key", PARTNER)]))
    assert call(gw, "GET", "/dev/pets", headers=[("Authorization", "Bearer partner")]).status == 200
    assert call(gw, "GET", "/dev/pets", headers=[("Authorization", "Bearer partner")]).status == 200
    limit_exceeded(call(gw, "GET", "/dev/pets", headers=[("Authorization", "Bearer partner")]))
    assert invocations(fake_lambda, "tokenauth") == 5


def test_websocket_connect_api_key_required(gateway_factory):
    gw = gateway_factory("""
server: { listen: 127.0.0.1:__PORT__ }
apiKeys:
  - { name: partner, value: "%s" }
usagePlans:
  - { name: ws, apiStages: [ { api: chat, stage: dev } ], apiKeys: [ partner ] }
apis:
  - id: chat
    protocolType: WEBSOCKET
    routeSelectionExpression: $request.body.action
    apiKeySelectionExpression: $request.header.x-api-key
    stages: [ { name: dev } ]
    routes:
      $connect: { apiKeyRequired: true, integration: { type: MOCK, requestTemplates: { $default: '{"statusCode": 200}' } } }
""" % PARTNER)

    async def main():
        for headers in [{}, {"x-api-key": UNKNOWN}]:
            with pytest.raises(InvalidStatus) as info:
                await asyncio.wait_for(connect(gw.ws("/dev"), additional_headers=headers, open_timeout=STEP), STEP)
            assert info.value.response.status_code == 403
        ws = await asyncio.wait_for(connect(gw.ws("/dev"), additional_headers={"x-api-key": PARTNER},
                                            open_timeout=STEP), STEP)
        await ws.close()
    run(main())


def test_quota_is_shared_by_two_nodes_over_redis(gateway_factory):
    redis = RedisServer()
    try:
        a = gateway_factory(keys_config(quota="{ limit: 3, period: DAY }", registry=redis.url, node_id="node-a"))
        b = gateway_factory(keys_config(quota="{ limit: 3, period: DAY }", registry=redis.url, node_id="node-b"))
        assert call(a, "GET", "/dev/pets", headers=key(PARTNER)).status == 200
        assert call(a, "GET", "/dev/pets", headers=key(PARTNER)).status == 200
        assert call(b, "GET", "/dev/pets", headers=key(PARTNER)).status == 200
        limit_exceeded(call(a, "GET", "/dev/pets", headers=key(PARTNER)))
        limit_exceeded(call(b, "GET", "/dev/pets", headers=key(PARTNER)))
        # The other key is untouched on both nodes.
        assert call(b, "GET", "/dev/pets", headers=key(SECOND)).status == 200
        assert call(a, "GET", "/dev/pets", headers=key(SECOND)).status == 200
        # The count lives in Redis.
        assert redis.keys("*"), "no keys in Redis"
    finally:
        redis.kill()


# MARK: - Stage, route and account throttles (HTTP and REST)

def test_rest_stage_method_settings_throttle(gateway_factory):
    gw = gateway_factory("""
server: { listen: 127.0.0.1:__PORT__ }
apis:
  - id: pets
    protocolType: REST
    stages:
      - name: dev
        methodSettings:
          "*/*": { throttlingRateLimit: 100, throttlingBurstLimit: 50 }
          "/limited/GET": { throttlingRateLimit: 0.001, throttlingBurstLimit: 2 }
    resources:
      /limited:
        GET: { integration: %s }
      /pets:
        GET: { integration: %s }
""" % (mock('{"limited": true}'), mock('{"pets": true}')))
    assert call(gw, "GET", "/dev/limited").status == 200
    assert call(gw, "GET", "/dev/limited").status == 200
    too_many(call(gw, "GET", "/dev/limited"))
    for _ in range(5):
        assert call(gw, "GET", "/dev/pets").status == 200


def test_rest_stage_default_method_throttle(gateway_factory):
    gw = gateway_factory("""
server: { listen: 127.0.0.1:__PORT__ }
apis:
  - id: pets
    protocolType: REST
    stages: [ { name: dev, methodSettings: { "*/*": { throttlingRateLimit: 0.001, throttlingBurstLimit: 1 } } } ]
    resources:
      /pets:
        GET: { integration: %s }
""" % mock('{"pets": true}'))
    assert call(gw, "GET", "/dev/pets").status == 200
    too_many(call(gw, "GET", "/dev/pets"))


def test_http_route_settings_throttle(gateway_factory):
    gw = gateway_factory("""
server: { listen: 127.0.0.1:__PORT__ }
apis:
  - id: shop
    protocolType: HTTP
    stages: [ { name: $default, routeSettings: { "GET /limited": { throttlingRateLimit: 0.001, throttlingBurstLimit: 2 } } } ]
    routes:
      GET /limited: { integration: %s }
      GET /other: { integration: %s }
""" % (mock('{"limited": true}'), mock('{"other": true}')))
    assert call(gw, "GET", "/limited").status == 200
    assert call(gw, "GET", "/limited").status == 200
    throttled = call(gw, "GET", "/limited")
    assert_message(throttled, 429, "Too Many Requests")
    assert throttled.header("apigw-requestid")
    for _ in range(5):
        assert call(gw, "GET", "/other").status == 200


def test_http_default_route_settings_throttle(gateway_factory):
    gw = gateway_factory("""
server: { listen: 127.0.0.1:__PORT__ }
apis:
  - id: shop
    protocolType: HTTP
    stages: [ { name: $default, defaultRouteSettings: { throttlingRateLimit: 0.001, throttlingBurstLimit: 1 } } ]
    routes:
      GET /a: { integration: %s }
""" % mock('{"a": true}'))
    assert call(gw, "GET", "/a").status == 200
    assert_message(call(gw, "GET", "/a"), 429, "Too Many Requests")


def test_account_throttle_covers_every_api(gateway_factory):
    gw = gateway_factory("""
server: { listen: 127.0.0.1:__PORT__ }
throttle: { rateLimit: 0.001, burstLimit: 3 }
apis:
  - id: shop
    protocolType: HTTP
    stages: [ { name: $default } ]
    routes:
      GET /a: { integration: %s }
  - id: pets
    protocolType: REST
    stages: [ { name: dev } ]
    resources:
      /pets:
        GET: { integration: %s }
domains:
  - domainName: "*"
    mappings:
      - { apiMappingKey: shop, api: shop, stage: $default }
      - { apiMappingKey: pets, api: pets, stage: dev }
""" % (mock('{"a": true}'), mock('{"pets": true}')))
    assert call(gw, "GET", "/shop/a").status == 200
    assert call(gw, "GET", "/pets/pets").status == 200
    assert call(gw, "GET", "/shop/a").status == 200
    assert_message(call(gw, "GET", "/shop/a"), 429, "Too Many Requests")
    too_many(call(gw, "GET", "/pets/pets"))


# MARK: - WebSocket throttles

WS_ROUTES = """
    routes:
      $connect: { integration: { type: MOCK, requestTemplates: { $default: '{"statusCode": 200}' } } }
      whoami:
        integration:
          type: MOCK
          requestTemplates: { $default: '{"statusCode": 200}' }
          integrationResponses:
            - integrationResponseKey: $default
              responseTemplates: { $default: '{"connectionId": "$context.connectionId"}' }
        routeResponseSelectionExpression: $default
      echo:
        integration:
          type: MOCK
          requestTemplates: { $default: '{"statusCode": 200}' }
          integrationResponses: [ { integrationResponseKey: $default, responseTemplates: { $default: $input.body } } ]
        routeResponseSelectionExpression: $default
"""


def ws_config(stage_extra="", websocket="", top=""):
    return """
server: { listen: 127.0.0.1:__PORT__ }
%s
apis:
  - id: chat
    protocolType: WEBSOCKET
    routeSelectionExpression: $request.body.action
    managementApi: { auth: NONE }
    stages: [ { name: dev%s } ]
    %s
""" % (top, stage_extra, websocket) + WS_ROUTES


async def open_ws(gw):
    return await asyncio.wait_for(connect(gw.ws("/dev"), open_timeout=STEP, close_timeout=STEP), STEP)


async def recv(ws):
    return await asyncio.wait_for(ws.recv(), STEP)


async def whoami(ws):
    await ws.send('{"action":"whoami"}')
    return json.loads(await recv(ws))["connectionId"]


def assert_throttled_frame(frame, connection_id):
    parsed = json.loads(frame)
    assert list(parsed) == ["message", "connectionId", "requestId"], frame
    assert parsed["message"] == "Too Many Requests" and parsed["connectionId"] == connection_id, frame
    assert re.match(r"^[A-Za-z0-9_-]{15}=$", parsed["requestId"]), frame


async def still_open(ws):
    pong = await ws.ping()
    await asyncio.wait_for(pong, STEP)


def test_ws_message_rate_per_connection(gateway_factory):
    gw = gateway_factory(ws_config(websocket="webSocket: { messageRate: { rateLimit: 0.001, burstLimit: 3 } }"))

    async def main():
        ws = await open_ws(gw)
        cid = await whoami(ws)
        await ws.send('{"action":"echo","n":2}')
        assert await recv(ws) == '{"action":"echo","n":2}'
        await ws.send('{"action":"echo","n":3}')
        assert await recv(ws) == '{"action":"echo","n":3}'
        await ws.send('{"action":"echo","n":4}')
        assert_throttled_frame(await recv(ws), cid)
        await ws.send('{"action":"whoami"}')
        assert_throttled_frame(await recv(ws), cid)
        await still_open(ws)
        # Another connection has its own allowance.
        other = await open_ws(gw)
        other_id = await whoami(other)
        assert other_id != cid
        await other.close()
        await ws.close()
    run(main())


def test_ws_route_throttle_is_shared_by_the_stage(gateway_factory):
    gw = gateway_factory(ws_config(
        stage_extra=", defaultRouteSettings: { throttlingRateLimit: 100, throttlingBurstLimit: 50 }, "
                    "routeSettings: { echo: { throttlingRateLimit: 0.001, throttlingBurstLimit: 1 } }"))

    async def main():
        ws = await open_ws(gw)
        cid = await whoami(ws)
        await ws.send('{"action":"echo","n":1}')
        assert await recv(ws) == '{"action":"echo","n":1}'
        await ws.send('{"action":"echo","n":2}')
        assert_throttled_frame(await recv(ws), cid)
        await still_open(ws)
        # Other routes are not affected.
        assert await whoami(ws) == cid
        other = await open_ws(gw)
        other_id = await whoami(other)
        await other.send('{"action":"echo","n":3}')
        assert_throttled_frame(await recv(other), other_id)
        await other.close()
        await ws.close()
    run(main())


def test_ws_new_connection_rate(gateway_factory):
    gw = gateway_factory(ws_config(websocket="webSocket: { newConnectionRate: { rateLimit: 0.001, burstLimit: 2 } }"))

    async def main():
        first = await open_ws(gw)
        second = await open_ws(gw)
        with pytest.raises(InvalidStatus) as info:
            await open_ws(gw)
        assert info.value.response.status_code == 429
        # Established connections keep working.
        await whoami(first)
        await first.close()
        await second.close()
    run(main())


def test_connections_api_over_the_account_throttle_is_429_limit_exceeded(gateway_factory):
    # Burst 5: one upgrade, one whoami message (AWS's account throttle covers WebSocket messages as well) and three
    # @connections posts; the fourth post is over.
    gw = gateway_factory(ws_config(top="throttle: { rateLimit: 0.001, burstLimit: 5 }"))
    client = mgmt_client(gw.http("/dev"))

    async def main():
        ws = await open_ws(gw)
        cid = await whoami(ws)
        loop = asyncio.get_running_loop()
        for n in range(3):
            await loop.run_in_executor(None, lambda: client.post_to_connection(ConnectionId=cid, Data=b"hi"))
            assert await recv(ws) == "hi"
        with pytest.raises(client.exceptions.LimitExceededException) as info:
            await loop.run_in_executor(None, lambda: client.post_to_connection(ConnectionId=cid, Data=b"hi"))
        assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429
        # Upgrades are over the limit too.
        with pytest.raises(InvalidStatus) as upgrade:
            await open_ws(gw)
        assert upgrade.value.response.status_code == 429
        await ws.close()
    run(main())


# MARK: - AWS_IAM (SigV4)

def iam_http_config(backend):
    return """
server: { listen: 127.0.0.1:__PORT__ }
aws: { region: us-east-1, credentials: { accessKeyId: %s, secretAccessKey: "%s" } }
apis:
  - id: shop
    protocolType: HTTP
    stages: [ { name: $default } ]
    routes:
      GET /signed: { authorizationType: AWS_IAM, integration: { type: HTTP_PROXY, uri: "%s/signed" } }
      GET /open: { integration: { type: HTTP_PROXY, uri: "%s/open" } }
""" % (ACCESS_KEY, SECRET_KEY, backend.url, backend.url)


def test_http_aws_iam_route(gateway_factory, backend):
    backend.respond = lambda req: (200, {"Content-Type": "text/plain"}, b"backend ok")
    gw = gateway_factory(iam_http_config(backend))
    assert_message(call(gw, "GET", "/signed"), 403, "Missing Authentication Token")
    ok = signed_call(gw, "GET", "/signed")
    assert ok.status == 200 and ok.body == b"backend ok", ok
    wrong = signed_call(gw, "GET", "/signed", secret_key="not-the-secret-key")
    assert wrong.status == 403, wrong
    assert [v.split(":")[0] for v in wrong.all("x-amzn-ErrorType")] == ["InvalidSignatureException"]
    assert len(backend.requests) == 1
    assert call(gw, "GET", "/open").status == 200


def test_sigv4_authorization_header_is_not_passed_to_the_integration(gateway_factory, backend):
    """AWS drops an Authorization header that carries a SigV4 signature before the integration (reference
    aws-http-rest.md §3.2 and §6.7, AG:api-gateway-known-issues)."""
    backend.respond = lambda req: (200, {"Content-Type": "text/plain"}, b"backend ok")
    gw = gateway_factory(iam_http_config(backend))
    assert signed_call(gw, "GET", "/signed").status == 200
    forwarded = {n.lower() for n, _ in backend.requests[-1]["header_list"]}
    assert "authorization" not in forwarded, backend.requests[-1]["header_list"]


def rest_iam_config(fake_lambda):
    return """
server: { listen: 127.0.0.1:__PORT__ }
aws: { region: us-east-1, credentials: { accessKeyId: %s, secretAccessKey: "%s" }, endpoints: { lambda: "%s" } }
apis:
  - id: pets
    protocolType: REST
    stages: [ { name: dev } ]
    resources:
      /pets:
        GET: { authorizationType: AWS_IAM, integration: { type: AWS_PROXY, uri: "%s" } }
""" % (ACCESS_KEY, SECRET_KEY, fake_lambda.url, INVOKE_URI % "pets")


def test_rest_aws_iam_method(gateway_factory, fake_lambda):
    fake_lambda.handlers["pets"] = lambda e: {"statusCode": 200, "body": "ok"}
    gw = gateway_factory(rest_iam_config(fake_lambda))
    assert_message(call(gw, "GET", "/dev/pets"), 403, "Missing Authentication Token",
                   "MissingAuthenticationTokenException")
    ok = signed_call(gw, "GET", "/dev/pets")
    assert ok.status == 200 and ok.body == b"ok", ok
    wrong = signed_call(gw, "GET", "/dev/pets", secret_key="not-the-secret-key")
    assert wrong.status == 403, wrong
    assert [v.split(":")[0] for v in wrong.all("x-amzn-ErrorType")] == ["InvalidSignatureException"]
    assert invocations(fake_lambda, "pets") == 1


def test_rest_aws_iam_event_identity_names_the_caller(gateway_factory, fake_lambda):
    """identity.* is filled for AWS_IAM methods (reference aws-http-rest.md §2.1, AG:set-up-lambda-proxy-integrations):
    at least accessKey is the signer's access key id."""
    fake_lambda.handlers["pets"] = lambda e: {"statusCode": 200, "body": "ok"}
    gw = gateway_factory(rest_iam_config(fake_lambda))
    assert signed_call(gw, "GET", "/dev/pets").status == 200
    [event] = [r["event"] for r in fake_lambda.requests if r.get("function") == "pets"]
    assert event["requestContext"]["identity"]["accessKey"] == ACCESS_KEY, event["requestContext"]["identity"]


def test_websocket_connect_aws_iam(gateway_factory):
    gw = gateway_factory("""
server: { listen: 127.0.0.1:__PORT__ }
aws: { region: us-east-1, credentials: { accessKeyId: %s, secretAccessKey: "%s" } }
apis:
  - id: chat
    protocolType: WEBSOCKET
    routeSelectionExpression: $request.body.action
    stages: [ { name: dev } ]
    routes:
      $connect: { authorizationType: AWS_IAM, integration: { type: MOCK, requestTemplates: { $default: '{"statusCode": 200}' } } }
""" % (ACCESS_KEY, SECRET_KEY))
    host = "127.0.0.1:%d" % gw.port

    def signed(secret=SECRET_KEY):
        headers = sigv4_headers("GET", "http://%s/dev" % host, host, secret_key=secret)
        return {n: v for n, v in headers if n.lower() != "host"}

    async def main():
        for headers in [{}, signed("not-the-secret-key")]:
            with pytest.raises(InvalidStatus) as info:
                await asyncio.wait_for(connect(gw.ws("/dev"), additional_headers=headers, open_timeout=STEP), STEP)
            assert info.value.response.status_code == 403
        ws = await asyncio.wait_for(connect(gw.ws("/dev"), additional_headers=signed(), open_timeout=STEP), STEP)
        await ws.close()
    run(main())


# MARK: - Resource policies (REST)

def policy_config(fake_lambda, statements):
    return """
server: { listen: 127.0.0.1:__PORT__ }
aws: { region: us-east-1, endpoints: { lambda: "%s" } }
apis:
  - id: pets
    protocolType: REST
    policy: { Version: "2012-10-17", Statement: %s }
    stages: [ { name: dev } ]
    authorizers:
      tok: { authorizerType: TOKEN, authorizerUri: "%s", identitySource: [method.request.header.Authorization] }
    resources:
      /pets:
        GET: { integration: %s }
      /secret:
        GET: { integration: %s }
      /guarded:
        GET: { authorizationType: CUSTOM, authorizerId: tok, integration: %s }
""" % (fake_lambda.url, statements, INVOKE_URI % "tokenauth", mock('{"pets": true}'), mock('{"secret": true}'),
       mock('{"guarded": true}'))


ALLOW_ALL = '{ Effect: Allow, Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*" }'


def test_resource_policy_denying_the_source_ip(gateway_factory, fake_lambda):
    fake_lambda.handlers["tokenauth"] = lambda e: allow(e)
    deny_loopback = ('{ Effect: Deny, Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*", '
                     'Condition: { IpAddress: { "aws:SourceIp": ["127.0.0.0/8"] } } }')
    gw = gateway_factory(policy_config(fake_lambda, "[ %s, %s ]" % (ALLOW_ALL, deny_loopback)))
    denied = call(gw, "GET", "/dev/pets")
    assert_access_denied(denied)
    assert denied.all("x-amzn-ErrorType") == ["AccessDeniedException"]
    # The explicit deny is checked before the Lambda authorizer, which is not invoked.
    assert_access_denied(call(gw, "GET", "/dev/guarded", headers=[("Authorization", "Bearer x")]))
    assert invocations(fake_lambda, "tokenauth") == 0


def test_resource_policy_allowing_the_source_ip_and_denying_one_method(gateway_factory, fake_lambda):
    fake_lambda.handlers["tokenauth"] = lambda e: allow(e)
    allow_loopback = ('{ Effect: Allow, Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*", '
                      'Condition: { IpAddress: { "aws:SourceIp": ["127.0.0.0/8", "::1/128"] } } }')
    deny_secret = ('{ Effect: Deny, Principal: "*", Action: "execute-api:Invoke", '
                   'Resource: "execute-api:/dev/GET/secret" }')
    gw = gateway_factory(policy_config(fake_lambda, "[ %s, %s ]" % (allow_loopback, deny_secret)))
    ok = call(gw, "GET", "/dev/pets")
    assert ok.status == 200 and ok.json() == {"pets": True}, ok
    assert_access_denied(call(gw, "GET", "/dev/secret"))
    guarded = call(gw, "GET", "/dev/guarded", headers=[("Authorization", "Bearer x")])
    assert guarded.status == 200 and guarded.json() == {"guarded": True}, guarded
    assert invocations(fake_lambda, "tokenauth") == 1


def test_resource_policy_allowing_other_addresses_only_is_an_implicit_deny(gateway_factory, fake_lambda):
    allow_other = ('{ Effect: Allow, Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*", '
                   'Condition: { IpAddress: { "aws:SourceIp": ["10.0.0.0/8"] } } }')
    gw = gateway_factory(policy_config(fake_lambda, "[ %s ]" % allow_other))
    assert_access_denied(call(gw, "GET", "/dev/pets"))


# MARK: - Configuration diagnostics

VALID = """\
server:
  listen: 127.0.0.1:8080
apiKeys:
  - { name: partner, value: "%s" }
usagePlans:
  - name: basic
    apiStages: [ { api: pets, stage: dev } ]
    quota: { limit: 3, period: DAY }
    apiKeys: [ partner ]
apis:
  - id: pets
    protocolType: REST
    stages: [ { name: dev } ]
    resources:
      /pets:
        GET: { apiKeyRequired: true, integration: { type: MOCK } }
  - id: shop
    protocolType: HTTP
    stages: [ { name: $default } ]
    routes:
      GET /a: { integration: { type: MOCK } }
""" % PARTNER

DIAGNOSTIC = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<path>\S+): (?P<message>.+)$")

# name → (original line, replacement, expected key path, words the message must contain)
BROKEN = {
    "unknown-key": ("    apiKeys: [ partner ]", "    apiKeys: [ nobody ]  # <-", "usagePlans[0].apiKeys[0]", ["nobody"]),
    "unknown-api": ("    apiStages: [ { api: pets, stage: dev } ]", "    apiStages: [ { api: ghost, stage: dev } ]  # <-",
                    "usagePlans[0].apiStages[0].api", ["ghost"]),
    "unknown-stage": ("    apiStages: [ { api: pets, stage: dev } ]",
                      "    apiStages: [ { api: pets, stage: prod } ]  # <-", "usagePlans[0].apiStages[0].stage",
                      ["prod"]),
    "http-api-in-plan": ("    apiStages: [ { api: pets, stage: dev } ]",
                         "    apiStages: [ { api: shop, stage: $default } ]  # <-", "usagePlans[0].apiStages[0].api",
                         []),
    "short-key": ('  - { name: partner, value: "%s" }' % PARTNER, '  - { name: partner, value: "short" }  # <-',
                  "apiKeys[0].value", []),
    "bad-period": ("    quota: { limit: 3, period: DAY }", "    quota: { limit: 3, period: YEAR }  # <-",
                   "usagePlans[0].quota.period", ["YEAR"]),
}


def validate(text, tmp_path, name):
    path = os.path.join(str(tmp_path), name + ".yaml")
    with open(path, "w") as f:
        f.write(text)
    return path, subprocess.run([BINARY, "validate", path], capture_output=True, text=True, timeout=60)


def test_validate_accepts_the_valid_base(tmp_path):
    _, proc = validate(VALID, tmp_path, "valid")
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_validate_reports_usage_plan_and_key_problems(tmp_path, case):
    original, replacement, key_path, words = BROKEN[case]
    assert original in VALID, case
    text = VALID.replace(original, replacement, 1)
    line = [i + 1 for i, l in enumerate(text.splitlines()) if l.rstrip().endswith("# <-")][0]
    path, proc = validate(text, tmp_path, case)
    assert proc.returncode != 0
    found = [m.groupdict() for m in map(DIAGNOSTIC.match, proc.stderr.splitlines()) if m]
    assert len(found) == 1, proc.stderr
    d = found[0]
    assert d["file"] == path and d["path"] == key_path, proc.stderr
    assert int(d["line"]) == line, proc.stderr
    for word in words:
        assert word in d["message"], proc.stderr
