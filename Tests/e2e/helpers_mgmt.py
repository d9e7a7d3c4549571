"""Helpers shared by the @connections, CLI and shutdown end-to-end tests.

Only uses the fixtures of conftest.py from the outside: these are plain functions and config texts.
"""
import asyncio
import json
import urllib.error
import urllib.request

import boto3
from botocore.config import Config
from websockets.asyncio.client import connect as ws_connect

# Every await on the network is bounded by this, so a wrong gateway fails a test instead of hanging it.
STEP_TIMEOUT = 10

USER_AGENT = "switchboard-e2e/1.0 (pytest)"

# One API, no domain mapping: the stage is the first path segment (ws://HOST/dev, http://HOST/dev/@connections/ID).
# Two stages so that stage scoping (broadcast, cross-stage isolation) can be checked.
SINGLE_API_CONFIG = """
server:
  listen: 127.0.0.1:__PORT__
registry: memory
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

# The default config's shape: a `*` domain with the mapping key `chat` → ws://HOST/chat, http://HOST/chat/@connections/ID.
MAPPED_CONFIG = """
server:
  listen: 127.0.0.1:__PORT__
registry: memory
apis:
  - id: chat
    protocolType: WEBSOCKET
    routeSelectionExpression: $request.body.action
    managementApi: { auth: NONE }
    stages:
      - name: dev
    routes:
      $connect:
        integration: { type: MOCK, requestTemplates: { $default: '{"statusCode": 200}' } }
      whoami:
        integration:
          type: MOCK
          requestTemplates: { $default: '{"statusCode": 200}' }
          integrationResponses:
            - integrationResponseKey: $default
              responseTemplates:
                $default: '{"connectionId": "$context.connectionId", "stage": "$context.stage"}'
        routeResponseSelectionExpression: $default
domains:
  - domainName: "*"
    mappings:
      - { apiMappingKey: chat, api: chat, stage: dev }
"""

ACCESS_KEY = "AKIDEXAMPLE0E2E"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

# The management API protected by SigV4 (auth: AWS_IAM), reachable both by stage and by mapping key.
IAM_CONFIG = """
server:
  listen: 127.0.0.1:__PORT__
registry: memory
aws:
  region: us-east-1
  credentials: { accessKeyId: %s, secretAccessKey: "%s" }
apis:
  - id: chat
    protocolType: WEBSOCKET
    routeSelectionExpression: $request.body.action
    managementApi: { auth: AWS_IAM }
    stages:
      - name: dev
    routes:
      $connect:
        integration: { type: MOCK, requestTemplates: { $default: '{"statusCode": 200}' } }
      whoami:
        integration:
          type: MOCK
          requestTemplates: { $default: '{"statusCode": 200}' }
          integrationResponses:
            - integrationResponseKey: $default
              responseTemplates:
                $default: '{"connectionId": "$context.connectionId", "stage": "$context.stage"}'
        routeResponseSelectionExpression: $default
domains:
  - domainName: "*"
    mappings:
      - { apiMappingKey: chat, api: chat, stage: dev }
""" % (ACCESS_KEY, SECRET_KEY)


def run(coro, timeout=60):
    """Runs an async test body with an overall bound."""
    return asyncio.run(asyncio.wait_for(coro, timeout))


async def open_client(url, user_agent=USER_AGENT, **kwargs):
    """Opens a WebSocket client; the handshake completes only after `$connect` succeeded."""
    return await asyncio.wait_for(ws_connect(url, user_agent_header=user_agent, open_timeout=STEP_TIMEOUT,
                                             close_timeout=STEP_TIMEOUT, **kwargs), STEP_TIMEOUT)


async def recv_bytes(ws, timeout=STEP_TIMEOUT):
    """The next message as raw bytes (text frames are not decoded)."""
    return await asyncio.wait_for(ws.recv(decode=False), timeout)


async def whoami(ws):
    """The client's connection id, from the two-way MOCK `whoami` route."""
    await ws.send(json.dumps({"action": "whoami"}))
    reply = json.loads(await recv_bytes(ws))
    return reply["connectionId"]


async def connect_with_id(url, **kwargs):
    ws = await open_client(url, **kwargs)
    return ws, await whoami(ws)


async def wait_closed(ws, timeout=STEP_TIMEOUT):
    """Waits until the server closed the socket; returns (code, reason) of the close frame received."""
    await asyncio.wait_for(ws.wait_closed(), timeout)
    return ws.close_code, ws.close_reason


def mgmt_client(endpoint_url, access_key="anything", secret_key="anything"):
    """A boto3 `apigatewaymanagementapi` client, as a Lambda would build it (endpoint = the stage URL)."""
    return boto3.session.Session().client(
        "apigatewaymanagementapi",
        endpoint_url=endpoint_url,
        region_name="us-east-1",
        aws_access_key_id=access_key,
        aws_secret_access_key=secret_key,
        config=Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=STEP_TIMEOUT),
    )


def http_request(method, url, body=None, headers=None):
    """(status, headers as a case-insensitive message, body bytes) — also for 4xx/5xx answers.

    The URL path is sent exactly as given (urllib does not re-encode `%40` or `@`)."""
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=STEP_TIMEOUT) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def assert_aws_error(status, headers, body, want_status, want_type):
    """An AWS-style error: the status, `x-amzn-ErrorType: Type[:…]` and a JSON body with `message`."""
    assert status == want_status, (status, body)
    error_type = headers.get("x-amzn-ErrorType")
    assert error_type is not None, "no x-amzn-ErrorType header; headers=%r" % dict(headers.items())
    assert error_type.split(":")[0] == want_type, error_type
    parsed = json.loads(body)
    assert isinstance(parsed, dict) and isinstance(parsed.get("message"), str), body
