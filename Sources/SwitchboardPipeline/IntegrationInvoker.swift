/// Runs an integration for an exchange. Implementations are named by mechanism
/// (``MockIntegration``, ``HTTPProxyIntegration``, ``LambdaProxyIntegration``, ``BroadcastIntegration``).
package protocol IntegrationInvoker: Sendable {
    /// Invokes the integration.
    /// - Parameter exchange: the request.
    /// - Returns: the integration's result.
    /// - Throws: ``IntegrationError``.
    func invoke(_ exchange: Exchange) async throws(IntegrationError) -> IntegrationResult

    /// A synchronous path for integrations that need no I/O (MOCK): the caller may run it inline on the
    /// connection's event loop instead of hopping to a task. `nil` when the integration needs I/O.
    func invokeImmediately(_ exchange: Exchange) -> Result<IntegrationResult, IntegrationError>?
}

extension IntegrationInvoker {
    /// By default an integration needs I/O.
    package func invokeImmediately(_ exchange: Exchange) -> Result<IntegrationResult, IntegrationError>? { nil }
}

/// Delivers messages to connections; the server implements it (locally, and across nodes in cluster mode).
package protocol ConnectionMessenger: Sendable {
    /// Sends a message to every connection of an API stage.
    /// - Parameters:
    ///   - apiId: the API.
    ///   - stage: the stage.
    ///   - payload: the message.
    ///   - isBinary: whether to send a binary frame.
    /// - Returns: how many connections it was queued for.
    func broadcast(apiId: String, stage: String, payload: [UInt8], isBinary: Bool) async -> Int
}
