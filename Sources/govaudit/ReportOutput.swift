import ArgumentParser
import Foundation
import GovAuditCore
import GovAuditFiles
import GovAuditPolicy
import GovAuditReports
import GovAuditStore

// Printing a report without holding it: the JSON goes out system by system as the report reads
// them (from the history store, for a scan), the table is gathered in one pass and printed.
// Kept apart from Options.swift so that OutputOptions.emit stays as it is.

/// Prints a report as the verbs do: table or JSON, to standard output and `--out` (`target`).
func emit(_ report: EvaluationReport, policy: Policy, provenance: ScanProvenance, output: OutputOptions,
          to target: OutputFile?, failOn: FailOnOption) async throws {
    try await mappingStoreErrors {
        switch output.format {
        case .json:
            try await output.emitStreaming(to: target) { sink in
                try await EvaluationJSON.write(report, policy: policy, provenance: provenance, failOn: failOn.failOn.severity, to: sink)
            }
        case .table:
            let content = try await EvaluationTable.gather(report, policy: policy, language: output.lang.language)
            try output.emit(to: target) { color in content.render(Style(enabled: color)) }
        }
    }
}

extension FailOnOption {
    /// Exits 1 (through ArgumentParser) when the report has open findings at or above the threshold.
    func check(_ report: EvaluationReport) throws {
        if let threshold = failOn.severity, report.openFindings(atLeast: threshold) > 0 {
            throw ExitCode(Exit.findings)
        }
    }
}

extension OutputOptions {
    /// Like `emit`, for a report written in pieces: each piece goes to standard output and to
    /// `--out` as it comes; the file takes the old one's place only once the whole report is
    /// written, so a failed run leaves the old one.
    func emitStreaming(to target: OutputFile?, _ write: (_ sink: (String) throws -> Void) async throws -> Void) async throws {
        let file = try target.map(OutputFile.Stream.init)
        do {
            try await write { piece in
                Console.out(piece)
                try file?.append(Array(piece.utf8))
            }
            try file?.commit()
        } catch {
            file?.discard()
            throw error
        }
    }
}
