"""The benchmark's printed tables, from the results document bench.py also writes as JSON."""
import os
import statistics


def machine():
    model = next((ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name")), "?")
    mem = next((int(ln.split()[1]) // 1024 for ln in open("/proc/meminfo") if ln.startswith("MemTotal")), 0)
    return {"nproc": os.cpu_count(), "cpu": model, "memoryMB": mem, "kernel": os.uname().release}


def scaled_wall(r):
    """A sampled tool's wall time for the whole set (testssl.sh): the sample's, times set/sample."""
    return r["wall"] * r.get("scaledTo", r["hosts"]) / r["hosts"]


def ratio_table(results):
    rows = [r for r in results["runs"] if not r["tool"].startswith("govaudit (")]
    base = {r["target"]: r for r in rows if r["tool"] == "govaudit"}
    print(f"\n{'target':34} {'tool':12} {'hosts':>5} {'addrs':>5} {'wall s':>8} {'cpu s':>8} {'peak MB':>8} {'TCP conns':>9} "
          f"{'conns/host':>10} {'wall ×':>7} {'cpu ×':>7}")
    for r in rows:
        g = base.get(r["target"])
        wall, cpu = scaled_wall(r), r["cpu"] * r.get("scaledTo", r["hosts"]) / r["hosts"]
        note = f"  (measured on {r['hosts']}, scaled to {r['scaledTo']})" if "scaledTo" in r else ""
        hosts = r.get("scaledTo", r["hosts"])
        wall_x = f"{wall / g['wall']:.1f}" if g and r is not g else ""
        cpu_x = f"{cpu / g['cpu']:.1f}" if g and r is not g and g["cpu"] else ""
        conns = r["connections"] * hosts / r["hosts"]
        failed = f"  exit {r['exit']}" if r["exit"] else ""
        print(f"{r['target']:34} {r['tool']:12} {hosts:5} {r.get('addresses', ''):>5} {wall:8.1f} {cpu:8.1f} {r['rssMB']:8.1f} {conns:9.0f} "
              f"{conns / hosts:10.1f} {wall_x:>7} {cpu_x:>7}{note}{failed}")
    print("(× = peer / GovAudit on the same targets; addrs = addresses enumerated in full, the same for sslyze as for "
          "GovAudit; connections = TCP SYNs to the lab counted by nftables)")


def facts_table(results):
    print(f"\n{'target':34} {'GovAudit vs':12} {'compared':32} {'hosts':>5} {'agree':>6} {'known':>6} {'differ':>6}")
    for f in results["facts"]:
        print(f"{f['target']:34} {f['tool']:12} {','.join(f['fields']):32} {f['hosts']:5} {f['agree']:6} {f['known']:6} "
              f"{len(f['differ']):6}")
        if "pagesGovAudit" in f:
            print(f"{'':34} (pages GovAudit fetched: {f['pagesGovAudit']}; URLs linkchecker checked: {f['urlsLinkchecker']})")
        for d in f["differ"][:10]:
            print(f"    DIFFER {d}")
    print("(known = a disagreement explained in Tests/Lab/crosscheck-known.yaml)")


def handshake_table(results):
    sign = results["rsa2048SignMs"]
    print(f"\nHandshakes per host: the floor (per version: accepted suites + 1; a refused version: 1; groups + 1; "
          f"the certificate: 1) beside GovAudit's (tls.offer.handshakes).")
    print(f"RSA-2048 signature: {sign} ms of CPU (openssl speed: {results['rsa2048SignPerSecond']:.0f} sign/s on one core); "
          f"a full handshake with the scale hosts' certificate costs the server one.")
    print("The TLS-depth checks' handshakes (vulnerabilities, protocol features, key exchange) are apart: not part of the floor.")
    print("The floor is per address: 'other addr' = the hellos at each other address enumerated in full (a dual-stack "
          "host's IPv6 address; for the scale hosts, the mean), against the same floor.")
    print(f"{'target':20} {'host':34} {'versions':24} {'suites':>6} {'groups':>6} {'floor':>5} {'GovAudit':>8} {'×floor':>6}"
          f" {'depth':>5} {'other addr':>10} {'conns/host':>10} {'sign ms/host':>12}")
    conns = {r["target"]: r.get("connectionsPerHost") for r in results["runs"] if r["tool"] == "govaudit"}
    by_target = {}
    for h in results["handshakes"]:
        by_target.setdefault(h["target"], []).append(h)
    for target, hosts in by_target.items():
        # Scale hosts are all served alike: one line for the set (the mean of GovAudit's counts).
        if target.startswith("scale") and len({(h["floor"], h["handshakes"]) for h in hosts}) <= 2:
            made = [h["handshakes"] for h in hosts if h["handshakes"] is not None]
            depth = [h["depth"] for h in hosts if h.get("depth") is not None]
            others = [n for h in hosts for n in h.get("otherAddresses") or []]
            hosts = [dict(hosts[0], host=f"{hosts[0]['host'].split('.')[0]}…(all {len(hosts)})",
                          handshakes=round(statistics.mean(made), 1) if made else None,
                          depth=round(statistics.mean(depth), 1) if depth else None,
                          otherAddresses=[round(statistics.mean(others), 1)] if others else [])]
        for h in hosts:
            made = h["handshakes"]
            x = f"{made / h['floor']:.2f}" if made else ""
            cost = f"{made * sign:.0f}" if made and sign else ""
            print(f"{target:20} {h['host'][:34]:34} {' '.join(h['versions']):24} {h['suites']:6} {h['groups']:6} "
                  f"{h['floor']:5} {made if made is not None else '-':>8} {x:>6} {h.get('depth') if h.get('depth') is not None else '-':>5}"
                  f" {' '.join(str(n) for n in h.get('otherAddresses') or []) or '-':>10} {conns.get(target) or '':>10} {cost:>12}")


def province_table(results):
    p = results.get("province")
    if not p:
        return
    print(f"\nProvince (Policies/inventory/angiang.yaml, 64 systems, every probe):")
    print(f"  sound systems only ({p['soundSystems']}):     {p['sound']:6.1f} s   (target: under 3 s)")
    for h, w in p["hostileAlone"].items():
        print(f"  {h + ' alone':36} {w:6.1f} s   (its own bounded time)")
    bound = p["slowestHostileWall"] + 2
    verdict = "within" if p["whole"] <= bound else "over"
    if "first" in p:
        print(f"  the whole scan, first of a store: {p['first']:6.1f} s   (inventory order: no durations stored yet)")
    print(f"  the whole scan, the next one:    {p['whole']:6.1f} s   (target: slowest hostile host + 2 s = {bound:.1f} s: {verdict};"
          f" slowest endpoints of the stored scan first)")


def scale_table(results):
    runs = results.get("scale") or {}
    if not runs:
        return
    print(f"\nScale hosts, every probe (govaudit scan, one https endpoint per system):")
    print(f"{'endpoints':>9} {'wall s':>8} {'cpu s':>8} {'peak MB':>8} {'TCP conns':>9}")
    sizes = sorted(runs, key=int)
    for n in sizes:
        r = runs[n]
        print(f"{int(n):9} {r['wall']:8.1f} {r['cpu']:8.1f} {r['rssMB']:8.1f} {r['connections']:9}")
    if len(sizes) >= 2:
        a, b = runs[sizes[0]], runs[sizes[-1]]
        dn = int(sizes[-1]) - int(sizes[0])
        print(f"  slope {sizes[0]}→{sizes[-1]}: {(b['wall'] - a['wall']) / dn * 1000:.1f} ms and "
              f"{(b['rssMB'] - a['rssMB']) / dn * 1024:.1f} KiB per endpoint (targets at 1,000: under 30 s, under 120 MB)")


def print_all(results):
    m = results["machine"]
    print(f"\n=== GovAudit benchmark: {m['nproc']} cores ({m['cpu']}), {m['memoryMB']} MB, Linux {m['kernel']} ===")
    la = results.get("loadAverage")
    if la:
        print(f"Load average (1 min) before the run {la['before'][0]:.1f}, after {la['after'][0]:.1f}: "
              "other work on the machine slows every tool alike, and the ratios less than the times.")
    print("Coverage (how it was made equal):")
    for tool, how in results["coverage"].items():
        print(f"  {tool:12} {how}")
    if "pshtt" in results:
        print(f"  pshtt        {results['pshtt']}")
    ratio_table(results)
    facts_table(results)
    handshake_table(results)
    province_table(results)
    scale_table(results)
