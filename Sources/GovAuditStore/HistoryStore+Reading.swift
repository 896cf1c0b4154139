import Foundation
import GRDB
import GovAuditCore
import GovAuditPolicy

extension HistoryStore {
    /// Scans, newest first, with what has been stored of each.
    public func scans(limit: Int? = nil) async throws(StoreError) -> [ScanListing] {
        try await read { db in
            let ids = try String.fetchAll(db, sql: "SELECT id FROM scans ORDER BY started_at DESC, id DESC LIMIT ?",
                                          arguments: [limit ?? -1])
            return try ids.map { id in
                let committed = try Int.fetchOne(db, sql: "SELECT count(*) FROM scan_systems WHERE scan_id = ?",
                                                 arguments: [id]) ?? 0
                var open: [Severity: Int] = [:]
                for row in try Row.fetchAll(db, sql: """
                    SELECT severity, count(*) AS n FROM findings WHERE scan_id = ? AND status = 'open' GROUP BY severity
                    """, arguments: [id]) {
                    let text: String = row["severity"]
                    guard let severity = Severity(rawValue: text) else {
                        throw StoreError.unreadableRecord(path: self.path, what: "findings of scan '\(id)'",
                                                          detail: "unknown severity '\(text)'")
                    }
                    open[severity] = row["n"]
                }
                return ScanListing(scan: try self.scanRecord(db, id), systemsCommitted: committed, openFindings: open)
            }
        }
    }

    /// One scan; `.unknownScan` when there is none with that id.
    public func scan(_ id: String) async throws(StoreError) -> ScanRecord {
        try await read { db in try self.scanRecord(db, id) }
    }

    /// The newest scan that is running or interrupted: what `scan --resume` picks by default.
    public func latestUnfinishedScan() async throws(StoreError) -> ScanRecord? {
        try await read { db in
            try String.fetchOne(db, sql: """
                SELECT id FROM scans WHERE status IN ('running', 'interrupted') ORDER BY started_at DESC, id DESC LIMIT 1
                """).map { try self.scanRecord(db, $0) }
        }
    }

    /// Complete scans of one series, newest first: the candidates for a diff's baseline.
    /// `before`, when given, keeps only scans started before it.
    public func completeScans(in series: ScanSeries, before: Date? = nil, limit: Int = 2) async throws(StoreError) -> [ScanRecord] {
        let cutoff = before.map(StoreCoding.text)
        return try await read { db in
            try String.fetchAll(db, sql: """
                SELECT id FROM scans
                WHERE inventory_name = ? AND kind = ? AND checks = ? AND status = 'complete'
                  AND (? IS NULL OR started_at < ?)
                ORDER BY started_at DESC, id DESC LIMIT ?
                """, arguments: [series.inventoryName, series.kind.rawValue, series.checksText, cutoff, cutoff, limit])
            .map { try self.scanRecord(db, $0) }
        }
    }

    /// How long the slowest endpoint of each system committed in `scan` took, in milliseconds;
    /// systems without a recorded duration (stored by an older build) are absent.
    public func slowestEndpoints(of scan: String) async throws(StoreError) -> [String: Int] {
        try await read { db in
            _ = try Self.status(db, scan, path: self.path)
            let rows = try Row.fetchAll(db, sql: """
                SELECT system_id, MAX(milliseconds) AS slowest FROM endpoint_durations WHERE scan_id = ? GROUP BY system_id
                """, arguments: [scan])
            return Dictionary(rows.map { ($0["system_id"] as String, $0["slowest"] as Int) }, uniquingKeysWith: max)
        }
    }

    /// The ids of the systems committed in a scan, in the order they were committed. Resume
    /// probes the planned systems not in this list.
    public func committedSystems(of scan: String) async throws(StoreError) -> [String] {
        try await read { db in
            _ = try Self.status(db, scan, path: self.path)
            return try String.fetchAll(db, sql: "SELECT system_id FROM scan_systems WHERE scan_id = ? ORDER BY rowid",
                                       arguments: [scan])
        }
    }

    /// The inventory record of one system as it was when the scan committed it; nil when the
    /// system is not committed in that scan.
    public func system(_ system: String, of scan: String) async throws(StoreError) -> StoredSystem? {
        try await read { db in
            _ = try Self.status(db, scan, path: self.path)
            guard let row = try Row.fetchOne(db, sql: """
                SELECT record, committed_at FROM scan_systems WHERE scan_id = ? AND system_id = ?
                """, arguments: [scan, system]) else { return nil }
            let what = "the record of system '\(system)' in scan '\(scan)'"
            return StoredSystem(system: try self.decoded(System.self, row["record"], what),
                                committedAt: try self.date(row["committed_at"], what))
        }
    }

