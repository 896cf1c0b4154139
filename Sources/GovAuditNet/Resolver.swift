import CUnboundShim
import Foundation
import GovAuditCore
import GovAuditFiles

/// One lookup's answer.
public struct DNSAnswer: Sendable {
    /// RCODE: 0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN, 5 REFUSED.
    public var rcode: Int
    /// The answer section, CNAMEs included, in the order received.
    public var records: [DNSRecord]
    public var validation: DNSSECValidation
    public var whyBogus: String?

    /// The data of `type` records (addresses, names), after any CNAMEs.
    public func values(_ type: DNSType) -> [String] {
        records.filter { $0.type == type.rawValue }.compactMap {
            switch $0.data {
            case .address(let a): a
            case .name(let n): n
            case .mx(_, let e): e
            case .caa, .other: nil
            }
        }
    }

    /// The CAA records of the answer (RFC 8659), after any CNAMEs, in the order received.
    public var caaRecords: [CAARecord] {
        records.compactMap { if case .caa(let r) = $0.data { r } else { nil } }
    }

    /// The CNAME targets, in chain order.
    public var cnameChain: [String] { values(.cname) }
}

public enum DNSFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// No answer before the deadline.
    case timeout(milliseconds: Int)
    /// libunbound could not run the query (bad upstream, no network).
    case resolverError(String)
    /// The probe's deadline came before the answer (or before the query could start).
    case budgetExhausted(Deadline)

    public var description: String {
        switch self {
        case .timeout(let ms): "no answer within \(ms) ms"
        case .resolverError(let s): s
        case .budgetExhausted(let d): "no answer before the end of \(d)"
        }
    }
}

/// The one DNS resolver every probe uses: libunbound, forwarding to `--resolver` (or the
/// system's), validating DNSSEC with `--trust-anchor`, every query bounded by `timeout`.
/// A value: each probe opens its own `Session` (one libunbound context), and every copy shares
/// one `LookupCache`, so a name is asked once however many probes and hops need it.
public struct Resolver: Sendable {
    /// `ADDR[:PORT]` or `[V6]:PORT`; nil = /etc/resolv.conf.
    public var upstream: String?
    public var trustAnchorFile: String?
    public var timeoutMilliseconds: Int
    /// When set, no query runs past it (a probe's budget).
    public var deadline: Deadline?
    /// Shared by every copy of this resolver; nil queries every time.
    public var cache: LookupCache?
    /// libunbound contexts between sessions, shared by every copy of this resolver.
    let contexts = ResolverContexts()

    public init(upstream: String? = nil, trustAnchorFile: String? = nil, timeoutMilliseconds: Int = 5000,
                cache: LookupCache? = LookupCache()) {
        self.upstream = upstream
        self.trustAnchorFile = trustAnchorFile
        self.timeoutMilliseconds = timeoutMilliseconds
        self.cache = cache
    }

