#!/usr/bin/python3
"""GovAudit beside its peers on the same lab targets, in one run (issue 15). `make bench` runs it.

    Tests/Bench/bench.py [SIZE...]      default 200 1000 (or $SIZES); the lab must be down
    BENCH_PROFILE=1                     also profile the largest every-probe scan with perf
    BENCH_START_BY=HH:MM                give up when the lab lock comes after that time (UTC)
    BENCH_SECTIONS=crawl,scale          only these sections (tls, pshtt, scenario, multipage, crawl,
                                        province, scale): a shorter hold of the lab, to measure one change

Takes the machine-wide lab lock, starts the lab with the largest size of scale hosts, counts TCP
connections to the lab from outside the tools (nftables), and times, on the same targets:
  TLS      GovAudit `scan --checks tls`, sslyze, sslscan, testssl.sh (a sample, scaled), pshtt
           on the smallest size of scale hosts, and on the cross-check's scenario hosts
  crawl    GovAudit `--checks links` and linkchecker on the multi-page scenario host and on the
           smallest size of scale hosts (2 pages each)
  province the 64-system inventory with every probe: its sound systems, each deliberately
           hostile one alone, the whole
  scale    every probe on each size: time, peak RSS, the per-endpoint slope
Prints the tables; everything measured also goes to .build/bench/results.json.
"""
import json
import os
import platform
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "Tests", "Lab"))
sys.path.insert(0, HERE)
import lab  # noqa: E402
import scale  # noqa: E402
import measure  # noqa: E402
import peers  # noqa: E402
import report  # noqa: E402
import targets  # noqa: E402

WORK = os.path.join(ROOT, ".build/bench")
SAMPLE = 4            # testssl.sh hosts (one per scale address); it takes ~30 s per host
SSLSCAN_SAMPLE = 40   # sslscan hosts of a larger set (about 1 s each); scaled like testssl.sh
PARALLEL = 4          # sslscan and testssl.sh processes at a time (one connection each: within --per-ip 4)


