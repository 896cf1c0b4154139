#!/usr/bin/python3
"""Cross-check GovAudit's TLS facts against sslyze and testssl.sh on the lab's TLS hosts.

    crosscheck.py [HOST...]      (the lab must be up: make lab-up; make crosscheck does it all)

For each host, all three tools scan the same address; the script prints a table of agreement on
protocols, accepted cipher suites (IANA names), key size, signature hash, expiry date, the
chain facts of issue 13 (certificate deployments, chain order, anchor sent, OCSP staple,
Must-Staple, SCTs, hostname) and the depth facts (vulnerabilities, features, groups) where the
tool reports them ("n/a" where it does not). A disagreement listed in
Tests/Lab/crosscheck-known.yaml (with whose bug it is, and why; host "*" for any host) is shown
as known; any other makes the script exit 1.

The lab's hosts with several A/AAAA records (expect.addresses) are compared per address instead
(crosscheck_addresses.py): whether TLS answers, the protocols and the leaf's SHA-256 of each
address, against sslyze's `host{ip}` targets and testssl.sh's `--ip`; a known disagreement there
names `HOST@ADDRESS` (or "*") and the field `address.FIELD`. HOST arguments of that group are
compared per address only.
"""
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import lab  # noqa: E402
import crosscheck_addresses  # noqa: E402

SSLYZE = os.environ.get("SSLYZE", os.path.join(ROOT, ".venv-crosscheck/bin/python"))
HOSTS = ["dichvucong.angiang.gov.vn", "chaudoc.angiang.gov.vn", "weak-suites.lab.angiang.gov.vn", "sotuphap.angiang.gov.vn",
         "tinhbien.angiang.gov.vn", "mismatch.lab.angiang.gov.vn", "ttn.angiang.gov.vn", "baydenthongminh.angiang.gov.vn",
         "weak-rsa.lab.angiang.gov.vn", "sha1.lab.angiang.gov.vn", "cds.angiang.gov.vn", "no-sni.lab.angiang.gov.vn",
         # Issue 13: two deployments, a SHA-1 intermediate.
         "dual-cert.lab.angiang.gov.vn", "sha1-inter.lab.angiang.gov.vn",
         # TLS depth hosts (127.0.10.150–154).
         "depth.lab.angiang.gov.vn", "dh1024.lab.angiang.gov.vn", "session-cache.lab.angiang.gov.vn",
         "early-data.lab.angiang.gov.vn", "tls12-only.lab.angiang.gov.vn",
         # A CertificateRequest in every handshake (127.0.10.126): ROBOT with an empty certificate.
         "client-cert.lab.angiang.gov.vn",
         # CAA (issue 13 item 5): at a signed zone's apex above the host, on the host itself.
         "caa.secure.angiang.gov.vn", "caa-other.lab.angiang.gov.vn"]