    /// `127.0.10.1:53` → `127.0.10.1@53`, `[fd10::1]:53` → `fd10::1@53`, as libunbound wants.
    public static func unboundAddress(_ text: String) -> String? {
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            let addr = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard CIDR.parse(String(addr)) != nil else { return nil }
            if rest.isEmpty { return String(addr) }
            guard rest.hasPrefix(":"), let port = Int(rest.dropFirst()), (1...65535).contains(port) else { return nil }
            return "\(addr)@\(port)"
        }
        if CIDR.parse(text) != nil { return text }  // a bare IPv4 or IPv6 address
        let parts = text.split(separator: ":")
        if parts.count == 2, CIDR.parse(String(parts[0])) != nil, let port = Int(parts[1]), (1...65535).contains(port) {
            return "\(parts[0])@\(port)"
        }
        return nil
    }

    /// Problems of a trust-anchor file, as `line: message`; empty when every record is a DS or
    /// DNSKEY record in zone-file form. Checked before libunbound sees the file, whose own errors
    /// would only surface at the first query.
    public static func trustAnchorProblems(_ text: String) -> [(line: Int, message: String)] {
        var problems: [(Int, String)] = []
        var records = 0
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard !fields.isEmpty else { continue }
            if fields.contains("DS") || fields.contains("DNSKEY") { records += 1 }
            else { problems.append((i + 1, "not a DS or DNSKEY record")) }
        }
        if records == 0 && problems.isEmpty { problems.append((1, "no DS or DNSKEY record")) }
        return problems
    }

    /// The anchored zones (owner names of the trust-anchor records), to tell insecure from indeterminate.
    /// A file that cannot be read (gone, grown, not regular) stops the resolver, rather than
    /// turning every "insecure" answer into "indeterminate". Read once per resolver (every session
    /// needs them, and a scan opens thousands); a failed read is not kept, so it fails every
    /// session alike.
    func anchoredZones() throws(DNSFailure) -> [String] {
        guard let path = trustAnchorFile else { return [] }
        if let known = contexts.anchoredZones(path) { return known }
        let zones = try Self.readAnchoredZones(path)
        contexts.keepAnchoredZones(zones, path)
        return zones
    }

    private static func readAnchoredZones(_ path: String) throws(DNSFailure) -> [String] {
        let text: String
        do { text = try InputFile.text(path, limit: InputFile.Limit.trustAnchors) }
        catch { throw .resolverError("trust anchors: \(error.description)") }
        return text.split(separator: "\n").compactMap { line in
            let first = line.split(separator: " ").first.map(String.init) ?? ""
            let owner = first.split(separator: "\t").first.map(String.init) ?? ""
            guard !owner.isEmpty, !owner.hasPrefix(";") else { return nil }
            return owner.lowercased().trimming(".")
        }
    }

    public func session() throws(DNSFailure) -> Session {
        try Session(self)
    }

    /// A libunbound context, used by one task at a time. The context is taken at the first query
    /// the shared cache cannot answer (most sessions of a scan find every name already cached),
    /// warm from `contexts` when another session gave one back, and given back when this one ends.
    public final class Session {
        private var context: ResolverContexts.Context?
        private let config: Resolver
        private let anchors: [String]

        init(_ config: Resolver) throws(DNSFailure) {
            self.anchors = try config.anchoredZones()
            self.config = config
        }

        deinit { if let context { config.contexts.put(context) } }

        private func ctx() -> Result<OpaquePointer, DNSFailure> {
            if let context { return .success(context.ctx) }
            do {
                let taken = try config.contexts.take(config)
                context = taken
                return .success(taken.ctx)
            } catch {
                return .failure(error)
            }
        }

        /// The answer, from the shared cache when another lookup already has it.
        public func lookup(_ name: String, _ type: DNSType) -> Result<DNSAnswer, DNSFailure> {
            guard let cache = config.cache else { return query(name, type) }
            return cache.answer(name, type, until: config.deadline) { query(name, type) }
        }

        private func query(_ name: String, _ type: DNSType) -> Result<DNSAnswer, DNSFailure> {
            let limit = config.deadline?.cap(config.timeoutMilliseconds) ?? config.timeoutMilliseconds
            if limit <= 0, let deadline = config.deadline { return .failure(.budgetExhausted(deadline)) }
            let ctx: OpaquePointer
            switch self.ctx() {
            case .success(let c): ctx = c
            case .failure(let f): return .failure(f)
            }
            var result: UnsafeMutablePointer<ub_result>?
            let rc = ga_ub_resolve(ctx, name, Int32(type.rawValue), Int32(limit), &result)
            if rc == 1 {
                // Cut by the deadline rather than by the query's own timeout: the budget's doing.
                if limit < config.timeoutMilliseconds, let deadline = config.deadline { return .failure(.budgetExhausted(deadline)) }
                return .failure(.timeout(milliseconds: limit))
            }
            guard rc == 0, let r = result else { return .failure(.resolverError(String(cString: ub_strerror(rc)))) }
            defer { ub_resolve_free(r) }
            var records: [DNSRecord] = []
            if let packet = r.pointee.answer_packet, r.pointee.answer_len > 0 {
                let bytes = Array(UnsafeRawBufferPointer(start: packet, count: Int(r.pointee.answer_len)))
                // An answer we cannot read is a failed query, never "no records".
                do { records = try DNSMessage.answers(bytes) } catch {
                    return .failure(.resolverError("the answer for \(name) (type \(type.rawValue)) is malformed"))
                }
            }
            let validation: DNSSECValidation
            if r.pointee.bogus != 0 { validation = .bogus }
            else if r.pointee.secure != 0 { validation = .secure }
            else {
                let n = name.lowercased().trimming(".")
                validation = anchors.contains { HostName.isSubdomain(n, of: $0) } ? .insecure : .indeterminate
            }
            return .success(DNSAnswer(rcode: Int(r.pointee.rcode), records: records, validation: validation,
                                      whyBogus: r.pointee.why_bogus.map { String(cString: $0) }))
        }
    }
}
