import Foundation
import GovAuditCore
import GovAuditPolicy
import GovAuditScan
import GovAuditStore

/// What one alert step did, for the one line the caller logs. Never fails the scan: a delivery
/// that failed is listed here and kept pending in the store.
public struct AlertReport: Sendable {
    public var scan: String?
    /// The complete scan compared with; nil for the first scan of a series (its findings are
    /// taken as known, nothing is sent) or a failed scan.
    public var baseline: String?
    /// Changes alerted by this step (0: nothing got worse).
    public var changes: Int
    /// Every delivery tried, earlier pending ones first.
    public var deliveries: [DeliveryResult]
    /// Agencies with changes but no contact e-mail in the inventory (`mailAgencies`).
    public var agenciesWithoutAddress: [String]
    /// The step had already run for this scan: nothing new was built.
    public var alreadyDone: Bool
    /// A digest of what is still open was queued.
    public var digest = false

    /// Deliveries not made this time, kept pending or failed for good.
    public var failed: [DeliveryResult] { deliveries.filter { !$0.delivered } }

    /// One line for standard error (journald reads it); no secret, no destination address.
    public var summary: String {
        var parts = [baseline == nil && changes == 0 && scan != nil && !alreadyDone ? "first scan of its series: baseline recorded, nothing sent"
                     : "\(changes) change\(changes == 1 ? "" : "s") alerted"]
        if digest { parts.append("digest of what is still open queued") }
        let sent = deliveries.filter(\.delivered).map(\.channel)
        if !sent.isEmpty { parts.append("delivered: " + sent.joined(separator: ", ")) }
        for f in failed {
            parts.append(f.permanent
                ? "REFUSED by \(f.channel) (\(f.error ?? "?")): recorded as failed, not tried again"
                : "NOT delivered to \(f.channel) after \(f.attempts) tries (\(f.error ?? "?")); kept for the next scan")
        }
        if !agenciesWithoutAddress.isEmpty { parts.append("no contact e-mail for agencies " + agenciesWithoutAddress.joined(separator: ", ")) }
        return "alerts: " + parts.joined(separator: "; ")
    }
}

/// The alert step: after a scan is stored, compare it with the previous complete scan of its
/// series, build one message per channel with what got worse and was not alerted yet, record
/// that in the store (the alert state and the pending messages, one transaction), then deliver
/// every pending message, this scan's and those earlier steps could not deliver.
public struct AlertEngine: Sendable {
    public var settings: AlertSettings
    public var store: HistoryStore
    /// For the expiry thresholds' windows named in messages; nil: not named.
    public var policy: Policy?
    public var sender: AlertSender
    public var now: @Sendable () -> Date

    public init(settings: AlertSettings, store: HistoryStore, policy: Policy?, sender: AlertSender? = nil,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.settings = settings
        self.store = store
        self.policy = policy
        self.sender = sender ?? AlertSender(settings: settings)
        self.now = now
    }

    /// The step after scan `scanID` ended (complete or interrupted). `report`: where its report
    /// file was written, if anywhere. This is what `govaudit schedule` calls after each scan.
    public func afterScan(_ scanID: String, report: String? = nil) async throws(StoreError) -> AlertReport {
        var result = AlertReport(scan: scanID, baseline: nil, changes: 0, deliveries: [], agenciesWithoutAddress: [], alreadyDone: false)
        if try await store.alertStepDone(scan: scanID) {
            result.alreadyDone = true
        } else {
            let record = try await store.scan(scanID)
            if record.status != .complete {
                let reason = "scan \(scanID) is \(record.status.rawValue): \(try await store.committedSystems(of: scanID).count) of \(record.scope.systems.count) systems stored"
                try await queueFailure(reason, inventory: record.inventory.name, scan: scanID, report: report)
            } else {
                try await build(record, report: report, into: &result)
            }
        }
        result.deliveries = try await deliverPending()
        return result
    }

    /// The step after a scan that could not run or failed before it was stored (store, policy,
    /// inventory or resolver errors): a `scan-failed` message on every channel. With `store`
    /// nil (the store itself failed) it is sent at once and not kept.
    public static func afterFailure(_ reason: String, inventory: String, scan: String? = nil, settings: AlertSettings,
                                    store: HistoryStore?, policy: Policy? = nil) async -> (AlertReport, StoreError?) {
        let redacted = AlertSender(settings: settings).redacted(reason)
        var result = AlertReport(scan: scan, baseline: nil, changes: 0, deliveries: [], agenciesWithoutAddress: [], alreadyDone: false)
        guard let store else {
            let sender = AlertSender(settings: settings)
            for m in AlertBuilder.failure(redacted, inventory: inventory, scan: scan, settings: settings, at: Date()) {
                result.deliveries.append(await sender.send(String(decoding: m.encoded(), as: UTF8.self), channel: m.channel))
            }
            return (result, nil)
        }
        let engine = AlertEngine(settings: settings, store: store, policy: policy)
        do {
            try await engine.queueFailure(redacted, inventory: inventory, scan: scan, report: nil)
            result.deliveries = try await engine.deliverPending()
            return (result, nil)
        } catch {
            return (result, error)
        }
    }

