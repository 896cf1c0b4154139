import GovAuditCore

/// A parsed YAML value that remembers where it came from, so that every message can name a
/// file, a line and a field; libyaml stays an implementation detail of this module.
public struct YAMLNode: Sendable {
    public indirect enum Value: Sendable {
        case null
        /// `plain` is false for quoted scalars: `"yes"` is a string, `yes` may be a boolean.
        case scalar(String, plain: Bool)
        case mapping([(key: String, keyLine: Int, value: YAMLNode)])
        case sequence([YAMLNode])
    }

    public var value: Value
    public var location: SourceLocation
    /// The dotted path from the document root, e.g. `systems[3].dossier`.
    public var path: String

    /// A short name of the node's kind, for messages.
    public var kindName: String {
        switch value {
        case .null: "nothing"
        case .scalar: "a scalar"
        case .mapping: "a mapping"
        case .sequence: "a list"
        }
    }
}

public enum YAMLDocument {
    /// Parses `text` (the contents of `file`), one document. Syntax errors, duplicate keys,
    /// anchors and aliases become `InputError`s with the line libyaml reports (`EventComposer`).
    public static func parse(_ text: String, file: String) throws(InputError) -> YAMLNode {
        try EventComposer.compose(text, file: file)
    }

    /// `path.key`, or `key` at the root: the field paths every message uses.
    public static func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }
}
