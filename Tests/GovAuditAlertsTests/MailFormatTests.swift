import Foundation
import GovAuditCore
import GovAuditService
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import GovAuditAlerts

@Suite("Alert e-mail format")
struct MailFormatTests {
    @Test("a Vietnamese subject becomes RFC 2047 words of at most 75 characters that decode back, split between characters")
    func rfc2047() throws {
        let subject = "[GovAudit] Tỉnh An Giang: 2 thay đổi xấu đi ở 1 hệ thống — Sở Văn hóa, Thể thao và Du lịch"
        let encoded = MailFormat.encodedWord(subject)
        let words = encoded.components(separatedBy: "\r\n ")
        #expect(words.count > 1)
        var bytes: [UInt8] = []
        for w in words {
            #expect(w.count <= 75)
            #expect(w.hasPrefix("=?UTF-8?B?") && w.hasSuffix("?="))
            let b64 = String(w.dropFirst(10).dropLast(2))
            let chunk = try #require(Data(base64Encoded: b64))
            // Each word decodes on its own: no character is cut between two words.
            #expect(String(data: chunk, encoding: .utf8) != nil)
            bytes += chunk
        }
        #expect(String(decoding: bytes, as: UTF8.self) == subject)
        #expect(MailFormat.encodedWord("GovAudit: all clear") == "GovAudit: all clear")
        #expect(MailFormat.encodedWord("a\r\nBcc: x@y.z").contains("=?UTF-8?B?"))
    }
}

@Suite("Alert settings: secrets and addresses")
struct AlertSettingsTests {
    @Test("a flag's secrets file readable by group or others is refused, naming the flag; an owner-only one is read; a secret never prints")
    func secretsFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("govaudit-secret-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "s3cr3t-value\n".write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o644)
        // The flags go through the config's own parser and reader.
        let reference = try #require(try SecretReference.flags(env: nil, file: path, option: "--smtp-password"))
        do { _ = try reference.read(environment: [:]); Issue.record("a 0644 secrets file was read") } catch {
            #expect(error.description.contains("command line: --smtp-password-file: \(path)"), "\(error)")
            #expect(error.description.contains("0644") && !error.description.contains("s3cr3t"))
        }
        chmod(path, 0o600)
        let secret = try reference.read(environment: [:])
        #expect(secret.reveal() == "s3cr3t-value")
        #expect("\(secret)" == "<secret from \(path)>" && String(reflecting: secret) == "<secret from \(path)>")
        var dumped = ""
        dump(MailChannel(url: "smtp://m.example.vn", from: "a@example.vn", to: [], password: secret), to: &dumped)
        #expect(dumped.contains("source") && !dumped.contains("s3cr3t"), "\(dumped)")
        let unset = try #require(try SecretReference.flags(env: "GOVAUDIT_NO_SUCH_VAR", file: nil, option: "--webhook-token"))
        #expect(throws: InputError.self) { _ = try unset.read(environment: [:]) }
        #expect(throws: InputError.self) { _ = try SecretReference.flags(env: "A", file: path, option: "--webhook-token") }
        #expect(throws: InputError.self) { _ = try SecretReference.flags(env: "NOT-A-NAME", file: nil, option: "--webhook-token") }
        #expect(try SecretReference.flags(env: nil, file: nil, option: "--webhook-token") == nil)
    }

    @Test("user:password@ in a URL is redacted; secrets are cut out of error texts")
    func redaction() {
        #expect(Redaction.url("smtps://alert:hunter22@mail.angiang.gov.vn:465/") == "smtps://***@mail.angiang.gov.vn:465/")
        #expect(Redaction.url("https://hooks.example/x?a=b@c") == "https://hooks.example/x?a=***")
        #expect(Redaction.secrets("auth failed for hunter22", [Secret("hunter22", source: "test")]) == "auth failed for <secret>")
    }

    @Test("only plain addresses reach a header or an SMTP command")
    func addresses() {
        #expect(MailFormat.isPlainAddress("attt.sonoivu@angiang.gov.vn"))
        for bad in ["a@b", "a b@c.vn", "a@c.vn\r\nBcc: x@y.vn", "<a@c.vn>", "a,b@c.vn", "@c.vn"] {
            #expect(!MailFormat.isPlainAddress(bad), "\(bad)")
        }
    }
}
