import GovAuditCore
import GovAuditNet

extension IPv6DNSProbe {
    /// TCP to ports 80 and 443 of the first `maxAddresses` addresses of one family, all at once
    /// (the per-address gate still bounds each address), none past the deadline. The addresses
    /// beyond the bound are counted; connects the deadline cut short are counted, not recorded
    /// as stalls (the port might have answered a moment later).
    func reachability(_ family: AddressFamily, _ addresses: [String], _ context: ProbeContext, _ deadline: Deadline,
                      _ endpoint: Endpoint) -> Evidence {
        let probed = Array(addresses.prefix(options.maxAddresses))
        let pairs = probed.flatMap { address in [80, 443].map { (address: address, port: $0) } }
        let full = context.connectTimeoutMilliseconds
        let outcomes: [ConnectOutcome?] = Concurrently.map(pairs) { pair in
            let limit = deadline.cap(full)
            guard limit > 0 else { return nil }
            let outcome = TCP.connect(address: pair.address, port: pair.port, timeoutMilliseconds: limit,
                                      filter: context.filter, gate: context.gate)
            return outcome == .stall && limit < full ? nil : outcome
        }
        let attempts = zip(pairs, outcomes).compactMap { pair, outcome in
            outcome.map { Reachability.Attempt(address: pair.address, port: pair.port, outcome: $0) }
        }
        let cut = pairs.count - attempts.count
        if attempts.isEmpty {
            return Evidence(Reachability.self, endpoint: endpoint, outcome: .failed(.budgetExhausted(
                "\(deadline) ran out before any of the \(pairs.count) \(family.rawValue) connects ended")))
        }
        if cut == 0 && attempts.allSatisfy({ $0.outcome == .noRoute }) {
            return Evidence(Reachability.self, endpoint: endpoint,
                            outcome: .couldNotTest("the scanner has no \(family.rawValue) route to \(probed.joined(separator: ", "))"))
        }
        if cut == 0 && attempts.allSatisfy({ $0.outcome == .notAllowed || $0.outcome == .noRoute }) {
            let refused = probed.map { "\($0) (\(context.filter.check($0)))" }.joined(separator: ", ")
            return Evidence(Reachability.self, endpoint: endpoint,
                            outcome: .couldNotTest("not scanned: \(refused); --allow-net names networks the scanner may enter"))
        }
        return Evidence(endpoint: endpoint, facts: Reachability(family: family, attempts: attempts,
                                                               addressesNotProbed: Self.count(addresses.count - probed.count),
                                                               cutShort: Self.count(cut)))
    }

    /// The endpoint's page over IPv4 and over IPv6, pinned to the first address of each.
    func parity(_ endpoint: Endpoint, _ r: DNSResolution, _ reach: [AddressFamily: Reachability], _ context: ProbeContext) -> Evidence {
        if let failed = r.aFailure ?? r.aaaaFailure {
            return Evidence(FamilyParity.self, endpoint: endpoint, outcome: .failed(failed))
        }
        guard let v4 = r.a.first, let v6 = r.aaaa.first else {
            return Evidence(FamilyParity.self, endpoint: endpoint, outcome: .notApplicable)
        }
        guard reach[.ipv6] != nil else {
            return Evidence(FamilyParity.self, endpoint: endpoint,
                            outcome: .couldNotTest(context.ipv6Disabled ? "IPv6 disabled (--no-ipv6)" : "IPv6 not testable from the scanner"))
        }
        let url = endpoint.description
        func fetch(_ family: AddressFamily, _ address: String) -> (FamilyParity.Fetch, [UInt8]?) {
            switch context.http.fetch(url, family: family, address: address) {
            case .success(let resp):
                return (FamilyParity.Fetch(address: address, status: resp.status, finalURL: resp.finalURL,
                                           bytes: resp.body.count, tokens: nil, failure: nil), resp.body)
            case .failure(let f):
                return (FamilyParity.Fetch(address: address, status: nil, finalURL: nil, bytes: nil, tokens: nil, failure: f.code), nil)
            }
        }
        let (first4, b4) = fetch(.ipv4, v4), (first6, b6) = fetch(.ipv6, v6)
        var f4 = first4, f6 = first6
        var common: Int?
        if let b4, let b6 {
            let counts = ContentSimilarity.counts(b4, b6)
            (f4.tokens, f6.tokens, common) = (counts.a, counts.b, counts.common)
        }
        return Evidence(endpoint: endpoint, facts: FamilyParity(url: url, ipv4: f4, ipv6: f6, commonTokens: common))
    }
}
