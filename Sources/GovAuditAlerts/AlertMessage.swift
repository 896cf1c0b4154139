import Foundation
import GovAuditCore

/// One alert: what got worse in one scan (or that the scan could not run), for one channel.
/// Encoded as JSON it is the webhook's body (Reports/schema/alert.schema.json) and what the
/// store keeps until delivery; the e-mail is rendered from it. It holds no secret.
public struct AlertMessage: Sendable, Codable, Hashable {
    public static let schemaVersion = "1.0.0"

    public enum Kind: String, Sendable, Codable {
        /// Something got worse since the previous complete scan.
        case changes
        /// The scan failed, was interrupted, or could not run.
        case scanFailed = "scan-failed"
        /// The periodic summary of what is still open (when configured).
        case digest
    }

    public var schemaVersion: String
    /// The idempotency id: the scan id and the channel. A retried delivery carries the same id.
    public var id: String
    /// `webhook`, `mail`, `mail:<agency id>`.
    public var channel: String
    public var kind: Kind
    /// The inventory's name.
    public var inventory: String
    /// The scan alerted on; absent when a scan could not even be stored.
    public var scan: String?
    /// The complete scan compared with.
    public var previousScan: String?
    public var scanStartedAt: Date?
    public var previousStartedAt: Date?
    public var generatedAt: Date
    /// The language the e-mail is written in.
    public var language: Language
    /// For one agency's message: the agency; absent for the whole province.
    public var agency: Agency?
    /// The headline figures now and at the previous scan.
    public var figures: [Figure]
    /// The changes, per system, in the inventory's order.
    public var systems: [SystemChanges]
    /// For `scan-failed`: why (secrets redacted).
    public var failure: String?
    /// Where the scan's report was written, when it was.
    public var report: String?
    /// Mail only: who receives it (addresses from the settings or the inventory).
    public var recipients: [String]?

    public struct Figure: Sendable, Codable, Hashable {
        public var id: String
        public var label: LocalizedText
        public var passed: Int
        public var applicable: Int
        /// Absent when there was no previous scan or it lacked the figure.
        public var previousPassed: Int?
        public var previousApplicable: Int?
    }

    public struct SystemChanges: Sendable, Codable, Hashable {
        public var system: String
        public var name: String
        public var agency: String
        public var changes: [Change]
    }

    public struct Change: Sendable, Codable, Hashable {
        public enum Kind: String, Sendable, Codable {
            /// A finding not in the previous scan.
            case new
            /// The same finding at a higher severity.
            case severityRose = "severity-rose"
            /// A waived finding whose waiver ended.
            case reopened
            /// A certificate crossed one of the policy's expiry thresholds.
            case certificateExpiry = "certificate-expiry"
            /// In a digest: a finding still open at or above the threshold.
            case stillOpen = "still-open"
            /// The same finding, with other values of its rule's identifying facts.
            case factsChanged = "facts-changed"
        }

        public var change: Kind
        public var key: String
        public var rule: String
        public var area: Area
        public var severity: Severity
        /// For `severity-rose`: the severity before.
        public var previousSeverity: Severity?
        public var endpoint: String?
        public var title: LocalizedText
        /// What was seen (from the scanned site: untrusted text).
        public var evidence: [Fact]
        /// For `certificate-expiry`: the policy's window crossed, in days (absent for "expired").
        public var thresholdDays: Int?
        /// For `facts-changed` (and a rise that also changed them): each fact's old and new value.
        public var changedFacts: [FactChange]?
    }

    /// One identifying fact's value before and now.
    public struct FactChange: Sendable, Codable, Hashable {
        public var field: String
        public var old: String
        public var new: String
    }

    /// How many changes it names.
    public var changeCount: Int { systems.reduce(0) { $0 + $1.changes.count } }

    /// The JSON the webhook receives: sorted keys, ISO 8601 dates, so the same message always
    /// gives the same bytes (and the same signature).
    public func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        // Every member is a plain value: encoding cannot fail.
        return Array(try! encoder.encode(self))
    }

    public static func decode(_ text: String) throws -> AlertMessage {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(AlertMessage.self, from: Data(text.utf8))
    }
}
