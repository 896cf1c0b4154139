import Foundation
import GRDB

/// Why the history store could not do what was asked. Every case names the database file, so a
/// message can tell the user which file to look at; none of them is raised after deleting or
/// overwriting data (the store refuses first).
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file is not an SQLite database, or its pages are damaged.
    case corrupted(path: String, detail: String)
    /// Another process holds a lock on the database for longer than the busy timeout.
    case busy(path: String, seconds: Double)
    /// The file or its folder cannot be written (permissions, read-only or immutable file system).
    case unwritable(path: String, detail: String)
    /// No database at the path, and the caller asked not to create one.
    case notFound(path: String)
    /// An SQLite database that is not a GovAudit history store: the store does not add its
    /// tables to someone else's file.
    case notAStore(path: String)
    /// The file was written by a newer GovAudit whose schema this build does not know.
    case newerSchema(path: String, known: Int)
    /// No default location: neither `$GOVAUDIT_DB`, `$XDG_DATA_HOME` nor a home folder is set.
    case noDefaultLocation(String)
    case unknownScan(path: String, id: String)
    /// A write to a scan that is not running (complete, or interrupted and not resumed).
    case scanNotRunning(path: String, id: String, status: ScanStatus)
    /// A system can be committed once per scan; resume skips committed systems.
    case systemAlreadyCommitted(path: String, scan: String, system: String)
    /// `finishScan` before every planned system was committed.
    case systemsMissing(path: String, scan: String, systems: [String])
    /// A commit whose findings name another system than the one committed.
    case findingOfAnotherSystem(path: String, system: String, finding: String)
    /// Triage of a key no stored scan ever reported.
    case unknownFindingKey(path: String, key: String)
    /// A value could not be written as JSON (e.g. a non-finite number in evidence facts).
    case unencodable(path: String, what: String, detail: String)
    /// A stored row does not read back: its JSON does not match this build's types.
    case unreadableRecord(path: String, what: String, detail: String)
    /// Any other SQLite error, with SQLite's code and message.
    case database(path: String, code: Int32, message: String)

    public var description: String {
        switch self {
        case .corrupted(let p, let d):
            "\(p): the history database is damaged or not an SQLite file (\(d)); it was left untouched"
        case .busy(let p, let s):
            "\(p): the history database is locked by another process (waited \(s.formatted()) s); try again when it finishes"
        case .unwritable(let p, let d): "\(p): cannot write the history database (\(d))"
        case .notFound(let p): "\(p): no history database at this path"
        case .notAStore(let p): "\(p): an SQLite database that is not a GovAudit history store; it was left untouched"
        case .newerSchema(let p, let k):
            "\(p): written by a newer GovAudit (schema newer than v\(k)); use that version, or another --db"
        case .noDefaultLocation(let why): "no default history database: \(why); pass --db FILE or set GOVAUDIT_DB"
        case .unknownScan(let p, let id): "\(p): no scan with id '\(id)'"
        case .scanNotRunning(let p, let id, let s): "\(p): scan '\(id)' is \(s.rawValue), not running"
        case .systemAlreadyCommitted(let p, let scan, let sys):
            "\(p): system '\(sys)' is already committed in scan '\(scan)'"
        case .systemsMissing(let p, let scan, let systems):
            "\(p): scan '\(scan)' cannot be complete: \(systems.count) planned systems are not committed (\(systems.prefix(5).joined(separator: ", "))\(systems.count > 5 ? ", …" : ""))"
        case .findingOfAnotherSystem(let p, let sys, let key):
            "\(p): finding \(key) names another system than '\(sys)', the system committed"
        case .unknownFindingKey(let p, let key): "\(p): no stored finding has the key '\(key)'"
        case .unencodable(let p, let what, let d): "\(p): cannot store \(what): \(d)"
        case .unreadableRecord(let p, let what, let d): "\(p): cannot read \(what): \(d)"
        case .database(let p, let code, let m): "\(p): SQLite error \(code): \(m)"
        }
    }

    /// The database file the error is about; nil only for `noDefaultLocation`.
    public var path: String? {
        switch self {
        case .corrupted(let p, _), .busy(let p, _), .unwritable(let p, _), .notFound(let p),
             .notAStore(let p), .newerSchema(let p, _), .unknownScan(let p, _), .scanNotRunning(let p, _, _),
             .systemAlreadyCommitted(let p, _, _), .systemsMissing(let p, _, _), .findingOfAnotherSystem(let p, _, _),
             .unknownFindingKey(let p, _), .unencodable(let p, _, _), .unreadableRecord(let p, _, _),
             .database(let p, _, _):
            p
        case .noDefaultLocation: nil
        }
    }
}

extension StoreError {
    /// Maps whatever a database access threw to a store error about `path`.
    init(_ error: any Error, path: String, busyTimeout: Double) {
        switch error {
        case let e as StoreError: self = e
        case let e as DatabaseError: self = StoreError(sqlite: e, path: path, busyTimeout: busyTimeout)
        default: self = .database(path: path, code: -1, message: String(describing: error))
        }
    }

    private init(sqlite e: DatabaseError, path: String, busyTimeout: Double) {
        let message = e.message ?? "no message"
        switch e.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: self = .busy(path: path, seconds: busyTimeout)
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: self = .corrupted(path: path, detail: message)
        case .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH:
            self = .unwritable(path: path, detail: message)
        case .SQLITE_FULL: self = .unwritable(path: path, detail: "the disk is full")
        default: self = .database(path: path, code: e.resultCode.rawValue, message: message)
        }
    }
}
