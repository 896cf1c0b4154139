import CCurlShim
import COpenSSLShim
import GovAuditCore

/// The C libraries' versions, read from the libraries at run time (not from headers at build
/// time), so provenance tells which libcurl and OpenSSL really ran.
public enum Libraries {
    /// E.g. "7.88.1".
    public static var curlVersion: String { String(cString: ga_curl_version()) }
    /// The TLS backend libcurl uses, e.g. "OpenSSL/3.0.19".
    public static var curlTLSBackend: String { String(cString: ga_curl_ssl_version()) }
    /// E.g. "OpenSSL 3.0.19 27 Jan 2026".
    public static var opensslVersion: String { String(cString: ga_openssl_version()) }
}

/// Digests through OpenSSL.
public enum Digest {
    /// SHA-256 as lower-case hex.
    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        var out = [UInt8](repeating: 0, count: 32)
        let ok = bytes.withUnsafeBytes { buffer in
            out.withUnsafeMutableBufferPointer { ga_sha256(buffer.baseAddress, buffer.count, $0.baseAddress) }
        }
        precondition(ok == 1, "EVP_Digest(SHA-256) failed")
        return hex(out)
    }

    /// HMAC-SHA256 (RFC 2104) of `bytes` under `key`, as lower-case hex: the webhook signature.
    public static func hmacSHA256Hex(key: [UInt8], _ bytes: [UInt8]) -> String {
        var out = [UInt8](repeating: 0, count: 32)
        let ok = key.withUnsafeBytes { k in
            bytes.withUnsafeBytes { b in
                out.withUnsafeMutableBufferPointer { ga_hmac_sha256(k.baseAddress, k.count, b.baseAddress, b.count, $0.baseAddress) }
            }
        }
        precondition(ok == 1, "HMAC(SHA-256) failed")
        return hex(out)
    }

    /// Lower-case hex, two digits a byte.
    static func hex(_ bytes: some Collection<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 0x0f)]) }
        return String(decoding: out, as: UTF8.self)
    }
}
