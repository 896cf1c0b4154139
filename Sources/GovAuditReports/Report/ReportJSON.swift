/// The report model as JSON (`report.json`), described by `Reports/schema/report.schema.json`.
/// The model's Codable form is the contract; its `schemaVersion` says which. Untrusted text is
/// kept exactly as observed (JSONEncoder escapes quotes, backslashes and control characters).
public enum ReportJSON {
    public static func render(_ m: ReportModel) throws -> String {
        try EvaluationJSON.encode(m)
    }
}
