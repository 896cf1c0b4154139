import GovAuditNet
import GovAuditTestSupport

extension HostileServer {
    /// A client of the hostile site as a scan makes one: the site's DNS, 2 s to connect, 5 s in
    /// all, and only the `allowed` networks reachable (the canaries live on the rest of loopback).
    func client(allowing allowed: [String], gate: ConnectionGate? = nil) -> HTTPClient {
        var limits = HTTPLimits()
        limits.connectTimeoutMilliseconds = 2000
        limits.totalTimeoutMilliseconds = 5000
        return HTTPClient(resolver: Resolver(upstream: resolver, timeoutMilliseconds: 3000), limits: limits,
                          filter: AddressFilter(allowing: allowed.map { CIDR($0)! }), gate: gate)
    }
}
