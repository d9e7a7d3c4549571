/// An exact decimal number parsed from JSON number text: `±digits × 10^exponent`.
///
/// Comparisons, equality and `multipleOf` work on the decimal digits, so integers of any size and decimals such
/// as `0.0075` are handled exactly. The value is normalised: `digits` has no leading or trailing zeros, and zero
/// has no digits and is never negative, so `1`, `1.0`, `10e-1` and `0.1e1` compare and hash equal.
struct JSONSchemaNumber: Sendable, Hashable {
    /// Exponents are clamped to this magnitude, far beyond any `Double` and any digit count, so exponent
    /// arithmetic never overflows.
    private static let exponentLimit = 1_000_000_000

    /// Significant decimal digits, most significant first, each `0...9`; empty for zero.
    private(set) var digits: [UInt8]
    /// The power of ten applied to `digits`.
    private(set) var exponent: Int
    /// `true` for values below zero.
    private(set) var isNegative: Bool

    /// Parses JSON number text (`-12.5e3`); returns `nil` for anything else.
    init?(_ text: String) {
        var digits: [UInt8] = []
        var fractionDigits = 0
        var exponent = 0
        var negative = false
        var sawDigit = false
        var iterator = text.utf8.makeIterator()
        var byte = iterator.next()
        if byte == UInt8(ascii: "-") {
            negative = true
            byte = iterator.next()
        }
        var inFraction = false
        while let current = byte {
            if current >= UInt8(ascii: "0"), current <= UInt8(ascii: "9") {
                sawDigit = true
                if !digits.isEmpty || current != UInt8(ascii: "0") { digits.append(current - UInt8(ascii: "0")) }
                if inFraction { fractionDigits += 1 }
            } else if current == UInt8(ascii: "."), !inFraction {
                inFraction = true
            } else {
                break
            }
            byte = iterator.next()
        }
        guard sawDigit else { return nil }
        if let marker = byte {
            guard marker == UInt8(ascii: "e") || marker == UInt8(ascii: "E") else { return nil }
            byte = iterator.next()
            var exponentNegative = false
            if byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") {
                exponentNegative = byte == UInt8(ascii: "-")
                byte = iterator.next()
            }
            var sawExponentDigit = false
            while let current = byte {
                guard current >= UInt8(ascii: "0"), current <= UInt8(ascii: "9") else { return nil }
                sawExponentDigit = true
                if exponent < Self.exponentLimit { exponent = exponent * 10 + Int(current - UInt8(ascii: "0")) }
                byte = iterator.next()
            }
            guard sawExponentDigit else { return nil }
            exponent = min(exponent, Self.exponentLimit)
            if exponentNegative { exponent = -exponent }
        }
        fractionDigits = min(fractionDigits, Self.exponentLimit)
        exponent -= fractionDigits
        while digits.last == 0 {
            digits.removeLast()
            exponent += 1
        }
        self.digits = digits
        self.exponent = digits.isEmpty ? 0 : exponent
        self.isNegative = digits.isEmpty ? false : negative
    }

    /// `true` when the value has no fractional part.
    var isIntegral: Bool { self.exponent >= 0 }

    /// A text form that is equal for equal values (`"0"`, `"-15e-1"`).
    var canonical: String {
        guard !self.digits.isEmpty else { return "0" }
        var text = self.isNegative ? "-" : ""
        for digit in self.digits {
            text.unicodeScalars.append(Unicode.Scalar(digit + UInt8(ascii: "0")))
        }
        text += "e"
        text += String(self.exponent)
        return text
    }

    /// The nearest `Double`.
    var doubleValue: Double { Double(self.canonical) ?? .nan }

    /// `true` when `self` is an integral multiple of `divisor` (which must be non-zero).
    ///
    /// Exact when the divisor has at most 18 significant digits; otherwise computed with `Double`.
    func isMultiple(of divisor: JSONSchemaNumber) -> Bool {
        guard !self.digits.isEmpty else { return true }
        guard !divisor.digits.isEmpty else { return false }
        // self / divisor = (a × 10^(ea − eb)) / b. With ea < eb the quotient is a / (b × 10^k) and `a` has no
        // trailing zeros, so it cannot be divisible by a power of ten: not a multiple.
        guard self.exponent >= divisor.exponent else { return false }
        guard divisor.digits.count <= 18 else {
            let quotient = self.doubleValue / divisor.doubleValue
            return quotient.isFinite && quotient == quotient.rounded(.towardZero)
        }
        var modulus: UInt64 = 0
        for digit in divisor.digits {
            modulus = modulus * 10 + UInt64(digit)
        }
        var remainder: UInt64 = 0
        for digit in self.digits {
            remainder = (remainder * 10 + UInt64(digit)) % modulus
        }
        let shift = self.exponent - divisor.exponent
        remainder = Self.multiply(remainder, Self.power(of: 10, shift, modulus: modulus), modulus: modulus)
        return remainder == 0
    }

    private static func multiply(_ lhs: UInt64, _ rhs: UInt64, modulus: UInt64) -> UInt64 {
        let product = lhs.multipliedFullWidth(by: rhs)
        return modulus.dividingFullWidth(product).remainder
    }

    private static func power(of base: UInt64, _ exponent: Int, modulus: UInt64) -> UInt64 {
        var result: UInt64 = 1 % modulus
        var factor = base % modulus
        var remaining = exponent
        while remaining > 0 {
            if remaining & 1 == 1 { result = self.multiply(result, factor, modulus: modulus) }
            factor = self.multiply(factor, factor, modulus: modulus)
            remaining >>= 1
        }
        return result
    }
}

extension JSONSchemaNumber: Comparable {
    static func < (lhs: JSONSchemaNumber, rhs: JSONSchemaNumber) -> Bool {
        Self.compare(lhs, rhs) < 0
    }

    /// Returns a negative number, zero or a positive number as `lhs` is below, equal to or above `rhs`.
    static func compare(_ lhs: JSONSchemaNumber, _ rhs: JSONSchemaNumber) -> Int {
        let lhsSign = lhs.digits.isEmpty ? 0 : (lhs.isNegative ? -1 : 1)
        let rhsSign = rhs.digits.isEmpty ? 0 : (rhs.isNegative ? -1 : 1)
        guard lhsSign == rhsSign else { return lhsSign < rhsSign ? -1 : 1 }
        guard lhsSign != 0 else { return 0 }
        return lhsSign * Self.compareMagnitudes(lhs, rhs)
    }

    private static func compareMagnitudes(_ lhs: JSONSchemaNumber, _ rhs: JSONSchemaNumber) -> Int {
        let lhsOrder = lhs.digits.count + lhs.exponent
        let rhsOrder = rhs.digits.count + rhs.exponent
        guard lhsOrder == rhsOrder else { return lhsOrder < rhsOrder ? -1 : 1 }
        for (left, right) in zip(lhs.digits, rhs.digits) where left != right {
            return left < right ? -1 : 1
        }
        guard lhs.digits.count != rhs.digits.count else { return 0 }
        return lhs.digits.count < rhs.digits.count ? -1 : 1
    }
}
