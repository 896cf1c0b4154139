import CCurlShim
import Foundation
import GovAuditCore

/// The one HTTP client: libcurl, with GovAudit following redirects itself so that every hop's
/// host is resolved by `Resolver` and pinned with CURLOPT_RESOLVE to the family asked for. The
/// address filter is applied where libcurl opens its socket, on the address it connects to, so
/// no host form libcurl parses itself (`2130706433`, `127.1`, `[::ffff:…]`) gets past it.
/// Blocking: call it from the blocking pool.
public struct HTTPClient: Sendable {
    public var resolver: Resolver
    public var caFile: String?
    public var limits: HTTPLimits
    /// Where connections may go; every hop's address is checked, the first hop's too.
    public var filter: AddressFilter
    /// How many connections one address may have at once, shared with the rest of the scan.
    public var gate: ConnectionGate?
    public var userAgent: String
    /// When set, no fetch runs past it: each transfer's timeouts are cut to the time left, and a
    /// fetch that finds it passed does not start. The resolver's lookups share it.
    public var deadline: Deadline? {
        didSet { resolver.deadline = deadline }
    }

    public static let defaultUserAgent = userAgent(contact: nil)

    /// `GovAudit/<version>`, with `(+contact)` when the operator gives one, so a site's admin
    /// who sees the scan in a log knows who to ask.
    public static func userAgent(contact: String?) -> String {
        "GovAudit/\(GovAuditVersion.current)" + (contact.map { " (+\($0))" } ?? "")
    }

    public init(resolver: Resolver, caFile: String? = nil, limits: HTTPLimits = HTTPLimits(),
                filter: AddressFilter = AddressFilter(), gate: ConnectionGate? = nil,
                userAgent: String = HTTPClient.defaultUserAgent) {
        self.resolver = resolver
        self.caFile = caFile
        self.limits = limits
        self.filter = filter
        self.gate = gate
        self.userAgent = userAgent
    }

    private static let curlReady: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK

    /// GETs (or HEADs) `url` over `family` (an address literal brings its own family). `address`
    /// pins the first hop to an address already resolved; later hops are resolved here. A
    /// redirect to another scheme than http(s), or to a URL `follow` refuses (a crawl that must
    /// not leave its site), is recorded in the last hop's `location`, never followed.
    public func fetch(_ url: String, family: AddressFamily, address: String? = nil,
                      extraHeaders: [String] = [], verifyTLS: Bool = false,
                      followRedirects: Bool = true, method: HTTPMethod = .get,
                      follow: (String) -> Bool = { _ in true }) -> Result<HTTPResponse, HTTPFailure> {
        guard HTTPClient.curlReady else { return .failure(.other("curl_global_init failed")) }
        var hops: [HTTPHop] = []
        var seen = Set<String>()
        var current = url
        var pinned = address
        // A resolver context only when a hop needs resolving (a pinned first hop does not).
        var session: Resolver.Session?
        while true {
            if let deadline, deadline.hasPassed {
                return .failure(.budgetExhausted("\(deadline) ran out before \(current) was fetched"))
            }
            guard let endpoint = try? Endpoint(parsing: current), let scheme = endpoint.scheme,
                  scheme == "http" || scheme == "https" else { return .failure(.badURL(current)) }
            if seen.contains(current) { return .failure(.redirectLoop(hops.map(\.url) + [current])) }
            seen.insert(current)
            let addr: String
            if let p = pinned {
                addr = p
            } else if let literal = Self.literalAddress(endpoint.host) {
                addr = literal
            } else {
                if session == nil {
                    do { session = try resolver.session() } catch { return .failure(.dns(error.description)) }
                }
                switch resolveOne(endpoint.host, family, session!) {
                case .success(let a): addr = a
                case .failure(let f): return .failure(f)
                }
            }
            pinned = nil
            // Refused here with a clear reason; the socket hook refuses it again whatever libcurl does.
            if case .refused(let range) = filter.check(addr) { return .failure(.addressNotAllowed(addr, range: range)) }
            switch perform(current, endpoint: endpoint, address: addr, family: addr.contains(":") ? .ipv6 : .ipv4,
                           headers: extraHeaders, verifyTLS: verifyTLS, method: method) {
            case .failure(let f): return .failure(f)
            case .success(var response):
                let hop = response.hops[0]
                let location = (300...399).contains(hop.status) ? response.header("Location") : nil
                hops.append(HTTPHop(url: current, address: hop.address, status: hop.status, location: location))
                response.hops = hops
                guard let location, hop.status != 304, followRedirects else { return .success(response) }
                guard hops.count <= limits.maxRedirects else { return .failure(.tooManyRedirects(limits.maxRedirects)) }
                guard let next = URL(string: location, relativeTo: URL(string: current))?.absoluteString else {
                    return .failure(.badURL(location))
                }
                // ftp:, file:, javascript:…: the hop records where it pointed; nothing is fetched.
                let nextScheme = URL(string: next)?.scheme?.lowercased()
                guard nextScheme == "http" || nextScheme == "https" else { return .success(response) }
                guard follow(next) else {
                    response.hops[response.hops.count - 1].location = next
                    return .success(response)
                }
                current = next
            }
        }
    }

