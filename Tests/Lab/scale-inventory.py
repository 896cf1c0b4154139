#!/usr/bin/python3
"""The inventory of the lab's scale hosts, for `lab.py up --scale N` (Tests/Lab/scale.py).

    scale-inventory.py N > scale.yaml

N systems, one https endpoint each (sNNNN.scale.lab.angiang.gov.vn), spread over a few agencies;
valid for `govaudit inventory check`. Scan it against a lab started with at least N scale hosts.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scale  # noqa: E402

if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    sys.stdout.write(scale.inventory(scale.parse_count(sys.argv[1])))
