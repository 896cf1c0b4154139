import Foundation

/// A fresh folder of one test under the system's temporary directory, and a writer for the
/// files a test hands the program (configs, inventories, secrets at the mode a case needs).
public struct TemporaryFolder: Sendable {
    public let url: URL

    /// `govaudit-<label>-<uuid>`, created now.
    public init(_ label: String) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("govaudit-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    public var path: String { url.path }

    /// The path of `name` in the folder; nothing is created.
    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Writes `text` to `name` with `mode` (owner-only by default: a secrets file must be);
    /// returns its path.
    @discardableResult
    public func write(_ name: String, _ text: String, mode: Int = 0o600) throws -> String {
        let path = path(name)
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    /// Removes the folder and what it holds.
    public func remove() throws {
        try FileManager.default.removeItem(at: url)
    }
}
