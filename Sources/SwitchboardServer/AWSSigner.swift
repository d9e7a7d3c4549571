import SwitchboardCore
import SwitchboardPipeline

/// Signs outgoing AWS calls (Lambda Invoke API, AWS services) with the configured credentials.
struct AWSSigner: AWSRequestSigner {
    let credentials: AWSCredentials
    let region: String

    func signatureHeaders(
        method: String,
        url: String,
        headers: [(name: String, value: String)],
        body: [UInt8],
        service: String
    ) -> [(name: String, value: String)] {
        SigV4Signer(
            accessKeyId: self.credentials.accessKeyId,
            secretAccessKey: self.credentials.secretAccessKey,
            sessionToken: self.credentials.sessionToken,
            region: self.region,
            service: service
        ).signatureHeaders(
            method: method,
            url: url,
            headers: headers,
            body: body,
            nowEpochMillis: WallClock.nowMillis()
        )
    }
}
