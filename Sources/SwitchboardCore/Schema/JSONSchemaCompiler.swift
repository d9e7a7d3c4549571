/// Compiles a draft 4 schema document into a table of ``JSONSchemaNode``s.
///
/// Subschemas are compiled from a work list rather than by recursion, and each location is compiled once, so
/// `$ref` cycles and deep schemas cost no stack. A `$ref` is resolved against its resolution scope and stored
/// as the index of its target.
struct JSONSchemaCompiler {
    typealias Location = JSONSchemaRegistry.Location

    private var registry: JSONSchemaRegistry
    private var nodes: [JSONSchemaNode] = []
    private var locations: [Location] = []
    private var indices: [Location: Int] = [:]
    private var pending: [(index: Int, location: Location, parentScope: String)] = []

    private init(remotes: [String: JSONValue]) {
        self.registry = JSONSchemaRegistry(remotes: remotes)
    }

    /// Compiles `schema`.
    ///
    /// - Parameters:
    ///   - schema: The root schema.
    ///   - remotes: Documents that remote `$ref`s may name, by absolute URI.
    /// - Returns: The node table and the root's index in it.
    /// - Throws: `JSONSchemaError` naming the first problem and its location.
    static func compile(
        _ schema: JSONValue,
        remotes: [String: JSONValue]
    ) throws(JSONSchemaError) -> (nodes: [JSONSchemaNode], root: Int) {
        var compiler = JSONSchemaCompiler(remotes: remotes)
        let document = try compiler.registry.add(schema, uri: "")
        let root = compiler.enqueue(Location(document: document, pointer: []), parentScope: "")
        while let item = compiler.pending.popLast() {
            compiler.nodes[item.index] = try compiler.compileNode(at: item.location, parentScope: item.parentScope)
        }
        try compiler.checkForLoops()
        return (compiler.nodes, root)
    }

    /// The index of the node for `location`, reserving it (and queueing its compilation) on first use.
    private mutating func enqueue(_ location: Location, parentScope: String) -> Int {
        if let index = self.indices[location] { return index }
        let index = self.nodes.count
        self.nodes.append(JSONSchemaNode())
        self.locations.append(location)
        self.indices[location] = index
        self.pending.append((index, location, parentScope))
        return index
    }

    // MARK: - Nodes

    private mutating func compileNode(
        at location: Location,
        parentScope: String
    ) throws(JSONSchemaError) -> JSONSchemaNode {
        guard let value = self.registry.value(at: location) else {
            throw self.error(at: location, "no such subschema")
        }
        guard let object = value.objectValue else { throw self.error(at: location, "a schema must be an object") }
        let scope = JSONSchemaRegistry.scope(of: value, in: parentScope)
        var node = JSONSchemaNode()
        if let reference = object["$ref"] {
            node.reference = try self.resolveReference(reference, at: location.appending("$ref"), scope: scope)
            return node
        }
        let context = KeywordContext(object: object, location: location, scope: scope)
        if object["definitions"] != nil, object["definitions"]?.objectValue == nil {
            throw self.error(at: location.appending("definitions"), "must be an object")
        }
        let arrayChildren = try self.arrayChildren(context)
        let objectChildren = try self.objectChildren(context)
        if case .tuple(let items) = arrayChildren.items, case .forbidden = arrayChildren.additionalItems {
            node.keywords.append(.additionalItems(allowed: items.count))
        }
        if case .forbidden = objectChildren.additionalProperties {
            node.keywords.append(.additionalProperties(objectChildren))
        }
        try self.compileAssertions(context, into: &node)
        if object["items"] != nil || object["additionalItems"] != nil { node.arrayChildren = arrayChildren }
        if object["properties"] != nil || object["patternProperties"] != nil || object["additionalProperties"] != nil {
            node.objectChildren = objectChildren
        }
        return node
    }

    private mutating func resolveReference(
        _ reference: JSONValue,
        at location: Location,
        scope: String
    ) throws(JSONSchemaError) -> Int {
        guard let text = reference.stringValue else { throw self.error(at: location, "must be a string") }
        let uri = JSONSchemaURI.resolve(text, against: scope)
        guard let target = try self.registry.locate(uri), self.registry.value(at: target) != nil else {
            throw self.error(at: location, "cannot resolve \(JSONValue.quoted(uri))")
        }
        return self.enqueue(target, parentScope: self.registry.parentScope(of: target))
    }

