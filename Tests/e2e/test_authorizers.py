"""Lambda authorizers end to end (issue 5): REQUEST authorizers on WebSocket `$connect`, HTTP API REQUEST
authorizers with 2.0 simple responses and their result cache, REST TOKEN and REQUEST authorizers (Lambda and
http(s) authorizerUri) with cached policies. Each asserted against AWS's behaviour (reference aws-http-rest.md
§6.3-6.4 and aws-websocket.md): missing identity → 401 without invoking, Deny → 403, "Unauthorized" → 401,
malformed output → 500, the authorizer's principalId and context reaching integrations and templates."""
import asyncio
import json
import re

from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from auth_support import (INVOKE_URI, LAMBDA_ARN, allow, assert_access_denied, assert_message, call, deny, events,
                          http_authorizer, invocations)  # noqa: F401 - http_authorizer is a fixture

ID = re.compile(r"^[A-Za-z0-9_-]{15}=$")
STEP = 10


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 60))


async def open_ws(url, **kwargs):
    return await asyncio.wait_for(connect(url, open_timeout=STEP, close_timeout=STEP, **kwargs), STEP)


async def handshake_status(url, **kwargs):
    """The status a rejected handshake got (fails if the upgrade succeeded)."""
    try:
        ws = await open_ws(url, **kwargs)
    except InvalidStatus as e:
        return e.response.status_code
    await ws.close()
    raise AssertionError("handshake to %s succeeded; expected a rejection" % url)


async def recv_json(ws):
    return json.loads(await asyncio.wait_for(ws.recv(), STEP))


# MARK: - WebSocket $connect REQUEST authorizer

def ws_config(fake_lambda):
    return """
server: { listen: 127.0.0.1:__PORT__ }
aws: { region: us-east-1, endpoints: { lambda: "%s" } }
apis:
  - id: chat
    protocolType: WEBSOCKET
    routeSelectionExpression: $request.body.action
    stages: [ { name: dev, stageVariables: { color: blue } } ]
    authorizers:
      auth:
        authorizerType: REQUEST
        authorizerUri: "%sauth"
        identitySource: [route.request.header.Authorization, route.request.querystring.token]
    routes:
      $connect:
        authorizationType: CUSTOM
        authorizerId: auth
        apiKeyRequired: false
        integration: { type: MOCK, requestTemplates: { $default: '{"statusCode": 200}' } }
      $disconnect: { integration: { type: AWS_PROXY, uri: "%sondisconnect" } }
      whoami:
        integration:
          type: MOCK
          requestTemplates: { $default: '{"statusCode": 200}' }
          integrationResponses:
            - integrationResponseKey: $default
              responseTemplates:
                $default: '{"connectionId": "$context.connectionId", "principal": "$context.authorizer.principalId", "tier": "$context.authorizer.tier"}'
        routeResponseSelectionExpression: $default
      msg: { integration: { type: AWS_PROXY, uri: "%s" } }
""" % (fake_lambda.url, LAMBDA_ARN, LAMBDA_ARN, INVOKE_URI % "onmessage")


METHOD_ARN_CONNECT = "arn:aws:execute-api:us-east-1:000000000000:chat/dev/$connect"


def test_ws_connect_missing_identity_source_is_401_without_invoking(gateway_factory, fake_lambda):
    fake_lambda.handlers["auth"] = lambda e: allow(e)
    gw = gateway_factory(ws_config(fake_lambda))

    async def main():
        # Header missing, query string missing, query string empty, header empty.
        assert await handshake_status(gw.ws("/dev?token=t1")) == 401
        assert await handshake_status(gw.ws("/dev"), additional_headers={"Authorization": "Bearer a"}) == 401
        assert await handshake_status(gw.ws("/dev?token="), additional_headers={"Authorization": "Bearer a"}) == 401
        assert await handshake_status(gw.ws("/dev?token=t1"), additional_headers={"Authorization": ""}) == 401
    run(main())
    assert invocations(fake_lambda, "auth") == 0


