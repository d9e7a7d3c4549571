"""HTTP_PROXY and AWS_PROXY (Lambda Invoke API) integrations: the exact events and requests backends see."""
import asyncio
import json
import re

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

ID = re.compile(r"^[A-Za-z0-9_-]{15}=$")
CLF = re.compile(r"^\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d \+0000$")


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 30))


def lambda_config(lam, extra_routes=""):
    return """
server: { listen: 127.0.0.1:__PORT__ }
aws: { region: us-east-1, endpoints: { lambda: "%s" } }
apis:
  - id: chat
    protocolType: WEBSOCKET
    routeSelectionExpression: $request.body.action
    stages: [ { name: prod } ]
    routes:
      $connect:    { integration: { type: AWS_PROXY, uri: "arn:aws:lambda:us-east-1:000000000000:function:onconnect" } }
      $disconnect: { integration: { type: AWS_PROXY, uri: "arn:aws:lambda:us-east-1:000000000000:function:ondisconnect" } }
      $default:
        integration: { type: AWS_PROXY, uri: "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:ondefault/invocations" }
        routeResponseSelectionExpression: $default
      fail:        { integration: { type: AWS_PROXY, uri: "arn:aws:lambda:us-east-1:000000000000:function:failing" } }
%s""" % (lam.url, extra_routes)


def test_lambda_connect_message_disconnect_events_are_exact(gateway_factory, fake_lambda):
    fake_lambda.handlers["ondefault"] = lambda e: {"statusCode": 200, "body": "echo:" + e["body"]}
    gw = gateway_factory(lambda_config(fake_lambda))

    async def main():
        async with connect(gw.ws("/prod?room=a&room=b&x=1"), user_agent_header="e2e-agent/1.0",
                           additional_headers={"X-Custom": "v"}) as ws:
            await ws.send('{"action":"hello","n":1}')
            assert await ws.recv() == 'echo:{"action":"hello","n":1}'
            await ws.close(4000, "done")
    run(main())

    connect_event = fake_lambda.wait_event("$connect")
    assert list(connect_event) == ["headers", "multiValueHeaders", "queryStringParameters",
                                   "multiValueQueryStringParameters", "requestContext", "isBase64Encoded"]
    assert connect_event["headers"]["User-Agent"] == "e2e-agent/1.0"
    assert connect_event["headers"]["X-Custom"] == "v"
    assert connect_event["headers"]["Sec-WebSocket-Version"] == "13"
    assert connect_event["multiValueHeaders"]["X-Custom"] == ["v"]
    assert connect_event["queryStringParameters"] == {"room": "b", "x": "1"}
    assert connect_event["multiValueQueryStringParameters"] == {"room": ["a", "b"], "x": ["1"]}
    rc = connect_event["requestContext"]
    assert list(rc) == ["routeKey", "eventType", "extendedRequestId", "requestTime", "messageDirection", "stage",
                        "connectedAt", "requestTimeEpoch", "identity", "requestId", "domainName", "connectionId",
                        "apiId"]
    assert rc["routeKey"] == "$connect" and rc["eventType"] == "CONNECT" and rc["messageDirection"] == "IN"
    assert rc["stage"] == "prod" and rc["apiId"] == "chat" and rc["domainName"] == "127.0.0.1"
    assert rc["identity"] == {"userAgent": "e2e-agent/1.0", "sourceIp": "127.0.0.1"}
    assert CLF.match(rc["requestTime"]) and ID.match(rc["requestId"]) and rc["requestId"] == rc["extendedRequestId"]
    assert ID.match(rc["connectionId"]) and isinstance(rc["connectedAt"], int) and connect_event["isBase64Encoded"] is False
    connection_id = rc["connectionId"]

    message = fake_lambda.wait_event("$default")
    assert list(message) == ["requestContext", "body", "isBase64Encoded"]
    assert message["body"] == '{"action":"hello","n":1}'
    mrc = message["requestContext"]
    assert list(mrc) == ["routeKey", "messageId", "eventType", "extendedRequestId", "requestTime", "messageDirection",
                         "stage", "connectedAt", "requestTimeEpoch", "identity", "requestId", "domainName",
                         "connectionId", "apiId"]
    assert mrc["eventType"] == "MESSAGE" and ID.match(mrc["messageId"]) and mrc["connectionId"] == connection_id
    assert mrc["connectedAt"] == rc["connectedAt"] and mrc["requestTimeEpoch"] >= rc["connectedAt"]

    disconnect = fake_lambda.wait_event("$disconnect")
    assert list(disconnect) == ["headers", "multiValueHeaders", "requestContext", "isBase64Encoded"]
    assert disconnect["headers"] == {"Host": "127.0.0.1", "x-api-key": "", "X-Forwarded-For": "", "x-restapi": ""}
    drc = disconnect["requestContext"]
    assert list(drc) == ["routeKey", "disconnectStatusCode", "eventType", "extendedRequestId", "requestTime",
                         "messageDirection", "disconnectReason", "stage", "connectedAt", "requestTimeEpoch",
                         "identity", "requestId", "domainName", "connectionId", "apiId"]
    assert drc["disconnectStatusCode"] == 4000 and drc["disconnectReason"] == "done"
    assert drc["connectionId"] == connection_id and drc["eventType"] == "DISCONNECT"


