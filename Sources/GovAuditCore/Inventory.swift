/// Security level under the security-by-level regulation (cấp độ an toàn, NĐ 85/2016 Đ7–11;
/// NĐ 331/2026 Đ11–15): 1 (lowest) to 5.
public struct SecurityLevel: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let value: Int

    public init?(_ value: Int) {
        guard (1...5).contains(value) else { return nil }
        self.value = value
    }

    public static func < (a: SecurityLevel, b: SecurityLevel) -> Bool { a.value < b.value }
    public var description: String { String(value) }

    public init(from decoder: Decoder) throws {
        let v = try decoder.singleValueContainer().decode(Int.self)
        guard let level = SecurityLevel(v) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "level \(v) is not 1–5"))
        }
        self = level
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(value)
    }
}

/// The owner of systems (cơ quan, đơn vị). Names are data: agencies merge and rename (the Sở
/// TT&TT became part of the Sở KH&CN in 2025), so nothing in the code names one.
public struct Agency: Sendable, Hashable, Codable {
    public var id: String
    public var name: String

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}

/// Where the level-proposal dossier (hồ sơ đề xuất cấp độ) stands.
public enum DossierStatus: String, Sendable, Codable, CaseIterable {
    case none, drafting, submitted, approved, rejected
}

/// Who signed a decision, as a role the law names, so a rule can compare it with the level.
public enum AuthorityRole: String, Sendable, Codable, CaseIterable {
    /// The owner's dedicated information-security unit (đơn vị chuyên trách ATTT).
    case securityUnit = "security-unit"
    /// The system's owner (chủ quản hệ thống thông tin), e.g. the provincial People's Committee.
    case owner
    /// A ministry (appraisal of levels 4–5).
    case ministry
    /// The Prime Minister (the list of level-5 systems).
    case primeMinister = "prime-minister"
    case other
}

/// A decision approving (or rejecting) a dossier.
public struct Decision: Sendable, Hashable, Codable {
    public var number: String?
    public var date: CalendarDate?
    /// The authority's name as written on the decision.
    public var authority: String?
    public var role: AuthorityRole?

    public init(number: String? = nil, date: CalendarDate? = nil, authority: String? = nil,
                role: AuthorityRole? = nil) {
        self.number = number
        self.date = date
        self.authority = authority
        self.role = role
    }
}

/// The level-proposal dossier and its approval.
public struct Dossier: Sendable, Hashable, Codable {
    public var status: DossierStatus
    /// Present when the dossier was decided on (approved or rejected).
    public var decision: Decision?

    public init(status: DossierStatus, decision: Decision? = nil) {
        self.status = status
        self.decision = decision
    }
}

/// Layer 1: the on-site force.
public struct OnSiteRecord: Sendable, Hashable, Codable {
    public var unit: String
    public var staff: Int?
    /// Staff counts outside this are typing mistakes, whichever file they come from.
    public static let plausibleStaff = 0...100_000

    public init(unit: String, staff: Int? = nil) {
        self.unit = unit
        self.staff = staff
    }
}

/// Layer 2: the professional monitoring and protection service (SOC).
public struct MonitoringRecord: Sendable, Hashable, Codable {
    public var provider: String
    public var contractEnd: CalendarDate?

    public init(provider: String, contractEnd: CalendarDate? = nil) {
        self.provider = provider
        self.contractEnd = contractEnd
    }
}

/// Layer 3: the last independent inspection and assessment.
public struct AssessmentRecord: Sendable, Hashable, Codable {
    public var date: CalendarDate
    public var assessor: String

    public init(date: CalendarDate, assessor: String) {
        self.date = date
        self.assessor = assessor
    }
}

/// Layer 4: the connection to the national monitoring system.
public struct NationalMonitoringRecord: Sendable, Hashable, Codable {
    public var connected: Bool
    public var since: CalendarDate?

    public init(connected: Bool, since: CalendarDate? = nil) {
        self.connected = connected
        self.since = since
    }
}

/// What the inventory records about the four protection layers. A nil record means nobody
/// recorded anything, which is itself a finding for systems the policy says need it.
public struct LayerRecords: Sendable, Hashable, Codable {
    public var onSite: OnSiteRecord?
    public var monitoring: MonitoringRecord?
    public var assessment: AssessmentRecord?
    public var nationalMonitoring: NationalMonitoringRecord?

