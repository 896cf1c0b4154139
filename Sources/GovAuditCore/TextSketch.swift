/// A page's visible text reduced to a fixed-size sketch whose overlap with another estimates how
/// much of the text the two share (the Jaccard similarity of their 3-word shingles, by MinHash):
/// a scan keeps 64 numbers per home page instead of its text, and any two scans compare.
/// Normalised first: folded as keywords are (case, diacritics, punctuation), and words with
/// digits dropped, so dates, visitor counters and view counts do not count as change.
public struct TextSketch: Sendable, Codable, Equatable {
    /// Words of the normalised text.
    public var words: Int
    /// The minimum of each of the sketch's hash functions over the shingles, 16 hex digits each;
    /// empty for a text without words.
    public var minima: String

    /// Hash functions in a sketch: the estimate's error is about 1/sqrt(64), an eighth.
    static let size = 64
    static let shingle = 3

    public init(words: Int, minima: String) {
        self.words = words
        self.minima = minima
    }

    public init(text: String) {
        let words = Self.normalisedWords(text)
        self.words = words.count
        guard !words.isEmpty else { minima = ""; return }
        var lows = [UInt64](repeating: .max, count: Self.size)
        let width = min(Self.shingle, words.count)
        for start in 0...(words.count - width) {
            let h = Self.fnv1a(words[start..<start + width].joined(separator: " "))
            for i in 0..<Self.size { lows[i] = min(lows[i], Self.mix(h ^ Self.seeds[i])) }
        }
        minima = lows.map(Self.hex).joined()
    }

    /// The estimated share of shingles the two texts have in common, 0–1: 1 for two texts
    /// without words, 0 when only one has some; nil when a sketch is malformed (stored data).
    public func similarity(to other: TextSketch) -> Double? {
        guard let a = values, let b = other.values else { return nil }
        if a.isEmpty || b.isEmpty { return a.isEmpty && b.isEmpty ? 1 : 0 }
        return Double(zip(a, b).filter { $0 == $1 }.count) / Double(a.count)
    }

    private var values: [UInt64]? {
        if minima.isEmpty { return [] }
        let chars = Array(minima.utf8)
        guard chars.count == Self.size * 16 else { return nil }
        var out: [UInt64] = []
        for i in stride(from: 0, to: chars.count, by: 16) {
            guard let v = UInt64(String(decoding: chars[i..<i + 16], as: UTF8.self), radix: 16) else { return nil }
            out.append(v)
        }
        return out
    }

    static func normalisedWords(_ text: String) -> [String] {
        VietnameseText.fold(text).split(separator: " ").filter { !$0.contains(where: \.isNumber) }.map(String.init)
    }

    // FNV-1a, then a SplitMix64 finaliser per seed: stable across runs and builds (Swift's own
    // Hasher is seeded per process, so it cannot be stored).
    static func fnv1a(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return h
    }

    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    static let seeds: [UInt64] = (0..<UInt64(size)).map { mix($0 &* 0x2545_f491_4f6c_dd1d) }

    static func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
