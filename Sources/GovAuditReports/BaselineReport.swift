import Foundation
import GovAuditCore
import GovAuditScan
import GovAuditStore

/// `govaudit baseline show`: the accepted state of a system and how its newest scan compares.
/// Host names and titles come from scanned sites: sanitized for the terminal.
public enum BaselineReport {
    struct Document: Encodable {
        var schemaVersion = "1.0"
        var system: String
        var accepted: AcceptedBaseline?
        var latest: LatestScan?
    }

    struct LatestScan: Encodable {
        var scan: String
        var startedAt: Date
        var endpoints: [EndpointDrift]
    }

    struct EndpointDrift: Encodable {
        var endpoint: String
        var drift: LinkDrift
        var comparison: Comparison?
    }

    /// What changed against the baseline, as numbers and sets (the rules apply the policy's thresholds).
    struct Comparison: Encodable {
        var newScriptHosts: [String]
        var newFrameHosts: [String]
        var newOutboundDomains: [String]
        var textSimilarity: Double?
        var structureSimilarity: Double?

        init(_ now: SiteSnapshot, _ was: SiteSnapshot) {
            func new(_ a: [String], _ b: [String]) -> [String] { a.filter { !Set(b).contains($0) } }
            newScriptHosts = new(now.scriptHosts, was.scriptHosts)
            newFrameHosts = new(now.frameHosts, was.frameHosts)
            newOutboundDomains = new(now.outboundDomains, was.outboundDomains)
            if let h = now.home, let w = was.home {
                textSimilarity = h.text.similarity(to: w.text)
                structureSimilarity = h.structureSimilarity(to: w)
            }
        }
    }

    static func document(system: String, accepted: AcceptedBaseline?, latest: Baselines.Latest?) -> Document {
        Document(system: system, accepted: accepted, latest: latest.map { l in
            LatestScan(scan: l.scan.id, startedAt: l.scan.startedAt, endpoints: l.endpoints.map { ep, d in
                EndpointDrift(endpoint: ep.description, drift: d, comparison: d.baseline.map { Comparison(d.current, $0.snapshot) })
            })
        })
    }

    public static func json(system: String, accepted: AcceptedBaseline?, latest: Baselines.Latest?) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(document(system: system, accepted: accepted, latest: latest)), as: UTF8.self) + "\n"
    }

    public static func table(system: String, accepted: AcceptedBaseline?, latest: Baselines.Latest?, style: Style) -> String {
        let doc = document(system: system, accepted: accepted, latest: latest)
        var out = style.bold("BASELINE " + TerminalText.sanitize(system)) + "\n"
        if let a = accepted {
            out += "Accepted \(HistoryReport.stamp(a.at)) UTC by \(TerminalText.sanitize(a.by)), the state of scan \(a.scan)"
                + (a.reason.isEmpty ? "" : ": " + TerminalText.sanitize(a.reason)) + "\n"
            for (endpoint, s) in a.snapshots.sorted(by: { $0.key < $1.key }) { out += describe(endpoint, s) }
        } else {
            out += "None accepted: each scan is compared with the previous complete scan of its series.\n"
        }
        guard let l = doc.latest else { return out + "\nNo stored scan has drift evidence of this system yet.\n" }
        out += "\n" + style.bold("Newest scan \(l.scan)") + " (\(HistoryReport.stamp(l.startedAt)) UTC)\n"
        for e in l.endpoints {
            guard let b = e.drift.baseline, let c = e.comparison else {
                out += "  \(TerminalText.sanitize(e.endpoint)): no baseline (first scan)\n"
                continue
            }
            out += "  \(TerminalText.sanitize(e.endpoint)) against \(b.source) \(b.scan)\n"
            func line(_ label: String, _ items: [String]) {
                out += "    \(label): " + (items.isEmpty ? "none" : TerminalText.sanitize(items.joined(separator: ", "))) + "\n"
            }
            line("new script hosts", c.newScriptHosts)
            line("new frame sources", c.newFrameHosts)
            line("new outbound domains", c.newOutboundDomains)
            func number(_ v: Double?) -> String { v.map { String(format: "%.2f", $0) } ?? "not comparable" }
            out += "    home page: text similarity \(number(c.textSimilarity)), structure similarity \(number(c.structureSimilarity))\n"
        }
        return out
    }

    static func describe(_ endpoint: String, _ s: SiteSnapshot) -> String {
        var out = "  \(TerminalText.sanitize(endpoint))\n"
        func line(_ label: String, _ items: [String]) {
            out += "    \(label) (\(items.count)): " + (items.isEmpty ? "none" : TerminalText.sanitize(items.joined(separator: ", "))) + "\n"
        }
        line("script hosts", s.scriptHosts)
        line("frame sources", s.frameHosts)
        line("outbound domains", s.outboundDomains)
        if let h = s.home {
            out += "    home page \(TerminalText.sanitize(h.page)): title \"\(TerminalText.sanitize(h.title))\", "
                + "\(h.template.map { "\($0.count) template blocks" } ?? "no template blocks"), \(h.scripts.count) scripts, "
                + "\(h.frames.count) frames, \(h.text.words) words\n"
        }
        return out
    }
}
