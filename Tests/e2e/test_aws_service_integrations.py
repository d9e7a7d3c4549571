"""REST `type: AWS` integrations end to end against a real moto_server standing in for SQS and DynamoDB: the gateway
builds the service request from the integration URI (`action/…` or `path/…`), request parameters and mapping
templates, signs it with `aws.credentials` (moto picks the service from the signature's credential scope), and maps
the service's answer through integration responses (reference aws-http-rest.md sections 3.4, 3.7, 4.5 and 4.6)."""
import http.client
import json
import re
import uuid
import xml.etree.ElementTree as ElementTree

from moto_support import (  # noqa: F401 - moto_server is a fixture
    ACCOUNT, create_queue, create_table, get_item, moto_server, plain, queue_path, receive_messages)

REQUEST_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
SQS_NS = {"sqs": "http://queue.amazonaws.com/doc/2012-11-05/"}


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def header(self, name):
        return next((v for n, v in self.headers if n.lower() == name.lower()), None)

    def json(self):
        return json.loads(self.body)


def call(gw, method, path, headers=(), body=None):
    conn = http.client.HTTPConnection("127.0.0.1", gw.port, timeout=30)
    conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    conn.putheader("Host", "127.0.0.1:%d" % gw.port)
    for name, value in headers:
        conn.putheader(name, value)
    if body is not None:
        conn.putheader("Content-Length", str(len(body)))
    conn.endheaders(body)
    answer = conn.getresponse()
    response = Response(answer.status, answer.getheaders(), answer.read())
    conn.close()
    return response


def unique(prefix):
    return "%s-%s" % (prefix, uuid.uuid4().hex[:10])


def service_api(moto, resources):
    return """
server: { listen: 127.0.0.1:__PORT__ }
aws:
  region: us-east-1
  endpoints: { sqs: "%s", dynamodb: "%s" }
  credentials: { accessKeyId: testing, secretAccessKey: testing }
apis:
  - id: svc
    protocolType: REST
    stages: [ { name: dev } ]
    resources:
%s""" % (moto.url, moto.url, resources)


JSON = [("Content-Type", "application/json")]


# MARK: - SQS

def test_sqs_send_message_action_with_request_parameters(gateway_factory, moto_server):
    name = unique("orders")
    queue_url = create_queue(moto_server, name)
    gw = gateway_factory(service_api(moto_server, """
      /queue:
        POST:
          integration:
            type: AWS
            integrationMethod: POST
            uri: arn:aws:apigateway:us-east-1:sqs:action/SendMessage
            requestParameters:
              integration.request.querystring.QueueUrl: "'%s'"
              integration.request.querystring.MessageBody: method.request.body
            integrationResponses:
              - statusCode: "200"
                responseParameters: { method.response.header.X-Queue: "'%s'" }
                responseTemplates: { application/json: '{"queued": true, "stage": "$context.stage"}' }
""" % (queue_url, name)))
    payload = b'{"order": 17, "note": "a&b=c + d%"}'
    response = call(gw, "POST", "/dev/queue", headers=JSON, body=payload)
    assert response.status == 200, response.body
    assert response.json() == {"queued": True, "stage": "dev"}
    assert response.header("X-Queue") == name and response.header("Content-Type") == "application/json"
    assert REQUEST_UUID.match(response.header("x-amzn-RequestId"))
    messages = receive_messages(moto_server, queue_url)
    assert [m["Body"] for m in messages] == [payload.decode()]


def test_sqs_path_form_with_a_form_request_template(gateway_factory, moto_server):
    name = unique("events")
    queue_url = create_queue(moto_server, name)
    assert queue_path(name) == "/%s/%s" % (ACCOUNT, name)
    gw = gateway_factory(service_api(moto_server, """
      /events:
        POST:
          integration:
            type: AWS
            integrationMethod: POST
            uri: arn:aws:apigateway:us-east-1:sqs:path%s
            requestParameters:
              integration.request.header.Content-Type: "'application/x-www-form-urlencoded'"
            requestTemplates:
              application/json: Action=SendMessage&MessageBody=$input.body
            integrationResponses:
              - statusCode: "200"
""" % queue_path(name)))
    payload = b'{"event":"signup","user":"u-1"}'
    response = call(gw, "POST", "/dev/events", headers=JSON, body=payload)
    assert response.status == 200, response.body
    # An integration response without templates: SQS's answer passes through.
    document = ElementTree.fromstring(response.body)
    message_id = document.find("sqs:SendMessageResult/sqs:MessageId", SQS_NS).text
    messages = receive_messages(moto_server, queue_url)
    assert [(m["Body"], m["MessageId"]) for m in messages] == [(payload.decode(), message_id)]