# Every tool reports these five; the chain and depth facts below are compared where a peer
# reports them, and a peer that does not shows "n/a" and counts for nothing.
FIELDS = ["protocols", "suites", "keyBits", "signatureHash", "notAfter"]
CHAIN = ["deployments", "chainOrdered", "anchorSent", "ocspStapled", "mustStaple", "scts", "hostnameMatches"]
PROTOCOLS = ["SSLv2", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"]
DEPTH = ["heartbleed", "ccsInjection", "compression", "secureRenegotiation", "clientRenegotiation", "fallbackSCSV",
         "resumptionByID", "resumptionByTicket", "earlyData", "extendedMasterSecret", "curves", "ffdhe", "robot"]
CURVE_NAMES = {"prime256v1": "secp256r1", "X25519": "x25519", "X448": "x448"}
# The relevant CAA RRset as "tag=value, …" (sorted), "--" for none: testssl.sh reports it
# (DNS_CAArecord) when it may use DNS, sslyze does not.
NAMES = ["caa"]


def observed(check):
    """A depth check's value, or None when it does not apply or failed."""
    return (check or {}).get("observed")


# ROBOT in one vocabulary: no suite of RSA key exchange, no oracle, a weak or strong oracle, or
# inconsistent answers. Ours is GovAudit's verdict (the tls.robot rules on the tls.robot evidence).
SSLYZE_ROBOT = {"NOT_VULNERABLE_RSA_NOT_SUPPORTED": "no-rsa", "NOT_VULNERABLE_NO_ORACLE": "no-oracle",
                "VULNERABLE_WEAK_ORACLE": "weak-oracle", "VULNERABLE_STRONG_ORACLE": "strong-oracle",
                "UNKNOWN_INCONSISTENT_RESULTS": "inconsistent"}


def robot_ours(ev, rules):
    """GovAudit's ROBOT result: not applicable from the evidence, else the two rules' verdicts."""
    test = (ev.get("tls.robot") or {}).get("test") or {}
    if "notApplicable" in test:
        return "no-rsa"
    if "observed" not in test or rules is None:
        return None
    status = {r["rule"]: r["status"] for r in rules}
    if status.get("tls.robot") == "fail":
        return "strong-oracle"
    if status.get("tls.robot-weak-oracle") == "fail":
        return "weak-oracle"
    if status.get("tls.robot") == "unknown":
        return "inconsistent"
    return "no-oracle" if status.get("tls.robot") == "pass" else None


def testssl_robot(finding):
    if not finding:
        return None
    if finding.startswith("not vulnerable"):
        return "no-rsa" if "no RSA" in finding else "no-oracle"
    if finding.startswith("VULNERABLE"):
        return "weak-oracle" if "too long" in finding else "strong-oracle"
    return None


def depth_ours(ev, offer):
    v, f, k = ev.get("tls.vulnerabilities") or {}, ev.get("tls.features") or {}, ev.get("tls.key-exchange") or {}
    ext = observed(f.get("extensions")) or {}
    groups = observed(k.get("tls13Groups"))
    names = [g.get("name") for g in (groups if groups is not None else offer.get("groups", []))]
    early = observed(f.get("earlyData"))
    fallback = observed(v.get("fallbackSCSV"))
    return {
        "heartbleed": (observed(v.get("heartbleed")) or {}).get("overreadBytes", 0) > 0,
        "ccsInjection": (observed(v.get("ccsInjection")) or {}).get("accepted"),
        "compression": (observed(v.get("compression")) or {}).get("method", 0) != 0,
        "secureRenegotiation": ext.get("secureRenegotiation"),
        "clientRenegotiation": (observed(f.get("clientRenegotiation")) or {}).get("accepted"),
        "fallbackSCSV": fallback.get("rejected") if fallback else None,
        "resumptionByID": observed(f.get("resumptionByID")),
        "resumptionByTicket": observed(f.get("resumptionByTicket")),
        "earlyData": bool(early and early.get("maxEarlyData", 0) > 0),
        "extendedMasterSecret": ext.get("extendedMasterSecret"),
        "curves": sorted(n for n in names if n and not n.startswith("ffdhe")),
        "ffdhe": sorted(n for n in names if n and n.startswith("ffdhe")) if groups is not None else None,
    }


def depth_sslyze(sr):
    def res(k):
        return (sr.get(k) or {}).get("result") or {}
    reneg, resum = res("session_renegotiation"), res("session_resumption")
    return {
        "heartbleed": res("heartbleed").get("is_vulnerable_to_heartbleed"),
        "ccsInjection": res("openssl_ccs_injection").get("is_vulnerable_to_ccs_injection"),
        "compression": res("tls_compression").get("supports_compression"),
        "secureRenegotiation": reneg.get("supports_secure_renegotiation"),
        "clientRenegotiation": reneg.get("is_vulnerable_to_client_renegotiation_dos"),
        "fallbackSCSV": res("tls_fallback_scsv").get("supports_fallback_scsv"),
        "resumptionByID": resum.get("session_id_resumption_result") == "FULLY_SUPPORTED" if resum else None,
        "resumptionByTicket": resum.get("tls_ticket_resumption_result") == "FULLY_SUPPORTED" if resum else None,
        "earlyData": res("tls_1_3_early_data").get("supports_early_data"),
        "curves": sorted(CURVE_NAMES.get(c["name"], c["name"]) for c in res("elliptic_curves").get("supported_curves") or []),
        "robot": SSLYZE_ROBOT.get(res("robot").get("robot_result")),
    }


def depth_testssl(ids):
    def vulnerable(i):
        return ids[i].startswith("VULNERABLE") if i in ids else None
    extensions = ids.get("TLS_extensions", "")
    fallback = ids.get("fallback_SCSV", "")
    return {
        "heartbleed": vulnerable("heartbleed"), "ccsInjection": vulnerable("CCS"), "compression": vulnerable("CRIME_TLS"),
        "secureRenegotiation": {"supported": True, "not supported": False}.get(ids.get("secure_renego", "").split(" (")[0]),
        "clientRenegotiation": vulnerable("secure_client_renego"),
        "fallbackSCSV": None if fallback.startswith("no protocol below") else fallback == "supported" if fallback else None,
        "resumptionByID": {"supported": True, "not supported": False}.get(ids.get("sessionresumption_ID")),
        "resumptionByTicket": {"supported": True, "not supported": False}.get(ids.get("sessionresumption_ticket")),
        "earlyData": "early_data/#42" in extensions if extensions else None,
        "extendedMasterSecret": "extended master secret/#23" in extensions if extensions else None,
        "curves": sorted(CURVE_NAMES.get(c, c) for c in ids.get("PFS_ECDHE_curves", "").split()) or None,
        "ffdhe": sorted(ids.get("DH_groups", "").split()) or None,
        "robot": testssl_robot(ids.get("ROBOT")),
    }


def govaudit(host, env, nets=("127.0.10.0/24",)):
    return govaudit_facts(*govaudit_run(host, env, nets))


def govaudit_run(host, env, nets):
    """One endpoint's evidence and the system's rule results from `govaudit audit`."""
    allow = [a for n in nets for a in ("--allow-net", n)]
    out = subprocess.run([os.path.join(ROOT, ".build/debug/govaudit"), "audit", f"https://{host}/", "--format", "json",
                          "--no-crawl", "--fail-on", "none", "--resolver", env["resolver"], "--ca-file", env["caFile"]] + allow,
                         capture_output=True, text=True, timeout=300)
    doc = json.loads(out.stdout)
    system = doc["systems"][0]
    return system["endpoints"][0]["evidence"], system["rules"]


def govaudit_facts(evidence, rules=None):
    """The compared facts from one endpoint's evidence list (GovAudit's JSON report), and the
    system's rule results where a fact is a verdict (ROBOT)."""
    ev = {e["kind"]: e.get("facts") for e in evidence}
    offer, cert = ev.get("tls.offer") or {}, ev.get("tls.certificate") or {}
    return depth_ours(ev, offer) | {"robot": robot_ours(ev, rules)} | {
        "protocols": sorted((v["version"] for v in offer.get("versions", [])), key=PROTOCOLS.index),
        "suites": sorted({s["name"] for v in offer.get("versions", []) for s in v["suites"] if "name" in s}),
        "keyBits": cert.get("keyBits"),
        "signatureHash": "sha1" if "sha1" in cert.get("signature", "").lower() else "sha256" if "sha256" in cert.get("signature", "").lower() else cert.get("signature"),
        "notAfter": (cert.get("notAfter") or "")[:10] or None,   # an ISO 8601 UTC timestamp, as the others give it
        "handshakes": offer.get("handshakes"),
        "caa": caa_ours(ev),
        "depthHandshakes": sum((ev.get(k) or {}).get("handshakes", 0)
                               for k in ["tls.vulnerabilities", "tls.features", "tls.key-exchange", "tls.robot"]),
        **chain_facts(cert),
    }


def caa_ours(ev):
    """Our CAA facts in testssl.sh's words; None when the step failed (testssl.sh would say "--")."""
    caa = ev.get("tls.caa")
    if caa is None:
        return None
    if "foundAt" not in caa:
        return "--"
    return ", ".join(sorted(f"{r['tag']}={r['value']}" for r in caa["records"]))


def chain_facts(cert):
    chain = cert.get("chain") or []
    return {
        "deployments": 1 + len(cert.get("otherKeyTypes") or []) if chain else None,
        "chainOrdered": all(a["issuerName"] == b["subjectName"] for a, b in zip(chain, chain[1:])) if chain else None,
        "anchorSent": any(c["selfSigned"] for c in chain[1:]) if chain else None,
        "ocspStapled": (cert.get("ocsp") or {}).get("responseStatus") == "successful" if chain else None,
        "mustStaple": chain[0]["mustStaple"] if chain else None,
        "scts": cert.get("signedCertificateTimestamps") if chain else None,
        "hostnameMatches": cert.get("hostnameMatches"),
    }


def sslyze(hosts, addresses, env):
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        path = f.name
    targets = [f"{h}:443{{{addresses[h]}}}" for h in hosts]
    subprocess.run([SSLYZE, "-m", "sslyze", "--quiet", "--json_out", path, "--sslv2", "--sslv3", "--tlsv1", "--tlsv1_1",
                    "--tlsv1_2", "--tlsv1_3", "--certinfo", "--certinfo_ca_file", env["caFile"], "--heartbleed", "--openssl_ccs",
                    "--reneg", "--compression", "--fallback", "--resum", "--early_data", "--elliptic_curves", "--robot"] + targets,
                   capture_output=True, text=True, timeout=900)
    return sslyze_facts(json.load(open(path)))


def sslyze_facts(doc):
    """The compared facts per host name from sslyze's --json_out document."""
    out = {}
    keys = {"SSLv2": "ssl_2_0_cipher_suites", "SSLv3": "ssl_3_0_cipher_suites", "TLSv1": "tls_1_0_cipher_suites",
            "TLSv1.1": "tls_1_1_cipher_suites", "TLSv1.2": "tls_1_2_cipher_suites", "TLSv1.3": "tls_1_3_cipher_suites"}
    for r in doc["server_scan_results"]:
        host = r["server_location"]["hostname"]
        sr = r.get("scan_result") or {}
        protocols, suites = [], set()
        for p, k in keys.items():
            accepted = [c["cipher_suite"]["name"] for c in ((sr.get(k) or {}).get("result") or {}).get("accepted_cipher_suites", [])]
            if accepted:
                protocols.append(p)
                suites |= set(accepted)
        cert = {}
        try:
            deployments = sr["certificate_info"]["result"]["certificate_deployments"]
            first = deployments[0]
            leaf = first["received_certificate_chain"][0]
            cert = {"keyBits": leaf["public_key"]["key_size"], "signatureHash": leaf["signature_hash_algorithm"]["name"],
                    "notAfter": leaf["not_valid_after"][:10]}
            # Issue 13's facts, each as sslyze words it (absent: not reported, "n/a").
            ocsp = first.get("ocsp_response")
            cert.update({"deployments": len(deployments), "chainOrdered": first.get("received_chain_has_valid_order"),
                         "anchorSent": first.get("received_chain_contains_anchor_certificate"),
                         "ocspStapled": None if "ocsp_response" not in first else bool(ocsp) and "SUCCESSFUL" in str(ocsp.get("response_status")),
                         "mustStaple": first.get("leaf_certificate_has_must_staple_extension"),
                         "scts": first.get("leaf_certificate_signed_certificate_timestamps_count"),
                         "hostnameMatches": first.get("leaf_certificate_subject_matches_hostname")})
        except (KeyError, IndexError, TypeError, AttributeError):
            pass
        out[host] = {"protocols": protocols, "suites": sorted(suites), **cert, **depth_sslyze(sr)}
    return out


def testssl(host, address, env):
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "out.json")
        args = ["testssl", "--quiet", "--warnings", "off", "--color", "0", "--jsonfile", path,
                "--ip", address, "--add-ca", env["caFile"], "-p", "-e", "-S", "-H", "-I", "-R", "-C", "-Z", "-f", "-BB", f"{host}:443"]
        subprocess.run(with_lab_dns(args, env, d), capture_output=True, text=True, timeout=600)
        return testssl_facts(json.load(open(path)))


