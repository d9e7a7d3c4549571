"""The `@connections` management API, driven by the clients real backends use: boto3's
`apigatewaymanagementapi`, raw HTTP (urllib / http.client) and the AWS CLI.

AWS reference: /work/shared/reference/aws-websocket.md §2 (HTTP surface, botocore model, how boto3 forms
requests, SigV4 double-encoding, error shapes)."""
import asyncio
import base64
import datetime
import http.client
import json
import os
import subprocess
import tempfile
import time
import urllib.parse

import pytest
from botocore.exceptions import ClientError

from helpers_mgmt import (ACCESS_KEY, IAM_CONFIG, MAPPED_CONFIG, SECRET_KEY, SINGLE_API_CONFIG, STEP_TIMEOUT,
                          USER_AGENT, assert_aws_error, connect_with_id, http_request, mgmt_client, open_client,
                          recv_bytes, run, wait_closed, whoami)

MAX_POST = 131072
UNKNOWN_ID = "ZZZZZZZZZZZZZZZ="  # syntactically a connection id, never issued

# Bytes a text frame may carry, with everything that could be mangled on the way: multi-byte UTF-8,
# JSON-significant characters, whitespace, a '%' that must not be percent-decoded, and trailing newline.
PAYLOAD = ('{"msg": "h\u00e9llo \u2603 \U0001F680", "path": "/a%40b?c=d&e", "tab": "\t"}\n').encode("utf-8")


def disconnect_config(lambda_url, base=SINGLE_API_CONFIG):
    """`base` plus `$disconnect` → AWS_PROXY on the fake Lambda."""
    text = base.replace(
        "    routes:\n",
        "    routes:\n"
        "      $disconnect:\n"
        "        integration: { type: AWS_PROXY, uri: 'arn:aws:lambda:us-east-1:000000000000:function:ondisconnect' }\n",
        1)
    return text + "aws:\n  region: us-east-1\n  endpoints: { lambda: %s }\n" % lambda_url


async def assert_next_is(ws, expected):
    """The next message is exactly `expected` — proves nothing else was queued before it."""
    got = await recv_bytes(ws)
    assert got == expected


def aws_call(fn, *args, **kwargs):
    """A blocking boto3 call, off the event loop (the WebSocket clients must keep running meanwhile)."""
    return asyncio.to_thread(fn, *args, **kwargs)


# ---------------------------------------------------------------------------------------------------------
# boto3, endpoint = the stage URL (single API, no mapping)
# ---------------------------------------------------------------------------------------------------------

def test_post_to_connection_delivers_exact_bytes_to_the_right_client(gateway_factory):
    gw = gateway_factory(SINGLE_API_CONFIG)
    client = mgmt_client(gw.http("/dev"))

    async def body():
        a, a_id = await connect_with_id(gw.ws("/dev"))
        b, b_id = await connect_with_id(gw.ws("/dev"))
        assert a_id != b_id
        for cid in (a_id, b_id):
            assert len(cid) == 16 and cid.endswith("="), cid

        resp = await aws_call(client.post_to_connection, ConnectionId=a_id, Data=PAYLOAD)
        assert resp["ResponseMetadata"]["HTTPStatusCode"] == 200
        await assert_next_is(a, PAYLOAD)

        # str data is UTF-8 encoded by boto3; delivered verbatim
        await aws_call(client.post_to_connection, ConnectionId=a_id, Data="plain text \u00fc")
        await assert_next_is(a, "plain text \u00fc".encode())

        # B got none of A's messages: its first message is the marker posted to it now.
        marker = b"for-b-only"
        await aws_call(client.post_to_connection, ConnectionId=b_id, Data=marker)
        await assert_next_is(b, marker)
        # ... and A got nothing of B's.
        await aws_call(client.post_to_connection, ConnectionId=a_id, Data=b"a-again")
        await assert_next_is(a, b"a-again")
        await a.close()
        await b.close()

    run(body())


def test_post_preserves_order_of_consecutive_posts(gateway_factory):
    gw = gateway_factory(SINGLE_API_CONFIG)
    client = mgmt_client(gw.http("/dev"))

    async def body():
        ws, cid = await connect_with_id(gw.ws("/dev"))
        for i in range(20):
            await aws_call(client.post_to_connection, ConnectionId=cid, Data=b"m%d" % i)
        for i in range(20):
            await assert_next_is(ws, b"m%d" % i)
        await ws.close()

    run(body())


