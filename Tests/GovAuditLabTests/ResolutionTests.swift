import Foundation
import GovAuditCore
import GovAuditNet
import GovAuditProbes
import GovAuditScan
import Testing

/// One resolution step per endpoint: the DNS, TLS and link probes of an endpoint, run side by
/// side on one network context as the pipeline runs them, ask the lab's resolver fewer questions
/// together than each asks alone (they share the endpoint's A and AAAA answers), and their
/// evidence names the same address.
@Suite("Shared resolution", .serialized)
struct ResolutionTests {
    func probes(_ lab: Lab, _ context: ProbeContext) -> [any Probe] {
        ScanProbes.make(Check.allCases, context: context, caFile: lab.caFile, crawl: LinkHygieneOptions(), maxPageBytes: 2 * 1024 * 1024)
    }

    @Test("the probes of one endpoint query its name once between them")
    func onceForAll() throws {
        let lab = try Lab.running()
        let endpoint = try Endpoint(parsing: "https://dichvucong.angiang.gov.vn")
        var alone = 0
        // (Every probe the checks make: the TLS check has two, the TLS and certificate-names probes.)
        for i in probes(lab, lab.probeContext()).indices {
            let context = lab.probeContext()
            _ = probes(lab, context)[i].run(endpoint)
            alone += try #require(context.resolver.cache).counts.sent
        }
        let context = lab.probeContext()
        let all = probes(lab, context)
        DispatchQueue.concurrentPerform(iterations: all.count) { _ = all[$0].run(endpoint) }
        let together = try #require(context.resolver.cache).counts
        // At least the A lookup of the TLS probe and of the crawl's first hop are the DNS probe's.
        #expect(together.sent <= alone - 2, "together \(together.sent) queries, alone \(alone)")
        #expect(together.shared >= 2)
    }
}
