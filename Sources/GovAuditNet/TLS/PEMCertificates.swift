import COpenSSLShim

/// Certificates in PEM text (a `--ca-file`, a test's certificate), read through OpenSSL with the
/// same name formatting as the TLS inspector: names as UTF-8, so a Vietnamese CA reads "Tỉnh",
/// never `T\xE1\xBB\x89nh`.
public enum PEMCertificates {
    public struct Names: Sendable, Equatable {
        /// The common name, as the inspector reports a certificate's subject.
        public var commonName: String
        /// Subject and issuer in RFC 2253 form (`CN=…,O=…,C=VN`), control characters escaped.
        public var subject: String
        public var issuer: String
    }

    /// The names of the certificates in `pem`, at most `limit` of them, and how many there are.
    public static func names(in pem: [UInt8], limit: Int = 16) -> (names: [Names], count: Int) {
        var out = [ga_cert_names](repeating: ga_cert_names(), count: max(limit, 1))
        let count = pem.withUnsafeBytes { raw in
            out.withUnsafeMutableBufferPointer { ga_pem_certificates(raw.baseAddress, raw.count, $0.baseAddress, Int32(limit)) }
        }
        let names = out.prefix(min(Int(count), limit)).map { entry in
            var e = entry
            return Names(commonName: CText.string(&e.subject_cn), subject: CText.string(&e.subject), issuer: CText.string(&e.issuer))
        }
        return (names, Int(count))
    }
}

/// A fixed-size C char array (a tuple in Swift) as a String, decoded as UTF-8.
enum CText {
    static func string<T>(_ field: inout T) -> String {
        withUnsafeBytes(of: &field) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
