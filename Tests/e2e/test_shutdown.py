"""Graceful shutdown (SIGTERM) and the `$disconnect` event's close code and reason.

AWS reference: /work/shared/reference/aws-websocket.md §1.6 (`requestContext.disconnectStatusCode`,
`disconnectReason`) and §3 (1001 "Going away")."""
import asyncio
import signal
import threading
import time

from helpers_mgmt import STEP_TIMEOUT, connect_with_id, open_client, run, wait_closed, whoami

CONFIG = """
server:
  listen: 127.0.0.1:__PORT__
  shutdownGracePeriodMillis: %(grace)d
registry: memory
aws:
  region: us-east-1
  endpoints: { lambda: %(lambda_url)s }
apis:
  - id: chat
    protocolType: WEBSOCKET
    routeSelectionExpression: $request.body.action
    stages:
      - name: dev
    routes:
      $connect:
        integration: { type: MOCK, requestTemplates: { $default: '{"statusCode": 200}' } }
      $disconnect:
        integration: { type: AWS_PROXY, uri: 'arn:aws:lambda:us-east-1:000000000000:function:ondisconnect' }
      whoami:
        integration:
          type: MOCK
          requestTemplates: { $default: '{"statusCode": 200}' }
          integrationResponses:
            - integrationResponseKey: $default
              responseTemplates:
                $default: '{"connectionId": "$context.connectionId"}'
        routeResponseSelectionExpression: $default
"""


def config(fake_lambda, grace=10000):
    return CONFIG % {"grace": grace, "lambda_url": fake_lambda.url}


def wait_disconnects(fake_lambda, count, timeout=STEP_TIMEOUT):
    """The first `count` $disconnect events, waiting for them (bounded)."""
    deadline = time.time() + timeout
    with fake_lambda.cond:
        while True:
            events = [r["event"] for r in fake_lambda.requests
                      if r.get("event", {}).get("requestContext", {}).get("routeKey") == "$disconnect"]
            if len(events) >= count:
                return events
            remaining = deadline - time.time()
            assert remaining > 0, "expected %d $disconnect events, got %d" % (count, len(events))
            fake_lambda.cond.wait(remaining)


def disconnect_events(fake_lambda):
    return fake_lambda.events(route="$disconnect")


def test_sigterm_closes_every_client_with_1001_and_runs_disconnect(gateway_factory, fake_lambda):
    gw = gateway_factory(config(fake_lambda))

    async def body():
        clients = [await connect_with_id(gw.ws("/dev")) for _ in range(3)]
        ids = {cid for _, cid in clients}
        assert len(ids) == 3
        assert disconnect_events(fake_lambda) == []

        stop = asyncio.create_task(asyncio.to_thread(gw.stop))
        closes = await asyncio.gather(*(wait_closed(ws, timeout=20) for ws, _ in clients))
        rc = await asyncio.wait_for(stop, 30)
        return ids, closes, rc

    ids, closes, rc = run(body())
    for code, reason in closes:
        assert code == 1001
        assert reason == "Going away"
    assert rc == 0, gw.logs()

    events = wait_disconnects(fake_lambda, 3)
    assert len(events) == 3, events
    assert {e["requestContext"]["connectionId"] for e in events} == ids
    for e in events:
        ctx = e["requestContext"]
        assert ctx["eventType"] == "DISCONNECT"
        assert ctx["routeKey"] == "$disconnect"
        assert ctx["stage"] == "dev"
        assert ctx["disconnectStatusCode"] == 1001
        assert isinstance(ctx.get("disconnectReason"), str)


def test_sigterm_stops_accepting_before_disconnects_finish(gateway_factory, fake_lambda):
    """While `$disconnect` integrations are still running, the listener no longer accepts connections."""
    entered = threading.Event()
    release = threading.Event()

    def slow_disconnect(event):
        entered.set()
        release.wait(20)
        return {"statusCode": 200}

    fake_lambda.handlers["ondisconnect"] = slow_disconnect
    gw = gateway_factory(config(fake_lambda))

    async def body():
        ws, cid = await connect_with_id(gw.ws("/dev"))
        gw.process.send_signal(signal.SIGTERM)
        code, _ = await wait_closed(ws, timeout=20)
        assert code == 1001
        assert await asyncio.to_thread(entered.wait, STEP_TIMEOUT), "$disconnect never invoked"
        assert gw.process.poll() is None  # still shutting down: waiting for our $disconnect
        refused = False
        try:
            late = await open_client(gw.ws("/dev"))
        except Exception:
            refused = True
        else:
            await late.close()
        assert refused, "a new WebSocket was accepted during shutdown"
        release.set()
        return cid

    try:
        cid = run(body())
    finally:
        release.set()
    assert gw.stop(timeout=20) == 0, gw.logs()
    events = wait_disconnects(fake_lambda, 1)
    assert [e["requestContext"]["connectionId"] for e in events] == [cid]
    assert events[0]["requestContext"]["disconnectStatusCode"] == 1001


