import Foundation
import GovAuditCore
import GovAuditProbes

/// The probes of the checks asked for, sharing one network context (resolver, HTTP client,
/// address filter, per-address connection gate).
public enum ScanProbes {
    public static func make(_ checks: [Check], context: ProbeContext, caFile: String?, asOf: CalendarDate,
                            crawl: LinkHygieneOptions, maxPageBytes: Int) -> [any Probe] {
        checks.map { check -> any Probe in
            switch check {
            case .dns:
                return IPv6DNSProbe(context: context)
            case .tls:
                // Days to expiry count from the as-of day (noon in Viet Nam), like every other date rule.
                let day = DateComponents(calendar: Calendar(identifier: .gregorian), timeZone: CalendarDate.vietnamTimeZone,
                                         year: asOf.year, month: asOf.month, day: asOf.day, hour: 12).date ?? Date()
                return TLSProbe(context: context, caFile: caFile, asOf: day)
            case .links:
                var crawlContext = context
                crawlContext.http.limits.maxBodyBytes = maxPageBytes
                return LinkHygieneProbe(context: crawlContext, options: crawl)
            }
        }
    }
}