def test_get_connection_returns_times_and_identity(gateway_factory):
    gw = gateway_factory(SINGLE_API_CONFIG)
    client = mgmt_client(gw.http("/dev"))

    async def body():
        before = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=5)
        ws, cid = await connect_with_id(gw.ws("/dev"))
        resp = await aws_call(client.get_connection, ConnectionId=cid)
        after = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=5)
        assert resp["ResponseMetadata"]["HTTPStatusCode"] == 200
        connected, last = resp["ConnectedAt"], resp["LastActiveAt"]
        assert isinstance(connected, datetime.datetime) and isinstance(last, datetime.datetime)
        assert connected.tzinfo is not None and last.tzinfo is not None
        assert before <= connected <= after, connected
        assert before <= last <= after, last
        assert connected <= last
        assert resp["Identity"] == {"SourceIp": "127.0.0.1", "UserAgent": USER_AGENT}

        # The wire form is exactly the model's: connectedAt, identity{sourceIp,userAgent}, lastActiveAt.
        status, headers, raw = await asyncio.to_thread(http_request, "GET", gw.http("/dev/@connections/" + cid))
        assert status == 200
        doc = json.loads(raw)
        assert set(doc) == {"connectedAt", "identity", "lastActiveAt"}
        assert doc["identity"] == {"sourceIp": "127.0.0.1", "userAgent": USER_AGENT}
        assert "json" in (headers.get("Content-Type") or "")
        await ws.close()

    run(body())


def test_last_active_at_advances_when_the_client_sends(gateway_factory):
    gw = gateway_factory(SINGLE_API_CONFIG)
    client = mgmt_client(gw.http("/dev"))

    async def body():
        ws, cid = await connect_with_id(gw.ws("/dev"))
        first = await aws_call(client.get_connection, ConnectionId=cid)
        deadline = time.monotonic() + 5
        while True:
            await whoami(ws)  # client activity
            now = await aws_call(client.get_connection, ConnectionId=cid)
            if now["LastActiveAt"] > first["LastActiveAt"]:
                break
            assert time.monotonic() < deadline, "lastActiveAt never moved past %s" % first["LastActiveAt"]
        assert now["ConnectedAt"] == first["ConnectedAt"]
        await ws.close()

    run(body())


def test_get_connection_identity_is_per_client(gateway_factory):
    gw = gateway_factory(SINGLE_API_CONFIG)
    client = mgmt_client(gw.http("/dev"))

    async def body():
        a, a_id = await connect_with_id(gw.ws("/dev"), user_agent="agent-A/1")
        b, b_id = await connect_with_id(gw.ws("/dev"), user_agent="agent-B/2")
        ra = await aws_call(client.get_connection, ConnectionId=a_id)
        rb = await aws_call(client.get_connection, ConnectionId=b_id)
        assert ra["Identity"]["UserAgent"] == "agent-A/1"
        assert rb["Identity"]["UserAgent"] == "agent-B/2"
        await a.close()
        await b.close()

    run(body())


def test_delete_connection_closes_client_runs_disconnect_then_gone(gateway_factory, fake_lambda):
    gw = gateway_factory(disconnect_config(fake_lambda.url))
    client = mgmt_client(gw.http("/dev"))

    async def body():
        ws, cid = await connect_with_id(gw.ws("/dev"))
        other, other_id = await connect_with_id(gw.ws("/dev"))
        resp = await aws_call(client.delete_connection, ConnectionId=cid)
        assert resp["ResponseMetadata"]["HTTPStatusCode"] == 204
        # Gone at once, even before the client has seen the close.
        with pytest.raises(client.exceptions.GoneException):
            await aws_call(client.post_to_connection, ConnectionId=cid, Data=b"right after delete")
        code, _reason = await wait_closed(ws)
        assert code == 1000

        event = await asyncio.to_thread(fake_lambda.wait_event, "$disconnect")
        assert event["requestContext"]["eventType"] == "DISCONNECT"
        assert event["requestContext"]["connectionId"] == cid

        with pytest.raises(client.exceptions.GoneException):
            await aws_call(client.post_to_connection, ConnectionId=cid, Data=b"too late")
        with pytest.raises(client.exceptions.GoneException):
            await aws_call(client.get_connection, ConnectionId=cid)
        with pytest.raises(client.exceptions.GoneException):
            await aws_call(client.delete_connection, ConnectionId=cid)

        # The other client is untouched.
        await aws_call(client.post_to_connection, ConnectionId=other_id, Data=b"still here")
        await assert_next_is(other, b"still here")
        await other.close()

    run(body())


