"""How the benchmark measures one tool run, from outside the tool.

    run(cmd, ...)     wall time, CPU time (user + sys of the tool and the processes it waited
                      for) and peak RSS (the largest of those), both from /usr/bin/time, and the
                      TCP connections opened to the lab (an nftables counter, reset before the run)
    SynCounter        that counter: a table of the benchmark's own, removed afterwards
    lab_lock()        the machine-wide lab lock that run-integration and measure-memory take
    rsa2048_sign_ms() what one RSA-2048 signature costs on this machine (openssl speed)
"""
import fcntl
import os
import re
import subprocess
import time

TABLE = "govaudit_bench"
LOCK = "/tmp/govaudit-lab.lock"


def lab_lock():
    """Blocks until no other user holds the lab; the lock lasts as long as the returned file."""
    f = open(LOCK, "w")
    fcntl.flock(f, fcntl.LOCK_EX)
    return f


class SynCounter:
    """Counts TCP SYNs (without ACK) sent to the lab's networks, port 53 aside (unbound's own
    queries to the lab's name servers are not a tool's connections). Counted on output: loopback
    traffic passes output once per packet. A SYN the kernel retransmits counts again; the scale
    hosts never drop, so there it is one per connection."""

    RULES = f"""table inet {TABLE} {{
  counter syns {{ }}
  chain out {{
    type filter hook output priority -10; policy accept;
    ip daddr 127.0.10.0/24 tcp dport != 53 tcp flags & (syn | ack) == syn counter name syns
    ip6 daddr fd10::/16 tcp dport != 53 tcp flags & (syn | ack) == syn counter name syns
  }}
}}
"""

    def __enter__(self):
        self.remove()
        subprocess.run(["nft", "-f", "-"], input=self.RULES, text=True, check=True)
        return self

    def __exit__(self, *exc):
        self.remove()

    @staticmethod
    def remove():
        if subprocess.run(["nft", "list", "table", "inet", TABLE], capture_output=True).returncode == 0:
            subprocess.run(["nft", "delete", "table", "inet", TABLE], check=True)

    def reset(self):
        subprocess.run(["nft", "reset", "counter", "inet", TABLE, "syns"], capture_output=True, check=True)

    def read(self):
        out = subprocess.run(["nft", "list", "counter", "inet", TABLE, "syns"], capture_output=True, text=True,
                             check=True).stdout
        return int(re.search(r"packets (\d+)", out).group(1))


def timed(cmd, stdout):
    """cmd under /usr/bin/time, and where its figures go. Not wait4 from here: a child forked
    from this (large) Python process starts with its peak RSS, which the kernel keeps."""
    figures = stdout + ".time"
    return ["/usr/bin/time", "-f", "%U %S %M", "-o", figures, *cmd], figures


def figures(path):
    """(cpu seconds, peak RSS KiB) from a /usr/bin/time -f '%U %S %M' file (its last line: a
    failed command's first line says how it ended)."""
    try:
        user, system, rss = open(path).read().split("\n")[-2].split()
        return float(user) + float(system), int(rss)
    except (OSError, ValueError, IndexError):
        return 0.0, 0


def run(cmd, counter, stdout, env=None, timeout=3600):
    """Runs cmd once and measures it; its standard output goes to the file `stdout`."""
    counter.reset()
    wrapped, fig = timed(cmd, stdout)
    with open(stdout, "wb") as out, open(stdout + ".stderr", "wb") as err:
        start = time.monotonic()
        proc = subprocess.Popen(wrapped, stdout=out, stderr=err, env=env)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        wall = time.monotonic() - start
    cpu, rss = figures(fig)
    return {"command": [str(c) for c in cmd], "wall": round(wall, 3), "cpu": round(cpu, 3), "rssMB": round(rss / 1024, 1),
            "connections": counter.read(), "exit": proc.returncode, "stderr": stdout + ".stderr"}


def run_parallel(cmds, counter, workers, stdouts):
    """Runs several commands, `workers` at a time, measured as one run: wall time of the whole,
    CPU summed, peak RSS the largest single process, connections of them all."""
    counter.reset()
    start = time.monotonic()
    pending = list(zip(cmds, stdouts))
    running, done = [], []
    while pending or running:
        while pending and len(running) < workers:
            cmd, path = pending.pop(0)
            wrapped, fig = timed(cmd, path)
            with open(path, "wb") as out, open(path + ".stderr", "wb") as err:
                running.append((subprocess.Popen(wrapped, stdout=out, stderr=err), fig))
        time.sleep(0.05)
        for p, fig in [r for r in running if r[0].poll() is not None]:
            running.remove((p, fig))
            done.append((p.returncode, *figures(fig)))
    wall = time.monotonic() - start
    return {"command": [str(c) for c in cmds[0]] if cmds else [], "processes": len(cmds), "wall": round(wall, 3),
            "cpu": round(sum(d[1] for d in done), 3), "rssMB": round(max((d[2] for d in done), default=0) / 1024, 1),
            "connections": counter.read(), "exit": max((d[0] for d in done), key=abs, default=0)}


def rsa2048_sign_ms():
    """Milliseconds of CPU one RSA-2048 signature takes (one core), from `openssl speed`."""
    out = subprocess.run(["openssl", "speed", "-seconds", "2", "rsa2048"], capture_output=True, text=True).stdout
    # The summary line: "rsa 2048 bits 0.000812s 0.000024s   1231.5  41234.0" (sign, verify, sign/s, verify/s)
    m = re.search(r"^rsa\s+2048 bits\s+([\d.]+)s\s+([\d.]+)s\s+([\d.]+)\s+([\d.]+)", out, re.M)
    if not m:
        return None, None
    return round(float(m.group(1)) * 1000, 3), float(m.group(3))
