#!/usr/bin/python3
"""GovAudit lab: a simulated provincial network on loopback, from Tests/Lab/scenarios.yaml.

    lab.py up       start (or restart) everything; idempotent
    lab.py up --scale N
                    the same, plus N scale hosts on a few addresses (Tests/Lab/scale.py)
    lab.py down     stop every process, remove every address and firewall rule the lab added
    lab.py status   what is running

Real servers from Debian packages: nsd (authoritative DNS), nginx (virtual hosts), lighttpd with
GnuTLS (suites Debian's OpenSSL cannot offer), socat (a TLS port that never answers), nftables
(silent drops), and a certificate authority made with openssl. Generated state lives in
Tests/Lab/state/ (ignored by git). Needs root: it adds addresses to the loopback device.
"""
import datetime
import ipaddress
import json
import re
import os
import shutil
import signal
import subprocess
import sys
import time

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scale  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
STATE = os.path.join(HERE, "state")
SCENARIOS = os.path.join(HERE, "scenarios.yaml")
NFT_TABLE = "govaudit_lab"
V4_BLOCK = ipaddress.ip_network("127.0.10.0/24")
V6_BLOCK = ipaddress.ip_network("fd10::/16")
TOOLS = ["nginx", "nsd", "unbound", "ldns-keygen", "ldns-signzone", "ldns-key2ds", "openssl", "socat", "nft", "ip",
         "lighttpd", "dig"]


def log(msg):
    print(f"lab: {msg}", flush=True)


def run(cmd, check=True, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if check and r.returncode != 0:
        raise SystemExit(f"lab: command failed ({r.returncode}): {' '.join(cmd)}\n{r.stdout}{r.stderr}")
    return r


def state(*parts):
    return os.path.join(STATE, *parts)


def write(path, text, mode=0o644):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    # Bytes as they are (a page in a legacy code page); text as UTF-8.
    with (open(path, "wb") if isinstance(text, bytes) else open(path, "w", encoding="utf-8")) as f:
        f.write(text)
    os.chmod(path, mode)


# ---------------------------------------------------------------------------------------------
# The model: scenarios.yaml with defaults merged in.

def load(scale_count=0):
    with open(SCENARIOS, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    hosts = []
    for h in doc["hosts"]:
        sc = doc["scenarios"][h["scenario"]]
        web = dict(doc["defaults"]["web"])
        web.update(sc.get("web") or {})
        web.update({k: v for k, v in h.items() if k in doc["defaults"]["web"]})
        expect = dict(doc["defaults"]["expect"])
        expect.update(sc.get("expect") or {})
        n = int(h["ipv4"].rsplit(".", 1)[1])
        host = {"name": h["name"], "ipv4": h["ipv4"], "ipv6": f"fd10::{n}" if web["ipv6"] else None,
                "scenario": h["scenario"], "aliases": h.get("aliases", []), "web": web, "expect": expect,
                # Every address (issue 13 item 1): more A/AAAA records served alike, and those
                # among them where nothing listens on 443 (a refusing address).
                "more": h.get("moreAddresses", []), "refuse": h.get("refuse443", []),
                # Web settings of one address's HTTPS server only (another HSTS, a redirect).
                "addressWeb": h.get("addressWeb", {})}
        assert set(host["refuse"]) <= set(host["more"]), f"{h['name']}: refuse443 names an address not in moreAddresses"
        own = {host["ipv4"], host["ipv6"]} | set(host["more"])
        assert set(host["addressWeb"]) <= own, f"{h['name']}: addressWeb names an address the host does not have"
        for a in [host["ipv4"]] + ([host["ipv6"]] if host["ipv6"] else []) + host["more"]:
            ip = ipaddress.ip_address(a)
            assert ip in (V4_BLOCK if ip.version == 4 else V6_BLOCK), f"{a} is outside the lab block"
        hosts.append(host)
    doc["merged"] = hosts
    # The scale hosts are kept apart: the scenario hosts (and the smoke test) never see them.
    scale.check_blocks(V4_BLOCK, V6_BLOCK)
    doc["scale"] = scale_count
    return doc


# ---------------------------------------------------------------------------------------------
# Addresses and processes.

def lab_addresses(doc):
    """Every address the lab puts on lo."""
    v4, v6 = set(), set()
    for ns in doc["lab"]["nameservers"].values():
        v4.add(ns["ipv4"])
        if ns.get("ipv6"):
            v6.add(ns["ipv6"])
    v4.add(doc["lab"]["blackholeNameserver"])
    v4.add(doc["lab"]["resolver"]["ipv4"])
    v6.add(doc["lab"]["resolver"]["ipv6"])
    for h in doc["merged"]:
        v4.add(h["ipv4"])
        if h["ipv6"]:
            v6.add(h["ipv6"])
        for a in h["more"]:
            (v6 if ":" in a else v4).add(a)
    if doc.get("scale"):
        v4 |= {a["ipv4"] for a in scale.ADDRESSES}
        v6 |= {a["ipv6"] for a in scale.ADDRESSES if a["ipv6"]}
    return sorted(v4), sorted(v6)


def addresses_on_lo():
    """The lab-block addresses currently on lo (whoever added them)."""
    found = []
    out = run(["ip", "-o", "addr", "show", "dev", "lo"]).stdout
    for line in out.splitlines():
        parts = line.split()
        fam, cidr = parts[2], parts[3]
        ip = ipaddress.ip_interface(cidr)
        block = V4_BLOCK if fam == "inet" else V6_BLOCK
        if ip.ip in block:
            found.append(cidr)
    return found


def add_addresses(doc):
    v4, v6 = lab_addresses(doc)
    present = {c.split("/")[0] for c in addresses_on_lo()}
    for a in v4:
        if a not in present:
            run(["ip", "addr", "add", f"{a}/32", "dev", "lo"])
    for a in v6:
        if a not in present:
            run(["ip", "-6", "addr", "add", f"{a}/128", "dev", "lo", "nodad"])


def remove_addresses():
    for cidr in addresses_on_lo():
        run(["ip", "addr", "del", cidr, "dev", "lo"], check=False)


def pidfiles():
    return [os.path.join(STATE, "run", f) for f in sorted(os.listdir(state("run")))] if os.path.isdir(state("run")) else []


def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except (ProcessLookupError, PermissionError):
        return False


def stop_processes():
    """Stops what our pid files name, then anything still running from our state folder (left
    behind by a run whose pid files were lost)."""
    pids = set()
    for pf in pidfiles():
        try:
            pids.add(int(open(pf).read().split()[0]))
        except (ValueError, IndexError, OSError):
            pass
    r = run(["pgrep", "-f", STATE], check=False)
    pids |= {int(p) for p in r.stdout.split() if int(p) != os.getpid()}
    # Servers of a lab started from another checkout: whatever listens on a lab-block address.
    pids |= lab_listeners()
    for pid in pids:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.time() + 5
    while time.time() < deadline and any(alive(p) for p in pids):
        time.sleep(0.1)
    for pid in pids:
        if alive(pid):
            os.kill(pid, signal.SIGKILL)
    for pf in pidfiles():
        os.remove(pf)


def lab_listeners():
    """Pids of the servers listening on a lab-block address (TCP or UDP)."""
    found = set()
    for line in run(["ss", "-Hlntup"], check=False).stdout.splitlines():
        fields = line.split()
        if len(fields) < 5:
            continue
        local = fields[4].rsplit(":", 1)[0].strip("[]").split("%")[0]
        try:
            ip = ipaddress.ip_address(local)
        except ValueError:
            continue
        if ip in (V4_BLOCK if ip.version == 4 else V6_BLOCK):
            found |= {int(p) for p in re.findall(r"pid=(\d+)", line)}
    return found


def spawn_background(name, cmd):
    """Starts a process that does not daemonize itself; records its pid."""
    os.makedirs(state("run"), exist_ok=True)
    logf = open(state("logs", f"{name}.log"), "a")
    p = subprocess.Popen(cmd, stdout=logf, stderr=logf, stdin=subprocess.DEVNULL, start_new_session=True)
    write(state("run", f"{name}.pid"), f"{p.pid}\n")
    return p.pid


# ---------------------------------------------------------------------------------------------
# The certificate authority.

CA_CNF = """
[ca]
default_ca = lab
[lab]
dir = {dir}
database = {dir}/index.txt
new_certs_dir = {dir}/issued
serial = {dir}/serial
default_md = sha256
policy = any
copy_extensions = copy
unique_subject = no
[any]
commonName = supplied
[v3_intermediate]
basicConstraints = critical, CA:true, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[v3_leaf]
basicConstraints = CA:false
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
authorityInfoAccess = OCSP;URI:http://ocsp.lab.angiang.gov.vn/
[v3_ocsp]
basicConstraints = CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = OCSPSigning
"""


def openssl_ca(ca_dir, csr, out, ext, days=None, start=None, end=None, md="sha256"):
    cmd = ["openssl", "ca", "-batch", "-notext", "-config", os.path.join(ca_dir, "ca.cnf"),
           "-in", csr, "-out", out, "-extensions", ext, "-md", md,
           "-cert", os.path.join(ca_dir, "cert.pem"), "-keyfile", os.path.join(ca_dir, "key.pem")]
    if start:
        cmd += ["-startdate", start, "-enddate", end]
    else:
        cmd += ["-days", str(days)]
    run(cmd)


def new_ca_dir(path):
    os.makedirs(os.path.join(path, "issued"), exist_ok=True)
    write(os.path.join(path, "index.txt"), "")
    write(os.path.join(path, "serial"), "1000\n")
    write(os.path.join(path, "ca.cnf"), CA_CNF.format(dir=path))


def make_ca():
    """Root and intermediate, made once and kept across restarts (the root is what clients trust)."""
    root, inter = state("pki", "root"), state("pki", "intermediate")
    if os.path.exists(os.path.join(inter, "cert.pem")):
        return
    new_ca_dir(root)
    new_ca_dir(inter)
    run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "3650",
         "-subj", "/C=VN/O=GovAudit Lab/CN=GovAudit Lab Root CA",
         "-addext", "basicConstraints=critical,CA:true", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
         "-keyout", os.path.join(root, "key.pem"), "-out", os.path.join(root, "cert.pem")])
    csr = os.path.join(inter, "req.csr")
    run(["openssl", "req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj",
         "/C=VN/O=GovAudit Lab/CN=GovAudit Lab Intermediate CA",
         "-keyout", os.path.join(inter, "key.pem"), "-out", csr])
    openssl_ca(root, csr, os.path.join(inter, "cert.pem"), "v3_intermediate", days=3000)
    # The OCSP responder's certificate, for the stapled response.
    csr = state("pki", "ocsp.csr")
    run(["openssl", "req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=GovAudit Lab OCSP",
         "-keyout", state("pki", "ocsp.key"), "-out", csr])
    openssl_ca(inter, csr, state("pki", "ocsp.pem"), "v3_ocsp", days=3000)
    shutil.copy(os.path.join(root, "cert.pem"), state("pki", "root.pem"))


