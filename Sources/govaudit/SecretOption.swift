import ArgumentParser
import GovAuditCore
import GovAuditService

/// Names one secret's pair of flags and says what the secret is.
protocol SecretFlag {
    /// `webhook-token`: the flags are `--webhook-token-env` and `--webhook-token-file`.
    static var name: String { get }
    /// "the webhook's bearer token", in both flags' help.
    static var holds: String { get }
}

/// One secret on the command line: `--<name>-env VARIABLE` or `--<name>-file PATH` (a file only
/// its owner can read), never the value itself, which `ps` would show. Declared once per secret
/// as an `@OptionGroup`, and read through the config's own parser (`SecretReference.flags`).
struct SecretOption<Flag: SecretFlag>: ParsableArguments {
    @Option(name: .customLong(Flag.name + "-env"), help: ArgumentHelp("Environment variable holding \(Flag.holds).", valueName: "name"))
    var env: String?

    @Option(name: .customLong(Flag.name + "-file"), help: ArgumentHelp("Owner-only file (mode 0600) holding \(Flag.holds).", valueName: "file"))
    var file: String?

    var given: Bool { env != nil || file != nil }

    /// Nil when neither flag is given; both, or a bad variable name, is an error naming the flag.
    func reference() throws(InputError) -> SecretReference? {
        try SecretReference.flags(env: env, file: file, option: "--" + Flag.name)
    }
}

enum WebhookToken: SecretFlag {
    static let name = "webhook-token"
    static let holds = "the webhook's bearer token"
}

enum WebhookSignatureKey: SecretFlag {
    static let name = "webhook-secret"
    static let holds = "the key of the X-GovAudit-Signature HMAC-SHA256"
}

enum SMTPPassword: SecretFlag {
    static let name = "smtp-password"
    static let holds = "the SMTP password (STARTTLS is then required)"
}
