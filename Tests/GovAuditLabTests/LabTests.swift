import Foundation
import GovAuditCore
import GovAuditInventory
import GovAuditNet
import GovAuditPolicy
import GovAuditProbes
import GovAuditScan
import Testing
import Yams

#if canImport(Glibc)
import Glibc
#endif

/// The running lab, as `Tests/Lab/lab.py up` describes it in `state/lab.json`. A test that needs
/// the lab fails, never skips, when it is not running.
struct Lab {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    let resolver: String
    let caFile: String
    let trustAnchors: String
    let scenarios: [String: Any]

    static func running() throws -> Lab {
        let env = root.appendingPathComponent("Tests/Lab/state/lab.json")
        guard let data = FileManager.default.contents(atPath: env.path),
              let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw LabNotRunning()
        }
        let text = try String(contentsOf: root.appendingPathComponent("Tests/Lab/scenarios.yaml"), encoding: .utf8)
        return Lab(resolver: json["resolver"] as? String ?? "", caFile: json["caFile"] as? String ?? "",
                   trustAnchors: json["trustAnchors"] as? String ?? "",
                   scenarios: try Yams.load(yaml: text) as? [String: Any] ?? [:])
    }

    struct LabNotRunning: Error, CustomStringConvertible {
        var description: String { "the lab is not running: start it with `make lab-up` (make test does)" }
    }

    var hosts: [[String: Any]] { scenarios["hosts"] as? [[String: Any]] ?? [] }

    /// The network core pointed at the lab, with short bounds (the lab is local; hostile hosts
    /// must still end quickly in their typed results).
    func probeContext() -> ProbeContext {
        let resolver = Resolver(upstream: resolver, trustAnchorFile: trustAnchors, timeoutMilliseconds: 3000)
        var limits = HTTPLimits()
        limits.connectTimeoutMilliseconds = 2000
        limits.totalTimeoutMilliseconds = 6000
        limits.lowSpeedSeconds = 2
        limits.maxBodyBytes = 2 * 1024 * 1024
        return ProbeContext(resolver: resolver,
                            http: HTTPClient(resolver: resolver, caFile: caFile, limits: limits,
                                             filter: AddressFilter(allowing: ["127.0.10.0/24", "fd10::/16"].compactMap(CIDR.init))),
                            connectTimeoutMilliseconds: 2000)
    }

    var dnsNames: [[String: Any]] { scenarios["dnsNames"] as? [[String: Any]] ?? [] }

    /// A host with its expected facts: defaults, then its scenario's (key by key), as lab.py merges them.
    struct Host {
        var name: String
        var ipv4: String
        var ipv6: String
        var expect: [String: Any]
        /// More A/AAAA records of the host (`moreAddresses`), served alike unless `refuse443` names them.
        var more: [String] = []
    }

    var merged: [Host] {
        let defaults = (scenarios["defaults"] as? [String: Any])?["expect"] as? [String: Any] ?? [:]
        let all = scenarios["scenarios"] as? [String: Any] ?? [:]
        return hosts.compactMap { h in
            guard let name = h["name"] as? String, let v4 = h["ipv4"] as? String, let sc = h["scenario"] as? String else { return nil }
            var expect = defaults
            for (k, v) in (all[sc] as? [String: Any])?["expect"] as? [String: Any] ?? [:] { expect[k] = v }
            return Host(name: name, ipv4: v4, ipv6: "fd10::" + (v4.split(separator: ".").last.map(String.init) ?? ""), expect: expect,
                        more: h["moreAddresses"] as? [String] ?? [])
        }
    }

    /// Every name the lab serves, host entries and their aliases.
    var names: Set<String> {
        var all = Set<String>()
        for h in hosts {
            if let n = h["name"] as? String { all.insert(n) }
            for a in h["aliases"] as? [String] ?? [] { all.insert(a) }
        }
        return all
    }
}

/// A TCP connect with a deadline, through the socket API: what "reachable" means here.
func tcpConnects(_ address: String, _ port: UInt16, timeoutMs: Int32 = 2000) -> Bool {
    var hints = addrinfo()
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    hints.ai_flags = AI_NUMERICHOST
    var result: UnsafeMutablePointer<addrinfo>?
    guard getaddrinfo(address, String(port), &hints, &result) == 0, let info = result else { return false }
    defer { freeaddrinfo(result) }
    let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    if connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return true }
    guard errno == EINPROGRESS else { return false }
    var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
    guard poll(&pfd, 1, timeoutMs) == 1 else { return false }
    var err: Int32 = 0
    var len = socklen_t(MemoryLayout<Int32>.size)
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len)
    return err == 0
}

