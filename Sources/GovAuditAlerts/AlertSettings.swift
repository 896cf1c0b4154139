import Foundation
import GovAuditCore
import GovAuditService

/// Where alerts go and what they carry: from the configuration file's `alerts:` section and the
/// channel flags of `scan --alert` and `schedule` (`AlertConfig`, see `init(_:secrets:…)`).
/// A plain value: no I/O, secrets already read.
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

/// How hard one delivery tries: `attempts` tries, waiting `backoff`, then twice that… (never
/// more than `maxBackoff`) between them, each bounded by `timeout`. A transient failure that
/// lasts stays pending for the next alert step; a permanent one ends the tries at once.
public struct DeliveryPolicy: Sendable {
    public var attempts: Int
    public var backoff: Duration
    public var maxBackoff: Duration
    public var timeout: Duration

    public init(attempts: Int = 3, backoff: Duration = .seconds(1), maxBackoff: Duration = .seconds(30), timeout: Duration = .seconds(10)) {
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self.maxBackoff = max(backoff, maxBackoff)
        self.timeout = timeout
    }
}
