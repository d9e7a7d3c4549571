internal import Yams

/// A YAML mapping as read by ``YAMLReader``: its entries in file order, each with its key path.
struct YAMLMapping {
    /// One `key: value` pair.
    struct Entry {
        /// The key.
        var key: String
        /// The key's node (for the position of "unknown key" diagnostics).
        var keyNode: Node
        /// The value.
        var value: Node
        /// The value's key path.
        var path: String
    }

    /// The mapping's own key path.
    var path: String
    /// The mapping's node.
    var node: Node
    /// The entries in file order.
    var entries: [Entry]

    /// The value for `key`, or `nil` when the key is absent or its value is null.
    subscript(key: String) -> Node? {
        guard let entry = self.entries.first(where: { $0.key == key }), !YAMLReader.isNull(entry.value) else {
            return nil
        }
        return entry.value
    }

    /// The key path of `key` in this mapping.
    func path(_ key: String) -> String {
        YAMLReader.join(self.path, key)
    }

    /// Whether `key` is present with a non-null value.
    func contains(_ key: String) -> Bool {
        self[key] != nil
    }
}
