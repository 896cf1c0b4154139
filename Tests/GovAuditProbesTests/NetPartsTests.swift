import GovAuditCore
import Testing
@testable import GovAuditNet
@testable import GovAuditProbes

@Suite("Content similarity")
struct SimilarityTests {
    let page = Array("<html><body><h1>Cổng thông tin</h1><p>Tin tức: hội nghị tổng kết năm 2025</p></body></html>".utf8)

    /// The probe's counts, through the evidence's Dice coefficient.
    func dice(_ a: [UInt8], _ b: [UInt8]) -> Double {
        let c = ContentSimilarity.counts(a, b)
        func fetch(_ n: Int) -> FamilyParity.Fetch { .init(address: "-", status: 200, finalURL: "/", bytes: 0, tokens: n, failure: nil) }
        return FamilyParity(url: "/", ipv4: fetch(c.a), ipv6: fetch(c.b), commonTokens: c.common).similarity!
    }

    @Test("identical pages are 1, unrelated pages near 0; the counts are what is stored")
    func extremes() {
        #expect(ContentSimilarity.counts(page, Array("Tin tức tin".utf8)) == (a: 19, b: 3, common: 3))
        #expect(dice(page, page) == 1)
        #expect(dice([], []) == 1)
        #expect(dice(page, Array("Hệ thống đang bảo trì qua IPv6".utf8)) < 0.2)
    }

    @Test("a small change stays above internet.nl's 90 %, a replaced body falls below")
    func threshold() {
        let dated = Array(String(decoding: page, as: UTF8.self).replacingOccurrences(of: "2025", with: "2026").utf8)
        #expect(dice(page, dated) > 0.9)
        let other = Array("<html><body><h1>Cổng thông tin</h1><p>Bảo trì hệ thống, vui lòng quay lại sau</p></body></html>".utf8)
        #expect(dice(page, other) < 0.9)
    }

    @Test("symmetric")
    func symmetric() {
        let other = Array("<p>Tin tức</p>".utf8)
        #expect(dice(page, other) == dice(other, page))
    }
}

@Suite("DNS wire format and addresses")
struct DNSWireTests {
    /// A response for www.angiang.gov.vn A: a CNAME to angiang.gov.vn (compressed) and its A record.
    let packet: [UInt8] = {
        var p: [UInt8] = [0x12, 0x34, 0x81, 0x80, 0, 1, 0, 2, 0, 0, 0, 0]
        func name(_ labels: [String]) -> [UInt8] { labels.flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) } + [0] }
        p += name(["www", "angiang", "gov", "vn"]) + [0, 1, 0, 1]          // question at offset 12
        p += [0xC0, 12, 0, 5, 0, 1, 0, 0, 1, 44, 0, 2, 0xC0, 16]           // CNAME → pointer to "angiang…"
        p += [0xC0, 16, 0, 1, 0, 1, 0, 0, 1, 44, 0, 4, 127, 0, 10, 10]     // angiang.gov.vn A 127.0.10.10
        return p
    }()

    @Test("answers with compression: the CNAME chain and the address")
    func parse() throws {
        let records = try DNSMessage.answers(packet)
        #expect(records.count == 2)
        #expect(records[0] == DNSRecord(name: "www.angiang.gov.vn", type: 5, ttl: 300, data: .name("angiang.gov.vn")))
        #expect(records[1].data == .address("127.0.10.10"))
    }

    @Test("truncated or looping packets are refused, not crashed on")
    func hostile() {
        #expect(throws: DNSMessage.Malformed.self) { try DNSMessage.answers(Array(packet.prefix(40))) }
        var loop = packet
        loop[24] = 0xC0; loop[25] = 24  // the CNAME's owner points at itself
        #expect(throws: DNSMessage.Malformed.self) { try DNSMessage.answers(loop) }
    }

    @Test("IPv6 text follows RFC 5952")
    func ipv6Text() {
        #expect(IPAddressText.v6([0xfd, 0x10] + Array(repeating: 0, count: 13) + [0x33]) == "fd10::33")
        #expect(IPAddressText.v6([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1]) == "2001:db8:0:1::1")
        #expect(IPAddressText.v6(Array(repeating: 0, count: 15) + [1]) == "::1")
    }

    @Test("resolver addresses in libunbound's form")
    func upstream() {
        #expect(Resolver.unboundAddress("127.0.10.1:53") == "127.0.10.1@53")
        #expect(Resolver.unboundAddress("[fd10::1]:5353") == "fd10::1@5353")
        #expect(Resolver.unboundAddress("127.0.10.1") == "127.0.10.1")
        #expect(Resolver.unboundAddress("[fd10::1]:99999") == nil)
        #expect(Resolver.unboundAddress("fd10::1") == "fd10::1")
        #expect(Resolver.unboundAddress("fd10::1:53:x") == nil)
        #expect(Resolver.unboundAddress("resolver.example:53") == nil)
    }

    @Test("CIDR membership for the address filter")
    func cidr() throws {
        let lab = try #require(CIDR("127.0.10.0/24")), v6 = try #require(CIDR("fd10::/16"))
        #expect(lab.contains("127.0.10.200") && !lab.contains("127.0.11.1"))
        #expect(v6.contains("fd10::33") && !v6.contains("fd11::1") && !v6.contains("127.0.10.1"))
        #expect(CIDR("10.0.0.0/33") == nil && CIDR("nonsense") == nil)
    }
}
