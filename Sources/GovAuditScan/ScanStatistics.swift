import GovAuditNet
import GovAuditProbes

/// What a scan's shared machinery did, for the line a scan ends with: gauges of the scanner
/// itself, never evidence (nothing here is stored or judged).
public struct ScanStatistics: Sendable, CustomStringConvertible {
    /// The most probe threads alive at once (`BlockingPool.peak`).
    public var peakThreads: Int
    /// DNS queries sent, and answers the lookup cache gave without a query; nil without a cache.
    public var dnsSent: Int?
    public var dnsShared: Int?
    /// HTTP connections opened, and requests carried on a kept one.
    public var httpOpened: Int
    public var httpReused: Int

    public init(peakThreads: Int, context: ProbeContext) {
        self.peakThreads = peakThreads
        if let counts = context.resolver.cache?.counts { (dnsSent, dnsShared) = (counts.sent, counts.shared) }
        let connections = context.http.connectionCounts
        (httpOpened, httpReused) = (connections.made, connections.reused)
    }

    public var description: String {
        let dns = dnsSent.map { "DNS \($0) queries, \(dnsShared ?? 0) answered from the cache" } ?? "DNS uncached"
        return "threads \(peakThreads) at most at once; \(dns); HTTP \(httpOpened) connections, \(httpReused) requests on a kept one"
    }
}
