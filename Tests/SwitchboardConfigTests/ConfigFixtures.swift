/// YAML documents shared by the configuration tests.
enum ConfigFixtures {
    /// The example from DESIGN.md, "Configuration (contract …)", verbatim (line 1 is `server:`).
    static let designExample = #"""
        server:
          listen: 127.0.0.1:8080            # one listener serves every API, the management API and /metrics
          nodeId: node-a                    # optional; generated when absent
        registry: memory                    # or redis://127.0.0.1:6379/0 — shared connection registry for several nodes
        aws:                                # where AWS-style integrations go (Lambda Invoke API, SQS, ...)
          region: us-east-1
          endpoints: { lambda: http://127.0.0.1:9001 }
          credentials: { accessKeyId: "${AWS_ACCESS_KEY_ID}", secretAccessKey: "${AWS_SECRET_ACCESS_KEY}" }
        apis:
          - id: chat                        # [a-z0-9]+ ; also reachable as Host chat.execute-api.<anything>
            protocolType: WEBSOCKET         # WEBSOCKET | HTTP | REST
            routeSelectionExpression: $request.body.action
            managementApi: { auth: NONE }   # NONE | AWS_IAM (SigV4, service execute-api, keys under credentials:)
            stages:
              - name: dev
                stageVariables: { backend: "http://127.0.0.1:9000" }
            routes:
              $connect:    { integration: { type: MOCK } }
              $disconnect: { integration: { type: HTTP_PROXY, uri: "${stageVariables.backend}/disconnect" } }
              $default:
                integration: { type: AWS_PROXY, uri: arn:aws:lambda:us-east-1:000000000000:function:chat }
                routeResponseSelectionExpression: $default       # two-way route: the integration's body goes back
              sendmessage:
                integration: { type: HTTP_PROXY, uri: http://127.0.0.1:9000/messages, timeoutInMillis: 29000 }
              whoami:                       # MOCK, spelled as AWS spells it: request template, integration response
                integration:
                  type: MOCK
                  requestTemplates: { $default: '{"statusCode": 200}' }
                  integrationResponses:
                    - integrationResponseKey: $default
                      responseTemplates: { $default: '{"connectionId": "$context.connectionId"}' }
                routeResponseSelectionExpression: $default
            authorizers:                    # referenced by name from routes
              auth: { authorizerType: REQUEST, authorizerUri: "arn:aws:lambda:us-east-1:000000000000:function:auth",
                      identitySource: [route.request.header.Authorization] }
            # on a route:  $connect: { authorizationType: CUSTOM, authorizerId: auth, apiKeyRequired: true, integration: ... }
          - id: shop
            protocolType: HTTP
            stages: [ { name: $default } ]      # the $default stage has no path prefix; a named stage does
            corsConfiguration: { allowOrigins: ["https://example.com"], allowMethods: [GET, POST] }
            routes:
              GET /items/{id}: { integration: { type: AWS_PROXY, uri: "arn:aws:lambda:us-east-1:000000000000:function:items", payloadFormatVersion: "2.0" } }
              ANY /legacy/{proxy+}: { integration: { type: HTTP_PROXY, uri: "http://127.0.0.1:9000/{proxy}" } }
          - id: pets
            protocolType: REST
            stages: [ { name: dev, cacheClusterEnabled: false } ]
            models: { Pet: { type: object, required: [name], properties: { name: { type: string } } } }
            resources:
              /pets/{petId}:
                GET: { integration: { type: AWS_PROXY, uri: "arn:aws:lambda:us-east-1:000000000000:function:pets" } }
              /pets:
                POST:
                  requestValidator: body          # body | params | all
                  requestModels: { application/json: Pet }
                  apiKeyRequired: true
                  integration: { type: MOCK, requestTemplates: { application/json: '{"statusCode": 201}' },
                                 integrationResponses: [ { statusCode: "201", responseTemplates: { application/json: '{"created": true}' } } ] }
        apiKeys:
          - { name: partner, value: "${PARTNER_API_KEY}" }
        usagePlans:
          - name: basic
            apiStages: [ { api: pets, stage: dev } ]
            throttle: { rateLimit: 10, burstLimit: 5 }
            quota: { limit: 1000, period: DAY }
            apiKeys: [ partner ]
        domains:                            # optional custom-domain API mappings, as AWS ApiMapping
          - domainName: "*"
            mappings:
              - { apiMappingKey: chat, api: chat, stage: dev }      # ws://host:8080/chat      -> chat / dev
              - { apiMappingKey: shop, api: shop, stage: $default } # http://host:8080/shop/…  -> shop
              - { apiMappingKey: pets, api: pets, stage: dev }      # http://host:8080/pets/pets/1
        """#

    /// The environment the design example needs.
    static let designEnvironment = [
        "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        "PARTNER_API_KEY": "partner-key-1234567890",
    ]
}
