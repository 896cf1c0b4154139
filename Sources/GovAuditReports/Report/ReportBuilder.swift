import Foundation
import GovAuditCore
import GovAuditPolicy
import GovAuditScan
import GovAuditStore

extension ReportModel {
    /// Reads stored scan `id`, judges it (`StoredScan.rejudge`, with the evaluator `judge` gives
    /// for its record) and builds its report, with the trend over up to `depth` earlier complete
    /// scans of its series. Earlier scans give their stored figures (as reported then).
    public static func load(scan id: String, store: HistoryStore, policy: Policy, depth: Int = 6,
                            judge: (ScanRecord) -> Evaluator) async throws -> ReportModel {
        let record = try await store.scan(id)
        let rejudged = try await StoredScan.rejudge(id, store: store, evaluator: judge(record), asOf: nil,
                                                    catalog: EvidenceCatalog.standard)
        let earlier = try await store.completeScans(in: record.series, before: record.startedAt, limit: depth)
        return try await build(rejudged, policy: policy, earlier: earlier, triage: try await store.triageInForce())
    }

    /// The model of a judged scan. `earlier`: complete scans of the same series before it, newest first;
    /// `triage`: the verdict in force per finding key. The systems are read once, in turn; only what
    /// the model shows of each is kept.
    public static func build(_ judged: StoredScan.Rejudged, policy: Policy, earlier: [ScanRecord],
                             triage: [String: Triage] = [:]) async throws -> ReportModel {
        let e = judged.report, r = judged.record
        let previous = earlier.first
        let before = Dictionary((previous?.summary?.province.figures ?? []).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let figures = e.summary.province.figures.map { f in
            Figure(id: f.id, label: f.label, passed: f.passed, applicable: f.applicable, unknown: f.unknown,
                   notApplicable: f.notApplicable, percent: f.percent, failedSystems: f.failedSystems,
                   trend: before[f.id].map { trend(from: $0, to: f) })
        }
        let points = (earlier.reversed().compactMap { s in s.summary.map { (s.id, s.startedAt, $0) } }
                      + [(r.id, r.startedAt, e.summary)]).map { id, at, summary in
            HistoryPoint(scan: id, startedAt: at, percents: Dictionary(
                summary.province.figures.compactMap { f in f.percent.map { (f.id, $0) } }, uniquingKeysWith: { a, _ in a }))
        }
        let agencies = e.summary.agencies.map { g in
            AgencyRow(id: g.agency ?? "", name: g.name, systems: g.systems, figures: g.figures.map(cell),
                      openFindings: g.openFindings, waivedFindings: g.waivedFindings)
        }
        let ipv6Figure = policy.figures.first { $0.areas == [.ipv6] }?.id
        var systems: [SystemEntry] = [], ipv6: [IPv6Row] = [], tls: [TLSRow] = [], links: [LinkRow] = []
        try await e.systems.forEach { s in
            let item = entry(s, inventory: e.inventory, policy: policy, triage: triage)
            systems.append(item)
            ipv6 += ReportFacts.ipv6Rows(s, status: item.statuses.first { $0.figure == ipv6Figure }?.status ?? .notApplicable)
            tls += ReportFacts.tlsRows(s)
            links += s.findings.filter { $0.area == .links }.map {
                LinkRow(system: $0.system, endpoint: $0.endpoint, rule: $0.rule, severity: $0.severity,
                        status: $0.status, title: $0.title, evidence: $0.evidence)
            }
        }
        return ReportModel(
            schemaVersion: schemaVersion,
            scan: ScanInfo(id: r.id, kind: r.series.kind.rawValue, status: r.status.rawValue, inventory: r.inventory.name,
                           illustrative: r.inventory.illustrative, checks: r.series.checks, startedAt: r.startedAt,
                           endedAt: r.endedAt, asOf: e.asOf, policyName: policy.name, policyVersion: policy.version,
                           policyHash: policy.hash, govauditVersion: r.provenance.govauditVersion,
                           libcurlVersion: r.provenance.libcurlVersion, opensslVersion: r.provenance.opensslVersion,
                           resolver: r.provenance.resolver, ipFamilies: r.provenance.ipFamilies,
                           systemsPlanned: r.scope.systems.count, systemsReported: systems.count),
            previous: previous.map { p in
                ScanRef(id: p.id, startedAt: p.startedAt, asOf: StoredScan.asOf(p), samePolicy: p.policyHash == policy.hash)
            },
            figures: figures, history: points, agencies: agencies, systems: systems, ipv6: ipv6, tls: tls, links: links)
    }

    static func trend(from old: FigureValue, to new: FigureValue) -> Trend {
        let direction: Direction
        if let a = old.percent, let b = new.percent {
            direction = b > a ? .up : b < a ? .down : .same
        } else {
            direction = new.passed > old.passed ? .up : new.passed < old.passed ? .down : .same
        }
        return Trend(direction: direction, previousPassed: old.passed, previousApplicable: old.applicable,
                     previousPercent: old.percent)
    }

    static func cell(_ f: FigureValue) -> FigureCell {
        FigureCell(id: f.id, passed: f.passed, applicable: f.applicable, unknown: f.unknown,
                   notApplicable: f.notApplicable, percent: f.percent)
    }

    static func entry(_ s: SystemEvaluation, inventory: Inventory, policy: Policy, triage: [String: Triage]) -> SystemEntry {
        // The figures of this one system: the same rule the province's figures use, not a copy.
        let own = Summary(policy: policy, over: Inventory(name: s.system.id, agencies: [], systems: [s.system]), systems: [s])
        let statuses = own.province.figures.map { f in
            FigureStatus(figure: f.id, status: f.passed == 1 ? .pass : f.unknown == 1 ? .unknown
                         : f.notApplicable == 1 ? .notApplicable : .fail)
        }
        let findings = s.findings.map { f in
            FindingEntry(key: f.key, rule: f.rule, area: f.area, severity: f.severity, status: f.status, system: f.system,
                         endpoint: f.endpoint, title: f.title, remedy: f.remedy, legalBasis: f.legalBasis,
                         evidence: f.evidence,
                         waiver: f.waiver.map { WaiverEntry(reason: $0.reason, decision: $0.decision, expires: $0.expires) },
                         triage: triage[f.key].map { TriageEntry(verdict: $0.verdict.rawValue, reason: $0.reason, by: $0.by, at: $0.at) })
        }
        let open = findings.filter { $0.status == .open }.count
        return SystemEntry(id: s.system.id, name: s.system.name, agency: s.system.agency,
                           agencyName: inventory.agency(id: s.system.agency)?.name ?? s.system.agency,
                           level: s.system.level.value, dossier: s.system.dossier.status.rawValue,
                           endpoints: s.system.endpoints.map(\.description), statuses: statuses,
                           layers: s.layers.map { LayerEntry(layer: $0.layer.code, status: $0.status, reasons: $0.reasons) },
                           findings: findings, openFindings: open, waivedFindings: findings.count - open)
    }
}
