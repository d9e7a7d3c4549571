"""Cluster mode (issue 3): several gateway nodes share connection state through one real `redis-server`.

A client connected to one node is reachable through every node (`@connections` POST / GET / DELETE are
forwarded to the owner's inbox and answered once the owner acknowledges); a node killed with SIGKILL has its
connections swept (410 everywhere, exactly one `$disconnect` each, delivered by a survivor); Redis going away
degrades to local-only operation with fast 5xx for cross-node calls and recovers by itself; clean disconnects
and graceful shutdown leave no record behind. Beyond that: a hung Redis (SIGSTOP), a frozen owner (SIGSTOP:
crossNodeTimeoutMillis), two nodes dying at once, a node restarted under the same nodeId, and what crosses
Redis (MONITOR: one inbox per post, one message per node per broadcast, batched lastActiveAt writes).

Timings are short (heartbeat 200 ms, node timeout 1000 ms, sweep 300 ms, see cluster_support.py); every wait
is bounded and polls."""
import asyncio
import base64
import concurrent.futures
import datetime
import json
import os
import signal
import socket
import time
import urllib.error
import urllib.request

import pytest
from botocore.exceptions import ClientError

from cluster_support import *  # noqa: F401,F403 - RedisServer, start_nodes, timings, wait_until, ...
from cluster_support import (CROSS_NODE_TIMEOUT_MS, DEAD_NODE_BOUND_S, NODE_TIMEOUT_MS, SLACK_S, SWEEP_MS,
                             Monitor, RedisServer, node_logs, start_nodes, wait_until)
from helpers_mgmt import STEP_TIMEOUT, connect_with_id, mgmt_client, recv_bytes, run, wait_closed, whoami

UNKNOWN_ID = "ZZZZZZZZZZZZZZZ="  # syntactically a connection id, never issued
MAX_POST = 131072
PAYLOAD = ('{"msg": "h\u00e9llo \u2603 \U0001F680", "path": "/a%40b?c=d&e", "tab": "\t"}\n').encode("utf-8")

# Long enough after a sweep for a duplicate `$disconnect` (a second sweeper, a re-sweep) to show up.
QUIET_S = (NODE_TIMEOUT_MS + 4 * SWEEP_MS) / 1000 + 1.0


# ---------------------------------------------------------------------------------------------------------
# fixtures
# ---------------------------------------------------------------------------------------------------------

@pytest.fixture
def redis_server():
    server = RedisServer()
    yield server
    server.kill()


@pytest.fixture
def cluster(gateway_factory, redis_server, fake_lambda, request):
    """`cluster(n)` starts n nodes (node-a, node-b, ...) sharing `redis_server`; the `$disconnect` route of
    every node goes to `fake_lambda`. On failure, the nodes' and Redis' logs are printed."""
    started = []

    def start(count=3, **timings):
        nodes = start_nodes(gateway_factory, redis_server, fake_lambda.url, count, **timings)
        started.extend(nodes)
        return nodes

    failed_before = request.session.testsfailed
    yield start
    if request.session.testsfailed > failed_before:
        print(node_logs(started, tail=120))
        print("----- redis-server -----\n" + redis_server.logs()[-4000:])


# ---------------------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------------------

def aws_call(fn, *args, **kwargs):
    """A blocking boto3 call, off the event loop (the WebSocket clients keep running meanwhile)."""
    return asyncio.to_thread(fn, *args, **kwargs)


