import Foundation
import GovAuditCore
import GovAuditPolicy
import GovAuditScan
import GovAuditStore

/// What got worse between two scans and has not been alerted yet: pure, from the diff, the
/// alert state and the settings.
public struct WorseChanges: Sendable {
    /// Per system, in the diff's order; systems with nothing to alert are left out.
    public var systems: [AlertMessage.SystemChanges]
    /// How each alerted key stood: what the alert state records.
    public var alerted: [String: AlertMark]

    public var isEmpty: Bool { systems.isEmpty }
}

public enum AlertBuilder {
    /// The changes of `diff` worth an alert: new open findings at or above the minimum severity,
    /// findings whose severity rose to it, waived findings reopened, findings at or above it
    /// whose identifying facts changed (TLS 1.0 offered besides 1.1), and certificates crossing
    /// an expiry threshold (any severity). A key already alerted at that severity or higher, with
    /// the same identifying facts, is left out: it is alerted again only once it has resolved
    /// and come back.
    public static func worse(_ diff: ScanDiff, systems: [String: System], alerted: [String: AlertedKey],
                             settings: AlertSettings, policy: Policy?) -> WorseChanges {
        var result = WorseChanges(systems: [], alerted: [:])
        for s in diff.systems {
            var changes: [AlertMessage.Change] = []
            func add(_ f: Finding, _ kind: AlertMessage.Change.Kind, previous: Severity? = nil, facts: [ScanDiff.RecordChange]? = nil) {
                let mark = Self.mark(f)
                if let known = alerted[f.key], known.severity >= f.severity, known.facts == mark.facts { return }
                let expiry = settings.expiryRules.contains(f.rule)
                let days = expiry ? policy?.rule(f.rule)?.parameters["warnDays"]?.int : nil
                changes.append(AlertMessage.Change(change: expiry && kind == .new ? .certificateExpiry : kind, key: f.key,
                                                   rule: f.rule, area: f.area, severity: f.severity, previousSeverity: previous,
                                                   endpoint: f.endpoint, title: f.title, evidence: f.evidence, thresholdDays: days,
                                                   changedFacts: facts?.map { AlertMessage.FactChange(field: $0.field, old: $0.old, new: $0.new) }))
                result.alerted[f.key] = mark
            }
            for c in s.newFindings where c.finding.isOpen {
                if c.finding.severity >= settings.minSeverity || settings.expiryRules.contains(c.finding.rule) { add(c.finding, .new) }
            }
            for c in s.changed where c.finding.isOpen && c.finding.severity >= settings.minSeverity {
                if c.oldStatus == .waived {
                    add(c.finding, .reopened)
                } else if let old = c.oldSeverity, old < c.finding.severity {
                    add(c.finding, .severityRose, previous: old, facts: c.facts)
                } else if let facts = c.facts, !facts.isEmpty, c.oldSeverity ?? c.finding.severity <= c.finding.severity {
                    add(c.finding, .factsChanged, facts: facts)
                }
            }
            guard !changes.isEmpty else { continue }
            let record = systems[s.system]
            result.systems.append(AlertMessage.SystemChanges(system: s.system, name: record?.name ?? s.system,
                                                             agency: record?.agency ?? "", changes: changes))
        }
        return result
    }

    /// How `f` stands, for the alert state.
    public static func mark(_ f: Finding) -> AlertMark {
        AlertMark(severity: f.severity, facts: (IdentifyingFacts.byRule[f.rule] ?? []).sorted().map { name in
            name + "=" + f.evidence.filter { $0.name == name }.map(\.value).joined(separator: "; ")
        }.joined(separator: "\n"))
    }

    /// For a digest: every open finding at or above the threshold (or of an expiry rule), per
    /// system in `order`.
    public static func stillOpen(_ findings: [Finding], systems: [String: System], order: [String],
                                 settings: AlertSettings) -> WorseChanges {
        let open = Dictionary(grouping: findings.filter { $0.isOpen && ($0.severity >= settings.minSeverity || settings.expiryRules.contains($0.rule)) },
                              by: \.system)
        var result = WorseChanges(systems: [], alerted: [:])
        for id in order {
            guard let list = open[id], !list.isEmpty else { continue }
            let record = systems[id]
            result.systems.append(AlertMessage.SystemChanges(system: id, name: record?.name ?? id, agency: record?.agency ?? "", changes: list.map { f in
                AlertMessage.Change(change: .stillOpen, key: f.key, rule: f.rule, area: f.area, severity: f.severity, previousSeverity: nil,
                                    endpoint: f.endpoint, title: f.title, evidence: f.evidence, thresholdDays: nil, changedFacts: nil)
            }))
        }
        return result
    }

