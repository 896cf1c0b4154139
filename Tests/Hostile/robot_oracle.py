#!/usr/bin/python3
"""TLS servers that are Bleichenbacher oracles, for the ROBOT check's tests: Debian's servers
answer every malformed premaster secret alike, so these decrypt the ClientKeyExchange
themselves (textbook RSA, the key made by the openssl command at start) and answer by what
they find, as the vulnerable devices of the ROBOT paper did.

    robot_oracle.py

Prints one JSON line with a port per behaviour, then serves until its standard input closes.
Every port answers a TLS 1.2 hello with ServerHello (TLS_RSA_WITH_AES_128_GCM_SHA256),
Certificate and ServerHelloDone, then, after the client's ClientKeyExchange:

- strong: bad_record_mac (20) when the block starts 00 02 and holds a 00 after the padding,
  a close without alert when it starts 00 02 without one, decrypt_error (51) otherwise;
- weak: bad_record_mac when the 00 separator is exactly where a 48-byte secret needs it,
  decrypt_error otherwise (only well-padded blocks stand out);
- sound: bad_record_mac, whatever the block;
- stall: nothing, ever (the connection stays open);
- hangup: closes the connection as soon as the hello arrives (no ServerHello);
- strong-asks-certificate: sends CertificateRequest before ServerHelloDone, takes an empty
  Certificate, then answers as strong does;
- requires-certificate: sends CertificateRequest and answers handshake_failure (40) to an empty
  Certificate, before it decrypts anything, as a server that requires client certificates does.
"""
import json
import os
import re
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading

SUITE = b"\x00\x9c"


def make_key():
    """(DER certificate, n, d) of a fresh 2048-bit RSA key."""
    d = tempfile.mkdtemp(prefix="robot-oracle-")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{d}/key.pem", "-outform", "DER",
                    "-out", f"{d}/cert.der", "-subj", "/CN=robot.hostile.example", "-days", "2"], check=True, capture_output=True)
    text = subprocess.run(["openssl", "pkey", "-in", f"{d}/key.pem", "-noout", "-text"], check=True, capture_output=True, text=True).stdout

    def number(label):
        m = re.search(label + r":\s*\n((?:\s+[0-9a-f:]+\n)+)", text)
        return int(re.sub(r"[^0-9a-f]", "", m.group(1)), 16)
    return open(f"{d}/cert.der", "rb").read(), number("modulus"), number("privateExponent")


CERT, N, D = make_key()
K = (N.bit_length() + 7) // 8


def record(kind, body):
    return bytes([kind, 3, 3]) + len(body).to_bytes(2, "big") + body


def handshake(kind, body):
    return bytes([kind]) + len(body).to_bytes(3, "big") + body


# RFC 5246 §7.4.4: certificate types (rsa_sign), signature algorithms (rsa_pkcs1_sha256), no CA names.
CERTIFICATE_REQUEST = handshake(13, b"\x01\x01" + b"\x00\x02\x04\x01" + b"\x00\x00")


def flight(ask_certificate=False):
    hello = handshake(2, b"\x03\x03" + os.urandom(32) + b"\x00" + SUITE + b"\x00")
    certs = len(CERT).to_bytes(3, "big") + CERT
    request = CERTIFICATE_REQUEST if ask_certificate else b""
    return record(0x16, hello + handshake(11, len(certs).to_bytes(3, "big") + certs) + request + handshake(14, b""))


def empty_certificate(records):
    """True when the client's first handshake message is an empty Certificate."""
    return any(kind == 0x16 and body[:7] == b"\x0b\x00\x00\x03\x00\x00\x00" for kind, body in records)


def alert(description):
    return record(0x15, bytes([2, description]))


def read_records(sock, buffer, until):
    """Reads records until `until(records)`; (records, rest) or None when the client closed."""
    records = []
    while True:
        while len(buffer) >= 5 and len(buffer) >= 5 + int.from_bytes(buffer[3:5], "big"):
            n = 5 + int.from_bytes(buffer[3:5], "big")
            records.append((buffer[0], buffer[5:n]))
            buffer = buffer[n:]
        if until(records):
            return records, buffer
        data = sock.recv(65536)
        if not data:
            return None
        buffer += data


def block_of(records):
    """The decrypted premaster-secret block of the ClientKeyExchange among `records`."""
    for kind, body in records:
        while kind == 0x16 and len(body) >= 4:
            if body[:1] == b"\x10":
                c = int.from_bytes(body[6:6 + int.from_bytes(body[4:6], "big")], "big")
                return pow(c, D, N).to_bytes(K, "big")
            body = body[4 + int.from_bytes(body[1:4], "big"):]      # the next handshake message
    return None


def strong(block):
    if block[:2] != b"\x00\x02":
        return alert(51)
    return alert(20) if 0 in block[10:] else None      # None: close without a word


def weak(block):
    well = block[:2] == b"\x00\x02" and 0 not in block[2:K - 49] and block[K - 49] == 0
    return alert(20) if well else alert(51)


BEHAVIOURS = {"strong": strong, "weak": weak, "sound": lambda block: alert(20), "strong-asks-certificate": strong}


def handler(behaviour):
    class Handler(socketserver.BaseRequestHandler):
        def handle(self):
            sock = self.request
            got = read_records(sock, b"", lambda r: any(k == 0x16 and b[:1] == b"\x01" for k, b in r))
            if got is None or behaviour == "hangup":
                return
            asks = behaviour in ("strong-asks-certificate", "requires-certificate")
            sock.sendall(flight(ask_certificate=asks))
            got = read_records(sock, got[1], lambda r: block_of(r) is not None)
            if got is None:
                return
            if asks and not empty_certificate(got[0]):
                sock.sendall(alert(10))         # unexpected_message: the Certificate was due first
                return
            if behaviour == "requires-certificate":
                sock.sendall(alert(40))
                return
            if behaviour == "stall":
                while sock.recv(65536):
                    pass
                return
            answer = BEHAVIOURS[behaviour](block_of(got[0]))
            if answer:
                sock.sendall(answer)
    return Handler


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    ports = {}
    for behaviour in ["strong", "weak", "sound", "stall", "hangup", "strong-asks-certificate", "requires-certificate"]:
        server = Server(("127.0.0.1", 0), handler(behaviour))
        ports[behaviour] = server.server_address[1]
        threading.Thread(target=server.serve_forever, daemon=True).start()
    print(json.dumps(ports), flush=True)
    sys.stdin.read()


if __name__ == "__main__":
    main()