def test_unknown_connection_id_is_gone(gateway_factory):
    gw = gateway_factory(SINGLE_API_CONFIG)
    client = mgmt_client(gw.http("/dev"))
    for call in (lambda: client.post_to_connection(ConnectionId=UNKNOWN_ID, Data=b"x"),
                 lambda: client.get_connection(ConnectionId=UNKNOWN_ID),
                 lambda: client.delete_connection(ConnectionId=UNKNOWN_ID),
                 lambda: client.post_to_connection(ConnectionId="not-an-id-at-all", Data=b"x")):
        with pytest.raises(client.exceptions.GoneException) as info:
            call()
        assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 410
        assert info.value.response["Error"]["Code"] == "GoneException"


def test_payload_limit_is_131072_bytes(gateway_factory):
    gw = gateway_factory(SINGLE_API_CONFIG)
    client = mgmt_client(gw.http("/dev"))

    async def body():
        ws, cid = await connect_with_id(gw.ws("/dev"))
        with pytest.raises(client.exceptions.PayloadTooLargeException) as info:
            await aws_call(client.post_to_connection, ConnectionId=cid, Data=b"x" * (MAX_POST + 1))
        assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 413
        # Exactly the limit is accepted and delivered whole; the refused one was never delivered.
        big = (b"0123456789abcdef" * (MAX_POST // 16))
        assert len(big) == MAX_POST
        await aws_call(client.post_to_connection, ConnectionId=cid, Data=big)
        await assert_next_is(ws, big)
        await ws.close()

    run(body())


def test_oversize_post_to_unknown_id_is_still_an_aws_error(gateway_factory):
    gw = gateway_factory(SINGLE_API_CONFIG)
    client = mgmt_client(gw.http("/dev"))
    with pytest.raises(ClientError) as info:
        client.post_to_connection(ConnectionId=UNKNOWN_ID, Data=b"x" * (MAX_POST + 1))
    assert info.value.response["Error"]["Code"] in ("PayloadTooLargeException", "GoneException")


def test_post_during_connect_is_gone(gateway_factory, fake_lambda):
    """AWS: postToConnection from the `$connect` integration fails with 410 (the connection does not exist yet)."""
    config = SINGLE_API_CONFIG.replace(
        """      $connect:
        integration: { type: MOCK, requestTemplates: { $default: '{"statusCode": 200}' } }""",
        """      $connect:
        integration: { type: AWS_PROXY, uri: 'arn:aws:lambda:us-east-1:000000000000:function:onconnect' }""")
    config += "aws:\n  region: us-east-1\n  endpoints: { lambda: %s }\n" % fake_lambda.url
    outcome = {}

    def onconnect(event):
        cid = event["requestContext"]["connectionId"]
        outcome["id"] = cid
        try:
            outcome["client"].post_to_connection(ConnectionId=cid, Data=b"too early")
            outcome["result"] = "delivered"
        except outcome["client"].exceptions.GoneException:
            outcome["result"] = "gone"
        except Exception as e:  # noqa: BLE001 - recorded for the assertion message
            outcome["result"] = repr(e)
        return {"statusCode": 200}

    fake_lambda.handlers["onconnect"] = onconnect
    gw = gateway_factory(config)
    outcome["client"] = mgmt_client(gw.http("/dev"))

    async def body():
        ws, cid = await connect_with_id(gw.ws("/dev"))  # whoami is the first message: nothing came before
        assert outcome.get("result") == "gone", outcome.get("result")
        assert outcome["id"] == cid
        await aws_call(outcome["client"].post_to_connection, ConnectionId=cid, Data=b"now")
        await assert_next_is(ws, b"now")
        await ws.close()

    run(body())


@pytest.mark.parametrize("queue_setting", ["    webSocket: { outboundQueueBytes: 65536 }\n", ""],
                         ids=["outboundQueueBytes-65536", "default-4MiB"])
def test_slow_client_gets_limit_exceeded(gateway_factory, queue_setting):
    """A client that stops reading fills its outbound queue; posts then answer 429 LimitExceededException
    (AWS: "the WebSocket client side buffer is full"), instead of buffering without bound."""
    config = SINGLE_API_CONFIG.replace("    stages:\n", queue_setting + "    stages:\n", 1)
    gw = gateway_factory(config)
    client = mgmt_client(gw.http("/dev"))
    # Random base64 text: valid UTF-8 for a text frame, and (nearly) incompressible, so permessage-deflate
    # cannot shrink what the queue holds.
    chunk = base64.b64encode(os.urandom(MAX_POST * 3 // 4))
    assert len(chunk) == MAX_POST
    attempts = 400  # 52 MB: far beyond the queue bound plus every kernel socket buffer

    async def body():
        # max_queue=1: the client library stops reading the socket once one message is waiting.
        ws, cid = await connect_with_id(gw.ws("/dev"), max_queue=1)
        accepted = 0
        limited = False
        for _ in range(attempts):
            try:
                await aws_call(client.post_to_connection, ConnectionId=cid, Data=chunk)
                accepted += 1
            except client.exceptions.LimitExceededException as e:
                assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 429
                limited = True
                break
        assert limited, "%d posts of %d bytes to a client that reads nothing were all accepted" % (accepted, MAX_POST)
        # Everything accepted is delivered, whole and in order, once the client reads again.
        for _ in range(accepted):
            await assert_next_is(ws, chunk)
        await aws_call(client.post_to_connection, ConnectionId=cid, Data=b"after drain")
        await assert_next_is(ws, b"after drain")
        await ws.close()

    run(body(), timeout=120)


# ---------------------------------------------------------------------------------------------------------
# Raw HTTP: both spellings of the path, and the error format
# ---------------------------------------------------------------------------------------------------------

def test_raw_percent_40_and_at_sign_paths(gateway_factory):
    gw = gateway_factory(SINGLE_API_CONFIG)

    async def body():
        ws, cid = await connect_with_id(gw.ws("/dev"))
        encoded_id = urllib.parse.quote(cid, safe="")
        assert "%3D" in encoded_id

        # awscurl / the AWS docs form: %40connections, id with %3D
        status, _h, out = await asyncio.to_thread(
            http_request, "POST", gw.http("/dev/%40connections/" + encoded_id), b"via-%40")
        assert status == 200, out
        await assert_next_is(ws, b"via-%40")

        # boto3's form: literal @, id with %3D
        status, _h, out = await asyncio.to_thread(
            http_request, "POST", gw.http("/dev/@connections/" + encoded_id), b"via-@-encoded-id")
        assert status == 200, out
        await assert_next_is(ws, b"via-@-encoded-id")

        # a hand-written form: literal @ and a raw '='
        status, _h, out = await asyncio.to_thread(
            http_request, "POST", gw.http("/dev/@connections/" + cid), b"via-@-raw-id")
        assert status == 200, out
        await assert_next_is(ws, b"via-@-raw-id")

        for path in ("/dev/%40connections/" + encoded_id, "/dev/@connections/" + cid):
            status, _h, out = await asyncio.to_thread(http_request, "GET", gw.http(path))
            assert status == 200, (path, out)
            assert json.loads(out)["identity"]["sourceIp"] == "127.0.0.1"

        # Errors: status, x-amzn-ErrorType and a JSON {"message": …} body, in both spellings.
        for path in ("/dev/%40connections/ZZZZZZZZZZZZZZZ%3D", "/dev/@connections/ZZZZZZZZZZZZZZZ="):
            for method, data in (("POST", b"x"), ("GET", None), ("DELETE", None)):
                status, headers, out = await asyncio.to_thread(http_request, method, gw.http(path), data)
                assert_aws_error(status, headers, out, 410, "GoneException")

        status, headers, out = await asyncio.to_thread(
            http_request, "POST", gw.http("/dev/%40connections/" + encoded_id), b"y" * (MAX_POST + 1))
        assert_aws_error(status, headers, out, 413, "PayloadTooLargeException")

        # DELETE in the %40 form closes the client with 1000.
        status, _h, out = await asyncio.to_thread(
            http_request, "DELETE", gw.http("/dev/%40connections/" + encoded_id))
        assert status == 204, out
        assert out == b""
        code, _ = await wait_closed(ws)
        assert code == 1000

    run(body())


# ---------------------------------------------------------------------------------------------------------
# Domain mapping: endpoint = the mapping URL (no stage segment)
# ---------------------------------------------------------------------------------------------------------

def test_mapping_url_post_get_delete(gateway_factory):
    gw = gateway_factory(MAPPED_CONFIG)
    client = mgmt_client(gw.http("/chat"))

    async def body():
        a, a_id = await connect_with_id(gw.ws("/chat"))
        b, b_id = await connect_with_id(gw.ws("/chat"))
        await aws_call(client.post_to_connection, ConnectionId=a_id, Data=PAYLOAD)
        await assert_next_is(a, PAYLOAD)
        await aws_call(client.post_to_connection, ConnectionId=b_id, Data=b"b")
        await assert_next_is(b, b"b")

        resp = await aws_call(client.get_connection, ConnectionId=a_id)
        assert resp["Identity"] == {"SourceIp": "127.0.0.1", "UserAgent": USER_AGENT}
        assert isinstance(resp["ConnectedAt"], datetime.datetime)
        assert isinstance(resp["LastActiveAt"], datetime.datetime)

        resp = await aws_call(client.delete_connection, ConnectionId=a_id)
        assert resp["ResponseMetadata"]["HTTPStatusCode"] == 204
        code, _ = await wait_closed(a)
        assert code == 1000
        with pytest.raises(client.exceptions.GoneException):
            await aws_call(client.post_to_connection, ConnectionId=a_id, Data=b"late")
        with pytest.raises(client.exceptions.GoneException):
            await aws_call(client.get_connection, ConnectionId=UNKNOWN_ID)
        with pytest.raises(client.exceptions.PayloadTooLargeException):
            await aws_call(client.post_to_connection, ConnectionId=b_id, Data=b"z" * (MAX_POST + 1))

        # raw %40 form below the mapping key
        status, headers, out = await asyncio.to_thread(
            http_request, "GET", gw.http("/chat/%40connections/" + urllib.parse.quote(UNKNOWN_ID, safe="")))
        assert_aws_error(status, headers, out, 410, "GoneException")
        await b.close()

    run(body())


def test_root_mapping_has_no_stage_segment(gateway_factory):
    """A mapping with an empty key maps the root: endpoint `https://domain` and `/@connections/{id}` (§2.1)."""
    gw = gateway_factory(MAPPED_CONFIG.replace("apiMappingKey: chat", 'apiMappingKey: ""'))
    client = mgmt_client(gw.http(""))

    async def body():
        ws, cid = await connect_with_id(gw.ws("/"))
        await aws_call(client.post_to_connection, ConnectionId=cid, Data=b"root")
        await assert_next_is(ws, b"root")
        resp = await aws_call(client.get_connection, ConnectionId=cid)
        assert resp["Identity"]["SourceIp"] == "127.0.0.1"
        with pytest.raises(client.exceptions.GoneException):
            await aws_call(client.get_connection, ConnectionId=UNKNOWN_ID)
        await ws.close()

    run(body())


@pytest.mark.parametrize("config,base", [(SINGLE_API_CONFIG, ""), (SINGLE_API_CONFIG, "/nope"),
                                         (MAPPED_CONFIG, ""), (MAPPED_CONFIG, "/nope")],
                         ids=["single-missing-stage", "single-wrong-stage", "mapped-missing-key", "mapped-wrong-key"])
def test_wrong_endpoint_is_forbidden(gateway_factory, config, base):
    """AWS answers a management call on a wrong endpoint (missing or unknown stage / base path) with
    403 ForbiddenException, which is what SDK users see (reference §2.4)."""
    gw = gateway_factory(config)
    client = mgmt_client(gw.http(base))
    with pytest.raises(client.exceptions.ForbiddenException):
        client.post_to_connection(ConnectionId=UNKNOWN_ID, Data=b"x")
    status, headers, out = http_request("GET", gw.http(base + "/%40connections/ZZZZZZZZZZZZZZZ%3D"))
    assert_aws_error(status, headers, out, 403, "ForbiddenException")


def test_host_header_selects_api_when_several_apis(gateway_factory):
    """`{apiId}.execute-api.<anything>` selects the API; the stage is then the first path segment."""
    second = SINGLE_API_CONFIG.replace("  - id: chat\n", "  - id: other\n", 1)
    config = SINGLE_API_CONFIG + second[second.index("  - id: other"):]
    gw = gateway_factory(config)

    async def connect_host(api):
        ws = await open_client("ws://%s.execute-api.localhost:%d/dev" % (api, gw.port),
                               host="127.0.0.1", port=gw.port)
        return ws, await whoami(ws)

    def raw(method, api, path, data=None):
        conn = http.client.HTTPConnection("127.0.0.1", gw.port, timeout=STEP_TIMEOUT)
        try:
            conn.putrequest(method, path, skip_host=True)
            conn.putheader("Host", "%s.execute-api.localhost:%d" % (api, gw.port))
            conn.putheader("Content-Length", str(len(data or b"")))
            conn.endheaders(data)
            resp = conn.getresponse()
            return resp.status, resp.headers, resp.read()
        finally:
            conn.close()

    async def body():
        chat, chat_id = await connect_host("chat")
        other, other_id = await connect_host("other")
        status, _h, out = await asyncio.to_thread(raw, "POST", "chat", "/dev/@connections/" + urllib.parse.quote(chat_id, safe=""), b"to-chat")
        assert status == 200, out
        await assert_next_is(chat, b"to-chat")
        status, _h, out = await asyncio.to_thread(raw, "POST", "other", "/dev/%40connections/" + urllib.parse.quote(other_id, safe=""), b"to-other")
        assert status == 200, out
        await assert_next_is(other, b"to-other")
        # A connection of API `other` is not reachable through API `chat`'s management endpoint.
        status, headers, out = await asyncio.to_thread(raw, "POST", "chat", "/dev/@connections/" + urllib.parse.quote(other_id, safe=""), b"x")
        assert_aws_error(status, headers, out, 410, "GoneException")
        await chat.close()
        await other.close()

    run(body())


# ---------------------------------------------------------------------------------------------------------
# @broadcast (Switchboard extension)
# ---------------------------------------------------------------------------------------------------------

def test_broadcast_reaches_every_client_of_the_stage_only(gateway_factory):
    gw = gateway_factory(SINGLE_API_CONFIG)
    client = mgmt_client(gw.http("/dev"))

    async def body():
        devs = [await connect_with_id(gw.ws("/dev")) for _ in range(3)]
        prod, prod_id = await connect_with_id(gw.ws("/prod"))
        status, _h, out = await asyncio.to_thread(http_request, "POST", gw.http("/dev/@broadcast"), PAYLOAD)
        assert status == 200, out
        assert json.loads(out) == {"delivered": 3}
        for ws, _ in devs:
            await assert_next_is(ws, PAYLOAD)
        # The prod client got nothing: its next message is one posted to it directly.
        prod_client = mgmt_client(gw.http("/prod"))
        await aws_call(prod_client.post_to_connection, ConnectionId=prod_id, Data=b"prod-only")
        await assert_next_is(prod, b"prod-only")

        # After one client leaves, the count follows.
        await aws_call(client.delete_connection, ConnectionId=devs[0][1])
        await wait_closed(devs[0][0])
        status, _h, out = await asyncio.to_thread(http_request, "POST", gw.http("/dev/%40broadcast"), b"second")
        assert status == 200, out
        assert json.loads(out) == {"delivered": 2}
        for ws, _ in devs[1:]:
            await assert_next_is(ws, b"second")

        status, headers, out = await asyncio.to_thread(http_request, "POST", gw.http("/dev/@broadcast"), b"b" * (MAX_POST + 1))
        assert_aws_error(status, headers, out, 413, "PayloadTooLargeException")
        for ws, _ in devs[1:]:
            await ws.close()
        await prod.close()

    run(body())


def test_broadcast_through_mapping_url(gateway_factory):
    gw = gateway_factory(MAPPED_CONFIG)

    async def body():
        clients = [await open_client(gw.ws("/chat")) for _ in range(3)]
        status, _h, out = await asyncio.to_thread(http_request, "POST", gw.http("/chat/@broadcast"), b"hello all")
        assert status == 200, out
        assert json.loads(out) == {"delivered": 3}
        for ws in clients:
            await assert_next_is(ws, b"hello all")
            await ws.close()

    run(body())


# ---------------------------------------------------------------------------------------------------------
# managementApi.auth: AWS_IAM (SigV4 exactly as botocore signs, service execute-api)
# ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("base", ["/dev", "/chat"], ids=["stage-url", "mapping-url"])
def test_iam_correct_credentials_succeed(gateway_factory, base):
    gw = gateway_factory(IAM_CONFIG)
    client = mgmt_client(gw.http(base), ACCESS_KEY, SECRET_KEY)

    async def body():
        ws, cid = await connect_with_id(gw.ws(base))
        # every real id ends in '=', so this exercises the double-encoded canonical URI (%253D)
        await aws_call(client.post_to_connection, ConnectionId=cid, Data=PAYLOAD)
        await assert_next_is(ws, PAYLOAD)
        resp = await aws_call(client.get_connection, ConnectionId=cid)
        assert resp["Identity"]["SourceIp"] == "127.0.0.1"
        with pytest.raises(client.exceptions.GoneException):
            await aws_call(client.get_connection, ConnectionId=UNKNOWN_ID)
        resp = await aws_call(client.delete_connection, ConnectionId=cid)
        assert resp["ResponseMetadata"]["HTTPStatusCode"] == 204
        code, _ = await wait_closed(ws)
        assert code == 1000

    run(body())


def test_iam_wrong_secret_is_forbidden(gateway_factory):
    gw = gateway_factory(IAM_CONFIG)
    bad = mgmt_client(gw.http("/dev"), ACCESS_KEY, SECRET_KEY + "x")
    good = mgmt_client(gw.http("/dev"), ACCESS_KEY, SECRET_KEY)

    async def body():
        ws, cid = await connect_with_id(gw.ws("/dev"))
        for call in (lambda: bad.post_to_connection(ConnectionId=cid, Data=b"nope"),
                     lambda: bad.get_connection(ConnectionId=cid),
                     lambda: bad.delete_connection(ConnectionId=cid),
                     lambda: bad.get_connection(ConnectionId=UNKNOWN_ID)):
            with pytest.raises(bad.exceptions.ForbiddenException) as info:
                await asyncio.to_thread(call)
            assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
        # Nothing leaked through: the connection is still open and its first message is the good one.
        await aws_call(good.post_to_connection, ConnectionId=cid, Data=b"good")
        await assert_next_is(ws, b"good")
        await ws.close()

    run(body())


def test_iam_unknown_access_key_is_forbidden(gateway_factory):
    gw = gateway_factory(IAM_CONFIG)
    bad = mgmt_client(gw.http("/dev"), "AKIDNOTCONFIGURED", SECRET_KEY)
    with pytest.raises(ClientError) as info:
        bad.get_connection(ConnectionId=UNKNOWN_ID)
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_iam_unsigned_request_is_403(gateway_factory):
    gw = gateway_factory(IAM_CONFIG)

    async def body():
        ws, cid = await connect_with_id(gw.ws("/dev"))
        encoded = urllib.parse.quote(cid, safe="")
        for method, path, data in (("POST", "/dev/@connections/" + encoded, b"unsigned"),
                                   ("GET", "/dev/%40connections/" + encoded, None),
                                   ("DELETE", "/chat/@connections/" + encoded, None),
                                   ("POST", "/dev/@connections/ZZZZZZZZZZZZZZZ%3D", b"x"),
                                   ("POST", "/dev/@broadcast", b"unsigned broadcast")):
            status, headers, out = await asyncio.to_thread(http_request, method, gw.http(path), data)
            assert_aws_error(status, headers, out, 403, "MissingAuthenticationTokenException")
        # still connected, received nothing
        good = mgmt_client(gw.http("/dev"), ACCESS_KEY, SECRET_KEY)
        await aws_call(good.post_to_connection, ConnectionId=cid, Data=b"first")
        await assert_next_is(ws, b"first")
        await ws.close()

    run(body())


def test_iam_signature_does_not_cover_a_tampered_body(gateway_factory):
    """Sign one body, send another: the payload hash no longer matches → 403 ForbiddenException."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    gw = gateway_factory(IAM_CONFIG)

    async def body():
        ws, cid = await connect_with_id(gw.ws("/dev"))
        url = gw.http("/dev/@connections/" + urllib.parse.quote(cid, safe=""))
        req = AWSRequest(method="POST", url=url, data=b"signed body")
        SigV4Auth(Credentials(ACCESS_KEY, SECRET_KEY), "execute-api", "us-east-1").add_auth(req)
        headers = {k: v for k, v in req.headers.items()}
        status, h, out = await asyncio.to_thread(http_request, "POST", url, b"signed body", headers)
        assert status == 200, out
        await assert_next_is(ws, b"signed body")
        status, h, out = await asyncio.to_thread(http_request, "POST", url, b"other body!", headers)
        assert_aws_error(status, h, out, 403, "ForbiddenException")
        await ws.close()

    run(body())


@pytest.mark.parametrize("skew_minutes", [-60, 60], ids=["an-hour-old", "an-hour-ahead"])
def test_iam_stale_signature_is_forbidden(gateway_factory, skew_minutes, monkeypatch):
    """A correct signature made with a clock an hour off is refused (AWS: 403, signature expired)."""
    import botocore.auth
    gw = gateway_factory(IAM_CONFIG)
    real = botocore.auth.get_current_datetime
    monkeypatch.setattr(botocore.auth, "get_current_datetime",
                        lambda *a, **k: real(*a, **k) + datetime.timedelta(minutes=skew_minutes))
    client = mgmt_client(gw.http("/dev"), ACCESS_KEY, SECRET_KEY)
    with pytest.raises(ClientError) as info:
        client.get_connection(ConnectionId=UNKNOWN_ID)
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    monkeypatch.setattr(botocore.auth, "get_current_datetime", real)
    with pytest.raises(client.exceptions.GoneException):
        client.get_connection(ConnectionId=UNKNOWN_ID)


# ---------------------------------------------------------------------------------------------------------
# The AWS CLI
# ---------------------------------------------------------------------------------------------------------

def binary_format_args():
    """AWS CLI v2 reads blob arguments as base64 unless told otherwise; v1 takes them raw and rejects the option."""
    out = subprocess.run(["aws", "--version"], capture_output=True, timeout=60)
    version = (out.stdout + out.stderr).decode()
    return ["--cli-binary-format", "raw-in-base64-out"] if version.startswith("aws-cli/2") else []


def aws_cli_env(tmpdir):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") or k == "AWS_CA_BUNDLE"}
    env.update({
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": os.path.join(tmpdir, "config"),
        "AWS_SHARED_CREDENTIALS_FILE": os.path.join(tmpdir, "credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_MAX_ATTEMPTS": "1",
    })
    return env


@pytest.mark.parametrize("base", ["/dev", "/chat"], ids=["stage-url", "mapping-url"])
def test_aws_cli_post_to_connection(gateway_factory, base):
    gw = gateway_factory(IAM_CONFIG)
    tmpdir = tempfile.mkdtemp(prefix="sb-awscli-")
    message = '{"from":"aws-cli","text":"h\u00e9llo"}'
    raw_blob = binary_format_args()

    async def body():
        ws, cid = await connect_with_id(gw.ws(base))
        proc = await asyncio.to_thread(
            subprocess.run,
            ["aws", "apigatewaymanagementapi", "post-to-connection",
             "--endpoint-url", gw.http(base), "--connection-id", cid, "--data", message] + raw_blob,
            env=aws_cli_env(tmpdir), capture_output=True, timeout=60)
        assert proc.returncode == 0, proc.stderr.decode()
        await assert_next_is(ws, message.encode())

        proc = await asyncio.to_thread(
            subprocess.run,
            ["aws", "apigatewaymanagementapi", "get-connection", "--endpoint-url", gw.http(base),
             "--connection-id", cid, "--output", "json"],
            env=aws_cli_env(tmpdir), capture_output=True, timeout=60)
        assert proc.returncode == 0, proc.stderr.decode()
        doc = json.loads(proc.stdout)
        assert doc["Identity"] == {"SourceIp": "127.0.0.1", "UserAgent": USER_AGENT}

        proc = await asyncio.to_thread(
            subprocess.run,
            ["aws", "apigatewaymanagementapi", "post-to-connection", "--endpoint-url", gw.http(base),
             "--connection-id", UNKNOWN_ID, "--data", "x"] + raw_blob,
            env=aws_cli_env(tmpdir), capture_output=True, timeout=60)
        assert proc.returncode != 0
        assert b"GoneException" in proc.stderr, proc.stderr.decode()
        await ws.close()

    run(body(), timeout=180)
