import Foundation
import Testing
@testable import GovAuditCore

/// A probe's evidence type declared outside the core, as the probe issues will do.
private struct StrictTransportSecurity: EvidenceFacts {
    static let kind = "https.hsts"
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
}
