import ArgumentParser
import SwitchboardCore

/// `switchboard apikey create NAME`: a new API key, and the `apiKeys` entry that holds only its SHA-256.
struct APIKeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apikey",
        abstract: "Create API keys for usage plans.",
        subcommands: [Create.self]
    )

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a new random API key and the apiKeys entry that stores only its SHA-256."
        )

        @Argument(help: "The key's name in apiKeys and usagePlans.")
        var name: String

        @Option(help: "Use this value (20 to 128 printable characters) instead of a random one.")
        var value: String?

        func run() throws {
            let key = self.value ?? Self.randomKey()
            guard (20...128).contains(key.count), key.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
                throw ValidationError("an API key value is 20 to 128 printable ASCII characters")
            }
            print("key: \(key)")
            print("# give the key to the client (x-api-key header); put this in the configuration:")
            print("apiKeys:")
            print("  - { name: \(self.name), valueSha256: \(APIKeyHash.sha256Hex(key)) }")
        }

        /// 40 letters and digits from the system's secure generator, as AWS's generated keys look.
        static func randomKey() -> String {
            let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
            var generator = SystemRandomNumberGenerator()
            return String((0..<40).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
        }
    }
}