def test_ws_connect_allow_passes_principal_and_context_to_routes(gateway_factory, fake_lambda):
    fake_lambda.handlers["auth"] = lambda e: allow(e, principal="alice", context={"tier": "gold", "n": 7, "ok": True})
    fake_lambda.handlers["onmessage"] = lambda e: {"statusCode": 200}
    gw = gateway_factory(ws_config(fake_lambda))

    async def main():
        ws = await open_ws(gw.ws("/dev?token=t1&token=t2&x=1"),
                           additional_headers={"Authorization": "Bearer abc", "X-Extra": "e"})
        await ws.send('{"action":"whoami"}')
        who = await recv_json(ws)
        await ws.send('{"action":"msg","text":"hi"}')
        fake_lambda.wait_for(lambda r: r.get("function") == "onmessage")
        await ws.close(1000)
        return who
    who = run(main())
    assert ID.match(who["connectionId"])
    # MOCK templates see $context.authorizer.principalId and $context.authorizer.<key>.
    assert who["principal"] == "alice" and who["tier"] == "gold"

    assert invocations(fake_lambda, "auth") == 1
    event = events(fake_lambda, "auth")[0]
    assert event["type"] == "REQUEST"
    assert event["methodArn"] == METHOD_ARN_CONNECT
    for key in ["headers", "multiValueHeaders", "queryStringParameters", "multiValueQueryStringParameters",
                "stageVariables", "requestContext"]:
        assert key in event, (key, sorted(event))
    assert event["headers"]["Authorization"] == "Bearer abc" and event["headers"]["X-Extra"] == "e"
    assert event["multiValueHeaders"]["Authorization"] == ["Bearer abc"]
    assert event["queryStringParameters"] == {"token": "t2", "x": "1"}
    assert event["multiValueQueryStringParameters"] == {"token": ["t1", "t2"], "x": ["1"]}
    assert event["stageVariables"] == {"color": "blue"}
    rc = event["requestContext"]
    assert rc["routeKey"] == "$connect" and rc["eventType"] == "CONNECT"
    assert rc["connectionId"] == who["connectionId"]
    assert rc["apiId"] == "chat" and rc["stage"] == "dev" and ID.match(rc["requestId"])
    assert rc["identity"]["sourceIp"] == "127.0.0.1"

    # AWS_PROXY MESSAGE and DISCONNECT events carry requestContext.authorizer = principalId, integrationLatency and
    # the context, values as the authorizer returned them.
    message = fake_lambda.wait_for(lambda r: r.get("function") == "onmessage")[0]["event"]
    disconnect = fake_lambda.wait_for(lambda r: r.get("function") == "ondisconnect")[0]["event"]
    for e in (message, disconnect):
        authorizer = e["requestContext"]["authorizer"]
        assert isinstance(authorizer.pop("integrationLatency"), int), authorizer
        assert authorizer == {"principalId": "alice", "tier": "gold", "n": 7, "ok": True}, authorizer
        assert e["requestContext"]["connectionId"] == who["connectionId"]


def test_ws_connect_deny_unauthorized_and_malformed_outputs(gateway_factory, fake_lambda):
    def auth(event):
        token = event["queryStringParameters"]["token"]
        if token == "deny":
            return deny(event)
        if token == "throw":
            raise fake_lambda.FunctionError("Unauthorized")
        if token == "garbage":
            return {"hello": "world"}
        if token == "not-json":
            return "just a string"
        if token == "crash":
            raise fake_lambda.FunctionError("something else broke")
        return allow(event)
    fake_lambda.handlers["auth"] = auth
    gw = gateway_factory(ws_config(fake_lambda))
    headers = {"Authorization": "Bearer x"}

    async def main():
        assert await handshake_status(gw.ws("/dev?token=deny"), additional_headers=headers) == 403
        assert await handshake_status(gw.ws("/dev?token=throw"), additional_headers=headers) == 401
        assert await handshake_status(gw.ws("/dev?token=garbage"), additional_headers=headers) == 500
        assert await handshake_status(gw.ws("/dev?token=not-json"), additional_headers=headers) == 500
        assert await handshake_status(gw.ws("/dev?token=crash"), additional_headers=headers) == 500
        ws = await open_ws(gw.ws("/dev?token=fine"), additional_headers=headers)
        await ws.close()
    run(main())
    assert invocations(fake_lambda, "auth") == 6
    # Rejected handshakes never became connections: no $disconnect for them.
    fake_lambda.wait_for(lambda r: r.get("function") == "ondisconnect")
    assert invocations(fake_lambda, "ondisconnect") == 1


