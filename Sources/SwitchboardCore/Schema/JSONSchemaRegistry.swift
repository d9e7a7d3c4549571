/// The schema documents a compilation can reach, and where each `id` points.
///
/// The root document is loaded first; a remote document (or the built-in draft 4 meta-schema) is loaded the
/// first time a `$ref` names it. Loading a document records every `id` in it, resolved against the `id`s
/// that enclose it (draft 4 resolution scopes). An `id` next to `$ref` is ignored, as draft 4 says.
struct JSONSchemaRegistry {
    /// A subschema: a document and a JSON pointer into it.
    struct Location: Hashable {
        var document: Int
        var pointer: [String]

        func appending(_ tokens: String...) -> Location {
            Location(document: self.document, pointer: self.pointer + tokens)
        }
    }

    /// Keywords whose value is an object of subschemas.
    static let schemaMapKeywords: Set<String> = ["properties", "patternProperties", "definitions", "dependencies"]
    /// Keywords whose value is a subschema or an array of subschemas.
    static let schemaKeywords: Set<String> = [
        "items", "additionalItems", "additionalProperties", "not", "allOf", "anyOf", "oneOf",
    ]
    /// Keyword nesting deeper than this is rejected, so no schema can exhaust the stack.
    static let depthLimit = 256

    private(set) var documents: [JSONValue] = []
    private(set) var documentURIs: [String] = []
    private var index: [String: Location] = [:]
    private let remotes: [String: JSONValue]

    init(remotes: [String: JSONValue]) {
        var normalized: [String: JSONValue] = [:]
        for (uri, document) in remotes {
            normalized[JSONSchemaURI.split(uri).base] = document
        }
        self.remotes = normalized
    }

    // MARK: - Documents

    /// Adds a document and records its `id`s.
    ///
    /// - Parameters:
    ///   - document: The schema document.
    ///   - uri: The URI it was loaded from (`""` for the root schema).
    /// - Returns: The document number.
    /// - Throws: `JSONSchemaError` when the document nests too deeply.
    mutating func add(_ document: JSONValue, uri: String) throws(JSONSchemaError) -> Int {
        let number = self.documents.count
        self.documents.append(document)
        self.documentURIs.append(uri)
        let root = Location(document: number, pointer: [])
        if self.index[uri] == nil { self.index[uri] = root }
        try self.recordIDs(in: document, at: root, base: uri, depth: 0)
        return number
    }

    /// The value at a location, or `nil` when the pointer does not resolve.
    func value(at location: Location) -> JSONValue? {
        guard self.documents.indices.contains(location.document) else { return nil }
        var value = self.documents[location.document]
        for token in location.pointer {
            switch value {
            case .object(let object):
                guard let member = object[token] else { return nil }
                value = member
            case .array(let elements):
                guard let position = Int(token), elements.indices.contains(position) else { return nil }
                value = elements[position]
            default:
                return nil
            }
        }
        return value
    }

    /// A location as a URI for messages (`#/properties/a`, `http://h/s.json#/definitions/b`).
    func describe(_ location: Location) -> String {
        var pointer = ""
        for token in location.pointer {
            JSONSchemaURI.append(token, to: &pointer)
        }
        let uri = self.documentURIs.indices.contains(location.document) ? self.documentURIs[location.document] : ""
        return uri + "#" + pointer
    }

    // MARK: - References

    /// Finds the subschema an absolute `$ref` names, loading its document if needed.
    ///
    /// - Parameter uri: The `$ref` resolved against its resolution scope.
    /// - Returns: The target, or `nil` when no known document or `id` matches.
    /// - Throws: `JSONSchemaError` when a newly loaded document is invalid.
    mutating func locate(_ uri: String) throws(JSONSchemaError) -> Location? {
        let (base, fragment) = JSONSchemaURI.split(uri)
        if let location = self.lookUp(base: base, fragment: fragment) { return location }
        if !self.documentURIs.contains(base) {
            if let remote = self.remotes[base] {
                _ = try self.add(remote, uri: base)
            } else if base == JSONSchema.draft4MetaSchemaURI {
                _ = try self.add(JSONSchema.draft4MetaSchema, uri: base)
            }
        }
        return self.lookUp(base: base, fragment: fragment)
    }

    private func lookUp(base: String, fragment: String?) -> Location? {
        guard let fragment, !fragment.isEmpty else { return self.index[base] }
        if let tokens = JSONSchemaURI.pointerTokens(fromFragment: fragment) {
            guard let location = self.index[base] else { return nil }
            return Location(document: location.document, pointer: location.pointer + tokens)
        }
        return self.index[base + "#" + fragment]
    }

    // MARK: - Resolution scopes

    /// The resolution scope that applies to a location's parent: the document URI changed by every `id` on
    /// the way down from the document root (only `id`s of subschemas count, not of values inside `enum`).
    func parentScope(of location: Location) -> String {
        guard self.documents.indices.contains(location.document) else { return "" }
        enum Kind {
            case schema
            case schemaContainer
            case other
        }
        var scope = self.documentURIs[location.document]
        var value = self.documents[location.document]
        var kind = Kind.schema
        for token in location.pointer {
            guard let next = Self.child(of: value, token) else { return scope }
            switch kind {
            case .schema:
                scope = Self.scope(of: value, in: scope)
                if Self.schemaMapKeywords.contains(token), next.objectValue != nil {
                    kind = .schemaContainer
                } else if Self.schemaKeywords.contains(token) {
                    kind = next.arrayValue != nil ? .schemaContainer : .schema
                } else {
                    kind = .other
                }
            case .schemaContainer:
                kind = .schema
            case .other:
                break
            }
            value = next
        }
        return scope
    }

    private static func child(of value: JSONValue, _ token: String) -> JSONValue? {
        switch value {
        case .object(let object): return object[token]
        case .array(let elements):
            guard let position = Int(token), elements.indices.contains(position) else { return nil }
            return elements[position]
        default: return nil
        }
    }

    /// The resolution scope inside `schema` when its parent's scope is `scope`.
    static func scope(of schema: JSONValue, in scope: String) -> String {
        guard let object = schema.objectValue, object["$ref"] == nil, let id = object["id"]?.stringValue else {
            return scope
        }
        return JSONSchemaURI.resolve(id, against: scope)
    }

    private mutating func recordIDs(
        in schema: JSONValue,
        at location: Location,
        base: String,
        depth: Int
    ) throws(JSONSchemaError) {
        guard let object = schema.objectValue else { return }
        guard depth < Self.depthLimit else {
            throw JSONSchemaError("schema nesting exceeds \(Self.depthLimit) levels at \(self.describe(location))")
        }
        let scope = Self.scope(of: schema, in: base)
        if scope != base {
            let (uri, fragment) = JSONSchemaURI.split(scope)
            let key = (fragment ?? "").isEmpty ? uri : scope
            if self.index[key] == nil { self.index[key] = location }
        }
        for (keyword, value) in object {
            if Self.schemaMapKeywords.contains(keyword), let members = value.objectValue {
                for (name, member) in members {
                    try self.recordIDs(in: member, at: location.appending(keyword, name), base: scope, depth: depth + 1)
                }
            } else if Self.schemaKeywords.contains(keyword) {
                if let elements = value.arrayValue {
                    for (position, element) in elements.enumerated() {
                        let child = location.appending(keyword, String(position))
                        try self.recordIDs(in: element, at: child, base: scope, depth: depth + 1)
                    }
                } else {
                    try self.recordIDs(in: value, at: location.appending(keyword), base: scope, depth: depth + 1)
                }
            }
        }
    }
}
