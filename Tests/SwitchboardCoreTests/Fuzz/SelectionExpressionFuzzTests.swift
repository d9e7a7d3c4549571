import SwitchboardCore
import Testing

/// Seeded fuzzing of the selection expression parser and evaluator (issue 7): no crash, no hang, every error
/// inside the text, and the parts that parse behave (canonical names re-parse, body paths select what they name).
struct SelectionExpressionFuzzTests {
    /// Pieces random expressions are built from.
    static let alphabet = [
        "$", "$", "{", "}", "\\", "request.body", "request.", "body", ".", "..", "[", "]", "'", "\"", "action", "a",
        "0", "12", "-1", "*", "@", "context.", "requestId", "stageVariables.", "request.header.", "request.method",
        "request.querystring.", "integration.response.", "response.body", "statuscode", "$default", " ", "/", "é",
        "😀", "\u{0}", "\n", "x",
    ]

    /// Valid expressions the mutation tests start from.
    static let seeds = [
        "$request.body.action", "${request.body.service}/${request.body.action}", "\\$default", "$default",
        "${request.body['data']['room']}", "$request.body.ids[1]", "$context.requestId/$request.body.action",
        "${request.method} $request.path?q=$request.querystring.q&h=$request.header.X-Id",
        "v1\\$-${request.body.a}:$context.stage.", " ${stageVariables.env} ${integration.response.statuscode}",
        "$integration.response.body.a[0]", "${response.header.Content-Type}", "$request.body",
    ]

    @Test("random expressions parse, or fail at an offset inside the text")
    func randomExpressions() {
        var random = FuzzRandom(seed: 0x5E1E_C710_0001)
        for index in 0..<FuzzRandom.cases(10_000) {
            let source = random.string(from: Self.alphabet, maxLength: 24)
            Self.check(source, random: &random, context: "seed \(random.seed) case \(index)")
        }
    }

    @Test("mutated valid expressions parse, or fail at an offset inside the text")
    func mutatedExpressions() {
        var random = FuzzRandom(seed: 0x5E1E_C710_0002)
        for index in 0..<FuzzRandom.cases(10_000) {
            let source = random.mutate(random.pick(Self.seeds), tokens: Self.alphabet)
            Self.check(source, random: &random, context: "seed \(random.seed) case \(index)")
        }
    }

    @Test("a body variable selects the value at its path in random documents")
    func bodyPathsSelect() throws {
        var random = FuzzRandom(seed: 0x5E1E_C710_0003)
        for index in 0..<FuzzRandom.cases(2_000) {
            let wide = random.oneIn(8)
            let body = random.json(depth: wide ? 2 : random.int(0...8), width: wide ? 40 : 3)
            let (path, value) = random.existingPath(in: body)
            // A quote inside a quoted key is escaped with a backslash, which the `${…}` brace scanner does not
            // skip: such keys cannot be named in a selection expression (a configuration error, not a crash).
            let quoted = path.segments.contains { segment in
                if case .key(let key) = segment { return key.unicodeScalars.contains("'") }
                return false
            }
            let source = "${request.body" + path.description.dropFirst() + "}"
            let expression: SelectionExpression
            do {
                expression = try SelectionExpression(parsing: source)
            } catch {
                #expect(quoted, "seed \(random.seed) case \(index): \(FuzzRandom.preview(source)) failed: \(error)")
                continue
            }
            #expect(
                expression.evaluate(body: body) == value.selectionString,
                "seed \(random.seed) case \(index): \(FuzzRandom.preview(source))"
            )
        }
    }

    @Test("100k-long expressions parse in one pass")
    func longExpressions() throws {
        let many = try SelectionExpression(parsing: String(repeating: "${request.body.a}-", count: 20_000))
        #expect(many.parts.count == 40_000)
        #expect(many.evaluate(body: ["a": "x"]).utf8.count == 40_000)
        let deepPath = try SelectionExpression(parsing: "$request.body" + String(repeating: ".a", count: 100_000))
        #expect(deepPath.evaluate(body: ["a": ["a": 1]]) == "")
        let brackets = "$request.body" + String(repeating: "[0]", count: 100_000)
        #expect(try SelectionExpression(parsing: brackets).evaluate(body: [1]) == "")
        for text in ["$", "${", "\\$", "$[", "${'", "}", "$request.body["] {
            let source = String(repeating: text, count: 100_000)
            do {
                _ = try SelectionExpression(parsing: source).evaluate(body: nil)
            } catch {
                #expect((0...source.utf8.count).contains(error.offset), "\(text) × 100,000: \(error)")
            }
        }
    }

    /// Parses `source`; on success evaluates it and checks what any parse must satisfy.
    private static func check(_ source: String, random: inout FuzzRandom, context: String) {
        let expression: SelectionExpression
        do {
            expression = try SelectionExpression(parsing: source)
        } catch {
            #expect(
                (0...source.utf8.count).contains(error.offset),
                "\(context): \(FuzzRandom.preview(source)): offset \(error.offset) outside the text"
            )
            return
        }
        var variables: [SelectionVariable] = []
        for part in expression.parts {
            if case .variable(let variable) = part { variables.append(variable) }
        }
        #expect((expression.staticValue == nil) == !variables.isEmpty, "\(context): \(FuzzRandom.preview(source))")
        let readsBody = variables.contains { variable in
            if case .requestBody = variable { return true }
            return false
        }
        #expect(expression.referencesRequestBody == readsBody, "\(context): \(FuzzRandom.preview(source))")
        for variable in variables {
            let name = variable.name
            #expect(
                (try? SelectionVariable(parsing: name)) == variable,
                "\(context): \(FuzzRandom.preview(source)): '\(name)' does not parse back to \(variable)"
            )
        }
        let body: JSONValue? = random.oneIn(4) ? nil : random.json(depth: random.int(0...5), width: 6)
        _ = expression.evaluate(body: body)
        let resolved = expression.evaluate { _ in "v" }
        if let staticValue = expression.staticValue { #expect(resolved == staticValue, "\(context)") }
    }
}
