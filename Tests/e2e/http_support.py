"""One raw HTTP request against a gateway, with exactly the headers given, and its response — shared by the HTTP API,
REST API and security end-to-end tests."""
import http.client
import json


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def header(self, name):
        values = self.all(name)
        return values[0] if values else None

    def all(self, name):
        return [v for n, v in self.headers if n.lower() == name.lower()]

    def names(self):
        return [n.lower() for n, _ in self.headers]

    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return "<Response %d %r %r>" % (self.status, self.headers, self.body[:300])


def host_for(gw, api=None):
    """The Host header: `{api}.execute-api.localhost:PORT` selects that API (stage = first path segment)."""
    return ("%s.execute-api.localhost:%d" % (api, gw.port)) if api else ("127.0.0.1:%d" % gw.port)


def call(gw, method, path, headers=(), body=None, api=None, port=None, conn=None):
    """One request over http.client with exactly these headers (pairs, repeats allowed and order kept, or a dict); a
    Host naming the gateway (or `api` on it) is added unless given. `conn` keeps a connection across calls."""
    if isinstance(headers, dict):
        headers = list(headers.items())
    own = conn is None
    if own:
        conn = http.client.HTTPConnection("127.0.0.1", port or gw.port, timeout=30)
    conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    names = {n.lower() for n, _ in headers}
    if "host" not in names:
        conn.putheader("Host", host_for(gw, api))
    for name, value in headers:
        conn.putheader(name, value)
    if body is not None and "content-length" not in names:
        conn.putheader("Content-Length", str(len(body)))
    conn.endheaders(body)
    answer = conn.getresponse()
    response = Response(answer.status, answer.getheaders(), answer.read())
    if own:
        conn.close()
    return response
