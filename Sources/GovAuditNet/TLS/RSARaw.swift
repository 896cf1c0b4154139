import COpenSSLShim
import GovAuditCore

/// Raw RSA encryption with the public key of a certificate the server sent (DER), for the ROBOT
/// check's hand-laid PKCS#1 v1.5 blocks. The C pointers stay here.
enum RSARaw {
    enum Failure: Error, Equatable, Sendable {
        case notCertificate
        case notRSA
        case wrongLength
        /// OpenSSL's reason.
        case failed(String)

        var reason: FailureReason {
            switch self {
            case .notCertificate: FailureReason(code: "bad-certificate", detail: "the server's certificate is not DER X.509")
            case .notRSA: FailureReason(code: "not-rsa-key", detail: "the server's certificate holds no RSA key")
            case .wrongLength: FailureReason(code: "rsa-encryption", detail: "the block is not as long as the RSA modulus")
            case .failed(let why): FailureReason(code: "rsa-encryption", detail: why)
            }
        }
    }

    static func failure(_ code: Int32, _ detail: String = "") -> Failure {
        switch code {
        case Int32(GA_RSA_NOT_CERTIFICATE): .notCertificate
        case Int32(GA_RSA_NOT_RSA): .notRSA
        case Int32(GA_RSA_WRONG_LENGTH): .wrongLength
        default: .failed(detail.isEmpty ? "RSA encryption failed" : detail)
        }
    }

    /// The modulus size in bits.
    static func modulusBits(certificate der: [UInt8]) -> Result<Int, Failure> {
        let bits = der.withUnsafeBufferPointer { ga_rsa_modulus_bits($0.baseAddress, $0.count) }
        return bits > 0 ? .success(Int(bits)) : .failure(failure(bits))
    }

    /// `block`, exactly as long as the modulus, encrypted as is (no padding added).
    static func encrypt(_ block: [UInt8], certificate der: [UInt8]) -> Result<[UInt8], Failure> {
        var out = [UInt8](repeating: 0, count: max(block.count, 1))
        var error = [CChar](repeating: 0, count: 256)
        let capacity = out.count, errorSize = error.count
        let n = der.withUnsafeBufferPointer { d in
            block.withUnsafeBufferPointer { b in
                out.withUnsafeMutableBufferPointer { o in
                    ga_rsa_raw_encrypt(d.baseAddress, d.count, b.baseAddress, b.count, o.baseAddress, capacity, &error, errorSize)
                }
            }
        }
        guard n > 0 else { return .failure(failure(n, String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))) }
        return .success(Array(out.prefix(Int(n))))
    }
}
