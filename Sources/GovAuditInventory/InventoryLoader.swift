import Foundation
import GovAuditCore
import GovAuditFiles
import GovAuditYAML

/// Reads an inventory file (the YAML format documented in README.md, "Inventory format").
/// Every problem is reported with file, line and field; all of them, not only the first.
public enum InventoryLoader {
    public static let formatVersion = 1

    public static func load(path: String) throws(InputErrors) -> Inventory {
        let text: String
        do {
            text = try readText(path: path)
        } catch {
            throw InputErrors([error])
        }
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String) throws(InputErrors) -> Inventory {
        let root: YAMLNode
        do { root = try YAMLDocument.parse(text, file: file) } catch { throw InputErrors([error]) }
        let d = Diagnostics()
        guard let top = MappingReader(root, d) else { try d.throwIfAny(); fatalError() }

        if let v = top.int("version", required: true), v != formatVersion {
            d.report(top.node("version")!, "this GovAudit reads inventory version \(formatVersion), not \(v)")
        }
        let name = top.string("name", required: true) ?? ""
        let illustrative = top.bool("illustrative") ?? false
        var domain: String?
        if let text = top.string("domain") {
            domain = HostName.normalize(text)
            if domain == nil { d.report(top.node("domain")!, "'\(text)' is not a domain name") }
        }

        var agencies: [Agency] = []
        // Ids seen, with where: sets, so 100,000 systems load in seconds (a list search was quadratic).
        var agencyLines: [String: SourceLocation] = [:]
        for node in top.list("agencies", required: true) ?? [] {
            guard let m = MappingReader(node, d) else { continue }
            let id = identifier(m, "id")
            let agencyName = m.string("name", required: true)
            m.finish()
            if let id, let agencyName {
                if let first = agencyLines[id] {
                    d.report(m.node("id")!, "agency id '\(id)' is used twice (first at line \(first.line ?? 0))")
                }
                agencyLines[id] = agencyLines[id] ?? node.location
                agencies.append(Agency(id: id, name: agencyName))
            }
        }

        var systems: [System] = []
        var systemLines: [String: SourceLocation] = [:]
        for node in top.list("systems", required: true) ?? [] {
            guard let system = readSystem(node, d, agencies: agencyLines) else { continue }
            if let first = systemLines[system.id] {
                d.report(InputError(system.location!, field: "\(node.path).id",
                                    "system id '\(system.id)' is used twice (first at line \(first.line ?? 0))"))
            }
            systemLines[system.id] = systemLines[system.id] ?? node.location
            systems.append(system)
        }
        let report = top.mapping("report").flatMap(readIssuer)
        top.finish()
        try d.throwIfAny()
        return Inventory(name: name, illustrative: illustrative, domain: domain, agencies: agencies, systems: systems,
                         report: report)
    }

    /// Reads an inventory file as UTF-8 (a leading byte-order mark is dropped), bounded.
    public static func readText(path: String) throws(InputError) -> String {
        try InputFile.text(path, limit: InputFile.Limit.inventory)
    }

