/// The inputs of how alike two pages are: their word-token counts and the tokens they share (as
/// a multiset), from which `FamilyParity.similarity` is the Dice coefficient. internet.nl passes
/// IPv4/IPv6 parity at 90 %; the threshold is a policy parameter, this is only the count.
public enum ContentSimilarity {
    public static func counts(_ a: [UInt8], _ b: [UInt8]) -> (a: Int, b: Int, common: Int) {
        let ta = tokens(a), tb = tokens(b)
        var counts: [Substring: Int] = [:]
        for t in ta { counts[t, default: 0] += 1 }
        var common = 0
        for t in tb where (counts[t] ?? 0) > 0 {
            counts[t]! -= 1
            common += 1
        }
        return (ta.count, tb.count, common)
    }

    /// Letters and digits runs, lower-cased; markup names count as words (a changed layout is a change).
    static func tokens(_ bytes: [UInt8]) -> [Substring] {
        let text = String(decoding: bytes, as: UTF8.self).lowercased()
        return text.split { !($0.isLetter || $0.isNumber) }
    }
}
