import GovAuditCore
import Yams

/// A parsed YAML value that remembers where it came from. Loaders read these instead of Yams's
/// nodes so that every message can name a file, a line and a field, and so that Yams stays an
/// implementation detail of this module.
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
    /// Parses `text` (the contents of `file`). Syntax errors, duplicate keys, anchors and
    /// aliases become `InputError`s with the line libyaml reports; anchors and aliases are
    /// refused before Yams builds anything (`AnchorScan`).
    public static func parse(_ text: String, file: String) throws(InputError) -> YAMLNode {
        if let refused = AnchorScan.firstAnchor(in: text, file: file) { throw refused }
        let root: Node?
        do {
            // The basic resolver: our readers look at scalar text and style, never at Yams's tags,
            // and resolving a tag for every key (by regular expression) was half the load time.
            root = try Yams.compose(yaml: text, .basic)
        } catch let error as YamlError {
            throw inputError(error, file: file)
        } catch {
            throw InputError(SourceLocation(file: file), "cannot read YAML: \(error)")
        }
        guard let root else { return YAMLNode(value: .null, location: .init(file: file, line: 1), path: "") }
        return try convert(root, file: file, path: "")
    }

    private static func inputError(_ error: YamlError, file: String) -> InputError {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let what = [context?.text, problem].compactMap { $0 }.joined(separator: ": ")
            return InputError(.init(file: file, line: mark.line), "YAML syntax error: \(what)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return InputError(.init(file: file, line: context.mark.line),
                              "duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", "))")
        default:
            return InputError(.init(file: file), "cannot read YAML: \(error)")
        }
    }

    private static func convert(_ node: Node, file: String, path: String) throws(InputError) -> YAMLNode {
        let location = SourceLocation(file: file, line: node.mark?.line)
        switch node {
        case .scalar(let s):
            let nullWords: Set<String> = ["", "~", "null", "Null", "NULL"]
            if s.style == .plain, nullWords.contains(s.string) {
                return YAMLNode(value: .null, location: location, path: path)
            }
            return YAMLNode(value: .scalar(s.string, plain: s.style == .plain), location: location, path: path)
        case .mapping(let m):
            var pairs: [(key: String, keyLine: Int, value: YAMLNode)] = []
            var seen = Set<String>()
            for (k, v) in m {
                guard case .scalar(let ks) = k else {
                    throw InputError(.init(file: file, line: k.mark?.line), field: path,
                                     "keys must be plain words")
                }
                let keyLine = k.mark?.line ?? location.line ?? 0
                guard seen.insert(ks.string).inserted else {
                    throw InputError(.init(file: file, line: keyLine), field: join(path, ks.string),
                                     "duplicate key")
                }
                pairs.append((ks.string, keyLine, try convert(v, file: file, path: join(path, ks.string))))
            }
            return YAMLNode(value: .mapping(pairs), location: location, path: path)
        case .sequence(let items):
            var out: [YAMLNode] = []
            for (i, item) in items.enumerated() {
                out.append(try convert(item, file: file, path: "\(path)[\(i)]"))
            }
            return YAMLNode(value: .sequence(out), location: location, path: path)
        case .alias:
            // Yams resolves aliases while composing, and AnchorScan refused them before that.
            throw InputError(location, field: path, "YAML aliases are not allowed; write the value out")
        }
    }

    /// `path.key`, or `key` at the root: the field paths every message uses.
    public static func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }
}
