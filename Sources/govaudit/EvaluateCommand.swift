import ArgumentParser
import Foundation
import GovAuditCore
import GovAuditInventory
import GovAuditNet
import GovAuditPolicy
import GovAuditReports
import GovAuditScan
import GovAuditStore

struct Evaluate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate an inventory against the policy without network, or judge a stored scan again.",
        discussion: """
        With --inventory: each system's status per protection layer from its dossier and \
        4-layer records, the findings grouped by rule with their legal basis and remedy, and the \
        province and agency figures. Waived findings are shown as waived and leave the figures \
        until the waiver expires.

        With --scan: the stored scan's evidence and its systems' records as they were that day, \
        judged under --policy on --as-of (default: the scan's own day), without the network. A new \
        policy, a new waiver or a new month gives new findings without rescanning.

        Examples:
          govaudit evaluate --inventory Policies/inventory/angiang.yaml
          govaudit evaluate --inventory inv.yaml --as-of 2027-07-01 --lang en
          govaudit evaluate --inventory inv.yaml --format json --out Reports/x.json
          govaudit evaluate --scan 2026-12-01T09-30-00Z-3f9a --as-of 2027-01-01
        """)

    @Option(help: ArgumentHelp("Inventory file (YAML).", valueName: "file"))
    var inventory: String?

    @Option(help: ArgumentHelp("A stored scan to judge again (see govaudit history), instead of --inventory.", valueName: "id"))
    var scan: String?

    @OptionGroup var policyOptions: PolicyOptions
    @OptionGroup var asOf: AsOfOption
    @OptionGroup var database: DatabaseOption
    @OptionGroup var output: OutputOptions

    @OptionGroup var failOn: FailOnOption

    func validate() throws {
        if (inventory == nil) == (scan == nil) { throw ValidationError("give --inventory FILE or --scan ID (one of them)") }
    }

    func run() async throws {
        let started = Date()
        let policy = try policyOptions.load()
        if let scan { return try await rejudge(scan, policy: policy, started: started) }
        guard let inventory else { return }
        let target = try output.target(inputs: [inventory] + policy.files)
        let inv = try InventoryLoader.load(path: inventory)
        let date = asOf.date
        let evaluator = Evaluator(policy: policy)
        let problems = evaluator.validate(inv, asOf: date)
        if !problems.isEmpty { throw InputErrors(problems) }
        let evaluation = evaluator.evaluate(inv, asOf: date)
        let provenance = provenance(command: "evaluate", started: started, asOf: date, policy: policy, inventory: inventory,
                                    resolver: nil, families: [])
        try await emit(evaluation.report, policy: policy, provenance: provenance, output: output, to: target, failOn: failOn)
        try failOn.check(evaluation.report)
    }

    /// The stored scan under today's policy (or --policy) on --as-of, or on its own day.
    private func rejudge(_ id: String, policy: Policy, started: Date) async throws {
        let store = try database.open(create: false)
        let target = try output.target(inputs: policy.files + [store.location.path])
        let rejudged = try await mappingStoreErrors {
            let record = try await store.scan(id)
            let evaluator = Evaluator(policy: policy, areas: Self.areas(record))
            return try await StoredScan.rejudge(id, store: store, evaluator: evaluator, asOf: asOf.asOf.flatMap(CalendarDate.init(parsing:)),
                                                catalog: EvidenceCatalog.standard)
        }
        if !rejudged.unknownKinds.isEmpty {
            Console.error("govaudit: scan \(id) holds evidence this build cannot read (\(rejudged.unknownKinds.joined(separator: ", "))); rules that need it are not judged")
        }
        var provenance = rejudged.record.provenance
        provenance.command = "evaluate --scan"
        provenance.asOf = rejudged.report.asOf
        provenance.policyName = policy.name
        provenance.policyHash = policy.hash
        try await emit(rejudged.report, policy: policy, provenance: provenance, output: output, to: target, failOn: failOn)
        try failOn.check(rejudged.report)
    }

    /// The areas the stored scan judged: an audit outside an inventory judged no records, and
    /// checks that did not run leave their areas out.
    static func areas(_ record: ScanRecord) -> Set<Area>? {
        let outsideInventory = record.series.kind == .audit && record.provenance.inventory == nil
        return Check.judgedAreas(running: record.series.checks.compactMap(Check.init(rawValue:)),
                                 within: outsideInventory ? Check.auditAreas : nil)
    }
}
