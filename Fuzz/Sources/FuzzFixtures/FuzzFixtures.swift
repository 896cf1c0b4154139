import FuzzSupport
import Foundation
import GovAuditCore
import GovAuditInventory
import GovAuditPolicy

/// What the harnesses that judge need, loaded once: the repository's policy, one system of level 3
/// with the two web endpoints of the stored evidence fixture (the site the fuzzed answers are
/// "from"), that evidence, and the CLI tests' small inventory.
public enum Fixtures {
    public static let policy: Policy = {
        do { return try PolicyLoader.load(directory: repository("Policies"), digest: { _ in "" }) } catch {
            fatalError("fuzz: cannot load the policy at \(repository("Policies")): \(error)")
        }
    }()

    /// Evidence of every kind, as stored (Tests/Fixtures/evidence-every-kind.json).
    public static let evidence: [Evidence] = {
        let path = repository("Tests/Fixtures/evidence-every-kind.json")
        let decoder = JSONDecoder()
        decoder.userInfo[.evidenceCatalog] = EvidenceCatalog.standard
        do {
            return try decoder.decode([StoredEvidence].self, from: Data(contentsOf: URL(fileURLWithPath: path))).map(\.evidence)
        } catch {
            fatalError("fuzz: cannot read the evidence fixture \(path): \(error)")
        }
    }()

    /// Four systems with layers, decisions and a waiver (Tests/GovAuditCLITests/Fixtures/small.yaml).
    public static let smallInventory: Inventory = {
        let path = repository("Tests/GovAuditCLITests/Fixtures/small.yaml")
        do { return try InventoryLoader.load(path: path) } catch {
            fatalError("fuzz: cannot load \(path): \(error)")
        }
    }()

    public static let site = "sotuphap.angiang.gov.vn"
    public static let endpoint = try! Endpoint(parsing: "https://\(site)/")
    public static let asOf = CalendarDate(parsing: "2026-11-26")!

    public static let inventory: Inventory = {
        let yaml = """
        version: 1
        name: fuzz
        domain: angiang.gov.vn
        agencies:
          - id: stp
            name: Sở Tư pháp
        systems:
          - id: cong-stp
            name: Cổng thông tin Sở Tư pháp
            agency: stp
            level: 3
            dossier:
              status: approved
            endpoints:
              - https://\(site)/
              - https://dichvucong.angiang.gov.vn/
        """
        do { return try InventoryLoader.parse(yaml, file: "fuzz-inventory.yaml") } catch {
            fatalError("fuzz: the fixture inventory does not load: \(error)")
        }
    }()

    /// Judges `evidence` about the fixture system with the rules of `areas`.
    public static func judge(_ evidence: [Evidence], areas: Set<Area>) -> SystemEvaluation? {
        Evaluator(policy: policy, areas: areas).evaluate(inventory.systems[0], asOf: asOf, evidence: evidence,
                                                          provinceDomain: inventory.domain)
    }
}