def make_sha1_intermediate():
    """A second intermediate, signed by the root with SHA-1 (issue 13's weak-intermediate host)."""
    inter = state("pki", "intermediate-sha1")
    if os.path.exists(os.path.join(inter, "cert.pem")):
        return inter
    new_ca_dir(inter)
    csr = os.path.join(inter, "req.csr")
    run(["openssl", "req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj",
         "/C=VN/O=GovAudit Lab/CN=GovAudit Lab SHA-1 Intermediate CA", "-keyout", os.path.join(inter, "key.pem"), "-out", csr])
    openssl_ca(state("pki", "root"), csr, os.path.join(inter, "cert.pem"), "v3_intermediate", days=3000, md="sha1")
    return inter


def issue(name, kind, sans):
    """A host's certificate of `kind`; returns (certificate chain file, key file)."""
    d = state("pki", "hosts", name)
    os.makedirs(d, exist_ok=True)
    key, cert, chain = os.path.join(d, "key.pem"), os.path.join(d, "cert.pem"), os.path.join(d, "chain.pem")
    # Kept across restarts (key generation is the slow part), except the one that must stay
    # "10 days from now".
    made = os.path.join(d, "kind")
    # The ECDSA twin of a host's certificate is filed under its own name, but names the host.
    cn = "khac.angiang.gov.vn" if kind == "mismatch" else sans[0] if kind == "ecdsa" else name
    wanted = f"{kind} {' '.join(sans)}" + (f" cn={cn}" if kind == "ecdsa" else "")
    if kind != "expiring" and os.path.exists(made) and open(made).read() == wanted:
        return chain, key
    inter = make_sha1_intermediate() if kind == "sha1-intermediate" else state("pki", "intermediate")
    bits = 1024 if kind == "weak-rsa" else 2048
    newkey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"] if kind == "ecdsa" else ["-newkey", f"rsa:{bits}"]
    names = ["khac.angiang.gov.vn"] if kind == "mismatch" else sans
    san = "subjectAltName=" + ",".join(f"DNS:{n}" for n in names)
    if kind == "selfsigned":
        run(["openssl", "req", "-x509", "-newkey", f"rsa:{bits}", "-nodes", "-sha256", "-days", "825",
             "-subj", f"/C=VN/O=GovAudit Lab/CN={cn}", "-addext", san, "-keyout", key, "-out", cert])
        shutil.copy(cert, chain)
        write(made, wanted)
        return chain, key
    csr = os.path.join(d, "req.csr")
    run(["openssl", "req", "-new"] + newkey + ["-nodes", "-subj", f"/C=VN/O=GovAudit Lab/CN={cn}",
         "-addext", san, "-keyout", key, "-out", csr])
    now = datetime.datetime.now(datetime.timezone.utc)
    fmt = "%Y%m%d%H%M%SZ"
    if kind == "expired":
        openssl_ca(inter, csr, cert, "v3_leaf", start="20240101000000Z", end="20250101000000Z")
    elif kind == "expiring":
        openssl_ca(inter, csr, cert, "v3_leaf", start=(now - datetime.timedelta(days=80)).strftime(fmt),
                   end=(now + datetime.timedelta(days=10)).strftime(fmt))
    else:
        openssl_ca(inter, csr, cert, "v3_leaf", days=397, md="sha1" if kind == "sha1" else "sha256")
    with open(chain, "w") as out:
        out.write(open(cert).read())
        if kind != "incomplete":
            out.write(open(os.path.join(inter, "cert.pem")).read())
    write(made, wanted)
    return chain, key


