#!/usr/bin/env python3
"""Writes an inventory of N systems (default 100000) to standard output, to measure how the
loader scales (README.md, "Development"):
    Tests/Tools/big-inventory.py 100000 > /tmp/big.yaml
    /usr/bin/time -v .build/debug/govaudit inventory check /tmp/big.yaml
With --full every system carries a decision, all four layer records and a contact (about 64 MB
for 100,000 systems); without it, the fields a system needs (about 20 MB). Not a fixture: too big
to commit."""
import sys

args = [a for a in sys.argv[1:] if not a.startswith("--")]
full = "--full" in sys.argv
n = int(args[0]) if args else 100_000
agencies = max(1, n // 100)
out = sys.stdout
out.write('version: 1\nname: "Tỉnh Thử nghiệm lớn"\nillustrative: true\nagencies:\n')
for a in range(agencies):
    out.write(f'  - id: so-{a}\n    name: "Sở số {a}"\n')
out.write("systems:\n")
for i in range(n):
    out.write(f"""  - id: he-thong-{i}
    name: "Hệ thống thông tin số {i}"
    agency: so-{i % agencies}
    level: {i % 5 + 1}
    dossier: {{status: approved}}
    endpoints: [https://ht{i}.thunghiem.gov.vn/]
""")
    if full:
        out.write(f"""    layers:
      onSite: {{unit: "Phòng CNTT", staff: 2}}
      monitoring: {{provider: "SOC tỉnh", contractEnd: 2027-12-31}}
      assessment: {{date: 2026-03-20, assessor: "Công ty Đánh giá A"}}
      nationalMonitoring: {{connected: true, since: 2021-05-01}}
    contacts:
      - {{name: "Nguyễn Văn {i}", email: "cb{i}@thunghiem.gov.vn"}}
""")
