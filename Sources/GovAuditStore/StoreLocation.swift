import Foundation

/// Where the history database lives. The inventory holds contacts' personal data (Nghị định
/// 13/2023), so the file is kept to its owner (0600) and so is GovAudit's own folder (0700).
public struct StoreLocation: Sendable, Hashable, CustomStringConvertible {
    /// The SQLite file.
    public var path: String
    /// Whether the folder is GovAudit's own (`…/govaudit/` at the default location), so its mode
    /// is enforced on open. A folder the user named with `--db` or `$GOVAUDIT_DB` is created 0700
    /// when missing but otherwise left as it is: it may be shared with other files.
    public var ownsFolder: Bool

    public init(path: String, ownsFolder: Bool = false) {
        self.path = path
        self.ownsFolder = ownsFolder
    }

    public var description: String { path }

    public var folder: String { (path as NSString).deletingLastPathComponent.nonEmpty ?? "." }

    /// The default location: `$GOVAUDIT_DB`, else `$XDG_DATA_HOME/govaudit/history.sqlite`, else
    /// `~/.local/share/govaudit/history.sqlite`. Pure: the environment and home are passed in.
    /// A relative `$XDG_DATA_HOME` is ignored, as the XDG base-directory specification says.
    public static func resolve(environment: [String: String], home: String?) throws(StoreError) -> StoreLocation {
        if let db = environment["GOVAUDIT_DB"]?.nonEmpty {
            return StoreLocation(path: db)
        }
        let dataHome: String
        if let xdg = environment["XDG_DATA_HOME"]?.nonEmpty, xdg.hasPrefix("/") {
            dataHome = xdg
        } else if let home = home?.nonEmpty, home.hasPrefix("/") {
            dataHome = home.trimmingTrailingSlashes + "/.local/share"
        } else {
            throw .noDefaultLocation("no absolute home folder (HOME is not set)")
        }
        return StoreLocation(path: dataHome.trimmingTrailingSlashes + "/govaudit/history.sqlite", ownsFolder: true)
    }
}

/// File-system steps around opening: the folder and file modes. SQLite creates the `-wal` and
/// `-shm` files with the mode of the database file, which is why the file is made 0600 before
/// SQLite first opens it.
enum StoreFiles {
    static let fileMode: mode_t = 0o600
    static let folderMode: mode_t = 0o700

    /// Makes the folder and file exist with private modes, or reports why not. Never truncates.
    static func prepare(_ location: StoreLocation, create: Bool) throws(StoreError) {
        let path = location.path
        let folder = location.folder
        var st = stat()
        if stat(folder, &st) != 0 {
            guard create else { throw .notFound(path: path) }
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: Int(folderMode)])
            } catch {
                throw .unwritable(path: path, detail: "cannot create the folder \(folder): \(reason(error))")
            }
        } else if (st.st_mode & S_IFMT) != S_IFDIR {
            throw .unwritable(path: path, detail: "\(folder) is not a folder")
        } else if location.ownsFolder, st.st_mode & 0o077 != 0 {
            try chmodOrThrow(folder, folderMode, path: path)
        }

        if stat(path, &st) != 0 {
            guard create else { throw .notFound(path: path) }
            // O_EXCL: if another process created it meanwhile, theirs is kept, never truncated.
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, fileMode)
            if fd >= 0 { close(fd) } else if errno != EEXIST {
                throw .unwritable(path: path, detail: String(cString: strerror(errno)))
            }
        } else if (st.st_mode & S_IFMT) != S_IFREG {
            throw .unwritable(path: path, detail: "not a regular file")
        }
        try tighten(path)
    }

    /// Removes group and other access from the file and its WAL companions, where present.
    static func tighten(_ path: String) throws(StoreError) {
        for file in [path, path + "-wal", path + "-shm"] {
            var st = stat()
            guard stat(file, &st) == 0 else { continue }
            if st.st_mode & 0o077 != 0 { try chmodOrThrow(file, fileMode, path: path) }
        }
    }

    private static func chmodOrThrow(_ file: String, _ mode: mode_t, path: String) throws(StoreError) {
        guard chmod(file, mode) == 0 else {
            throw .unwritable(path: path, detail: "cannot make \(file) private: \(String(cString: strerror(errno)))")
        }
    }

    private static func reason(_ error: any Error) -> String {
        let ns = error as NSError
        if let posix = ns.userInfo[NSUnderlyingErrorKey] as? NSError, posix.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(posix.code)))
        }
        return ns.localizedDescription
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }

    var trimmingTrailingSlashes: String {
        var s = self
        while s.count > 1, s.hasSuffix("/") { s.removeLast() }
        return s
    }
}
