import GovAuditCore
import GovAuditNet

/// Every address of the endpoint: its A and AAAA records, in address order so two scans of a
/// rotating answer probe the same primary, at most `maxAddresses` per family (the rest counted).
struct ResolvedAddresses: Sendable {
    var ipv4: [String]
    var ipv6: [String]
    var notProbed: [TLSAddresses.NotProbed]
    var lookupFailures: [TLSAddresses.LookupFailure]

    /// The first candidate for the primary: the first A, else the first AAAA (the primary is
    /// the first of them that answers TLS, `PrimarySearch`).
    var primary: (family: AddressFamily, address: String)? {
        ipv4.first.map { (.ipv4, $0) } ?? ipv6.first.map { (.ipv6, $0) }
    }

    /// The first `bound` of `addresses` in address order (duplicates once), and the rest counted.
    static func bounded(_ addresses: [String], _ family: AddressFamily, _ bound: Int) -> ([String], TLSAddresses.NotProbed?) {
        let all = Array(Set(addresses)).sorted { (CIDR.parse($0) ?? []).lexicographicallyPrecedes(CIDR.parse($1) ?? []) }
        guard all.count > bound else { return (all, nil) }
        let beyond = Array(all.dropFirst(bound))
        return (Array(all.prefix(bound)), .init(family: family, count: beyond.count, addresses: beyond))
    }
}

extension TLSProbe {
    enum Resolution { case found(ResolvedAddresses), none(Outcome) }

    /// The endpoint's own address when it is one, else its A and AAAA records. A lookup that
    /// fails is said, never taken for "no address".
    func resolve(_ endpoint: Endpoint, _ context: ProbeContext) -> Resolution {
        let bound = options.maxAddresses
        if CIDR.parse(endpoint.host) != nil {
            let v6 = endpoint.host.contains(":")
            return .found(ResolvedAddresses(ipv4: v6 ? [] : [endpoint.host], ipv6: v6 ? [endpoint.host] : [], notProbed: [],
                                            lookupFailures: []))
        }
        let session: Resolver.Session
        do { session = try context.resolver.session() } catch {
            return .none(.couldNotTest("resolver: \(error.description)"))
        }
        var found = ResolvedAddresses(ipv4: [], ipv6: [], notProbed: [], lookupFailures: [])
        var problems: [String] = []
        for (family, type) in [(AddressFamily.ipv4, DNSType.a), (.ipv6, .aaaa)] {
            let label = "\(type)".uppercased()
            switch session.lookup(endpoint.host, type) {
            case .success(let answer):
                let values = answer.values(type)
                if values.isEmpty { problems.append("\(label): none (rcode \(answer.rcode))") }
                let (probed, beyond) = ResolvedAddresses.bounded(values, family, bound)
                if let beyond { found.notProbed.append(beyond) }
                if family == .ipv4 { found.ipv4 = probed } else { found.ipv6 = probed }
            case .failure(.budgetExhausted(let d)):
                return .none(.failed(.budgetExhausted("\(d) ran out while \(endpoint.host) was resolved")))
            case .failure(let f):
                problems.append("\(label): \(f.description)")
                found.lookupFailures.append(.init(family: family, reason: f.description))
            }
        }
        // The dns rules report a name that does not resolve; here it only means TLS cannot be tested.
        guard found.primary != nil else { return .none(.couldNotTest("the name does not resolve: " + problems.joined(separator: "; "))) }
        return .found(found)
    }

    /// The record of the primary address, from its full evidence.
    static func primaryRecord(_ family: AddressFamily, _ address: String, _ scan: TLSProber.VersionScan,
                              certificate: Evidence, https: CheckResult<AddressHTTPS>?) -> TLSAddresses.Record {
        var r = TLSAddresses.Record(address: address, family: family, primary: true, probing: .full, outcome: .collected,
                                    https: https)
        fill(&r, scan)
        switch certificate.outcome {
        case .collected: r.leafSHA256 = certificate.facts(as: TLSCertificate.self)?.chain.first?.sha256
        case .failed(let reason): r.certificateFailure = reason
        case .couldNotTest(let why): r.certificateFailure = FailureReason(code: "could-not-test", detail: why)
        case .notApplicable: break
        }
        return r
    }

    static func fill(_ r: inout TLSAddresses.Record, _ scan: TLSProber.VersionScan) {
        r.versions = scan.offered
        r.chosen = scan.offered.compactMap { v in scan.suites[v]?.first.map { .init(version: v, suite: suite($0)) } }
        r.suites = scan.offered.map { v in
            TLSOffer.Accepted(version: v, suites: (scan.suites[v] ?? []).map(suite), serverOrder: scan.serverOrder[v])
        }
    }

