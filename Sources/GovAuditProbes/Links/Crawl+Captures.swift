import Foundation
import GovAuditCore
import GovAuditNet

extension Crawl {
    /// A response as kept for the evidence bundles: its first `maxCaptureBytes` bytes and their
    /// SHA-256, the headers as received. Nothing in it is parsed again.
    func capture(_ r: HTTPResponse, page: String, visitor: String) -> RawCapture {
        let kept = Array(r.body.prefix(max(0, options.maxCaptureBytes)))
        return RawCapture(page: page, visitor: visitor, url: r.finalURL, fetchedAt: Timestamp(Date()).description, status: r.status,
                          headers: r.headers.map { HeaderField($0.name, $0.value) }, body: Data(kept), size: r.body.count,
                          truncated: kept.count < r.body.count, sha256: Digest.sha256Hex(kept))
    }
}
