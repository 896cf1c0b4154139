import ArgumentParser
import Foundation
import GovAuditCore
import GovAuditInventory
import GovAuditNet
import GovAuditPolicy
import GovAuditReports
import GovAuditProbes
import GovAuditScan

/// What scan and audit share: probe the systems, evaluate, render, exit.
struct ScanRun {
    var command: String
    var inventory: Inventory
    var inventoryPath: String?
    var policy: Policy
    var network: NetworkOptions
    var crawl: CrawlOptions
    var output: OutputOptions
    var asOf: CalendarDate
    var failOn: FailOnOption
    var areas: Set<Area>?
    var concurrency: Int

    func execute() async throws {
        let started = Date()
        // Before any probe: a bad --out is exit 2 now, not after the scan.
        let target = try output.target(inputs: [inventoryPath, network.caFile, network.trustAnchor] + policy.files)
        let evaluator = Evaluator(policy: policy, areas: areas)
        let problems = evaluator.validate(inventory, asOf: asOf)
        if !problems.isEmpty { throw InputErrors(problems) }
        // A resolver that cannot even start means the scan cannot run (exit 3), not that every
        // target failed.
        do {
            // One query to the root before anything: a resolver that does not answer at all would
            // otherwise turn into a "does not resolve" finding on every target.
            let session = try network.probeContext.resolver.session()
            if case .failure(let failure) = session.lookup(".", .ns) {
                throw RunFailure(message: "the DNS resolver \(network.resolver ?? "of the system") does not answer: \(failure.description)")
            }
        } catch let failure as DNSFailure {
            throw RunFailure(message: "cannot start the DNS resolver: \(failure.description)")
        }
        let context = network.probeContext
        var probes: [any Probe] = [IPv6DNSProbe(context: context)]
        if !network.noTLS {
            // Days to expiry count from the as-of day (noon in Viet Nam), like every other date rule.
            let day = DateComponents(calendar: Calendar(identifier: .gregorian), timeZone: CalendarDate.vietnamTimeZone,
                                     year: asOf.year, month: asOf.month, day: asOf.day, hour: 12).date ?? Date()
            probes.append(TLSProbe(context: context, caFile: network.caFile, asOf: day))
        }
        if !crawl.noCrawl {
            var crawlContext = context
            crawlContext.http.limits.maxBodyBytes = crawl.maxPageKB * 1024
            probes.append(LinkHygieneProbe(context: crawlContext, options: crawl.options(policy: policy, asOf: asOf)))
        }
        let scanner = Scanner(probes: probes, concurrency: concurrency)
        let showProgress = isatty(STDERR_FILENO) == 1
        let evidence = await scanner.scan(inventory.systems) { done, total, endpoint in
            if showProgress {
                Console.error("\u{1B}[2K\r[\(done)/\(total)] \(TerminalText.sanitize(endpoint))", newline: false)
            }
        }
        if showProgress { Console.error("\u{1B}[2K\r", newline: false) }
        let evaluation = evaluator.evaluate(inventory, asOf: asOf, evidence: evidence)
        let provenance = provenance(command: command, started: started, asOf: asOf, policy: policy, inventory: inventoryPath,
                                    resolver: network.resolver ?? "system (/etc/resolv.conf)", families: network.families)
        try output.emit(to: target) { color in
            output.format == .json
                ? try EvaluationJSON.render(evaluation, policy: policy, provenance: provenance, failOn: failOn.failOn.severity)
                : EvaluationTable(policy: policy, language: output.lang.language, style: Style(enabled: color)).render(evaluation)
        }
        try failOn.check(evaluation)
    }
}

