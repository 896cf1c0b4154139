import ArgumentParser
import GovAuditCore
import GovAuditReports

struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Show the policy's rules and their legal basis.",
        subcommands: [List.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List every rule: id, area, severity, levels, title and legal basis per regime.",
            discussion: "Bases marked ⚑ are unconfirmed: their values are parameters you can change in the policy.")

        @OptionGroup var policyOptions: PolicyOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let policy = try policyOptions.load()
            try output.emit(to: try output.target(inputs: policy.files)) { color in
                output.format == .json
                    ? try PolicyListing.json(policy)
                    : PolicyListing.table(policy, language: output.lang.language, style: Style(enabled: color))
            }
        }
    }
}
