import Foundation
import Testing
@testable import GovAuditNet

@Suite("C libraries")
struct LibrariesTests {
    @Test("libcurl and OpenSSL report their run-time versions")
    func versions() throws {
        #expect(Libraries.curlVersion.split(separator: ".").count == 3)
        #expect(Libraries.curlVersion.split(separator: ".").allSatisfy { Int($0) != nil })
        #expect(Libraries.curlTLSBackend.hasPrefix("OpenSSL/"), "Debian's libcurl4-openssl-dev is the fixed choice")
        #expect(Libraries.opensslVersion.hasPrefix("OpenSSL 3."))
    }

    @Test("SHA-256 through OpenSSL matches the FIPS 180-2 test vectors")
    func sha256() {
        #expect(Digest.sha256Hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Digest.sha256Hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
}