struct Scan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Scan every system of an inventory over the network, then evaluate it with its records.",
        discussion: """
        Probes each endpoint: IPv6 and DNS (addresses, DNSSEC, name and mail servers, TCP 80/443 \
        per family, the page over IPv4 and IPv6), TLS and HTTPS (protocols, cipher suites, \
        certificate, redirect, HSTS, headers, grade) and link hygiene (a bounded crawl for \
        injected, hidden and cloaked links). Then applies the whole policy to the records and the \
        evidence together. Progress goes to standard error on a terminal.

        Against the project's lab, as `make demo` does (the lab's options are in the Makefile, \
        LAB_OPTIONS):
          govaudit scan --inventory Policies/inventory/angiang.yaml \\
            --resolver 127.0.10.1:53 --ca-file Tests/Lab/state/pki/root.pem \\
            --trust-anchor Tests/Lab/state/dns/trust-anchors.ds \\
            --allow-net 127.0.10.0/24 --allow-net fd10::/16
        """)

    @Option(help: ArgumentHelp("Inventory file (YAML).", valueName: "file"))
    var inventory: String

    @OptionGroup var policyOptions: PolicyOptions
    @OptionGroup var asOf: AsOfOption
    @OptionGroup var network: NetworkOptions
    @OptionGroup var crawl: CrawlOptions
    @OptionGroup var output: OutputOptions

    @OptionGroup var failOn: FailOnOption

    @Option(help: "Endpoints probed at the same time.")
    var concurrency: Int = 8

    func validate() throws {
        if !(1...64).contains(concurrency) { throw ValidationError("--concurrency: give 1–64") }
    }

    func run() async throws {
        let policy = try policyOptions.load()
        let inv = try InventoryLoader.load(path: inventory)
        try await ScanRun(command: "scan", inventory: inv, inventoryPath: inventory, policy: policy, network: network,
                          crawl: crawl, output: output, asOf: asOf.date, failOn: failOn, areas: nil, concurrency: concurrency).execute()
    }
}

struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Audit one domain or URL over the network: IPv6, DNS, TLS and HTTPS, link hygiene, domain name.",
        discussion: """
        With --inventory, the system that owns the target is audited with its records too; \
        without it, only the network areas are judged (the target is taken as a level-3 system, \
        --level changes that).

        Examples:
          govaudit audit angiang.gov.vn
          govaudit audit https://dichvucong.angiang.gov.vn/ --lang en --format json
          govaudit audit dichvucong.angiang.gov.vn \\
            --inventory Policies/inventory/angiang.yaml \\
            --resolver 127.0.10.1:53 --allow-net 127.0.10.0/24
        """)

    @Argument(help: ArgumentHelp("A domain (https:// is assumed) or a URL.", valueName: "domain|url"))
    var target: String

    @Option(help: ArgumentHelp("Inventory to find the target's system in.", valueName: "file"))
    var inventory: String?

    @Option(help: "Security level assumed for a target outside any inventory.")
    var level: Int = 3

    @OptionGroup var policyOptions: PolicyOptions
    @OptionGroup var asOf: AsOfOption
    @OptionGroup var network: NetworkOptions
    @OptionGroup var crawl: CrawlOptions
    @OptionGroup var output: OutputOptions

    @OptionGroup var failOn: FailOnOption

    func validate() throws {
        if SecurityLevel(level) == nil { throw ValidationError("--level: give 1–5") }
        if (try? endpoint()) == nil { throw ValidationError("'\(target)' is not a domain or an http(s) URL") }
    }

    func endpoint() throws -> Endpoint {
        try Endpoint(parsing: target.contains("://") ? target : "https://\(target)/")
    }

    func run() async throws {
        let policy = try policyOptions.load()
        let ep = try endpoint()
        var inv: Inventory
        var areas: Set<Area>? = [.ipv6, .dns, .domain, .tls, .https, .links]
        if let inventory, let loaded = Optional(try InventoryLoader.load(path: inventory)),
           let system = loaded.systems.first(where: { $0.endpoints.contains { $0.host == ep.host } }) {
            var only = system
            only.endpoints = system.endpoints.filter { $0.host == ep.host }
            inv = Inventory(name: loaded.name, illustrative: loaded.illustrative, domain: loaded.domain,
                            agencies: loaded.agencies.filter { $0.id == system.agency }, systems: [only])
            areas = nil
        } else {
            // Outside an inventory: the province domain is the last three labels of a .gov.vn name.
            let labels = ep.host.split(separator: ".")
            let domain = HostName.isSubdomain(ep.host, of: "gov.vn") && labels.count >= 3
                ? labels.suffix(3).joined(separator: ".") : nil
            let system = System(id: ep.host, name: ep.host, agency: "audit", level: SecurityLevel(level)!,
                                dossier: Dossier(status: .none), endpoints: [ep])
            inv = Inventory(name: ep.host, domain: domain, agencies: [Agency(id: "audit", name: ep.host)], systems: [system])
        }
        try await ScanRun(command: "audit", inventory: inv, inventoryPath: inventory, policy: policy, network: network,
                          crawl: crawl, output: output, asOf: asOf.date, failOn: failOn, areas: areas, concurrency: 4).execute()
    }
}
