import Foundation
import GovAuditCore
import GovAuditNet

/// What every probe is given: the network core and the scan's switches. A value; the live form
/// comes from the CLI's options, tests build their own against the lab.
public struct ProbeContext: Sendable {
    public var resolver: Resolver
    public var http: HTTPClient
    /// `--no-ipv6`: every IPv6 step is could-not-test.
    public var ipv6Disabled: Bool
    public var connectTimeoutMilliseconds: Int
    /// Where any probe may connect: the HTTP client's filter, so there is one.
    public var filter: AddressFilter { http.filter }
    /// The per-address connection bound shared by every probe: the HTTP client's.
    public var gate: ConnectionGate? { http.gate }

    public init(resolver: Resolver, http: HTTPClient, ipv6Disabled: Bool = false, connectTimeoutMilliseconds: Int = 3000) {
        self.resolver = resolver
        self.http = http
        self.ipv6Disabled = ipv6Disabled
        self.connectTimeoutMilliseconds = connectTimeoutMilliseconds
    }
}

/// IPv6 and DNS facts of one endpoint, measured as internet.nl and the NIST USGv6 monitor do:
/// addresses per family, the zone's servers and DNSSEC, TCP reachability per family and port,
/// and the same page over both families. Never judges: rules in Policies/ do.
public struct IPv6DNSProbe: Sendable {
    public var context: ProbeContext

    public init(context: ProbeContext) {
        self.context = context
    }

    /// Blocking: run it on the blocking pool.
    public func run(_ endpoint: Endpoint) -> [Evidence] {
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
            let attempts = addresses.flatMap { addr in
                [80, 443].map { Reachability.Attempt(address: addr, port: $0,
                                                    outcome: TCP.connect(address: addr, port: $0, timeoutMilliseconds: context.connectTimeoutMilliseconds,
                                                                         filter: context.filter, gate: context.gate)) }
            }
            if attempts.allSatisfy({ $0.outcome == .noRoute }) {
                evidence.append(Evidence(Reachability.self, endpoint: endpoint,
                                         outcome: .couldNotTest("the scanner has no \(family.rawValue) route to \(addresses.joined(separator: ", "))")))
                continue
            }
            if attempts.allSatisfy({ $0.outcome == .notAllowed || $0.outcome == .noRoute }) {
                let refused = addresses.map { "\($0) (\(context.filter.check($0)))" }.joined(separator: ", ")
                evidence.append(Evidence(Reachability.self, endpoint: endpoint,
                                         outcome: .couldNotTest("not scanned: \(refused); --allow-net names networks the scanner may enter")))
                continue
            }
            let r = Reachability(family: family, attempts: attempts)
            reach[family] = r
            evidence.append(Evidence(endpoint: endpoint, facts: r))
        }
        evidence.append(parity(endpoint, resolution, reach))
        return evidence
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

    /// The closest enclosing zone (the first name upwards with an NS RRset) and its servers. A
    /// query that fails on the way is the zone's failure, never a step to the parent zone.
    private func zone(of host: String, _ session: Resolver.Session, _ endpoint: Endpoint) -> Evidence {
        var labels = host.split(separator: ".").map(String.init)
        while labels.count >= 2 {
            let name = labels.joined(separator: ".")
            let lookup = session.lookup(name, .ns)
            if let failed = Self.queryFailure(lookup, .ns) {
                return Evidence(ZoneFacts.self, endpoint: endpoint,
                                outcome: .failed(FailureReason(code: failed.code, detail: "NS \(name): \(failed.detail)")))
            }
            if case .success(let ns) = lookup, !ns.values(.ns).isEmpty,
               ns.records.contains(where: { $0.type == DNSType.ns.rawValue && $0.name == name }) {
                let servers = ns.values(.ns).sorted().map { addresses($0, session) }
                let mxLookup = session.lookup(name, .mx)
                let mx = ((try? mxLookup.get())?.values(.mx) ?? []).sorted().map { addresses($0, session) }
                let keys = session.lookup(name, .dnskey)
                let signed = (try? keys.get()).map { !$0.records.filter { $0.type == DNSType.dnskey.rawValue }.isEmpty } ?? false
                // The DS is the parent's answer: a signed zone without one is validated as unsigned.
                let ds = session.lookup(name, .ds), dsFailure = Self.queryFailure(ds, .ds)
                let dsPublished = dsFailure == nil ? (try? ds.get()).map { !$0.values(.ds).isEmpty } : nil
                return Evidence(endpoint: endpoint, facts: ZoneFacts(zone: name, nameServers: servers, mailExchangers: mx,
                                                                     mxFailure: Self.queryFailure(mxLookup, .mx), signed: signed,
                                                                     dnskeyFailure: Self.queryFailure(keys, .dnskey),
                                                                     validation: ns.validation, dsPublished: dsPublished,
                                                                     dsFailure: dsFailure))
            }
            labels.removeFirst()
        }
        return Evidence(ZoneFacts.self, endpoint: endpoint, outcome: .failed(FailureReason(code: "no-zone", detail: "no NS RRset found above \(host)")))
    }

    private func addresses(_ name: String, _ session: Resolver.Session) -> ServerAddresses {
        let a = session.lookup(name, .a), aaaa = session.lookup(name, .aaaa)
        return ServerAddresses(name: name, ipv4: (try? a.get())?.values(.a) ?? [], ipv6: (try? aaaa.get())?.values(.aaaa) ?? [],
                               ipv4Failure: Self.queryFailure(a, .a), ipv6Failure: Self.queryFailure(aaaa, .aaaa))
    }

    /// The endpoint's page over IPv4 and over IPv6, pinned to the first address of each.
    private func parity(_ endpoint: Endpoint, _ r: DNSResolution, _ reach: [AddressFamily: Reachability]) -> Evidence {
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
