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

    /// Kept connections, shared by every copy of this client (so by every probe of a scan).
    let connections = HTTPConnectionPool()

    /// Connections opened, and requests carried on a kept one, by every copy of this client.
    public var connectionCounts: (made: Int, reused: Int) {
        let c = connections.counts
        return (c.made, c.reused)
    }

    /// GETs (or HEADs) `url` over `family` (an address literal brings its own family). `address`
    /// pins the first hop to an address already resolved; later hops are resolved here. A
    /// redirect to another scheme than http(s), or to a URL `follow` refuses (a crawl that must
    /// not leave its site), is recorded in the last hop's `location`, never followed.
    public func fetch(_ url: String, family: AddressFamily, address: String? = nil,
                      extraHeaders: [String] = [], verifyTLS: Bool = false,
                      followRedirects: Bool = true, method: HTTPMethod = .get,
                      follow: (String) -> Bool = { _ in true }) -> Result<HTTPResponse, HTTPFailure> {
        guard CurlHandle.ready else { return .failure(.other("curl_global_init failed")) }
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

    private func perform(_ url: String, endpoint: Endpoint, address: String, family: AddressFamily,
                         headers extra: [String], verifyTLS: Bool, method: HTTPMethod) -> Result<HTTPResponse, HTTPFailure> {
        guard let bytes = CIDR.parse(address) else { return .failure(.addressNotAllowed(address, range: "not an IP address")) }
        let key = HTTPConnectionKey(scheme: endpoint.scheme ?? "http", host: endpoint.host.lowercased(), port: endpoint.effectivePort,
                                    address: bytes, family: family, verifyTLS: verifyTLS, caFile: caFile,
                                    filter: filter, gate: gate.map(ObjectIdentifier.init))
        guard let handle = connections.take(key) ?? CurlHandle(filter: filter, gate: gate) else {
            return .failure(.other("curl_easy_init failed"))
        }
        // A name is pinned to the address resolved for it; an address literal needs no pin.
        let pin = address.contains(":") ? "[\(address)]" : address
        // The deadline cuts both timeouts to what is left (libcurl takes 0 as "no timeout": at least 1 ms).
        let total = max(1, deadline?.cap(limits.totalTimeoutMilliseconds) ?? limits.totalTimeoutMilliseconds)
        let cutByDeadline = total < limits.totalTimeoutMilliseconds
        // Content is read even when the certificate is bad: judging the certificate is the TLS
        // probe's job, and a site with an expired certificate can still carry injected links.
        let r = handle.perform(CurlRequest(
            url: url, resolve: Self.literalAddress(endpoint.host) == nil ? "\(endpoint.host):\(endpoint.effectivePort):\(pin)" : nil,
            ipv6: family == .ipv6, head: method == .head,
            connectTimeoutMilliseconds: min(total, limits.connectTimeoutMilliseconds), totalTimeoutMilliseconds: total,
            lowSpeedBytesPerSecond: limits.lowSpeedBytesPerSecond, lowSpeedSeconds: limits.lowSpeedSeconds,
            maxBodyBytes: limits.maxBodyBytes, userAgent: userAgent, headers: extra, verifyTLS: verifyTLS, caFile: caFile))
        // Kept for the next fetch of the same key only after a clean transfer to the pinned
        // address itself; anything else closes the handle's connection here.
        if r.code == .ok && !r.overflow && r.refused == nil && CIDR.parse(r.primaryIP) == bytes {
            connections.put(key, handle, gate: gate)
        }
        if r.overflow { return .failure(.tooLarge(limit: limits.maxBodyBytes)) }
        if let refused = r.refused { return .failure(.addressNotAllowed(refused.address, range: refused.range)) }
        switch r.code {
        case .ok:
            break
        // libcurl's clock and ours differ by a few milliseconds: near enough is the deadline.
        case .timeout where cutByDeadline && (deadline?.remainingMilliseconds ?? .max) < 100:
            return .failure(.budgetExhausted("\(deadline!) ran out during the fetch of \(url)"))
        case .timeout:
            // The low-speed cut reports a timeout too. Once the request was sent (connection
            // and TLS done: pre-transfer time set), a stalled answer is a trickle; before
            // that, the server never answered at all.
            return .failure(r.requestSent || r.status > 0 ? .tooSlow(r.text) : .timeout(r.text))
        case .couldNotConnect:
            switch TCP.classify(Int32(r.osErrno)) {
            case .refused: return .failure(.refused(r.text))
            case .stall: return .failure(.timeout(r.text))
            case .noRoute: return .failure(.noRoute("\(r.text) (errno \(r.osErrno))"))
            default: return .failure(.other(r.text))
            }
        case .tls:
            return .failure(.tls(r.text))
        case .other:
            return .failure(.other(r.text))
        }
        // The address actually connected to, as libcurl reports it.
        let connected = r.primaryIP.isEmpty ? address : r.primaryIP
        return .success(HTTPResponse(hops: [HTTPHop(url: url, address: connected, status: r.status, location: nil)],
                                     headers: r.headers, body: r.body, reusedConnection: r.connectionsOpened == 0))
    }
}
