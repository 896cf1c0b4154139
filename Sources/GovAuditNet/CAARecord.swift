import GovAuditCore

extension CAARecord {
    /// RFC 8659 §4.1: one flags octet, a tag length (1–15), the tag (ASCII letters and digits),
    /// the value (every octet left). A record that breaks this is a malformed answer, so the
    /// query fails: it is never read as "no CAA".
    init(rdata: ArraySlice<UInt8>) throws(DNSMessage.Malformed) {
        let b = Array(rdata)
        guard b.count >= 2 else { throw DNSMessage.Malformed() }
        let tagLength = Int(b[1])
        guard (1...15).contains(tagLength), 2 + tagLength <= b.count else { throw DNSMessage.Malformed() }
        let tag = b[2..<2 + tagLength]
        guard tag.allSatisfy({ (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }) else {
            throw DNSMessage.Malformed()
        }
        self.init(flags: Int(b[0]), tag: String(decoding: tag, as: UTF8.self), value: Self.escaped(b[(2 + tagLength)...]))
    }

    /// The value's octets as text: printable ASCII as is, a backslash doubled, any other octet
    /// as `\DDD` (RFC 1035 §5.1), so nothing the zone's owner wrote reaches a report raw.
    static func escaped(_ bytes: ArraySlice<UInt8>) -> String {
        var out = ""
        for byte in bytes {
            switch byte {
            case 0x5C: out += "\\\\"
            case 0x20...0x7E: out.unicodeScalars.append(Unicode.Scalar(byte))
            default: out += "\\" + String(repeating: "0", count: byte < 10 ? 2 : byte < 100 ? 1 : 0) + String(byte)
            }
        }
        return out
    }
}
