import Foundation
import GRDB

/// How to open the store.
public struct StoreOptions: Sendable {
    /// How long an access waits for another process's lock before failing with `.busy`.
    public var busyTimeout: Double
    /// Whether a missing file (and folder) is created; `history` and `diff` pass false so a
    /// mistyped `--db` is an error rather than an empty history.
    public var create: Bool
    /// Reads only: for a store the user may read but not write (an archived copy). Writes then
    /// fail with `.unwritable`; a store that needs migrating is refused.
    public var readOnly: Bool

    public init(busyTimeout: Double = 5, create: Bool = true, readOnly: Bool = false) {
        self.busyTimeout = busyTimeout
        self.create = create && !readOnly
        self.readOnly = readOnly
    }
}

/// The scan history (lịch sử quét): scans, the inventory records and evidence they saw, their
/// findings, first-seen dates of finding keys, and triage. One SQLite file in WAL mode, so a
/// `history` in another process reads while a scan writes; each system's results are one
/// transaction. One connection per process: the store serializes its own accesses.
///
/// Every operation runs on GRDB's own thread, not the caller's, and is not abandoned when the
/// calling task is cancelled: a Ctrl-C still commits what was finished and marks the scan.
public final class HistoryStore: Sendable {
    public let location: StoreLocation
    /// The schema version of the file once opened (and migrated): 1 for this build.
    public let schemaVersion: Int
    let queue: DatabaseQueue
    let busyTimeout: Double

    /// The schema version this build writes.
    public static var currentSchemaVersion: Int { Schema.current.latest }

    /// Opens (creating when allowed) and migrates the store at `location`. A file that is not an
    /// SQLite database, another application's database, or a store of a newer schema is refused
    /// untouched. Opening an up-to-date store writes nothing.
    public convenience init(_ location: StoreLocation, options: StoreOptions = StoreOptions()) throws(StoreError) {
        try self.init(location, options: options, schema: .current)
    }

    init(_ location: StoreLocation, options: StoreOptions, schema: Schema) throws(StoreError) {
        let path = location.path
        if options.readOnly {
            guard FileManager.default.fileExists(atPath: path) else { throw .notFound(path: path) }
        } else {
            try StoreFiles.prepare(location, create: options.create)
        }
        var config = Configuration()
        config.label = "GovAudit history"
        config.busyMode = .timeout(options.busyTimeout)
        config.foreignKeysEnabled = true
        config.readonly = options.readOnly
        let queue: DatabaseQueue
        let migrator = schema.migrator
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
            // Look before writing: WAL mode and migrations only when the file lacks them.
            let state = try queue.read { db in try StoreState(db, migrator: migrator) }
            if state.isForeign { throw StoreError.notAStore(path: path) }
            if state.isNewer { throw StoreError.newerSchema(path: path, known: schema.latest) }
            if options.readOnly, !state.isCurrent || !state.isWAL {
                throw StoreError.unwritable(path: path, detail: "opened read-only, but the file needs upgrading to schema v\(schema.latest) first")
            }
            if !state.isWAL {
                try queue.writeWithoutTransaction { db in
                    guard try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") == "wal" else {
                        throw StoreError.unwritable(path: path, detail: "SQLite could not switch the file to WAL mode")
                    }
                }
            }
            if !state.isCurrent { try Self.migrate(queue, migrator) }
            schemaVersion = try queue.read { db in try Schema.appliedVersion(db, migrator: migrator) }
        } catch {
            throw StoreError(error, path: path, busyTimeout: options.busyTimeout)
        }
        if !options.readOnly { try StoreFiles.tighten(path) }
        self.location = location
        self.queue = queue
        self.busyTimeout = options.busyTimeout
    }

    /// Applies the missing schema steps. Two commands opening the same new file at once (a
    /// scheduled scan and `history`, say) both find it unmigrated, and GRDB reads which steps are
    /// applied outside the write lock: the second one's first step then fails ("table … already
    /// exists") and is rolled back. So a failure is followed by a fresh look, and the steps still
    /// missing are applied, until the file is current; a step that fails on its own still fails.
    static func migrate(_ queue: DatabaseQueue, _ migrator: DatabaseMigrator, attempts: Int = 5) throws {
        for attempt in 1... {
            do {
                try migrator.migrate(queue)
                return
            } catch {
                if try queue.read({ db in try migrator.hasCompletedMigrations(db) }) { return }
                guard attempt < attempts else { throw error }
                usleep(UInt32(50_000 * attempt))
            }
        }
    }

    /// Closes the connection (SQLite then folds the WAL into the file); later calls fail. Also
    /// done when the store is released. A killed process loses nothing: the next open reads the WAL.
    public func close() throws(StoreError) {
        do { try queue.close() } catch { throw mapped(error) }
    }

    var path: String { location.path }

    func mapped(_ error: any Error) -> StoreError {
        StoreError(error, path: path, busyTimeout: busyTimeout)
    }

    /// One read transaction (a consistent snapshot while scans write).
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        let result: Result<T, StoreError> = await withCheckedContinuation { continuation in
            queue.asyncRead { access in
                continuation.resume(returning: Result { try body(access.get()) }.mapError(self.mapped))
            }
        }
        return try result.get()
    }

    /// One write transaction: all of `body` or nothing.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        let result: Result<T, StoreError> = await withCheckedContinuation { continuation in
            queue.asyncWrite(body) { _, outcome in
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
    var isWAL: Bool

    init(_ db: Database, migrator: DatabaseMigrator) throws {
        let appID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        // GRDB creates its grdb_migrations table before the first step, outside its transaction:
        // a file another command is migrating for the first time holds only that table yet.
        let tables = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name != 'grdb_migrations'") ?? 0
        isForeign = appID != Schema.applicationID && tables > 0
        isNewer = try !isForeign && migrator.hasBeenSuperseded(db)
        isCurrent = try !isForeign && migrator.hasCompletedMigrations(db)
        isWAL = try String.fetchOne(db, sql: "PRAGMA journal_mode") == "wal"
    }
}
