import Foundation
import GRDB
import GovAuditCore
import GovAuditPolicy

extension HistoryStore {
    /// Records a new running scan and returns its id (see `ScanID`). The stored provenance
    /// carries that id.
    public func beginScan(_ new: NewScan) async throws(StoreError) -> String {
        let scope = try encoded(new.scope, "the scope of the scan")
        var header = new.inventory
        header.systems = []
        let inventory = try encoded(header, "the inventory of the scan")
        let series = new.series
        let started = StoreCoding.text(new.provenance.startedAt)
        return try await write { db in
            var id = ScanID.make(startedAt: new.provenance.startedAt)
            while try Self.exists(db, "SELECT 1 FROM scans WHERE id = ?", [id]) {
                id = ScanID.make(startedAt: new.provenance.startedAt)
            }
            var provenance = new.provenance
            provenance.id = id
            try db.execute(sql: """
                INSERT INTO scans (id, kind, inventory_name, inventory, inventory_hash, policy_hash, checks, scope,
                                   provenance, status, started_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'running', ?)
                """, arguments: [id, series.kind.rawValue, series.inventoryName, inventory, new.inventoryHash,
                                 provenance.policyHash, series.checksText, scope,
                                 try self.encoded(provenance, "the provenance of the scan"), started])
            return id
        }
    }

