import ArgumentParser
import GovAuditProbes
import GovAuditScan

/// How far and how long the probes go per endpoint (audit, scan): options of the scan, recorded
/// in its scope, never policy. Whatever a bound cuts is counted, and a step a time budget cuts
/// short is `budget-exhausted` (unknown, never a pass).
struct BoundsOptions: ParsableArguments {
    @Option(name: .customLong("max-addresses"), help: ArgumentHelp(
        "Addresses per family (A, AAAA) whose ports and TLS are probed; the rest are counted.", valueName: "n"))
    var maxAddresses: Int = 8

    @Option(name: .customLong("max-records"), help: ArgumentHelp(
        "Name servers and mail exchangers followed per zone; the rest are counted.", valueName: "n"))
    var maxRecords: Int = 8

    @Option(name: .customLong("max-links-per-page"), help: ArgumentHelp(
        "References of a page analysed and kept; the rest are counted.", valueName: "n"))
    var maxLinksPerPage: Int = 1_000

    @Option(name: .customLong("max-links-per-site"), help: ArgumentHelp(
        "References kept over a whole crawl; the rest are counted.", valueName: "n"))
    var maxLinksPerSite: Int = 20_000

    @Option(name: .customLong("dns-seconds"), help: ArgumentHelp(
        "Time allowed to the DNS/IPv6 probe per endpoint (lookups, connects, both fetches).", valueName: "seconds"))
    var dnsSeconds: Int = 20

    @Option(name: .customLong("tls-seconds"), help: ArgumentHelp(
        "Time allowed to the TLS probe per endpoint (hellos, handshakes, both fetches).", valueName: "seconds"))
    var tlsSeconds: Int = 30

    @Option(name: .customLong("endpoint-seconds"), help: ArgumentHelp(
        "Time allowed to one endpoint, all its probes together (the crawl's --crawl-seconds included).",
        valueName: "seconds"))
    var endpointSeconds: Int = 90

    func validate() throws {
        if !(1...64).contains(maxAddresses) { throw ValidationError("--max-addresses: give 1–64") }
        if !(1...64).contains(maxRecords) { throw ValidationError("--max-records: give 1–64") }
        if !(1...100_000).contains(maxLinksPerPage) { throw ValidationError("--max-links-per-page: give 1–100000") }
        if !(1...1_000_000).contains(maxLinksPerSite) { throw ValidationError("--max-links-per-site: give 1–1000000") }
        if !(1...600).contains(dnsSeconds) { throw ValidationError("--dns-seconds: give 1–600") }
        if !(1...600).contains(tlsSeconds) { throw ValidationError("--tls-seconds: give 1–600") }
        if !(5...7200).contains(endpointSeconds) { throw ValidationError("--endpoint-seconds: give 5–7200") }
    }

    var dns: IPv6DNSOptions {
        var o = IPv6DNSOptions()
        o.budgetSeconds = Double(dnsSeconds)
        o.maxAddresses = maxAddresses
        o.maxRecords = maxRecords
        return o
    }

    var tls: TLSProbeOptions {
        var o = TLSProbeOptions()
        o.budgetSeconds = Double(tlsSeconds)
        o.maxAddresses = maxAddresses
        return o
    }

    /// The crawl's options with these link bounds.
    func crawl(_ options: LinkHygieneOptions) -> LinkHygieneOptions {
        var o = options
        o.maxLinksPerPage = maxLinksPerPage
        o.maxLinksPerSite = maxLinksPerSite
        return o
    }

    var endpointBudget: Duration { .seconds(endpointSeconds) }

    /// The scope entries these bounds add.
    var scope: [String: String] {
        ["maxAddresses": String(maxAddresses), "maxRecords": String(maxRecords), "maxLinksPerPage": String(maxLinksPerPage),
         "maxLinksPerSite": String(maxLinksPerSite), "dnsSeconds": String(dnsSeconds), "tlsSeconds": String(tlsSeconds),
         "endpointSeconds": String(endpointSeconds)]
    }
}