def test_lambda_connect_status_and_subprotocol_pass_through(gateway_factory, fake_lambda):
    def on_connect(event):
        token = event.get("queryStringParameters", {}).get("token")
        if token != "ok":
            return {"statusCode": 401, "body": '{"message":"no"}'}
        return {"statusCode": 200, "headers": {"Sec-WebSocket-Protocol": "chat.v2"}}
    fake_lambda.handlers["onconnect"] = on_connect
    gw = gateway_factory(lambda_config(fake_lambda))

    async def main():
        with pytest.raises(InvalidStatus) as info:
            async with connect(gw.ws("/prod?token=bad")):
                pass
        assert info.value.response.status_code == 401
        assert info.value.response.body == b'{"message":"no"}'
        async with connect(gw.ws("/prod?token=ok"), subprotocols=["chat.v2"]) as ws:
            assert ws.subprotocol == "chat.v2"
    run(main())


def test_lambda_function_error_sends_internal_server_error_frame(gateway_factory, fake_lambda):
    def failing(event):
        raise fake_lambda.FunctionError("boom")
    fake_lambda.handlers["failing"] = failing
    gw = gateway_factory(lambda_config(fake_lambda))

    async def main():
        async with connect(gw.ws("/prod")) as ws:
            await ws.send('{"action":"fail"}')
            frame = await ws.recv()
            assert re.fullmatch(r'\{"message": "Internal server error", "connectionId":"[A-Za-z0-9_-]{15}=", '
                                r'"requestId":"[A-Za-z0-9_-]{15}="\}', frame), frame
    run(main())


def test_lambda_crash_on_connect_is_502_and_unreachable_backend_too(gateway_factory, fake_lambda):
    def crash(event):
        raise fake_lambda.FunctionError("crash")
    fake_lambda.handlers["onconnect"] = crash
    gw = gateway_factory(lambda_config(fake_lambda))

    async def main():
        with pytest.raises(InvalidStatus) as info:
            async with connect(gw.ws("/prod")):
                pass
        assert info.value.response.status_code == 502
    run(main())


def test_connect_integration_timeout_is_504(gateway_factory, backend):
    import time

    def slow(req):
        time.sleep(1.0)
        return 200, {}, b""
    backend.respond = slow
    gw = gateway_factory("""
server: { listen: 127.0.0.1:__PORT__ }
apis:
  - id: chat
    protocolType: WEBSOCKET
    routeSelectionExpression: $request.body.action
    stages: [ { name: dev } ]
    routes:
      $connect: { integration: { type: HTTP_PROXY, uri: "%s/connect", timeoutInMillis: 200 } }
""" % backend.url)

    async def main():
        with pytest.raises(InvalidStatus) as info:
            async with connect(gw.ws("/dev")):
                pass
        assert info.value.response.status_code == 504
    run(main())


