import ArgumentParser
import Foundation
import GovAuditCore
import GovAuditInventory
import GovAuditPolicy
import GovAuditReports
import GovAuditScan
import GovAuditStore

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the report files of a stored scan: HTML, XLSX, CSV, Markdown, JSON, DOCX, PDF.",
        discussion: """
        The province's figures (N/M with unknown and not-applicable systems apart, each with \
        its trend against the previous complete scan of the same series), the agency table, the \
        attached IPv6 list, TLS grades, the link-hygiene list and every finding per system. The \
        stored scan is judged under --policy on its own day. Files go to Reports/<scan-id>/ \
        (or --out-dir), each written atomically, 0600 in a 0700 folder (the inventory holds \
        contacts' personal data); the paths written are printed, one per line.

        docx is the official report in the form of NĐ 30/2020 (issuer, Quốc hiệu, number, \
        place and date, figures, Nơi nhận, signer, the attached IPv6 list): its issuer, signer \
        and recipients come from the inventory's report: section (the scan's stored inventory, \
        or --inventory), its number from --number. pdf is the HTML report printed by headless \
        Chromium (Debian package chromium).

        Examples:
          govaudit report
          govaudit report --scan 2026-12-01T09-30-00Z-3f9a --format html,csv --lang en
          govaudit report --format md --out-dir /tmp/bao-cao
          govaudit report --format docx,pdf --number 12/BC-SKHCN --inventory angiang.yaml
        """)

    @Option(help: ArgumentHelp("The stored scan (see govaudit history), or latest: the newest complete scan.", valueName: "id"))
    var scan: String = "latest"

    @Option(help: ArgumentHelp("Formats, comma-separated: html, xlsx, csv, md, json, docx, pdf.", valueName: "list"))
    var format: String = ReportFormat.standard.map(\.rawValue).joined(separator: ",")

    @Option(help: ArgumentHelp("The official report's number (số/ký hiệu), for docx: e.g. 12/BC-SKHCN.", valueName: "number"))
    var number: String?

    @Option(help: ArgumentHelp("Inventory whose report: section names the issuer, signer and recipients (docx). Default: the scan's stored inventory.",
                               valueName: "file"))
    var inventory: String?

    @Option(help: ArgumentHelp("The official report's date (YYYY-MM-DD), for docx. Default: today in Vietnam.", valueName: "date"))
    var date: String?

    @Option(help: "Language of the report: vi or en.")
    var lang: LanguageArgument = .vi

    @Option(name: .customLong("out-dir"), help: ArgumentHelp("Folder for the files. Default: Reports/<scan-id>.", valueName: "dir"))
    var outDir: String?

    @OptionGroup var database: DatabaseOption
    @OptionGroup var policyOptions: PolicyOptions

    var formats: [ReportFormat] {
        get throws {
            switch ReportFormat.list(format.split(separator: ",").map(String.init)) {
            case .success(let formats): return formats
            case .failure(let error): throw ValidationError("--format: \(error.message)")
            }
        }
    }

    func validate() throws {
        let formats = try formats
        if scan.isEmpty { throw ValidationError("--scan: give a scan id or latest") }
        if formats.contains(.docx) {
            guard let number else {
                throw ValidationError("--number: the official report (docx) needs its number, e.g. --number 12/BC-SKHCN")
            }
            let bad = number.unicodeScalars.contains { VisibleText.isDangerous($0) }
            if number.trimmingCharacters(in: .whitespaces).isEmpty || bad || number.count > 60 {
                throw ValidationError("--number: '\(number)' is not a document number (e.g. 12/BC-SKHCN; at most 60 characters, no control characters)")
            }
        }
        if let date, CalendarDate(parsing: date) == nil { throw ValidationError("--date: '\(date)' is not a date YYYY-MM-DD") }
        if formats.contains(.pdf), PDFPrint.chromium() == nil {
            throw ValidationError("--format pdf: the PDF is printed by headless Chromium, which is not installed: install the Debian package \(PDFPrint.package) (apt-get install \(PDFPrint.package); make browser-test installs it)")
        }
    }

    func run() async throws {
        let formats = try formats
        let policy = try policyOptions.load()
        let store = try database.open(create: false)
        let model = try await mappingStoreErrors { () async throws -> ReportModel in
            let id = try await resolve(store)
            do {
                return try await ReportModel.load(scan: id, store: store, policy: policy) {
                    Evaluator(policy: policy, areas: Evaluate.areas($0))
                }
            } catch StoreError.unknownScan(let path, let id) {
                throw InputErrors([InputError(SourceLocation(file: path), field: "--scan", "no stored scan with id '\(id)'")])
            }
        }
        let letter = formats.contains(.docx) ? try await officialLetter(model, store: store) : nil
        let directory = outDir ?? "Reports/\(model.scan.id)"
        let paths: [String]
        do {
            paths = try ReportFiles.write(model, formats: formats, language: lang.language, to: directory,
                                          letter: letter, chromium: formats.contains(.pdf) ? PDFPrint.chromium() : nil)
        } catch let error as ReportWriteError {
            throw RunFailure(message: error.description)
        }
        Console.out(paths.map { $0 + "\n" }.joined())
    }

    /// The issuer from --inventory's report: section, else the stored inventory's; the number
    /// and date from the options.
    private func officialLetter(_ model: ReportModel, store: HistoryStore) async throws -> OfficialLetter {
        let issuer: ReportIssuer?, source: String
        if let inventory {
            issuer = try InventoryLoader.load(path: inventory).report
            source = inventory
        } else {
            issuer = try await mappingStoreErrors { try await store.scan(model.scan.id).inventory.report }
            source = "the inventory stored with scan \(model.scan.id)"
        }
        guard let issuer else {
            throw InputErrors([InputError(SourceLocation(file: inventory ?? store.location.path), field: "report",
                                          "\(source) has no report: section (issuer, signer, recipients; see README, \"The report: section\"): add one, or pass --inventory FILE")])
        }
        let day = date.flatMap { CalendarDate(parsing: $0) } ?? CalendarDate(Date(), in: CalendarDate.vietnamTimeZone)
        return OfficialLetter(issuer: issuer, number: number ?? "", date: day)
    }

    /// `latest`: the newest complete scan; otherwise the id as given.
    private func resolve(_ store: HistoryStore) async throws -> String {
        guard scan == "latest" else { return scan }
        guard let latest = try await store.scans().first(where: { $0.scan.status == .complete }) else {
            throw InputErrors([InputError(SourceLocation(file: store.location.path), field: "--scan",
                                          "no complete scan stored yet: run govaudit scan first, or name a scan with --scan")])
        }
        return latest.scan.id
    }
}