class Bench:
    def __init__(self, counter, sizes):
        self.counter, self.sizes = counter, sizes
        self.doc = lab.load()
        self.addresses = {h["name"]: h["ipv4"] for h in self.doc["merged"]}
        self.addresses.update({h["name"]: h["ipv4"] for h in scale.hosts(max(sizes))})
        self.rows, self.facts, self.floors, self.extra, self.errors = [], [], [], {}, []

    def path(self, name):
        return os.path.join(WORK, name)

    def timed(self, target, tool, cmd, out, hosts, **kw):
        print(f"bench: {target}: {tool} ...", flush=True)
        r = measure.run(cmd, self.counter, stdout=out, **kw)
        r.update(target=target, tool=tool, hosts=hosts)
        self.rows.append(r)
        return r

    # --- TLS ---------------------------------------------------------------------------------

    def tls(self, target, hosts, sample_testssl):
        inv = targets.write_inventory(self.path(f"{target}.yaml"), hosts)
        ours = self.timed(target, "govaudit", peers.govaudit_scan(inv, "tls"), self.path(f"{target}-govaudit.json"), len(hosts))
        evidence = peers.endpoints(self.path(f"{target}-govaudit.json"))
        facts = {h: peers.crosscheck.govaudit_facts(evidence.get(h, [])) for h in hosts}
        for h in hosts:
            facts[h]["suiteCodes"] = sorted({s["code"] for v in peers.offer(evidence.get(h, [])).get("versions", [])
                                             for s in v["suites"]})
        for h in hosts:
            o = peers.offer(evidence.get(h, []))
            self.floors.append({"target": target, "host": h, "floor": peers.handshake_floor(o), "handshakes": o.get("handshakes"),
                                "depth": peers.depth_handshakes(evidence.get(h, [])),
                                "otherAddresses": peers.other_address_handshakes(evidence.get(h, [])),
                                "versions": [v["version"] for v in o.get("versions", [])],
                                "suites": sum(len(v["suites"]) for v in o.get("versions", [])), "groups": len(o.get("groups", []))})
        ours["connectionsPerHost"] = round(ours["connections"] / len(hosts), 1)

        # sslyze scans one address per server string: it gets one for every address GovAudit
        # enumerated in full, so both cover the same addresses (peers.COVERAGE).
        full = {h: peers.full_addresses(evidence.get(h, [])) or [self.addresses[h]] for h in hosts}
        ours["addresses"] = sum(len(a) for a in full.values())
        out = self.path(f"{target}-sslyze.json")
        r = self.timed(target, "sslyze", peers.sslyze_cmd(hosts, full, out), out + ".stdout", len(hosts))
        r["addresses"] = ours["addresses"]
        doc = json.load(open(out)) if os.path.exists(out) else {"server_scan_results": []}
        theirs = peers.crosscheck.sslyze_facts(peers.sslyze_at(doc, {(h, a[0]) for h, a in full.items()}))
        self.compare(target, "sslyze", facts, theirs, peers.crosscheck.FIELDS)
        others = {(h, a) for h, a_s in full.items() for a in a_s[1:]}
        if others:
            theirs = {f"{h} {a}": f for (h, a), f in zip(sorted(others), [
                peers.crosscheck.sslyze_facts(peers.sslyze_at(doc, {pair})).get(pair[0], {}) for pair in sorted(others)])}
            ours_at = {f"{h} {a}": peers.address_facts(evidence.get(h, []), a) for h, a in others}
            self.compare(f"{target}, other addresses", "sslyze", ours_at, theirs, ["protocols", "suites"])

        sample = hosts[:SSLSCAN_SAMPLE]
        outs = [self.path(f"{target}-sslscan-{i}.xml") for i in range(len(sample))]
        print(f"bench: {target}: sslscan on {len(sample)} of {len(hosts)} hosts ({PARALLEL} at a time) ...", flush=True)
        r = measure.run_parallel([peers.sslscan_cmd(h, self.addresses[h]) for h in sample], self.counter, PARALLEL, outs)
        r.update(target=target, tool="sslscan", hosts=len(sample), **({"scaledTo": len(hosts)} if len(sample) < len(hosts) else {}))
        self.rows.append(r)
        self.compare(target, "sslscan", facts, {h: peers.sslscan_facts(p) for h, p in zip(sample, outs)},
                     ["protocols", "suiteCodes"])

        if sample_testssl:
            sample = hosts[:SAMPLE]
            outs = [self.path(f"{target}-testssl-{i}.json") for i in range(len(sample))]
            for p in outs:
                if os.path.exists(p):
                    os.remove(p)     # testssl.sh refuses to overwrite its JSON file
            print(f"bench: {target}: testssl.sh on {len(sample)} of {len(hosts)} hosts ({PARALLEL} at a time) ...", flush=True)
            r = measure.run_parallel([peers.testssl_cmd(h, self.addresses[h], p) for h, p in zip(sample, outs)],
                                     self.counter, PARALLEL, [p + ".stdout" for p in outs])
            r.update(target=target, tool="testssl.sh", hosts=len(sample), scaledTo=len(hosts))
            self.rows.append(r)
            theirs = {h: peers.crosscheck.testssl_facts(json.load(open(p))) for h, p in zip(sample, outs) if os.path.exists(p)}
            self.compare(target, "testssl.sh", {h: facts[h] for h in sample}, theirs, peers.crosscheck.FIELDS)

    def pshtt(self, target, hosts):
        ok, why = peers.pshtt_available()
        if not ok:
            print(f"bench: pshtt skipped: {why}")
            self.extra["pshtt"] = f"skipped: {why}"
            return
        out = self.path(f"{target}-pshtt.json")
        cmd = [os.path.join(peers.PSHTT_VENV, "bin/pshtt"), "--json", "--output", out, "--ca-file", peers.CA] + hosts
        self.timed(target, "pshtt", cmd, out + ".stdout", len(hosts))

    def compare(self, target, tool, ours, theirs, fields):
        known = peers.crosscheck.known_disagreements()
        agree, explained, differ = 0, 0, []
        for h, facts in theirs.items():
            for f in fields:
                if facts.get(f) == ours[h].get(f):
                    agree += 1
                elif (h.split(" ")[0], tool, f) in known:     # "host address" for a host's other addresses
                    explained += 1
                else:
                    differ.append(f"{h} {f}: GovAudit {ours[h].get(f)!r}, {tool} {facts.get(f)!r}")
        self.facts.append({"target": target, "tool": tool, "fields": fields, "hosts": len(theirs), "agree": agree,
                           "known": explained, "differ": differ})

    # --- crawl -------------------------------------------------------------------------------

    def crawl(self, target, hosts, single):
        names = self.path("lab-names.json")
        json.dump(self.addresses, open(names, "w"))
        ca_copy = self.path("lab-ca.pem")     # readable by the user linkchecker becomes
        shutil.copyfile(peers.CA, ca_copy)
        os.chmod(ca_copy, 0o644)
        gov_out = self.path(f"{target}-govaudit.json")
        if single:
            cmd = peers.govaudit_audit(f"https://{hosts[0]}/", "links")
        else:
            cmd = peers.govaudit_scan(targets.write_inventory(self.path(f"{target}.yaml"), hosts), "links")
        self.timed(target, "govaudit", cmd, gov_out, len(hosts))
        lc_out = self.path(f"{target}-linkchecker.csv")
        self.timed(target, "linkchecker", peers.linkchecker_cmd([f"https://{h}/" for h in hosts], names, ca_copy), lc_out, len(hosts))
        evidence = peers.endpoints(gov_out)
        ours = [peers.govaudit_crawl_facts(evidence.get(h, [])) for h in hosts]
        theirs = peers.linkchecker_facts(lc_out)
        pages = sum(o["pages"] or 0 for o in ours)
        broken_ours = sorted({b for o in ours for b in o["broken"]})
        self.facts.append({"target": target, "tool": "linkchecker", "fields": ["broken links"], "hosts": len(hosts),
                           "pagesGovAudit": pages, "urlsLinkchecker": theirs["urls"],
                           "agree": int(set(broken_ours) == set(theirs["broken"])), "known": 0,
                           "differ": [] if set(broken_ours) == set(theirs["broken"]) else
                           [f"broken: GovAudit {broken_ours}, linkchecker {theirs['broken']}"]})

    # --- the province and the scale ----------------------------------------------------------

    def province(self):
        path = os.path.join(ROOT, "Policies/inventory/angiang.yaml")
        sound, hostile = targets.classify(self.doc)
        # As the response team runs it: a first scan into a new history store, then the next
        # one, timed, which starts the endpoints slow in the first (thoaison's timeouts) first.
        db = self.path("province-history.sqlite")
        for leftover in (db, db + "-wal", db + "-shm"):
            if os.path.exists(leftover):
                os.remove(leftover)
        first = self.timed("province: first scan", "govaudit (every probe)", peers.govaudit_scan(path, db=db),
                           self.path("province-first.json"), 64)
        whole = self.timed("province", "govaudit (every probe)", peers.govaudit_scan(path, db=db), self.path("province-all.json"), 64)
        sub = targets.write_subset(path, self.path("province-sound.yaml"), lambda hs: all(h in sound for h in hs))
        sound_run = self.timed("province: sound", "govaudit (every probe)", peers.govaudit_scan(sub),
                               self.path("province-sound.json"), targets.count_systems(sub))
        alone = []
        for h in sorted(hostile & targets.endpoint_hosts(path)):
            sub = targets.write_subset(path, self.path(f"province-{h}.yaml"), lambda hs, h=h: h in hs)
            alone.append((h, self.timed(f"province: {h} alone", "govaudit (every probe)", peers.govaudit_scan(sub),
                                        self.path(f"province-{h}.json"), 1)["wall"]))
        slowest = max(alone, key=lambda a: a[1]) if alone else (None, 0.0)
        self.extra["province"] = {"whole": whole["wall"], "first": first["wall"], "sound": sound_run["wall"], "soundSystems": sound_run["hosts"],
                                  "hostileAlone": dict(alone), "slowestHostile": slowest[0], "slowestHostileWall": slowest[1]}

    def every_probe(self, n):
        inv = targets.write_inventory(self.path(f"scale-{n}-all.yaml"), [h["name"] for h in scale.hosts(n)])
        return self.timed(f"scale {n}", "govaudit (every probe)", peers.govaudit_scan(inv), self.path(f"scale-{n}-all.json"), n)

    def run_all(self):
        small = min(self.sizes)
        scale_hosts = [h["name"] for h in scale.hosts(small)]
        sections = [
            ("tls", lambda: self.tls(f"scale {small}", scale_hosts, sample_testssl=True)),
            ("pshtt", lambda: self.pshtt(f"scale {small}", scale_hosts)),
            ("scenario", lambda: self.tls(f"scenario {len(peers.crosscheck.HOSTS)}", peers.crosscheck.HOSTS, sample_testssl=False)),
            ("multipage", lambda: self.crawl("multipage (35 pages)", ["sovhttdl.angiang.gov.vn"], single=True)),
            ("crawl", lambda: self.crawl(f"crawl scale {small} (2 pages each)", scale_hosts, single=False)),
            ("province", self.province),
            ("scale", lambda: self.extra.setdefault("scale", {}).update({n: self.every_probe(n) for n in self.sizes})),
        ]
        if os.environ.get("BENCH_PROFILE"):
            sections.append(("profile", self.profile))
        only = os.environ.get("BENCH_SECTIONS")
        if only:
            wanted = set(only.split(",")) | {"profile"}
            unknown = wanted - {name for name, _ in sections} - {"profile"}
            if unknown:
                raise SystemExit(f"bench: BENCH_SECTIONS: no section {', '.join(sorted(unknown))}")
            sections = [(name, s) for name, s in sections if name in wanted]
        for _, section in sections:
            # The lab is machine-wide: a `lab.py down` from elsewhere would turn every later
            # number into a failure's. Stop with what was measured instead.
            if not lab_alive():
                self.errors.append("the lab went down during the run (stopped by another user?)")
                print("bench: " + self.errors[-1], file=sys.stderr)
                return
            try:
                section()
            except Exception as e:      # one tool's unreadable output must not lose the others' numbers
                self.errors.append(f"{type(e).__name__}: {e}")
                print(f"bench: a section failed: {self.errors[-1]}", file=sys.stderr)


    def profile(self):
        """BENCH_PROFILE=1: after every measurement (so none is perturbed), the largest every-probe
        scan again under `perf record`; the top of its profile goes to .build/bench/perf-top.txt."""
        n = max(self.sizes)
        data, top = self.path("perf.data"), self.path("perf-top.txt")
        print(f"bench: profile: govaudit every probe on {n} under perf ...", flush=True)
        inv = targets.write_inventory(self.path(f"scale-{n}-all.yaml"), [h["name"] for h in scale.hosts(n)])
        cmd = ["perf", "record", "-F", "499", "-g", "-o", data, "--", *peers.govaudit_scan(inv)]
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(top, "w") as f:
            subprocess.run(["perf", "report", "-i", data, "--stdio", "--no-children", "--sort", "dso,symbol", "-g", "none",
                            "--percent-limit", "0.7"], stdout=f, stderr=subprocess.DEVNULL)
        self.extra["profile"] = top


