import Foundation
import GovAuditCore
import GovAuditProbes

/// The probes of the checks asked for, sharing one network context (resolver, HTTP client,
/// address filter, per-address connection gate).
public enum ScanProbes {
    /// One outbound-check cache per scan, shared by every crawl: a URL many agency sites link
    /// to is checked once. `listedHosts` is every host the inventory lists (the certificate-names
    /// probe checks only the www/apex twins it does not).
    public static func make(_ checks: [Check], context: ProbeContext, caFile: String?, dns: IPv6DNSOptions = IPv6DNSOptions(),
                            tls: TLSProbeOptions = TLSProbeOptions(), names: CertificateNamesOptions = CertificateNamesOptions(),
                            listedHosts: Set<String> = [], crawl: LinkHygieneOptions, maxPageBytes: Int) -> [any Probe] {
        let outboundChecks = LinkCheckCache()
        return checks.flatMap { check -> [any Probe] in
            switch check {
            case .dns:
                return [IPv6DNSProbe(context: context, options: dns)]
            case .tls:
                // The probe records certificate dates; days left are the rules', from the as-of day.
                return [TLSProbe(context: context, caFile: caFile, options: tls),
                        CertificateNamesProbe(context: context, caFile: caFile, options: names, listedHosts: listedHosts)]
            case .links:
                var crawlContext = context
                crawlContext.http.limits.maxBodyBytes = maxPageBytes
                return [LinkHygieneProbe(context: crawlContext, options: crawl, cache: outboundChecks)]
            }
        }
    }

    /// The www/apex twins a scan of `systems` checks: one per https endpoint whose twin
    /// `listedHosts` does not hold (what the scope records).
    public static func plannedTwins(_ systems: [System], listedHosts: Set<String>) -> Int {
        systems.flatMap(\.endpoints).filter { CertificateNamesProbe.plannedTwin($0, listedHosts: listedHosts) != nil }.count
    }
}
