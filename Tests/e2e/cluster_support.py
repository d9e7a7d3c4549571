"""Cluster-mode support for the end-to-end tests: a real `redis-server` on a free port, a tiny RESP client to
look at what the gateways keep in it, and a helper that starts N gateway nodes sharing one Redis.

Key layout the gateways use (issue 3): `sb:conn:{connectionId}` (hash, one per connection), `sb:node:{nodeId}`
(heartbeat), `sb:nodes` (set of node ids), `sb:nodeconns:{nodeId}` (set of the node's connection ids); channels
`sb:inbox:{nodeId}` and `sb:broadcast`.
"""
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time

import pytest


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

REDIS_SERVER = shutil.which("redis-server")

# Short cluster timings so that failure detection is fast in tests (milliseconds).
HEARTBEAT_MS = 200
NODE_TIMEOUT_MS = 1000
SWEEP_MS = 300
CROSS_NODE_TIMEOUT_MS = 2000

# Scheduling and Redis round trips on a loaded CI machine, on top of the configured bounds.
SLACK_S = 2.5

# A node killed with SIGKILL: its connections answer 410 everywhere within this many seconds.
DEAD_NODE_BOUND_S = (NODE_TIMEOUT_MS + SWEEP_MS) / 1000 + SLACK_S


class RedisError(Exception):
    """An error reply (`-ERR ...`) from Redis."""


class RedisServer:
    """A `redis-server` on a free loopback port with persistence off, so a restart starts empty."""

    def __init__(self, port=None):
        if REDIS_SERVER is None:
            pytest.fail("redis-server is not installed (not on PATH): cluster tests need a real Redis "
                        "(Debian/Ubuntu: apt-get install redis-server)", pytrace=False)
        self.port = port or free_port()
        self.url = "redis://127.0.0.1:%d/0" % self.port
        self.dir = tempfile.mkdtemp(prefix="sb-redis-")
        self.log_path = os.path.join(self.dir, "redis.log")
        self.process = None
        self.start()

    def start(self, timeout=10):
        """Starts (or restarts) the server on the same port; returns once it answers PING."""
        assert self.process is None or self.process.poll() is not None, "redis-server already running"
        log = open(self.log_path, "a")
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", self.dir, "--protected-mode", "no"],
            stdout=log, stderr=subprocess.STDOUT)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("redis-server exited early (port %d):\n%s" % (self.port, self.logs()))
            try:
                if self.command("PING", timeout=0.5) == "PONG":
                    return
            except (OSError, RedisError):
                pass
            time.sleep(0.05)
        raise RuntimeError("redis-server did not answer PING within %ss:\n%s" % (timeout, self.logs()))

    def stop(self, timeout=10):
        """Stops the server (SIGTERM; no data is saved) and waits until it has exited."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def kill(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def pause(self):
        """SIGSTOP: Redis keeps its connections open but answers nothing (a hung server)."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        self.process.send_signal(signal.SIGCONT)

    @property
    def running(self):
        return self.process is not None and self.process.poll() is None

    def logs(self):
        try:
            with open(self.log_path) as f:
                return f.read()
        except OSError:
            return ""

    # -- a minimal RESP2 client: one connection per command ------------------------------------------------

    def command(self, *args, timeout=2):
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as s:
            s.sendall(_encode(args))
            reader = s.makefile("rb")
            try:
                return _read_reply(reader)
            finally:
                reader.close()

    def keys(self, pattern):
        """Every key matching `pattern` (SCAN, so never KEYS on a big database), sorted."""
        found = set()
        cursor = "0"
        while True:
            cursor, batch = self.command("SCAN", cursor, "MATCH", pattern, "COUNT", "1000")
            found.update(batch)
            if cursor == "0":
                return sorted(found)

    def smembers(self, key):
        return set(self.command("SMEMBERS", key))

    def exists(self, key):
        return self.command("EXISTS", key) == 1

    def hgetall(self, key):
        flat = self.command("HGETALL", key)
        return dict(zip(flat[0::2], flat[1::2]))

    def conn_ids(self):
        """Connection ids that have a record (`sb:conn:{id}`)."""
        return {k[len("sb:conn:"):] for k in self.keys("sb:conn:*")}


def _as_bytes(value):
    if isinstance(value, bytes):
        return value
    return str(value).encode()


def _encode(args):
    parts = [b"*%d\r\n" % len(args)]
    for a in args:
        a = _as_bytes(a)
        parts.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(parts)


def _read_reply(f):
    line = f.readline()
    if not line.endswith(b"\r\n"):
        raise OSError("connection closed by redis")
    kind, rest = line[:1], line[1:-2]
    if kind == b"+":
        return rest.decode()
    if kind == b"-":
        raise RedisError(rest.decode())
    if kind == b":":
        return int(rest)
    if kind == b"$":
        n = int(rest)
        if n < 0:
            return None
        data = f.read(n + 2)
        return data[:-2].decode("utf-8", "replace")
    if kind == b"*":
        n = int(rest)
        if n < 0:
            return None
        return [_read_reply(f) for _ in range(n)]
    raise OSError("unexpected RESP reply %r" % line)


