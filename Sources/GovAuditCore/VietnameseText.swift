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
        let haystack = " " + fold(text) + " "
        return keywords.filter { haystack.contains(" " + fold($0) + " ") }
    }
}
