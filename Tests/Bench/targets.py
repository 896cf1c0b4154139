"""The benchmark's target sets: generated inventories of lab hosts, and parts of the province's.

The province inventory is cut by text, system by system (each starts at "  - id:" under
"systems:"), so what GovAudit reads is the file's own records, not a re-serialisation.
"""
import re

import scale


def write_inventory(path, hosts):
    """One system per lab host name (one https endpoint each)."""
    with open(path, "w", encoding="utf-8") as f:
        f.write(scale.inventory_of(hosts))
    return path


def _split(text):
    head, _, body = text.partition("\nsystems:\n")
    blocks = re.split(r"(?m)^(?=  - id: )", body)
    return head + "\nsystems:\n", [b for b in blocks if b.strip()]


def _hosts(block):
    return re.findall(r"(?m)^\s+- https?://([^/:\s]+)", block)


def endpoint_hosts(path):
    _, blocks = _split(open(path, encoding="utf-8").read())
    return {h for b in blocks for h in _hosts(b)}


def write_subset(source, path, keep):
    """The systems of `source` whose endpoint host names satisfy keep(hosts)."""
    head, blocks = _split(open(source, encoding="utf-8").read())
    kept = [b for b in blocks if keep(_hosts(b))]
    with open(path, "w", encoding="utf-8") as f:
        f.write(head + "".join(kept))
    return path


def count_systems(path):
    return len(_split(open(path, encoding="utf-8").read())[1])


def classify(doc):
    """(sound, hostile) host names of the lab: sound = the `sound` scenario; hostile = a host
    built to make a client wait (packets dropped, a trickle, a silent handshake, a loop, a huge
    body), whose bounded time is the floor of any scan that includes it."""
    sound = {h["name"] for h in doc["merged"] if h["scenario"] == "sound"}
    sound |= {a for h in doc["merged"] if h["scenario"] == "sound" for a in h["aliases"]}
    hostile = {h["name"] for h in doc["merged"] if h["web"].get("drop6") or h["expect"].get("hostile")}
    return sound, hostile
