import Foundation
import GovAuditCore
import GovAuditHTML
import GovAuditTestSupport
import Testing
@testable import GovAuditNet
@testable import GovAuditProbes

/// The HTML, TLS and DNS fuzzers' seeds and findings (Tests/Fuzz), through the functions the
/// harnesses fuzz; the seeds are checked to mean what they were made to mean.
@Suite("Fuzz regressions: HTML, TLS replies, DNS messages")
struct NetFuzzRegressionTests {
    @Test("every committed HTML input is analysed within the page's bounds", arguments: FuzzInputs.all("html"))
    func html(_ input: FuzzInputs.Input) {
        let doc = HTMLDocument(parsing: input.bytes)
        let reader = PageReader(siteHost: "sotuphap.angiang.gov.vn", includeSubdomains: false, maxTextCharacters: 100_000,
                                maxLinksPerPage: 1_000)
        var budget = 20_000
        let read = reader.read(doc, pageURL: "https://sotuphap.angiang.gov.vn/tin-tuc/", page: "/tin-tuc/", status: 200,
                               linkBudget: &budget)
        #expect(read.content.links.count <= 1_000 && budget >= 0)
        #expect(!doc.nodes.isEmpty)
    }

    @Test("the HTML seeds hold what they were made of")
    func htmlSeeds() throws {
        let hidden = HTMLDocument(parsing: try #require(FuzzInputs.named("html", "hidden-links.html")))
        let hiding = Set(hidden.references.compactMap(\.hiding))
        #expect(hiding.isSuperset(of: ["display:none", "visibility:hidden", "font-size:0", "off-screen", "zero-size"]))
        let redirects = HTMLDocument(parsing: try #require(FuzzInputs.named("html", "redirects.html")))
        #expect(redirects.metaRefresh == "https://kuwin88.example/m")
        #expect(redirects.scriptRedirects == ["https://kuwin88.example/j", "https://kuwin88.example/404"])
        #expect(redirects.baseHref == "https://cdn.angiang.gov.vn/")
    }

    @Test("every committed TLS reply parses, as the prober reads it", arguments: FuzzInputs.all("tls"))
    func tls(_ input: FuzzInputs.Input) {
        for count in 0...min(input.bytes.count, 8) { _ = TLSHello.framingProblem(Array(input.bytes.prefix(count))) }
        if let needed = TLSHello.neededLength(Array(input.bytes.prefix(5))) {
            #expect(needed >= 2)
            _ = TLSHello.parse(Array(input.bytes.prefix(needed)))
        }
        _ = TLSHello.parse(input.bytes)
    }

    @Test("the TLS seeds are the replies they are named after")
    func tlsSeeds() throws {
        func reply(_ name: String) throws -> TLSHello.Reply { TLSHello.parse(try #require(FuzzInputs.named("tls", name))) }
        #expect(try reply("tls12-serverhello") == .serverHello(version: .tls12, rawVersion: 0x0303, suite: 0xC02F))
        #expect(try reply("tls13-serverhello") == .serverHello(version: .tls13, rawVersion: 0x0303, suite: 0x1301))
        #expect(try reply("tls10-serverhello") == .serverHello(version: .tls10, rawVersion: 0x0301, suite: 0x002F))
        #expect(try reply("hello-retry") == .helloRetry(suite: 0x1302))
        #expect(try reply("alert-handshake-failure") == .alert(level: 2, description: 40))
        #expect(try reply("sslv2-serverhello") == .sslv2ServerHello(cipherKinds: 7))
        #expect(try reply("http-answer") == .unexpected)
        for seed in FuzzInputs.seeds("tls") where !seed.name.hasSuffix("http-answer") {
            #expect(TLSHello.framingProblem(seed.bytes) == nil, "\(seed)")
        }
    }

    @Test("every committed DNS message parses or is malformed", arguments: FuzzInputs.all("dns"))
    func dns(_ input: FuzzInputs.Input) {
        do {
            let records = try DNSMessage.answers(input.bytes)
            #expect(records.count <= input.bytes.count / 11)
        } catch {
            #expect(error is DNSMessage.Malformed)
        }
    }

    @Test("the DNS seeds hold the records they were made of")
    func dnsSeeds() throws {
        func answers(_ name: String) throws -> [DNSRecord] { try DNSMessage.answers(try #require(FuzzInputs.named("dns", name))) }
        #expect(try answers("a-compressed").map(\.data) == [.address("203.0.113.10"), .address("203.0.113.11")])
        #expect(try answers("a-compressed").map(\.name) == ["sotuphap.angiang.gov.vn", "sotuphap.angiang.gov.vn"])
        #expect(try answers("aaaa").map(\.data) == [.address("2001:db8::10")])
        #expect(try answers("cname-chain").map(\.data) == [.name("portal.angiang.gov.vn"), .address("198.51.100.7")])
        #expect(try answers("cname-chain").map(\.name) == ["www.angiang.gov.vn", "portal.angiang.gov.vn"])
        #expect(try answers("mx-ns").map(\.data) == [.mx(preference: 10, exchange: "mail.angiang.gov.vn"),
                                                       .name("ns1.angiang.gov.vn"), .name("ns2.vnnic.vn")])
        #expect(try answers("dnskey-ds").map(\.type) == [48, 43])
        #expect(try answers("nxdomain-soa").isEmpty)
        #expect(throws: DNSMessage.Malformed.self) { try answers("truncated") }
    }
}
