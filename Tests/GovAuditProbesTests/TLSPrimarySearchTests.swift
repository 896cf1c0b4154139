import GovAuditCore
import GovAuditNet
import Testing
@testable import GovAuditProbes

/// The primary address is the first that answers TLS (issue 13 item 1): a refusing or silent
/// first A no longer makes a host TLS-less while its other addresses serve.
@Suite("TLS probe: choosing the primary address")
struct TLSPrimarySearchTests {
    typealias Search = PrimarySearch<String>

    func describe(_ f: TLSProber.Failure, _ address: String) -> FailureReason {
        TLSProbe.reason(f, address: address, port: 443, timeout: 1000)
    }

    /// Runs the search over `answers` (address → what a scan of it gives), counting the attempts.
    func search(_ answers: [(AddressFamily, String, Result<String, TLSProber.Failure>)], bound: Int = 4) -> (Search, [String]) {
        var asked: [String] = []
        let result = Search.search(answers.map { ($0.0, $0.1) }, bound: bound, describe: describe) { _, address in
            asked.append(address)
            return (answers.first { $0.1 == address }!.2, 2)
        }
        return (result, asked)
    }

    @Test("the first A refuses: the second A is the primary, the first a failed record with its hellos")
    func firstRefuses() {
        let (result, asked) = search([(.ipv4, "127.0.10.141", .failure(.refused)), (.ipv4, "127.0.10.142", .success("scan")),
                                      (.ipv6, "fd10::142", .success("scan6"))])
        guard case .found(let family, let address, let scan, let tried) = result else { Issue.record("\(result)"); return }
        #expect(family == .ipv4 && address == "127.0.10.142" && scan == "scan")
        #expect(asked == ["127.0.10.141", "127.0.10.142"], "no address is tried after the one that answers")
        #expect(tried == [TLSAddresses.Record(address: "127.0.10.141", family: .ipv4, probing: .full,
                                              outcome: .failed(.refused("nothing listens on 127.0.10.141:443")), handshakes: 2)])
    }

    @Test("every A fails: the first AAAA that answers is the primary; a scanner-side failure is could-not-test")
    func ipv6Takes() {
        let (result, _) = search([(.ipv4, "127.0.10.141", .failure(.timeout)), (.ipv4, "127.0.10.142", .failure(.notAllowed("private"))),
                                  (.ipv6, "fd10::142", .success("scan6"))])
        guard case .found(let family, let address, _, let tried) = result else { Issue.record("\(result)"); return }
        #expect(family == .ipv6 && address == "fd10::142")
        #expect(tried.map(\.address) == ["127.0.10.141", "127.0.10.142"])
        #expect(tried[0].outcome == .failed(.timeout("no TLS answer within 1000 ms")))
        guard case .couldNotTest(let why) = tried[1].outcome else { Issue.record("\(tried[1].outcome)"); return }
        #expect(why.contains("--allow-net"))
    }

    @Test("no address answers: TLS unavailable for the first target-side failure, the others named; the bound holds")
    func noneAnswers() {
        let answers: [(AddressFamily, String, Result<String, TLSProber.Failure>)] =
            [(.ipv4, "127.0.10.141", .failure(.noRoute)), (.ipv4, "127.0.10.142", .failure(.refused)),
             (.ipv4, "127.0.10.143", .failure(.closed)), (.ipv6, "fd10::141", .success("never asked"))]
        let (result, asked) = search(answers, bound: 3)
        #expect(asked == ["127.0.10.141", "127.0.10.142", "127.0.10.143"])
        guard case .noneAnswered(let failure, let address, let tried, let untried) = result else { Issue.record("\(result)"); return }
        #expect(failure == .refused && address == "127.0.10.142" && tried.count == 3 && untried == 1)
        guard case .failed(let reason) = TLSProbe.unavailable(failure, address: address, tried: tried, untried: untried, port: 443, timeout: 1000)
        else { Issue.record("not failed"); return }
        #expect(reason.code == "refused")
        #expect(reason.detail == "nothing listens on 127.0.10.142:443 (also tried: 127.0.10.141: no route to 127.0.10.141, 127.0.10.143: closed; 1 more not tried)")
    }

    @Test("one address that fails is TLS unavailable as before: its own reason, nothing added")
    func single() {
        let (result, _) = search([(.ipv4, "127.0.10.141", .failure(.timeout))])
        guard case .noneAnswered(let f, let a, let tried, let untried) = result else { Issue.record("\(result)"); return }
        #expect(TLSProbe.unavailable(f, address: a, tried: tried, untried: untried, port: 443, timeout: 1000)
                == .failed(.timeout("no TLS answer within 1000 ms")))
    }

    @Test("the budget running out stops the search: cut short, not unavailable")
    func budget() {
        let (result, asked) = search([(.ipv4, "127.0.10.141", .failure(.refused)), (.ipv4, "127.0.10.142", .failure(.budgetExhausted("ran out"))),
                                      (.ipv4, "127.0.10.143", .success("never asked"))])
        guard case .cutShort(.budgetExhausted) = result else { Issue.record("\(result)"); return }
        #expect(asked.count == 2)
    }

    @Test("candidates: every A, then every AAAA; no AAAA under --no-ipv6 unless there is no A")
    func candidates() {
        let both = ResolvedAddresses(ipv4: ["127.0.10.141", "127.0.10.142"], ipv6: ["fd10::142"], notProbed: [], lookupFailures: [])
        #expect(Search.candidates(both, ipv6Disabled: false).map(\.1) == ["127.0.10.141", "127.0.10.142", "fd10::142"])
        #expect(Search.candidates(both, ipv6Disabled: true).map(\.1) == ["127.0.10.141", "127.0.10.142"])
        let only6 = ResolvedAddresses(ipv4: [], ipv6: ["fd10::142"], notProbed: [], lookupFailures: [])
        #expect(Search.candidates(only6, ipv6Disabled: true).map(\.1) == ["fd10::142"])
    }
}
