import Foundation
import GovAuditCore

/// Something a page points at: a link, a frame, a script, an image, a form target.
public struct PageReference: Sendable, Equatable {
    /// The element: a, area, iframe, frame, script, link, img, source, form.
    public var element: String
    public var attribute: String
    /// As written in the page (resolve it against `HTMLDocument.baseURL`).
    public var url: String
    /// The anchor text (for a and area), whitespace collapsed.
    public var text: String
    public var title: String?
    /// The alt text of an image inside the link.
    public var alt: String?
    /// How the element is hidden from people, when it is: display:none, visibility:hidden,
    /// font-size:0, opacity:0, off-screen, zero-size, hidden-attribute.
    public var hiding: String?
    /// A `<link>`'s rel, lower case (stylesheet, icon, canonical…); nil for other elements.
    public var rel: String?

    public init(element: String, attribute: String, url: String, text: String, title: String?, alt: String?, hiding: String?,
                rel: String? = nil) {
        self.rel = rel
        self.element = element
        self.attribute = attribute
        self.url = url
        self.text = text
        self.title = title
        self.alt = alt
        self.hiding = hiding
    }
}

extension HTMLDocument {
    private static let referenceAttributes: [String: [String]] = [
        "a": ["href"], "area": ["href"], "iframe": ["src"], "frame": ["src"], "script": ["src"], "link": ["href"],
        "img": ["src", "srcset"], "source": ["src", "srcset"], "form": ["action"], "embed": ["src"], "object": ["data"],
    ]

    /// Every reference of the page, in document order.
    public var references: [PageReference] { references(limit: .max).kept }

    /// The first `limit` references in document order, and how many more the page has (counted,
    /// not analysed: anchor text, alt and hiding cost a walk each). `stop` is asked before the
    /// first reference and every 256; once it says yes, the rest are counted too (the crawl's deadline).
    public func references(limit: Int, stop: () -> Bool = { false }) -> (kept: [PageReference], more: Int) {
        var out: [PageReference] = []
        var more = 0
        var stopped = false
        for (i, n) in nodes.enumerated() where n.kind == .element {
            guard let attrs = HTMLDocument.referenceAttributes[n.tag] else { continue }
            for attr in attrs {
                guard let raw = n.attributes[attr] else { continue }
                guard out.count < limit && !stopped else {
                    // Counted only: no trimming, no walks (a page of 100,000 links stays cheap).
                    if raw.contains(where: { !$0.isWhitespace }) { more += 1 }
                    continue
                }
                var value = raw.trimmingWhitespace
                guard !value.isEmpty else { continue }
                if out.count % 256 == 0 {
                    stopped = stop()
                    if stopped { more += 1; continue }
                }
                if attr == "srcset" { value = value.split(separator: " ").first.map(String.init) ?? value }
                let isLink = n.tag == "a" || n.tag == "area"
                out.append(PageReference(element: n.tag, attribute: attr, url: value,
                                         text: isLink ? text(under: i) : "", title: n.attributes["title"],
                                         alt: isLink ? firstImageAlt(under: i) : n.attributes["alt"],
                                         hiding: hiding(of: i), rel: n.tag == "link" ? n.attributes["rel"]?.lowercased() : nil))
            }
        }
        return (out, more)
    }

    private func firstImageAlt(under index: Int) -> String? {
        var i = index + 1
        while i < nodes.count, isDescendant(i, of: index) {
            if nodes[i].tag == "img", let alt = nodes[i].attributes["alt"], !alt.isEmpty { return alt }
            i += 1
        }
        return nil
    }

    /// The first hiding technique found on the node or its ancestors, nearest first.
    public func hiding(of index: Int) -> String? {
        for i in [index] + ancestors(of: index) {
            if let t = HTMLDocument.hidingTechnique(nodes[i]) { return t }
        }
        return nil
    }