    static func suite(_ code: UInt16) -> TLSOffer.Suite { TLSOffer.Suite(code: Int(code), name: CipherSuite.named(code)?.name) }

    /// Every address but the primary: the ones tried before it (`tried`, failed), the other
    /// family's first answering address in full, the rest fingerprinted against their family's
    /// full address (at once, each bounded by the gate); then the HTTPS answer of each that
    /// answered TLS, one request each.
    func addresses(_ endpoint: Endpoint, _ resolved: ResolvedAddresses, primary: TLSAddresses.Record, tried: [TLSAddresses.Record],
                   port: Int, serverName: String?, _ context: ProbeContext, _ deadline: Deadline) -> Evidence {
        let probe = AddressProbe(probe: self, context: context, endpoint: endpoint, port: port, serverName: serverName,
                                 deadline: deadline)
        var records = [primary] + tried
        let done = Set(records.map(\.address))
        for (family, all) in [(AddressFamily.ipv4, resolved.ipv4), (.ipv6, resolved.ipv6)] {
            var reference: TLSAddresses.Record? = family == primary.family ? primary : nil
            var rest = all.filter { !done.contains($0) }[...]
            while reference == nil, let address = rest.popFirst() {
                let r = probe.run(address, family, against: nil)
                records.append(r)
                if r.answered { reference = r }
            }
            let against = reference
            records += Concurrently.map(Array(rest)) { probe.run($0, family, against: against) }
        }
        records = withHTTPS(records, endpoint, context)
        return Evidence(endpoint: endpoint, facts: TLSAddresses(records: records, notProbed: resolved.notProbed,
                                                                 lookupFailures: resolved.lookupFailures))
    }
}

/// One address's probing: in full (`against` nil), or fingerprinted and enumerated in full
/// only where the fingerprint differs from `against`'s.
struct AddressProbe: Sendable {
    var probe: TLSProbe
    var context: ProbeContext
    var endpoint: Endpoint
    var port: Int
    var serverName: String?
    var deadline: Deadline

    func run(_ address: String, _ family: AddressFamily, against reference: TLSAddresses.Record?) -> TLSAddresses.Record {
        var r = TLSAddresses.Record(address: address, family: family, probing: reference == nil ? .full : .fingerprint,
                                    outcome: .collected)
        if family == .ipv6 && context.ipv6Disabled {
            r.outcome = .couldNotTest("IPv6 disabled (--no-ipv6)")
            return r
        }
        let timeout = context.connectTimeoutMilliseconds
        let prober = TLSProber(timeoutMilliseconds: timeout, filter: context.filter, gate: context.gate)
        func failed(_ f: TLSProber.Failure, after handshakes: Int) -> TLSAddresses.Record {
            var failed = r
            let reason = TLSProbe.reason(f, address: address, port: port, timeout: timeout)
            failed.outcome = f.isScannerSide ? .couldNotTest(reason.detail) : .failed(reason)
            failed.handshakes = handshakes
            return failed
        }
        // The version loop first, in either case: the full scan goes on from it.
        var spent = 0
        let versions: TLSProber.VersionProbe
        switch prober.versions(address: address, port: port, serverName: serverName, deadline: deadline, spent: &spent) {
        case .failure(let f): return failed(f, after: spent)
        case .success(let v): versions = v
        }
        r.versions = versions.offered
        r.chosen = versions.offered.compactMap { v in versions.chosen[v].map { .init(version: v, suite: TLSProbe.suite($0)) } }
        r.handshakes = versions.handshakes
        if let reference {
            leaf(&r, address)
            guard reference.answered, !r.sameFingerprint(as: reference) else { return r }
            r.probing = .fingerprintThenFull
        }
        switch prober.scan(address: address, port: port, serverName: serverName, deadline: deadline, known: versions) {
        case .failure(let f): return failed(f, after: r.handshakes)
        case .success(let scan):
            TLSProbe.fill(&r, scan)
            r.handshakes = scan.handshakes + (reference == nil ? 0 : 1)
        }
        if reference == nil { leaf(&r, address) }
        return r
    }

    /// The leaf's SHA-256, by one full OpenSSL handshake as a browser would make it.
    private func leaf(_ r: inout TLSAddresses.Record, _ address: String) {
        let inspector = TLSInspector(caFile: probe.caFile, timeoutMilliseconds: context.connectTimeoutMilliseconds,
                                     filter: context.filter, gate: context.gate)
        r.handshakes += 1
        switch inspector.leaf(address: address, port: port, serverName: serverName, deadline: deadline) {
        case .success(let leaf): r.leafSHA256 = leaf.sha256
        case .failure(let f): r.certificateFailure = TLSProbe.reason(f)
        }
    }
}
