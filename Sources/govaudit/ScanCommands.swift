import ArgumentParser
import Foundation
import GovAuditAlerts
import GovAuditCore
import GovAuditInventory
import GovAuditNet
import GovAuditPolicy
import GovAuditReports
import GovAuditProbes
import GovAuditScan
import GovAuditService
import GovAuditStore

/// What scan, audit and each tick of schedule share: flags turned into a scan request and a
/// pipeline, ready to run (stored unless --no-store).
struct ScanPlan {
    var kind: ScanKind
    var inventory: Inventory
    var inventoryPath: String?
    var inventoryHash: String
    var policy: Policy
    /// Already merged with the config file.
    var network: NetworkOptions
    var crawl: CrawlOptions
    var bounds: BoundsOptions
    var checks: [Check]
    var asOf: CalendarDate
    /// The areas judged; nil for all (a scan of an inventory).
    var areas: Set<Area>?
    var concurrency: Int
    /// Where the scan is stored; nil with --no-store.
    var store: HistoryStore?
    /// `scan --resume` (or a schedule's tick finishing an interrupted scan): the stored scan to finish.
    var resume: String? = nil
    /// Every host the inventory lists, lowercased (an audit's whole inventory, not only the
    /// target's system); nil: `inventory`'s own. A www/apex twin listed here is not checked as a twin.
    var listed: Set<String>? = nil

    /// Checks the inventory against the policy and the resolver, then wires the probes.
    func prepare() throws -> PreparedScan {
        let evaluator = Evaluator(policy: policy, areas: Check.judgedAreas(running: checks, within: areas))
        let problems = evaluator.validate(inventory, asOf: asOf)
        if !problems.isEmpty { throw InputErrors(problems) }
        // Drift compares outbound links by registrable domain; only a crawl has any.
        let grouping: DomainGrouping = checks.contains(.links) ? .registrable(try PublicSuffixFile.load()) : .hostNames
        try network.checkResolver()
        let context = network.probeContext
        let probes = ScanProbes.make(checks, context: context, caFile: network.caFile, dns: bounds.dns, tls: bounds.tls,
                                     listedHosts: listedHosts, crawl: bounds.crawl(crawl.options()), maxPageBytes: crawl.maxPageKB * 1024)
        let pipeline = ScanPipeline(probes: probes, evaluator: evaluator, asOf: asOf, concurrency: concurrency,
                                    endpointBudget: bounds.endpointBudget)
        let session = ScanSession(pipeline: pipeline, store: store, catalog: EvidenceCatalog.standard, grouping: grouping)
        let provenance = provenance(command: kind.rawValue, started: Date(), asOf: asOf, policy: policy, inventory: inventoryPath,
                                    resolver: network.resolver ?? "system (/etc/resolv.conf)", families: network.families)
        let request = ScanRequest(kind: kind, inventory: inventory, inventoryHash: inventoryHash, checks: checks,
                                  options: scopeOptions, provenance: provenance)
        return PreparedScan(session: session, request: request, resume: resume, context: context)
    }

    /// The bounds a scan ran under, kept in its scope.
    var scopeOptions: [String: String] {
        ["timeout": String(network.timeout), "perIP": String(network.perIP), "concurrency": String(concurrency),
         "allowNet": network.allowNet.joined(separator: " "), "maxPages": String(crawl.maxPages),
         "maxDepth": String(crawl.maxDepth), "crawlSeconds": String(crawl.crawlSeconds), "perHost": String(crawl.perHost),
         "checkOutbound": String(crawl.checkOutbound), "maxPageKB": String(crawl.maxPageKB), "captureKB": String(crawl.captureKB), "noIPv6": String(network.noIPv6)]
            .merging(bounds.scope) { a, _ in a }
            .merging(namesScope) { a, _ in a }
    }

}

/// scan and audit: the plan run under Ctrl-C/SIGTERM handling, the report printed, the exit code.
struct ScanRun {
    var plan: ScanPlan
    var output: OutputOptions
    var failOn: FailOnOption
    /// `scan --alert`: where alerts go; nil: no alert step.
    var alerts: AlertSettings? = nil

