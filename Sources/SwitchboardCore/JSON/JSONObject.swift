/// The members of a JSON object, in insertion order.
///
/// Keys are unique: setting an existing key replaces its value in place, setting a new key appends it and
/// setting `nil` removes it. Lookups scan small objects linearly and use a hash index once an object grows
/// past a few members, so parsing a large object stays linear. Two objects are equal when they hold the
/// same members in the same order.
package struct JSONObject: Sendable {
    /// One member of an object.
    package typealias Element = (key: String, value: JSONValue)

    fileprivate struct Member: Sendable, Equatable {
        var key: String
        var value: JSONValue
    }

    /// Objects with more members than this keep a hash index.
    private static let indexThreshold = 12

    private var members: [Member]
    private var index: [String: Int]?

    /// Makes an empty object.
    package init() {
        self.members = []
        self.index = nil
    }

    /// Makes an object from members in order. A repeated key keeps its first position and its last value.
    ///
    /// - Parameter members: The members.
    package init(_ members: [(String, JSONValue)]) {
        self.init()
        self.members.reserveCapacity(members.count)
        for (key, value) in members {
            self[key] = value
        }
    }

    /// The number of members.
    package var count: Int { self.members.count }

    /// `true` when the object has no members.
    package var isEmpty: Bool { self.members.isEmpty }

    /// The member names, in order.
    package var keys: [String] { self.members.map(\.key) }

    /// The member values, in order.
    package var values: [JSONValue] { self.members.map(\.value) }

    /// Reads, replaces, appends or (with `nil`) removes a member.
    ///
    /// - Parameter key: The member name.
    /// - Returns: The member's value, or `nil` when there is no such member.
    package subscript(key: String) -> JSONValue? {
        get {
            guard let position = self.position(of: key) else { return nil }
            return self.members[position].value
        }
        set {
            if let newValue {
                if let position = self.position(of: key) {
                    self.members[position].value = newValue
                } else {
                    self.members.append(Member(key: key, value: newValue))
                    self.noteAppended(key)
                }
            } else if let position = self.position(of: key) {
                self.members.remove(at: position)
                self.rebuildIndex()
            }
        }
    }

    /// Reserves storage for at least `minimumCapacity` members.
    ///
    /// - Parameter minimumCapacity: The number of members to make room for.
    package mutating func reserveCapacity(_ minimumCapacity: Int) {
        self.members.reserveCapacity(minimumCapacity)
    }

    /// `true` when the object has a member named `key`.
    ///
    /// - Parameter key: The member name.
    /// - Returns: Whether the member exists.
    package func contains(key: String) -> Bool {
        self.position(of: key) != nil
    }

    // MARK: - Index

    private func position(of key: String) -> Int? {
        if let index = self.index {
            return index[key]
        }
        return self.members.firstIndex { $0.key == key }
    }

    private mutating func noteAppended(_ key: String) {
        if self.index != nil {
            self.index?[key] = self.members.count - 1
        } else if self.members.count > Self.indexThreshold {
            self.rebuildIndex()
        }
    }

    private mutating func rebuildIndex() {
        guard self.members.count > Self.indexThreshold else {
            self.index = nil
            return
        }
        var index = [String: Int](minimumCapacity: self.members.count)
        for (position, member) in self.members.enumerated() {
            index[member.key] = position
        }
        self.index = index
    }
}

extension JSONObject: Equatable {
    /// Two objects are equal when they hold equal members in the same order.
    ///
    /// - Parameters:
    ///   - lhs: An object.
    ///   - rhs: Another object.
    /// - Returns: Whether the members are equal.
    package static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.members == rhs.members
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// Makes an object from a dictionary literal, keeping the literal's order.
    ///
    /// - Parameter elements: The members.
    package init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }
}

extension JSONObject: Sequence {
    /// Iterates the members in order.
    package struct Iterator: IteratorProtocol {
        private var base: IndexingIterator<[Member]>

        fileprivate init(_ members: [Member]) {
            self.base = members.makeIterator()
        }

        /// Returns the next member.
        ///
        /// - Returns: The next `(key, value)` pair, or `nil` at the end.
        package mutating func next() -> (key: String, value: JSONValue)? {
            guard let member = self.base.next() else { return nil }
            return (member.key, member.value)
        }
    }

    /// Returns an iterator over the members in order.
    ///
    /// - Returns: The iterator.
    package func makeIterator() -> Iterator {
        Iterator(self.members)
    }

    /// The number of members, as a lower bound for `Sequence` algorithms.
    package var underestimatedCount: Int { self.members.count }
}
