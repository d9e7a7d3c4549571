"""End-to-end fixtures: a real `switchboard serve` process on a free port, and fake backends
(an HTTP service and a Lambda Invoke API endpoint) that record exactly what they receive."""
import json
import os
import signal
import socket
import subprocess
import tempfile
import textwrap
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BINARY = os.environ.get("SWITCHBOARD_BIN", os.path.join(ROOT, ".build", "debug", "switchboard"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gateway:
    """A running gateway process."""

    def __init__(self, config_text, env=None):
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="sb-e2e-")
        self.config_path = os.path.join(self.dir, "switchboard.yaml")
        with open(self.config_path, "w") as f:
            f.write(textwrap.dedent(config_text).replace("__PORT__", str(self.port)))
        self.log_path = os.path.join(self.dir, "gateway.log")
        self.log = open(self.log_path, "w")
        full_env = dict(os.environ)
        full_env.update(env or {})
        self.process = subprocess.Popen([BINARY, "serve", "--config", self.config_path, "--log-level", "debug"],
                                        stdout=self.log, stderr=subprocess.STDOUT, env=full_env)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("gateway exited early:\n" + self.logs())
            try:
                urllib.request.urlopen(self.http("/_switchboard/health"), timeout=1).read()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("gateway did not start:\n" + self.logs())

    def http(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def ws(self, path):
        return "ws://127.0.0.1:%d%s" % (self.port, path)

    def logs(self):
        self.log.flush()
        with open(self.log_path) as f:
            return f.read()

    def stop(self, timeout=20):
        """SIGTERM, wait, and return the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise AssertionError("gateway did not stop within %ss after SIGTERM" % timeout)
        return self.process.returncode


@pytest.fixture
def gateway_factory():
    started = []

    def start(config_text, env=None):
        gw = Gateway(config_text, env)
        started.append(gw)
        return gw

    yield start
    for gw in started:
        if gw.process.poll() is None:
            gw.process.kill()
            gw.process.wait()


class Recorder:
    """A fake backend: records requests; `respond` decides the answer (status, headers, body)."""

    def __init__(self):
        self.requests = []
        self.cond = threading.Condition()
        self.respond = lambda req: (200, {}, b"")
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def handle_any(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                req = {"method": self.command, "path": self.path, "headers": dict(self.headers.items()),
                       "header_list": list(self.headers.items()), "body": body}
                status, headers, out = recorder.respond(req)
                with recorder.cond:
                    recorder.requests.append(req)
                    recorder.cond.notify_all()
                if isinstance(out, str):
                    out = out.encode()
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = handle_any

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = "http://127.0.0.1:%d" % self.port
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, predicate, timeout=10):
        deadline = time.time() + timeout
        with self.cond:
            while True:
                matches = [r for r in self.requests if predicate(r)]
                if matches:
                    return matches
                remaining = deadline - time.time()
                if remaining <= 0:
                    raise AssertionError("no matching request; got %r" % [(r["method"], r["path"]) for r in self.requests])
                self.cond.wait(remaining)

    def close(self):
        self.server.shutdown()


@pytest.fixture
def backend():
    r = Recorder()
    yield r
    r.close()


class FakeLambda(Recorder):
    """A Lambda Invoke API endpoint: POST /2015-03-31/functions/{name}/invocations. `handlers[name]`
    maps the decoded event to a result (any JSON value) or raises FunctionError."""

    class FunctionError(Exception):
        pass

    def __init__(self):
        super().__init__()
        self.handlers = {}
        self.respond = self._respond

    def _respond(self, req):
        parts = req["path"].split("/")
        name = parts[3] if len(parts) > 4 else ""
        event = json.loads(req["body"] or b"null")
        req["function"] = name
        req["event"] = event
        handler = self.handlers.get(name, lambda e: {"statusCode": 200})
        try:
            result = handler(event)
        except FakeLambda.FunctionError as e:
            return 200, {"X-Amz-Function-Error": "Unhandled"}, json.dumps({"errorMessage": str(e)})
        return 200, {"Content-Type": "application/json"}, json.dumps(result)

    def events(self, function=None, route=None):
        with self.cond:
            return [r["event"] for r in self.requests
                    if (function is None or r["function"] == function)
                    and (route is None or r["event"]["requestContext"]["routeKey"] == route)]

    def wait_event(self, route, timeout=10):
        return self.wait_for(lambda r: r.get("event", {}).get("requestContext", {}).get("routeKey") == route,
                             timeout)[-1]["event"]


@pytest.fixture
def fake_lambda():
    r = FakeLambda()
    yield r
    r.close()
