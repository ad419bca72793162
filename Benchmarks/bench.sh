#!/usr/bin/env bash
# Benchmarks for infra (run with `make bench`). See Benchmarks/README.md.
#
# Builds the release executable, generates the synthetic country once (scales 1, 2 and
# 4), builds the libyaml floor, installs the Python peer's requirements in a venv, times
# every case in CASES below with hyperfine, measures peak memory with /usr/bin/time -v,
# prints a table and writes Benchmarks/RESULTS.md.
#
# Environment:
#   BENCH_RUNS=5 BENCH_WARMUP=1   hyperfine runs and warmup runs per case
#   BENCH_SLOW_RUNS=N             runs of the slow cases (flag s: the peer); default BENCH_RUNS
#   BENCH_PAIRS=7                 alternating pairs per ratio with a target (paired.py); 0: none
#   BENCH_SLOW_PAIRS=3            pairs for a ratio with a slow case (the peer); 0: none
#   BENCH_ONLY=REGEX              run only the cases whose id matches REGEX
#   BENCH_SCALES="1 2 4"          the country scales whose cases run (e.g. "1" skips 2 and 4)
#   BENCH_SKIP_BUILD=1            use the existing .build/release/infra
#   BENCH_INFRA=PATH              time this infra executable instead (nothing is built)
#   BENCH_REGENERATE=1            regenerate the data even if present
#
# Only a full run (no BENCH_ONLY, all three scales) writes Benchmarks/RESULTS.md; a partial
# one writes Benchmarks/out/RESULTS-partial.md, so that it never replaces a full table.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
B=Benchmarks
OUT=$B/out
DATA=$B/data
COUNTRY=$DATA/country-s1
ONE_DIR=$DATA/one-kommun-400
RUNS=${BENCH_RUNS:-5}
WARMUP=${BENCH_WARMUP:-1}
SLOW_RUNS=${BENCH_SLOW_RUNS:-$RUNS}
PAIRS=${BENCH_PAIRS:-7}
ONLY=${BENCH_ONLY:-}
SCALES=${BENCH_SCALES:-1 2 4}
INFRA=${BENCH_INFRA:-.build/release/infra}
FLOOR=$OUT/yaml_floor
CONSUMER=$OUT/swift_consumer
PEER_VENV=$OUT/peer-venv
PEER="$PEER_VENV/bin/python $B/peer/peer.py"

say() { printf '\n== %s\n' "$*" >&2; }
die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }

