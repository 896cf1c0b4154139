import ArgumentParser
import Foundation
import GovAuditCore
import GovAuditInventory
import GovAuditNet
import GovAuditPolicy
import GovAuditScan
import GovAuditService
import GovAuditStore

/// One scan of an inventory, as `scan` and each tick of `schedule` start it: the store opened,
/// the scan lock taken (so two scans of one database never overlap, and a resume never picks
/// another process's running scan), what to resume decided, the inventory read afresh.
struct InventoryScan {
    enum Resume {
        case no
        /// `scan --resume [ID]`: the given scan, or the latest unfinished one; none is an error.
        case scan(String?)
        /// A schedule's tick: the latest unfinished scan of the same inventory, policy and checks,
        /// when there is one; else a new scan.
        case ifUnfinished
    }

    /// Who takes the lock, as a second scan's refusal names it.
    var command: String
    var policy: Policy
    /// Already merged with the config file.
    var network: NetworkOptions
    var crawl: CrawlOptions
    var bounds: BoundsOptions
    var checks: [Check]
    var storage: StorageOptions
    var inventoryPath: String?
    var asOf: CalendarDate
    var resume: Resume
    var concurrency: Int

    /// The plan and the lock it runs under (nil with --no-store: nothing is stored, nothing to
    /// protect). The caller keeps the lock until the scan is done.
    func plan() async throws -> (ScanPlan, ScanLock?) {
        let store = storage.noStore ? nil : try storage.database.open(create: true)
        var lock: ScanLock?
        if let store {
            do { lock = try ScanLock.acquire(database: store.location.path, command: command) } catch {
                throw RunFailure(message: error.description)
            }
        }
        var inventoryPath = self.inventoryPath
        var day = asOf
        var resuming: String?
        if case .scan(let scanID) = resume, let store {
            // The scan to finish, its inventory (unless given) and its as-of day.
            let record = try await mappingStoreErrors {
                if let scanID { return try await store.scan(scanID) }
                guard let latest = try await store.latestUnfinishedScan() else {
                    throw InputErrors([InputError(SourceLocation(file: store.location.path), "no unfinished scan to resume")])
                }
                return latest
            }
            inventoryPath = inventoryPath ?? record.provenance.inventory
            day = StoredScan.asOf(record) ?? day
            resuming = record.id
        }
        guard let inventoryPath else {
            throw ValidationError("--inventory: give the inventory file to scan (or `inventory:` in the config file)")
        }
        let inventory = try InventoryLoader.load(path: inventoryPath)
        let hash = Digest.sha256Hex(Array(try Data(contentsOf: URL(fileURLWithPath: inventoryPath))))
        if case .ifUnfinished = resume, let store {
            let series = ScanSeries(kind: .scan, inventoryName: inventory.name, checks: checks.map(\.rawValue))
            if let record = try await mappingStoreErrors({
                try await Resumption.candidate(in: store, series: series, inventoryHash: hash, policyHash: policy.hash)
            }) {
                day = StoredScan.asOf(record) ?? day
                resuming = record.id
            }
        }
        let plan = ScanPlan(kind: .scan, inventory: inventory, inventoryPath: inventoryPath, inventoryHash: hash, policy: policy,
                            network: network, crawl: crawl, bounds: bounds, checks: checks, asOf: day, areas: nil,
                            concurrency: concurrency, store: store, resume: resuming)
        return (plan, lock)
    }
}
