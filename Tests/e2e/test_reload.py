"""Hot reload: SIGHUP re-reads the --config file. Established WebSocket connections stay open and their new
messages use the new routes; an invalid file or a key that needs a restart is refused with its diagnostics
in the log, and the running configuration keeps serving."""
import asyncio
import json
import re
import signal
import time
import urllib.error
import urllib.request

from websockets.asyncio.client import connect

from conftest import free_port

STEP_TIMEOUT = 10

# One WebSocket API behind a `*` domain mapping (ws://HOST/chat), so that APIs can be added on reload
# without changing how `chat` is reached.
BASE = """
server:
  listen: 127.0.0.1:%(port)s
aws:
  region: us-east-1
  endpoints: { lambda: %(lambda_url)s }
apis:
  - id: chat
    protocolType: WEBSOCKET
    routeSelectionExpression: $request.body.action
    stages: [ { name: dev } ]
    routes:
      $disconnect:
        integration: { type: AWS_PROXY, uri: 'arn:aws:lambda:us-east-1:000000000000:function:%(disconnect)s' }
      greet:
        integration:
          type: MOCK
          integrationResponses:
            - integrationResponseKey: $default
              responseTemplates: { $default: '{"greeting": "%(greeting)s", "route": "$context.routeKey"}' }
        routeResponseSelectionExpression: $default
%(routes)s%(apis)s
domains:
  - domainName: "*"
    mappings:
      - { apiMappingKey: chat, api: chat, stage: dev }
%(mappings)s"""

ADDED_ROUTE = """      added:
        integration:
          type: MOCK
          integrationResponses:
            - integrationResponseKey: $default
              responseTemplates: { $default: '{"added": "$context.connectionId"}' }
        routeResponseSelectionExpression: $default
"""

ADDED_API = """  - id: shop
    protocolType: HTTP
    stages: [ { name: $default } ]
    routes:
      GET /items/{id}:
        integration:
          type: MOCK
          requestTemplates: { $default: '{"statusCode": 200}' }
          integrationResponses:
            - integrationResponseKey: $default
              responseTemplates: { $default: '{"item": "shop"}' }
"""

ADDED_MAPPING = """      - { apiMappingKey: shop, api: shop, stage: $default }
"""


def config(gw_or_port, fake_lambda, greeting="v1", routes="", apis="", mappings="", disconnect="ondisconnect"):
    port = gw_or_port if isinstance(gw_or_port, (int, str)) else gw_or_port.port
    return BASE % {"port": port, "lambda_url": fake_lambda.url, "greeting": greeting, "routes": routes,
                   "apis": apis, "mappings": mappings, "disconnect": disconnect}


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 60))


def outcomes(gw):
    """How many reloads the gateway has finished (applied or rejected), from its log."""
    text = gw.logs()
    return text.count("reloaded configuration (") + text.count("configuration reload rejected")


def reload(gw, text):
    """Rewrites the config file, sends SIGHUP, waits for the outcome and returns the new log lines."""
    before_log = len(gw.logs())
    before = outcomes(gw)
    with open(gw.config_path, "w") as f:
        f.write(text)
    gw.process.send_signal(signal.SIGHUP)
    deadline = time.time() + STEP_TIMEOUT
    while outcomes(gw) == before:
        assert gw.process.poll() is None, "gateway exited on SIGHUP:\n" + gw.logs()
        assert time.time() < deadline, "no reload outcome logged:\n" + gw.logs()
        time.sleep(0.02)
    return gw.logs()[before_log:]


async def areload(gw, text):
    return await asyncio.to_thread(reload, gw, text)


async def ask(ws, action):
    await ws.send(json.dumps({"action": action}))
    return json.loads(await asyncio.wait_for(ws.recv(), STEP_TIMEOUT))


def get(gw, path):
    try:
        with urllib.request.urlopen(gw.http(path), timeout=STEP_TIMEOUT) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def disconnects(fake_lambda):
    with fake_lambda.cond:
        return [r for r in fake_lambda.requests
                if r.get("event", {}).get("requestContext", {}).get("routeKey") == "$disconnect"]


def test_sighup_applies_new_routes_to_open_connections_and_adds_apis(gateway_factory, fake_lambda):
    gw = gateway_factory(config("__PORT__", fake_lambda))
    assert get(gw, "/shop/items/1")[0] == 403

    async def main():
        async with connect(gw.ws("/chat")) as ws:
            assert await ask(ws, "greet") == {"greeting": "v1", "route": "greet"}
            assert (await ask(ws, "added"))["message"] == "Forbidden"

            log = await areload(gw, config(gw, fake_lambda, greeting="v2", routes=ADDED_ROUTE, apis=ADDED_API,
                                           mappings=ADDED_MAPPING))
            assert "reloaded configuration (2 APIs)" in log

            # The established connection is still open and its new messages use the new routes.
            assert await ask(ws, "greet") == {"greeting": "v2", "route": "greet"}
            assert "added" in await ask(ws, "added")
            # A new HTTP API answers; new connections get the new routes too.
            status, body = await asyncio.to_thread(get, gw, "/shop/items/1")
            assert status == 200 and json.loads(body) == {"item": "shop"}
            async with connect(gw.ws("/chat")) as second:
                assert await ask(second, "greet") == {"greeting": "v2", "route": "greet"}
            assert await ask(ws, "greet") == {"greeting": "v2", "route": "greet"}

    run(main())
    # Only the connection that closed said goodbye: a reload triggers no $disconnect.
    deadline = time.time() + STEP_TIMEOUT
    while len(disconnects(fake_lambda)) < 2 and time.time() < deadline:
        time.sleep(0.05)
    assert len(disconnects(fake_lambda)) == 2, gw.logs()
    assert gw.process.poll() is None


