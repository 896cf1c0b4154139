import Foundation
import GovAuditCore

/// Reads one row's cells into a `System`, collecting every error of the row with the CSV's
/// file, line and column. It checks what the inventory loader checks, so what it accepts loads.
struct CSVRowReader {
    let row: CSVReader.Record
    let index: [String: Int]
    let file: String
    private(set) var errors: [InputError] = []

    init(row: CSVReader.Record, index: [String: Int], file: String) {
        self.row = row
        self.index = index
        self.file = file
    }

    func error(_ column: String, _ message: String) -> InputError {
        InputError(SourceLocation(file: file, line: row.line), field: "column \(column)", message)
    }

    /// The trimmed cell, nil when absent or empty.
    func value(_ column: String) -> String? {
        guard let i = index[column], i < row.fields.count else { return nil }
        let v = row.fields[i].trimmingCharacters(in: .whitespacesAndNewlines)
        return v.isEmpty ? nil : v
    }

    mutating func required(_ column: String) -> String? {
        guard let v = value(column) else { errors.append(error(column, "a value is required")); return nil }
        return v
    }

    mutating func id(_ column: String) -> String? {
        guard let v = required(column) else { return nil }
        guard RecordID.isValid(v) else { errors.append(error(column, RecordID.problem(v))); return nil }
        return v
    }

    mutating func date(_ column: String) -> CalendarDate? {
        guard let v = value(column) else { return nil }
        guard let d = CalendarDate(parsing: v) else {
            errors.append(error(column, "'\(v)' is not a date (YYYY-MM-DD or DD/MM/YYYY)"))
            return nil
        }
        return d
    }

    mutating func choice<E: RawRepresentable & CaseIterable>(_ column: String, _ type: E.Type) -> E?
    where E.RawValue == String {
        guard let v = value(column) else { return nil }
        guard let e = E(rawValue: v.lowercased()) else {
            errors.append(error(column, "'\(v)' is not one of \(E.allCases.map(\.rawValue).joined(separator: ", "))"))
            return nil
        }
        return e
    }

    /// Cells that only mean something with another one (a contract end without a provider)
    /// would be dropped silently: each is an error naming the column it needs.
    mutating func needs(_ primary: String, for dependents: [String]) {
        guard value(primary) == nil else { return }
        for column in dependents where value(column) != nil {
            errors.append(error(column, "needs column \(primary) on the same row"))
        }
    }

    mutating func system() -> System? {
        let id = self.id("id")
        let name = required("name")
        let agency = self.id("agency_id")
        var level: SecurityLevel?
        if let v = required("level") {
            level = Int(v).flatMap(SecurityLevel.init)
            if level == nil { errors.append(error("level", "'\(v)' is not a security level 1–5")) }
        }
        var status: DossierStatus?
        if required("dossier_status") != nil { status = choice("dossier_status", DossierStatus.self) }
        let decisionFields = (value("decision_number"), date("decision_date"), value("decision_authority"),
                              choice("decision_role", AuthorityRole.self))
        let decision: Decision? = decisionFields == (nil, nil, nil, nil) ? nil :
            Decision(number: decisionFields.0, date: decisionFields.1, authority: decisionFields.2, role: decisionFields.3)

        var endpoints: [Endpoint] = []
        for text in (value("endpoints") ?? "").split(whereSeparator: { " ;,\n\t".contains($0) }) {
            do { endpoints.append(try Endpoint(parsing: String(text))) }
            catch { errors.append(self.error("endpoints", "'\(text)': \(error.description)")) }
        }

        needs("onsite_unit", for: ["onsite_staff"])
        needs("monitoring_provider", for: ["monitoring_contract_end"])
        needs("assessment_date", for: ["assessor"])
        needs("national_connected", for: ["national_since"])
        needs("contact_name", for: ["contact_role", "contact_email", "contact_phone"])
        var layers = LayerRecords()
        if let unit = value("onsite_unit") {
            var staff: Int?
            if let s = value("onsite_staff") {
                staff = Int(s).flatMap { OnSiteRecord.plausibleStaff.contains($0) ? $0 : nil }
                if staff == nil {
                    errors.append(error("onsite_staff", "'\(s)' is not a number of staff "
                                        + "(\(OnSiteRecord.plausibleStaff.lowerBound)–\(OnSiteRecord.plausibleStaff.upperBound))"))
                }
            }
            layers.onSite = OnSiteRecord(unit: unit, staff: staff)
        }
        if let provider = value("monitoring_provider") {
            layers.monitoring = MonitoringRecord(provider: provider, contractEnd: date("monitoring_contract_end"))
        }
        if let assessed = date("assessment_date"), let assessor = required("assessor") {
            layers.assessment = AssessmentRecord(date: assessed, assessor: assessor)
        }
        if let v = value("national_connected") {
            switch v.lowercased() {
            case "yes", "y", "true", "1", "có", "co", "x": layers.nationalMonitoring = .init(connected: true, since: date("national_since"))
            case "no", "n", "false", "0", "không", "khong":
                layers.nationalMonitoring = .init(connected: false)
                if value("national_since") != nil { errors.append(error("national_since", "a date, but national_connected says no")) }
            default: errors.append(error("national_connected", "'\(v)' is not yes or no"))
            }
        }
        let contacts = value("contact_name").map {
            [Contact(name: $0, role: value("contact_role"), email: value("contact_email"), phone: value("contact_phone"))]
        } ?? []
        let tags = (value("tags") ?? "").split(whereSeparator: { ";,".contains($0) })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }

        guard errors.isEmpty, let id, let name, let agency, let level, let status else { return nil }
        return System(id: id, name: name, agency: agency, level: level,
                      dossier: Dossier(status: status, decision: decision), endpoints: endpoints,
                      layers: layers, contacts: contacts, tags: tags,
                      location: SourceLocation(file: file, line: row.line))
    }
}
