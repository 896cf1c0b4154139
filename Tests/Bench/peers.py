"""The commands the benchmark times, and how each tool's output is read back into facts.

Coverage is made equal where two tools are compared (the issue's precision): GovAudit
`scan --checks tls` beside sslyze with every protocol, the certificate, the groups and the HTTP
headers; sslscan and testssl.sh with their nearest options (COVERAGE says which). The crawl:
GovAudit `--checks links` beside linkchecker on the same start pages, external links not fetched.
"""
import csv
import json
import os
import sys
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "Tests", "Lab"))
import crosscheck  # noqa: E402

BIN = os.environ.get("GOVAUDIT_BIN") or os.path.join(ROOT, ".build/release/govaudit")
SSLYZE_VENV = os.path.join(ROOT, ".build/bench/venv-sslyze")
PSHTT_VENV = os.path.join(ROOT, ".build/bench/venv-pshtt")
STATE = os.path.join(ROOT, "Tests/Lab/state")
CA = os.path.join(STATE, "pki/root.pem")
LAB_OPTIONS = ["--resolver", "127.0.10.1:53", "--ca-file", CA, "--trust-anchor", os.path.join(STATE, "dns/trust-anchors.ds"),
               "--allow-net", "127.0.10.0/24", "--allow-net", "fd10::/16"]
SSLYZE_FLAGS = ["--certinfo", "--sslv2", "--sslv3", "--tlsv1", "--tlsv1_1", "--tlsv1_2", "--tlsv1_3",
                "--elliptic_curves", "--http_headers"]
# sslscan: protocols, suites, groups, certificate; its extra vulnerability probes (which GovAudit
# does not make yet) off, so both do the same handshakes' work.
SSLSCAN_FLAGS = ["--no-colour", "--no-heartbleed", "--no-renegotiation", "--no-compression", "--no-fallback"]
# testssl.sh: protocols, each cipher, server defaults (certificate), forward secrecy (groups), headers.
TESTSSL_FLAGS = ["--quiet", "--warnings", "off", "--color", "0", "--nodns", "none", "--add-ca", CA, "-p", "-e", "-S", "-f", "-h"]

COVERAGE = {
    "govaudit": "govaudit scan --checks tls (protocols SSLv2–TLS 1.3, every suite, groups, certificate, redirect, HSTS, headers)",
    "sslyze": "sslyze " + " ".join(SSLYZE_FLAGS) + " --certinfo_ca_file CA HOST:443{ADDR} for every address GovAudit "
              "enumerated in full (tls.addresses: the first A and, on a dual-stack host, the first AAAA), so both "
              "cover the same addresses; addresses GovAudit only fingerprinted are not given to sslyze",
    "sslscan": "sslscan " + " ".join(SSLSCAN_FLAGS) + " --sni-name=HOST ADDR:443 (one process per host, 4 at a time, at most 40 hosts, scaled; no headers)",
    "testssl.sh": "testssl " + " ".join(TESTSSL_FLAGS[7:]) + " --ip ADDR HOST:443 (a sample, 4 at a time; scaled)",
    "linkchecker": "linkchecker -o csv --verbose --no-warnings (recursive inside the site, external links not fetched) "
                   "beside govaudit --checks links (--max-pages 100 --max-depth 5)",
    "pshtt": "pshtt HOST (HTTPS, HSTS) beside govaudit scan --checks tls",
}


def govaudit_scan(inventory, checks=None, db=None):
    """A scan that stores nothing, or, given `db`, one kept in that history store (a monthly
    scan after the first: it starts the endpoints slow in the last stored scan first)."""
    store = ["--db", db] if db else ["--no-store"]
    return [BIN, "scan", "--inventory", inventory, *LAB_OPTIONS, *store, "--format", "json", "--fail-on", "none",
            *(["--checks", checks] if checks else [])]


def govaudit_audit(url, checks):
    return [BIN, "audit", url, *LAB_OPTIONS, "--no-store", "--format", "json", "--fail-on", "none", "--checks", checks]


def endpoints(report_path):
    """host → that endpoint's evidence list, from a GovAudit JSON report."""
    doc = json.load(open(report_path))
    out = {}
    for system in doc["systems"]:
        for ep in system["endpoints"]:
            out[ep["endpoint"].split("//")[1].split("/")[0]] = ep["evidence"]
    return out


def offer(evidence):
    return next((e.get("facts") for e in evidence if e["kind"] == "tls.offer"), None) or {}


def depth_handshakes(evidence):
    """The TLS-depth checks' handshakes (vulnerabilities, protocol features, key exchange): apart
    from the floor, which they are not part of."""
    kinds = {"tls.vulnerabilities", "tls.features", "tls.key-exchange"}
    counts = [(e.get("facts") or {}).get("handshakes") for e in evidence if e["kind"] in kinds]
    return sum(c for c in counts if isinstance(c, int)) if counts else None


def handshake_floor(o):
    """The least ClientHellos that learn what tls.offer holds: per version accepted, one hello per
    accepted suite and one the server refuses; one per version refused; the same for the groups;
    one full handshake for the certificate (the vulnerability probes of the TLS-depth issue are
    not part of it)."""
    versions = o.get("versions", [])
    accepted = sum(len(v["suites"]) + 1 for v in versions)
    refused = 6 - len(versions)
    groups = len(o.get("groups", [])) + 1
    return accepted + refused + groups + 1


