"""How the benchmark measures one tool run, from outside the tool.

    run(cmd, ...)     wall time, CPU time (user + sys of the child and the processes it waited
                      for, from wait4), peak RSS (the largest of those processes), and the TCP
                      connections opened to the lab (an nftables counter, reset before the run)
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


def run(cmd, counter, stdout=None, env=None, timeout=3600):
    """Runs cmd once and measures it. stdout: a path the tool's standard output goes to."""
    counter.reset()
    out = open(stdout, "wb") if stdout else subprocess.DEVNULL
    err_path = (stdout or "/tmp/govaudit-bench") + ".stderr"
    with open(err_path, "wb") as err:
        start = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
            time.sleep(0.02)
        wall = time.monotonic() - start
    if stdout:
        out.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {"command": [str(c) for c in cmd], "wall": round(wall, 3),
            "cpu": round(usage.ru_utime + usage.ru_stime, 3), "rssMB": round(usage.ru_maxrss / 1024, 1),
            "connections": counter.read(), "exit": proc.returncode, "stderr": err_path}


def run_parallel(cmds, counter, workers, stdouts):
    """Runs several commands, `workers` at a time, measured as one run: wall time of the whole,
    CPU summed, peak RSS the largest single process, connections of them all."""
    counter.reset()
    start = time.monotonic()
    pending = list(zip(cmds, stdouts))
    running = {}
    cpu, rss, exits = 0.0, 0, []
    while pending or running:
        while pending and len(running) < workers:
            cmd, path = pending.pop(0)
            p = subprocess.Popen(cmd, stdout=open(path, "wb"), stderr=open(path + ".stderr", "wb"))
            running[p.pid] = p
        pid, status, usage = os.wait4(-1, 0)
        if pid in running:
            del running[pid]
            cpu += usage.ru_utime + usage.ru_stime
            rss = max(rss, usage.ru_maxrss)
            exits.append(os.waitstatus_to_exitcode(status))
    wall = time.monotonic() - start
    return {"command": [str(c) for c in cmds[0]] if cmds else [], "processes": len(cmds), "wall": round(wall, 3),
            "cpu": round(cpu, 3), "rssMB": round(rss / 1024, 1), "connections": counter.read(),
            "exit": max(exits, key=abs) if exits else 0}


def rsa2048_sign_ms():
    """Milliseconds of CPU one RSA-2048 signature takes (one core), from `openssl speed`."""
    out = subprocess.run(["openssl", "speed", "-seconds", "2", "rsa2048"], capture_output=True, text=True).stdout
    # The summary line: "rsa 2048 bits 0.000812s 0.000024s   1231.5  41234.0" (sign, verify, sign/s, verify/s)
    m = re.search(r"^rsa\s+2048 bits\s+([\d.]+)s\s+([\d.]+)s\s+([\d.]+)\s+([\d.]+)", out, re.M)
    if not m:
        return None, None
    return round(float(m.group(1)) * 1000, 3), float(m.group(3))
