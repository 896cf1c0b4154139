import Foundation
import GovAuditCore
import GovAuditStore

/// Which raw responses a scan keeps (issue 14, item 7): those a spam, hidden-link, cloaking or
/// defacement finding cites — the page it names, as the crawler fetched it, and for cloaking the
/// views of the visitors it compares. The rest of the crawl's responses are dropped once the
/// system is judged: a scan stores bodies only where a person will need them.
public enum EvidenceBundles {
    /// The rules whose findings get their responses kept.
    public static let rules: Set<String> = ["links.spam", "links.hidden-link", "links.cloaking", "links.defacement"]

    /// The evidence to store (without the crawl's captures) and the captures to keep, each with
    /// the keys of the findings that cite it.
    public static func split(_ evidence: [Evidence], findings: [Finding]) -> (evidence: [Evidence], captures: [FindingCapture]) {
        let kept = evidence.filter { $0.kind != LinkCaptures.kind }
        var pool: [(endpoint: String, capture: RawCapture)] = []
        for e in evidence where e.kind == LinkCaptures.kind {
            guard let endpoint = e.endpoint?.description, let c = e.facts(as: LinkCaptures.self) else { continue }
            pool += c.captures.map { (endpoint, $0) }
        }
        guard !pool.isEmpty else { return (kept, []) }
        var cited: [Int: [String]] = [:]
        for f in findings where rules.contains(f.rule) {
            let page = f.evidence.first { $0.name == "page" }?.value
            let visitor = f.evidence.first { $0.name == "visitor" }?.value
            let visitors: Set<String> = f.rule == "links.cloaking" ? ["browser", visitor ?? ""] : [RawCapture.crawlVisitor]
            for (i, p) in pool.enumerated() where p.endpoint == f.endpoint && p.capture.page == page && visitors.contains(p.capture.visitor) {
                cited[i, default: []].append(f.key)
            }
        }
        return (kept, cited.keys.sorted().map { FindingCapture(endpoint: pool[$0].endpoint, capture: pool[$0].capture, keys: cited[$0]!) })
    }
}
