import Foundation
import GovAuditCore
import GovAuditPolicy
import GovAuditStore
import GovAuditTestSupport
import Testing
@testable import GovAuditAlerts

@Suite("Alerts across scans: what is sent, and what is not sent again", .serialized)
struct AlertStateTests {
    let spam = Make.finding("links.spam", "cong-sonv", .high, evidence: [Fact("href", "https://kuwin88.example/")])
    let minor = Make.finding("links.outside-vn", "cong-sonv", .low)

    func settings(_ sinks: AlertSinks) -> AlertSettings {
        AlertSettings(minSeverity: .high, webhook: WebhookChannel(url: sinks.webhookURL),
                      delivery: DeliveryPolicy(attempts: 2, backoff: .milliseconds(10)))
    }

    /// The alert ids the webhook received.
    func received(_ sinks: AlertSinks) throws -> [AlertMessage] {
        try sinks.requests().map { try AlertMessage.decode(String(decoding: $0.body, as: UTF8.self)) }
    }

    @Test("first scan: baseline, nothing sent; a new high finding: one message; unchanged: none; resolved and back: sent again; rose: sent")
    func dedupe() async throws {
        let sinks = try AlertSinks(webhook: true, smtp: false, root: repositoryRoot)
        defer { sinks.stop() }
        let h = try History()
        let engine = AlertEngine(settings: settings(sinks), store: h.store, policy: nil)

        // Given a first scan that already has a finding: it is the baseline, not news.
        let first = try await engine.afterScan(try await h.scan([minor, Make.finding("links.spam", "cong-dulich", .high)]))
        #expect(first.baseline == nil && first.changes == 0 && first.deliveries.isEmpty)

        // When a high finding appears (and a low one stays): exactly one message, naming it.
        let second = try await h.scan([minor, Make.finding("links.spam", "cong-dulich", .high), spam], tls: 2)
        let r2 = try await engine.afterScan(second)
        #expect(r2.changes == 1 && r2.deliveries.map(\.delivered) == [true], "\(r2.summary)")
        var got = try received(sinks)
        #expect(got.count == 1)
        #expect(got.first?.id == "\(second):webhook")
        #expect(got.first?.systems.map(\.system) == ["cong-sonv"])
        #expect(got.first?.systems.first?.changes.map(\.rule) == ["links.spam"])
        #expect(got.first?.systems.first?.changes.first?.change == .new)
        let tls = try #require(got.first?.figures.first { $0.id == "tls" })
        #expect(tls.previousPassed == 3 && tls.passed == 2)

        // Nothing changed: nothing sent.
        let r3 = try await engine.afterScan(try await h.scan([minor, spam], tls: 2))
        #expect(r3.changes == 0 && r3.deliveries.isEmpty)
        // Running the step twice for a scan sends nothing twice.
        #expect(try await engine.afterScan(second).alreadyDone)
        #expect(try received(sinks).count == 1)

        // Resolved, then back: alerted again.
        _ = try await engine.afterScan(try await h.scan([minor]))
        let back = try await engine.afterScan(try await h.scan([minor, spam]))
        #expect(back.changes == 1)
        // Its severity rises: alerted as a rise.
        var critical = spam
        critical.severity = .critical
        let rose = try await engine.afterScan(try await h.scan([minor, critical]))
        #expect(rose.changes == 1)
        got = try received(sinks)
        #expect(got.count == 3)
        let change = try #require(got.last?.systems.first?.changes.first)
        #expect(change.change == .severityRose && change.previousSeverity == .high && change.severity == .critical)
    }

    @Test("a certificate crossing the policy's expiry window is alerted below the threshold severity, with the window's days from the policy")
    func expiry() async throws {
        let sinks = try AlertSinks(webhook: true, smtp: false, root: repositoryRoot)
        defer { sinks.stop() }
        let policy = try PolicyLoader.load(directory: repositoryRoot.appendingPathComponent("Policies").path, digest: { _ in "p" })
        let windowDays = try #require(policy.rule("tls.cert-expiring")?.parameters["warnDays"]?.int)
        let h = try History()
        let engine = AlertEngine(settings: settings(sinks), store: h.store, policy: policy)
        _ = try await engine.afterScan(try await h.scan([]))
        let expiring = Make.finding("tls.cert-expiring", "cong-dulich", .medium, area: .tls, evidence: [Fact("daysLeft", "29")])
        let report = try await engine.afterScan(try await h.scan([expiring]))
        #expect(report.changes == 1)
        let change = try #require(try received(sinks).first?.systems.first?.changes.first)
        #expect(change.change == .certificateExpiry && change.thresholdDays == windowDays)
        // A medium finding of another rule is below the threshold: nothing.
        let medium = Make.finding("links.mixed-content", "cong-dulich", .medium)
        #expect(try await engine.afterScan(try await h.scan([expiring, medium])).changes == 0)
    }

