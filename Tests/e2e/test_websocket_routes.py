"""WebSocket data plane against a real gateway, with the Python `websockets` client."""
import asyncio
import json
import re

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

ID = re.compile(r"^[A-Za-z0-9_-]{15}=$")

BASE = """
server: { listen: 127.0.0.1:__PORT__ }
apis:
  - id: chat
    protocolType: WEBSOCKET
    routeSelectionExpression: ${request.body.service}/${request.body.action}
    stages: [ { name: dev, stageVariables: { color: blue } } ]
    webSocket: { maxFrameBytes: 4096, maxMessageBytes: 8192, idleTimeoutSeconds: %(idle)d, maxConnectionSeconds: %(hard)d }
    routes:
      chat/whoami:
        integration:
          type: MOCK
          integrationResponses:
            - integrationResponseKey: $default
              responseTemplates:
                $default: '{"id":"$context.connectionId","route":"$context.routeKey","req":"$context.requestId","msg":"$context.messageId","type":"$context.eventType","stage":"$context.stage","color":"$stageVariables.color","room":$input.json(''$.data.room'')}'
        routeResponseSelectionExpression: $default
      chat/echo:
        integration: { type: MOCK, integrationResponses: [ { integrationResponseKey: $default, responseTemplates: { $default: $input.body } } ] }
        routeResponseSelectionExpression: $default
      chat/oneway:
        integration: { type: MOCK, integrationResponses: [ { integrationResponseKey: $default, responseTemplates: { $default: "never sent" } } ] }
"""


def config(idle=600, hard=7200, extra=""):
    return BASE % {"idle": idle, "hard": hard} + extra


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 30))


def test_selection_expression_with_several_variables_routes_and_renders_context(gateway_factory):
    gw = gateway_factory(config())

    async def main():
        async with connect(gw.ws("/dev")) as ws:
            await ws.send(json.dumps({"service": "chat", "action": "whoami", "data": {"room": "r1"}}))
            reply = json.loads(await ws.recv())
            assert ID.match(reply["id"]) and ID.match(reply["req"]) and ID.match(reply["msg"])
            assert reply["route"] == "chat/whoami" and reply["type"] == "MESSAGE"
            assert reply["stage"] == "dev" and reply["color"] == "blue" and reply["room"] == "r1"
    run(main())


def test_no_route_and_no_default_sends_aws_forbidden_frame_byte_for_byte_and_stays_open(gateway_factory):
    gw = gateway_factory(config())

    async def main():
        async with connect(gw.ws("/dev")) as ws:
            await ws.send(json.dumps({"service": "chat", "action": "whoami", "data": {"room": 1}}))
            me = json.loads(await ws.recv())["id"]
            for message in ['{"service":"chat","action":"nope"}', "not json", '{"action":"whoami"}']:
                await ws.send(message)
                frame = await ws.recv()
                m = re.fullmatch(r'\{"message": "Forbidden", "connectionId":"([^"]+)", "requestId":"([^"]+)"\}', frame)
                assert m, frame
                assert m.group(1) == me and ID.match(m.group(2))
            await ws.send(json.dumps({"service": "chat", "action": "echo"}))  # still open
            assert json.loads(await ws.recv()) == {"service": "chat", "action": "echo"}
    run(main())


def test_one_way_route_sends_nothing_back(gateway_factory):
    gw = gateway_factory(config())

    async def main():
        async with connect(gw.ws("/dev")) as ws:
            await ws.send(json.dumps({"service": "chat", "action": "oneway"}))
            await ws.send(json.dumps({"service": "chat", "action": "echo", "n": 2}))
            assert json.loads(await ws.recv())["n"] == 2  # the one-way reply never came first
    run(main())


@pytest.mark.parametrize("compression", ["deflate", None])
def test_large_echo_with_and_without_permessage_deflate(gateway_factory, compression):
    gw = gateway_factory(config())

    async def main():
        async with connect(gw.ws("/dev"), compression=compression, max_size=None) as ws:
            ext = ws.response.headers.get("Sec-WebSocket-Extensions")
            if compression:
                assert ext == "permessage-deflate; server_no_context_takeover; client_no_context_takeover"
            else:
                assert ext is None
            body = json.dumps({"service": "chat", "action": "echo", "pad": "x" * 3000})
            for _ in range(5):
                await ws.send(body)
                assert await ws.recv() == body
    run(main())


def test_deflate_disabled_per_api_is_not_negotiated(gateway_factory):
    gw = gateway_factory(config().replace("maxConnectionSeconds: 7200 }", "maxConnectionSeconds: 7200, compression: { mode: off } }"))

    async def main():
        async with connect(gw.ws("/dev")) as ws:
            assert ws.response.headers.get("Sec-WebSocket-Extensions") is None
    run(main())


