"""AWS service integration support for the end-to-end tests: a real `moto_server` (moto[server], pinned in
requirements.txt) on a free loopback port standing in for SQS and DynamoDB, and boto3 helpers to create a queue or
a table and to read back what the gateway put there.

    from moto_support import moto_server, create_queue, receive_messages  # noqa: F401 - moto_server is a fixture

What moto_server 5.2.5 accepts, which is what the gateway's AWS integration requests must look like:
- It picks the service from the credential scope of `Authorization: AWS4-HMAC-SHA256
  Credential=KEY/DATE/REGION/SERVICE/aws4_request, SignedHeaders=..., Signature=...` and never checks the
  signature (any value passes; only the scope is parsed, and its REGION chooses the region's backend). A request
  without `Authorization` is taken for S3: a DynamoDB PutItem then answers 200 with an S3 ListBuckets document, an
  SQS SendMessage 500.
- SQS (query protocol): `POST /{account}/{queue}` (account 123456789012 for the key "testing"), Content-Type
  `application/x-www-form-urlencoded` (a charset may follow), body `Action=SendMessage&MessageBody=...`
  (`MessageAttribute.N.*` work too); or `POST /` with `QueueUrl=...` in the body. The answer is
  `<SendMessageResponse>` XML; an unknown queue is 400 `AWS.SimpleQueueService.NonExistentQueue`. The body must be
  a form: no Content-Type, or a query string on a GET, gives 500. The JSON protocol
  (`X-Amz-Target: AmazonSQS.SendMessage`, `application/x-amz-json-1.0`, `{"QueueUrl": ..., "MessageBody": ...}`
  on `POST /`) works as well.
- DynamoDB: `POST /` only (another path is 404), Content-Type `application/x-amz-json-1.0` (`application/json` is
  500), `X-Amz-Target: DynamoDB_20120810.PutItem`, body `{"TableName": ..., "Item": {"id": {"S": "..."}}}`;
  the answer is `{}` (or `{"Attributes": ...}` with `ReturnValues`), an unknown table 400
  `com.amazonaws.dynamodb.v20120810#ResourceNotFoundException`.
- Every answer carries `Connection: close` (the Werkzeug server): a client cannot keep the connection.
"""
import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import boto3
import pytest
from boto3.dynamodb.types import TypeDeserializer

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
REGION = "us-east-1"
ACCOUNT = "123456789012"  # moto's default account, the one every dummy access key maps to
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def moto_command(port):
    """The command line that starts moto_server on 127.0.0.1:port: the project venv's `moto_server`, one on PATH,
    or `python -m moto.server` when this interpreter has moto."""
    args = ["-H", "127.0.0.1", "-p", str(port)]
    venv = os.path.join(ROOT, ".venv", "bin", "moto_server")
    if os.access(venv, os.X_OK):
        return [venv] + args
    on_path = shutil.which("moto_server")
    if on_path:
        return [on_path] + args
    if importlib.util.find_spec("moto") is not None:
        return [sys.executable, "-m", "moto.server"] + args
    pytest.fail("moto_server is not installed: AWS integration tests need it "
                "(scripts/install-deps.sh --test installs moto[server] into .venv)", pytrace=False)


class MotoServer:
    """A `moto_server` process on a free loopback port; all state in memory, gone when it stops."""

    def __init__(self, timeout=30):
        self.port = free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        self.dir = tempfile.mkdtemp(prefix="sb-moto-")
        self.log_path = os.path.join(self.dir, "moto.log")
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(moto_command(self.port), stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("moto_server exited early:\n" + self.logs())
            try:
                urllib.request.urlopen(self.url + "/moto-api/data.json", timeout=1).read()
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("moto_server did not answer within %ss:\n%s" % (timeout, self.logs()))

    def client(self, service):
        """A boto3 client for `service` ("sqs", "dynamodb", ...) against this server."""
        return boto3.client(service, endpoint_url=self.url, region_name=REGION, **CREDENTIALS)

    def reset(self):
        """Forgets every queue, table and message (moto's `/moto-api/reset`)."""
        urllib.request.urlopen(urllib.request.Request(self.url + "/moto-api/reset", method="POST"), timeout=5).read()

    def logs(self):
        self.log.flush()
        with open(self.log_path) as f:
            return f.read()

    def stop(self, timeout=10):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


@pytest.fixture(scope="session")
def moto_server():
    server = MotoServer()
    yield server
    server.stop()


# MARK: - SQS

def create_queue(moto, name, attributes=None):
    """Creates a queue (a standard one, or FIFO when `name` ends in `.fifo`); returns its URL,
    `{moto.url}/123456789012/{name}`."""
    attributes = dict(attributes or {})
    if name.endswith(".fifo"):
        attributes.setdefault("FifoQueue", "true")
    return moto.client("sqs").create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]


def queue_path(name):
    """The path of a queue on moto_server (and on SQS): `/{account}/{name}`."""
    return "/%s/%s" % (ACCOUNT, name)


def receive_messages(moto, queue_url, count=1, timeout=10, delete=True):
    """Waits until `count` messages were received from the queue (or `timeout` seconds passed, then fails) and
    returns them as boto3 gives them (`Body`, `MessageId`, `MessageAttributes`, `Attributes`, ...), deleting
    them from the queue unless `delete` is false."""
    sqs = moto.client("sqs")
    messages = []
    deadline = time.time() + timeout
    while len(messages) < count:
        remaining = deadline - time.time()
        if remaining <= 0:
            raise AssertionError("received %d of %d message(s) from %s: %r"
                                 % (len(messages), count, queue_url, [m["Body"] for m in messages]))
        answer = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=min(1, int(remaining)),
                                     MessageAttributeNames=["All"], MessageSystemAttributeNames=["All"])
        for message in answer.get("Messages", []):
            messages.append(message)
            if delete:
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return messages


# MARK: - DynamoDB

def create_table(moto, name, hash_key="id", hash_type="S", range_key=None, range_type="S"):
    """Creates an on-demand table keyed on `hash_key` (and `range_key`); returns its name."""
    schema = [{"AttributeName": hash_key, "KeyType": "HASH"}]
    definitions = [{"AttributeName": hash_key, "AttributeType": hash_type}]
    if range_key:
        schema.append({"AttributeName": range_key, "KeyType": "RANGE"})
        definitions.append({"AttributeName": range_key, "AttributeType": range_type})
    moto.client("dynamodb").create_table(TableName=name, KeySchema=schema, AttributeDefinitions=definitions,
                                         BillingMode="PAY_PER_REQUEST")
    return name


def get_item(moto, table, key):
    """The item with `key` (in DynamoDB JSON, e.g. `{"id": {"S": "a1"}}`) in DynamoDB JSON, or None."""
    return moto.client("dynamodb").get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")


def scan_items(moto, table):
    """Every item of the table, in DynamoDB JSON."""
    dynamodb = moto.client("dynamodb")
    items, start = [], None
    while True:
        page = dynamodb.scan(TableName=table, **({"ExclusiveStartKey": start} if start else {}))
        items += page.get("Items", [])
        start = page.get("LastEvaluatedKey")
        if not start:
            return items


def plain(item):
    """An item in DynamoDB JSON as Python values (`{"id": {"S": "a1"}, "n": {"N": "2"}}` -> `{"id": "a1", "n": 2}`;
    numbers come back as Decimal, which compares equal to int)."""
    if item is None:
        return None
    deserializer = TypeDeserializer()
    return {name: deserializer.deserialize(value) for name, value in item.items()}
