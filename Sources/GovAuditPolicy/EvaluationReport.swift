import GovAuditCore

/// The systems of a result, handed over one at a time in the report's order, so a report of a
/// large scan never holds all of them: an in-memory evaluation hands over its array, a stored
/// scan reads each system back (and judges it) only when its turn comes.
public protocol SystemEvaluations: Sendable {
    /// Calls `body` with each system in order. Every call is a new pass (a stored scan reads
    /// the store again), so a renderer makes one.
    func forEach(_ body: (SystemEvaluation) async throws -> Void) async throws
    /// `render` of each system, handed to `body` in order. Where reading a system back costs
    /// (a stored scan decodes and judges it), a few are read and rendered ahead, side by side,
    /// so that a report of a large scan uses every core; memory holds only those few.
    func forEach<T: Sendable>(rendering render: @escaping @Sendable (SystemEvaluation) throws -> T,
                              _ body: (T) async throws -> Void) async throws
    /// As `forEach(rendering:)`, but where the systems come from a store that keeps their
    /// evidence as JSON text, each system's evidence is handed as that text (and its `evidence`
    /// left empty): a JSON report writes it as it is instead of decoding and encoding it again.
    /// Nil where there is no such text; then `evidence` holds the evidence.
    func forEach<T: Sendable>(renderingJSON render: @escaping @Sendable (SystemEvaluation, [EvidenceJSON]?) throws -> T,
                              _ body: (T) async throws -> Void) async throws
}

extension SystemEvaluations {
    public func forEach<T: Sendable>(rendering render: @escaping @Sendable (SystemEvaluation) throws -> T,
                                     _ body: (T) async throws -> Void) async throws {
        try await forEach { try await body(try render($0)) }
    }

    public func forEach<T: Sendable>(renderingJSON render: @escaping @Sendable (SystemEvaluation, [EvidenceJSON]?) throws -> T,
                                     _ body: (T) async throws -> Void) async throws {
        try await forEach(rendering: { try render($0, nil) }, body)
    }
}

/// One evidence record as compact JSON with sorted keys, byte for byte what `JSONEncoder`
/// (`.sortedKeys`, `.withoutEscapingSlashes`) writes for the `Evidence` itself.
public struct EvidenceJSON: Sendable, Equatable {
    /// The endpoint's text, as `Endpoint.description`; nil for the system as a whole.
    public var endpoint: String?
    public var json: [UInt8]

    public init(endpoint: String?, json: [UInt8]) {
        self.endpoint = endpoint
        self.json = json
    }
}

/// What a report is rendered from: everything known before the first system is read (the day,
/// the inventory, the summary figures), then the systems in turn.
public struct EvaluationReport: Sendable {
    public var asOf: CalendarDate
    public var inventory: Inventory
    public var summary: Summary
    /// Whether probes ran (scan, audit) or not (evaluate).
    public var probed: Bool
    public var systems: any SystemEvaluations

    public init(asOf: CalendarDate, inventory: Inventory, summary: Summary, probed: Bool, systems: any SystemEvaluations) {
        self.asOf = asOf
        self.inventory = inventory
        self.summary = summary
        self.probed = probed
        self.systems = systems
    }

    /// How many open findings are at or above `severity`: what decides the exit code. Read from
    /// the province figures, which count every open finding of every system.
    public func openFindings(atLeast severity: Severity) -> Int {
        summary.province.openFindings.reduce(0) { sum, entry in
            guard let s = Severity(rawValue: entry.key), s >= severity else { return sum }
            return sum + entry.value
        }
    }
}

/// Systems already in memory.
public struct SystemsInMemory: SystemEvaluations {
    public var systems: [SystemEvaluation]

    public init(_ systems: [SystemEvaluation]) {
        self.systems = systems
    }

    public func forEach(_ body: (SystemEvaluation) async throws -> Void) async throws {
        for s in systems { try await body(s) }
    }
}

extension Evaluation {
    /// This evaluation as a report's input.
    public var report: EvaluationReport {
        EvaluationReport(asOf: asOf, inventory: inventory, summary: summary, probed: probed, systems: SystemsInMemory(systems))
    }
}
