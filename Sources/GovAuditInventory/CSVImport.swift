import Foundation
import GovAuditCore

/// Builds an inventory from a spreadsheet export, one system per row. The columns are
/// documented in README.md ("Importing a spreadsheet"); their order does not matter, unknown
/// columns are an error (a typo would otherwise drop data silently).
public enum CSVImport {
    public struct Column: Sendable {
        public var name: String
        public var required: Bool
        public var help: String
    }

    public static let columns: [Column] = [
        .init(name: "id", required: true, help: "system id: lower-case letters, digits, '-'"),
        .init(name: "name", required: true, help: "system name in Vietnamese"),
        .init(name: "agency_id", required: true, help: "owning agency id"),
        .init(name: "agency_name", required: false, help: "owning agency name (once per agency is enough)"),
        .init(name: "level", required: true, help: "security level 1–5"),
        .init(name: "dossier_status", required: true, help: "none, drafting, submitted, approved or rejected"),
        .init(name: "decision_number", required: false, help: "approval decision number"),
        .init(name: "decision_date", required: false, help: "decision date, YYYY-MM-DD or DD/MM/YYYY"),
        .init(name: "decision_authority", required: false, help: "who signed the decision"),
        .init(name: "decision_role", required: false, help: "security-unit, owner, ministry, prime-minister or other"),
        .init(name: "endpoints", required: false, help: "URLs or hosts separated by spaces, ';' or line breaks"),
        .init(name: "onsite_unit", required: false, help: "layer 1: on-site security unit"),
        .init(name: "onsite_staff", required: false, help: "layer 1: number of staff"),
        .init(name: "monitoring_provider", required: false, help: "layer 2: monitoring provider"),
        .init(name: "monitoring_contract_end", required: false, help: "layer 2: contract end date"),
        .init(name: "assessment_date", required: false, help: "layer 3: date of the last independent assessment"),
        .init(name: "assessor", required: false, help: "layer 3: who assessed"),
        .init(name: "national_connected", required: false, help: "layer 4: yes or no"),
        .init(name: "national_since", required: false, help: "layer 4: connected since"),
        .init(name: "contact_name", required: false, help: "contact person"),
        .init(name: "contact_role", required: false, help: "contact's role"),
        .init(name: "contact_email", required: false, help: "contact's e-mail"),
        .init(name: "contact_phone", required: false, help: "contact's phone"),
        .init(name: "tags", required: false, help: "tags separated by ';' or ','"),
    ]

    public struct Result: Sendable {
        public var inventory: Inventory
        public var encoding: TextDecoding.Encoding
    }

    public static func importFile(path: String, name: String? = nil) throws(InputErrors) -> Result {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputErrors([InputError(SourceLocation(file: path), "cannot read the file (missing or not readable)")])
        }
        do {
            let (text, encoding) = try TextDecoding.decode([UInt8](data), file: path)
            let inventoryName = name ?? URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
            return Result(inventory: try parse(text, file: path, name: inventoryName), encoding: encoding)
        } catch let e as InputError {
            throw InputErrors([e])
        } catch let e as InputErrors {
            throw e
        } catch {
            throw InputErrors([InputError(SourceLocation(file: path), "\(error)")])
        }
    }

    public static func parse(_ text: String, file: String, name: String) throws -> Inventory {
        let rows = try CSVReader.records(text, separator: CSVReader.separator(for: text), file: file)
        guard let header = rows.first else { throw InputError(SourceLocation(file: file), "the file is empty") }
        var errors: [InputError] = []
        var index: [String: Int] = [:]
        for (i, raw) in header.fields.enumerated() {
            let column = raw.trimmingCharacters(in: .whitespaces).lowercased()
            guard columns.contains(where: { $0.name == column }) else {
                errors.append(InputError(.init(file: file, line: header.line), field: "column \(i + 1)",
                                         "unknown column '\(raw)' (known: \(columns.map(\.name).joined(separator: ", ")))"))
                continue
            }
            if index[column] != nil {
                errors.append(InputError(.init(file: file, line: header.line), field: "column \(column)", "appears twice"))
            }
            index[column] = i
        }
        for c in columns where c.required && index[c.name] == nil {
            errors.append(InputError(.init(file: file, line: header.line), field: "column \(c.name)",
                                     "required column is missing (\(c.help))"))
        }
        guard errors.isEmpty else { throw InputErrors(errors) }

        var agencies: [Agency] = []
        var systems: [System] = []
        for row in rows.dropFirst() {
            var reader = RowReader(row: row, index: index, file: file)
            guard let system = reader.system() else { errors += reader.errors; continue }
            if systems.contains(where: { $0.id == system.id }) {
                errors.append(reader.error("id", "system id '\(system.id)' is used twice"))
                continue
            }
            let agencyName = reader.value("agency_name")
            if let i = agencies.firstIndex(where: { $0.id == system.agency }) {
                if agencies[i].name == agencies[i].id, let agencyName { agencies[i].name = agencyName }
            } else {
                agencies.append(Agency(id: system.agency, name: agencyName ?? system.agency))
            }
            systems.append(system)
        }
        guard errors.isEmpty else { throw InputErrors(errors) }
        return Inventory(name: name, illustrative: false, agencies: agencies, systems: systems)
    }

    /// Reads one row's cells into a `System`, collecting every error of the row.
    private struct RowReader {
        let row: CSVReader.Record
        let index: [String: Int]
        let file: String
        var errors: [InputError] = []

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

        mutating func system() -> System? {
            let id = required("id")
            if let id, !id.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0) }) {
                errors.append(error("id", "'\(id)' is not an id: use lower-case letters, digits, '-', '_' or '.'"))
            }
            let name = required("name")
            let agency = required("agency_id")
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

            var layers = LayerRecords()
            if let unit = value("onsite_unit") {
                var staff: Int?
                if let s = value("onsite_staff") {
                    staff = Int(s)
                    if staff == nil { errors.append(error("onsite_staff", "'\(s)' is not a number")) }
                }
                layers.onSite = OnSiteRecord(unit: unit, staff: staff)
            }
            if let provider = value("monitoring_provider") {
                layers.monitoring = MonitoringRecord(provider: provider, contractEnd: date("monitoring_contract_end"))
            }
            let assessed = date("assessment_date")
            if let assessed {
                if let assessor = required("assessor") { layers.assessment = AssessmentRecord(date: assessed, assessor: assessor) }
            }
            if let v = value("national_connected") {
                switch v.lowercased() {
                case "yes", "y", "true", "1", "có", "co", "x": layers.nationalMonitoring = .init(connected: true, since: date("national_since"))
                case "no", "n", "false", "0", "không", "khong": layers.nationalMonitoring = .init(connected: false)
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
}
