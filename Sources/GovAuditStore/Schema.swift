import GRDB

/// The store's schema as an ordered list of migrations `v1`, `v2`, …, applied by GRDB's
/// migrator, which records them in its `grdb_migrations` table. `PRAGMA user_version` mirrors
/// the latest, for people who look at the file with `sqlite3`.
struct Schema: Sendable {
    struct Step: Sendable {
        let version: Int
        let migrate: @Sendable (Database) throws -> Void
    }

    private(set) var steps: [Step]

    /// Identifies the file as a GovAudit history store (`PRAGMA application_id`, "GvAd").
    static let applicationID: Int32 = 0x4776_4164

    static let current = Schema(steps: [Step(version: 1, migrate: v1), Step(version: 2, migrate: v2), Step(version: 3, migrate: v3),
                                        Step(version: 4, migrate: v4), Step(version: 5, migrate: v5), Step(version: 6, migrate: v6),
                                        Step(version: 7, migrate: v7)])

    var latest: Int { steps.last?.version ?? 0 }

    /// This schema with one more step; tests use it to stand for the next build.
    func adding(version: Int, _ migrate: @escaping @Sendable (Database) throws -> Void) -> Schema {
        precondition(version == latest + 1, "schema versions follow each other")
        var s = self
        s.steps.append(Step(version: version, migrate: migrate))
        return s
    }