    /// Stores one finished system of a running scan — its inventory record as it is today, its
    /// evidence and its findings — in one transaction, and records the first sighting of each
    /// finding key. Either all of it is stored or none; a system is committed once per scan.
    /// `captures`: the raw responses its findings cite (`EvidenceBundles`), in the same transaction.
    /// `judgement`: what the scan concluded besides the findings, read back by its report.
    public func commitSystem(scan id: String, system: System, evidence: [Evidence], findings: [Finding],
                             judgement: SystemJudgement? = nil, captures: [FindingCapture] = [],
                             durations: [EndpointDuration] = [], at date: Date) async throws(StoreError) {
        if let stray = findings.first(where: { $0.system != system.id }) {
            throw .findingOfAnotherSystem(path: path, system: system.id, finding: stray.key)
        }
        // Encode before taking the write lock, so other writers wait only for the inserts.
        let record = try encoded(system, "the record of system '\(system.id)'")
        let evidenceRows = try evidence.map { e throws(StoreError) in try EvidenceRow(e, store: self) }
        let findingRows = try findings.map { f throws(StoreError) in
            FindingRow(f, json: try encoded(f, "finding \(f.key) of system '\(system.id)'"))
        }
        let judgementJSON = try judgement.map { j throws(StoreError) in try encoded(j, "the judgement of system '\(system.id)'") }
        let captureRows = try captures.map { c throws(StoreError) in (c, try encoded(c.capture.headers, "the headers of a capture of \(c.capture.url)")) }
        let when = StoreCoding.text(date)
        try await write { db in
            try Self.requireRunning(db, id, path: self.path)
            if try Self.exists(db, "SELECT 1 FROM scan_systems WHERE scan_id = ? AND system_id = ?", [id, system.id]) {
                throw StoreError.systemAlreadyCommitted(path: self.path, scan: id, system: system.id)
            }
            try db.cachedStatement(sql: "INSERT INTO scan_systems (scan_id, system_id, record, committed_at) VALUES (?, ?, ?, ?)")
                .execute(arguments: [id, system.id, record, when])
            let insertEvidence = try db.cachedStatement(sql: """
                INSERT INTO evidence (scan_id, system_id, endpoint, kind, version, outcome, outcome_detail, facts)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for r in evidenceRows {
                try insertEvidence.execute(arguments: [id, system.id, r.endpoint, r.kind, r.version, r.outcome,
                                                       r.outcomeDetail, r.facts])
            }
            let insertFinding = try db.cachedStatement(sql: """
                INSERT INTO findings (scan_id, system_id, key, rule, severity, status, endpoint, finding)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let firstSeen = try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO finding_keys (key, rule, system_id, first_scan_id, first_seen_at)
                VALUES (?, ?, ?, ?, ?)
                """)
            for f in findingRows {
                try insertFinding.execute(arguments: [id, system.id, f.key, f.rule, f.severity, f.status, f.endpoint, f.json])
                try firstSeen.execute(arguments: [f.key, f.rule, system.id, id, when])
            }
            if let judgementJSON {
                try db.cachedStatement(sql: "INSERT INTO system_judgements (scan_id, system_id, judgement) VALUES (?, ?, ?)")
                    .execute(arguments: [id, system.id, judgementJSON])
            }
            try Self.insertCaptures(db, captureRows, scan: id, system: system.id)
            // Prepared only when there are durations: a schema under test may stop before them.
            if !durations.isEmpty {
                let insertDuration = try db.cachedStatement(sql: """
                    INSERT OR REPLACE INTO endpoint_durations (scan_id, system_id, endpoint, milliseconds) VALUES (?, ?, ?, ?)
                    """)
                for d in durations {
                    try insertDuration.execute(arguments: [id, system.id, d.endpoint, max(0, d.milliseconds)])
                }
            }
        }
    }

    /// Marks a running scan complete with its summary. Every planned system must be committed:
    /// a complete scan is what diffs and figures compare.
    public func finishScan(_ id: String, summary: Summary, at date: Date) async throws(StoreError) {
        let summaryJSON = try encoded(summary, "the summary of scan '\(id)'")
        try await write { db in
            try Self.requireRunning(db, id, path: self.path)
            let planned = try self.decodedColumn(db, ScanScope.self, "scope", of: id).systems
            let committed = Set(try String.fetchAll(db, sql: "SELECT system_id FROM scan_systems WHERE scan_id = ?",
                                                    arguments: [id]))
            let missing = planned.filter { !committed.contains($0) }
            guard missing.isEmpty else {
                throw StoreError.systemsMissing(path: self.path, scan: id, systems: missing)
            }
            var provenance = try self.decodedColumn(db, ScanProvenance.self, "provenance", of: id)
            provenance.finishedAt = date
            try db.execute(sql: """
                UPDATE scans SET status = 'complete', ended_at = ?, summary = ?, provenance = ? WHERE id = ?
                """, arguments: [StoreCoding.text(date), summaryJSON,
                                 try self.encoded(provenance, "the provenance of the scan"), id])
        }
    }

    /// Marks a running scan interrupted (Ctrl-C, SIGTERM). What was committed stays; marking an
    /// already interrupted scan again does nothing.
    public func markInterrupted(_ id: String, at date: Date) async throws(StoreError) {
        try await write { db in
            if try Self.status(db, id, path: self.path) == .interrupted { return }
            try Self.requireRunning(db, id, path: self.path)
            try db.execute(sql: "UPDATE scans SET status = 'interrupted', ended_at = ? WHERE id = ?",
                           arguments: [StoreCoding.text(date), id])
        }
    }

    /// Makes an unfinished scan (interrupted, or left running by a killed process) running again
    /// and returns it; the caller then probes only the systems not yet committed.
    public func resumeScan(_ id: String) async throws(StoreError) -> ScanRecord {
        try await write { db in
            let status = try Self.status(db, id, path: self.path)
            guard status != .complete else {
                throw StoreError.scanNotRunning(path: self.path, id: id, status: status)
            }
            try db.execute(sql: "UPDATE scans SET status = 'running', ended_at = NULL, resumes = resumes + 1 WHERE id = ?",
                           arguments: [id])
            return try self.scanRecord(db, id)
        }
    }

    // MARK: Helpers shared by the operations

    func encoded(_ value: some Encodable, _ what: String) throws(StoreError) -> String {
        do { return try StoreCoding.encode(value) } catch {
            throw .unencodable(path: path, what: what, detail: String(describing: error))
        }
    }

    static func exists(_ db: Database, _ sql: String, _ arguments: StatementArguments) throws -> Bool {
        try Row.fetchOne(db.cachedStatement(sql: sql), arguments: arguments) != nil
    }

    static func status(_ db: Database, _ id: String, path: String) throws -> ScanStatus {
        // Cached: asked once per system read and written.
        guard let text = try String.fetchOne(db.cachedStatement(sql: "SELECT status FROM scans WHERE id = ?"), arguments: [id]) else {
            throw StoreError.unknownScan(path: path, id: id)
        }
        guard let status = ScanStatus(rawValue: text) else {
            throw StoreError.unreadableRecord(path: path, what: "the status of scan '\(id)'", detail: "'\(text)'")
        }
        return status
    }

    static func requireRunning(_ db: Database, _ id: String, path: String) throws {
        let status = try status(db, id, path: path)
        guard status == .running else { throw StoreError.scanNotRunning(path: path, id: id, status: status) }
    }
}

/// One evidence record as its columns, with the version of its kind's facts.
struct EvidenceRow: Sendable {
    var endpoint: String?
    var kind: String
    var version: Int?
    var outcome: String
    var outcomeDetail: String
    var facts: String?

    init(_ e: Evidence, store: HistoryStore) throws(StoreError) {
        endpoint = e.endpoint?.description
        kind = e.kind
        outcome = e.outcome.statusName
        outcomeDetail = try store.encoded(e.outcome, "the outcome of evidence '\(e.kind)'")
        version = e.version
        if let facts = e.facts {
            self.facts = try store.encoded(facts, "the facts of evidence '\(e.kind)'")
        }
    }
}

struct FindingRow: Sendable {
    var key: String
    var rule: String
    var severity: String
    var status: String
    var endpoint: String?
    var json: String

    init(_ f: Finding, json: String) {
        key = f.key
        rule = f.rule
        severity = f.severity.rawValue
        status = f.status.rawValue
        endpoint = f.endpoint
        self.json = json
    }
}
