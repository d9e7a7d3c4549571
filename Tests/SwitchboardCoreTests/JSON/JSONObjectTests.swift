import SwitchboardCore
import Testing

struct JSONObjectTests {
    @Test("keeps literal and insertion order")
    func order() {
        var object: JSONObject = ["z": 1, "a": 2, "m": 3]
        object["b"] = 4
        #expect(object.keys == ["z", "a", "m", "b"])
        #expect(object.count == 4)
        #expect(object.map(\.key) == ["z", "a", "m", "b"])
        #expect(object.map(\.value) == [1, 2, 3, 4])
    }

    @Test("setting an existing key replaces in place; nil removes")
    func setAndRemove() {
        var object: JSONObject = ["a": 1, "b": 2, "c": 3]
        object["b"] = "two"
        #expect(object.keys == ["a", "b", "c"])
        #expect(object["b"] == "two")
        object["a"] = nil
        #expect(object.keys == ["b", "c"])
        #expect(object["a"] == nil)
        object["missing"] = nil
        #expect(object.count == 2)
        #expect(object.contains(key: "c"))
        #expect(!object.contains(key: "a"))
    }

    @Test("a repeated literal key keeps its first position and its last value")
    func duplicateLiteral() {
        let object = JSONObject([("a", 1), ("b", 2), ("a", 3)])
        #expect(object.keys == ["a", "b"])
        #expect(object["a"] == 3)
    }

    @Test("large objects stay consistent across inserts and removals")
    func largeObject() {
        var object = JSONObject()
        for number in 0..<100 {
            object["k\(number)"] = .integer(number)
        }
        for number in stride(from: 0, to: 100, by: 3) {
            object["k\(number)"] = nil
        }
        object["k1"] = "replaced"
        #expect(object.count == 66)
        #expect(object["k1"] == "replaced")
        #expect(object["k3"] == nil)
        #expect(object["k98"] == 98)
        #expect(object.keys.prefix(3) == ["k1", "k2", "k4"])
        for number in 0..<95 {
            object["k\(number)"] = nil
        }
        #expect(object.keys == ["k95", "k97", "k98"])
        #expect(object["k97"] == 97)
    }

    @Test("equality compares members in order")
    func equality() {
        var grown = JSONObject()
        for number in 0..<20 {
            grown["k\(number)"] = 1
        }
        for number in 2..<20 {
            grown["k\(number)"] = nil
        }
        #expect(grown == ["k0": 1, "k1": 1])
        #expect(JSONObject([("a", 1), ("b", 2)]) != ["b": 2, "a": 1])
        #expect(JSONObject() == [:])
        #expect(JSONObject().isEmpty)
    }
}
