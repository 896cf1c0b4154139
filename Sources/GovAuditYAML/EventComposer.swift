import GovAuditCore
internal import CYaml

/// Builds `YAMLNode`s straight from libyaml's event stream, in one pass.
///
/// Anchors and aliases are refused at the first one, with line and field: our formats never
/// need them, and they are how a 400-byte "billion laughs" file becomes gigabytes. Yams's
/// composer shares an aliased node, but hashes every mapping key to find duplicates, and a key
/// made of aliases is hashed copy by copy (a 229-byte file took 6.5 s there before any check of
/// ours could run). Building our nodes from the events also spares Yams's own tree: 100,000
/// systems load in half the time and memory. The recursion below is bounded by libyaml's own
/// nesting limit (1,000 levels: deeper is its syntax error).
struct EventComposer {
    private let file: String
    /// On the heap: libyaml keeps a pointer to the parser inside it, so it must never move.
    private let parser: UnsafeMutablePointer<yaml_parser_t>

    /// Plain scalars that mean "no value" (YAML 1.2 core schema).
    private static let nullWords: Set<String> = ["", "~", "null", "Null", "NULL"]

    static func compose(_ text: String, file: String) throws(InputError) -> YAMLNode {
        var source = text
        // withUTF8 rethrows untyped errors: the result is carried out as a Result instead.
        let result = source.withUTF8 { buffer -> Result<YAMLNode, InputError> in
            let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
            defer { parser.deallocate() }
            guard yaml_parser_initialize(parser) == 1 else { return .failure(InputError(SourceLocation(file: file), "cannot start the YAML reader")) }
            defer { yaml_parser_delete(parser) }
            yaml_parser_set_input_string(parser, buffer.baseAddress, buffer.count)
            yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
            do throws(InputError) { return .success(try EventComposer(file: file, parser: parser).document()) }
            catch { return .failure(error) }
        }
        return try result.get()
    }

    private init(file: String, parser: UnsafeMutablePointer<yaml_parser_t>) {
        self.file = file
        self.parser = parser
    }

    /// One event, owned until `body` returns.
    private func next<T>(_ body: (inout yaml_event_t) throws(InputError) -> T) throws(InputError) -> T {
        var event = yaml_event_t()
        guard yaml_parser_parse(parser, &event) == 1 else { throw syntaxError() }
        defer { yaml_event_delete(&event) }
        return try body(&event)
    }

    /// STREAM-START, DOCUMENT-START, the root, DOCUMENT-END, then STREAM-END (one document only).
    private func document() throws(InputError) -> YAMLNode {
        _ = try next { _ in }  // stream start
        let empty = YAMLNode(value: .null, location: .init(file: file, line: 1), path: "")
        let started = try next { e in e.type == YAML_DOCUMENT_START_EVENT }
        guard started else { return empty }  // an empty stream
        let root = try node(path: "")
        _ = try next { _ in }  // document end
        let line = try next { e -> Int? in e.type == YAML_STREAM_END_EVENT ? nil : Int(e.start_mark.line) + 1 }
        if let line { throw InputError(SourceLocation(file: file, line: line), "a second YAML document; one file holds one document") }
        return root
    }

    private enum Start {
        case scalar(String, plain: Bool, line: Int)
        case sequence(line: Int)
        case mapping(line: Int)
        case end
    }

    /// The next node, or nil at the end of the enclosing sequence or mapping.
    private func node(path: String) throws(InputError) -> YAMLNode {
        guard let n = try nodeOrEnd(path: path) else {
            throw InputError(SourceLocation(file: file), field: path.isEmpty ? nil : path, "YAML syntax error: unexpected end of a collection")
        }
        return n
    }

    private func nodeOrEnd(path: String) throws(InputError) -> YAMLNode? {
        let file = self.file
        let start = try next { (e) throws(InputError) -> Start in
            let line = Int(e.start_mark.line) + 1
            let field = path.isEmpty ? nil : path
            switch e.type {
            case YAML_ALIAS_EVENT:
                throw InputError(SourceLocation(file: file, line: line), field: field,
                                 "YAML aliases (*\(Self.text(e.data.alias.anchor))) are not allowed; write the value out")
            case YAML_SCALAR_EVENT:
                let s = e.data.scalar
                if s.anchor != nil { throw Self.anchor(s.anchor, file, line, field) }
                let value = String(decoding: UnsafeBufferPointer(start: s.value, count: s.length), as: UTF8.self)
                return .scalar(value, plain: s.style == YAML_PLAIN_SCALAR_STYLE, line: line)
            case YAML_SEQUENCE_START_EVENT:
                if e.data.sequence_start.anchor != nil { throw Self.anchor(e.data.sequence_start.anchor, file, line, field) }
                return .sequence(line: line)
            case YAML_MAPPING_START_EVENT:
                if e.data.mapping_start.anchor != nil { throw Self.anchor(e.data.mapping_start.anchor, file, line, field) }
                return .mapping(line: line)
            default:
                return .end
            }
        }
        switch start {
        case .end:
            return nil
        case .scalar(let s, let plain, let line):
            let location = SourceLocation(file: file, line: line)
            if plain, Self.nullWords.contains(s) { return YAMLNode(value: .null, location: location, path: path) }
            return YAMLNode(value: .scalar(s, plain: plain), location: location, path: path)
        case .sequence(let line):
            var items: [YAMLNode] = []
            while let item = try nodeOrEnd(path: "\(path)[\(items.count)]") { items.append(item) }
            return YAMLNode(value: .sequence(items), location: SourceLocation(file: file, line: line), path: path)
        case .mapping(let line):
            var pairs: [(key: String, keyLine: Int, value: YAMLNode)] = []
            var seen = Set<String>()
            while let key = try nodeOrEnd(path: path) {
                let keyLine = key.location.line ?? line
                guard case .scalar(let k, _) = key.value else {
                    // A null key (`: x`) or a list or mapping as key: none of our formats has them.
                    throw InputError(SourceLocation(file: file, line: keyLine), field: path.isEmpty ? nil : path, "keys must be plain words")
                }
                let field = YAMLDocument.join(path, k)
                guard seen.insert(k).inserted else { throw InputError(SourceLocation(file: file, line: keyLine), field: field, "duplicate key") }
                pairs.append((k, keyLine, try node(path: field)))
            }
            return YAMLNode(value: .mapping(pairs), location: SourceLocation(file: file, line: line), path: path)
        }
    }

    private static func anchor(_ name: UnsafeMutablePointer<yaml_char_t>?, _ file: String, _ line: Int, _ field: String?) -> InputError {
        InputError(SourceLocation(file: file, line: line), field: field, "YAML anchors (&\(text(name))) are not allowed; write the value out")
    }

    private static func text(_ p: UnsafeMutablePointer<yaml_char_t>?) -> String {
        p.map { String(cString: $0) } ?? ""
    }

    /// libyaml's own message, at the line it names.
    private func syntaxError() -> InputError {
        let p = parser.pointee
        let problem = p.problem.map { String(cString: $0) } ?? "malformed YAML"
        let context = p.context.map { String(cString: $0) }
        let what = [context, problem].compactMap { $0 }.joined(separator: ": ")
        return InputError(SourceLocation(file: file, line: Int(p.problem_mark.line) + 1), "YAML syntax error: \(what)")
    }
}
