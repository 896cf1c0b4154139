#!/usr/bin/env bash
# Peak memory and wall time of `govaudit scan` over the lab's scale hosts (scan history issue,
# item 4: memory stays flat). Not part of `make test`: it takes minutes.
#
#   Tests/Lab/measure-memory.sh                 1,000 endpoints (every check), then 10,000
#   SIZES="200 1000" Tests/Lab/measure-memory.sh
#
# Per size N: the inventory of N scale hosts (scale-inventory.py), a scan into a fresh history
# under .build/measure-memory/, its report written to a file, timed by /usr/bin/time -v.
# Environment: BIN (default .build/debug/govaudit), SIZES, FORMAT (json or table; default json),
# CHECKS_<N> (--checks for size N; empty = every check), ARGS_<N> (more scan flags for size N).
# The defaults keep the 10,000 run to a few minutes: DNS and the crawl (the largest evidence),
# not the TLS handshakes. Exit status 1 when a scan fails.
set -u
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
BIN=${BIN:-.build/debug/govaudit}
SIZES=${SIZES:-"1000 10000"}
FORMAT=${FORMAT:-json}
: "${CHECKS_10000=dns,links}"
: "${ARGS_10000=--max-pages 5}"
WORK=.build/measure-memory
LAB_OPTIONS=(--resolver 127.0.10.1:53 --ca-file Tests/Lab/state/pki/root.pem
             --trust-anchor Tests/Lab/state/dns/trust-anchors.ds --allow-net 127.0.10.0/24 --allow-net fd10::/16)

[ -x "$BIN" ] || { echo "measure-memory: no $BIN (run make build)" >&2; exit 1; }
largest=0
for n in $SIZES; do [ "$n" -gt "$largest" ] && largest=$n; done
mkdir -p "$WORK"

# One lab per machine (its addresses are fixed): wait for any other user, and always stop it.
exec 9>/tmp/govaudit-lab.lock
flock 9
trap '$PY Tests/Lab/lab.py down >/dev/null' EXIT
$PY Tests/Lab/lab.py up --scale "$largest" || { echo "measure-memory: the lab did not start" >&2; exit 1; }

rc=0
results=()
for n in $SIZES; do
    inventory="$WORK/scale-$n.yaml"
    $PY Tests/Lab/scale-inventory.py "$n" > "$inventory"
    "$BIN" inventory check "$inventory" >/dev/null || { echo "measure-memory: $inventory is not valid" >&2; exit 1; }
    checks_var="CHECKS_$n" args_var="ARGS_$n"
    checks=${!checks_var:-}
    read -r -a extra <<< "${!args_var:-}"
    cmd=("$BIN" scan --inventory "$inventory" "${LAB_OPTIONS[@]}" --db "$WORK/history-$n.sqlite"
         --format "$FORMAT" --fail-on none ${checks:+--checks "$checks"} "${extra[@]}")
    rm -f "$WORK/history-$n.sqlite"*
    echo "measure-memory: $n endpoints: ${cmd[*]}"
    if ! /usr/bin/time -v -o "$WORK/time-$n.txt" "${cmd[@]}" > "$WORK/report-$n.$FORMAT" 2> "$WORK/stderr-$n.txt"; then
        echo "measure-memory: the scan of $n endpoints failed (see $WORK/stderr-$n.txt)" >&2
        rc=1
    fi
    rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2 / 1024}' "$WORK/time-$n.txt")
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$WORK/time-$n.txt")
    cpu=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {printf "%.1f", u + s}' "$WORK/time-$n.txt")
    size=$(du -h "$WORK/report-$n.$FORMAT" | cut -f1)
    results+=("$(printf '%8s  %-12s  %-6s  %10s  %10s  %8s  %8s' "$n" "${checks:-all}" "$FORMAT" "$rss" "$wall" "$cpu" "$size")")
done

echo
printf '%8s  %-12s  %-6s  %10s  %10s  %8s  %8s\n' endpoints checks format "peak MiB" "wall" "cpu s" report
for line in "${results[@]}"; do echo "$line"; done
echo "(binary $BIN; per-size flags above; files in $WORK)"
exit $rc