    private mutating func arrayChildren(
        _ context: KeywordContext
    ) throws(JSONSchemaError) -> JSONSchemaNode.ArrayChildren {
        var children = JSONSchemaNode.ArrayChildren()
        switch context.object["items"] {
        case nil:
            break
        case .object:
            children.items = .single(try self.subschema("items", in: context))
        case .array(let elements):
            var schemas: [Int] = []
            for position in elements.indices {
                schemas.append(try self.subschema("items", String(position), in: context))
            }
            children.items = .tuple(schemas)
        default:
            throw self.error(at: context.location.appending("items"), "must be an object or an array")
        }
        children.additionalItems = try self.additional("additionalItems", context)
        return children
    }

    private mutating func objectChildren(
        _ context: KeywordContext
    ) throws(JSONSchemaError) -> JSONSchemaNode.ObjectChildren {
        var children = JSONSchemaNode.ObjectChildren()
        for name in try self.memberNames("properties", context) {
            children.properties[name] = try self.subschema("properties", name, in: context)
        }
        for source in try self.memberNames("patternProperties", context) {
            guard let pattern = JSONSchemaPattern(source) else {
                throw self.error(
                    at: context.location.appending("patternProperties", source),
                    "invalid regular expression"
                )
            }
            children.patternProperties.append((pattern, try self.subschema("patternProperties", source, in: context)))
        }
        children.additionalProperties = try self.additional("additionalProperties", context)
        return children
    }

    // MARK: - Helpers

    /// The schema object being compiled, where it is and its resolution scope.
    struct KeywordContext {
        var object: JSONObject
        var location: Location
        var scope: String
    }

    /// Queues the subschema at `context.location/tokens…`, which must be an object.
    mutating func subschema(_ tokens: String..., in context: KeywordContext) throws(JSONSchemaError) -> Int {
        let location = Location(document: context.location.document, pointer: context.location.pointer + tokens)
        guard self.registry.value(at: location)?.objectValue != nil else {
            throw self.error(at: location, "a schema must be an object")
        }
        return self.enqueue(location, parentScope: context.scope)
    }

    private mutating func additional(
        _ keyword: String,
        _ context: KeywordContext
    ) throws(JSONSchemaError) -> JSONSchemaNode.Additional {
        switch context.object[keyword] {
        case nil, .bool(true): return .allowed
        case .bool(false): return .forbidden
        case .object: return .schema(try self.subschema(keyword, in: context))
        default: throw self.error(at: context.location.appending(keyword), "must be a boolean or an object")
        }
    }

    /// The member names of an object-valued keyword (empty when absent).
    func memberNames(_ keyword: String, _ context: KeywordContext) throws(JSONSchemaError) -> [String] {
        guard let value = context.object[keyword] else { return [] }
        guard let members = value.objectValue else {
            throw self.error(at: context.location.appending(keyword), "must be an object")
        }
        return members.keys
    }

    /// An error naming a schema location.
    func error(at location: Location, _ problem: String) -> JSONSchemaError {
        JSONSchemaError("invalid schema at \(self.registry.describe(location)): \(problem)")
    }

    /// Rejects loops of subschemas that apply to the same instance (`{"$ref": "#"}`,
    /// `{"allOf": [{"$ref": "#"}]}`): validating them would never end.
    private func checkForLoops() throws(JSONSchemaError) {
        var state = [UInt8](repeating: 0, count: self.nodes.count)  // 0 new, 1 on the path, 2 done
        for start in self.nodes.indices where state[start] == 0 {
            state[start] = 1
            var stack: [(node: Int, next: Int, edges: [Int])] = [(start, 0, self.nodes[start].sameInstanceSubschemas)]
            while var top = stack.popLast() {
                guard top.next < top.edges.count else {
                    state[top.node] = 2
                    continue
                }
                let child = top.edges[top.next]
                top.next += 1
                stack.append(top)
                if state[child] == 1 {
                    throw self.error(at: self.locations[child], "subschema loops back to itself through $ref")
                }
                if state[child] == 0 {
                    state[child] = 1
                    stack.append((child, 0, self.nodes[child].sameInstanceSubschemas))
                }
            }
        }
    }
}