# ── the cases ──────────────────────────────────────────────────────────────────
# One line per case: id | data set | flags | what it measures | command.
# Data sets: country (scale 1), country-s2 and country-s4 (scales 2 and 4), one-file; a
# country case runs only when its scale is in BENCH_SCALES.
# Flags: i = a non-zero exit is expected (hyperfine -i); s = slow (no warmup run,
# BENCH_SLOW_RUNS runs); - = none.
# Placeholders: @FLOOR @CONSUMER @INFRA @PEER @NATIONAL @ONE @OUT, and for the case's own data set:
# @COUNTRY (its directory), @ALL (its files and the national ones, as a list file for the
# floor), @HALF1 @HALF2 (that list split in two halves of equal bytes).
# A new benchmark is one more line here; RESULTS.md gets a row for it.
CASES=$(cat <<'EOF'
floor-1p       | country  | - | libyaml events only, all files, one process              | @FLOOR @ALL
floor-2p       | country  | - | libyaml events only, files split in two parallel halves  | sh -c '@FLOOR @HALF1 & @FLOOR @HALF2 & wait'
swift-consumer | country  | - | libyaml events + a Swift String kept per scalar, files over both cores (no model) | @CONSUMER @ALL
validate       | country  | i | infra validate --no-national --format json (+ national dir) | @INFRA validate --no-national --format json @COUNTRY @NATIONAL
floor-1file    | one-file | - | libyaml events only, one 400-item kommun                 | @FLOOR @ONE
validate-1file | one-file | i | infra validate --format json, one 400-item kommun        | @INFRA validate --format json @ONE
scan           | country  | i | infra scan, all checks, json (+ national dir)            | @INFRA scan --no-national --format json @COUNTRY @NATIONAL
coverage       | country  | i | infra coverage --format json (+ national dir)            | @INFRA coverage --no-national --format json @COUNTRY @NATIONAL
export         | country  | i | infra export --format json to a file, the whole model (~200 MB) | @INFRA export --no-national --format json --output @OUT/export.json @COUNTRY @NATIONAL
scan-1file     | one-file | i | infra scan, one 400-item kommun, text                     | @INFRA scan @ONE
graph-1file    | one-file | - | infra graph to SVG in process, one 400-item kommun (grid picture) | @INFRA graph @ONE --format svg --output @OUT/graph-1file.svg
dot-pipe-1file | one-file | - | the same through the dot command: infra graph --format dot piped to dot -Tsvg | sh -c '@INFRA graph @ONE --format dot | dot -Tsvg -o @OUT/graph-1file-pipe.svg'
dot-1file      | one-file | - | dot -Tsvg alone on the DOT text infra wrote (no inventories read) | dot -Tsvg @OUT/graph-1file.dot -o @OUT/graph-1file-dot.svg
graph-layered-1file | one-file | - | infra graph --engine dot (layered picture) to SVG, one 400-item kommun | @INFRA graph @ONE --engine dot --format svg --output @OUT/graph-layered-1file.svg
dot-layered-1file | one-file | - | dot -Tsvg alone on the layered picture's DOT text       | dot -Tsvg @OUT/graph-layered-1file.dot -o @OUT/graph-layered-1file-dot.svg
graph-country-svg | country | i | infra graph --aggregate capability, country, SVG        | @INFRA graph --no-national --aggregate capability --format svg --output @OUT/graph-country.svg @COUNTRY @NATIONAL
graph-country-png | country | i | infra graph --aggregate capability, country, PNG        | @INFRA graph --no-national --aggregate capability --format png --output @OUT/graph-country.png @COUNTRY @NATIONAL
save-new       | country  | i | infra scan --save into a new database, json (+ national dir) | sh -c 'rm -f @OUT/save-new.db @OUT/save-new.db-wal @OUT/save-new.db-shm; exec @INFRA scan --no-national --format json --save @OUT/save-new.db @COUNTRY @NATIONAL'
save-10        | country  | i | infra scan --save into a database holding 10 earlier snapshots of the same inventories (one more per run) | @INFRA scan --no-national --format json --save @OUT/save-10.db @COUNTRY @NATIONAL
save-week      | country  | i | infra scan --save after 33 kommuner (5%) changed, into a database holding 10 earlier weekly snapshots (edit included) | sh -c '@OUT/week-edit.sh && exec @INFRA scan --no-national --format json --save @OUT/save-week.db @OUT/country-week @NATIONAL'
diff-country   | country  | - | infra diff of two country snapshots (the country and an edited copy), json | @INFRA diff --db @OUT/diff.db --format json
peer           | country  | s | Python peer (Benchmarks/peer): PyYAML C loader + networkx, same files | @PEER @COUNTRY @NATIONAL
floor-2p-s2    | country-s2 | - | libyaml events only, two parallel halves, scale 2      | sh -c '@FLOOR @HALF1 & @FLOOR @HALF2 & wait'
validate-s2    | country-s2 | i | infra validate --no-national --format json, scale 2    | @INFRA validate --no-national --format json @COUNTRY @NATIONAL
scan-s2        | country-s2 | i | infra scan, all checks, json, scale 2                  | @INFRA scan --no-national --format json @COUNTRY @NATIONAL
floor-2p-s4    | country-s4 | - | libyaml events only, two parallel halves, scale 4      | sh -c '@FLOOR @HALF1 & @FLOOR @HALF2 & wait'
validate-s4    | country-s4 | i | infra validate --no-national --format json, scale 4    | @INFRA validate --no-national --format json @COUNTRY @NATIONAL
scan-s4        | country-s4 | i | infra scan, all checks, json, scale 4                  | @INFRA scan --no-national --format json @COUNTRY @NATIONAL
EOF
)
# Ratios: name | numerator case | denominator case | target: "<= X" (or a bare X) the ratio
# must not exceed X, ">= X" it must reach X, - none.
RATIOS=$(cat <<'EOF'
country: infra validate ÷ floor (2 processes) | validate       | floor-2p    | <= 1.5
country: infra validate ÷ floor (1 process)   | validate       | floor-1p    | -
country: minimal Swift consumer ÷ floor (2 processes) | swift-consumer | floor-2p | -
country: infra validate ÷ minimal Swift consumer | validate    | swift-consumer | -
one file: infra validate ÷ floor              | validate-1file | floor-1file | -
country: infra scan ÷ floor (2 processes)     | scan           | floor-2p    | <= 1.5
country: Python peer ÷ infra scan             | peer           | scan        | >= 40
scale 2: infra scan ÷ floor (2 processes)     | scan-s2        | floor-2p-s2 | -
scale 4: infra scan ÷ floor (2 processes)     | scan-s4        | floor-2p-s4 | -
country: scan --save (new database) ÷ scan   | save-new       | scan        | <= 1.5
country: scan --save (10 snapshots, unchanged) ÷ scan | save-10  | scan        | <= 1.5
country: scan --save (10 snapshots, 5% changed) ÷ scan | save-week | scan       | <= 1.5
one file: in-process SVG ÷ (--format dot piped to dot -Tsvg) | graph-1file | dot-pipe-1file | <= 1.0
one file: in-process SVG ÷ dot -Tsvg alone    | graph-1file    | dot-1file   | -
one file, layered: in-process SVG ÷ dot -Tsvg alone | graph-layered-1file | dot-layered-1file | -
EOF
)
# Absolute targets: case | median must be below (seconds)
LIMITS=$(cat <<'EOF'
validate-1file | 0.050
scan-1file     | 0.100
graph-1file    | 5.0
graph-layered-1file | 5.0
graph-country-svg | 5.0
graph-country-png | 5.0
diff-country   | 2.0
EOF
)
# Peak memory targets: case | peak resident set of the /usr/bin/time -v run must be below (MiB)
MEMORY=$(cat <<'EOF'
scan | 1024
EOF
)
# Linearity: name | scale-1 case | scale-2 case | scale-4 case | target for (time per
# 100,000 items at scale 4) ÷ (time per 100,000 items at scale 1); - for none. Items are
# those of the data set's PLANTED.json plus the national inventories' (read by every case).
LINEAR=$(cat <<'EOF'
libyaml floor, 2 processes | floor-2p | floor-2p-s2 | floor-2p-s4 | -
infra validate             | validate | validate-s2 | validate-s4 | -
infra scan                 | scan     | scan-s2     | scan-s4     | 1.25
EOF
)

