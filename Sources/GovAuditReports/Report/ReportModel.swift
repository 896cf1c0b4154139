import Foundation
import GovAuditCore
import GovAuditPolicy

/// The report of one stored scan, format-neutral (`govaudit report`). Built once by
/// `ReportModel.build`; every renderer (HTML, XLSX, CSV, Markdown, JSON, DOCX) reads this and nothing else,
/// so no renderer derives a figure, a status or a grade of its own. Texts the policy holds stay
/// in both languages; the renderer picks one. Strings from the inventory or a scanned site are
/// kept as they are here and escaped by each renderer for its format.
public struct ReportModel: Sendable, Codable {
    /// Version of the JSON form (`Reports/schema/report.schema.json`).
    public static let schemaVersion = "1.0.0"

    public var schemaVersion: String
    public var scan: ScanInfo
    /// The complete scan of the same series before this one; nil when there is none.
    public var previous: ScanRef?
    /// The province's figures, in the policy's order.
    public var figures: [Figure]
    /// Each figure over the last complete scans of the series, oldest first, this scan last.
    public var history: [HistoryPoint]
    public var agencies: [AgencyRow]
    public var systems: [SystemEntry]
    /// The attached list ("danh sách kèm theo"): IPv6 per web endpoint.
    public var ipv6: [IPv6Row]
    /// Per https endpoint: the tls.grade rule's measurement.
    public var tls: [TLSRow]
    /// The findings of the links area, one row each.
    public var links: [LinkRow]

    public struct ScanInfo: Sendable, Codable {
        public var id: String
        public var kind: String
        /// complete, interrupted or running: a report of an unfinished scan says so.
        public var status: String
        public var inventory: String
        public var illustrative: Bool
        public var checks: [String]
        public var startedAt: Date
        public var endedAt: Date?
        public var asOf: CalendarDate
        public var policyName: String
        public var policyVersion: String
        public var policyHash: String
        public var govauditVersion: String
        public var libcurlVersion: String
        public var opensslVersion: String
        public var resolver: String?
        public var ipFamilies: [String]
        public var systemsPlanned: Int
        public var systemsReported: Int
    }

    public struct ScanRef: Sendable, Codable {
        public var id: String
        public var startedAt: Date
        public var asOf: CalendarDate?
        /// Whether it was judged under the same policy (hash): when not, a trend may come from
        /// the policy's change rather than the systems'.
        public var samePolicy: Bool
    }

    public enum Direction: String, Sendable, Codable {
        case up, down, same
    }

    /// A figure against the previous scan's.
    public struct Trend: Sendable, Codable {
        public var direction: Direction
        public var previousPassed: Int
        public var previousApplicable: Int
        public var previousPercent: Double?
    }

    /// "N/M" with its share, unknown and not-applicable counts apart.
    public struct Figure: Sendable, Codable {
        public var id: String
        public var label: LocalizedText
        public var passed: Int
        /// The systems the area applies to (unknown ones included, never passed).
        public var applicable: Int
        public var unknown: Int
        public var notApplicable: Int
        /// passed / applicable × 100; nil when none applies.
        public var percent: Double?
        public var failedSystems: [String]
        /// Nil when there is no previous complete scan with this figure.
        public var trend: Trend?
    }

    public struct HistoryPoint: Sendable, Codable {
        public var scan: String
        public var startedAt: Date
        /// Figure id → percent (absent when the figure applied to no system in that scan).
        public var percents: [String: Double]
    }

    public struct FigureCell: Sendable, Codable {
        public var id: String
        public var passed: Int
        public var applicable: Int
        public var unknown: Int
        public var notApplicable: Int
        public var percent: Double?
    }

    public struct AgencyRow: Sendable, Codable {
        public var id: String
        public var name: String
        public var systems: Int
        public var figures: [FigureCell]
        /// Open findings by severity; severities with none are absent.
        public var openFindings: [String: Int]
        public var waivedFindings: Int
    }

    public struct SystemEntry: Sendable, Codable {
        public var id: String
        public var name: String
        public var agency: String
        public var agencyName: String
        public var level: Int
        public var dossier: String
        public var endpoints: [String]
        /// The system's status per figure, in the policy's order (the figures' own rule).
        public var statuses: [FigureStatus]
        public var layers: [LayerEntry]
        public var findings: [FindingEntry]
        public var openFindings: Int
        public var waivedFindings: Int
    }

    public struct FigureStatus: Sendable, Codable {
        public var figure: String
        public var status: ComplianceStatus
    }

    public struct LayerEntry: Sendable, Codable {
        public var layer: String
        public var status: ComplianceStatus
        public var reasons: [String]
    }

    public struct FindingEntry: Sendable, Codable {
        public var key: String
        public var rule: String
        public var area: Area
        public var severity: Severity
        public var status: FindingStatus
        public var system: String
        /// Nil for findings about the system's records.
        public var endpoint: String?
        public var title: LocalizedText
        public var remedy: LocalizedText
        public var legalBasis: LegalBasis
        /// What exactly was seen, in the rule's order (names may repeat).
        public var evidence: [Fact]
        /// Present when `status` is waived.
        public var waiver: WaiverEntry?
        /// A person's verdict on the finding (`govaudit triage`), when one was given.
        public var triage: TriageEntry?
    }

    /// Kept apart from a waiver: a waiver accepts a real risk, a triage says whether it is real.
    public struct TriageEntry: Sendable, Codable {
        /// `false-positive` or `confirmed`.
        public var verdict: String
        public var reason: String
        public var by: String
        public var at: Date
    }

    public struct WaiverEntry: Sendable, Codable {
        public var reason: String
        public var decision: String?
        public var expires: CalendarDate
    }

    /// yes / no / unknown for one observation, with what was seen when it is not plain.
    public enum Observed: String, Sendable, Codable {
        case yes, no, unknown, notApplicable = "not-applicable"
    }

    public struct IPv6Row: Sendable, Codable {
        public var system: String
        public var systemName: String
        public var endpoint: String
        public var ipv4Addresses: [String]
        public var ipv6Addresses: [String]
        public var aaaa: Observed
        public var reachable: Observed
        /// Why a cell is unknown or no (a failure code, a port's outcome); empty when plain.
        public var detail: String
        public var dnssec: String
        /// The system's status on the ipv6 figure (the rules' verdict, not this row's facts).
        public var status: ComplianceStatus
    }

    public struct TLSRow: Sendable, Codable {
        public var system: String
        public var endpoint: String
        /// A+ … F, T, M, as the tls.grade rule measured; nil when the offer was not collected.
        public var grade: String?
        /// What capped the grade, as the rule wrote it.
        public var cappedBy: String
        public var protocols: [String]
        /// Open findings of the tls and https areas on this endpoint.
        public var openFindings: Int
    }

    public struct LinkRow: Sendable, Codable {
        public var system: String
        public var endpoint: String?
        public var rule: String
        public var severity: Severity
        public var status: FindingStatus
        public var title: LocalizedText
        /// The finding's evidence (page, url, text, technique…), exactly as the rule wrote it.
        public var evidence: [Fact]
    }
}
