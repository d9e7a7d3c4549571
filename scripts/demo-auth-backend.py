#!/usr/bin/env python3
"""A demo identity backend for Config/secured.yaml (README "Securing an API"), on 127.0.0.1:9000:

- POST /authorize   a REQUEST authorizer reached over HTTP: allows `Authorization: Bearer letmein`
                    (principal `alice`, context {"plan": "gold"}), says Unauthorized (401) otherwise;
- GET  /.well-known/openid-configuration and /jwks.json   an OpenID Connect issuer's discovery and keys;
- GET  /token?sub=alice&scope=read   mints an RS256 JWT from that issuer (audience `my-app`, 1 hour).

Needs PyJWT and cryptography (in .venv after scripts/install-deps.sh --test). Demo only: the signing key is
made at start-up and kept in memory."""
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 9000
ISSUER = "http://127.0.0.1:%d" % PORT
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
JWK = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(KEY.public_key()))
JWK.update({"kid": "demo-1", "alg": "RS256", "use": "sig"})


class Handler(BaseHTTPRequestHandler):
    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        event = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
        headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
        if headers.get("authorization") != "Bearer letmein":
            return self.reply(401, {"message": "Unauthorized"})
        arn = event.get("methodArn") or event.get("routeArn")
        statement = {"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": arn}
        self.reply(200, {"principalId": "alice", "context": {"plan": "gold"},
                         "policyDocument": {"Version": "2012-10-17", "Statement": [statement]}})

    def do_GET(self):
        url = urlparse(self.path)
        if url.path == "/.well-known/openid-configuration":
            return self.reply(200, {"issuer": ISSUER, "jwks_uri": ISSUER + "/jwks.json"})
        if url.path == "/jwks.json":
            return self.reply(200, {"keys": [JWK]})
        if url.path == "/token":
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            now = int(time.time())
            claims = {"iss": ISSUER, "aud": "my-app", "sub": query.get("sub", "alice"), "iat": now,
                      "exp": now + 3600, "scope": query.get("scope", "read")}
            token = jwt.encode(claims, KEY, algorithm="RS256", headers={"kid": "demo-1"})
            return self.reply(200, {"token": token})
        self.reply(404, {"message": "Not Found"})

    def log_message(self, *args):
        pass


print("demo auth backend on %s" % ISSUER, flush=True)
ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