def full_addresses(evidence):
    """The addresses GovAudit enumerated in full (versions, every suite, the leaf) for one
    endpoint, primary first, from its tls.addresses evidence: what sslyze is given to scan."""
    addrs = next((e.get("facts") for e in evidence if e["kind"] == "tls.addresses"), None) or {}
    records = [r for r in addrs.get("records", []) if r.get("probing") in ("full", "fingerprint-then-full")
               and r.get("versions")]
    return [r["address"] for r in sorted(records, key=lambda r: not r.get("primary"))]


def other_address_handshakes(evidence):
    """Per address enumerated in full besides the primary: its hellos (the leaf's handshake not
    counted, as tls.offer does not count the certificate's), beside the same per-address floor."""
    addrs = next((e.get("facts") for e in evidence if e["kind"] == "tls.addresses"), None) or {}
    return [r["handshakes"] - 1 for r in addrs.get("records", [])
            if not r.get("primary") and r.get("probing") == "full" and r.get("versions") and "handshakes" in r]


def sslyze_location(host, address):
    return f"{host}:443{{[{address}]}}" if ":" in address else f"{host}:443{{{address}}}"


def sslyze_cmd(hosts, addresses, out):
    """`addresses`: host → the addresses to scan (one server string each)."""
    return [os.path.join(SSLYZE_VENV, "bin/python"), "-m", "sslyze", "--quiet", "--json_out", out, *SSLYZE_FLAGS,
            "--certinfo_ca_file", CA] + [sslyze_location(h, a) for h in hosts for a in addresses[h]]


def sslyze_at(doc, host_addresses):
    """sslyze's document cut to the results at the given (host, address) pairs."""
    return {**doc, "server_scan_results": [r for r in doc["server_scan_results"]
                                           if (r["server_location"]["hostname"], r["server_location"]["ip_address"]) in host_addresses]}


def address_facts(evidence, address):
    """GovAudit's protocols and suites at one non-primary address (its tls.addresses record)."""
    addrs = next((e.get("facts") for e in evidence if e["kind"] == "tls.addresses"), None) or {}
    r = next((r for r in addrs.get("records", []) if r["address"] == address), {})
    return {"protocols": sorted(r.get("versions", []), key=crosscheck.PROTOCOLS.index),
            "suites": sorted({s["name"] for v in r.get("suites") or [] for s in v["suites"] if "name" in s})}


def sslscan_cmd(host, address):
    return ["sslscan", *SSLSCAN_FLAGS, f"--sni-name={host}", "--xml=-", f"{address}:443"]


def sslscan_facts(path):
    """Protocols and accepted suites (by code point) from sslscan's XML (its text report may
    surround it on standard output)."""
    names = {"SSLv2": "SSLv2", "SSLv3": "SSLv3", "TLSv1.0": "TLSv1", "TLSv1.1": "TLSv1.1", "TLSv1.2": "TLSv1.2",
             "TLSv1.3": "TLSv1.3"}
    text = open(path, encoding="utf-8", errors="replace").read()
    start, end = text.find("<?xml"), text.rfind("</document>")
    try:
        root = ET.fromstring(text[start:end + len("</document>")])
    except ET.ParseError:
        return {}
    protocols = set()
    for p in root.iter("protocol"):
        key = ("SSLv" if p.get("type") == "ssl" else "TLSv") + p.get("version", "")
        if p.get("enabled") == "1" and key in names:
            protocols.add(names[key])
    codes = {int(c.get("id"), 16) for c in root.iter("cipher") if c.get("id")}
    return {"protocols": sorted(protocols, key=crosscheck.PROTOCOLS.index), "suiteCodes": sorted(codes)}


def testssl_cmd(host, address, out):
    return ["testssl", *TESTSSL_FLAGS, "--jsonfile", out, "--ip", address, f"{host}:443"]


def linkchecker_cmd(urls, names_file, ca_copy):
    """linkchecker through a wrapper that resolves the lab's names (the lab's DNS is not the
    system's) and trusts the lab CA; every URL checked, as CSV, to stdout."""
    return ["/usr/bin/python3", os.path.join(HERE, "linkchecker-lab.py"), names_file, ca_copy,
            "-o", "csv", "--verbose", "--no-warnings", "--no-status", *urls]


def linkchecker_facts(path):
    """URLs checked and the broken ones (not valid, inside the lab), from linkchecker's CSV."""
    lines = [ln for ln in open(path, encoding="utf-8", errors="replace") if not ln.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter=";"))
    broken = sorted({r["url"] for r in rows if r.get("valid") == "False"})
    return {"urls": len(rows), "broken": broken}


def govaudit_crawl_facts(evidence):
    crawl = next((e.get("facts") for e in evidence if e["kind"] == "links.crawl"), None) or {}
    return {"pages": crawl.get("pagesFetched"), "broken": sorted({b["url"] for b in crawl.get("broken", []) if not b.get("external")})}


def pshtt_available():
    """pshtt (and the sslyze 2.x it imports) in its venv, or why not."""
    python = os.path.join(PSHTT_VENV, "bin/python")
    if not os.path.exists(python):
        return False, f"no venv at {PSHTT_VENV}"
    import subprocess
    r = subprocess.run([python, "-c", "import pshtt.pshtt"], capture_output=True, text=True)
    if r.returncode:
        last = (r.stderr.strip().splitlines() or ["?"])[-1]
        return False, f"pshtt does not import: {last} (it needs sslyze 2.x, whose nassl 2 has no wheel for this Python)"
    return True, ""