    /// The evidence of one system of one scan, its facts typed through `catalog`. Kinds the
    /// catalog lacks come back whole in `unknown`. One system at a time, so reading a large
    /// scan back never holds all of it. The rows are read in the store's queue and decoded in the
    /// caller's task, so that several systems read back at once decode side by side.
    public func evidence(of scan: String, system: String, catalog: EvidenceCatalog) async throws(StoreError) -> SystemEvidence {
        let rows = try await evidenceTexts(of: scan, system: system)
        let known = Set(catalog.kinds)
        var result = SystemEvidence(system: system, evidence: [], unknown: [])
        // A system's rows name its few endpoints again and again: each is parsed once.
        var parsed: [String: Endpoint] = [:]
        for row in rows {
            let what = "evidence '\(row.kind)' of system '\(system)' in scan '\(scan)'"
            let endpoint = try row.endpoint.map { text throws(StoreError) in
                if let known = parsed[text] { return known }
                do {
                    let e = try Endpoint(parsing: text)
                    parsed[text] = e
                    return e
                } catch {
                    throw .unreadableRecord(path: self.path, what: what, detail: String(describing: error))
                }
            }
            let outcome = try self.decoded(Outcome.self, row.outcome, what)
            // A kind this build does not know, or knows in another version, is kept whole:
            // never read as something it was not.
            guard known.contains(row.kind), let version = row.version ?? catalog.version(of: row.kind),
                  version == catalog.version(of: row.kind) else {
                result.unknown.append(UnknownEvidence(kind: row.kind, version: row.version, endpoint: endpoint,
                                                      outcome: outcome, factsJSON: row.facts))
                continue
            }
            do {
                let typed = try row.facts.flatMap { try catalog.decodeFacts(kind: row.kind, json: Data($0.utf8)) }
                result.evidence.append(try Evidence(kind: row.kind, version: version, endpoint: endpoint, outcome: outcome,
                                                    decodedFacts: typed))
            } catch {
                throw StoreError.unreadableRecord(path: self.path, what: what, detail: String(describing: error))
            }
        }
        return result
    }

    /// The evidence of one system of one scan as the JSON text it is stored as, each record whole
    /// (`EvidenceJSON`): what a JSON report writes without decoding it. Only the kinds `catalog`
    /// reads in their stored version, in the order `evidence(of:system:catalog:)` gives them.
    public func evidenceJSON(of scan: String, system: String, catalog: EvidenceCatalog) async throws(StoreError) -> [EvidenceJSON] {
        let known = Set(catalog.kinds)
        var quoted: [String: [UInt8]] = [:]
        func quote(_ text: String) throws(StoreError) -> [UInt8] {
            if let q = quoted[text] { return q }
            let q = Array(try encoded(text, "the text '\(text)'").utf8)
            quoted[text] = q
            return q
        }
        var out: [EvidenceJSON] = []
        for row in try await evidenceTexts(of: scan, system: system) {
            guard known.contains(row.kind), let version = row.version ?? catalog.version(of: row.kind),
                  version == catalog.version(of: row.kind) else { continue }
            // Evidence's keys, sorted: endpoint (when there is one), facts (when there are),
            // kind, outcome, version.
            var json: [UInt8] = [UInt8(ascii: "{")]
            if let endpoint = row.endpoint { json += Array("\"endpoint\":".utf8) + (try quote(endpoint)) + [UInt8(ascii: ",")] }
            if let facts = row.facts { json += Array("\"facts\":".utf8) + Array(facts.utf8) + [UInt8(ascii: ",")] }
            json += Array("\"kind\":".utf8) + (try quote(row.kind)) + Array(",\"outcome\":".utf8) + Array(row.outcome.utf8)
            json += Array(",\"version\":\(version)}".utf8)
            out.append(EvidenceJSON(endpoint: row.endpoint, json: json))
        }
        return out
    }

    /// One system's evidence rows, read in the store's queue, in the order they were committed.
    private func evidenceTexts(of scan: String, system: String) async throws(StoreError) -> [EvidenceText] {
        try await read { db in
            _ = try Self.status(db, scan, path: self.path)
            return try Row.fetchAll(db.cachedStatement(sql: """
                SELECT kind, version, endpoint, outcome_detail, facts FROM evidence
                WHERE scan_id = ? AND system_id = ? ORDER BY id
                """), arguments: [scan, system]).map {
                EvidenceText(kind: $0["kind"], version: $0["version"], endpoint: $0["endpoint"], outcome: $0["outcome_detail"], facts: $0["facts"])
            }
        }
    }

