/// How serious a finding is. Ordered: `critical` is the most serious.
public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
    case info, low, medium, high, critical

    private var rank: Int { Severity.allCases.firstIndex(of: self)! }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// The part of the compliance picture a rule belongs to. Every rule has exactly one area; the
/// policy maps areas to the four protection layers.
public enum Area: String, Sendable, Codable, CaseIterable {
    case dossier, layer1, layer2, layer3, layer4, ipv6, dns, tls, https, links, domain
}

/// The four layers of the 4-layer protection model (mô hình bảo vệ 4 lớp, CV 1552/BTTTT-CATTT).
public enum ProtectionLayer: Int, Sendable, Codable, CaseIterable, Comparable {
    /// Lớp 1: lực lượng tại chỗ.
    case onSite = 1
    /// Lớp 2: tổ chức, doanh nghiệp chuyên nghiệp giám sát, bảo vệ.
    case monitoring = 2
    /// Lớp 3: kiểm tra, đánh giá độc lập định kỳ.
    case assessment = 3
    /// Lớp 4: kết nối, chia sẻ thông tin với hệ thống giám sát quốc gia.
    case nationalMonitoring = 4

    /// The name used in policy files and JSON: `layer1` … `layer4`.
    public var code: String { "layer\(rawValue)" }

    public init?(code: String) {
        guard code.hasPrefix("layer"), let n = Int(code.dropFirst(5)) else { return nil }
        self.init(rawValue: n)
    }

    public static func < (a: ProtectionLayer, b: ProtectionLayer) -> Bool { a.rawValue < b.rawValue }
}

/// The two languages every user-facing text of the policy carries.
public enum Language: String, Sendable, Codable, CaseIterable {
    case vi, en
}

/// A text in Vietnamese and English.
public struct LocalizedText: Sendable, Codable, Hashable {
    public var vi: String
    public var en: String

    public init(vi: String, en: String) {
        self.vi = vi
        self.en = en
    }

    public subscript(language: Language) -> String {
        language == .vi ? vi : en
    }
}
