import Foundation
import GovAuditCore
import GovAuditNet
import GovAuditPolicy
import GovAuditProbes
import GovAuditScan
import Testing

/// The TLS and HTTPS probe against every lab host, judged by Tests/Lab/scenarios.yaml.
@Suite("TLS and HTTPS probe against the lab (integration)", .serialized)
struct TLSTests {
    let lab: Lab
    let probe: TLSProbe

    init() throws {
        lab = try Lab.running()
        let context = lab.probeContext()
        probe = TLSProbe(context: context, caFile: lab.caFile)
    }

    @Test("protocols, forward secrecy, certificate facts, redirect, HSTS and headers match the expected data")
    func everyHost() async throws {
        let hosts = lab.merged.filter { !($0.expect["tls"] is NSNull) && $0.expect["hostile"] == nil }
        let systems = hosts.map { h in
            System(id: h.name, name: h.name, agency: "lab", level: SecurityLevel(3)!, dossier: Dossier(status: .approved),
                   endpoints: [try! Endpoint(parsing: "https://\(h.name)/")])
        }
        let evidence = try await lab.probeAll(systems, probes: [probe], concurrency: 8)
        let today = CalendarDate.today()
        let policy = try PolicyLoader.load(directory: Lab.root.appendingPathComponent("Policies").path, digest: Digest.sha256Hex)
        let inventory = Inventory(name: "lab", agencies: [Agency(id: "lab", name: "Lab")], systems: systems)
        let evaluation = Evaluator(policy: policy, areas: [.tls, .https]).evaluate(inventory, asOf: today, evidence: evidence)
        for h in hosts {
            let mine = evidence[h.name] ?? []
            let fired = Set(evaluation.systems.first { $0.system.id == h.name }?.findings.map(\.rule) ?? [])
            let tls = h.expect["tls"] as! [String: Any]
            let offer = try #require(mine.first { $0.kind == TLSOffer.kind }?.facts(as: TLSOffer.self), "\(h.name)")
            #expect(offer.protocols.map(\.name) == tls["protocols"] as? [String], "\(h.name) protocols")
            let fs = offer.allSuites.compactMap(\.name).map { CipherSuiteTraits(name: $0).forwardSecrecy }
            #expect((fs.allSatisfy { $0 } ? "all" : fs.contains(true) ? "some" : "none") == tls["forwardSecrecy"] as? String, "\(h.name) forward secrecy")
            #expect(fired.contains("tls.no-forward-secrecy") == (tls["forwardSecrecy"] as? String != "all"), "\(h.name) forward secrecy rule")
            for suite in tls["suitesInclude"] as? [String] ?? [] {
                #expect(offer.allSuites.contains { $0.name == suite }, "\(h.name) suite \(suite)")
            }
            let cert = try #require(mine.first { $0.kind == TLSCertificate.kind }?.facts(as: TLSCertificate.self), "\(h.name)")
            #expect(cert.verifies == tls["trusted"] as? Bool, "\(h.name) trusted (\(cert.verifyResult) \(cert.verifyError))")
            #expect((cert.daysLeft(asOf: today) < 0) == tls["expired"] as? Bool, "\(h.name) expired")
            #expect((cert.hostnameMatches ? "match" : "mismatch") == tls["hostname"] as? String, "\(h.name) hostname")
            #expect((fired.contains("tls.cert-incomplete-chain") ? "incomplete" : "complete") == tls["chain"] as? String, "\(h.name) chain")
            #expect(cert.selfSigned == tls["selfSigned"] as? Bool, "\(h.name) self-signed")
            #expect("\(cert.keyType)-\(cert.keyBits)" == tls["key"] as? String, "\(h.name) key")
            #expect(cert.signature == tls["signature"] as? String, "\(h.name) signature")
            #expect(cert.ocspStapled == tls["ocspStapled"] as? Bool, "\(h.name) OCSP")
            // The chain as sent: leaf first, then the lab intermediate unless the server leaves it out.
            #expect(cert.chain.count == cert.chainLength && cert.chain.first?.subject == cert.subject, "\(h.name) chain as sent")
            #expect(cert.chain.first?.notAfter == cert.notAfter, "\(h.name) leaf dates")
            if tls["chain"] as? String == "complete" && tls["selfSigned"] as? Bool == false {
                #expect(cert.chain.dropFirst().first?.subject == tls["intermediate"] as? String ?? "GovAudit Lab Intermediate CA", "\(h.name) intermediate")
            }
            if let notAfter = tls["notAfter"] as? String { #expect(cert.notAfter.vietnamDay.description == notAfter, "\(h.name) notAfter") }
            if let most = tls["daysLeftAtMost"] as? Int { #expect((0...most).contains(cert.daysLeft(asOf: today)), "\(h.name) days left") }
            if let subject = tls["subject"] as? String { #expect(cert.subject == subject, "\(h.name) subject") }
            #expect(cert.withoutSNI.failure == nil, "\(h.name): a handshake without SNI")
            if let noSNI = tls["noSNI"] as? [String: Any] {
                #expect(cert.withoutSNI.subject == noSNI["subject"] as? String, "\(h.name) without SNI")
            } else {
                #expect(cert.withoutSNI.subject == cert.subject, "\(h.name): same certificate without SNI")
            }

            let plain = try #require(mine.first { $0.kind == PlainHTTPAnswer.kind }?.facts(as: PlainHTTPAnswer.self), "\(h.name)")
            let site = try #require(mine.first { $0.kind == HTTPSAnswer.kind }?.facts(as: HTTPSAnswer.self), "\(h.name)")
            let http = h.expect["http"] as! [String: Any]
            #expect(plain.status == http["status"] as? Int, "\(h.name) http status")
            if let location = http["location"] as? String {
                #expect(plain.first("Location") == location.replacingOccurrences(of: "{host}", with: h.name), "\(h.name) location")
            }
            if let hsts = h.expect["hsts"] as? [String: Any] {
                #expect(site.strictTransportSecurity?.maxAge == hsts["maxAge"] as? Int, "\(h.name) max-age")
                #expect(site.strictTransportSecurity?.includeSubDomains == hsts["includeSubDomains"] as? Bool, "\(h.name) includeSubDomains")
            } else {
                #expect(site.strictTransportSecurity?.maxAge == nil && fired.contains("https.no-hsts"), "\(h.name) no HSTS")
            }
            #expect((plain.first("Strict-Transport-Security") != nil) == h.expect["hstsOverHTTP"] as? Bool, "\(h.name) HSTS over HTTP")
            let security = ["content-security-policy", "x-content-type-options", "x-frame-options", "referrer-policy"]
            #expect(Set(security.filter { site.first($0) != nil }) == Set(h.expect["headers"] as? [String] ?? []), "\(h.name) headers")
            #expect(fired.contains("https.version-banner") == h.expect["serverVersionLeaked"] as? Bool, "\(h.name) banner")
        }
    }

    @Test("a TLS port that accepts TCP and never answers is a typed timeout; nothing on 443 is a refusal")
    func silentAndRefused() {
        let silent = probe.run(try! Endpoint(parsing: "https://silent.lab.angiang.gov.vn/"))
        guard case .failed(let r)? = silent.first?.outcome else { Issue.record("silent: \(silent)"); return }
        #expect(r.code == "timeout")
        // What needs the handshake is could-not-test, for that reason: one finding (tls.unavailable),
        // not one per kind (the depth checks' kinds included).
        #expect(silent.dropFirst().map(\.kind) == [TLSCertificate.kind, PlainHTTPAnswer.kind, HTTPSAnswer.kind, SecurityTxt.kind, TLSAddresses.kind,
                                                   TLSVulnerabilities.kind, TLSProtocolFeatures.kind, TLSKeyExchange.kind, TLSRobot.kind])
        #expect(silent.dropFirst().allSatisfy { if case .couldNotTest(let why) = $0.outcome { why.contains("TLS unavailable") } else { false } })
        let none = probe.run(try! Endpoint(parsing: "https://bqlkkt.angiang.gov.vn/"))
        guard case .failed(let n)? = none.first?.outcome else { Issue.record("refused: \(none)"); return }
        #expect(n.code == "refused")
    }
}