    public init(onSite: OnSiteRecord? = nil, monitoring: MonitoringRecord? = nil,
                assessment: AssessmentRecord? = nil,
                nationalMonitoring: NationalMonitoringRecord? = nil) {
        self.onSite = onSite
        self.monitoring = monitoring
        self.assessment = assessment
        self.nationalMonitoring = nationalMonitoring
    }

    /// Whether the record for `layer` is present.
    public func has(_ layer: ProtectionLayer) -> Bool {
        switch layer {
        case .onSite: onSite != nil
        case .monitoring: monitoring != nil
        case .assessment: assessment != nil
        case .nationalMonitoring: nationalMonitoring != nil
        }
    }
}

public struct Contact: Sendable, Hashable, Codable {
    public var name: String
    public var role: String?
    public var email: String?
    public var phone: String?

    public init(name: String, role: String? = nil, email: String? = nil, phone: String? = nil) {
        self.name = name
        self.role = role
        self.email = email
        self.phone = phone
    }
}

/// An accepted risk: the finding of `rule` on `system` is shown as waived and leaves the figures
/// until `expires` (inclusive).
public struct Waiver: Sendable, Hashable, Codable {
    public var rule: String
    public var system: String
    public var reason: String
    /// The decision that accepted the risk.
    public var decision: String?
    public var expires: CalendarDate
    public var location: SourceLocation?

    public init(rule: String, system: String, reason: String, decision: String? = nil,
                expires: CalendarDate, location: SourceLocation? = nil) {
        self.rule = rule
        self.system = system
        self.reason = reason
        self.decision = decision
        self.expires = expires
        self.location = location
    }

    public func isActive(on date: CalendarDate) -> Bool { date <= expires }
}

/// One information system (hệ thống thông tin) of the inventory.
public struct System: Sendable, Hashable, Codable {
    public var id: String
    /// The name in Vietnamese, as the agency writes it.
    public var name: String
    public var agency: String
    public var level: SecurityLevel
    public var dossier: Dossier
    public var endpoints: [Endpoint]
    public var layers: LayerRecords
    public var contacts: [Contact]
    public var tags: [String]
    public var waivers: [Waiver]
    /// Where the system is defined, for messages; nil for systems built in code.
    public var location: SourceLocation?

    public init(id: String, name: String, agency: String, level: SecurityLevel, dossier: Dossier,
                endpoints: [Endpoint] = [], layers: LayerRecords = LayerRecords(),
                contacts: [Contact] = [], tags: [String] = [], waivers: [Waiver] = [],
                location: SourceLocation? = nil) {
        self.id = id
        self.name = name
        self.agency = agency
        self.level = level
        self.dossier = dossier
        self.endpoints = endpoints
        self.layers = layers
        self.contacts = contacts
        self.tags = tags
        self.waivers = waivers
        self.location = location
    }

    /// Whether the system exposes anything a network probe can look at.
    public var hasPublicEndpoint: Bool { !endpoints.isEmpty }
}

/// The province's list of information systems.
public struct Inventory: Sendable, Hashable, Codable {
    /// E.g. "Tỉnh An Giang".
    public var name: String
    /// True when the records are examples, not an agency's real data.
    public var illustrative: Bool
    /// The province's own domain (e.g. `angiang.gov.vn`), against which the domain form is judged.
    public var domain: String?
    public var agencies: [Agency]
    public var systems: [System]
    /// The issuer of the official report (`report:`); nil when the inventory has none.
    public var report: ReportIssuer?

    public init(name: String, illustrative: Bool = false, domain: String? = nil, agencies: [Agency], systems: [System],
                report: ReportIssuer? = nil) {
        self.name = name
        self.illustrative = illustrative
        self.domain = domain
        self.agencies = agencies
        self.systems = systems
        self.report = report
    }

    public func agency(id: String) -> Agency? {
        agencies.first { $0.id == id }
    }
}

/// Ids of systems and agencies: lower-case letters, digits, '-', '_' and '.', since they end up in
/// keys, waivers and file names. One check for the YAML loader and the CSV import.
public enum RecordID {
    public static func isValid(_ id: String) -> Bool {
        !id.isEmpty && id.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" || $0 == "."
        }
    }

    public static func problem(_ id: String) -> String {
        "'\(id)' is not an id: use lower-case letters, digits, '-', '_' or '.'"
    }
}
