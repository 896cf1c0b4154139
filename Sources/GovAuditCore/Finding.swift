import Foundation

/// How sure the project is of a legal fact (REGULATIONS.md's marks).
public enum Confidence: String, Sendable, Codable, CaseIterable {
    /// Confirmed against the legal text.
    case confirmed
    /// Confirmed by a ministry page, a legal database or mainstream press.
    case secondary
    /// Seen only in third-party documents: shown flagged, and its values are parameters.
    case unconfirmed
    /// No legal clause: good practice the policy chooses to ask for.
    case bestPractice = "best-practice"
}

/// The legal ground of a finding under one regime.
public struct LegalBasis: Sendable, Hashable, Codable {
    /// The regime's id in the policy, e.g. `nd85`, `luat116`.
    public var regime: String
    /// E.g. "NĐ 85/2016/NĐ-CP Điều 20 khoản 2 điểm c".
    public var citation: String
    public var confidence: Confidence
    /// Why a value was chosen where the law is unclear; present for flagged facts.
    public var note: String?

    public init(regime: String, citation: String, confidence: Confidence, note: String? = nil) {
        self.regime = regime
        self.citation = citation
        self.confidence = confidence
        self.note = note
    }

    /// Whether the report must flag this basis as not confirmed.
    public var isFlagged: Bool { confidence == .unconfirmed }
}

/// One named fact a rule relied on, e.g. `dossier.status = drafting`. Values are text so every
/// report format can show (and escape) them the same way.
public struct Fact: Sendable, Hashable, Codable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    /// A list shown in a finding: at most `maxListed` items. When there are more, the value ends
    /// with "… (+N more)" and a second fact `<name>.count` gives the whole count, so a finding
    /// stays readable however much a hostile target sends.
    public static func list(_ name: String, _ items: [String], separator: String = ", ") -> [Fact] {
        guard items.count > maxListed else { return [Fact(name, items.joined(separator: separator))] }
        let shown = items.prefix(maxListed).joined(separator: separator)
        return [Fact(name, shown + "\(separator)… (+\(items.count - maxListed) more)"), Fact("\(name).count", String(items.count))]
    }

    /// Items a list fact shows (`list`).
    public static let maxListed = 20
}

public enum FindingStatus: String, Sendable, Codable {
    case open, waived
}

/// A rule's verdict (phát hiện) on one system or endpoint.
public struct Finding: Sendable, Hashable, Codable {
    public var rule: String
    public var area: Area
    public var severity: Severity
    public var system: String
    /// The endpoint concerned; nil for findings about the system's records.
    public var endpoint: String?
    public var title: LocalizedText
    public var remedy: LocalizedText
    public var legalBasis: LegalBasis
    /// What exactly was seen.
    public var evidence: [Fact]
    /// The same problem in two scans has the same key (rule, system, endpoint, subject).
    public var key: String
    public var status: FindingStatus
    /// The waiver that applies, when `status` is `waived`.
    public var waiver: Waiver?

    public init(rule: String, area: Area, severity: Severity, system: String, endpoint: String?,
                title: LocalizedText, remedy: LocalizedText, legalBasis: LegalBasis,
                evidence: [Fact], subject: String = "", status: FindingStatus = .open,
                waiver: Waiver? = nil) {
        self.rule = rule
        self.area = area
        self.severity = severity
        self.system = system
        self.endpoint = endpoint
        self.title = title
        self.remedy = remedy
        self.legalBasis = legalBasis
        self.evidence = evidence
        self.key = Finding.key(rule: rule, system: system, endpoint: endpoint, subject: subject)
        self.status = status
        self.waiver = waiver
    }

    /// A short, stable key: FNV-1a (64 bit) of the identifying fields. Stable across runs,
    /// machines and versions, unlike Swift's `hashValue`.
    public static func key(rule: String, system: String, endpoint: String?, subject: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in [rule, system, endpoint ?? "", subject].joined(separator: "\u{1F}").utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return String(format: "%016llx", hash)
    }

    /// Open findings count in the figures and the exit code; waived ones are shown only.
    public var isOpen: Bool { status == .open }
}

/// Who ran a scan, when, with what: printed with every result so a figure can be traced.
public struct ScanProvenance: Sendable, Codable {
    public var id: String
    public var command: String
    public var startedAt: Date
    public var finishedAt: Date
    public var asOf: CalendarDate
    public var govauditVersion: String
    public var libcurlVersion: String
    public var opensslVersion: String
    public var policyName: String
    /// SHA-256 of the policy files, so two results can be told to come from the same policy.
    public var policyHash: String
    public var inventory: String?
    /// The DNS resolver used; nil for commands that use no network.
    public var resolver: String?
    /// The scanner's own IP families (`ipv4`, `ipv6`); empty for commands that use no network.
    public var ipFamilies: [String]

    public init(id: String, command: String, startedAt: Date, finishedAt: Date, asOf: CalendarDate,
                govauditVersion: String, libcurlVersion: String, opensslVersion: String,
                policyName: String, policyHash: String, inventory: String?, resolver: String?,
                ipFamilies: [String]) {
        self.id = id
        self.command = command
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.asOf = asOf
        self.govauditVersion = govauditVersion
        self.libcurlVersion = libcurlVersion
        self.opensslVersion = opensslVersion
        self.policyName = policyName
        self.policyHash = policyHash
        self.inventory = inventory
        self.resolver = resolver
        self.ipFamilies = ipFamilies
    }
}

public enum GovAuditVersion {
    public static let current = "0.1.0"
}