    func execute() async throws {
        // Before any probe: a bad --out is exit 2 now, not after the scan.
        let target = try output.target(inputs: [plan.inventoryPath, plan.network.caFile, plan.network.trustAnchor] + plan.policy.files
                                       + [plan.store?.location.path])
        let prepared = try plan.prepare()
        let showProgress = isatty(STDERR_FILENO) == 1
        let progress: @Sendable (ScanProgress) -> Void = { p in
            guard showProgress else { return }
            Console.error("\u{1B}[2K\r[\(p.jobsDone)/\(p.jobsTotal)] \(p.systemsDone)/\(p.systemsTotal) systems · \(TerminalText.sanitize(p.latest))",
                          newline: false)
        }
        let outcome: ScanOutcome
        do {
            outcome = try await Interruption.cancellingOnSignal { try await prepared.run(progress: progress) }
        } catch let failure as RunFailure {
            await alertFailure(failure.message)
            throw failure
        }
        if showProgress { Console.error("\u{1B}[2K\r", newline: false) }
        var provenance = prepared.request.provenance
        let kind = plan.kind
        if let id = outcome.scanID {
            provenance.id = id
            Console.error("\(kind.rawValue) \(id): \(outcome.status.rawValue), \(outcome.systemsDone)/\(outcome.systemsPlanned) systems stored in \(plan.store.map(\.location.path) ?? "-")")
        }
        Console.error("\(kind.rawValue) statistics: \(prepared.statistics(outcome))")
        provenance.finishedAt = Date()
        guard outcome.status == .complete else {
            throw ScanInterrupted(message: "interrupted: \(outcome.systemsDone) of \(outcome.systemsPlanned) systems are stored"
                             + (outcome.scanID.map { "; finish with: govaudit scan --resume \($0)" } ?? ""))
        }
        try await emit(outcome.report, policy: plan.policy, provenance: provenance, output: output, to: target, failOn: failOn)
        if let id = outcome.scanID { await alert(after: id) }
        try failOn.check(outcome.report)
    }

    /// The alert step after a stored scan (an interrupted one is alerted once resumed and
    /// complete). Whatever happens here leaves the scan's exit code as it is.
    func alert(after scanID: String) async {
        guard let alerts, let store = plan.store else { return }
        do {
            let report = try await AlertEngine(settings: alerts, store: store, policy: plan.policy).afterScan(scanID, report: output.out)
            Console.error(TerminalText.sanitize(report.summary))
        } catch {
            Console.error("alerts: the alert step failed (\(TerminalText.sanitize(error.description))); the scan itself is stored")
        }
    }

