import Foundation
import SwitchboardConfig
import SwitchboardCore
import Testing

/// Loads every file shipped in `Config/`, so the examples can never rot (STYLE.md rule 13).
struct ShippedConfigTests {
    /// The repository's `Config/` folder, found from this file's location.
    static let configDirectory = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("Config")

    /// The YAML files in `Config/`.
    static var shippedFiles: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: Self.configDirectory.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
    }

    @Test("Config/ ships at least one configuration")
    func configShipped() {
        #expect(!Self.shippedFiles.isEmpty, "no YAML files in \(Self.configDirectory.path)")
    }

    @Test("every shipped configuration loads without diagnostics", arguments: ShippedConfigTests.shippedFiles)
    func shippedConfigLoads(_ name: String) {
        let path = Self.configDirectory.appendingPathComponent(name).path
        do {
            let config = try ConfigLoader.load(path: path, environment: [:])
            #expect(!config.apis.isEmpty)
        } catch {
            Issue.record("\(error)")
        }
    }
}
