import FuzzSupport
import Foundation
import GovAuditCore
import GovAuditInventory
import GovAuditPolicy

/// What the harnesses that judge need, loaded once: the repository's policy and one system of
/// level 3 with one web endpoint, the site the fuzzed answers and pages are "from".
public enum Fixtures {
    public static let policy: Policy = {
        do { return try PolicyLoader.load(directory: policyDirectory(), digest: { _ in "" }) } catch {
            fatalError("fuzz: cannot load the policy at \(policyDirectory()): \(error)")
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