def test_ws_connect_deny_for_another_route_arn_is_403(gateway_factory, fake_lambda):
    """An Allow whose Resource does not cover the $connect ARN is an implicit deny."""
    fake_lambda.handlers["auth"] = lambda e: allow(
        e, resource="arn:aws:execute-api:us-east-1:000000000000:chat/prod/$connect")
    gw = gateway_factory(ws_config(fake_lambda))

    async def main():
        assert await handshake_status(gw.ws("/dev?token=t"), additional_headers={"Authorization": "a"}) == 403
    run(main())
    assert invocations(fake_lambda, "auth") == 1


def test_ws_authorizer_results_are_not_cached(gateway_factory, fake_lambda):
    fake_lambda.handlers["auth"] = lambda e: allow(e, resource="arn:aws:execute-api:us-east-1:000000000000:chat/*")
    gw = gateway_factory(ws_config(fake_lambda))

    async def main():
        for _ in range(3):
            ws = await open_ws(gw.ws("/dev?token=same"), additional_headers={"Authorization": "Bearer same"})
            await ws.close()
    run(main())
    assert invocations(fake_lambda, "auth") == 3


# MARK: - HTTP API Lambda authorizer, payload 2.0 simple responses

def http_config(fake_lambda, ttl=300):
    return """
server: { listen: 127.0.0.1:__PORT__ }
aws: { region: us-east-1, endpoints: { lambda: "%(lam)s" } }
apis:
  - id: shop
    protocolType: HTTP
    stages: [ { name: $default } ]
    authorizers:
      lam:
        authorizerType: REQUEST
        authorizerUri: "%(arn)shttpauth"
        identitySource: [$request.header.Authorization]
        authorizerPayloadFormatVersion: "2.0"
        enableSimpleResponses: true
        authorizerResultTtlInSeconds: %(ttl)d
      fresh:
        authorizerType: REQUEST
        authorizerUri: "%(arn)sfreshauth"
        identitySource: [$request.header.Authorization, $request.querystring.q]
        authorizerPayloadFormatVersion: "2.0"
        enableSimpleResponses: true
        authorizerResultTtlInSeconds: 0
    routes:
      GET /items/{id}: { authorizationType: CUSTOM, authorizerId: lam, integration: { type: AWS_PROXY, uri: "%(arn)sitems", payloadFormatVersion: "2.0" } }
      GET /other: { authorizationType: CUSTOM, authorizerId: lam, integration: { type: AWS_PROXY, uri: "%(arn)sitems", payloadFormatVersion: "2.0" } }
      GET /fresh: { authorizationType: CUSTOM, authorizerId: fresh, integration: { type: AWS_PROXY, uri: "%(arn)sitems", payloadFormatVersion: "2.0" } }
      GET /open: { integration: { type: AWS_PROXY, uri: "%(arn)sitems", payloadFormatVersion: "2.0" } }
""" % {"lam": fake_lambda.url, "arn": LAMBDA_ARN, "ttl": ttl}


def simple_authorizer(event):
    token = (event.get("headers") or {}).get("authorization")
    return {"isAuthorized": token == "Bearer good", "context": {"user": "alice", "n": 1, "admin": False}}


def items(event):
    return {"statusCode": 200, "body": json.dumps({"path": event["rawPath"]})}


def test_http_simple_response_allows_and_passes_context(gateway_factory, fake_lambda):
    fake_lambda.handlers["httpauth"] = simple_authorizer
    fake_lambda.handlers["items"] = items
    gw = gateway_factory(http_config(fake_lambda))

    response = call(gw, "GET", "/items/42?a=1", headers=[("Authorization", "Bearer good")])
    assert response.status == 200, response
    assert response.json() == {"path": "/items/42"}
    assert invocations(fake_lambda, "httpauth") == 1
    event = events(fake_lambda, "httpauth")[0]
    assert event["version"] == "2.0" and event["type"] == "REQUEST"
    assert event["routeArn"] == "arn:aws:execute-api:us-east-1:000000000000:shop/$default/GET/items/42"
    assert event["identitySource"] == ["Bearer good"]
    assert event["routeKey"] == "GET /items/{id}"
    assert event["rawPath"] == "/items/42" and event["rawQueryString"] == "a=1"
    assert event["headers"]["authorization"] == "Bearer good"
    assert event["queryStringParameters"] == {"a": "1"}
    assert event["pathParameters"] == {"id": "42"}
    assert event["requestContext"]["http"]["method"] == "GET"
    assert event["requestContext"]["apiId"] == "shop" and event["requestContext"]["stage"] == "$default"

    integration = events(fake_lambda, "items")[0]
    assert integration["requestContext"]["authorizer"] == {"lambda": {"user": "alice", "n": 1, "admin": False}}


