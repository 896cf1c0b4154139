"""Per-address cross-check (issue 13 item 1): for the lab's hosts with several A/AAAA records
(scenarios.yaml `expect.addresses`), what GovAudit's tls.addresses says of each address against
sslyze (target `host:443{ip}`, `{[ipv6]}` for IPv6) and testssl.sh (`--ip ADDR`, with `-6` for
an IPv6 one), each tool connecting to that address with the host's name as SNI.

Compared per address: whether TLS answers, the protocols offered, and the leaf's SHA-256 (sslyze
prints it in base64, testssl.sh in hex). Used by crosscheck.py; the lab must be up."""
import base64
import json
import os
import subprocess
import tempfile

FIELDS = ["answers", "protocols", "leafSHA256"]
SSLYZE_KEYS = {"SSLv2": "ssl_2_0_cipher_suites", "SSLv3": "ssl_3_0_cipher_suites", "TLSv1": "tls_1_0_cipher_suites",
               "TLSv1.1": "tls_1_1_cipher_suites", "TLSv1.2": "tls_1_2_cipher_suites", "TLSv1.3": "tls_1_3_cipher_suites"}
TESTSSL_NAMES = {"SSLv2": "SSLv2", "SSLv3": "SSLv3", "TLS1": "TLSv1", "TLS1_1": "TLSv1.1", "TLS1_2": "TLSv1.2", "TLS1_3": "TLSv1.3"}


def hosts(doc):
    """The lab's every-address hosts (name → addresses in the host's records)."""
    return {h["name"]: list((h["expect"].get("addresses") or {}).get("records", {}))
            for h in doc["merged"] if h["expect"].get("addresses")}


def govaudit_facts(evidence):
    """Per address of one endpoint's tls.addresses (GovAudit's JSON report)."""
    ev = {e["kind"]: e for e in evidence}
    facts = (ev.get("tls.addresses") or {}).get("facts") or {}
    out = {}
    for r in facts.get("records", []):
        answers = r["outcome"]["status"] == "collected"
        out[r["address"]] = {"answers": answers, "protocols": r.get("versions", []) if answers else [],
                             "leafSHA256": r.get("leafSHA256")}
    return out


def sslyze(run, targets, env):
    """`targets`: (host, address) pairs, one sslyze run; facts per (host, address)."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        path = f.name
    args = [f"{h}:443{{[{a}]}}" if ":" in a else f"{h}:443{{{a}}}" for h, a in targets]
    run(["--quiet", "--json_out", path, "--sslv2", "--sslv3", "--tlsv1", "--tlsv1_1", "--tlsv1_2", "--tlsv1_3",
         "--certinfo", "--certinfo_ca_file", env["caFile"]] + args)
    with open(path) as f:
        doc = json.load(f)
    os.unlink(path)
    return sslyze_facts(doc)


def sslyze_facts(doc):
    out = {}
    for r in doc["server_scan_results"]:
        loc = r["server_location"]
        key = (loc["hostname"], loc.get("ip_address"))
        if r.get("connectivity_status") != "COMPLETED":
            out[key] = {"answers": False, "protocols": [], "leafSHA256": None}
            continue
        sr = r.get("scan_result") or {}
        protocols = [p for p, k in SSLYZE_KEYS.items() if ((sr.get(k) or {}).get("result") or {}).get("accepted_cipher_suites")]
        leaf = None
        try:
            chain = sr["certificate_info"]["result"]["certificate_deployments"][0]["received_certificate_chain"]
            leaf = base64.b64decode(chain[0]["fingerprint_sha256"]).hex()
        except (KeyError, IndexError, TypeError):
            pass
        out[key] = {"answers": True, "protocols": protocols, "leafSHA256": leaf}
    return out


def testssl(host, address, env, with_lab_dns):
    """testssl.sh on one address: protocols (-p) and the server's certificate (-S)."""
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "out.json")
        args = ["testssl", "--quiet", "--warnings", "off", "--color", "0", "--jsonfile", path, "--ip", address,
                "--add-ca", env["caFile"], "-p", "-S"] + (["-6"] if ":" in address else []) + [f"{host}:443"]
        subprocess.run(with_lab_dns(args, env, d), capture_output=True, text=True, timeout=600)
        if not os.path.exists(path):
            return {"answers": None, "protocols": None, "leafSHA256": None}
        with open(path) as f:
            return testssl_facts(json.load(f))


def testssl_facts(items):
    ids = {}
    for x in items:
        base, _, tag = x["id"].partition(" <cert#")
        if not tag or tag.startswith("1>"):
            ids.setdefault(base, x["finding"])
    protocols = [TESTSSL_NAMES[k] for k in TESTSSL_NAMES if ids.get(k, "").startswith("offered")]
    answered = any(k in ids for k in TESTSSL_NAMES)
    leaf = ids.get("cert_fingerprintSHA256")
    return {"answers": bool(protocols) if answered else False, "protocols": protocols if answered else [],
            "leafSHA256": leaf.strip().lower() if leaf else None}