def ocsp_response(name):
    """A 'good' OCSP response for the host's certificate, for nginx to staple from a file."""
    d = state("pki", "hosts", name)
    inter = state("pki", "intermediate")
    req, resp = os.path.join(d, "ocsp.req"), os.path.join(d, "ocsp.der")
    run(["openssl", "ocsp", "-issuer", os.path.join(inter, "cert.pem"), "-cert", os.path.join(d, "cert.pem"),
         "-reqout", req, "-no_nonce"])
    run(["openssl", "ocsp", "-index", os.path.join(inter, "index.txt"), "-rsigner", state("pki", "ocsp.pem"),
         "-rkey", state("pki", "ocsp.key"), "-CA", os.path.join(inter, "cert.pem"), "-reqin", req,
         "-respout", resp, "-ndays", "30"])
    return resp


# ---------------------------------------------------------------------------------------------
# Site contents.

PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>{title}</title>{head}</head>
<body>
<header><h1>{title}</h1><nav><a href="/">Trang chủ</a> <a href="/gioi-thieu.html">Giới thiệu</a>
<a href="https://dichvucong.gov.vn/">Cổng Dịch vụ công quốc gia</a></nav></header>
<main>{body}</main>
<footer>Cơ quan chủ quản: UBND tỉnh An Giang. <a href="https://www.facebook.com/angiang.gov.vn">Facebook</a></footer>
</body></html>
"""


def security_txt(kind):
    """RFC 9116 text: valid (Expires a year after lab-up) or expired (Expires in the past)."""
    now = datetime.datetime.now(datetime.timezone.utc)
    when = now + datetime.timedelta(days=365) if kind == "valid" else datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
    return ("# Báo cáo lỗ hổng bảo mật\nContact: mailto:csirt@angiang.gov.vn\nPreferred-Languages: vi, en\n"
            f"Expires: {when.strftime('%Y-%m-%dT%H:%M:%SZ')}\n")


def page(title, body, head=""):
    return PAGE.format(title=title, body=body, head=head)


def site_files(host, template, gambling):
    """The files of a site, as {path: text}. Templates mirror what the expected data lists."""
    name = host["name"]
    title = f"Cổng thông tin điện tử – {name}"
    news = "<p>Tin tức: Hội nghị tổng kết công tác chuyển đổi số năm 2025.</p>"
    files = {"/gioi-thieu.html": page("Giới thiệu", "<p>Chức năng, nhiệm vụ của cơ quan.</p>")}
    g = f"https://{gambling}"
    if template == "clean":
        files["/index.html"] = page(title, news)
    elif template == "maintenance":
        files["/index.html"] = page("Bảo trì", "<p>Hệ thống đang bảo trì qua IPv6. Vui lòng quay lại sau.</p>")
    elif template == "spam-visible":
        files["/index.html"] = page(title, news + f'<p>Đối tác: <a href="{g}/">nhà cái uy tín số 1</a></p>')
    elif template == "spam-hidden":
        files["/index.html"] = page(title, news
            + f'<div style="display:none"><a href="{g}/dang-ky">cá cược bóng đá</a></div>'
            + f'<a href="{g}/no-hu" style="visibility: hidden">nổ hũ thần tài</a>'
            + f'<p style="font-size:0px"><a href="{g}/tai-xiu">tài xỉu online</a></p>')
    elif template == "spam-offscreen":
        files["/index.html"] = page(title, news
            + f'<div style="position:absolute; left:-9999px; top:0"><span><a href="{g}/lo-de">đánh lô đề online</a></span></div>')
    elif template == "spam-iframe":
        files["/index.html"] = page(title, news + f'<iframe src="{g}/embed" width="0" height="0" style="border:0"></iframe>')
    elif template == "spam-nodiacritics":
        files["/index.html"] = page(title, news + f'<p><a href="{g}/">nha cai uy tin</a> | '
                                    f'<a href="{g}/bong-da">ca cuoc bong da</a></p>')
    elif template == "spam-attributes":
        files["/index.html"] = page(title, news
            + f'<a href="{g}/soi-cau-mien-bac">Xem thêm</a> '
            + f'<a href="{g}/r" title="game bài đổi thưởng"><img src="/logo.png" alt="game bài đổi thưởng"></a>')
    elif template == "spam-redirects":
        files["/index.html"] = page(title, news + '<a href="/tin-tuc/meta.html">Tin 1</a> <a href="/tin-tuc/js.html">Tin 2</a>')
        files["/tin-tuc/meta.html"] = page("Tin 1", "<p>Đang chuyển hướng…</p>",
                                           head=f'<meta http-equiv="refresh" content="0; url={g}/m">')
        files["/tin-tuc/js.html"] = page("Tin 2", f'<script>window.location.href = "{g}/j";</script>')
    elif template == "spam-redirect":
        files["/404.html"] = page("Không tìm thấy", f'<script>setTimeout(function(){{location.replace("{g}/404")}}, 10)</script>',
                                  head=f'<meta http-equiv="refresh" content="1; url={g}/404">')
    elif template == "payloads":
        # Hostile text in spam links, so it reaches every report: HTML/JS, a bidi override, a
        # spreadsheet formula, terminal escape sequences (colour, window title, bell), javascript:
        # and data: URLs. A payload that ran in a report would write "lab"+"ran" into its DOM
        # (the browser test reads that it did not); the word is never whole in the source.
        run = "document.body.setAttribute(&#39;data-lab&#39;,&#39;lab&#39;+&#39;ran&#39;)"
        files["/index.html"] = page(title, news
            + f'<a href="{g}/x" title="&lt;script&gt;{run}&lt;/script&gt;">casino <b>&lt;img src=x onerror={run}&gt;</b></a> '
            + f'<a href="{g}/a" title="\u202Egnp.exe">casino tài liệu \u202Efdp.exe</a> '
            + f'<a href="{g}/b">=HYPERLINK("http://kuwin88.example","casino")</a> '
            + f'<a href="{g}/c">casino \x1b[31mđỏ\x1b[0m \x1b]0;pwned\x07</a> '
            + f'<a href="javascript:{run}">casino js</a> '
            + f'<a href="data:text/html,&lt;script&gt;parent.{run}&lt;/script&gt;">casino data</a>')
    elif template == "gambling":
        files["/index.html"] = page("Nhà cái uy tín – cá cược bóng đá – nổ hũ – tài xỉu", "<p>Đăng ký nhận thưởng.</p>")
    elif template == "multipage":
        files.update(multipage_site(title, g))
    elif template in LINK_DEPTH_SITES:
        files.update(LINK_DEPTH_SITES[template](name, title, news, g))
    else:
        raise SystemExit(f"lab: unknown site template {template}")
    return files


# Link hygiene in depth (issue 14): legacy code pages, off-site redirects, sitemap-only pages,
# brand domains, broken sub-resources and outbound links; and the outside sites sound pages link to.

def cp1258(text):
    """Text in windows-1258 as glibc's iconv writes it (base letters and combining tone marks)."""
    return subprocess.run(["iconv", "-f", "UTF-8", "-t", "CP1258"], input=text.encode(), capture_output=True, check=True).stdout