def test_invalid_config_is_rejected_with_diagnostics_and_the_old_one_keeps_serving(gateway_factory, fake_lambda):
    gw = gateway_factory(config("__PORT__", fake_lambda))
    path = re.escape(gw.config_path)

    async def main():
        async with connect(gw.ws("/chat")) as ws:
            assert (await ask(ws, "greet"))["greeting"] == "v1"

            # Bad YAML: the parser's position is reported.
            log = await areload(gw, config(gw, fake_lambda, greeting="v2") + "\n  broken: [\n")
            assert re.search(path + r":\d+:\d+: invalid YAML", log), log
            assert "configuration reload rejected" in log
            assert (await ask(ws, "greet"))["greeting"] == "v1"

            # Valid YAML with a bad value and an unknown key: every diagnostic, as `switchboard validate` prints it.
            bad = config(gw, fake_lambda, greeting="v2").replace(
                "type: AWS_PROXY, uri:", "type: LAMBDA, colour: red, uri:")
            log = await areload(gw, bad)
            assert re.search(path + r":\d+:\d+: apis\[0\]\.routes\.\$disconnect\.integration\.type: must be one of",
                             log), log
            assert re.search(path + r":\d+:\d+: apis\[0\]\.routes\.\$disconnect\.integration\.colour: unknown key",
                             log), log
            assert "configuration reload rejected (2 problem(s))" in log
            assert (await ask(ws, "greet"))["greeting"] == "v1"
            async with connect(gw.ws("/chat")) as fresh:
                assert (await ask(fresh, "greet"))["greeting"] == "v1"

            # Fixing the file and sending SIGHUP again applies it.
            log = await areload(gw, config(gw, fake_lambda, greeting="v3"))
            assert "reloaded configuration (1 API)" in log
            assert (await ask(ws, "greet"))["greeting"] == "v3"

    run(main())


def test_changing_server_listen_is_rejected_and_the_listener_stays(gateway_factory, fake_lambda):
    gw = gateway_factory(config("__PORT__", fake_lambda))
    other = free_port()

    async def main():
        async with connect(gw.ws("/chat")) as ws:
            log = await areload(gw, config(other, fake_lambda, greeting="v2"))
            assert "server.listen cannot change on reload; restart to apply" in log
            assert "configuration reload rejected" in log
            assert (await ask(ws, "greet"))["greeting"] == "v1"

    run(main())
    status, _ = get(gw, "/_switchboard/health")
    assert status == 200
    try:
        urllib.request.urlopen("http://127.0.0.1:%d/_switchboard/health" % other, timeout=1)
        raise AssertionError("the new listen address must not be served")
    except urllib.error.URLError:
        pass


def test_no_connection_is_dropped_across_reloads_and_disconnect_uses_the_current_route(gateway_factory,
                                                                                         fake_lambda):
    gw = gateway_factory(config("__PORT__", fake_lambda))

    async def main():
        clients = [await connect(gw.ws("/chat")) for _ in range(5)]
        texts = [
            config(gw, fake_lambda, greeting="v2"),
            config(gw, fake_lambda, greeting="v3") + "\n: nope: [",
            config(gw, fake_lambda, greeting="v4", routes=ADDED_ROUTE, apis=ADDED_API, mappings=ADDED_MAPPING),
            config(gw, fake_lambda, greeting="v5", disconnect="ondisconnect2"),
        ]
        expected = ["v2", "v2", "v4", "v5"]
        for text, greeting in zip(texts, expected):
            await areload(gw, text)
            for ws in clients:
                assert (await ask(ws, "greet"))["greeting"] == greeting
        assert disconnects(fake_lambda) == []
        for ws in clients:
            await ws.close()

    run(main())
    deadline = time.time() + STEP_TIMEOUT
    while len(disconnects(fake_lambda)) < 5 and time.time() < deadline:
        time.sleep(0.05)
    events = disconnects(fake_lambda)
    assert len(events) == 5, gw.logs()
    # The $disconnect integration in force when the connection closed is the one that runs.
    assert {e["function"] for e in events} == {"ondisconnect2"}
    assert {e["event"]["requestContext"]["disconnectStatusCode"] for e in events} == {1000}


def test_connections_of_a_removed_api_keep_their_routes_and_disconnect(gateway_factory, fake_lambda):
    gw = gateway_factory(config("__PORT__", fake_lambda))
    # Only `shop` remains: `chat` and its mapping are gone.
    only_shop = """
server:
  listen: 127.0.0.1:%d
apis:
%s
domains:
  - domainName: "*"
    mappings:
%s""" % (gw.port, ADDED_API, ADDED_MAPPING)

    async def main():
        async with connect(gw.ws("/chat")) as ws:
            log = await areload(gw, only_shop)
            assert "reloaded configuration (1 API)" in log
            assert (await ask(ws, "greet"))["greeting"] == "v1"
            status, _ = await asyncio.to_thread(get, gw, "/shop/items/1")
            assert status == 200
            assert disconnects(fake_lambda) == []

    run(main())
    deadline = time.time() + STEP_TIMEOUT
    while not disconnects(fake_lambda) and time.time() < deadline:
        time.sleep(0.05)
    assert [e["function"] for e in disconnects(fake_lambda)] == ["ondisconnect"], gw.logs()
