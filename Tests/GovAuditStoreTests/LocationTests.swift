import Foundation
import Testing
@testable import GovAuditStore

@Suite("History store: where it lives and who may read it")
struct LocationTests {
    @Test("the default path: $GOVAUDIT_DB, else $XDG_DATA_HOME/govaudit, else ~/.local/share/govaudit")
    func defaultPath() throws {
        let home = "/home/minh"
        #expect(try StoreLocation.resolve(environment: ["GOVAUDIT_DB": "/srv/ir/history.sqlite", "XDG_DATA_HOME": "/x"],
                                          home: home) == StoreLocation(path: "/srv/ir/history.sqlite", ownsFolder: false))
        #expect(try StoreLocation.resolve(environment: ["XDG_DATA_HOME": "/data/minh/"], home: home)
            == StoreLocation(path: "/data/minh/govaudit/history.sqlite", ownsFolder: true))
        #expect(try StoreLocation.resolve(environment: [:], home: home)
            == StoreLocation(path: "/home/minh/.local/share/govaudit/history.sqlite", ownsFolder: true))
        // Empty values count as unset; a relative XDG_DATA_HOME is ignored, as the spec says.
        #expect(try StoreLocation.resolve(environment: ["GOVAUDIT_DB": "", "XDG_DATA_HOME": "share"], home: home).path
            == "/home/minh/.local/share/govaudit/history.sqlite")
        #expect(throws: StoreError.self) { _ = try StoreLocation.resolve(environment: [:], home: nil) }
        #expect(try StoreLocation.resolve(environment: ["GOVAUDIT_DB": "h.sqlite"], home: nil).folder == ".")
    }

    @Test("a new store is private: folder 0700, database and its WAL files 0600")
    func newModes() async throws {
        let tmp = try TempFolder()
        let location = try StoreLocation.resolve(environment: ["XDG_DATA_HOME": tmp.file("data")], home: nil)
        let store = try HistoryStore(location)
        try await Factory.completeScan(store, [Factory.system("cong-tinh")], at: instant("2026-12-01T09:30:00Z"))
        #expect(mode(location.folder) == 0o700)
        #expect(mode(location.path) == 0o600)
        #expect(mode(location.path + "-wal") == 0o600)
        #expect(mode(location.path + "-shm") == 0o600)
    }

    @Test("loose modes are tightened on open; a folder the user chose is left as it is")
    func tightened() throws {
        let tmp = try TempFolder()
        let owned = try StoreLocation.resolve(environment: ["XDG_DATA_HOME": tmp.path], home: nil)
        try HistoryStore(owned).close()
        chmod(owned.folder, 0o755)
        chmod(owned.path, 0o644)
        _ = try HistoryStore(owned)
        #expect(mode(owned.folder) == 0o700 && mode(owned.path) == 0o600)

        let shared = tmp.file("shared")
        try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o755])
        let chosen = StoreLocation(path: shared + "/ir.sqlite")
        try HistoryStore(chosen).close()
        chmod(chosen.path, 0o664)
        _ = try HistoryStore(chosen)
        #expect(mode(shared) == 0o755 && mode(chosen.path) == 0o600)
    }
}
