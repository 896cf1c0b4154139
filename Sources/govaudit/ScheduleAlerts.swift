import Foundation
import GovAuditAlerts
import GovAuditCore
import GovAuditPolicy
import GovAuditService
import GovAuditStore

/// The schedule's after-scan hook: GovAuditAlerts' alert step, its settings from the config's
/// `alerts:` section and the channel flags. Logs one line per step; never ends the service.
/// A scan stopped by a signal is not alerted on: the service is being stopped on purpose, and
/// the next run resumes that scan and alerts once it is complete.
struct ScheduleAlertStep: AfterScanHook {
    var settings: AlertSettings
    var database: DatabaseOption
    var policy: Policy
    var inventoryName: String

    func afterScan(_ scan: ScheduledScan) async {
        if scan.status == .interrupted {
            return ScheduleCommand.log("alerts: scan interrupted; its changes are alerted once the next run has resumed and completed it")
        }
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
            ScheduleCommand.log(try await AlertEngine(settings: settings, store: store, policy: policy).afterScan(id, report: scan.report).summary)
        } catch {
            ScheduleCommand.log("alerts: the alert step failed (\(error.description)); the scan itself is stored")
        }
    }
}