    /// Tries every pending message once more (with the sender's retries), oldest first.
    public func deliverPending() async throws(StoreError) -> [DeliveryResult] {
        var results: [DeliveryResult] = []
        for d in try await store.pendingDeliveries() {
            let r = await sender.send(d.payload, channel: d.channel, at: now())
            try await store.recordAttempt(d.id, attempts: r.attempts, status: r.delivered ? .delivered : r.permanent ? .failed : .pending,
                                          error: r.error, at: now())
            results.append(r)
        }
        return results
    }

    private func build(_ record: ScanRecord, report: String?, into result: inout AlertReport) async throws(StoreError) {
        let previous = try await store.completeScans(in: record.series, before: record.startedAt, limit: 1).first
        let findings = try await store.findings(of: record.id)
        let open = findings.filter(\.isOpen)
        let at = now()
        guard let previous else {
            // The first scan of a series: what it found is the baseline, not news.
            let known = Dictionary(open.map { ($0.key, AlertBuilder.mark($0)) }, uniquingKeysWith: { a, b in a.severity >= b.severity ? a : b })
            try await store.recordAlertStep(AlertStep(scan: record.id, series: record.series, baseline: nil, alerted: known,
                                                      openKeys: Set(known.keys), deliveries: [], at: at))
            return
        }
        result.baseline = previous.id
        let diff: ScanDiff
        do { diff = try await ScanDiff.compare(previous.id, record.id, store: store) } catch let e as StoreError { throw e } catch {
            throw StoreError.unreadableRecord(path: store.location.path, what: "the diff of \(previous.id) and \(record.id)", detail: "\(error)")
        }
        let state = try await store.alertedKeys(series: record.series)
        let ids = settings.mailAgencies ? try await store.committedSystems(of: record.id) : diff.systems.map(\.system)
        var systems: [String: System] = [:]
        for id in ids { if let s = try await store.system(id, of: record.id)?.system { systems[id] = s } }
        let worse = AlertBuilder.worse(diff, systems: systems, alerted: state, settings: settings, policy: policy)
        var contacts: [String: [String]] = [:]
        for s in systems.values.sorted(by: { $0.id < $1.id }) {
            for c in s.contacts { if let e = c.email, MailFormat.isPlainAddress(e), !(contacts[s.agency] ?? []).contains(e) { contacts[s.agency, default: []].append(e) } }
        }
        let built = worse.isEmpty ? ([], [])
            : AlertBuilder.messages(worse, context: .init(scan: record, previous: previous, report: report, generatedAt: at),
                                    settings: settings, contacts: contacts)
        result.changes = worse.alerted.count
        result.agenciesWithoutAddress = built.1
        let digest = try await digestMessages(record, previous: previous, open: open, systems: systems, report: report, at: at)
        result.digest = !digest.isEmpty
        // Keys already alerted and still open keep their state; the new ones join it.
        try await store.recordAlertStep(AlertStep(
            scan: record.id, series: record.series, baseline: previous.id, alerted: worse.alerted, openKeys: Set(open.map(\.key)),
            deliveries: (built.0 + digest).map { StoredDelivery(id: $0.id, scan: record.id, channel: $0.channel,
                                                                payload: String(decoding: $0.encoded(), as: UTF8.self), createdAt: at) },
            digest: !digest.isEmpty, at: at))
    }

    /// The digest of what is still open, when one is configured and due (to the webhook and
    /// the response team only).
    private func digestMessages(_ record: ScanRecord, previous: ScanRecord, open: [Finding], systems known: [String: System],
                                report: String?, at: Date) async throws(StoreError) -> [AlertMessage] {
        guard let every = settings.digestEvery, let since = try await store.lastDigest(series: record.series),
              at.timeIntervalSince(since) >= Double(every.components.seconds) else { return [] }
        var systems = known
        for id in Set(open.map(\.system)) where systems[id] == nil {
            if let s = try await store.system(id, of: record.id)?.system { systems[id] = s }
        }
        let order = try await store.committedSystems(of: record.id)
        let still = AlertBuilder.stillOpen(open, systems: systems, order: order, settings: settings)
        guard !still.isEmpty else { return [] }
        var team = settings
        team.mailAgencies = false
        return AlertBuilder.messages(still, context: .init(scan: record, previous: previous, report: report, generatedAt: at),
                                     settings: team, contacts: [:], kind: .digest).messages
    }

    func queueFailure(_ reason: String, inventory: String, scan: String?, report: String?) async throws(StoreError) {
        let at = now()
        for m in AlertBuilder.failure(reason, inventory: inventory, scan: scan, settings: settings, report: report, at: at) {
            try await store.storeDelivery(StoredDelivery(id: m.id, scan: scan ?? m.id, channel: m.channel,
                                                         payload: String(decoding: m.encoded(), as: UTF8.self), createdAt: at))
        }
    }
}
