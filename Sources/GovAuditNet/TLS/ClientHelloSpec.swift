import GovAuditCore

/// A ClientHello with the extensions the feature and vulnerability probes need (heartbeat,
/// renegotiation_info, extended master secret, session ticket, ALPN, compression methods), and
/// the ones every hello carries: SNI, groups, the complete signature_algorithms list and, for a
/// hello that would otherwise be 256–511 bytes long, RFC 7685 padding (some F5 devices hang on
/// that size). `TLSHello.client` is this with no extras.
public struct ClientHelloSpec: Sendable, Equatable {
    public var version: TLSVersion
    public var suites: [UInt16]
    public var serverName: String?
    public var groups: [UInt16] = TLSHello.defaultGroups
    /// Compression methods offered, in order; null (0) alone by default, DEFLATE is 1.
    public var compression: [UInt8] = [0]
    /// RFC 6520: peer_allowed_to_send.
    public var heartbeat = false
    /// RFC 5746: an empty renegotiation_info extension.
    public var renegotiationInfo = false
    /// RFC 7627.
    public var extendedMasterSecret = false
    /// RFC 5077: an empty SessionTicket extension (asks for a ticket).
    public var sessionTicket = false
    /// RFC 7301 protocol names, in preference order.
    public var alpn: [String] = []
    /// TLS 1.3: the groups to send key shares for; nil sends an x25519 share, [] none (which
    /// asks the server for a HelloRetryRequest naming the group it wants).
    public var keyShares: [UInt16]?

    public init(version: TLSVersion, suites: [UInt16], serverName: String?) {
        precondition(version != .sslv2)
        self.version = version
        self.suites = suites
        self.serverName = serverName
    }

    /// signature_algorithms (RFC 8446 §4.2.3): every scheme a server might hold a key for, so
    /// none is refused for want of one: ECDSA, Ed25519/Ed448, RSA-PSS (both key kinds), PKCS#1,
    /// the brainpool TLS 1.3 schemes, then SHA-224, SHA-1 and DSA legacy pairs.
    public static let signatureAlgorithms: [UInt16] = [
        0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806, 0x0809, 0x080A, 0x080B,
        0x0401, 0x0501, 0x0601, 0x081A, 0x081B, 0x081C, 0x0303, 0x0301, 0x0302, 0x0402, 0x0502, 0x0602,
        0x0203, 0x0201, 0x0202]

    /// The record, with `random` (32 bytes or more) as client random and TLS 1.3 session id.
    public func bytes(random: [UInt8]) -> [UInt8] {
        let u16 = TLSHello.u16, block = TLSHello.extensionBlock
        var body: [UInt8] = []
        let legacy: UInt16 = version == .tls13 ? 0x0303 : version.rawValue
        body += u16(legacy) + random.prefix(32)
        if version == .tls13 { body += [32] + random.prefix(32) } else { body += [0] }   // session id
        body += u16(UInt16(suites.count * 2)) + suites.flatMap(u16)
        body += [UInt8(compression.count)] + compression
        var ext: [UInt8] = []
        if version != .sslv3 {
            if let serverName {
                let name = Array(serverName.utf8)
                ext += block(0x0000, u16(UInt16(name.count + 3)) + [0] + u16(UInt16(name.count)) + name)
            }
            ext += block(0x000A, u16(UInt16(groups.count * 2)) + groups.flatMap(u16))
            ext += block(0x000B, [1, 0])
            let sigalgs = Self.signatureAlgorithms
            ext += block(0x000D, u16(UInt16(sigalgs.count * 2)) + sigalgs.flatMap(u16))
            if heartbeat { ext += block(0x000F, [1]) }
            if !alpn.isEmpty {
                let list = alpn.flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) }
                ext += block(0x0010, u16(UInt16(list.count)) + list)
            }
            if extendedMasterSecret { ext += block(0x0017, []) }
            if sessionTicket { ext += block(0x0023, []) }
            if renegotiationInfo { ext += block(0xFF01, [0]) }
        }
        if version == .tls13 {
            ext += block(0x002B, [2] + u16(0x0304))
            ext += block(0x002D, [1, 1])
            // Any 32 bytes are a valid x25519 public key for the server to answer.
            let shares: [UInt8] = (keyShares ?? [0x001D]).flatMap { group -> [UInt8] in
                group == 0x001D ? u16(0x001D) + u16(32) + Array(random.reversed().prefix(32)) : []
            }
            ext += block(0x0033, u16(UInt16(shares.count)) + shares)
        }
        if version != .sslv3 { ext += Self.padding(helloLength: 4 + body.count + 2 + ext.count) }
        if !ext.isEmpty { body += u16(UInt16(ext.count)) + ext }
        let handshake = [UInt8(1)] + TLSHello.u24(body.count) + body
        let recordVersion: UInt16 = version == .sslv3 ? 0x0300 : 0x0301
        return [0x16] + u16(recordVersion) + u16(UInt16(handshake.count)) + handshake
    }

    /// RFC 7685 padding that takes a ClientHello of `helloLength` bytes (handshake header
    /// included) out of 256–511 to 512 or more; nothing for any other length.
    static func padding(helloLength: Int) -> [UInt8] {
        guard (256...511).contains(helloLength) else { return [] }
        let fill = max(0, 512 - helloLength - 4)
        return TLSHello.extensionBlock(0x0015, [UInt8](repeating: 0, count: fill))
    }
}
