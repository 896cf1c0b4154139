import Foundation
import Testing
@testable import GovAuditCore

/// A probe's evidence type declared outside the core, as the probe issues will do.
private struct StrictTransportSecurity: EvidenceFacts {
    static let kind = "https.hsts"
    static let version = 1
    var maxAge: Int
    var includeSubDomains: Bool
    var preload: Bool
}

@Suite("Evidence")
struct EvidenceTests {
    let endpoint = try! Endpoint(parsing: "https://dichvucong.angiang.gov.vn/")

    @Test("a new evidence type plugs in without touching the core, and reads back through the catalog")
    func extensible() throws {
        let facts = StrictTransportSecurity(maxAge: 31_536_000, includeSubDomains: true, preload: false)
        let e = Evidence(endpoint: endpoint, facts: facts)
        #expect(e.kind == "https.hsts" && e.outcome == .collected)
        #expect(e.facts(as: StrictTransportSecurity.self) == facts)

        let data = try JSONEncoder().encode(e)
        let json = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        #expect(json["kind"] as? String == "https.hsts")
        #expect((json["outcome"] as? [String: Any])?["status"] as? String == "collected")
        #expect((json["facts"] as? [String: Any])?["maxAge"] as? Int == 31_536_000)

        // Decoding the facts back needs only the catalog the probe registered with.
        let catalog = EvidenceCatalog([StrictTransportSecurity.self])
        #expect(catalog.kinds == ["https.hsts"])
        struct Box: Decodable {
            let facts: any EvidenceFacts
            enum K: String, CodingKey { case kind, facts }
            init(from decoder: Decoder) throws {
                let c = try decoder.container(keyedBy: K.self)
                let kind = try c.decode(String.self, forKey: .kind)
                let catalog = decoder.userInfo[CodingUserInfoKey(rawValue: "catalog")!] as! EvidenceCatalog
                facts = try catalog.decodeFacts(kind: kind, from: try c.superDecoder(forKey: .facts))!
            }
        }
        let decoder = JSONDecoder()
        decoder.userInfo[CodingUserInfoKey(rawValue: "catalog")!] = catalog
        let back = try decoder.decode(Box.self, from: data)
        #expect(back.facts as? StrictTransportSecurity == facts)
    }

    @Test("failed and could-not-test steps carry their reason and no facts")
    func outcomes() throws {
        let timeout = Evidence(StrictTransportSecurity.self, endpoint: endpoint, outcome: .failed(.timeout("no answer in 10 s")))
        #expect(timeout.facts == nil)
        let noRoute = Evidence(StrictTransportSecurity.self, endpoint: endpoint, outcome: .couldNotTest("scanner has no IPv6 route"))
        for outcome in [timeout.outcome, noRoute.outcome, .notApplicable, .collected] {
            let back = try JSONDecoder().decode(Outcome.self, from: JSONEncoder().encode(outcome))
            #expect(back == outcome)
        }
        let text = String(decoding: try JSONEncoder().encode(timeout.outcome), as: UTF8.self)
        #expect(text.contains("\"code\":\"timeout\""))
    }

    @Test("stored evidence reads back through the catalog with its version; another version or kind is refused")
    func storedEvidence() throws {
        let catalog = EvidenceCatalog([StrictTransportSecurity.self])
        let records = [Evidence(endpoint: endpoint, facts: StrictTransportSecurity(maxAge: 300, includeSubDomains: false, preload: false)),
                       Evidence(StrictTransportSecurity.self, endpoint: endpoint, outcome: .failed(.timeout("no answer")))]
        let data = try JSONEncoder().encode(records)
        #expect(String(decoding: data, as: UTF8.self).contains("\"version\":1"))
        let decoder = JSONDecoder()
        decoder.userInfo[.evidenceCatalog] = catalog
        let back = try decoder.decode([StoredEvidence].self, from: data).map(\.evidence)
        #expect(back.map(\.kind) == ["https.hsts", "https.hsts"] && back.map(\.version) == [1, 1])
        #expect(back[0].facts(as: StrictTransportSecurity.self)?.maxAge == 300 && back[0].endpoint == endpoint)
        #expect(back[1].outcome == records[1].outcome && back[1].facts == nil)

        let newer = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\"version\":1", with: "\"version\":7")
        #expect(throws: EvidenceDecodingError.versionMismatch(kind: "https.hsts", stored: 7, known: 1)) {
            try decoder.decode([StoredEvidence].self, from: Data(newer.utf8))
        }
        decoder.userInfo[.evidenceCatalog] = EvidenceCatalog()
        #expect(throws: EvidenceDecodingError.unknownKind("https.hsts")) { try decoder.decode([StoredEvidence].self, from: data) }
    }

    @Test("timestamps are ISO 8601 UTC both ways, whatever the encoder's date strategy")
    func timestamps() throws {
        let t = try #require(Timestamp(parsing: "2027-01-01T06:30:05Z"))
        #expect(t.description == "2027-01-01T06:30:05Z" && t.secondsSince1970 == 1_798_785_005)
        #expect(Timestamp(secondsSince1970: -1).description == "1969-12-31T23:59:59Z")
        #expect(Timestamp(parsing: "2027-01-01 06:30:05") == nil && Timestamp(parsing: "2027-02-30T00:00:00Z") == nil)
        // 23:30 UTC is the next day in Viet Nam (UTC+7).
        #expect(Timestamp(parsing: "2026-12-31T23:30:00Z")?.vietnamDay.description == "2027-01-01")
        let json = try JSONEncoder().encode([t])
        #expect(String(decoding: json, as: UTF8.self) == "[\"2027-01-01T06:30:05Z\"]")
        #expect(try JSONDecoder().decode([Timestamp].self, from: json) == [t])
    }
}
