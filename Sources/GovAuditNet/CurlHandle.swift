import CCurlShim
import Foundation

/// One transfer's settings, as the HTTP client decided them. Plain values: no C in sight.
struct CurlRequest {
    var url: String
    /// `host:port:address` for CURLOPT_RESOLVE, nil for an address-literal URL.
    var resolve: String?
    var ipv6: Bool
    var head: Bool
    var connectTimeoutMilliseconds: Int
    var totalTimeoutMilliseconds: Int
    var lowSpeedBytesPerSecond: Int
    var lowSpeedSeconds: Int
    var maxBodyBytes: Int
    var userAgent: String
    var headers: [String]
    var verifyTLS: Bool
    var caFile: String?
}

/// What libcurl reported for one transfer.
struct CurlResult {
    enum Code: Equatable {
        case ok, timeout, couldNotConnect, tls, other
    }
    var code: Code
    var text: String
    var status: Int
    var headers: [HTTPHeader]
    var body: [UInt8]
    var overflow: Bool
    /// Set when the socket hook refused an address: the address and the range.
    var refused: (address: String, range: String)?
    var osErrno: Int
    /// Whether the request went out (connection and TLS done) before the transfer ended.
    var requestSent: Bool
    /// The address libcurl connected to, empty when none.
    var primaryIP: String
    /// How many connections this transfer opened (0: it reused one).
    var connectionsOpened: Int
}

/// One libcurl easy handle: the only place HTTP code touches C pointers. The handle keeps its
/// connection (keep-alive), its TLS session and its CA store from one transfer to the next, so
/// the pool gives it to one connection key only. Every socket it opens goes through `filter` and
/// takes a `gate` slot, held until libcurl closes that socket (after the transfer when the server
/// closes, or when the pool lets the handle go). Not thread-safe: one transfer at a time.
final class CurlHandle {
    private let curl: UnsafeMutableRawPointer
    private let book: SocketBook
    private let box: Unmanaged<SocketBook>
    private let guardHooks: UnsafeMutablePointer<ga_curl_socket_guard>

    /// Sockets and gate slots, reached from libcurl's callbacks, for the handle's whole life
    /// (libcurl closes a kept connection through the hooks it was opened with).
    private final class SocketBook {
        let filter: AddressFilter
        let gate: ConnectionGate?
        var refused: (address: String, range: String)?
        /// The slot taken for the socket being made; nil when it took over an old socket's slot.
        var pending: [UInt8]?
        var takingOver = false
        var sockets: [Int32: [UInt8]] = [:]
        var opened = 0
        // The transfer under way (callbacks write here).
        var headers: [HTTPHeader] = []
        var body: [UInt8] = []
        var cap = 0
        var overflow = false
        init(filter: AddressFilter, gate: ConnectionGate?) {
            self.filter = filter
            self.gate = gate
        }
    }

    init?(filter: AddressFilter, gate: ConnectionGate?) {
        guard let curl = curl_easy_init() else { return nil }
        self.curl = curl
        book = SocketBook(filter: filter, gate: gate)
        box = Unmanaged.passRetained(book)
        guardHooks = UnsafeMutablePointer<ga_curl_socket_guard>.allocate(capacity: 1)
        guardHooks.initialize(to: ga_curl_socket_guard(check: { ctx, bytes, count, text in
            let b = Unmanaged<SocketBook>.fromOpaque(ctx!).takeUnretainedValue()
            let address = Array(UnsafeBufferPointer(start: bytes, count: count))
            if case .refused(let range) = b.filter.check(address) {
                b.refused = (text.map { String(cString: $0) } ?? "?", range)
                return 0
            }
            // A new socket while this handle still holds one to the same address (libcurl found
            // the old one dead and closes it): the new one takes over its slot rather than wait
            // for a slot the handle itself holds.
            if let old = b.sockets.first(where: { $0.value == address })?.key {
                b.sockets.removeValue(forKey: old)
                b.takingOver = true
            } else {
                b.gate?.acquire(address)
                b.takingOver = false
            }
            b.pending = address
            return 1
        }, opened: { ctx, fd in
            let b = Unmanaged<SocketBook>.fromOpaque(ctx!).takeUnretainedValue()
            guard let address = b.pending else { return }
            b.pending = nil
            if fd >= 0 {
                b.sockets[fd] = address
                b.opened += 1
            } else if !b.takingOver {
                b.gate?.release(address)
            }
        }, closed: { ctx, fd in
            let b = Unmanaged<SocketBook>.fromOpaque(ctx!).takeUnretainedValue()
            if let address = b.sockets.removeValue(forKey: fd) { b.gate?.release(address) }
        }, context: box.toOpaque()))
    }