def legacy_1258_site(name, title, news, g):
    head = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">'
    html = PAGE.replace('<meta charset="utf-8">', head).format(
        title=title, head="", body=news + f'<p>Đối tác: <a href="{g}/cp">nhà cái uy tín</a> – cá cược bóng đá</p>'
        + '<a href="/vni.html">Văn bản cũ</a>')
    vni = ('<html><head><meta charset="iso-8859-1"><title>Van ban</title>'
           '<style>body { font-family: "VNI-Times", serif }</style></head><body><p>Vaên baûn</p></body></html>')
    return {"/index.html": cp1258(html), "/vni.html": vni.encode("latin-1")}


def offsite_redirect_site(name, title, news, g):
    return {"/index.html": page(title, news + '<a href="/tin-tuc/bai-cu.html">Bài cũ</a>')}


def sitemap_site(name, title, news, g):
    base = f"https://{name}"
    return {
        "/index.html": page(title, news),
        "/robots.txt": f"User-agent: *\nDisallow: /quan-tri/\nSitemap: {base}/sitemaps/index.xml\n",
        "/sitemaps/index.xml": ('<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                                f'<sitemap><loc>{base}/sitemaps/pages.xml</loc></sitemap></sitemapindex>\n'),
        "/sitemaps/pages.xml": ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                                f'<url><loc>{base}/</loc></url><url><loc>{base}/gioi-thieu.html</loc></url>'
                                f'<url><loc>{base}/tin-tuc/khuyen-mai-2025.html</loc></url></urlset>\n'),
        "/tin-tuc/khuyen-mai-2025.html": page("Khuyến mãi", f'<p>Nổ hũ đổi thưởng: <a href="{g}/sm">nổ hũ uy tín</a></p>'),
    }


def brand_domain_site(name, title, news, g):
    return {"/index.html": page(title, news
        + '<div style="display:none"><a href="https://fb88vn.example/">Xem thêm</a></div>'
        + '<p><a href="https://w88.example/">Liên kết website</a></p>')}


def broken_resources_site(name, title, news, g):
    head = ('<link rel="stylesheet" href="/css/mat.css"><link rel="canonical" href="http://' + name + '/">'
            '<link rel="alternate" hreflang="en" href="http://' + name + '/en/">')
    return {"/index.html": page(title, news + '<img src="/anh/khong-co.png" alt="Ảnh"><script src="/js/mat.js"></script>'
                                + '<img src="/logo.png" alt="Logo">'
                                + f'<form action="http://{name}/tim-kiem" method="post"><input name="q"></form>'
                                + '<a href="https://foreign-news.example/mat-tich">Tin đã gỡ</a>', head=head)}


def outside_portal_site(name, title, news, g):
    # The pages every lab page links to (PAGE's nav and footer), so that they answer 200.
    return {"/index.html": page(name, "<p>Trang ngoài.</p>"), "/angiang.gov.vn": page(name, "<p>Trang ngoài.</p>")}


LINK_DEPTH_SITES = {"legacy-1258": legacy_1258_site, "offsite-redirect": offsite_redirect_site, "sitemap": sitemap_site,
                    "brand-domain": brand_domain_site, "broken-resources": broken_resources_site,
                    "outside-portal": outside_portal_site}


def multipage_site(title, g):
    """35 pages, depth 3: home → 3 sections → 10 articles each (one deleted) → one deep page with the spam."""
    files = {}
    sections = []
    for s in range(1, 4):
        links = []
        for a in range(1, 11):
            if s == 3 and a == 7:
                links.append(f'<li><a href="/chuyen-muc-{s}/bai-{a}.html">Bài {a} (đã xóa)</a></li>')
                continue
            path = f"/chuyen-muc-{s}/bai-{a}.html"
            body = f"<p>Nội dung bài {a} chuyên mục {s}.</p>"
            if s == 2 and a == 3:
                body += '<a href="/chuyen-muc-2/bai-3/chi-tiet/luu-tru.html">Lưu trữ</a>'
            if s == 1 and a == 1:
                body += '<script src="https://cdn-thirdparty.example/widget.js"></script>'
                body += '<a href="https://foreign-news.example/world">Tin quốc tế</a>'
            if s == 1 and a == 2:
                body += '<script src="http://cdn-thirdparty.example/legacy.js"></script>'
                body += '<a href="/tai-lieu/khong-co.pdf">Tải văn bản</a>'
            files[path] = page(f"Bài {a}", body)
            links.append(f'<li><a href="{path}">Bài {a}</a></li>')
        files[f"/chuyen-muc-{s}/index.html"] = page(f"Chuyên mục {s}", "<ul>" + "".join(links) + "</ul>")
        sections.append(f'<li><a href="/chuyen-muc-{s}/">Chuyên mục {s}</a></li>')
    files["/chuyen-muc-2/bai-3/chi-tiet/luu-tru.html"] = page(
        "Lưu trữ", f'<p>Liên kết: <a href="{g}/deep">xem đá gà trực tiếp</a></p>')
    files["/index.html"] = page(title, "<ul>" + "".join(sections) + "</ul>")
    return files


def write_site(root, files):
    shutil.rmtree(root, ignore_errors=True)
    for path, text in files.items():
        target = root + (path + "index.html" if path.endswith("/") else path)
        write(target, text)
    write(os.path.join(root, "logo.png"), "")


# ---------------------------------------------------------------------------------------------
# nginx.

