import CGumboShim

/// A parsed page as a flat list of nodes in document order, each knowing its parent: a value,
/// no pointers, safe to pass around. Parsed by gumbo, which follows the HTML5 algorithm as
/// browsers do (injected markup is seen the way a visitor's browser sees it).
public struct HTMLDocument: Sendable {
    public struct Node: Sendable {
        public enum Kind: Sendable { case element, text }
        public var kind: Kind
        /// Lower-case tag name; empty for text.
        public var tag: String
        /// Attribute names in lower case; the last one wins on duplicates.
        public var attributes: [String: String]
        /// The text of a text node; empty for elements.
        public var text: String
        /// Index of the parent element; -1 for the root.
        public var parent: Int
    }

    public var nodes: [Node]

    /// Container nesting deeper than this is flattened before parsing (see `boundedNesting`): a
    /// hostile page could nest without end, and hide its links at the bottom.
    public static let maxDepth = 800

    /// Parses `bytes` as HTML. NUL bytes are dropped and invalid UTF-8 repaired first, so a
    /// broken page parses instead of stopping early.
    public init(parsing bytes: [UInt8]) {
        let text = String(decoding: HTMLDocument.boundedNesting(bytes.filter { $0 != 0 }), as: UTF8.self)
        var utf8 = Array(text.utf8)
        nodes = []
        guard let doc = utf8.withUnsafeMutableBufferPointer({ buf in
            buf.baseAddress.map { $0.withMemoryRebound(to: CChar.self, capacity: buf.count) { ga_html_parse($0, buf.count) } }
        }), let handle = doc else { return }
        defer { ga_html_free(handle) }
        // Iterative walk: (node, parent index), children pushed in reverse for document order.
        var stack: [(ga_node, Int)] = [(ga_html_root(handle), -1)]
        while let (node, parent) = stack.popLast() {
            switch Int(ga_node_type(node)) {
            case Int(GA_NODE_TEXT):
                nodes.append(Node(kind: .text, tag: "", attributes: [:], text: String(cString: ga_node_text(node)), parent: parent))
            case Int(GA_NODE_ELEMENT):
                var len = 0
                let tagPtr = ga_node_tag(node, &len)
                let tag = String(decoding: UnsafeRawBufferPointer(start: tagPtr, count: len), as: UTF8.self).lowercased()
                var attributes: [String: String] = [:]
                for i in 0..<ga_node_attribute_count(node) {
                    attributes[String(cString: ga_node_attribute_name(node, i)).lowercased()] = String(cString: ga_node_attribute_value(node, i))
                }
                let index = nodes.count
                nodes.append(Node(kind: .element, tag: tag, attributes: attributes, text: "", parent: parent))
                let count = ga_node_child_count(node)
                for i in stride(from: Int(count) - 1, through: 0, by: -1) {
                    stack.append((ga_node_child(node, UInt32(i))!, index))
                }
            default:
                continue
            }
        }
    }

    /// Gumbo's tree building slows down sharply on absurd nesting (20,000 nested divs, 100 KB,
    /// take seconds). A linear pre-scan estimates the tag depth and, past `maxDepth`, drops
    /// the start and end tags of containers while keeping their content; the tags that carry
    /// references (links, frames, scripts, images, forms) are kept a little deeper still, so a link
    /// buried under thousands of `<div>`s is still seen.
    static func boundedNesting(_ bytes: [UInt8]) -> [UInt8] {
        let void: Set<String> = ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                                 "param", "source", "track", "wbr", "!doctype"]
        let references: Set<String> = ["a", "iframe", "frame", "script", "form", "object", "video", "audio", "picture"]
        let limit = maxDepth, referenceLimit = limit + 16
        var out: [UInt8] = []
        var depth = 0, dropped = 0, i = 0
        var keptBeyond: [String] = []     // reference elements open past the limit, innermost last
        func tagName(from start: Int) -> (String, Int) {
            var j = start
            while j < bytes.count, j - start < 12, bytes[j] != 0x20, bytes[j] != 0x3E, bytes[j] != 0x2F, bytes[j] != 0x0A { j += 1 }
            return (String(decoding: bytes[start..<j], as: UTF8.self).lowercased(), j)
        }
        func tagEnd(from start: Int) -> Int {
            var j = start
            while j < bytes.count, bytes[j] != 0x3E { j += 1 }
            return min(j + 1, bytes.count)
        }
        while i < bytes.count {
            if bytes[i] == 0x3C, i + 1 < bytes.count {      // "<"
                if bytes[i + 1] == 0x2F {                    // "</"
                    let (name, _) = tagName(from: i + 2)
                    if keptBeyond.last == name {
                        keptBeyond.removeLast()
                        depth -= 1
                    } else if dropped > 0 {
                        dropped -= 1
                        i = tagEnd(from: i)
                        continue
                    } else {
                        depth = max(0, depth - 1)
                    }
                } else if (bytes[i + 1] | 0x20) >= 0x61 && (bytes[i + 1] | 0x20) <= 0x7A {
                    let (name, _) = tagName(from: i + 1)
                    if !void.contains(name) {
                        if depth >= limit {
                            guard references.contains(name), depth < referenceLimit else {
                                dropped += 1
                                i = tagEnd(from: i)
                                continue
                            }
                            keptBeyond.append(name)
                        }
                        depth += 1
                    }
                }
            }
            out.append(bytes[i])
            i += 1
        }
        return out
    }

    /// Indexes of `index`'s ancestors, nearest first.
    public func ancestors(of index: Int) -> [Int] {
        var out: [Int] = []
        var p = nodes[index].parent
        while p >= 0 {
            out.append(p)
            p = nodes[p].parent
        }
        return out
    }

    /// The text under element `index`, whitespace collapsed.
    public func text(under index: Int) -> String {
        var parts: [String] = []
        var i = index + 1
        // Descendants follow their ancestor contiguously in document order.
        while i < nodes.count, isDescendant(i, of: index) {
            if nodes[i].kind == .text { parts.append(nodes[i].text) }
            i += 1
        }
        return HTMLDocument.collapse(parts.joined(separator: " "))
    }

    func isDescendant(_ i: Int, of ancestor: Int) -> Bool {
        var p = nodes[i].parent
        while p >= 0 {
            if p == ancestor { return true }
            if p < ancestor { return false }
            p = nodes[p].parent
        }
        return false
    }

    /// Runs of whitespace as one space, none at the ends. Over scalars, not characters: a page's
    /// whole text goes through here, and grapheme breaking would cost seconds on a big one.
    static func collapse(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in s.unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" ") }
                pendingSpace = false
                out.append(scalar)
            }
        }
        return String(out)
    }
}

extension HTMLDocument {
    /// Parses a page decoded by `PageDecoding`.
    public init(decoded: PageDecoding) {
        self.init(parsing: Array(decoded.text.utf8))
    }
}
