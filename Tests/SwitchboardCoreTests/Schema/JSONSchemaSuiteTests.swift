import Foundation
import SwitchboardCore
import Testing

/// Runs the official JSON-Schema-Test-Suite (draft 4) from `shared/testdata/JSON-Schema-Test-Suite`, next to
/// the package root. A missing suite fails the tests: it is never skipped.
struct JSONSchemaSuiteTests {
    /// The number of optional cases passed when this test was last tightened; it may only go up.
    static let optionalFloor = 319

    @Test("passes every required draft 4 case")
    func requiredCases() throws {
        let suite = try JSONSchemaTestSuite()
        let files = try suite.files(optional: false)
        #expect(files.count >= 30)
        let results = try suite.run(files)
        print(
            "JSON-Schema-Test-Suite draft4 required: \(results.total - results.failures.count)/\(results.total) passed"
        )
        #expect(results.total >= 600)
        #expect(
            results.failures.isEmpty,
            "\(results.failures.count) failures:\n\(results.failures.joined(separator: "\n"))"
        )
    }

    @Test("counts the optional draft 4 cases passed")
    func optionalCases() throws {
        let suite = try JSONSchemaTestSuite()
        let files = try suite.files(optional: true)
        let results = try suite.run(files)
        let passed = results.total - results.failures.count
        print("JSON-Schema-Test-Suite draft4 optional: \(passed)/\(results.total) passed")
        for failure in results.failures {
            print("  optional failure: \(failure)")
        }
        #expect(passed >= Self.optionalFloor)
    }
}

/// The suite on disk: test files and the documents for remote `$ref`s.
private struct JSONSchemaTestSuite {
    struct Results {
        var total = 0
        var failures: [String] = []
    }

    let root: URL
    let remotes: [String: JSONValue]

    /// Finds the suite by walking up from this file to the package root (the directory with `Package.swift`),
    /// then `../shared/testdata/JSON-Schema-Test-Suite`.
    init() throws {
        var directory = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
            let parent = directory.deletingLastPathComponent()
            try #require(parent.path != directory.path, "no Package.swift above \(#filePath)")
            directory = parent
        }
        self.root = directory.deletingLastPathComponent()
            .appendingPathComponent("shared/testdata/JSON-Schema-Test-Suite")
        let tests = self.root.appendingPathComponent("tests/draft4").path
        try #require(FileManager.default.fileExists(atPath: tests), "JSON-Schema-Test-Suite missing at \(tests)")
        var remotes: [String: JSONValue] = [:]
        let remotesDirectory = self.root.appendingPathComponent("remotes")
        for relative in try Self.jsonFiles(under: remotesDirectory) {
            remotes["http://localhost:1234/" + relative] = try Self.load(
                remotesDirectory.appendingPathComponent(relative)
            )
        }
        try #require(!remotes.isEmpty, "no remote documents under \(remotesDirectory.path)")
        self.remotes = remotes
    }

    /// The draft 4 test files, relative to `tests/draft4`: the required ones, or everything under `optional/`.
    func files(optional: Bool) throws -> [String] {
        let directory = self.root.appendingPathComponent("tests/draft4")
        return try Self.jsonFiles(under: directory).filter { $0.hasPrefix("optional/") == optional }
    }

    /// Compiles each group's schema once and checks every case with both `isValid` and `validate`.
    func run(_ files: [String]) throws -> Results {
        var results = Results()
        for file in files {
            let document = try Self.load(self.root.appendingPathComponent("tests/draft4/\(file)"))
            for group in document.arrayValue ?? [] {
                let description = group["description"]?.stringValue ?? "?"
                let tests = group["tests"]?.arrayValue ?? []
                results.total += tests.count
                let schema: JSONSchema
                do {
                    schema = try JSONSchema(group["schema"] ?? .null, remotes: self.remotes)
                } catch {
                    results.failures += tests.map { _ in "\(file) | \(description): schema rejected: \(error)" }
                    continue
                }
                for test in tests {
                    let data = test["data"] ?? .null
                    let expected = test["valid"]?.boolValue ?? false
                    let violations = schema.validate(data)
                    if schema.isValid(data) != expected || violations.isEmpty != expected {
                        let name = test["description"]?.stringValue ?? "?"
                        results.failures.append(
                            "\(file) | \(description) | \(name): expected \(expected ? "valid" : "invalid"), "
                                + "violations \(violations)"
                        )
                    }
                }
            }
        }
        return results
    }

    private static func load(_ url: URL) throws -> JSONValue {
        try JSONValue.parse(Array(try Data(contentsOf: url)))
    }

    /// Paths of the `.json` files below `directory`, relative to it and sorted.
    private static func jsonFiles(under directory: URL) throws -> [String] {
        let base = directory.resolvingSymlinksInPath().path
        guard let enumerator = FileManager.default.enumerator(atPath: base) else {
            throw CocoaError(.fileReadNoSuchFile)
        }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            if relative.hasSuffix(".json") { files.append(relative) }
        }
        return files.sorted()
    }
}
