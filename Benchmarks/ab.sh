#!/usr/bin/env bash
# Compares two infra executables on a busy machine: runs them in turns, A B B A …, so that a
# neighbour's load falls on both alike, and prints the median wall-clock and CPU (user +
# system) time of each. See Benchmarks/README.md.
#
#   Benchmarks/ab.sh OLD NEW PAIRS INFRA-ARGUMENTS...
#   Benchmarks/ab.sh /tmp/old/infra .build/release/infra 15 scan Benchmarks/data/country-s1 --format json
#
# Output goes to /dev/null; exit codes are not checked (a scan with findings exits 1).
set -euo pipefail
[ $# -ge 4 ] || { echo "usage: $0 OLD NEW PAIRS INFRA-ARGUMENTS..." >&2; exit 2; }
old=$1 new=$2 pairs=$3
shift 3
for exe in "$old" "$new"; do [ -x "$exe" ] || { echo "$0: $exe is not an executable" >&2; exit 2; }; done
[ -x /usr/bin/time ] || { echo "$0: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }

times=$(mktemp)
trap 'rm -f "$times"' EXIT
run() { /usr/bin/time -a -o "$times" -f "$1 %e %U %S" "$2" "${@:3}" >/dev/null 2>&1 || true; }
# The order alternates (old new, new old, …): the second run of a pair was measured 2–9% faster
# than the first with the same executable in both places, which would favour whichever goes second.
for p in $(seq 1 "$pairs"); do
    if (( p % 2 )); then run old "$old" "$@"; run new "$new" "$@"
    else run new "$new" "$@"; run old "$old" "$@"; fi
done
python3 - "$times" "$old" "$new" <<'PY'
import statistics, sys
runs = {"old": [], "new": []}
for line in open(sys.argv[1]):
    parts = line.split()
    if len(parts) == 4 and parts[0] in runs:
        runs[parts[0]].append((float(parts[1]), float(parts[2]) + float(parts[3])))
median = {name: [statistics.median(run[i] for run in runs[name]) for i in (0, 1)] for name in runs}
for name, exe in (("old", sys.argv[2]), ("new", sys.argv[3])):
    print(f"{name}  {exe}: median wall {median[name][0]:.3f} s, CPU {median[name][1]:.3f} s ({len(runs[name])} runs)")
print(f"new ÷ old: wall {median['new'][0] / median['old'][0]:.3f}, CPU {median['new'][1] / median['old'][1]:.3f}")
PY
