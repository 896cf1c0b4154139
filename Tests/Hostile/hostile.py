#!/usr/bin/python3
"""A hostile site and its DNS, for the address-filter tests: it tries every way it can to make
the scanner connect to addresses it must not reach, and canary listeners on those addresses
record any connection that gets through.

    hostile.py HITS_FILE

Prints one JSON line with its ports, then serves until its standard input closes (the test
process ended). Needs no root: everything is on 127.0.0.1, 127.0.0.2, 127.0.0.3 and ::1.

- DNS (UDP, authoritative for hostile.example, recursion "available" so libunbound can use it
  as its forwarder): www → 127.0.0.1 and ::1 (the site, the only address the tests allow);
  canary → 127.0.0.2 and ::1; target → 127.0.0.3; mapped → ::ffff:127.0.0.2;
  nat64 → 64:ff9b::7f00:2; rebind → 127.0.0.1 and 127.0.0.2 in turn, TTL 0 (DNS rebinding).
- The site (127.0.0.1:W and [::1]:W6, the same port when it is free on both): redirects to every
  host form of a canary, links, frames, meta refresh and script redirects to canaries, a
  crawler-only redirect (cloaking) to one. Every answer closes its connection except under
  /keep/, whose answers keep it open and say which connection carried them ("connection N
  address"), for the connection-reuse tests.
- Canaries: every address on port C (0.0.0.0 and [::]), 127.0.0.2 on port W, 127.0.0.3 on 80 and
  443 when free. Each connection accepted is one line in HITS_FILE: "local-address port".
"""
import asyncio
import json
import os
import socket
import struct
import sys

HITS = sys.argv[1]
ZONE = "hostile.example"
ports = {}
rebind_turn = [0]
connections = [0]


def records(name, qtype):
    """(type, ttl, rdata bytes) answers for a name, or None for NXDOMAIN."""
    a = lambda ip: (1, 1, socket.inet_pton(socket.AF_INET, ip))
    aaaa = lambda ip: (28, 1, socket.inet_pton(socket.AF_INET6, ip))
    table = {
        f"www.{ZONE}": [a("127.0.0.1"), aaaa("::1")],
        f"canary.{ZONE}": [a("127.0.0.2"), aaaa("::1")],
        f"target.{ZONE}": [a("127.0.0.3")],
        f"mapped.{ZONE}": [aaaa("::ffff:127.0.0.2")],
        f"nat64.{ZONE}": [aaaa("64:ff9b::7f00:2")],
        ZONE: [],
        "": [],
    }
    if name == f"rebind.{ZONE}":
        if qtype != 1:
            return []
        rebind_turn[0] += 1
        ip = "127.0.0.1" if rebind_turn[0] % 2 else "127.0.0.2"
        return [(1, 0, socket.inet_pton(socket.AF_INET, ip))]
    if name not in table:
        return None
    return [r for r in table[name] if r[0] == qtype]


def encode_name(name):
    out = b""
    for label in name.split(".") if name else []:
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


class DNS(asyncio.DatagramProtocol):
    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        try:
            qid, flags, qd = struct.unpack("!HHH", data[:6])
            i, labels = 12, []
            while data[i]:
                labels.append(data[i + 1:i + 1 + data[i]].decode("ascii", "replace"))
                i += 1 + data[i]
            qtype, qclass = struct.unpack("!HH", data[i + 1:i + 5])
            question = data[12:i + 5]
        except (IndexError, struct.error):
            return
        name = ".".join(labels).lower()
        answers = records(name, qtype)
        rcode = 3 if answers is None else 0
        rd = flags & 0x0100
        header = struct.pack("!HHHHHH", qid, 0x8400 | rd | 0x0080 | rcode, 1, len(answers or []), 0, 0)
        body = b""
        for typ, ttl, rdata in answers or []:
            body += encode_name(name) + struct.pack("!HHIH", typ, 1, ttl, len(rdata)) + rdata
        self.transport.sendto(header + question + body, addr)


def page(c, w):
    canary = f"canary.{ZONE}:{c}"
    return f"""<!doctype html><html><head><title>Cổng thông tin</title>
<meta http-equiv="refresh" content="30; url=http://{canary}/meta">
</head><body>
<a href="http://{canary}/outbound">Liên kết</a>
<a href="http://2130706434:{c}/numeric">Số</a>
<a href="http://[::1]:{c}/v6">IPv6</a>
<a href="/internal">Trang trong</a>
<a href="ftp://{canary}/file">FTP</a>
<iframe src="http://{canary}/frame"></iframe>
<img src="http://{canary}/img.png">
<script>if (false) window.location.href = "http://{canary}/script";</script>
</body></html>
""".encode()


