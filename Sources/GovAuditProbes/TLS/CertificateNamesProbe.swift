import Foundation
import GovAuditCore
import GovAuditNet

/// The certificate-names probe's bounds: options of the scan, recorded in its scope, never policy.
public struct CertificateNamesOptions: Sendable {
    /// Everything the probe does for one endpoint: the CAA climb (one query per label), and for
    /// the twin two lookups, one handshake and one HTTPS fetch.
    public var budgetSeconds = 15.0
    /// Check the www/apex twin of the endpoints whose twin the inventory does not list.
    public var twins = true
    public init() {}
}

/// The names around an https endpoint's certificate, beside the TLS probe (which owns the
/// endpoint's own addresses and handshakes): the relevant CAA RRset of the host (RFC 8659), and
/// the host's www/apex twin when the inventory does not list it. Facts only.
public struct CertificateNamesProbe: Sendable {
    public var context: ProbeContext
    public var caFile: String?
    public var options: CertificateNamesOptions
    /// Every host the inventory lists (lowercased): a twin listed there is scanned as itself.
    public var listedHosts: Set<String>

    public init(context: ProbeContext, caFile: String?, options: CertificateNamesOptions = CertificateNamesOptions(),
                listedHosts: Set<String>) {
        self.context = context
        self.caFile = caFile
        self.options = options
        self.listedHosts = Set(listedHosts.map { $0.lowercased() })
    }

    public var name: String { "the certificate-names probe" }
    public var budget: Duration { .milliseconds(Int(options.budgetSeconds * 1000)) }

    /// Whether `endpoint`'s twin is checked, and which name it is: an https endpoint named by a
    /// host (not an address) whose twin the inventory does not list. What the scan plan counts.
    public static func plannedTwin(_ endpoint: Endpoint, listedHosts: Set<String>) -> String? {
        guard endpoint.scheme == "https", CIDR.parse(endpoint.host) == nil, let twin = TwinName.twin(of: endpoint.host),
              !listedHosts.contains(twin) else { return nil }
        return twin
    }

    public func run(_ endpoint: Endpoint, until deadline: Deadline) -> [Evidence] {
        guard endpoint.scheme == "https", CIDR.parse(endpoint.host) == nil else {
            return [Evidence(CAARecordSet.self, endpoint: endpoint, outcome: .notApplicable),
                    Evidence(TwinName.self, endpoint: endpoint, outcome: .notApplicable)]
        }
        let context = self.context.within(deadline)
        let session: Resolver.Session
        do { session = try context.resolver.session() } catch {
            let why = Outcome.couldNotTest("resolver: \(error.description)")
            return [Evidence(CAARecordSet.self, endpoint: endpoint, outcome: why), Evidence(TwinName.self, endpoint: endpoint, outcome: why)]
        }
        // A name without addresses is the dns rules' finding; its CAA would be a second one for
        // the same cause. (The lookups are the DNS and TLS probes' too: the cache answers them.)
        let a = session.lookup(endpoint.host, .a), aaaa = session.lookup(endpoint.host, .aaaa)
        let resolves = !(a.success?.values(.a) ?? []).isEmpty || !(aaaa.success?.values(.aaaa) ?? []).isEmpty
        let caa = resolves ? caa(endpoint, session)
            : Evidence(CAARecordSet.self, endpoint: endpoint, outcome: .couldNotTest("the name does not resolve: " + [
                IPv6DNSProbe.queryFailure(a, .a).map { "A: \($0.code) (\($0.detail))" } ?? "A: none",
                IPv6DNSProbe.queryFailure(aaaa, .aaaa).map { "AAAA: \($0.code) (\($0.detail))" } ?? "AAAA: none"].joined(separator: "; ")))
        return [caa, twin(endpoint, session, context, deadline)]
    }

    public func abandoned(_ endpoint: Endpoint, _ reason: FailureReason) -> [Evidence] {
        [Evidence(CAARecordSet.self, endpoint: endpoint, outcome: .failed(reason)),
         Evidence(TwinName.self, endpoint: endpoint, outcome: .failed(reason))]
    }
}

extension CertificateNamesProbe: Probe {}
