#if canImport(Glibc)
import Glibc
#endif

/// Where the scanner may connect. Checked on the numeric address of every socket GovAudit opens
/// (libcurl's open-socket hook, `TCP.open`), whoever asked for the connection: the target, a
/// redirect, an outbound link, a cloaking view. A public address is allowed; every special-purpose
/// range (loopback, private, link-local, multicast, reserved, documentation…) is refused unless
/// `--allow-net` names it, the target's own addresses included: a compromised agency DNS must not
/// aim the scanner at its own host. Destinations the operator configures (the resolver) are not
/// filtered: they are not reached through these sockets.
public struct AddressFilter: Sendable, Hashable {
    /// `--allow-net`: special-purpose networks the operator lets the scanner enter.
    public var allowed: [CIDR]

    public init(allowing allowed: [CIDR] = []) {
        self.allowed = allowed
    }

    public enum Verdict: Sendable, Equatable {
        case allowed
        /// Refused, with the range that refused it ("loopback", "IPv4-mapped", …).
        case refused(String)
    }

    /// The verdict on an address given as 4 or 16 bytes.
    public func check(_ bytes: [UInt8]) -> Verdict {
        guard bytes.count == 4 || bytes.count == 16 else { return .refused("not an IP address") }
        if allowed.contains(where: { $0.contains(bytes) }) { return .allowed }
        if let range = AddressFilter.specialRange(bytes) { return .refused(range) }
        return .allowed
    }

    /// The verdict on an address literal; text that is not an address is refused.
    public func check(_ address: String) -> Verdict {
        guard let bytes = CIDR.parse(address) else { return .refused("not an IP address") }
        return check(bytes)
    }

    /// The special-purpose range holding `bytes`, or nil for a public address. IPv6 forms that
    /// carry an IPv4 address (NAT64, 6to4, Teredo) are judged by the address they carry.
    public static func specialRange(_ bytes: [UInt8]) -> String? {
        for r in (bytes.count == 4 ? v4Ranges : v6Ranges) where r.network.contains(bytes) {
            guard let embedded = r.embedded else { return r.name }
            let inner = embedded(bytes)
            if let why = inner.lazy.compactMap({ v4 in v4Ranges.first { $0.network.contains(v4) }?.name }).first {
                return "\(r.name) of \(why)"
            }
        }
        return nil
    }

    private struct Range: Sendable {
        var network: CIDR
        var name: String
        /// For IPv6 forms that embed IPv4 addresses: those addresses.
        var embedded: (@Sendable ([UInt8]) -> [[UInt8]])?
        init(_ cidr: String, _ name: String, embedded: (@Sendable ([UInt8]) -> [[UInt8]])? = nil) {
            network = CIDR(cidr)!
            self.name = name
            self.embedded = embedded
        }
    }

    // IANA's special-purpose registries (RFC 6890 and successors).
    private static let v4Ranges: [Range] = [
        Range("0.0.0.0/8", "this network"), Range("10.0.0.0/8", "private"), Range("100.64.0.0/10", "shared (CGNAT)"),
        Range("127.0.0.0/8", "loopback"), Range("169.254.0.0/16", "link-local"), Range("172.16.0.0/12", "private"),
        Range("192.0.0.0/24", "IETF protocol assignments"), Range("192.0.2.0/24", "documentation"),
        Range("192.88.99.0/24", "6to4 relay anycast"), Range("192.168.0.0/16", "private"),
        Range("198.18.0.0/15", "benchmarking"), Range("198.51.100.0/24", "documentation"),
        Range("203.0.113.0/24", "documentation"), Range("224.0.0.0/4", "multicast"), Range("240.0.0.0/4", "reserved"),
    ]

    private static let v6Ranges: [Range] = [
        Range("::/128", "unspecified"), Range("::1/128", "loopback"),
        Range("::ffff:0:0/96", "IPv4-mapped"), Range("::/96", "IPv4-compatible"),
        Range("64:ff9b::/96", "NAT64", embedded: { [Array($0[12..<16])] }),
        Range("64:ff9b:1::/48", "local-use NAT64"), Range("100::/64", "discard-only"),
        Range("2001::/32", "Teredo", embedded: { b in [Array(b[4..<8]), b[12..<16].map { ~$0 }] }),
        Range("2001:2::/48", "benchmarking"), Range("2001:db8::/32", "documentation"),
        Range("2001:10::/28", "ORCHID"), Range("2001:20::/28", "ORCHIDv2"),
        Range("2002::/16", "6to4", embedded: { [Array($0[2..<6])] }),
        Range("3fff::/20", "documentation"), Range("5f00::/16", "segment routing"),
        Range("fc00::/7", "unique-local"), Range("fe80::/10", "link-local"), Range("fec0::/10", "site-local"),
        Range("ff00::/8", "multicast"),
    ]
}

extension AddressFilter.Verdict: CustomStringConvertible {
    public var description: String {
        switch self {
        case .allowed: "allowed"
        case .refused(let range): "refused (\(range))"
        }
    }
}

/// IPv4 host forms that resolvers and libcurl read as addresses although they are not dotted
/// quads: `2130706433`, `127.1`, `0x7f000001`, `0177.0.0.1`, `0`.
public enum NumericHost {
    /// The address such a host names, as a dotted quad; nil for a real name.
    public static func ipv4(_ host: String) -> String? {
        guard !host.isEmpty, host.allSatisfy({ $0.isHexDigit || $0 == "." || $0 == "x" || $0 == "X" }) else { return nil }
        var a = in_addr()
        guard inet_aton(host, &a) == 1 else { return nil }
        return withUnsafeBytes(of: a) { IPAddressText.v4(Array($0)) }
    }
}
