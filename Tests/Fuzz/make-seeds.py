#!/usr/bin/env python3
"""Writes the fuzzers' seed inputs into seeds/<target>/: a few real-looking samples each, shaped
like the lab's pages and servers (Tests/Lab/lab.py). Run it again after changing a sample; the
files are committed so `make fuzz` needs nothing else."""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def write(target, name, data):
    folder = os.path.join(HERE, "seeds", target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


# --- HTML: the lab's page template with its injection shapes ----------------------------------
PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>{title}</title>{head}</head>
<body>
<header><h1>{title}</h1><nav><a href="/">Trang chủ</a> <a href="/gioi-thieu.html">Giới thiệu</a>
<a href="https://dichvucong.gov.vn/">Cổng Dịch vụ công quốc gia</a></nav></header>
<main>{body}</main>
<footer>Cơ quan chủ quản: UBND tỉnh An Giang. <a href="https://www.facebook.com/angiang.gov.vn">Facebook</a></footer>
</body></html>
"""
G = "https://kuwin88.example"
NEWS = '<article><h2>Tin tức</h2><p>Hội nghị tổng kết công tác năm.</p><img src="/anh/hoi-nghi.jpg" alt="Hội nghị"></article>'


def page(title, body, head=""):
    return PAGE.format(title=title, body=body, head=head)


write("html", "hidden-links.html", page("Sở Tư pháp", NEWS
      + f'<div style="display:none"><a href="{G}/dang-ky">cá cược bóng đá</a></div>'
      + f'<a href="{G}/no-hu" style="visibility: hidden">nổ hũ thần tài</a>'
      + f'<p style="font-size:0px"><a href="{G}/tai-xiu">tài xỉu online</a></p>'
      + f'<div style="position:absolute; left:-9999px; top:0"><span><a href="{G}/lo-de">đánh lô đề online</a></span></div>'
      + f'<iframe src="{G}/embed" width="0" height="0" style="border:0"></iframe>'
      + f'<a href="{G}/r" title="game bài đổi thưởng"><img src="/logo.png" alt="game bài đổi thưởng"></a>'))
write("html", "redirects.html", page("Tin 1", '<p>Đang chuyển hướng…</p><script>window.location.href = "' + G
      + '/j"; setTimeout(function(){location.replace("' + G + '/404")}, 10)</script>',
      head=f'<base href="https://cdn.angiang.gov.vn/"><meta http-equiv="refresh" content="0; url={G}/m">'))
write("html", "hostile-text.html", page("Nhà cái uy tín – cá cược", f'<a href="{G}/x" title="&lt;script&gt;alert(1)&lt;/script&gt;">casino <b>&lt;img src=x onerror=alert(1)&gt;</b></a> '
      + f'<a href="{G}/a" title="\u202Egnp.exe">casino tài liệu \u202Efdp.exe</a> '
      + f'<a href="{G}/b">=HYPERLINK("http://kuwin88.example","casino")</a> '
      + f'<a href="{G}/c">casino \x1b[31mđỏ\x1b[0m \x1b]0;pwned\x07</a>'))
write("html", "references.html", page("Tài liệu", '<map name="m"><area href="/lien-he.html" alt="Liên hệ"></map>'
      + '<picture><source srcset="/anh/a.webp 1x, /anh/a@2x.webp 2x"><img srcset="/anh/a.jpg 1x" src="/anh/a.jpg"></picture>'
      + '<form action="/tim-kiem" method="get"><input name="q"></form><object data="/tai-lieu/bao-cao.pdf"></object>'
      + '<embed src="/video.swf"><link rel="stylesheet" href="/css/site.css"><script src="//cdn.example/x.js"></script>'
      + '<a href="javascript:void(0)">#</a> <a href="mailto:stp@angiang.gov.vn">Thư</a> <a href="tel:02963852123">Gọi</a>'
      + '<p hidden><a href="/an">ẩn</a></p><p style="opacity:0; text-indent:-9999px">chữ ẩn</p>'))
write("html", "deep-nesting.html", page("Sâu", "<div>" * 900 + f'<a href="{G}/sau">đá gà trực tiếp</a>' + "</div>" * 900))
write("html", "broken.html", b'<html><head><title>\xff\xfe broken</title><body><a href="/\x00x">a<table><tr><td><a href=/y>b</td></a></table><!-- unclosed <div style="display:none')


# --- TLS: what a server answers to a ClientHello ----------------------------------------------
def record(ctype, version, body):
    return struct.pack(">BHH", ctype, version, len(body)) + body


def server_hello(version, suite, extensions=b"", random=bytes(range(32)), session=b""):
    body = struct.pack(">H", version) + random + bytes([len(session)]) + session + struct.pack(">HB", suite, 0)
    if extensions:
        body += struct.pack(">H", len(extensions)) + extensions
    hs = bytes([2]) + struct.pack(">I", len(body))[1:] + body
    return record(0x16, 0x0303, hs)


def ext(kind, data):
    return struct.pack(">HH", kind, len(data)) + data


HRR = bytes.fromhex("CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C")
write("tls", "tls12-serverhello", server_hello(0x0303, 0xC02F, ext(0xFF01, b"\x00") + ext(0x000B, b"\x01\x00"), session=bytes(32)))
write("tls", "tls13-serverhello", server_hello(0x0303, 0x1301, ext(0x002B, b"\x03\x04") + ext(0x0033, struct.pack(">HH", 0x001D, 32) + bytes(32)),
                                               session=bytes(range(32))))
write("tls", "hello-retry", server_hello(0x0303, 0x1302, ext(0x002B, b"\x03\x04") + ext(0x0033, b"\x00\x17"), random=HRR))
write("tls", "tls10-serverhello", server_hello(0x0301, 0x002F))
write("tls", "alert-handshake-failure", record(0x15, 0x0303, b"\x02\x28"))
KINDS = bytes.fromhex("010080" "020080" "030080" "040080" "050080" "060040" "0700C0")
V2 = bytes([4, 0, 1]) + struct.pack(">HHHH", 0x0002, 0, len(KINDS), 16) + KINDS + bytes(range(16))
write("tls", "sslv2-serverhello", struct.pack(">H", 0x8000 | len(V2)) + V2)
write("tls", "http-answer", b"HTTP/1.1 400 Bad Request\r\nServer: nginx\r\nContent-Length: 0\r\n\r\n")


# --- DNS: answers as a resolver returns them --------------------------------------------------
def name(n):
    return b"".join(bytes([len(l)]) + l.encode() for l in n.split(".") if l) + b"\x00"


def message(qname, qtype, answers, rcode=0, flags=0x8180):
    head = struct.pack(">HHHHHH", 0x1234, flags | rcode, 1, len(answers), 0, 0)
    question = name(qname) + struct.pack(">HH", qtype, 1)
    return head + question + b"".join(answers)


PTR = b"\xc0\x0c"  # the question's name


def rr(owner, rtype, ttl, rdata):
    return owner + struct.pack(">HHIH", rtype, 1, ttl, len(rdata)) + rdata


write("dns", "a-compressed", message("sotuphap.angiang.gov.vn", 1, [rr(PTR, 1, 300, bytes([203, 0, 113, 10])), rr(PTR, 1, 300, bytes([203, 0, 113, 11]))]))
write("dns", "aaaa", message("sotuphap.angiang.gov.vn", 28, [rr(PTR, 28, 300, bytes.fromhex("20010db8000000000000000000000010"))]))
write("dns", "cname-chain", message("www.angiang.gov.vn", 1, [rr(PTR, 5, 60, b"\x06portal" + b"\xc0\x10"),
                                                          rr(b"\xc0\x30", 1, 60, bytes([198, 51, 100, 7]))]))
write("dns", "mx-ns", message("angiang.gov.vn", 15, [rr(PTR, 15, 3600, b"\x00\x0a\x04mail" + PTR), rr(PTR, 2, 3600, b"\x03ns1" + PTR),
                                                     rr(PTR, 2, 3600, name("ns2.vnnic.vn"))]))
write("dns", "dnskey-ds", message("angiang.gov.vn", 48, [rr(PTR, 48, 3600, struct.pack(">HBB", 257, 3, 13) + bytes(range(64))),
                                                          rr(PTR, 43, 3600, struct.pack(">HBB", 12345, 13, 2) + bytes(32))]))
write("dns", "nxdomain-soa", message("khong-co.angiang.gov.vn", 1, [], rcode=3)
      + b"")  # no answers; the authority section is not read
write("dns", "truncated", message("angiang.gov.vn", 1, [rr(PTR, 1, 300, bytes([203, 0, 113, 1]))], flags=0x8380)[:-3])


# --- HTTP headers: the plain-HTTP answer, an empty line, the HTTPS answer ----------------------
def answers(plain, https):
    return "\r\n".join(plain) + "\r\n\r\n" + "\r\n".join(https) + "\r\n"


write("headers", "good", answers(["HTTP/1.1 301 Moved Permanently", "Server: nginx", "Location: https://sotuphap.angiang.gov.vn/"],
                                 ["HTTP/2 200", "Strict-Transport-Security: max-age=31536000; includeSubDomains; preload",
                                  "X-Content-Type-Options: nosniff", "X-Frame-Options: SAMEORIGIN", "Content-Security-Policy: default-src 'self'",
                                  "Referrer-Policy: strict-origin-when-cross-origin"]))
write("headers", "weak", answers(["HTTP/1.1 302 Found", "Server: Apache/2.4.41 (Ubuntu)", "X-Powered-By: PHP/7.4.3", "Location: /index.php"],
                                 ["HTTP/1.1 200 OK", "Server: Microsoft-IIS/8.5", "X-AspNet-Version: 4.0.30319",
                                  "Strict-Transport-Security: max-age=\"300\"", "Strict-Transport-Security: max-age=63072000"]))
write("headers", "odd-hsts", answers(["HTTP/1.1 200 OK"],
                                     ["HTTP/1.1 200 OK", "strict-transport-security: MAX-AGE=0;;includesubdomains ; preload=yes",
                                      "Location: //evil.example/%2e%2e", "X-Frame-Options:"]))
write("headers", "hsts-values", "\r\n\r\n" + "\r\n".join("Strict-Transport-Security: " + v for v in [
    "max-age=31536000", "max-age=-1", "max-age=+5", "max-age = 10 ; includeSubDomains", "max-age=99999999999999999999",
    "includeSubDomains", "max-age=\"\"", "max-age=1; max-age=2", "max-age=1\x00"]) + "\r\n")


# --- Inventory YAML, CSV and policy: the project's own files and small shapes of them ---------
def copy(target, name, source):
    with open(os.path.join(ROOT, source), "rb") as f:
        write(target, name, f.read())


copy("inventory", "small.yaml", "Tests/GovAuditCLITests/Fixtures/small.yaml")
copy("inventory", "broken.yaml", "Tests/GovAuditInventoryTests/Fixtures/broken.yaml")
write("inventory", "flow.yaml", 'version: 1\nname: "X"\nagencies: [{id: a, name: "A"}]\nsystems: [{id: s, name: "S", agency: a, level: 2, '
      'dossier: {status: submitted}, endpoints: ["https://a.gov.vn:8443/x", "mail.a.gov.vn"], tags: [a, b]}]\n')
write("inventory", "anchors.yaml", "version: 1\nname: &n X\nagencies:\n  - &a {id: a, name: *n}\nsystems: []\nextra: *a\n")
# The example province (Policies/inventory/angiang.yaml) is a seed too: make fuzz passes its folder.

CSV_HEADER = ("id,name,agency_id,agency_name,level,dossier_status,decision_number,decision_date,decision_authority,decision_role,"
              "endpoints,assessment_date,assessor,national_connected,tags")
CSV_ROWS = [
    'dichvucong,Cổng dịch vụ công tỉnh,vpubnd,Văn phòng UBND tỉnh,3,approved,1234/QĐ-UBND,15/03/2023,UBND tỉnh An Giang,owner,'
    '"https://dichvucong.angiang.gov.vn/; https://e-services.angiang.gov.vn/",2026-03-01,"Công ty A, chi nhánh B",có,"public-service;portal"',
    'baydien,"Hệ thống bẫy đèn ""thông minh""",sonnmt,Sở Nông nghiệp và Môi trường,1,drafting,,,,,,,,,',
]
text = "\r\n".join([CSV_HEADER] + CSV_ROWS) + "\r\n"
write("csv", "utf8-bom-crlf.csv", b"\xef\xbb\xbf" + text.encode())
write("csv", "utf16le.csv", b"\xff\xfe" + text.encode("utf-16-le"))
write("csv", "semicolons.csv", "\n".join(l.replace(",", ";") for l in [CSV_HEADER.replace(",tags", ""), "a;A;x;X;2;none;;;;;;;;"]) + "\n")
write("csv", "layers.csv", "id,name,agency_id,level,dossier_status,onsite_unit,onsite_staff,monitoring_provider,monitoring_contract_end,"
      "national_connected,national_since,contact_name,contact_email\n"
      "he-thong,Hệ thống,so,4,submitted,Phòng CNTT,3,SOC,2027-12-31,yes,01/05/2021,Nguyễn Văn A,a@angiang.gov.vn\n")

# A policy: policy.yaml, a NUL byte, then a rule file (the harness splits at NUL bytes). The rules
# of the other files are listed under disabled:, so each seed loads (every evaluator needs a rule
# or a disabled: entry).
import re
RULE_FILES = ["dossier", "layers", "tls", "tls-depth", "tls-chain-https", "tls-addresses", "links", "ipv6-dns"]
with open(os.path.join(ROOT, "Policies/policy.yaml"), "rb") as f:
    main = f.read()
rule_texts = {}
for rules in RULE_FILES:
    with open(os.path.join(ROOT, f"Policies/rules/{rules}.yaml"), "rb") as f:
        rule_texts[rules] = f.read()
ids = {name: re.findall(rb"^  - id: (\S+)", text, re.M) for name, text in rule_texts.items()}
for rules in RULE_FILES:
    others = [i for name in RULE_FILES if name != rules for i in ids[name]]
    disabled = b"\ndisabled:\n" + b"".join(b"  - " + i + b"\n" for i in others)
    write("policy", f"policy+{rules}", main + disabled + b"\x00" + rule_texts[rules])
write("policy", "policy-only", main)