# Mozilla's "intermediate" TLS 1.2 suites: forward secrecy and AEAD only.
MOZILLA_INTERMEDIATE = ("ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
                        "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305")

SECURE_HEADERS = [
    ("Content-Security-Policy", "default-src 'self'"),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "SAMEORIGIN"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
]


def nginx_server(host, listens, root, web, tls):
    name = " ".join([host["name"]] + host["aliases"])
    lines = ["  server {"] + [f"    listen {l};" for l in listens] + [f"    server_name {name};", f"    root {root};"]
    lines.append(f"    server_tokens {'on' if web['serverTokens'] else 'off'};")
    if web["headers"] == "secure":
        lines += [f'    add_header {k} "{v}" always;' for k, v in SECURE_HEADERS]
    if tls:
        lines += [f"    ssl_certificate {tls['chain']};", f"    ssl_certificate_key {tls['key']};",
                  f"    ssl_protocols {' '.join(tls['protocols'])};",
                  # SECLEVEL 0: Debian's OpenSSL otherwise refuses the weak key, SHA-1 and TLS 1.0.
                  f"    ssl_ciphers {tls['ciphers']}:@SECLEVEL=0;", "    ssl_prefer_server_ciphers on;"]
        if tls.get("ecdsa"):
            # Two deployments side by side: nginx picks by the client's signature algorithms.
            lines += [f"    ssl_certificate {tls['ecdsa']['chain']};", f"    ssl_certificate_key {tls['ecdsa']['key']};"]
        if tls.get("stapling"):
            lines += ["    ssl_stapling on;", f"    ssl_stapling_file {tls['stapling']};"]
        for cookie in web.get("cookies") or []:
            lines.append(f'    add_header Set-Cookie "{cookie}" always;')
        if web.get("downgrade"):
            lines.append(f"    location = / {{ return 302 {web['downgrade']}; }}")
        elif web.get("httpsRedirect"):
            lines.append(f"    location = / {{ return 302 {web['httpsRedirect']}; }}")
        # The TLS depth scenarios (127.0.10.150–159): DH parameters, session cache and tickets, 0-RTT.
        if tls.get("dhparam"):
            lines.append(f"    ssl_dhparam {tls['dhparam']};")
        if tls.get("sessionCache"):
            lines.append(f"    ssl_session_cache {tls['sessionCache']};")
        if tls.get("sessionTickets") is False:
            lines.append("    ssl_session_tickets off;")
        if tls.get("earlyData"):
            lines.append("    ssl_early_data on;")
        if tls.get("clientCertificate"):
            # A CertificateRequest in every handshake; `optional` takes a client without one.
            lines += [f"    ssl_verify_client {tls['clientCertificate']};", f"    ssl_client_certificate {state('pki', 'root.pem')};"]
        if web["hsts"]:
            lines.append(f'    add_header Strict-Transport-Security "{web["hsts"]}" always;')
    elif web["hstsOverHTTP"] and web["hsts"]:
        lines.append(f'    add_header Strict-Transport-Security "{web["hsts"]}" always;')
    if web.get("notFound"):
        lines.append("    error_page 404 /404.html;")
    if web.get("offsiteRedirect") and tls:
        r = web["offsiteRedirect"]
        lines.append(f"    location = {r['path']} {{ return {r['status']} {r['target']}; }}")
    if web.get("cloak"):
        lines += [f'    if ($http_user_agent ~* "googlebot|bingbot|coccocbot") {{ return 302 {web["cloak"]}; }}',
                  f'    if ($http_referer ~* "://(www\\.)?(google|bing|coccoc)\\.") {{ return 302 {web["cloak"]}; }}']
    # Hostile behaviour is served over HTTPS; plain HTTP still redirects there first.
    special = web.get("special") if tls else None
    if special == "loop":
        lines += ["    location / { return 302 /vong-lap/a; }", "    location = /vong-lap/a { return 302 /vong-lap/b; }",
                  "    location = /vong-lap/b { return 302 /vong-lap/a; }"]
    elif special == "trickle":
        lines += ["    location / { limit_rate 1; }"]
    return lines


def build_nginx(doc, hosts_tls):
    conf = [f"pid {state('run', 'nginx.pid')};", f"error_log {state('logs', 'nginx-error.log')} warn;",
            "worker_processes 1;", "user root;",
            # Every listening socket takes one of the worker's connections (430 and more with
            # every host on both families): 512 left the clients ~80, and under a parallel test
            # run nginx dropped handshakes ("512 worker_connections are not enough").
            "events { worker_connections 4096; }", "http {",
            f"  access_log {state('logs', 'nginx-access.log')};",
            "  default_type application/octet-stream;",
            "  types { text/html html; text/plain txt; image/png png; application/javascript js; application/pdf pdf; }",
            "  index index.html;", "  server_names_hash_bucket_size 128;",
            f"  client_body_temp_path {state('nginx', 'tmp', 'body')};", f"  proxy_temp_path {state('nginx', 'tmp', 'proxy')};",
            f"  fastcgi_temp_path {state('nginx', 'tmp', 'fastcgi')};", f"  uwsgi_temp_path {state('nginx', 'tmp', 'uwsgi')};",
            f"  scgi_temp_path {state('nginx', 'tmp', 'scgi')};"]
    for h in doc["merged"]:
        web = h["web"]
        if web.get("engine") == "lighttpd-gnutls":
            continue
        v4, v6 = h["ipv4"], h["ipv6"]
        fams = [v4] + ([f"[{v6}]"] if v6 and web["listen6"] else []) + [f"[{a}]" if ":" in a else a for a in h["more"]]
        refused = {f"[{a}]" if ":" in a else a for a in h["refuse"]}
        root = state("www", h["name"])
        root6 = state("www6", h["name"]) if web["site6"] != "same" else root
        tls = hosts_tls.get(h["name"])
        silent = web.get("special") == "silent-tls"
        for fam, r in [(f, root6 if f.startswith("[") else root) for f in fams]:
            # Port 80.
            lines = nginx_server(h, [f"{fam}:80"], r, web, None)
            redirect = web["redirect"]
            if redirect and tls and not silent:
                target = redirect.get("to") or "https://$host$request_uri"
                lines.append(f"    location / {{ return {redirect['status']} {target}; }}")
                if web.get("downgrade"):
                    lines.append("    location /http-only/ { }")   # where HTTPS sends visitors: served over HTTP
            elif redirect and silent:
                lines.append(f"    location / {{ return {redirect['status']} https://$host$request_uri; }}")
            conf += lines + ["  }"]
            # Port 443 (not on an address that must refuse; IPv6 with the host's https6 when it has one).
            if fam in refused:
                continue
            tls = hosts_tls.get(h["name"] + "#v6") if fam.startswith("[") and h["name"] + "#v6" in hosts_tls else hosts_tls.get(h["name"])
            if tls and not silent:
                if web["https"].get("noSNICert"):
                    other = hosts_tls[h["name"] + "#nosni"]
                    # The default server decides the protocols (negotiated before SNI): same as the host's.
                    conf += ["  server {", f"    listen {fam}:443 ssl default_server;", "    server_name _;",
                             f"    root {r};", f"    ssl_certificate {other['chain']};",
                             f"    ssl_certificate_key {other['key']};",
                             f"    ssl_protocols {' '.join(tls['protocols'])};", f"    ssl_ciphers {tls['ciphers']}:@SECLEVEL=0;", "  }"]
                listen = f"{fam}:443 ssl" + (" http2" if tls.get("http2") else "")
                own = dict(web, **h["addressWeb"].get(fam.strip("[]"), {}))
                conf += nginx_server(h, [listen], r, own, tls) + ["  }"]
    if doc.get("scale"):
        conf += scale.nginx_blocks(nginx_server, doc["defaults"]["web"], state("www-scale"), hosts_tls[scale.WILDCARD])
    conf.append("}")
    write(state("nginx", "nginx.conf"), "\n".join(conf) + "\n")
    for t in ["body", "proxy", "fastcgi", "uwsgi", "scgi"]:
        os.makedirs(state("nginx", "tmp", t), exist_ok=True)


