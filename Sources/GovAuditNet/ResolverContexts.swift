import CUnboundShim
import Foundation

/// libunbound contexts kept between sessions, shared by every copy of one `Resolver`: a fresh
/// context starts with an empty cache, so its first validated answer costs the DNSKEY and DS
/// queries and signature checks of the whole chain again (and a thread of its own). A session
/// takes a warm context and gives it back when it ends. Bounded: `capacity` idle contexts.
final class ResolverContexts: @unchecked Sendable {
    /// One libunbound context, deleted with its last reference.
    final class Context {
        let ctx: OpaquePointer
        let key: Key

        fileprivate init(ctx: OpaquePointer, key: Key) {
            self.ctx = ctx
            self.key = key
        }

        deinit { ub_ctx_delete(ctx) }
    }

    /// What a context was made for: a copy of the resolver with another upstream or anchor file
    /// never gets it.
    struct Key: Hashable {
        var upstream: String?
        var trustAnchorFile: String?
    }

    let capacity: Int
    private let lock = NSLock()  // guards `idle` and `anchors`
    private var idle: [Key: [Context]] = [:]
    /// The anchored zones read from each trust-anchor file (`Resolver.anchoredZones`).
    private var anchors: [String: [String]] = [:]

    init(capacity: Int = 16) {
        self.capacity = max(1, capacity)
    }

    /// A context for `config`: an idle one, or a new one.
    func take(_ config: Resolver) throws(DNSFailure) -> Context {
        let key = Key(upstream: config.upstream, trustAnchorFile: config.trustAnchorFile)
        let kept: Context? = lock.withLock { idle[key]?.popLast() }
        if let kept { return kept }
        var error: UnsafePointer<CChar>?
        let upstream = config.upstream.map { Resolver.unboundAddress($0) ?? $0 }
        guard let ctx = ga_ub_create(upstream, config.trustAnchorFile, &error) else {
            throw .resolverError(error.map { String(cString: $0) } ?? "cannot create resolver")
        }
        return Context(ctx: ctx, key: key)
    }

    func anchoredZones(_ path: String) -> [String]? { lock.withLock { anchors[path] } }
    func keepAnchoredZones(_ zones: [String], _ path: String) { lock.withLock { anchors[path] = zones } }

    /// Gives a context back; past the bound it is deleted (outside the lock).
    func put(_ context: Context) {
        var dropped: Context?
        lock.withLock {
            if idle.values.reduce(0, { $0 + $1.count }) < capacity { idle[context.key, default: []].append(context) }
            else { dropped = context }
        }
        withExtendedLifetime(dropped) {}
    }
}
