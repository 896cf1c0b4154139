import GovAuditStore

/// Which stored scan a scheduled run finishes instead of starting anew: the latest unfinished
/// one, when it is of the same series, inventory and policy (what `scan --resume` accepts).
/// Called with the scan lock held, so "unfinished" never means another process's running scan.
public enum Resumption {
    public static func candidate(in store: HistoryStore, series: ScanSeries, inventoryHash: String,
                                 policyHash: String) async throws(StoreError) -> ScanRecord? {
        guard let latest = try await store.latestUnfinishedScan() else { return nil }
        guard latest.series == series, latest.inventoryHash == inventoryHash, latest.policyHash == policyHash else { return nil }
        return latest
    }
}
