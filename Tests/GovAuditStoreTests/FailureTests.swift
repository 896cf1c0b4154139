import Foundation
import GRDB
import Testing
import GovAuditCore
@testable import GovAuditStore

/// Bad files, locks and unwritable folders, each on a real SQLite file: a typed error naming
/// the path, and the data that was there still there.
@Suite("History store: damaged, foreign, locked and unwritable databases")
struct FailureTests {
    let systems = ["cong-tinh", "dich-vu-cong"].map { Factory.system($0) }
    let start = instant("2026-12-01T09:30:00Z")

    /// Another program's connection, which may keep a transaction open between calls.
    static var rawConnection: Configuration {
        var c = Configuration()
        c.allowsUnsafeTransactions = true
        return c
    }

    private func storeWithOneScan(_ path: String) async throws -> String {
        let store = try HistoryStore(StoreLocation(path: path))
        let id = try await Factory.completeScan(store, systems, at: start)
        try store.close()
        return id
    }

    @Test("a file of garbage is reported as damaged and left byte for byte as it was")
    func garbage() throws {
        let tmp = try TempFolder()
        let path = tmp.file("history.sqlite")
        var generator = SplitMix(seed: 13)
        let bytes = Data((0..<16_384).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        try bytes.write(to: URL(fileURLWithPath: path))

        #expect(throws: StoreError.corrupted(path: path, detail: "file is not a database")) {
            _ = try HistoryStore(StoreLocation(path: path))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
        #expect(StoreError.corrupted(path: path, detail: "x").description.hasPrefix(path + ": "))
    }

    @Test("a store whose pages are damaged is reported as damaged and not rewritten")
    func damagedPages() async throws {
        let tmp = try TempFolder()
        let path = tmp.file("history.sqlite")
        _ = try await storeWithOneScan(path)
        // The 100-byte header stays; the schema page and all after it become noise.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        for i in 100 ..< bytes.count { bytes[i] = UInt8(truncatingIfNeeded: i &* 31) }
        try bytes.write(to: URL(fileURLWithPath: path))

        #expect {
            _ = try HistoryStore(StoreLocation(path: path))
        } throws: { error in
            guard case .corrupted(let p, _) = error as? StoreError else { return false }
            return p == path
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
    }

    @Test("another application's SQLite database is refused, and gets no tables of ours")
    func foreign() throws {
        let tmp = try TempFolder()
        let path = tmp.file("contacts.sqlite")
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('Nguyễn Văn An')")
        }
        #expect(throws: StoreError.notAStore(path: path)) {
            _ = try HistoryStore(StoreLocation(path: path))
        }
        let tables = try DatabaseQueue(path: path).read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        #expect(tables == ["contacts"])
    }

    @Test("a missing file is an error, not an empty history, when creating is not allowed")
    func missing() throws {
        let tmp = try TempFolder()
        let path = tmp.file("typo/history.sqlite")
        #expect(throws: StoreError.notFound(path: path)) {
            _ = try HistoryStore(StoreLocation(path: path), options: StoreOptions(create: false))
        }
        #expect(!FileManager.default.fileExists(atPath: tmp.file("typo")))
    }

    @Test("a write while another process holds the write lock waits, then fails as busy; nothing is lost")
    func writeLocked() async throws {
        let tmp = try TempFolder()
        let path = tmp.file("history.sqlite")
        let first = try await storeWithOneScan(path)
        // Given: another connection inside an exclusive transaction.
        let other = try DatabaseQueue(path: path, configuration: Self.rawConnection)
        try await other.writeWithoutTransaction { db in try db.execute(sql: "BEGIN EXCLUSIVE") }

        // Reading still works (WAL); writing waits the busy timeout, then fails.
        let store = try HistoryStore(StoreLocation(path: path), options: StoreOptions(busyTimeout: 0.2))
        #expect(try await store.scans().map(\.scan.id) == [first])
        await #expect(throws: StoreError.busy(path: path, seconds: 0.2)) {
            _ = try await store.beginScan(Factory.newScan(systems, at: start))
        }
        #expect(StoreError.busy(path: path, seconds: 0.2).description.contains("locked by another process"))

        // When the lock goes, the same store writes, and the first scan is intact.
        try await other.writeWithoutTransaction { db in try db.execute(sql: "COMMIT") }
        try await Factory.completeScan(store, systems, at: start.addingTimeInterval(60))
        #expect(try await store.scans().count == 2)
        #expect(try await store.findings(of: first).count == 2)
    }

    @Test("opening while another process locks the whole file fails as busy; opens intact afterwards")
    func fileLocked() async throws {
        let tmp = try TempFolder()
        let path = tmp.file("history.sqlite")
        let first = try await storeWithOneScan(path)
        let other = try DatabaseQueue(path: path, configuration: Self.rawConnection)
        try await other.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT")
        }
        #expect(throws: StoreError.busy(path: path, seconds: 0.2)) {
            _ = try HistoryStore(StoreLocation(path: path), options: StoreOptions(busyTimeout: 0.2))
        }
        try other.close()
        let store = try HistoryStore(StoreLocation(path: path))
        #expect(try await store.scans().map(\.scan.id) == [first])
    }

    @Test("a folder path that is a file is a clear error")
    func folderIsAFile() throws {
        let tmp = try TempFolder()
        try Data("x".utf8).write(to: tmp.url.appendingPathComponent("data"))
        let path = tmp.file("data/history.sqlite")
        #expect {
            _ = try HistoryStore(StoreLocation(path: path))
        } throws: { error in
            guard case .unwritable(let p, let detail) = error as? StoreError else { return false }
            return p == path && detail.contains("not a folder")
        }
    }

    @Test("a new store in a folder that refuses new files is reported as unwritable",
          .enabled(if: Unwritable.available, "needs chattr +i (as root) or a non-root user"))
    func unwritableNew() throws {
        let tmp = try TempFolder()
        let undo = try Unwritable.make(tmp.path)
        defer { undo() }
        let path = tmp.file("history.sqlite")
        #expect {
            _ = try HistoryStore(StoreLocation(path: path))
        } throws: { error in
            guard case .unwritable(let p, _) = error as? StoreError else { return false }
            return p == path && (error as! StoreError).description.hasPrefix(path + ": cannot write")
        }
    }

    @Test("a store that became read-only still shows its history; a new scan is refused as unwritable",
          .enabled(if: Unwritable.available, "needs chattr +i (as root) or a non-root user"))
    func readOnlyFile() async throws {
        let tmp = try TempFolder()
        let path = tmp.file("history.sqlite")
        let first = try await storeWithOneScan(path)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        do {
            let undo = try Unwritable.make(path, file: true)
            defer { undo() }
            let store = try HistoryStore(StoreLocation(path: path))
            #expect(try await store.scans().map(\.scan.id) == [first])
            let reader = try HistoryStore(StoreLocation(path: path), options: StoreOptions(readOnly: true))
            #expect(try await reader.findings(of: first).count == 2)
            await #expect {
                _ = try await store.beginScan(Factory.newScan(systems, at: start))
            } throws: { error in
                guard case .unwritable(let p, _) = error as? StoreError else { return false }
                return p == path
            }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
        #expect(try await HistoryStore(StoreLocation(path: path)).scans().map(\.scan.id) == [first])
    }
}

/// Makes a folder refuse new files, or a file refuse writes, for real: a read-only mode for a
/// normal user, the immutable attribute for root (whom modes do not stop).
enum Unwritable {
    struct Failed: Error {}

    static func make(_ path: String, file: Bool = false) throws -> () -> Void {
        if getuid() != 0 {
            guard chmod(path, file ? 0o400 : 0o500) == 0 else { throw Failed() }
            return { _ = chmod(path, file ? 0o600 : 0o700) }
        }
        guard chattr("+i", path) else { throw Failed() }
        return { _ = chattr("-i", path) }
    }

    static let available: Bool = {
        guard let tmp = try? TempFolder(), let undo = try? make(tmp.path) else { return false }
        defer { undo() }
        return !FileManager.default.createFile(atPath: tmp.file("probe"), contents: Data())
    }()

    private static func chattr(_ flag: String, _ path: String) -> Bool {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/chattr")
        p.arguments = [flag, path]
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }
}

/// A small seeded generator, so the garbage is the same in every run.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