def test_http_proxy_routes_forward_body_mapped_parameters_and_stage_variables(gateway_factory, backend):
    def respond(req):
        if req["path"].startswith("/connect"):
            return 200, {}, b""
        return 200, {"Content-Type": "application/json"}, b'{"reply":"from backend"}'
    backend.respond = respond
    gw = gateway_factory("""
server: { listen: 127.0.0.1:__PORT__ }
apis:
  - id: chat
    protocolType: WEBSOCKET
    routeSelectionExpression: $request.body.action
    stages: [ { name: dev, stageVariables: { backend: "%s" } } ]
    routes:
      $connect:
        integration:
          type: HTTP_PROXY
          uri: "${stageVariables.backend}/connect"
          requestParameters:
            integration.request.header.connectionId: context.connectionId
            integration.request.querystring.token: route.request.querystring.token
      sendmessage:
        integration:
          type: HTTP_PROXY
          uri: "${stageVariables.backend}/messages"
          requestParameters:
            integration.request.header.connectionId: context.connectionId
            integration.request.header.X-Room: route.request.body.room
            integration.request.header.X-Static: "'fixed'"
        routeResponseSelectionExpression: $default
""" % backend.url)

    async def main():
        async with connect(gw.ws("/dev?token=t1"), additional_headers={"X-Client": "c"}) as ws:
            await ws.send('{"action":"sendmessage","room":"r9","text":"hi"}')
            assert await ws.recv() == '{"reply":"from backend"}'
    run(main())
    connect_req = backend.wait_for(lambda r: r["path"].startswith("/connect"))[0]
    assert connect_req["path"] == "/connect?token=t1"
    assert connect_req["headers"]["X-Client"] == "c" and ID.match(connect_req["headers"]["connectionId"])
    message_req = backend.wait_for(lambda r: r["path"] == "/messages")[0]
    assert message_req["method"] == "POST" and message_req["body"] == b'{"action":"sendmessage","room":"r9","text":"hi"}'
    assert message_req["headers"]["connectionId"] == connect_req["headers"]["connectionId"]
    assert message_req["headers"]["X-Room"] == "r9" and message_req["headers"]["X-Static"] == "fixed"


def test_http_backend_error_status_rejects_the_handshake_with_that_status(gateway_factory, backend):
    backend.respond = lambda req: (429, {"Content-Type": "text/plain"}, b"slow down")
    gw = gateway_factory("""
server: { listen: 127.0.0.1:__PORT__ }
apis:
  - id: chat
    protocolType: WEBSOCKET
    routeSelectionExpression: $request.body.action
    stages: [ { name: dev } ]
    routes:
      $connect: { integration: { type: HTTP_PROXY, uri: "%s/connect" } }
""" % backend.url)

    async def main():
        with pytest.raises(InvalidStatus) as info:
            async with connect(gw.ws("/dev")):
                pass
        assert info.value.response.status_code == 429 and info.value.response.body == b"slow down"
    run(main())


def test_unreachable_http_backend_on_a_message_route_sends_internal_server_error(gateway_factory):
    gw = gateway_factory("""
server: { listen: 127.0.0.1:__PORT__ }
apis:
  - id: chat
    protocolType: WEBSOCKET
    routeSelectionExpression: $request.body.action
    stages: [ { name: dev } ]
    routes:
      $default: { integration: { type: HTTP_PROXY, uri: "http://127.0.0.1:9/nothing" } }
""")

    async def main():
        async with connect(gw.ws("/dev")) as ws:
            await ws.send("anything")
            assert '"message": "Internal server error"' in await ws.recv()
    run(main())


def test_lambda_requests_are_sigv4_signed_when_credentials_are_configured(gateway_factory, fake_lambda):
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    gw = gateway_factory(lambda_config(fake_lambda).replace(
        "aws: { region: us-east-1,", 'aws: { credentials: { accessKeyId: AKIDTEST, secretAccessKey: "sekret/KEY" }, region: us-east-1,'))

    async def main():
        async with connect(gw.ws("/prod")) as ws:
            await ws.send("x")
            await ws.recv()
    run(main())
    req = fake_lambda.wait_for(lambda r: r.get("function") == "ondefault")[0]
    auth = req["headers"]["Authorization"]
    assert auth.startswith("AWS4-HMAC-SHA256 Credential=AKIDTEST/") and "/us-east-1/lambda/aws4_request" in auth
    # Re-sign the same request with botocore and compare signatures.
    signed_names = re.search(r"SignedHeaders=([^,]+)", auth).group(1).split(";")
    headers = {k: v for k, v in req["header_list"] if k.lower() in signed_names and k.lower() != "host"}
    aws_request = AWSRequest(method="POST", url=fake_lambda.url + req["path"], data=req["body"], headers=headers)
    # Sign at the gateway's X-Amz-Date with botocore's own steps (add_auth would take botocore's clock, which
    # differs from the gateway's whenever a second boundary falls between the two).
    aws_request.context["timestamp"] = req["headers"]["X-Amz-Date"]
    signer = SigV4Auth(Credentials("AKIDTEST", "sekret/KEY"), "lambda", "us-east-1")
    canonical = signer.canonical_request(aws_request)
    expected = signer.signature(signer.string_to_sign(aws_request, canonical), aws_request)
    assert re.search(r"Signature=([0-9a-f]+)", auth).group(1) == expected
