import Testing
@testable import GovAuditCore

@Suite("Keyword lists folded once")
struct VietnameseTextTests {
    let list = VietnameseText.Keywords(["nổ hũ", "cá cược", "slot", "Đá Gà"])

    @Test("whole words only, at either end of the text too, in the list's order and as the list writes them")
    func wholeWords() {
        #expect(list.found(in: .init("CÁ CƯỢC, nổ-hũ!")) == ["nổ hũ", "cá cược"])
        #expect(list.found(in: .init("slot")) == ["slot"])
        #expect(list.found(in: .init("da ga truc tiep")) == ["Đá Gà"])
        #expect(list.found(in: .init("slots cá cượcs xnổ hũ")).isEmpty)
        #expect(list.found(in: .init("")).isEmpty)
    }

    @Test("the same answers as matching one text against one list at a time")
    func sameAsMatches() {
        let texts = ["Trang ca cuoc bong da", "https://x.example/no-hu", "Hội nghị tổng kết", "  slot  ", "đá gà đá gà"]
        for t in texts {
            #expect(list.found(in: .init(t)) == VietnameseText.matches(t, keywords: ["nổ hũ", "cá cược", "slot", "Đá Gà"]))
        }
    }
}