def with_lab_dns(args, env, folder):
    """testssl.sh's DNS lookups (CAA through drill/host/dig) read /etc/resolv.conf and have no
    resolver option: as root, it runs in a private mount namespace whose resolv.conf names the
    lab's resolver. Otherwise it is told not to use DNS (--nodns none) and CAA shows n/a."""
    if os.geteuid() != 0 or not shutil.which("unshare"):
        return args[:1] + ["--nodns", "none"] + args[1:]
    resolv = os.path.join(folder, "resolv.conf")
    with open(resolv, "w") as f:
        f.write(f"nameserver {env['resolver'].rsplit(':', 1)[0]}\n")
    return ["unshare", "--mount", "sh", "-c", 'mount --bind "$0" /etc/resolv.conf && exec "$@"', resolv] + args


def testssl_facts(items):
    """The compared facts from testssl.sh's --jsonfile findings of one host."""
    # With several certificates, testssl.sh suffixes the ids (" <cert#1>"…): the first one, and the count.
    ids, certs = {}, set()
    for x in items:
        base, _, tag = x["id"].partition(" <cert#")
        if tag:
            certs.add(tag)
        if not tag or tag.startswith("1>"):
            ids.setdefault(base, x["finding"])
    names = {"SSLv2": "SSLv2", "SSLv3": "SSLv3", "TLS1": "TLSv1", "TLS1_1": "TLSv1.1", "TLS1_2": "TLSv1.2", "TLS1_3": "TLSv1.3"}
    protocols = [names[k] for k in names if ids.get(k, "").startswith("offered")]
    suites = sorted({x["finding"].split()[-1] for x in items if x["id"].startswith("cipher_x") and x["finding"].split()[-1].startswith("TLS_")})
    m = re.search(r"(\d+) bits", ids.get("cert_keySize", ""))
    sig = ids.get("cert_signatureAlgorithm", "").lower()
    ocsp = ids.get("OCSP_stapling", "")
    caa = ids.get("DNS_CAArecord")
    return {"protocols": protocols, "suites": suites, "keyBits": int(m.group(1)) if m else None,
            "signatureHash": "sha1" if "sha1" in sig else "sha256" if "sha256" in sig else sig,
            "notAfter": ids.get("cert_notAfter", "")[:10], "deployments": max(1, len(certs)),
            "ocspStapled": ocsp.startswith("offered") if ocsp else None,
            "caa": None if caa is None or caa.startswith("check skipped") else caa, **depth_testssl(ids)}


