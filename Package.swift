// swift-tools-version:6.0
// GovAudit: information-security compliance auditor for provincial information systems.
import PackageDescription

let package = Package(
    name: "GovAudit",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "govaudit", targets: ["govaudit"]),
        // For the libFuzzer harnesses in Fuzz/ (a package of their own, so this build never
        // links libFuzzer).
        .library(name: "GovAuditCore", targets: ["GovAuditCore"]),
        .library(name: "GovAuditHTML", targets: ["GovAuditHTML"]),
        .library(name: "GovAuditNet", targets: ["GovAuditNet"]),
        .library(name: "GovAuditInventory", targets: ["GovAuditInventory"]),
        .library(name: "GovAuditPolicy", targets: ["GovAuditPolicy"]),
        .library(name: "GovAuditProbes", targets: ["GovAuditProbes"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // C libraries. The system-library targets only #include headers; the wrappers live in
        // regular C targets because SwiftPM does not track edits to a system target's header.
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(name: "CCurlShim", dependencies: ["CCurl"]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl",
                       providers: [.apt(["libssl-dev"])]),
        .target(name: "COpenSSLShim", dependencies: ["COpenSSL"]),
        .systemLibrary(name: "CUnbound", pkgConfig: "libunbound",
                       providers: [.apt(["libunbound-dev", "libevent-dev"])]),
        .target(name: "CUnboundShim", dependencies: ["CUnbound"]),
        .systemLibrary(name: "CGumbo", pkgConfig: "gumbo", providers: [.apt(["libgumbo-dev"])]),
        .target(name: "CGumboShim", dependencies: ["CGumbo"]),
        // glibc's iconv (windows-1258, TCVN 5712, VISCII), one call behind a C wrapper.
        .target(name: "CIconvShim"),
        // XLSX through libxlsxwriter. Its API has no macros or variadic calls, so no C shim: the
        // one Swift file of GovAuditXLSX holds its pointers.
        .systemLibrary(name: "CXlsxWriter", pkgConfig: "xlsxwriter", providers: [.apt(["libxlsxwriter-dev"])]),
        .target(name: "GovAuditXLSX", dependencies: ["CXlsxWriter"]),
        // HTML through gumbo, as flat node values; pages decoded from their character set first.
        .target(name: "GovAuditHTML", dependencies: ["GovAuditCore", "CGumboShim", "CIconvShim"]),

        // The model: values only, no I/O.
        .target(name: "GovAuditCore"),
        // YAML documents with line numbers, shared by the inventory and policy loaders. Built
        // from the events of libyaml, which comes with Yams (its CYaml module).
        .target(name: "GovAuditYAML", dependencies: [
            "GovAuditCore", .product(name: "Yams", package: "Yams"),
        ]),
        // Files in and out: bounded reads of regular files, atomic 0600 writes that refuse devices,
        // links and the run's own inputs.
        .target(name: "GovAuditFiles", dependencies: ["GovAuditCore"]),
        .target(name: "GovAuditInventory", dependencies: ["GovAuditCore", "GovAuditYAML", "GovAuditFiles"]),
        .target(name: "GovAuditPolicy", dependencies: ["GovAuditCore", "GovAuditYAML", "GovAuditFiles"]),
        // The one place that talks to libcurl and OpenSSL.
        .target(name: "GovAuditNet", dependencies: ["GovAuditCore", "GovAuditFiles", "CCurlShim", "COpenSSLShim", "CUnboundShim"]),
        // Probes: each collects typed evidence for one area; none judges.
        .target(name: "GovAuditProbes", dependencies: ["GovAuditCore", "GovAuditNet", "GovAuditHTML"]),
        // The scan pipeline: plan, probe with bounded concurrency, evaluate, store; re-judging and diffs of stored scans.
        .target(name: "GovAuditScan", dependencies: ["GovAuditCore", "GovAuditNet", "GovAuditProbes", "GovAuditPolicy", "GovAuditStore"]),
        // History: scans, evidence, findings and triage in SQLite (GRDB, on the system's libsqlite3).
        .target(name: "GovAuditStore", dependencies: [
            "GovAuditCore", "GovAuditPolicy", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .target(name: "GovAuditReports", dependencies: ["GovAuditCore", "GovAuditPolicy", "GovAuditStore", "GovAuditScan", "GovAuditXLSX"]),
        // Running as a service: the config file, schedules (intervals, cron), the scan lock,
        // secrets and their redaction, where an installed program finds its policy.
        .target(name: "GovAuditService", dependencies: [
            "GovAuditCore", "GovAuditYAML", "GovAuditFiles", "GovAuditNet", "GovAuditStore",
        ]),
        // Alerts after a scan: what got worse since the previous one, by webhook and e-mail.
        .target(name: "GovAuditAlerts", dependencies: [
            "GovAuditCore", "GovAuditFiles", "GovAuditNet", "GovAuditPolicy", "GovAuditStore", "GovAuditScan", "GovAuditReports",
            "GovAuditService",
        ]),
        .executableTarget(name: "govaudit", dependencies: [
            "GovAuditCore", "GovAuditFiles", "GovAuditInventory", "GovAuditPolicy", "GovAuditNet", "GovAuditProbes",
            "GovAuditScan", "GovAuditStore", "GovAuditReports", "GovAuditService", "GovAuditAlerts",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "GovAuditCoreTests", dependencies: ["GovAuditCore"]),
        .testTarget(name: "GovAuditFilesTests", dependencies: ["GovAuditFiles"]),
        .testTarget(name: "GovAuditInventoryTests", dependencies: ["GovAuditInventory", "GovAuditYAML", "GovAuditTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "GovAuditPolicyTests", dependencies: ["GovAuditPolicy", "GovAuditInventory", "GovAuditNet", "GovAuditTestSupport"]),
        .testTarget(name: "GovAuditNetTests", dependencies: ["GovAuditNet"]),
        // The pipeline and the reports read back from the store (no lab: probes hand over fixtures).
        .testTarget(name: "GovAuditScanTests", dependencies: [
            "GovAuditScan", "GovAuditReports", "GovAuditStore", "GovAuditPolicy", "GovAuditProbes", "GovAuditNet", "GovAuditCore",
        ]),
        .testTarget(name: "GovAuditServiceTests", dependencies: ["GovAuditService", "GovAuditCore", "GovAuditStore", "GovAuditTestSupport"]),
        .testTarget(name: "GovAuditStoreTests", dependencies: [
            "GovAuditStore", "GovAuditCore", "GovAuditPolicy", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // Alerts: messages, state across scans, delivery to real sinks on loopback (Python's).
        .testTarget(name: "GovAuditAlertsTests", dependencies: [
            "GovAuditAlerts", "GovAuditStore", "GovAuditScan", "GovAuditCore", "GovAuditNet", "GovAuditPolicy", "GovAuditTestSupport",
            "GovAuditService",
        ]),
        // Test support: a JSON Schema validator for the output contract.
        .target(name: "GovAuditTestSupport", path: "Tests/GovAuditTestSupport"),
        .testTarget(name: "GovAuditCLITests", dependencies: ["GovAuditCore", "GovAuditTestSupport", "GovAuditService"], exclude: ["Fixtures", "Golden"]),
        // Integration tests: need the lab (make integration-test starts it).
        .testTarget(name: "GovAuditLabTests", dependencies: [
            "GovAuditInventory", "GovAuditNet", "GovAuditProbes", "GovAuditScan", "GovAuditPolicy", "GovAuditTestSupport",
            "GovAuditStore", "GovAuditReports", "GovAuditAlerts", "GovAuditService", .product(name: "Yams", package: "Yams"),
        ]),
        .testTarget(name: "GovAuditHostileTests", dependencies: [
            "GovAuditProbes", "GovAuditNet", "GovAuditScan", "GovAuditPolicy", "GovAuditTestSupport",
        ]),
        .testTarget(name: "GovAuditProbesTests", dependencies: ["GovAuditProbes", "GovAuditNet", "GovAuditHTML", "GovAuditTestSupport"]),
        .testTarget(name: "GovAuditReportsTests", dependencies: [
            "GovAuditReports", "GovAuditStore", "GovAuditScan", "GovAuditPolicy", "GovAuditCore", "GovAuditNet", "GovAuditTestSupport",
        ], exclude: ["Golden", "Scripts"]),
    ]
)