def raw(method, url, body=None, timeout=STEP_TIMEOUT):
    """(status, headers, body) of one HTTP request, also for 4xx / 5xx; (None, None, reason) on a client-side
    timeout or connection error."""
    req = urllib.request.Request(url, data=body, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()
    except (urllib.error.URLError, socket.timeout, OSError) as e:
        return None, None, repr(e)


def error_type(headers):
    value = headers.get("x-amzn-ErrorType") if headers is not None else None
    return value.split(":")[0] if value else None


def conn_url(gw, cid, stage="dev"):
    return gw.http("/%s/@connections/%s" % (stage, cid))


def disconnect_events(fake_lambda):
    return fake_lambda.events(route="$disconnect")


def disconnects_by_id(fake_lambda):
    out = {}
    for e in disconnect_events(fake_lambda):
        out.setdefault(e["requestContext"]["connectionId"], []).append(e)
    return out


def wait_disconnects_for(fake_lambda, ids, timeout):
    """Waits (bounded) until every id in `ids` has at least one `$disconnect` event; returns them by id."""
    ids = set(ids)
    deadline = time.monotonic() + timeout
    with fake_lambda.cond:
        while True:
            by_id = disconnects_by_id(fake_lambda)
            if ids <= set(by_id):
                return by_id
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError("no $disconnect within %.1fs for %r (got events for %r)"
                                     % (timeout, sorted(ids - set(by_id)), sorted(by_id)))
            fake_lambda.cond.wait(remaining)


def assert_no_new_disconnects(fake_lambda, expected_total, duration):
    """For `duration` seconds, the number of `$disconnect` events stays `expected_total` (fails at once when a
    duplicate or an unexpected one arrives)."""
    deadline = time.monotonic() + duration
    with fake_lambda.cond:
        while True:
            events = disconnect_events(fake_lambda)
            assert len(events) == expected_total, (
                "expected exactly %d $disconnect events, got %d: %r"
                % (expected_total, len(events), [e["requestContext"]["connectionId"] for e in events]))
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            fake_lambda.cond.wait(remaining)


async def connect_many(gw, count, stage="dev", **kwargs):
    return [await connect_with_id(gw.ws("/" + stage), **kwargs) for _ in range(count)]


async def assert_next_is(ws, expected):
    got = await recv_bytes(ws)
    assert got == expected, (got[:200], expected[:200])


async def wait_records(redis, ids, timeout=5):
    """Every id in `ids` has its `sb:conn:{id}` record (bounded poll)."""
    ids = set(ids)
    await asyncio.to_thread(wait_until, lambda: ids <= redis.conn_ids(), timeout,
                            message="records sb:conn:{id} for %d connections" % len(ids))


# ---------------------------------------------------------------------------------------------------------
# post / get / delete through a node that does not own the connection
# ---------------------------------------------------------------------------------------------------------

def test_post_get_delete_through_every_non_owner_node(cluster, fake_lambda, redis_server):
    nodes = cluster(3)
    clients = {gw.node_id: mgmt_client(gw.http("/dev")) for gw in nodes}

    async def body():
        before = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=5)
        owned = {}
        for gw in nodes:
            owned[gw.node_id] = await connect_with_id(gw.ws("/dev"), user_agent="agent-" + gw.node_id)
        after = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=5)
        ids = [cid for _, cid in owned.values()]
        assert len(set(ids)) == 3
        await wait_records(redis_server, ids)

        # Every ordered pair (owner, via) with via != owner: exact bytes, then GET with the owner's data.
        for owner in nodes:
            ws, cid = owned[owner.node_id]
            for via in nodes:
                if via is owner:
                    continue
                client = clients[via.node_id]
                data = PAYLOAD + ("via %s to %s" % (via.node_id, owner.node_id)).encode()
                resp = await aws_call(client.post_to_connection, ConnectionId=cid, Data=data)
                assert resp["ResponseMetadata"]["HTTPStatusCode"] == 200
                await assert_next_is(ws, data)

                got = await aws_call(client.get_connection, ConnectionId=cid)
                assert got["ResponseMetadata"]["HTTPStatusCode"] == 200
                assert got["Identity"] == {"SourceIp": "127.0.0.1", "UserAgent": "agent-" + owner.node_id}, got
                assert before <= got["ConnectedAt"] <= after, got["ConnectedAt"]
                assert got["ConnectedAt"] <= got["LastActiveAt"]

                # The wire form through a non-owner is the model's, exactly.
                status, headers, out = await asyncio.to_thread(raw, "GET", conn_url(via, cid))
                assert status == 200, (status, out)
                assert set(json.loads(out)) == {"connectedAt", "identity", "lastActiveAt"}, out
                assert "json" in (headers.get("Content-Type") or "")

        # Consecutive posts through a non-owner arrive in order; the largest payload crosses whole.
        ws_a, id_a = owned[nodes[0].node_id]
        via_b = clients[nodes[1].node_id]
        for i in range(20):
            await aws_call(via_b.post_to_connection, ConnectionId=id_a, Data=b"m%d" % i)
        for i in range(20):
            await assert_next_is(ws_a, b"m%d" % i)
        big = base64.b64encode(os.urandom(MAX_POST * 3 // 4))
        assert len(big) == MAX_POST
        await aws_call(via_b.post_to_connection, ConnectionId=id_a, Data=big)
        await assert_next_is(ws_a, big)
        with pytest.raises(via_b.exceptions.PayloadTooLargeException) as info:
            await aws_call(via_b.post_to_connection, ConnectionId=id_a, Data=b"x" * (MAX_POST + 1))
        assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 413

        # Nobody got anyone else's message: each client's next message is a marker posted to it now.
        for owner in nodes:
            ws, cid = owned[owner.node_id]
            marker = ("marker for " + owner.node_id).encode()
            await aws_call(clients[owner.node_id].post_to_connection, ConnectionId=cid, Data=marker)
            await assert_next_is(ws, marker)

        # DELETE through a non-owner: 204, gone at once through every node, the client sees 1000, one
        # $disconnect (run by the owner).
        for i, owner in enumerate(nodes):
            ws, cid = owned[owner.node_id]
            via = nodes[(i + 1) % len(nodes)]
            resp = await aws_call(clients[via.node_id].delete_connection, ConnectionId=cid)
            assert resp["ResponseMetadata"]["HTTPStatusCode"] == 204
            for gw in nodes:
                with pytest.raises(clients[gw.node_id].exceptions.GoneException):
                    await aws_call(clients[gw.node_id].post_to_connection, ConnectionId=cid, Data=b"after delete")
            code, _ = await wait_closed(ws)
            assert code == 1000
            by_id = await asyncio.to_thread(wait_disconnects_for, fake_lambda, [cid], STEP_TIMEOUT)
            ctx = by_id[cid][0]["requestContext"]
            assert ctx["eventType"] == "DISCONNECT" and ctx["stage"] == "dev"
            for gw in nodes:
                c = clients[gw.node_id]
                for call in (lambda: c.post_to_connection(ConnectionId=cid, Data=b"too late"),
                             lambda: c.get_connection(ConnectionId=cid),
                             lambda: c.delete_connection(ConnectionId=cid)):
                    with pytest.raises(c.exceptions.GoneException):
                        await aws_call(call)

        await asyncio.to_thread(assert_no_new_disconnects, fake_lambda, 3, 1.0)
        assert set(disconnects_by_id(fake_lambda)) == set(ids)

    run(body(), timeout=120)


def test_unknown_ids_are_gone_through_every_node(cluster):
    nodes = cluster(3)
    for gw in nodes:
        client = mgmt_client(gw.http("/dev"))
        for call in (lambda: client.post_to_connection(ConnectionId=UNKNOWN_ID, Data=b"x"),
                     lambda: client.get_connection(ConnectionId=UNKNOWN_ID),
                     lambda: client.delete_connection(ConnectionId=UNKNOWN_ID),
                     lambda: client.post_to_connection(ConnectionId="not-an-id-at-all", Data=b"x")):
            started = time.monotonic()
            with pytest.raises(client.exceptions.GoneException) as info:
                call()
            assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 410
            assert info.value.response["Error"]["Code"] == "GoneException"
            # an unknown id is answered from the registry, not after a cross-node timeout
            assert time.monotonic() - started < CROSS_NODE_TIMEOUT_MS / 1000, "410 took too long via %s" % gw.node_id


def test_concurrent_posts_from_several_nodes_are_each_acknowledged(cluster):
    """Many posts in flight at once through two non-owners to one client: every one answers 200 and every one
    is delivered once (acknowledgements are matched to the right request)."""
    owner, b, c = cluster(3)
    per_node = 25

    async def body():
        ws, cid = await connect_with_id(owner.ws("/dev"))
        senders = {gw.node_id: mgmt_client(gw.http("/dev")) for gw in (b, c)}
        expected = {("%s-%d" % (n, i)).encode() for n in senders for i in range(per_node)}

        def send(item):
            node_id, data = item
            return senders[node_id].post_to_connection(ConnectionId=cid, Data=data)["ResponseMetadata"]["HTTPStatusCode"]

        items = [(d.decode().rsplit("-", 1)[0], d) for d in expected]
        with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
            statuses = await asyncio.wait_for(asyncio.to_thread(lambda: list(pool.map(send, items))), 60)
        assert statuses == [200] * len(items)
        received = [await recv_bytes(ws) for _ in range(len(items))]
        assert sorted(received) == sorted(expected)
        # ... and nothing more.
        await aws_call(senders[b.node_id].post_to_connection, ConnectionId=cid, Data=b"last")
        await assert_next_is(ws, b"last")
        await ws.close()

    run(body(), timeout=120)


def test_owner_answer_passes_through_limit_exceeded(gateway_factory, redis_server, fake_lambda, request):
    """The owner's answer is the caller's answer: a client whose outbound queue is full makes the owner answer
    429, and a post through another node gets the same 429 LimitExceededException (not a blind 200)."""
    from cluster_support import cluster_config, node_name
    nodes = []
    for i in range(2):
        text = cluster_config(redis_server, fake_lambda.url, node_name(i)).replace(
            "    stages:\n", "    webSocket: { outboundQueueBytes: 65536 }\n    stages:\n", 1)
        gw = gateway_factory(text)
        gw.node_id = node_name(i)
        nodes.append(gw)
    owner, via = nodes
    wait_until(lambda: {"node-a", "node-b"} <= redis_server.smembers("sb:nodes"), 10, message="nodes registered")
    client = mgmt_client(via.http("/dev"))
    chunk = base64.b64encode(os.urandom(MAX_POST * 3 // 4))

    async def body():
        ws, cid = await connect_with_id(owner.ws("/dev"), max_queue=1)
        accepted = 0
        limited = False
        for _ in range(400):
            try:
                await aws_call(client.post_to_connection, ConnectionId=cid, Data=chunk)
                accepted += 1
            except client.exceptions.LimitExceededException as e:
                assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 429
                limited = True
                break
        assert limited, "%d cross-node posts to a client that reads nothing were all accepted" % accepted
        for _ in range(accepted):
            await assert_next_is(ws, chunk)
        await aws_call(client.post_to_connection, ConnectionId=cid, Data=b"after drain")
        await assert_next_is(ws, b"after drain")
        await ws.close()

    try:
        run(body(), timeout=180)
    except BaseException:
        print(node_logs(nodes))
        raise


# ---------------------------------------------------------------------------------------------------------
# @broadcast across nodes
# ---------------------------------------------------------------------------------------------------------

def test_broadcast_through_any_node_reaches_the_clients_of_every_node(cluster):
    nodes = cluster(3)
    answers = []

    async def body():
        devs = []
        for gw in nodes:
            devs += [(gw, ws, cid) for ws, cid in await connect_many(gw, 2)]
        prods = [(gw, ws, cid) for gw in (nodes[0], nodes[2]) for ws, cid in await connect_many(gw, 1, "prod")]

        for via in nodes:
            data = PAYLOAD + ("broadcast via " + via.node_id).encode()
            status, _h, out = await asyncio.to_thread(raw, "POST", via.http("/dev/@broadcast"), data)
            assert status == 200, (status, out)
            answers.append(json.loads(out))
            for _gw, ws, _cid in devs:
                await assert_next_is(ws, data)

        # The prod clients (on two nodes) got none of it: their next message is one posted to them now,
        # through a node that does not own them.
        for gw, ws, cid in prods:
            other = nodes[1]
            await aws_call(mgmt_client(other.http("/prod")).post_to_connection, ConnectionId=cid, Data=b"prod-only")
            await assert_next_is(ws, b"prod-only")

        # After a client of node-b leaves (deleted through node-c), a broadcast through node-a reaches the rest.
        _gw, gone_ws, gone_id = devs[2]
        await aws_call(mgmt_client(nodes[2].http("/dev")).delete_connection, ConnectionId=gone_id)
        await wait_closed(gone_ws)
        status, _h, out = await asyncio.to_thread(raw, "POST", nodes[0].http("/dev/@broadcast"), b"second")
        assert status == 200, (status, out)
        answers.append(json.loads(out))
        for _gw, ws, cid in devs:
            if cid != gone_id:
                await assert_next_is(ws, b"second")
        for _gw, ws, _cid in devs + prods:
            await ws.close()

    run(body(), timeout=120)
    # The count in the answer is not part of the cluster interface; it is printed for the report.
    print("broadcast answers (6 dev clients on 3 nodes, then 5):", answers)
    for a in answers:
        assert isinstance(a, dict) and isinstance(a.get("delivered"), int), a


# ---------------------------------------------------------------------------------------------------------
# a node killed with SIGKILL
# ---------------------------------------------------------------------------------------------------------

def poll_gone(pairs, deadline_s, started):
    """Polls GET for every (gateway, connection id) in parallel until each answers 410. Requests use a short
    client timeout, so a request forwarded to the dead node that waits for the cross-node timeout does not
    delay detection. Returns {pair: seconds after `started` of the first 410}; fails at `deadline_s`."""
    first = {}
    seen = {}

    def one(pair):
        gw, cid = pair
        status, headers, _out = raw("GET", conn_url(gw, cid), timeout=0.5)
        return pair, status, error_type(headers)

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, len(pairs))) as pool:
        while len(first) < len(pairs):
            todo = [p for p in pairs if p not in first]
            for pair, status, etype in pool.map(one, todo):
                seen.setdefault((pair[0].node_id, pair[1]), []).append(status)
                if status == 410:
                    assert etype == "GoneException", etype
                    first[pair] = time.monotonic() - started
            if len(first) < len(pairs):
                if time.monotonic() - started > deadline_s:
                    missing = [(gw.node_id, cid) for gw, cid in pairs if (gw, cid) not in first]
                    raise AssertionError("after %.1fs, no 410 yet for %r; statuses seen: %r"
                                         % (deadline_s, missing, {k: v[-5:] for k, v in seen.items()}))
                time.sleep(0.05)
    return first


def test_sigkill_node_connections_gone_everywhere_and_one_disconnect_each(cluster, fake_lambda, redis_server):
    nodes = cluster(3)
    victim, survivors = nodes[0], nodes[1:]
    timing = {}

    async def body():
        dead = await connect_many(victim, 6)
        live = [(gw,) + pair for gw in survivors for pair in await connect_many(gw, 1)]
        dead_ids = [cid for _, cid in dead]
        live_ids = [cid for _, _, cid in live]
        await wait_records(redis_server, dead_ids + live_ids)
        # Reachable through the survivors while the victim lives.
        for _ws, cid in dead:
            for gw in survivors:
                await aws_call(mgmt_client(gw.http("/dev")).post_to_connection, ConnectionId=cid, Data=b"hello")
        for ws, _cid in dead:
            for _ in survivors:
                await assert_next_is(ws, b"hello")

        victim.process.kill()
        victim.process.wait()
        started = time.monotonic()

        # Clients of the victim lose their TCP connection without a close frame.
        for ws, _cid in dead:
            code, _ = await wait_closed(ws)
            assert code == 1006, code

        pairs = [(gw, cid) for gw in survivors for cid in dead_ids]
        first = await asyncio.to_thread(poll_gone, pairs, DEAD_NODE_BOUND_S, started)
        timing["first_410_s"] = max(first.values())

        # Gone for every operation through every survivor, and answered at once (not after a forward timeout).
        for gw in survivors:
            for cid in dead_ids:
                for method, data in (("POST", b"to the dead"), ("GET", None), ("DELETE", None)):
                    t = time.monotonic()
                    status, headers, out = await asyncio.to_thread(raw, method, conn_url(gw, cid), data)
                    assert status == 410 and error_type(headers) == "GoneException", (gw.node_id, method, status, out)
                    assert time.monotonic() - t < CROSS_NODE_TIMEOUT_MS / 1000, "slow 410 (%s %s)" % (gw.node_id, method)

        # Exactly one $disconnect per dead connection, delivered by a survivor, with 1006; none for live ones.
        by_id = await asyncio.to_thread(wait_disconnects_for, fake_lambda, dead_ids,
                                        max(0.5, DEAD_NODE_BOUND_S + 2 - (time.monotonic() - started)))
        timing["disconnects_s"] = time.monotonic() - started
        await asyncio.to_thread(assert_no_new_disconnects, fake_lambda, len(dead_ids), QUIET_S)
        by_id = disconnects_by_id(fake_lambda)
        assert set(by_id) == set(dead_ids), (sorted(by_id), dead_ids)
        for cid in dead_ids:
            assert len(by_id[cid]) == 1, by_id[cid]
            ctx = by_id[cid][0]["requestContext"]
            assert ctx["eventType"] == "DISCONNECT"
            assert ctx["routeKey"] == "$disconnect"
            assert ctx["stage"] == "dev"
            assert ctx["connectionId"] == cid
            assert ctx["disconnectStatusCode"] == 1006, ctx

        # The dead node's records are swept.
        await asyncio.to_thread(wait_until, lambda: not (set(dead_ids) & redis_server.conn_ids()), 2,
                                message="dead connections' records removed")
        await asyncio.to_thread(wait_until, lambda: not redis_server.smembers("sb:nodeconns:" + victim.node_id), 2,
                                message="sb:nodeconns:%s emptied" % victim.node_id)
        assert set(live_ids) <= redis_server.conn_ids()

        # The survivors' clients are untouched and still reachable across nodes.
        for gw, ws, cid in live:
            other = survivors[1] if gw is survivors[0] else survivors[0]
            await aws_call(mgmt_client(other.http("/dev")).post_to_connection, ConnectionId=cid, Data=b"still here")
            await assert_next_is(ws, b"still here")
            assert await whoami(ws) == cid
        for _gw, ws, _cid in live:
            await ws.close()

    run(body(), timeout=120)
    print("SIGKILL: last first-410 after %.2fs, all $disconnect after %.2fs (bound %.2fs)"
          % (timing["first_410_s"], timing["disconnects_s"], DEAD_NODE_BOUND_S))


# ---------------------------------------------------------------------------------------------------------
# Redis stopped and restarted
# ---------------------------------------------------------------------------------------------------------

FAIL_FAST_S = 3.5


def test_redis_outage_local_keeps_working_cross_node_fails_fast_then_recovers(cluster, redis_server):
    a, b = cluster(2)
    via_a = mgmt_client(a.http("/dev"))
    via_b = mgmt_client(b.http("/dev"))
    recovery = {}

    async def body():
        wa, id_a = await connect_with_id(a.ws("/dev"))
        wb, id_b = await connect_with_id(b.ws("/dev"))
        await wait_records(redis_server, [id_a, id_b])
        await aws_call(via_b.post_to_connection, ConnectionId=id_a, Data=b"before")
        await assert_next_is(wa, b"before")
        await aws_call(via_a.post_to_connection, ConnectionId=id_b, Data=b"before")
        await assert_next_is(wb, b"before")

        await asyncio.to_thread(redis_server.stop)

        # Local connections and same-node posts keep working, without waiting on Redis.
        for i in range(3):
            for gw, ws, cid in ((a, wa, id_a), (b, wb, id_b)):
                data = b"local %d" % i
                t = time.monotonic()
                status, _h, out = await asyncio.to_thread(raw, "POST", conn_url(gw, cid), data)
                assert status == 200, (gw.node_id, status, out)
                assert time.monotonic() - t < FAIL_FAST_S
                await assert_next_is(ws, data)
                assert await whoami(ws) == cid

        # Cross-node calls fail fast with a 5xx gateway error: no hang, and never a false 410.
        outage_payloads = set()
        for i in range(3):
            for gw, cid in ((b, id_a), (a, id_b)):
                data = b"outage cross %d via %s" % (i, gw.node_id.encode())
                outage_payloads.add(data)
                t = time.monotonic()
                status, headers, out = await asyncio.to_thread(raw, "POST", conn_url(gw, cid), data, 10)
                elapsed = time.monotonic() - t
                assert status is not None and 500 <= status <= 599, (gw.node_id, status, out)
                assert elapsed < FAIL_FAST_S, "cross-node post during the outage took %.1fs" % elapsed
                assert error_type(headers) is not None, "no x-amzn-ErrorType on the %d" % status
        for gw, cid in ((b, id_a), (a, id_b)):
            t = time.monotonic()
            status, _h, out = await asyncio.to_thread(raw, "GET", conn_url(gw, cid), None, 10)
            assert status is not None and 500 <= status <= 599, (gw.node_id, "GET", status, out)
            assert time.monotonic() - t < FAIL_FAST_S
        # boto3 (one attempt) sees a 5xx ClientError, not a GoneException.
        t = time.monotonic()
        with pytest.raises(ClientError) as info:
            await aws_call(via_b.post_to_connection, ConnectionId=id_a, Data=b"outage boto3")
        outage_payloads.add(b"outage boto3")
        assert 500 <= info.value.response["ResponseMetadata"]["HTTPStatusCode"] <= 599, info.value.response
        assert time.monotonic() - t < FAIL_FAST_S

        # Redis comes back on the same port, empty. Without restarting any node, cross-node posts work again
        # within a few seconds, and the live connections are registered again.
        await asyncio.to_thread(redis_server.start)
        restarted = time.monotonic()
        statuses = []
        probes = set()
        for gw, cid, ws in ((b, id_a, wa), (a, id_b, wb)):
            k = 0
            while True:
                k += 1
                data = b"probe %d via %s" % (k, gw.node_id.encode())
                probes.add(data)
                status, _h, _out = await asyncio.to_thread(raw, "POST", conn_url(gw, cid), data, 10)
                statuses.append(status)
                if status == 200:
                    break
                assert time.monotonic() - restarted < 10, \
                    "cross-node posts did not recover within 10s of Redis restarting; statuses %r" % statuses
                await asyncio.sleep(0.1)
            # Drain up to a marker posted by the owner: the successful probe arrived, no outage post did.
            marker = b"marker " + cid.encode()
            status, _h, out = await asyncio.to_thread(raw, "POST", conn_url(a if gw is b else b, cid), marker)
            assert status == 200, (status, out)
            got = []
            while True:
                m = await recv_bytes(ws)
                if m == marker:
                    break
                got.append(m)
            assert data in got, (data, got)
            assert not (set(got) & outage_payloads), "a post refused during the outage was delivered: %r" % got
            assert set(got) <= probes, got
        recovery["cross_node_s"] = time.monotonic() - restarted
        recovery["statuses"] = statuses

        await asyncio.to_thread(wait_until, lambda: {id_a, id_b} <= redis_server.conn_ids(), 5,
                                message="live connections re-registered after the Redis restart")
        await asyncio.to_thread(wait_until, lambda: {a.node_id, b.node_id} <= redis_server.smembers("sb:nodes"), 5,
                                message="nodes registered again in sb:nodes")
        assert id_a in redis_server.smembers("sb:nodeconns:" + a.node_id)
        assert id_b in redis_server.smembers("sb:nodeconns:" + b.node_id)
        # GET through the non-owner works again too, with the original connectedAt.
        got = await aws_call(via_b.get_connection, ConnectionId=id_a)
        assert got["ResponseMetadata"]["HTTPStatusCode"] == 200

        # A connection opened after the restart is reachable across nodes as well.
        wc, id_c = await connect_with_id(b.ws("/dev"))
        await aws_call(via_a.post_to_connection, ConnectionId=id_c, Data=b"new after restart")
        await assert_next_is(wc, b"new after restart")

        for ws in (wa, wb, wc):
            await ws.close()
        await asyncio.to_thread(wait_until, lambda: not redis_server.keys("sb:conn:*"), 5,
                                message="no sb:conn:* left after the clients closed")

    run(body(), timeout=120)
    print("Redis restart: cross-node posts back after %.2fs; statuses while recovering: %r"
          % (recovery["cross_node_s"], recovery["statuses"]))


# ---------------------------------------------------------------------------------------------------------
# records: none outlives its connection
# ---------------------------------------------------------------------------------------------------------

def test_no_record_outlives_its_connection_after_clean_disconnects(cluster, fake_lambda, redis_server):
    nodes = cluster(3)

    async def body():
        per_node = {}
        for gw in nodes:
            per_node[gw.node_id] = await connect_many(gw, 3) + await connect_many(gw, 1, "prod")
        all_ids = {cid for conns in per_node.values() for _ws, cid in conns}
        assert len(all_ids) == 12

        # While connected: exactly one record per connection, and each node's set lists its own.
        await asyncio.to_thread(wait_until, lambda: redis_server.conn_ids() == all_ids, 5,
                                message="exactly one sb:conn:{id} per open connection")
        for gw in nodes:
            mine = {cid for _ws, cid in per_node[gw.node_id]}
            assert redis_server.smembers("sb:nodeconns:" + gw.node_id) == mine
            record = redis_server.hgetall("sb:conn:" + per_node[gw.node_id][0][1])
            assert gw.node_id in record.values(), "record does not name its owner %s: %r" % (gw.node_id, record)
        for cid in all_ids:
            assert redis_server.command("PTTL", "sb:conn:" + cid) > 0, "record of %s has no TTL" % cid

        # Every clean way out: the client closes (1000 and 4000), DELETE through the owner, DELETE through
        # another node.
        closing = []
        for i, gw in enumerate(nodes):
            (w0, _c0), (w1, c1), (w2, c2), (w3, _c3) = per_node[gw.node_id]
            await w0.close()
            await w3.close(code=4000, reason="bye")
            await aws_call(mgmt_client(gw.http("/dev")).delete_connection, ConnectionId=c1)
            other = nodes[(i + 1) % len(nodes)]
            await aws_call(mgmt_client(other.http("/dev")).delete_connection, ConnectionId=c2)
            closing += [w1, w2]
        for ws in closing:
            code, _ = await wait_closed(ws)
            assert code == 1000

        await asyncio.to_thread(wait_disconnects_for, fake_lambda, all_ids, STEP_TIMEOUT)
        await asyncio.to_thread(wait_until, lambda: not redis_server.keys("sb:conn:*"), 5,
                                message="no sb:conn:* record left")
        for gw in nodes:
            assert not redis_server.smembers("sb:nodeconns:" + gw.node_id)
        # Exactly one $disconnect each, and nothing else shows up (no sweep of a live node's connections).
        await asyncio.to_thread(assert_no_new_disconnects, fake_lambda, len(all_ids), 1.0)
        # The nodes themselves are still registered and alive.
        assert {gw.node_id for gw in nodes} <= redis_server.smembers("sb:nodes")

    run(body(), timeout=120)


# ---------------------------------------------------------------------------------------------------------
# graceful shutdown of one node
# ---------------------------------------------------------------------------------------------------------

def test_sigterm_one_node_closes_its_clients_runs_disconnect_and_deletes_records(cluster, fake_lambda,
                                                                                   redis_server):
    nodes = cluster(3)
    leaving, staying = nodes[0], nodes[1:]

    async def body():
        gone = await connect_many(leaving, 2)
        live = [(gw,) + pair for gw in staying for pair in await connect_many(gw, 1)]
        gone_ids = [cid for _ws, cid in gone]
        live_ids = [cid for _gw, _ws, cid in live]
        await wait_records(redis_server, gone_ids + live_ids)

        stop = asyncio.create_task(asyncio.to_thread(leaving.stop))
        closes = await asyncio.gather(*(wait_closed(ws, timeout=20) for ws, _cid in gone))
        rc = await asyncio.wait_for(stop, 30)
        assert rc == 0, leaving.logs()[-3000:]
        for code, reason in closes:
            assert code == 1001, code
            assert reason == "Going away"

        # The records went with the node (before it exited), so every survivor answers 410 at once.
        assert not (set(gone_ids) & redis_server.conn_ids()), "records left after graceful shutdown"
        assert not redis_server.smembers("sb:nodeconns:" + leaving.node_id)
        for gw in staying:
            for cid in gone_ids:
                t = time.monotonic()
                status, headers, out = await asyncio.to_thread(raw, "POST", conn_url(gw, cid), b"x")
                assert status == 410 and error_type(headers) == "GoneException", (gw.node_id, status, out)
                assert time.monotonic() - t < CROSS_NODE_TIMEOUT_MS / 1000

        by_id = await asyncio.to_thread(wait_disconnects_for, fake_lambda, gone_ids, STEP_TIMEOUT)
        for cid in gone_ids:
            ctx = by_id[cid][0]["requestContext"]
            assert ctx["eventType"] == "DISCONNECT"
            assert ctx["disconnectStatusCode"] == 1001, ctx
        # No second $disconnect from a survivor sweeping the departed node (its heartbeat is now stale).
        await asyncio.to_thread(assert_no_new_disconnects, fake_lambda, len(gone_ids), QUIET_S)
        assert set(disconnects_by_id(fake_lambda)) == set(gone_ids)

        # The other nodes' clients are untouched and reachable across nodes.
        for gw, ws, cid in live:
            other = staying[1] if gw is staying[0] else staying[0]
            await aws_call(mgmt_client(other.http("/dev")).post_to_connection, ConnectionId=cid, Data=b"still here")
            await assert_next_is(ws, b"still here")
        for _gw, ws, _cid in live:
            await ws.close()

    run(body(), timeout=120)


def test_live_connection_is_never_reported_gone_while_redis_recovers(cluster, redis_server):
    """A 410 tells a backend to forget the connection for good (the usual handler deletes it from its table), so
    a connection that is alive must not answer 410 in the window after Redis came back empty and before its
    owner re-registered it: a 5xx (retry later) is the truthful answer there."""
    a, b = cluster(2)

    async def body():
        # Many connections on node-a widen the window between Redis answering again and node-a having
        # re-registered all of them; node-b is asked about all of them, in parallel, from the first moment.
        conns = await connect_many(a, 40)
        ids = [cid for _ws, cid in conns]
        await wait_records(redis_server, ids)
        await asyncio.to_thread(redis_server.stop)
        await asyncio.to_thread(redis_server.start)
        restarted = time.monotonic()

        def probe(cid):
            statuses = []
            while True:
                status, _h, _out = raw("GET", conn_url(b, cid), None, 10)
                statuses.append(status)
                if status == 200 or time.monotonic() - restarted > 10:
                    return cid, statuses
                time.sleep(0.01)

        with concurrent.futures.ThreadPoolExecutor(max_workers=len(ids)) as pool:
            results = await asyncio.to_thread(lambda: list(pool.map(probe, ids)))
        not_recovered = {cid: s[-3:] for cid, s in results if s[-1] != 200}
        assert not not_recovered, "not reachable through node-b 10s after the Redis restart: %r" % not_recovered
        false_gone = {cid: s for cid, s in results if 410 in s}
        assert not false_gone, "%d live connections answered 410 while Redis recovered, e.g. %r" % (
            len(false_gone), list(false_gone.items())[:3])
        for ws, _cid in conns:
            await ws.close()

    run(body(), timeout=60)


def test_redis_hanging_fails_fast_and_closes_made_meanwhile_leave_no_record(cluster, redis_server, fake_lambda):
    """Redis stops answering without closing its connections (SIGSTOP): every command must time out rather than
    hang. Local work goes on; cross-node calls answer 5xx fast; a client that closes meanwhile gets its
    `$disconnect`, and its record is removed once Redis answers again (not left to expire)."""
    a, b = cluster(2)

    async def body():
        wa, id_a = await connect_with_id(a.ws("/dev"))
        wa2, id_a2 = await connect_with_id(a.ws("/dev"))
        wb, id_b = await connect_with_id(b.ws("/dev"))
        await wait_records(redis_server, [id_a, id_a2, id_b])
        redis_server.pause()
        try:
            t = time.monotonic()
            status, _h, out = await asyncio.to_thread(raw, "POST", conn_url(a, id_a), b"local while hung")
            assert status == 200, (status, out)
            assert time.monotonic() - t < FAIL_FAST_S
            await assert_next_is(wa, b"local while hung")
            assert await whoami(wb) == id_b

            for gw, cid in ((b, id_a), (a, id_b)):
                t = time.monotonic()
                status, _h, out = await asyncio.to_thread(raw, "POST", conn_url(gw, cid), b"cross while hung", 10)
                elapsed = time.monotonic() - t
                assert status is not None and 500 <= status <= 599, (gw.node_id, status, out)
                assert elapsed < FAIL_FAST_S, "cross-node post to a hung Redis took %.1fs" % elapsed

            await wa2.close()
            await asyncio.to_thread(wait_disconnects_for, fake_lambda, [id_a2], STEP_TIMEOUT)
        finally:
            redis_server.resume()

        await asyncio.to_thread(wait_until, lambda: id_a2 not in redis_server.conn_ids(), 5,
                                message="record of the connection closed while Redis hung removed")
        assert {id_a, id_b} <= redis_server.conn_ids()
        deadline = time.monotonic() + 10
        while True:
            status, _h, _out = await asyncio.to_thread(raw, "POST", conn_url(b, id_a), b"after resume", 10)
            if status == 200:
                break
            assert time.monotonic() < deadline, "cross-node posts did not recover after Redis resumed (%r)" % status
            await asyncio.sleep(0.1)
        got = await recv_bytes(wa)
        while got != b"after resume":  # a post that timed out while Redis hung may still arrive first
            assert got == b"cross while hung", got
            got = await recv_bytes(wa)
        await wa.close()
        await wb.close()
        await asyncio.to_thread(wait_until, lambda: not redis_server.keys("sb:conn:*"), 5,
                                message="no sb:conn:* left")

    run(body(), timeout=90)


# ---------------------------------------------------------------------------------------------------------
# the owner does not acknowledge: cross-node timeout
# ---------------------------------------------------------------------------------------------------------

def test_post_to_a_frozen_owner_times_out_with_5xx_never_200(cluster, redis_server, fake_lambda):
    """The owner is alive by its heartbeat but does not answer (SIGSTOP, node timeout long): a post through
    another node answers 5xx after crossNodeTimeoutMillis, not 200 (200 means the owner acknowledged) and not
    410 (the owner is not known dead). Once the owner runs again, posts work and nobody was swept."""
    a, b = cluster(2, node_timeout=10000)
    via_b = mgmt_client(b.http("/dev"))
    observed = {}

    async def body():
        wa, id_a = await connect_with_id(a.ws("/dev"))
        await wait_records(redis_server, [id_a])
        a.process.send_signal(signal.SIGSTOP)
        try:
            for method, data in (("POST", b"in flight to a frozen owner"), ("GET", None)):
                t = time.monotonic()
                status, headers, out = await asyncio.to_thread(raw, method, conn_url(b, id_a), data, 15)
                elapsed = time.monotonic() - t
                observed[method] = (status, error_type(headers), round(elapsed, 2))
                assert status is not None and 500 <= status <= 599, (method, status, out)
                assert elapsed < CROSS_NODE_TIMEOUT_MS / 1000 + SLACK_S, "%s took %.1fs" % (method, elapsed)
        finally:
            a.process.send_signal(signal.SIGCONT)
        deadline = time.monotonic() + 10
        while True:
            try:
                await aws_call(via_b.post_to_connection, ConnectionId=id_a, Data=b"after thaw")
                break
            except ClientError as e:
                assert time.monotonic() < deadline, "posts through node-b never recovered: %r" % e.response["Error"]
                await asyncio.sleep(0.1)
        got = []
        while True:
            m = await recv_bytes(wa)
            if m == b"after thaw":
                break
            got.append(m)
        observed["delivered late"] = got
        assert set(got) <= {b"in flight to a frozen owner"}, got
        assert disconnect_events(fake_lambda) == []
        await wa.close()

    run(body(), timeout=90)
    print("frozen owner:", observed)


# ---------------------------------------------------------------------------------------------------------
# more ways to die
# ---------------------------------------------------------------------------------------------------------

def test_two_nodes_killed_the_survivor_sweeps_both(cluster, fake_lambda, redis_server):
    nodes = cluster(3)
    survivor = nodes[2]

    async def body():
        dead = []
        for gw in nodes[:2]:
            dead += await connect_many(gw, 4)
        ws_live, id_live = await connect_with_id(survivor.ws("/dev"))
        dead_ids = [cid for _ws, cid in dead]
        await wait_records(redis_server, dead_ids + [id_live])
        for gw in nodes[:2]:
            gw.process.kill()
        for gw in nodes[:2]:
            gw.process.wait()
        started = time.monotonic()
        await asyncio.to_thread(poll_gone, [(survivor, cid) for cid in dead_ids], DEAD_NODE_BOUND_S, started)
        await asyncio.to_thread(wait_disconnects_for, fake_lambda, dead_ids, DEAD_NODE_BOUND_S + 2)
        await asyncio.to_thread(assert_no_new_disconnects, fake_lambda, len(dead_ids), QUIET_S)
        by_id = disconnects_by_id(fake_lambda)
        assert set(by_id) == set(dead_ids)
        assert all(len(v) == 1 and v[0]["requestContext"]["disconnectStatusCode"] == 1006 for v in by_id.values())
        await asyncio.to_thread(wait_until, lambda: redis_server.conn_ids() == {id_live}, 2,
                                message="only the survivor's record left")
        await aws_call(mgmt_client(survivor.http("/dev")).post_to_connection, ConnectionId=id_live, Data=b"ok")
        await assert_next_is(ws_live, b"ok")
        await ws_live.close()

    run(body(), timeout=90)


def test_node_restarted_with_the_same_id_does_not_keep_its_dead_connections(cluster, gateway_factory, fake_lambda,
                                                                            redis_server):
    """A node killed and restarted at once under the same nodeId (a supervisor restarting it) is alive again
    by its heartbeat, but the connections of its previous life are gone: they must still answer 410, get exactly
    one `$disconnect` each and lose their records, within the same bound as for a node that stays dead."""
    from cluster_support import cluster_config
    a, b = cluster(2)

    async def body():
        old = await connect_many(a, 2)
        old_ids = [cid for _ws, cid in old]
        ws_b, id_b = await connect_with_id(b.ws("/dev"))
        await wait_records(redis_server, old_ids + [id_b])
        a.process.kill()
        a.process.wait()
        started = time.monotonic()
        a2 = await asyncio.to_thread(gateway_factory, cluster_config(redis_server, fake_lambda.url, a.node_id))
        a2.node_id = a.node_id
        ws_new, id_new = await connect_with_id(a2.ws("/dev"))

        await asyncio.to_thread(poll_gone, [(gw, cid) for gw in (a2, b) for cid in old_ids], DEAD_NODE_BOUND_S,
                                started)
        await asyncio.to_thread(wait_disconnects_for, fake_lambda, old_ids,
                                max(0.5, DEAD_NODE_BOUND_S + 2 - (time.monotonic() - started)))
        await asyncio.to_thread(assert_no_new_disconnects, fake_lambda, len(old_ids), QUIET_S)
        assert set(disconnects_by_id(fake_lambda)) == set(old_ids)
        await asyncio.to_thread(wait_until, lambda: redis_server.conn_ids() == {id_b, id_new}, 2,
                                message="old records of %s removed, new and other records kept" % a.node_id)
        assert redis_server.smembers("sb:nodeconns:" + a.node_id) == {id_new}
        # The new life works across nodes both ways.
        await aws_call(mgmt_client(b.http("/dev")).post_to_connection, ConnectionId=id_new, Data=b"hi new")
        await assert_next_is(ws_new, b"hi new")
        await aws_call(mgmt_client(a2.http("/dev")).post_to_connection, ConnectionId=id_b, Data=b"hi b")
        await assert_next_is(ws_b, b"hi b")
        await ws_new.close()
        await ws_b.close()

    run(body(), timeout=90)


# ---------------------------------------------------------------------------------------------------------
# what goes through Redis (MONITOR)
# ---------------------------------------------------------------------------------------------------------

def test_cross_node_traffic_goes_to_one_inbox_and_broadcast_once_per_node(cluster, redis_server):
    """A post to a connection of node-a through node-b is published to node-a's inbox only (not to every node);
    a broadcast to 15 clients on 3 nodes sends one message per node, not one per connection."""
    a, b, c = cluster(3)

    async def body():
        wa, id_a = await connect_with_id(a.ws("/dev"))
        await wait_records(redis_server, [id_a])
        monitor = await asyncio.to_thread(Monitor, redis_server)
        await aws_call(mgmt_client(b.http("/dev")).post_to_connection, ConnectionId=id_a, Data=b"one inbox")
        await assert_next_is(wa, b"one inbox")
        await asyncio.to_thread(monitor.stop)
        channels = [ch for ch, _m in monitor.publishes()]
        assert channels.count("sb:inbox:" + a.node_id) == 1, channels
        assert "sb:inbox:" + c.node_id not in channels, channels
        assert "sb:broadcast" not in channels, channels

        clients = [pair for gw in (a, b, c) for pair in await connect_many(gw, 5)]
        await wait_records(redis_server, [cid for _ws, cid in clients])
        monitor = await asyncio.to_thread(Monitor, redis_server)
        status, _h, out = await asyncio.to_thread(raw, "POST", b.http("/dev/@broadcast"), b"to all")
        assert status == 200, (status, out)
        for ws, _cid in clients:
            await assert_next_is(ws, b"to all")
        await asyncio.to_thread(monitor.stop)
        pubs = monitor.publishes()
        carrying = [ch for ch, m in pubs if "to all" in m or "dG8gYWxs" in m]  # raw or base64 body
        assert 1 <= len(carrying) <= 2, "broadcast published %d times: %r" % (len(carrying), [ch for ch, _ in pubs])
        assert len(pubs) <= 3 * 2, "broadcast caused %d publishes for 3 nodes: %r" % (len(pubs), [ch for ch, _ in pubs])
        for ws, _cid in clients + [(wa, id_a)]:
            await ws.close()

    run(body(), timeout=90)


def test_last_active_at_writes_are_batched(cluster, redis_server):
    """Client traffic does not cost one Redis write per message: 60 messages on one connection lead to a handful
    of writes to its record, and `lastActiveAt` (seen through another node) still advances."""
    a, b = cluster(2)

    async def body():
        ws, cid = await connect_with_id(a.ws("/dev"))
        await wait_records(redis_server, [cid])
        via_b = mgmt_client(b.http("/dev"))
        first = await aws_call(via_b.get_connection, ConnectionId=cid)
        monitor = await asyncio.to_thread(Monitor, redis_server)
        for _ in range(60):
            assert await whoami(ws) == cid
        await asyncio.to_thread(monitor.stop)
        writes = [cmd for cmd in monitor.commands() if len(cmd) > 1 and cmd[1] == "sb:conn:" + cid
                  and cmd[0] not in ("HGETALL", "HGET", "HMGET", "EXISTS", "TTL", "PTTL", "TYPE")]
        assert len(writes) <= 10, "%d writes to the record for 60 messages: %r" % (len(writes), writes[:20])
        # Batched, not dropped: lastActiveAt seen through node-b moves past its first value within the bound
        # of one refresh period (default 15 s; polled).
        deadline = time.monotonic() + 20
        while True:
            now = await aws_call(via_b.get_connection, ConnectionId=cid)
            if now["LastActiveAt"] > first["LastActiveAt"]:
                break
            assert time.monotonic() < deadline, "lastActiveAt seen through node-b never advanced"
            await whoami(ws)
            await asyncio.sleep(0.2)
        await ws.close()

    run(body(), timeout=90)
