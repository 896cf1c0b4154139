import Foundation
import GovAuditCore
import GovAuditNet

/// The IPv6 and DNS probe's bounds: options of the scan, recorded in its scope, never policy.
public struct IPv6DNSOptions: Sendable {
    /// Everything the probe does for one endpoint (lookups, connects, the two fetches).
    public var budgetSeconds = 20.0
    /// Addresses per family whose ports are probed; the rest are counted (`--max-addresses`).
    public var maxAddresses = 8
    /// Name servers and mail exchangers followed per zone (their addresses looked up); the rest
    /// are counted (`--max-records`).
    public var maxRecords = 8
    public init() {}
}

/// IPv6 and DNS facts of one endpoint, measured as internet.nl and the NIST USGv6 monitor do:
/// addresses per family, the zone's servers and DNSSEC, TCP reachability per family and port,
/// and the same page over both families. Never judges: rules in Policies/ do.
public struct IPv6DNSProbe: Sendable {
    public var context: ProbeContext
    public var options: IPv6DNSOptions

    public init(context: ProbeContext, options: IPv6DNSOptions = IPv6DNSOptions()) {
        self.context = context
        self.options = options
    }

    public var name: String { "the DNS/IPv6 probe" }
    public var budget: Duration { .milliseconds(Int(options.budgetSeconds * 1000)) }

    /// Blocking: run it on the blocking pool.
    public func run(_ endpoint: Endpoint, until deadline: Deadline) -> [Evidence] {
        let context = self.context.within(deadline)
        let session: Resolver.Session
        do { session = try context.resolver.session() } catch {
            return [Evidence(DNSResolution.self, endpoint: endpoint, outcome: .couldNotTest("resolver: \(error.description)"))]
        }
        let host = endpoint.host
        if CIDR.parse(host) != nil {
            return [Evidence(DNSResolution.self, endpoint: endpoint, outcome: .notApplicable)]
        }
        let a = session.lookup(host, .a), aaaa = session.lookup(host, .aaaa)
        guard let resolution = resolution(host, a, aaaa) else {
            return [Evidence(DNSResolution.self, endpoint: endpoint, outcome: .failed(failure(a, aaaa)))]
        }
        var evidence = [Evidence(endpoint: endpoint, facts: resolution)]
        evidence.append(zone(of: host, session, endpoint))
        guard endpoint.scheme != nil else { return evidence }   // a bare host: a service, not a site

        var reach: [AddressFamily: Reachability] = [:]
        for (family, addresses, failed) in [(AddressFamily.ipv4, resolution.a, resolution.aFailure),
                                            (.ipv6, resolution.aaaa, resolution.aaaaFailure)] {
            if let failed {
                evidence.append(Evidence(Reachability.self, endpoint: endpoint, outcome: .failed(failed)))
                continue
            }
            guard !addresses.isEmpty else {
                evidence.append(Evidence(Reachability.self, endpoint: endpoint, outcome: .notApplicable))
                continue
            }
            if family == .ipv6 && context.ipv6Disabled {
                evidence.append(Evidence(Reachability.self, endpoint: endpoint, outcome: .couldNotTest("IPv6 disabled (--no-ipv6)")))
                continue
            }
            let found = reachability(family, addresses, context, deadline, endpoint)
            if case .collected = found.outcome, let r = found.facts(as: Reachability.self) { reach[family] = r }
            evidence.append(found)
        }
        evidence.append(parity(endpoint, resolution, reach, context))
        return evidence
    }

    public func abandoned(_ endpoint: Endpoint, _ reason: FailureReason) -> [Evidence] {
        let kinds: [any EvidenceFacts.Type] = endpoint.scheme == nil ? [DNSResolution.self, ZoneFacts.self]
            : [DNSResolution.self, ZoneFacts.self, Reachability.self, FamilyParity.self]
        return kinds.map { Evidence($0, endpoint: endpoint, outcome: .failed(reason)) }
    }

    private func resolution(_ host: String, _ a: Result<DNSAnswer, DNSFailure>,
                            _ aaaa: Result<DNSAnswer, DNSFailure>) -> DNSResolution? {
        let a4 = (try? a.get())?.values(.a) ?? [], a6 = (try? aaaa.get())?.values(.aaaa) ?? []
        guard !a4.isEmpty || !a6.isEmpty else { return nil }
        let answer = (try? a.get()) ?? (try? aaaa.get())
        return DNSResolution(name: host, a: a4, aaaa: a6, cnameChain: answer?.cnameChain ?? [],
                             validation: answer?.validation ?? .indeterminate, whyBogus: answer?.whyBogus,
                             aFailure: Self.queryFailure(a, .a), aaaaFailure: Self.queryFailure(aaaa, .aaaa))
    }

    /// Why a query gave no usable answer: a timeout, a resolver error, SERVFAIL or REFUSED. Nil
    /// for an answer, NXDOMAIN and NODATA included (they say there is nothing), and for data
    /// that came with a bogus DNSSEC status (the validation says that).
    static func queryFailure(_ r: Result<DNSAnswer, DNSFailure>, _ type: DNSType) -> FailureReason? {
        switch r {
        case .failure(.timeout(let ms)): return .timeout("no DNS answer within \(ms) ms")
        case .failure(.budgetExhausted(let d)): return .budgetExhausted("\(d) ran out before the \("\(type)".uppercased()) answer")
        case .failure(let f): return FailureReason(code: "dns-error", detail: f.description)
        case .success(let answer):
            if answer.rcode == 0 || answer.rcode == 3 || !answer.values(type).isEmpty { return nil }
            switch answer.rcode {
            case 2: return FailureReason(code: "servfail", detail: "SERVFAIL" + (answer.whyBogus.map { " (\($0))" } ?? ""))
            case 5: return FailureReason(code: "refused", detail: "the resolver refused the query (REFUSED)")
            default: return FailureReason(code: "rcode-\(answer.rcode)", detail: "DNS rcode \(answer.rcode)")
            }
        }
    }

    /// Why a name has no address: a timeout, SERVFAIL (bogus DNSSEC included), NXDOMAIN, no data.
    private func failure(_ a: Result<DNSAnswer, DNSFailure>, _ aaaa: Result<DNSAnswer, DNSFailure>) -> FailureReason {
        switch a {
        case .failure(.timeout(let ms)): return .timeout("no DNS answer within \(ms) ms")
        case .failure(.budgetExhausted(let d)): return .budgetExhausted("\(d) ran out before the A answer")
        case .failure(let f): return FailureReason(code: "dns-error", detail: f.description)
        case .success(let answer):
            switch answer.rcode {
            case 2: return FailureReason(code: "servfail", detail: "SERVFAIL" + (answer.whyBogus.map { " (\($0))" } ?? ""))
            case 3: return FailureReason(code: "nxdomain", detail: "the name does not exist (NXDOMAIN)")
            case 5: return FailureReason(code: "refused", detail: "the resolver refused the query (REFUSED)")
            // No A: the AAAA query's failure, if it failed, is why there is no address.
            case 0: return Self.queryFailure(aaaa, .aaaa) ?? FailureReason(code: "no-address", detail: "no A and no AAAA record")
            default: return FailureReason(code: "rcode-\(answer.rcode)", detail: "DNS rcode \(answer.rcode)")
            }
        }
    }
}
extension IPv6DNSProbe: Probe {}
