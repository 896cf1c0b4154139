import Foundation
import Testing
import GovAuditCore
@testable import GovAuditPolicy

/// The drift rules on `links.drift` evidence, under the default policy's thresholds.
@Suite("Drift rules: new hosts and domains, defacement")
struct DriftRuleTests {
    let policy: Policy
    init() throws { policy = try Repo.policy() }
    static let ep = try! Endpoint(parsing: "https://sotuphap.angiang.gov.vn/")
    static let menu = "Trang chủ Giới thiệu Tin tức Sự kiện Văn bản pháp luật Thủ tục hành chính Liên hệ Cổng thông tin điện tử Sở Tư pháp"
    static let footer = "Cơ quan chủ quản Ủy ban nhân dân tỉnh An Giang địa chỉ thành phố Long Xuyên chịu trách nhiệm chính Giám đốc Sở"
    static let template = ["div#content.container", "footer.footer", "header#top", "main", "nav.menu", "aside.sidebar"]

    static func home(_ text: String, title: String = "Sở Tư pháp tỉnh An Giang", template: [String]? = Self.template,
                     scripts: [String] = ["https://sotuphap.angiang.gov.vn/js/app.js"]) -> HomeFingerprint {
        HomeFingerprint(page: "/", title: title, template: template, scripts: scripts, frames: [], text: TextSketch(text: text))
    }

    static let usual = SiteSnapshot(scriptHosts: ["www.googletagmanager.com"], frameHosts: ["www.youtube.com"],
                                    outboundDomains: ["chinhphu.vn"],
                                    home: home(menu + " Hội nghị tổng kết công tác chuyển đổi số năm của tỉnh " + footer))

    func judge(_ current: SiteSnapshot, against baseline: SiteSnapshot?) -> [String: (RuleResult.Status?, [Finding])] {
        let drift = LinkDrift(current: current, baseline: baseline.map {
            .init(source: LinkDrift.Baseline.accepted, scan: "2026-11-19T01-00-00Z-0a1b", at: "2026-11-19T02:00:00Z", acceptedBy: "an", snapshot: $0)
        })
        let e = Evaluator(policy: policy).evaluate(makeSystem(), asOf: day("2026-11-26"), evidence: [Evidence(endpoint: Self.ep, facts: drift)])!
        var out: [String: (RuleResult.Status?, [Finding])] = [:]
        for rule in ["links.new-script-host", "links.new-frame-source", "links.new-outbound-domain", "links.defacement"] {
            out[rule] = (e.results.first { $0.rule == rule }?.status, e.findings.filter { $0.rule == rule })
        }
        return out
    }

    @Test("a first scan has no baseline: every drift rule is not applicable, never a pass")
    func firstScan() {
        for (rule, (status, findings)) in judge(Self.usual, against: nil) {
            #expect(status == .notApplicable && findings.isEmpty, "\(rule)")
        }
    }

