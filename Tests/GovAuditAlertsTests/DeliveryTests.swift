import Foundation
import GovAuditCore
import GovAuditNet
import GovAuditService
import GovAuditStore
import GovAuditTestSupport
import Testing
@testable import GovAuditAlerts

@Suite("Alert delivery to real sinks on loopback", .serialized)
struct DeliveryTests {
    let spam = Make.finding("links.spam", "cong-sonv", .high, evidence: [Fact("text", "<script>alert(1)</script> nhà cái")])
    let spam2 = Make.finding("links.spam", "cong-dulich", .critical, subject: "b")
    let token = Secret("tok-9f2c41d7e1", source: "test"), key = Secret("shh-5b0e93aa77", source: "test")

    /// A history with a baseline scan and a second one with two new findings in two agencies.
    func twoScans(_ engine: (HistoryStore) -> AlertEngine) async throws -> (History, String, AlertReport) {
        let h = try History()
        let e = engine(h.store)
        _ = try await e.afterScan(try await h.scan([]))
        let id = try await h.scan([spam, spam2], tls: 1)
        return (h, id, try await e.afterScan(id, report: "Reports/angiang.html"))
    }

    @Test("HMAC-SHA256 through OpenSSL matches RFC 4231 test case 2")
    func hmac() {
        #expect(Digest.hmacSHA256Hex(key: Array("Jefe".utf8), Array("what do ya want for nothing?".utf8))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(AlertSender.signature([], secret: Secret("k", source: "test")).hasPrefix("sha256="))
    }

