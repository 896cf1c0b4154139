/// Where a value came from in an input file: what every "bad input" message must name.
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    /// 1-based; nil when the whole file is meant.
    public var line: Int?

    public init(file: String, line: Int? = nil) {
        self.file = file
        self.line = line
    }

    public var description: String {
        line.map { "\(file):\($0)" } ?? file
    }
}

/// Bad input: an inventory, policy or CSV file that cannot be used as it is. The message names
/// the file, the line and the field, so the person who keeps the file can fix it.
public struct InputError: Error, Sendable, Hashable, CustomStringConvertible {
    public var location: SourceLocation
    /// The field's path, e.g. `systems[3].dossier.status`; nil when the error is not about a field.
    public var field: String?
    public var message: String

    public init(_ location: SourceLocation, field: String? = nil, _ message: String) {
        self.location = location
        self.field = field
        self.message = message
    }

    /// `file:line: field: message`, the form compilers use, so editors can jump to it. Values
    /// quoted from the file are untrusted: control and bidi characters are shown escaped, and a
    /// line break cannot forge a second message.
    public var description: String {
        var s = "\(location): "
        if let field { s += "\(field): " }
        return VisibleText.escaped(s + message)
    }
}

/// Several input errors found in one pass: a checker reports them all, not just the first.
public struct InputErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [InputError]

    public init(_ errors: [InputError]) {
        self.errors = errors
    }

    public var description: String {
        errors.map(\.description).joined(separator: "\n")
    }
}
