import Foundation
import GovAuditCore
import GovAuditFiles

/// Where a scan reads the Public Suffix List, by which drift groups outbound links into
/// registrable domains: Debian's `publicsuffix` package (make setup installs it), or the file
/// `$GOVAUDIT_PUBLIC_SUFFIX_LIST` names.
enum PublicSuffixFile {
    static let debianPath = "/usr/share/publicsuffix/public_suffix_list.dat"
    static let package = "publicsuffix"
    /// The list is about 250 KB; a file many times that is not it.
    static let sizeLimit = 8 << 20

    static var path: String {
        ProcessInfo.processInfo.environment["GOVAUDIT_PUBLIC_SUFFIX_LIST"].flatMap { $0.isEmpty ? nil : $0 } ?? debianPath
    }

    /// The list; a missing, unreadable or empty file is exit 2, saying what it is for and how
    /// to install it.
    static func load() throws -> PublicSuffixList {
        let path = path
        let hint = "the Public Suffix List groups a site's outbound links into domains for drift: install the Debian package \(package) (apt-get install \(package)), or name the file in $GOVAUDIT_PUBLIC_SUFFIX_LIST"
        let text: String
        do { text = try InputFile.text(path, limit: sizeLimit) } catch {
            throw InputErrors([InputError(error.location, "\(error.message); \(hint)")])
        }
        let list = PublicSuffixList(text: text)
        guard list.count > 0 else { throw InputErrors([InputError(SourceLocation(file: path), "no rule in the file; \(hint)")]) }
        return list
    }
}