    @Test("an interrupted scan is a scan-failed alert, with an id apart from the change alert the scan gets once resumed")
    func interrupted() async throws {
        let sinks = try AlertSinks(webhook: true, smtp: false, root: repositoryRoot)
        defer { sinks.stop() }
        let h = try History()
        let engine = AlertEngine(settings: settings(sinks), store: h.store, policy: nil)
        _ = try await engine.afterScan(try await h.scan([]))
        let stopped = try await h.scan([spam], complete: false)
        let report = try await engine.afterScan(stopped)
        #expect(report.deliveries.map(\.delivered) == [true])
        let message = try #require(try received(sinks).first)
        #expect(message.kind == .scanFailed && message.scan == stopped && message.failure?.contains("interrupted") == true)
        #expect(message.id == "\(stopped)-failed:webhook")
    }

    @Test("the same finding with other identifying facts (TLS 1.0 offered besides 1.1) is alerted once as facts-changed")
    func identifyingFacts() async throws {
        let sinks = try AlertSinks(webhook: true, smtp: false, root: repositoryRoot)
        defer { sinks.stop() }
        let h = try History()
        let engine = AlertEngine(settings: settings(sinks), store: h.store, policy: nil)
        func legacy(_ protocols: String, daysLeft: String) -> Finding {
            Make.finding("tls.legacy-protocols", "cong-dulich", .high, area: .tls, evidence: [Fact("protocols", protocols), Fact("daysLeft", daysLeft)])
        }
        _ = try await engine.afterScan(try await h.scan([legacy("TLSv1.1", daysLeft: "90")]))
        // A fact the rule does not declare identifying moves: nothing.
        #expect(try await engine.afterScan(try await h.scan([legacy("TLSv1.1", daysLeft: "89")])).changes == 0)
        let wider = try await engine.afterScan(try await h.scan([legacy("TLSv1, TLSv1.1", daysLeft: "88")]))
        #expect(wider.changes == 1)
        let change = try #require(try received(sinks).first?.systems.first?.changes.first)
        #expect(change.change == .factsChanged)
        #expect(change.changedFacts == [AlertMessage.FactChange(field: "protocols", old: "TLSv1.1", new: "TLSv1, TLSv1.1")])
        #expect(try await engine.afterScan(try await h.scan([legacy("TLSv1, TLSv1.1", daysLeft: "87")])).changes == 0)
        #expect(try received(sinks).count == 1)
    }

    @Test("with a weekly digest: nothing while nothing gets worse, then one digest of what is still open a week after the first step")
    func digest() async throws {
        let sinks = try AlertSinks(webhook: true, smtp: false, root: repositoryRoot)
        defer { sinks.stop() }
        let h = try History()
        let clock = TestClock()
        var s = settings(sinks)
        s.digestEvery = .seconds(7 * 86_400)
        let engine = AlertEngine(settings: s, store: h.store, policy: nil, now: { clock.now })
        _ = try await engine.afterScan(try await h.scan([spam, minor]))
        clock.advance(days: 1)
        #expect(try await engine.afterScan(try await h.scan([spam, minor])).deliveries.isEmpty)
        clock.advance(days: 7)
        let weekly = try await engine.afterScan(try await h.scan([spam, minor]))
        #expect(weekly.digest && weekly.changes == 0 && weekly.deliveries.map(\.delivered) == [true])
        let message = try #require(try received(sinks).first)
        #expect(message.kind == .digest && message.id.hasSuffix("-digest:webhook"))
        // Only what is at or above the threshold: the high finding, not the low one.
        #expect(message.systems.flatMap(\.changes).map(\.rule) == ["links.spam"])
        #expect(message.systems.first?.changes.first?.change == .stillOpen)
        clock.advance(days: 1)
        #expect(try await engine.afterScan(try await h.scan([spam, minor])).deliveries.isEmpty)
        #expect(try received(sinks).count == 1)
    }
}

final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var date = try! Date("2026-11-20T01:00:00Z", strategy: .iso8601)
    var now: Date { lock.withLock { date } }
    func advance(days: Int) { lock.withLock { date = date.addingTimeInterval(Double(days) * 86_400) } }
}
