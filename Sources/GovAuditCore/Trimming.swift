/// Trimming without Foundation: on Linux, `trimmingCharacters(in:)` bridges every string to an
/// NSString and back, which showed in the profile wherever it runs per header, link or name.
/// Like Foundation, it trims Unicode scalars (not characters), from the same sets.
extension Substring {
    /// Without leading and trailing spaces and tabs, as `trimmingCharacters(in: .whitespaces)`
    /// (tab and the Unicode space separators).
    public var trimmingSpaces: String {
        trimming { $0 == "\t" || $0.properties.generalCategory == .spaceSeparator }
    }

    /// Without leading and trailing whitespace and line breaks, as
    /// `trimmingCharacters(in: .whitespacesAndNewlines)` (the Unicode White_Space property).
    public var trimmingWhitespace: String { trimming(\.properties.isWhitespace) }

    /// Without leading and trailing `c` (a host's trailing dots, say).
    public func trimming(_ c: Unicode.Scalar) -> String { trimming { $0 == c } }

    public func trimming(_ drop: (Unicode.Scalar) -> Bool) -> String {
        guard let first = unicodeScalars.firstIndex(where: { !drop($0) }),
              let last = unicodeScalars.lastIndex(where: { !drop($0) }) else { return "" }
        return String(unicodeScalars[first...last])
    }
}

extension String {
    public var trimmingSpaces: String { self[...].trimmingSpaces }
    public var trimmingWhitespace: String { self[...].trimmingWhitespace }
    public func trimming(_ c: Unicode.Scalar) -> String { self[...].trimming(c) }
}
