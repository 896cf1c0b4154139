// The HTTPS answer of one address of an endpoint (tls.addresses, issue 13 item 1): what a
// visitor whom DNS sends there is told. Judged by https.address-differs against the primary's.

/// The answer to the endpoint's https:// URL from one address, redirects not followed: its
/// status, where it redirects, and the HSTS header as sent. Facts only; whether two addresses
/// answer alike is the rule's.
public struct AddressHTTPS: Sendable, Codable, Equatable {
    public var status: Int
    /// The Location header, as sent; present only for a 3xx answer that carries one.
    public var location: String?
    /// The first Strict-Transport-Security header, as sent (RFC 6797 §8.1: only the first
    /// counts); nil when there is none.
    public var strictTransportSecurity: String?

    public init(status: Int, location: String? = nil, strictTransportSecurity: String? = nil) {
        self.status = status; self.location = location; self.strictTransportSecurity = strictTransportSecurity
    }

    /// From a whole answer's headers (the primary's `https.response`, or one address's fetch).
    public init(status: Int, headers: [HeaderField]) {
        func first(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }
        self.init(status: status, location: (300...399).contains(status) ? first("Location") : nil,
                  strictTransportSecurity: first("Strict-Transport-Security"))
    }

    /// The HSTS policy the header sets, as RFC 6797 reads it (nil without a header).
    public var hsts: StrictTransportSecurity? { strictTransportSecurity.map(StrictTransportSecurity.init) }
}