    /// The address a host names without DNS: an IP literal, or an IPv4 numeric form
    /// (`2130706433`, `127.1`, `0x7f000001`) as libcurl and browsers read it.
    static func literalAddress(_ host: String) -> String? {
        CIDR.parse(host) != nil ? host : NumericHost.ipv4(host)
    }

    private func resolveOne(_ host: String, _ family: AddressFamily, _ session: Resolver.Session) -> Result<String, HTTPFailure> {
        switch session.lookup(host, family == .ipv4 ? .a : .aaaa) {
        case .failure(.budgetExhausted(let d)): return .failure(.budgetExhausted("\(d) ran out while \(host) was resolved"))
        case .failure(let f): return .failure(.dns(f.description))
        case .success(let answer):
            guard let first = answer.values(family == .ipv4 ? .a : .aaaa).first else {
                return .failure(.dns("\(host) has no \(family == .ipv4 ? "A" : "AAAA") record (rcode \(answer.rcode))"))
            }
            return .success(first)
        }
    }

    /// The body and headers being received, reached from libcurl's callbacks.
    private final class Transfer {
        var headers: [HTTPHeader] = []
        var body: [UInt8] = []
        let cap: Int
        var overflow = false
        let filter: AddressFilter
        let gate: ConnectionGate?
        /// Set by the socket hook when it refused an address: the address and the range.
        var refused: (address: String, range: String)?
        /// The gate slot taken for the socket being made, then per open socket.
        var pending: [UInt8]?
        var sockets: [Int32: [UInt8]] = [:]
        init(cap: Int, filter: AddressFilter, gate: ConnectionGate?) {
            self.cap = cap
            self.filter = filter
            self.gate = gate
        }
    }

