import Foundation
import GovAuditCore

/// A family of probes `--checks` can select. The records (dossier, layers) are always judged:
/// they need no network.
public enum Check: String, CaseIterable, Sendable, Codable, Comparable {
    /// IPv6 and DNS: addresses, DNSSEC, name and mail servers, TCP per family, page parity.
    case dns
    /// TLS and HTTPS: protocols, suites, certificate, redirect, HSTS, headers.
    case tls
    /// Link hygiene: the bounded crawl.
    case links

    /// Other names people use for a check.
    static let aliases: [String: Check] = ["ipv6": .dns, "https": .tls, "crawl": .links]

    /// `dns,tls` → [.dns, .tls]; the failure names the word that is not a check.
    public static func parse(_ text: String) -> Result<[Check], ParseFailure> {
        var checks = Set<Check>()
        for word in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) where !word.isEmpty {
            guard let c = Check(rawValue: word) ?? aliases[word] else { return .failure(ParseFailure(word: word)) }
            checks.insert(c)
        }
        return checks.isEmpty ? .failure(ParseFailure(word: text)) : .success(checks.sorted())
    }

    public struct ParseFailure: Error, Sendable {
        public var word: String
    }

    /// The rule areas this check's evidence feeds.
    public var areas: Set<Area> {
        switch self {
        case .dns: [.ipv6, .dns]
        case .tls: [.tls, .https]
        case .links: [.links]
        }
    }

    /// The areas only a probe's evidence can judge.
    public static let networkAreas: Set<Area> = Set(allCases.flatMap(\.areas))

    /// What an audit of a target outside any inventory judges: the network and the domain name.
    public static let auditAreas: Set<Area> = networkAreas.union([.domain])

    /// The rule areas a run judges: `base` (nil: every area) without the network areas of the
    /// checks that did not run, which are left out rather than unknown. Nil means every area.
    public static func judgedAreas(running checks: [Check], within base: Set<Area>?) -> Set<Area>? {
        var judged = base ?? Set(Area.allCases)
        judged.subtract(networkAreas.filter { area in !checks.contains { $0.areas.contains(area) } })
        return judged == Set(Area.allCases) ? nil : judged
    }

    public static func < (a: Check, b: Check) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
