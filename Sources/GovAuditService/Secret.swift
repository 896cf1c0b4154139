import Foundation
import GovAuditCore
import GovAuditYAML
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A password or token read from the environment or from a private file: the one secret type
/// of the config, the command line's flags and the alert channels. It prints as `<secret from …>`
/// wherever it is interpolated, dumped or reflected, and is deliberately not `Codable`, so it can
/// reach neither a log, a report nor the database by accident; `reveal()` is the one way to the
/// text, for the code that sends it.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let value: String
    /// Where it came from, e.g. `$GOVAUDIT_SMTP_PASSWORD` or `/etc/govaudit/smtp.secret`.
    public let source: String

    public init(_ value: String, source: String) {
        self.value = value
        self.source = source
    }

    public func reveal() -> String { value }

    public var description: String { "<secret from \(source)>" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["source": source]) }
}

/// How the config names a secret: `*_env: NAME` or `*_file: PATH`.
public enum SecretSource: Sendable, Hashable {
    case environment(String)
    case file(String)

    /// Largest secrets file read: a token or a password, never a document.
    static let fileLimit = 64 << 10

    /// Reads the secret. A file must be a regular file that neither group nor others can read or
    /// write (mode 0600 or 0400): a secret others can read is no longer a secret, so it is refused
    /// rather than used. One trailing line break is dropped (editors add one).
    public func read(environment: [String: String]) throws(SecretError) -> Secret {
        switch self {
        case .environment(let name):
            guard let value = environment[name], !value.isEmpty else {
                throw SecretError("the environment variable \(name) is not set (or empty)")
            }
            return Secret(value, source: "$\(name)")
        case .file(let path):
            let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
            guard fd >= 0 else { throw SecretError("cannot read \(path): \(String(cString: strerror(errno)))") }
            defer { close(fd) }
            var info = stat()
            guard fstat(fd, &info) == 0 else { throw SecretError("cannot read \(path): \(String(cString: strerror(errno)))") }
            guard info.st_mode & S_IFMT == S_IFREG else { throw SecretError("\(path) is not a regular file") }
            let mode = info.st_mode & 0o777
            guard mode & 0o077 == 0 else {
                let who = mode & 0o007 != 0 ? "everyone" : "its group"
                throw SecretError("\(path) is readable or writable by \(who) (mode \(String(mode, radix: 8, uppercase: false).leftPadded(4))); a secrets file must be its owner's only: chmod 600 \(path)")
            }
            guard Int(info.st_size) <= Self.fileLimit else { throw SecretError("\(path) is larger than 64 KiB: not a secret") }
            var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
            guard n == bytes.count, var text = String(validating: bytes, as: UTF8.self) else {
                throw SecretError("cannot read \(path) as UTF-8 text")
            }
            if text.hasSuffix("\r\n") { text.removeLast(2) } else if text.hasSuffix("\n") { text.removeLast() }
            guard !text.isEmpty else { throw SecretError("\(path) is empty") }
            guard !text.contains("\n") else { throw SecretError("\(path) holds more than one line; put only the secret in it") }
            return Secret(text, source: path)
        }
    }
}

/// A secret named by where it is: the config's `<name>_env: VARIABLE` or `<name>_file: PATH`,
/// or the command line's `--<name>-env NAME` or `--<name>-file PATH`. One parser for both.
public struct SecretReference: Sendable, Hashable {
    public var source: SecretSource
    /// The config line and field (or the flag) that named it, for messages.
    public var location: SourceLocation
    public var field: String

    public init(source: SecretSource, location: SourceLocation, field: String) {
        self.source = source
        self.location = location
        self.field = field
    }

    /// Where the flags' secrets are said to come from in messages.
    public static let commandLine = SourceLocation(file: "command line")

    /// The pair of flags `--<option>-env NAME` and `--<option>-file PATH`: at most one of them;
    /// nil when neither is given.
    public static func flags(env: String?, file: String?, option: String) throws(InputError) -> SecretReference? {
        switch (env, file) {
        case (nil, nil): return nil
        case (.some, .some): throw InputError(commandLine, field: "\(option)-env", "give \(option)-env or \(option)-file, not both")
        case (let env?, nil):
            guard isVariableName(env) else { throw InputError(commandLine, field: "\(option)-env", "'\(env)' is not an environment variable name") }
            return SecretReference(source: .environment(env), location: commandLine, field: "\(option)-env")
        case (nil, let file?):
            return SecretReference(source: .file(file), location: commandLine, field: "\(option)-file")
        }
    }

    static func isVariableName(_ text: String) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }

    /// Reads the secret now: an unset variable, a missing file or a file others can read is an
    /// input error at the config's line and field (exit 2).
    public func read(environment: [String: String]) throws(InputError) -> Secret {
        do { return try source.read(environment: environment) } catch { throw InputError(location, field: field, error.description) }
    }

    /// `<name>_env` or `<name>_file`, at most one of them; nil when neither is given.
    static func read(_ m: MappingReader, _ name: String, configFolder: String) -> SecretReference? {
        let env = m.string("\(name)_env"), file = m.string("\(name)_file")
        if env != nil && file != nil {
            m.diagnostics.report(m.node("\(name)_file")!, "give \(name)_env or \(name)_file, not both")
            return nil
        }
        if let env {
            let node = m.node("\(name)_env")!
            guard isVariableName(env) else {
                m.diagnostics.report(node, "'\(env)' is not an environment variable name")
                return nil
            }
            return SecretReference(source: .environment(env), location: node.location, field: node.path)
        }
        if let file {
            let node = m.node("\(name)_file")!
            return SecretReference(source: .file(ConfigPaths.resolve(file, in: configFolder)), location: node.location, field: node.path)
        }
        return nil
    }
}

/// Why a secret could not be had (the config loader adds the file, line and field).
public struct SecretError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
