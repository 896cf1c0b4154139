/// Who issues the official report (a văn bản hành chính under NĐ 30/2020/NĐ-CP): the bodies in
/// its header, the place on its date line, its signer and recipients. Data from the inventory's
/// `report:` section, never code: agencies merge and rename, signers change.
public struct ReportIssuer: Sendable, Hashable, Codable {
    /// The body above the issuer ("UBND TỈNH AN GIANG"); nil when the issuer has none.
    public var parentBody: String?
    /// The issuing body ("SỞ KHOA HỌC VÀ CÔNG NGHỆ").
    public var body: String
    /// The place of the date line ("An Giang").
    public var place: String
    public var signer: Signer
    /// "Nơi nhận", in order, without the leading "- " and trailing ";" the form adds.
    public var recipients: [String]
    /// The archive line ending the recipients; nil gives "Lưu: VT.".
    public var archive: String?

    public struct Signer: Sendable, Hashable, Codable {
        /// Signing on behalf ("KT. GIÁM ĐỐC"); nil when the head signs.
        public var onBehalf: String?
        /// "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC".
        public var title: String
        public var name: String

        public init(onBehalf: String? = nil, title: String, name: String) {
            self.onBehalf = onBehalf
            self.title = title
            self.name = name
        }
    }

    public init(parentBody: String? = nil, body: String, place: String, signer: Signer, recipients: [String], archive: String? = nil) {
        self.parentBody = parentBody
        self.body = body
        self.place = place
        self.signer = signer
        self.recipients = recipients
        self.archive = archive
    }
}