def build_lighttpd(host, tls):
    web = host["web"]
    root = state("www", host["name"])
    conf = f"""server.modules = ("mod_gnutls", "mod_redirect", "mod_setenv")
server.document-root = "{root}"
server.bind = "{host['ipv4']}"
server.port = 80
server.pid-file = "{state('run', 'lighttpd.pid')}"
server.errorlog = "{state('logs', 'lighttpd-error.log')}"
server.tag = ""
index-file.names = ("index.html")
mimetype.assign = (".html" => "text/html; charset=utf-8")
$SERVER["socket"] == "{host['ipv4']}:443" {{
  ssl.engine = "enable"
  ssl.pemfile = "{tls['chain']}"
  ssl.privkey = "{tls['key']}"
  # mod_gnutls maps OpenSSL cipher names to GnuTLS: TLS 1.2 only; 3DES and AES-CBC with RSA key
  # exchange (no forward secrecy) among the suites offered.
  ssl.openssl.ssl-conf-cmd = ("MinProtocol" => "TLSv1.2", "MaxProtocol" => "TLSv1.2", "CipherString" => "3DES:AES128")
}}
$HTTP["scheme"] == "http" {{
  url.redirect = ("" => "https://{host['name']}${{url.path}}${{qsa}}")
  url.redirect-code = 301
}}
"""
    if host["ipv6"] and web["listen6"]:
        conf += f"""$SERVER["socket"] == "[{host['ipv6']}]:80" {{ }}
$SERVER["socket"] == "[{host['ipv6']}]:443" {{
  ssl.engine = "enable"
  ssl.pemfile = "{tls['chain']}"
  ssl.privkey = "{tls['key']}"
  ssl.openssl.ssl-conf-cmd = ("MinProtocol" => "TLSv1.2", "MaxProtocol" => "TLSv1.2", "CipherString" => "3DES:AES128")
}}
"""
    write(state("lighttpd", "lighttpd.conf"), conf)


# ---------------------------------------------------------------------------------------------
# DNS: nsd with the province's zone, DNSSEC children, outside zones.

def zone_of(name, zones):
    best = None
    for z in zones:
        if name == z or name.endswith("." + z):
            if best is None or len(z) > len(best):
                best = z
    return best


UNBOUND_CONF = """server:
  interface: {v4}
  interface: {v6}
  port: 53
  access-control: 127.0.0.0/8 allow
  access-control: ::1/128 allow
  access-control: fd10::/16 allow
  do-not-query-localhost: no
  username: ""
  chroot: ""
  directory: "{dir}"
  pidfile: "{pid}"
  logfile: "{log}"
  use-syslog: no
  do-daemonize: yes
  num-threads: 1
  so-reuseport: no
  # The resolver only resolves; clients (GovAudit) validate DNSSEC with their own trust anchors.
  module-config: "iterator"
  qname-minimisation: no
  # Keep failures quick: the silent name server is meant to time a client out, not this resolver.
  infra-host-ttl: 60
{stubs}"""


def build_resolver(doc, zones):
    """unbound as the province's recursive resolver: stub zones to nsd for every lab zone, and the
    root itself stubbed to nsd (which refuses it), so no query ever leaves the machine."""
    lab = doc["lab"]
    ns1 = lab["nameservers"]["ns1"]["ipv4"]
    stubs = "".join(f'stub-zone:\n  name: "{z.rstrip(".")}."\n  stub-addr: {ns1}\n' for z in ["."] + sorted(zones))
    r = lab["resolver"]
    write(state("dns", "unbound.conf"), UNBOUND_CONF.format(
        v4=r["ipv4"], v6=r["ipv6"], dir=state("dns"), pid=state("run", "unbound.pid"),
        log=state("logs", "unbound.log"), stubs=stubs))