def lab_alive():
    """The lab's resolver answers TCP and a scale address listens."""
    return lab.wait_port("127.0.10.1", 53, timeout=2) and lab.wait_port(scale.ADDRESSES[0]["ipv4"], 443, timeout=2)


def prepare():
    """The release build, the Debian peers, the venvs; a clear stop when one is missing."""
    if not os.access(peers.BIN, os.X_OK):
        raise SystemExit(f"bench: no {peers.BIN} (make bench builds it: swift build -c release)")
    for tool in ["sslscan", "testssl", "linkchecker", "nft", "openssl"]:
        if shutil.which(tool) is None:
            raise SystemExit(f"bench: {tool} is missing (make bench installs it)")
    os.makedirs(WORK, exist_ok=True)
    if not os.path.exists(os.path.join(peers.SSLYZE_VENV, "bin/python")):
        subprocess.run(["/usr/bin/python3", "-m", "venv", peers.SSLYZE_VENV], check=True)
        subprocess.run([os.path.join(peers.SSLYZE_VENV, "bin/pip"), "install", "-q", "sslyze==6.3.1"], check=True)
    marker = os.path.join(peers.PSHTT_VENV, ".tried")
    if not os.path.exists(marker):
        # pshtt is tried once per build folder: it needs sslyze 2.x, which may not install here.
        subprocess.run(["/usr/bin/python3", "-m", "venv", peers.PSHTT_VENV], check=True)
        r = subprocess.run([os.path.join(peers.PSHTT_VENV, "bin/pip"), "install", "-q", "pshtt"], capture_output=True, text=True)
        if r.returncode:
            print("bench: pip install pshtt failed: " + (r.stderr.strip().splitlines() or ["?"])[-1])
        open(marker, "w").close()


