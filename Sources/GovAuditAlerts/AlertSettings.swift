import Foundation
import GovAuditCore
import GovAuditFiles
#if canImport(Glibc)
import Glibc
#endif

/// Where alerts go and what they carry: filled from `scan` flags today, from the configuration
/// file's `alerts:` section by `govaudit schedule`. A plain value: no I/O, secrets already read.
public struct AlertSettings: Sendable {
    /// New findings at or above it, and findings that rose to it, are alerted. Certificates
    /// crossing an expiry threshold (`expiryRules`) are alerted whatever their severity.
    public var minSeverity: Severity
    public var language: Language
    public var webhook: WebhookChannel?
    public var mail: MailChannel?
    /// Also mail each agency's own contacts (the inventory's e-mails) the changes of its systems.
    public var mailAgencies: Bool
    public var delivery: DeliveryPolicy
    /// Extra trust anchors (PEM) for https webhooks and SMTP over TLS; nil: the system's.
    public var caFile: String?
    /// The rules whose findings mean a certificate crossed one of the policy's expiry
    /// thresholds (their `warnDays` parameters): rule ids, the windows stay in the policy.
    public var expiryRules: Set<String>
    /// How often to send a digest of what is still open (at the first alert step that long
    /// after the previous digest, or after the series' first step); nil: never.
    public var digestEvery: Duration?

    public static let defaultExpiryRules: Set<String> = ["tls.cert-expired", "tls.cert-expiring-urgent", "tls.cert-expiring"]

    public init(minSeverity: Severity = .high, language: Language = .vi, webhook: WebhookChannel? = nil, mail: MailChannel? = nil,
                mailAgencies: Bool = false, delivery: DeliveryPolicy = DeliveryPolicy(), caFile: String? = nil,
                expiryRules: Set<String> = AlertSettings.defaultExpiryRules, digestEvery: Duration? = nil) {
        self.minSeverity = minSeverity
        self.language = language
        self.webhook = webhook
        self.mail = mail
        self.mailAgencies = mailAgencies
        self.delivery = delivery
        self.caFile = caFile
        self.expiryRules = expiryRules
        self.digestEvery = digestEvery
    }

    /// Whether any channel is configured.
    public var hasChannel: Bool { webhook != nil || mail != nil }
}

/// A JSON POST per alert.
public struct WebhookChannel: Sendable {
    public var url: String
    /// Sent as `Authorization: Bearer …`.
    public var token: Secret?
    /// Key of the `X-GovAudit-Signature: sha256=<hex>` HMAC over the body.
    public var secret: Secret?

    public init(url: String, token: Secret? = nil, secret: Secret? = nil) {
        self.url = url
        self.token = token
        self.secret = secret
    }
}

/// E-mail through an SMTP server: `smtp://host[:port]` (STARTTLS) or `smtps://host[:port]`.
public struct MailChannel: Sendable {
    public var url: String
    public var from: String
    /// The response team: every message, the whole province.
    public var to: [String]
    public var user: String?
    public var password: Secret?
    /// smtp:// only: refuse to go on without STARTTLS. Default: required when a password is
    /// sent (credentials never travel in clear), used when offered otherwise.
    public var requireTLS: Bool

    public init(url: String, from: String, to: [String], user: String? = nil, password: Secret? = nil, requireTLS: Bool? = nil) {
        self.url = url
        self.from = from
        self.to = to
        self.user = user
        self.password = password
        self.requireTLS = requireTLS ?? (password != nil)
    }
}

/// How hard one delivery tries: `attempts` tries, waiting `backoff`, then twice that… between
/// them, each bounded by `timeout`. What still fails stays pending for the next alert step.
public struct DeliveryPolicy: Sendable {
    public var attempts: Int
    public var backoff: Duration
    public var timeout: Duration

    public init(attempts: Int = 3, backoff: Duration = .seconds(1), timeout: Duration = .seconds(10)) {
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self.timeout = timeout
    }
}

/// A secret (token, shared key, password): never printed. Its description is a placeholder,
/// so a secret that reaches a log or an error message by mistake shows nothing.
public struct Secret: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public let value: String

    public init(_ value: String) { self.value = value }

    public var description: String { "<secret>" }
    public var debugDescription: String { "<secret>" }

    /// From an environment variable: `option` names the flag or field for the error.
    public static func environment(_ name: String, option: String,
                                   environment: [String: String] = ProcessInfo.processInfo.environment) throws(InputError) -> Secret {
        guard let value = environment[name], !value.isEmpty else {
            throw InputError(SourceLocation(file: option), "the environment variable \(name) is not set or empty")
        }
        return Secret(value)
    }

    /// From a file only its owner can read (mode 0600 or 0400): a group- or world-readable file
    /// is refused, since anyone who can read it holds the secret. Surrounding blank space dropped.
    public static func file(_ path: String, option: String) throws(InputError) -> Secret {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw InputError(SourceLocation(file: path), "\(option): cannot read the secrets file: \(String(cString: strerror(errno)))")
        }
        if info.st_mode & 0o077 != 0 {
            throw InputError(SourceLocation(file: path), String(format: "\(option): the secrets file is readable by others (mode %04o); chmod 600 it", info.st_mode & 0o7777))
        }
        let text = try InputFile.text(path, limit: 64 << 10).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw InputError(SourceLocation(file: path), "\(option): the secrets file is empty") }
        return Secret(text)
    }
}

/// Destinations as they may be shown: a `user:password@` in a URL becomes `***@`.
public enum Redact {
    public static func url(_ text: String) -> String {
        guard let scheme = text.range(of: "://") else { return text }
        let rest = text[scheme.upperBound...]
        let authorityEnd = rest.firstIndex(where: { "/?#".contains($0) }) ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return text }
        return String(text[..<scheme.upperBound]) + "***" + String(rest[at...])
    }

    /// `text` with every secret's value replaced: for error texts from libraries and servers.
    public static func secrets(_ text: String, _ secrets: [Secret?]) -> String {
        var out = text
        for s in secrets.compactMap({ $0 }) where s.value.count >= 4 {
            out = out.replacingOccurrences(of: s.value, with: "<secret>")
        }
        return out
    }
}
