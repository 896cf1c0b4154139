import ArgumentParser
import Foundation
import GovAuditCore
import GovAuditFiles
import GovAuditNet
import GovAuditPolicy
import GovAuditProbes
import GovAuditService

/// Options of the verbs that touch the network (audit, scan).
struct NetworkOptions: ParsableArguments {
    @Option(help: ArgumentHelp("DNS resolver to use instead of the system's; IPv6 as [fd00::53]:53.", valueName: "addr[:port]"))
    var resolver: String?

    @Option(name: .customLong("ca-file"), help: ArgumentHelp("Extra trusted root certificates (PEM), e.g. an internal CA.", valueName: "pem"))
    var caFile: String?

    @Option(name: .customLong("trust-anchor"), help: ArgumentHelp("DNSSEC trust anchors (DS or DNSKEY records, zone-file format).", valueName: "file"))
    var trustAnchor: String?

    @Option(name: .customLong("allow-net"), help: ArgumentHelp(
        "A private or special-purpose network the scanner may connect to (repeatable).",
        discussion: "Loopback, private, link-local, multicast, reserved and documentation addresses are refused otherwise, the target's own included, wherever they come from (DNS, redirects, links, numeric host forms).",
        valueName: "cidr"))
    var allowNet: [String] = []

    @Flag(name: .customLong("no-ipv6"), help: "Do not test over IPv6: IPv6 results are could-not-test, never pass or fail.")
    var noIPv6 = false

    @Option(help: ArgumentHelp("Who runs the scan (URL or e-mail), sent in the User-Agent. Default: $GOVAUDIT_CONTACT.",
                               valueName: "contact"))
    var contact: String?

    @Flag(name: .customLong("no-tls"), help: "Skip the TLS and HTTPS probe.")
    var noTLS = false

    @Option(help: ArgumentHelp("Seconds allowed to each DNS query and connection attempt.", valueName: "seconds"))
    var timeout: Int = 5

    @Option(name: .customLong("per-ip"), help: ArgumentHelp(
        "Connections open at once to one IP address, across every probe and site.",
        discussion: "Agency sites often share a few hosting servers whose firewalls block bursts.", valueName: "n"))
    var perIP: Int = 4

    func validate() throws {
        if let resolver, Resolver.unboundAddress(resolver) == nil {
            throw ValidationError("--resolver: '\(resolver)' is not ADDR[:PORT] (IPv6 as [ADDR]:PORT)")
        }
        for net in allowNet where CIDR(net) == nil {
            throw ValidationError("--allow-net: '\(VisibleText.escaped(net))' is not a network such as 127.0.10.0/24 or fd10::/16")
        }
        // Both files are read by libraries later (libcurl, OpenSSL, libunbound): here they are
        // read first, bounded, so /dev/zero or a FIFO is refused instead of hanging a scan.
        if let caFile {
            let bytes: [UInt8]
            do { bytes = try InputFile.read(caFile, limit: InputFile.Limit.certificates) }
            catch { throw ValidationError("--ca-file: \(error.description)") }
            if PEMCertificates.names(in: bytes, limit: 0).count == 0 {
                throw ValidationError("--ca-file: \(VisibleText.escaped(caFile)): no PEM certificate (-----BEGIN CERTIFICATE-----) in the file")
            }
        }
        if !(1...120).contains(timeout) { throw ValidationError("--timeout: give 1–120 seconds") }
        if !(1...64).contains(perIP) { throw ValidationError("--per-ip: give 1–64") }
        if let contact, contact.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw ValidationError("--contact: no control characters")
        }
        if let trustAnchor {
            let text: String
            do { text = try InputFile.text(trustAnchor, limit: InputFile.Limit.trustAnchors) }
            catch { throw ValidationError("--trust-anchor: \(error.description)") }
            let problems = Resolver.trustAnchorProblems(text)
            if !problems.isEmpty {
                // A ValidationError, so ArgumentParser reports it as usage (exit 2).
                throw ValidationError(problems.map {
                    InputError(SourceLocation(file: trustAnchor, line: $0.line), field: "trust anchor", $0.message).description
                }.joined(separator: "\n"))
            }
        }
    }

    /// These options with the config's values where no flag was given. The config's values
    /// were checked when it was read, with its file and line; `--allow-net` replaces its list.
    func merged(with config: ServiceConfig?) -> NetworkOptions {
        guard let config else { return self }
        var o = self
        o.resolver = resolver ?? config.resolver
        o.caFile = caFile ?? config.caFile
        o.trustAnchor = trustAnchor ?? config.trustAnchor
        if allowNet.isEmpty { o.allowNet = config.allowNet }
        if contact == nil, ProcessInfo.processInfo.environment["GOVAUDIT_CONTACT"]?.isEmpty ?? true { o.contact = config.contact }
        return o
    }

    /// One query to the root before anything: a resolver that does not answer at all would
    /// otherwise turn into a "does not resolve" finding on every target (exit 3 instead).
    func checkResolver() throws {
        do {
            let session = try probeContext.resolver.session()
            if case .failure(let failure) = session.lookup(".", .ns) {
                throw RunFailure(message: "the DNS resolver \(resolver ?? "of the system") does not answer: \(failure.description)")
            }
        } catch let failure as DNSFailure {
            throw RunFailure(message: "cannot start the DNS resolver: \(failure.description)")
        }
    }

    var probeContext: ProbeContext {
        let r = Resolver(upstream: resolver, trustAnchorFile: trustAnchor, timeoutMilliseconds: timeout * 1000)
        var limits = HTTPLimits()
        limits.connectTimeoutMilliseconds = timeout * 1000
        limits.totalTimeoutMilliseconds = timeout * 4000
        let who = contact ?? ProcessInfo.processInfo.environment["GOVAUDIT_CONTACT"].flatMap { $0.isEmpty ? nil : $0 }
        let http = HTTPClient(resolver: r, caFile: caFile, limits: limits, filter: AddressFilter(allowing: allowNet.compactMap(CIDR.init)),
                              gate: ConnectionGate(perAddress: perIP),
                              userAgent: HTTPClient.userAgent(contact: who))
        return ProbeContext(resolver: r, http: http, ipv6Disabled: noIPv6, connectTimeoutMilliseconds: min(3000, timeout * 1000))
    }

    /// The scanner's own IP families, for provenance.
    var families: [String] {
        (TCP.hasRoute(ipv6: false) ? ["ipv4"] : []) + (!noIPv6 && TCP.hasRoute(ipv6: true) ? ["ipv6"] : [])
    }
}

