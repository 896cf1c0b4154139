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

    /// Deeper nesting than this is not walked (a hostile page could nest without end).
    public static let maxDepth = 400

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
        // Iterative walk: (node, parent index, depth), children pushed in reverse for document order.
        var stack: [(ga_node, Int, Int)] = [(ga_html_root(handle), -1, 0)]
        while let (node, parent, depth) = stack.popLast() {
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
                guard depth < HTMLDocument.maxDepth else { continue }
                let count = ga_node_child_count(node)
                for i in stride(from: Int(count) - 1, through: 0, by: -1) {
                    stack.append((ga_node_child(node, UInt32(i))!, index, depth + 1))
                }
            default:
                continue
            }
        }
    }

    /// Gumbo's tree building slows down sharply on absurd nesting (20,000 nested divs, 100 KB,
    /// take seconds). A linear pre-scan estimates the tag depth and cuts the page where it passes
    /// twice `maxDepth`; nothing a real page needs is lost.
    static func boundedNesting(_ bytes: [UInt8]) -> [UInt8] {
        let void: Set<String> = ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                                 "param", "source", "track", "wbr", "!doctype"]
        var depth = 0, i = 0
        let limit = maxDepth * 2
        while i < bytes.count {
            if bytes[i] == 0x3C, i + 1 < bytes.count {      // "<"
                if bytes[i + 1] == 0x2F {                    // "</"
                    depth = max(0, depth - 1)
                } else if (bytes[i + 1] | 0x20) >= 0x61 && (bytes[i + 1] | 0x20) <= 0x7A {
                    var j = i + 1
                    while j < bytes.count, j - i < 12, bytes[j] != 0x20, bytes[j] != 0x3E, bytes[j] != 0x2F { j += 1 }
                    let name = String(decoding: bytes[(i + 1)..<j], as: UTF8.self).lowercased()
                    if !void.contains(name) { depth += 1 }
                    if depth > limit { return Array(bytes[..<i]) }
                }
            }
            i += 1
        }
        return bytes
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

    static func collapse(_ s: String) -> String {
        s.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}
