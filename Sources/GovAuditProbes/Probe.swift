import GovAuditCore

/// A probe: given one endpoint, the typed evidence it observed. Blocking; never judges.
public protocol Probe: Sendable {
    func run(_ endpoint: Endpoint) -> [Evidence]
}

extension IPv6DNSProbe: Probe {}
extension LinkHygieneProbe: Probe {}
