import Foundation
import GovAuditCore

/// Rules on the HTTP side of an https endpoint: the plain-HTTP redirect, HSTS, security headers
/// and version banners, from the answers as sent; the header list, the banner pattern and the
/// permanent statuses are the rules' parameters. A failed fetch makes its rules unknown.
enum HTTPSRules {
    static let all: [RuleImplementation] = [noRedirect, temporaryRedirect, noHSTS, shortHSTS, missingHeaders, versionBanner]

    private static func answer<F: HTTPAnswerFacts>(_ c: RuleContext, _ type: F.Type, _ judge: @escaping (Endpoint, F) -> [Fact]?) -> Verdict {
        EvidenceRule.perEndpoint(c, type, endpoints: TLSRules.https(c)) { ep, a in judge(ep, a).map { [Observation(endpoint: ep, facts: $0)] } ?? [] }
    }

    /// The first answer points (Location, resolved against the request) to https:// on the same host.
    static func redirectsToHTTPS(_ a: PlainHTTPAnswer, host: String) -> Bool {
        guard let location = a.first("Location"), let target = URL(string: location, relativeTo: URL(string: a.url)) else { return false }
        return target.scheme?.lowercased() == "https" && target.host?.lowercased() == host
    }

    static let noRedirect = RuleImplementation("https.no-redirect") { c in
        answer(c, PlainHTTPAnswer.self) { ep, a in
            redirectsToHTTPS(a, host: ep.host) ? nil : [Fact("http.status", String(a.status)), Fact("http.location", a.first("Location") ?? "-")]
        }
    }

    static let temporaryRedirect = RuleImplementation("https.redirect-temporary", parameters: [.init("permanentStatuses", .list(.integer(300...399)))]) { c in
        var permanent = Set<Int>()
        if case .list(let l)? = c.parameters["permanentStatuses"] { permanent = Set(l.compactMap(\.int)) }
        return answer(c, PlainHTTPAnswer.self) { ep, a in
            redirectsToHTTPS(a, host: ep.host) && !permanent.contains(a.status) ? [Fact("http.status", String(a.status))] : nil
        }
    }

    static let noHSTS = RuleImplementation("https.no-hsts") { c in
        answer(c, HTTPSAnswer.self) { _, a in
            a.strictTransportSecurity?.maxAge == nil ? [Fact("Strict-Transport-Security", a.first("Strict-Transport-Security") ?? "absent")] : nil
        }
    }

    static let shortHSTS = RuleImplementation("https.hsts-short", parameters: [.init("minMaxAge", .integer(0...315_360_000))]) { c in
        guard let minimum = c.parameters.int("minMaxAge") else { return .unknown("https.hsts-short: no minMaxAge in the policy") }
        return answer(c, HTTPSAnswer.self) { _, a in
            guard let sts = a.strictTransportSecurity, let age = sts.maxAge, age < minimum else { return nil }
            return [Fact("max-age", String(age)), Fact("minimum", String(minimum)), Fact("includeSubDomains", sts.includeSubDomains ? "yes" : "no")]
        }
    }

    /// The headers of the policy's list that the HTTPS answer lacks.
    static let missingHeaders = RuleImplementation("https.missing-headers", parameters: [.init("headers", .list(.text))]) { c in
        let wanted = c.parameters.strings("headers", level: c.system.level) ?? []
        return answer(c, HTTPSAnswer.self) { _, a in
            let missing = wanted.filter { a.first($0) == nil }.map { $0.lowercased() }
            return missing.isEmpty ? nil : [Fact("missing", missing.joined(separator: ", "))]
        }
    }

    /// A banner header (Server…) matching the policy's version pattern, over HTTPS or over plain HTTP.
    static let versionBanner = RuleImplementation("https.version-banner", parameters: [.init("bannerHeaders", .list(.text)), .init("bannerPattern", .text)]) { c in
        let names = c.parameters.strings("bannerHeaders", level: c.system.level) ?? []
        guard let pattern = c.parameters["bannerPattern"]?.string, (try? NSRegularExpression(pattern: pattern)) != nil else {
            return .unknown("https.version-banner: bannerPattern is not a regular expression")
        }
        return answer(c, HTTPSAnswer.self) { ep, a in
            let plain = c.evidence(PlainHTTPAnswer.self, for: ep).compactMap { $0.facts(as: PlainHTTPAnswer.self) }.first
            let leaks = names.compactMap { name -> Fact? in
                let values = a.values(name) + (plain?.values(name) ?? [])
                return values.first { $0.range(of: pattern, options: .regularExpression) != nil }.map { Fact(name, $0) }
            }
            return leaks.isEmpty ? nil : leaks
        }
    }
}
