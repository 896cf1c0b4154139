import Foundation
import GovAuditCore
import GovAuditNet
import GovAuditService
import GovAuditStore
import GovAuditTestSupport
import Testing
@testable import GovAuditAlerts

/// What a destination's answer means for the tries: a refusal for good is recorded as failed at
/// once and never sent again; a passing trouble is retried with a bounded backoff and kept.
@Suite("Alert delivery: permanent refusals and transient failures, against the real sinks", .serialized)
struct RefusalTests {
    let spam = Make.finding("links.spam", "cong-sonv", .high)
    let retry = DeliveryPolicy(attempts: 3, backoff: .milliseconds(10), timeout: .seconds(5))

    /// A baseline scan, then one with a new finding, alerted through `settings`.
    func alerted(_ settings: AlertSettings) async throws -> (History, String, AlertReport) {
        let h = try History()
        let engine = AlertEngine(settings: settings, store: h.store, policy: nil)
        _ = try await engine.afterScan(try await h.scan([]))
        let id = try await h.scan([spam], tls: 2)
        return (h, id, try await engine.afterScan(id))
    }

    @Test("a webhook answering 400: one try, recorded failed with the reason, not sent again at the next scan")
    func webhook400() async throws {
        let sinks = try AlertSinks(webhook: true, smtp: false, status: 400, root: repositoryRoot)
        defer { sinks.stop() }
        let settings = AlertSettings(webhook: WebhookChannel(url: sinks.webhookURL), delivery: retry)
        let (h, id, report) = try await alerted(settings)
        #expect(report.failed.count == 1 && report.failed[0].permanent && report.failed[0].attempts == 1)
        #expect(report.summary.contains("REFUSED by webhook (the server answered HTTP 400): recorded as failed, not tried again"), "\(report.summary)")
        #expect(try sinks.requests().map(\.answered) == [400])
        let stored = try #require(try await h.store.deliveries(of: id).first)
        #expect(stored.status == .failed && stored.attempts == 1 && stored.lastError == "the server answered HTTP 400")
        #expect(try await h.store.pendingDeliveries().isEmpty)
        // The next scan (nothing new): the refused message is not tried again.
        let next = try await AlertEngine(settings: settings, store: h.store, policy: nil).afterScan(try await h.scan([spam], tls: 2))
        #expect(next.deliveries.isEmpty && next.changes == 0)
        #expect(try sinks.requests().count == 1)
    }

    @Test("a webhook answering 429 (and 503, and 408) is transient: every try made, the message kept pending")
    func webhookTransient() async throws {
        for status in [429, 503, 408] {
            let sinks = try AlertSinks(webhook: true, smtp: false, status: status, root: repositoryRoot)
            defer { sinks.stop() }
            let (h, id, report) = try await alerted(AlertSettings(webhook: WebhookChannel(url: sinks.webhookURL), delivery: retry))
            #expect(report.failed.count == 1 && !report.failed[0].permanent && report.failed[0].attempts == 3, "\(status)")
            #expect(report.summary.contains("NOT delivered to webhook after 3 tries (the server answered HTTP \(status)); kept for the next scan"))
            #expect(try sinks.requests().count == 3, "\(status)")
            #expect(try await h.store.pendingDeliveries().map(\.id) == ["\(id):webhook"])
        }
    }

    @Test("an SMTP server answering 550 refuses for good: one try, failed; the webhook beside it is delivered")
    func smtp550() async throws {
        let sinks = try AlertSinks(webhook: true, smtp: true, reject: 550, root: repositoryRoot)
        defer { sinks.stop() }
        let settings = AlertSettings(webhook: WebhookChannel(url: sinks.webhookURL),
                                     mail: MailChannel(url: sinks.smtpURL, from: "govaudit@angiang.gov.vn", to: ["ucsc@angiang.gov.vn"]),
                                     delivery: retry)
        let (h, id, report) = try await alerted(settings)
        #expect(report.deliveries.map(\.channel) == ["webhook", "mail"])
        #expect(report.deliveries[0].delivered)
        let mail = report.deliveries[1]
        #expect(!mail.delivered && mail.permanent && mail.attempts == 1, "\(report.summary)")
        #expect(mail.error?.contains("the SMTP server answered 550") == true, "\(mail.error ?? "")")
        #expect(try sinks.mails().count == 1)
        #expect(try await h.store.deliveries(of: id).first { $0.channel == "mail" }?.status == .failed)
    }

    @Test("the backoff between tries doubles, bounded by maxBackoff")
    func boundedBackoff() async throws {
        let waits = Waits()
        let policy = DeliveryPolicy(attempts: 5, backoff: .seconds(1), maxBackoff: .seconds(3), timeout: .seconds(2))
        let settings = AlertSettings(webhook: WebhookChannel(url: "http://127.0.0.1:\(try freePort())/hook"), delivery: policy)
        let h = try History()
        let engine = AlertEngine(settings: settings, store: h.store, policy: nil,
                                 sender: AlertSender(settings: settings, sleep: { await waits.add($0) }))
        _ = try await engine.afterScan(try await h.scan([]))
        let report = try await engine.afterScan(try await h.scan([spam], tls: 2))
        #expect(report.failed.first?.attempts == 5 && report.failed.first?.permanent == false)
        #expect(await waits.all == [.seconds(1), .seconds(2), .seconds(3), .seconds(3)])
    }

    @Test("SMTP AUTH over STARTTLS: the right password is accepted, a wrong one (535) is a refusal for good; neither is ever printed or stored")
    func smtpAuth() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("govaudit-auth-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let cert = folder.appendingPathComponent("c.pem").path, key = folder.appendingPathComponent("k.pem").path
        _ = try run("/usr/bin/openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key,
                                         "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"])
        let password = "mk-9d31-ucsc-angiang"
        let sinks = try AlertSinks(webhook: false, smtp: true, starttls: (cert, key), auth: ("govaudit", password), root: repositoryRoot)
        defer { sinks.stop() }
        func settings(_ given: String) -> AlertSettings {
            AlertSettings(mail: MailChannel(url: sinks.smtpURL, from: "govaudit@angiang.gov.vn", to: ["ucsc@angiang.gov.vn"], user: "govaudit",
                                            password: Secret(given, source: "test")), delivery: retry, caFile: cert)
        }
        let (h, _, good) = try await alerted(settings(password))
        #expect(good.failed.isEmpty, "\(good.summary)")
        let mail = try #require(try sinks.mails().first)
        #expect(mail.contains("X-Sink-TLS: yes\r\n") && mail.contains("X-Sink-Auth: govaudit\r\n") && !mail.contains(password))

        let wrong = "wrong-password-4417"
        let (h2, _, bad) = try await alerted(settings(wrong))
        #expect(bad.failed.first?.permanent == true && bad.failed.first?.attempts == 1, "\(bad.summary)")
        #expect(bad.summary.contains("535") && !bad.summary.contains(wrong), "\(bad.summary)")
        for store in [h.store, h2.store] {
            var bytes = try Data(contentsOf: URL(fileURLWithPath: store.location.path))
            if FileManager.default.fileExists(atPath: store.location.path + "-wal") {
                bytes += try Data(contentsOf: URL(fileURLWithPath: store.location.path + "-wal"))
            }
            #expect(bytes.range(of: Data(password.utf8)) == nil && bytes.range(of: Data(wrong.utf8)) == nil)
        }
    }
}

/// The waits a sender asked for, in order.
actor Waits {
    private(set) var all: [Duration] = []
    func add(_ d: Duration) { all.append(d) }
}