def test_context_takeover_mode_round_trips(gateway_factory):
    gw = gateway_factory(config().replace(
        "maxConnectionSeconds: 7200 }", "maxConnectionSeconds: 7200, compression: { mode: contextTakeover, windowBits: 11 } }"))

    async def main():
        async with connect(gw.ws("/dev")) as ws:
            ext = ws.response.headers["Sec-WebSocket-Extensions"]
            assert "server_no_context_takeover" not in ext and "server_max_window_bits=11" in ext
            for i in range(20):
                body = json.dumps({"service": "chat", "action": "echo", "i": i, "pad": "abc" * 200})
                await ws.send(body)
                assert await ws.recv() == body
    run(main())


def test_binary_frame_closes_with_1003(gateway_factory):
    gw = gateway_factory(config())

    async def main():
        async with connect(gw.ws("/dev")) as ws:
            await ws.send(b"\x00\x01")
            with pytest.raises(ConnectionClosed):
                await ws.recv()
            assert ws.close_code == 1003
    run(main())


def test_message_over_limit_closes_with_1009(gateway_factory):
    gw = gateway_factory(config())

    async def main():
        async with connect(gw.ws("/dev"), compression=None) as ws:
            # 3 fragments of 3000 bytes: each frame under 4096, the message over 8192
            await ws.send(["a" * 3000, "b" * 3000, "c" * 3000])
            with pytest.raises(ConnectionClosed):
                await ws.recv()
            assert ws.close_code == 1009
    run(main())


def test_frame_over_limit_closes_with_1009(gateway_factory):
    gw = gateway_factory(config())

    async def main():
        async with connect(gw.ws("/dev"), compression=None) as ws:
            await ws.send("z" * 5000)
            with pytest.raises(ConnectionClosed):
                await ws.recv()
            assert ws.close_code == 1009
    run(main())


def test_decompression_bomb_is_bounded_by_the_message_limit(gateway_factory):
    gw = gateway_factory(config())

    async def main():
        async with connect(gw.ws("/dev"), max_size=None) as ws:
            # 1 MB of one byte deflates to ~1 KB: a frame under the 4 KB limit that inflates past 8 KB.
            await ws.send("a" * 1_000_000)
            with pytest.raises(ConnectionClosed):
                await ws.recv()
            assert ws.close_code == 1009
    run(main())


def test_idle_timeout_closes_with_1001(gateway_factory):
    gw = gateway_factory(config(idle=1))

    async def main():
        async with connect(gw.ws("/dev")) as ws:
            with pytest.raises(ConnectionClosed):
                await asyncio.wait_for(ws.recv(), 10)
            assert ws.close_code == 1001 and ws.close_reason == "Going away"
    run(main())


def test_messages_reset_the_idle_timer_and_the_hard_limit_still_applies(gateway_factory):
    gw = gateway_factory(config(idle=2, hard=3))

    async def main():
        async with connect(gw.ws("/dev")) as ws:
            loop = asyncio.get_running_loop()
            start = loop.time()
            try:
                while True:
                    await ws.send(json.dumps({"service": "chat", "action": "echo"}))
                    await ws.recv()
                    await asyncio.sleep(0.5)
            except ConnectionClosed:
                pass
            assert ws.close_code == 1001
            assert 2.5 <= loop.time() - start < 8
    run(main())


def test_unknown_stage_and_plain_http_on_the_stage_are_refused(gateway_factory):
    gw = gateway_factory(config())

    async def main():
        with pytest.raises(InvalidStatus) as info:
            async with connect(gw.ws("/nostage")):
                pass
        assert info.value.response.status_code == 403
    run(main())
    import urllib.error
    import urllib.request
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(gw.http("/dev"))
    assert err.value.code == 403 and err.value.headers["x-amzn-ErrorType"] == "ForbiddenException"


def test_connect_mock_status_is_the_handshake_status(gateway_factory):
    gw = gateway_factory(config(extra="""
      $connect:
        integration: { type: MOCK, requestTemplates: { $default: '{"statusCode": 403}' } }
"""))

    async def main():
        with pytest.raises(InvalidStatus) as info:
            async with connect(gw.ws("/dev")):
                pass
        assert info.value.response.status_code == 403
    run(main())


def test_wrong_websocket_version_gets_426(gateway_factory):
    gw = gateway_factory(config())
    import http.client
    conn = http.client.HTTPConnection("127.0.0.1", gw.port)
    conn.request("GET", "/dev", headers={"Upgrade": "websocket", "Connection": "Upgrade",
                                         "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "8"})
    response = conn.getresponse()
    assert response.status == 426 and response.getheader("Sec-WebSocket-Version") == "13"