def test_http_simple_response_false_is_403_and_missing_identity_401(gateway_factory, fake_lambda):
    fake_lambda.handlers["httpauth"] = simple_authorizer
    fake_lambda.handlers["items"] = items
    gw = gateway_factory(http_config(fake_lambda))

    assert_message(call(gw, "GET", "/items/1", headers=[("Authorization", "Bearer bad")]), 403, "Forbidden")
    assert invocations(fake_lambda, "httpauth") == 1
    assert_message(call(gw, "GET", "/items/1"), 401, "Unauthorized")
    assert_message(call(gw, "GET", "/items/1", headers=[("Authorization", "")]), 401, "Unauthorized")
    assert invocations(fake_lambda, "httpauth") == 1
    assert invocations(fake_lambda, "items") == 0
    # A route without authorization is not affected.
    assert call(gw, "GET", "/open").status == 200


def test_http_authorizer_errors_are_500(gateway_factory, fake_lambda):
    def auth(event):
        token = event["headers"]["authorization"]
        if token == "throw":
            raise fake_lambda.FunctionError("boom")
        return {"unexpected": True}
    fake_lambda.handlers["httpauth"] = auth
    gw = gateway_factory(http_config(fake_lambda, ttl=0))
    assert call(gw, "GET", "/items/1", headers=[("Authorization", "throw")]).status == 500
    assert call(gw, "GET", "/items/1", headers=[("Authorization", "garbage")]).status == 500
    assert invocations(fake_lambda, "items") == 0


def test_http_authorizer_result_is_cached_per_identity_for_the_ttl(gateway_factory, fake_lambda):
    fake_lambda.handlers["httpauth"] = simple_authorizer
    fake_lambda.handlers["items"] = items
    gw = gateway_factory(http_config(fake_lambda))
    good = [("Authorization", "Bearer good")]
    for path in ["/items/1", "/items/2", "/other", "/items/1"]:
        assert call(gw, "GET", path, headers=good).status == 200, path
    # One invocation: the cached result is shared by every route using the authorizer (same identity).
    assert invocations(fake_lambda, "httpauth") == 1
    assert invocations(fake_lambda, "items") == 4
    # Cached requests still see the cached context.
    assert events(fake_lambda, "items")[-1]["requestContext"]["authorizer"] == \
        {"lambda": {"user": "alice", "n": 1, "admin": False}}
    # A new identity is a new invocation; its deny is cached too.
    bad = [("Authorization", "Bearer bad")]
    assert_message(call(gw, "GET", "/items/1", headers=bad), 403, "Forbidden")
    assert_message(call(gw, "GET", "/other", headers=bad), 403, "Forbidden")
    assert invocations(fake_lambda, "httpauth") == 2


def test_http_authorizer_ttl_zero_invokes_every_time(gateway_factory, fake_lambda):
    fake_lambda.handlers["freshauth"] = simple_authorizer
    fake_lambda.handlers["items"] = items
    gw = gateway_factory(http_config(fake_lambda))
    for _ in range(3):
        assert call(gw, "GET", "/fresh?q=1", headers=[("Authorization", "Bearer good")]).status == 200
    assert invocations(fake_lambda, "freshauth") == 3
    # Every identity source is required: no q → 401 without invoking.
    assert_message(call(gw, "GET", "/fresh", headers=[("Authorization", "Bearer good")]), 401, "Unauthorized")
    assert invocations(fake_lambda, "freshauth") == 3
    assert events(fake_lambda, "freshauth")[0]["identitySource"] == ["Bearer good", "1"]


# MARK: - REST TOKEN and REQUEST authorizers