def test_sqs_unknown_queue_is_selected_by_status_pattern(gateway_factory, moto_server):
    missing = "%s/%s/%s" % (moto_server.url, ACCOUNT, unique("missing"))
    gw = gateway_factory(service_api(moto_server, """
      /queue:
        POST:
          integration:
            type: AWS
            integrationMethod: POST
            uri: arn:aws:apigateway:us-east-1:sqs:action/SendMessage
            requestParameters:
              integration.request.querystring.QueueUrl: "'%s'"
              integration.request.querystring.MessageBody: method.request.body
            integrationResponses:
              - statusCode: "200"
                responseTemplates: { application/json: '{"queued": true}' }
              - statusCode: "502"
                selectionPattern: "4\\\\d{2}"
                responseTemplates: { application/json: '{"queued": false}' }
""" % missing))
    response = call(gw, "POST", "/dev/queue", headers=JSON, body=b"x")
    assert response.status == 502 and response.json() == {"queued": False}


# MARK: - DynamoDB

def dynamodb_resources(table):
    put = ('{"TableName": "%s", "Item": {"id": {"S": $input.json(\'\'$.id\'\')}, '
           '"name": {"S": $input.json(\'\'$.name\'\')}}}')
    return """
      /items:
        POST:
          integration:
            type: AWS
            integrationMethod: POST
            uri: arn:aws:apigateway:us-east-1:dynamodb:action/PutItem
            requestTemplates:
              application/json: '%s'
            integrationResponses:
              - statusCode: "200"
                responseTemplates: { application/json: '{"stored": true, "requestId": "$context.requestId"}' }
              - statusCode: "400"
                selectionPattern: "4\\\\d{2}"
                responseParameters: { method.response.header.X-Error: "'dynamodb'" }
                responseTemplates:
                  application/json: '{"error": "$input.path(''$.__type'')", "message": $input.json(''$.message'')}'
      /items/{id}:
        GET:
          integration:
            type: AWS
            integrationMethod: POST
            uri: arn:aws:apigateway:us-east-1:dynamodb:action/GetItem
            requestTemplates:
              application/json: '{"TableName": "%s", "Key": {"id": {"S": "$input.params(''id'')"}}, "ConsistentRead": true}'
            integrationResponses:
              - statusCode: "200"
                responseTemplates:
                  application/json: '{"id": "$input.path(''$.Item.id.S'')", "name": "$input.path(''$.Item.name.S'')"}'
      /broken:
        POST:
          integration:
            type: AWS
            integrationMethod: POST
            uri: arn:aws:apigateway:us-east-1:dynamodb:action/PutItem
            requestTemplates:
              application/json: '%s'
            integrationResponses:
              - statusCode: "200"
                responseTemplates: { application/json: '{"stored": true}' }
              - statusCode: "400"
                selectionPattern: "4\\\\d{2}"
                responseParameters: { method.response.header.X-Error: "'dynamodb'" }
                responseTemplates:
                  application/json: '{"error": "$input.path(''$.__type'')", "message": $input.json(''$.message'')}'
""" % (put % table, table, put % unique("no-such-table"))


def test_dynamodb_put_item_and_get_item_through_templates(gateway_factory, moto_server):
    table = create_table(moto_server, unique("items"))
    gw = gateway_factory(service_api(moto_server, dynamodb_resources(table)))
    response = call(gw, "POST", "/dev/items", headers=JSON, body=b'{"id": "a1", "name": "Lamp \\"Deluxe\\""}')
    assert response.status == 200, response.body
    assert response.json() == {"stored": True, "requestId": response.header("x-amzn-RequestId")}
    assert response.header("X-Error") is None
    assert plain(get_item(moto_server, table, {"id": {"S": "a1"}})) == {"id": "a1", "name": 'Lamp "Deluxe"'}

    found = call(gw, "GET", "/dev/items/a1")
    # $input.path gives the raw string: unlike $input.json it is not escaped, exactly as on AWS.
    assert found.status == 200 and found.body == b'{"id": "a1", "name": "Lamp "Deluxe""}'
    missing = call(gw, "GET", "/dev/items/zz")
    assert missing.status == 200 and missing.body == b'{"id": "", "name": ""}'  # GetItem answers {} when absent
    assert found.header("Content-Type") == "application/json"


def test_dynamodb_error_is_selected_into_a_400_method_response(gateway_factory, moto_server):
    table = create_table(moto_server, unique("items"))
    gw = gateway_factory(service_api(moto_server, dynamodb_resources(table)))
    response = call(gw, "POST", "/dev/broken", headers=JSON, body=b'{"id": "b1", "name": "x"}')
    assert response.status == 400, response.body
    assert response.json() == {"error": "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",
                               "message": "Requested resource not found"}
    assert response.header("X-Error") == "dynamodb" and response.header("Content-Type") == "application/json"
    # A request the service rejects as invalid (an empty key) takes the same 4XX response.
    invalid = call(gw, "POST", "/dev/items", headers=JSON, body=b'{"id": "", "name": "x"}')
    assert invalid.status == 400, invalid.body
    assert invalid.json()["error"] == "com.amazonaws.dynamodb.v20120810#ValidationException"
    assert get_item(moto_server, table, {"id": {"S": "b1"}}) is None