    var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        for step in steps {
            m.registerMigration("v\(step.version)") { db in
                try step.migrate(db)
                try db.execute(sql: "PRAGMA user_version = \(step.version)")
            }
        }
        return m
    }

    /// The highest version applied to `db`; 0 for a new file.
    static func appliedVersion(_ db: Database, migrator: DatabaseMigrator) throws -> Int {
        try migrator.appliedIdentifiers(db).compactMap { Int($0.dropFirst()) }.max() ?? 0
    }

    // Version 1. Columns that queries filter on are columns; the rest of each value is JSON.
    // Dates are UTC text with milliseconds (StoreCoding), so they sort as text.
    private static func v1(_ db: Database) throws {
        try db.execute(sql: """
            PRAGMA application_id = \(applicationID);

            CREATE TABLE scans (
              id TEXT PRIMARY KEY NOT NULL,
              kind TEXT NOT NULL CHECK (kind IN ('scan', 'audit')),
              inventory_name TEXT NOT NULL,
              inventory TEXT NOT NULL,
              inventory_hash TEXT NOT NULL,
              policy_hash TEXT NOT NULL,
              checks TEXT NOT NULL,
              scope TEXT NOT NULL,
              provenance TEXT NOT NULL,
              status TEXT NOT NULL CHECK (status IN ('running', 'interrupted', 'complete')),
              resumes INTEGER NOT NULL DEFAULT 0,
              started_at TEXT NOT NULL,
              ended_at TEXT,
              summary TEXT
            );
            CREATE INDEX scans_series ON scans (inventory_name, kind, checks, status, started_at);
            CREATE INDEX scans_started ON scans (started_at);

            -- A row means the system is complete in that scan (resume relies on it).
            CREATE TABLE scan_systems (
              scan_id TEXT NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
              system_id TEXT NOT NULL,
              record TEXT NOT NULL,
              committed_at TEXT NOT NULL,
              PRIMARY KEY (scan_id, system_id)
            );

            CREATE TABLE evidence (
              id INTEGER PRIMARY KEY,
              scan_id TEXT NOT NULL,
              system_id TEXT NOT NULL,
              endpoint TEXT,
              kind TEXT NOT NULL,
              version INTEGER,
              outcome TEXT NOT NULL,
              outcome_detail TEXT NOT NULL,
              facts TEXT,
              FOREIGN KEY (scan_id, system_id) REFERENCES scan_systems (scan_id, system_id) ON DELETE CASCADE
            );
            CREATE INDEX evidence_system ON evidence (scan_id, system_id);

            CREATE TABLE findings (
              id INTEGER PRIMARY KEY,
              scan_id TEXT NOT NULL,
              system_id TEXT NOT NULL,
              key TEXT NOT NULL,
              rule TEXT NOT NULL,
              severity TEXT NOT NULL,
              status TEXT NOT NULL CHECK (status IN ('open', 'waived')),
              endpoint TEXT,
              finding TEXT NOT NULL,
              FOREIGN KEY (scan_id, system_id) REFERENCES scan_systems (scan_id, system_id) ON DELETE CASCADE
            );
            CREATE INDEX findings_system ON findings (scan_id, system_id);
            CREATE INDEX findings_key ON findings (key);

            -- No foreign key to scans: "open since" outlives the pruning of the first scan.
            CREATE TABLE finding_keys (
              key TEXT PRIMARY KEY NOT NULL,
              rule TEXT NOT NULL,
              system_id TEXT NOT NULL,
              first_scan_id TEXT NOT NULL,
              first_seen_at TEXT NOT NULL
            );

            -- Every verdict is kept; the latest per key is the one in force.
            CREATE TABLE triage (
              id INTEGER PRIMARY KEY,
              key TEXT NOT NULL REFERENCES finding_keys (key),
              verdict TEXT NOT NULL CHECK (verdict IN ('false-positive', 'confirmed')),
              reason TEXT NOT NULL,
              decided_by TEXT NOT NULL,
              decided_at TEXT NOT NULL
            );
            CREATE INDEX triage_key ON triage (key, id);
            """)
    }

    // Version 2: alert state. No foreign keys to scans: what was alerted outlives pruning.
    private static func v2(_ db: Database) throws {
        try db.execute(sql: """
            -- Finding keys already alerted, per series, at the highest severity alerted, with the
            -- values of the rule's identifying facts then. A key leaves when a complete scan of
            -- its series no longer has it open.
            CREATE TABLE alert_keys (
              series TEXT NOT NULL,
              key TEXT NOT NULL,
              severity TEXT NOT NULL,
              facts TEXT NOT NULL,
              scan_id TEXT NOT NULL,
              alerted_at TEXT NOT NULL,
              PRIMARY KEY (series, key)
            );

            -- Scans whose alert step ran (once per scan, even when nothing was sent).
            CREATE TABLE alert_scans (
              scan_id TEXT PRIMARY KEY NOT NULL,
              series TEXT NOT NULL,
              baseline_scan_id TEXT,
              changes INTEGER NOT NULL,
              digest INTEGER NOT NULL DEFAULT 0 CHECK (digest IN (0, 1)),
              processed_at TEXT NOT NULL
            );

            -- One message per scan and channel; its id is the idempotency id. A pending one is
            -- retried by the next alert step. The payload holds no secret.
            CREATE TABLE alert_deliveries (
              id TEXT PRIMARY KEY NOT NULL,
              scan_id TEXT NOT NULL,
              channel TEXT NOT NULL,
              payload TEXT NOT NULL,
              status TEXT NOT NULL CHECK (status IN ('pending', 'delivered')),
              attempts INTEGER NOT NULL DEFAULT 0,
              last_error TEXT,
              created_at TEXT NOT NULL,
              updated_at TEXT NOT NULL
            );
            CREATE INDEX alert_deliveries_pending ON alert_deliveries (status, created_at);
            """)
    }

    // Version 3: a delivery its destination refused for good is `failed`, never retried. SQLite
    // cannot change a CHECK constraint in place: the table is copied into a new one.
    private static func v3(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE alert_deliveries_v3 (
              id TEXT PRIMARY KEY NOT NULL,
              scan_id TEXT NOT NULL,
              channel TEXT NOT NULL,
              payload TEXT NOT NULL,
              status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
              attempts INTEGER NOT NULL DEFAULT 0,
              last_error TEXT,
              created_at TEXT NOT NULL,
              updated_at TEXT NOT NULL
            );
            INSERT INTO alert_deliveries_v3 (rowid, id, scan_id, channel, payload, status, attempts, last_error, created_at, updated_at)
              SELECT rowid, id, scan_id, channel, payload, status, attempts, last_error, created_at, updated_at FROM alert_deliveries;
            DROP TABLE alert_deliveries;
            ALTER TABLE alert_deliveries_v3 RENAME TO alert_deliveries;
            CREATE INDEX alert_deliveries_pending ON alert_deliveries (status, created_at);
            CREATE INDEX alert_deliveries_scan ON alert_deliveries (scan_id);
            """)
    }

    // Version 4: accepted baselines (drift). Only adds a table: the scans, evidence, findings and
    // alert state of a v3 file stay as they were. No foreign key to scans: an accepted state
    // outlives the pruning of the scan it was taken from.
    private static func v4(_ db: Database) throws {
        try db.execute(sql: """
            -- Every acceptance is kept; the latest per system is the one in force. snapshots: JSON,
            -- the accepted state per endpoint (SiteSnapshot).
            CREATE TABLE baselines (
              id INTEGER PRIMARY KEY,
              system_id TEXT NOT NULL,
              scan_id TEXT NOT NULL,
              snapshots TEXT NOT NULL,
              accepted_by TEXT NOT NULL,
              reason TEXT NOT NULL,
              accepted_at TEXT NOT NULL
            );
            CREATE INDEX baselines_system ON baselines (system_id, id);
            """)
    }

    // Version 5: the raw responses findings cite (evidence bundles). Only adds tables. A capture
    // goes with its scan's system when the scan is pruned.
    private static func v5(_ db: Database) throws {
        try db.execute(sql: """
            -- headers: JSON [{name, value}]; body: the first bytes as received (untrusted, never
            -- interpreted); size: the body's size as received; sha256: of body as stored.
            CREATE TABLE captures (
              id INTEGER PRIMARY KEY,
              scan_id TEXT NOT NULL,
              system_id TEXT NOT NULL,
              endpoint TEXT NOT NULL,
              page TEXT NOT NULL,
              visitor TEXT NOT NULL,
              url TEXT NOT NULL,
              fetched_at TEXT NOT NULL,
              status INTEGER NOT NULL,
              headers TEXT NOT NULL,
              body BLOB NOT NULL,
              size INTEGER NOT NULL,
              truncated INTEGER NOT NULL CHECK (truncated IN (0, 1)),
              sha256 TEXT NOT NULL,
              FOREIGN KEY (scan_id, system_id) REFERENCES scan_systems (scan_id, system_id) ON DELETE CASCADE
            );
            CREATE INDEX captures_system ON captures (scan_id, system_id);

            CREATE TABLE finding_captures (
              capture_id INTEGER NOT NULL REFERENCES captures (id) ON DELETE CASCADE,
              scan_id TEXT NOT NULL,
              key TEXT NOT NULL,
              PRIMARY KEY (key, scan_id, capture_id)
            );
            CREATE INDEX finding_captures_capture ON finding_captures (capture_id);
            """)
    }

    // Version 6: how long each endpoint's probes took, so the next scan of the series starts the
    // slow endpoints first and a hostile host's timeouts overlap the rest instead of trailing
    // them. Only adds a table; a file without it orders as before.
    private static func v6(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE endpoint_durations (
              scan_id TEXT NOT NULL,
              system_id TEXT NOT NULL,
              endpoint TEXT NOT NULL,
              milliseconds INTEGER NOT NULL CHECK (milliseconds >= 0),
              PRIMARY KEY (scan_id, system_id, endpoint),
              FOREIGN KEY (scan_id, system_id) REFERENCES scan_systems (scan_id, system_id) ON DELETE CASCADE
            );
            """)
    }

    // Version 7: what judging each system concluded besides its findings (the rules' results,
    // the layers, the measurements), so the scan's own report reads it instead of judging the
    // evidence again. Only adds a table; a system without a row is judged from its evidence.
    private static func v7(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE system_judgements (
              scan_id TEXT NOT NULL,
              system_id TEXT NOT NULL,
              judgement TEXT NOT NULL,
              PRIMARY KEY (scan_id, system_id),
              FOREIGN KEY (scan_id, system_id) REFERENCES scan_systems (scan_id, system_id) ON DELETE CASCADE
            );
            """)
    }
}
