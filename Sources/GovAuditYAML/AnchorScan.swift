import GovAuditCore
#if compiler(>=6)
internal import CYaml
#else
@_implementationOnly import CYaml
#endif

/// Refuses YAML anchors and aliases before anything is built from the document. Our formats
/// never need them, and they are how a 400-byte "billion laughs" file becomes gigabytes: Yams
/// shares an aliased node while composing, but hashing a mapping key made of aliases, and any
/// walk over the tree, expand every copy. So the check runs on libyaml's event stream (bounded
/// memory, one pass), before Yams composes, and names the line and the field of the first one.
enum AnchorScan {
    /// Nil when `bytes` holds no anchor or alias; syntax errors are left to the composer, which
    /// reports them with its own context.
    static func firstAnchor(in text: String, file: String) -> InputError? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        var source = text
        return source.withUTF8 { buffer -> InputError? in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            var paths = PathTracker()
            var event = yaml_event_t()
            while yaml_parser_parse(&parser, &event) == 1 {
                defer { yaml_event_delete(&event) }
                let line = Int(event.start_mark.line) + 1
                var anchor: UnsafeMutablePointer<yaml_char_t>?
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return nil
                case YAML_ALIAS_EVENT:
                    let name = name(event.data.alias.anchor)
                    return InputError(SourceLocation(file: file, line: line), field: paths.field,
                                      "YAML aliases (*\(name)) are not allowed; write the value out")
                case YAML_SCALAR_EVENT:
                    anchor = event.data.scalar.anchor
                    if anchor == nil {
                        let s = event.data.scalar
                        paths.scalar(paths.expectsKey ? String(decoding: UnsafeBufferPointer(start: s.value, count: s.length), as: UTF8.self) : nil)
                        continue
                    }
                case YAML_SEQUENCE_START_EVENT:
                    anchor = event.data.sequence_start.anchor
                    if anchor == nil { paths.open(mapping: false); continue }
                case YAML_MAPPING_START_EVENT:
                    anchor = event.data.mapping_start.anchor
                    if anchor == nil { paths.open(mapping: true); continue }
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    paths.close()
                    continue
                default:
                    continue
                }
                return InputError(SourceLocation(file: file, line: line), field: paths.field,
                                  "YAML anchors (&\(name(anchor))) are not allowed; write the value out")
            }
            return nil
        }
    }

    private static func name(_ p: UnsafeMutablePointer<yaml_char_t>?) -> String {
        p.map { String(cString: $0) } ?? ""
    }

    /// The path of the node an event starts, in the loaders' notation (`systems[3].name`).
    private struct PathTracker {
        private struct Frame {
            var path: String
            var mapping: Bool
            var expectsKey = true
            var key = "?"
            var index = 0
        }
        private var stack: [Frame] = []

        var expectsKey: Bool { stack.last.map { $0.mapping && $0.expectsKey } ?? false }

        /// The field the next node belongs to: a mapping's key names its value; a key itself
        /// belongs to its mapping.
        var field: String? {
            guard let top = stack.last else { return nil }
            let path = top.mapping ? (top.expectsKey ? top.path : YAMLDocument.join(top.path, top.key)) : "\(top.path)[\(top.index)]"
            return path.isEmpty ? nil : path
        }

        mutating func open(mapping: Bool) {
            stack.append(Frame(path: field ?? "", mapping: mapping))
        }

        mutating func close() {
            _ = stack.popLast()
            completed(key: nil)
        }

        mutating func scalar(_ key: String?) { completed(key: key) }

        private mutating func completed(key: String?) {
            guard var top = stack.popLast() else { return }
            if top.mapping {
                if top.expectsKey { top.key = key ?? "?" }
                top.expectsKey.toggle()
            } else {
                top.index += 1
            }
            stack.append(top)
        }
    }
}