def known_disagreements():
    """(host, tool, field) → why, from crosscheck-known.yaml."""
    known = yaml.safe_load(open(os.path.join(HERE, "crosscheck-known.yaml"))) or {}
    return {(k["host"], k["tool"], k["field"]): k["reason"] for k in known.get("known", [])}


def main():
    env = json.load(open(lab.state("lab.json")))
    doc = lab.load()
    addresses = {h["name"]: h["ipv4"] for h in doc["merged"]}
    multi = crosscheck_addresses.hosts(doc)
    args = sys.argv[1:]
    hosts = [h for h in args if h not in multi] if args else HOSTS
    per_address = [h for h in args if h in multi] if args else list(multi)
    known = known_disagreements()
    tally = {"agree": 0, "known": 0, "unexplained": []}
    if hosts:
        per_host(hosts, addresses, env, known, tally)
    if per_address:
        print(f"crosscheck per address: {len(per_address)} hosts with several A/AAAA records")
        before = (tally["agree"], tally["known"], len(tally["unexplained"]))
        every_address(per_address, multi, env, known, tally)
        print(f"per address: {tally['agree'] - before[0]} agree, {tally['known'] - before[1]} known, "
              f"{len(tally['unexplained']) - before[2]} unexplained")
    for u in tally["unexplained"]:
        print("DIFFER " + u)
    print(f"{tally['agree']} agree, {tally['known']} known disagreements, {len(tally['unexplained'])} unexplained")
    return 1 if tally["unexplained"] else 0


