#!/usr/bin/python3
"""TLS servers with the quirks a review of the TLS probe found mishandled: each answers the
probe's hand-built hellos with a real ServerHello record (version, random, chosen suite), and
misbehaves on some hellos as middleboxes do.

    tlsquirks.py

Prints one JSON line with its ports, then serves until its standard input closes (the test
process ended). Everything is on 127.0.0.1.

- drops-sslv2: an IPS that silently drops SSLv2-framed hellos (the connection stays open, nothing
  comes back); TLS 1.2 hellos get a ServerHello with the first of its suites offered, older
  versions a protocol_version alert.
- stalls-midway: the same TLS 1.2 server, which goes silent on any hello that no longer offers its
  first suite (a rate limiter kicking in during the suite enumeration).
- silent: accepts and never answers (so the prober gives up after the TLS 1.2 and 1.3 hellos).
  It counts the connections it got: a line "connections N" answers a "count" line on its input.
- tls13-no-hrr: TLS 1.3 only (TLS_AES_256_GCM_SHA384, then TLS_AES_128_GCM_SHA256), which
  answers a hello without a key share with handshake_failure instead of a HelloRetryRequest.
"""
import asyncio
import json
import os
import struct
import sys

SUITES = [0xC02F, 0xC030, 0x009C]     # ECDHE-RSA-AES128-GCM, ECDHE-RSA-AES256-GCM, RSA-AES128-GCM
ports = {}
counts = {"silent": 0}


def offered_suites(hello):
    """The version and the suites of a TLS ClientHello record, or None when it is not one."""
    if len(hello) < 5 + 4 + 2 + 32 + 1 or hello[0] != 0x16 or hello[5] != 1:
        return None
    version = struct.unpack("!H", hello[9:11])[0]
    i = 11 + 32
    i += 1 + hello[i]
    count = struct.unpack("!H", hello[i:i + 2])[0]
    suites = [struct.unpack("!H", hello[i + 2 + k:i + 4 + k])[0] for k in range(0, count, 2)]
    return version, suites


TLS13_SUITES = [0x1302, 0x1301]


def extensions(hello):
    """type → body of a TLS ClientHello record's extensions."""
    i = 11 + 32
    i += 1 + hello[i]
    i += 2 + struct.unpack("!H", hello[i:i + 2])[0]
    i += 1 + hello[i]
    if i + 2 > len(hello):
        return {}                                        # no extensions (an SSLv3 hello)
    end = i + 2 + struct.unpack("!H", hello[i:i + 2])[0]
    i += 2
    out = {}
    while i + 4 <= end:
        kind, length = struct.unpack("!HH", hello[i:i + 4])
        out[kind] = hello[i + 4:i + 4 + length]
        i += 4 + length
    return out


def tls13_answer(hello, suites):
    """tls13-no-hrr's answer: a TLS 1.3 ServerHello (supported_versions, an x25519 share) for a
    hello that offers TLS 1.3 with a key share and one of its suites; handshake_failure for one
    without a share (the quirk) or without a suite in common; protocol_version otherwise."""
    ext = extensions(hello)
    versions = ext.get(0x002B, b"")
    if b"\x03\x04" not in [versions[k:k + 2] for k in range(1, len(versions), 2)]:
        return ALERT_PROTOCOL_VERSION
    chosen = next((s for s in TLS13_SUITES if s in suites), None)
    if chosen is None or len(ext.get(0x0033, b"")) <= 2:
        return ALERT_HANDSHAKE_FAILURE
    exts = struct.pack("!HHH", 0x002B, 2, 0x0304) + struct.pack("!HHHH", 0x0033, 36, 0x001D, 32) + os.urandom(32)
    body = struct.pack("!H", 0x0303) + os.urandom(32) + b"\x20" + os.urandom(32) + struct.pack("!HB", chosen, 0) \
        + struct.pack("!H", len(exts)) + exts
    handshake = b"\x02" + len(body).to_bytes(3, "big") + body
    return b"\x16\x03\x03" + struct.pack("!H", len(handshake)) + handshake


def server_hello(suite):
    body = struct.pack("!H", 0x0303) + os.urandom(32) + b"\x00" + struct.pack("!HB", suite, 0)
    handshake = b"\x02" + len(body).to_bytes(3, "big") + body
    return b"\x16\x03\x03" + struct.pack("!H", len(handshake)) + handshake


ALERT_PROTOCOL_VERSION = b"\x15\x03\x01\x00\x02\x02\x46"
ALERT_HANDSHAKE_FAILURE = b"\x15\x03\x03\x00\x02\x02\x28"


async def read_hello(reader):
    head = await reader.readexactly(2)
    if head[0] & 0x80:                                   # SSLv2 framing
        return head + await reader.readexactly(((head[0] & 0x7F) << 8) | head[1])
    head += await reader.readexactly(3)
    return head + await reader.readexactly(struct.unpack("!H", head[3:5])[0])


def handler(quirk):
    async def serve(reader, writer):
        try:
            hello = await read_hello(reader)
            parsed = offered_suites(hello)
            if quirk == "silent":
                counts["silent"] += 1
            silent = quirk == "silent" or (quirk == "drops-sslv2" and hello[0] & 0x80) or \
                     (quirk == "stalls-midway" and parsed and SUITES[0] not in parsed[1])
            if silent:
                await reader.read()                      # until the client gives up
                return
            if parsed is None:
                writer.write(ALERT_HANDSHAKE_FAILURE)
            elif quirk == "tls13-no-hrr":
                writer.write(tls13_answer(hello, parsed[1]))
            elif parsed[0] != 0x0303:
                writer.write(ALERT_PROTOCOL_VERSION)
            else:
                chosen = next((s for s in SUITES if s in parsed[1]), None)
                writer.write(server_hello(chosen) if chosen else ALERT_HANDSHAKE_FAILURE)
            await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()
    return serve


async def main():
    for quirk in ["drops-sslv2", "stalls-midway", "silent", "tls13-no-hrr"]:
        server = await asyncio.start_server(handler(quirk), "127.0.0.1", 0)
        ports[quirk] = server.sockets[0].getsockname()[1]
    print(json.dumps(ports), flush=True)
    loop = asyncio.get_running_loop()
    while True:                                          # ends with the test process
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line:
            return
        print(f"connections {counts['silent']}", flush=True)


asyncio.run(main())
