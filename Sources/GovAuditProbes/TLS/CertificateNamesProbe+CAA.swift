import Foundation
import GovAuditCore
import GovAuditNet

extension CertificateNamesProbe {
    /// RFC 8659 §3: the relevant RRset is the first CAA RRset found asking the host, then each
    /// parent up to (not including) the root. A query that fails, or a DNSSEC-bogus answer, ends
    /// the climb as a failure: the RRset above it might not be the relevant one.
    func caa(_ endpoint: Endpoint, _ session: Resolver.Session) -> Evidence {
        Self.climb(endpoint) { session.lookup($0, .caa) }
    }

    /// The climb itself, over any lookup (the probe's is the shared resolver's).
    static func climb(_ endpoint: Endpoint, lookup query: (String) -> Result<DNSAnswer, DNSFailure>) -> Evidence {
        let host = endpoint.host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        var labels = host.split(separator: ".").map(String.init)
        var climbed: [String] = []
        var last: DNSAnswer?
        while !labels.isEmpty {
            let name = labels.joined(separator: ".")
            climbed.append(name)
            let lookup = query(name)
            if let failed = IPv6DNSProbe.queryFailure(lookup, .caa) {
                return Evidence(CAARecordSet.self, endpoint: endpoint,
                                outcome: .failed(FailureReason(code: failed.code, detail: "CAA \(name): \(failed.detail)")))
            }
            guard case .success(let answer) = lookup else { break }   // a failure was returned above
            if answer.validation == .bogus {
                return Evidence(CAARecordSet.self, endpoint: endpoint, outcome: .failed(FailureReason(
                    code: "dnssec-bogus", detail: "CAA \(name): the answer fails DNSSEC validation" + (answer.whyBogus.map { " (\($0))" } ?? ""))))
            }
            let records = answer.caaRecords
            if !records.isEmpty {
                return Evidence(endpoint: endpoint, facts: CAARecordSet(
                    name: host, climbed: climbed, foundAt: name, cnameChain: answer.cnameChain, records: records,
                    validation: answer.validation, whyBogus: answer.whyBogus))
            }
            last = answer
            labels.removeFirst()
        }
        return Evidence(endpoint: endpoint, facts: CAARecordSet(name: host, climbed: climbed, foundAt: nil, records: [],
                                                                validation: last?.validation ?? .indeterminate))
    }
}
