import Foundation

/// Where the default policy is, for a program that may run from its checkout or installed
/// (`make install`): `$GOVAUDIT_POLICY`, else the installed copy beside the program
/// (`<prefix>/bin/govaudit` → `<prefix>/share/govaudit/Policies`), else the checkout the
/// program was built in (`.build/<triple>/debug/govaudit` → the folder holding Package.swift).
/// Never the current folder: an installed program gives the same verdict from any folder.
public struct PolicyLocator: Sendable {
    public var environment: [String: String]
    /// The running program, symbolic links resolved.
    public var executable: String
    public var isPolicyFolder: @Sendable (String) -> Bool
    public var isCheckout: @Sendable (String) -> Bool

    public struct Found: Sendable, Equatable {
        public var path: String
        /// How it was found, for `govaudit version`: `$GOVAUDIT_POLICY`, `installed`, `checkout`.
        public var how: String
    }

    public struct NotFound: Error, Sendable, CustomStringConvertible {
        public var tried: [String]
        public var description: String {
            "no policy found: pass --policy DIR or set GOVAUDIT_POLICY (looked in: \(tried.joined(separator: ", ")))"
        }
    }

    public init(environment: [String: String], executable: String,
                isPolicyFolder: @escaping @Sendable (String) -> Bool = { FileManager.default.fileExists(atPath: $0 + "/policy.yaml") },
                isCheckout: @escaping @Sendable (String) -> Bool = { FileManager.default.fileExists(atPath: $0 + "/Package.swift") }) {
        self.environment = environment
        self.executable = executable
        self.isPolicyFolder = isPolicyFolder
        self.isCheckout = isCheckout
    }

    /// The running process's locator.
    public static var current: PolicyLocator {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
        return PolicyLocator(environment: ProcessInfo.processInfo.environment, executable: exe)
    }

    public func locate() throws(NotFound) -> Found {
        var tried: [String] = []
        if let env = environment["GOVAUDIT_POLICY"], !env.isEmpty {
            // Named explicitly: used as it is, so a wrong value is the loader's clear error.
            return Found(path: env, how: "$GOVAUDIT_POLICY")
        }
        tried.append("$GOVAUDIT_POLICY (not set)")
        let bin = (executable as NSString).deletingLastPathComponent
        let installed = ((bin as NSString).deletingLastPathComponent as NSString).appendingPathComponent("share/govaudit/Policies")
        if isPolicyFolder(installed) { return Found(path: installed, how: "installed") }
        tried.append(installed)
        // The build folder is a few levels below the checkout: .build/<triple>/<configuration>/.
        var dir = bin
        for _ in 0..<5 {
            dir = (dir as NSString).deletingLastPathComponent
            let candidate = (dir as NSString).appendingPathComponent("Policies")
            if isCheckout(dir), isPolicyFolder(candidate) { return Found(path: candidate, how: "checkout") }
            if dir == "/" || dir.isEmpty { break }
        }
        tried.append("a checkout's Policies/ above \(bin)")
        throw NotFound(tried: tried)
    }
}
