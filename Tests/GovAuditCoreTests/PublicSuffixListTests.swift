import Foundation
import GovAuditCore
import Testing

/// The Public Suffix List's algorithm on a small list of its own rule forms, and the .vn rules
/// of the list Debian installs: registrable domain = the public suffix plus one label.
@Suite("public suffix list")
struct PublicSuffixListTests {
    let list = PublicSuffixList(text: """
        // ===BEGIN ICANN DOMAINS===
        vn
        gov.vn
        com.vn
        jp
        *.kawasaki.jp
        !city.kawasaki.jp
        ck
        *.ck
        !www.ck
        // ===BEGIN PRIVATE DOMAINS===
        blogspot.vn   some trailing words are ignored
        """)

    @Test("normal, wildcard and exception rules; the longest rule wins, an exception beats it", arguments: [
        ("sotttt.angiang.gov.vn", "angiang.gov.vn"), ("www.angiang.gov.vn", "angiang.gov.vn"), ("angiang.gov.vn", "angiang.gov.vn"),
        ("www.chinhphu.vn", "chinhphu.vn"), ("tin.baochinhphu.vn", "baochinhphu.vn"), ("nhacai88.com.vn", "nhacai88.com.vn"),
        ("a.b.shop.com.vn", "shop.com.vn"), ("x.blogspot.vn", "x.blogspot.vn"),
        ("a.b.kawasaki.jp", "a.b.kawasaki.jp"), ("b.kawasaki.jp", "b.kawasaki.jp"), ("city.kawasaki.jp", "city.kawasaki.jp"),
        ("x.city.kawasaki.jp", "city.kawasaki.jp"), ("www.ck", "www.ck"), ("a.www.ck", "www.ck"), ("a.b.ck", "a.b.ck"),
        // No rule: the implicit `*`, the last label.
        ("fb88.example", "fb88.example"), ("cdn.w88.example", "w88.example"), ("WWW.Chinhphu.VN", "chinhphu.vn"),
    ])
    func registrable(host: String, domain: String) {
        #expect(list.registrableDomain(host) == domain)
    }

    @Test("a public suffix, a single label or a malformed name is given back as it is (lowercased)")
    func edges() {
        #expect(list.registrableDomain("gov.vn") == "gov.vn")
        #expect(list.registrableDomain("vn") == "vn")
        #expect(list.registrableDomain("localhost") == "localhost")
        #expect(list.registrableDomain("a..gov.vn") == "a..gov.vn")
        #expect(list.count == 10)
    }

    @Test("Debian's list (package publicsuffix): the .vn second levels and gov.vn", .enabled(if: FileManager.default.fileExists(atPath: "/usr/share/publicsuffix/public_suffix_list.dat")))
    func debian() throws {
        let text = try String(contentsOfFile: "/usr/share/publicsuffix/public_suffix_list.dat", encoding: .utf8)
        let list = PublicSuffixList(text: text)
        #expect(list.count > 5000)
        #expect(list.registrableDomain("dichvucong.angiang.gov.vn") == "angiang.gov.vn")
        #expect(list.registrableDomain("www.thuvienphapluat.vn") == "thuvienphapluat.vn")
        #expect(list.registrableDomain("kuwin88.com.vn") == "kuwin88.com.vn")
        #expect(list.registrableDomain("a.edu.vn") == "a.edu.vn")
        #expect(list.registrableDomain("news.bbc.co.uk") == "bbc.co.uk")
    }

    @Test("grouping: host names drop www. only; the registrable grouping folds subdomains")
    func grouping() {
        #expect(DomainGrouping.hostNames.domain("www.tin.chinhphu.vn") == "tin.chinhphu.vn")
        #expect(DomainGrouping.registrable(list).domain("www.tin.chinhphu.vn") == "chinhphu.vn")
    }
}
