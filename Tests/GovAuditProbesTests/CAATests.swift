import GovAuditCore
import Testing
@testable import GovAuditNet
@testable import GovAuditProbes

/// A DNS answer packet for `name` with one CAA record per rdata (owner compressed to the question).
func caaPacket(_ name: String, _ rdatas: [[UInt8]]) -> [UInt8] {
    var p: [UInt8] = [0x12, 0x34, 0x81, 0x80, 0, 1, 0, UInt8(rdatas.count), 0, 0, 0, 0]
    for label in name.split(separator: ".") { p += [UInt8(label.utf8.count)] + Array(label.utf8) }
    p += [0, 0x01, 0x01, 0, 1]   // type 257, class IN
    for r in rdatas {
        p += [0xC0, 12, 0x01, 0x01, 0, 1, 0, 0, 0x0E, 0x10, UInt8(r.count >> 8), UInt8(r.count & 0xFF)] + r
    }
    return p
}

func caaRdata(_ flags: UInt8, _ tag: String, _ value: [UInt8]) -> [UInt8] {
    [flags, UInt8(tag.utf8.count)] + Array(tag.utf8) + value
}

@Suite("CAA records (RFC 8659)")
struct CAARecordTests {
    @Test("issue, issuewild and iodef records are read with their flags, tag and value")
    func parse() throws {
        let packet = caaPacket("angiang.gov.vn", [caaRdata(0, "issue", Array("letsencrypt.org".utf8)),
                                                  caaRdata(128, "issuewild", Array(";".utf8)),
                                                  caaRdata(0, "iodef", Array("mailto:csirt@angiang.gov.vn".utf8))])
        let records = try DNSMessage.answers(packet)
        #expect(records.map(\.type) == [257, 257, 257])
        let answer = DNSAnswer(rcode: 0, records: records, validation: .insecure, whyBogus: nil)
        #expect(answer.caaRecords == [CAARecord(flags: 0, tag: "issue", value: "letsencrypt.org"),
                                      CAARecord(flags: 128, tag: "issuewild", value: ";"),
                                      CAARecord(flags: 0, tag: "iodef", value: "mailto:csirt@angiang.gov.vn")])
        #expect(answer.caaRecords[1].critical && !answer.caaRecords[0].critical)
        #expect(answer.values(.caa).isEmpty)   // CAA data is not an address or a name
    }

    @Test("an empty value and a value with control, quote, backslash and UTF-8 octets are kept escaped")
    func escaping() throws {
        let empty = try CAARecord(rdata: ArraySlice(caaRdata(0, "issue", [])))
        #expect(empty.value == "")
        let hostile = try CAARecord(rdata: ArraySlice(caaRdata(0, "iodef", [0x1B] + Array("[31m\\\"".utf8) + [0xC3, 0xA1, 0x7F])))
        #expect(hostile.value == "\\027[31m\\\\\"\\195\\161\\127")
        #expect(!hostile.value.unicodeScalars.contains { $0.value < 0x20 || $0.value > 0x7E })
    }

    @Test("malformed rdata fails the whole answer: too short, tag length 0 or over 15 or past the end, tag not alphanumeric")
    func malformed() {
        for bad: [UInt8] in [[], [0], [0, 0] + Array("x".utf8), [0, 16] + Array("abcdefghijklmnopq".utf8), [0, 9] + Array("issue".utf8),
                             caaRdata(0, "iss-ue", Array("ca.example".utf8)), caaRdata(0, "issue\u{0}", [])] {
            #expect(throws: DNSMessage.Malformed.self, "\(bad)") { try CAARecord(rdata: ArraySlice(bad)) }
            #expect(throws: DNSMessage.Malformed.self, "\(bad)") { try DNSMessage.answers(caaPacket("angiang.gov.vn", [bad])) }
        }
        // An rdata length past the packet's end.
        var cut = caaPacket("angiang.gov.vn", [caaRdata(0, "issue", Array("ca.example".utf8))])
        cut.removeLast(3)
        #expect(throws: DNSMessage.Malformed.self) { try DNSMessage.answers(cut) }
    }
}

@Suite("The CAA climb (RFC 8659 §3)")
struct CAAClimbTests {
    let endpoint = try! Endpoint(parsing: "https://dichvucong.angiang.gov.vn/")
    let issue = DNSRecord(name: "angiang.gov.vn", type: 257, ttl: 300, data: .caa(CAARecord(flags: 0, tag: "issue", value: "ca.example")))

    func answer(_ rcode: Int, _ records: [DNSRecord] = [], _ v: DNSSECValidation = .insecure) -> Result<DNSAnswer, DNSFailure> {
        .success(DNSAnswer(rcode: rcode, records: records, validation: v, whyBogus: v == .bogus ? "signature expired" : nil))
    }

