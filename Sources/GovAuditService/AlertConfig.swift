import GovAuditCore
import GovAuditYAML

/// The `alerts:` section of the config file: the thresholds and channels of the alert step
/// that runs after each scheduled scan. Parsed and checked here; secrets are only named here
/// (`SecretReference`) and read by the code that sends, so `govaudit history` with the same
/// config does not need the SMTP password.
///
/// ```yaml
/// alerts:
///   min_severity: high              # new findings at or above it (default high)
///   digest: none                    # none | daily | weekly: a reminder of what is still open
///   webhook:
///     url: https://hooks.example.vn/govaudit
///     token_env: GOVAUDIT_WEBHOOK_TOKEN     # or token_file: (bearer token, optional)
///     secret_file: /etc/govaudit/webhook.secret   # or secret_env: (HMAC-SHA256 key, optional)
///   smtp:
///     url: smtps://mail.angiang.gov.vn:465  # smtp:// (STARTTLS) or smtps://
///     from: govaudit@angiang.gov.vn
///     to: [attt@angiang.gov.vn]             # the response team: the whole province
///     mail_agencies: true                   # also each agency's contacts, its systems only
///     user: govaudit                        # optional; then password_env or password_file
///     password_file: /etc/govaudit/smtp.password
/// ```
/// The channel flags of `scan --alert` and `schedule` (`--webhook`, `--smtp`, …) give the same
/// value, and replace the config's channel of the same kind.
public struct AlertConfig: Sendable, Hashable {
    public var minSeverity: Severity = .high
    public var digest: DigestPeriod = .none
    public var webhook: WebhookChannel?
    public var smtp: SMTPChannel?

    public init() {}

    public enum DigestPeriod: String, Sendable, Hashable, CaseIterable {
        case none, daily, weekly
    }

    public struct WebhookChannel: Sendable, Hashable {
        public var url: String
        /// Sent as `Authorization: Bearer …`.
        public var token: SecretReference?
        /// The key of the body's HMAC-SHA256 signature header.
        public var secret: SecretReference?
        /// Where `url:` is in the config (or the flag), for messages about it.
        public var location: SourceLocation

        public init(url: String, token: SecretReference? = nil, secret: SecretReference? = nil, location: SourceLocation) {
            self.url = url
            self.token = token
            self.secret = secret
            self.location = location
        }
    }

    public struct SMTPChannel: Sendable, Hashable {
        public var url: String
        public var from: String
        /// The response team's addresses: every message, the whole province. May be empty
        /// when `mailAgencies` is set.
        public var to: [String]
        /// Also mail each agency's contacts (the inventory's e-mails) its own systems' changes.
        public var mailAgencies: Bool
        public var user: String?
        public var password: SecretReference?
        public var location: SourceLocation

        public init(url: String, from: String, to: [String], mailAgencies: Bool = false, user: String? = nil,
                    password: SecretReference? = nil, location: SourceLocation) {
            self.url = url
            self.from = from
            self.to = to
            self.mailAgencies = mailAgencies
            self.user = user
            self.password = password
            self.location = location
        }
    }

    /// Whether any channel is configured.
    public var hasChannel: Bool { webhook != nil || smtp != nil }

    /// The channels' secrets, read now: `govaudit schedule` calls it at start, so an unset
    /// variable or a secrets file others can read is exit 2 before the first scan, not a failed
    /// delivery hours later. Every problem is reported, each at its config line and field.
    public func secrets(environment: [String: String]) throws(InputErrors) -> AlertSecrets {
        var found = AlertSecrets(), errors: [InputError] = []
        func read(_ reference: SecretReference?) -> Secret? {
            guard let reference else { return nil }
            do { return try reference.read(environment: environment) } catch { errors.append(error); return nil }
        }
        found.webhookToken = read(webhook?.token)
        found.webhookSecret = read(webhook?.secret)
        found.smtpPassword = read(smtp?.password)
        if !errors.isEmpty { throw InputErrors(errors) }
        return found
    }

