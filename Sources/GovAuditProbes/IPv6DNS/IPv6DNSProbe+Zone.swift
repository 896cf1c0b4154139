import GovAuditCore
import GovAuditNet

extension IPv6DNSProbe {
    /// The closest enclosing zone (the first name upwards with an NS RRset) and its servers. A
    /// query that fails on the way is the zone's failure, never a step to the parent zone. The
    /// zone's own queries (NS, MX, DNSKEY, and the parent's DS) come first; then the first `maxRecords` name servers
    /// and mail exchangers are followed to their addresses, the rest counted.
    func zone(of host: String, _ session: Resolver.Session, _ endpoint: Endpoint) -> Evidence {
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
                let mxLookup = session.lookup(name, .mx)
                let keys = session.lookup(name, .dnskey)
                let nsNames = ns.values(.ns).sorted()
                let mxNames = (mxLookup.success?.values(.mx) ?? []).sorted()
                let keysFailure = Self.queryFailure(keys, .dnskey)
                let signed = keysFailure == nil && (keys.success?.records.contains { $0.type == DNSType.dnskey.rawValue } ?? false)
                // The DS is the parent's answer: a signed zone without one is validated as unsigned.
                let ds = session.lookup(name, .ds), dsFailure = Self.queryFailure(ds, .ds)
                return Evidence(endpoint: endpoint, facts: ZoneFacts(
                    zone: name, nameServers: nsNames.prefix(options.maxRecords).map { addresses($0, session) },
                    mailExchangers: mxNames.prefix(options.maxRecords).map { addresses($0, session) },
                    mxFailure: Self.queryFailure(mxLookup, .mx), signed: signed, dnskeyFailure: keysFailure,
                    validation: ns.validation,
                    dsPublished: dsFailure == nil ? ds.success.map { !$0.values(.ds).isEmpty } : nil, dsFailure: dsFailure,
                    nameServersNotFollowed: Self.count(nsNames.count - options.maxRecords),
                    mailExchangersNotFollowed: Self.count(mxNames.count - options.maxRecords)))
            }
            labels.removeFirst()
        }
        return Evidence(ZoneFacts.self, endpoint: endpoint, outcome: .failed(FailureReason(code: "no-zone", detail: "no NS RRset found above \(host)")))
    }

    /// A count of what a bound left out, nil when nothing was (so it stays out of the JSON).
    static func count(_ n: Int) -> Int? { n > 0 ? n : nil }

    private func addresses(_ name: String, _ session: Resolver.Session) -> ServerAddresses {
        let a = session.lookup(name, .a), aaaa = session.lookup(name, .aaaa)
        return ServerAddresses(name: name, ipv4: a.success?.values(.a) ?? [], ipv6: aaaa.success?.values(.aaaa) ?? [],
                               ipv4Failure: Self.queryFailure(a, .a), ipv6Failure: Self.queryFailure(aaaa, .aaaa))
    }
}

extension Result {
    /// The value, when there is one; the failure is read separately (`queryFailure`), never lost.
    var success: Success? {
        if case .success(let v) = self { return v }
        return nil
    }
}
