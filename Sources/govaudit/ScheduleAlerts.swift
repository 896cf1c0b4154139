import Foundation
import GovAuditAlerts
import GovAuditCore
import GovAuditPolicy
import GovAuditService
import GovAuditStore

/// The schedule's after-scan hook: GovAuditAlerts' alert step, its settings from the config's
/// `alerts:` section. Logs one line per step; never ends the service.
struct ScheduleAlertStep: AfterScanHook {
    var settings: AlertSettings
    var database: DatabaseOption
    var policy: Policy
    var inventoryName: String

    func afterScan(_ scan: ScheduledScan) async {
        let store: HistoryStore
        do { store = try database.open(create: true) } catch {
            // The store itself failed: the failure is said at once, not kept.
            let (report, _) = await AlertEngine.afterFailure(ScheduleCommand.describe(error), inventory: inventoryName,
                                                             settings: settings, store: nil)
            return ScheduleCommand.log(report.summary)
        }
        if case .failed(let reason) = scan.status, scan.scanID == nil {
            let (report, error) = await AlertEngine.afterFailure(reason, inventory: inventoryName, settings: settings, store: store, policy: policy)
            return ScheduleCommand.log(report.summary + (error.map { " (alert state not stored: \($0.description))" } ?? ""))
        }
        guard let id = scan.scanID else { return }
        do {
            ScheduleCommand.log(try await AlertEngine(settings: settings, store: store, policy: policy).afterScan(id).summary)
        } catch {
            ScheduleCommand.log("alerts: the alert step failed (\(error.description)); the scan itself is stored")
        }
    }

    /// The config's section as alert settings, its secrets already read.
    static func settings(_ c: AlertConfig, secrets: AlertSecrets, caFile: String?) -> AlertSettings {
        func secret(_ s: GovAuditService.Secret?) -> GovAuditAlerts.Secret? { s.map { GovAuditAlerts.Secret($0.reveal()) } }
        let digest: Duration? = switch c.digest {
        case .none: nil
        case .daily: .seconds(86_400)
        case .weekly: .seconds(7 * 86_400)
        }
        return AlertSettings(minSeverity: c.minSeverity,
                             webhook: c.webhook.map { WebhookChannel(url: $0.url, token: secret(secrets.webhookToken), secret: secret(secrets.webhookSecret)) },
                             mail: c.smtp.map { MailChannel(url: $0.url, from: $0.from, to: $0.to, user: $0.user, password: secret(secrets.smtpPassword)) },
                             caFile: caFile, digestEvery: digest)
    }
}
