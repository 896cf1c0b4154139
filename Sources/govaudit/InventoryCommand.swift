import ArgumentParser
import GovAuditCore
import GovAuditFiles
import GovAuditInventory
import GovAuditReports

struct InventoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inventory",
        abstract: "Check an inventory file, or import one from a spreadsheet (CSV).",
        subcommands: [Check.self, Import.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check an inventory file; print every error as file:line: field: message.",
            discussion: "Exit 0 when the file is valid, 2 when it is not.")

        @Argument(help: ArgumentHelp("Inventory file (YAML).", valueName: "file"))
        var file: String

        func run() throws {
            let inventory = try InventoryLoader.load(path: file)
            let endpoints = inventory.systems.reduce(0) { $0 + $1.endpoints.count }
            Console.out("\(file): OK — \(inventory.systems.count) systems, \(inventory.agencies.count) agencies, \(endpoints) endpoints\n")
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Convert a spreadsheet export (CSV) into an inventory file.",
            discussion: """
            Reads UTF-8 (with or without byte-order mark) and UTF-16 (Excel's "Unicode Text"); \
            comma, semicolon or tab separated. One system per row; the columns are listed in \
            README.md ("Importing a spreadsheet") and by --columns. Every bad cell is reported as \
            file:line: column NAME: message, and nothing is written.
            """)

        @Argument(help: ArgumentHelp("CSV file.", valueName: "file.csv"))
        var file: String?

        @Option(help: ArgumentHelp("Write the inventory here instead of standard output.", valueName: "file.yaml"))
        var out: String?

        @Option(help: "Inventory name (default: the CSV file's name).")
        var name: String?

        @Flag(help: "List the accepted columns and exit.")
        var columns = false

        func validate() throws {
            if !columns && file == nil { throw ValidationError("missing the CSV file to import") }
        }

        func run() throws {
            if columns {
                var table = TextTable(headers: ["column", "required", "meaning"], maxWidths: [24, 8, 80])
                for c in CSVImport.columns { table.add([c.name, c.required ? "yes" : "", c.help]) }
                Console.out(table.render())
                return
            }
            guard let file else { return }
            let target = try out.map { try OutputFile($0, option: "--out", inputs: [file]) }
            let result = try CSVImport.importFile(path: file, name: name)
            let yaml = InventoryWriter.yaml(result.inventory)
            // Round trip: what we write must load. The import checks what the loader checks, so a
            // failure here is our bug; it still names the spreadsheet, the file the user has.
            do {
                _ = try InventoryLoader.parse(yaml, file: file)
            } catch {
                throw RunFailure(message: "\(file): the inventory made from it does not load (a GovAudit bug): "
                                 + error.errors.map(\.message).joined(separator: "; "))
            }
            if let target {
                try Console.write(yaml, to: target)
                Console.error(VisibleText.escaped("\(file): \(result.inventory.systems.count) systems (\(result.encoding.rawValue)) → \(target.path)"))
            } else {
                // Every text in it is quoted, with control and bidi characters as \uXXXX escapes.
                Console.out(yaml)
            }
        }
    }
}
