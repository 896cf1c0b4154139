import GovAuditCore

/// The facts a rule declares identifying: a finding whose key stays but one of these facts
/// changes is "changed" in a diff and in alerts (a site that now offers TLS 1.0 as well as 1.1,
/// HSTS shortened further), as is one whose severity or status changed. Everything else a
/// finding carries may move between scans without meaning anything: days left, similarity
/// scores, addresses (DNS rotation), anything the lab or a site regenerates.
public enum IdentifyingFacts {
    /// Fact names per rule id; a rule absent here changes only by severity or status.
    public static let byRule: [String: Set<String>] = [
        "tls.grade": ["grade"],
        "tls.ssl-offered": ["protocols"],
        "tls.legacy-protocols": ["protocols"],
        "tls.no-tls12": ["protocols"],
        "tls.weak-suites": ["suites", "suites.count"],
        "tls.no-forward-secrecy": ["forwardSecrecy"],
        "tls.weak-dh": ["dhBits"],
        "tls.non-aead-suites": ["suites", "suites.count"],
        "tls.cert-untrusted": ["verifyResult", "selfSigned"],
        "tls.cert-weak-key": ["key"],
        "tls.cert-weak-signature": ["signature"],
        "https.no-redirect": ["http.status"],
        "https.redirect-temporary": ["http.status"],
        "https.hsts-short": ["max-age"],
        "https.missing-headers": ["missing"],
        // Issue 13 (TLS and HTTPS in depth).
        "tls.cert-lifespan": ["days"],
        "tls.ocsp-staple-invalid": ["problems"],
        "tls.must-staple-unmet": ["stapled"],
        "https.downgrade-redirect": ["https.location"],
        "https.cookie-flags": ["missing"],
        "https.security-txt-invalid": ["problems"],
        // Issue 13 item 1 (every address): what the odd addresses serve, never which they are.
        "tls.address-differs": ["expected", "found", "suites.extra", "suites.missing"],
        "tls.ipv6-older": ["ipv6.protocols", "legacy", "missing", "weakerSuites"],
        "tls.address-unavailable": ["results"],
        "https.address-differs": ["expected", "found"],
        "tls.caa-issuer-not-authorised": ["issuer", "permitted"],
        "https.twin-name-broken": ["problem"],
        "links.spam": ["category", "keyword", "blocklisted"],
        "links.hidden-link": ["hiding"],
        "layer2.contract-expired": ["monitoring.contractEnd"],
        "layer2.contract-expiring": ["monitoring.contractEnd"],
        "layer3.assessment-overdue": ["dueDate"],
    ]

    /// The identifying facts whose values differ between two findings of one key, as
    /// (name, old, new); values of a name that repeats are compared as one joined list.
    public static func changes(_ old: Finding, _ new: Finding) -> [(name: String, old: String, new: String)] {
        guard let names = byRule[new.rule] else { return [] }
        func value(_ f: Finding, _ name: String) -> String {
            let values = f.evidence.filter { $0.name == name }.map(\.value)
            return values.isEmpty ? "none" : values.joined(separator: "; ")
        }
        return names.sorted().compactMap { name in
            let a = value(old, name), b = value(new, name)
            return a == b ? nil : (name, a, b)
        }
    }
}