    @Test("the first RRset climbing from the name is the relevant one: found at the parent, the names above never asked")
    func foundAtParent() throws {
        var asked: [String] = []
        let e = CertificateNamesProbe.climb(endpoint) { name in
            asked.append(name)
            return name == "angiang.gov.vn" ? answer(0, [issue], .secure) : answer(0)
        }
        let s = try #require(e.facts(as: CAARecordSet.self))
        #expect(asked == ["dichvucong.angiang.gov.vn", "angiang.gov.vn"])
        #expect(s.foundAt == "angiang.gov.vn" && s.climbed == asked && s.validation == .secure)
        #expect(s.values("issue") == ["ca.example"] && s.values("issuewild").isEmpty)
    }

    @Test("no RRset up to the top-level domain: collected with foundAt nil, every label asked (NXDOMAIN counts as none)")
    func none() throws {
        let e = CertificateNamesProbe.climb(endpoint) { $0 == "dichvucong.angiang.gov.vn" ? answer(3) : answer(0) }
        let s = try #require(e.facts(as: CAARecordSet.self))
        #expect(s.foundAt == nil && s.records.isEmpty)
        #expect(s.climbed == ["dichvucong.angiang.gov.vn", "angiang.gov.vn", "gov.vn", "vn"])
    }

    @Test("a query that fails on the way (timeout, SERVFAIL, bogus) fails the step: never \"no CAA\", never the parent's RRset")
    func failures() {
        let cases: [(Result<DNSAnswer, DNSFailure>, String)] = [(.failure(.timeout(milliseconds: 500)), "timeout"),
                                                                (answer(2), "servfail"), (answer(5), "refused"),
                                                                (answer(0, [], .bogus), "dnssec-bogus")]
        for (failing, code) in cases {
            var asked: [String] = []
            let e = CertificateNamesProbe.climb(endpoint) { name in
                asked.append(name)
                if name == "angiang.gov.vn" { return failing }
                return name == "gov.vn" ? answer(0, [issue]) : answer(0)
            }
            guard case .failed(let r) = e.outcome else { Issue.record("\(code): \(e.outcome)"); continue }
            #expect(r.code == code && r.detail.hasPrefix("CAA angiang.gov.vn: "))
            #expect(asked == ["dichvucong.angiang.gov.vn", "angiang.gov.vn"])
        }
    }

    @Test("an endpoint that is not https or is an address has no CAA step")
    func notApplicable() throws {
        let probe = CertificateNamesProbe(context: ProbeContext(resolver: Resolver(), http: HTTPClient(resolver: Resolver())),
                                          caFile: nil, listedHosts: [])
        for url in ["http://angiang.gov.vn/", "https://127.0.10.10/"] {
            let e = probe.run(try Endpoint(parsing: url))
            #expect(e.map(\.kind) == ["tls.caa", "https.twin-name"] && e.allSatisfy { $0.outcome == .notApplicable })
        }
    }
}

@Suite("www/apex twins")
struct TwinPlanTests {
    @Test("the twin of X is www.X and of www.X is X; none for addresses or a bare label")
    func twin() {
        #expect(TwinName.twin(of: "angiang.gov.vn") == "www.angiang.gov.vn")
        #expect(TwinName.twin(of: "WWW.AnGiang.gov.vn") == "angiang.gov.vn")
        #expect(TwinName.twin(of: "dichvucong.angiang.gov.vn") == "www.dichvucong.angiang.gov.vn")
        #expect(TwinName.twin(of: "www.vn") == nil && TwinName.twin(of: "localhost") == nil)
        #expect(TwinName.twin(of: "127.0.10.10") == nil && TwinName.twin(of: "fd10::10") == nil)
    }

    @Test("a twin is checked for an https endpoint whose twin the inventory does not list")
    func planned() throws {
        let listed: Set<String> = ["angiang.gov.vn", "www.angiang.gov.vn", "dichvucong.angiang.gov.vn", "www.sotc.angiang.gov.vn"]
        func plan(_ url: String) throws -> String? { CertificateNamesProbe.plannedTwin(try Endpoint(parsing: url), listedHosts: listed) }
        #expect(try plan("https://angiang.gov.vn/") == nil)                    // both names listed
        #expect(try plan("https://www.angiang.gov.vn/") == nil)
        #expect(try plan("https://dichvucong.angiang.gov.vn/") == "www.dichvucong.angiang.gov.vn")
        #expect(try plan("https://www.sotc.angiang.gov.vn/") == "sotc.angiang.gov.vn")
        #expect(try plan("http://dichvucong.angiang.gov.vn/") == nil)          // https endpoints only
        #expect(try plan("https://127.0.10.12/") == nil)
    }
}