async def site(reader, writer):
    connections[0] += 1
    number = connections[0]
    while await answer(reader, writer, number):
        pass
    writer.close()


async def answer(reader, writer, number):
    """One request on the connection; True when the connection stays open for the next."""
    try:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, asyncio.TimeoutError, ConnectionError):
        return False
    lines = head.decode("latin-1").split("\r\n")
    path = lines[0].split(" ")[1] if len(lines[0].split(" ")) > 1 else "/"
    headers = {l.split(":", 1)[0].lower(): l.split(":", 1)[1].strip() for l in lines[1:] if ":" in l}
    c, w = ports["canary"], ports["web"]
    status, location, body = 200, None, b"ok\n"
    crawler = "googlebot" in headers.get("user-agent", "").lower() or "google." in headers.get("referer", "")
    if crawler:
        status, location = 302, f"http://canary.{ZONE}:{c}/cloak"
    elif path == "/":
        body = page(c, w)
    elif path == "/internal":
        status, location = 302, f"http://canary.{ZONE}:{c}/internal-redirect"
    elif path.startswith("/r/"):
        status, location = 302, f"http://{path[3:]}:{c}/"
    elif path == "/rebind":
        status, location = 302, f"http://rebind.{ZONE}:{w}/landing"
    elif path == "/ftp":
        status, location = 302, f"ftp://canary.{ZONE}:{c}/file"
    elif path == "/landing":
        body = b"landed\n"
    elif path.startswith("/keep/"):
        body = f"connection {number} {writer.get_extra_info('sockname')[0]}\n".encode()
    else:
        status, body = 404, b"not found\n"
    reason = {200: "OK", 302: "Found", 404: "Not Found"}[status]
    out = f"HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {len(body)}\r\n"
    if location:
        out += f"Location: {location}\r\n"
    keep = path.startswith("/keep/") and not crawler
    writer.write(out.encode() + (b"\r\n" if keep else b"Connection: close\r\n\r\n") + body)
    try:
        await writer.drain()
    except ConnectionError:
        return False
    return keep


async def canary(reader, writer):
    local = writer.get_extra_info("sockname")
    with open(HITS, "a") as f:
        f.write(f"{local[0]} {local[1]}\n")
    writer.write(b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<html>canary</html>\n")
    try:
        await writer.drain()
    except ConnectionError:
        pass
    writer.close()


async def main():
    loop = asyncio.get_running_loop()
    open(HITS, "w").close()
    dns, _ = await loop.create_datagram_endpoint(DNS, local_addr=("127.0.0.1", 0))
    ports["dns"] = dns.get_extra_info("sockname")[1]
    # The site on one port number in both families when one is free (the reuse tests fetch the
    # same host and port over IPv4 and IPv6), else on two.
    for _ in range(20):
        web = await asyncio.start_server(site, "127.0.0.1", 0)
        try:
            web6 = await asyncio.start_server(site, "::1", web.sockets[0].getsockname()[1])
            break
        except OSError:
            web.close()
    else:
        web = await asyncio.start_server(site, "127.0.0.1", 0)
        web6 = await asyncio.start_server(site, "::1", 0)
    ports["web"] = web.sockets[0].getsockname()[1]
    ports["web6"] = web6.sockets[0].getsockname()[1]
    # The canary port on every address of both families: any connection to it is a breach.
    c6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    c6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    c6.bind(("::", 0))
    ports["canary"] = c6.getsockname()[1]
    servers = [web, web6, await asyncio.start_server(canary, sock=c6)]
    servers.append(await asyncio.start_server(canary, "127.0.0.2", ports["web"]))
    bound = []
    for p in (80, 443):
        try:
            servers.append(await asyncio.start_server(canary, "127.0.0.3", p))
            bound.append(p)
        except OSError:
            pass
    ports["targetCanaryPorts"] = bound
    print(json.dumps(ports), flush=True)
    # Serve until the test process goes away: its end of our standard input closes, or we are
    # orphaned; and never longer than ten minutes.
    parent = os.getppid()
    stdin_closed = loop.run_in_executor(None, sys.stdin.read)
    for _ in range(600):
        if stdin_closed.done() or os.getppid() != parent:
            break
        await asyncio.sleep(1)
    os._exit(0)


if __name__ == "__main__":
    asyncio.run(main())
