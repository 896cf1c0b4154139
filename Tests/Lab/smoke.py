#!/usr/bin/python3
"""Lab smoke test: checks Tests/Lab/scenarios.yaml's expected facts against the running lab with
standard tools (dig, delv, curl, openssl s_client, gnutls-cli) and plain sockets. It proves the
lab shows what the expected data says, so probe tests can trust both.

    smoke.py            every host and DNS name
    smoke.py HOST...    only these

Prints one line per failed check and ends with "N passed, M failed"; exit 1 on any failure, and
on a lab that is not running.
"""
import concurrent.futures
import datetime
import json
import os
import re
import socket
import subprocess
import tempfile
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lab  # noqa: E402

ENV = lab.state("lab.json")
TIMEOUT = 4


def sh(cmd, input_text="", timeout=15):
    try:
        r = subprocess.run(cmd, input=input_text, capture_output=True, text=True, timeout=timeout,
                           errors="replace")
        return r.returncode, r.stdout + r.stderr
    except subprocess.TimeoutExpired:
        return 124, ""


class Checks:
    def __init__(self, subject):
        self.subject = subject
        self.passed = 0
        self.failures = []

    def expect(self, what, actual, wanted):
        if actual == wanted:
            self.passed += 1
        else:
            self.failures.append(f"{self.subject}: {what}: expected {wanted!r}, observed {actual!r}")


def fold(text):
    """Diacritics, case and separators folded away, as a keyword matcher must (đ → d)."""
    import unicodedata
    t = unicodedata.normalize("NFD", text.lower()).replace("đ", "d")
    t = "".join(ch for ch in t if unicodedata.category(ch) != "Mn")
    return re.sub(r"[-_/\s]+", " ", t)


def reach(addr, port):
    """open | refused | stall, as a scanner tells them apart."""
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.settimeout(2)
    try:
        s.connect((addr, port))
        return "open"
    except ConnectionRefusedError:
        return "refused"
    except (socket.timeout, TimeoutError):
        return "stall"
    except OSError as e:
        return f"error {e.errno}"
    finally:
        s.close()


def dig(name, typ, server):
    _, out = sh(["dig", "+short", "+time=2", "+tries=1", f"@{server}", name, typ])
    return [l for l in out.split() if l and not l.startswith(";")]


def s_client(addr, host, extra, sni=True):
    target = f"[{addr}]:443" if ":" in addr else f"{addr}:443"
    cmd = ["openssl", "s_client", "-connect", target] + (["-servername", host] if sni else ["-noservername"])
    return sh(cmd + extra, input_text="", timeout=TIMEOUT + 4)


