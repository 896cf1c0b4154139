import Foundation
import GovAuditCore
import GovAuditFiles

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
        do {
            let (text, encoding) = try TextDecoding.decode(try InputFile.read(path, limit: InputFile.Limit.spreadsheet), file: path)
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
        var agencyIndex: [String: (index: Int, nameLine: Int?)] = [:]
        var systems: [System] = []
        var systemLines: [String: Int] = [:]
        for row in rows.dropFirst() {
            // A cell past the header's last column has no name: it would be dropped silently.
            for (i, cell) in row.fields.enumerated().dropFirst(header.fields.count)
            where !cell.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                errors.append(InputError(.init(file: file, line: row.line), field: "column \(i + 1)",
                                         "'\(cell)' is beyond the header's \(header.fields.count) columns; name the column or remove the cell"))
            }
            var reader = CSVRowReader(row: row, index: index, file: file)
            guard let system = reader.system() else { errors += reader.errors; continue }
            if let first = systemLines[system.id] {
                errors.append(reader.error("id", "system id '\(system.id)' is used twice (first on line \(first))"))
                continue
            }
            systemLines[system.id] = row.line
            let agencyName = reader.value("agency_name")
            if let known = agencyIndex[system.agency] {
                let current = agencies[known.index].name
                if let agencyName, known.nameLine == nil {
                    agencies[known.index].name = agencyName
                    agencyIndex[system.agency]?.nameLine = row.line
                } else if let agencyName, let line = known.nameLine, agencyName != current {
                    errors.append(reader.error("agency_name", "'\(agencyName)', but agency '\(system.agency)' is named '\(current)' on line \(line)"))
                }
            } else {
                agencyIndex[system.agency] = (agencies.count, agencyName == nil ? nil : row.line)
                agencies.append(Agency(id: system.agency, name: agencyName ?? system.agency))
            }
            systems.append(system)
        }
        guard errors.isEmpty else { throw InputErrors(errors) }
        return Inventory(name: name, illustrative: false, agencies: agencies, systems: systems)
    }
}
