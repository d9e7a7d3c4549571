"""`switchboard validate` and `switchboard serve` on good and broken configurations.

Every problem must be reported as `FILE:LINE:COL: key.path: message` on stderr with a non-zero exit;
`serve` must refuse a broken config without ever listening."""
import os
import re
import socket
import subprocess
import time

import pytest

from conftest import BINARY, ROOT, free_port

DEFAULT_CONFIG = os.path.join(ROOT, "Config", "switchboard.yaml")
UNSET_VAR = "SWITCHBOARD_E2E_DEFINITELY_UNSET"

# A valid base; each broken case changes exactly one line, marked with `# <-` so the test can find it.
VALID = """\
server:
  listen: 127.0.0.1:{port}
registry: memory
aws:
  region: us-east-1
apis:
  - id: chat
    protocolType: WEBSOCKET
    routeSelectionExpression: $request.body.action
    managementApi: {{ auth: NONE }}
    stages:
      - name: dev
    routes:
      $connect:
        integration: {{ type: MOCK, requestTemplates: {{ $default: '{{"statusCode": 200}}' }} }}
      sendmessage:
        integration:
          type: HTTP_PROXY
          uri: http://127.0.0.1:9/messages
      notify:
        integration:
          type: HTTP
          uri: http://127.0.0.1:9/notify
          timeoutInMillis: 29000
      echo:
        integration:
          type: MOCK
          integrationResponses:
            - {{ integrationResponseKey: $default, responseTemplates: {{ $default: $input.body }} }}
        routeResponseSelectionExpression: $default
"""

# name → (original line, replacement line, expected key path, words the message must contain)
BROKEN = {
    "wrong-integration-type": ("          type: HTTP_PROXY", "          type: LAMBDA  # <-",
                               "apis[0].routes.sendmessage.integration.type", ["LAMBDA"]),
    "timeout-30000": ("          timeoutInMillis: 29000", "          timeoutInMillis: 30000  # <-",
                      "apis[0].routes.notify.integration.timeoutInMillis", ["30000"]),
    "custom-route-key-with-dollar": ("      echo:", "      $echo:  # <-", "apis[0].routes.$echo", []),
    "unknown-key-in-api": ("    managementApi: { auth: NONE }",
                           "    managementApi: { auth: NONE }\n    colour: red  # <-", "apis[0].colour", ["colour"]),
    "unknown-key-in-server": ("  listen: 127.0.0.1:{port}", "  listn: 127.0.0.1:{port}  # <-", "server.listn", ["listn"]),
    "missing-env-var": ("  region: us-east-1", "  region: ${%s}  # <-" % UNSET_VAR, "aws.region", [UNSET_VAR]),
}


def env_without(*names):
    env = dict(os.environ)
    for name in names:
        env.pop(name, None)
    return env


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def broken_text(case, port=8080):
    original, replacement, _, _ = BROKEN[case]
    base = VALID.format(port=port)
    original = original.replace("{port}", str(port))
    replacement = replacement.replace("{port}", str(port))
    assert base.count(original + "\n") == 1, original
    return base.replace(original + "\n", replacement + "\n")


def marked_line(text):
    """1-based number of the line carrying the `# <-` marker."""
    lines = [i + 1 for i, line in enumerate(text.splitlines()) if line.rstrip().endswith("# <-")]
    assert len(lines) == 1
    return lines[0]


def validate(path, env=None):
    return subprocess.run([BINARY, "validate", path], capture_output=True, text=True, timeout=60,
                          env=env if env is not None else env_without(UNSET_VAR))


DIAGNOSTIC = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<path>\S+): (?P<message>.+)$")


def diagnostics(stderr):
    return [m.groupdict() for m in map(DIAGNOSTIC.match, stderr.splitlines()) if m]


def test_validate_default_config_is_ok():
    proc = validate(DEFAULT_CONFIG)
    assert proc.returncode == 0, proc.stderr
    assert diagnostics(proc.stderr) == []
    assert "OK" in proc.stdout


def test_validate_the_valid_base_is_ok(tmp_path):
    proc = validate(write(tmp_path, "valid.yaml", VALID.format(port=8080)))
    assert proc.returncode == 0, proc.stderr
    assert diagnostics(proc.stderr) == []


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_validate_reports_file_line_and_key_path(tmp_path, case):
    text = broken_text(case)
    path = write(tmp_path, case + ".yaml", text)
    proc = validate(path)
    assert proc.returncode != 0
    found = diagnostics(proc.stderr)
    assert len(found) == 1, proc.stderr
    d = found[0]
    assert d["file"] == path
    assert int(d["line"]) == marked_line(text), proc.stderr
    assert int(d["col"]) >= 1
    assert d["path"] == BROKEN[case][2], proc.stderr
    for word in BROKEN[case][3]:
        assert word in d["message"], proc.stderr
    assert proc.stdout.strip() == "" or "OK" not in proc.stdout


def test_validate_reports_every_problem_at_once(tmp_path):
    text = VALID.format(port=8080)
    expected = {}
    # one file with every broken line
    for case in sorted(BROKEN):
        original, replacement, key_path, _ = BROKEN[case]
        original = original.replace("{port}", "8080")
        replacement = replacement.replace("{port}", "8080")
        replacement = replacement.replace("# <-", "# <-" + case)
        text = text.replace(original + "\n", replacement + "\n")
    for i, line in enumerate(text.splitlines()):
        if "# <-" in line:
            expected[line.split("# <-")[1]] = i + 1
    path = write(tmp_path, "all.yaml", text)
    proc = validate(path)
    assert proc.returncode != 0
    found = {(d["path"], int(d["line"])) for d in diagnostics(proc.stderr) if d["file"] == path}
    for case, line in expected.items():
        assert (BROKEN[case][2], line) in found, (case, proc.stderr)


