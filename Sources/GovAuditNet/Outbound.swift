import CCurlShim
import Foundation

/// Why a transfer to an operator's destination did not go through.
public enum OutboundFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server answered with a status outside 2xx (HTTP).
    case status(Int)
    /// The SMTP server refused a command with this reply code (4yz or 5yz), in libcurl's words.
    case smtpReply(Int, String)
    /// No answer in time.
    case timeout(String)
    /// Connection refused, no route, DNS, TLS, a rejected SMTP command…: libcurl's words.
    case transport(String)
    case badDestination(String)

    public var description: String {
        switch self {
        case .status(let s): "the server answered HTTP \(s)"
        case .smtpReply(let code, let t): "the SMTP server answered \(code): \(t)"
        case .timeout(let t): "timed out: \(t)"
        case .transport(let t): t
        case .badDestination(let d): "not a usable destination: \(d)"
        }
    }

    /// Whether trying again cannot help: the server said no for good, or the destination itself
    /// is unusable. HTTP 4xx is the client's fault except 408 (timeout) and 429 (too many
    /// requests); SMTP 5yz is a permanent negative reply (RFC 5321 §4.2.1), 4yz a transient one.
    /// Silence, refusals to connect, TLS failures and 5xx answers may pass: they are retried.
    public var isPermanent: Bool {
        switch self {
        case .status(let s): (400...499).contains(s) && s != 408 && s != 429
        case .smtpReply(let code, _): (500...599).contains(code)
        case .badDestination: true
        case .timeout, .transport: false
        }
    }
}

/// One transfer to a destination the operator configured (a webhook, an SMTP server), through
/// libcurl. Unlike `HTTPClient`, it applies no address filter (the hardening issue keeps the
/// filter for scanned targets; the operator chose this destination) and follows no redirect.
/// No proxy from the environment: the alert goes where it was configured to. Blocking.
public struct OutboundTransfer: Sendable {
    /// Extra trust anchors (PEM); nil: the system's.
    public var caFile: String?
    /// The whole transfer, connection included.
    public var timeoutMilliseconds: Int
    public var userAgent: String

    public init(caFile: String? = nil, timeoutMilliseconds: Int = 10_000, userAgent: String = HTTPClient.defaultUserAgent) {
        self.caFile = caFile
        self.timeoutMilliseconds = timeoutMilliseconds
        self.userAgent = userAgent
    }

    private static let curlReady: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK

