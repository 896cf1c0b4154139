import GovAuditCore

/// Rules on the names around the certificate: the CAA RRset of the host and its parents
/// (RFC 8659), and the www/apex twin of a listed endpoint. Which CA names which CAA domain is
/// the policy's list (`issuerDomains`), never Swift's.
enum CertificateNameRules {
    static let all: [RuleImplementation] = [noCAA, caaIssuer, twinBroken]

    /// The CAA tags RFC 8659 §4.2–4.4 and its registry define: a critical record with any other
    /// tag forbids issuance to a CA that does not know it (§4.5).
    static let knownTags: Set<String> = ["issue", "issuewild", "iodef", "contactemail", "contactphone", "issuemail", "issuevmc"]

    /// A stored scan made before the certificate-names probe existed has none of its evidence:
    /// not applicable to it, rather than unknown (a live scan with TLS always writes both kinds).
    static func predates<F: EvidenceFacts>(_ c: RuleContext, _ type: F.Type) -> Verdict? {
        guard c.probed, !c.evidence.contains(where: { $0.kind == F.kind }), c.evidence.contains(where: { $0.kind == TLSOffer.kind }) else {
            return nil
        }
        return .notApplicable("no \(F.kind) evidence: the scan predates this check")
    }

    /// No CAA RRset on the host or any parent: every CA may issue for it.
    static let noCAA = RuleImplementation("tls.no-caa") { c in
        if let old = predates(c, CAARecordSet.self) { return old }
        return EvidenceRule.perEndpoint(c, CAARecordSet.self, endpoints: TLSRules.https(c)) { ep, s in
            s.foundAt == nil ? [Observation(endpoint: ep, facts: [Fact("name", s.name), Fact("dnssec", s.validation.rawValue)]
                                            + Fact.list("climbed", s.climbed))] : []
        }
    }

    /// The leaf's issuer is not among the CAs the relevant RRset authorises. Judged only for an
    /// issuer the policy maps to its CAA domains (by the issuer's organisation, O=, or CN= without
    /// one): a CA's
    /// certificate names no CAA domain, so an issuer outside the list is not judged.
    static let caaIssuer = RuleImplementation("tls.caa-issuer-not-authorised",
                                              parameters: [.init("issuerDomains", .table(.list(.text)))]) { c in
        guard case .map(let table)? = c.parameters["issuerDomains"] else {
            return .unknown("tls.caa-issuer-not-authorised: no issuerDomains in the policy")
        }
        if let old = predates(c, CAARecordSet.self) { return old }
        let domains = table.compactMapValues { $0.strings.map { Set($0.map { $0.lowercased() }) } }
        func leaf(_ ep: Endpoint) -> TLSCertificate? { c.evidence(TLSCertificate.self, for: ep).compactMap { $0.facts(as: TLSCertificate.self) }.first }
        return EvidenceRule.perEndpoint(
            c, CAARecordSet.self, endpoints: TLSRules.https(c),
            undetermined: { ep, s in s.foundAt != nil && leaf(ep) == nil ? "no certificate was read to compare with the CAA records" : nil }
        ) { ep, s in
            // The issuer's organisation names the CA; an issuer without one is looked up by its CN.
            guard s.foundAt != nil, let cert = leaf(ep),
                  let org = DistinguishedName.value("O", in: cert.issuer) ?? DistinguishedName.value("CN", in: cert.issuer),
                  let expected = domains[org] else { return nil }
            return unauthorised(s, cert: cert, expected: expected).map { [Observation(endpoint: ep, facts: [Fact("issuer", org)] + $0)] } ?? []
        }
    }

    /// The facts of an issuer the RRset does not authorise; nil when it does (RFC 8659 §4.2–4.3:
    /// issuewild for a wildcard leaf when present, else issue; no property at all restricts nothing).
    static func unauthorised(_ s: CAARecordSet, cert: TLSCertificate, expected: Set<String>) -> [Fact]? {
        let wildcard = cert.subjectAltNames.contains { $0.hasPrefix("*.") }
        let tag = wildcard && !s.values("issuewild").isEmpty ? "issuewild" : "issue"
        let values = s.values(tag)
        let critical = s.records.filter { $0.critical && !knownTags.contains($0.tag.lowercased()) }.map(\.tag)
        let permitted = values.map { $0.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? "" }.filter { !$0.isEmpty }
        let allowed = values.isEmpty || permitted.contains(where: expected.contains)
        guard !allowed || !critical.isEmpty else { return nil }
        return [Fact("property", tag), Fact("foundAt", s.foundAt ?? "-")] + Fact.list("permitted", permitted.isEmpty ? ["none"] : permitted)
            + Fact.list("issuerDomains", expected.sorted()) + (critical.isEmpty ? [] : Fact.list("unknownCritical", critical))
    }

    /// The www/apex twin resolves but a browser cannot use it: the handshake fails, the
    /// certificate does not name the twin or does not verify, or no HTTPS answer comes.
    static let twinBroken = RuleImplementation("https.twin-name-broken") { c in
        if let old = predates(c, TwinName.self) { return old }
        return EvidenceRule.perEndpoint(c, TwinName.self, endpoints: TLSRules.https(c)) { ep, t in
            guard !t.addresses.isEmpty else { return [] }   // a twin that does not resolve is no promise broken
            let problem: (code: String, detail: String)?
            if let f = t.tlsFailure { problem = ("tls-failed", "\(f.code): \(f.detail)") }
            else if let cert = t.certificate, !cert.hostnameMatches {
                problem = ("name-not-covered", "the certificate names \(([cert.subject] + cert.subjectAltNames).joined(separator: ", "))")
            } else if let cert = t.certificate, cert.verifyResult != 0 { problem = ("untrusted", cert.verifyError) }
            else if let f = t.httpsFailure { problem = ("no-https-answer", "\(f.code): \(f.detail)") }
            else { problem = nil }
            guard let problem else { return [] }
            return [Observation(endpoint: ep, subject: t.twin, facts: [Fact("twin", t.twin), Fact("problem", problem.code),
                                                                       Fact("detail", problem.detail)])]
        }
    }
}

/// Reading one attribute out of an RFC 2253 distinguished name, as OpenSSL prints it.
enum DistinguishedName {
    /// The first value of `attribute` (O, CN…); escapes (`\,`, `\XX`) undone.
    static func value(_ attribute: String, in dn: String) -> String? {
        var parts: [String] = [], current = "", escaped = false
        for ch in dn {
            if escaped { current.append("\\"); current.append(ch); escaped = false }
            else if ch == "\\" { escaped = true }
            else if ch == "," || ch == "+" { parts.append(current); current = "" }
            else { current.append(ch) }
        }
        parts.append(current)
        for part in parts {
            guard let eq = part.firstIndex(of: "="), part[..<eq].trimmingCharacters(in: .whitespaces).uppercased() == attribute.uppercased() else { continue }
            return unescape(String(part[part.index(after: eq)...]))
        }
        return nil
    }

    private static func unescape(_ s: String) -> String {
        var bytes: [UInt8] = []
        let chars = Array(s.utf8)
        var i = 0
        while i < chars.count {
            if chars[i] == UInt8(ascii: "\\"), i + 1 < chars.count {
                if i + 2 < chars.count, let v = UInt8(String(decoding: chars[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) {
                    bytes.append(v); i += 3; continue
                }
                bytes.append(chars[i + 1]); i += 2; continue
            }
            bytes.append(chars[i]); i += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