def test_shutdown_grace_period_bounds_a_hanging_disconnect(gateway_factory, fake_lambda):
    """A `$disconnect` integration that never answers does not keep the gateway alive past the grace period."""
    release = threading.Event()
    fake_lambda.handlers["ondisconnect"] = lambda event: release.wait(25) and {"statusCode": 200}
    gw = gateway_factory(config(fake_lambda, grace=1000))

    async def body():
        clients = [await connect_with_id(gw.ws("/dev")) for _ in range(2)]
        started = time.monotonic()
        stop = asyncio.create_task(asyncio.to_thread(gw.stop, 20))
        closes = await asyncio.gather(*(wait_closed(ws, timeout=20) for ws, _ in clients))
        rc = await asyncio.wait_for(stop, 30)
        return closes, rc, time.monotonic() - started

    try:
        closes, rc, elapsed = run(body())
    finally:
        release.set()
    assert [c for c, _ in closes] == [1001, 1001]
    assert rc == 0, gw.logs()
    assert elapsed < 8, "shutdown took %.1fs with shutdownGracePeriodMillis 1000" % elapsed


def test_sigterm_with_no_connections_exits_0(gateway_factory, fake_lambda):
    gw = gateway_factory(config(fake_lambda))
    assert gw.stop() == 0, gw.logs()
    assert disconnect_events(fake_lambda) == []


def test_client_close_code_and_reason_reach_disconnect(gateway_factory, fake_lambda):
    gw = gateway_factory(config(fake_lambda))

    async def body():
        ws, cid = await connect_with_id(gw.ws("/dev"))
        other, other_id = await connect_with_id(gw.ws("/dev"))
        await asyncio.wait_for(ws.close(code=4001, reason="bye"), STEP_TIMEOUT)
        event = await asyncio.to_thread(fake_lambda.wait_event, "$disconnect")
        # Exactly one $disconnect so far: the other client is still connected (it answers whoami).
        assert [e["requestContext"]["connectionId"] for e in disconnect_events(fake_lambda)] == [cid]
        assert await whoami(other) == other_id
        await other.close()
        return cid, event

    cid, event = run(body())
    ctx = event["requestContext"]
    assert ctx["connectionId"] == cid
    assert ctx["eventType"] == "DISCONNECT"
    assert ctx["disconnectStatusCode"] == 4001
    assert ctx["disconnectReason"] == "bye"


def test_client_close_then_sigterm_runs_one_disconnect_each(gateway_factory, fake_lambda):
    gw = gateway_factory(config(fake_lambda))

    async def body():
        ws, cid = await connect_with_id(gw.ws("/dev"))
        other, other_id = await connect_with_id(gw.ws("/dev"))
        await asyncio.wait_for(ws.close(code=4001, reason="bye"), STEP_TIMEOUT)
        await asyncio.to_thread(fake_lambda.wait_event, "$disconnect")
        stop = asyncio.create_task(asyncio.to_thread(gw.stop))
        code, _ = await wait_closed(other, timeout=20)
        rc = await asyncio.wait_for(stop, 30)
        return cid, other_id, code, rc

    cid, other_id, code, rc = run(body())
    assert code == 1001
    assert rc == 0, gw.logs()
    events = wait_disconnects(fake_lambda, 2)
    by_id = {e["requestContext"]["connectionId"]: e["requestContext"] for e in events}
    assert len(events) == 2 and set(by_id) == {cid, other_id}
    assert (by_id[cid]["disconnectStatusCode"], by_id[cid]["disconnectReason"]) == (4001, "bye")
    assert by_id[other_id]["disconnectStatusCode"] == 1001
