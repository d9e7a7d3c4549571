import NIOCore
import NIOHTTP1
import SwitchboardCore
import SwitchboardPipeline

/// An HTTP or REST API request as the listener hands it over.
struct APIRequest: Sendable {
    var method: String
    var fullPath: String
    var rawQuery: String?
    var headers: [(name: String, value: String)]
    var body: ByteBuffer
    var hasBody: Bool
    var sourceIp: String
    var localAddress: String?
    var localPort: Int?
    var eventLoop: (any EventLoop)?
    var selection: APISelector.Selection
}

extension Gateway {
    /// Runs an HTTP or REST API request through its pipeline and adds the headers every response of that
    /// API type carries (`apigw-requestid` for HTTP APIs; `x-amzn-RequestId` and `x-amz-apigw-id` for REST).
    func handleAPIRequest(_ request: APIRequest, api: CompiledHTTPAPI) async -> HTTPResponseValue {
        let requestId: String
        let extendedRequestId = self.ids.next()
        if api.isREST {
            requestId = RequestIdentifiers.uuid(from: self.ids.next() + self.ids.next())
        } else {
            requestId = extendedRequestId
        }
        let host = request.headers.first { $0.name.caseInsensitiveEquals("Host") }?.value ?? ""
        var exchange = HTTPExchange(
            api: api,
            stage: request.selection.stage,
            method: request.method,
            path: Self.rawRemainingPath(fullPath: request.fullPath, selection: request.selection),
            rawQuery: request.rawQuery,
            headers: request.headers,
            body: request.body,
            hasBody: request.hasBody,
            sourceIp: request.sourceIp,
            domainName: String(host.prefix { $0 != ":" }),
            requestId: requestId,
            extendedRequestId: extendedRequestId,
            requestTimeMillis: self.nowMillis()
        )
        exchange.localAddress = request.localAddress
        exchange.localPort = request.localPort
        exchange.eventLoop = request.eventLoop
        // An HTTP API without a `$default` stage answers requests that name none of its stages with Not Found.
        var response =
            request.selection.stage == APISelector.noStage
            ? HTTPPipelineRunner.gatewayResponse(.notFound, exchange: exchange)
            : await HTTPPipelineRunner.run(&exchange)
        if api.isREST {
            response.headers.append(("x-amzn-RequestId", requestId))
            response.headers.append(("x-amz-apigw-id", extendedRequestId))
        } else {
            response.headers.append(("apigw-requestid", requestId))
        }
        return HTTPResponseValue(status: response.status, headers: response.headers, body: response.body)
    }
}

extension Gateway {
    /// The path below the stage or API mapping exactly as the client sent it: AWS keeps a trailing slash and
    /// doubled slashes in what integrations see (`/dev/items/a//b/` → `/items/a//b/`), while the selector's
    /// `remainingPath` is normalized. `/` when nothing is left.
    static func rawRemainingPath(fullPath: String, selection: APISelector.Selection) -> String {
        let segments = PathSegments.nonEmpty(of: fullPath)
        let consumed = segments.count - PathSegments.nonEmpty(of: selection.remainingPath).count
        guard consumed > 0, consumed <= segments.count else {
            return consumed == 0 && fullPath.hasPrefix("/") ? fullPath : selection.remainingPath
        }
        let rest = fullPath[segments[consumed - 1].endIndex...]
        return rest.isEmpty ? "/" : String(rest)
    }
}

/// Request id shapes: REST APIs use a UUID for `$context.requestId`.
enum RequestIdentifiers {
    /// A version-4-shaped UUID string derived from random identifiers (two FNV-1a passes over the seed).
    static func uuid(from seed: String) -> String {
        var bytes: [UInt8] = []
        for offset: UInt64 in [0xcbf2_9ce4_8422_2325, 0x8422_2325_cbf2_9ce4] {
            var hash = offset
            for byte in seed.utf8 {
                hash ^= UInt64(byte)
                hash &*= 0x100_0000_01b3
            }
            for shift in stride(from: 56, through: 0, by: -8) {
                bytes.append(UInt8(truncatingIfNeeded: hash >> UInt64(shift)))
            }
        }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let digits = Array("0123456789abcdef")
        var text = ""
        for (index, byte) in bytes.enumerated() {
            if [4, 6, 8, 10].contains(index) { text += "-" }
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return text
    }
}