    /// One evidence row as stored, not yet decoded.
    private struct EvidenceText: Sendable {
        var kind: String
        var version: Int?
        var endpoint: String?
        var outcome: String
        var facts: String?
    }

    /// The findings of a scan, of one system or of all, in the order they were committed.
    public func findings(of scan: String, system: String? = nil) async throws(StoreError) -> [Finding] {
        // Read in the store's queue, decoded in the caller's task (as evidence is).
        let rows = try await read { db in
            _ = try Self.status(db, scan, path: self.path)
            // Two statements, not `(? IS NULL OR system_id = ?)`: SQLite would then read the
            // whole scan's findings through the index for each system asked.
            let sql = "SELECT key, finding FROM findings WHERE scan_id = ?" + (system == nil ? "" : " AND system_id = ?") + " ORDER BY id"
            return try Row.fetchAll(db.cachedStatement(sql: sql), arguments: StatementArguments([scan] + (system.map { [$0] } ?? [])))
                .map { (key: $0["key"] as String, json: $0["finding"] as String) }
        }
        return try rows.map { r throws(StoreError) in try decoded(Finding.self, r.json, "finding \(r.key) in scan '\(scan)'") }
    }

    /// What the scan concluded for one system besides its findings; nil when it was stored
    /// without (by a build before schema 7).
    public func judgement(of scan: String, system: String) async throws(StoreError) -> SystemJudgement? {
        let text = try await read { db in
            _ = try Self.status(db, scan, path: self.path)
            return try String.fetchOne(db.cachedStatement(sql: "SELECT judgement FROM system_judgements WHERE scan_id = ? AND system_id = ?"),
                                       arguments: [scan, system])
        }
        return try text.map { t throws(StoreError) in try decoded(SystemJudgement.self, t, "the judgement of system '\(system)' in scan '\(scan)'") }
    }

    // MARK: Row decoding

    func scanRecord(_ db: Database, _ id: String) throws -> ScanRecord {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM scans WHERE id = ?", arguments: [id]) else {
            throw StoreError.unknownScan(path: path, id: id)
        }
        let what = "scan '\(id)'"
        let kindText: String = row["kind"]
        guard let kind = ScanKind(rawValue: kindText) else {
            throw StoreError.unreadableRecord(path: path, what: what, detail: "unknown kind '\(kindText)'")
        }
        let checks: String = row["checks"]
        let series = ScanSeries(kind: kind, inventoryName: row["inventory_name"],
                                checks: checks.split(separator: ",").map(String.init))
        let endedAt = try (row["ended_at"] as String?).map { try date($0, what) }
        let summary = try (row["summary"] as String?).map { try decoded(Summary.self, $0, "the summary of \(what)") }
        return ScanRecord(id: id, series: series,
                          inventory: try decoded(Inventory.self, row["inventory"], "the inventory of \(what)"),
                          inventoryHash: row["inventory_hash"], policyHash: row["policy_hash"],
                          scope: try decoded(ScanScope.self, row["scope"], "the scope of \(what)"),
                          provenance: try decoded(ScanProvenance.self, row["provenance"], "the provenance of \(what)"),
                          status: try Self.status(db, id, path: path), resumes: row["resumes"],
                          startedAt: try date(row["started_at"], what), endedAt: endedAt, summary: summary)
    }

    func decodedColumn<T: Decodable>(_ db: Database, _ type: T.Type, _ column: String, of scan: String) throws -> T {
        let json = try String.fetchOne(db, sql: "SELECT \(column) FROM scans WHERE id = ?", arguments: [scan]) ?? ""
        return try decoded(type, json, "the \(column) of scan '\(scan)'")
    }

    func decoded<T: Decodable>(_ type: T.Type, _ json: String, _ what: String) throws(StoreError) -> T {
        do { return try StoreCoding.decode(type, json) } catch {
            throw .unreadableRecord(path: path, what: what, detail: String(describing: error))
        }
    }

    func date(_ text: String, _ what: String) throws(StoreError) -> Date {
        do { return try StoreCoding.date(text) } catch {
            throw .unreadableRecord(path: path, what: what, detail: "not a timestamp: '\(text)'")
        }
    }
}