def rest_config(fake_lambda, http_auth_url="http://127.0.0.1:9/authorize", ttl=300):
    return """
server: { listen: 127.0.0.1:__PORT__ }
aws: { region: us-east-1, endpoints: { lambda: "%(lam)s" } }
apis:
  - id: pets
    protocolType: REST
    stages: [ { name: dev } ]
    authorizers:
      tok:
        authorizerType: TOKEN
        authorizerUri: "%(invoke_tok)s"
        identitySource: [method.request.header.Authorization]
        identityValidationExpression: "^Bearer .+$"
        authorizerResultTtlInSeconds: %(ttl)d
      req:
        authorizerType: REQUEST
        authorizerUri: "%(http_auth)s"
        identitySource: [method.request.header.X-User]
        authorizerResultTtlInSeconds: 0
    resources:
      /pets:
        GET: { authorizationType: CUSTOM, authorizerId: tok, integration: { type: AWS_PROXY, uri: "%(invoke_pets)s" } }
      /pets/{petId}:
        GET: { authorizationType: CUSTOM, authorizerId: tok, integration: { type: AWS_PROXY, uri: "%(invoke_pets)s" } }
      /users:
        GET: { authorizationType: CUSTOM, authorizerId: req, integration: { type: AWS_PROXY, uri: "%(invoke_pets)s" } }
      /greeting:
        GET:
          authorizationType: CUSTOM
          authorizerId: tok
          integration:
            type: MOCK
            requestTemplates: { application/json: '{"statusCode": 200}' }
            integrationResponses:
              - statusCode: "200"
                responseTemplates: { application/json: '{"principal": "$context.authorizer.principalId", "tier": "$context.authorizer.tier", "n": "$context.authorizer.n"}' }
""" % {"lam": fake_lambda.url, "invoke_tok": INVOKE_URI % "tokenauth", "invoke_pets": INVOKE_URI % "pets",
       "http_auth": http_auth_url, "ttl": ttl}


PETS_ARN = "arn:aws:execute-api:us-east-1:000000000000:pets/dev/"


def token_authorizer(fake_lambda):
    def auth(event):
        token = event["authorizationToken"]
        if token == "Bearer deny":
            return deny(event)
        if token == "Bearer throw":
            raise fake_lambda.FunctionError("Unauthorized")
        if token == "Bearer garbage":
            return {"principalId": "x"}
        if token == "Bearer narrow":
            return allow(event, principal="narrow")          # exactly the first methodArn
        return allow(event, principal="user-1", context={"tier": "gold", "n": 7},
                     resource=PETS_ARN + "GET/*")
    return auth


def pets(event):
    return {"statusCode": 200, "body": json.dumps({"path": event["path"]})}


def test_rest_token_authorizer_event_allow_and_context(gateway_factory, fake_lambda):
    fake_lambda.handlers["tokenauth"] = token_authorizer(fake_lambda)
    fake_lambda.handlers["pets"] = pets
    gw = gateway_factory(rest_config(fake_lambda))

    response = call(gw, "GET", "/dev/pets", headers=[("Authorization", "Bearer t1")], api="pets")
    assert response.status == 200, response
    assert response.json() == {"path": "/pets"}
    assert events(fake_lambda, "tokenauth") == [
        {"type": "TOKEN", "authorizationToken": "Bearer t1", "methodArn": PETS_ARN + "GET/pets"}]
    authorizer = events(fake_lambda, "pets")[0]["requestContext"]["authorizer"]
    assert authorizer["principalId"] == "user-1"
    assert authorizer["tier"] == "gold" and authorizer["n"] == 7
    assert set(authorizer) <= {"principalId", "integrationLatency", "tier", "n"}, authorizer

    # MOCK templates see $context.authorizer.* (values stringified).
    greeting = call(gw, "GET", "/dev/greeting", headers=[("Authorization", "Bearer t1")], api="pets")
    assert greeting.status == 200 and greeting.json() == {"principal": "user-1", "tier": "gold", "n": "7"}
    # The cached policy (GET/*) covered the second method: still one invocation.
    assert invocations(fake_lambda, "tokenauth") == 1


def test_rest_token_failing_validation_expression_is_401_without_invoking(gateway_factory, fake_lambda):
    fake_lambda.handlers["tokenauth"] = token_authorizer(fake_lambda)
    fake_lambda.handlers["pets"] = pets
    gw = gateway_factory(rest_config(fake_lambda))
    for headers in ([("Authorization", "Basic dXNlcjpwYXNz")], [("Authorization", "Bearer ")], [],
                    [("Authorization", "")]):
        assert_message(call(gw, "GET", "/dev/pets", headers=headers, api="pets"), 401, "Unauthorized",
                       "UnauthorizedException")
    assert invocations(fake_lambda, "tokenauth") == 0
    assert invocations(fake_lambda, "pets") == 0


