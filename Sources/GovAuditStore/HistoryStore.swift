import Foundation
import GRDB

/// How to open the store.
public struct StoreOptions: Sendable {
    /// How long a write waits for another process's lock before failing with `.busy`.
    public var busyTimeout: Double
    /// Whether a missing file (and folder) is created; `history` and `diff` pass false so a
    /// mistyped `--db` is an error rather than an empty history.
    public var create: Bool

    public init(busyTimeout: Double = 5, create: Bool = true) {
        self.busyTimeout = busyTimeout
        self.create = create
    }
}

/// The scan history (lịch sử quét): scans, the inventory records and evidence they saw, their
/// findings, first-seen dates of finding keys, and triage. One SQLite file in WAL mode, so a
/// `history` can read while a scan writes; each system's results are one transaction.
///
/// Every operation runs on GRDB's own threads, not the caller's, and is not abandoned when the
/// calling task is cancelled: a Ctrl-C still commits what was finished and marks the scan.
public final class HistoryStore: Sendable {
    public let location: StoreLocation
    /// The schema version of the file once opened (and migrated): 1 for this build.
    public let schemaVersion: Int
    let pool: DatabasePool
    let busyTimeout: Double

    /// The schema version this build writes.
    public static var currentSchemaVersion: Int { Schema.current.latest }

    /// Opens (creating when allowed) and migrates the store at `location`. A file that is not an
    /// SQLite database, another application's database, or a store of a newer schema is refused
    /// untouched.
    public convenience init(_ location: StoreLocation, options: StoreOptions = StoreOptions()) throws(StoreError) {
        try self.init(location, options: options, schema: .current)
    }

    init(_ location: StoreLocation, options: StoreOptions, schema: Schema) throws(StoreError) {
        let path = location.path
        try StoreFiles.prepare(location, create: options.create)
        var config = Configuration()
        config.label = "GovAudit history"
        config.busyMode = .timeout(options.busyTimeout)
        config.foreignKeysEnabled = true
        let pool: DatabasePool
        let migrator = schema.migrator
        do {
            pool = try DatabasePool(path: path, configuration: config)
            // Look before writing: an up-to-date store opens without taking the write lock.
            let state = try pool.read { db in try StoreState(db, migrator: migrator) }
            if state.isForeign { throw StoreError.notAStore(path: path) }
            if state.isNewer { throw StoreError.newerSchema(path: path, known: schema.latest) }
            if !state.isCurrent { try migrator.migrate(pool) }
            schemaVersion = try pool.read { db in try Schema.appliedVersion(db, migrator: migrator) }
        } catch {
            throw StoreError(error, path: path, busyTimeout: options.busyTimeout)
        }
        try StoreFiles.tighten(path)
        self.location = location
        self.pool = pool
        self.busyTimeout = options.busyTimeout
    }

    /// Closes the connections; later calls fail. Also done when the store is released.
    public func close() throws(StoreError) {
        do { try pool.close() } catch { throw mapped(error) }
    }

    var path: String { location.path }

    func mapped(_ error: any Error) -> StoreError {
        StoreError(error, path: path, busyTimeout: busyTimeout)
    }

    /// One read transaction (a consistent snapshot while scans write).
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        let result: Result<T, StoreError> = await withCheckedContinuation { continuation in
            pool.asyncRead { access in
                continuation.resume(returning: Result { try body(access.get()) }.mapError(self.mapped))
            }
        }
        return try result.get()
    }

    /// One write transaction: all of `body` or nothing.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        let result: Result<T, StoreError> = await withCheckedContinuation { continuation in
            pool.asyncWrite(body) { _, outcome in
                continuation.resume(returning: outcome.mapError(self.mapped))
            }
        }
        return try result.get()
    }
}

/// What the file holds before migrating.
private struct StoreState {
    var isForeign: Bool
    var isNewer: Bool
    var isCurrent: Bool

    init(_ db: Database, migrator: DatabaseMigrator) throws {
        let appID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        let tables = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'table'") ?? 0
        isForeign = appID != Schema.applicationID && tables > 0
        isNewer = try !isForeign && migrator.hasBeenSuperseded(db)
        isCurrent = try !isForeign && migrator.hasCompletedMigrations(db)
    }
}
