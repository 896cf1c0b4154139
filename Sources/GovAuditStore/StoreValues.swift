import Foundation
import GovAuditCore
import GovAuditPolicy

/// `scan` covers an inventory; `audit` looks at one domain.
public enum ScanKind: String, Sendable, Codable, CaseIterable {
    case scan, audit
}

/// A scan is `running` until it finishes (`complete`) or stops early (`interrupted`). A process
/// killed outright leaves it `running`; both unfinished states can be resumed.
public enum ScanStatus: String, Sendable, Codable, CaseIterable {
    case running, interrupted, complete
}

/// What a scan set out to cover, as stored with it.
public struct ScanScope: Sendable, Hashable, Codable {
    /// The systems planned, by id, in the order they were planned.
    public var systems: [String]
    /// The run's options as text (timeouts, concurrency bounds, crawl bounds, `--allow-net`…),
    /// shown with the scan and compared on resume.
    public var options: [String: String]

    public init(systems: [String], options: [String: String] = [:]) {
        self.systems = systems
        self.options = options
    }
}

/// Scans that can be compared with each other: same kind, same inventory name, same checks.
/// An audit or a scan narrowed with `--checks` is never the baseline of a full scan.
public struct ScanSeries: Sendable, Hashable {
    public var kind: ScanKind
    public var inventoryName: String
    /// Sorted and without duplicates, so the order of `--checks` does not matter.
    public var checks: [String]

    public init(kind: ScanKind, inventoryName: String, checks: [String]) {
        self.kind = kind
        self.inventoryName = inventoryName
        self.checks = Array(Set(checks)).sorted()
    }

    /// How `checks` is kept in its column: one comparable text.
    var checksText: String { checks.joined(separator: ",") }
}

/// What `beginScan` needs. The start time and the policy hash come from the provenance.
public struct NewScan: Sendable {
    public var kind: ScanKind
    /// The inventory as read today. Its name, domain and agencies are stored with the scan (a
    /// re-judgement needs them); its systems are stored one by one, as each is committed.
    public var inventory: Inventory
    /// SHA-256 of the inventory file, so a resume can refuse a changed inventory.
    public var inventoryHash: String
    /// The checks run (`--checks`), in any order.
    public var checks: [String]
    public var scope: ScanScope
    /// Its `id` is replaced by the id the store assigns; `finishedAt` by the end time.
    public var provenance: ScanProvenance

    public init(kind: ScanKind, inventory: Inventory, inventoryHash: String, checks: [String], scope: ScanScope,
                provenance: ScanProvenance) {
        self.kind = kind
        self.inventory = inventory
        self.inventoryHash = inventoryHash
        self.checks = checks
        self.scope = scope
        self.provenance = provenance
    }

    public var series: ScanSeries { ScanSeries(kind: kind, inventoryName: inventory.name, checks: checks) }
}

/// One stored scan, without its systems, evidence and findings.
public struct ScanRecord: Sendable {
    public var id: String
    public var series: ScanSeries
    /// The inventory's name, domain and agencies as they were; `systems` is empty (see
    /// `HistoryStore.system(_:of:)` for each system's record).
    public var inventory: Inventory
    public var inventoryHash: String
    public var policyHash: String
    public var scope: ScanScope
    public var provenance: ScanProvenance
    public var status: ScanStatus
    /// How many times the scan was resumed after an interruption.
    public var resumes: Int
    public var startedAt: Date
    /// When it finished or was interrupted; nil while running.
    public var endedAt: Date?
    /// Present once the scan is complete.
    public var summary: Summary?
}

/// A scan as `history` lists it: the record and what has been stored of it so far.
public struct ScanListing: Sendable {
    public var scan: ScanRecord
    /// Systems committed, of `scan.scope.systems.count` planned.
    public var systemsCommitted: Int
    /// Open (not waived) findings by severity; severities with none are absent.
    public var openFindings: [Severity: Int]
}

/// A system committed in a scan: the inventory record as it was that day.
public struct StoredSystem: Sendable {
    public var system: System
    public var committedAt: Date
}

/// A stored evidence record whose kind this build does not know. Kept whole, so nothing is
/// lost and a newer build (or a person) can still read it.
public struct UnknownEvidence: Sendable, Hashable {
    public var kind: String
    /// The kind's version when stored; nil when the step produced no facts.
    public var version: Int?
    public var endpoint: Endpoint?
    public var outcome: Outcome
    /// The facts as stored (JSON text); nil when the step produced no facts.
    public var factsJSON: String?
}

/// The evidence of one system of one scan, read back through a catalog.
public struct SystemEvidence: Sendable {
    public var system: String
    /// In the order it was committed.
    public var evidence: [Evidence]
    /// Records of kinds the catalog does not know; re-judging a scan that has some is partial,
    /// so callers must report them.
    public var unknown: [UnknownEvidence]
}

/// When a finding's key was first reported, in any stored scan.
public struct FirstSeen: Sendable, Hashable {
    public var key: String
    public var scan: String
    public var at: Date
}

/// A person's verdict on a finding: kept apart from waivers, which accept a real risk.
public enum TriageVerdict: String, Sendable, Codable, CaseIterable {
    case falsePositive = "false-positive"
    case confirmed
}

public struct Triage: Sendable, Hashable {
    public var key: String
    public var verdict: TriageVerdict
    public var reason: String
    /// Who decided (a name or login, as given).
    public var by: String
    public var at: Date

    public init(key: String, verdict: TriageVerdict, reason: String, by: String, at: Date) {
        self.key = key
        self.verdict = verdict
        self.reason = reason
        self.by = by
        self.at = at
    }
}

/// What `prune` removed and what it kept although old.
public struct PruneReport: Sendable, Hashable {
    /// Ids of the deleted scans, oldest first.
    public var deleted: [String]
    /// Old scans kept because each is the latest complete scan of its series.
    public var keptAsLatest: [String]
    /// Old scans kept because an alert about them is still pending delivery.
    public var keptForAlerts: [String] = []
    /// Alert messages deleted (delivered or failed for good, about deleted scans).
    public var alertMessagesDeleted = 0
    /// Alert-step records deleted (those of deleted scans that no digest clock reads).
    public var alertStepsDeleted = 0
}

/// How long one endpoint's probes took in a scan: what the next scan of the series orders by.
public struct EndpointDuration: Sendable, Hashable {
    /// The endpoint as written (`Endpoint.description`).
    public var endpoint: String
    public var milliseconds: Int

    public init(endpoint: String, milliseconds: Int) {
        self.endpoint = endpoint
        self.milliseconds = milliseconds
    }
}
