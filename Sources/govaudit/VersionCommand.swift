import ArgumentParser
import GovAuditCore
import GovAuditNet
import GovAuditService

struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print GovAudit's version, the libcurl and OpenSSL versions in use, and the policy directory.",
        discussion: "The library versions are read from the libraries at run time, as every scan's provenance records them. The policy line says which folder a verb without --policy reads, and how it was found ($GOVAUDIT_POLICY, installed, checkout).")

    func run() {
        let policy: String
        do {
            let found = try PolicyLocator.current.locate()
            policy = "\(found.path) (\(found.how))"
        } catch {
            policy = "none: \(error.description)"
        }
        Console.out("""
        GovAudit \(GovAuditVersion.current)
        libcurl \(Libraries.curlVersion) (\(Libraries.curlTLSBackend))
        \(Libraries.opensslVersion)
        policy \(VisibleText.escaped(policy))

        """)
    }
}
