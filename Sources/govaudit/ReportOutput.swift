import ArgumentParser
import Foundation
import GovAuditCore
import GovAuditPolicy
import GovAuditReports
import GovAuditStore

// Printing a report without holding it: the JSON goes out system by system as the report reads
// them (from the history store, for a scan), the table is gathered in one pass and printed.
// Kept apart from Options.swift so that OutputOptions.emit stays as it is.

/// Prints a report as the verbs do: table or JSON, to standard output and `--out`.
func emit(_ report: EvaluationReport, policy: Policy, provenance: ScanProvenance, output: OutputOptions,
          failOn: FailOnOption) async throws {
    try await mappingStoreErrors {
        switch output.format {
        case .json:
            try await output.emitStreaming { sink in
                try await EvaluationJSON.write(report, policy: policy, provenance: provenance, failOn: failOn.failOn.severity, to: sink)
            }
        case .table:
            let content = try await EvaluationTable.gather(report, policy: policy, language: output.lang.language)
            try output.emit { color in content.render(Style(enabled: color)) }
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
    /// `--out` as it comes. `--out` is written to a temporary file beside it (0600) that replaces
    /// the file only once the whole report is written, so a failed run leaves the old one.
    func emitStreaming(_ write: (_ sink: (String) throws -> Void) async throws -> Void) async throws {
        let file = try out.map(PartialFile.init(replacing:))
        do {
            try await write { piece in
                Console.out(piece)
                try file?.append(piece)
            }
            try file?.commit()
        } catch {
            file?.discard()
            throw error
        }
    }
}

/// A file being written that takes the place of `path` only when committed.
final class PartialFile {
    let path: String
    private let temporary: String
    private let handle: FileHandle

    init(replacing path: String) throws {
        self.path = path
        let url = URL(fileURLWithPath: path)
        var template = Array(url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).XXXXXX").path.utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw RunFailure(message: "cannot write \(path): \(String(cString: strerror(errno)))") }
        temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }

    func append(_ text: String) throws {
        do { try handle.write(contentsOf: Data(text.utf8)) } catch {
            throw RunFailure(message: "cannot write \(path): \(error.localizedDescription)")
        }
    }

    func commit() throws {
        do {
            try handle.synchronize()
            try handle.close()
        } catch {
            throw RunFailure(message: "cannot write \(path): \(error.localizedDescription)")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw RunFailure(message: "cannot write \(path): \(reason)")
        }
    }

    /// Removes the partial file; the file at `path` stays as it was.
    func discard() {
        unlink(temporary)
    }
}
