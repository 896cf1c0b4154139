#!/usr/bin/python3
"""Reads a DOCX package with Python's zipfile and XML parser (independent of GovAudit's writer)
and prints JSON: the entries, the first entry whose CRC is wrong, every XML part parsed (an
error names the part), the page size and margins of word/document.xml, the default font of
word/styles.xml, the text of each paragraph, and each table's border style and rows' texts."""
import json
import sys
import zipfile
from xml.dom import minidom

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def attr(node, name):
    return node.getAttributeNS(W, name) or node.getAttribute("w:" + name)


def texts(node):
    return "".join(t.firstChild.data for t in node.getElementsByTagNameNS(W, "t") if t.firstChild)


def main(path):
    z = zipfile.ZipFile(path)
    out = {"entries": z.namelist(), "badCRC": z.testzip(), "parseErrors": []}
    parts = {}
    for name in z.namelist():
        if name.endswith(".xml") or name.endswith(".rels"):
            try:
                parts[name] = minidom.parseString(z.read(name))
            except Exception as e:  # the test reports which part is not XML
                out["parseErrors"].append(f"{name}: {e}")
    doc = parts["word/document.xml"]
    size = doc.getElementsByTagNameNS(W, "pgSz")[0]
    margins = doc.getElementsByTagNameNS(W, "pgMar")[0]
    out["page"] = {k: int(attr(size, k)) for k in ("w", "h")}
    out["margins"] = {k: int(attr(margins, k)) for k in ("top", "bottom", "left", "right")}
    fonts = parts["word/styles.xml"].getElementsByTagNameNS(W, "rFonts")[0]
    out["font"] = attr(fonts, "ascii")
    out["sizes"] = sorted({int(attr(s, "val")) for s in doc.getElementsByTagNameNS(W, "sz")})
    body = doc.getElementsByTagNameNS(W, "body")[0]
    out["paragraphs"] = [texts(p) for p in body.getElementsByTagNameNS(W, "p")]
    out["tables"] = []
    for tbl in body.getElementsByTagNameNS(W, "tbl"):
        border = tbl.getElementsByTagNameNS(W, "tblBorders")[0].getElementsByTagNameNS(W, "top")[0]
        rows = [[texts(c) for c in r.getElementsByTagNameNS(W, "tc")] for r in tbl.getElementsByTagNameNS(W, "tr")]
        out["tables"].append({"border": attr(border, "val"), "rows": rows})
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1])