    /// A `scan-failed` alert when the scan could not be run or stored.
    func alertFailure(_ reason: String) async {
        guard let alerts else { return }
        let (report, error) = await AlertEngine.afterFailure(reason, inventory: plan.inventory.name, settings: alerts, store: plan.store,
                                                             policy: plan.policy)
        Console.error(TerminalText.sanitize(report.summary) + (error.map { " (alert state not stored: \($0.description))" } ?? ""))
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

    @Option(help: ArgumentHelp("Inventory file (YAML). Default: the config's inventory; with --resume, the scan's own.", valueName: "file"))
    var inventory: String?

    @Flag(help: ArgumentHelp("Finish an interrupted scan: probe only the systems it has not stored.",
                             discussion: "Without an id, the latest unfinished scan. The inventory, policy and checks must be the scan's."))
    var resume = false

    @Argument(help: ArgumentHelp("With --resume: the scan to finish (see govaudit history).", valueName: "scan-id"))
    var scanID: String?

    @OptionGroup var policyOptions: PolicyOptions
    @OptionGroup var asOf: AsOfOption
    @OptionGroup var network: NetworkOptions
    @OptionGroup var crawl: CrawlOptions
    @OptionGroup var bounds: BoundsOptions
    @OptionGroup var checks: ChecksOption
    @OptionGroup var storage: StorageOptions
    @OptionGroup var output: OutputOptions

    @OptionGroup var failOn: FailOnOption
    @OptionGroup(title: "Alerts") var alerts: AlertOptions

    @Option(help: "Endpoints probed at the same time.")
    var concurrency: Int = 8

    func validate() throws {
        if !(1...64).contains(concurrency) { throw ValidationError("--concurrency: give 1–64") }
        if alerts.alert && storage.noStore { throw ValidationError("--alert compares with the stored history; drop --no-store") }
        if scanID != nil && !resume { throw ValidationError("a scan id is given only with --resume") }
        if resume && storage.noStore { throw ValidationError("--resume needs the history store; drop --no-store") }
    }

    func run() async throws {
        let config = try storage.database.config.load()
        let job = InventoryScan(command: "scan", policy: try policyOptions.load(), network: network.merged(with: config),
                                crawl: crawl, bounds: bounds, checks: checks.selected(network: network, crawl: crawl),
                                // A resumed scan keeps its own inventory unless --inventory says otherwise.
                                storage: storage, inventoryPath: inventory ?? (resume ? nil : config?.inventory), asOf: asOf.date,
                                resume: resume ? .scan(scanID) : .no, concurrency: concurrency)
        let alertSettings = alerts.alert ? try alerts.channels.settings(config: config, language: output.lang.language, caFile: job.network.caFile) : nil
        if alerts.alert && alertSettings == nil {
            throw ValidationError("--alert: give a channel, --webhook URL or --smtp URL (or an alerts: section in the config file)")
        }
        let planned: (ScanPlan, ScanLock?)
        do {
            planned = try await job.plan()
        } catch let failure as RunFailure {
            // The store or the lock failed before the scan began: said on every channel, not kept.
            if let alertSettings {
                let (report, _) = await AlertEngine.afterFailure(failure.message, inventory: inventory ?? config?.inventory ?? "?",
                                                                 settings: alertSettings, store: nil)
                Console.error(TerminalText.sanitize(report.summary))
            }
            throw failure
        }
        let (plan, lock) = planned
        defer { lock?.release() }
        try await ScanRun(plan: plan, output: output, failOn: failOn, alerts: alertSettings).execute()
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
    @OptionGroup var bounds: BoundsOptions
    @OptionGroup var checks: ChecksOption
    @OptionGroup var storage: StorageOptions
    @OptionGroup var output: OutputOptions

    @OptionGroup var failOn: FailOnOption

    @Option(help: "Endpoints probed at the same time (the target's endpoints in the inventory).")
    var concurrency: Int = 4

    func validate() throws {
        if !(1...64).contains(concurrency) { throw ValidationError("--concurrency: give 1–64") }
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
        var areas: Set<Area>? = Check.auditAreas
        var listed: Set<String>?
        if let inventory, let loaded = Optional(try InventoryLoader.load(path: inventory)),
           let system = loaded.systems.first(where: { $0.endpoints.contains { $0.host == ep.host } }) {
            listed = Set(loaded.systems.flatMap(\.endpoints).map { $0.host.lowercased() })
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
        // An audit is stored as its own series: the target and the inventory file it was judged with.
        var identity = Array(ep.description.utf8)
        if let inventory { identity += Array(try Data(contentsOf: URL(fileURLWithPath: inventory))) }
        let store = storage.noStore ? nil : try storage.database.open(create: true)
        let plan = ScanPlan(kind: .audit, inventory: inv, inventoryPath: inventory, inventoryHash: Digest.sha256Hex(identity),
                            policy: policy, network: network.merged(with: try storage.database.config.load()), crawl: crawl, bounds: bounds,
                            checks: checks.selected(network: network, crawl: crawl), asOf: asOf.date, areas: areas, concurrency: concurrency, store: store,
                            listed: listed)
        try await ScanRun(plan: plan, output: output, failOn: failOn).execute()
    }
}
