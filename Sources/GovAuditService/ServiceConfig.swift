import Foundation
import GovAuditCore
import GovAuditFiles
import GovAuditNet
import GovAuditYAML

/// The configuration file (`/etc/govaudit/config.yaml`, `--config FILE` or `$GOVAUDIT_CONFIG`):
/// what a server's scans use when no flag says otherwise. Every field is optional; relative
/// paths are read from the config file's folder. The format is documented in
/// `contrib/config.example.yaml`.
public struct ServiceConfig: Sendable {
    /// The file it was read from.
    public var file: String
    public var inventory: String?
    public var database: String?
    public var resolver: String?
    public var caFile: String?
    public var trustAnchor: String?
    public var allowNet: [String] = []
    public var contact: String?
    public var schedule: Schedule?
    public var alerts: AlertConfig?
    /// Where `schedule` writes each complete scan's report; nil: no report is written.
    public var reports: ReportsConfig?

    public static let formatVersion = 1
    /// Read when neither `--config` nor `$GOVAUDIT_CONFIG` names a file, and only if it exists.
    public static let systemPath = "/etc/govaudit/config.yaml"
    static let sizeLimit = 1 << 20

    public init(file: String) {
        self.file = file
    }

    /// The file to read: `--config`, else `$GOVAUDIT_CONFIG`, else the system file when it
    /// exists; nil for none. A file named explicitly must exist (that is checked on load).
    public static func path(flag: String?, environment: [String: String],
                            exists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }) -> String? {
        if let flag { return flag }
        if let env = environment["GOVAUDIT_CONFIG"], !env.isEmpty { return env }
        return exists(systemPath) ? systemPath : nil
    }

    public static func load(path: String) throws(InputErrors) -> ServiceConfig {
        let text: String
        do { text = try InputFile.text(path, limit: sizeLimit) } catch { throw InputErrors([error]) }
        return try parse(text, file: path)
    }

    /// Parses and checks the whole file, reporting every problem with its line and field.
    public static func parse(_ text: String, file: String) throws(InputErrors) -> ServiceConfig {
        let root: YAMLNode
        do { root = try YAMLDocument.parse(text, file: file) } catch { throw InputErrors([error]) }
        let d = Diagnostics()
        var config = ServiceConfig(file: file)
        if case .null = root.value { return config }
        guard let top = MappingReader(root, d) else { try d.throwIfAny(); return config }
        let folder = (file as NSString).deletingLastPathComponent
        if let v = top.int("version"), v != formatVersion {
            d.report(top.node("version")!, "this GovAudit reads config version \(formatVersion), not \(v)")
        }
        config.inventory = top.string("inventory", required: false).map { ConfigPaths.resolve($0, in: folder) }
        config.database = top.string("database").map { ConfigPaths.resolve($0, in: folder) }
        if let resolver = top.string("resolver") {
            if Resolver.unboundAddress(resolver) == nil {
                d.report(top.node("resolver")!, "'\(resolver)' is not ADDR[:PORT] (IPv6 as [ADDR]:PORT)")
            } else {
                config.resolver = resolver
            }
        }
        config.caFile = checkedFile(top, "ca_file", folder: folder, limit: InputFile.Limit.certificates) { bytes in
            PEMCertificates.names(in: bytes, limit: 0).count == 0 ? [(nil, "no PEM certificate (-----BEGIN CERTIFICATE-----) in the file")] : []
        }
        config.trustAnchor = checkedFile(top, "trust_anchor", folder: folder, limit: InputFile.Limit.trustAnchors) { bytes in
            guard let text = String(validating: bytes, as: UTF8.self) else { return [(nil, "not UTF-8 text")] }
            return Resolver.trustAnchorProblems(text).map { ($0.line, $0.message) }
        }
        for item in top.list("allow_net") ?? [] {
            if let text = item.scalar, CIDR(text) != nil { config.allowNet.append(text) } else {
                d.report(item, "expected a network such as 127.0.10.0/24 or fd10::/16, found \(item.scalar.map { "'\($0)'" } ?? item.kindName)")
            }
        }
        if let contact = top.string("contact") {
            if contact.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                d.report(top.node("contact")!, "no control characters in the contact")
            } else {
                config.contact = contact
            }
        }
        if let s = top.mapping("schedule") {
            config.schedule = readSchedule(s)
        }
        if let a = top.mapping("alerts") {
            config.alerts = AlertConfig.read(a, configFolder: folder)
        }
        if let r = top.mapping("reports") {
            config.reports = ReportsConfig.read(r, configFolder: folder)
        }
        top.finish()
        try d.throwIfAny()
        return config
    }

    /// `schedule: {every: 6h}` or `schedule: {cron: "0 */6 * * *"}`, exactly one of them.
    private static func readSchedule(_ s: MappingReader) -> Schedule? {
        let every = s.string("every"), cron = s.string("cron")
        s.finish()
        switch (every, cron) {
        case (let every?, nil):
            do { return .every(try Interval(parsing: every)) } catch { s.diagnostics.report(s.node("every")!, error.message) }
        case (nil, let cron?):
            do { return .cron(try CronExpression(parsing: cron)) } catch { s.diagnostics.report(s.node("cron")!, error.message) }
        case (.some, .some):
            s.diagnostics.report(s.node("cron")!, "give every or cron, not both")
        case (nil, nil):
            s.diagnostics.report(s.node, "give every (e.g. 6h) or cron (e.g. \"0 */6 * * *\")")
        }
        return nil
    }

    /// A file the scan reads later through a library: read now, bounded, and checked, so a bad
    /// one is reported at its config line instead of failing a scan hours later.
    private static func checkedFile(_ m: MappingReader, _ key: String, folder: String, limit: Int,
                                    _ problems: ([UInt8]) -> [(line: Int?, message: String)]) -> String? {
        guard let given = m.string(key) else { return nil }
        let node = m.node(key)!
        let path = ConfigPaths.resolve(given, in: folder)
        let bytes: [UInt8]
        do { bytes = try InputFile.read(path, limit: limit) } catch {
            m.diagnostics.report(node, error.description)
            return nil
        }
        let found = problems(bytes)
        for p in found {
            m.diagnostics.report(p.line.map { InputError(SourceLocation(file: path, line: $0), field: key, p.message) }
                                 ?? InputError(node.location, field: node.path, "\(path): \(p.message)"))
        }
        return found.isEmpty ? path : nil
    }
}

enum ConfigPaths {
    /// `path` as written, or relative to the config file's folder.
    static func resolve(_ path: String, in folder: String) -> String {
        path.hasPrefix("/") || folder.isEmpty ? path : (folder as NSString).appendingPathComponent(path)
    }
}