# ── tools ──────────────────────────────────────────────────────────────────────
APT_UPDATED=
apt_install() {
    local pkgs=("$@")
    command -v apt-get >/dev/null || die "missing ${pkgs[*]} and no apt-get to install it; install it by hand"
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || die "missing ${pkgs[*]}; run as root or install it by hand"
        sudo=(sudo)
    fi
    say "installing ${pkgs[*]} with apt-get"
    if [ -z "$APT_UPDATED" ]; then "${sudo[@]}" apt-get update -qq >&2 || true; APT_UPDATED=1; fi
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${pkgs[@]}" >&2 ||
        die "apt-get could not install ${pkgs[*]}"
}

command -v python3 >/dev/null || apt_install python3
command -v cc >/dev/null || apt_install gcc
command -v hyperfine >/dev/null || apt_install hyperfine
[ -x /usr/bin/time ] || apt_install time
if ! { pkg-config --exists yaml-0.1 2>/dev/null || [ -f /usr/include/yaml.h ]; }; then apt_install libyaml-dev; fi

trim() { local s=$1; s=${s#"${s%%[![:space:]]*}"}; printf '%s' "${s%"${s##*[![:space:]]}"}"; }

# ── which cases run ────────────────────────────────────────────────────────────
# BENCH_ONLY and BENCH_SCALES decide; the data sets and tools they need follow.
scale_of() {  # data set -> scale ("" for one-file)
    case $1 in country) echo 1 ;; country-s*) echo "${1#country-s}" ;; *) echo "" ;; esac
}
SELECTED=()
NEED_SCALES=" 1 "  # scale 1 is always generated: it is the reference data set
NEED_PEER=
while IFS='|' read -r id data flags what cmd; do
    id=$(trim "$id"); [ -n "$id" ] || continue
    if [ -n "$ONLY" ] && ! [[ $id =~ $ONLY ]]; then continue; fi
    scale=$(scale_of "$(trim "$data")")
    if [ -n "$scale" ] && [[ " $SCALES " != *" $scale "* ]]; then continue; fi
    SELECTED+=("$id|$data|$flags|$what|$cmd")
    if [ -n "$scale" ] && [[ $NEED_SCALES != *" $scale "* ]]; then NEED_SCALES+="$scale "; fi
    if [[ $cmd == *@PEER* ]]; then NEED_PEER=1; fi
