import Foundation

/// The formats `govaudit report` writes, and a schedule's reports: vocabulary shared by the
/// config file (which names them) and the renderers (which write them).
public enum ReportFormat: String, Sendable, CaseIterable {
    case html, xlsx, csv, md, json, docx, pdf

    /// What is written when no format is named.
    public static let standard: [ReportFormat] = [.html, .xlsx, .csv, .md, .json]

    /// "html, xlsx, …", for messages.
    public static let names = allCases.map(\.rawValue).joined(separator: ", ")

    /// The formats named in `words`, in their order, each once; the message of a failure names
    /// the bad word (the caller adds the option or the config line).
    public static func list(_ words: [String]) -> Result<[ReportFormat], ReportFormatError> {
        var chosen: [ReportFormat] = []
        for word in words.map({ $0.trimmingCharacters(in: .whitespaces) }) where !word.isEmpty {
            guard let format = ReportFormat(rawValue: word) else {
                return .failure(ReportFormatError(message: "'\(word)' is not a report format (\(names))"))
            }
            if !chosen.contains(format) { chosen.append(format) }
        }
        if chosen.isEmpty { return .failure(ReportFormatError(message: "give one or more of \(names)")) }
        return .success(chosen)
    }
}

public struct ReportFormatError: Error, Sendable {
    public var message: String
}
