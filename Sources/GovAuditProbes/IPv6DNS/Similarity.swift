/// How alike two pages are: the Dice coefficient over their word tokens (a multiset), 1 for
/// identical token bags, 0 for nothing in common. internet.nl passes IPv4/IPv6 parity at 90 %;
/// the threshold is a policy parameter, this is only the measure.
public enum ContentSimilarity {
    public static func dice(_ a: [UInt8], _ b: [UInt8]) -> Double {
        let ta = tokens(a), tb = tokens(b)
        if ta.isEmpty && tb.isEmpty { return 1 }
        var counts: [Substring: Int] = [:]
        for t in ta { counts[t, default: 0] += 1 }
        var common = 0
        for t in tb where (counts[t] ?? 0) > 0 {
            counts[t]! -= 1
            common += 1
        }
        return Double(2 * common) / Double(ta.count + tb.count)
    }

    /// Letters and digits runs, lower-cased; markup names count as words (a changed layout is a change).
    static func tokens(_ bytes: [UInt8]) -> [Substring] {
        let text = String(decoding: bytes, as: UTF8.self).lowercased()
        return text.split { !($0.isLetter || $0.isNumber) }
    }
}
