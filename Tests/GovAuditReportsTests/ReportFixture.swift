import Foundation
import GovAuditCore
import GovAuditNet
import GovAuditPolicy
import GovAuditStore
@testable import GovAuditReports

/// A history with two complete scans of one series (01/11 and 01/12/2026) of three systems,
/// written with the store API and judged by the real policy, with hostile inventory names and
/// link texts: the lab's injection payloads (markup, event handlers, javascript: and data: URLs,
/// bidi overrides, ANSI escapes, spreadsheet formulas, Markdown pipes).
enum ReportFixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func policy() throws -> Policy {
        try PolicyLoader.load(directory: root.appendingPathComponent("Policies").path, digest: Digest.sha256Hex)
    }

    /// Scripts in the payloads would write this marker; the escaped source never holds it whole.
    static let marker = "pwned"
    static let script = "<script>document.body.setAttribute('data-x','p'+'wned')</script>"
    static let onerror = "<img src=x onerror=\"document.body.setAttribute('data-y','p'+'wned')\">"
    static let javascriptURL = "javascript:document.body.setAttribute('data-z','p'+'wned')"
    static let dataURL = "data:text/html,<script>parent.document.body.setAttribute('data-w','p'+'wned')</script>"
    static let bidi = "tin tức \u{202E}nac.niwuk\u{202C}"
    static let ansi = "\u{1B}[31mĐỎ\u{1B}[0m\u{07}"
    static let formula = "=HYPERLINK(\"https://kuwin.example\",\"Nhấn\")"

    static let hostileAgency = "Sở Tư pháp \u{202E}<b onmouseover=alert(1)>\u{1B}[2J"
    static let hostileName = "Cổng \"Sở Tư pháp\" | <script>alert('p'+'wned')</script> & [link](https://kuwin.example)"

    static func system(_ id: String, name: String, agency: String, host: String?, status: DossierStatus) -> System {
        System(id: id, name: name, agency: agency, level: SecurityLevel(3)!,
               dossier: Dossier(status: status, decision: status == .approved
                                ? Decision(number: "123/QĐ-UBND", date: CalendarDate(parsing: "2024-05-10"), authority: "UBND tỉnh An Giang", role: .owner)
                                : nil),
               endpoints: host.map { [try! Endpoint(parsing: "https://\($0)/")] } ?? [],
               layers: LayerRecords(onSite: OnSiteRecord(unit: "Phòng CNTT", staff: 2),
                                    monitoring: MonitoringRecord(provider: "SOC An Giang", contractEnd: CalendarDate(parsing: "2027-06-30")),
                                    assessment: AssessmentRecord(date: CalendarDate(parsing: "2026-05-15")!, assessor: "Công ty Đánh giá Độc lập"),
                                    nationalMonitoring: NationalMonitoringRecord(connected: true, since: CalendarDate(parsing: "2021-03-01"))),
               contacts: [Contact(name: "Nguyễn Thị Hồng", role: "Chuyên viên", email: "hong@angiang.gov.vn", phone: "0296 3 123 456")],
               tags: [], waivers: [])
    }

    /// The three systems as in scan `n` (1 or 2): the justice portal's dossier is approved by scan 2.
    static func systems(scan n: Int) -> [System] {
        [system("cong-tinh", name: "Cổng thông tin điện tử tỉnh An Giang", agency: "ubnd", host: "angiang.gov.vn", status: .approved),
         system("so-tu-phap", name: hostileName, agency: "stp", host: "sotuphap.angiang.gov.vn", status: n == 1 ? .drafting : .approved),
         system("ubnd-xa", name: "Phần mềm một cửa xã Mỹ Hòa Hưng", agency: "ubnd", host: nil, status: .none)]
    }

    static func time(_ s: String) -> Timestamp { Timestamp(parsing: s)! }

    static func link(_ url: String, text: String, hiding: String? = nil, element: String = "a") -> PageLink {
        PageLink(element: element, attribute: element == "a" ? "href" : "src", written: url, url: url, text: text,
                 title: nil, alt: nil, hiding: hiding, redirect: nil, external: true)
    }

    static func evidence(_ s: System, scan n: Int) -> [Evidence] {
        guard let ep = s.endpoints.first else { return [] }
        let v6 = s.id == "cong-tinh"
        let page = ep.description
        let links = s.id != "so-tu-phap" ? [] : [
            link("https://kuwin88.example/", text: "nhà cái uy tín " + script, hiding: "display:none"),
            link("https://kuwin88.example/x", text: "nhà cái uy tín " + onerror),
            link(javascriptURL, text: "nhà cái uy tín " + bidi),
            link(dataURL, text: "nhà cái uy tín " + ansi, element: "iframe"),
            link("https://kuwin88.example/f", text: "nhà cái uy tín " + formula),
            link("https://kuwin88.example/m", text: "nhà cái uy tín | cột 2\n**đậm** `mã`"),
        ]
        let home = PageContent(page: "/", url: page, status: 200, title: "Trang chủ " + script, visibleText: "Tin tức",
                               hiddenText: "", links: links)
        let cert = TLSCertificate(
            chain: [.init(subject: ep.host, issuer: "GovAudit Lab CA", notBefore: time("2026-03-01T00:00:00Z"),
                          notAfter: time("2027-03-01T00:00:00Z"), keyType: "RSA", keyBits: 2048, signature: "sha256WithRSAEncryption")],
            subject: ep.host, subjectAltNames: [ep.host], issuer: "GovAudit Lab CA", notBefore: time("2026-03-01T00:00:00Z"),
            notAfter: time("2027-03-01T00:00:00Z"), keyType: "RSA", keyBits: 2048, signature: "sha256WithRSAEncryption",
            selfSigned: false, chainLength: 2, verifyResult: 0, verifyError: "ok", hostnameMatches: true,
            ocsp: .init(responseStatus: "successful", certStatus: "good", matchesLeaf: true, producedAt: time("2026-11-20T00:00:00Z"),
                         thisUpdate: time("2026-11-20T00:00:00Z"), nextUpdate: time("2026-12-20T00:00:00Z"), revokedAt: nil),
            withoutSNI: .init(subject: ep.host, hostnameMatches: true, failure: nil))
        return [
            Evidence(endpoint: ep, facts: DNSResolution(name: ep.host, a: ["127.0.10.20"], aaaa: v6 ? ["fd10::20"] : [],
                                                        cnameChain: [], validation: .insecure)),
            Evidence(endpoint: ep, facts: Reachability(family: .ipv4, attempts: [.init(address: "127.0.10.20", port: 443, outcome: .open)])),
            Evidence(endpoint: ep, facts: Reachability(family: .ipv6, attempts: v6 ? [.init(address: "fd10::20", port: 443, outcome: n == 1 ? .stall : .open)] : [])),
            Evidence(endpoint: ep, facts: TLSOffer(versions: [
                .init(version: s.id == "so-tu-phap" ? .tls10 : .tls13, suites: [.init(code: 0xC02F, name: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")], serverOrder: true),
                .init(version: .tls12, suites: [.init(code: 0xC02F, name: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")], serverOrder: true),
            ], groups: [.init(code: 0x001D, name: "x25519")], handshakes: 8)),
            Evidence(endpoint: ep, facts: cert),
            Evidence(endpoint: ep, facts: PlainHTTPAnswer(url: "http://\(ep.host)/", status: 301, headers: [HeaderField("Location", page)])),
            Evidence(endpoint: ep, facts: HTTPSAnswer(url: page, status: 200, headers: [
                HeaderField("Strict-Transport-Security", "max-age=31536000; includeSubDomains"),
                HeaderField("Server", "nginx \u{1B}]0;pwn\u{07}" + script)])),
            Evidence(endpoint: ep, facts: SecurityTxt(url: page + ".well-known/security.txt", finalURL: page + ".well-known/security.txt",
                status: 200, contentType: "text/plain", text: "Contact: mailto:csirt@angiang.gov.vn\nExpires: 2099-01-01T00:00:00Z\n",
                truncated: false)),
            Evidence(endpoint: ep, facts: LinkCrawl(start: page, pagesFetched: 1, depthReached: 0, limitReached: nil, failures: [], broken: [])),
            Evidence(endpoint: ep, facts: LinkPages(pages: [home])),
        ]
    }

    static let starts = [Date(timeIntervalSince1970: 1_793_494_800), Date(timeIntervalSince1970: 1_796_086_800)] // 01/11 and 01/12/2026, 01:00Z

    /// Writes the two scans into a new store at `path`; returns the second scan's id.
    static func makeHistory(at path: String) async throws -> (store: HistoryStore, ids: [String]) {
        let store = try HistoryStore(StoreLocation(path: path))
        let policy = try policy()
        let evaluator = Evaluator(policy: policy)
        var ids: [String] = []
        for n in [1, 2] {
            let start = starts[n - 1]
            let day = CalendarDate(start, in: CalendarDate.vietnamTimeZone)
            let inventory = Inventory(name: "Tỉnh An Giang (thử nghiệm)", illustrative: true, domain: "angiang.gov.vn",
                                      agencies: [Agency(id: "ubnd", name: "UBND tỉnh An Giang"), Agency(id: "stp", name: hostileAgency)],
                                      systems: systems(scan: n))
            let provenance = ScanProvenance(id: "x", command: "scan", startedAt: start, finishedAt: start, asOf: day,
                                            govauditVersion: "0.1.0", libcurlVersion: "8.14.1", opensslVersion: "3.0.17",
                                            policyName: policy.name, policyHash: policy.hash, inventory: "angiang.yaml",
                                            resolver: "127.0.10.1:53", ipFamilies: ["ipv4", "ipv6"])
            let id = try await store.beginScan(NewScan(kind: .scan, inventory: inventory, inventoryHash: "h\(n)",
                                                       checks: ["dns", "links", "tls"],
                                                       scope: ScanScope(systems: inventory.systems.map(\.id), options: ["asOf": day.description]),
                                                       provenance: provenance))
            var judged: [SystemEvaluation] = []
            for (i, s) in inventory.systems.enumerated() {
                let ev = evidence(s, scan: n)
                let e = evaluator.evaluate(s, asOf: day, evidence: ev, provinceDomain: inventory.domain)!
                judged.append(e)
                try await store.commitSystem(scan: id, system: s, evidence: ev, findings: e.findings, at: start.addingTimeInterval(Double(i + 1)))
            }
            try await store.finishScan(id, summary: Summary(policy: policy, over: inventory, systems: judged), at: start.addingTimeInterval(60))
            ids.append(id)
        }
        // A person's verdict on one finding, its reason as hostile as a site's text (it is typed by
        // a person, but may quote the page).
        if let key = try await store.findings(of: ids[1]).first(where: { $0.rule == "links.spam" })?.key {
            try await store.setTriage(Triage(key: key, verdict: .falsePositive, reason: "Liên kết của đối tác " + script,
                                             by: "Nguyễn Văn An", at: starts[1].addingTimeInterval(3600)))
        }
        return (store, ids)
    }

    /// The model of the second scan, as `govaudit report` builds it.
    static func model(folder: URL) async throws -> (ReportModel, [String]) {
        let (store, ids) = try await makeHistory(at: folder.appendingPathComponent("history.sqlite").path)
        let policy = try policy()
        let m = try await ReportModel.load(scan: ids[1], store: store, policy: policy) { _ in Evaluator(policy: policy) }
        return (m, ids)
    }
}

/// A folder of its own, removed when the test ends.
final class TempFolder {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("govaudit-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }
}

/// Compares `text` with `Golden/<name>`; GOVAUDIT_UPDATE_GOLDEN=1 rewrites the file instead.
func expectGolden(_ text: String, _ name: String) throws -> String? {
    let url = ReportFixture.root.appendingPathComponent("Tests/GovAuditReportsTests/Golden/\(name)")
    if ProcessInfo.processInfo.environment["GOVAUDIT_UPDATE_GOLDEN"] == "1" {
        try Data(text.utf8).write(to: url)
        return nil
    }
    // Decoded as is: a String initializer that reads files would drop the CSV files' byte-order mark.
    let golden = String(decoding: try Data(contentsOf: url), as: UTF8.self)
    guard golden != text else { return nil }
    let a = golden.components(separatedBy: "\n"), b = text.components(separatedBy: "\n")
    let first = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
    return "differs from Golden/\(name) at line \(first + 1) (GOVAUDIT_UPDATE_GOLDEN=1 accepts):\n"
        + "golden: \(first < a.count ? a[first] : "<end>")\nactual: \(first < b.count ? b[first] : "<end>")"
}
