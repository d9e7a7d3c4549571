import NIOCore
package import SwitchboardCore

/// BROADCAST (Switchboard extension): sends the message — or its request template's rendering — to every
/// connection of the API stage, the sender included. The AWS endpoints are untouched; this is what lets the
/// demo chat run with no backend.
package struct BroadcastIntegration: IntegrationInvoker {
    private let template: MappingTemplate?
    private let messenger: any ConnectionMessenger

    /// Compiles a broadcast integration.
    /// - Parameters:
    ///   - definition: the integration (`requestTemplates.$default` optional).
    ///   - messenger: delivers to connections.
    package init(definition: IntegrationDefinition, messenger: any ConnectionMessenger) {
        self.template = (definition.requestTemplates["$default"] ?? definition.requestTemplates["application/json"])
            .map(MappingTemplate.init)
        self.messenger = messenger
    }

    package func invoke(_ exchange: Exchange) async throws(IntegrationError) -> IntegrationResult {
        let payload: [UInt8]
        if let template = self.template, !template.isInputPassthrough {
            let input = exchange.bodyString
            let json = template.needsJSONInput ? try? JSONValue.parse(input) : nil
            let text = template.render(
                context: { exchange.contextVariable($0) },
                stageVariables: exchange.stageVariables,
                input: input,
                inputJSON: json
            )
            payload = Array(text.utf8)
        } else {
            payload = exchange.body.map { Array($0.readableBytesView) } ?? []
        }
        let delivered = await self.messenger.broadcast(
            apiId: exchange.connection.apiId,
            stage: exchange.connection.stage,
            payload: payload,
            isBinary: exchange.isBinary && self.template == nil
        )
        return IntegrationResult(statusCode: 200, headers: [("X-Switchboard-Delivered", String(delivered))])
    }
}
