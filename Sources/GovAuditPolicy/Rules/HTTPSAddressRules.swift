import Foundation
import GovAuditCore

/// The HTTPS answer of every address (tls.addresses, `Record.https`) against the primary's: a
/// visitor whom DNS sends to another address must be told the same. Per aspect (the status
/// class, the redirect target, the HSTS policy), the addresses that answer otherwise; an address
/// whose fetch failed while its TLS answered gave no answer at all (a status difference). Keys
/// hold the aspect, never an address; the findings name the addresses in their facts.
enum HTTPSAddressRules {
    static let all: [RuleImplementation] = [differs]

    enum Aspect: String, CaseIterable {
        case status, redirect, hsts
    }

    static let differs = RuleImplementation("https.address-differs") { c in
        TLSAddressRules.perAddresses(c, incomplete: untested) { ep, a in
            guard let primary = a.records.first(where: \.primary), case .observed(let reference)? = primary.https else { return [] }
            let others = a.records.filter { !$0.primary }.compactMap { r -> (String, Answer)? in
                switch r.https {
                case .observed(let answer)?: (r.address, .answered(answer))
                case .failed(let reason)? where !reason.isBudgetExhausted && reason.code != "could-not-test": (r.address, .failed(reason))
                default: nil
                }
            }
            let base = URL(string: ep.description)
            return Aspect.allCases.compactMap { aspect -> Observation? in
                let expected = describe(aspect, reference, base)
                let odd = others.compactMap { address, answer -> (String, String)? in
                    switch answer {
                    case .failed(let reason): aspect == .status ? (address, "no answer: \(reason.code)") : nil
                    case .answered(let theirs):
                        differ(aspect, reference, theirs, base) ? (address, describe(aspect, theirs, base)) : nil
                    }
                }
                guard !odd.isEmpty else { return nil }
                return Observation(endpoint: ep, subject: aspect.rawValue,
                                   facts: Fact.list("addresses", odd.map(\.0)) + [Fact("primary", a.primary ?? "-"), Fact("expected", expected)]
                                       + Fact.list("found", TLSAddressRules.unique(odd.map(\.1))))
            }
        }
    }

    enum Answer { case answered(AddressHTTPS), failed(FailureReason) }

    /// Whether `theirs` answers otherwise than `ours` in `aspect`. The redirect target is compared
    /// only between two redirects (a redirect against a page is a status difference); the HSTS
    /// policy as a browser keeps it (none, or max-age and its directives), not the header's text.
    static func differ(_ aspect: Aspect, _ ours: AddressHTTPS, _ theirs: AddressHTTPS, _ base: URL?) -> Bool {
        switch aspect {
        case .status: ours.status / 100 != theirs.status / 100
        case .redirect:
            (300...399).contains(ours.status) && (300...399).contains(theirs.status) && target(ours, base) != target(theirs, base)
        case .hsts: policy(ours) != policy(theirs)
        }
    }

    static func describe(_ aspect: Aspect, _ a: AddressHTTPS, _ base: URL?) -> String {
        switch aspect {
        case .status: String(a.status)
        case .redirect: target(a, base) ?? "-"
        case .hsts: policy(a) == nil ? "none" + (a.strictTransportSecurity.map { " (\($0))" } ?? "") : a.strictTransportSecurity ?? "-"
        }
    }

    /// The Location resolved against the endpoint's URL (a relative one names the same target).
    static func target(_ a: AddressHTTPS, _ base: URL?) -> String? {
        a.location.map { URL(string: $0, relativeTo: base)?.absoluteString ?? $0 }
    }

    struct Policy: Equatable { var maxAge: Int; var includeSubDomains: Bool; var preload: Bool }

    /// The policy a browser keeps from the answer's HSTS header; nil for none (absent, invalid, max-age=0).
    static func policy(_ a: AddressHTTPS) -> Policy? {
        guard let sts = a.hsts, sts.setsPolicy, let age = sts.maxAge else { return nil }
        return Policy(maxAge: age, includeSubDomains: sts.includeSubDomains, preload: sts.preload)
    }

    /// What keeps a clean result from being a pass: the primary's answer unknown while other
    /// addresses were fetched, an address's fetch cut short or not testable, or tls.addresses'
    /// own untested addresses.
    static func untested(_ a: TLSAddresses) -> String? {
        var why: [String] = []
        if let p = a.records.first(where: \.primary), case .failed(let r)? = p.https, a.records.contains(where: { !$0.primary && $0.https != nil }) {
            why.append("\(p.address) (primary): \(r.detail)")
        }
        for r in a.records where !r.primary {
            if case .failed(let reason)? = r.https, reason.isBudgetExhausted || reason.code == "could-not-test" {
                why.append("\(r.address): \(reason.detail)")
            }
        }
        if let t = TLSAddressRules.untested(a) { why.append(t) }
        return why.isEmpty ? nil : why.joined(separator: "; ")
    }
}