    /// POSTs `body` to an http(s) URL; success is a 2xx answer. The response body is read (at
    /// most 64 KiB) and dropped.
    public func post(_ url: String, body: [UInt8], headers: [String]) -> Result<Int, OutboundFailure> {
        let scheme = URL(string: url)?.scheme?.lowercased()
        guard scheme == "http" || scheme == "https" else { return .failure(.badDestination("a webhook needs an http(s) URL")) }
        return perform(url, protocols: Int(CURLPROTO_HTTP | CURLPROTO_HTTPS), payload: body) { curl in
            var list: UnsafeMutablePointer<curl_slist>?
            for h in headers { list = curl_slist_append(list, h) }
            _ = ga_curl_setopt_long(curl, CURLOPT_POST, 1)
            _ = ga_curl_setopt_off(curl, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            _ = ga_curl_setopt_slist(curl, CURLOPT_HTTPHEADER, list)
            return list
        }.flatMap { status in (200...299).contains(status) ? .success(status) : .failure(.status(status)) }
    }

    /// Sends one RFC 5322 message over SMTP: `smtp://host[:port]` (STARTTLS required when
    /// `requireTLS`, else used when offered) or `smtps://` (TLS from the start).
    public func sendMail(_ url: String, from: String, to: [String], message: [UInt8], user: String?, password: String?,
                         requireTLS: Bool) -> Result<Void, OutboundFailure> {
        let scheme = URL(string: url)?.scheme?.lowercased()
        guard scheme == "smtp" || scheme == "smtps" else { return .failure(.badDestination("mail needs an smtp:// or smtps:// URL")) }
        guard !to.isEmpty else { return .failure(.badDestination("no recipient")) }
        let sent = perform(url, protocols: Int(CURLPROTO_SMTP | CURLPROTO_SMTPS), payload: message) { curl in
            var list: UnsafeMutablePointer<curl_slist>?
            for r in to { list = curl_slist_append(list, "<\(r)>") }
            _ = ga_curl_setopt_string(curl, CURLOPT_MAIL_FROM, "<\(from)>")
            _ = ga_curl_setopt_slist(curl, CURLOPT_MAIL_RCPT, list)
            _ = ga_curl_setopt_long(curl, CURLOPT_UPLOAD, 1)
            _ = ga_curl_setopt_off(curl, CURLOPT_INFILESIZE_LARGE, curl_off_t(message.count))
            _ = ga_curl_setopt_long(curl, CURLOPT_USE_SSL, Int(requireTLS ? CURLUSESSL_ALL.rawValue : CURLUSESSL_TRY.rawValue))
            if let user { _ = ga_curl_setopt_string(curl, CURLOPT_USERNAME, user) }
            if let password { _ = ga_curl_setopt_string(curl, CURLOPT_PASSWORD, password) }
            return list
        }
        return sent.map { _ in () }
    }

    /// What libcurl's callbacks read from and write to.
    private final class Transfer {
        let payload: [UInt8]
        var sent = 0
        var received = 0
        init(payload: [UInt8]) { self.payload = payload }
    }

    /// Runs one transfer; `configure` sets the protocol's options and returns a list to free.
    private func perform(_ url: String, protocols: Int, payload: [UInt8],
                         configure: (UnsafeMutableRawPointer) -> UnsafeMutablePointer<curl_slist>?) -> Result<Int, OutboundFailure> {
        guard Self.curlReady, let curl = curl_easy_init() else { return .failure(.transport("libcurl could not start")) }
        let transfer = Transfer(payload: payload)
        let box = Unmanaged.passRetained(transfer)
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let list = configure(curl)
        defer {
            curl_easy_cleanup(curl)
            curl_slist_free_all(list)
            errorBuffer.deallocate()
            box.release()
        }
        _ = ga_curl_setopt_string(curl, CURLOPT_URL, url)
        _ = ga_curl_setopt_long(curl, CURLOPT_PROTOCOLS, protocols)
        _ = ga_curl_setopt_long(curl, CURLOPT_FOLLOWLOCATION, 0)
        _ = ga_curl_setopt_long(curl, CURLOPT_NOSIGNAL, 1)
        _ = ga_curl_setopt_string(curl, CURLOPT_PROXY, "")
        _ = ga_curl_setopt_long(curl, CURLOPT_TIMEOUT_MS, max(1, timeoutMilliseconds))
        _ = ga_curl_setopt_long(curl, CURLOPT_CONNECTTIMEOUT_MS, max(1, timeoutMilliseconds))
        _ = ga_curl_setopt_string(curl, CURLOPT_USERAGENT, userAgent)
        _ = ga_curl_setopt_long(curl, CURLOPT_SSL_VERIFYPEER, 1)
        _ = ga_curl_setopt_long(curl, CURLOPT_SSL_VERIFYHOST, 2)
        if let caFile { _ = ga_curl_setopt_string(curl, CURLOPT_CAINFO, caFile) }
        _ = ga_curl_setopt_pointer(curl, CURLOPT_ERRORBUFFER, errorBuffer)
        // The POST body and the mail are both uploaded through the read callback.
        _ = ga_curl_setopt_pointer(curl, CURLOPT_READDATA, box.toOpaque())
        _ = ga_curl_setopt_read_callback(curl) { ptr, size, count, user in
            let t = Unmanaged<Transfer>.fromOpaque(user!).takeUnretainedValue()
            let n = min(size * count, t.payload.count - t.sent)
            guard n > 0, let ptr else { return 0 }
            t.payload.withUnsafeBytes { src in
                UnsafeMutableRawPointer(ptr).copyMemory(from: src.baseAddress! + t.sent, byteCount: n)
            }
            t.sent += n
            return n
        }
        _ = ga_curl_setopt_pointer(curl, CURLOPT_WRITEDATA, box.toOpaque())
        _ = ga_curl_setopt_write_callback(curl, CURLOPT_WRITEFUNCTION) { _, size, count, user in
            let t = Unmanaged<Transfer>.fromOpaque(user!).takeUnretainedValue()
            t.received += size * count
            return t.received > 65_536 ? 0 : size * count
        }
        let rc = curl_easy_perform(curl)
        var status = 0
        _ = ga_curl_getinfo_long(curl, CURLINFO_RESPONSE_CODE, &status)
        guard rc == CURLE_OK || (rc == CURLE_WRITE_ERROR && transfer.received > 65_536) else {
            let detail = String(cString: errorBuffer)
            let text = detail.isEmpty ? String(cString: curl_easy_strerror(rc)) : detail
            if rc == CURLE_OPERATION_TIMEDOUT { return .failure(.timeout(text)) }
            // An SMTP server's last reply code tells a refusal (4yz, 5yz) from a broken connection.
            if protocols & Int(CURLPROTO_SMTP | CURLPROTO_SMTPS) != 0, status >= 400 { return .failure(.smtpReply(status, text)) }
            return .failure(.transport(text))
        }
        return .success(status)
    }
}
