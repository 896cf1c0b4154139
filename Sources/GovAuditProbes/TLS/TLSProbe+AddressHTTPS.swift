import GovAuditCore
import GovAuditNet

/// The HTTPS answer of every address (issue 13 item 1): a visitor whom DNS sends to another
/// address may get another status, redirect or HSTS policy than the primary's. One GET per
/// address that answered TLS, pinned to it (kept connections are keyed on the pinned address, so
/// none rides another address's); the primary's answer is `https.response`'s, not fetched again.
extension TLSProbe {
    /// `records` with `https` filled in for every non-primary address that answered TLS (at once,
    /// each bounded by the per-address gate).
    func withHTTPS(_ records: [TLSAddresses.Record], _ endpoint: Endpoint, _ context: ProbeContext) -> [TLSAddresses.Record] {
        let fetched = Concurrently.map(records) { r -> TLSAddresses.Record in
            guard !r.primary, r.answered else { return r }
            var r = r
            r.https = Self.fetchHTTPS(endpoint, context, family: r.family, address: r.address)
            return r
        }
        return fetched
    }

    /// The endpoint's https:// URL from `address`, redirects not followed; a failed fetch is a
    /// failed result with its code (`could-not-test` for the scanner's own), never "no HSTS".
    static func fetchHTTPS(_ endpoint: Endpoint, _ context: ProbeContext, family: AddressFamily, address: String) -> CheckResult<AddressHTTPS> {
        switch context.http.fetch(endpoint.description, family: family, address: address, followRedirects: false) {
        case .success(let r): .observed(AddressHTTPS(status: r.status, headers: r.headers.map { HeaderField($0.name, $0.value) }))
        case .failure(let f):
            .failed(f.isScannerSide ? FailureReason(code: "could-not-test", detail: f.description) : FailureReason(code: f.code, detail: f.description))
        }
    }

    /// The primary's answer, from its `https.response` evidence.
    static func addressHTTPS(_ answer: Evidence) -> CheckResult<AddressHTTPS> {
        switch answer.outcome {
        case .collected:
            guard let a = answer.facts(as: HTTPSAnswer.self) else { return .failed(FailureReason(code: "could-not-test", detail: "no facts")) }
            return .observed(AddressHTTPS(status: a.status, headers: a.headers))
        case .failed(let reason): return .failed(reason)
        case .couldNotTest(let why): return .failed(FailureReason(code: "could-not-test", detail: why))
        case .notApplicable: return .notApplicable("no HTTPS answer")
        }
    }
}