    private func perform(_ url: String, endpoint: Endpoint, address: String, family: AddressFamily,
                         headers extra: [String], verifyTLS: Bool, method: HTTPMethod) -> Result<HTTPResponse, HTTPFailure> {
        guard let curl = curl_easy_init() else { return .failure(.other("curl_easy_init failed")) }
        let transfer = Transfer(cap: limits.maxBodyBytes, filter: filter, gate: gate)
        let box = Unmanaged.passRetained(transfer)
        defer { box.release() }
        // A name is pinned to the address resolved for it; an address literal needs no pin.
        let pin = address.contains(":") ? "[\(address)]" : address
        let resolveList = Self.literalAddress(endpoint.host) == nil
            ? curl_slist_append(nil, "\(endpoint.host):\(endpoint.effectivePort):\(pin)") : nil
        var headerList: UnsafeMutablePointer<curl_slist>?
        for h in extra { headerList = curl_slist_append(headerList, h) }
        defer { curl_slist_free_all(resolveList); curl_slist_free_all(headerList) }

        _ = ga_curl_setopt_string(curl, CURLOPT_URL, url)
        _ = ga_curl_setopt_slist(curl, CURLOPT_RESOLVE, resolveList)
        _ = ga_curl_setopt_long(curl, CURLOPT_IPRESOLVE, family == .ipv4 ? Int(CURL_IPRESOLVE_V4) : Int(CURL_IPRESOLVE_V6))
        _ = ga_curl_setopt_long(curl, CURLOPT_FOLLOWLOCATION, 0)
        if method == .head { _ = ga_curl_setopt_long(curl, CURLOPT_NOBODY, 1) }
        _ = ga_curl_setopt_long(curl, CURLOPT_NOSIGNAL, 1)
        // One transfer per handle: the connection closes (and frees its gate slot) when it ends.
        _ = ga_curl_setopt_long(curl, CURLOPT_FORBID_REUSE, 1)
        // The deadline cuts both timeouts to what is left (libcurl takes 0 as "no timeout": at least 1 ms).
        let total = max(1, deadline?.cap(limits.totalTimeoutMilliseconds) ?? limits.totalTimeoutMilliseconds)
        let cutByDeadline = total < limits.totalTimeoutMilliseconds
        _ = ga_curl_setopt_long(curl, CURLOPT_CONNECTTIMEOUT_MS, min(total, limits.connectTimeoutMilliseconds))
        _ = ga_curl_setopt_long(curl, CURLOPT_TIMEOUT_MS, total)
        _ = ga_curl_setopt_long(curl, CURLOPT_LOW_SPEED_LIMIT, limits.lowSpeedBytesPerSecond)
        _ = ga_curl_setopt_long(curl, CURLOPT_LOW_SPEED_TIME, limits.lowSpeedSeconds)
        _ = ga_curl_setopt_long(curl, CURLOPT_PROTOCOLS, Int(CURLPROTO_HTTP | CURLPROTO_HTTPS))
        // No proxy from the environment: the scanner must reach the address it pinned and checked.
        _ = ga_curl_setopt_string(curl, CURLOPT_PROXY, "")
        // Every socket libcurl opens goes through the filter, on its numeric address.
        let socketGuard = UnsafeMutablePointer<ga_curl_socket_guard>.allocate(capacity: 1)
        socketGuard.initialize(to: ga_curl_socket_guard(check: { ctx, bytes, count, text in
            let t = Unmanaged<Transfer>.fromOpaque(ctx!).takeUnretainedValue()
            let address = Array(UnsafeBufferPointer(start: bytes, count: count))
            if case .refused(let range) = t.filter.check(address) {
                t.refused = (text.map { String(cString: $0) } ?? "?", range)
                return 0
            }
            t.gate?.acquire(address)
            t.pending = address
            return 1
        }, opened: { ctx, fd in
            let t = Unmanaged<Transfer>.fromOpaque(ctx!).takeUnretainedValue()
            guard let address = t.pending else { return }
            t.pending = nil
            if fd >= 0 { t.sockets[fd] = address } else { t.gate?.release(address) }
        }, closed: { ctx, fd in
            let t = Unmanaged<Transfer>.fromOpaque(ctx!).takeUnretainedValue()
            if let address = t.sockets.removeValue(forKey: fd) { t.gate?.release(address) }
        }, context: box.toOpaque()))
        defer { socketGuard.deallocate() }
        _ = ga_curl_guard_sockets(curl, socketGuard)
        // Declared last so it runs first: libcurl closes its sockets here, through the hooks
        // above, while the transfer and the guard are still alive.
        defer { curl_easy_cleanup(curl) }
        _ = ga_curl_setopt_string(curl, CURLOPT_USERAGENT, userAgent)
        _ = ga_curl_setopt_string(curl, CURLOPT_ACCEPT_ENCODING, "")
        _ = ga_curl_setopt_slist(curl, CURLOPT_HTTPHEADER, headerList)
        // Content is read even when the certificate is bad: judging the certificate is the TLS
        // probe's job, and a site with an expired certificate can still carry injected links.
        _ = ga_curl_setopt_long(curl, CURLOPT_SSL_VERIFYPEER, verifyTLS ? 1 : 0)
        _ = ga_curl_setopt_long(curl, CURLOPT_SSL_VERIFYHOST, verifyTLS ? 2 : 0)
        if let caFile { _ = ga_curl_setopt_string(curl, CURLOPT_CAINFO, caFile) }
        _ = ga_curl_setopt_pointer(curl, CURLOPT_WRITEDATA, box.toOpaque())
        _ = ga_curl_setopt_pointer(curl, CURLOPT_HEADERDATA, box.toOpaque())
        _ = ga_curl_setopt_write_callback(curl, CURLOPT_WRITEFUNCTION) { ptr, size, count, user in
            let t = Unmanaged<Transfer>.fromOpaque(user!).takeUnretainedValue()
            let n = size * count
            if t.body.count + n > t.cap { t.overflow = true; return 0 }
            ptr.map { t.body.append(contentsOf: UnsafeRawBufferPointer(start: $0, count: n)) }
            return n
        }
        _ = ga_curl_setopt_write_callback(curl, CURLOPT_HEADERFUNCTION) { ptr, size, count, user in
            let t = Unmanaged<Transfer>.fromOpaque(user!).takeUnretainedValue()
            let n = size * count
            guard let ptr else { return n }
            let line = String(decoding: UnsafeRawBufferPointer(start: ptr, count: n), as: UTF8.self)
                .trimmingCharacters(in: .newlines)
            if line.hasPrefix("HTTP/") { t.headers = [] }
            if let colon = line.firstIndex(of: ":") {
                t.headers.append(HTTPHeader(name: String(line[..<colon]),
                                            value: line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
            }
            return n
        }
        let rc = curl_easy_perform(curl)
        var status = 0
        _ = ga_curl_getinfo_long(curl, CURLINFO_RESPONSE_CODE, &status)
        if transfer.overflow { return .failure(.tooLarge(limit: limits.maxBodyBytes)) }
        if let refused = transfer.refused { return .failure(.addressNotAllowed(refused.address, range: refused.range)) }
        if rc != CURLE_OK {
            let text = String(cString: curl_easy_strerror(rc))
            switch rc {
            // libcurl's clock and ours differ by a few milliseconds: near enough is the deadline.
            case CURLE_OPERATION_TIMEDOUT where cutByDeadline && (deadline?.remainingMilliseconds ?? .max) < 100:
                return .failure(.budgetExhausted("\(deadline!) ran out during the fetch of \(url)"))
            case CURLE_OPERATION_TIMEDOUT:
                // The low-speed cut reports a timeout too. Once the request was sent (connection
                // and TLS done: pre-transfer time set), a stalled answer is a trickle; before
                // that, the server never answered at all.
                var pretransfer: curl_off_t = 0
                _ = ga_curl_getinfo_off(curl, CURLINFO_PRETRANSFER_TIME_T, &pretransfer)
                return .failure(pretransfer > 0 || status > 0 ? .tooSlow(text) : .timeout(text))
            case CURLE_COULDNT_CONNECT:
                var osErrno = 0
                _ = ga_curl_getinfo_long(curl, CURLINFO_OS_ERRNO, &osErrno)
                switch TCP.classify(Int32(osErrno)) {
                case .refused: return .failure(.refused(text))
                case .stall: return .failure(.timeout(text))
                case .noRoute: return .failure(.noRoute("\(text) (errno \(osErrno))"))
                default: return .failure(.other(text))
                }
            case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE:
                return .failure(.tls(text))
            default:
                return .failure(.other(text))
            }
        }
        // The address actually connected to, as libcurl reports it.
        var primary: UnsafePointer<CChar>?
        _ = ga_curl_getinfo_string(curl, CURLINFO_PRIMARY_IP, &primary)
        let connected = primary.map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? address
        return .success(HTTPResponse(hops: [HTTPHop(url: url, address: connected, status: status, location: nil)],
                                     headers: transfer.headers, body: transfer.body))
    }
}