def main():
    sizes = sorted({scale.parse_count(s) for s in (sys.argv[1:] or os.environ.get("SIZES", "200 1000").split())})
    if not sizes or sizes[0] < SAMPLE:
        raise SystemExit(f"bench: give sizes of at least {SAMPLE} hosts")
    prepare()
    sign_ms, sign_per_s = measure.rsa2048_sign_ms()
    print("bench: waiting for the lab lock ...", flush=True)
    with measure.lab_lock():
        start_by = os.environ.get("BENCH_START_BY")     # HH:MM UTC: too late to start, give way
        if start_by and time.strftime("%H:%M", time.gmtime()) > start_by:
            raise SystemExit(f"bench: the lab lock came after {start_by} UTC (BENCH_START_BY): not started")
        held, load_before = time.monotonic(), os.getloadavg()
        try:
            subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "Tests/Lab/lab.py"), "up", "--scale", str(max(sizes))], check=True)
            with measure.SynCounter() as counter:
                bench = Bench(counter, sizes)
                bench.run_all()
        finally:
            subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "Tests/Lab/lab.py"), "down"], capture_output=True)
        held, load_after = round(time.monotonic() - held, 1), os.getloadavg()
    results = {"machine": report.machine(), "sizes": sizes, "labLockSeconds": held,
               "loadAverage": {"before": load_before, "after": load_after}, "coverage": peers.COVERAGE,
               "rsa2048SignMs": sign_ms, "rsa2048SignPerSecond": sign_per_s, "runs": bench.rows, "facts": bench.facts,
               "handshakes": bench.floors, "errors": bench.errors, **bench.extra, "python": platform.python_version()}
    with open(os.path.join(WORK, "results.json"), "w") as f:
        json.dump(results, f, indent=2, ensure_ascii=False)
    report.print_all(results)
    print(f"bench: results in {os.path.join(WORK, 'results.json')}; lab held {held} s")
    for e in bench.errors:
        print(f"bench: ERROR {e}")
    return 1 if bench.errors or any(f["differ"] for f in bench.facts) else 0


if __name__ == "__main__":
    sys.exit(main())
