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
        let evidence = await Scanner(probes: [probe], concurrency: 8).scan(systems)
        for h in hosts {
            let mine = evidence[h.name] ?? []
            let tls = h.expect["tls"] as! [String: Any]
            let offer = try #require(mine.first { $0.kind == TLSOffer.kind }?.facts(as: TLSOffer.self), "\(h.name)")
            #expect(offer.protocols == tls["protocols"] as? [String], "\(h.name) protocols")
            #expect(offer.forwardSecrecy == tls["forwardSecrecy"] as? String, "\(h.name) forward secrecy")
            for suite in tls["suitesInclude"] as? [String] ?? [] {
                #expect(offer.suites.values.flatMap { $0 }.contains(suite), "\(h.name) suite \(suite)")
            }
            let cert = try #require(mine.first { $0.kind == TLSCertificate.kind }?.facts(as: TLSCertificate.self), "\(h.name)")
            #expect(cert.trusted == tls["trusted"] as? Bool, "\(h.name) trusted (\(cert.verifyError ?? "-"))")
            #expect((cert.daysLeft < 0) == tls["expired"] as? Bool, "\(h.name) expired")
            #expect((cert.hostnameMatches ? "match" : "mismatch") == tls["hostname"] as? String, "\(h.name) hostname")
            #expect((cert.chainComplete ? "complete" : "incomplete") == tls["chain"] as? String, "\(h.name) chain")
            #expect(cert.selfSigned == tls["selfSigned"] as? Bool, "\(h.name) self-signed")
            #expect("\(cert.keyType)-\(cert.keyBits)" == tls["key"] as? String, "\(h.name) key")
            #expect(cert.signature == tls["signature"] as? String, "\(h.name) signature")
            #expect(cert.ocspStapled == tls["ocspStapled"] as? Bool, "\(h.name) OCSP")
            // The chain as sent: leaf first, then the lab intermediate unless the server leaves it out.
            #expect(cert.chain.count == cert.chainLength && cert.chain.first?.subject == cert.subject, "\(h.name) chain as sent")
            if tls["chain"] as? String == "complete" && tls["selfSigned"] as? Bool == false {
                #expect(cert.chain.dropFirst().first?.subject == "GovAudit Lab Intermediate CA", "\(h.name) intermediate")
            }
            if let notAfter = tls["notAfter"] as? String { #expect(cert.notAfter == notAfter, "\(h.name) notAfter") }
            if let most = tls["daysLeftAtMost"] as? Int { #expect((0...most).contains(cert.daysLeft), "\(h.name) days left") }
            if let subject = tls["subject"] as? String { #expect(cert.subject == subject, "\(h.name) subject") }
            if let noSNI = tls["noSNI"] as? [String: Any] {
                #expect(cert.withoutSNISubject == noSNI["subject"] as? String, "\(h.name) without SNI")
            } else {
                #expect(cert.withoutSNISubject == nil, "\(h.name): same certificate without SNI")
            }

            let site = try #require(mine.first { $0.kind == HTTPSFacts.kind }?.facts(as: HTTPSFacts.self), "\(h.name)")
            let http = h.expect["http"] as! [String: Any]
            #expect(site.httpStatus == http["status"] as? Int, "\(h.name) http status")
            if let location = http["location"] as? String {
                #expect(site.httpLocation == location.replacingOccurrences(of: "{host}", with: h.name), "\(h.name) location")
            }
            if let hsts = h.expect["hsts"] as? [String: Any] {
                #expect(site.hstsMaxAge == hsts["maxAge"] as? Int, "\(h.name) max-age")
                #expect(site.hstsIncludeSubDomains == hsts["includeSubDomains"] as? Bool, "\(h.name) includeSubDomains")
            } else {
                #expect(site.hstsMaxAge == nil, "\(h.name) no HSTS")
            }
            #expect(site.hstsOverHTTP == h.expect["hstsOverHTTP"] as? Bool, "\(h.name) HSTS over HTTP")
            #expect(Set(site.securityHeaders) == Set(h.expect["headers"] as? [String] ?? []), "\(h.name) headers")
            #expect((site.versionBanner != nil) == h.expect["serverVersionLeaked"] as? Bool, "\(h.name) banner")
        }
    }

    @Test("a TLS port that accepts TCP and never answers is a typed timeout; nothing on 443 is a refusal")
    func silentAndRefused() {
        let silent = probe.run(try! Endpoint(parsing: "https://silent.lab.angiang.gov.vn/"))
        guard case .failed(let r)? = silent.first?.outcome else { Issue.record("silent: \(silent)"); return }
        #expect(r.code == "timeout" && silent.count == 1)
        let none = probe.run(try! Endpoint(parsing: "https://bqlkkt.angiang.gov.vn/"))
        guard case .failed(let n)? = none.first?.outcome else { Issue.record("refused: \(none)"); return }
        #expect(n.code == "refused")
    }
}
