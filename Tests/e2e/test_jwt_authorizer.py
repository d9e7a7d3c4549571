"""JWT authorizers end to end (issue 5): HTTP API routes and (a Switchboard extension) WebSocket `$connect`,
against a real OIDC issuer on loopback (discovery + JWKS) and RS256 tokens signed here. AWS's checks
(reference aws-http-rest.md §6.5): kid in the JWKS, signature, iss, aud or client_id, exp / nbf / iat, scopes;
failures → 401 {"message":"Unauthorized"} with `www-authenticate: Bearer ...`, a missing scope → 403."""
import asyncio
import json
import time

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from auth_support import LAMBDA_ARN, assert_message, call, events, invocations, oidc_issuer  # noqa: F401

STEP = 10


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 60))


def http_config(fake_lambda, issuer, jwks_uri=None, audience="[my-app]"):
    jwt_configuration = 'issuer: "%s", audience: %s' % (issuer.url, audience)
    if jwks_uri:
        jwt_configuration += ', jwksUri: "%s"' % jwks_uri
    return """
server: { listen: 127.0.0.1:__PORT__ }
aws: { region: us-east-1, endpoints: { lambda: "%(lam)s" } }
apis:
  - id: shop
    protocolType: HTTP
    stages: [ { name: $default } ]
    authorizers:
      jwt:
        authorizerType: JWT
        identitySource: [$request.header.Authorization]
        jwtConfiguration: { %(jwt)s }
    routes:
      GET /me: { authorizationType: JWT, authorizerId: jwt, authorizationScopes: [read], integration: { type: AWS_PROXY, uri: "%(arn)sme", payloadFormatVersion: "2.0" } }
      GET /any: { authorizationType: JWT, authorizerId: jwt, integration: { type: AWS_PROXY, uri: "%(arn)sme", payloadFormatVersion: "2.0" } }
      GET /open: { integration: { type: AWS_PROXY, uri: "%(arn)sme", payloadFormatVersion: "2.0" } }
""" % {"lam": fake_lambda.url, "arn": LAMBDA_ARN, "jwt": jwt_configuration}


def me(event):
    return {"statusCode": 200, "body": json.dumps({"ok": True})}


def bearer(token):
    return [("Authorization", "Bearer " + token)]


def assert_unauthorized(response, challenge_required=True):
    assert_message(response, 401, "Unauthorized")
    if not challenge_required:
        return
    challenge = response.header("www-authenticate")
    assert challenge is not None and challenge.startswith("Bearer"), response


def test_valid_token_reaches_the_integration_with_claims_and_scopes(gateway_factory, fake_lambda, oidc_issuer):
    fake_lambda.handlers["me"] = me
    gw = gateway_factory(http_config(fake_lambda, oidc_issuer))
    token = oidc_issuer.sign(scope="read write", email="alice@example.com")
    response = call(gw, "GET", "/me", headers=bearer(token))
    assert response.status == 200, response
    assert response.json() == {"ok": True}
    event = events(fake_lambda, "me")[0]
    jwt_context = event["requestContext"]["authorizer"]["jwt"]
    claims = jwt_context["claims"]
    assert claims["sub"] == "user-123" and claims["iss"] == oidc_issuer.url
    assert claims["email"] == "alice@example.com"
    assert "exp" in claims and "iat" in claims
    assert jwt_context["scopes"] == ["read", "write"]
    # The keys came from OIDC discovery.
    paths = oidc_issuer.paths()
    assert "/.well-known/openid-configuration" in paths and "/jwks" in paths


def test_raw_token_without_bearer_prefix_is_accepted_and_keys_are_cached(gateway_factory, fake_lambda, oidc_issuer):
    fake_lambda.handlers["me"] = me
    gw = gateway_factory(http_config(fake_lambda, oidc_issuer))
    token = oidc_issuer.sign(scope="read")
    assert call(gw, "GET", "/me", headers=[("Authorization", token)]).status == 200
    for _ in range(3):
        assert call(gw, "GET", "/me", headers=bearer(oidc_issuer.sign(scope="read"))).status == 200
    assert invocations(fake_lambda, "me") == 4
    # JWKS fetched once for the known kid, not per request.
    assert oidc_issuer.paths().count("/jwks") == 1, oidc_issuer.paths()


@pytest.mark.parametrize("case", ["expired", "wrong-audience", "no-audience", "wrong-issuer", "bad-signature",
                                  "unknown-kid", "not-yet-valid", "garbage", "hs256", "missing"])
def test_invalid_tokens_are_401_with_a_bearer_challenge(gateway_factory, fake_lambda, oidc_issuer, case):
    import jwt as pyjwt
    fake_lambda.handlers["me"] = me
    gw = gateway_factory(http_config(fake_lambda, oidc_issuer))
    tokens = {
        "expired": lambda: oidc_issuer.sign(scope="read", expires_in=-600),
        "wrong-audience": lambda: oidc_issuer.sign(scope="read", audience="someone-else"),
        "no-audience": lambda: oidc_issuer.sign(scope="read", audience=None),
        "wrong-issuer": lambda: oidc_issuer.sign(scope="read", issuer="http://127.0.0.1:1"),
        "bad-signature": lambda: oidc_issuer.sign(scope="read", key=oidc_issuer.other_key),
        "unknown-kid": lambda: oidc_issuer.sign(scope="read", kid="other-kid", key=oidc_issuer.other_key),
        "not-yet-valid": lambda: oidc_issuer.sign(scope="read", nbf=int(time.time()) + 600),
        "garbage": lambda: "not.a.jwt",
        "hs256": lambda: pyjwt.encode({"iss": oidc_issuer.url, "aud": "my-app", "sub": "x", "scope": "read",
                                       "exp": int(time.time()) + 600}, "secret-secret-secret-secret-32by",
                                      algorithm="HS256", headers={"kid": oidc_issuer.kid}),
        "missing": None,
    }
    make = tokens[case]
    headers = bearer(make()) if make else []
    # A request with no token at all is refused before validation: AWS documents the challenge header for invalid
    # tokens only.
    assert_unauthorized(call(gw, "GET", "/me", headers=headers), challenge_required=make is not None)
    assert_unauthorized(call(gw, "GET", "/any", headers=headers), challenge_required=make is not None)
    assert invocations(fake_lambda, "me") == 0
    # The route without authorization still answers.
    assert call(gw, "GET", "/open", headers=headers).status == 200


