import GovAuditCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads an input file (inventory, policy, spreadsheet, CA file, trust anchors) with a bound:
/// only a regular file is read, and at most `limit` bytes of it. `/dev/zero`, a FIFO or a
/// directory is refused with a plain message instead of hanging or filling memory.
public enum InputFile {
    /// Largest files read, per kind: far above any real province's files, far below what hurts.
    public enum Limit {
        /// 100,000 systems with every record filled in take about 55 MB.
        public static let inventory = 128 << 20
        public static let spreadsheet = 64 << 20
        public static let policyFile = 16 << 20
        public static let certificates = 16 << 20
        public static let trustAnchors = 1 << 20
    }

    /// The bytes of the regular file at `path`, at most `limit` of them.
    public static func read(_ path: String, limit: Int) throws(InputError) -> [UInt8] {
        // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw InputError(SourceLocation(file: path), "cannot read the file: \(reason(errno))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw InputError(SourceLocation(file: path), "cannot read the file: \(reason(errno))") }
        guard let kind = FileKind(info), kind == .regular else {
            throw InputError(SourceLocation(file: path), "not a regular file (\(FileKind(info)?.name ?? "an unknown kind of file")); give a file")
        }
        guard Int(info.st_size) <= limit else { throw tooLarge(path, limit) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(info.st_size))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        // Until end of file, not st_size: a file that grows while being read is cut at the limit.
        while true {
            let n = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw InputError(SourceLocation(file: path), "cannot read the file: \(reason(errno))") }
            if n == 0 { return bytes }
            bytes += chunk[..<n]
            if bytes.count > limit { throw tooLarge(path, limit) }
        }
    }

    /// The file as UTF-8 text (a leading byte-order mark dropped); not UTF-8 is an error naming
    /// the line and the byte.
    public static func text(_ path: String, limit: Int) throws(InputError) -> String {
        try utf8(read(path, limit: limit), file: path)
    }

    /// `bytes` (the contents of `file`) as UTF-8 text, a leading byte-order mark dropped.
    public static func utf8(_ bytes: [UInt8], file: String) throws(InputError) -> String {
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes[3...] : bytes[...]
        if let text = String(validating: body, as: UTF8.self) { return text }
        let bad = UTF8Position.firstInvalid(body)
        throw InputError(SourceLocation(file: file, line: bad?.line),
                         "not UTF-8 text: \(bad?.description ?? "invalid bytes") cannot be decoded; save the file as UTF-8")
    }

    private static func tooLarge(_ path: String, _ limit: Int) -> InputError {
        InputError(SourceLocation(file: path), "too large: more than \(limit >> 20) MiB, the most read for this kind of file")
    }

    private static func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.read(fd, buffer, count)
        #else
        Darwin.read(fd, buffer, count)
        #endif
    }

    static func reason(_ code: Int32) -> String {
        switch code {
        case ENOENT: "no such file"
        case EACCES, EPERM: "permission denied"
        case ENOTDIR: "a folder on the path is not a folder"
        default: String(cString: strerror(code))
        }
    }
}

/// What `stat` says a path is, for refusals that say what was found instead of a file.
enum FileKind: Equatable {
    case regular, directory, symlink, characterDevice, blockDevice, fifo, socket

    init?(_ info: stat) {
        switch info.st_mode & S_IFMT {
        case S_IFREG: self = .regular
        case S_IFDIR: self = .directory
        case S_IFLNK: self = .symlink
        case S_IFCHR: self = .characterDevice
        case S_IFBLK: self = .blockDevice
        case S_IFIFO: self = .fifo
        case S_IFSOCK: self = .socket
        default: return nil
        }
    }

    var name: String {
        switch self {
        case .regular: "a regular file"
        case .directory: "a directory"
        case .symlink: "a symbolic link"
        case .characterDevice, .blockDevice: "a device"
        case .fifo: "a FIFO"
        case .socket: "a socket"
        }
    }
}

/// A file's identity on this machine (device and inode): two paths, hard links or symbolic links
/// included, name the same file exactly when their identities are equal.
public struct FileIdentity: Sendable, Hashable {
    var device: UInt64
    var inode: UInt64

    /// The identity of what `path` names after following symbolic links; nil when it does not exist.
    public init?(following path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        self.init(info)
    }

    init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }
}
