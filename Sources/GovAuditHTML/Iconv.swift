import CIconvShim

/// glibc's converters, the only ones here that know windows-1258, TCVN 5712 and VISCII
/// (Foundation knows none of them). A thin wrapper: one C call, its buffer freed here.
enum Iconv {
    enum Failure: Error, Equatable { case unknownCharset(String), noMemory }

    /// `bytes` in `charset` (an iconv name) as UTF-8 bytes, and how many bytes did not decode
    /// (each became U+FFFD).
    static func toUTF8(_ bytes: [UInt8], from charset: String) -> Result<(utf8: [UInt8], replaced: Int), Failure> {
        var out: UnsafeMutablePointer<UInt8>?
        var count = 0, replaced = 0
        let rc = bytes.withUnsafeBufferPointer { buf in
            ga_iconv_to_utf8(charset, buf.baseAddress, buf.count, &out, &count, &replaced)
        }
        defer { ga_iconv_free(out) }
        switch rc {
        case Int32(GA_ICONV_OK): return .success((out.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? [], replaced))
        case Int32(GA_ICONV_UNKNOWN_CHARSET): return .failure(.unknownCharset(charset))
        default: return .failure(.noMemory)
        }
    }
}
