import Foundation
import GovAuditCore
import GovAuditNet
import GovAuditPolicy
import GovAuditProbes
import GovAuditScan
import Testing

/// The TLS probe's depth checks (vulnerabilities, protocol features, key exchange) against the
/// lab's depth hosts (127.0.10.150–159), judged by their `tlsDepth` facts in
/// Tests/Lab/scenarios.yaml; `depthRules` lists the depth rules that must fire, and no other.
@Suite("TLS depth checks against the lab (integration)", .serialized)
struct TLSVulnTests {
    let lab: Lab

    init() throws {
        lab = try Lab.running()
    }

    static let depthRules = Set(TLSDepthRuleIDs.all)

    @Test("Heartbleed, CCS, compression, fallback, renegotiation, EMS, resumption, 0-RTT, ALPN and DH facts match the expected data")
    func depthHosts() async throws {
        let hosts = lab.merged.filter { $0.expect["tlsDepth"] != nil }
        #expect(hosts.count >= 5)
        let run = try await TLSLabRun(lab, hosts: hosts.map(\.name), areas: [.tls], concurrency: 4)
        for h in hosts {
            let mine = run.evidence(h.name)
            let e = h.expect["tlsDepth"] as! [String: Any]
            let v = try #require(mine.first { $0.kind == TLSVulnerabilities.kind }?.facts(as: TLSVulnerabilities.self), "\(h.name)")
            let f = try #require(mine.first { $0.kind == TLSProtocolFeatures.kind }?.facts(as: TLSProtocolFeatures.self), "\(h.name)")
            let k = try #require(mine.first { $0.kind == TLSKeyExchange.kind }?.facts(as: TLSKeyExchange.self), "\(h.name)")
            let heartbeat = try #require(v.heartbleed.value, "\(h.name)")
            #expect((heartbeat.overreadBytes > 0) == e["heartbleed"] as? Bool, "\(h.name) heartbleed")
            #expect(v.ccsInjection.value?.accepted == e["ccsInjection"] as? Bool, "\(h.name) CCS")
            // The early CCS goes on the features hello's connection unless the heartbeat request used it.
            let fallbackHellos = { if case .notApplicable = v.fallbackSCSV { 0 } else { 1 } }()
            #expect(v.handshakes == (heartbeat.requestSent ? 2 : 1) + fallbackHellos, "\(h.name) hellos")
            #expect(v.compression.value?.method == e["compression"] as? Int, "\(h.name) compression")
            if e["fallbackRejected"] is NSNull {
                #expect({ if case .notApplicable = v.fallbackSCSV { true } else { false } }(), "\(h.name) fallback not applicable")
            } else {
                #expect(v.fallbackSCSV.value?.rejected == e["fallbackRejected"] as? Bool, "\(h.name) fallback")
            }
            let ext = try #require(f.extensions.value, "\(h.name) extensions")
            #expect(ext.secureRenegotiation == e["secureRenegotiation"] as? Bool, "\(h.name) RFC 5746")
            #expect(ext.extendedMasterSecret == e["extendedMasterSecret"] as? Bool, "\(h.name) EMS")
            #expect(ext.alpn == e["alpn"] as? String, "\(h.name) ALPN")
            #expect(f.clientRenegotiation.value?.accepted == e["clientRenegotiation"] as? Bool, "\(h.name) client renegotiation")
            #expect(f.resumptionByID.value == e["resumptionByID"] as? Bool, "\(h.name) resumption by id")
            #expect(f.resumptionByTicket.value == e["resumptionByTicket"] as? Bool, "\(h.name) resumption by ticket")
            if e["maxEarlyData"] is NSNull {
                #expect(f.earlyData.value == nil, "\(h.name) no TLS 1.3, no tickets")
            } else {
                #expect(f.earlyData.value?.maxEarlyData == e["maxEarlyData"] as? Int, "\(h.name) 0-RTT")
                #expect((f.earlyData.value?.tickets ?? 0) > 0, "\(h.name) TLS 1.3 tickets")
            }
            if let bits = e["dhBits"] as? Int {
                let dh = k.preferred.value?.dhBits != nil ? k.preferred.value : k.dhe.value
                #expect(dh?.dhBits == bits, "\(h.name) DH bits")
                #expect(dh?.dhPrime == e["dhPrime"] as? String, "\(h.name) DH prime")
            }
            if let group = e["preferredGroup"] as? String { #expect(k.preferred.value?.group?.name == group, "\(h.name) group") }
            if let groups = e["tls13Groups"] as? [String] { #expect(k.tls13Groups.value?.compactMap(\.name) == groups, "\(h.name) TLS 1.3 groups") }
            // The handshakes the depth checks add, bounded: a few per check.
            #expect(v.handshakes + f.handshakes + k.handshakes <= 25, "\(h.name) handshakes")
            if let rules = h.expect["depthRules"] as? [String] {
                let fired = Set(run.findings(h.name).map(\.rule)).intersection(Self.depthRules)
                #expect(fired == Set(rules), "\(h.name) depth rules")
            }
        }
    }
}

/// The depth rules' ids, as the policy defines them.
enum TLSDepthRuleIDs {
    static let all = ["tls.heartbleed", "tls.ccs-injection", "tls.compression", "tls.insecure-renegotiation",
                               "tls.client-renegotiation", "tls.no-fallback-scsv", "tls.no-extended-master-secret", "tls.early-data",
                               "tls.no-session-resumption", "tls.no-h2", "tls.weak-dh", "tls.non-aead-suites"]
}