    /// The headline figures of a group now and at the previous scan, in the policy's order.
    public static func figures(now: FigureGroup?, before: FigureGroup?) -> [AlertMessage.Figure] {
        (now?.figures ?? []).map { f in
            let was = before?.figures.first { $0.id == f.id }
            return AlertMessage.Figure(id: f.id, label: f.label, passed: f.passed, applicable: f.applicable,
                                       previousPassed: was?.passed, previousApplicable: was?.applicable)
        }
    }

    /// What every message of one scan shares.
    public struct Context: Sendable {
        public var scan: ScanRecord
        public var previous: ScanRecord?
        public var report: String?
        public var generatedAt: Date

        public init(scan: ScanRecord, previous: ScanRecord?, report: String?, generatedAt: Date) {
            self.scan = scan
            self.previous = previous
            self.report = report
            self.generatedAt = generatedAt
        }
    }

    /// One message per channel: the webhook and the response team's mail see the whole
    /// province; with `mailAgencies`, each agency with changes gets its own systems only, at
    /// its contacts' addresses (`contacts`: agency id → addresses). Agencies without an address
    /// are returned apart, so the caller can say so.
    public static func messages(_ worse: WorseChanges, context c: Context, settings: AlertSettings,
                                contacts: [String: [String]], kind: AlertMessage.Kind = .changes) -> (messages: [AlertMessage], unreachable: [String]) {
        // A digest has ids of its own: a scan may send both.
        let base = kind == .digest ? "\(c.scan.id)-digest" : c.scan.id
        func message(_ channel: String, agency: Agency?, systems: [AlertMessage.SystemChanges], to: [String]?) -> AlertMessage {
            let group = { (s: Summary?) in agency.map { a in s?.agencies.first { $0.agency == a.id } } ?? s?.province }
            return AlertMessage(schemaVersion: AlertMessage.schemaVersion, id: "\(base):\(channel)", channel: channel,
                                kind: kind, inventory: c.scan.inventory.name, scan: c.scan.id, previousScan: c.previous?.id,
                                scanStartedAt: c.scan.startedAt, previousStartedAt: c.previous?.startedAt,
                                generatedAt: c.generatedAt, language: settings.language, agency: agency,
                                figures: figures(now: group(c.scan.summary), before: group(c.previous?.summary)),
                                systems: systems, failure: nil, report: c.report, recipients: to)
        }
        var out: [AlertMessage] = []
        var unreachable: [String] = []
        if settings.webhook != nil { out.append(message("webhook", agency: nil, systems: worse.systems, to: nil)) }
        if let mail = settings.mail {
            if !mail.to.isEmpty { out.append(message("mail", agency: nil, systems: worse.systems, to: mail.to)) }
            if settings.mailAgencies {
                for agency in c.scan.inventory.agencies {
                    let own = worse.systems.filter { $0.agency == agency.id }
                    guard !own.isEmpty else { continue }
                    let to = contacts[agency.id] ?? []
                    if to.isEmpty { unreachable.append(agency.id); continue }
                    out.append(message("mail:\(agency.id)", agency: agency, systems: own, to: to))
                }
            }
        }
        return (out, unreachable)
    }

    /// The message saying a scan could not run, one per channel (agencies are not told).
    public static func failure(_ reason: String, inventory: String, scan: String?, settings: AlertSettings,
                               report: String? = nil, at: Date) -> [AlertMessage] {
        // Apart from the scan's own change alerts (a resumed scan has both); without a stored
        // scan, the instant stands in for its id so the idempotency id stays unique.
        let base = scan.map { "\($0)-failed" } ?? "failed-\(Int(at.timeIntervalSince1970 * 1000))"
        var channels: [(String, [String]?)] = []
        if settings.webhook != nil { channels.append(("webhook", nil)) }
        if let mail = settings.mail, !mail.to.isEmpty { channels.append(("mail", mail.to)) }
        return channels.map { channel, to in
            AlertMessage(schemaVersion: AlertMessage.schemaVersion, id: "\(base):\(channel)", channel: channel, kind: .scanFailed,
                         inventory: inventory, scan: scan, previousScan: nil, scanStartedAt: nil, previousStartedAt: nil,
                         generatedAt: at, language: settings.language, agency: nil, figures: [], systems: [],
                         failure: reason, report: report, recipients: to)
        }
    }
}