def judge(subject, field, ours, theirs, known, tally, optional=True):
    """One cell: agree, known (crosscheck-known.yaml), n/a (the peer does not report it), DIFFER."""
    cells = []
    for tool in ["sslyze", "testssl.sh"]:
        value = theirs[tool]
        if value is None and optional:
            cells.append("n/a")          # a fact this tool does not report (or could not test)
        elif value == ours:
            cells.append("agree")
            tally["agree"] += 1
        elif (subject, tool, field) in known or ("*", tool, field) in known:   # "*": any host
            cells.append("known")
            tally["known"] += 1
        else:
            cells.append("DIFFER")
            tally["unexplained"].append(f"{subject} {field}: GovAudit {ours!r}, {tool} {value!r}")
    return cells


def per_host(hosts, addresses, env, known, tally):
    print(f"crosscheck: {len(hosts)} hosts; GovAudit, sslyze, testssl.sh")
    ours = {h: govaudit(h, env) for h in hosts}
    theirs = {"sslyze": sslyze(hosts, addresses, env)}
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        results = dict(zip(hosts, pool.map(lambda h: testssl(h, addresses[h], env), hosts)))
    theirs["testssl.sh"] = results
    print(f"{'host':34} {'field':13} {'sslyze':8} {'testssl.sh':10}")
    for h in hosts:
        for field in FIELDS + CHAIN + DEPTH + NAMES:
            values = {tool: theirs[tool].get(h, {}).get(field) for tool in theirs}
            cells = judge(h, field, ours[h][field], values, known, tally, optional=field not in FIELDS)
            print(f"{h:34} {field:13} {cells[0]:8} {cells[1]:10}")
    print(f"GovAudit handshakes per host: " + ", ".join(f"{h.split('.')[0]} {ours[h]['handshakes']}" for h in hosts))
    print(f"GovAudit depth-check handshakes per host (ROBOT's included): "
          + ", ".join(f"{h.split('.')[0]} {ours[h]['depthHandshakes']}" for h in hosts))


