import ArgumentParser
import Foundation
import GovAuditCore
import GovAuditFiles
import GovAuditPolicy
import GovAuditReports
import GovAuditScan
import GovAuditService
import GovAuditStore

/// `--db FILE` (and `--config FILE`, whose `database:` it falls back to): the history
/// database, for every verb that reads or writes stored scans.
struct DatabaseOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "History database (SQLite).",
        discussion: "Default: $GOVAUDIT_DB, else the config's database, else $XDG_DATA_HOME/govaudit/history.sqlite, else ~/.local/share/govaudit/history.sqlite. Created 0600 in a 0700 folder.",
        valueName: "file"))
    var db: String?

    @OptionGroup var config: ConfigOption

    var location: StoreLocation {
        get throws {
            // Loaded even when --db wins: a config named but missing or wrong is an error anyway.
            let configured = try config.load()?.database
            if let db { return StoreLocation(path: db) }
            let env = ProcessInfo.processInfo.environment
            if env["GOVAUDIT_DB"]?.isEmpty ?? true, let database = configured {
                return StoreLocation(path: database)
            }
            do {
                return try StoreLocation.resolve(environment: ProcessInfo.processInfo.environment,
                                                 home: ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory())
            } catch {
                throw RunFailure(message: error.description)
            }
        }
    }

    /// Opens the store; any store error is the run's failure (exit 3), the file left as it was.
    /// Readers pass `create: false`, so a mistyped `--db` is an error, not an empty history.
    func open(create: Bool) throws -> HistoryStore {
        do {
            return try HistoryStore(try location, options: StoreOptions(create: create))
        } catch let error as StoreError {
            throw RunFailure(message: error.description)
        }
    }
}

/// Store errors and refusals met while a verb runs, as the exit codes say: a refused resume is
/// the user's input (2); a database that fails is the run's failure (3).
func mappingStoreErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as StoreError {
        throw RunFailure(message: error.description)
    }
}

/// `--db` and `--no-store`, for the verbs that store what they scan (scan, audit).
struct StorageOptions: ParsableArguments {
    @OptionGroup var database: DatabaseOption

    @Flag(name: .customLong("no-store"), help: "Do not store the scan in the history database.")
    var noStore = false
}

/// `--checks`: which probes run.
struct ChecksOption: ParsableArguments {
    @Option(help: ArgumentHelp("Probes to run, comma-separated: dns (IPv6 and DNS), tls (TLS and HTTPS), links (the crawl).",
                               discussion: "Default: all three. The records (dossier, layers) are always judged. The checks run are part of the stored scan: only scans with the same checks are compared.",
                               valueName: "list"))
    var checks: String?

    func validate() throws {
        if let checks, case .failure(let f) = Check.parse(checks) {
            throw ValidationError("--checks: '\(f.word)' is not a check (dns, tls, links)")
        }
    }

    /// The checks to run: `--checks`, less those `--no-tls` and `--no-crawl` turn off.
    func selected(network: NetworkOptions, crawl: CrawlOptions) -> [Check] {
        var chosen = checks.flatMap { try? Check.parse($0).get() } ?? Check.allCases
        if network.noTLS { chosen.removeAll { $0 == .tls } }
        if crawl.noCrawl { chosen.removeAll { $0 == .links } }
        return chosen
    }
}

/// `--config FILE`: the configuration file (`contrib/config.example.yaml` documents it).
struct ConfigOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Configuration file (YAML): inventory, database, resolver, CA file, trust anchors, networks, contact, schedule, alerts.",
        discussion: "Default: $GOVAUDIT_CONFIG, else /etc/govaudit/config.yaml when it exists. Flags override it.",
        valueName: "file"))
    var config: String?

    /// The config, nil when there is none; a bad one throws `InputErrors` (exit 2).
    func load() throws -> ServiceConfig? {
        try ServiceConfig.path(flag: config, environment: ProcessInfo.processInfo.environment).map {
            try ServiceConfig.load(path: $0)
        }
    }
}