    @Test("the same state passes; a new script host, frame source and outbound domain are one finding each, named")
    func newHosts() throws {
        for (_, (status, findings)) in judge(Self.usual, against: Self.usual) { #expect(status == .pass && findings.isEmpty) }
        var changed = Self.usual
        changed.scriptHosts.append("cdn-lạ.example")
        changed.frameHosts.append("kuwin88.example")
        changed.outboundDomains += ["fb88vn.example", "w88.example"]
        let r = judge(changed, against: Self.usual)
        let script = try #require(r["links.new-script-host"]?.1.first)
        #expect(r["links.new-script-host"]?.1.count == 1 && script.severity == .high)
        #expect(script.evidence.contains(Fact("host", "cdn-lạ.example")) && script.evidence.contains(Fact("baseline", "accepted")))
        #expect(r["links.new-frame-source"]?.1.map { $0.evidence.first?.value } == ["kuwin88.example"])
        #expect(r["links.new-outbound-domain"]?.1.map { $0.evidence.first?.value } == ["fb88vn.example", "w88.example"])
        #expect(r["links.defacement"]?.0 == .pass)
        // A host that goes away is no finding; keys are stable from scan to scan.
        var fewer = Self.usual
        fewer.scriptHosts = []
        #expect(judge(fewer, against: Self.usual)["links.new-script-host"]?.0 == .pass)
        #expect(judge(changed, against: Self.usual)["links.new-script-host"]?.1.map(\.key) == r["links.new-script-host"]?.1.map(\.key))
    }

    @Test("a news portal's new articles (text changed, template kept) are no defacement; a replaced page is, with both scores")
    func defacement() throws {
        var news = Self.usual
        news.home = Self.home(Self.menu + " Đoàn công tác của Bộ làm việc với tỉnh về phát triển hạ tầng số và dữ liệu " + Self.footer)
        #expect(judge(news, against: Self.usual)["links.defacement"]?.0 == .pass)
        // Even a day whose text is all new keeps its structure: no alert.
        var allNew = Self.usual
        allNew.home = Self.home("Thông báo lịch tiếp công dân định kỳ tháng mười hai của lãnh đạo Sở tại trụ sở")
        #expect(judge(allNew, against: Self.usual)["links.defacement"]?.0 == .pass)
        // A redesign that keeps the text is no defacement either.
        var redesign = Self.usual
        redesign.home = Self.home(Self.menu + " Hội nghị tổng kết công tác chuyển đổi số năm của tỉnh " + Self.footer, template: ["div.new-layout"], scripts: [])
        #expect(judge(redesign, against: Self.usual)["links.defacement"]?.0 == .pass)
        var defaced = Self.usual
        defaced.home = Self.home("Hacked by crew your security is low greetings to all", title: "Hacked", template: ["center"], scripts: [])
        let r = judge(defaced, against: Self.usual)["links.defacement"]
        let f = try #require(r?.1.first)
        #expect(f.severity == .critical)
        let facts = Dictionary(f.evidence.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        #expect(Double(facts["textSimilarity"] ?? "1")! < 0.3 && Double(facts["structureSimilarity"] ?? "1")! < 0.5)
        #expect(facts["title"] == "Hacked" && facts["titleBefore"] == "Sở Tư pháp tỉnh An Giang" && facts["minTextSimilarity"] == "0.30")
    }

    @Test("the thresholds are the policy's: a stricter text threshold alone does not fire without a structural change")
    func thresholds() {
        var news = Self.usual
        news.home = Self.home(Self.menu + " Đoàn công tác của Bộ làm việc với tỉnh " + Self.footer)
        let strict = policy.setting("links.defacement", "minTextSimilarity", .number(1)).setting("links.defacement", "minStructureSimilarity", .number(1))
        var structural = news
        structural.home?.template = ["div.other"]
        let drift = LinkDrift(current: structural, baseline: .init(source: "previous-scan", scan: "s", at: "2026-11-19T01:00:00Z", snapshot: Self.usual))
        let e = Evaluator(policy: strict).evaluate(makeSystem(), asOf: day("2026-11-26"), evidence: [Evidence(endpoint: Self.ep, facts: drift)])!
        #expect(e.findings.contains { $0.rule == "links.defacement" })
        let lax = Evaluator(policy: policy).evaluate(makeSystem(), asOf: day("2026-11-26"), evidence: [Evidence(endpoint: Self.ep, facts: drift)])!
        #expect(!lax.findings.contains { $0.rule == "links.defacement" })
    }

    @Test("a baseline from a build without template blocks leaves defacement unknown, the host rules judged")
    func olderBaseline() {
        var old = Self.usual
        old.home?.template = nil
        let r = judge(Self.usual, against: old)
        #expect(r["links.defacement"]?.0 == .unknown)
        #expect(r["links.new-script-host"]?.0 == .pass)
    }

    @Test("a scan stored before drift (a crawl, no drift evidence) is not compared: not applicable, so its links area is judged as before")
    func storedBeforeDrift() {
        let pages = LinkPages(pages: [PageContent(page: "/", url: Self.ep.description, status: 200, title: "Sở Tư pháp", visibleText: Self.menu,
                                                  hiddenText: "", links: [])])
        let e = Evaluator(policy: policy).evaluate(makeSystem(), asOf: day("2026-11-26"), evidence: [Evidence(endpoint: Self.ep, facts: pages)])!
        for rule in ["links.new-script-host", "links.defacement"] {
            #expect(e.results.first { $0.rule == rule }?.status == .notApplicable, "\(rule)")
        }
    }
}
