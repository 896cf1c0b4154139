import Foundation
import GovAuditCore

/// Rules on what the HTTPS answer's headers say, not only whether they are there: the values of
/// the security headers, the cookies it sets, the software it names. Accepted values and the
/// attributes a cookie needs are the rules' parameters.
enum HTTPSHeaderRules {
    static let all: [RuleImplementation] = [headerValues, cookieFlags, poweredBy]

    /// The directive names of a Content-Security-Policy value (the first policy of the header).
    static func cspDirectives(_ value: String) -> [String: String] {
        var out: [String: String] = [:]
        for d in value.split(separator: ";") {
            let parts = d.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1).map(String.init)
            guard let name = parts.first?.lowercased(), out[name] == nil else { continue }   // the first one counts (CSP3 §2.2.2)
            out[name] = parts.count == 2 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        }
        return out
    }

    /// Security headers present with a value that does not do their job: X-Content-Type-Options
    /// other than nosniff, X-Frame-Options outside the accepted values with no CSP frame-ancestors
    /// to stand in, a CSP whose frame-ancestors allows any origin, a Referrer-Policy whose policy
    /// (the last token a browser knows, Referrer Policy §11.1) is not accepted.
    static let headerValues = RuleImplementation("https.header-values", parameters: [
        .init("frameOptions", .list(.text)), .init("referrerPolicies", .list(.text)), .init("knownReferrerPolicies", .list(.text)),
    ]) { c in
        let frame = Set((c.parameters.strings("frameOptions", level: c.system.level) ?? []).map { $0.lowercased() })
        let accepted = Set((c.parameters.strings("referrerPolicies", level: c.system.level) ?? []).map { $0.lowercased() })
        let known = Set((c.parameters.strings("knownReferrerPolicies", level: c.system.level) ?? []).map { $0.lowercased() })
        return HTTPSRules.answer(c, HTTPSAnswer.self) { _, a in
            var facts: [Fact] = []
            if let v = a.first("X-Content-Type-Options"), v.trimmingCharacters(in: .whitespaces).lowercased() != "nosniff" {
                facts.append(Fact("X-Content-Type-Options", v))
            }
            let ancestors = a.first("Content-Security-Policy").flatMap { cspDirectives($0)["frame-ancestors"] }
            if let ancestors, ancestors.split(separator: " ").contains(where: { $0 == "*" || $0 == "https:" || $0 == "http:" }) {
                facts.append(Fact("Content-Security-Policy frame-ancestors", ancestors))
            }
            if ancestors == nil, let v = a.first("X-Frame-Options"), !frame.contains(v.trimmingCharacters(in: .whitespaces).lowercased()) {
                facts.append(Fact("X-Frame-Options", v))
            }
            if let v = a.first("Referrer-Policy") {
                let policy = v.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.last { known.contains($0) }
                if !(policy.map(accepted.contains) ?? false) { facts.append(Fact("Referrer-Policy", v)) }
            }
            return facts.isEmpty ? nil : facts
        }
    }

    /// One Set-Cookie header: the cookie's name and its attribute names (lowercased), with
    /// SameSite's value.
    struct Cookie {
        var name: String
        var attributes: [String: String]
        init(_ header: String) {
            let parts = header.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            name = parts.first.map { String($0.prefix { $0 != "=" }) } ?? ""
            var attributes: [String: String] = [:]
            for p in parts.dropFirst() {
                let kv = p.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if let k = kv.first?.lowercased() { attributes[k] = kv.count == 2 ? kv[1] : "" }
            }
            self.attributes = attributes
        }
    }

    /// Cookies set over HTTPS without the attributes the policy lists (SameSite=None counts as
    /// absent without Secure, as browsers reject it), one observation per cookie name.
    static let cookieFlags = RuleImplementation("https.cookie-flags", parameters: [.init("attributes", .list(.text))]) { c in
        let wanted = c.parameters.strings("attributes", level: c.system.level) ?? []
        return EvidenceRule.perEndpoint(c, HTTPSAnswer.self, endpoints: TLSRules.https(c)) { ep, a in
            a.values("Set-Cookie").map(Cookie.init).compactMap { cookie in
                var missing = wanted.filter { cookie.attributes[$0.lowercased()] == nil }
                if cookie.attributes["samesite"]?.lowercased() == "none", cookie.attributes["secure"] == nil, !missing.contains("Secure") {
                    missing.append("Secure")
                }
                return missing.isEmpty ? nil : Observation(endpoint: ep, subject: cookie.name,
                                                           facts: [Fact("cookie", cookie.name), Fact("missing", missing.joined(separator: ", "))])
            }
        }
    }

    /// Headers that name the software behind the site by their mere presence (X-Powered-By…),
    /// over HTTPS or plain HTTP.
    static let poweredBy = RuleImplementation("https.powered-by", parameters: [.init("headers", .list(.text))]) { c in
        let names = c.parameters.strings("headers", level: c.system.level) ?? []
        return HTTPSRules.answer(c, HTTPSAnswer.self) { ep, a in
            let plain = c.evidence(PlainHTTPAnswer.self, for: ep).compactMap { $0.facts(as: PlainHTTPAnswer.self) }.first
            let found = names.compactMap { name in (a.values(name) + (plain?.values(name) ?? [])).first.map { Fact(name, $0) } }
            return found.isEmpty ? nil : found
        }
    }
}
