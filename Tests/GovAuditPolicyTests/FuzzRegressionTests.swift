import Foundation
import GovAuditCore
import GovAuditTestSupport
import Testing
@testable import GovAuditPolicy

/// The header and policy fuzzers' seeds and findings (Tests/Fuzz), through the functions the
/// harnesses fuzz.
@Suite("Fuzz regressions: HSTS and headers, policy loader")
struct PolicyFuzzRegressionTests {
    /// The Strict-Transport-Security values of a headers input (both blocks).
    func hstsValues(_ bytes: [UInt8]) -> [String] {
        String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline).compactMap { line in
            guard let colon = line.firstIndex(of: ":"),
                  line[..<colon].lowercased() == "strict-transport-security" else { return nil }
            return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
    }

    @Test("every committed header input: a max-age, when one is read, is delta-seconds", arguments: FuzzInputs.all("headers"))
    func headers(_ input: FuzzInputs.Input) {
        for value in hstsValues(input.bytes) {
            if let age = StrictTransportSecurity(value).maxAge { #expect(age >= 0, "\(value)") }
        }
    }

    @Test("max-age is digits only (RFC 6797 §6.1.1): a sign sets no policy, a huge value is a long one")
    func maxAge() throws {
        #expect(hstsValues(try #require(FuzzInputs.named("headers", "hsts-signed-max-age"))).map { StrictTransportSecurity($0).maxAge }
                == [nil, nil])
        #expect(StrictTransportSecurity("max-age=99999999999999999999; includeSubDomains").maxAge == Int.max)
        #expect(StrictTransportSecurity("max-age=\"0\"").maxAge == 0)
        #expect(StrictTransportSecurity("max-age=1e3").maxAge == nil)
        #expect(StrictTransportSecurity("max-age=").maxAge == nil)
    }

    @Test("every committed policy input loads or is refused with input errors", arguments: FuzzInputs.all("policy"))
    func policy(_ input: FuzzInputs.Input) throws {
        let texts = input.bytes.split(separator: 0, omittingEmptySubsequences: false).map { String(validating: $0, as: UTF8.self) }
        let main = try #require(texts.first ?? nil)
        let rules = texts.dropFirst().enumerated().map { ("rules/\($0.offset).yaml", $0.element ?? "") }
        do {
            let policy = try PolicyLoader.parse(main: ("policy.yaml", main), rules: rules)
            #expect(!policy.regimes.isEmpty && !policy.rules.isEmpty)
        } catch {
            // The seeds of one rule file each load (the other rules listed under disabled:).
            #expect(!input.name.contains("seeds/policy/policy+"), "\(input): \(error)")
            #expect(!error.errors.isEmpty)
        }
    }
}
