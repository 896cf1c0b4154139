import GovAuditProbes
import GovAuditScan

extension ScanPlan {
    var listedHosts: Set<String> {
        listed ?? Set(inventory.systems.flatMap(\.endpoints).map { $0.host.lowercased() })
    }

    /// The certificate-names probe's bounds (with the TLS check): its budget, and how many
    /// www/apex twins the scan checks (one handshake and one fetch each, when the twin resolves).
    var namesScope: [String: String] {
        guard checks.contains(.tls) else { return [:] }
        return ["namesSeconds": String(Int(CertificateNamesOptions().budgetSeconds)),
                "twinNames": String(ScanProbes.plannedTwins(inventory.systems, listedHosts: listedHosts))]
    }
}
