import GovAuditCore

/// A DNS message's answer section, parsed from wire format (RFC 1035 §4), compression included.
/// Pure Swift over bytes: the pointer-holding code stays in `Resolver.swift`.
public struct DNSRecord: Sendable, Hashable {
    public var name: String
    public var type: UInt16
    public var ttl: UInt32
    public var data: DNSRData
}

public enum DNSRData: Sendable, Hashable {
    case address(String)            // A, AAAA
    case name(String)               // CNAME, NS, PTR
    case mx(preference: UInt16, exchange: String)
    case caa(CAARecord)
    case other([UInt8])
}

public enum DNSType: UInt16, Sendable {
    case a = 1, ns = 2, cname = 5, soa = 6, mx = 15, aaaa = 28, ds = 43, dnskey = 48, caa = 257
}

enum DNSMessage {
    struct Malformed: Error {}

    /// The answer records of `packet`.
    static func answers(_ packet: [UInt8]) throws -> [DNSRecord] {
        guard packet.count >= 12 else { throw Malformed() }
        let qd = Int(u16(packet, 4)), an = Int(u16(packet, 6))
        var i = 12
        for _ in 0..<qd {
            _ = try name(packet, &i)
            i += 4
        }
        var out: [DNSRecord] = []
        for _ in 0..<an {
            let owner = try name(packet, &i)
            guard i + 10 <= packet.count else { throw Malformed() }
            let type = u16(packet, i), ttl = UInt32(u16(packet, i + 4)) << 16 | UInt32(u16(packet, i + 6))
            let len = Int(u16(packet, i + 8))
            i += 10
            guard i + len <= packet.count else { throw Malformed() }
            var at = i
            let data: DNSRData
            switch DNSType(rawValue: type) {
            case .a? where len == 4: data = .address(IPAddressText.v4(Array(packet[i..<i + 4])))
            case .aaaa? where len == 16: data = .address(IPAddressText.v6(Array(packet[i..<i + 16])))
            case .cname?, .ns?: data = .name(try name(packet, &at))
            case .mx? where len >= 3:
                at += 2
                data = .mx(preference: u16(packet, i), exchange: try name(packet, &at))
            case .caa?: data = .caa(try CAARecord(rdata: packet[i..<i + len]))
            default: data = .other(Array(packet[i..<i + len]))
            }
            out.append(DNSRecord(name: owner, type: type, ttl: ttl, data: data))
            i += len
        }
        return out
    }

    private static func u16(_ p: [UInt8], _ i: Int) -> UInt16 { UInt16(p[i]) << 8 | UInt16(p[i + 1]) }

    /// A domain name at `i` (advanced past it), following compression pointers with a hop limit.
    static func name(_ p: [UInt8], _ i: inout Int) throws -> String {
        var labels: [String] = []
        var at = i, jumped = false, hops = 0
        while true {
            guard at < p.count else { throw Malformed() }
            let len = Int(p[at])
            if len == 0 {
                if !jumped { i = at + 1 }
                break
            }
            if len & 0xC0 == 0xC0 {
                guard at + 1 < p.count, hops < 32 else { throw Malformed() }
                if !jumped { i = at + 2 }
                at = Int(u16(p, at) & 0x3FFF)
                jumped = true
                hops += 1
                continue
            }
            guard at + 1 + len <= p.count else { throw Malformed() }
            labels.append(String(decoding: p[(at + 1)...(at + len)], as: UTF8.self).lowercased())
            at += 1 + len
        }
        return labels.joined(separator: ".")
    }
}

/// Text forms of addresses: dotted quad, and RFC 5952 for IPv6 (longest zero run compressed).
public enum IPAddressText {
    public static func v4(_ b: [UInt8]) -> String { b.map(String.init).joined(separator: ".") }

    public static func v6(_ b: [UInt8]) -> String {
        let groups = stride(from: 0, to: 16, by: 2).map { UInt16(b[$0]) << 8 | UInt16(b[$0 + 1]) }
        var best = (start: -1, len: 0), run = (start: -1, len: 0)
        for (k, g) in groups.enumerated() {
            if g == 0 {
                run = run.start < 0 ? (k, 1) : (run.start, run.len + 1)
                if run.len > best.len { best = run }
            } else {
                run = (-1, 0)
            }
        }
        if best.len < 2 { return groups.map { String($0, radix: 16) }.joined(separator: ":") }
        let head = groups[..<best.start].map { String($0, radix: 16) }.joined(separator: ":")
        let tail = groups[(best.start + best.len)...].map { String($0, radix: 16) }.joined(separator: ":")
        return head + "::" + tail
    }
}
