#!/usr/bin/python3
"""Hostile servers for the budget tests: targets that would keep a scan running for hours, or
make its report huge, unless every step is bounded and cut short with a typed outcome.

    budgets.py

Prints one JSON line with its ports, then serves until its standard input closes (the test
process ended). Everything is on 127.0.0.1, except the silent addresses (below).

- DNS (UDP and TCP, so big answers survive truncation), authoritative for budget.example:
  many → one A record per silent address (hundreds); site → 127.0.0.1; missing → NXDOMAIN;
  the zone has 40 NS and 40 MX names (each with an A record on 127.0.0.1).
- Silent addresses 127.0.1.1–127.0.2.250, ports 80 and 443: a listener whose accept queue is full
  and never accepted, so a connect gets no answer at all (on loopback a free port refuses at once).
  Ports below 1024 need root; without it "silent" is empty and the test says it was skipped.
- TLS ports on 127.0.0.1: trickle (answers any hello with a 16 KB record, one byte a second);
  slow-handshake (answers hand-built hellos at once with a TLS 1.2 ServerHello, but trickles to a
  client that sends extended_master_secret, as OpenSSL does); garbage (an HTTP error); truncated
  (a record header promising more than is sent, then close); oversized (a 65,535-byte record header).
- HTTP on 127.0.0.1: / is a page with 100,000 links to hosts outside .vn; /slow/ is the same page
  sent at 64 KB a second (70 s in all).
"""
import asyncio
import json
import os
import resource
import socket
import struct
import sys

ZONE = "budget.example"
SILENT = [f"127.0.{b}.{h}" for b in (1, 2) for h in range(1, 251)]
LINKS = 100_000
ports = {}
silent_up = []


def records(name, qtype):
    """(type, rdata bytes) answers, or None for NXDOMAIN."""
    a = lambda ip: (1, socket.inet_pton(socket.AF_INET, ip))
    if name == f"many.{ZONE}":
        return [a(ip) for ip in silent_up] if qtype == 1 else []
    if name in (f"site.{ZONE}", f"tls.{ZONE}"):
        return [a("127.0.0.1")] if qtype == 1 else []
    if name.endswith("." + ZONE) and name.split(".")[0][:2] in ("ns", "mx") and name.split(".")[0][2:].isdigit():
        return [a("127.0.0.1")] if qtype == 1 else []
    if name == ZONE:
        if qtype == 2:
            return [(2, encode_name(f"ns{i}.{ZONE}")) for i in range(40)]
        if qtype == 15:
            return [(15, struct.pack("!H", 10) + encode_name(f"mx{i}.{ZONE}")) for i in range(40)]
        return []
    if name == "" or name == "example":
        return []
    return None


def encode_name(name):
    out = b""
    for label in name.split(".") if name else []:
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def answer(data, limit):
    """The reply to one query; truncated (TC, no answers) when it would exceed `limit` bytes."""
    qid, flags, _ = struct.unpack("!HHH", data[:6])
    i, labels = 12, []
    while data[i]:
        labels.append(data[i + 1:i + 1 + data[i]].decode("ascii", "replace"))
        i += 1 + data[i]
    qtype, _ = struct.unpack("!HH", data[i + 1:i + 5])
    question = data[12:i + 5]
    name = ".".join(labels).lower()
    found = records(name, qtype)
    rcode = 3 if found is None else 0
    rd = flags & 0x0100
    body = b""
    for typ, rdata in found or []:
        # The owner name as a pointer to the question (offset 12).
        body += struct.pack("!HHHIH", 0xC00C, typ, 1, 1, len(rdata)) + rdata
    count = len(found or [])
    if 12 + len(question) + len(body) > limit:
        header = struct.pack("!HHHHHH", qid, 0x8400 | 0x0200 | rd | 0x0080 | rcode, 1, 0, 0, 0)
        return header + question
    header = struct.pack("!HHHHHH", qid, 0x8400 | rd | 0x0080 | rcode, 1, count, 0, 0)
    return header + question + body


class DNS(asyncio.DatagramProtocol):
    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        try:
            self.transport.sendto(answer(data, 1232), addr)
        except (IndexError, struct.error):
            pass


async def dns_tcp(reader, writer):
    try:
        while True:
            size = struct.unpack("!H", await reader.readexactly(2))[0]
            reply = answer(await reader.readexactly(size), 65535)
            writer.write(struct.pack("!H", len(reply)) + reply)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, IndexError, struct.error):
        pass
    writer.close()


def client_hello(data):
    """(is a TLS handshake record, extension types) of what a client sent first."""
    if len(data) < 5 or data[0] != 0x16:
        return False, set()
    try:
        i = 5 + 4 + 2 + 32
        i += 1 + data[i]                                   # session id
        i += 2 + struct.unpack("!H", data[i:i + 2])[0]     # suites
        i += 1 + data[i]                                   # compression
        end = i + 2 + struct.unpack("!H", data[i:i + 2])[0]
        i += 2
        types = set()
        while i + 4 <= end:
            typ, length = struct.unpack("!HH", data[i:i + 4])
            types.add(typ)
            i += 4 + length
        return True, types
    except (IndexError, struct.error):
        return True, set()


async def read_hello(reader):
    try:
        return await asyncio.wait_for(reader.read(4096), 10)
    except (asyncio.TimeoutError, ConnectionError):
        return b""


