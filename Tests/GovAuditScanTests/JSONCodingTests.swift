import Foundation
import GovAuditCore
@testable import GovAuditPolicy
@testable import GovAuditReports
import Testing

/// `SortedJSONEncoder` writes what `JSONEncoder` writes with sorted keys and unescaped slashes,
/// byte for byte: on every evidence kind, on findings and judgements, on the JSON report's
/// systems, and on the corners of the format (escapes, numbers, nil, nesting, dates); and
/// `JSONTextDecoder` reads what `JSONDecoder` reads, and fails where it fails.
@Suite("SortedJSONEncoder and JSONTextDecoder against Foundation")
struct JSONCodingTests {
    static let storeDate: @Sendable (Date) -> String = { $0.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)) }

    func foundation<T: Encodable>(_ value: T, pretty: Bool = false, date: (@Sendable (Date) -> String)? = nil) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        if let date {
            encoder.dateEncodingStrategy = .custom { d, encoder in
                var c = encoder.singleValueContainer()
                try c.encode(date(d))
            }
        }
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    func ours<T: Encodable>(_ value: T, date: (@Sendable (Date) -> String)? = nil) throws -> String {
        String(decoding: try SortedJSONEncoder(dateText: date).encode(value), as: UTF8.self)
    }

    @Test("every evidence kind of the fixture encodes to JSONEncoder's bytes")
    func everyKind() throws {
        let evidence = try Repo.everyKind()
        #expect(Set(evidence.map(\.kind)).count >= 20)
        for e in evidence { #expect(try ours(e) == foundation(e), "\(e.kind)") }
    }

    /// Four systems judged from the every-kind fixture, under the repository's policy.
    func judgedProvince() throws -> (Policy, Inventory, Evaluation) {
        let policy = try Repo.policy()
        let inventory = Province.inventory(4)
        let evidence = try Repo.everyKind()
        let evaluation = Evaluator(policy: policy).evaluate(inventory, asOf: Province.asOf,
                                                           evidence: Dictionary(uniqueKeysWithValues: inventory.systems.map { ($0.id, evidence) }))
        return (policy, inventory, evaluation)
    }

    @Test("findings, judgements and the report's systems, judged from every kind, encode to JSONEncoder's bytes")
    func judged() throws {
        let (policy, inventory, evaluation) = try judgedProvince()
        let writer = try EvaluationJSON.Writer(evaluation.report, policy: policy,
                                               provenance: Province.request(inventory, policy: policy).provenance, failOn: .high)
        #expect(evaluation.systems.contains { !$0.findings.isEmpty })
        for s in evaluation.systems {
            #expect(try ours(s.findings, date: Self.storeDate) == foundation(s.findings, date: Self.storeDate), "\(s.system.id)")
            #expect(try ours(s.judgement, date: Self.storeDate) == foundation(s.judgement, date: Self.storeDate), "\(s.system.id)")
            #expect(try ours(s.system, date: Self.storeDate) == foundation(s.system, date: Self.storeDate), "\(s.system.id)")
            // The report's piece: Foundation's pretty text, each line indented to its depth.
            let pretty = try foundation(writer.dto(s), pretty: true)
            let indented = pretty.split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n")
            #expect(try writer.system(s, first: true) == indented, "\(s.system.id)")
            #expect(try writer.system(s, first: false) == ",\n" + indented)
        }
    }

    enum Shape: Codable, Equatable { case none, point(x: Int, y: Int?), named(String, [Shape]) }

    struct Corners: Codable {
        var text = "q\"{}[],: \\ / \u{0}\u{1}\u{8}\u{9}\u{a}\u{b}\u{c}\u{d}\u{1f}\u{7f} é Việt Nam 🇻🇳 \u{2028}"
        var controls = String((0..<32).map { Character(Unicode.Scalar(UInt8($0))) })
        var numbers: [Double] = [0, -0.0, 1, -1, 1.5, 0.1, 1e-7, 1e21, 1e22, 123_456_789_012_345_678, .pi, -2.5e-300, 5e-324,
                                 .greatestFiniteMagnitude]
        var float: Float = 0.1
        var integers: [Int] = [0, -1, .min, .max]
        var unsigned: UInt64 = .max, small: Int8 = -128, port: UInt16 = 443
        var missing: Int? = nil, present: Int? = 3
        var holes: [String?] = ["a", nil, "b"]
        var unsorted = ["zeta": 1, "alpha": 2, "Beta": 3, "beta": 4, "ä": 5, "a_b": 6, "a": 7, "": 8]
        var byNumber = [10: "ten", 2: "two"]
        var shapes: [Shape] = [.none, .point(x: 1, y: nil), .named("n", [.point(x: 2, y: 3)])]
        var empty: [Int] = [], emptyObject: [String: Int] = [:], nested = [[1, 2], [], [3]]
        var url = URL(string: "https://sotuphap.angiang.gov.vn/a b?x=1#f")
        var data = Data([0, 1, 2, 250, 251, 252, 253, 254, 255])
        var date = Date(timeIntervalSince1970: 1_764_000_000.123)
        var flag = true
    }

    /// Keys set twice, a super-encoder, and containers nested by hand.
    struct HandMade: Encodable {
        enum K: String, CodingKey { case b, a, list, inner }
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: K.self)
            try c.encode(1, forKey: .b)
            try c.encode("first", forKey: .a)
            try c.encode("second", forKey: .a)
            var list = c.nestedUnkeyedContainer(forKey: .list)
            try list.encode(1)
            var inList = list.nestedContainer(keyedBy: K.self)
            try inList.encode(true, forKey: .a)
            try list.encodeNil()
            var inner = c.nestedContainer(keyedBy: K.self, forKey: .inner)
            try inner.encode(2.5, forKey: .b)
            try Corners().shapes.encode(to: c.superEncoder())
            try c.encode(3, forKey: .b)
        }
    }

    struct Silent: Encodable { func encode(to encoder: Encoder) throws {} }

    @Test("escapes, numbers, nil, dictionaries, enums, URL, Data, dates, keys set twice, super-encoders: JSONEncoder's bytes")
    func corners() throws {
        #expect(try ours(Corners()) == foundation(Corners()))
        #expect(try ours(Corners(), date: Self.storeDate) == foundation(Corners(), date: Self.storeDate))
        #expect(try ours(HandMade()) == foundation(HandMade()))
        #expect(try ours([Silent()]) == foundation([Silent()]))
        #expect(try ours(["top level string"]) == foundation(["top level string"]))
        #expect(try ours(Corners()).contains(#""controls":"\u0000\u0001"#))
    }

    @Test("a number JSON cannot hold throws, as JSONEncoder's does")
    func notFinite() {
        #expect(throws: EncodingError.self) { try SortedJSONEncoder().encode([Double.nan]) }
        #expect(throws: EncodingError.self) { try SortedJSONEncoder().encode(["x": Double.infinity]) }
    }

    static let storeParse: @Sendable (String) throws -> Date = { try Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse($0) }

    func foundationDecode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { d in try Self.storeParse(try d.singleValueContainer().decode(String.self)) }
        return try decoder.decode(type, from: Data(text.utf8))
    }

    func ourDecode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONTextDecoder(dateFromText: Self.storeParse).decode(type, from: Array(text.utf8))
    }

    @Test("JSONTextDecoder reads what JSONDecoder reads: findings, judgements, systems, and the corners, compact or pretty")
    func decoding() throws {
        let (_, _, evaluation) = try judgedProvince()
        for s in evaluation.systems {
            let findings = try ours(s.findings, date: Self.storeDate)
            #expect(try ourDecode([Finding].self, findings) == foundationDecode([Finding].self, findings))
            #expect(try ourDecode([Finding].self, findings) == s.findings)
            let judgement = try ours(s.judgement, date: Self.storeDate)
            #expect(try ourDecode(SystemJudgement.self, judgement) == s.judgement)
            let system = try foundation(s.system, pretty: true, date: Self.storeDate)
            #expect(try ourDecode(System.self, system) == foundationDecode(System.self, system))
        }
        let corners = try foundation(Corners(), pretty: true, date: Self.storeDate)
        let read = try ourDecode(Corners.self, corners)
        let expected = try foundationDecode(Corners.self, corners)
        #expect(try ours(read, date: Self.storeDate) == ours(expected, date: Self.storeDate))
        #expect(read.text == Corners().text && read.controls == Corners().controls && read.shapes == Corners().shapes)
        // Escapes Foundation never writes but JSON allows: \/ and \u, surrogate pairs included.
        #expect(try ourDecode([String].self, #"["a\/b","\u00e9\ud83c\uddfb","\t"]"#) == ["a/b", "é\u{1F1FB}", "\t"])
    }

    struct Need: Decodable, Equatable { var name: String; var count: Int; var list: [Int]? }

    @Test("JSONTextDecoder fails where JSONDecoder fails, with the same kind of error")
    func decodingErrors() throws {
        func kind(_ body: () throws -> Need) -> String {
            do { _ = try body(); return "none" } catch let e as DecodingError {
                switch e {
                case .keyNotFound: return "keyNotFound"
                case .typeMismatch: return "typeMismatch"
                case .valueNotFound: return "valueNotFound"
                case .dataCorrupted: return "dataCorrupted"
                @unknown default: return "unknown"
                }
            } catch { return "other" }
        }
        for text in [#"{"name":"a","count":1}"#, #"{"name":"a"}"#, #"{"name":1,"count":1}"#, #"{"name":null,"count":1}"#,
                     #"{"name":"a","count":1.5}"#, #"{"name":"a","count":1,"list":[1,"x"]}"#, #"{"name":"a","count":1,"list":null}"#,
                     #"{"name":"a","count":1"#, #"{"name":"a","count":1}x"#, #"{"name":"a\q","count":1}"#, "[]", #"{"name":"a","count":99999999999999999999}"#] {
            #expect(kind { try ourDecode(Need.self, text) } == kind { try foundationDecode(Need.self, text) }, "\(text)")
        }
    }
}
