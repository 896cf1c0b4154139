import Foundation
import GovAuditCore

/// Rules on the HTTP side of an https endpoint: the plain-HTTP redirect, HSTS, security headers
/// and version banners, from the answers as sent; the header list, the banner pattern and the
/// permanent statuses are the rules' parameters. A failed fetch makes its rules unknown.
enum HTTPSRules {
    static let all: [RuleImplementation] = [noRedirect, temporaryRedirect, downgradeRedirect, noHSTS, shortHSTS, hstsSubdomains,
                                            hstsPreload, missingHeaders, versionBanner]

    static func answer<F: HTTPAnswerFacts>(_ c: RuleContext, _ type: F.Type, _ judge: @escaping (Endpoint, F) -> [Fact]?) -> Verdict {
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

    /// The HTTPS answer redirects to plain http:// (any host): the visitor is sent off HTTPS.
    static let downgradeRedirect = RuleImplementation("https.downgrade-redirect") { c in
        answer(c, HTTPSAnswer.self) { _, a in
            guard (300...399).contains(a.status), let location = a.first("Location"),
                  let target = URL(string: location, relativeTo: URL(string: a.url)), target.scheme?.lowercased() == "http" else { return nil }
            return [Fact("https.status", String(a.status)), Fact("https.location", location)]
        }
    }

    /// No header, an invalid one (RFC 6797: ignored whole), or max-age=0: no HSTS policy.
    static let noHSTS = RuleImplementation("https.no-hsts") { c in
        answer(c, HTTPSAnswer.self) { _, a in
            let sts = a.strictTransportSecurity
            guard !(sts?.setsPolicy ?? false) else { return nil }
            return [Fact("Strict-Transport-Security", a.first("Strict-Transport-Security") ?? "absent")]
                + (sts.map { [Fact("reason", $0.invalid ?? "max-age=0 removes the policy")] } ?? [])
        }
    }

    static let shortHSTS = RuleImplementation("https.hsts-short", parameters: [.init("minMaxAge", .integer(0...315_360_000))]) { c in
        guard let minimum = c.parameters.int("minMaxAge") else { return .unknown("https.hsts-short: no minMaxAge in the policy") }
        return answer(c, HTTPSAnswer.self) { _, a in
            guard let sts = a.strictTransportSecurity, sts.setsPolicy, let age = sts.maxAge, age < minimum else { return nil }
            return [Fact("max-age", String(age)), Fact("minimum", String(minimum)), Fact("includeSubDomains", sts.includeSubDomains ? "yes" : "no")]
        }
    }

    static let hstsSubdomains = RuleImplementation("https.hsts-no-subdomains") { c in
        answer(c, HTTPSAnswer.self) { _, a in
            guard let sts = a.strictTransportSecurity, sts.setsPolicy, !sts.includeSubDomains else { return nil }
            return [Fact("Strict-Transport-Security", sts.raw)]
        }
    }

    /// A header that asks for preloading (hstspreload.org) without meeting the list's terms:
    /// max-age of at least the policy's seconds, includeSubDomains, and a redirect from HTTP.
    static let hstsPreload = RuleImplementation("https.hsts-preload-invalid", parameters: [.init("minMaxAge", .integer(0...315_360_000))]) { c in
        guard let minimum = c.parameters.int("minMaxAge") else { return .unknown("https.hsts-preload-invalid: no minMaxAge in the policy") }
        return answer(c, HTTPSAnswer.self) { ep, a in
            guard let sts = a.strictTransportSecurity, sts.setsPolicy, sts.preload else { return nil }
            var unmet: [String] = []
            if (sts.maxAge ?? 0) < minimum { unmet.append("max-age below \(minimum)") }
            if !sts.includeSubDomains { unmet.append("no includeSubDomains") }
            let plain = c.evidence(PlainHTTPAnswer.self, for: ep).compactMap { $0.facts(as: PlainHTTPAnswer.self) }.first
            if let plain, !redirectsToHTTPS(plain, host: ep.host) { unmet.append("plain HTTP does not redirect to HTTPS") }
            return unmet.isEmpty ? nil : Fact.list("unmet", unmet) + [Fact("Strict-Transport-Security", sts.raw)]
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
