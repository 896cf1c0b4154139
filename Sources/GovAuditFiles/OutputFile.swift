import GovAuditCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file GovAudit writes (`--out`, later `--out-dir` and the history database): only a regular
/// file, never one of the run's inputs, written atomically with mode 0600 (reports hold
/// contacts' personal data).
///
/// `init` checks the target before any work is done, so a bad `--out` is exit 2 at once rather
/// than after a scan; `write` checks again just before replacing it. A refusal leaves the target
/// untouched. Refused: a directory, a device node (as root, `--out /dev/null` would otherwise
/// replace /dev/null with a file), a FIFO, a socket, a symbolic link (the link would be replaced,
/// not its target), a missing folder, and a path naming the same file as an input.
public struct OutputFile: Sendable {
    public let path: String
    /// The option that named the file (`--out`), for messages.
    public let option: String
    private let inputs: [(path: String, identity: FileIdentity)]

    /// Why a write failed after the checks passed (disk full, permissions): the run failed, exit 3.
    public struct WriteFailure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public init(_ path: String, option: String, inputs: [String]) throws(InputError) {
        self.path = path
        self.option = option
        self.inputs = inputs.compactMap { p in FileIdentity(following: p).map { (p, $0) } }
        try check()
    }

    /// Replaces the file with `bytes`: a temporary file in the same folder (mode 0600), flushed
    /// to disk, then renamed over the target, so readers see the old report or the new one,
    /// never half of one.
    public func write(_ bytes: [UInt8]) throws -> Void {
        let stream = try Stream(self)
        try stream.append(bytes)
        try stream.commit()
    }

    /// A report written in pieces into the temporary file; it takes the target's place only when
    /// committed (the target checked again first). Dropped without a commit, it leaves no trace.
    public final class Stream {
        private let target: OutputFile
        private let temporary: String
        private var fd: Int32
        private var done = false

        public init(_ target: OutputFile) throws {
            try target.check()
            self.target = target
            let (folder, name) = OutputFile.split(target.path)
            var template = Array("\(folder)/.\(name).XXXXXX".utf8CString)
            fd = mkstemp(&template)  // O_EXCL, mode 0600
            guard fd >= 0 else { throw WriteFailure(description: "cannot write \(target.path): \(InputFile.reason(errno))") }
            temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }

        deinit { discard() }

        public func append(_ bytes: [UInt8]) throws {
            var written = 0
            while written < bytes.count {
                let n = bytes.withUnsafeBytes { OutputFile.systemWrite(fd, $0.baseAddress! + written, $0.count - written) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw WriteFailure(description: "cannot write \(target.path): \(InputFile.reason(errno))") }
                written += n
            }
        }

        public func commit() throws {
            let synced = fsync(fd) == 0
            let why = InputFile.reason(errno)
            close(fd)
            fd = -1
            guard synced else { throw WriteFailure(description: "cannot write \(target.path): \(why)") }
            try target.check()  // again: the target may have been replaced while we wrote
            guard rename(temporary, target.path) == 0 else {
                throw WriteFailure(description: "cannot write \(target.path): \(InputFile.reason(errno))")
            }
            done = true
        }

        /// Removes the temporary file; the target stays as it was.
        public func discard() {
            if fd >= 0 { close(fd); fd = -1 }
            if !done { unlink(temporary); done = true }
        }
    }

    /// The target as it is now: absent or a regular file that is no input, in an existing folder.
    fileprivate func check() throws(InputError) {
        var info = stat()
        if lstat(path, &info) == 0 {
            let kind = FileKind(info)
            guard kind == .regular else {
                let what = kind?.name ?? "not a regular file"
                let hint = kind == .directory ? "; give a file name inside it" : kind == .symlink ? "; give the real file's path" : ""
                throw refusal("is \(what), not a regular file\(hint)")
            }
            let identity = FileIdentity(info)
            if let input = inputs.first(where: { $0.identity == identity }) {
                throw refusal(input.path == path ? "is also an input of this run; write the report elsewhere"
                                                 : "is the same file as the input \(input.path); write the report elsewhere")
            }
        } else if errno != ENOENT {
            throw refusal("cannot be checked: \(InputFile.reason(errno))")
        }
        let (folder, name) = Self.split(path)
        guard !name.isEmpty, name != ".", name != ".." else { throw refusal("not a file name") }
        var folderInfo = stat()
        guard stat(folder, &folderInfo) == 0, FileKind(folderInfo) == .directory else {
            throw refusal("the folder \(folder) does not exist")
        }
    }

    private func refusal(_ message: String) -> InputError {
        InputError(SourceLocation(file: path), field: option, message)
    }

    /// Folder and last component; the folder is "." for a bare name.
    static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let folder = String(path[..<slash])
        return (folder.isEmpty ? "/" : folder, String(path[path.index(after: slash)...]))
    }

    fileprivate static func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.write(fd, buffer, count)
        #else
        Darwin.write(fd, buffer, count)
        #endif
    }
}