    /// The `report:` section: the official report's issuer, signer and recipients.
    private static func readIssuer(_ m: MappingReader) -> ReportIssuer? {
        let parent = m.string("parentBody")
        let body = m.string("body", required: true)
        let place = m.string("place", required: true)
        var signer: ReportIssuer.Signer?
        if let sm = m.mapping("signer", required: true) {
            let onBehalf = sm.string("onBehalf")
            let title = sm.string("title", required: true), name = sm.string("name", required: true)
            if let title, let name { signer = ReportIssuer.Signer(onBehalf: onBehalf, title: title, name: name) }
            sm.finish()
        }
        var recipients: [String] = []
        if let items = m.list("recipients", required: true) {
            if items.isEmpty { m.diagnostics.report(m.node("recipients")!, "list at least one recipient") }
            for item in items {
                guard let text = item.scalar, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                    m.diagnostics.report(item, "expected a recipient's name")
                    continue
                }
                recipients.append(text)
            }
        }
        let archive = m.string("archive")
        m.finish()
        guard let body, let place, let signer, !recipients.isEmpty else { return nil }
        return ReportIssuer(parentBody: parent, body: body, place: place, signer: signer, recipients: recipients, archive: archive)
    }

    private static func identifier(_ m: MappingReader, _ key: String) -> String? {
        guard let id = m.string(key, required: true) else { return nil }
        guard RecordID.isValid(id) else {
            m.diagnostics.report(m.node(key)!, RecordID.problem(id))
            return nil
        }
        return id
    }

    private static func readSystem(_ node: YAMLNode, _ d: Diagnostics, agencies: [String: SourceLocation]) -> System? {
        guard let m = MappingReader(node, d) else { return nil }
        let errorsBefore = d.errors.count
        let id = identifier(m, "id")
        let name = m.string("name", required: true)
        let agency = m.string("agency", required: true)
        if let agency, agencies[agency] == nil {
            d.report(m.node("agency")!, "no agency with id '\(agency)' in agencies")
        }
        let level = m.int("level", required: true, in: 1...5).flatMap(SecurityLevel.init)

        var dossier: Dossier?
        if let dm = m.mapping("dossier", required: true) {
            let status = dm.choice("status", required: true, as: DossierStatus.self)
            var decision: Decision?
            if let cm = dm.mapping("decision") {
                decision = Decision(number: cm.string("number"), date: cm.date("date"),
                                    authority: cm.string("authority"),
                                    role: cm.choice("role", as: AuthorityRole.self))
                cm.finish()
            }
            dm.finish()
            if let status { dossier = Dossier(status: status, decision: decision) }
        }

        var endpoints: [Endpoint] = []
        for e in m.list("endpoints") ?? [] {
            guard let text = e.scalar else { d.report(e, "expected a URL or host name"); continue }
            do { endpoints.append(try Endpoint(parsing: text)) } catch { d.report(e, error.description) }
        }

        var layers = LayerRecords()
        if let lm = m.mapping("layers") {
            if let r = lm.mapping("onSite") {
                if let unit = r.string("unit", required: true) {
                    layers.onSite = OnSiteRecord(unit: unit, staff: r.int("staff", in: OnSiteRecord.plausibleStaff))
                }
                r.finish()
            }
            if let r = lm.mapping("monitoring") {
                if let provider = r.string("provider", required: true) {
                    layers.monitoring = MonitoringRecord(provider: provider, contractEnd: r.date("contractEnd"))
                }
                r.finish()
            }
            if let r = lm.mapping("assessment") {
                let date = r.date("date", required: true)
                let assessor = r.string("assessor", required: true)
                if let date, let assessor { layers.assessment = AssessmentRecord(date: date, assessor: assessor) }
                r.finish()
            }
            if let r = lm.mapping("nationalMonitoring") {
                if let connected = r.bool("connected", required: true) {
                    layers.nationalMonitoring = NationalMonitoringRecord(connected: connected, since: r.date("since"))
                }
                r.finish()
            }
            lm.finish()
        }

        var contacts: [Contact] = []
        for c in m.list("contacts") ?? [] {
            guard let cm = MappingReader(c, d) else { continue }
            if let cname = cm.string("name", required: true) {
                contacts.append(Contact(name: cname, role: cm.string("role"), email: cm.string("email"),
                                        phone: cm.string("phone")))
            }
            cm.finish()
        }
        let tags = m.strings("tags") ?? []

        var waivers: [Waiver] = []
        for w in m.list("waivers") ?? [] {
            guard let wm = MappingReader(w, d) else { continue }
            let rule = wm.string("rule", required: true)
            let reason = wm.string("reason", required: true)
            let expires = wm.date("expires", required: true)
            let decision = wm.string("decision")
            wm.finish()
            if let rule, let reason, let expires, let id {
                waivers.append(Waiver(rule: rule, system: id, reason: reason, decision: decision,
                                      expires: expires, location: w.location))
            }
        }
        m.finish()

        guard d.errors.count == errorsBefore, let id, let name, let agency, let level, let dossier else {
            return nil
        }
        return System(id: id, name: name, agency: agency, level: level, dossier: dossier,
                      endpoints: endpoints, layers: layers, contacts: contacts, tags: tags,
                      waivers: waivers, location: node.location)
    }
}
