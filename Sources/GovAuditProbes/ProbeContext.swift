import GovAuditCore
import GovAuditNet

/// What every probe is given: the network core and the scan's switches. A value; the live form
/// comes from the CLI's options, tests build their own against the lab.
public struct ProbeContext: Sendable {
    public var resolver: Resolver
    public var http: HTTPClient
    /// `--no-ipv6`: every IPv6 step is could-not-test.
    public var ipv6Disabled: Bool
    public var connectTimeoutMilliseconds: Int
    /// Where any probe may connect: the HTTP client's filter, so there is one.
    public var filter: AddressFilter { http.filter }
    /// The per-address connection bound shared by every probe: the HTTP client's.
    public var gate: ConnectionGate? { http.gate }

    public init(resolver: Resolver, http: HTTPClient, ipv6Disabled: Bool = false, connectTimeoutMilliseconds: Int = 3000) {
        self.resolver = resolver
        self.http = http
        self.ipv6Disabled = ipv6Disabled
        self.connectTimeoutMilliseconds = connectTimeoutMilliseconds
    }
}
