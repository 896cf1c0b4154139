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

    @OptionGroup var failOn: FailOnOption

    func run() throws {
        let started = Date()
        let policy = try policyOptions.load()
        let target = try output.target(inputs: [inventory] + policy.files)
        let inv = try InventoryLoader.load(path: inventory)
        let date = asOf.date
        let evaluator = Evaluator(policy: policy)
        let problems = evaluator.validate(inv, asOf: date)
        if !problems.isEmpty { throw InputErrors(problems) }
        let evaluation = evaluator.evaluate(inv, asOf: date)

        let provenance = provenance(command: "evaluate", started: started, asOf: date, policy: policy, inventory: inventory,
                                    resolver: nil, families: [])
        try output.emit(to: target) { color in
            output.format == .json
                ? try EvaluationJSON.render(evaluation, policy: policy, provenance: provenance, failOn: failOn.failOn.severity)
                : EvaluationTable(policy: policy, language: output.lang.language, style: Style(enabled: color)).render(evaluation)
        }
        try failOn.check(evaluation)
    }
}
