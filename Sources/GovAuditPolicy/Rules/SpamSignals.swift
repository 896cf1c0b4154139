import Foundation
import GovAuditCore

/// The signals links.spam judges a reference by, each named in its finding so that a person
/// can weigh a false positive: keywords in the anchor `text`, in an `attribute` (title, alt),
/// in the URL's `slug`; a brand or keyword in a `domain` label; a `blocklist`ed host.
struct SpamSignals {
    /// Signal name → what matched, in the order above; empty when nothing fired.
    var fired: [(signal: String, matched: [String])] = []
    /// The keyword lists' categories matched by the text, attribute and slug signals.
    var categories: [String] = []

    var isEmpty: Bool { fired.isEmpty }
    var names: [String] { fired.map(\.signal) }
    /// Every keyword or term matched, without repeats, in signal order.
    var matched: [String] {
        var seen = Set<String>()
        return fired.flatMap(\.matched).filter { seen.insert($0).inserted }
    }

    /// The policy's terms for links.spam: keyword lists by category, brands, blocklist.
    struct Terms {
        var lists: [String: [String]]
        /// `lists` folded once, for matching.
        var matchers: LinkClassification.Matchers
        var brands: [String]
        var blocklist: [String]
        /// `domainTerms` folded once: every link's host is matched against all of them.
        var domains: DomainTerms

        init(_ p: Parameters?) {
            let lists = LinkClassification.keywordLists(p), brands = p.map { LinkClassification.list($0, "brands") } ?? []
            self.lists = lists
            self.brands = brands
            matchers = LinkClassification.matchers(lists)
            blocklist = p.map { LinkClassification.list($0, "blocklist") } ?? []
            domains = DomainTerms(Self.domainTerms(brands: brands, lists: lists))
        }

        /// What a domain label is matched against: the brands, and every keyword folded with its
        /// spaces removed ("nhà cái" → "nhacai"), as domains write them.
        var domainTerms: [String] { Self.domainTerms(brands: brands, lists: lists) }

        static func domainTerms(brands: [String], lists: [String: [String]]) -> [String] {
            brands + lists.keys.sorted().flatMap { lists[$0]! }
        }
    }

    init() {}

    /// The signals of a reference to `url` with anchor `text` and `attributes` (title, alt).
    init(text: String, attributes: [String], url: String, host: String, _ terms: Terms) {
        var categories: [String] = []
        func keywords(_ signal: String, _ s: String) {
            guard !s.isEmpty else { return }
            let found = LinkClassification.keywords(in: s, terms.matchers)
            if !found.keywords.isEmpty { fired.append((signal, found.keywords)) }
            categories += found.categories.filter { !categories.contains($0) }
        }
        keywords("text", text)
        keywords("attribute", attributes.filter { !$0.isEmpty }.joined(separator: " | "))
        keywords("slug", Self.slug(url))
        self.categories = categories
        let domain = terms.domains.matches(host)
        if !domain.isEmpty { fired.append(("domain", domain)) }
        let blocked = terms.blocklist.filter { host.contains($0.lowercased()) }
        if !blocked.isEmpty { fired.append(("blocklist", blocked)) }
    }

    /// The URL's path and query, percent-decoded: where slugs carry their words (`/soi-cau-mien-bac`).
    static func slug(_ url: String) -> String {
        guard let c = URLComponents(string: url) else { return "" }
        return c.path + " " + (c.query ?? "")
    }

    /// The facts a spam finding carries for its signals.
    var facts: [Fact] {
        var out = Fact.list("signals", names)
        var seen = Set<String>()
        let words = fired.filter { ["text", "attribute", "slug"].contains($0.signal) }.flatMap(\.matched).filter { seen.insert($0).inserted }
        if !words.isEmpty { out += Fact.list("keywords", words) }
        if let d = fired.first(where: { $0.signal == "domain" }) { out += Fact.list("domainTerms", d.matched) }
        out.append(Fact("blocklisted", fired.contains { $0.signal == "blocklist" } ? "yes" : "no"))
        return out
    }
}

/// Brands and keywords in a host's labels, matched as words are: a term counts where it stands
/// between label edges, separators (`-`, `_`) or a change between letters and digits, so
/// `fb88`, `w88vn`, `nhacai88`, `188bet` and `bet-online` match `fb88`, `w88`, `nhacai` and
/// `bet`, while `betong` (bê tông) and `alphabet` do not match `bet`.
/// The terms are folded once (folding is the costly part, and every link's host is matched), and
/// a host's answer is kept: a page's links mostly share a few hosts.
struct DomainTerms {
    /// Each term as written, and folded without its spaces; empty folds and repeats left out.
    private let terms: [(term: String, folded: [Character])]
    private let memo = Memo()

    private final class Memo {
        var hosts: [String: [String]] = [:]
    }

    init(_ terms: [String]) {
        self.terms = Self.folded.value(for: terms) {
            var seen = Set<String>()
            return terms.compactMap { term in
                let t = Array(VietnameseText.fold(term).replacingOccurrences(of: " ", with: ""))
                return !t.isEmpty && seen.insert(term).inserted ? (term, t) : nil
            }
        }
    }

    private static let folded = FoldMemo<[String], [(term: String, folded: [Character])]>()

    /// The terms found in `host`'s labels, in the terms' order.
    func matches(_ host: String) -> [String] {
        let host = host.lowercased()
        if let known = memo.hosts[host] { return known }
        let labels = host.split(separator: ".").map { Array($0) }
        let found = terms.filter { t in labels.contains { Self.contains($0, t.folded) } }.map(\.term)
        if memo.hosts.count < 4096 { memo.hosts[host] = found }
        return found
    }

    static func matches(_ host: String, terms: [String]) -> [String] {
        DomainTerms(terms).matches(host)
    }

    /// `t` occurs in `label` with a boundary on both sides.
    static func contains(_ label: [Character], _ t: [Character]) -> Bool {
        guard t.count <= label.count else { return false }
        for start in 0...(label.count - t.count) where Array(label[start..<(start + t.count)]) == t {
            let end = start + t.count
            if boundary(start == 0 ? nil : label[start - 1], t[0]) && boundary(end == label.count ? nil : label[end], t[t.count - 1]) {
                return true
            }
        }
        return false
    }

    /// Whether `outside` (nil: the label's edge) ends a word next to `inside`.
    private static func boundary(_ outside: Character?, _ inside: Character) -> Bool {
        guard let o = outside else { return true }
        if o == "-" || o == "_" { return true }
        return o.isNumber != inside.isNumber
    }
}
