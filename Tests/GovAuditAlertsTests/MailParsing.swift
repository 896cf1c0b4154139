import Foundation
#if canImport(Glibc)
import Glibc
#endif

// Reading back what the sinks received, with the standard's rules rather than our own code:
// header unfolding, MIME parts, base64, RFC 2047 words; and the command-line tools' HMAC.

struct MailPart { var type: String; var text: String }

/// Headers (lower-case names, folded lines joined) and the MIME parts, decoded.
func parse(_ mail: String) throws -> ([String: String], [MailPart]) {
    let normal = mail.replacingOccurrences(of: "\r\n", with: "\n")
    guard let split = normal.range(of: "\n\n") else { throw TestFailure("no header/body separator") }
    let headers = headerFields(String(normal[..<split.lowerBound]))
    guard let type = headers["content-type"], let b = type.range(of: "boundary=\"") else { throw TestFailure("no boundary") }
    let boundary = String(type[b.upperBound...].prefix { $0 != "\"" })
    var parts: [MailPart] = []
    for chunk in normal[split.upperBound...].components(separatedBy: "--\(boundary)").dropFirst() where !chunk.hasPrefix("--") {
        guard let end = chunk.range(of: "\n\n") else { continue }
        let h = headerFields(String(chunk[..<end.lowerBound]))
        let body = chunk[end.upperBound...].filter { !$0.isWhitespace }
        guard h["content-transfer-encoding"] == "base64", let data = Data(base64Encoded: String(body)) else {
            throw TestFailure("a part not in base64")
        }
        parts.append(MailPart(type: String((h["content-type"] ?? "").prefix { $0 != ";" }), text: String(decoding: data, as: UTF8.self)))
    }
    return (headers, parts)
}

private func headerFields(_ block: String) -> [String: String] {
    var out: [String: String] = [:]
    var last: String?
    for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
        if line.first == " " || line.first == "\t", let l = last {
            out[l, default: ""] += "\r\n" + line
        } else if let colon = line.firstIndex(of: ":") {
            let name = line[..<colon].lowercased()
            out[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            last = name
        }
    }
    return out
}

/// RFC 2047 `=?UTF-8?B?…?=` words joined back into the text.
func decodeWords(_ value: String) -> String {
    var bytes: [UInt8] = []
    for word in value.split(whereSeparator: { $0.isWhitespace }) {
        guard word.hasPrefix("=?UTF-8?B?"), word.hasSuffix("?="), let d = Data(base64Encoded: String(word.dropFirst(10).dropLast(2))) else { continue }
        bytes += d
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// `openssl dgst -sha256 -hmac KEY` over `body`: the check a receiver would run.
func opensslHMAC(_ body: [UInt8], key: String) throws -> String {
    let out = try run("/usr/bin/openssl", ["dgst", "-sha256", "-hmac", key, "-r"], input: body)
    return String(out.prefix { !$0.isWhitespace })
}

@discardableResult
func run(_ tool: String, _ arguments: [String], input: [UInt8] = []) throws -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: tool)
    p.arguments = arguments
    let inPipe = Pipe(), outPipe = Pipe()
    p.standardInput = inPipe
    p.standardOutput = outPipe
    p.standardError = FileHandle.nullDevice
    try p.run()
    inPipe.fileHandleForWriting.write(Data(input))
    try inPipe.fileHandleForWriting.close()
    let out = outPipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    guard p.terminationStatus == 0 else { throw TestFailure("\(tool) \(arguments.first ?? "") exited \(p.terminationStatus)") }
    return String(decoding: out, as: UTF8.self)
}

/// A loopback TCP port nothing listens on: bound, then closed.
func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    let ok = withUnsafeMutablePointer(to: &addr) { p in
        p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
    }
    guard ok else { throw TestFailure("no free port") }
    return Int(UInt16(bigEndian: addr.sin_port))
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