    /// How one element's own attributes and inline style hide it from people.
    static func hidingTechnique(_ node: Node) -> String? {
        guard node.kind == .element else { return nil }
        if node.attributes["hidden"] != nil { return "hidden-attribute" }
        var style: [String: String] = [:]
        for decl in (node.attributes["style"] ?? "").split(separator: ";") {
            let parts = decl.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            style[parts[0].trimmingCharacters(in: .whitespaces).lowercased()] =
                parts[1].replacingOccurrences(of: "!important", with: "").trimmingCharacters(in: .whitespaces).lowercased()
        }
        if style["display"] == "none" { return "display:none" }
        if let v = style["visibility"], v == "hidden" || v == "collapse" { return "visibility:hidden" }
        if let v = style["font-size"], isZero(v) { return "font-size:0" }
        if let v = style["opacity"], isZero(v) { return "opacity:0" }
        let positioned = style["position"] == "absolute" || style["position"] == "fixed"
        let far = ["left", "top", "right", "bottom"].contains { style[$0].flatMap(length).map { $0 <= -500 } ?? false }
        if (positioned && far) || (style["text-indent"].flatMap(length).map { $0 <= -500 } ?? false) { return "off-screen" }
        let zeroBox = ["width", "height", "max-height", "max-width"].contains { style[$0].map(isZero) ?? false }
            || ["width", "height"].contains { node.attributes[$0].map(isZero) ?? false }
        if zeroBox && (style["overflow"] == "hidden" || ["iframe", "frame", "img", "embed", "object"].contains(node.tag)) {
            return "zero-size"
        }
        return nil
    }

    private static func isZero(_ v: String) -> Bool {
        let number = v.prefix { $0.isNumber || $0 == "." || $0 == "-" }
        return Double(number).map { $0 == 0 } ?? false
    }

    /// A CSS length in px (em counted as 16px); nil for other units.
    private static func length(_ v: String) -> Double? {
        let number = v.prefix { $0.isNumber || $0 == "." || $0 == "-" }
        guard let n = Double(number) else { return nil }
        let unit = v.dropFirst(number.count)
        switch unit {
        case "", "px": return n
        case "em", "rem": return n * 16
        default: return nil
        }
    }

    public var title: String {
        guard let i = nodes.firstIndex(where: { $0.tag == "title" }) else { return "" }
        return text(under: i)
    }

    /// `<base href>`, when the page sets one.
    public var baseHref: String? {
        nodes.first { $0.tag == "base" && $0.attributes["href"] != nil }?.attributes["href"]
    }

    /// Where the first `<meta http-equiv="refresh">` sends the visitor, in every form browsers
    /// follow (`0; url=…`, `0;URL='…'`, `0, …`, `0; …` without `url=`); nil when the page has
    /// none, or only one that reloads the page itself or that browsers ignore.
    public var metaRefresh: String? {
        // Browsers act on the first refresh declaration only.
        guard let content = nodes.first(where: { $0.tag == "meta" && $0.attributes["http-equiv"]?.lowercased() == "refresh" })?
            .attributes["content"] else { return nil }
        return HTMLDocument.refreshTarget(content)
    }

    /// Targets of simple script redirects: `location = "…"`, `location.href = "…"`,
    /// `location.replace("…")`, `location.assign("…")` in inline scripts.
    public var scriptRedirects: [String] {
        // A script's text children follow it directly in document order: one pass, not one per script.
        let scripts = nodes.indices.filter { nodes[$0].tag == "script" && nodes[$0].attributes["src"] == nil }.map { i in
            var j = i + 1, text = ""
            while j < nodes.count, nodes[j].parent == i {
                if nodes[j].kind == .text { text += nodes[j].text }
                j += 1
            }
            return text
        }
        let patterns = [#"location(?:\.href)?\s*=\s*["']([^"']+)["']"#, #"location\.(?:replace|assign)\(\s*["']([^"']+)["']"#]
        var out: [String] = []
        for script in scripts {
            for p in patterns {
                guard let re = try? NSRegularExpression(pattern: p) else { continue }
                let ns = script as NSString
                for m in re.matches(in: script, range: NSRange(location: 0, length: ns.length)) {
                    out.append(ns.substring(with: m.range(at: 1)))
                }
            }
        }
        return out
    }

    /// The page's text as people see it, and the text hidden from them (by the techniques above),
    /// scripts and styles left out.
    public var texts: (visible: String, hidden: String) {
        var visible: [String] = [], hidden: [String] = []
        var hiddenCache: [Int: Bool] = [:]
        func isHidden(_ i: Int) -> Bool {
            if i < 0 { return false }
            if let h = hiddenCache[i] { return h }
            let h = HTMLDocument.hidingTechnique(nodes[i]) != nil || isHidden(nodes[i].parent)
            hiddenCache[i] = h
            return h
        }
        for n in nodes where n.kind == .text {
            guard n.parent < 0 || !["script", "style", "noscript", "template"].contains(nodes[n.parent].tag) else { continue }
            if isHidden(n.parent) { hidden.append(n.text) } else { visible.append(n.text) }
        }
        return (HTMLDocument.collapse(visible.joined(separator: " ")), HTMLDocument.collapse(hidden.joined(separator: " ")))
    }
}
