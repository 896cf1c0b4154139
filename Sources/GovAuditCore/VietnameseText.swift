import Foundation

/// Folding for keyword matching: Vietnamese spam is written with and without diacritics
/// ("cá cược", "ca cuoc"), in any case, with hyphens in URL slugs ("soi-cau"). Folded, all match.
public enum VietnameseText {
    /// Lower case, combining marks stripped (after canonical decomposition), đ → d, and every run
    /// of characters that are not letters or digits turned into one space.
    public static func fold(_ text: String) -> String {
        let lowered = text.lowercased().replacingOccurrences(of: "đ", with: "d")
        var out = ""
        var space = true
        for scalar in lowered.decomposedStringWithCanonicalMapping.unicodeScalars {
            if scalar.properties.generalCategory == .nonspacingMark { continue }
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                out.unicodeScalars.append(scalar)
                space = false
            } else if !space {
                out.append(" ")
                space = true
            }
        }
        return out.hasSuffix(" ") ? String(out.dropLast()) : out
    }

    /// The keywords (folded) found in `text` as whole words.
    public static func matches(_ text: String, keywords: [String]) -> [String] {
        Keywords(keywords).found(in: Folded(text))
    }

    /// A text folded once, padded so that whole words are found with their spaces.
    public struct Folded: Sendable {
        public let padded: String
        public init(_ text: String) { padded = " " + VietnameseText.fold(text) + " " }
    }

    /// A keyword list folded once: a page's every link and text is matched against the same
    /// lists, and folding (canonical decomposition) costs far more than the search.
    public struct Keywords: Sendable {
        private let entries: [(keyword: String, padded: String)]

        public init(_ keywords: [String]) {
            entries = keywords.map { ($0, " " + VietnameseText.fold($0) + " ") }
        }

        /// The keywords, as written in the list and in its order, found in `text` as whole words.
        public func found(in text: Folded) -> [String] {
            entries.filter { text.padded.contains($0.padded) }.map(\.keyword)
        }
    }
}
