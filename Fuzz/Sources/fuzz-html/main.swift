// The HTML analysis as the crawler runs it on a hostile page: gumbo's tree, the references with
// their hiding, the texts, the meta and script redirects, and the page read into evidence (links
// resolved against the page and its <base>, texts bounded). The links rules are left out: their
// keyword folding costs ten times the parse, and they see only the bounded evidence.
import FuzzSupport
import GovAuditCore
import GovAuditHTML
@testable import GovAuditProbes

let site = "sotuphap.angiang.gov.vn"

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let doc = HTMLDocument(parsing: bytes(data, size))
    let reader = PageReader(siteHost: site, includeSubdomains: false, maxTextCharacters: 100_000, maxLinksPerPage: 1_000)
    var budget = 20_000
    let read = reader.read(doc, pageURL: "https://\(site)/tin-tuc/bai-viet?id=1", page: "/tin-tuc/bai-viet?id=1",
                           status: 200, linkBudget: &budget)
    require(budget >= 0 && read.content.links.count <= 1_000, "the page's links stay within the bounds")
    return 0
}

runFuzzer(fuzzOne)
