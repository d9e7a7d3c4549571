import Histogram

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `--report FILE.md`: the command line, a summary table of the scenario's results, a percentile table and an
/// inline SVG latency chart (``LatencyChart``), so that runs can be compared side by side. Inline SVG shows in
/// most Markdown viewers and browsers; GitHub strips it, and the percentile table carries the same figures.
struct MarkdownReport {
    var scenario: String
    /// The results, flattened into rows by ``rows(of:)``.
    var results: any Encodable
    var series: [LatencyChart.Series]

    /// Writes the report to `path`.
    func write(to path: String) throws {
        var text = "# switchboard-bench \(self.scenario)\n\n"
        text += "Run at \(Self.timestamp()).\n\n"
        let arguments = ["switchboard-bench"] + CommandLine.arguments.dropFirst().map(Self.shellQuoted)
        text += "```\n\(arguments.joined(separator: " "))\n```\n\n"
        text += "## Summary\n\n| result | value |\n|---|---|\n"
        for (name, value) in Self.rows(of: self.results) {
            text += "| \(name) | \(value.replacingAll("|", with: "\\|")) |\n"
        }
        let plotted = self.series.filter { $0.histogram.totalCount > 0 }
        if !plotted.isEmpty {
            text += "\n## Latency (µs)\n\n| percentile | " + plotted.map(\.name).joined(separator: " | ") + " |\n"
            text += "|---|" + plotted.map { _ in "---|" }.joined() + "\n"
            for percentile in LatencyChart.percentiles + [100] {
                let label = percentile >= 100 ? "max" : String(percentile).replacingSuffix(".0")
                let values = plotted.map { LatencyChart.format(LatencyChart.micros($0.histogram, at: percentile)) }
                text += "| \(label) | " + values.joined(separator: " | ") + " |\n"
            }
            text += "| count | " + plotted.map { String($0.histogram.totalCount) }.joined(separator: " | ") + " |\n"
        }
        text += "\n" + LatencyChart(series: plotted).svg(title: "switchboard-bench \(self.scenario): latency") + "\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// The fields of an `Encodable` result as `(name, value)` rows, nested ones as `outer.inner`; arrays of
    /// records (such as `--interval` reports) become a count, `nil` values are left out.
    static func rows(of value: any Encodable) -> [(String, String)] {
        var rows: [(String, String)] = []
        self.flatten(value, prefix: "", into: &rows)
        return rows
    }

    private static func flatten(_ value: Any, prefix: String, into rows: inout [(String, String)]) {
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            if let wrapped = mirror.children.first?.value { self.flatten(wrapped, prefix: prefix, into: &rows) }
        case .struct, .class:
            for child in mirror.children {
                guard let label = child.label else { continue }
                self.flatten(child.value, prefix: prefix.isEmpty ? label : "\(prefix).\(label)", into: &rows)
            }
        case .collection:
            let items = mirror.children.map(\.value)
            guard !items.isEmpty else {
                rows.append((prefix, "none"))
                return
            }
            if items.contains(where: { Mirror(reflecting: $0).displayStyle == .struct }) {
                // A few records (the nodes of `post`) are spelled out; a long series (`--interval`) is not.
                guard items.count <= 4 else {
                    rows.append((prefix, "\(items.count) entries (see --json)"))
                    return
                }
                for (index, item) in items.enumerated() {
                    self.flatten(item, prefix: "\(prefix)[\(index)]", into: &rows)
                }
            } else {
                rows.append((prefix, items.map(self.text).joined(separator: ", ")))
            }
        case .dictionary:
            let pairs = mirror.children.compactMap { child -> (String, String)? in
                let pair = Array(Mirror(reflecting: child.value).children)
                guard pair.count == 2 else { return nil }
                return (self.text(pair[0].value), self.text(pair[1].value))
            }
            let list = pairs.sorted { $0.0 < $1.0 }.map { "\($0.0): \($0.1)" }.joined(separator: ", ")
            rows.append((prefix, list.isEmpty ? "none" : list))
        default:
            rows.append((prefix, self.text(value)))
        }
    }

    private static func text(_ value: Any) -> String {
        if let number = value as? Double { return LatencyChart.format(number) }
        return "\(value)"
    }

    private static func shellQuoted(_ argument: String) -> String {
        let plain = argument.allSatisfy { $0.isLetter || $0.isNumber || "-_./:=@,+%".contains($0) }
        return plain && !argument.isEmpty ? argument : "'" + argument.replacingAll("'", with: "'\\''") + "'"
    }

    /// Now in UTC, `YYYY-MM-DD hh:mm:ss UTC`.
    static func timestamp() -> String {
        let seconds = Int(epochSeconds())
        let days = seconds / 86_400
        let time = seconds % 86_400
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        let shifted = days + 719_468
        let era = shifted / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(two(month))-\(two(day)) \(two(time / 3600)):\(two(time / 60 % 60)):\(two(time % 60)) UTC"
    }
}

extension String {
    /// The string without `suffix` at its end, if it ends so.
    func replacingSuffix(_ suffix: String) -> String {
        self.hasSuffix(suffix) ? String(self.dropLast(suffix.count)) : self
    }
}
