import ArgumentParser
import Foundation
import GovAuditAlerts
import GovAuditCore
import GovAuditService

/// `scan --alert` and its channels.
struct AlertOptions: ParsableArguments {
    @Flag(help: ArgumentHelp("After the scan, alert on what got worse since the previous complete scan of the same inventory and checks.",
                             discussion: "New findings at or above --alert-severity, findings whose severity rose, certificates crossing the policy's expiry thresholds, a scan that did not complete. One message per channel; a change already alerted is not alerted again until it resolves and comes back. A failed delivery never changes the exit code: it is kept and retried at the next scan. The channels: the flags below, else the config's `alerts:` section."))
    var alert = false

    @OptionGroup var channels: AlertChannelOptions

    func validate() throws {
        if channels.given && !alert { throw ValidationError("--webhook, --smtp and --mail-*: give --alert too") }
    }
}

/// The alert channels as flags, for `scan --alert` and `schedule`: each channel given here
/// replaces the config's channel of the same kind. Secrets come only from the environment or an
/// owner-only file (never a flag's value, which `ps` shows), through the config's own parser
/// (`SecretReference`), and are never printed.
struct AlertChannelOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Alert threshold for new and worsened findings. Default: the config's min_severity, else high.", valueName: "severity"))
    var alertSeverity: AlertSeverity?

    @Flag(help: "Also send a weekly digest of what is still open (at the first scan a week after the last digest).")
    var alertDigest = false

    @Option(help: ArgumentHelp("Webhook: POST each alert as JSON (Reports/schema/alert.schema.json) to this http(s) URL.", valueName: "url"))
    var webhook: String?

    @OptionGroup var webhookToken: SecretOption<WebhookToken>
    @OptionGroup var webhookSecret: SecretOption<WebhookSignatureKey>

    @Option(help: ArgumentHelp("E-mail: the SMTP server, smtp://host[:port] (STARTTLS) or smtps://host[:port].", valueName: "url"))
    var smtp: String?
    @Option(help: ArgumentHelp("SMTP login name.", valueName: "user"))
    var smtpUser: String?
    @OptionGroup var smtpPassword: SecretOption<SMTPPassword>
    @Option(help: ArgumentHelp("Sender address of alert e-mails.", valueName: "addr"))
    var mailFrom: String?
    @Option(help: ArgumentHelp("The response team's address (repeatable): it gets the whole province.", valueName: "addr"))
    var mailTo: [String] = []
    @Flag(help: "Also mail each agency's contacts (the inventory's e-mails) the changes of that agency's systems only.")
    var mailAgencies = false

    /// Whether any channel flag is given.
    var given: Bool {
        [webhook, smtp, mailFrom, smtpUser].contains { $0 != nil } || webhookToken.given || webhookSecret.given || smtpPassword.given
            || !mailTo.isEmpty || mailAgencies || alertDigest || alertSeverity != nil
    }

    func validate() throws {
        if webhook == nil && (webhookToken.given || webhookSecret.given) {
            throw ValidationError("--webhook-token-* and --webhook-secret-*: give --webhook URL too")
        }
        if let webhook, let problem = AlertConfig.urlProblem(webhook, schemes: ["https", "http"], secretHint: "give the token with --webhook-token-env or -file") {
            throw ValidationError("--webhook: \(problem)")
        }
        if let smtp {
            if let problem = AlertConfig.urlProblem(smtp, schemes: ["smtp", "smtps"], secretHint: "give --smtp-user and --smtp-password-env or -file") {
                throw ValidationError("--smtp: \(problem)")
            }
            guard let mailFrom, MailFormat.isPlainAddress(mailFrom) else { throw ValidationError("--smtp: give --mail-from ADDR (a plain address)") }
            if mailTo.isEmpty && !mailAgencies { throw ValidationError("--smtp: give --mail-to ADDR or --mail-agencies") }
            if let bad = mailTo.first(where: { !MailFormat.isPlainAddress($0) }) {
                throw ValidationError("--mail-to: '\(bad)' is not a plain address")
            }
            if (smtpUser != nil) != smtpPassword.given {
                throw ValidationError("--smtp-user and --smtp-password-env (or -file) go together")
            }
        } else if mailFrom != nil || !mailTo.isEmpty || mailAgencies || smtpUser != nil || smtpPassword.given {
            throw ValidationError("--mail-from, --mail-to, --mail-agencies, --smtp-user, --smtp-password-*: give --smtp URL too")
        }
        do { _ = try secretReferences() } catch { throw ValidationError(error.description) }
    }

    private func secretReferences() throws(InputError) -> (token: SecretReference?, secret: SecretReference?, password: SecretReference?) {
        (try webhookToken.reference(), try webhookSecret.reference(), try smtpPassword.reference())
    }

    /// The flags over the config's section: a channel given here replaces the config's; nil
    /// when neither names a channel.
    func over(_ configured: AlertConfig?) throws -> AlertConfig? {
        var alerts = configured ?? AlertConfig()
        let refs = try secretReferences()
        let here = SecretReference.commandLine
        if let webhook { alerts.webhook = AlertConfig.WebhookChannel(url: webhook, token: refs.token, secret: refs.secret, location: here) }
        if let smtp {
            alerts.smtp = AlertConfig.SMTPChannel(url: smtp, from: mailFrom ?? "", to: mailTo, mailAgencies: mailAgencies, user: smtpUser,
                                                  password: refs.password, location: here)
        }
        if let alertSeverity { alerts.minSeverity = alertSeverity.severity }
        if alertDigest { alerts.digest = .weekly }
        return alerts.hasChannel ? alerts : nil
    }

    /// The settings, secrets read now: a missing variable or a readable-by-others file is exit 2.
    /// Nil when no channel is configured.
    func settings(config: ServiceConfig?, language: Language, caFile: String?) throws -> AlertSettings? {
        guard let alerts = try over(config?.alerts) else { return nil }
        let secrets = try alerts.secrets(environment: ProcessInfo.processInfo.environment)
        return AlertSettings(alerts, secrets: secrets, language: language, caFile: caFile)
    }
}

enum AlertSeverity: String, ExpressibleByArgument, CaseIterable {
    case critical, high, medium, low, info
    var severity: Severity { Severity(rawValue: rawValue)! }
}
