import APIKeyFluent
import LeafKit

/// A key's requests per day as a bar chart drawn on the server: an SVG of plain shapes in the
/// page, so it needs no script and the Content-Security-Policy stays as strict as it is.
/// Granted requests are the green part of a bar; refused and rate-limited ones the red part on top.
enum AdminUsageChart {
    static let width = 600
    static let height = 120
    /// Room above the bars for the scale's label.
    static let top = 16

    /// The chart's values for the `usageChart` template.
    static func context(_ usage: APIKeyUsage) -> [String: LeafData] {
        let days = usage.days
        let totals = days.map { $0.granted + $0.refusedTotal + $0.rateLimited }
        let highest = max(totals.max() ?? 0, 1)
        let slot = Double(width) / Double(max(days.count, 1))
        let barWidth = max(slot - 3, 1)
        let plot = Double(height - top)
        let bars: [LeafData] = days.enumerated().map { index, day in
            let refused = day.refusedTotal + day.rateLimited
            let grantedHeight = plot * Double(day.granted) / Double(highest)
            let refusedHeight = plot * Double(refused) / Double(highest)
            let x = Double(index) * slot
            return .dictionary([
                "x": .string(format(x)), "width": .string(format(barWidth)),
                "grantedY": .string(format(Double(height) - grantedHeight)), "grantedHeight": .string(format(grantedHeight)),
                "refusedY": .string(format(Double(height) - grantedHeight - refusedHeight)), "refusedHeight": .string(format(refusedHeight)),
                "title": .string("\(day.day): \(day.granted) granted, \(day.refusedTotal) refused, \(day.rateLimited) rate-limited"),
            ])
        }
        let granted = days.map(\.granted).reduce(0, +)
        let refused = days.map { $0.refusedTotal + $0.rateLimited }.reduce(0, +)
        return [
            "usageBars": .array(bars), "usageWidth": .int(width), "usageHeight": .int(height),
            "usageHighest": .int(highest), "usageFirstDay": .string(days.first?.day ?? ""), "usageLastDay": .string(days.last?.day ?? ""),
            "usageSummary": .string("\(granted) granted, \(refused) refused over \(days.count) days (UTC), as last written"),
        ]
    }

    /// One decimal at most: small pages, stable output.
    private static func format(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}

extension AdminTemplates {
    /// The usage chart on a key's page.
    static let usageChart = """
        <section class="usage">
          <h2>Requests, last 30 days</h2>
          <svg class="usage-chart" viewBox="0 0 #(usageWidth) #(usageHeight)" width="100%" role="img" aria-label="#(usageSummary)">
            <text x="0" y="11" class="usage-scale">#(usageHighest) a day</text>
            <line x1="0" y1="#(usageHeight)" x2="#(usageWidth)" y2="#(usageHeight)" class="usage-axis"></line>
            #for(bar in usageBars):<g><title>#(bar.title)</title><rect x="#(bar.x)" y="#(bar.grantedY)" width="#(bar.width)" height="#(bar.grantedHeight)" class="usage-granted"></rect><rect x="#(bar.x)" y="#(bar.refusedY)" width="#(bar.width)" height="#(bar.refusedHeight)" class="usage-refused"></rect></g>#endfor
          </svg>
          <div class="usage-days muted"><span>#(usageFirstDay)</span><span>#(usageSummary)</span><span>#(usageLastDay)</span></div>
        </section>
        """
}