def leaf_facts(addr, host, ca, sni=True):
    code, out = s_client(addr, host, ["-showcerts", "-CAfile", ca, "-cipher", "DEFAULT@SECLEVEL=0"], sni)
    certs = re.findall(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----", out, re.S)
    if not certs:
        return None
    _, text = sh(["openssl", "x509", "-noout", "-text", "-subject", "-issuer", "-enddate"], input_text=certs[0])
    m_key = re.search(r"Public-Key: \((\d+) bit\)", text)
    m_sig = re.search(r"Signature Algorithm: (\S+)", text)
    m_sub = re.search(r"^subject=.*CN ?= ?([^,\n]+)", text, re.M)
    m_iss = re.search(r"^issuer=(.*)$", text, re.M)
    m_subj_full = re.search(r"^subject=(.*)$", text, re.M)
    m_end = re.search(r"notAfter=(.*)$", text, re.M)
    verify = re.search(r"Verify return code: (\d+)", out)
    end = datetime.datetime.strptime(m_end.group(1).strip(), "%b %d %H:%M:%S %Y %Z")
    return {
        "count": len(certs),
        "key": ("EC" if "id-ecPublicKey" in text else "RSA") + f"-{m_key.group(1)}" if m_key else "?",
        "certs": certs,
        "signature": m_sig.group(1) if m_sig else "?",
        "cn": m_sub.group(1).strip() if m_sub else "?",
        "selfSigned": m_iss.group(1).strip() == m_subj_full.group(1).strip(),
        "notAfter": end.date().isoformat(),
        "daysLeft": (end - datetime.datetime.utcnow()).days,
        "verify": int(verify.group(1)) if verify else -1,
    }


def protocols(addr, name):
    """The versions a full handshake completes with, one s_client per version."""
    offered = []
    for proto, flag in [("TLSv1", "-tls1"), ("TLSv1.1", "-tls1_1"), ("TLSv1.2", "-tls1_2"), ("TLSv1.3", "-tls1_3")]:
        extra = [flag] + ([] if flag == "-tls1_3" else ["-cipher", "DEFAULT@SECLEVEL=0"])
        _, out = s_client(addr, name, extra)
        # A completed handshake prints "New, …, Cipher is X"; a refused one "Cipher is (NONE)".
        # The negotiated version is the session's "Protocol :" line (the "New," line names the
        # cipher's version, TLSv1.0 for a CBC suite negotiated under TLS 1.1).
        # TLS 1.3 prints no session block at that point: then the "New," line is the version.
        done = re.search(r"New, (\S+), Cipher is (\S+)", out)
        version = re.search(r"Protocol\s*: (\S+)", out)
        negotiated = version.group(1) if version else done.group(1) if done else None
        if done and done.group(2) != "(NONE)" and negotiated == proto:
            offered.append(proto)
    return offered


def leaf_sha256(addr, name, ca):
    f = leaf_facts(addr, name, ca)
    if f is None:
        return None
    _, out = sh(["openssl", "x509", "-noout", "-fingerprint", "-sha256"], input_text=f["certs"][0])
    return out.strip().split("=", 1)[-1].replace(":", "").lower() or None


def check_addresses(c, h, ca):
    """Every address (issue 13 item 1, `expect.addresses`): per address, what openssl s_client
    completes a handshake with and which leaf it is sent; the refusing address refuses."""
    e = h["expect"].get("addresses")
    if not e:
        return
    name = h["name"]
    primary = leaf_sha256(h["ipv4"], name, ca)
    c.expect("primary leaf", primary is not None, True)
    for addr, want in e["records"].items():
        if want.get("outcome") == "refused":
            c.expect(f"{addr} port 443", reach(addr, 443), "refused")
            continue
        c.expect(f"{addr} protocols", protocols(addr, name), want["protocols"])
        leaf = leaf_sha256(addr, name, ca)
        c.expect(f"{addr} leaf", "primary" if leaf == primary else "other" if leaf else None, want["leaf"])


def check_tls(c, h, ca):
    e = h["expect"]["tls"]
    addr, name = h["ipv4"], h["name"]
    c.expect("protocols offered", protocols(addr, name), e["protocols"])
    f = leaf_facts(addr, name, ca)
    if f is None:
        c.expect("certificate", None, "sent")
        return
    c.expect("key", f["key"], e["key"])
    c.expect("signature", f["signature"], e["signature"])
    c.expect("self-signed", f["selfSigned"], e["selfSigned"])
    c.expect("chain complete", "complete" if f["count"] >= 2 or f["selfSigned"] else "incomplete", e["chain"])
    c.expect("expired", f["daysLeft"] < 0, e["expired"])
    if "notAfter" in e:
        c.expect("notAfter", f["notAfter"], e["notAfter"])
    if "daysLeftAtMost" in e:
        c.expect("days left within window", 0 <= f["daysLeft"] <= e["daysLeftAtMost"], True)
    # Trusted: the chain verifies to the lab root, hostname aside (openssl code 0 without -verify_hostname).
    c.expect("trusted", f["verify"] == 0, e["trusted"])
    hostname_ok = name == f["cn"] or (e["hostname"] == "match" and f["cn"] == name)
    c.expect("hostname", "match" if hostname_ok else "mismatch", e["hostname"])
    if "subject" in e:
        c.expect("subject CN", f["cn"], e["subject"])
    _, out = s_client(addr, name, ["-status"])
    c.expect("OCSP stapled", "OCSP Response Status: successful" in out, e["ocspStapled"])
    if "noSNI" in e:
        g = leaf_facts(addr, name, ca, sni=False)
        c.expect("certificate without SNI", g and g["cn"], e["noSNI"]["subject"])
    if "suitesInclude" in e:
        probes = {"TLS_RSA_WITH_3DES_EDE_CBC_SHA": "+3DES-CBC:+RSA:+SHA1",
                  "TLS_RSA_WITH_AES_128_CBC_SHA": "+AES-128-CBC:+RSA:+SHA1"}
        for suite in e["suitesInclude"]:
            prio = f"NONE:+VERS-TLS1.2:{probes[suite]}:+COMP-NULL:+SIGN-ALL:+GROUP-ALL"
            _, out = sh(["gnutls-cli", "--x509cafile", ca, "--priority", prio, "--port", "443",
                         "--sni-hostname", name, "--verify-hostname", name, addr], timeout=TIMEOUT + 4)
            c.expect(f"suite {suite}", "Handshake was completed" in out, True)


def check_depth(c, h, ca):
    """Issue 13's chain and HTTPS facts (`chainHTTPS`) with openssl and curl: the other key type's leaf, weak
    intermediates, the downgrade redirect, cookie attributes, security.txt."""
    d, name, v4 = h["expect"].get("chainHTTPS"), h["name"], h["ipv4"]
    if d is None:
        return
    if "otherKeyTypes" in d:
        _, out = s_client(v4, name, ["-sigalgs", "RSA+SHA256:rsa_pss_rsae_sha256", "-cipher", "aRSA", "-showcerts"])
        certs = re.findall(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----", out, re.S)
        _, text = sh(["openssl", "x509", "-noout", "-text"], input_text=certs[0] if certs else "")
        m = re.search(r"Public-Key: \((\d+) bit\)", text)
        c.expect("RSA-only client's leaf", [("EC" if "id-ecPublicKey" in text else "RSA") + f"-{m.group(1)}"] if m else [], d["otherKeyTypes"])
    if "weakSignatures" in d:
        f = leaf_facts(v4, name, ca) or {"certs": []}
        weak = []
        for pem in f["certs"][1:]:
            _, text = sh(["openssl", "x509", "-noout", "-text", "-subject"], input_text=pem)
            if re.search(r"Signature Algorithm: (sha1|md5)", text):
                weak.append(re.search(r"^subject=.*CN ?= ?([^,\n]+)", text, re.M).group(1).strip())
        c.expect("weak intermediates", weak, d["weakSignatures"])
        # A stock client (OpenSSL's default security level) rejects the chain.
        code, out = sh(["openssl", "s_client", "-connect", f"{v4}:443", "-servername", name, "-CAfile", ca], input_text="", timeout=TIMEOUT + 4)
        verify = re.search(r"Verify return code: (\d+)", out)
        c.expect("default-level verification", bool(verify) and verify.group(1) == "0", d.get("defaultLevelVerifies", True))
    if "downgrade" in d:
        _, out = curl(["-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", "--cacert", ca, "--resolve", f"{name}:443:{v4}", f"https://{name}/"])
        c.expect("HTTPS redirect target", out.partition(" ")[2].strip(), d["downgrade"].replace("{host}", name))
    if "cookiesMissing" in d:
        _, head = curl(["-D", "-", "-o", "/dev/null", "--cacert", ca, "--resolve", f"{name}:443:{v4}", f"https://{name}/"])
        missing = {}
        for line in head.splitlines():
            if line.lower().startswith("set-cookie:"):
                value = line.split(":", 1)[1].strip()
                attrs = {a.strip().split("=")[0].lower() for a in value.split(";")[1:]}
                lacking = [a for a in ["Secure", "HttpOnly", "SameSite"] if a.lower() not in attrs]
                if lacking:
                    missing[value.split("=")[0]] = lacking
        c.expect("cookies without attributes", missing, d["cookiesMissing"])
    if "securityTxt" in d:
        _, out = curl(["-w", "\n%{http_code} %{content_type}", "--cacert", ca, "--resolve", f"{name}:443:{v4}",
                       f"https://{name}/.well-known/security.txt"])
        text, _, status = out.rpartition("\n")
        c.expect("security.txt served as text/plain", status.startswith("200 text/plain"), True)
        m = re.search(r"^Expires: (\S+)", text, re.M)
        expired = m is not None and m.group(1) < datetime.datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%SZ")
        c.expect("security.txt", "expired" if expired else "valid" if m and "Contact:" in text else "invalid", d["securityTxt"])
def check_tls_depth(c, h):
    """The depth facts openssl s_client can show by itself: RFC 5746, RFC 7627, ALPN, resumption
    by session id and by ticket, TLS_FALLBACK_SCSV, DH size and the TLS 1.3 early-data allowance.
    (Heartbleed, CCS injection and compression: OpenSSL 3 cannot test them; make crosscheck does.)"""
    e, addr, name = h["expect"]["tlsDepth"], h["ipv4"], h["name"]
    tls12 = ["-tls1_2", "-cipher", "ALL@SECLEVEL=0"]
    _, out = s_client(addr, name, tls12 + ["-alpn", "h2,http/1.1"])
    c.expect("secure renegotiation", "Secure Renegotiation IS supported" in out, e["secureRenegotiation"])
    c.expect("extended master secret", "Extended master secret: yes" in out, e["extendedMasterSecret"])
    alpn = re.search(r"ALPN protocol: (\S+)", out)
    c.expect("ALPN", alpn.group(1) if alpn else None, e["alpn"])
    with tempfile.TemporaryDirectory() as d:
        for what, flags in [("resumptionByID", ["-no_ticket"]), ("resumptionByTicket", [])]:
            path = os.path.join(d, what)
            _, first = s_client(addr, name, tls12 + flags + ["-sess_out", path])
            _, again = s_client(addr, name, tls12 + flags + ["-sess_in", path])
            # By ticket only if a ticket was issued: a server without tickets may resume by id.
            ticket = what == "resumptionByID" or "TLS session ticket lifetime hint" in first
            c.expect(what, ticket and "Reused, " in again, e[what])
    if e.get("fallbackRejected") is not None:
        _, out = s_client(addr, name, tls12 + ["-fallback_scsv"] if "TLSv1.3" in h["expect"]["tls"]["protocols"] else ["-tls1_1", "-fallback_scsv"])
        c.expect("TLS_FALLBACK_SCSV", "inappropriate fallback" in out, e["fallbackRejected"])
    if e.get("dhBits"):
        _, out = s_client(addr, name, ["-tls1_2", "-cipher", "DHE@SECLEVEL=0"])
        bits = re.search(r"Server Temp Key: DH, (\d+) bits", out)
        c.expect("DH bits", int(bits.group(1)) if bits else None, e["dhBits"])
    if e.get("maxEarlyData") is not None:
        # Tickets come after the handshake: stdin stays open a while so s_client reads them; on a
        # loaded machine the handshake alone can take longer, so a longer wait is tried again.
        for wait in (1, 4):
            _, out = sh(["sh", "-c", f"sleep {wait} | openssl s_client -connect {addr}:443 -servername {name} -tls1_3"],
                        timeout=TIMEOUT + wait + 3)
            early = [int(x) for x in re.findall(r"Max Early Data: (\d+)", out)]
            if early:
                break
        c.expect("max early data", max(early) if early else None, e["maxEarlyData"])


def curl(args, timeout=TIMEOUT):
    return sh(["curl", "-s", "-m", str(timeout)] + args, timeout=timeout + 3)


def check_http(c, h, ca):
    e, name, v4 = h["expect"], h["name"], h["ipv4"]
    code, out = curl(["-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", "--resolve", f"{name}:80:{v4}", f"http://{name}/"])
    status, _, location = out.partition(" ")
    c.expect("HTTP status", int(status or 0), e["http"]["status"])
    if "location" in e["http"]:
        c.expect("HTTP redirect", location.strip(), e["http"]["location"].replace("{host}", name))
    _, head80 = curl(["-D", "-", "-o", "/dev/null", "--resolve", f"{name}:80:{v4}", f"http://{name}/"])
    c.expect("HSTS over plain HTTP", "strict-transport-security" in head80.lower(), e["hstsOverHTTP"])
    if e["tls"] is None:
        return
    _, head = curl(["-k", "-D", "-", "-o", "/dev/null", "--resolve", f"{name}:443:{v4}", f"https://{name}/"])
    headers = {}
    for line in head.splitlines():
        k, sep, v = line.partition(":")
        if sep:
            headers[k.strip().lower()] = v.strip()
    hsts = headers.get("strict-transport-security")
    if e["hsts"] is None:
        c.expect("HSTS", hsts, None)
    else:
        m = re.search(r"max-age=(\d+)", hsts or "")
        c.expect("HSTS max-age", int(m.group(1)) if m else None, e["hsts"]["maxAge"])
        c.expect("HSTS includeSubDomains", "includesubdomains" in (hsts or "").lower(), e["hsts"]["includeSubDomains"])
    wanted = sorted(e["headers"])
    present = sorted(k for k in ["content-security-policy", "x-content-type-options", "x-frame-options", "referrer-policy"]
                     if k in headers)
    c.expect("security headers", present, wanted)
    c.expect("server version leaked", "/" in headers.get("server", ""), e["serverVersionLeaked"])


def body(name, addr, path, ca, extra=()):
    resolve = f"{name}:443:{addr if ':' not in addr else '[' + addr + ']'}"
    return curl(list(extra) + ["-k", "--resolve", resolve, f"https://{name}{path}"])[1]


def check_content(c, h, ca):
    e, name = h["expect"], h["name"]
    if e["tls"] is None or e.get("hostile"):
        return
    if h["ipv6"] and e["reach"] != "none" and e["reach"]["ipv6"][443] == "open":
        same = body(name, h["ipv4"], "/", ca) == body(name, h["ipv6"], "/", ca)
        c.expect("IPv4/IPv6 parity", "same" if same else "different", e["parity"])
    for link in e["links"]:
        if link["technique"] == "404-redirect":
            _, out = curl(["-o", "/dev/null", "-w", "%{http_code}", "--cacert", ca, "--resolve",
                           f"{name}:443:{h['ipv4']}", f"https://{name}{link['page']}"])
            c.expect("404 page status", out, "404")
        page = body(name, h["ipv4"], link["page"], ca) if "charset" not in e else raw_body(name, h["ipv4"], link["page"]).decode("cp1258")
        c.expect(f"link {link['url']} on {link['page']}", link["url"] in page, True)
        if link.get("keyword"):
            c.expect(f"keyword {link['keyword']!r} on {link['page']}", fold(link["keyword"]) in fold(page), True)
    if "cloaking" in e:
        for how, extra in [("userAgent", ["-A", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"]),
                           ("referer", ["-e", "https://www.google.com/"])]:
            _, out = curl(extra + ["-o", "/dev/null", "-w", "%{redirect_url}", "--cacert", ca, "--resolve",
                                   f"{name}:443:{h['ipv4']}", f"https://{name}/"])
            c.expect(f"cloaking by {how}", out.strip(), e["cloaking"][how])
        _, out = curl(["-o", "/dev/null", "-w", "%{http_code}", "--cacert", ca, "--resolve", f"{name}:443:{h['ipv4']}",
                       f"https://{name}/"])
        c.expect("browser not redirected", out, "200")
    if "pages" in e:
        pages, depth, broken = crawl(name, h["ipv4"], ca)
        c.expect("pages", pages, e["pages"])
        c.expect("depth", depth, e["depth"])
        c.expect("broken internal links", sorted(broken), sorted(e["brokenLinks"]))
        home = "".join(body(name, h["ipv4"], p, ca) for p in ["/chuyen-muc-1/bai-1.html", "/chuyen-muc-1/bai-2.html"])
        for url in e["mixedContent"] + e["thirdPartyScripts"] + e["outsideVN"]:
            c.expect(f"reference {url}", url in home, True)


def raw_body(name, addr, path):
    """The page's bytes as served (a legacy code page stays one)."""
    r = subprocess.run(["curl", "-s", "-k", "-m", str(TIMEOUT), "--resolve", f"{name}:443:{addr}", f"https://{name}{path}"],
                       capture_output=True, timeout=TIMEOUT + 3)
    return r.stdout


def check_link_depth(c, h, ca):
    """Issue 14's scenarios: a legacy code page, an off-site redirect, a sitemap-only page, broken
    sub-resources and outbound links, as curl sees them."""
    e, name, v4 = h["expect"], h["name"], h["ipv4"]
    if "charset" in e:
        home = raw_body(name, v4, e["charset"]["page"])
        c.expect("page invalid as UTF-8", not valid_utf8(home), True)
        c.expect("windows-1258 declared", b"charset=windows-1258" in home, True)
    for r in e.get("offsiteRedirects", []):
        _, out = curl(["-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", "--cacert", ca, "--resolve", f"{name}:443:{v4}",
                       f"https://{name}{r['page']}"])
        c.expect(f"off-site redirect of {r['page']}", out.strip(), f"{r['status']} {r['target']}")
    for path in e.get("sitemapOnly", []):
        pages = raw_body(name, v4, "/sitemaps/pages.xml").decode()
        c.expect(f"{path} in the sitemap", path in pages, True)
        c.expect(f"{path} linked from the home page", path in raw_body(name, v4, "/").decode(), False)
    for r in e.get("brokenResources", []):
        _, out = curl(["-o", "/dev/null", "-w", "%{http_code}", "--cacert", ca, "--resolve", f"{name}:443:{v4}", f"https://{name}{r['url']}"])
        c.expect(f"{r['element']} {r['url']}", out, "404")
    for url in e.get("brokenOutbound", []):
        host = url.split("/")[2]
        addr = next((x["ipv4"] for x in LAB_HOSTS if x["name"] == host), None)
        _, out = curl(["-o", "/dev/null", "-w", "%{http_code}", "--cacert", ca, "--resolve", f"{host}:443:{addr}", url])
        c.expect(f"outbound {url}", out, "404")


def valid_utf8(b):
    try:
        b.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


LAB_HOSTS = []


def crawl(name, addr, ca):
    """A small same-site crawl with curl: pages that answer 200, the deepest level, 404 links."""
    seen, broken, frontier, depth = {"/"}, [], ["/"], 0
    level_of = {"/": 0}
    ok = 0
    while frontier:
        path = frontier.pop(0)
        _, out = curl(["-w", "\n%{http_code}", "--cacert", ca, "--resolve", f"{name}:443:{addr}", f"https://{name}{path}"])
        text, _, code = out.rpartition("\n")
        if code != "200":
            broken.append(path)
            continue
        ok += 1
        depth = max(depth, level_of[path])
        for href in re.findall(r'href="(/[^"]*)"', text):
            if href not in seen:
                seen.add(href)
                level_of[href] = level_of[path] + 1
                frontier.append(href)
    return ok, depth, broken


def check_hostile(c, h, ca):
    kind, name, v4 = h["expect"].get("hostile"), h["name"], h["ipv4"]
    if kind == "redirect-loop":
        code, _ = curl(["-L", "--max-redirs", "10", "-o", "/dev/null", "--cacert", ca, "--resolve", f"{name}:443:{v4}",
                        f"https://{name}/"])
        c.expect("curl gives up on redirects (exit 47)", code, 47)
    elif kind == "too-large":
        _, out = curl(["-I", "--cacert", ca, "--resolve", f"{name}:443:{v4}", f"https://{name}/"])
        m = re.search(r"content-length: (\d+)", out.lower())
        c.expect("body size", int(m.group(1)) if m else None, h["expect"]["bodyBytes"])
    elif kind == "too-slow":
        code, out = sh(["curl", "-s", "-m", "3", "-o", "/dev/null", "-w", "%{size_download}", "--cacert", ca,
                        "--resolve", f"{name}:443:{v4}", f"https://{name}/"], timeout=8)
        c.expect("transfer cut by curl's timeout (exit 28)", code, 28)
        c.expect("a few bytes at most", int(out or 0) <= 10, True)
    elif kind == "handshake-timeout":
        code, out = sh(["timeout", "3", "openssl", "s_client", "-connect", f"{v4}:443", "-servername", name], timeout=8)
        c.expect("no TLS handshake within 3 s (timeout exit 124)", code, 124)
        c.expect("no certificate", "BEGIN CERTIFICATE" in out, False)


def check_host(h, ca, ns):
    c = Checks(h["name"])
    e = h["expect"]
    more4, more6 = [a for a in h["more"] if ":" not in a], [a for a in h["more"] if ":" in a]
    c.expect("A", sorted(dig(h["name"], "A", ns)), sorted([h["ipv4"]] + more4) if e["dns"]["a"] else [])
    c.expect("AAAA", sorted(dig(h["name"], "AAAA", ns)), sorted([h["ipv6"]] + more6) if e["dns"]["aaaa"] else [])
    for fam, addr in [("ipv4", h["ipv4"]), ("ipv6", h["ipv6"])]:
        wanted = e["reach"][fam] if e["reach"] != "none" else "none"
        if wanted == "none" or addr is None:
            c.expect(f"{fam} address", addr, None if wanted == "none" else addr)
            continue
        for port in (80, 443):
            c.expect(f"{fam} port {port}", reach(addr, port), wanted[port])
    if e["tls"] is not None:
        check_tls(c, h, ca)
    if e.get("tlsDepth"):
        check_tls_depth(c, h)
    check_addresses(c, h, ca)
    if not e.get("hostile"):
        check_http(c, h, ca)
    check_content(c, h, ca)
    check_link_depth(c, h, ca)
    check_hostile(c, h, ca)
    check_depth(c, h, ca)
    return c


def check_dns_names(doc, ns):
    c = Checks("dns")
    anchors = lab.state("dns", "trust-anchors.ds")
    bind_anchors = lab.state("dns", "trust-anchors.bind")
    lines = []
    for rec in open(anchors).read().split("\n"):
        p = rec.split()
        if len(p) >= 7:
            lines.append(f'  {p[0]} static-ds {p[4]} {p[5]} {p[6]} "{"".join(p[7:])}";')
    with open(bind_anchors, "w") as f:
        f.write("trust-anchors {\n" + "\n".join(lines) + "\n};\n")
    for d in doc["dnsNames"]:
        e = d.get("expect") or {}
        name = d["name"]
        if "cnameChain" in e:
            chain = [x.rstrip(".") for x in dig(name, "A", ns) if not re.match(r"^[\d.]+$", x)]
            c.expect(f"{name} CNAME chain", chain, e["cnameChain"])
        if e.get("dns") == "timeout":
            code, out = sh(["dig", "+time=1", "+tries=1", f"@{doc['lab']['blackholeNameserver']}", name, "A"])
            c.expect(f"{name} delegated name server silent", "timed out" in out, True)
            ref = sh(["dig", "+norecurse", f"@{ns}", name, "A"])[1]
            c.expect(f"{name} delegation from the parent", f"ns.{name}." in ref, True)
        if e.get("dns") == "servfail":
            out = sh(["dig", f"@{ns}", name, "A"])[1]
            c.expect(f"{name} status", re.search(r"status: (\w+)", out).group(1), "SERVFAIL")
        if e.get("dnssec") in ("secure", "bogus"):
            zone = name.split(".", 1)[1]
            _, out = sh(["delv", f"@{ns}", "-a", bind_anchors, f"+root={zone}", name, "A"])
            state = "secure" if "; fully validated" in out else "bogus" if "resolution failed" in out or "validation" in out.lower() else out
            c.expect(f"{name} DNSSEC", state, e["dnssec"])
        if e.get("dnssec") == "signed-no-ds":
            zone = name.split(".", 1)[1]
            c.expect(f"{zone} DNSKEY published", bool(dig(zone, "DNSKEY", ns)), True)
            c.expect(f"{zone} no DS in the parent", bool(dig(zone, "DS", ns)), False)
        if "aCount" in e:
            c.expect(f"{name} A records (over TCP)", len(dig(name, "A", ns)), e["aCount"])
        if e.get("dnssec") == "unsigned":
            out = sh(["dig", "+dnssec", f"@{ns}", name, "SOA"])[1]
            c.expect(f"{name} unsigned", "RRSIG" in out, False)
        for host, facts in (e.get("ns") or {}).items():
            c.expect(f"NS {host} has AAAA", bool(dig(host, "AAAA", ns)), facts["ipv6"])
            c.expect(f"{name} NS includes {host}", host + "." in dig(name, "NS", ns), True)
        for host, facts in (e.get("mx") or {}).items():
            c.expect(f"MX {host} has AAAA", bool(dig(host, "AAAA", ns)), facts["ipv6"])
            c.expect(f"{name} MX is {host}", any(host in x for x in dig(name, "MX", ns)), True)
    # The recursive resolver answers the lab's names, and nothing outside it.
    res = env_resolver()
    c.expect("resolver answers a lab name", dig("dichvucong.angiang.gov.vn", "A", res), ["127.0.10.12"])
    out = sh(["dig", "+time=3", "+tries=1", f"@{res}", "example.com", "A"])[1]
    c.expect("resolver keeps outside names inside (SERVFAIL/REFUSED)",
             bool(re.search(r"status: (SERVFAIL|REFUSED)", out)), True)
    return c


def env_resolver():
    return json.load(open(ENV))["resolver"].rsplit(":", 1)[0]


def main():
    if not os.path.exists(ENV):
        print("smoke: the lab is not running (make lab-up)")
        print("0 passed, 1 failed")
        return 1
    env = json.load(open(ENV))
    doc = lab.load()
    LAB_HOSTS.extend(doc["merged"])
    ca, ns = env["caFile"], env["authoritative"].rsplit(":", 1)[0]
    only = set(sys.argv[1:])
    hosts = [h for h in doc["merged"] if not only or h["name"] in only]
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda h: check_host(h, ca, ns), hosts))
    if not only:
        results.append(check_dns_names(doc, ns))
    passed = sum(r.passed for r in results)
    failures = [f for r in results for f in r.failures]
    for f in failures:
        print("FAIL " + f)
    print(f"smoke: {len(hosts)} hosts checked")
    print(f"{passed} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