async def trickle(writer, header=b"\x16\x03\x03\x40\x00"):
    try:
        writer.write(header)
        await writer.drain()
        for _ in range(16384):
            await asyncio.sleep(1)
            writer.write(b"\x00")
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    writer.close()


def server_hello(suite):
    body = struct.pack("!H", 0x0303) + bytes(32) + b"\x00" + struct.pack("!HB", suite, 0)
    hs = b"\x02" + len(body).to_bytes(3, "big") + body
    return b"\x16\x03\x03" + struct.pack("!H", len(hs)) + hs


async def tls_trickle(reader, writer):
    await read_hello(reader)
    await trickle(writer)


async def tls_slow_handshake(reader, writer):
    data = await read_hello(reader)
    is_tls, extensions = client_hello(data)
    if is_tls and 0x0017 in extensions:                    # OpenSSL: extended_master_secret
        await trickle(writer)
        return
    version = data[9:11] if len(data) > 11 else b""
    if is_tls and version == b"\x03\x03" and 0x002B not in extensions and b"\xc0\x2f" in data[43:]:
        writer.write(server_hello(0xC02F))
    elif is_tls:
        writer.write(b"\x15\x03\x03\x00\x02\x02\x46")      # alert: protocol_version
    await close(writer)


async def tls_garbage(reader, writer):
    await read_hello(reader)
    writer.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
    await close(writer)


async def tls_truncated(reader, writer):
    await read_hello(reader)
    writer.write(b"\x16\x03\x03\x00\x64" + bytes(10))
    await close(writer)


async def tls_oversized(reader, writer):
    await read_hello(reader)
    writer.write(b"\x16\x03\x03\xff\xff" + bytes(64))
    await close(writer)


async def close(writer):
    try:
        await writer.drain()
    except ConnectionError:
        pass
    writer.close()


def links_page():
    # No whitespace between the links: 100,000 links are then 200,000 nodes, not 300,000.
    rows = "".join(f'<a href="http://l{i}.example.org/">{i}</a>' for i in range(LINKS))
    return f"<!doctype html><html><head><title>Nhiều liên kết</title></head><body>\n{rows}</body></html>\n".encode()


PAGE = b""


async def site(reader, writer):
    try:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, asyncio.TimeoutError, ConnectionError):
        writer.close()
        return
    parts = head.decode("latin-1").split("\r\n")[0].split(" ")
    path = parts[1] if len(parts) > 1 else "/"
    status, body = (200, PAGE) if path in ("/", "/slow/") else (404, b"not found\n")
    reason = {200: "OK", 404: "Not Found"}[status]
    writer.write(f"HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\n"
                 f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode())
    try:
        if path == "/slow/":
            # 64 KB a second: fast enough for any low-speed cut, 70 s for the whole page.
            for i in range(0, len(body), 16384):
                writer.write(body[i:i + 16384])
                await writer.drain()
                await asyncio.sleep(0.25)
        else:
            writer.write(body)
    except ConnectionError:
        pass
    await close(writer)


def silent_listeners():
    """Listeners on ports 80 and 443 of each silent address with a full accept queue: a SYN to
    them is dropped, so a connect stalls. Addresses whose ports cannot be bound are left out."""
    held = []
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 8192)), hard))
    for ip in SILENT:
        pair = []
        try:
            for port in (80, 443):
                s = socket.socket()
                pair.append(s)
                s.bind((ip, port))
                s.listen(0)
                filler = socket.socket()
                pair.append(filler)
                filler.setblocking(False)
                try:
                    filler.connect((ip, port))
                except BlockingIOError:
                    pass
        except OSError:
            for s in pair:
                s.close()
            continue
        held += pair
        silent_up.append(ip)
    return held


async def main():
    global PAGE
    loop = asyncio.get_running_loop()
    PAGE = links_page()
    held = silent_listeners()
    # DNS answers on one port number over UDP and TCP. The UDP port is picked by the kernel; the
    # same number over TCP may be some other connection's ephemeral port, so pick again.
    for attempt in range(50):
        dns, _ = await loop.create_datagram_endpoint(DNS, local_addr=("127.0.0.1", 0))
        ports["dns"] = dns.get_extra_info("sockname")[1]
        try:
            servers = [await asyncio.start_server(dns_tcp, "127.0.0.1", ports["dns"])]
            break
        except OSError:
            dns.close()
            if attempt == 49:
                raise
    for name, handler in [("web", site), ("trickle", tls_trickle), ("slowHandshake", tls_slow_handshake),
                          ("garbage", tls_garbage), ("truncated", tls_truncated), ("oversized", tls_oversized)]:
        server = await asyncio.start_server(handler, "127.0.0.1", 0)
        ports[name] = server.sockets[0].getsockname()[1]
        servers.append(server)
    ports["silent"] = silent_up
    ports["links"] = LINKS
    print(json.dumps(ports), flush=True)
    parent = os.getppid()
    stdin_closed = loop.run_in_executor(None, sys.stdin.read)
    for _ in range(1800):
        if stdin_closed.done() or os.getppid() != parent:
            break
        await asyncio.sleep(1)
    del held
    os._exit(0)


if __name__ == "__main__":
    asyncio.run(main())
