import Foundation

/// The parts of a minimal WordprocessingML package around a body: content types, relationships,
/// styles (Times New Roman 13 pt by default, Vietnamese), a header holding the page number
/// (centred in the top margin from the second page on, as NĐ 30/2020 places it) and the A4 page.
enum DOCXPackage {
    /// A4 portrait in twentieths of a point, and NĐ 30/2020's margins at their usual values:
    /// top and bottom 20 mm, left 30 mm, right 15 mm (the decree allows 20–25, 20–25, 30–35, 15–20).
    static let pageWidth = 11906, pageHeight = 16838
    static let margins = (top: 1134, bottom: 1134, left: 1701, right: 851)
    /// The width between the margins, for tables.
    static var textWidth: Int { pageWidth - margins.left - margins.right }

    static let main = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    static let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    static let xmlHead = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"

    /// The .docx bytes of `body` (paragraphs and tables).
    static func package(body: String, title: String) -> Data {
        var zip = StoredZip()
        zip.add("[Content_Types].xml", Data((xmlHead + """
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>\
        <Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>\
        <Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>\
        <Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>\
        </Types>
        """).utf8))
        zip.add("_rels/.rels", Data((xmlHead + """
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="\(rel)/officeDocument" Target="word/document.xml"/>\
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>\
        </Relationships>
        """).utf8))
        zip.add("docProps/core.xml", Data((xmlHead + """
        <cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
        xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>\(WordML.text(title))</dc:title>\
        <dc:language>vi-VN</dc:language></cp:coreProperties>
        """).utf8))
        zip.add("word/_rels/document.xml.rels", Data((xmlHead + """
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="\(rel)/styles" Target="styles.xml"/>\
        <Relationship Id="rId2" Type="\(rel)/header" Target="header1.xml"/>\
        </Relationships>
        """).utf8))
        zip.add("word/styles.xml", Data((xmlHead + """
        <w:styles xmlns:w="\(main)"><w:docDefaults><w:rPrDefault><w:rPr>\
        <w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="Times New Roman" w:cs="Times New Roman"/>\
        <w:color w:val="000000"/><w:sz w:val="26"/><w:szCs w:val="26"/><w:lang w:val="vi-VN" w:eastAsia="vi-VN" w:bidi="ar-SA"/>\
        </w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault>\
        </w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>\
        <w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>\
        <w:tblPr><w:tblCellMar><w:left w:w="70" w:type="dxa"/><w:right w:w="70" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>\
        </w:styles>
        """).utf8))
        zip.add("word/header1.xml", Data((xmlHead + """
        <w:hdr xmlns:w="\(main)"><w:p><w:pPr><w:jc w:val="center"/></w:pPr>\
        <w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>\
        <w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>2</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>\
        </w:p></w:hdr>
        """).utf8))
        let m = margins
        zip.add("word/document.xml", Data((xmlHead + """
        <w:document xmlns:w="\(main)" xmlns:r="\(rel)"><w:body>\(body)\
        <w:sectPr><w:headerReference w:type="default" r:id="rId2"/>\
        <w:pgSz w:w="\(pageWidth)" w:h="\(pageHeight)" w:orient="portrait"/>\
        <w:pgMar w:top="\(m.top)" w:right="\(m.right)" w:bottom="\(m.bottom)" w:left="\(m.left)" w:header="567" w:footer="567" w:gutter="0"/>\
        <w:titlePg/></w:sectPr></w:body></w:document>
        """).utf8))
        return zip.finished()
    }
}
