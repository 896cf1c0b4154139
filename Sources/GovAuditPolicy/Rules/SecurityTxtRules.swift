import Foundation
import GovAuditCore

/// Rules on `/.well-known/security.txt` (RFC 9116): whether the site publishes one, and
/// whether it holds what §2.5 requires (Contact, one Expires not yet passed on the as-of day).
enum SecurityTxtRules {
    static let all: [RuleImplementation] = [missing, invalid]

    private static func judge(_ c: RuleContext, _ f: @escaping (SecurityTxt) -> [Fact]?) -> Verdict {
        EvidenceRule.perEndpoint(c, SecurityTxt.self, endpoints: TLSRules.https(c)) { ep, s in f(s).map { [Observation(endpoint: ep, facts: $0)] } ?? [] }
    }

    /// A file is there when it answers 200 as text/plain (§3: "MUST have a Content-Type of text/plain").
    static func present(_ s: SecurityTxt) -> Bool {
        s.status == 200 && (s.contentType?.lowercased().hasPrefix("text/plain") ?? false)
    }

    static let missing = RuleImplementation("https.no-security-txt") { c in
        judge(c) { s in
            present(s) ? nil : [Fact("url", s.url), Fact("status", String(s.status)), Fact("contentType", s.contentType ?? "-")]
        }
    }

    /// RFC 3339 date-times, with or without fractional seconds.
    static func date(_ text: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        if let d = f.date(from: text) { return d }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.date(from: text)
    }

    static let invalid = RuleImplementation("https.security-txt-invalid") { c in
        judge(c) { s in
            guard present(s) else { return nil }
            let fields = s.fields
            var problems: [String] = []
            if !fields.contains(where: { $0.name == "contact" }) { problems.append("no Contact") }
            let expires = fields.filter { $0.name == "expires" }.map(\.value)
            switch expires.count {
            case 0: problems.append("no Expires")
            case 1:
                if let d = date(expires[0]) {
                    if Timestamp(d).vietnamDay < c.asOf { problems.append("expired on \(expires[0])") }
                } else {
                    problems.append("Expires is not an RFC 3339 date: \(expires[0])")
                }
            default: problems.append("Expires appears \(expires.count) times")
            }
            return problems.isEmpty ? nil : Fact.list("problems", problems) + [Fact("url", s.finalURL)]
        }
    }
}
