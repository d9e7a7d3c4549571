import Histogram

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A latency percentile chart as SVG text, written by hand: x is the percentile on the usual HdrHistogram scale
/// (each tick ten times closer to 100: 0, 90, 99, 99.9, 99.99, 99.999, then the maximum), y the latency in µs.
/// One polyline per series.
struct LatencyChart {
    /// One named latency distribution, in nanoseconds.
    struct Series {
        var name: String
        var histogram: Histogram<UInt64>
    }

    var series: [Series]

    /// The percentiles plotted (and listed in the report's table), then the maximum.
    static let percentiles: [Double] = [
        0, 10, 25, 50, 75, 90, 95, 97.5, 99, 99.5, 99.75, 99.9, 99.95, 99.99, 99.995, 99.999,
    ]

    private static let width = 720.0
    private static let height = 360.0
    private static let left = 70.0
    private static let right = 20.0
    private static let top = 30.0
    private static let bottom = 45.0
    private static let colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"]
    /// Where the maximum is drawn on the x scale (after 99.999 %, which is 5).
    private static let maxPosition = 5.5

    /// The x-scale position of a percentile: log10(100 / (100 − p)), so 90 → 1, 99 → 2, 99.9 → 3.
    static func position(ofPercentile percentile: Double) -> Double {
        percentile >= 100 ? self.maxPosition : min(log10(100 / (100 - percentile)), 5)
    }

    /// Microseconds at `percentile` of `histogram` (100: the maximum).
    static func micros(_ histogram: Histogram<UInt64>, at percentile: Double) -> Double {
        let nanos = percentile >= 100 ? histogram.max : histogram.valueAtPercentile(percentile)
        return Double(nanos) / 1000
    }

    /// The chart as one `<svg>` element.
    func svg(title: String) -> String {
        let plotted = self.series.filter { $0.histogram.totalCount > 0 }
        let highest = plotted.map { Self.micros($0.histogram, at: 100) }.max() ?? 1
        let ceiling = Self.niceCeiling(max(highest, 1))
        let (width, height, left, top) = (Self.width, Self.height, Self.left, Self.top)
        let plotWidth = width - left - Self.right
        let plotHeight = height - top - Self.bottom
        let plotBottom = top + plotHeight
        func x(_ percentile: Double) -> Double {
            left + Self.position(ofPercentile: percentile) / Self.maxPosition * plotWidth
        }
        func y(_ micros: Double) -> Double { top + plotHeight * (1 - micros / ceiling) }
        var svg = Self.tag(
            "svg",
            [
                ("xmlns", "http://www.w3.org/2000/svg"), ("width", width), ("height", height),
                ("viewBox", "0 0 \(Self.format(width)) \(Self.format(height))"), ("font-family", "sans-serif"),
                ("font-size", "11"),
            ],
            open: true
        )
        svg += Self.tag("rect", [("width", "100%"), ("height", "100%"), ("fill", "white")])
        svg += Self.tag("text", [("x", left), ("y", 18.0), ("font-size", "13")], text: title)
        for step in 0...5 {
            let value = ceiling * Double(step) / 5
            svg += Self.tag(
                "line",
                [("x1", left), ("y1", y(value)), ("x2", width - Self.right), ("y2", y(value)), ("stroke", "#ddd")]
            )
            svg += Self.tag(
                "text",
                [("x", left - 6), ("y", y(value)), ("text-anchor", "end"), ("dominant-baseline", "middle")],
                text: Self.format(value)
            )
        }
        let ticks: [(Double, String)] = [
            (0, "0"), (50, "50"), (90, "90"), (99, "99"), (99.9, "99.9"), (99.99, "99.99"), (99.999, "99.999"),
            (100, "max"),
        ]
        for (percentile, label) in ticks {
            svg += Self.tag(
                "line",
                [("x1", x(percentile)), ("y1", top), ("x2", x(percentile)), ("y2", plotBottom), ("stroke", "#eee")]
            )
            svg += Self.tag(
                "text",
                [("x", x(percentile)), ("y", plotBottom + 14), ("text-anchor", "middle")],
                text: label
            )
        }
        svg += Self.tag(
            "text",
            [("x", left + plotWidth / 2), ("y", height - 6), ("text-anchor", "middle")],
            text: "percentile"
        )
        let middle = top + plotHeight / 2
        svg += Self.tag(
            "text",
            [
                ("x", 14.0), ("y", middle), ("text-anchor", "middle"),
                ("transform", "rotate(-90 14 \(Self.format(middle)))"),
            ],
            text: "latency (µs)"
        )
        for (index, series) in plotted.enumerated() {
            let color = Self.colors[index % Self.colors.count]
            let points = (Self.percentiles + [100]).map {
                "\(Self.format(x($0))),\(Self.format(y(Self.micros(series.histogram, at: $0))))"
            }
            svg += Self.tag(
                "polyline",
                [("fill", "none"), ("stroke", color), ("stroke-width", "2"), ("points", points.joined(separator: " "))]
            )
            let legendY = top + 8 + 16 * Double(index)
            svg += Self.tag(
                "rect",
                [("x", left + 10), ("y", legendY - 2), ("width", "14"), ("height", "4"), ("fill", color)]
            )
            svg += Self.tag(
                "text",
                [("x", left + 30), ("y", legendY), ("dominant-baseline", "middle")],
                text: series.name
            )
        }
        if plotted.isEmpty {
            svg += Self.tag("text", [("x", width / 2), ("y", height / 2), ("text-anchor", "middle")], text: "no data")
        }
        return svg + "</svg>"
    }

    /// One element on its own line: `<name a="v" …/>`, `<name …>text</name>`, or just the opening tag.
    private static func tag(
        _ name: String,
        _ attributes: [(String, any SVGValue)],
        text: String? = nil,
        open: Bool = false
    ) -> String {
        let list = attributes.map { " \($0.0)=\"\(Self.escape($0.1.svgText))\"" }.joined()
        if open { return "<\(name)\(list)>\n" }
        guard let text else { return "<\(name)\(list)/>\n" }
        return "<\(name)\(list)>\(Self.escape(text))</\(name)>\n"
    }

    /// The smallest 1, 2 or 5 × 10ⁿ at or above `value`.
    static func niceCeiling(_ value: Double) -> Double {
        var magnitude = 1.0
        while magnitude * 10 <= value { magnitude *= 10 }
        for factor in [1.0, 2, 5, 10] where magnitude * factor >= value { return magnitude * factor }
        return magnitude * 10
    }

    /// A number with at most one decimal.
    static func format(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() && abs(rounded) < 1e15 ? String(Int(rounded)) : String(rounded)
    }

    static func escape(_ text: String) -> String {
        text.replacingAll("&", with: "&amp;").replacingAll("<", with: "&lt;").replacingAll(">", with: "&gt;")
            .replacingAll("\"", with: "&quot;")
    }
}

extension String {
    /// Every occurrence of `target` replaced with `replacement` (no Foundation needed).
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for character in self {
            if character == target { out += replacement } else { out.append(character) }
        }
        return out
    }
}

/// An SVG attribute value: text as it is, numbers with at most one decimal.
protocol SVGValue {
    var svgText: String { get }
}

extension String: SVGValue {
    var svgText: String { self }
}

extension Double: SVGValue {
    var svgText: String { LatencyChart.format(self) }
}
