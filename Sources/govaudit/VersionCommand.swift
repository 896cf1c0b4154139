import ArgumentParser
import GovAuditCore
import GovAuditNet

struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print GovAudit's version and the libcurl and OpenSSL versions in use.",
        discussion: "The library versions are read from the libraries at run time, as every scan's provenance records them.")

    func run() {
        Console.out("""
        GovAudit \(GovAuditVersion.current)
        libcurl \(Libraries.curlVersion) (\(Libraries.curlTLSBackend))
        \(Libraries.opensslVersion)

        """)
    }
}