    @Test("webhook: JSON per the schema, bearer token, idempotency id, a signature the receiver can verify; a 503 is retried")
    func webhook() async throws {
        let sinks = try AlertSinks(webhook: true, smtp: false, failFirst: 1, root: repositoryRoot)
        defer { sinks.stop() }
        let settings = AlertSettings(webhook: WebhookChannel(url: sinks.webhookURL, token: token, secret: key),
                                     delivery: DeliveryPolicy(attempts: 3, backoff: .milliseconds(20)))
        let (h, id, report) = try await twoScans { AlertEngine(settings: settings, store: $0, policy: nil) }
        #expect(report.deliveries.map(\.delivered) == [true] && report.deliveries.first?.attempts == 2)
        let requests = try sinks.requests()
        #expect(requests.map(\.answered) == [503, 200])
        // The retry is the same delivery: same id, same bytes.
        #expect(requests[0].body == requests[1].body)
        let r = requests[1]
        #expect(r.path == "/hooks/govaudit")
        #expect(r.headers["authorization"] == "Bearer \(token.reveal())")
        #expect(r.headers["idempotency-key"] == "\(id):webhook" && r.headers["x-govaudit-delivery"] == "\(id):webhook")
        #expect(r.headers["x-govaudit-event"] == "changes")
        // The receiver's check: HMAC of the exact body under the shared secret (here with openssl's own CLI).
        #expect(r.headers["x-govaudit-signature"] == "sha256=" + (try opensslHMAC(r.body, key: key.reveal())))
        let schema = try JSON.parse(String(contentsOf: repositoryRoot.appendingPathComponent("Reports/schema/alert.schema.json"), encoding: .utf8))
        let body = try JSON.parse(String(decoding: r.body, as: UTF8.self))
        #expect(JSONSchemaValidator(root: schema).validate(body) == [])
        #expect(body["report"] == .string("Reports/angiang.html") && body["previousScan"] != nil)
        // A document that breaks the contract is caught by the same check.
        #expect(!JSONSchemaValidator(root: schema).validate(try JSON.parse(#"{"schemaVersion": "1.0.0", "kind": "other"}"#)).isEmpty)
        // No secret in the store.
        var file = try Data(contentsOf: URL(fileURLWithPath: h.store.location.path))
        if FileManager.default.fileExists(atPath: h.store.location.path + "-wal") {
            file += try Data(contentsOf: URL(fileURLWithPath: h.store.location.path + "-wal"))
        }
        for s in [token, key] { #expect(file.range(of: Data(s.reveal().utf8)) == nil) }
    }

    @Test("unreachable webhook: retried, reported as not delivered, kept, and delivered by the next step")
    func unreachable() async throws {
        let sinks = try AlertSinks(webhook: true, smtp: false, root: repositoryRoot)
        defer { sinks.stop() }
        // A port nothing listens on (the sink's port + nothing: bind and close one ourselves).
        let dead = "http://127.0.0.1:\(try freePort())/hook"
        let retry = DeliveryPolicy(attempts: 3, backoff: .milliseconds(10), timeout: .seconds(2))
        let (h, id, report) = try await twoScans {
            AlertEngine(settings: AlertSettings(webhook: WebhookChannel(url: dead, token: token), delivery: retry), store: $0, policy: nil)
        }
        #expect(report.failed.count == 1 && report.failed.first?.attempts == 3)
        #expect(report.summary.contains("NOT delivered to webhook after 3 tries"))
        #expect(!report.summary.contains(token.reveal()))
        #expect(try await h.store.pendingDeliveries().map(\.id) == ["\(id):webhook"])
        // The next scan, with the receiver back: the kept alert goes first; nothing new to add.
        let engine = AlertEngine(settings: AlertSettings(webhook: WebhookChannel(url: sinks.webhookURL), delivery: retry), store: h.store, policy: nil)
        let next = try await engine.afterScan(try await h.scan([spam, spam2], tls: 1))
        #expect(next.changes == 0 && next.deliveries.map(\.id) == ["\(id):webhook"] && next.deliveries.allSatisfy(\.delivered))
        #expect(try sinks.requests().count == 1)
        #expect(try await h.store.pendingDeliveries().isEmpty)
    }

    @Test("mail: multipart plain and HTML, RFC 2047 subject, Message-ID from the idempotency id, HTML escaped; agencies see only their systems")
    func mail() async throws {
        let sinks = try AlertSinks(webhook: false, smtp: true, root: repositoryRoot)
        defer { sinks.stop() }
        let settings = AlertSettings(mail: MailChannel(url: sinks.smtpURL, from: "govaudit@stttt.angiang.gov.vn", to: ["ucsc@angiang.gov.vn"]),
                                     mailAgencies: true, delivery: DeliveryPolicy(attempts: 1))
        let (_, id, report) = try await twoScans { AlertEngine(settings: settings, store: $0, policy: nil) }
        #expect(report.deliveries.map(\.channel) == ["mail", "mail:sonv", "mail:sovh"] && report.failed.isEmpty)
        let mails = try sinks.mails()
        #expect(mails.count == 3)
        let team = try #require(mails.first { $0.contains("X-Sink-To: ucsc@angiang.gov.vn") })
        let (headers, parts) = try parse(team)
        #expect(headers["message-id"] == "<\(id).mail@stttt.angiang.gov.vn>")
        let subject = try #require(headers["subject"])
        #expect(subject.hasPrefix("=?UTF-8?B?") && decodeWords(subject).contains("thay đổi xấu đi ở 2 hệ thống"))
        #expect(headers["content-type"]?.hasPrefix("multipart/alternative") == true)
        #expect(parts.map(\.type) == ["text/plain", "text/html"])
        let plain = parts[0].text, html = parts[1].text
        #expect(plain.contains("TLS và HTTPS đạt yêu cầu: 3/3 → 1/3"))
        #expect(plain.contains("cong-sonv") && plain.contains("cong-dulich"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !html.contains("<script>"))
        #expect(html.contains("Cổng cong-sonv &lt;b&gt;"))
        // Each agency: its own systems only, at its contacts' addresses.
        let sonv = try #require(mails.first { $0.contains("X-Sink-To: attt@sonoivu.angiang.gov.vn\r\n") })
        let sonvPlain = try parse(sonv).1[0].text
        #expect(sonvPlain.contains("cong-sonv") && !sonvPlain.contains("cong-dulich"))
        #expect(mails.contains { $0.contains("X-Sink-To: attt@dulich.angiang.gov.vn\r\n") })
    }

    @Test("smtp:// with STARTTLS required: the sink sees TLS; English with --lang en")
    func starttls() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("govaudit-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let cert = folder.appendingPathComponent("c.pem").path, key = folder.appendingPathComponent("k.pem").path
        try run("/usr/bin/openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key,
                                     "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"])
        let sinks = try AlertSinks(webhook: false, smtp: true, starttls: (cert, key), root: repositoryRoot)
        defer { sinks.stop() }
        let settings = AlertSettings(language: .en, mail: MailChannel(url: sinks.smtpURL, from: "govaudit@angiang.gov.vn", to: ["ucsc@angiang.gov.vn"],
                                                                     requireTLS: true),
                                     delivery: DeliveryPolicy(attempts: 1), caFile: cert)
        let (_, _, report) = try await twoScans { AlertEngine(settings: settings, store: $0, policy: nil) }
        #expect(report.failed.isEmpty, "\(report.summary)")
        let mail = try #require(try sinks.mails().first)
        #expect(mail.contains("X-Sink-TLS: yes"))
        #expect(try parse(mail).1[0].text.contains("TLS compliant: 3/3 → 1/3"))
    }
}