@Suite("Lab (integration)", .serialized)
struct LabTests {
    @Test("the lab is running and its resolver answers on TCP")
    func running() throws {
        let lab = try Lab.running()
        let parts = lab.resolver.split(separator: ":")
        #expect(parts.count == 2)
        #expect(tcpConnects(String(parts[0]), UInt16(parts[1]) ?? 0))
        #expect(FileManager.default.fileExists(atPath: lab.caFile))
    }

    @Test("every host of the example inventory is served by the lab")
    func inventoryServed() throws {
        let lab = try Lab.running()
        let inventory = try InventoryLoader.load(path: Lab.root.appendingPathComponent("Policies/inventory/angiang.yaml").path)
        let wanted = Set(inventory.systems.flatMap(\.endpoints).map(\.host))
        #expect(wanted.count == 55)
        #expect(wanted.subtracting(lab.names).isEmpty, "not in the lab: \(wanted.subtracting(lab.names).sorted())")
        // And answering: port 80 over IPv4 on each inventory host's lab address.
        for h in lab.hosts {
            guard let name = h["name"] as? String, wanted.contains(name), let v4 = h["ipv4"] as? String else { continue }
            #expect(tcpConnects(v4, 80), "\(name) (\(v4)) does not answer on port 80")
        }
    }

    @Test("the scenario list covers what the probe issues need")
    func scenarioCoverage() throws {
        let lab = try Lab.running()
        let used = Set(lab.hosts.compactMap { $0["scenario"] as? String })
        let defined = Set((lab.scenarios["scenarios"] as? [String: Any] ?? [:]).keys)
        #expect(used == defined, "defined but unused: \(defined.subtracting(used)); used but undefined: \(used.subtracting(defined))")
        for needed in ["sound", "tls-legacy", "weak-ciphers", "cert-expired", "cert-expiring", "cert-mismatch",
                       "cert-selfsigned", "cert-incomplete", "cert-weak-rsa", "cert-sha1", "no-hsts", "hsts-short",
                       "no-redirect", "no-https", "aaaa-no-listener", "no-aaaa", "v6-different", "v6-blackhole",
                       "links-visible", "links-hidden", "links-offscreen", "links-iframe", "links-nodiacritics",
                       "cloaking", "multipage", "redirect-loop", "huge-body", "trickle", "silent-tls", "payloads",
                       "ocsp-stapling", "headers-missing", "banner-leak", "hsts-over-http", "redirect-302",
                       "redirect-cross-host", "no-sni-different", "redirects-scripted", "not-found-redirect",
                       "links-attributes", "outside-gov-vn", "wrong-form"] {
            #expect(used.contains(needed), "no lab host shows \(needed)")
        }
    }
}

extension Lab {
    /// Where scans the tests run without --db are stored: never the user's history.
    static let testDatabase = FileManager.default.temporaryDirectory.appendingPathComponent("govaudit-lab-tests-\(getpid()).sqlite").path

    /// Every endpoint of `systems` through `probes`, in the scan pipeline: the evidence per system id.
    func probeAll(_ systems: [System], probes: [any Probe], concurrency: Int) async throws -> [String: [Evidence]] {
        let policy = try PolicyLoader.load(directory: Lab.root.appendingPathComponent("Policies").path, digest: Digest.sha256Hex)
        let pipeline = ScanPipeline(probes: probes, evaluator: Evaluator(policy: policy), asOf: .today(), concurrency: concurrency)
        // The pipeline keeps no evidence once a system is handed over: collect it on the way.
        let collected = Collected()
        let tally = SummaryTally(policy: policy, inventory: Inventory(name: "lab", agencies: [], systems: systems))
        _ = try await pipeline.run(systems, provinceDomain: nil, tally: tally, finished: { e, _ in await collected.add(e) })
        return await collected.evidence
    }
}

/// Evidence per system id, as the pipeline hands each system over.
actor Collected {
    var evidence: [String: [Evidence]] = [:]
    func add(_ e: SystemEvaluation) { evidence[e.system.id] = e.evidence }
}