def test_client_id_stands_in_for_audience(gateway_factory, fake_lambda, oidc_issuer):
    fake_lambda.handlers["me"] = me
    gw = gateway_factory(http_config(fake_lambda, oidc_issuer))
    token = oidc_issuer.sign(audience=None, client_id="my-app", scope="read")
    assert call(gw, "GET", "/me", headers=bearer(token)).status == 200


def test_missing_scope_is_403_forbidden(gateway_factory, fake_lambda, oidc_issuer):
    fake_lambda.handlers["me"] = me
    gw = gateway_factory(http_config(fake_lambda, oidc_issuer))
    write_only = oidc_issuer.sign(scope="write admin")
    assert_message(call(gw, "GET", "/me", headers=bearer(write_only)), 403, "Forbidden")
    no_scope = oidc_issuer.sign()
    assert_message(call(gw, "GET", "/me", headers=bearer(no_scope)), 403, "Forbidden")
    assert invocations(fake_lambda, "me") == 0
    # A route with no authorizationScopes accepts the same token.
    assert call(gw, "GET", "/any", headers=bearer(write_only)).status == 200
    # `scp` (a list) counts as well as `scope`.
    assert call(gw, "GET", "/me", headers=bearer(oidc_issuer.sign(scp=["read"]))).status == 200


def test_jwks_uri_skips_discovery(gateway_factory, fake_lambda, oidc_issuer):
    oidc_issuer.serve_discovery = False
    fake_lambda.handlers["me"] = me
    gw = gateway_factory(http_config(fake_lambda, oidc_issuer, jwks_uri=oidc_issuer.jwks_uri))
    assert call(gw, "GET", "/me", headers=bearer(oidc_issuer.sign(scope="read"))).status == 200
    assert "/.well-known/openid-configuration" not in oidc_issuer.paths()
    assert "/jwks" in oidc_issuer.paths()


def test_several_audiences(gateway_factory, fake_lambda, oidc_issuer):
    fake_lambda.handlers["me"] = me
    gw = gateway_factory(http_config(fake_lambda, oidc_issuer, audience="[first-app, my-app]"))
    assert call(gw, "GET", "/me", headers=bearer(oidc_issuer.sign(audience="first-app", scope="read"))).status == 200
    assert call(gw, "GET", "/me", headers=bearer(oidc_issuer.sign(audience=["x", "my-app"], scope="read"))).status == 200
    assert_unauthorized(call(gw, "GET", "/me", headers=bearer(oidc_issuer.sign(audience="third", scope="read"))))


# MARK: - WebSocket $connect (Switchboard extension)

def ws_config(issuer):
    return """
server: { listen: 127.0.0.1:__PORT__ }
apis:
  - id: chat
    protocolType: WEBSOCKET
    routeSelectionExpression: $request.body.action
    stages: [ { name: dev } ]
    authorizers:
      jwt:
        authorizerType: JWT
        identitySource: [route.request.header.Authorization]
        jwtConfiguration: { issuer: "%s", audience: [my-app] }
    routes:
      $connect:
        authorizationType: JWT
        authorizerId: jwt
        integration: { type: MOCK, requestTemplates: { $default: '{"statusCode": 200}' } }
      whoami:
        integration:
          type: MOCK
          requestTemplates: { $default: '{"statusCode": 200}' }
          integrationResponses:
            - integrationResponseKey: $default
              responseTemplates:
                $default: '{"connectionId": "$context.connectionId"}'
        routeResponseSelectionExpression: $default
""" % issuer.url


async def handshake_status(url, **kwargs):
    try:
        ws = await asyncio.wait_for(connect(url, open_timeout=STEP, **kwargs), STEP)
    except InvalidStatus as e:
        return e.response.status_code
    await ws.close()
    return 101


def test_ws_connect_with_jwt(gateway_factory, oidc_issuer):
    gw = gateway_factory(ws_config(oidc_issuer))
    good = oidc_issuer.sign()

    async def main():
        ws = await asyncio.wait_for(connect(gw.ws("/dev"), open_timeout=STEP,
                                            additional_headers={"Authorization": "Bearer " + good}), STEP)
        await ws.send('{"action":"whoami"}')
        assert "connectionId" in json.loads(await asyncio.wait_for(ws.recv(), STEP))
        await ws.close()
        assert await handshake_status(gw.ws("/dev")) == 401
        for bad in [oidc_issuer.sign(expires_in=-600), oidc_issuer.sign(audience="nope"),
                    oidc_issuer.sign(key=oidc_issuer.other_key), "garbage"]:
            assert await handshake_status(gw.ws("/dev"), additional_headers={"Authorization": "Bearer " + bad}) == 401
    run(main())
