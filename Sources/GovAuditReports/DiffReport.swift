import Foundation
import GovAuditCore
import GovAuditScan

/// `govaudit diff`: what changed between two stored scans, per system.
public enum DiffReport {
    public static func json(_ diff: ScanDiff) throws -> String {
        struct Document: Codable { var schemaVersion: String; var diff: ScanDiff }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(Document(schemaVersion: "1.0", diff: diff)), as: UTF8.self) + "\n"
    }

    public static func table(_ diff: ScanDiff, language: Language, style: Style) -> String {
        var out = style.bold("DIFF \(diff.old) → \(diff.new)") + "\n"
        guard !diff.isEmpty else { return out + "No changes.\n" }
        let counts = (diff.systems.map(\.newFindings.count).reduce(0, +), diff.systems.map(\.resolved.count).reduce(0, +),
                      diff.systems.map(\.changed.count).reduce(0, +), diff.systems.map(\.records.count).reduce(0, +))
        out += "\(counts.0) new, \(counts.1) resolved, \(counts.2) changed findings; \(counts.3) record changes; \(diff.systems.count) systems\n\n"
        for s in diff.systems {
            out += style.bold(TerminalText.sanitize(s.system)) + "\n"
            for c in s.newFindings {
                let since = c.firstSeenAt.map { " (open since \(HistoryReport.stamp($0)))" } ?? ""
                out += style.red("  + ") + line(c.finding, language) + style.dim(since) + "\n"
            }
            for c in s.changed {
                let was = [c.oldSeverity.map { $0.rawValue.uppercased() }, c.oldStatus.map(\.rawValue)].compactMap { $0 }.joined(separator: ", ")
                out += style.yellow("  ~ ") + line(c.finding, language) + style.dim(" (was \(was))") + "\n"
                for f in c.facts ?? [] {
                    out += "      \(TerminalText.sanitize(f.field)): \(TerminalText.sanitize(f.old)) → \(TerminalText.sanitize(f.new))\n"
                }
            }
            for c in s.resolved {
                out += style.green("  - ") + line(c.finding, language) + style.dim(" (resolved)") + "\n"
            }
            for r in s.records {
                out += "  record \(TerminalText.sanitize(r.field)): \(TerminalText.sanitize(r.old)) → \(TerminalText.sanitize(r.new))\n"
            }
        }
        return out
    }

    static func line(_ f: Finding, _ language: Language) -> String {
        let endpoint = f.endpoint.map { "  \($0)" } ?? ""
        let facts = f.evidence.prefix(4).map { "\($0.name)=\($0.value)" }.joined(separator: ", ")
        return TerminalText.sanitize("[\(f.severity.rawValue.uppercased())] \(f.rule) — \(f.title[language])\(endpoint)"
                                     + (facts.isEmpty ? "" : "  \(facts)")) + (f.status == .waived ? " (waived)" : "")
    }
}
