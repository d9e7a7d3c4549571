internal import SwitchboardCore
internal import Yams

extension ConfigLoader {
    /// Keys of a `domains[]` entry.
    static let domainKeys = ["domainName", "mappings"]
    /// Keys of a `domains[].mappings[]` entry.
    static let mappingKeys = ["apiMappingKey", "api", "stage"]

    /// Decodes one `domains[]` entry. Always returns a value (placeholders where decoding failed) so that
    /// `config.domains[i].mappings[j]` stays at key path `domains[i].mappings[j]` for ``validate(_:reader:)``.
    static func decodeDomain(_ node: Node, path: String, reader: inout YAMLReader) -> DomainConfig {
        var domain = DomainConfig(domainName: "", mappings: [])
        guard let mapping = reader.mapping(node, path: path, keys: Self.domainKeys) else { return domain }
        domain.domainName = Self.requiredString(mapping, "domainName", &reader) ?? ""
        guard let mappings = mapping["mappings"] else {
            reader.report("missing required key 'mappings'", at: mapping.node, path: path)
            return domain
        }
        guard let items = reader.sequence(mappings, path: mapping.path("mappings")) else { return domain }
        for (index, item) in items.enumerated() {
            let itemPath = YAMLReader.join(mapping.path("mappings"), index: index)
            domain.mappings.append(Self.decodeAPIMapping(item, path: itemPath, reader: &reader))
        }
        return domain
    }

    /// Decodes one `{ apiMappingKey, api, stage }`; `apiMappingKey` defaults to the empty (root) path.
    static func decodeAPIMapping(_ node: Node, path: String, reader: inout YAMLReader) -> APIMapping {
        var apiMapping = APIMapping(apiMappingKey: "", api: "", stage: "")
        guard let mapping = reader.mapping(node, path: path, keys: Self.mappingKeys) else { return apiMapping }
        if let key = Self.optionalString(mapping, "apiMappingKey", &reader) {
            apiMapping.apiMappingKey = key
            if key.hasPrefix("/") || key.hasSuffix("/") {
                reader.report(
                    "must not start or end with '/' (got '\(key)')",
                    path: mapping.path("apiMappingKey")
                )
            }
        }
        apiMapping.api = Self.requiredString(mapping, "api", &reader) ?? ""
        apiMapping.stage = Self.requiredString(mapping, "stage", &reader) ?? ""
        return apiMapping
    }
}
