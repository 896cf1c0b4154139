import ArgumentParser
import Foundation
import GovAuditCore
import GovAuditFiles

/// The `govaudit` command: one type per verb, no logic here beyond reading options and calling
/// the modules below.
struct GovAudit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "govaudit",
        abstract: "Information-security compliance auditor for a province's information systems.",
        discussion: """
        GovAudit checks each information system of an inventory against a policy: the \
        security-level dossier, the 4-layer protection model and, with the network probes, IPv6, \
        TLS and link hygiene. It prints findings per system and the report figures \
        ("Hệ thống được phê duyệt hồ sơ đề xuất cấp độ: 64/64, đạt 100%").

        Start with:
          govaudit evaluate --inventory Policies/inventory/angiang.yaml
          govaudit audit angiang.gov.vn
          govaudit scan --inventory Policies/inventory/angiang.yaml
          govaudit policy list

        Exit codes: 0 fine; 1 findings at or above --fail-on; 2 bad input or usage; \
        3 the run itself failed.
        """,
        version: GovAuditVersion.current,
        subcommands: [Version.self, InventoryCommand.self, PolicyCommand.self, Evaluate.self, Audit.self, Scan.self,
                      ScheduleCommand.self, History.self, Diff.self, TriageCommand.self, BaselineCommand.self, EvidenceCommand.self,
                      ReportCommand.self])
}

/// Exit codes shared by every verb (DESIGN.md, "Contracts").
enum Exit {
    static let findings: Int32 = 1
    static let badInput: Int32 = 2
    static let runFailed: Int32 = 3
}

@main
enum Main {
    static func main() async {
        do {
            var command = try GovAudit.parseAsRoot()
            if var async = command as? AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch let errors as InputErrors {
            Console.error(errors.description)
            exit(Exit.badInput)
        } catch let error as InputError {
            Console.error(error.description)
            exit(Exit.badInput)
        } catch let error as RunFailure {
            Console.error("govaudit: \(VisibleText.escaped(error.message))")
            exit(Exit.runFailed)
        } catch let error as OutputFile.WriteFailure {
            Console.error("govaudit: \(VisibleText.escaped(error.description))")
            exit(Exit.runFailed)
        } catch let stop as ScanInterrupted {
            // Probes abandoned mid-step may still be inside OpenSSL or libcurl: skip the
            // libraries' exit handlers (what was committed is already in the database).
            Console.error("govaudit: \(stop.message)")
            _exit(Exit.runFailed)
        } catch let stop as ServiceStopped {
            // As above; a service stopped by SIGTERM has done its job: exit 0 (systemd's "stopped").
            Console.error("govaudit \(stop.message)")
            _exit(0)
        } catch {
            // ArgumentParser's help, version and usage errors. Usage errors exit 2, not 64.
            let code = GovAudit.exitCode(for: error)
            if code == .success {
                GovAudit.exit(withError: error)
            }
            // Its messages quote the arguments given: escaped like every other message.
            Console.error(VisibleText.escaped(GovAudit.fullMessage(for: error), keepNewlines: true))
            if code == .validationFailure { exit(Exit.badInput) }
            exit(code.rawValue == 0 ? Exit.runFailed : code.rawValue)
        }
    }
}

/// The run itself could not be done (a file could not be written, a library failed): exit 3.
struct RunFailure: Error {
    var message: String
}

/// A scan stopped by a signal before it finished: exit 3, at once.
struct ScanInterrupted: Error {
    var message: String
}

enum Console {
    static func error(_ text: String, newline: Bool = true) {
        FileHandle.standardError.write(Data((newline && !text.hasSuffix("\n") ? text + "\n" : text).utf8))
    }

    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Colour only on a terminal, and never under NO_COLOR (https://no-color.org) or TERM=dumb.
    static var colorEnabled: Bool {
        let env = ProcessInfo.processInfo.environment
        if let v = env["NO_COLOR"], !v.isEmpty { return false }
        if env["TERM"] == "dumb" { return false }
        return isatty(STDOUT_FILENO) == 1
    }

    /// Writes `text` to a checked target, atomically: a crash never leaves a half-written
    /// report where a good one was.
    static func write(_ text: String, to target: OutputFile) throws {
        try target.write(Array(text.utf8))
    }
}