def every_address(hosts, multi, env, known, tally):
    """Each address of each host: GovAudit's tls.addresses record against sslyze and testssl.sh
    aimed at that address (the scenario's addresses, so one GovAudit left out shows as None)."""
    nets = ("127.0.10.0/24", "fd10::/16")
    ours = {h: crosscheck_addresses.govaudit_facts(govaudit_run(h, env, nets)[0]) for h in hosts}
    targets = [(h, a) for h in hosts for a in multi[h]]
    run = lambda args: subprocess.run([SSLYZE, "-m", "sslyze"] + args, capture_output=True, text=True, timeout=900)  # noqa: E731
    by_sslyze = crosscheck_addresses.sslyze(run, targets, env)
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        by_testssl = dict(zip(targets, pool.map(lambda t: crosscheck_addresses.testssl(t[0], t[1], env, with_lab_dns), targets)))
    print(f"{'host@address':50} {'field':18} {'sslyze':8} {'testssl.sh':10}")
    for h, a in targets:
        mine = ours[h].get(a, {})
        for field in crosscheck_addresses.FIELDS:
            values = {"sslyze": by_sslyze.get((h, a), {}).get(field), "testssl.sh": by_testssl[(h, a)].get(field)}
            # The leaf of an address that does not answer is nobody's fact: n/a, not a disagreement.
            cells = judge(f"{h}@{a}", f"address.{field}", mine.get(field), values, known, tally, optional=field == "leafSHA256")
            print(f"{h.split('.')[0] + '@' + a:50} {field:18} {cells[0]:8} {cells[1]:10}")


if __name__ == "__main__":
    sys.exit(main())