# ---------------------------------------------------------------------------------------------------------
# Gateway nodes
# ---------------------------------------------------------------------------------------------------------

# One API served by every node; `{stage}` is the first path segment. `$disconnect` goes to the fake Lambda,
# so the tests can count exactly which `$disconnect` events were delivered (by any node).
CLUSTER_CONFIG = """
server:
  listen: 127.0.0.1:__PORT__
  nodeId: %(node_id)s
  shutdownGracePeriodMillis: 10000
registry: %(redis_url)s
cluster:
  heartbeatIntervalMillis: %(heartbeat)d
  nodeTimeoutMillis: %(node_timeout)d
  sweepIntervalMillis: %(sweep)d
  crossNodeTimeoutMillis: %(cross_node_timeout)d
aws:
  region: us-east-1
  endpoints: { lambda: %(lambda_url)s }
apis:
  - id: chat
    protocolType: WEBSOCKET
    routeSelectionExpression: $request.body.action
    managementApi: { auth: NONE }
    stages:
      - name: dev
      - name: prod
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
                $default: '{"connectionId": "$context.connectionId", "stage": "$context.stage"}'
        routeResponseSelectionExpression: $default
"""


def cluster_config(redis, lambda_url, node_id, heartbeat=HEARTBEAT_MS, node_timeout=NODE_TIMEOUT_MS,
                   sweep=SWEEP_MS, cross_node_timeout=CROSS_NODE_TIMEOUT_MS):
    return CLUSTER_CONFIG % {"node_id": node_id, "redis_url": redis.url, "heartbeat": heartbeat,
                             "node_timeout": node_timeout, "sweep": sweep,
                             "cross_node_timeout": cross_node_timeout, "lambda_url": lambda_url}


def node_name(i):
    return "node-" + "abcdefghijklmnopqrstuvwxyz"[i]


def wait_until(predicate, timeout, interval=0.05, message="condition"):
    """Polls `predicate` until it returns something truthy (returned); fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        try:
            last = predicate()
        except (OSError, RedisError) as e:
            last = e
        if last and not isinstance(last, Exception):
            return last
        if time.monotonic() >= deadline:
            raise AssertionError("%s not reached within %ss (last: %r)" % (message, timeout, last))
        time.sleep(interval)


def start_nodes(gateway_factory, redis, lambda_url, count, **timings):
    """Starts `count` nodes (node-a, node-b, ...) against `redis`; each gateway gets `.node_id`.

    Returns once every node has registered itself in `sb:nodes` with a live heartbeat key."""
    nodes = []
    for i in range(count):
        node_id = node_name(i)
        gw = gateway_factory(cluster_config(redis, lambda_url, node_id, **timings))
        gw.node_id = node_id
        nodes.append(gw)
    ids = {gw.node_id for gw in nodes}

    def registered():
        return ids <= redis.smembers("sb:nodes") and all(redis.exists("sb:node:" + n) for n in ids)

    try:
        wait_until(registered, 10, message="every node in sb:nodes with a heartbeat key sb:node:{id}")
    except AssertionError as e:
        raise AssertionError("%s; redis keys: %r\n%s" % (e, redis.keys("sb:*"), node_logs(nodes))) from None
    return nodes


def node_logs(nodes, tail=60):
    """The last lines of every node's log, for failure messages."""
    out = []
    for gw in nodes:
        lines = gw.logs().splitlines()
        out.append("----- %s (port %d, last %d lines) -----" % (getattr(gw, "node_id", "?"), gw.port, tail))
        out.extend(line if len(line) <= 400 else line[:400] + " ..." for line in lines[-tail:])
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------------------
# Watching what the gateways send to Redis
# ---------------------------------------------------------------------------------------------------------

_MONITOR_ARG = re.compile(r'"((?:\\.|[^"\\])*)"')


class Monitor:
    """Records every command Redis executes (MONITOR) from creation until `stop()`; `commands()` gives them as
    lists of strings, `publishes()` as (channel, message) pairs."""

    def __init__(self, redis):
        self.sock = socket.create_connection(("127.0.0.1", redis.port), timeout=5)
        self.sock.sendall(_encode(["MONITOR"]))
        self.reader = self.sock.makefile("rb")
        first = self.reader.readline()
        if not first.startswith(b"+OK"):
            raise RedisError("MONITOR refused: %r" % first)
        self.sock.settimeout(None)
        self.lines = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        try:
            for line in self.reader:
                with self.lock:
                    self.lines.append(line.decode("utf-8", "replace").rstrip("\r\n"))
        except (OSError, ValueError):
            pass

    def stop(self, settle=0.2):
        """Stops recording after `settle` seconds (commands already sent still arrive)."""
        time.sleep(settle)
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()
        self.thread.join(2)

    def commands(self):
        with self.lock:
            lines = list(self.lines)
        out = []
        for line in lines:
            args = [bytes(a, "utf-8").decode("unicode_escape") if "\\" in a else a
                    for a in _MONITOR_ARG.findall(line)]
            if args:
                args[0] = args[0].upper()
                out.append(args)
        return out

    def publishes(self):
        return [(c[1], c[2] if len(c) > 2 else "") for c in self.commands() if c[0] in ("PUBLISH", "SPUBLISH")]
