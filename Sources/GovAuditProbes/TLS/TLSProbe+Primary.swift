import GovAuditCore
import GovAuditNet

/// Which address the full evidence describes: the first one, in the order A then AAAA (each in
/// address order), whose port answers TLS. A client that finds one address dead tries the next,
/// and so does the probe: a refusing or silent first A no longer makes a host TLS-less while its
/// other addresses serve. Each address tried before the one that answered is a failed record of
/// `tls.addresses` (so `tls.address-unavailable` names it).
enum PrimarySearch<Scan: Sendable>: Sendable {
    /// `scan` answered on `address`; `tried` are the failed records of the addresses before it.
    case found(family: AddressFamily, address: String, scan: Scan, tried: [TLSAddresses.Record])
    /// No address answered: `failure` is the first target-side failure (else the first one),
    /// `tried` every attempt, `untried` the candidates beyond the bound.
    case noneAnswered(failure: TLSProber.Failure, address: String, tried: [TLSAddresses.Record], untried: Int)
    /// The endpoint's budget ran out during the search: the scan was cut short, not the host.
    case cutShort(TLSProber.Failure)

    /// The candidates: every A, then every AAAA (not with --no-ipv6, unless there is no A).
    static func candidates(_ resolved: ResolvedAddresses, ipv6Disabled: Bool) -> [(AddressFamily, String)] {
        resolved.ipv4.map { (.ipv4, $0) } + (ipv6Disabled && !resolved.ipv4.isEmpty ? [] : resolved.ipv6.map { (.ipv6, $0) })
    }

    /// Tries `candidates` in turn, at most `bound` of them; `attempt` scans one and says how many
    /// hellos it spent. `describe` turns a failure into the record's reason.
    static func search(_ candidates: [(AddressFamily, String)], bound: Int,
                       describe: (TLSProber.Failure, String) -> FailureReason,
                       attempt: (AddressFamily, String) -> (Result<Scan, TLSProber.Failure>, spent: Int)) -> PrimarySearch {
        var tried: [TLSAddresses.Record] = []
        var first: (TLSProber.Failure, String)?
        for (family, address) in candidates.prefix(max(1, bound)) {
            let (result, spent) = attempt(family, address)
            switch result {
            case .success(let scan): return .found(family: family, address: address, scan: scan, tried: tried)
            case .failure(let f):
                if case .budgetExhausted = f { return .cutShort(f) }
                let reason = describe(f, address)
                let outcome: Outcome = f.isScannerSide ? .couldNotTest(reason.detail) : .failed(reason)
                tried.append(TLSAddresses.Record(address: address, family: family, probing: .full, outcome: outcome, handshakes: spent))
                if first == nil || (first!.0.isScannerSide && !f.isScannerSide) { first = (f, address) }
            }
        }
        // `candidates` is never empty here: the caller has a primary address.
        let (failure, address) = first ?? (.closed, candidates.first?.1 ?? "")
        return .noneAnswered(failure: failure, address: address, tried: tried, untried: max(0, candidates.count - max(1, bound)))
    }
}

extension TLSProber.Failure {
    /// A failure of the scanner's own (no route, an address --allow-net keeps out), not the target's.
    var isScannerSide: Bool {
        switch self { case .noRoute, .notAllowed: true; default: false }
    }
}

extension TLSProbe {
    /// The full scan of the first answering address, its version loop first so a failed attempt
    /// still says what it cost.
    func searchPrimary(_ resolved: ResolvedAddresses, port: Int, serverName: String?, _ context: ProbeContext,
                       _ deadline: Deadline) -> PrimarySearch<TLSProber.VersionScan> {
        let timeout = context.connectTimeoutMilliseconds
        let prober = TLSProber(timeoutMilliseconds: timeout, filter: context.filter, gate: context.gate)
        return PrimarySearch.search(PrimarySearch<TLSProber.VersionScan>.candidates(resolved, ipv6Disabled: context.ipv6Disabled),
                                    bound: options.primaryTries,
                                    describe: { Self.reason($0, address: $1, port: port, timeout: timeout) }) { _, address in
            var spent = 0
            switch prober.versions(address: address, port: port, serverName: serverName, deadline: deadline, spent: &spent) {
            case .failure(let f): return (.failure(f), spent)
            case .success(let v):
                return (prober.scan(address: address, port: port, serverName: serverName, deadline: deadline, known: v), spent)
            }
        }
    }

    /// TLS unavailable on every address tried: the first target-side failure, the others said
    /// beside it when there were several.
    static func unavailable(_ failure: TLSProber.Failure, address: String, tried: [TLSAddresses.Record], untried: Int,
                            port: Int, timeout: Int) -> Outcome {
        let reason = reason(failure, address: address, port: port, timeout: timeout)
        let others = tried.filter { $0.address != address }.map { r -> String in
            switch r.outcome {
            case .failed(let why): "\(r.address): \(why.code)"
            case .couldNotTest(let why): "\(r.address): \(why)"
            case .collected, .notApplicable: r.address
            }
        }
        guard !others.isEmpty || untried > 0 else { return failure.isScannerSide ? .couldNotTest(reason.detail) : .failed(reason) }
        let detail = reason.detail + " (also tried: " + (others.isEmpty ? "none" : others.joined(separator: ", "))
            + (untried > 0 ? "; \(untried) more not tried" : "") + ")"
        return failure.isScannerSide ? .couldNotTest(detail) : .failed(FailureReason(code: reason.code, detail: detail))
    }
}
