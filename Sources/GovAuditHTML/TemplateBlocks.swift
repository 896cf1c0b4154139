/// The blocks of a page's template: what stays when a news portal publishes a new article and
/// goes when a page is replaced (defacement). Drift compares them between scans.
extension HTMLDocument {
    /// Elements that make up a layout whether or not they carry an id or class.
    private static let landmarks: Set<String> = ["header", "nav", "main", "footer", "aside", "section", "form"]
    /// Elements that are layout blocks when they carry an id or class.
    private static let containers: Set<String> = ["div", "ul", "table", "article"]

    /// The distinct signatures (`tag#id.class.class`) of the landmark and container elements
    /// within `maxDepth` levels below `<body>`, sorted, at most `limit`. Digits are dropped from
    /// ids and classes: generated names (`post-1234`, `col-4`) stay the same from day to day.
    public func templateBlocks(maxDepth: Int = 6, limit: Int = 300) -> [String] {
        var depth = [Int](repeating: -1, count: nodes.count)
        var found = Set<String>()
        for (i, n) in nodes.enumerated() where n.kind == .element {
            if n.tag == "body" { depth[i] = 0; continue }
            let parentDepth = n.parent >= 0 ? depth[n.parent] : -1
            guard parentDepth >= 0 else { continue }
            depth[i] = parentDepth + 1
            // Tag first: a page of 100,000 links costs a lookup per link, not a name's processing.
            guard depth[i] <= maxDepth, Self.landmarks.contains(n.tag) || Self.containers.contains(n.tag) else { continue }
            let id = Self.stable(n.attributes["id"] ?? "")
            let classes = Set((n.attributes["class"] ?? "").split(whereSeparator: \.isWhitespace).map { Self.stable(String($0)) })
                .filter { !$0.isEmpty }.sorted()
            let named = !id.isEmpty || !classes.isEmpty
            guard Self.landmarks.contains(n.tag) || (Self.containers.contains(n.tag) && named) else { continue }
            found.insert(n.tag + (id.isEmpty ? "" : "#" + id) + classes.map { "." + $0 }.joined())
            if found.count >= limit { break }
        }
        return found.sorted()
    }

    /// A name lower-cased, without digits, bounded (a hostile page's names are not kept whole).
    private static func stable(_ name: String) -> String {
        String(name.lowercased().unicodeScalars.filter { !("0"..."9").contains($0) }.prefix(60).map(Character.init))
    }
}