/// Bounds of the link-hygiene crawl (audit, scan).
struct CrawlOptions: ParsableArguments {
    @Option(name: .customLong("max-pages"), help: "Pages crawled per site at most.")
    var maxPages: Int = 100

    @Option(name: .customLong("max-depth"), help: "Clicks from the home page at most.")
    var maxDepth: Int = 5

    @Option(name: .customLong("crawl-seconds"), help: "Time allowed to crawl one site.")
    var crawlSeconds: Int = 60

    @Option(name: .customLong("per-host"), help: "Pages of one site fetched at the same time.")
    var perHost: Int = 2

    @Flag(name: .customLong("include-subdomains"), help: "Crawl the site's subdomains too.")
    var includeSubdomains = false

    @Flag(name: .customLong("no-crawl"), help: "Skip the link-hygiene crawl.")
    var noCrawl = false

    @Option(name: .customLong("check-outbound"),
            help: "Outbound links per site whose status is checked (never crawled; each URL once per scan); 0 = none.")
    var checkOutbound: Int = LinkHygieneOptions().checkOutbound

    @Option(name: .customLong("max-page-kb"), help: "Largest page read, in KiB; a bigger one is a too-large result.")
    var maxPageKB: Int = 5120

    @Option(name: .customLong("capture-kb"), help: ArgumentHelp(
        "Body kept per response for the evidence bundles (govaudit evidence), in KiB; the rest is cut, its SHA-256 over what is kept.",
        discussion: "Only the responses that spam, hidden-link, cloaking and defacement findings cite are stored. At most --max-page-kb."))
    var captureKB: Int = LinkHygieneOptions().maxCaptureBytes / 1024

    func validate() throws {
        if !(1...10_000).contains(maxPages) { throw ValidationError("--max-pages: give 1–10000") }
        if !(0...50).contains(maxDepth) { throw ValidationError("--max-depth: give 0–50") }
        if !(1...3600).contains(crawlSeconds) { throw ValidationError("--crawl-seconds: give 1–3600") }
        if !(0...1000).contains(checkOutbound) { throw ValidationError("--check-outbound: give 0–1000") }
        if !(1...16).contains(perHost) { throw ValidationError("--per-host: give 1–16") }
        if !(16...102_400).contains(maxPageKB) { throw ValidationError("--max-page-kb: give 16–102400") }
        if !(1...maxPageKB).contains(captureKB) { throw ValidationError("--capture-kb: give 1–\(maxPageKB) (at most --max-page-kb)") }
    }

    /// The crawler's bounds. What it looks for is the policy's, applied by the links rules.
    func options() -> LinkHygieneOptions {
        var o = LinkHygieneOptions()
        o.maxPages = maxPages
        o.maxDepth = maxDepth
        o.timeBudgetSeconds = Double(crawlSeconds)
        o.includeSubdomains = includeSubdomains
        o.checkOutbound = checkOutbound
        o.concurrencyPerHost = perHost
        o.maxCaptureBytes = captureKB * 1024
        return o
    }
}
