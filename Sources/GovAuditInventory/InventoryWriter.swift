import Foundation
import GovAuditCore

/// Writes an inventory in the YAML format `InventoryLoader` reads. Every text is double-quoted
/// and escaped, so names holding ':' or '#' (common in decision numbers) survive the round trip,
/// and control or bidi characters are written as `\uXXXX`, never raw.
public enum InventoryWriter {
    public static func yaml(_ inventory: Inventory) -> String {
        var out = "# GovAudit inventory (format described in README.md, \"Inventory format\").\n"
        out += "version: \(InventoryLoader.formatVersion)\n"
        out += "name: \(q(inventory.name))\n"
        if inventory.illustrative { out += "illustrative: true\n" }
        if let domain = inventory.domain { out += "domain: \(q(domain))\n" }
        out += inventory.agencies.isEmpty ? "agencies: []\n" : "agencies:\n"   // a bare key is null, which the loader refuses
        for a in inventory.agencies {
            out += "  - id: \(q(a.id))\n    name: \(q(a.name))\n"
        }
        out += inventory.systems.isEmpty ? "systems: []\n" : "systems:\n"   // a bare key is null, which the loader refuses
        for s in inventory.systems {
            out += "  - id: \(q(s.id))\n"
            out += "    name: \(q(s.name))\n"
            out += "    agency: \(q(s.agency))\n"
            out += "    level: \(s.level.value)\n"
            out += "    dossier:\n      status: \(s.dossier.status.rawValue)\n"
            if let d = s.dossier.decision {
                out += "      decision:\n"
                if let v = d.number { out += "        number: \(q(v))\n" }
                if let v = d.date { out += "        date: \(v)\n" }
                if let v = d.authority { out += "        authority: \(q(v))\n" }
                if let v = d.role { out += "        role: \(v.rawValue)\n" }
            }
            if !s.endpoints.isEmpty {
                out += "    endpoints:\n" + s.endpoints.map { "      - \(q($0.description))\n" }.joined()
            }
            let l = s.layers
            if l != LayerRecords() {
                out += "    layers:\n"
                if let r = l.onSite {
                    out += "      onSite:\n        unit: \(q(r.unit))\n"
                    if let n = r.staff { out += "        staff: \(n)\n" }
                }
                if let r = l.monitoring {
                    out += "      monitoring:\n        provider: \(q(r.provider))\n"
                    if let d = r.contractEnd { out += "        contractEnd: \(d)\n" }
                }
                if let r = l.assessment {
                    out += "      assessment:\n        date: \(r.date)\n        assessor: \(q(r.assessor))\n"
                }
                if let r = l.nationalMonitoring {
                    out += "      nationalMonitoring:\n        connected: \(r.connected)\n"
                    if let d = r.since { out += "        since: \(d)\n" }
                }
            }
            if !s.contacts.isEmpty {
                out += "    contacts:\n"
                for c in s.contacts {
                    out += "      - name: \(q(c.name))\n"
                    if let v = c.role { out += "        role: \(q(v))\n" }
                    if let v = c.email { out += "        email: \(q(v))\n" }
                    if let v = c.phone { out += "        phone: \(q(v))\n" }
                }
            }
            if !s.tags.isEmpty { out += "    tags: [\(s.tags.map(q).joined(separator: ", "))]\n" }
            if !s.waivers.isEmpty {
                out += "    waivers:\n"
                for w in s.waivers {
                    out += "      - rule: \(q(w.rule))\n        reason: \(q(w.reason))\n"
                    if let d = w.decision { out += "        decision: \(q(d))\n" }
                    out += "        expires: \(w.expires)\n"
                }
            }
        }
        return out
    }

    /// A YAML double-quoted scalar.
    static func q(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            // Controls and bidi/invisible characters as YAML escapes: the file reads back the
            // same, and printing it cannot drive the terminal. U+FFFE and U+FFFF too: libyaml
            // refuses the whole file when they stand raw (found by fuzzing the CSV import).
            case _ where VisibleText.isDangerous(scalar) || scalar.value == 0xFFFE || scalar.value == 0xFFFF:
                out += String(format: "\\u%04X", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
