import Foundation

/// The fuzzers' committed inputs for one harness (Tests/Fuzz, README.md "Fuzzing"): its seeds, and
/// every input that once crashed, hung or broke a property (`regressions/<target>/`). The unit
/// tests feed them to the function the harness fuzzes, so a finding stays fixed without libFuzzer.
public enum FuzzInputs {
    public struct Input: Sendable, CustomStringConvertible {
        public var name: String
        public var bytes: [UInt8]
        public var description: String { name }
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz")

    public static func seeds(_ target: String) -> [Input] { files("seeds/\(target)") }
    public static func regressions(_ target: String) -> [Input] { files("regressions/\(target)") }
    public static func all(_ target: String) -> [Input] { seeds(target) + regressions(target) }

    /// One committed input by name, from the seeds or the regressions.
    public static func named(_ target: String, _ name: String) -> [UInt8]? {
        all(target).first { $0.name.hasSuffix("/\(name)") }?.bytes
    }

    private static func files(_ folder: String) -> [Input] {
        let dir = root.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { !$0.hasPrefix(".") && $0 != "README.md" }.sorted().compactMap { name in
            FileManager.default.contents(atPath: dir.appendingPathComponent(name).path).map {
                Input(name: "\(folder)/\(name)", bytes: [UInt8]($0))
            }
        }
    }
}
