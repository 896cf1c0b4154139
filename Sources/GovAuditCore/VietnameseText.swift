import Foundation

/// Folding for keyword matching: Vietnamese spam is written with and without diacritics
/// ("cá cược", "ca cuoc"), in any case, with hyphens in URL slugs ("soi-cau"). Folded, all match.
public enum VietnameseText {
    /// Lower case, combining marks stripped (after canonical decomposition), đ → d, and every run
    /// of characters that are not letters or digits turned into one space.
    public static func fold(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var space = true
        func add(_ scalar: Unicode.Scalar, alphanumeric: Bool) {
            if alphanumeric {
                out.append(scalar)
                space = false
            } else if !space {
                out.append(" ")
                space = true
            }
        }
        for scalar in text.lowercased().unicodeScalars {
            if scalar.isASCII {
                // Lower-cased already: letters and digits are kept, the rest separates words.
                add(scalar, alphanumeric: ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar))
            } else if scalar == "đ" {
                add("d", alphanumeric: true)
            } else {
                for part in decomposition.of(scalar) {
                    add(part, alphanumeric: part.properties.isAlphabetic || part.properties.numericType != nil)
                }
            }
        }
        if out.last == " " { out.removeLast() }
        return String(out)
    }

    /// Each non-ASCII scalar's canonical decomposition without its nonspacing marks, made once
    /// per process: every link, title and page text of every system is folded, and Foundation's
    /// decomposition of a whole string was the costliest step of judging a crawled site.
    private static let decomposition = Decompositions()

    private final class Decompositions: @unchecked Sendable {
        private let lock = NSLock()
        private var known: [Unicode.Scalar: [Unicode.Scalar]] = [:]

        func of(_ scalar: Unicode.Scalar) -> [Unicode.Scalar] {
            if let parts = lock.withLock({ known[scalar] }) { return parts }
            let parts = Array(String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars
                .filter { $0.properties.generalCategory != .nonspacingMark })
            // Bounded: a hostile page may use every scalar there is; past the bound, decompose each time.
            lock.withLock { if known.count < 1 << 16 { known[scalar] = parts } }
            return parts
        }
    }

    /// The keywords (folded) found in `text` as whole words.
    public static func matches(_ text: String, keywords: [String]) -> [String] {
        Keywords(keywords).found(in: Folded(text))
    }

    /// A text folded once, padded so that whole words are found with their spaces; kept as
    /// UTF-8 bytes. Folded text is decomposed, without marks, letters and digits between single
    /// spaces, so a byte search finds what a search by characters would, without Foundation's
    /// bridging of both strings to UTF-16 on every call.
    public struct Folded: Sendable {
        let bytes: [UInt8]
        public init(_ text: String) { bytes = Array((" " + VietnameseText.fold(text) + " ").utf8) }

        func contains(_ needle: [UInt8]) -> Bool {
            guard let first = needle.first, needle.count <= bytes.count else { return false }
            return bytes.withUnsafeBufferPointer { h in
                needle.withUnsafeBufferPointer { n in
                    (0...(h.count - n.count)).contains { i in h[i] == first && memcmp(h.baseAddress! + i, n.baseAddress!, n.count) == 0 }
                }
            }
        }
    }

    /// A keyword list folded once: a page's every link and text is matched against the same
    /// lists, and folding (canonical decomposition) costs far more than the search.
    public struct Keywords: Sendable {
        private let entries: [(keyword: String, folded: [UInt8])]

        public init(_ keywords: [String]) {
            entries = keywords.map { ($0, Array((" " + VietnameseText.fold($0) + " ").utf8)) }
        }

        /// The keywords, as written in the list and in its order, found in `text` as whole words.
        public func found(in text: Folded) -> [String] {
            entries.filter { text.contains($0.folded) }.map(\.keyword)
        }
    }
}