done <<<"$CASES"
[ ${#SELECTED[@]} -gt 0 ] || die "no case matches BENCH_ONLY=$ONLY with BENCH_SCALES=$SCALES"

# ── build ──────────────────────────────────────────────────────────────────────
mkdir -p "$OUT" "$DATA"
if [ -z "${BENCH_SKIP_BUILD:-}" ] && [ -z "${BENCH_INFRA:-}" ]; then
    command -v swift >/dev/null || die "swift is not on PATH (needed to build infra)"
    # The same build as `make release` (the flags live in the Makefile only).
    say "building infra (make release)"
    if ! make -s release >"$OUT/build.log" 2>&1; then
        tail -20 "$OUT/build.log" >&2
        die "make release failed (full log: $OUT/build.log)"
    fi
fi
[ -x "$INFRA" ] || die "$INFRA not found; build it with make release (or set BENCH_INFRA)"

say "building the libyaml floor ($FLOOR)"
cc -O2 -o "$FLOOR" $B/floor/yaml_floor.c -lyaml || die "could not build $B/floor/yaml_floor.c (is libyaml-dev installed?)"
say "building the minimal Swift consumer ($CONSUMER)"
swiftc -O -static-stdlib -I Sources/CYAML -o "$CONSUMER" $B/floor/swift_consumer.swift >"$OUT/consumer-build.log" 2>&1 \
    || die "could not build $B/floor/swift_consumer.swift (log: $OUT/consumer-build.log)"

# The peer's requirements, in a venv of their own (rebuilt when requirements.txt or the
# Python version changes).
if [ -n "$NEED_PEER" ]; then
    want="$(sha256sum $B/peer/requirements.txt | cut -c1-16) $(python3 -c 'import sys; print(sys.version.split()[0])')"
    if [ ! -x "$PEER_VENV/bin/python" ] || [ "$(cat "$PEER_VENV/.stamp" 2>/dev/null)" != "$want" ]; then
        say "installing the peer's requirements into $PEER_VENV"
        rm -rf "$PEER_VENV"
        if ! python3 -m venv "$PEER_VENV" >&2; then
            rm -rf "$PEER_VENV"
            apt_install python3-venv
            python3 -m venv "$PEER_VENV" >&2 || die "python3 -m venv failed"
        fi
        "$PEER_VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r $B/peer/requirements.txt >&2 ||
            die "pip could not install $B/peer/requirements.txt into $PEER_VENV"
        echo "$want" >"$PEER_VENV/.stamp"
    fi
    "$PEER_VENV/bin/python" -c 'import networkx, yaml; yaml.CSafeLoader' ||
        die "the peer's PyYAML has no C loader (yaml.CSafeLoader); delete $PEER_VENV and rerun"
fi

# ── data ───────────────────────────────────────────────────────────────────────
GEN_HASH=$(cat $B/generate_country.py inventory/capabilities.yaml inventory/standards.yaml \
    inventory/sweden/*.csv inventory/national/*.yaml | sha256sum | cut -c1-16)
generate() {  # dir stamp args...
    local dir=$1 stamp=$2; shift 2
    if [ -n "${BENCH_REGENERATE:-}" ] || [ ! -f "$dir/.stamp" ] || [ "$(cat "$dir/.stamp")" != "$stamp" ]; then
        [ -f "$dir/.stamp" ] && say "generator or reference data changed: regenerating $dir" || say "generating $dir"
        rm -rf "$dir"
        python3 $B/generate_country.py "$dir" "$@" || die "generate_country.py failed"
        echo "$stamp" >"$dir/.stamp"
    else
        say "using existing $dir (same generator and reference data)"
    fi
}
for scale in $NEED_SCALES; do
    generate "$DATA/country-s$scale" "$GEN_HASH seed=1 scale=$scale" --seed 1 --scale "$scale"
done
generate "$ONE_DIR" "$GEN_HASH single=400" --seed 1 --single-kommun 400
ONE=$(find "$ONE_DIR" -name '*.yaml' | head -1)
[ -n "$ONE" ] || die "no file in $ONE_DIR"

# File lists for the floor, per scale: the country and the national inventories, exactly
# what `infra validate` reads; two halves balanced by bytes for the 2-process floor.
for scale in $NEED_SCALES; do
    lists=$OUT/files-s$scale
    find "$DATA/country-s$scale" inventory/national -name '*.yaml' -printf '%s %p\n' | sort -k1,1nr -k2 >"$lists-sized.txt"
    cut -d' ' -f2 "$lists-sized.txt" >"$lists-all.txt"
    awk -v h1="$lists-half1.txt" -v h2="$lists-half2.txt" 'BEGIN { printf "" > h1; printf "" > h2 }
        { if (a <= b) { print $2 > h1; a += $1 } else { print $2 > h2; b += $1 } }' "$lists-sized.txt"
    "$FLOOR" "@$lists-all.txt" >/dev/null || die "the floor failed on $DATA/country-s$scale"
done
NFILES=$(wc -l <"$OUT/files-s1-all.txt")

# ── run ────────────────────────────────────────────────────────────────────────
expand() {  # command data-set
    local c=$1 scale lists
    scale=$(scale_of "$2")
    if [ -n "$scale" ]; then
        lists=$OUT/files-s$scale
        c=${c//@COUNTRY/$DATA/country-s$scale}; c=${c//@ALL/@$lists-all.txt}
        c=${c//@HALF1/@$lists-half1.txt}; c=${c//@HALF2/@$lists-half2.txt}
    fi
    c=${c//@FLOOR/$FLOOR}; c=${c//@CONSUMER/$CONSUMER}; c=${c//@INFRA/$INFRA}; c=${c//@PEER/$PEER}
    c=${c//@NATIONAL/inventory/national}; c=${c//@ONE/$ONE}; c=${c//@OUT/$OUT}
    printf '%s' "$c"
}

# The DOT text that `dot -Tsvg` lays out next to infra's in-process rendering.
command -v dot >/dev/null || apt_install graphviz
"$INFRA" graph "$ONE" --format dot >"$OUT/graph-1file.dot" || die "infra graph --format dot failed"
"$INFRA" graph "$ONE" --engine dot --format dot >"$OUT/graph-layered-1file.dot" || die "infra graph --engine dot --format dot failed"

# History cases, made once per bench run:
# - save-10: a database with 10 snapshots of the country, unchanged between them;
# - save-week: a copy of the country in which 33 kommuner (5% of the organisations) change
#   before every save (a vendor given a new name by week-edit.sh), with 10 earlier
#   snapshots, each after such a change: what a weekly national snapshot looks like;
# - diff-country: the country and an edited copy of it (40 kommuner edited, 2 removed).
if printf '%s\n' "${SELECTED[@]}" | grep -qE '^ *(save-10|save-week|diff-country) *[|]'; then
    say "preparing the history databases (10 country snapshots, 10 weekly ones, and two for diff)"
    rm -rf "$OUT"/save-10.db* "$OUT"/save-week.db* "$OUT"/diff.db* "$OUT/country-edited" "$OUT/country-week"
    cp -r "$COUNTRY" "$OUT/country-week"
    (cd "$OUT/country-week/kommuner" && grep -l 'vendor: Evolution$' -- *.yaml | head -33) >"$OUT/week-files.txt"
    week=$(cd "$OUT" && pwd)
    cat >"$OUT/week-edit.sh" <<EDIT
#!/bin/sh
cd "$week/country-week/kommuner" && xargs sed -i "s/^\\( *vendor: Evolution\\).*\\\$/\\1 \$(date +%s%N)/" <"$week/week-files.txt"
EDIT
    chmod +x "$OUT/week-edit.sh"
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        "$INFRA" scan --no-national --format json --save "$OUT/save-10.db" "$COUNTRY" inventory/national >/dev/null 2>&1 || true
        "$OUT/week-edit.sh"
        "$INFRA" scan --no-national --format json --save "$OUT/save-week.db" "$OUT/country-week" inventory/national >/dev/null 2>&1 || true
    done
    "$INFRA" scan --no-national --format json --save "$OUT/diff.db" "$COUNTRY" inventory/national >/dev/null 2>&1 || true
    cp -r "$COUNTRY" "$OUT/country-edited"
    (cd "$OUT/country-edited/kommuner" && ls | head -40 | xargs sed -i 's/vendor: Evolution$/vendor: Evolution AB/; s/, serverhall\]/]/' \
        && ls | sed -n '41,42p' | xargs rm -f)
    "$INFRA" scan --no-national --format json --save "$OUT/diff.db" "$OUT/country-edited" inventory/national >/dev/null 2>&1 || true
fi

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
RAN=()
: >"$OUT/commands.txt"
for line in "${SELECTED[@]}"; do
    IFS='|' read -r id data flags what cmd <<<"$line"
    id=$(trim "$id"); data=$(trim "$data"); flags=$(trim "$flags")
    cmd=$(expand "$(trim "$cmd")" "$data")
    say "$id: $cmd"
    runs=$RUNS warmup=$WARMUP
    if [[ $flags == *s* ]]; then runs=$SLOW_RUNS warmup=0; fi
    hf=(--warmup "$warmup" --runs "$runs" -N --export-json "$OUT/hyperfine-$id.json" --command-name "$id")
    if [[ $flags == *i* ]]; then hf+=(-i); fi
    hyperfine "${hf[@]}" "$cmd" >&2 || die "hyperfine failed for $id"
    # Peak memory of one run (maximum resident set size; for sh -c the largest child).
    # Its output is kept (the peer's counts and stages, infra's findings).
    # shellcheck disable=SC2086
    eval "/usr/bin/time -v $cmd" >"$OUT/stdout-$id.txt" 2>"$OUT/time-$id.txt" || true
    # Stage split (load / resolve / check / render) of one run, from infra's --timings.
    if [[ $cmd == "$INFRA "* ]]; then
        # shellcheck disable=SC2086
        eval "$cmd --timings" 2>"$OUT/phases-$id.txt" >/dev/null || true
    fi
    RAN+=("$id")
    printf '%s|%s\n' "$id" "$cmd" >>"$OUT/commands.txt"
done

# The ratios with a target once more, their two sides in turns (see paired.py).
rm -f "$OUT/paired.json"
if [ "$PAIRS" -gt 0 ]; then
    BENCH_CASES="$CASES" BENCH_RATIOS="$RATIOS" python3 "$B/paired.py" "$OUT" "$PAIRS" || die "paired runs failed"
fi

# ── report ─────────────────────────────────────────────────────────────────────
CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
MEM=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
# Changes to what infra is built from; RESULTS.md itself (this script's output) does not count.
DIRTY=$(git status --porcelain -- . ':!Benchmarks/RESULTS.md' 2>/dev/null | head -1)
DATASETS=
for scale in $NEED_SCALES; do DATASETS+="$scale=$DATA/country-s$scale "; done
export BENCH_CASES="$CASES" BENCH_RATIOS="$RATIOS" BENCH_LIMITS="$LIMITS" BENCH_MEMORY="$MEMORY" \
    BENCH_LINEAR="$LINEAR" BENCH_OUT="$OUT" BENCH_DATASETS="$DATASETS" BENCH_INFRA_PATH="$INFRA" \
    BENCH_NPROC="$(nproc)" BENCH_CPU="$CPU" BENCH_MEM="$MEM" BENCH_COMMIT="$COMMIT${DIRTY:+ (with uncommitted changes)}" \
    BENCH_DATE="$(date -u '+%Y-%m-%d %H:%M UTC')" BENCH_LOAD="$LOAD_BEFORE" BENCH_LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)" \
    BENCH_SWIFT="$(swift --version 2>&1 | head -1 || true)" BENCH_KERNEL="$(uname -sr)" BENCH_COUNTRY="$COUNTRY" \
    BENCH_ONE="$ONE" BENCH_NFILES="$NFILES" BENCH_RUNS_N="$RUNS" BENCH_WARMUP_N="$WARMUP" \
    BENCH_SLOW_RUNS_N="$SLOW_RUNS" BENCH_RAN="${RAN[*]}"
if [ -z "$ONLY" ] && [ "$(echo $SCALES)" = "1 2 4" ]; then
    export BENCH_REPORT=$B/RESULTS.md
else
    export BENCH_REPORT=$OUT/RESULTS-partial.md
fi
python3 - <<'PY'
import glob, json, os, re
E = os.environ
out = E["BENCH_OUT"]
def rows(text, n):
    for line in text.strip().splitlines():
        parts = [p.strip() for p in line.split("|", n - 1)]
        if parts and parts[0]:
            yield parts
cases = list(rows(E["BENCH_CASES"], 5))
ran = set(E["BENCH_RAN"].split())
res = {}
for cid, data, flags, what, cmd in cases:
    if cid not in ran:
        continue
    r = json.load(open(f"{out}/hyperfine-{cid}.json"))["results"][0]
    rss = None
    try:
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(f"{out}/time-{cid}.txt").read())
        rss = int(m.group(1)) / 1024 if m else None
    except OSError:
        pass
    codes = sorted(set(r.get("exit_codes") or []))
    res[cid] = dict(data=data, what=what, median=r["median"], mean=r["mean"], sd=r.get("stddev") or 0.0,
                    min=r["min"], max=r["max"], rss=rss, codes=codes, runs=len(r.get("times") or []))

def t(s):
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.3f} s"

def items_in(path):
    return sum(1 for line in open(path, encoding="utf-8") if line.startswith("  - id:"))

# The data sets: scale -> (directory, PLANTED.json); items include the national inventories'.
national_items = sum(items_in(p) for p in sorted(glob.glob("inventory/national/*.yaml")))
datasets = {}
for entry in E["BENCH_DATASETS"].split():
    scale, path = entry.split("=", 1)
    try:
        planted = json.load(open(os.path.join(path, "PLANTED.json")))
    except OSError:
        planted = {}
    datasets[scale] = (path, planted)
scale_of = lambda data: "1" if data == "country" else data[len("country-s"):] if data.startswith("country-s") else None
def items_of(cid):
    scale = scale_of(res[cid]["data"]) if cid in res else None
    if scale not in datasets or not datasets[scale][1].get("items"):
        return None
    return datasets[scale][1]["items"] + national_items
one_items = items_in(E["BENCH_ONE"])

table = ["| case | data | what it measures | median | mean ± σ | min … max | peak RSS | runs | exit |",
         "|---|---|---|---:|---:|---:|---:|---:|---:|"]
for cid, data, flags, what, cmd in cases:
    if cid in res:
        x = res[cid]
        rss = f"{x['rss']:.0f} MiB" if x["rss"] is not None else "–"
        table.append(f"| `{cid}` | {data} | {what} | **{t(x['median'])}** | {t(x['mean'])} ± {t(x['sd'])} | "
                     f"{t(x['min'])} … {t(x['max'])} | {rss} | {x['runs']} | {','.join(map(str, x['codes']))} |")

def meets(value, target):
    """(shown target, met) for a target "<= X", ">= X" or a bare X (<=)."""
    if target == "-":
        return "–", "–"
    m = re.fullmatch(r"(<=|>=)?\s*([0-9.]+)", target)
    kind, x = m.group(1) or "<=", float(m.group(2))
    ok = value <= x if kind == "<=" else value >= x
    return f"{'≤' if kind == '<=' else '≥'} {m.group(2)}×", "yes" if ok else "**no**"

# A ratio with a target is decided by its paired runs when there are any (paired.py): both
# sides ran in turns, so a neighbour's load falls on both.
try:
    paired = json.load(open(f"{out}/paired.json"))
except (OSError, ValueError):
    paired = {}
ratios = ["| ratio | medians' ratio | paired: median (min … max) | target | met |", "|---|---:|---:|---:|:---:|"]
for name, num, den, target in rows(E["BENCH_RATIOS"], 4):
    if num in res and den in res:
        v = res[num]["median"] / res[den]["median"]
        p = paired.get(name)
        shown, met = meets(p["median"] if p else v, target)
        pair = f"{p['median']:.2f}× ({p['min']:.2f} … {p['max']:.2f}, {p['pairs']} pairs)" if p else "–"
        ratios.append(f"| {name} | {v:.2f}× | {pair} | {shown} | {met} |")

# Time per 100,000 items at each scale, and how scale 4 compares with scale 1.
linear = ["| | scale 1 | scale 2 | scale 4 | scale 4 ÷ scale 1 (per 100k items) | target | met |",
          "|---|---:|---:|---:|---:|---:|:---:|"]
def cell(cid):
    items = items_of(cid) if cid in res else None
    if items is None:
        return "–", None
    per = res[cid]["median"] / (items / 1e5)
    return f"{t(res[cid]['median'])} ({t(per)}/100k)", per
shown_items = []
for s in ("1", "2", "4"):
    p = datasets.get(s, (None, {}))[1]
    shown_items.append(f"{p['items'] + national_items:,}" if p.get("items") else "–")
linear.append(f"| items (+ national) | {' | '.join(shown_items)} | | | |")
for name, c1, c2, c4, target in rows(E["BENCH_LINEAR"], 5):
    (a, p1), (b, _), (c, p4) = cell(c1), cell(c2), cell(c4)
    if p1 is None and p4 is None and b == "–":
        continue
    if p1 is not None and p4 is not None:
        v = p4 / p1
        shown, met = meets(v, target)
        linear.append(f"| {name} | {a} | {b} | {c} | {v:.2f}× | {shown} | {met} |")
        ratios.append(f"| linear: {name}, per 100k items, scale 4 ÷ scale 1 | {v:.2f}× | – | {shown} | {met} |")
    else:
        linear.append(f"| {name} | {a} | {b} | {c} | – | {meets(0, target)[0]} | – |")

# The ratios assume two free cores. When the floor split over two processes is not clearly
# faster than one, something else had a core (another tenant of the machine): say so.
warnings = []
if "floor-1p" in res and "floor-2p" in res and res["floor-2p"]["median"] > 0.7 * res["floor-1p"]["median"]:
    warnings.append(f"**Warning:** the libyaml floor took {t(res['floor-2p']['median'])} on two processes against "
                    f"{t(res['floor-1p']['median'])} on one (two free cores give about half): the machine was busy "
                    "during this run, and the ratios below are not comparable with other runs.")
# The check above sees the machine only at the start. A case whose runs spread widely met a
# busy moment later on (in one run: σ 0.3 s on the saves, each 1.3–2.4 s): name them.
unsteady = [cid for cid in res if res[cid]["runs"] > 1 and res[cid]["mean"] > 0.05 and res[cid]["sd"] > 0.1 * res[cid]["mean"]]
if unsteady:
    warnings.append("**Note:** the runs of " + ", ".join(f"`{cid}` (σ {t(res[cid]['sd'])}, {t(res[cid]['min'])} … {t(res[cid]['max'])})"
                                                        for cid in unsteady)
                    + " spread by more than 10% of their mean: the machine was not steady while they ran, and their ratios "
                    "are less certain than the others'; their minimum is the better guide.")

for cid, limit in rows(E["BENCH_LIMITS"], 2):
    if cid in res:
        v = res[cid]["median"]
        ratios.append(f"| `{cid}` median | {t(v)} | – | < {float(limit) * 1000:.0f} ms | {'yes' if v < float(limit) else '**no**'} |")
for cid, limit in rows(E["BENCH_MEMORY"], 2):
    if cid in res and res[cid]["rss"] is not None:
        v = res[cid]["rss"]
        ratios.append(f"| `{cid}` peak RSS | {v:.0f} MiB | – | < {float(limit):.0f} MiB | {'yes' if v < float(limit) else '**no**'} |")

commands = [f"- `{cid}`: `{cmd}`" for cid, cmd in rows(open(f"{out}/commands.txt").read(), 2)]
phases = []
for cid, data, flags, what, cmd in cases:
    if cid not in res:
        continue
    try:  # the peer prints its own stages in its JSON summary
        peer = json.load(open(f"{out}/stdout-{cid}.txt"))
        if isinstance(peer, dict) and "seconds" in peer and "findings" not in peer:
            phases.append(f"- `{cid}`: " + " · ".join(f"{k.replace('_', ' ')} {v:.3f} s" for k, v in peer["seconds"].items())
                          + f" (its own clock; {peer.get('items', 0):,} items, {peer.get('dependencies', 0):,} dependencies)")
            continue
    except (OSError, ValueError):
        pass
    try:
        lines = open(f"{out}/phases-{cid}.txt").read().strip().splitlines()
        line = lines[-1]
    except (OSError, IndexError):
        continue
    # infra --timings also prints the resident memory after each stage (how the peak is spent).
    memory = next((l for l in lines if l.startswith("memory (resident after each stage) ")), None)
    stages = dict((m.group(1).strip(), float(m.group(2))) for m in re.finditer(r"([A-Za-z ]+?) ([0-9.]+) s", line))
    top = {k: v for k, v in stages.items() if k in ("load", "resolve", "check", "render")}
    if not top:
        continue
    note = ""
    if "load" in top and "resolve" in top and "check" in top:
        rc = top["resolve"] + top["check"]
        note = f" — resolve + check = {rc:.3f} s {'<' if rc < top['load'] else '≥'} load {top['load']:.3f} s"
    phases.append(f"- `{cid}`: " + " · ".join(f"{k} {v:.3f} s" for k, v in top.items()) + note)
    detail = {k: v for k, v in stages.items() if k not in top}
    if detail:
        phases.append("  - checks: " + ", ".join(f"{k} {v:.3f} s" for k, v in detail.items()))
    if memory:
        phases.append("  - memory, resident after each stage: " + memory[len("memory (resident after each stage) "):])

data_lines = []
for s, (path, p) in sorted(datasets.items(), key=lambda kv: float(kv[0])):
    data_lines.append(f"- country, scale {s}: `{path}` (seed {p.get('seed', '?')}): {p.get('files', '?')} files, "
                      f"{p.get('items', 0):,} items, {p.get('dependencies', 0):,} references, {p.get('bytes', 0) / 1e6:.1f} MB")
nfiles_country = datasets.get("1", (None, {}))[1].get("files", 0) or 0
data_lines.append(f"- every country case also reads the {int(E['BENCH_NFILES']) - int(nfiles_country)} files of "
                  f"inventory/national/ ({national_items} items), passed as a directory")
data_lines.append(f"- one file: `{E['BENCH_ONE']}` ({one_items} items)")

runs_note = f"Medians of {E['BENCH_RUNS_N']} runs after {E['BENCH_WARMUP_N']} warmup run(s)"
if any(cid in res and "s" in flags for cid, data, flags, what, cmd in cases):
    runs_note += f"; slow cases (the peer): {E['BENCH_SLOW_RUNS_N']} runs, no warmup"
md = f"""# Benchmark results

Written by `make bench` (Benchmarks/bench.sh); see Benchmarks/README.md for what each case
measures and how the data is generated. {runs_note}.

## Machine

- date: {E['BENCH_DATE']}
- commit: {E['BENCH_COMMIT']}; infra: `{E['BENCH_INFRA_PATH']}`; malloc tuning for big inputs: {"off (INFRA_MALLOC_TUNING=off)" if E.get('INFRA_MALLOC_TUNING') == 'off' else "on (the default)"}
- CPU: {E['BENCH_CPU']}, nproc {E['BENCH_NPROC']}
- memory: {E['BENCH_MEM']}
- system: {E['BENCH_KERNEL']}; {E['BENCH_SWIFT']}
- load average (1/5/15 min) before: {E['BENCH_LOAD']}, after: {E['BENCH_LOAD_AFTER']}

## Data

{chr(10).join(data_lines)}

## Results

{chr(10).join(table)}

## Ratios and targets

"Medians' ratio" divides the two cases' medians in the table above, measured minutes apart.
"Paired" runs the two sides in turns (numerator then denominator, then the other way round;
Benchmarks/paired.py) and gives the median of the pairs' ratios: both sides meet the same
machine, so a target is judged by it where it exists.

{"".join(w + chr(10) + chr(10) for w in warnings)}{chr(10).join(ratios)}

## Time per 100,000 items

{chr(10).join(linear)}

## Stages (one run each, `--timings`)

{chr(10).join(phases)}

## Commands

{chr(10).join(commands)}
"""
# What was changed to get here, and what each change bought: kept by hand in
# Benchmarks/OPTIMISATIONS.md and carried into every RESULTS.md.
if os.path.exists("Benchmarks/OPTIMISATIONS.md"):
    md += "\n" + open("Benchmarks/OPTIMISATIONS.md", encoding="utf-8").read()
open(E["BENCH_REPORT"], "w", encoding="utf-8").write(md)
print()
print("\n".join(table))
print()
print("\n".join(warnings + ratios))
print()
print("\n".join(linear))
print(f"\nwrote {E['BENCH_REPORT']}")
PY
