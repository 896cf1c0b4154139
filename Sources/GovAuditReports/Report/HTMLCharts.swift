import Foundation

/// Inline SVG charts of the HTML report: the figures as horizontal bars, and each figure's share
/// over the last scans as a line. Labels pass through `ReportEscape.html`; numbers are formatted
/// here with a point, as SVG requires.
struct HTMLCharts {
    var text: ReportText

    private func n(_ v: Double) -> String { String(format: "%.1f", v) }

    /// One bar per figure: passed share solid, unknown share hatched grey, the rest empty.
    func bars(_ figures: [ReportModel.Figure]) -> String {
        let rowHeight = 22.0, labelWidth = 300.0, barWidth = 300.0
        let height = rowHeight * Double(figures.count) + 8
        var svg = "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"680\" height=\"\(n(height))\" "
            + "viewBox=\"0 0 680 \(n(height))\" role=\"img\" aria-label=\""
            + ReportEscape.html(text.t("Biểu đồ chỉ tiêu", "Figures chart")) + "\">\n"
        for (i, f) in figures.enumerated() {
            let y = 4 + rowHeight * Double(i)
            let applicable = Double(max(f.applicable, 1))
            let passed = barWidth * Double(f.passed) / applicable
            let unknown = barWidth * Double(f.unknown) / applicable
            svg += "<text x=\"0\" y=\"\(n(y + 14))\" class=\"label\">" + ReportEscape.html(f.label[text.language]) + "</text>\n"
            svg += "<rect x=\"\(n(labelWidth))\" y=\"\(n(y))\" width=\"\(n(barWidth))\" height=\"16\" class=\"track\"/>\n"
            if f.applicable > 0 {
                svg += "<rect x=\"\(n(labelWidth))\" y=\"\(n(y))\" width=\"\(n(passed))\" height=\"16\" class=\"pass\"/>\n"
                if unknown > 0 {
                    svg += "<rect x=\"\(n(labelWidth + barWidth - unknown))\" y=\"\(n(y))\" width=\"\(n(unknown))\" height=\"16\" class=\"unknown\"/>\n"
                }
            }
            svg += "<text x=\"\(n(labelWidth + barWidth + 6))\" y=\"\(n(y + 13))\" class=\"value\">"
                + ReportEscape.html(text.ratio(f.passed, f.applicable) + " " + text.percent(f.percent)) + "</text>\n"
        }
        return svg + "</svg>\n"
    }

    /// A small line of one figure's share (0–100 %) over the scans of `history`; nil with fewer
    /// than two points.
    func line(_ history: [ReportModel.HistoryPoint], figure: String) -> String? {
        let values = history.map { $0.percents[figure] }
        guard values.compactMap({ $0 }).count >= 2 else { return nil }
        let width = 120.0, height = 28.0
        let step = values.count > 1 ? width / Double(values.count - 1) : 0
        let points = values.enumerated().compactMap { i, v in
            v.map { "\(n(Double(i) * step)),\(n(height - 2 - (height - 4) * $0 / 100))" }
        }
        return "<svg class=\"spark\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(width))\" height=\"\(n(height))\" "
            + "viewBox=\"-2 0 \(n(width + 4)) \(n(height))\" role=\"img\" aria-label=\""
            + ReportEscape.html(text.t("Xu hướng qua các lần quét", "Trend over the scans")) + "\">"
            + "<polyline points=\"\(points.joined(separator: " "))\" class=\"trendline\"/></svg>"
    }
}
