import Foundation
import GovAuditCore
import GovAuditTestSupport
import Testing
@testable import GovAuditReports

@Suite("report model and renderers")
struct ReportModelTests {
    let folder: TempFolder
    let model: ReportModel
    let ids: [String]

    init() async throws {
        folder = try TempFolder()
        (model, ids) = try await ReportFixture.model(folder: folder.url)
    }

    /// Scan ids carry a random part: golden files name them by position.
    func stable(_ text: String) -> String {
        text.replacingOccurrences(of: ids[1], with: "SCAN-2").replacingOccurrences(of: ids[0], with: "SCAN-1")
    }

    func figure(_ id: String) throws -> ReportModel.Figure { try #require(model.figures.first { $0.id == id }) }

    @Test("figures are N/M over the systems the area applies to, with the trend against the previous scan")
    func figures() throws {
        // Given two complete scans where the justice portal's dossier got approved in between
        let dossier = try figure("dossier-approved")
        #expect(dossier.passed == 2 && dossier.applicable == 3)
        #expect(dossier.trend?.direction == .up && dossier.trend?.previousPassed == 1)
        // The commune's software has no public endpoint: not applicable to IPv6, counted apart.
        let ipv6 = try figure("ipv6")
        #expect(ipv6.notApplicable == 1 && ipv6.applicable == 2)
        #expect(ipv6.trend != nil)
        #expect(model.previous?.id == ids[0] && model.previous?.samePolicy == true)
        #expect(model.history.map(\.scan) == ids)
    }

    @Test("a person's triage is shown beside the finding it judged, in the model and the HTML, escaped")
    func triage() throws {
        let spam = try #require(model.systems.flatMap(\.findings).first { $0.rule == "links.spam" })
        let t = try #require(spam.triage)
        #expect(t.verdict == "false-positive" && t.by == "Nguyễn Văn An" && spam.status == .open)
        #expect(model.systems.flatMap(\.findings).filter { $0.triage != nil }.count == 1)
        let page = HTMLReport(language: .vi).render(model)
        #expect(page.contains("<span class=\"triage\">Đánh giá: dương tính giả — Nguyễn Văn An"))
        #expect(page.contains("Liên kết của đối tác &lt;script&gt;"))
    }

    @Test("the lists: IPv6 per web endpoint, TLS grades from the tls.grade measurement, link findings")
    func lists() throws {
        #expect(model.ipv6.map(\.system) == ["cong-tinh", "so-tu-phap"])
        #expect(model.ipv6.first?.reachable == .yes && model.ipv6.last?.aaaa == .no)
        #expect(model.tls.count == 2 && model.tls.allSatisfy { $0.grade != nil })
        #expect(model.tls.first { $0.system == "so-tu-phap" }?.grade != model.tls.first { $0.system == "cong-tinh" }?.grade,
                "TLS 1.0 caps the justice portal's grade")
        let texts = model.links.flatMap(\.evidence).filter { $0.name == "text" }.map(\.value)
        #expect(texts.contains { $0.contains(ReportFixture.script) })
        #expect(model.systems.count == 3 && model.systems.allSatisfy { $0.statuses.count == model.figures.count })
    }

    @Test("HTML: self-contained, CSP, no active URL, every hostile string escaped")
    func html() throws {
        let page = HTMLReport(language: .vi).render(model)
        #expect(page.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"))
        #expect(page.contains("@page { size: A4"))
        #expect(!page.contains("<script") && !page.contains("<iframe") && !page.contains("<img"))
        #expect(page.range(of: #"<[^>]*\s(href|src|action|on[a-z]+)\s*="#, options: .regularExpression) == nil)
        #expect(!page.contains("\u{202E}") && !page.contains("\u{1B}"))
        #expect(page.contains("&lt;script&gt;document.body.setAttribute(&#39;data-x&#39;"))
        #expect(page.contains("Sở Tư pháp \\u{202E}&lt;b onmouseover=alert(1)&gt;\\u{1B}[2J"))
        #expect(page.contains("<svg class=\"chart\"") && page.contains("<polyline"))
        #expect(page.contains("Hệ thống được phê duyệt hồ sơ đề xuất cấp độ") && page.contains("66,7%"))
        #expect(page == page.precomposedStringWithCanonicalMapping)
        let en = HTMLReport(language: .en).render(model)
        #expect(en.contains("66.7%") && en.contains("<html lang=\"en\">"))
    }

    @Test("golden: Markdown, CSV and JSON of the fixed stored scan")
    func golden() throws {
        var problems: [String] = []
        if let p = try expectGolden(stable(MarkdownReport(language: .vi).render(model)), "report.vi.md") { problems.append(p) }
        if let p = try expectGolden(stable(MarkdownReport(language: .en).render(model)), "report.en.md") { problems.append(p) }
        for file in CSVReport(language: .vi).render(model) {
            if let p = try expectGolden(stable(file.content), file.name) { problems.append(p) }
        }
        if let p = try expectGolden(stable(try ReportJSON.render(model)), "report.json") { problems.append(p) }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test("JSON of the model matches Reports/schema/report.schema.json")
    func schema() throws {
        let schemaText = try String(contentsOf: ReportFixture.root.appendingPathComponent("Reports/schema/report.schema.json"), encoding: .utf8)
        let validator = JSONSchemaValidator(root: try JSON.parse(schemaText))
        let document = try JSON.parse(try ReportJSON.render(model))
        let errors = validator.validate(document)
        #expect(errors.isEmpty, "\(errors.prefix(10).joined(separator: "\n"))")
        #expect(document["schemaVersion"] == .string(ReportModel.schemaVersion))
        #expect(validator.root["properties"]?["schemaVersion"]?["const"] == .string(ReportModel.schemaVersion))
        // The schema is strict: an unknown member fails it.
        guard case .object(var o) = document else { Issue.record("not an object"); return }
        o["surprise"] = .bool(true)
        #expect(!validator.validate(.object(o)).isEmpty)
    }

    @Test("CSV: BOM, one file per table, formulas neutralised")
    func csv() throws {
        let files = CSVReport(language: .vi).render(model)
        #expect(files.map(\.name) == ["summary.csv", "systems.csv", "findings.csv", "ipv6.csv"])
        #expect(files.allSatisfy { $0.content.hasPrefix("\u{FEFF}") })
        let findings = try #require(files.first { $0.name == "findings.csv" }?.content)
        #expect(!findings.contains("\u{1B}") && !findings.contains("\u{202E}"))
        #expect(findings.contains("nhà cái uy tín =HYPERLINK") , "inside a cell the text is kept")
    }
}
