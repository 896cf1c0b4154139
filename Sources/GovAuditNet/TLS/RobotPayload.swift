import GovAuditCore

/// The bytes of the ROBOT test, pure functions tested on their own: each variant's premaster
/// secret block (RFC 8017 §7.2.1 laid out by hand, correct or malformed on purpose), and the
/// client's flight that carries it: ClientKeyExchange, ChangeCipherSpec, and a Finished the
/// server cannot decrypt (the test never completes a handshake).
enum RobotPayload {
    /// The 46 bytes after the version in every premaster secret: fixed and free of zero bytes,
    /// so that only the variants place a 00.
    static let secret: [UInt8] = (0..<46).map { UInt8(0x21 + ($0 * 7) % 0xDE) }

    /// The first two bytes of the `wrongFirstBytes` block (anything but 00 02; below any RSA
    /// modulus, whose top bit is set).
    static let wrongStart: [UInt8] = [0x37, 0x13]

    /// The block for `variant`, as long as the modulus (`modulusBytes`); `version` is the one
    /// the ClientHello offered (RFC 5246 §7.4.7.1). Nil for a modulus too short to hold the
    /// 48-byte secret after 8 bytes of padding (RFC 8017's minimum).
    static func block(_ variant: TLSRobot.Variant, modulusBytes k: Int, version: TLSVersion) -> [UInt8]? {
        let paddingLength = k - 3 - 48
        guard paddingLength >= 8 else { return nil }
        // Non-zero padding bytes, as EME-PKCS1-v1_5 requires.
        let padding = (0..<paddingLength).map { UInt8(0x5A + ($0 * 13) % 0xA5) }
        let v = TLSHello.u16(version.rawValue)
        let block: [UInt8]
        switch variant {
        case .correct: block = [0x00, 0x02] + padding + [0x00] + v + secret
        case .wrongFirstBytes: block = wrongStart + padding + [0x00] + v + secret
        // Where the separator belongs a non-zero byte; the 00 two bytes before the end.
        case .zeroMisplaced: block = [0x00, 0x02] + padding + [0x11] + secret + [0x00, 0x11]
        case .noZeroSeparator: block = [0x00, 0x02] + padding + [0x11, 0x11, 0x11] + secret
        case .wrongVersion: block = [0x00, 0x02] + padding + [0x00, 0x02, 0x02] + secret
        }
        return block
    }

    /// A Finished record's 64 bytes: the length of a CBC-encrypted Finished (IV, verify data,
    /// MAC, padding) and long enough for a GCM one; no key the server holds decrypts them.
    static let finishedBody: [UInt8] = (0..<64).map { UInt8(truncatingIfNeeded: 0x9B &+ $0 &* 29) }

    /// An empty Certificate message (RFC 5246 §7.4.6): the client has none to send.
    static let emptyCertificate: [UInt8] = [11] + TLSHello.u24(3) + TLSHello.u24(0)

    /// ClientKeyExchange (the encrypted block, RFC 5246 §7.4.7.1), ChangeCipherSpec and the
    /// Finished, as records of `version`: one write. An empty Certificate comes first in the
    /// handshake record when the server asked for one.
    static func flight(encryptedSecret: [UInt8], version: TLSVersion, emptyCertificate: Bool = false) -> [UInt8] {
        let v = TLSHello.u16(version.rawValue)
        let exchange = (emptyCertificate ? Self.emptyCertificate : []) + [UInt8(16)] + TLSHello.u24(encryptedSecret.count + 2)
            + TLSHello.u16(UInt16(encryptedSecret.count)) + encryptedSecret
        let cke = [0x16] + v + TLSHello.u16(UInt16(exchange.count)) + exchange
        let ccs = [0x14] + v + [0x00, 0x01, 0x01]
        let finished = [0x16] + v + TLSHello.u16(UInt16(finishedBody.count)) + finishedBody
        return cke + ccs + finished
    }

    /// What the server's records and the end of the read say it did.
    static func response(_ records: [ServerFlight.Record], end: TLSConversation.End) -> TLSRobot.Response {
        if let alert = ServerFlight(records: records).alert {
            return .init(end: .alert, alertLevel: Int(alert.level), alertDescription: Int(alert.description))
        }
        if !records.isEmpty { return .init(end: .records, recordTypes: records.map { Int($0.type) }) }
        switch end {
        case .closed: return .init(end: .closed)
        case .reset: return .init(end: .reset)
        case .quiet, .done: return .init(end: .silent)
        }
    }
}

extension ServerFlight {
    /// The first certificate of the Certificate message (RFC 5246 §7.4.2), DER; nil without one.
    var leafCertificate: [UInt8]? {
        guard let body = handshakeMessages.first(where: { $0.type == 11 })?.body, body.count >= 6 else { return nil }
        let length = Int(body[3]) << 16 | Int(body[4]) << 8 | Int(body[5])
        guard length > 0, 6 + length <= body.count else { return nil }
        return Array(body[6..<(6 + length)])
    }
}
