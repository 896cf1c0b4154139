// swift-tools-version:6.0
// libFuzzer harnesses for GovAudit's parsers of untrusted input. A package of its own so the
// main build never links libFuzzer: `make fuzz` builds it with -sanitize=fuzzer,address into
// .build-fuzz (see README.md, "Fuzzing").
import Foundation
import PackageDescription

// A local dependency's identity is its folder's name (the worktree may be called anything).
let govaudit = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().lastPathComponent.lowercased()

func harness(_ name: String, _ products: [String], fixtures: Bool = false) -> Target {
    let support: [Target.Dependency] = fixtures ? ["FuzzSupport", "FuzzFixtures"] : ["FuzzSupport"]
    return .executableTarget(name: "fuzz-\(name)", dependencies: support + products.map {
        .product(name: $0, package: govaudit)
    })
}

let package = Package(
    name: "GovAuditFuzz",
    platforms: [.macOS(.v13)],
    dependencies: [.package(path: "..")],
    targets: [
        // Declares libFuzzer's LLVMFuzzerRunDriver; the symbol comes with -sanitize=fuzzer.
        .systemLibrary(name: "CLibFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CLibFuzzer"]),
        // The repository's policy and one system, for the harnesses that judge what they parsed.
        .target(name: "FuzzFixtures", dependencies: ["FuzzSupport"] + ["GovAuditCore", "GovAuditInventory", "GovAuditPolicy"].map {
            .product(name: $0, package: govaudit)
        }),
        harness("html", ["GovAuditCore", "GovAuditHTML", "GovAuditProbes"]),
        harness("tls", ["GovAuditNet"]),
        harness("dns", ["GovAuditNet"]),
        harness("headers", ["GovAuditCore"], fixtures: true),
        harness("inventory", ["GovAuditCore", "GovAuditInventory"]),
        harness("csv", ["GovAuditCore", "GovAuditInventory"]),
        harness("policy", ["GovAuditCore", "GovAuditPolicy"], fixtures: true),
    ]
)
