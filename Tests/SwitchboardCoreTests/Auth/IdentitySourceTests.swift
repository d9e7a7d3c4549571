import SwitchboardCore
import Testing

struct IdentitySourceTests {
    @Test(
        "every AWS spelling parses to its kind and name",
        arguments: [
            ("route.request.header.Authorization", IdentitySource.Kind.header, "Authorization"),
            ("route.request.querystring.token", .queryString, "token"),
            ("method.request.header.X-User", .header, "X-User"), ("method.request.querystring.q", .queryString, "q"),
            ("$request.header.Authorization", .header, "Authorization"), ("$request.querystring.t", .queryString, "t"),
            ("stageVariables.secret", .stageVariable, "secret"), ("$stageVariables.s", .stageVariable, "s"),
            ("context.routeKey", .context, "routeKey"), ("$context.identity.sourceIp", .context, "identity.sourceIp"),
        ]
    )
    func parses(_ text: String, _ kind: IdentitySource.Kind, _ name: String) throws {
        let source = try #require(IdentitySource(parsing: text))
        #expect(source.kind == kind)
        #expect(source.name == name)
        #expect(source.description == text)
    }

    @Test(
        "unknown forms and empty names do not parse",
        arguments: ["", "header.X", "route.request.header.", "$request.body.x"]
    )
    func rejects(_ text: String) {
        #expect(IdentitySource(parsing: text) == nil)
    }

    @Test("resolution fails when any source is missing or empty, as AWS answers 401 without invoking")
    func resolve() throws {
        let sources = try [
            #require(IdentitySource(parsing: "route.request.header.A")),
            #require(IdentitySource(parsing: "route.request.querystring.b")),
        ]
        #expect(IdentitySource.resolve(sources) { $0.kind == .header ? "x" : "y" } == ["x", "y"])
        #expect(IdentitySource.resolve(sources) { $0.kind == .header ? "x" : nil } == nil)
        #expect(IdentitySource.resolve(sources) { $0.kind == .header ? "" : "y" } == nil)
    }
}