def build_dns(doc):
    lab = doc["lab"]
    ns1, ns2 = lab["nameservers"]["ns1"], lab["nameservers"]["ns2"]
    province = "angiang.gov.vn"
    # secure: signed, DS in the parent; bogus: a record tampered after signing; nods: signed, but
    # the parent has no DS (validators see it as unsigned).
    signed = {"secure": f"secure.{province}", "bogus": f"bogus.{province}", "nods": f"nods.{province}"}
    broken = f"servfail.lab.{province}"
    timeout = f"timeout.lab.{province}"
    outside = sorted({h["name"] for h in doc["merged"] if not (h["name"] == province or h["name"].endswith("." + province))})
    zones = {province: [], **{z: [] for z in signed.values()}}
    for o in outside:
        zones[o] = []
    # The province's parents (gov.vn, vn), with delegations to the lab zones below them, so that a
    # climb to the top-level domain (RFC 8659's CAA search) gets answers there, not SERVFAIL.
    parents = ["gov.vn", "vn"]
    for z in parents:
        zones[z] = []

    def rr(name, typ, data):
        zones[zone_of(name, zones)].append(f"{name}. 300 IN {typ} {data}")

    for z in zones:
        zones[z].append(f"{z}. 300 IN SOA ns1.{province}. hostmaster.{province}. 2026112601 3600 600 86400 300")
        zones[z].append(f"{z}. 300 IN NS ns1.{province}.")
        zones[z].append(f"{z}. 300 IN NS ns2.{province}.")
    rr(f"ns1.{province}", "A", ns1["ipv4"])
    rr(f"ns1.{province}", "AAAA", ns1["ipv6"])
    rr(f"ns2.{province}", "A", ns2["ipv4"])
    rr(province, "MX", f"10 mail.{province}.")
    for h in doc["merged"]:
        rr(h["name"], "A", h["ipv4"])
        if h["ipv6"]:
            rr(h["name"], "AAAA", h["ipv6"])
        for a in h["more"]:
            rr(h["name"], "AAAA" if ":" in a else "A", a)
    for z in [z for z in zones if z not in parents]:
        parent = zone_of(z.split(".", 1)[1], {p: [] for p in parents}) if "." in z else None
        if parent and zone_of(z.split(".", 1)[1], zones) == parent:
            zones[parent] += [f"{z}. 300 IN NS ns1.{province}.", f"{z}. 300 IN NS ns2.{province}."]
    for name, typ, data in scale.zone_records(doc.get("scale", 0)):
        zones[province].append(f"{name}. 300 IN {typ} {data}")
    for d in doc["dnsNames"]:
        if d.get("cname"):
            rr(d["name"], "CNAME", d["cname"] + ".")
        elif d.get("ipv4"):
            rr(d["name"], "A", d["ipv4"])
        for caa in d.get("caa", []):
            rr(d["name"], "CAA", caa)
        for k in range(d.get("manyA", 0)):
            # More addresses than a UDP answer holds: resolvers must retry over TCP.
            # (DNS data only: nothing listens there, and the tests' --allow-net keeps scans away.)
            rr(d["name"], "A", f"127.0.11.{k + 1}")
    # Delegations: a silent name server, and one whose zone does not load (nsd answers SERVFAIL).
    zones[province] += [f"{timeout}. 300 IN NS ns.{timeout}.", f"ns.{timeout}. 300 IN A {lab['blackholeNameserver']}",
                        f"{broken}. 300 IN NS ns1.{province}."]

    zdir = state("dns", "zones")
    shutil.rmtree(state("dns"), ignore_errors=True)
    os.makedirs(zdir)
    anchors = []
    for kind, z in signed.items():
        path = os.path.join(zdir, z + ".zone")
        write(path, "\n".join(zones[z]) + "\n")
        keys = []
        for flag in (["-k"], []):
            r = run(["ldns-keygen", "-a", "ECDSAP256SHA256"] + flag + [z], cwd=zdir)
            keys.append(os.path.join(zdir, r.stdout.strip()))
        run(["ldns-signzone", "-n", "-o", z, "-f", path + ".signed", path] + keys, cwd=zdir)
        ds = run(["ldns-key2ds", "-n", "-2", keys[0] + ".key"]).stdout.strip()
        if kind != "nods":
            zones[province].append(ds)
            anchors.append(ds)
        if kind == "bogus":
            # Tamper with a signed record after signing: its RRSIG no longer verifies.
            text = open(path + ".signed").read().replace(f"www.{z}.\t300\tIN\tA\t127.0.10.10",
                                                         f"www.{z}.\t300\tIN\tA\t127.0.10.99")
            assert "127.0.10.99" in text, "could not tamper with the bogus zone"
            write(path + ".signed", text)
    write(state("dns", "trust-anchors.ds"), "\n".join(anchors) + "\n")
    for z, records in zones.items():
        if z not in signed.values():
            write(os.path.join(zdir, z + ".zone"), "\n".join(records) + "\n")
    write(os.path.join(zdir, broken + ".zone"), "this is not a zone file\n")

    conf = ["server:", f"  ip-address: {ns1['ipv4']}", f"  ip-address: {ns1['ipv6']}", f"  ip-address: {ns2['ipv4']}",
            "  port: 53", '  username: ""', '  chroot: ""', f'  zonesdir: "{zdir}"',
            f'  pidfile: "{state("run", "nsd.pid")}"', f'  logfile: "{state("logs", "nsd.log")}"',
            f'  xfrdfile: "{state("dns", "xfrd.state")}"', f'  zonelistfile: "{state("dns", "zone.list")}"',
            '  database: ""', "  server-count: 1", "  verbosity: 1",
            "remote-control:", "  control-enable: no"]
    for z in list(zones) + [broken]:
        f = z + (".zone.signed" if z in signed.values() else ".zone")
        conf += ["zone:", f"  name: {z}", f"  zonefile: {f}"]
    write(state("dns", "nsd.conf"), "\n".join(conf) + "\n")
    return list(zones)


# ---------------------------------------------------------------------------------------------
# Firewall: silent drops, scoped to the lab's addresses.

def build_nft(doc):
    v6 = [h["ipv6"] for h in doc["merged"] if h["web"]["drop6"] and h["ipv6"]]
    rules = [f"table inet {NFT_TABLE} {{", "  chain input {", "    type filter hook input priority 0; policy accept;",
             f"    ip daddr {doc['lab']['blackholeNameserver']} drop"]
    rules += [f"    ip6 daddr {a} drop" for a in v6]
    rules += ["  }", "}"]
    write(state("nft.conf"), "\n".join(rules) + "\n")


def nft_remove():
    if run(["nft", "list", "table", "inet", NFT_TABLE], check=False).returncode == 0:
        run(["nft", "delete", "table", "inet", NFT_TABLE])


# ---------------------------------------------------------------------------------------------
# Commands.

def wait_port(addr, port, timeout=10):
    import socket
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    deadline = time.time() + timeout
    while time.time() < deadline:
        s = socket.socket(fam, socket.SOCK_STREAM)
        s.settimeout(0.5)
        try:
            s.connect((addr, port))
            return True
        except OSError:
            time.sleep(0.1)
        finally:
            s.close()
    return False


