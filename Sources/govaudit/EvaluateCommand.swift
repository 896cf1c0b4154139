import ArgumentParser
import Foundation
import GovAuditCore
import GovAuditInventory
import GovAuditNet
import GovAuditPolicy
import GovAuditReports

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate an inventory against the policy, without network: dossier and 4-layer records.",
        discussion: """
        Prints each system's status per protection layer, the findings grouped by rule with \
        their legal basis and remedy, and the province and agency figures. Waived findings are \
        shown as waived and leave the figures until the waiver expires.

        Examples:
          govaudit evaluate --inventory Policies/inventory/angiang.yaml
          govaudit evaluate --inventory inv.yaml --as-of 2027-07-01 --lang en
          govaudit evaluate --inventory inv.yaml --format json --out Reports/x.json
        """)

    @Option(help: ArgumentHelp("Inventory file (YAML).", valueName: "file"))
    var inventory: String

    @OptionGroup var policyOptions: PolicyOptions
    @OptionGroup var asOf: AsOfOption
    @OptionGroup var output: OutputOptions

    @Option(help: "Exit 1 when an open finding is at or above this severity (critical, high, medium, low, info, none).")
    var failOn: FailOn = .high

    func run() throws {
        let started = Date()
        let policy = try policyOptions.load()
        let inv = try InventoryLoader.load(path: inventory)
        let date = asOf.date
        let evaluator = Evaluator(policy: policy)
        let problems = evaluator.validate(inv, asOf: date)
        if !problems.isEmpty { throw InputErrors(problems) }
        let evaluation = evaluator.evaluate(inv, asOf: date)

        let provenance = ScanProvenance(
            id: UUID().uuidString.lowercased(), command: "evaluate", startedAt: started, finishedAt: Date(),
            asOf: date, govauditVersion: GovAuditVersion.current, libcurlVersion: Libraries.curlVersion,
            opensslVersion: Libraries.opensslVersion, policyName: policy.name, policyHash: policy.hash,
            inventory: inventory, resolver: nil, ipFamilies: [])
        try output.emit { color in
            output.format == .json
                ? try EvaluationJSON.render(evaluation, policy: policy, provenance: provenance, failOn: failOn.severity)
                : EvaluationTable(policy: policy, language: output.lang.language, style: Style(enabled: color)).render(evaluation)
        }
        if let threshold = failOn.severity, !evaluation.openFindings(atLeast: threshold).isEmpty {
            throw ExitCode(Exit.findings)
        }
    }
}
