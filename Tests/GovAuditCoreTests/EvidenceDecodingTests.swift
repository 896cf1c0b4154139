import Foundation
import Testing
import GovAuditCore

/// A facts type declared outside the core, as probes declare theirs.
private struct ResponseHeaders: EvidenceFacts {
    static let kind = "test.headers"
    static let version = 1
    var status: Int
    var headers: [[String]]
}

private struct Validity: EvidenceFacts {
    static let kind = "test.validity"
    static let version = 1
    var notAfter: Date
}

@Suite("Evidence decoding")
struct EvidenceDecodingTests {
    let endpoint = try! Endpoint(parsing: "https://sotttt.angiang.gov.vn/")
    let catalog = EvidenceCatalog([ResponseHeaders.self])

    private func roundTrip(_ e: Evidence, catalog: EvidenceCatalog) throws -> Evidence {
        try decode(JSONEncoder().encode(e), catalog: catalog)
    }

    private func decode(_ json: Data, catalog: EvidenceCatalog) throws -> Evidence {
        struct Box: Decodable {
            static let key = CodingUserInfoKey(rawValue: "catalog")!
            let evidence: Evidence
            init(from decoder: Decoder) throws {
                evidence = try Evidence(from: decoder, catalog: decoder.userInfo[Self.key] as! EvidenceCatalog)
            }
        }
        let decoder = JSONDecoder()
        decoder.userInfo[Box.key] = catalog
        return try decoder.decode(Box.self, from: json).evidence
    }

    @Test("collected evidence reads back with its typed facts, endpoint and outcome")
    func collected() throws {
        let facts = ResponseHeaders(status: 200, headers: [["Server", "nginx"], ["Set-Cookie", "a=1"], ["Set-Cookie", "b=2"]])
        let back = try roundTrip(Evidence(endpoint: endpoint, facts: facts), catalog: catalog)
        #expect(back.kind == "test.headers")
        #expect(back.endpoint == endpoint)
        #expect(back.outcome == .collected)
        #expect(back.facts(as: ResponseHeaders.self) == facts)
    }

    @Test("a failed step reads back with its reason and no facts; system-wide evidence has no endpoint")
    func failed() throws {
        let e = Evidence(ResponseHeaders.self, endpoint: nil, outcome: .failed(.timeout("no answer in 10 s")))
        let back = try roundTrip(e, catalog: catalog)
        #expect(back.endpoint == nil)
        #expect(back.outcome == .failed(.timeout("no answer in 10 s")))
        #expect(back.facts == nil)
    }

    @Test("a kind the catalog lacks is an error naming the kind, whatever the outcome")
    func unknownKind() throws {
        let collected = Evidence(endpoint: endpoint, facts: ResponseHeaders(status: 200, headers: []))
        let notApplicable = Evidence(ResponseHeaders.self, endpoint: endpoint, outcome: .notApplicable)
        for e in [collected, notApplicable] {
            #expect(throws: EvidenceDecodingError.unknownKind("test.headers")) {
                _ = try roundTrip(e, catalog: EvidenceCatalog())
            }
        }
    }

    @Test("facts on a step that was not collected are refused, as the generic initializers refuse them")
    func factsWithoutCollected() throws {
        let json = Data(#"{"kind":"test.headers","version":1,"outcome":{"status":"not-applicable"},"facts":{"status":1,"headers":[]}}"#.utf8)
        #expect(throws: EvidenceDecodingError.factsDoNotMatchOutcome(kind: "test.headers", outcome: "not-applicable")) {
            _ = try decode(json, catalog: catalog)
        }
        let facts = try catalog.decodeFacts(kind: "test.headers", json: Data(#"{"status":1,"headers":[]}"#.utf8))
        #expect(facts as? ResponseHeaders == ResponseHeaders(status: 1, headers: []))
        #expect(throws: EvidenceDecodingError.factsDoNotMatchOutcome(kind: "test.headers", outcome: "not-applicable")) {
            _ = try Evidence(kind: "test.headers", version: 1, endpoint: nil, outcome: .notApplicable, decodedFacts: facts)
        }
        #expect(throws: EvidenceDecodingError.factsDoNotMatchOutcome(kind: "test.headers", outcome: "collected")) {
            _ = try Evidence(kind: "test.headers", version: 1, endpoint: nil, outcome: .collected, decodedFacts: nil)
        }
        #expect(throws: EvidenceDecodingError.kindMismatch(expected: "other.kind", found: "test.headers")) {
            _ = try Evidence(kind: "other.kind", version: 1, endpoint: nil, outcome: .collected, decodedFacts: facts)
        }
    }

    @Test("dates in facts read as ISO-8601 UTC, with milliseconds (the store) or without (the JSON output)")
    func dates() throws {
        let catalog = EvidenceCatalog([Validity.self])
        let whole = try catalog.decodeFacts(kind: "test.validity", json: Data(#"{"notAfter":"2027-03-01T00:00:00Z"}"#.utf8))
        let milli = try catalog.decodeFacts(kind: "test.validity", json: Data(#"{"notAfter":"2027-03-01T00:00:00.250Z"}"#.utf8))
        let expected = try Date.ISO8601FormatStyle().parse("2027-03-01T00:00:00Z")
        #expect((whole as? Validity)?.notAfter == expected)
        #expect((milli as? Validity)?.notAfter == expected.addingTimeInterval(0.25))
        #expect(throws: DecodingError.self) {
            _ = try catalog.decodeFacts(kind: "test.validity", json: Data(#"{"notAfter":"1 March 2027"}"#.utf8))
        }
        #expect(try catalog.decodeFacts(kind: "other.kind", json: Data("{}".utf8)) == nil)
    }
}
