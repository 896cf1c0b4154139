import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The advisory lock that keeps two scans of one history database from overlapping: an
/// exclusive `flock` on `<database>.lock` beside the database, held for the whole scan. The
/// kernel drops it when the holder's process ends, however it ends, so a crash never leaves a
/// stale lock behind. The file names its holder (pid, start, command) for the refusal message;
/// it is never deleted (deleting a lock file lets two processes lock two different files).
public final class ScanLock: @unchecked Sendable {
    public let path: String
    public let holder: LockHolder
    private var fd: Int32

    /// Who holds the lock, as its file says.
    public struct LockHolder: Sendable, Equatable, CustomStringConvertible {
        public var pid: Int32?
        public var startedAt: Date?
        public var command: String?

        public var description: String {
            guard let pid else { return "another process (it has not written its name yet)" }
            var s = "process \(pid)"
            if let command { s = "`govaudit \(command)` (\(s)" } else { s = "(\(s)" }
            if let startedAt { s += ", started \(ISO8601DateFormatter().string(from: startedAt))" }
            return s + ")"
        }

        init(pid: Int32?, startedAt: Date?, command: String?) {
            self.pid = pid
            self.startedAt = startedAt
            self.command = command
        }

        /// Reads `key=value` lines; unknown or damaged lines are left out, never guessed.
        init(text: String) {
            var fields: [String: String] = [:]
            for line in text.split(separator: "\n") {
                guard let eq = line.firstIndex(of: "=") else { continue }
                fields[String(line[..<eq])] = String(line[line.index(after: eq)...])
            }
            pid = fields["pid"].flatMap { Int32($0) }
            startedAt = fields["started"].flatMap { ISO8601DateFormatter().date(from: $0) }
            command = fields["command"].flatMap { $0.allSatisfy { $0.isLetter || $0 == " " || $0 == "-" } ? $0 : nil }
        }

        var text: String {
            "pid=\(pid ?? 0)\nstarted=\(startedAt.map { ISO8601DateFormatter().string(from: $0) } ?? "")\ncommand=\(command ?? "")\n"
        }
    }

    public enum Failure: Error, Sendable, CustomStringConvertible {
        /// Another scan holds the lock.
        case busy(path: String, holder: LockHolder)
        case cannotLock(path: String, reason: String)

        public var description: String {
            switch self {
            case .busy(let path, let holder):
                "another scan of this history database is running: \(holder) holds \(path); wait for it to finish"
            case .cannotLock(let path, let reason):
                "cannot lock \(path): \(reason)"
            }
        }
    }

    /// The lock file of the database at `databasePath`.
    public static func lockPath(database databasePath: String) -> String { databasePath + ".lock" }

    /// Takes the lock at once or throws `.busy` naming the holder; never waits.
    public static func acquire(database databasePath: String, command: String, now: Date = Date(),
                               pid: Int32 = getpid()) throws(Failure) -> ScanLock {
        let path = lockPath(database: databasePath)
        // O_NOFOLLOW: a symbolic link planted in place of the lock file is refused, not written through.
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw .cannotLock(path: path, reason: String(cString: strerror(errno))) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            defer { close(fd) }
            guard code == EWOULDBLOCK else { throw .cannotLock(path: path, reason: String(cString: strerror(code))) }
            throw .busy(path: path, holder: LockHolder(text: readAll(fd)))
        }
        let holder = LockHolder(pid: pid, startedAt: now, command: command)
        let bytes = Array(holder.text.utf8)
        guard ftruncate(fd, 0) == 0, pwrite(fd, bytes, bytes.count, 0) == bytes.count else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw .cannotLock(path: path, reason: reason)
        }
        return ScanLock(path: path, holder: holder, fd: fd)
    }

    private init(path: String, holder: LockHolder, fd: Int32) {
        self.path = path
        self.holder = holder
        self.fd = fd
    }

    /// Clears the holder's name and lets the next scan in. Also done when the lock is dropped.
    public func release() {
        guard fd >= 0 else { return }
        _ = ftruncate(fd, 0)
        _ = flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    deinit { release() }

    private static func readAll(_ fd: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 512)
        let n = pread(fd, &buffer, buffer.count, 0)
        return n > 0 ? String(decoding: buffer[..<n], as: UTF8.self) : ""
    }
}
