import Foundation
import GovAuditCore

/// Drift against the baseline (`links.drift`): third-party script hosts, frame sources and
/// outbound domains that were not there, and a home page replaced (defacement). The first scan
/// of a system has no baseline: not applicable, never a pass.
enum DriftRules {
    static let all: [RuleImplementation] = [newScriptHost, newFrameSource, newOutboundDomain, defacement]

    /// Each endpoint's drift evidence with a baseline, judged by `judge`.
    private static func perEndpoint(_ c: RuleContext, undetermined: ((LinkDrift) -> String?)? = nil,
                                    _ judge: @escaping (Endpoint, LinkDrift, LinkDrift.Baseline) -> [Observation]) -> Verdict {
        // A scan stored by a build before drift has none: nothing was compared, which is not
        // "the probe stopped" (that would make old scans' links area unknown when judged again).
        if c.probed, !c.webEndpoints.isEmpty, c.webEndpoints.allSatisfy({ c.evidence(LinkDrift.self, for: $0).isEmpty }) {
            return .notApplicable("not compared: the scan has no drift evidence (links not checked, or a build before drift)")
        }
        let verdict = EvidenceRule.perEndpoint(c, LinkDrift.self, endpoints: c.webEndpoints, undetermined: { _, d in
            d.baseline == nil ? nil : undetermined?(d)
        }) { ep, d in
            d.baseline.map { judge(ep, d, $0) }
        }
        if case .notApplicable("nothing to judge") = verdict {
            return .notApplicable("no baseline yet: this scan's state is the one the next scan is compared with")
        }
        return verdict
    }

    private static func baselineFacts(_ b: LinkDrift.Baseline) -> [Fact] {
        [Fact("baseline", b.source), Fact("baselineScan", b.scan)]
    }

    private static func newItems(_ id: String, _ items: @escaping @Sendable (SiteSnapshot) -> [String], fact: String) -> RuleImplementation {
        RuleImplementation(id) { c in
            perEndpoint(c) { ep, d, b in
                let known = Set(items(b.snapshot))
                return items(d.current).filter { !known.contains($0) }.map { host in
                    Observation(endpoint: ep, subject: host, facts: [Fact(fact, host)] + baselineFacts(b))
                }
            }
        }
    }

    static let newScriptHost = newItems("links.new-script-host", { $0.scriptHosts }, fact: "host")
    static let newFrameSource = newItems("links.new-frame-source", { $0.frameHosts }, fact: "host")
    static let newOutboundDomain = newItems("links.new-outbound-domain", { $0.outboundDomains }, fact: "domain")

    /// The home page's visible text changed beyond the policy's threshold and its structure
    /// (title, template blocks, scripts, frames) too: a news portal's new articles change the
    /// text, not the template, so they never count.
    static let defacement = RuleImplementation("links.defacement", parameters: [.init("minTextSimilarity", .number(0...1)),
                                                                              .init("minStructureSimilarity", .number(0...1))]) { c in
        let minText = c.parameters.number("minTextSimilarity"), minStructure = c.parameters.number("minStructureSimilarity")
        return perEndpoint(c, undetermined: { d in
            guard let now = d.current.home, let was = d.baseline?.snapshot.home else {
                return d.current.home == nil ? "the crawl read no home page" : "the baseline has no home page"
            }
            if now.structureSimilarity(to: was) == nil { return "the baseline's home page has no template blocks (an older scan): accept a new baseline" }
            return now.text.similarity(to: was.text) == nil ? "a stored text sketch is malformed" : nil
        }) { ep, d, b in
            guard let now = d.current.home, let was = b.snapshot.home, let structure = now.structureSimilarity(to: was),
                  let text = now.text.similarity(to: was.text), text < minText, structure < minStructure else { return [] }
            let added = now.structure.subtracting(was.structure).sorted(), removed = was.structure.subtracting(now.structure).sorted()
            return [Observation(endpoint: ep, subject: "home", facts: [
                Fact("page", now.page), Fact("textSimilarity", String(format: "%.2f", text)),
                Fact("minTextSimilarity", String(format: "%.2f", minText)),
                Fact("structureSimilarity", String(format: "%.2f", structure)),
                Fact("minStructureSimilarity", String(format: "%.2f", minStructure)),
                Fact("titleBefore", was.title), Fact("title", now.title)]
                + Fact.list("added", added) + Fact.list("removed", removed) + baselineFacts(b))]
        }
    }
}
