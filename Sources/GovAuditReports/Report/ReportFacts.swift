import GovAuditCore
import GovAuditPolicy

/// The observed facts the report's lists show beside the rules' verdicts: addresses, whether an
/// AAAA answer came, whether the IPv6 ports answered, the protocols offered. Facts only: the
/// status column of each list is the rules' (figures and the tls.grade measurement).
enum ReportFacts {
    static func ipv6Rows(_ s: SystemEvaluation, status: ComplianceStatus) -> [ReportModel.IPv6Row] {
        s.system.endpoints.filter { $0.scheme != nil }.map { ep in
            let mine = s.evidence.filter { $0.endpoint == ep }
            var row = ReportModel.IPv6Row(system: s.system.id, systemName: s.system.name, endpoint: ep.description,
                                          ipv4Addresses: [], ipv6Addresses: [], aaaa: .unknown, reachable: .unknown,
                                          detail: "", dnssec: "", status: status)
            guard let resolution = mine.first(where: { $0.kind == DNSResolution.kind }) else {
                row.detail = "not-probed"
                return row
            }
            switch resolution.outcome {
            case .failed(let why): row.detail = "dns: \(why.code)"; return row
            case .couldNotTest(let why): row.detail = why; return row
            case .notApplicable: row.aaaa = .notApplicable; row.reachable = .notApplicable; return row
            case .collected: break
            }
            guard let r = resolution.facts(as: DNSResolution.self) else { return row }
            row.ipv4Addresses = r.a
            row.ipv6Addresses = r.aaaa
            row.dnssec = r.validation.rawValue
            if let failure = r.aaaaFailure {
                row.detail = "aaaa: \(failure.code)"
                return row
            }
            row.aaaa = r.aaaa.isEmpty ? .no : .yes
            row.reachable = r.aaaa.isEmpty ? .no : .unknown
            for e in mine where e.kind == Reachability.kind {
                switch e.outcome {
                case .collected:
                    guard !r.aaaa.isEmpty, let f = e.facts(as: Reachability.self), f.family == .ipv6 else { continue }
                    let closed = f.attempts.filter { $0.outcome != .open }
                    row.reachable = closed.isEmpty ? .yes : .no
                    row.detail = closed.map { "\($0.port): \($0.outcome.rawValue)" }.joined(separator: ", ")
                case .couldNotTest(let why) where !r.aaaa.isEmpty:
                    row.reachable = .unknown
                    row.detail = why
                default: continue
                }
            }
            return row
        }
    }

    static func tlsRows(_ s: SystemEvaluation) -> [ReportModel.TLSRow] {
        s.system.endpoints.filter { $0.scheme == "https" }.compactMap { ep in
            guard let offer = s.evidence.first(where: { $0.endpoint == ep && $0.kind == TLSOffer.kind }) else { return nil }
            let grade = s.measurements.first { $0.rule == "tls.grade" && $0.endpoint == ep }
            let open = s.findings.filter { $0.endpoint == ep.description && $0.isOpen && [.tls, .https].contains($0.area) }
            return ReportModel.TLSRow(system: s.system.id, endpoint: ep.description, grade: grade?.fact("grade"),
                                      cappedBy: grade?.fact("caps") ?? "",
                                      protocols: offer.facts(as: TLSOffer.self)?.protocols.map(\.name) ?? [],
                                      openFindings: open.count)
        }
    }
}
