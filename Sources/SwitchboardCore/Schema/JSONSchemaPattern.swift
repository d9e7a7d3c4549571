/// A compiled `pattern` or `patternProperties` regular expression with ECMA 262 semantics where Swift's
/// `Regex` differs: matching is by Unicode scalar, unanchored, `\d` and `\w` are ASCII only, `\s` is the
/// ECMA 262 whitespace set (which includes U+FEFF) and `\cX` is a control character.
struct JSONSchemaPattern: Sendable {
    /// The ECMA 262 source text, as written in the schema.
    let source: String
    private let compiled: Compiled

    // SAFETY: `Regex` is an immutable value; the only state it builds after creation is its lowered program,
    // which the standard library initializes lazily with an atomic compare-and-swap. `init` matches once
    // before the pattern is shared, so other threads only ever read it.
    private final class Compiled: @unchecked Sendable {
        let regex: Regex<AnyRegexOutput>

        init(_ regex: Regex<AnyRegexOutput>) {
            self.regex = regex
        }
    }

    /// ECMA 262 `WhiteSpace` and `LineTerminator` code points, as character class members. U+2000 and U+2001
    /// are listed apart because `Regex` rejects code points with singleton decompositions as range bounds.
    private static let whitespaceMembers =
        #"\t\n\u{B}\u{C}\r \u{A0}\u{1680}\u{2000}\u{2001}\u{2002}-\u{200A}\u{2028}\u{2029}\u{202F}\u{205F}\u{3000}\u{FEFF}"#

    /// Compiles `source`.
    ///
    /// - Parameter source: An ECMA 262 regular expression.
    /// - Returns: `nil` when the expression is invalid or uses syntax Swift's `Regex` does not support.
    init?(_ source: String) {
        guard let translated = Self.translate(source), let regex = try? Regex(translated) else { return nil }
        let configured =
            regex
            .matchingSemantics(.unicodeScalar)
            .asciiOnlyDigits()
            .asciiOnlyWordCharacters()
            .wordBoundaryKind(.simple)
        _ = "".contains(configured)
        self.source = source
        self.compiled = Compiled(configured)
    }

    /// `true` when the expression matches somewhere in `string`.
    func matches(_ string: String) -> Bool {
        string.contains(self.compiled.regex)
    }

    /// Rewrites the ECMA 262 escapes Swift spells differently (`\s`, `\S`, `\cX`); everything else passes
    /// through. Returns `nil` for a dangling escape or a bad `\c`.
    private static func translate(_ source: String) -> String? {
        var output = ""
        var inClass = false
        var scalars = source.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            switch scalar {
            case "\\":
                guard let escaped = scalars.next() else { return nil }
                switch escaped {
                case "s":
                    output += inClass ? Self.whitespaceMembers : "[\(Self.whitespaceMembers)]"
                case "S":
                    output += "[^\(Self.whitespaceMembers)]"
                case "c":
                    guard let letter = scalars.next(), letter.isASCIILetter else { return nil }
                    output += "\\u{\(String(letter.value % 32, radix: 16))}"
                default:
                    output.unicodeScalars.append("\\")
                    output.unicodeScalars.append(escaped)
                }
            case "[" where !inClass:
                inClass = true
                output.unicodeScalars.append(scalar)
            case "]" where inClass:
                inClass = false
                output.unicodeScalars.append(scalar)
            default:
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIILetter: Bool {
        (self >= "a" && self <= "z") || (self >= "A" && self <= "Z")
    }
}