def up(scale_count=0):
    if os.geteuid() != 0:
        raise SystemExit("lab: must run as root (it adds addresses to the loopback device)")
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:
        raise SystemExit(f"lab: missing tools: {', '.join(missing)} (run: make setup)")
    doc = load(scale_count)
    down(quiet=True)
    # A server bound to a wildcard address (a system nginx or nsd started by its package) would
    # take the lab's ports; say so instead of failing obscurely.
    busy = run(["ss", "-Hltnu"], check=False).stdout.split("\n")
    clash = [l for l in busy if re.search(r"(0\.0\.0\.0|\*|\[::\]):(53|80|443)\s", l)]
    if clash:
        raise SystemExit("lab: another server listens on a wildcard address on port 53, 80 or 443; "
                         "stop it first:\n" + "\n".join(clash))
    for d in ["logs", "run"]:
        os.makedirs(state(d), exist_ok=True)
    log("addresses")
    add_addresses(doc)
    log("certificates")
    make_ca()
    hosts_tls = {}
    for h in doc["merged"]:
        https = h["web"]["https"]
        if not https:
            continue
        chain, key = issue(h["name"], https["cert"], [h["name"]] + h["aliases"])
        tls = {"chain": chain, "key": key, "cert": state("pki", "hosts", h["name"], "cert.pem"),
               "protocols": https["protocols"], "ciphers": https.get("ciphers", MOZILLA_INTERMEDIATE)}
        if https.get("stapling"):
            tls["stapling"] = ocsp_response(h["name"])
        if https.get("ecdsa"):
            c, k = issue(h["name"] + "-ecdsa", "ecdsa", [h["name"]] + h["aliases"])
            tls["ecdsa"] = {"chain": c, "key": k}
        for key in ("sessionCache", "sessionTickets", "earlyData", "http2", "clientCertificate"):
            if key in https:
                tls[key] = https[key]
        if https.get("dhBits"):
            tls["dhparam"] = state("pki", "hosts", h["name"], "dhparam.pem")
            run(["openssl", "dhparam", "-out", tls["dhparam"], str(https["dhBits"])])
        hosts_tls[h["name"]] = tls
        six = h["web"].get("https6")
        if six:
            # An IPv6 front end of its own: other protocols and suites, another certificate.
            c, k = issue(h["name"] + "-v6", six["cert"], [h["name"]] + h["aliases"])
            hosts_tls[h["name"] + "#v6"] = {"chain": c, "key": k, "protocols": six["protocols"],
                                            "ciphers": six.get("ciphers", MOZILLA_INTERMEDIATE)}
        if https.get("noSNICert"):
            c, k = issue(h["name"] + "-default", "mismatch", [])
            hosts_tls[h["name"] + "#nosni"] = {"chain": c, "key": k}
    if scale_count:
        chain, key = issue(scale.DOMAIN, "good", [scale.WILDCARD])
        https = doc["defaults"]["web"]["https"]
        hosts_tls[scale.WILDCARD] = {"chain": chain, "key": key, "protocols": https["protocols"],
                                     "ciphers": https.get("ciphers", MOZILLA_INTERMEDIATE)}
    log("sites")
    gambling = doc["lab"]["gambling"]
    for h in doc["merged"]:
        web = h["web"]
        files = site_files(h, web["site"], gambling)
        if web.get("notFound"):
            files.update(site_files(h, web["notFound"], gambling))
        if web.get("securityTxt"):
            files["/.well-known/security.txt"] = security_txt(web["securityTxt"])
        if web.get("downgrade"):
            files["/http-only/index.html"] = page("Chỉ HTTP", "<p>Trang phục vụ qua HTTP.</p>")
        write_site(state("www", h["name"]), files)
        if web["site6"] != "same":
            write_site(state("www6", h["name"]), site_files(h, web["site6"], gambling))
        if web.get("special") in ("huge", "trickle"):
            size = 30 * 1024 * 1024 if web["special"] == "huge" else 4096
            head, tail = "<!doctype html><html><body>", "</body></html>\n"
            with open(state("www", h["name"], "index.html"), "w") as f:
                f.write(head + "a" * (size - len(head) - len(tail)) + tail)
    if scale_count:
        write_site(state("www-scale"), scale.site_pages(page))
    log("dns (nsd)")
    zones = build_dns(doc)
    run(["nsd-checkconf", state("dns", "nsd.conf")])
    run(["nsd", "-c", state("dns", "nsd.conf")])
    log("resolver (unbound)")
    build_resolver(doc, zones)
    run(["unbound-checkconf", state("dns", "unbound.conf")])
    run(["unbound", "-c", state("dns", "unbound.conf")])
    log("web (nginx)")
    build_nginx(doc, hosts_tls)
    run(["nginx", "-t", "-q", "-c", state("nginx", "nginx.conf"), "-p", state("nginx")])
    run(["nginx", "-c", state("nginx", "nginx.conf"), "-p", state("nginx")])
    for h in doc["merged"]:
        if h["web"].get("engine") == "lighttpd-gnutls":
            log("weak suites (lighttpd + GnuTLS)")
            build_lighttpd(h, hosts_tls[h["name"]])
            run(["lighttpd", "-t", "-f", state("lighttpd", "lighttpd.conf")])
            run(["lighttpd", "-f", state("lighttpd", "lighttpd.conf")])
        if h["web"].get("special") == "silent-tls":
            spawn_background(f"socat-{h['name']}", ["socat", f"TCP4-LISTEN:443,bind={h['ipv4']},reuseaddr,fork",
                                                   f"SYSTEM:sleep 3600 # {STATE}"])
    log("firewall (nftables)")
    build_nft(doc)
    run(["nft", "-f", state("nft.conf")])
    ns1 = doc["lab"]["nameservers"]["ns1"]
    ok = wait_port(ns1["ipv4"], 53) and all(wait_port(h["ipv4"], 80) for h in doc["merged"])
    if scale_count:
        ok = ok and all(wait_port(a["ipv4"], p) for a in scale.ADDRESSES for p in (80, 443))
    if not ok:
        raise SystemExit("lab: servers did not come up; see Tests/Lab/state/logs/")
    res = doc["lab"]["resolver"]
    ok = ok and wait_port(res["ipv4"], 53)
    env = {"resolver": f"{res['ipv4']}:53", "resolver6": f"[{res['ipv6']}]:53",
           "authoritative": f"{ns1['ipv4']}:53", "caFile": state("pki", "root.pem"),
           "trustAnchors": state("dns", "trust-anchors.ds"), "allowNet": ["127.0.10.0/24", "fd10::/16"]}
    if scale_count:
        env["scale"] = {"hosts": scale_count, "domain": scale.DOMAIN, "addresses": scale.ADDRESSES}
    write(state("lab.json"), json.dumps(env, indent=2) + "\n")
    extra = f" + {scale_count} scale hosts (*.{scale.DOMAIN})" if scale_count else ""
    log(f"up: {len(doc['merged'])} web hosts{extra}, resolver {env['resolver']}, CA {env['caFile']}")


def down(quiet=False):
    if not quiet:
        log("stopping")
    stop_processes()
    nft_remove()
    remove_addresses()
    if os.path.exists(state("lab.json")):
        os.remove(state("lab.json"))
    if not quiet:
        left = addresses_on_lo()
        log("down" + (f" (addresses left: {left})" if left else ""))


def status():
    running = []
    for pf in pidfiles():
        try:
            pid = int(open(pf).read().split()[0])
        except (ValueError, IndexError):
            continue
        running.append((os.path.basename(pf)[:-4], pid, alive(pid)))
    for name, pid, ok in running:
        print(f"{name:40} pid {pid:<8} {'running' if ok else 'DEAD'}")
    print(f"addresses on lo in the lab block: {len(addresses_on_lo())}")
    return 0 if running and all(ok for _, _, ok in running) else 1


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else "status"
    if cmd == "up":
        args = sys.argv[2:]
        if args and (args[0] != "--scale" or len(args) != 2):
            raise SystemExit(__doc__)
        up(scale.parse_count(args[1]) if args else 0)
    elif cmd == "down":
        down()
    elif cmd == "status":
        sys.exit(status())
    else:
        raise SystemExit(__doc__)
