import Foundation
import GovAuditCore
import GovAuditNet
import GovAuditService

/// How one message's delivery went.
public struct DeliveryResult: Sendable, Hashable {
    /// The idempotency id.
    public var id: String
    public var channel: String
    public var delivered: Bool
    /// Tries made this time.
    public var attempts: Int
    /// The last failure (secrets redacted); nil once delivered.
    public var error: String?
    /// The destination refused it for good (HTTP 4xx but 408 and 429, SMTP 5yz, an unusable
    /// destination): recorded as failed and never tried again. Otherwise a failure stays pending.
    public var permanent = false
}

/// Sends a message through its channel, retrying transient failures with a bounded backoff and
/// stopping at the first permanent one. The webhook gets the stored JSON as is (so a retry sends
/// the same bytes, the same signature); mail is rendered from it.
public struct AlertSender: Sendable {
    public var settings: AlertSettings
    /// Waits between tries; tests pass a shorter one.
    public var sleep: @Sendable (Duration) async -> Void

    public init(settings: AlertSettings, sleep: @escaping @Sendable (Duration) async -> Void = { try? await Task.sleep(for: $0) }) {
        self.settings = settings
        self.sleep = sleep
    }

    /// The signature header's value for `body` under `secret`: `sha256=<hex HMAC-SHA256>`.
    public static func signature(_ body: [UInt8], secret: Secret) -> String {
        "sha256=" + Digest.hmacSHA256Hex(key: Array(secret.reveal().utf8), body)
    }

    public func send(_ payload: String, channel: String, at now: Date = Date()) async -> DeliveryResult {
        let message: AlertMessage
        do { message = try AlertMessage.decode(payload) } catch {
            return DeliveryResult(id: "?", channel: channel, delivered: false, attempts: 0,
                                  error: "the stored message cannot be read: \(error)")
        }
        let attempt: @Sendable () -> Result<Void, OutboundFailure>
        do { attempt = try transfer(message, body: Array(payload.utf8), channel: channel, at: now) } catch {
            return DeliveryResult(id: message.id, channel: channel, delivered: false, attempts: 0, error: error.description)
        }
        var tries = 0, last: String?
        var wait = settings.delivery.backoff
        while tries < settings.delivery.attempts {
            tries += 1
            let outcome = await withCheckedContinuation { c in DispatchQueue.global().async { c.resume(returning: attempt()) } }
            switch outcome {
            case .success: return DeliveryResult(id: message.id, channel: channel, delivered: true, attempts: tries, error: nil)
            case .failure(let f) where f.isPermanent:
                return DeliveryResult(id: message.id, channel: channel, delivered: false, attempts: tries,
                                      error: redacted(f.description), permanent: true)
            case .failure(let f): last = f.description
            }
            if tries < settings.delivery.attempts {
                await sleep(wait)
                wait = min(wait * 2, settings.delivery.maxBackoff)
            }
        }
        return DeliveryResult(id: message.id, channel: channel, delivered: false, attempts: tries, error: redacted(last ?? "?"))
    }

    struct NotConfigured: Error, CustomStringConvertible { var description: String }

    /// The one transfer a try makes, checked and built once.
    private func transfer(_ m: AlertMessage, body: [UInt8], channel: String, at now: Date) throws(NotConfigured) -> @Sendable () -> Result<Void, OutboundFailure> {
        let ms = settings.delivery.timeout.wholeMilliseconds
        let transport = OutboundTransfer(caFile: settings.caFile, timeoutMilliseconds: ms)
        if channel == "webhook" {
            guard let hook = settings.webhook else { throw NotConfigured(description: "no webhook is configured now; kept for later") }
            var headers = ["Content-Type: application/json; charset=utf-8", "Idempotency-Key: \(m.id)",
                           "X-GovAudit-Delivery: \(m.id)", "X-GovAudit-Event: \(m.kind.rawValue)"]
            if let secret = hook.secret { headers.append("X-GovAudit-Signature: " + Self.signature(body, secret: secret)) }
            if let token = hook.token {
                guard !token.reveal().contains(where: \.isNewline) else { throw NotConfigured(description: "the webhook token holds a line break") }
                headers.append("Authorization: Bearer \(token.reveal())")
            }
            let (url, fields) = (hook.url, headers)
            return { transport.post(url, body: body, headers: fields).map { _ in () } }
        }
        guard channel == "mail" || channel.hasPrefix("mail:"), let mail = settings.mail else {
            throw NotConfigured(description: "no SMTP server is configured now for channel \(channel); kept for later")
        }
        let to = (m.recipients ?? []).filter(MailFormat.isPlainAddress)
        guard !to.isEmpty, MailFormat.isPlainAddress(mail.from) else {
            throw NotConfigured(description: "no usable sender or recipient address for channel \(channel)")
        }
        let bytes = MailFormat.message(AlertText(m), from: mail.from, to: to, date: now)
        return { transport.sendMail(mail.url, from: mail.from, to: to, message: bytes, user: mail.user,
                                    password: mail.password?.reveal(), requireTLS: mail.requireTLS) }
    }

    /// A failure's text without the destinations' credentials.
    func redacted(_ text: String) -> String {
        Redaction.secrets(text, [settings.webhook?.token, settings.webhook?.secret, settings.mail?.password])
    }
}
