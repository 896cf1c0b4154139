import GovAuditCore
import GovAuditService

extension AlertSettings {
    /// The settings of an `alerts:` section (the config file's, with the command line's channel
    /// flags over it), its secrets already read: the one way `scan --alert` and `schedule`
    /// turn what the operator wrote into where alerts go.
    public init(_ c: AlertConfig, secrets: AlertSecrets, language: Language, caFile: String?) {
        let digest: Duration? = switch c.digest {
        case .none: nil
        case .daily: .seconds(86_400)
        case .weekly: .seconds(7 * 86_400)
        }
        self.init(minSeverity: c.minSeverity, language: language,
                  webhook: c.webhook.map { WebhookChannel(url: $0.url, token: secrets.webhookToken, secret: secrets.webhookSecret) },
                  mail: c.smtp.map { MailChannel(url: $0.url, from: $0.from, to: $0.to, user: $0.user, password: secrets.smtpPassword) },
                  mailAgencies: c.smtp?.mailAgencies ?? false, caFile: caFile, digestEvery: digest)
    }
}