def test_rest_token_deny_unauthorized_and_malformed(gateway_factory, fake_lambda):
    fake_lambda.handlers["tokenauth"] = token_authorizer(fake_lambda)
    fake_lambda.handlers["pets"] = pets
    gw = gateway_factory(rest_config(fake_lambda, ttl=0))

    denied = call(gw, "GET", "/dev/pets", headers=[("Authorization", "Bearer deny")], api="pets")
    assert_access_denied(denied)
    assert "explicit deny" in denied.body.decode()
    assert denied.all("x-amzn-ErrorType") == ["AccessDeniedException"]
    assert_message(call(gw, "GET", "/dev/pets", headers=[("Authorization", "Bearer throw")], api="pets"),
                   401, "Unauthorized", "UnauthorizedException")
    garbage = call(gw, "GET", "/dev/pets", headers=[("Authorization", "Bearer garbage")], api="pets")
    assert garbage.status == 500, garbage
    assert garbage.all("x-amzn-ErrorType") == ["AuthorizerConfigurationException"]
    assert invocations(fake_lambda, "tokenauth") == 3
    assert invocations(fake_lambda, "pets") == 0


def test_rest_token_cache_applies_the_cached_policy_to_other_methods(gateway_factory, fake_lambda):
    """AWS's documented pitfall: a cached policy whose Resource is one method ARN denies the other methods
    that share the token (403, not re-invoked)."""
    fake_lambda.handlers["tokenauth"] = token_authorizer(fake_lambda)
    fake_lambda.handlers["pets"] = pets
    gw = gateway_factory(rest_config(fake_lambda))
    narrow = [("Authorization", "Bearer narrow")]
    assert call(gw, "GET", "/dev/pets", headers=narrow, api="pets").status == 200
    assert call(gw, "GET", "/dev/pets", headers=narrow, api="pets").status == 200
    assert invocations(fake_lambda, "tokenauth") == 1
    assert_access_denied(call(gw, "GET", "/dev/pets/7", headers=narrow, api="pets"))
    assert invocations(fake_lambda, "tokenauth") == 1
    # A different token is a different cache entry.
    assert call(gw, "GET", "/dev/pets/7", headers=[("Authorization", "Bearer wide")], api="pets").status == 200
    assert invocations(fake_lambda, "tokenauth") == 2
    assert [e["methodArn"] for e in events(fake_lambda, "tokenauth")] == [PETS_ARN + "GET/pets",
                                                                          PETS_ARN + "GET/pets/7"]


def test_rest_request_authorizer_over_http_uri(gateway_factory, fake_lambda, http_authorizer):
    def handler(event):
        user = event["headers"].get("X-User")
        if user == "nobody":
            return 401, {"message": "Unauthorized"}
        if user == "mallory":
            return deny(event)
        return allow(event, principal=user, context={"role": "reader"})
    http_authorizer.handler = handler
    fake_lambda.handlers["pets"] = pets
    gw = gateway_factory(rest_config(fake_lambda, http_auth_url=http_authorizer.url + "/authorize"))

    ok = call(gw, "GET", "/dev/users?page=2", headers=[("X-User", "bob")], api="pets")
    assert ok.status == 200, ok
    [request] = http_authorizer.requests
    assert request["method"] == "POST" and request["path"] == "/authorize"
    assert request["headers"]["Content-Type"].startswith("application/json")
    event = request["event"]
    assert event["type"] == "REQUEST"
    assert event["methodArn"] == PETS_ARN + "GET/users"
    assert event["resource"] == "/users" and event["path"] == "/users" and event["httpMethod"] == "GET"
    assert event["headers"]["X-User"] == "bob"
    assert event["queryStringParameters"] == {"page": "2"}
    assert event["requestContext"]["stage"] == "dev" and event["requestContext"]["apiId"] == "pets"
    authorizer = events(fake_lambda, "pets")[0]["requestContext"]["authorizer"]
    assert authorizer["principalId"] == "bob" and authorizer["role"] == "reader"

    assert_message(call(gw, "GET", "/dev/users", headers=[("X-User", "nobody")], api="pets"), 401, "Unauthorized")
    assert_access_denied(call(gw, "GET", "/dev/users", headers=[("X-User", "mallory")], api="pets"))
    assert len(http_authorizer.requests) == 3
    # Missing identity source: 401 without calling the authorizer.
    assert_message(call(gw, "GET", "/dev/users", api="pets"), 401, "Unauthorized")
    assert len(http_authorizer.requests) == 3
