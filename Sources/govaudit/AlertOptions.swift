import ArgumentParser
import Foundation
import GovAuditAlerts
import GovAuditCore

/// `scan --alert` and its channels. Secrets come only from the environment or an owner-only
/// file (never a flag's value, which `ps` shows), and are never printed.
struct AlertOptions: ParsableArguments {
    @Flag(help: ArgumentHelp("After the scan, alert on what got worse since the previous complete scan of the same inventory and checks.",
                             discussion: "New findings at or above --alert-severity, findings whose severity rose, certificates crossing the policy's expiry thresholds, a scan that did not complete. One message per channel; a change already alerted is not alerted again until it resolves and comes back. A failed delivery never changes the exit code: it is kept and retried at the next scan."))
    var alert = false

    @Option(help: ArgumentHelp("Alert threshold for new and worsened findings.", valueName: "severity"))
    var alertSeverity: AlertSeverity = .high

    @Flag(help: "Also send a weekly digest of what is still open (at the first scan a week after the last digest).")
    var alertDigest = false

    @Option(help: ArgumentHelp("Webhook: POST each alert as JSON (Reports/schema/alert.schema.json) to this http(s) URL.", valueName: "url"))
    var webhook: String?

    @Option(help: ArgumentHelp("Environment variable holding the webhook's bearer token.", valueName: "name"))
    var webhookTokenEnv: String?
    @Option(help: ArgumentHelp("Owner-only file (mode 0600) holding the webhook's bearer token.", valueName: "file"))
    var webhookTokenFile: String?
    @Option(help: ArgumentHelp("Environment variable holding the key of the X-GovAudit-Signature HMAC-SHA256.", valueName: "name"))
    var webhookSecretEnv: String?
    @Option(help: ArgumentHelp("Owner-only file (mode 0600) holding the signature key.", valueName: "file"))
    var webhookSecretFile: String?

    @Option(help: ArgumentHelp("E-mail: the SMTP server, smtp://host[:port] (STARTTLS) or smtps://host[:port].", valueName: "url"))
    var smtp: String?
    @Option(help: ArgumentHelp("SMTP login name.", valueName: "user"))
    var smtpUser: String?
    @Option(help: ArgumentHelp("Environment variable holding the SMTP password (STARTTLS is then required).", valueName: "name"))
    var smtpPasswordEnv: String?
    @Option(help: ArgumentHelp("Owner-only file (mode 0600) holding the SMTP password.", valueName: "file"))
    var smtpPasswordFile: String?
    @Option(help: ArgumentHelp("Sender address of alert e-mails.", valueName: "addr"))
    var mailFrom: String?
    @Option(help: ArgumentHelp("The response team's address (repeatable): it gets the whole province.", valueName: "addr"))
    var mailTo: [String] = []
    @Flag(help: "Also mail each agency's contacts (the inventory's e-mails) the changes of that agency's systems only.")
    var mailAgencies = false

    func validate() throws {
        let channelFlags = [webhook, smtp, mailFrom].contains { $0 != nil } || !mailTo.isEmpty || mailAgencies || alertDigest
        if channelFlags && !alert { throw ValidationError("--webhook, --smtp and --mail-*: give --alert too") }
        guard alert else { return }
        if webhook == nil && smtp == nil { throw ValidationError("--alert: give a channel, --webhook URL or --smtp URL") }
        for (flag, url) in [("--webhook", webhook), ("--smtp", smtp)] {
            guard let url else { continue }
            if Redact.url(url) != url {
                throw ValidationError("\(flag): no user or password in the URL; give the secret with an -env or -file option")
            }
        }
        if let webhook, !["http", "https"].contains(URL(string: webhook)?.scheme?.lowercased() ?? "") {
            throw ValidationError("--webhook: give an http:// or https:// URL")
        }
        if let smtp {
            if !["smtp", "smtps"].contains(URL(string: smtp)?.scheme?.lowercased() ?? "") {
                throw ValidationError("--smtp: give an smtp:// or smtps:// URL")
            }
            guard let mailFrom, MailFormat.isPlainAddress(mailFrom) else { throw ValidationError("--smtp: give --mail-from ADDR (a plain address)") }
            if mailTo.isEmpty && !mailAgencies { throw ValidationError("--smtp: give --mail-to ADDR or --mail-agencies") }
            if let bad = mailTo.first(where: { !MailFormat.isPlainAddress($0) }) {
                throw ValidationError("--mail-to: '\(bad)' is not a plain address")
            }
        } else if mailFrom != nil || !mailTo.isEmpty || mailAgencies {
            throw ValidationError("--mail-from, --mail-to, --mail-agencies: give --smtp URL too")
        }
        for (a, b) in [(webhookTokenEnv, webhookTokenFile), (webhookSecretEnv, webhookSecretFile), (smtpPasswordEnv, smtpPasswordFile)]
        where a != nil && b != nil {
            throw ValidationError("give a secret either from the environment or from a file, not both")
        }
    }

    /// The settings, secrets read now: a missing variable or a readable-by-others file is exit 2.
    func settings(language: Language, caFile: String?) throws -> AlertSettings? {
        guard alert else { return nil }
        func secret(_ env: String?, _ file: String?, _ option: String) throws -> Secret? {
            if let env { return try Secret.environment(env, option: option + "-env") }
            if let file { return try Secret.file(file, option: option + "-file") }
            return nil
        }
        let hook = try webhook.map {
            WebhookChannel(url: $0, token: try secret(webhookTokenEnv, webhookTokenFile, "--webhook-token"),
                           secret: try secret(webhookSecretEnv, webhookSecretFile, "--webhook-secret"))
        }
        let mail = try smtp.map {
            MailChannel(url: $0, from: mailFrom ?? "", to: mailTo, user: smtpUser,
                        password: try secret(smtpPasswordEnv, smtpPasswordFile, "--smtp-password"))
        }
        return AlertSettings(minSeverity: alertSeverity.severity, language: language, webhook: hook, mail: mail,
                             mailAgencies: mailAgencies, caFile: caFile, digestEvery: alertDigest ? .seconds(7 * 86_400) : nil)
    }
}

enum AlertSeverity: String, ExpressibleByArgument, CaseIterable {
    case critical, high, medium, low, info
    var severity: Severity { Severity(rawValue: rawValue)! }
}