    /// Reads the section; problems go to `m.diagnostics` with their line and field.
    static func read(_ m: MappingReader, configFolder: String) -> AlertConfig {
        var alerts = AlertConfig()
        if let s = m.choice("min_severity", as: Severity.self) { alerts.minSeverity = s }
        if let d = m.choice("digest", as: DigestPeriod.self) { alerts.digest = d }
        if let w = m.mapping("webhook") {
            let url = checkedURL(w, schemes: ["https", "http"])
            let token = SecretReference.read(w, "token", configFolder: configFolder)
            let secret = SecretReference.read(w, "secret", configFolder: configFolder)
            w.finish()
            if let url { alerts.webhook = WebhookChannel(url: url, token: token, secret: secret, location: w.node("url")!.location) }
        }
        if let s = m.mapping("smtp") {
            let url = checkedURL(s, schemes: ["smtp", "smtps"])
            let from = address(s, "from", required: true)
            var to: [String] = []
            let agencies = s.bool("mail_agencies") ?? false
            if let items = s.list("to", required: !agencies) {
                if items.isEmpty && !agencies { m.diagnostics.report(s.node("to")!, "give at least one address (or mail_agencies: true)") }
                for item in items {
                    guard let text = item.scalar, MailAddress.isPlausible(text) else {
                        m.diagnostics.report(item, "expected an e-mail address such as attt@angiang.gov.vn")
                        continue
                    }
                    to.append(text)
                }
            }
            let user = s.string("user")
            let password = SecretReference.read(s, "password", configFolder: configFolder)
            if user != nil && password == nil {
                m.diagnostics.report(s.node("user")!, "a user needs password_env or password_file")
            } else if user == nil, password != nil {
                m.diagnostics.report(InputError(s.node.location, field: YAMLDocument.join(s.node.path, "user"),
                                                "password_env or password_file needs a user"))
            }
            s.finish()
            if let url, let from, !to.isEmpty || agencies {
                alerts.smtp = SMTPChannel(url: url, from: from, to: to, mailAgencies: agencies, user: user, password: password,
                                          location: s.node("url")!.location)
            }
        }
        m.finish()
        return alerts
    }

    /// A URL of one of `schemes`, with no password in it (that belongs in a secrets file).
    private static func checkedURL(_ m: MappingReader, schemes: [String]) -> String? {
        guard let url = m.string("url", required: true) else { return nil }
        if let problem = urlProblem(url, schemes: schemes, secretHint: "give user and password_env or password_file") {
            m.diagnostics.report(m.node("url")!, problem)
            return nil
        }
        return url
    }

    /// Why `url` cannot be a channel's destination, nil when it can: the config's fields and
    /// the command line's flags are checked alike. `secretHint` says where credentials go.
    public static func urlProblem(_ url: String, schemes: [String], secretHint: String) -> String? {
        guard let r = url.range(of: "://"), schemes.contains(url[..<r.lowerBound].lowercased()),
              url[r.upperBound...].contains(where: { $0 != "/" }) else {
            return "'\(Redaction.url(url))' is not a \(schemes.joined(separator: " or ")) URL"
        }
        guard !url.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }) else {
            return "no spaces or control characters in a URL"
        }
        let authority = url[r.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if authority.contains("@") {
            return "no user or password in the URL ('\(Redaction.url(url))'): \(secretHint)"
        }
        return nil
    }

    private static func address(_ m: MappingReader, _ key: String, required: Bool) -> String? {
        guard let text = m.string(key, required: required) else { return nil }
        guard MailAddress.isPlausible(text) else {
            m.diagnostics.report(m.node(key)!, "expected an e-mail address such as govaudit@angiang.gov.vn")
            return nil
        }
        return text
    }
}

/// The secrets of the alert channels, once read; each nil when the config names none.
public struct AlertSecrets: Sendable {
    public var webhookToken: Secret?
    public var webhookSecret: Secret?
    public var smtpPassword: Secret?

    public init() {}
}

/// Addresses checked only as far as it matters here: one `@`, no spaces, no control characters
/// (a line break in an address would let the config forge mail headers).
public enum MailAddress {
    public static func isPlausible(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".")
            && !text.unicodeScalars.contains { $0.value <= 0x20 || $0.value == 0x7F || "<>,;\"".unicodeScalars.contains($0) }
    }
}
