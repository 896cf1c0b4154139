import Foundation
import Testing
@testable import GovAuditNet

/// What the inspector reads from a certificate's DER bytes, on certificates `openssl` makes at
/// test time: self-signed from the certificate itself, host matching as browsers do it,
/// Must-Staple, and stapled OCSP responses made by `openssl ocsp`.
@Suite("Certificate facts from DER", .serialized)
struct CertificateFactsTests {
    let folder: String
    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("ga-facts-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    @discardableResult
    func openssl(_ args: [String]) throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        p.arguments = args
        p.standardError = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }

    /// A self-signed certificate with `extensions` (`-addext` values), as DER.
    func selfSigned(_ name: String, cn: String, _ extensions: [String],
                    key: [String] = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]) throws -> X509Certificate {
        let base = "\(folder)/\(name)"
        #expect(try openssl(["req", "-x509"] + key + ["-nodes", "-days", "30",
                             "-subj", "/CN=\(cn)", "-keyout", base + ".key", "-out", base + ".pem"] + extensions.flatMap { ["-addext", $0] }) == 0)
        #expect(try openssl(["x509", "-in", base + ".pem", "-outform", "DER", "-out", base + ".der"]) == 0)
        return try #require(X509Certificate(der: [UInt8](try Data(contentsOf: URL(fileURLWithPath: base + ".der")))))
    }

    @Test("a self-signed leaf without keyCertSign is self-signed (its own key verifies it)")
    func selfSignedLeaf() throws {
        let c = try selfSigned("leaf", cn: "leaf.example.vn", ["keyUsage=critical,digitalSignature", "basicConstraints=CA:false",
                                                              "subjectAltName=DNS:leaf.example.vn"])
        #expect(c.selfSigned && !c.isCA && c.keyType == "EC" && c.keyBits == 256 && c.sha256.count == 64)
    }

    @Test("an RSA key is decoded by OpenSSL's built-in method (160 us a certificate by the providers' decoders), and still verifies")
    func rsaKeysTheFastWay() throws {
        let rsa = try selfSigned("rsa", cn: "rsa.example.vn", ["subjectAltName=DNS:rsa.example.vn"], key: ["-newkey", "rsa:2048"])
        #expect(rsa.keyType == "RSA" && rsa.keyBits == 2048 && rsa.selfSigned, "its own key verifies its signature")
        #expect(rsa.keyDecodedByBuiltinMethod)
        let ec = try selfSigned("ec", cn: "ec.example.vn", [])
        #expect(!ec.keyDecodedByBuiltinMethod, "EC keys are left to the providers")
    }

    @Test("hosts as browsers match them: SAN only, whole-label wildcards, IP names for IP literals")
    func hostMatching() throws {
        let cnOnly = try selfSigned("cn", cn: "portal.example.vn", [])
        #expect(!cnOnly.matches(host: "portal.example.vn"), "no common-name fallback")
        let partial = try selfSigned("partial", cn: "x", ["subjectAltName=DNS:w*.example.vn"])
        #expect(!partial.matches(host: "www.example.vn"), "no partial wildcard")
        let wildcard = try selfSigned("wild", cn: "x", ["subjectAltName=DNS:*.example.vn,IP:127.0.0.1,IP:fd10::1"])
        #expect(wildcard.matches(host: "www.example.vn") && !wildcard.matches(host: "a.b.example.vn") && !wildcard.matches(host: "example.vn"))
        #expect(wildcard.matches(host: "127.0.0.1") && wildcard.matches(host: "fd10::1") && !wildcard.matches(host: "127.0.0.2"))
        #expect(wildcard.dnsNames == ["*.example.vn"] && wildcard.ipAddresses == ["127.0.0.1", "fd10::1"])
        let dnsIP = try selfSigned("dnsip", cn: "x", ["subjectAltName=DNS:127.0.0.1"])
        #expect(!dnsIP.matches(host: "127.0.0.1"), "an IP literal only against IP-address names")
    }

    @Test("Must-Staple is read from the TLS feature extension")
    func mustStaple() throws {
        #expect(try selfSigned("ms", cn: "x", ["tlsfeature=status_request"]).mustStaple)
        #expect(try !selfSigned("plain", cn: "x", []).mustStaple)
    }

    @Test("OCSP responses: status, dates and the leaf's identity read; bytes that are no response are 'unparseable'")
    func ocsp() throws {
        #expect(OCSPResponse(der: Array("not an OCSP response".utf8), leaf: nil, issuer: nil).responseStatus == "unparseable")
        let ca = "\(folder)/ca", leaf = "\(folder)/leafc"
        #expect(try openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj", "/CN=Test CA",
                             "-addext", "basicConstraints=critical,CA:true", "-addext", "keyUsage=critical,keyCertSign,cRLSign,digitalSignature",
                             "-keyout", ca + ".key", "-out", ca + ".pem"]) == 0)
        #expect(try openssl(["req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=leaf.example.vn", "-keyout", leaf + ".key",
                             "-out", leaf + ".csr"]) == 0)
        #expect(try openssl(["x509", "-req", "-in", leaf + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key", "-set_serial", "4660",
                             "-days", "20", "-out", leaf + ".pem"]) == 0)
        for (name, status) in [("good", "V\t301231235959Z\t"), ("revoked", "R\t301231235959Z\t260101000000Z")] {
            try "\(status)\t1234\tunknown\t/CN=leaf.example.vn\n".write(toFile: "\(folder)/index-\(name).txt", atomically: true, encoding: .utf8)
            #expect(try openssl(["ocsp", "-issuer", ca + ".pem", "-cert", leaf + ".pem", "-reqout", "\(folder)/req.der", "-no_nonce"]) == 0)
            #expect(try openssl(["ocsp", "-index", "\(folder)/index-\(name).txt", "-rsigner", ca + ".pem", "-rkey", ca + ".key", "-CA", ca + ".pem",
                                 "-reqin", "\(folder)/req.der", "-respout", "\(folder)/\(name).der", "-ndays", "30"]) == 0)
            for (file, out) in [(ca, ca + ".der"), (leaf, leaf + ".der")] {
                #expect(try openssl(["x509", "-in", file + ".pem", "-outform", "DER", "-out", out]) == 0)
            }
            func der(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }
            let issuer = X509Certificate(der: try der(ca + ".der")), subject = X509Certificate(der: try der(leaf + ".der"))
            let r = OCSPResponse(der: try der("\(folder)/\(name).der"), leaf: subject, issuer: issuer)
            #expect(r.responseStatus == "successful" && r.certStatus?.rawValue == name && r.matchesLeaf == true, "\(name)")
            #expect(r.producedAt != nil && (r.nextUpdate.map { $0.timeIntervalSinceNow > 29 * 86_400 } ?? false), "\(name)")
            #expect((r.revokedAt != nil) == (name == "revoked"))
            // Another issuer: the response is not the leaf's.
            #expect(OCSPResponse(der: try der("\(folder)/\(name).der"), leaf: subject, issuer: subject).matchesLeaf == false)
        }
    }
}
