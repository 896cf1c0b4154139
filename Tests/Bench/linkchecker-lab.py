#!/usr/bin/python3
"""linkchecker against the lab: the lab's names resolve to their lab addresses (the system
resolver does not know them) and the lab CA is trusted; every other argument is linkchecker's.

    linkchecker-lab.py NAMES.json CA.pem [linkchecker arguments...]    NAMES.json: {"host": "127.0.10.N"}

linkchecker drops root privileges to `nobody` before it fetches: the CA file must be readable by all.
"""
import json
import os
import socket
import sys
import tempfile

names = json.load(open(sys.argv[1]))
os.environ["REQUESTS_CA_BUNDLE"] = os.path.abspath(sys.argv[2])
system_getaddrinfo = socket.getaddrinfo


def lab_getaddrinfo(host, *args, **kw):
    # A lab name: its IPv4 address only (linkchecker has no --resolver); anything else as usual.
    return system_getaddrinfo(names.get(str(host).rstrip(".").lower(), host), *args, **kw)


socket.getaddrinfo = lab_getaddrinfo
# The CA also through linkchecker's own setting: some of its requests (a redirect's, a 404's)
# do not read REQUESTS_CA_BUNDLE.
config = tempfile.NamedTemporaryFile("w", suffix=".ini", delete=False)
config.write(f"[checking]\nsslverify={os.path.abspath(sys.argv[2])}\n")
config.close()
os.chmod(config.name, 0o644)
sys.argv = ["linkchecker", "-f", config.name] + sys.argv[3:]
from linkcheck.command.linkchecker import linkchecker  # noqa: E402

sys.exit(linkchecker())
