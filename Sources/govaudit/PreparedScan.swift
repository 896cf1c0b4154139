import GovAuditCore
import GovAuditProbes
import GovAuditScan
import GovAuditStore

/// A scan wired and ready: only values, so it can run inside the signal handling.
struct PreparedScan: Sendable {
    var session: ScanSession
    var request: ScanRequest
    var resume: String?
    /// The probes' network core, whose caches and kept connections the statistics count.
    var context: ProbeContext

    /// The gauges of a finished run, for the line the scan ends with.
    func statistics(_ outcome: ScanOutcome) -> ScanStatistics {
        ScanStatistics(peakThreads: outcome.peakThreads, context: context)
    }

    /// Runs the scan; a cancelled task stores what is finished and marks the scan interrupted.
    func run(progress: @escaping @Sendable (ScanProgress) -> Void) async throws -> ScanOutcome {
        do {
            if let resume { return try await session.resume(resume, request: request, progress: progress) }
            return try await session.start(request, progress: progress)
        } catch let refusal as ResumeRefusal {
            throw InputErrors([InputError(SourceLocation(file: "--resume"), refusal.description)])
        } catch let error as StoreError {
            throw RunFailure(message: error.description)
        } catch let error as SpoolError {
            throw RunFailure(message: error.description)
        }
    }
}
