import Dispatch
import Foundation

/// Ctrl-C (SIGINT) and SIGTERM during a scan: the first cancels the work, which then stores what
/// it finished and marks the scan interrupted; a second one ends the process at once (what was
/// committed is safe in the database either way).
enum Interruption {
    static func cancellingOnSignal<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let signals = [SIGINT, SIGTERM]
        for s in signals { signal(s, SIG_IGN) }
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        let count = Counter()
        let sources = signals.map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if count.increment() > 1 {
                    Console.error("govaudit: stopped at once; systems already committed are kept")
                    exit(128 + number)
                }
                continuation.yield(number)
            }
            source.resume()
            return source
        }
        defer {
            for s in sources { s.cancel() }
            for s in signals { signal(s, SIG_DFL) }
        }
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                defer { continuation.finish() }
                return try await body()
            }
            group.addTask {
                for await number in stream {
                    Console.error("govaudit: \(number == SIGINT ? "interrupted" : "terminated"); storing what is finished (again to quit at once)")
                    return nil
                }
                return nil
            }
            var result: T?
            for try await value in group {
                if let value { result = value } else { group.cancelAll() }
            }
            guard let result else { throw CancellationError() }
            return result
        }
    }

    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var n = 0
        func increment() -> Int { lock.withLock { n += 1; return n } }
    }
}
