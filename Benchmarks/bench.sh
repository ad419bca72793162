#!/usr/bin/env bash
# Benchmarks for infra (run with `make bench`). See Benchmarks/README.md.
#
# Builds the release executable, generates the synthetic country once, builds the
# libyaml floor, times every case in CASES below with hyperfine, measures peak memory
# with /usr/bin/time -v, prints a table and writes Benchmarks/RESULTS.md.
#
# Environment:
#   BENCH_RUNS=5 BENCH_WARMUP=1   hyperfine runs and warmup runs per case
#   BENCH_ONLY=REGEX              run only the cases whose id matches REGEX
#   BENCH_SKIP_BUILD=1            use the existing .build/release/infra
#   BENCH_REGENERATE=1            regenerate the data even if present
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
ONLY=${BENCH_ONLY:-}
INFRA=.build/release/infra
FLOOR=$OUT/yaml_floor

say() { printf '\n== %s\n' "$*" >&2; }
die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }

# ── the cases ──────────────────────────────────────────────────────────────────
# One line per case: id | data set | ignore exit code (i) | what it measures | command.
# Add later benchmarks (scan, coverage, graph …) as new lines; RESULTS.md gets a row each.
# Placeholders: @FLOOR @INFRA @COUNTRY @NATIONAL @ALL @HALF1 @HALF2 @ONE
CASES=$(cat <<'EOF'
floor-1p       | country  | - | libyaml events only, all files, one process              | @FLOOR @ALL
floor-2p       | country  | - | libyaml events only, files split in two parallel halves  | sh -c '@FLOOR @HALF1 & @FLOOR @HALF2 & wait'
validate       | country  | i | infra validate --no-national --format json (+ national dir) | @INFRA validate --no-national --format json @COUNTRY @NATIONAL
floor-1file    | one-file | - | libyaml events only, one 400-item kommun                 | @FLOOR @ONE
validate-1file | one-file | i | infra validate --format json, one 400-item kommun        | @INFRA validate --format json @ONE
scan           | country  | i | infra scan, all checks, json (+ national dir)            | @INFRA scan --no-national --format json @COUNTRY @NATIONAL
coverage       | country  | i | infra coverage --format json (+ national dir)            | @INFRA coverage --no-national --format json @COUNTRY @NATIONAL
scan-1file     | one-file | i | infra scan, one 400-item kommun, text                     | @INFRA scan @ONE
graph-1file    | one-file | - | infra graph to SVG in process, one 400-item kommun        | @INFRA graph @ONE --format svg --output @OUT/graph-1file.svg
dot-1file      | one-file | - | dot -Tsvg on the same DOT text (the Graphviz command)      | dot -Tsvg @OUT/graph-1file.dot -o @OUT/graph-1file-dot.svg
graph-country-svg | country | - | infra graph, country aggregate by capability, SVG       | @INFRA graph --no-national --format svg --output @OUT/graph-country.svg @COUNTRY @NATIONAL
graph-country-png | country | - | infra graph, country aggregate by capability, PNG       | @INFRA graph --no-national --format png --output @OUT/graph-country.png @COUNTRY @NATIONAL
EOF
)
# Ratios: name | numerator case | denominator case | target (ratio must be <= target; - for none)
RATIOS=$(cat <<'EOF'
country: infra validate ÷ floor (2 processes) | validate       | floor-2p    | 1.5
country: infra validate ÷ floor (1 process)   | validate       | floor-1p    | -
one file: infra validate ÷ floor              | validate-1file | floor-1file | -
country: infra scan ÷ floor (2 processes)     | scan           | floor-2p    | 1.5
one file: in-process SVG ÷ dot -Tsvg          | graph-1file    | dot-1file   | 1.0
EOF
)
# Absolute targets: case | median must be below (seconds)
LIMITS=$(cat <<'EOF'
validate-1file | 0.050
scan-1file     | 0.100
graph-1file    | 5.0
graph-country-svg | 5.0
graph-country-png | 5.0
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
command -v swift >/dev/null || die "swift is not on PATH (needed to build infra)"

# ── build ──────────────────────────────────────────────────────────────────────
mkdir -p "$OUT" "$DATA"
if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
    say "building infra (swift build -c release)"
    if ! swift build -c release >"$OUT/build.log" 2>&1; then
        tail -20 "$OUT/build.log" >&2
        die "swift build -c release failed (full log: $OUT/build.log)"
    fi
fi
[ -x "$INFRA" ] || die "$INFRA not found; build it with swift build -c release"

say "building the libyaml floor ($FLOOR)"
cc -O2 -o "$FLOOR" $B/floor/yaml_floor.c -lyaml || die "could not build $B/floor/yaml_floor.c (is libyaml-dev installed?)"

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
generate "$COUNTRY" "$GEN_HASH seed=1 scale=1" --seed 1 --scale 1
generate "$ONE_DIR" "$GEN_HASH single=400" --seed 1 --single-kommun 400
ONE=$(find "$ONE_DIR" -name '*.yaml' | head -1)
[ -n "$ONE" ] || die "no file in $ONE_DIR"

# File lists for the floor: the country and the national inventories, exactly what
# `infra validate` below reads; two halves balanced by bytes for the 2-process floor.
ALL=$OUT/files-all.txt HALF1=$OUT/files-half1.txt HALF2=$OUT/files-half2.txt
find "$COUNTRY" inventory/national -name '*.yaml' -printf '%s %p\n' | sort -k1,1nr -k2 >"$OUT/files-sized.txt"
cut -d' ' -f2 "$OUT/files-sized.txt" >"$ALL"
awk -v h1="$HALF1" -v h2="$HALF2" 'BEGIN { printf "" > h1; printf "" > h2 }
    { if (a <= b) { print $2 > h1; a += $1 } else { print $2 > h2; b += $1 } }' "$OUT/files-sized.txt"
NFILES=$(wc -l <"$ALL")
"$FLOOR" "@$ALL" >/dev/null || die "the floor failed on the country data"

# ── run ────────────────────────────────────────────────────────────────────────
expand() {
    local c=$1
    c=${c//@FLOOR/$FLOOR}; c=${c//@INFRA/$INFRA}; c=${c//@COUNTRY/$COUNTRY}
    c=${c//@NATIONAL/inventory/national}; c=${c//@ALL/@$ALL}; c=${c//@HALF1/@$HALF1}
    c=${c//@HALF2/@$HALF2}; c=${c//@ONE/$ONE}; c=${c//@OUT/$OUT}
    printf '%s' "$c"
}
trim() { local s=$1; s=${s#"${s%%[![:space:]]*}"}; printf '%s' "${s%"${s##*[![:space:]]}"}"; }

# The DOT text that `dot -Tsvg` lays out next to infra's in-process rendering.
command -v dot >/dev/null || apt_install graphviz
"$INFRA" graph "$ONE" --format dot >"$OUT/graph-1file.dot" || die "infra graph --format dot failed"

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
RAN=()
: >"$OUT/commands.txt"
while IFS='|' read -r id data ign what cmd; do
    id=$(trim "$id"); [ -n "$id" ] || continue
    if [ -n "$ONLY" ] && ! [[ $id =~ $ONLY ]]; then continue; fi
    cmd=$(expand "$(trim "$cmd")")
    say "$id: $cmd"
    flags=(--warmup "$WARMUP" --runs "$RUNS" -N --export-json "$OUT/hyperfine-$id.json" --command-name "$id")
    [ "$(trim "$ign")" = i ] && flags+=(-i)
    hyperfine "${flags[@]}" "$cmd" >&2 || die "hyperfine failed for $id"
    # Peak memory of one run (maximum resident set size; for sh -c the largest child).
    # shellcheck disable=SC2086
    eval "/usr/bin/time -v $cmd" >/dev/null 2>"$OUT/time-$id.txt" || true
    # Stage split (load / resolve / check / render) of one run, from infra's --timings.
    if [[ $cmd == "$INFRA "* ]]; then
        # shellcheck disable=SC2086
        eval "$cmd --timings" 2>"$OUT/phases-$id.txt" >/dev/null || true
    fi
    RAN+=("$id")
    printf '%s|%s\n' "$id" "$cmd" >>"$OUT/commands.txt"
done <<<"$CASES"
[ ${#RAN[@]} -gt 0 ] || die "no case matches BENCH_ONLY=$ONLY"

# ── report ─────────────────────────────────────────────────────────────────────
CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
MEM=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
DIRTY=$(git status --porcelain 2>/dev/null | head -1)
export BENCH_CASES="$CASES" BENCH_RATIOS="$RATIOS" BENCH_LIMITS="$LIMITS" BENCH_OUT="$OUT" \
    BENCH_NPROC="$(nproc)" BENCH_CPU="$CPU" BENCH_MEM="$MEM" BENCH_COMMIT="$COMMIT${DIRTY:+ (with uncommitted changes)}" \
    BENCH_DATE="$(date -u '+%Y-%m-%d %H:%M UTC')" BENCH_LOAD="$LOAD_BEFORE" BENCH_LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)" \
    BENCH_SWIFT="$(swift --version 2>&1 | head -1)" BENCH_KERNEL="$(uname -sr)" BENCH_COUNTRY="$COUNTRY" \
    BENCH_ONE="$ONE" BENCH_NFILES="$NFILES" BENCH_RUNS_N="$RUNS" BENCH_WARMUP_N="$WARMUP" BENCH_RAN="${RAN[*]}"
python3 - <<'PY'
import json, os, re
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
for cid, data, ign, what, cmd in cases:
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
                    min=r["min"], max=r["max"], rss=rss, codes=codes)

def t(s):
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.3f} s"

planted = {}
try:
    planted = json.load(open(os.path.join(E["BENCH_COUNTRY"], "PLANTED.json")))
except OSError:
    pass
one_items = sum(1 for line in open(E["BENCH_ONE"], encoding="utf-8") if line.startswith("  - id:"))

table = ["| case | data | what it measures | median | mean ± σ | min … max | peak RSS | exit |",
         "|---|---|---|---:|---:|---:|---:|---:|"]
for cid, data, ign, what, cmd in cases:
    if cid in res:
        x = res[cid]
        rss = f"{x['rss']:.0f} MiB" if x["rss"] is not None else "–"
        table.append(f"| `{cid}` | {data} | {what} | **{t(x['median'])}** | {t(x['mean'])} ± {t(x['sd'])} | "
                     f"{t(x['min'])} … {t(x['max'])} | {rss} | {','.join(map(str, x['codes']))} |")

ratios = ["| ratio | value | target | met |", "|---|---:|---:|:---:|"]
for name, num, den, target in rows(E["BENCH_RATIOS"], 4):
    if num in res and den in res:
        v = res[num]["median"] / res[den]["median"]
        met = "–" if target == "-" else ("yes" if v <= float(target) else "**no**")
        ratios.append(f"| {name} | {v:.2f}× | {'–' if target == '-' else '≤ ' + target + '×'} | {met} |")
for cid, limit in rows(E["BENCH_LIMITS"], 2):
    if cid in res:
        v = res[cid]["median"]
        ratios.append(f"| `{cid}` median | {t(v)} | < {float(limit) * 1000:.0f} ms | {'yes' if v < float(limit) else '**no**'} |")

commands = [f"- `{cid}`: `{cmd}`" for cid, cmd in rows(open(f"{out}/commands.txt").read(), 2)]
phases = []
for cid, data, ign, what, cmd in cases:
    try:
        line = open(f"{out}/phases-{cid}.txt").read().strip().splitlines()[-1]
    except (OSError, IndexError):
        continue
    stages = dict((m.group(1).strip(), float(m.group(2))) for m in re.finditer(r"([A-Za-z ]+?) ([0-9.]+) s", line))
    top = {k: v for k, v in stages.items() if k in ("load", "resolve", "check", "render")}
    note = ""
    if "load" in top and "resolve" in top and "check" in top:
        rc = top["resolve"] + top["check"]
        note = f" — resolve + check = {rc:.3f} s {'<' if rc < top['load'] else '≥'} load {top['load']:.3f} s"
    phases.append(f"- `{cid}`: " + " · ".join(f"{k} {v:.3f} s" for k, v in top.items()) + note)
    detail = {k: v for k, v in stages.items() if k not in top}
    if detail:
        phases.append("  - checks: " + ", ".join(f"{k} {v:.3f} s" for k, v in detail.items()))
md = f"""# Benchmark results

Written by `make bench` (Benchmarks/bench.sh); see Benchmarks/README.md for what each case
measures and how the data is generated. Medians of {E['BENCH_RUNS_N']} runs after {E['BENCH_WARMUP_N']} warmup run(s).

## Machine

- date: {E['BENCH_DATE']}
- commit: {E['BENCH_COMMIT']}
- CPU: {E['BENCH_CPU']}, nproc {E['BENCH_NPROC']}
- memory: {E['BENCH_MEM']}
- system: {E['BENCH_KERNEL']}; {E['BENCH_SWIFT']}
- load average (1/5/15 min) before: {E['BENCH_LOAD']}, after: {E['BENCH_LOAD_AFTER']}

## Data

- country: `{E['BENCH_COUNTRY']}` (seed {planted.get('seed', '?')}, scale {planted.get('scale', 0):g}):
  {planted.get('files', '?')} files, {planted.get('items', 0):,} items, {planted.get('dependencies', 0):,} references,
  {planted.get('bytes', 0) / 1e6:.1f} MB; the floor and `validate` also read the {int(E['BENCH_NFILES']) - int(planted.get('files', 0) or 0)} files of inventory/national/
- one file: `{E['BENCH_ONE']}` ({one_items} items)

## Results

{chr(10).join(table)}

## Ratios and targets

{chr(10).join(ratios)}

## Stages (one run each, `--timings`)

{chr(10).join(phases)}

## Commands

{chr(10).join(commands)}
"""
open("Benchmarks/RESULTS.md", "w", encoding="utf-8").write(md)
print()
print("\n".join(table))
print()
print("\n".join(ratios))
print("\nwrote Benchmarks/RESULTS.md")
PY
