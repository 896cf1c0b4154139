/// The Public Suffix List (publicsuffix.org; Debian's `publicsuffix` package installs it as
/// /usr/share/publicsuffix/public_suffix_list.dat): which names anyone can register under
/// (`vn`, `gov.vn`, `com.vn`, `*.ck` but not `www.ck`), so that `sotttt.angiang.gov.vn` and
/// `www.angiang.gov.vn` are one registrable domain, `angiang.gov.vn`, and `chinhphu.vn` another.
/// Both sections (ICANN and private) count: two blogs on one hosting domain are two owners.
/// Parsed here from its text; reading the file is the caller's.
public struct PublicSuffixList: Sendable {
    private var rules: Set<String> = []
    private var wildcards: Set<String> = []
    private var exceptions: Set<String> = []

    public var count: Int { rules.count + wildcards.count + exceptions.count }

    /// One rule per line, `//` comments and blank lines skipped; a line's first word is its rule.
    public init(text: String) {
        for line in text.split(whereSeparator: \.isNewline) {
            guard let word = line.split(whereSeparator: \.isWhitespace).first, !word.hasPrefix("//") else { continue }
            let rule = word.lowercased()
            if rule.hasPrefix("!") { exceptions.insert(String(rule.dropFirst())) }
            else if rule.hasPrefix("*.") { wildcards.insert(String(rule.dropFirst(2))) }
            else { rules.insert(rule) }
        }
    }

    /// The public suffix of `host` plus one label (its eTLD+1), by the list's algorithm: an
    /// exception rule wins, else the longest matching rule, else the last label (the implicit
    /// `*`). A host that is itself a public suffix (or a single label) is returned as it is.
    public func registrableDomain(_ host: String) -> String {
        let labels = host.lowercased().split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard labels.count > 1, !labels.contains(where: \.isEmpty) else { return host.lowercased() }
        // suffixLength: how many labels, from the right, the prevailing rule covers.
        var suffixLength = 1
        for start in labels.indices {
            let name = labels[start...].joined(separator: ".")
            let length = labels.count - start
            if exceptions.contains(name) { suffixLength = length - 1; break }
            if rules.contains(name) { suffixLength = max(suffixLength, length) }
            // `*.ck` matches any one label in front of `ck`.
            if start + 1 < labels.count, wildcards.contains(labels[(start + 1)...].joined(separator: ".")) {
                suffixLength = max(suffixLength, length)
            }
        }
        guard suffixLength < labels.count else { return labels.joined(separator: ".") }
        return labels.suffix(suffixLength + 1).joined(separator: ".")
    }
}

/// How drift groups the hosts a site links out to into "outbound domains".
public enum DomainGrouping: Sendable {
    /// The host name without a leading `www.` (what scans stored before the list was used).
    case hostNames
    /// The registrable domain (eTLD+1) under the Public Suffix List.
    case registrable(PublicSuffixList)

    public func domain(_ host: String) -> String {
        switch self {
        case .hostNames: host.hasPrefix("www.") ? String(host.dropFirst(4)) : host
        case .registrable(let list): list.registrableDomain(host)
        }
    }
}