def test_validate_reports_a_bad_timeout_even_when_the_integration_type_is_wrong(tmp_path):
    """Both problems of one integration are independent: 'every problem' includes the timeout."""
    text = VALID.format(port=8080).replace(
        "          type: HTTP\n", "          type: LAMBDA  # <-type\n").replace(
        "          timeoutInMillis: 29000\n", "          timeoutInMillis: 30000  # <-timeout\n")
    lines = {line.split("# <-")[1]: i + 1 for i, line in enumerate(text.splitlines()) if "# <-" in line}
    path = write(tmp_path, "both.yaml", text)
    proc = validate(path)
    assert proc.returncode != 0
    found = {(d["path"], int(d["line"])) for d in diagnostics(proc.stderr)}
    assert ("apis[0].routes.notify.integration.type", lines["type"]) in found, proc.stderr
    assert ("apis[0].routes.notify.integration.timeoutInMillis", lines["timeout"]) in found, proc.stderr


def test_validate_env_var_set_or_defaulted_is_ok(tmp_path):
    text = VALID.format(port=8080).replace("  region: us-east-1", "  region: ${%s}" % UNSET_VAR)
    path = write(tmp_path, "env.yaml", text)
    env = env_without(UNSET_VAR)
    env[UNSET_VAR] = "eu-west-1"
    proc = validate(path, env)
    assert proc.returncode == 0, proc.stderr

    text = VALID.format(port=8080).replace("  region: us-east-1", "  region: ${%s:-us-east-1}" % UNSET_VAR)
    proc = validate(write(tmp_path, "env-default.yaml", text))
    assert proc.returncode == 0, proc.stderr


def test_validate_missing_file():
    path = "/nonexistent/dir/switchboard.yaml"
    proc = validate(path)
    assert proc.returncode != 0
    assert path in proc.stderr


def test_validate_yaml_syntax_error_names_file_and_line(tmp_path):
    text = VALID.format(port=8080).replace("    stages:\n", "    stages: [\n", 1)
    path = write(tmp_path, "syntax.yaml", text)
    proc = validate(path)
    assert proc.returncode != 0
    assert re.search(r"^%s:\d+:\d+: " % re.escape(path), proc.stderr, re.M), proc.stderr


@pytest.mark.parametrize("case", ["wrong-integration-type", "timeout-30000", "missing-env-var"])
def test_serve_with_broken_config_exits_without_listening(tmp_path, case):
    port = free_port()
    text = broken_text(case, port)
    path = write(tmp_path, case + ".yaml", text)
    proc = subprocess.Popen([BINARY, "serve", "--config", path], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env_without(UNSET_VAR))
    listened = False
    deadline = time.time() + 30
    try:
        while proc.poll() is None and time.time() < deadline:
            with socket.socket() as s:
                s.settimeout(0.2)
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    listened = True
            time.sleep(0.02)
        assert proc.poll() is not None, "serve kept running with a broken config"
    finally:
        if proc.poll() is None:
            proc.kill()
        out, err = proc.communicate(timeout=30)
    assert proc.returncode != 0
    assert not listened, "serve bound %d despite a broken config" % port
    assert "listening" not in out
    found = diagnostics(err)
    assert any(d["file"] == path and d["path"] == BROKEN[case][2] and int(d["line"]) == marked_line(text)
               for d in found), err


def test_apikey_create_prints_a_key_whose_hash_the_gateway_accepts(gateway_factory):
    """`switchboard apikey create NAME` prints a random key and an apiKeys entry holding only its SHA-256;
    that entry, pasted into a usage plan, lets the key through an apiKeyRequired method and nothing else."""
    import hashlib
    import urllib.error
    import urllib.request

    out = subprocess.run([BINARY, "apikey", "create", "partner"], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    key = re.search(r"^key: (\S+)$", out.stdout, re.M).group(1)
    assert re.fullmatch(r"[A-Za-z0-9]{40}", key)
    entry = re.search(r"^  - \{ name: partner, valueSha256: ([0-9a-f]{64}) \}$", out.stdout, re.M)
    assert entry and entry.group(1) == hashlib.sha256(key.encode()).hexdigest()
    assert key not in out.stdout.split("apiKeys:")[1]
    again = subprocess.run([BINARY, "apikey", "create", "x"], capture_output=True, text=True, timeout=30)
    assert re.search(r"^key: (\S+)$", again.stdout, re.M).group(1) != key
    short = subprocess.run([BINARY, "apikey", "create", "x", "--value", "short"], capture_output=True, text=True)
    assert short.returncode != 0 and "20 to 128" in short.stderr

    gw = gateway_factory("""
        server: { listen: 127.0.0.1:__PORT__ }
        apiKeys:
%s
        usagePlans: [ { name: basic, apiStages: [ { api: pets, stage: dev } ], apiKeys: [ partner ] } ]
        apis:
          - id: pets
            protocolType: REST
            stages: [ { name: dev } ]
            resources:
              /pets:
                GET:
                  apiKeyRequired: true
                  integration: { type: MOCK, requestTemplates: { application/json: '{"statusCode": 200}' },
                                 integrationResponses: [ { statusCode: "200", responseTemplates: { application/json: '{"ok": true}' } } ] }
        """ % ("    " * 2 + out.stdout.split("apiKeys:\n")[1].rstrip().replace("  - ", "  - ", 1)))

    def get(headers):
        request = urllib.request.Request(gw.http("/dev/pets"), headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    assert get({"x-api-key": key}) == (200, b'{"ok": true}')
    assert get({"x-api-key": key[:-1] + ("A" if key[-1] != "A" else "B")}) == (403, b'{"message":"Forbidden"}')
    assert get({}) == (403, b'{"message":"Forbidden"}')
