import Foundation
import GovAuditTestSupport
import Testing

/// A scan that crawls needs the Public Suffix List (drift groups outbound links by it): missing,
/// it is exit 2 before any probe, naming the file and the Debian package; a scan that does not
/// crawl does not read it.
@Suite("public suffix list: the file a crawling scan reads")
struct PublicSuffixCLITests {
    @Test("a missing or empty list: exit 2, the file named, the package to install; --checks without links does not need it")
    func missing() throws {
        let folder = try TemporaryFolder("psl")
        let empty = try folder.write("empty.dat", "// only a comment\n")
        for (path, message) in [(folder.path("none.dat"), "cannot read the file"), (empty, "no rule in the file")] {
            let r = try CLI.run(["scan", "--inventory", "Tests/GovAuditCLITests/Fixtures/small.yaml", "--no-store", "--checks", "links"],
                                environment: ["GOVAUDIT_PUBLIC_SUFFIX_LIST": path])
            #expect(r.status == 2, "\(r.stderr)")
            #expect(r.stderr.contains("\(path): \(message)") && r.stderr.contains("install the Debian package publicsuffix"), "\(r.stderr)")
        }
        // Without links the file is not read: the run goes on to the resolver (here, none answers).
        let dns = try CLI.run(["scan", "--inventory", "Tests/GovAuditCLITests/Fixtures/small.yaml", "--no-store", "--checks", "dns",
                               "--resolver", "127.0.0.1:9", "--timeout", "1"], environment: ["GOVAUDIT_PUBLIC_SUFFIX_LIST": folder.path("none.dat")])
        #expect(dns.status == 3 && dns.stderr.contains("127.0.0.1:9 does not answer") && !dns.stderr.contains("Public Suffix List"), "\(dns.stderr)")
    }
}

/// `--capture-kb`, the body kept per response for evidence bundles: bounded, and never above
/// the largest page read.
@Suite("crawl options: --capture-kb")
struct CaptureOptionCLITests {
    @Test("0, or more than --max-page-kb, is a usage error (exit 2) naming the bounds")
    func bounds() throws {
        let scan = ["scan", "--inventory", "Tests/GovAuditCLITests/Fixtures/small.yaml", "--no-store"]
        for (flags, message) in [(["--capture-kb", "0"], "--capture-kb: give 1–5120 (at most --max-page-kb)"),
                                 (["--capture-kb", "64", "--max-page-kb", "32"], "--capture-kb: give 1–32 (at most --max-page-kb)")] {
            let r = try CLI.run(scan + flags)
            #expect(r.status == 2 && r.stderr.contains(message), "\(flags): \(r.stderr)")
        }
        let help = try CLI.run(["scan", "--help"]).stdout
        #expect(help.contains("--capture-kb <capture-kb>") && help.contains("(default: 128)"), "the default is the crawler's own")
    }
}