    /// Closes the handle's connections (their gate slots come back through the close hook).
    deinit {
        curl_easy_cleanup(curl)
        guardHooks.deinitialize(count: 1)
        guardHooks.deallocate()
        box.release()
    }

    /// The addresses of the sockets the handle holds open.
    var openAddresses: [[UInt8]] { Array(book.sockets.values) }

    func perform(_ r: CurlRequest) -> CurlResult {
        // Options from scratch each time; the connection, session and CA caches survive a reset.
        curl_easy_reset(curl)
        book.refused = nil
        book.headers = []
        book.body = []
        book.cap = r.maxBodyBytes
        book.overflow = false
        book.opened = 0
        let resolveList = r.resolve.map { curl_slist_append(nil, $0) } ?? nil
        var headerList: UnsafeMutablePointer<curl_slist>?
        for h in r.headers { headerList = curl_slist_append(headerList, h) }
        defer { curl_slist_free_all(resolveList); curl_slist_free_all(headerList) }

        _ = ga_curl_setopt_string(curl, CURLOPT_URL, r.url)
        _ = ga_curl_setopt_slist(curl, CURLOPT_RESOLVE, resolveList)
        _ = ga_curl_setopt_long(curl, CURLOPT_IPRESOLVE, r.ipv6 ? Int(CURL_IPRESOLVE_V6) : Int(CURL_IPRESOLVE_V4))
        _ = ga_curl_setopt_long(curl, CURLOPT_FOLLOWLOCATION, 0)
        if r.head { _ = ga_curl_setopt_long(curl, CURLOPT_NOBODY, 1) }
        _ = ga_curl_setopt_long(curl, CURLOPT_NOSIGNAL, 1)
        // One kept connection per handle: a new one replaces the old rather than adding to it.
        _ = ga_curl_setopt_long(curl, CURLOPT_MAXCONNECTS, 1)
        _ = ga_curl_setopt_long(curl, CURLOPT_CONNECTTIMEOUT_MS, r.connectTimeoutMilliseconds)
        _ = ga_curl_setopt_long(curl, CURLOPT_TIMEOUT_MS, r.totalTimeoutMilliseconds)
        _ = ga_curl_setopt_long(curl, CURLOPT_LOW_SPEED_LIMIT, r.lowSpeedBytesPerSecond)
        _ = ga_curl_setopt_long(curl, CURLOPT_LOW_SPEED_TIME, r.lowSpeedSeconds)
        _ = ga_curl_setopt_long(curl, CURLOPT_PROTOCOLS, Int(CURLPROTO_HTTP | CURLPROTO_HTTPS))
        // No proxy from the environment: the scanner must reach the address it pinned and checked.
        _ = ga_curl_setopt_string(curl, CURLOPT_PROXY, "")
        _ = ga_curl_guard_sockets(curl, guardHooks)
        _ = ga_curl_setopt_string(curl, CURLOPT_USERAGENT, r.userAgent)
        _ = ga_curl_setopt_string(curl, CURLOPT_ACCEPT_ENCODING, "")
        _ = ga_curl_setopt_slist(curl, CURLOPT_HTTPHEADER, headerList)
        _ = ga_curl_setopt_long(curl, CURLOPT_SSL_VERIFYPEER, r.verifyTLS ? 1 : 0)
        _ = ga_curl_setopt_long(curl, CURLOPT_SSL_VERIFYHOST, r.verifyTLS ? 2 : 0)
        if let caFile = r.caFile { _ = ga_curl_setopt_string(curl, CURLOPT_CAINFO, caFile) }
        _ = ga_curl_setopt_pointer(curl, CURLOPT_WRITEDATA, box.toOpaque())
        _ = ga_curl_setopt_pointer(curl, CURLOPT_HEADERDATA, box.toOpaque())
        _ = ga_curl_setopt_write_callback(curl, CURLOPT_WRITEFUNCTION) { ptr, size, count, user in
            let b = Unmanaged<SocketBook>.fromOpaque(user!).takeUnretainedValue()
            let n = size * count
            if b.body.count + n > b.cap { b.overflow = true; return 0 }
            ptr.map { b.body.append(contentsOf: UnsafeRawBufferPointer(start: $0, count: n)) }
            return n
        }
        _ = ga_curl_setopt_write_callback(curl, CURLOPT_HEADERFUNCTION) { ptr, size, count, user in
            let b = Unmanaged<SocketBook>.fromOpaque(user!).takeUnretainedValue()
            let n = size * count
            guard let ptr else { return n }
            if let header = CurlHandle.headerLine(UnsafeRawBufferPointer(start: ptr, count: n)) {
                if header.isStatus { b.headers = [] } else if let field = header.field { b.headers.append(field) }
            }
            return n
        }
        let rc = curl_easy_perform(curl)
        var status = 0, osErrno = 0
        var pretransfer: curl_off_t = 0
        var primary: UnsafePointer<CChar>?
        _ = ga_curl_getinfo_long(curl, CURLINFO_RESPONSE_CODE, &status)
        _ = ga_curl_getinfo_long(curl, CURLINFO_OS_ERRNO, &osErrno)
        _ = ga_curl_getinfo_off(curl, CURLINFO_PRETRANSFER_TIME_T, &pretransfer)
        _ = ga_curl_getinfo_string(curl, CURLINFO_PRIMARY_IP, &primary)
        let code: CurlResult.Code = switch rc {
        case CURLE_OK: .ok
        case CURLE_OPERATION_TIMEDOUT: .timeout
        case CURLE_COULDNT_CONNECT: .couldNotConnect
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE: .tls
        default: .other
        }
        let result = CurlResult(code: code, text: String(cString: curl_easy_strerror(rc)), status: status,
                                headers: book.headers, body: book.body, overflow: book.overflow, refused: book.refused,
                                osErrno: osErrno, requestSent: pretransfer > 0, primaryIP: primary.map { String(cString: $0) } ?? "",
                                connectionsOpened: book.opened)
        book.body = []
        book.headers = []
        return result
    }

    /// libcurl's global setup, once per process.
    static let ready: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK
}

extension CurlHandle {
    /// One header line as libcurl hands it over: a status line (a new response begins, after a
    /// redirect or a 100), or a field split at its first colon with the optional whitespace
    /// (space, tab: RFC 9110 §5.6.3) and the line end trimmed. Read as bytes: this runs for every
    /// header of every response, and Foundation's trimming bridges each line to UTF-16.
    static func headerLine(_ raw: UnsafeRawBufferPointer) -> (isStatus: Bool, field: HTTPHeader?)? {
        let bytes = raw.bindMemory(to: UInt8.self)
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
        guard end > 0 else { return nil }
        let line = bytes[0..<end]
        if line.starts(with: "HTTP/".utf8) { return (true, nil) }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }
        var from = colon + 1, to = end
        while from < to, isSpace(line[from]) { from += 1 }
        while to > from, isSpace(line[to - 1]) { to -= 1 }
        return (false, HTTPHeader(name: String(decoding: line[..<colon], as: UTF8.self),
                                  value: String(decoding: line[from..<to], as: UTF8.self)))
    }
}
